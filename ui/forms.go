package ui

import (
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/awssecure/awssecure/steps"
)

// prepareForm sizes a form to the terminal and gives it the theme.
func (c *common) prepareForm(f *huh.Form) *huh.Form {
	return f.WithWidth(min(c.width, 100) - 2).WithShowHelp(true).WithTheme(huh.ThemeFunc(huh.ThemeBase))
}

// startForm shows a form. In accessible mode (--accessible) the wizard
// steps aside and huh asks each question as a plain line a screen reader
// can follow, then the wizard resumes with the answers. There, saying is
// printed first: the step's title and why, and why the last answer was
// refused, so the questions come after what they are about.
func (c *common) startForm(f *huh.Form, saying ...string) tea.Cmd {
	c.prepareForm(f)
	if !c.accessible {
		return f.Init()
	}
	return tea.Exec(&accessibleForm{form: f, saying: strings.Join(saying, "\n")}, func(error) tea.Msg { return formAnsweredMsg{f} })
}

// stepSaying is what accessible mode prints before a step's questions,
// wrapped at spaces to the terminal's width.
func (c *common) stepSaying(info steps.Info, problem string) []string {
	wrap := lipgloss.NewStyle().Width(max(c.width-1, 20))
	said := []string{"", info.Title, wrap.Render(info.Why)}
	if problem != "" {
		said = append(said, wrap.Render("Refused: "+problem))
	}
	return said
}

// withDefault makes Enter on an empty answer take def in accessible mode,
// where huh checks the empty answer before it applies the default (and the
// title says what Enter takes). Elsewhere the field already shows def.
func (c *common) withDefault(title, def string, validate func(string) error) (string, func(string) error) {
	if !c.accessible || def == "" {
		return title, validate
	}
	return title + " [Enter: " + def + "]", func(s string) error {
		if strings.TrimSpace(s) == "" {
			s = def
		}
		return validate(s)
	}
}

// toggleHint is how a checklist question says it is answered: with space
// in the wizard, with numbers in accessible mode (huh asks for them).
func (c *common) toggleHint() string {
	if c.accessible {
		return "numbers, one at a time; 0 when done"
	}
	return "space toggles"
}

// updateForm forwards msg to the form and reports its state afterwards.
func (c *common) updateForm(f *huh.Form, msg tea.Msg) (tea.Cmd, huh.FormState) {
	if c.accessible {
		// The form runs outside the wizard; only its answer comes back here.
		if m, ok := msg.(formAnsweredMsg); ok && m.form == f {
			return nil, huh.StateCompleted
		}
		return nil, f.State
	}
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

// formAnsweredMsg says an accessible form has all its answers.
type formAnsweredMsg struct{ form *huh.Form }

// accessibleForm runs a huh form in accessible mode on the terminal the
// wizard lends it (tea.Exec): one plain prompt per field, re-asked until
// its validation passes.
type accessibleForm struct {
	form   *huh.Form
	saying string // printed before the questions
	in     io.Reader
	out    io.Writer
}

func (a *accessibleForm) SetStdin(r io.Reader)  { a.in = r }
func (a *accessibleForm) SetStdout(w io.Writer) { a.out = w }
func (a *accessibleForm) SetStderr(io.Writer)   {}
func (a *accessibleForm) Run() error {
	if a.saying != "" {
		fmt.Fprintln(a.out, a.saying)
	}
	return a.form.WithAccessible(true).WithInput(a.in).WithOutput(a.out).Run()
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
