package ui

import (
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// sizedWizard is the wizard on a fresh practice account at width×height.
func sizedWizard(t *testing.T, width, height int) *harness {
	t.Helper()
	dir := t.TempDir()
	m := New(t.Context(), Options{Account: newPractice(t, filepath.Join(dir, "practice.json")), Practice: true, Region: "eu-west-1",
		Files: FileOptions{Dir: dir, CredentialsFile: filepath.Join(dir, "credentials"), ConfigFile: filepath.Join(dir, "config")}})
	return newHarness(t, m, width, height)
}

// No checklist row is cut: its whole advice is on screen, at 80×24 and
// at 120×40 (a checklist taller than the terminal scrolls with pgdn, a
// whole line at a time), and nothing is taller than the terminal.
func TestChecklistAdviceIsNeverCut(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		h := sizedWizard(t, size.w, size.h)
		h.waitFor("Account 111122223333")
		s := h.screen()
		tallest := strings.Count(s, "\n") + 1
		for range 5 {
			h.press("pgdown")
			page := h.screen()
			tallest = max(tallest, strings.Count(page, "\n")+1)
			s += "\n" + page
		}
		if strings.Contains(s, "…") {
			t.Errorf("%d×%d: a row is cut:\n%s", size.w, size.h, s)
		}
		squashed := strings.Join(strings.Fields(s), " ")
		for _, c := range steps.Checks(h.model.(Model).c.snapshot) {
			if !strings.Contains(squashed, strings.Join(strings.Fields(c.Detail), " ")) {
				t.Errorf("%d×%d: the advice of %s is not all on screen: %q", size.w, size.h, c.ID, c.Detail)
			}
		}
		if lines := tallest; lines > size.h {
			t.Errorf("%d×%d: the screen is %d lines tall", size.w, size.h, lines)
		}
	}
}

// In a small terminal the keys and a form's error stay on screen: the
// body scrolls instead, and pgup shows what is above.
func TestSmallTerminalKeepsKeysAndErrors(t *testing.T) {
	h := sizedWizard(t, 60, 16)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Create your admin IAM user")
	h.typeText("bad name")
	h.press("enter")
	h.waitFor("may hold only")
	s := h.screen()
	if !strings.Contains(s, "ctrl+c quit") || !strings.Contains(s, "pgup/pgdn scroll") {
		t.Errorf("at 60×16 the error, the keys or the scroll hint are off screen:\n%s", awstest.RedactSecrets(s))
	}
	if lines := strings.Count(s, "\n") + 1; lines > 16 {
		t.Errorf("the screen is %d lines tall at 60×16", lines)
	}
	h.press("pgdown")
	down := h.screen()
	h.press("pgup")
	if up := h.screen(); !strings.Contains(up, "lines 1–") || up == down {
		t.Errorf("pgup did not show the top of the body:\n%s", awstest.RedactSecrets(up))
	}
	golden(t, h, "user-form-60x16")
}

// Below the smallest size, one sentence says how big to make it, instead
// of a screen whose keys cannot be seen.
func TestTinyTerminalSaysHowBig(t *testing.T) {
	h := sizedWizard(t, 20, 10)
	h.waitFor("Make the terminal")
	golden(t, h, "too-small-20x10")
	h.update(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.waitFor("Account 111122223333")
}
