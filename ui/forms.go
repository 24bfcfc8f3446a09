package ui

import (
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// prepareForm sizes a form to the terminal and gives it the theme.
func (c *common) prepareForm(f *huh.Form) *huh.Form {
	return f.WithWidth(min(c.width, 100) - 2).WithShowHelp(true).WithTheme(huh.ThemeFunc(huh.ThemeBase))
}

// startForm shows a form. In accessible mode (--accessible) the same form
// is asked a field at a time as plain lines (see plain_form.go), and the
// answers typed reach it as the keys a person would have pressed.
func (c *common) startForm(f *huh.Form) tea.Cmd {
	c.prepareForm(f)
	if c.plain != nil {
		c.plain.open(f)
	}
	return f.Init()
}

// toggleHint is how a checklist question says it is answered: with space
// in the wizard, with numbers in accessible mode.
func (c *common) toggleHint() string {
	if c.accessible {
		return "choose by number"
	}
	return "space toggles"
}

// updateForm forwards msg to the form and reports its state afterwards.
func (c *common) updateForm(f *huh.Form, msg tea.Msg) (tea.Cmd, huh.FormState) {
	_, cmd := f.Update(msg) // a Form updates itself in place
	// huh moves to the next field or page by a command, which Bubble Tea
	// delivers after the keys already read with the Enter: a name typed
	// right after it (a paste, a quick typist, a script) landed in the
	// field just left. Its moves are plain messages; they are made at once.
	for isFormMove(cmd) {
		_, cmd = f.Update(cmd())
	}
	return cmd, f.State
}

// formMoves are huh's commands that move between fields and pages. Two are
// unexported, so they are known by name; if huh renames them, moves are
// merely delivered later again (TestKeysTypedAfterEnterLandInTheNextField
// says so).
var formMoves = map[string]bool{
	"charm.land/huh/v2.NextField": true,
	"charm.land/huh/v2.PrevField": true,
	"charm.land/huh/v2.nextGroup": true,
	"charm.land/huh/v2.prevGroup": true,
}

func isFormMove(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	fn := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer())
	return fn != nil && formMoves[fn.Name()]
}

// intBetween validates a whole number typed into a form: digits only
// ("+14" and "1e2" are not what a person means by a length).
func intBetween(lo, hi int) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		n, err := strconv.Atoi(s)
		if err != nil || strings.Trim(s, "0123456789") != "" || n < lo || n > hi {
			return fmt.Errorf("enter a whole number from %d to %d", lo, hi)
		}
		return nil
	}
}

// trimmed validates what a person typed without the spaces around it,
// which no name or alias holds and nobody means to type.
func trimmed(validate func(string) error) func(string) error {
	return func(s string) error { return validate(strings.TrimSpace(s)) }
}
