package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// A screen that asks twice to move on before the wizard has moved —
// here the regions form, completed by Enter, then given another message
// before the wizard handled the first ask — moves the wizard one screen,
// not two: CloudTrail is not skipped unseen.
func TestACompletedFormMovesOnOnce(t *testing.T) {
	h := wizard(t, newPractice(t, ""), t.TempDir())
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Opt-in regions to enable")
	h.update(keyMsg("enter"))
	h.update(tea.WindowSizeMsg{Width: 80, Height: 24}) // reaches the completed form first
	h.drain()
	h.waitFor("Step ")
	if s := h.screen(); !strings.Contains(s, "Turn on CloudTrail") {
		t.Fatalf("the wizard did not stop at CloudTrail:\n%s", s)
	}
}

// Enter pressed twice in quick succession on a done screen, both keys
// read before the wizard moved on, opens the next screen and leaves it
// there: the second Enter does not skip it.
func TestADoubleEnterMovesOnOnce(t *testing.T) {
	h := wizard(t, newPractice(t, ""), t.TempDir())
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Alias set")
	h.update(keyMsg("enter"))
	h.update(keyMsg("enter"))
	h.drain()
	if s := h.screen(); !strings.Contains(s, "Opt-in regions to enable") {
		t.Fatalf("the wizard did not stop at the regions step:\n%s", s)
	}
}
