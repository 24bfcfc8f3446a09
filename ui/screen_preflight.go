package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/steps"
)

type preflightScreen struct {
	stage   stage
	spinner spinner.Model
	err     error
}

type snapshotMsg struct {
	snapshot steps.Snapshot
	err      error
}

func (s *preflightScreen) init(c *common) tea.Cmd {
	s.stage, s.spinner = detecting, newSpinner()
	if c.acct == nil {
		s.stage, s.err = failed, c.accountErr
		return nil
	}
	return tea.Batch(s.spinner.Tick, readSnapshot(c, c.acct))
}

// readSnapshot reads the whole account through acct, for preflight and
// the summary.
func readSnapshot(c *common, acct steps.Account) tea.Cmd {
	return c.call(func(ctx context.Context) tea.Msg {
		snap, err := steps.ReadSnapshot(ctx, acct)
		return snapshotMsg{snap, err}
	})
}

func (s *preflightScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, c.spin(&s.spinner, msg, s.stage == detecting)
	case snapshotMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.stage = finished
		c.snapshot = msg.snapshot
		c.lost = steps.UnshownRecord{}
		for _, r := range c.unshown.Pending(msg.snapshot.Caller.AccountID) {
			if msg.snapshot.IsAdminUser(r.User) {
				c.lost = r
			}
		}
	case tea.KeyPressMsg:
		switch {
		case s.stage == finished && key.Matches(msg, c.keys.Next):
			return s, nextWith(handoff{})
		case s.stage == failed && c.acct != nil && key.Matches(msg, c.keys.Retry):
			return s, s.init(c)
		case s.stage == failed && c.openPractice != nil && key.Matches(msg, c.keys.Practice):
			acct, files, err := c.openPractice()
			if err != nil {
				s.err = err
				return s, nil
			}
			// Nothing is in flight on this screen, so no command still reads c.acct.
			c.acct, c.files, c.practice, c.openPractice = acct, files, true, nil
			return s, s.init(c)
		}
	}
	return s, nil
}

func (s *preflightScreen) view(c *common) string {
	switch s.stage {
	case detecting:
		return c.frame(position{}, steps.PreflightInfo, s.spinner.View()+" Reading your account…", "")
	case failed:
		return c.frame(position{}, steps.PreflightInfo, s.trouble(c), "")
	}
	caller := c.snapshot.Caller
	who := "IAM identity " + caller.ARN
	if caller.IsRoot() {
		who = c.styles.Warn.Render("the root user") + ". The wizard helps you stop using it."
		if caller.Temporary {
			who = c.styles.Warn.Render("the root user") + ", on temporary credentials (CloudShell or a console sign-in). The wizard helps you stop using it."
		}
		if note := rootRerunNote(c); note != "" && c.snapshot.SummaryErr == nil && !c.snapshot.RootHasAccessKeys() {
			who = c.styles.Warn.Render("the root user") + ", whose access keys are gone. " + note
		}
	}
	body := "Account " + c.styles.Key.Render(caller.AccountID) + ", signed in as " + who
	if c.lost.User != "" { // first: a checklist may be taller than the terminal
		body += "\n\n" + c.styles.Warn.Render("! "+c.lostSentence()) + " The user step makes new ones."
	}
	body += "\n\n" + c.checklist(steps.Checks(c.snapshot))
	return c.frame(position{}, steps.PreflightInfo, body, c.helpLine(c.keys.Next, c.keys.Teach, c.keys.Quit))
}

// trouble explains why the account cannot be read — most often the
// credentials — and what the user can do: fix and retry, or practise.
func (s *preflightScreen) trouble(c *common) string {
	e := steps.Explain(s.err)
	var keys []key.Binding
	if c.acct != nil {
		keys = append(keys, c.keys.Retry)
	}
	if c.openPractice != nil {
		keys = append(keys, c.keys.Practice)
	}
	keys = append(keys, c.keys.Quit)
	return c.styles.Error.Width(min(c.width, 100) - 4).Render(
		c.styles.Fail.Render("✗ "+e.What) + "\n" + e.Fix + "\n\n" + c.helpLine(keys...))
}

func (s *preflightScreen) teach(c *common) (steps.Info, string) {
	return steps.PreflightInfo, steps.ReadCLI
}

func (s *preflightScreen) typing() bool { return false }
