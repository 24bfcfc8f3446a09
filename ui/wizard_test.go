package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

func newPractice(t *testing.T, path string) *awsops.Practice {
	t.Helper()
	p, err := awsops.NewPractice(awsops.PracticeOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// wizard is the wizard on a practice account.
func wizard(t *testing.T, acct steps.Account, dir string) *harness {
	t.Helper()
	return newWizard(t, acct, true, dir)
}

// newWizard is the wizard at 80×24 on acct, saving credential files in dir.
func newWizard(t *testing.T, acct steps.Account, practice bool, dir string) *harness {
	t.Helper()
	m := New(t.Context(), Options{Account: acct, Practice: practice, Region: "eu-west-1", Files: FileOptions{
		Dir: dir, CredentialsFile: filepath.Join(dir, "credentials"), ConfigFile: filepath.Join(dir, "config"),
	}})
	return newHarness(t, m, 80, 24)
}

var groupedSeed = regexp.MustCompile(`((?:[A-Z2-7]{4} ){15}[A-Z2-7]{4})`)

// enterMFACodes reads the key from the screen (ctrl+k), as a person who
// cannot scan would, and types two consecutive codes computed from it.
func enterMFACodes(h *harness) {
	h.t.Helper()
	h.press("ctrl+k")
	h.waitFor("Add it in your app by hand")
	m := groupedSeed.FindStringSubmatch(h.screen())
	if m == nil {
		h.t.Fatalf("no key on screen:\n%s", awstest.RedactSecrets(h.screen()))
	}
	seed := awsops.NewSecret(strings.ReplaceAll(m[1], " ", ""))
	c1, c2 := awsops.PhoneCodes(seed, time.Now())
	h.typeText(c1)
	h.press("enter")
	h.typeText(c2)
	h.press("enter")
}

// walkTutorial goes from preflight to the summary on a fresh account,
// checking each screen on the way. On the practice account root MFA is
// "turned on in the console" with t; elsewhere (moto always reports it
// off) the step is skipped.
func walkTutorial(t *testing.T, h *harness, account, alias string, practice bool) {
	t.Helper()
	h.waitFor("Preflight")
	h.waitFor("Account " + account)
	h.press("enter")
	h.waitFor("Step 1 of")
	if practice {
		h.press("t")
		h.waitFor("Root MFA is on")
		h.press("enter")
	} else {
		h.press("s", "y")
	}
	h.waitFor("Step 2 of")
	h.press("enter", "enter", "enter", "enter") // defaults, both pages
	h.waitFor("Password policy set")
	h.press("enter")
	h.waitFor("Group name")
	h.press("enter")
	h.waitFor("Group administrators created with AdministratorAccess")
	h.press("enter")
	h.waitFor("User name")
	h.typeText("alice")
	h.press("enter", "enter")
	h.waitFor("MFA for alice")
	enterMFACodes(h)
	h.waitFor("MFA is on for alice")
	h.press("enter")
	h.waitFor("Save your new user's credentials")
	if !strings.Contains(h.screen(), "********") {
		t.Errorf("secrets not masked on the credentials screen:\n%s", awstest.RedactSecrets(h.screen()))
	}
	h.press("enter") // a stray Enter must not move on
	h.waitFor("Save your new user's credentials")
	h.press("S")
	h.waitFor("cannot be shown again")
	h.press("y")
	h.waitFor("Account alias")
	h.typeText(alias)
	h.press("enter")
	h.waitFor("Alias set")
	h.press("enter")
	h.waitFor("Opt-in regions to enable")
	h.press("enter")
	h.waitFor("Delete logs older than")
	h.press("enter") // the defaults: keep the logs
	h.waitFor("is logging every region")
	h.press("enter")
	billing(t, h)
	walkGuardrails(t, h)
	rootAlert(t, h, practice)
	handOver(t, h)
	h.waitFor("Summary")
	h.waitFor("Sign in as alice at")
}

// billing walks the billing step with its defaults: a 10 USD budget (the
// address must be typed: enter alone is refused), the report, and
// "not yet" for IAM access to billing, which stays on the summary.
func billing(t *testing.T, h *harness) {
	t.Helper()
	h.waitFor("A monthly cost budget that e-mails you?")
	h.press("enter", "enter", "enter")
	h.waitFor("type the e-mail address the alerts go to")
	h.typeText("owner@example.com")
	h.press("enter")
	h.waitFor("A daily billing report")
	h.press("enter")
	h.waitFor("Is it on?")
	h.press("enter")
	h.waitFor("/cur2/.")
	h.press("enter")
}

// rootAlert walks the root activity alert with the budget's address,
// which the form offers. On the practice account of these tests the
// address is confirmed at once; moto keeps it pending until the link is
// "clicked" (moto.ConfirmEmails), and c then shows it confirmed. A test
// alert goes out either way; unconfirmed, the screen says nobody gets it.
func rootAlert(t *testing.T, h *harness, practice bool) {
	t.Helper()
	h.waitFor("Know the moment root is used")
	h.waitFor("┃ Send root's alerts to")
	if s := h.screen(); !strings.Contains(s, "owner@example.com") || !strings.Contains(s, "Cost:") {
		t.Errorf("the form does not offer the budget's address, or hides the cost:\n%s", s)
	}
	h.press("enter")
	h.waitFor("Rules in all")
	if !practice {
		h.waitFor("Waiting for you to confirm the e-mail to owner@example.com")
		h.press("t")
		h.waitFor("no address has confirmed yet: nobody gets it")
		moto.ConfirmEmails(t, "arn:aws:sns:us-east-1:123456789012:"+steps.AlertName)
		h.press("c")
	}
	h.waitFor("Alerts e-mail owner@example.com.")
	h.press("t")
	h.waitFor("Test alert sent")
	h.press("enter")
}

// handOver walks the handoff: on the practice account, where the wizard
// runs as root, it proves alice's key and deletes both root keys; on moto,
// whose caller is an IAM user with no root keys to delete, it moves on.
func handOver(t *testing.T, h *harness) {
	t.Helper()
	for range 100 { // past a guardrails screen with nothing left to choose
		s := h.screen()
		if strings.Contains(s, "Stop using root") {
			break
		}
		if strings.Contains(s, "Account guardrails") && (strings.Contains(s, "enter turn on what is chosen") || strings.Contains(s, "enter continue")) {
			h.press("enter")
		}
		if strings.Contains(s, "Know the moment root is used") && strings.Contains(s, "enter continue") {
			h.press("enter")
		}
		h.drain()
	}
	h.waitFor("Stop using root")
	for range 60 {
		s := h.screen()
		switch {
		case strings.Contains(s, "┃ E-mail for the alerts"):
			h.typeText("owner@example.com")
			h.press("enter")
		case strings.Contains(s, "y delete it"):
			h.press("y")
		case strings.Contains(s, "enter continue"):
			h.press("enter")
			declinePeople(h)
			return
		default:
			h.drain()
		}
	}
	t.Fatalf("the handoff never finished:\n%s", awstest.RedactSecrets(h.screen()))
}

// declinePeople answers no to the offer after the handoff to add
// another person, which leads to the summary.
func declinePeople(h *harness) {
	h.t.Helper()
	h.waitFor("Add another person?")
	h.press("n")
}

// walkGuardrails takes the checklist's defaults, as a first-time owner
// would: enter, then their own security contact (nobody else can know it;
// the form refuses a phone with letters first), then continue.
func walkGuardrails(t *testing.T, h *harness) {
	t.Helper()
	h.waitFor("Account guardrails")
	h.waitFor("[x] Security contact")
	h.waitFor("[ ] GuardDuty")
	h.press("enter")
	h.waitFor("Who should AWS write to?")
	h.typeText("Ada Lovelace")
	h.press("enter")
	h.typeText("ada@example.com")
	h.press("enter")
	h.typeText("call me")
	h.press("enter")
	h.waitFor("phone number may hold only digits")
	h.press("ctrl+u")
	h.typeText("+44 20 7946 0000")
	h.press("enter")
	h.typeText("Security lead")
	h.press("enter", "enter")
	h.waitFor("security contact set: Ada Lovelace")
	h.waitFor("enter continue")
	if strings.Contains(h.screen(), "✗") {
		t.Errorf("a guard failed:\n%s", awstest.RedactSecrets(h.screen()))
	}
	h.press("enter")
}

func TestWizardHappyPathThenRerunShowsAllDone(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "practice.json")
	acct := newPractice(t, state)
	h := wizard(t, acct, dir)
	walkTutorial(t, h, "111122223333", "acme-learning", true)
	if !strings.Contains(h.screen(), "• IAM access to Billing") {
		t.Errorf("summary does not keep IAM access to billing on root's list after \"not yet\":\n%s", h.screen())
	}
	screen := h.screen()
	for _, want := range []string{"✓ Root user has MFA", "✓ Strong password policy", "✓ Administrators group", "✓ Admin IAM user for daily work", "✓ Console users have MFA", "https://acme-learning.signin.aws.amazon.com/console", "PRACTICE ACCOUNT"} {
		if !strings.Contains(screen, want) {
			t.Errorf("summary lacks %q:\n%s", want, screen)
		}
	}
	h.press("enter")
	h.waitQuit()

	// Second run on the kept practice state: every step is offered as done.
	h = wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	h.press("enter")
	for _, want := range []string{"Root MFA is already on", "Already done: minimum length 14", "Already done: group administrators", "Already done: admin user alice", "Already done: alice has an MFA device", "Already done: alias acme-learning"} {
		h.waitFor(want)
		h.press("enter")
	}
	h.waitFor("Opt-in regions to enable")
	h.press("enter")
	h.waitFor("Already done: trail management-events")
	h.press("enter")
	h.waitFor("✓ Budget monthly-cost e-mails")
	h.press("enter")
	h.waitFor("✓ Billing report cost-and-usage-daily")
	h.press("enter")
	h.waitFor("Is it on?") // no API tells: asked, and yes takes it off the summary's root list
	h.press("y")
	h.waitFor("IAM access to billing is on, as you said.")
	h.press("enter")
	handOver(t, h)
	h.waitFor("Sign in as alice")
	if strings.Contains(h.screen(), "• IAM access to Billing") {
		t.Errorf("the summary, read afresh, forgot the user said IAM access to billing is on:\n%s", h.screen())
	}
	// The first run's root session key is deleted: read as a new run does,
	// signed in as root on temporary credentials.
	acct = newPractice(t, state)
	users, _ := acct.Users(t.Context())
	emails, _ := acct.BudgetEmails(t.Context(), "111122223333", steps.BudgetName)
	if !slices.Equal(emails, []string{"owner@example.com", "owner@example.com", "owner@example.com"}) {
		t.Errorf("the alerts mail %v", emails)
	}
	if len(users) != 1 {
		t.Errorf("users after two runs = %v", users)
	}
}

func TestWizardTakenAliasAsksAgain(t *testing.T) {
	acct := newPractice(t, "")
	acct.CreateUser(t.Context(), "x") // nothing to do with aliases; keeps the account non-empty
	h := wizard(t, acct, t.TempDir())
	h.waitFor("Account 111122223333")
	skipToAlias(t, h)
	h.typeText("admin")
	h.press("enter")
	h.waitFor("“admin” is taken by another AWS account")
	// The field keeps what was typed, so a character or two can change.
	h.typeText("-mine")
	h.press("enter")
	h.waitFor("Alias set")
	if alias, _ := acct.AccountAlias(t.Context()); alias != "admin-mine" {
		t.Errorf("alias = %q", alias)
	}
}

// walkTo presses through the wizard as a learner in a hurry would —
// skipping root MFA and the user's MFA, naming the user alice, saying the
// credentials are saved, choosing the alias acme-learning, accepting every
// default — until the screen shows want.
// spinnerFrames are the glyphs of newSpinner's spinner.
const spinnerFrames = "⣾⣽⣻⢿⡿⣟⣯⣷"

func walkTo(t *testing.T, h *harness, want string) {
	t.Helper()
	for range 300 {
		s := h.screen()
		switch {
		case strings.Contains(s, want) || strings.Contains(flat(s), want): // a sentence may wrap
			return
		case strings.Contains(s, "User name") && strings.Contains(s, "> "):
			h.typeText("alice")
			h.press("enter", "enter")
		case strings.Contains(s, "MFA for") && strings.Contains(s, "esc skip MFA"):
			h.press("esc", "y")
		case strings.Contains(s, "Save your new user's credentials"):
			h.press("S", "y")
		case strings.Contains(s, "Choose an account alias") && strings.Contains(s, "┃ Account alias"):
			h.press("ctrl+u")
			h.typeText("acme-learning")
			h.press("enter")
		case strings.Contains(s, "Step 1 of") && strings.Contains(s, "s skip"):
			h.press("s", "y")
		case strings.Contains(s, "┃ E-mail for the alerts"):
			h.typeText("owner@example.com")
			h.press("enter")
		case strings.Contains(s, "type the e-mail address the alerts go to"):
			// No address to offer (the budget was there before this run).
			h.typeText("owner@example.com")
			h.press("enter")
		case strings.Contains(s, "y delete it"):
			h.press("y")
		case strings.Contains(s, "Who should AWS write to?") || strings.Contains(s, "esc skip the contact"):
			h.press("esc") // in a hurry: the contact can wait
		case strings.Contains(s, "Account guardrails") && strings.Contains(s, "working…"):
			// applying: let it finish
		case strings.ContainsAny(s, spinnerFrames):
			// Work under way (the summary reading the account again, a
			// step applying): an Enter now would answer what follows it
			// unseen — on the summary, finish the wizard.
			h.waitUntil(func() bool { return !strings.ContainsAny(h.screen(), spinnerFrames) }, "the work under way never ended")
		default:
			// On the screen just read: press would first let a read in
			// flight finish, and the enter meant for "Reading…" would act
			// on what it shows (on the summary, finish the wizard).
			h.update(keyMsg("enter"))
		}
		h.drain()
	}
	h.waitFor(want)
}

// skipToAlias walks to the alias form.
func skipToAlias(t *testing.T, h *harness) {
	t.Helper()
	walkTo(t, h, "┃ Account alias")
}

func TestWizardDuplicateUserKeepsWhatExists(t *testing.T) {
	acct := newPractice(t, "")
	ctx := t.Context()
	// bob exists but is no admin and has no console access yet.
	if _, err := acct.CreateUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	h := wizard(t, acct, t.TempDir())
	h.waitFor("Account 111122223333")
	walkTo(t, h, "User name")
	h.typeText("bob")
	h.press("enter", "enter")
	h.waitFor("MFA for bob")
	h.press("esc", "y")
	h.waitFor("Save your new user's credentials")
	groups, _ := acct.UserGroups(ctx, "bob")
	users, _ := acct.Users(ctx)
	if len(users) != 1 || len(groups) != 1 {
		t.Errorf("users=%v groups of bob=%v: want bob once, in administrators", users, groups)
	}
	if devices, _ := acct.VirtualMFADevices(ctx); len(devices) != 0 {
		t.Errorf("skipped MFA left a device behind: %+v", devices)
	}
}

// flaky fails its first CreateUser with an access-denied error, as AWS
// would for a caller without iam:CreateUser, then behaves.
type flaky struct {
	*awsops.Practice
	failed atomic.Bool
}

func (f *flaky) CreateUser(ctx context.Context, name string) (awsops.User, error) {
	if f.failed.CompareAndSwap(false, true) {
		return awsops.User{}, &awsops.OpError{Action: "iam:CreateUser", Kind: awsops.ErrAccessDenied, Err: errors.New("not authorized")}
	}
	return f.Practice.CreateUser(ctx, name)
}

func TestWizardErrorPanelThenRetry(t *testing.T) {
	acct := &flaky{Practice: newPractice(t, "")}
	h := wizard(t, acct, t.TempDir())
	h.waitFor("Account 111122223333")
	walkTo(t, h, "User name")
	h.typeText("alice")
	h.press("enter", "enter")
	h.waitFor("AWS denied the action iam:CreateUser")
	for _, want := range []string{"r retry", "s skip", "ctrl+c quit"} {
		if !strings.Contains(h.screen(), want) {
			t.Errorf("error panel lacks %q:\n%s", want, awstest.RedactSecrets(h.screen()))
		}
	}
	h.press("r")
	h.waitFor("MFA for alice")
}

func TestWizardCtrlCAsksThenRerunConverges(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "practice.json")
	h := wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "MFA for alice")
	h.waitFor("MFA for alice")
	h.press("ctrl+c")
	h.waitFor("Quit awssecure?")
	h.waitFor("will be deleted")
	h.press("n")
	h.waitFor("MFA for alice")
	h.press("ctrl+c", "y")
	h.waitQuit()
	acct := newPractice(t, state)
	if devices, _ := acct.VirtualMFADevices(t.Context()); len(devices) != 0 {
		t.Errorf("quitting left an unenabled MFA device: %+v", devices)
	}

	// The rerun finds the user done and finishes MFA.
	h = wizard(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "MFA for alice")
	enterMFACodes(h)
	h.waitFor("MFA is on for alice")
	users, _ := acct.Users(t.Context())
	keys, _ := acct.AccessKeys(t.Context(), "alice")
	if len(users) != 1 || len(keys) != 1 {
		t.Errorf("after rerun: users=%v keys=%v, want one of each", users, keys)
	}
}

func TestCredentialsScreenSavesCSVAndProfile(t *testing.T) {
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	original := "# my keys\n[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = worksecret\n"
	if err := os.WriteFile(creds, []byte(original), 0o600); err != nil {
		t.Fatal(err)
	}
	acct := newPractice(t, "")
	h := wizard(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "MFA for alice")
	h.press("esc", "y")
	h.waitFor("Save your new user's credentials")
	h.press("v")
	revealed := h.screen()
	h.press("v")
	h.press("c")
	h.waitFor("✓ Saved")
	h.press("c")
	h.waitFor("Replace it?")
	h.press("n")
	h.waitFor("Left the existing file as it was")
	h.press("p")
	h.waitFor("Saved profile alice")

	csvData, err := os.ReadFile(filepath.Join(dir, "alice_credentials.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(csvData)), "\n")
	if len(lines) != 2 || lines[0] != "User name,Password,Access key ID,Secret access key,Console login link" {
		t.Fatalf("CSV = %q", csvData)
	}
	fields := strings.Split(lines[1], ",")
	if fields[0] != "alice" || !strings.Contains(revealed, fields[3]) || !strings.Contains(revealed, fields[1]) {
		t.Errorf("CSV row (user %q) does not hold the revealed secrets", fields[0])
	}
	for _, f := range []string{filepath.Join(dir, "alice_credentials.csv"), creds, filepath.Join(dir, "config")} {
		if info, err := os.Stat(f); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, err %v; want 0600", f, info.Mode().Perm(), err)
		}
	}
	got, _ := os.ReadFile(creds)
	if !strings.HasPrefix(string(got), original) || !strings.Contains(string(got), "[alice]\naws_access_key_id = "+fields[2]) {
		t.Errorf("credentials file:\n%s", got)
	}
	config, _ := os.ReadFile(filepath.Join(dir, "config"))
	if string(config) != "[profile alice]\nregion = eu-west-1\noutput = json\n" {
		t.Errorf("config file:\n%s", config)
	}
}

// A learner who quit before saving the credentials comes back: the user
// step offers new ones, asks first, and the credentials screen shows a new
// key that replaced the old.
func TestWizardRenewsLostCredentials(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "practice.json")
	h := wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "MFA for alice")
	enterMFACodes(h)
	h.waitFor("MFA is on for alice")
	h.press("enter")
	h.waitFor("Save your new user's credentials")
	h.press("ctrl+c", "y") // gone before saving them
	h.waitQuit()
	acct := newPractice(t, state)
	old, _ := acct.AccessKeys(t.Context(), "alice")

	h = wizard(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Already done: admin user alice")
	h.press("k")
	h.waitFor("Give alice a new console password and a new access key?")
	h.press("enter", "e") // only y or n answers the question
	if !strings.Contains(h.screen(), "Give alice a new console password") {
		t.Errorf("a key other than y/n left the question:\n%s", awstest.RedactSecrets(h.screen()))
	}
	h.press("n")
	h.waitFor("k new password and key")
	if keys, _ := acct.AccessKeys(t.Context(), "alice"); len(keys) != 1 || keys[0].ID != old[0].ID {
		t.Errorf("n changed the keys: %+v", keys)
	}
	h.press("k", "y")
	h.waitFor("Already done: alice has an MFA device")
	h.press("enter")
	h.waitFor("Save your new user's credentials")
	keys, _ := acct.AccessKeys(t.Context(), "alice")
	if len(keys) != 1 || keys[0].ID == old[0].ID || !strings.Contains(h.screen(), keys[0].ID) {
		t.Errorf("keys after renewal = %+v (old %s); the screen should show the new one", keys, old[0].ID)
	}
	if !strings.Contains(h.screen(), "Password           ********") {
		t.Errorf("no new password on the credentials screen:\n%s", awstest.RedactSecrets(h.screen()))
	}
}

// Found by the accessible walk: the regions form answered with none
// chosen moved on once per message that reached it before the next screen
// opened (a blink of the form's cursor), skipping CloudTrail.
func TestRegionsWithNoneChosenMovesOnOnce(t *testing.T) {
	dir := t.TempDir()
	h := wizard(t, newPractice(t, filepath.Join(dir, "practice.json")), dir)
	walkTo(t, h, "Opt-in regions to enable")
	h.update(keyMsg("enter")) // none chosen: done
	h.update(tea.FocusMsg{})  // anything that comes before the move
	h.update(keyMsg("enter")) // an impatient second enter
	h.waitFor("Step 7 of")
	h.drain()
	if s := h.screen(); !strings.Contains(s, "Turn on CloudTrail") {
		t.Errorf("the regions moved on more than once, past CloudTrail:\n%s", s)
	}
}

// On a first run the user step moves on as soon as it has made the user,
// so the credentials screen's panel is the one that shows how the user and
// its credentials were made (create-user, the group, the login profile,
// the access key), before the command that keeps them as a profile.
func TestCredentialsPanelShowsHowTheUserWasMade(t *testing.T) {
	acct := newPractice(t, "")
	h := wizard(t, acct, t.TempDir())
	h.waitFor("Account 111122223333")
	walkTo(t, h, "MFA for alice")
	h.press("esc", "y")
	h.waitFor("Save your new user's credentials")
	h.press("?")
	var panel strings.Builder
	for range 20 { // the panel scrolls at 80×24
		panel.WriteString(h.screen())
		h.press("pgdown")
	}
	for _, want := range []string{"# how alice and these credentials were made:", "aws iam create-user --user-name alice",
		"aws iam add-user-to-group --user-name alice --group-name administrators", "aws iam create-login-profile --user-name alice",
		"aws iam create-access-key --user-name alice", "aws configure --profile alice"} {
		if !strings.Contains(flat(panel.String()), want) {
			t.Errorf("the credentials panel lacks %q:\n%s", want, panel.String())
		}
	}
}
