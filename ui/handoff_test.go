package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

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
	walkTo(t, h, "Stop using root")
	h.waitFor("Checking alice's new access key")
	h.waitFor("alice's key works: arn:aws:iam::111122223333:user/alice")
	h.waitFor("Delete AKIAPRACTICEROOTKEY0?")
	h.press("n")
	h.waitFor("Delete AKIAPRACTICEROOTKEY1?")
	h.press("n")
	h.waitFor("Kept AKIAPRACTICEROOTKEY0, AKIAPRACTICEROOTKEY1")
	if keys, _ := acct.AccessKeys(t.Context(), ""); len(keys) != 2 {
		t.Errorf("n deleted a root key: %d left", len(keys))
	}
	h.press("enter")
	h.waitFor("enter finish") // the summary
	top := h.screen()
	h.press("pgdown")
	s := strings.Join(strings.Fields(top+h.screen()), " ")
	if !strings.Contains(s, "✗ Root user has no access keys") || !strings.Contains(s, "Root access keys: they cannot be limited") {
		t.Errorf("the summary forgets root's keys:\n%s", awstest.RedactSecrets(h.screen()))
	}
}

// Yes to both: the keys are gone, as the admin user reads the account;
// the summary (read as alice) shows root-access-keys passing; a rerun has
// nothing to do and says so.
func TestHandoffDeletesBothThenRerunHasNothingToDo(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "practice.json")
	h := wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Delete AKIAPRACTICEROOTKEY0?")
	h.press("y", "y")
	h.waitFor("The root user has no access keys any more. This session's root key no")
	h.press("enter")
	h.waitFor("enter finish") // the summary
	if s := h.screen(); !strings.Contains(s, "✓ Root user has no access keys") {
		t.Errorf("the summary after the handoff:\n%s", awstest.RedactSecrets(s))
	}
	if s := h.screen(); strings.Contains(s, "Root access keys:") {
		t.Errorf("the summary after the handoff:\n%s", awstest.RedactSecrets(s))
	}

	h = wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Stop using root")
	h.waitFor("The root user has no access keys.")
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
	walkTo(t, h, "enter finish") // the summary
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
		"aws iam delete-access-key --access-key-id AKIAPRACTICEROOTKEY0", "aws iam delete-access-key --access-key-id AKIAPRACTICEROOTKEY1",
		"Root MFA was turned on in the console", "aws budgets create-budget --account-id $A",
		"aws bcm-data-exports create-export --region us-east-1"} {
		if !strings.Contains(book, write) {
			t.Errorf("the runbook lacks %q", write)
		}
	}
	for name, value := range map[string]string{"MFA seed": seed, "secret access key": secret[1], "password": password[1]} {
		if strings.Contains(book, value) {
			t.Errorf("the runbook holds the %s", name)
		}
	}
	t.Logf("runbook:\n%s", book)
}
