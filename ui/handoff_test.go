package ui

import (
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
	walkTo(t, h, "Opt-in regions to enable")
	h.press("enter")
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
	h.waitFor("Sign in as alice")
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
	h.waitFor("Sign in as alice")
	if s := h.screen(); !strings.Contains(s, "✓ Root user has no access keys") || strings.Contains(s, "Root access keys:") {
		t.Errorf("the summary after the handoff:\n%s", awstest.RedactSecrets(s))
	}

	h = wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Stop using root")
	h.waitFor("The root user has no access keys.")
}
