package ui

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// prepareForm sizes a form to the terminal and gives it the theme.
func (c *common) prepareForm(f *huh.Form) *huh.Form {
	return f.WithWidth(min(c.width, 100) - 2).WithShowHelp(true).WithTheme(huh.ThemeFunc(huh.ThemeBase))
}

// startForm shows a form. In accessible mode (--accessible) the wizard
// steps aside and huh asks each question as a plain line a screen reader
// can follow, then the wizard resumes with the answers.
func (c *common) startForm(f *huh.Form) tea.Cmd {
	c.prepareForm(f)
	if !c.accessible {
		return f.Init()
	}
	return tea.Exec(&accessibleForm{form: f}, func(error) tea.Msg { return formAnsweredMsg{f} })
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
	return cmd, f.State
}

// formAnsweredMsg says an accessible form has all its answers.
type formAnsweredMsg struct{ form *huh.Form }

// accessibleForm runs a huh form in accessible mode on the terminal the
// wizard lends it (tea.Exec): one plain prompt per field, re-asked until
// its validation passes.
type accessibleForm struct {
	form *huh.Form
	in   io.Reader
	out  io.Writer
}

func (a *accessibleForm) SetStdin(r io.Reader)  { a.in = r }
func (a *accessibleForm) SetStdout(w io.Writer) { a.out = w }
func (a *accessibleForm) SetStderr(io.Writer)   {}
func (a *accessibleForm) Run() error {
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
