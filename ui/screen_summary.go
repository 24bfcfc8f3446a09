package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/awssecure/awssecure/steps"
)

type summaryScreen struct {
	skipped []string // titles of the steps skipped on the way
	stage   stage
	spinner spinner.Model
}

func (s *summaryScreen) init(c *common) tea.Cmd {
	s.stage, s.spinner = detecting, newSpinner()
	return tea.Batch(s.spinner.Tick, readSnapshot(c))
}

func (s *summaryScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, spin(&s.spinner, msg, s.stage == detecting)
	case snapshotMsg:
		if msg.err == nil { // keep what the wizard knows if the re-read fails
			c.snapshot = msg.snapshot
		}
		s.stage = finished
	case tea.KeyPressMsg:
		if s.stage == finished && key.Matches(msg, c.keys.Next) {
			return s, func() tea.Msg { return quitMsg{} }
		}
	}
	return s, nil
}

func (s *summaryScreen) view(c *common) string {
	if s.stage == detecting {
		return c.frame(position{}, steps.SummaryInfo, s.spinner.View()+" Reading your account again…", "")
	}
	var b strings.Builder
	b.WriteString(c.checklist(steps.Checks(c.snapshot)))
	who := "your IAM user"
	if admins := c.snapshot.AdminUsers(); len(admins) > 0 {
		who = admins[0].Name
	}
	width := min(c.width, 100) - 2
	wrap := lipgloss.NewStyle().Width(width)
	b.WriteString("\n\nSign in as " + who + " at " + c.styles.Code.Render(c.snapshot.SignInURL()))
	if len(s.skipped) > 0 {
		// Wrapped, not cut: the user must read every step that is left.
		b.WriteString("\n" + c.styles.Warn.Width(width).Render("! Skipped: "+strings.Join(s.skipped, ", ")+". Run awssecure again to finish."))
	}
	b.WriteString("\n" + wrap.Render(c.styles.Title.Render("Next: ")+steps.NextStep))
	b.WriteString("\n" + c.styles.Title.Render("Only root can, in the console:"))
	for _, t := range steps.RootOnlyTasks {
		b.WriteString("\n" + wrap.Render("• "+t.What+": "+t.Why+" "+c.styles.Subtle.Render(t.URL)))
	}
	return c.frame(position{}, steps.SummaryInfo, b.String(), c.helpLine(key.NewBinding(key.WithHelp("enter", "finish")), c.keys.Teach))
}

func (s *summaryScreen) teach(c *common) (steps.Info, string) {
	return steps.SummaryInfo, "awssecure status"
}

func (s *summaryScreen) typing() bool { return false }
