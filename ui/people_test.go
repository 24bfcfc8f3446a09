package ui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops/awstest"
)

// flat is a screen's words with the line breaks and padding gone, so a
// sentence wrapped across lines can be looked for whole.
func flat(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("│", " ", "┃", " ").Replace(s)), " ")
}

// waitForText waits until the screen says want, wherever its lines wrap.
func waitForText(h *harness, want string) {
	h.t.Helper()
	h.waitUntil(func() bool { return strings.Contains(flat(h.screen()), want) }, "screen never said "+want)
}

// After the handoff (both root keys deleted, so a write as root would be
// refused), two people are added — bob to developers, chosen in the form,
// and aaron to administrators, the default — each with the one-time
// password on the credentials screen, which moves on only once confirmed;
// then no. Each is in the account as asked, with a password to change at
// first sign-in and no access key; the summary lists them and still says
// to sign in as alice; the runbook has each with its commands and no
// password.
func TestAddTwoPeopleAfterTheHandoff(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "practice.json")
	acct := newPractice(t, state)
	ctx := t.Context()
	if err := acct.CreateGroup(ctx, "developers"); err != nil {
		t.Fatal(err)
	}
	if err := acct.AttachGroupPolicy(ctx, "developers", "arn:aws:iam::aws:policy/ReadOnlyAccess"); err != nil {
		t.Fatal(err)
	}
	h := wizard(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Delete AKIAPRACTICEROOTKEY0?")
	h.press("y", "y")
	h.waitFor("Read as alice, the root user has no access keys any more.")
	h.press("enter")
	h.waitFor("Add another person?")
	if s := flat(h.screen()); !strings.Contains(s, "No access key: someone who signs in to the console needs none") ||
		!strings.Contains(s, "IAM → Users → their name → Security credentials → Assign MFA device") {
		t.Errorf("the offer does not say what it makes and how MFA is set up:\n%s", h.screen())
	}

	for _, p := range []struct{ name, group string }{{"bob", "developers"}, {"aaron", "administrators"}} {
		h.press("y")
		h.waitFor("User name")
		h.typeText(p.name)
		h.press("enter")
		if p.group == "developers" {
			h.press("down")
		}
		h.press("enter")
		h.waitFor("Save " + p.name + "'s password")
		s := h.screen()
		for _, want := range []string{"User name          " + p.name, "https://acme-learning.signin.aws.amazon.com/console", "(" + p.name + " must change it at first sign-in)", "S I saved it or handed it over"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s's credentials screen lacks %q:\n%s", p.name, want, awstest.RedactSecrets(s))
			}
		}
		if strings.Contains(s, "Access key ID") {
			t.Errorf("%s got an access key:\n%s", p.name, awstest.RedactSecrets(s))
		}
		h.press("enter", "n") // neither moves on: the password is not confirmed saved
		h.waitFor("Save " + p.name + "'s password")
		h.press("S")
		waitForText(h, "This password cannot be shown again. Have you saved it or handed it over?")
		h.press("y")
		waitForText(h, "✓ "+p.name+" added to group "+p.group+", with a password to change when they first sign in.")
		h.waitFor("Add one more person?")
	}
	if s := flat(h.screen()); !strings.Contains(s, "Group developers has no AWS policy that lets its members set up their own MFA device") ||
		strings.Contains(s, "Group administrators has no AWS policy") {
		t.Errorf("the MFA warning is not for developers alone:\n%s", h.screen())
	}
	h.press("n")
	h.waitFor("enter finish")
	s := flat(h.screen())
	for _, want := range []string{"Sign in as alice at", "People added: bob (developers), aaron (administrators)."} {
		if !strings.Contains(s, want) {
			t.Errorf("the summary lacks %q:\n%s", want, h.screen())
		}
	}

	// What stays in the terminal after exit names them too.
	var farewell strings.Builder
	if err := h.model.(Model).Farewell(&farewell, false); err != nil || !strings.Contains(flat(farewell.String()), "People added: bob (developers), aaron (administrators).") {
		t.Errorf("after exit the terminal would not list the people (%v):\n%s", err, farewell.String())
	}

	h.press("r")
	h.waitFor("Runbook written")
	paths, _ := filepath.Glob(filepath.Join(dir, "awssecure-runbook-*.md"))
	if len(paths) != 1 {
		t.Fatalf("runbooks: %v", paths)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	runbook := string(data)
	for _, want := range []string{
		" Add another person\n\nCreated user bob in group developers, with a console password to change at first sign-in.",
		"aws iam create-user --user-name bob\naws iam add-user-to-group --user-name bob --group-name developers\naws iam create-login-profile --user-name bob --password '…' --password-reset-required",
		" Add another person\n\nCreated user aaron in group administrators",
		"aws iam create-login-profile --user-name aaron --password '…' --password-reset-required",
	} {
		if !strings.Contains(runbook, want) {
			t.Errorf("the runbook lacks %q:\n%s", want, runbook)
		}
	}

	// The account, read afresh.
	acct = newPractice(t, state)
	for _, p := range []struct{ name, group string }{{"bob", "developers"}, {"aaron", "administrators"}} {
		groups, err1 := acct.UserGroups(ctx, p.name)
		profile, ok, err2 := acct.LoginProfile(ctx, p.name)
		keys, err3 := acct.AccessKeys(ctx, p.name)
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(groups, []string{p.group}) || !ok || !profile.ResetRequired || len(keys) != 0 {
			t.Errorf("%s: groups %v, password %v (reset %v), keys %v; want [%s], a password to change, no key", p.name, groups, ok, profile.ResetRequired, keys, p.group)
		}
	}
}

// A name IAM would refuse is refused in the form; a name already taken
// (the admin user's) is named with what it has, and changes nothing
// without a yes: n asks for another name. A user an interrupted run made
// without a password gets one, and the group, after the yes; the practice
// account then pretends she signed in and set up MFA (t), and the summary
// no longer names her among the console users without MFA.
func TestAddPersonAsksBeforeTouchingAUserThatExists(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "practice.json")
	h := wizard(t, newPractice(t, state), dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Delete AKIAPRACTICEROOTKEY0?")
	h.press("y", "y")
	h.waitFor("Read as alice, the root user has no access keys any more.")
	h.press("enter")
	h.waitFor("Add another person?")
	// Root's keys are gone: the account is read (and dora made, as by a
	// run stopped before her password) as root on temporary credentials.
	acct := newPractice(t, state)
	if _, err := acct.CreateUser(t.Context(), "dora"); err != nil {
		t.Fatal(err)
	}
	h.press("y")
	h.waitFor("User name")
	h.typeText("bob smith")
	h.press("enter")
	h.waitFor("user name may hold only")
	h.press("ctrl+u")
	h.typeText("alice")
	h.press("enter", "enter")
	waitForText(h, "A user named alice already exists, in group administrators, with a console password nobody has signed in with yet.")
	waitForText(h, "Give alice a new one-time password? The password it has now stops working at once.")
	h.press("?") // the commands are those of what a yes would do
	if s := h.screen(); !strings.Contains(s, "aws iam update-login-profile --user-name alice") || strings.Contains(s, "create-user") || strings.Contains(s, "add-user-to-group") {
		t.Errorf("the teaching panel does not show a new password for alice alone:\n%s", s)
	}
	h.press("?", "n")
	waitForText(h, "alice already exists: type another name")
	if profile, _, err := acct.LoginProfile(t.Context(), "alice"); err != nil || !profile.ResetRequired {
		t.Errorf("alice's password changed (%v)", err)
	}
	h.press("ctrl+u")
	h.typeText("dora")
	h.press("enter", "enter")
	waitForText(h, "A user named dora already exists, with no console password.")
	waitForText(h, "Give dora a console password and add it to group administrators?")
	h.press("y")
	h.waitFor("Save dora's password")
	h.press("S", "y")
	h.waitFor("✓ dora added to group administrators")
	// The practice account pretends dora signed in and set up MFA, so a
	// learner sees every check pass.
	h.press("t")
	waitForText(h, "✓ dora added to group administrators; signed in and set up MFA (pretend).")
	h.press("n")
	h.waitFor("enter finish")
	// walkTo skipped alice's MFA: she alone is without it. The checklist
	// starts on the summary's first page and goes on below it.
	h.press("pgdown")
	waitForText(h, "✗ Console users have MFA without MFA: alice ")
	if groups, err := acct.UserGroups(t.Context(), "dora"); err != nil || !slices.Equal(groups, []string{"administrators"}) {
		t.Errorf("dora's groups = %v (%v)", groups, err)
	}
	if _, ok, err := acct.LoginProfile(t.Context(), "dora"); !ok || err != nil {
		t.Errorf("dora has no password (%v)", err)
	}
}

// Without the handoff (skipped, root keys kept) the people are added
// with the account the wizard has.
func TestAddPersonWithoutTheHandoff(t *testing.T) {
	dir := t.TempDir()
	acct := newPractice(t, filepath.Join(dir, "practice.json"))
	h := wizard(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Delete AKIAPRACTICEROOTKEY0?")
	h.press("s", "y")
	h.waitFor("Add another person?")
	h.press("y")
	h.waitFor("User name")
	h.typeText("erin")
	h.press("enter", "enter")
	h.waitFor("Save erin's password")
	h.press("S", "y")
	h.waitFor("✓ erin added to group administrators")
	if _, ok, err := acct.LoginProfile(t.Context(), "erin"); !ok || err != nil {
		t.Errorf("erin has no password (%v)", err)
	}
	if keys, _ := acct.AccessKeys(t.Context(), ""); len(keys) != 2 {
		t.Errorf("root's keys: %v, want both kept", keys)
	}
}
