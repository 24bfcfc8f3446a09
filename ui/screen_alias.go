package ui

import (
	"context"
	"errors"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/steps"
)

type aliasScreen struct {
	stage   stage
	form    *huh.Form
	input   *aliasInput
	spinner spinner.Model
	problem string // why the last alias was refused (taken)
	err     error
}

type aliasInput struct {
	Alias   string
	Replace bool
}

type aliasAppliedMsg struct{ err error }

// newAliasForm asks for an alias; when one exists, it also asks to confirm
// replacing it, because the old sign-in address stops working.
func newAliasForm(current string) (*huh.Form, *aliasInput) {
	in := &aliasInput{}
	fields := []huh.Field{
		huh.NewInput().Title("Account alias").Description("3–63 lowercase letters, digits and single hyphens, e.g. your company or project name").
			Value(&in.Alias).Validate(steps.ValidateAlias).CharLimit(64), // one past the limit, so the validator can say why
	}
	if current != "" {
		in.Replace = false
		fields = append(fields, huh.NewConfirm().Title("Replace the alias "+current+"?").
			Description("https://"+current+".signin.aws.amazon.com/console will stop working.").
			Affirmative("Replace").Negative("Keep it").Value(&in.Replace))
	} else {
		in.Replace = true
	}
	return huh.NewForm(huh.NewGroup(fields...)), in
}

func (s *aliasScreen) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	if c.alias != "" {
		s.stage = alreadyDone
		return nil
	}
	return s.edit(c)
}

func (s *aliasScreen) edit(c *common) tea.Cmd {
	s.form, s.input = newAliasForm(c.alias)
	s.stage = editing
	return c.startForm(s.form)
}

func (s *aliasScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, spin(&s.spinner, msg, s.stage == applying)
	case aliasAppliedMsg:
		switch {
		case errors.Is(msg.err, awsops.ErrAliasTaken):
			s.problem = "“" + s.input.Alias + "” is taken by another AWS account. Try another."
			return s, s.edit(c)
		case msg.err != nil:
			s.stage, s.err = failed, msg.err
		default:
			s.stage, s.problem = finished, ""
			c.alias = s.input.Alias
			c.snapshot.Alias, c.snapshot.AliasErr = c.alias, nil
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
			if !s.input.Replace {
				s.stage = alreadyDone
				return s, nil
			}
			return s, s.apply(c)
		}
		return s, cmd
	}
	return s, nil
}

func (s *aliasScreen) apply(c *common) tea.Cmd {
	s.stage = applying
	alias := s.input.Alias
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		return aliasAppliedMsg{steps.ApplyAlias(ctx, c.acct, alias)}
	}))
}

func (s *aliasScreen) key(c *common, msg tea.KeyPressMsg) (screen, tea.Cmd) {
	cmd, _ := c.stepKey(msg, s.stage, steps.AliasInfo.Title, s.edit, s.apply)
	return s, cmd
}

func (s *aliasScreen) view(c *common) string {
	info := steps.AliasInfo
	url := steps.SignInURL(c.snapshot.Caller.AccountID, c.alias)
	switch s.stage {
	case alreadyDone:
		return c.frame(5, info, c.styles.Done.Render("✓ Already done: ")+"alias "+c.styles.Key.Render(c.alias)+"\nIAM users sign in at "+c.styles.Code.Render(url),
			c.helpLine(c.keys.Next, key.NewBinding(key.WithHelp("e", "replace it")), c.keys.Teach))
	case applying:
		return c.frame(5, info, s.spinner.View()+" Setting the alias…", "")
	case finished:
		return c.frame(5, info, c.styles.Done.Render("✓ Alias set.")+" IAM users now sign in at\n"+c.styles.Code.Render(url), c.helpLine(c.keys.Next, c.keys.Teach))
	case failed:
		return c.frame(5, info, c.errorPanel(s.err), "")
	}
	body := s.form.View()
	if s.problem != "" {
		body = c.styles.Fail.Render("✗ "+s.problem) + "\n" + body
	}
	return c.frame(5, info, body, c.helpLine(c.keys.Quit))
}

func (s *aliasScreen) teach(c *common) (steps.Info, string) {
	alias := "ALIAS"
	if s.input != nil && s.input.Alias != "" {
		alias = s.input.Alias
	}
	return steps.AliasInfo, steps.AliasCLI(alias)
}

func (s *aliasScreen) typing() bool { return s.stage == editing }
