package ui

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/steps"
)

// trimLines is s without the spaces that pad its lines.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// After r on a summary scrolled to its end, the runbook's confirmation
// and path are on screen, beside the keys, not above the visible lines.
func TestRunbookConfirmationWhereTheEyeIs(t *testing.T) {
	dir := t.TempDir()
	m := New(t.Context(), Options{Account: newPractice(t, filepath.Join(dir, "practice.json")), Practice: true, Region: "eu-west-1",
		Files: FileOptions{Dir: dir, CredentialsFile: filepath.Join(dir, "credentials"), ConfigFile: filepath.Join(dir, "config")}})
	h := newHarness(t, m, 60, 16)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Add another person?")
	h.press("n")
	h.waitFor("enter finish")
	scrollToEnd(h)
	if !strings.Contains(h.screen(), "pgup/pgdn scroll") {
		t.Fatalf("the summary should scroll at 60×16:\n%s", h.screen())
	}
	h.press("r")
	h.waitFor("Runbook written")
	files, _ := filepath.Glob(filepath.Join(dir, "awssecure-runbook-*.md"))
	unwrapped := strings.Join(strings.Fields(h.screen()), "") // a path longer than a line is wrapped
	if len(files) != 1 || !strings.Contains(unwrapped, files[0]) || !strings.Contains(h.screen(), "✓ Runbook written") {
		t.Errorf("the runbook's path %v is not on screen:\n%s", files, h.screen())
	}
	fitsTerminal(t, h, 60, 16, "the summary after r")
}

// After exit the terminal keeps what matters: of what only root can do,
// only what no API ever does (why root's credentials are kept), the
// runbook's path, and the command that finishes what was skipped
// (--practice on the practice account).
func TestFarewellSaysWhatIsLeftAndWhere(t *testing.T) {
	dir := t.TempDir()
	h := goldenWizard(t, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Step 1 of")
	h.press("s", "y") // root MFA skipped
	walkTo(t, h, "Is it on?")
	h.press("y") // billing access on: nothing only root can do is left
	walkTo(t, h, "Add another person?")
	h.press("n")
	h.waitFor("enter finish")
	if s := trimLines(h.screen()); !strings.Contains(s, "run:\n  awssecure --practice\n") {
		t.Errorf("the summary does not say how to finish on the practice account:\n%s", s)
	}
	h.press("r")
	h.waitFor("Runbook written")
	files, _ := filepath.Glob(filepath.Join(dir, "awssecure-runbook-*.md"))
	if len(files) != 1 {
		t.Fatalf("runbooks: %v", files)
	}
	var b strings.Builder
	if err := h.model.(Model).Farewell(&b, false); err != nil {
		t.Fatal(err)
	}
	out := trimLines(b.String())
	// What no API does is listed still (the support plan, closing the
	// account…: why root's credentials are kept), and nothing done.
	if strings.Contains(out, "IAM access to Billing") || strings.Contains(out, "Root access keys") ||
		!strings.Contains(out, "Only root can, in the console:\n• Support plan") {
		t.Errorf("with billing access on and root's keys gone, the farewell lists more than what only root can ever do:\n%s", out)
	}
	for _, want := range []string{"Skipped: Secure the root user", "run:\n  awssecure --practice\n",
		"Runbook of this session (no secret in it):\n  " + files[0] + "\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("the farewell lacks %q:\n%s", want, out)
		}
	}
}

// Words that hold together: step 1 names the step that deletes root's
// keys (its number from the registry), the practice account's quit box
// names `awssecure --practice` (on a line of its own, never broken at
// its hyphens), and credentials an
// earlier run made are "not confirmed as saved", not "never shown".
func TestWordsMatchWhatTheToolDoes(t *testing.T) {
	dir := t.TempDir()
	h := goldenWizard(t, dir)
	h.waitFor("Account 111122223333")
	h.press("enter")
	h.waitFor("Waiting for AWS")
	squashed := func() string { return strings.Join(strings.Fields(h.screen()), " ") }
	want := fmt.Sprintf("step %d (%s) deletes them", stepNumber(steps.Handoff.ID), steps.Handoff.Title)
	if stepNumber(steps.Handoff.ID) != len(steps.Steps) || !strings.Contains(squashed(), want) {
		t.Errorf("step 1 should say %q:\n%s", want, h.screen())
	}
	if strings.Contains(squashed(), "summary shows how") {
		t.Errorf("step 1 still sends the user to the summary:\n%s", h.screen())
	}
	h.press("ctrl+c")
	h.waitFor("Quit awssecure?")
	if !regexp.MustCompile(`run:\s+│\n│ +awssecure --practice `).MatchString(h.screen()) {
		t.Errorf("the practice quit box does not say awssecure --practice, whole:\n%s", h.screen())
	}

	c := &common{lost: steps.UnshownRecord{User: "alice"}}
	if s := c.lostSentence(); strings.Contains(s, "never shown") || !strings.Contains(s, "no run confirmed they were saved") {
		t.Errorf("lost credentials: %q", s)
	}
}

// Step 8's result says what it left undone, apart from what it did: a
// budget or report skipped, IAM access to billing not on yet.
func TestBillingResultSaysWhatWasLeft(t *testing.T) {
	h := sizedWizard(t, 80, 24)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "A monthly cost budget that e-mails you?")
	h.press("n")
	h.waitFor("A daily billing report")
	h.press("n")
	h.waitFor("Is it on?")
	h.press("enter")
	h.waitFor("enter continue")
	s := strings.Join(strings.Fields(h.screen()), " ")
	for _, want := range []string{"! Budget skipped", "! Billing report skipped.", "! IAM access to billing is not on yet"} {
		if !strings.Contains(s, want) {
			t.Errorf("the billing result lacks %q:\n%s", want, h.screen())
		}
	}
	if strings.Contains(s, "✓") {
		t.Errorf("nothing was done, yet the result has a ✓:\n%s", h.screen())
	}
}
