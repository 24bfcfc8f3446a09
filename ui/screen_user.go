package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/steps"
)

type userScreen struct {
	stage   stage
	form    *huh.Form
	input   *userInput
	spinner spinner.Model
	err     error
	// renewing asks before replacing an existing user's password and key;
	// renewal says that is what the screen is doing, so a retry renews.
	renewing, renewal bool
}

// userInput is what the user form fills in.
type userInput struct {
	Name   string
	Access []string
}

const (
	accessConsole      = "console"
	accessProgrammatic = "programmatic"
)

func (in *userInput) request(group string) steps.UserRequest {
	return steps.UserRequest{
		Name: in.Name, Group: group,
		Console:      slices.Contains(in.Access, accessConsole),
		Programmatic: slices.Contains(in.Access, accessProgrammatic),
	}
}

type userAppliedMsg struct {
	result steps.UserResult
	err    error
}

// newUserForm asks the user's name and access types; both access types are
// on by default, as in the tutorial.
func newUserForm(group string) (*huh.Form, *userInput) {
	in := &userInput{}
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("User name").Description("the name you will sign in with, e.g. your first name").
			Value(&in.Name).Validate(steps.ValidateUserName).CharLimit(65), // one past the limit, so the validator can say why
		huh.NewMultiSelect[string]().Title("Access (space toggles)").Height(3).Value(&in.Access).Options(
			huh.NewOption("console password (to sign in to the AWS console)", accessConsole).Selected(true),
			huh.NewOption("access key (for the AWS CLI and SDKs)", accessProgrammatic).Selected(true),
		).Validate(func(v []string) error {
			if len(v) == 0 {
				return errNoAccess
			}
			return nil
		}),
	).Title("Add a user to group " + group))
	return form, in
}

var errNoAccess = errors.New("choose at least one kind of access")

func (s *userScreen) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	if c.groupName == "" {
		c.groupName = steps.DefaultGroupName
	}
	if admins := c.snapshot.AdminUsers(); c.checkStatus(steps.CheckAdminUser) == steps.Pass && len(admins) > 0 {
		s.stage = alreadyDone
		c.userName = admins[0].Name
		if c.lost.User != "" {
			c.userName = c.lost.User
		}
		return nil
	}
	return s.edit(c)
}

func (s *userScreen) edit(c *common) tea.Cmd {
	s.form, s.input = newUserForm(c.groupName)
	s.stage = editing
	return c.startForm(s.form)
}

func (s *userScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, spin(&s.spinner, msg, s.stage == applying)
	case userAppliedMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.stage = finished
		c.userName = msg.result.Name
		c.created = &msg.result
		c.lost = steps.UnshownRecord{}
		if !slices.ContainsFunc(c.snapshot.Users, func(u steps.UserFacts) bool { return u.Name == msg.result.Name }) {
			c.snapshot.Users = append(c.snapshot.Users, steps.UserFacts{Name: msg.result.Name, Groups: []string{c.groupName}, HasPassword: s.input.request(c.groupName).Console})
		}
		return s, next // the MFA screen comes next; the credentials follow it
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

func (s *userScreen) apply(c *common) tea.Cmd {
	s.stage = applying
	req, caller := s.input.request(c.groupName), c.snapshot.Caller
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		res, err := steps.ApplyAdminUser(ctx, c.acct, caller, req)
		c.rememberUnshown(caller, res)
		return userAppliedMsg{res, err}
	}))
}

// renew gives the existing admin user a new password and access key: the
// way back for a learner whose first run ended before the credentials
// screen.
func (s *userScreen) renew(c *common) tea.Cmd {
	s.stage, s.renewal = applying, true
	s.input = &userInput{Name: c.userName, Access: []string{accessConsole, accessProgrammatic}}
	user, caller := c.userName, c.snapshot.Caller
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		res, err := steps.RenewCredentials(ctx, c.acct, caller, user)
		c.rememberUnshown(caller, res)
		return userAppliedMsg{res, err}
	}))
}

func (s *userScreen) key(c *common, msg tea.KeyPressMsg) (screen, tea.Cmd) {
	if s.renewing { // asked "new password and key?": only yes or no counts
		s.renewing = false
		if key.Matches(msg, c.keys.Yes) {
			return s, s.renew(c)
		}
		if !key.Matches(msg, c.keys.No) {
			s.renewing = true
		}
		return s, nil
	}
	if s.stage == alreadyDone && key.Matches(msg, c.keys.Renew) {
		s.renewing = true
		return s, nil
	}
	if s.stage == alreadyDone && c.lost.User != "" {
		// The earlier run's credentials are gone: new ones come first.
		switch {
		case key.Matches(msg, c.keys.Next):
			return s, s.renew(c)
		case key.Matches(msg, c.keys.Skip):
			c.skip(steps.UserInfo.Title)
			return s, next
		}
		return s, nil
	}
	retry := s.apply
	if s.renewal {
		retry = s.renew
	}
	cmd, _ := c.stepKey(msg, s.stage, steps.UserInfo.Title, s.edit, retry)
	return s, cmd
}

func (s *userScreen) view(c *common) string {
	info := steps.UserInfo
	switch s.stage {
	case alreadyDone:
		var names []string
		for _, u := range c.snapshot.AdminUsers() {
			names = append(names, u.Name)
		}
		done := c.styles.Done.Render("✓ Already done: ") + "admin user " + c.styles.Key.Render(strings.Join(names, ", ")) + " can sign in to the console."
		if c.lost.User != "" {
			return c.frame(4, info, done+"\n\n"+c.styles.Warn.Render("! "+c.lostSentence())+
				" Make new ones now: the unseen password stops working and the unseen access key is deleted.",
				c.helpLine(c.newCredentialsKey(), c.keys.Skip, c.keys.Teach))
		}
		if s.renewing {
			return c.frame(4, info, done+"\n\n"+c.styles.Warn.Render("Give "+c.userName+" a new console password and a new access key?")+
				" The old password stops working and the old access key is deleted: anything using it stops working too.", c.helpLine(c.keys.Yes, c.keys.No))
		}
		return c.frame(4, info, done, c.helpLine(c.keys.Next, c.keys.Renew, c.keys.Redo, c.keys.Teach))
	case applying, finished:
		doing := " Creating user "
		if s.renewal {
			doing = " Making a new password and access key for "
		}
		return c.frame(4, info, s.spinner.View()+doing+s.input.Name+"…", "")
	case failed:
		return c.frame(4, info, c.errorPanel(s.err), "")
	}
	return c.frame(4, info, s.form.View()+"\n"+c.styles.Subtle.Render(steps.AccessKeyAdvice), c.helpLine(c.keys.Quit))
}

func (s *userScreen) teach(c *common) (steps.Info, string) {
	req := steps.UserRequest{Name: "USER", Group: c.groupName, Console: true, Programmatic: true}
	if s.input != nil && s.input.Name != "" {
		req = s.input.request(c.groupName)
	}
	return steps.UserInfo, steps.UserCLI(c.snapshot.Caller, req)
}

func (s *userScreen) typing() bool { return s.stage == editing }
