package ui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// panicky is a model that panics where it is told to: in Init, or once
// its first frame is drawn in Update, in View, or in a command (alone, in
// a batch, in a sequence).
type panicky struct {
	where   string
	viewing bool
}

type goMsg struct{}

const secretPanic = "AKIAFAKEPRACTICEKEY1 wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

func (m panicky) Init() tea.Cmd {
	if m.where == "init" {
		var users map[string]int
		users["bob"] = 1
	}
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return goMsg{} })
}

func (m panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(goMsg); !ok {
		return m, nil
	}
	fine := func() tea.Msg { return nil }
	nilMap := func() tea.Msg {
		var users map[string]int
		users["bob"] = 1
		return nil
	}
	switch m.where {
	case "update":
		steps := []string{"root"}
		i := len(steps) + 2
		_ = steps[i]
	case "update with a secret":
		panic(errors.New(secretPanic))
	case "view":
		m.viewing = true
	case "command":
		return m, nilMap
	case "batch":
		return m, tea.Batch(fine, nilMap)
	case "sequence":
		return m, tea.Sequence(fine, tea.Batch(fine, nilMap))
	case "nowhere":
		return m, tea.Quit
	}
	return m, nil
}

func (m panicky) View() tea.View {
	v := tea.NewView("the wizard")
	v.AltScreen = true
	if m.viewing {
		var width *int
		_ = *width
	}
	return v
}

// A panic anywhere in the wizard stops it as a quit does — the alternate
// screen left, the cursor shown — and Run returns a *BugError whose one
// sentence names the runtime fault and never another panic value.
func TestRunStopsCleanlyAtAPanic(t *testing.T) {
	for _, tc := range []struct{ where, want string }{
		{"init", "awssecure hit a bug and stopped: assignment to entry in nil map; your account is as it was after the last completed step"},
		{"update", "awssecure hit a bug and stopped: index out of range [3] with length 1; your account is as it was after the last completed step"},
		{"view", "awssecure hit a bug and stopped: invalid memory address or nil pointer dereference; your account is as it was after the last completed step"},
		{"command", "awssecure hit a bug and stopped: assignment to entry in nil map; your account is as it was after the last completed step"},
		{"batch", "awssecure hit a bug and stopped: assignment to entry in nil map; your account is as it was after the last completed step"},
		{"sequence", "awssecure hit a bug and stopped: assignment to entry in nil map; your account is as it was after the last completed step"},
		{"update with a secret", "awssecure hit a bug and stopped; your account is as it was after the last completed step"},
	} {
		t.Run(tc.where, func(t *testing.T) {
			out, err := runPanicky(t, tc.where)
			var bug *BugError
			if !errors.As(err, &bug) || err.Error() != tc.want {
				t.Fatalf("Run = %v, want a *BugError %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "AKIA") {
				t.Error("the bug's sentence holds the panic's value")
			}
			restored(t, tc.where, out)
		})
	}
}

func TestRunWithoutAPanic(t *testing.T) {
	out, err := runPanicky(t, "nowhere")
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	restored(t, "nowhere", out)
}

// runPanicky runs a panicky model as the wizard runs, with no terminal:
// what the program writes is returned.
func runPanicky(t *testing.T, where string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var out bytes.Buffer
	err := Run(panicky{where: where}, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(&out),
		tea.WithWindowSize(80, 24), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	if ctx.Err() != nil {
		t.Fatalf("the program did not stop by itself: %v", err)
	}
	return out.String(), err
}

// restored checks that the program, if it entered the alternate screen
// or hid the cursor, left it and showed the cursor again; and that it did
// enter it, unless the panic came before the first frame (in Init).
func restored(t *testing.T, where, out string) {
	t.Helper()
	enter := strings.LastIndex(out, ansi.SetModeAltScreenSaveCursor)
	leave := strings.LastIndex(out, ansi.ResetModeAltScreenSaveCursor)
	hide := strings.LastIndex(out, ansi.HideCursor)
	show := strings.LastIndex(out, ansi.ShowCursor)
	if enter < 0 && where != "init" || leave < enter || show < hide {
		t.Errorf("the terminal is not restored (alt screen on at %d, off at %d; cursor hidden at %d, shown at %d): %q", enter, leave, hide, show, out)
	}
}
