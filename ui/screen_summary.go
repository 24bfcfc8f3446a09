package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/steps"
)

var summaryInfo = steps.Info{
	Title:       "Summary",
	Why:         "Here is where your account stands now, read fresh from AWS.",
	ConsolePath: "IAM → Dashboard",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/home",
}

type summaryScreen struct {
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
			c.alias = msg.snapshot.Alias
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
		return c.frame(0, summaryInfo, s.spinner.View()+" Reading your account again…", "")
	}
	var b strings.Builder
	b.WriteString(c.checklist(steps.Checks(c.snapshot)))
	who := "your IAM user"
	if c.userName != "" {
		who = c.userName
	}
	b.WriteString("\n\nSign in as " + who + " at:\n" + c.styles.Code.Render(steps.SignInURL(c.snapshot.Caller.AccountID, c.alias)))
	if len(c.skipped) > 0 {
		// Wrapped, not cut: the user must read every step that is left.
		b.WriteString("\n" + c.styles.Warn.Width(min(c.width, 100)).Render("! Skipped: "+strings.Join(c.skipped, ", ")+". Run awssecure again to finish."))
	}
	b.WriteString("\n" + c.styles.Title.Render("Next: ") + steps.NextSteps[0])
	b.WriteString("\n" + c.styles.Title.Render("Only root can, in the console:"))
	for _, t := range steps.RootOnlyTasks {
		b.WriteString("\n• " + t.What + " " + c.styles.Subtle.Render(t.URL))
	}
	return strings.Join([]string{c.styles.Title.Render(summaryInfo.Title), "", b.String(), "", c.helpLine(key.NewBinding(key.WithHelp("enter", "finish")))}, "\n")
}

func (s *summaryScreen) teach(c *common) (steps.Info, string) {
	return summaryInfo, "awssecure status"
}

func (s *summaryScreen) typing() bool { return false }
