package ui

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// handoffWizard is the wizard on a practice account at 80×24, with the
// handoff's sign-in and waits given (nil: the wizard's own).
func handoffWizard(t *testing.T, acct steps.Account, dir string, signIn steps.SignIn, wait func(context.Context, time.Duration) error) *harness {
	t.Helper()
	m := New(t.Context(), Options{Account: acct, Practice: true, Region: "eu-west-1", SignIn: signIn, Wait: wait, Files: FileOptions{
		Dir: dir, CredentialsFile: filepath.Join(dir, "credentials"), ConfigFile: filepath.Join(dir, "config"),
	}})
	return newHarness(t, m, 80, 24)
}

// The handoff on the practice account, as root, with a new key that
// works only 3 s after it is made (as IAM's would): the screen waits,
// proves alice's key, and a refusal of both keys deletes nothing; the
// summary then keeps root's keys as a step to finish, with the link.
func TestHandoffRefusalDeletesNothing(t *testing.T) {
	dir := t.TempDir()
	acct, err := awsops.NewPractice(awsops.PracticeOptions{Path: filepath.Join(dir, "practice.json"), KeyDelay: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	h := wizard(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "· Stop using root") // the step's title, not the root step's mention of it
	h.waitFor("Checking alice's new access key")
	h.waitFor("alice's key works: arn:aws:iam::111122223333:user/alice")
	h.waitFor("Delete AKIAPRACTICEROOTKEY0?")
	h.press("n")
	h.waitFor("Delete AKIAPRACTICEROOTKEY1, or make it inactive first?")
	h.press("n")
	h.waitFor("The root user keeps 2 access keys.")
	if keys, _ := acct.AccessKeys(t.Context(), ""); len(keys) != 2 {
		t.Errorf("n deleted a root key: %d left", len(keys))
	}
	h.press("enter")
	declinePeople(h)
	h.waitFor("enter finish") // the summary
	top := h.screen()
	h.press("pgdown")
	s := strings.Join(strings.Fields(top+h.screen()), " ")
	if !strings.Contains(s, "✗ Root user has no access keys") || !strings.Contains(s, "Root access keys: they cannot be limited") {
		t.Errorf("the summary forgets root's keys:\n%s", awstest.RedactSecrets(h.screen()))
	}
}

// Yes to both: the keys are gone, this session's last, as the admin user
// reads the account; the summary (read as alice) shows root-access-keys
// passing. A rerun, which the practice account signs in as root on
// temporary credentials, as CloudShell would, says so plainly, at
// preflight and at the handoff, with whom to work as instead.
func TestHandoffDeletesBothThenRerunHasNothingToDo(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "practice.json")
	h := wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Delete AKIAPRACTICEROOTKEY0?")
	h.press("y", "y")
	h.waitFor("Read as alice, the root user has no access keys any more.")
	s := h.screen()
	if i, j := strings.Index(s, "Deleted AKIAPRACTICEROOTKEY1"), strings.Index(s, "Deleted AKIAPRACTICEROOTKEY0 (this session's root key: it no longer works)"); i < 0 || j < i {
		t.Errorf("the result does not name both keys, this session's last:\n%s", s)
	}
	h.press("enter")
	declinePeople(h)
	h.waitFor("enter finish") // the summary
	if s := h.screen(); !strings.Contains(s, "✓ Root user has no access keys") {
		t.Errorf("the summary after the handoff:\n%s", awstest.RedactSecrets(s))
	}
	if s := h.screen(); strings.Contains(s, "Root access keys:") {
		t.Errorf("the summary after the handoff:\n%s", awstest.RedactSecrets(s))
	}

	h = wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	if s := strings.Join(strings.Fields(h.screen()), " "); !strings.Contains(s, "signed in as the root user, whose access keys are gone. The practice account signs you in as root each time") ||
		!strings.Contains(s, "work as alice from now on (awssecure --profile alice)") {
		t.Errorf("the rerun's preflight does not say why it is root:\n%s", h.screen())
	}
	walkTo(t, h, "· Stop using root") // the step's title, not the root step's mention of it
	h.waitFor("The root user has no access keys. awssecure is signed in as root all the")
}

// Keeping a key and deleting the other names both on the result, marks
// the key to delete with no failure glyph, and asks AWS once what is left
// (the keys kept are left, as AWS says at once) instead of waiting four
// seconds for AWS to say there are none.
func TestHandoffKeepingAKeyNamesBothAndWaitsForNothing(t *testing.T) {
	dir := t.TempDir()
	var waits atomic.Int32
	wait := func(context.Context, time.Duration) error { waits.Add(1); return nil }
	h := handoffWizard(t, newPractice(t, filepath.Join(dir, "practice.json")), dir, nil, wait)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Delete AKIAPRACTICEROOTKEY0?")
	if s := h.screen(); !strings.Contains(s, "The root user has 2 access keys.") {
		t.Errorf("the question:\n%s", s)
	}
	h.press("y")
	h.waitFor("Delete AKIAPRACTICEROOTKEY1, or make it inactive first?")
	if s := h.screen(); strings.Contains(s, "✗") || !strings.Contains(s, "→ delete   AKIAPRACTICEROOTKEY0") {
		t.Errorf("a key to delete is marked as a failure, or not at all:\n%s", s)
	}
	waits.Store(0)
	h.press("n")
	h.waitFor("enter continue")
	s := h.screen()
	for _, want := range []string{"✓ Deleted AKIAPRACTICEROOTKEY0 (this session's root key: it no longer works)", "Kept AKIAPRACTICEROOTKEY1, as you chose", "The root user still has AKIAPRACTICEROOTKEY1."} {
		if !strings.Contains(s, want) {
			t.Errorf("the result lacks %q:\n%s", want, s)
		}
	}
	if n := waits.Load(); n != 0 {
		t.Errorf("the handoff waited %d times for a key it kept to go", n)
	}
}

// A key used 9 days ago, not this session's, is offered to be made
// inactive first (d): it is, before this session's key is deleted; the
// result and the summary say it is inactive and how to delete it later.
func TestHandoffMakesARecentKeyInactive(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "practice.json")
	h := wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Delete AKIAPRACTICEROOTKEY0?")
	h.press("y")
	h.waitFor("d make it inactive (reversible)")
	h.press("d")
	h.waitFor("enter continue")
	s := strings.Join(strings.Fields(h.screen()), " ")
	for _, want := range []string{"✓ Made AKIAPRACTICEROOTKEY1 inactive", "✓ Deleted AKIAPRACTICEROOTKEY0", "The root user still has AKIAPRACTICEROOTKEY1 (inactive).", "Delete it once nothing needs it, in the console", "aws iam delete-access-key --access-key-id AKIAPRACTICEROOTKEY1"} {
		if !strings.Contains(s, want) {
			t.Errorf("the result lacks %q:\n%s", want, h.screen())
		}
	}
	var st struct{ RootKeys, InactiveKeys []string }
	if data, err := os.ReadFile(state); err != nil || json.Unmarshal(data, &st) != nil ||
		!slices.Equal(st.RootKeys, []string{"AKIAPRACTICEROOTKEY1"}) || !slices.Equal(st.InactiveKeys, []string{"AKIAPRACTICEROOTKEY1"}) {
		t.Errorf("the account's root keys %v, inactive %v; want the old one left, inactive", st.RootKeys, st.InactiveKeys)
	}
	h.press("enter")
	declinePeople(h)
	h.waitFor("enter finish")
	if s := strings.Join(strings.Fields(h.screen()), " "); !strings.Contains(s, "AKIAPRACTICEROOTKEY1 is inactive, which IAM still counts: delete it in the console once nothing needs it") {
		t.Errorf("the summary does not say what is inactive:\n%s", h.screen())
	}
}

// throttledAdmin is the admin user's account, throttled for the next
// fail reads of the account summary, as IAM throttles a busy account.
type throttledAdmin struct {
	steps.Account
	fail *atomic.Int32
}

func (a throttledAdmin) AccountSummary(ctx context.Context) (awsops.AccountSummary, error) {
	if a.fail.Add(-1) >= 0 {
		return awsops.AccountSummary{}, &awsops.OpError{Action: "iam:GetAccountSummary", Kind: awsops.ErrThrottled, Err: errors.New("Throttling: Rate exceeded")}
	}
	return a.Account.AccountSummary(ctx)
}

// When the admin's confirmation read is throttled after both root keys
// were deleted, the screen says which keys are gone, never advises a
// root key, and r retries only the confirmation, as the admin user (a
// call as root would be refused: its key is deleted). The deletions are
// in the runbook all the same.
func TestHandoffConfirmationThrottledRetriesOnlyIt(t *testing.T) {
	dir := t.TempDir()
	var fail atomic.Int32
	signIn := func(ctx context.Context, acct steps.Account, key awsops.AccessKey) (steps.Account, error) {
		admin, err := steps.SignInWithKey(ctx, acct, key)
		return throttledAdmin{admin, &fail}, err
	}
	h := handoffWizard(t, newPractice(t, filepath.Join(dir, "practice.json")), dir, signIn, func(context.Context, time.Duration) error { return nil })
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Delete AKIAPRACTICEROOTKEY0?")
	fail.Store(5) // every read of the confirmation
	h.press("y", "y")
	h.waitFor("reading the account as alice to confirm them")
	s := strings.Join(strings.Fields(h.screen()), " ")
	for _, want := range []string{"✓ Deleted AKIAPRACTICEROOTKEY1", "✓ Deleted AKIAPRACTICEROOTKEY0 (this session's root key: it no longer works)",
		"throttling", "r reads the account again as alice", "Security credentials → Access keys"} {
		if !strings.Contains(s, want) {
			t.Errorf("the failure lacks %q:\n%s", want, h.screen())
		}
	}
	for _, never := range []string{"new access key", "aws configure", "create a"} {
		if strings.Contains(s, never) {
			t.Errorf("the failure advises %q:\n%s", never, h.screen())
		}
	}
	h.press("r")
	h.waitFor("Read as alice, the root user has no access keys any more.")
	h.press("enter")
	declinePeople(h)
	h.waitFor("enter finish")
	h.press("r")
	for range 100 {
		if strings.Contains(h.screen(), "Runbook written") {
			break
		}
		h.press("pgdown")
	}
	h.waitFor("Runbook written")
	files, _ := filepath.Glob(filepath.Join(dir, "awssecure-runbook-*.md"))
	if len(files) != 1 {
		t.Fatalf("runbooks: %v", files)
	}
	data, _ := os.ReadFile(files[0])
	book := string(data)
	if i, j := strings.Index(book, "aws iam delete-access-key --access-key-id AKIAPRACTICEROOTKEY1"), strings.Index(book, "aws iam delete-access-key --access-key-id AKIAPRACTICEROOTKEY0"); i < 0 || j < i {
		t.Errorf("the runbook lacks the deletions, in order:\n%s", book)
	}
}

// Root on temporary credentials (the practice account can be signed in
// as CloudShell signs root in): the handoff proves alice's key, then, as
// IAM cannot list root's keys for such a session, guides the user to the
// console and looks again; it never shows IAM's refusal.
func TestHandoffTemporaryRootGuidesToTheConsole(t *testing.T) {
	dir := t.TempDir()
	acct, err := awsops.NewPractice(awsops.PracticeOptions{Path: filepath.Join(dir, "practice.json"), TemporaryRoot: true})
	if err != nil {
		t.Fatal(err)
	}
	h := wizard(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "· Stop using root") // the step's title, not the root step's mention of it
	h.waitFor("alice's key works")
	h.waitFor("r look again")
	s := strings.Join(strings.Fields(h.screen()), " ")
	for _, want := range []string{"temporary credentials", "This session runs on none of them", "Security credentials → Access keys", "t pretend I deleted them in the console"} {
		if !strings.Contains(s, want) {
			t.Errorf("the guide lacks %q:\n%s", want, h.screen())
		}
	}
	h.press("r")
	h.waitFor("AWS still reports root access keys.")
	h.press("t")
	h.waitFor("The root user has no access keys any more.")
	if strings.Contains(h.screen(), "non-User") {
		t.Errorf("IAM's refusal reached the screen:\n%s", h.screen())
	}
	h.press("enter")
	declinePeople(h)
	h.waitFor("enter finish")
	if s := h.screen(); !strings.Contains(s, "✓ Root user has no access keys") {
		t.Errorf("the summary:\n%s", s)
	}
}

// A rerun after a quit: the first run saved alice's key as a profile and
// quit before the handoff; the rerun made no new key, finds the saved
// one, proves it (p) and goes on to root's keys, without new credentials.
func TestHandoffRerunProvesTheSavedProfile(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "practice.json")
	h := wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Save your new user's credentials")
	h.press("p")
	h.waitFor("Saved profile alice")
	h.press("S", "y")
	walkTo(t, h, "Choose an account alias")
	h.press("ctrl+c", "y")
	h.waitQuit()

	h = wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "· Stop using root") // the step's title, not the root step's mention of it
	h.waitFor("p prove the saved key")
	if s := strings.Join(strings.Fields(h.screen()), " "); !strings.Contains(s, "An earlier run saved alice's key as the AWS CLI profile alice in "+filepath.Join(dir, "credentials")) {
		t.Errorf("the offer:\n%s", h.screen())
	}
	h.press("p")
	h.waitFor("alice's key works: arn:aws:iam::111122223333:user/alice")
	h.waitFor("Delete AKIAPRACTICEROOTKEY0?")
}

// r on the summary writes the session's runbook (mode 0600): every change
// with its aws CLI, the real names in it, and none of the secrets the
// session showed.
func TestRunbookNamesEveryWriteAndNoSecret(t *testing.T) {
	dir := t.TempDir()
	h := wizard(t, newPractice(t, filepath.Join(dir, "practice.json")), dir)
	h.waitFor("Account 111122223333")
	h.press("enter")
	h.waitFor("Waiting for AWS")
	h.press("t")
	h.waitFor("Root MFA is on")
	walkTo(t, h, "MFA for alice")
	h.press("ctrl+k")
	h.waitFor("Add it in your app by hand")
	seed := strings.ReplaceAll(groupedSeed.FindStringSubmatch(h.screen())[1], " ", "")
	h.press("ctrl+k")
	enterMFACodes(h)
	h.waitFor("MFA is on for alice")
	h.press("enter")
	h.waitFor("Save your new user's credentials")
	h.press("v")
	shown := h.screen()
	secret, password := revealedSecret.FindStringSubmatch(shown), revealedPassword.FindStringSubmatch(shown)
	if secret == nil || password == nil {
		t.Fatalf("no revealed secrets:\n%s", awstest.RedactSecrets(shown))
	}
	h.press("p")
	h.waitFor("Saved profile alice")
	walkTo(t, h, "turn on what is chosen") // the guardrails: every one, GuardDuty too
	h.press("down", "down", "down", "down", "space", "enter")
	h.waitFor("Who should AWS write to?")
	for _, answer := range []string{"Ann O'Neil $(touch x)", "ann@example.com", "+44 20 7946 0000", "Security lead"} {
		h.typeText(answer)
		h.press("enter")
	}
	h.press("enter")
	h.waitFor("enter continue")
	walkTo(t, h, "Delete AKIAPRACTICEROOTKEY0?")
	h.press("y", "d") // the older key made inactive, first
	h.waitFor("The summary keeps root access keys")
	h.press("enter")
	declinePeople(h)
	h.waitFor("enter finish") // the summary; walkTo's enter could end it
	h.press("r")
	for range 100 { // it says so below the checklist, once written
		if strings.Contains(h.screen(), "Runbook written") {
			break
		}
		h.press("pgdown")
	}
	h.waitFor("Runbook written")
	files, _ := filepath.Glob(filepath.Join(dir, "awssecure-runbook-*.md"))
	if len(files) != 1 {
		t.Fatalf("runbooks written: %v", files)
	}
	if info, err := os.Stat(files[0]); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("runbook mode: %v, %v; want 0600", info.Mode().Perm(), err)
	}
	data, _ := os.ReadFile(files[0])
	book := string(data)
	for _, write := range []string{"aws iam update-account-password-policy", "aws iam create-group --group-name administrators",
		"aws iam attach-group-policy --group-name administrators", "aws iam create-user --user-name alice",
		"aws iam create-login-profile --user-name alice --password '…'", "aws iam create-access-key --user-name alice",
		"aws iam enable-mfa-device --user-name alice --serial-number arn:aws:iam::111122223333:mfa/alice",
		"aws configure --profile alice", "aws iam create-account-alias --account-alias acme-learning",
		"Root MFA was turned on in the console", `aws budgets create-budget --account-id "$A"`,
		"aws bcm-data-exports create-export --region us-east-1"} {
		if !strings.Contains(book, write) {
			t.Errorf("the runbook lacks %q", write)
		}
	}
	// The guardrails' writes, each as it was made (the five run at once,
	// so in any order among themselves), then the handoff's, in order:
	// the older key made inactive, then this session's key deleted.
	last := strings.Index(book, "## 9.")
	for _, write := range []string{
		"aws account put-alternate-contact --alternate-contact-type SECURITY --name 'Ann O'\\''Neil $(touch x)' --title 'Security lead' --email-address ann@example.com --phone-number '+44 20 7946 0000'",
		"aws s3control put-public-access-block --account-id 111122223333",
		"aws ec2 enable-ebs-encryption-by-default --region us-east-1", "aws ec2 enable-ebs-encryption-by-default --region ap-southeast-2",
		"aws accessanalyzer create-analyzer --analyzer-name awssecure --type ACCOUNT --region eu-west-1",
		"aws guardduty create-detector --enable --region us-east-1",
	} {
		if i := strings.Index(book, write); i < 0 || i < last {
			t.Errorf("the runbook lacks %q among the guardrails", write)
		}
	}
	// Each guard's section links to the page of its setting.
	for _, g := range steps.Guards {
		section := "## " // the section titled with the guard, up to the next
		if i := strings.Index(book, ". Account guardrails: "+g.Title+"\n"); i >= 0 {
			section = book[i:]
			if j := strings.Index(section[1:], "\n## "); j >= 0 {
				section = section[:j+1]
			}
		}
		if want := "— <" + g.ConsoleURL + ">"; g.ConsoleURL == "" || !strings.Contains(section, want) {
			t.Errorf("the runbook's section of %s does not link %q:\n%s", g.Title, g.ConsoleURL, section)
		}
	}
	at := 0
	for _, write := range []string{". Stop using root\n", "aws iam update-access-key --access-key-id AKIAPRACTICEROOTKEY1 --status Inactive",
		"aws iam delete-access-key --access-key-id AKIAPRACTICEROOTKEY0"} {
		i := strings.Index(book, write)
		if i < at {
			t.Errorf("the runbook lacks %q after what came before it", write)
		}
		at = max(i, at)
	}
	for name, value := range map[string]string{"MFA seed": seed, "secret access key": secret[1], "password": password[1]} {
		if strings.Contains(book, value) {
			t.Errorf("the runbook holds the %s", name)
		}
	}
	t.Logf("runbook:\n%s", book)
}
