package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/awssecure/awssecure/steps"
)

// regionPollInterval is how often enabling regions are re-read.
const regionPollInterval = 3 * time.Second

type regionsScreen struct {
	at       handoff
	stage    stage
	form     *huh.Form
	chosen   *[]string
	spinner  spinner.Model
	statuses map[string]string // regions being enabled → last status seen
	order    []string
	err      error
}

type regionsEnabledMsg struct{ err error }
type regionsPollMsg struct{}
type regionsStatusMsg struct{ statuses map[string]string }

// regionsListedMsg is a fresh read of the region list, after the one
// preflight made had failed.
type regionsListedMsg struct{ change steps.Change }

func newRegionsForm(c *common, disabled []string) (*huh.Form, *[]string) {
	chosen := &[]string{}
	title := "Opt-in regions to enable (" + c.toggleHint() + "; none is fine)"
	options := regionOptions(disabled, c.accessible)
	// Tall enough for the title and up to 8 lines of options, as wrapped
	// in this terminal (a longer list scrolls with its cursor), and a line.
	lines := 0
	for _, o := range options {
		lines += lipgloss.Height(o.Key)
	}
	titleLines := lipgloss.Height(lipgloss.NewStyle().Width(min(c.width, 100) - 4).Render(title))
	form := huh.NewForm(huh.NewGroup(
		huh.NewMultiSelect[string]().Title(title).
			Options(options...).Value(chosen).Height(titleLines + min(lines, 8) + 1),
	))
	return form, chosen
}

func (s *regionsScreen) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	if c.snapshot.RegionsErr != nil {
		s.stage, s.err = failed, c.snapshot.RegionsErr
		return nil
	}
	disabled := c.snapshot.DisabledRegions()
	if len(disabled) == 0 {
		s.stage = alreadyDone
		return nil
	}
	s.form, s.chosen = newRegionsForm(c, disabled)
	s.stage = editing
	return c.startForm(s.form)
}

func (s *regionsScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, c.spin(&s.spinner, msg, s.stage == detecting || s.stage == applying || s.enabling())
	case regionsEnabledMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.stage = finished
		return s, tea.Batch(s.poll(), record(steps.RunbookEntry{Info: steps.Regions.Info,
			Did: "Started enabling " + strings.Join(s.order, ", ") + "; AWS finishes on its own.", CLI: steps.RegionsCLI(s.order)}))
	case regionsPollMsg:
		names := s.order
		return s, c.call(func(ctx context.Context) tea.Msg {
			return regionsStatusMsg{steps.RegionStatuses(ctx, c.acct, names)}
		})
	case regionsListedMsg:
		c.snapshot = c.snapshot.With(msg.change)
		return s, s.init(c)
	case regionsStatusMsg:
		for n, st := range msg.statuses {
			s.statuses[n] = st
		}
		if s.enabling() {
			return s, s.poll()
		}
		return s, nil
	case tea.KeyPressMsg:
		if s.stage != editing {
			return s.key(c, msg)
		}
	}
	if s.stage == editing {
		cmd, state := c.updateForm(s.form, msg)
		if state == huh.StateCompleted {
			if len(*s.chosen) == 0 {
				// Done, so that a message arriving before the next screen
				// (a blink of the form's cursor) does not move on twice,
				// past the step after.
				s.stage = finished
				return s, nextWith(handoff{})
			}
			return s, s.apply(c)
		}
		return s, cmd
	}
	return s, nil
}

func (s *regionsScreen) enabling() bool {
	for _, st := range s.statuses {
		if st == steps.RegionEnabling || st == steps.RegionDisabled {
			return true
		}
	}
	return false
}

func (s *regionsScreen) poll() tea.Cmd {
	return tea.Tick(regionPollInterval, func(time.Time) tea.Msg { return regionsPollMsg{} })
}

func (s *regionsScreen) apply(c *common) tea.Cmd {
	s.stage = applying
	s.order = append([]string(nil), *s.chosen...)
	s.statuses = map[string]string{}
	for _, n := range s.order {
		s.statuses[n] = steps.RegionEnabling
	}
	names := s.order
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		return regionsEnabledMsg{steps.EnableRegions(ctx, c.acct, names)}
	}))
}

func (s *regionsScreen) key(c *common, msg tea.KeyPressMsg) (screen, tea.Cmd) {
	if s.stage == finished && len(s.order) == 0 { // already moving on
		return s, nil
	}
	cmd, _ := c.stepKey(msg, s.stage, steps.Regions.Title, handoff{}, nil, s.retry)
	return s, cmd
}

// retry enables the chosen regions again or, when the list itself could
// not be read, reads it again.
func (s *regionsScreen) retry(c *common) tea.Cmd {
	if c.snapshot.RegionsErr == nil {
		return s.apply(c)
	}
	s.stage = detecting
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		return regionsListedMsg{steps.ReadRegions(ctx, c.acct)}
	}))
}

func (s *regionsScreen) view(c *common) string {
	info := steps.Regions.Info
	switch s.stage {
	case alreadyDone:
		return c.frame(s.at.pos, info, c.styles.Done.Render("✓ Nothing to enable: ")+"every opt-in region is already on or on its way.", c.helpLine(c.keys.Next, c.keys.Teach))
	case detecting:
		return c.frame(s.at.pos, info, s.spinner.View()+" Reading the regions…", "")
	case finished:
		if len(s.order) == 0 { // moving on by itself
			return c.frame(s.at.pos, info, c.styles.Done.Render("✓ No opt-in region enabled."), "")
		}
		fallthrough
	case applying:
		var lines []string
		for _, n := range s.order {
			st := s.statuses[n]
			mark := s.spinner.View()
			if st == steps.RegionEnabled {
				mark = c.styles.Done.Render("✓")
			}
			lines = append(lines, mark+" "+padRight(steps.RegionLabel(n), 42)+c.styles.Subtle.Render(strings.ToLower(st)))
		}
		note := "\n\nAWS finishes enabling on its own; you can continue now."
		return c.frame(s.at.pos, info, strings.Join(lines, "\n")+note, c.helpLine(c.keys.Next, c.keys.Teach))
	case failed:
		return c.frame(s.at.pos, info, c.errorPanel(s.err), "")
	}
	return c.frame(s.at.pos, info, formView(s.form), c.helpLine(c.keys.Quit))
}

func (s *regionsScreen) teach(c *common) (steps.Info, string) {
	var names []string
	if s.chosen != nil {
		names = *s.chosen
	}
	return steps.Regions.Info, steps.RegionsCLI(names)
}

func (s *regionsScreen) typing() bool { return s.stage == editing }

// regionOptions show each region by code and name; the code is the value.
func regionOptions(codes []string, accessible bool) []huh.Option[string] {
	options := make([]huh.Option[string], len(codes))
	for i, code := range codes {
		options[i] = huh.NewOption(fitOption(steps.RegionLabel(code), accessible), code)
	}
	return options
}
