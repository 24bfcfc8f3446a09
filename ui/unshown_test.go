package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// wizardRemembering is the wizard on acct with the across-runs note of
// credentials never shown kept in dir.
func wizardRemembering(t *testing.T, acct steps.Account, dir string) *harness {
	t.Helper()
	m := New(t.Context(), Options{Account: acct, Practice: true, Region: "eu-west-1",
		Files:   FileOptions{Dir: dir, CredentialsFile: filepath.Join(dir, "credentials"), ConfigFile: filepath.Join(dir, "config")},
		Unshown: steps.UnshownCredentials{Path: filepath.Join(dir, "unshown.json")}})
	return newHarness(t, m, 80, 24)
}

// Quitting on the MFA screen, after the user step made a password and an
// access key, says they have not been shown; the rerun knows it, says so
// at preflight, and its user step makes new ones on enter and shows them.
func TestWizardQuitBeforeCredentialsShownLeadsToNewOnes(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "practice.json")
	acct := newPractice(t, state)
	h := wizardRemembering(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "MFA for alice")
	h.press("ctrl+c")
	h.waitFor("have not been shown yet")
	h.waitFor("new ones.")
	h.press("y")
	h.waitQuit()
	old, _ := acct.AccessKeys(t.Context(), "alice")
	if len(old) != 1 {
		t.Fatalf("alice has %d keys after the first run, want 1", len(old))
	}

	acct = newPractice(t, state)
	h = wizardRemembering(t, acct, dir)
	h.waitFor("Account 111122223333")
	h.waitFor("A password and access key for alice")
	h.press("enter")
	walkTo(t, h, "Make new ones now")
	if s := h.screen(); !strings.Contains(s, "enter make new ones") {
		t.Errorf("the user step does not offer new credentials on enter:\n%s", awstest.RedactSecrets(s))
	}
	h.press("enter")
	h.waitFor("MFA for alice")
	enterMFACodes(h)
	h.waitFor("MFA is on for alice")
	h.press("enter")
	h.waitFor("Save your new user's credentials")
	keys, _ := acct.AccessKeys(t.Context(), "alice")
	if len(keys) != 1 || keys[0].ID == old[0].ID || !strings.Contains(h.screen(), keys[0].ID) {
		t.Errorf("keys %+v (old %s): the credentials screen should show a new key that replaced the unseen one", keys, old[0].ID)
	}
	h.press("S", "y")
	h.waitFor("Account alias")

	// Seen and confirmed: a third run has nothing to renew.
	h = wizardRemembering(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	if strings.Contains(h.screen(), "A password and access key for") {
		t.Errorf("confirmed credentials are still reported as never shown:\n%s", awstest.RedactSecrets(h.screen()))
	}
}

// SIGTERM or SIGHUP (main sends TerminateMsg) on the MFA screen quits
// without asking and deletes the device that was never enabled.
func TestTerminateDeletesUnfinishedMFADevice(t *testing.T) {
	dir := t.TempDir()
	acct := newPractice(t, filepath.Join(dir, "practice.json"))
	h := wizardRemembering(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "MFA for alice")
	if devices, _ := acct.VirtualMFADevices(t.Context()); len(devices) != 1 {
		t.Fatalf("%d MFA devices on the MFA screen, want the one being enrolled", len(devices))
	}
	h.update(TerminateMsg{})
	h.waitQuit()
	if devices, _ := acct.VirtualMFADevices(t.Context()); len(devices) != 0 {
		t.Errorf("terminated on the MFA screen, %d unenabled devices remain", len(devices))
	}
}
