package ui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/steps"
)

// rootPollInterval is how often the root screen asks AWS whether MFA is on.
const rootPollInterval = 3 * time.Second

// simulatedConsoleDelay is how long the practice account takes to "notice"
// root MFA turned on, so the learner sees the wizard detect it.
const simulatedConsoleDelay = 2 * time.Second

type rootScreen struct {
	at      handoff
	stage   stage
	spinner spinner.Model
	err     error
	polls   int // how many reads so far; a poll result from an older screen is ignored
	// pretending: the practice account is "turning root MFA on in the
	// console" (t); said at once, and the next read comes when it is on.
	pretending bool
}

// pretendedMsg says the practice account took the pretend console step.
type pretendedMsg struct{ err error }

type rootPollMsg struct{ poll int }

type rootMFAMsg struct {
	poll   int
	on     bool
	change steps.Change
	err    error
}

func (s *rootScreen) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	if c.snapshot.SummaryErr == nil && c.snapshot.Summary.RootMFAEnabled {
		s.stage = alreadyDone
		return nil
	}
	s.stage = editing
	return tea.Batch(s.spinner.Tick, s.schedule())
}

func (s *rootScreen) schedule() tea.Cmd { return s.scheduleIn(rootPollInterval) }

// scheduleIn reads root MFA again after d; an earlier scheduled read is
// then ignored.
func (s *rootScreen) scheduleIn(d time.Duration) tea.Cmd {
	s.polls++
	poll := s.polls
	return tea.Tick(d, func(time.Time) tea.Msg { return rootPollMsg{poll} })
}

func (s *rootScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, c.spin(&s.spinner, msg, s.stage == editing)
	case rootPollMsg:
		if s.stage != editing || msg.poll != s.polls {
			return s, nil
		}
		return s, c.call(func(ctx context.Context) tea.Msg {
			on, change, err := steps.RootMFAEnabled(ctx, c.acct)
			return rootMFAMsg{msg.poll, on, change, err}
		})
	case rootMFAMsg:
		if s.stage != editing || msg.poll != s.polls {
			return s, nil
		}
		switch {
		case msg.err != nil:
			s.stage, s.err = failed, msg.err
		case msg.on:
			s.stage = finished
			c.snapshot = c.snapshot.With(msg.change)
			return s, record(steps.RunbookEntry{Info: steps.Root.Info, Did: "Root MFA was turned on in the console; awssecure saw it on.", CLI: steps.RootMFACLI})
		default:
			return s, s.schedule()
		}
	case pretendedMsg:
		if msg.err != nil {
			s.stage, s.err, s.pretending = failed, msg.err, false
			return s, nil
		}
		// Read just after the pretend console reports it on.
		return s, s.scheduleIn(simulatedConsoleDelay + 100*time.Millisecond)
	case tea.KeyPressMsg:
		return s.key(c, msg)
	}
	return s, nil
}

func (s *rootScreen) key(c *common, msg tea.KeyPressMsg) (screen, tea.Cmd) {
	switch {
	case s.stage == editing && key.Matches(msg, c.keys.Skip):
		return s, askSkip(steps.Root.Title, handoff{})
	case s.stage == editing && !s.pretending && key.Matches(msg, c.keys.Simulate):
		sim, ok := c.acct.(steps.ConsoleSimulator)
		if !ok || !c.practice {
			return s, nil
		}
		s.pretending = true
		return s, func() tea.Msg { return pretendedMsg{sim.SimulateRootMFAInConsole(simulatedConsoleDelay)} }
	}
	cmd, _ := c.stepKey(msg, s.stage, steps.Root.Title, handoff{}, nil, s.resume)
	return s, cmd
}

// resume watches for root MFA again after a failed read.
func (s *rootScreen) resume(*common) tea.Cmd {
	s.stage = editing
	return tea.Batch(s.spinner.Tick, s.schedule())
}

func (s *rootScreen) view(c *common) string {
	info := steps.Root.Info
	keysLine := ""
	if c.snapshot.RootHasAccessKeys() {
		keysLine = "\n\n" + c.styles.Warn.Render("! The root user has access keys.") + fmt.Sprintf(" Root keys cannot be limited: step %d (%s) deletes them, once your admin user works.", stepNumber(steps.Handoff.ID), steps.Handoff.Title)
	}
	switch s.stage {
	case alreadyDone:
		return c.frame(s.at.pos, info, c.styles.Done.Render("✓ Root MFA is already on.")+" Nothing to do here."+keysLine, c.helpLine(c.keys.Next, c.keys.Teach))
	case finished:
		return c.frame(s.at.pos, info, c.styles.Done.Render("✓ Root MFA is on. Well done.")+keysLine, c.helpLine(c.keys.Next, c.keys.Teach))
	case failed:
		return c.frame(s.at.pos, info, c.errorPanel(s.err), "")
	}
	body := "In another window, sign in to the console as the root user and:\n" +
		"  1. open " + c.styles.Code.Render(info.ConsoleURL) + "\n" +
		"  2. Multi-factor authentication (MFA) → Assign MFA device\n" +
		"  3. choose a passkey, security key or authenticator app, and follow the steps\n" +
		c.styles.Subtle.Render(steps.MFABackup+" (the console's Show secret key).") + "\n\n" +
		s.spinner.View() + " Waiting for AWS to report root MFA on (checking every few seconds)…" + keysLine
	help := []key.Binding{c.keys.Skip, c.keys.Teach, c.keys.Quit}
	if s.pretending {
		body = c.styles.Warn.Render("Pretending you turned it on in the console…") + " the practice account reports it in a moment.\n\n" + body
	}
	if c.practice && !s.pretending {
		help = append([]key.Binding{c.keys.Simulate}, help...)
	}
	return c.frame(s.at.pos, info, body, c.helpLine(help...))
}

func (s *rootScreen) teach(c *common) (steps.Info, string) {
	return steps.Root.Info, "# Root MFA cannot be turned on from the CLI or API. To check it:\n" + steps.RootMFACLI
}

func (s *rootScreen) typing() bool { return false }
