package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/steps"
)

type policyScreen struct {
	stage   stage
	form    *huh.Form
	input   *policyInput
	spinner spinner.Model
	err     error
}

// policyInput is what the policy form fills in.
type policyInput struct {
	MinLength string
	Reuse     string
	MaxAge    string
	Require   []string
}

const (
	reqUpper   = "uppercase"
	reqLower   = "lowercase"
	reqNumbers = "numbers"
	reqSymbols = "symbols"
	reqChange  = "change"
)

func (in *policyInput) policy() steps.PasswordPolicy {
	length, _ := strconv.Atoi(in.MinLength)
	reuse, _ := strconv.Atoi(in.Reuse)
	age, _ := strconv.Atoi(in.MaxAge)
	has := func(s string) bool { return slices.Contains(in.Require, s) }
	return steps.PasswordPolicy{
		MinimumLength: length, ReusePrevention: reuse, MaxAgeDays: age,
		RequireUppercase: has(reqUpper), RequireLowercase: has(reqLower), RequireNumbers: has(reqNumbers),
		RequireSymbols: has(reqSymbols), AllowUsersToChange: has(reqChange),
	}
}

// newPolicyForm builds the form and the value it fills, from defaults.
func newPolicyForm(p steps.PasswordPolicy) (*huh.Form, *policyInput) {
	in := &policyInput{MinLength: strconv.Itoa(p.MinimumLength), Reuse: strconv.Itoa(p.ReusePrevention), MaxAge: strconv.Itoa(p.MaxAgeDays)}
	option := func(label, value string, on bool) huh.Option[string] { return huh.NewOption(label, value).Selected(on) }
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Minimum length (6–128; 14 or more recommended)").Value(&in.MinLength).Validate(intBetween(6, 128)).CharLimit(4),
		huh.NewInput().Title("Remember previous passwords (0–24; 24 recommended)").Value(&in.Reuse).Validate(intBetween(0, 24)).CharLimit(3),
		huh.NewInput().Title("Expire passwords after days (0 = never; expiry is no longer recommended)").Value(&in.MaxAge).Validate(intBetween(0, 1095)).CharLimit(5),
	), huh.NewGroup(
		huh.NewMultiSelect[string]().Title("Require (space toggles)").Height(6).Value(&in.Require).Options(
			option("an uppercase letter", reqUpper, p.RequireUppercase),
			option("a lowercase letter", reqLower, p.RequireLowercase),
			option("a number", reqNumbers, p.RequireNumbers),
			option("a symbol", reqSymbols, p.RequireSymbols),
			option("let users change their own password", reqChange, p.AllowUsersToChange),
		),
	))
	return form, in
}

type policyAppliedMsg struct{ err error }

func (s *policyScreen) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	if c.checkStatus(steps.CheckPasswordPolicy) == steps.Pass {
		s.stage = alreadyDone
		return nil
	}
	return s.edit(c)
}

func (s *policyScreen) edit(c *common) tea.Cmd {
	defaults := steps.DefaultPolicy
	if c.snapshot.Policy != nil { // keep what the owner chose where it is stronger
		defaults.MinimumLength = max(defaults.MinimumLength, c.snapshot.Policy.MinimumLength)
	}
	s.form, s.input = newPolicyForm(defaults)
	s.stage = editing
	return c.startForm(s.form)
}

func (s *policyScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, spin(&s.spinner, msg, s.stage == applying)
	case policyAppliedMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
		} else {
			s.stage = finished
			p := s.input.policy()
			c.snapshot.Policy, c.snapshot.PolicyErr = &p, nil
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
			return s, s.apply(c)
		}
		return s, cmd
	}
	return s, nil
}

func (s *policyScreen) apply(c *common) tea.Cmd {
	p := s.input.policy()
	if err := steps.ValidatePolicy(p); err != nil { // the form's checks make this unreachable; keep the guard
		s.stage, s.err = failed, err
		return nil
	}
	s.stage = applying
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		return policyAppliedMsg{steps.ApplyPasswordPolicy(ctx, c.acct, p)}
	}))
}

func (s *policyScreen) key(c *common, msg tea.KeyPressMsg) (screen, tea.Cmd) {
	cmd, _ := c.stepKey(msg, s.stage, steps.PolicyInfo.Title, s.edit, s.apply)
	return s, cmd
}

func (s *policyScreen) view(c *common) string {
	info := steps.PolicyInfo
	switch s.stage {
	case alreadyDone:
		p := c.snapshot.Policy
		return c.frame(2, info, c.styles.Done.Render("✓ Already done: ")+fmt.Sprintf("minimum length %d, reuse prevention %d.", p.MinimumLength, p.ReusePrevention), c.helpLine(c.keys.Next, c.keys.Redo, c.keys.Teach))
	case applying:
		return c.frame(2, info, s.spinner.View()+" Setting the password policy…", "")
	case finished:
		p := s.input.policy()
		return c.frame(2, info, c.styles.Done.Render("✓ Password policy set: ")+fmt.Sprintf("at least %d characters, last %d passwords remembered.", p.MinimumLength, p.ReusePrevention), c.helpLine(c.keys.Next, c.keys.Teach))
	case failed:
		return c.frame(2, info, c.errorPanel(s.err), "")
	}
	return c.frame(2, info, s.form.View(), c.helpLine(c.keys.Quit))
}

func (s *policyScreen) teach(c *common) (steps.Info, string) {
	p := steps.DefaultPolicy
	if s.input != nil {
		p = s.input.policy()
	}
	return steps.PolicyInfo, steps.PolicyCLI(p)
}

func (s *policyScreen) typing() bool { return s.stage == editing }
