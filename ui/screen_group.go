package ui

import (
	"context"
	"slices"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/steps"
)

type groupScreen struct {
	stage   stage
	form    *huh.Form
	name    *string
	spinner spinner.Model
	err     error
	changed bool
}

type groupAppliedMsg struct {
	changed bool
	err     error
}

// newGroupForm asks the group's name.
func newGroupForm(name string) (*huh.Form, *string) {
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Group name").Value(&name).Validate(steps.ValidateGroupName).CharLimit(129), // one past the limit, so the validator can say why
	))
	return form, &name
}

func (s *groupScreen) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	if c.checkStatus(steps.CheckAdminGroup) == steps.Pass {
		s.stage = alreadyDone
		c.groupName = c.snapshot.AdminGroups[0]
		return nil
	}
	return s.edit(c)
}

func (s *groupScreen) edit(c *common) tea.Cmd {
	s.form, s.name = newGroupForm(steps.DefaultGroupName)
	s.stage = editing
	return c.startForm(s.form)
}

func (s *groupScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, spin(&s.spinner, msg, s.stage == applying)
	case groupAppliedMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.stage, s.changed = finished, msg.changed
		c.groupName = *s.name
		if !slices.Contains(c.snapshot.AdminGroups, c.groupName) {
			c.snapshot.AdminGroups = append(c.snapshot.AdminGroups, c.groupName)
		}
		c.snapshot.GroupsErr = nil
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

func (s *groupScreen) apply(c *common) tea.Cmd {
	s.stage = applying
	name, caller := *s.name, c.snapshot.Caller
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		changed, err := steps.ApplyAdminGroup(ctx, c.acct, caller, name)
		return groupAppliedMsg{changed, err}
	}))
}

func (s *groupScreen) key(c *common, msg tea.KeyPressMsg) (screen, tea.Cmd) {
	cmd, _ := c.stepKey(msg, s.stage, steps.GroupInfo.Title, s.edit, s.apply)
	return s, cmd
}

func (s *groupScreen) view(c *common) string {
	info := steps.GroupInfo
	switch s.stage {
	case alreadyDone:
		return c.frame(3, info, c.styles.Done.Render("✓ Already done: ")+"group "+c.styles.Key.Render(c.groupName)+" has AdministratorAccess.", c.helpLine(c.keys.Next, c.keys.Redo, c.keys.Teach))
	case applying:
		return c.frame(3, info, s.spinner.View()+" Creating group "+*s.name+" with AdministratorAccess…", "")
	case finished:
		what := "✓ Group " + *s.name + " created with AdministratorAccess."
		if !s.changed {
			what = "✓ Group " + *s.name + " already had AdministratorAccess; nothing changed."
		}
		return c.frame(3, info, c.styles.Done.Render(what), c.helpLine(c.keys.Next, c.keys.Teach))
	case failed:
		return c.frame(3, info, c.errorPanel(s.err), "")
	}
	return c.frame(3, info, s.form.View(), c.helpLine(c.keys.Quit))
}

func (s *groupScreen) teach(c *common) (steps.Info, string) {
	name := steps.DefaultGroupName
	if s.name != nil {
		name = *s.name
	}
	return steps.GroupInfo, steps.GroupCLI(c.snapshot.Caller, name)
}

func (s *groupScreen) typing() bool { return s.stage == editing }
