package ui

import (
	"fmt"
	"strconv"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// prepareForm sizes a form to the terminal and gives it the theme.
func (c *common) prepareForm(f *huh.Form) *huh.Form {
	return f.WithWidth(min(c.width, 100) - 2).WithShowHelp(true).WithTheme(huh.ThemeFunc(huh.ThemeBase))
}

// updateForm forwards msg to the form and reports its state afterwards.
func updateForm(f *huh.Form, msg tea.Msg) (tea.Cmd, huh.FormState) {
	_, cmd := f.Update(msg) // a Form updates itself in place
	return cmd, f.State
}

// intBetween validates a whole number typed into a form.
func intBetween(lo, hi int) func(string) error {
	return func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("enter a whole number from %d to %d", lo, hi)
		}
		return nil
	}
}
