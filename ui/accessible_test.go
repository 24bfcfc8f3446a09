package ui

import (
	"bytes"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// In accessible mode a form asks plain-line questions on the terminal the
// wizard lends it, re-asks a refused answer with the validation's words,
// and the wizard resumes with the answer once the form is done.
func TestAccessibleFormAsksPlainLines(t *testing.T) {
	c := &common{accessible: true, width: 80, height: 24}
	form, name := newGroupForm(c, "administrators")
	cmd := c.startForm(form)
	if cmd == nil {
		t.Fatal("accessible mode started no form")
	}
	var out bytes.Buffer
	run := &accessibleForm{form: form}
	run.SetStdin(strings.NewReader("bad group name!\nadmins\n"))
	run.SetStdout(&out)
	if err := run.Run(); err != nil {
		t.Fatal(err)
	}
	if name() != "admins" {
		t.Errorf("name = %q, want the second, valid answer", name())
	}
	if !strings.Contains(out.String(), "Group name") || !strings.Contains(out.String(), "group name may hold only") {
		t.Errorf("the prompt did not ask plainly or did not say why the first answer was refused:\n%s", out.String())
	}
	if _, state := c.updateForm(form, tea.KeyPressMsg{Code: tea.KeyEnter}); state == huh.StateCompleted {
		t.Error("a key press completed an accessible form")
	}
	other, _ := newGroupForm(c, "x")
	if _, state := c.updateForm(form, formAnsweredMsg{other}); state == huh.StateCompleted {
		t.Error("another form's answer completed this one")
	}
	if _, state := c.updateForm(form, formAnsweredMsg{form}); state != huh.StateCompleted {
		t.Errorf("state after the answer = %v, want completed", state)
	}
}
