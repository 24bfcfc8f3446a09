package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// userSpec is the admin user step's first screen; its MFA and credentials
// screens follow. A user found done can get new credentials (k), and does
// first thing when an earlier run made some it never showed.
var userSpec = formSpec[steps.UserRequest]{
	step:     steps.AdminUser,
	form:     newUserForm,
	note:     steps.AccessKeyAdvice,
	extras:   userExtras,
	handOn:   userHandOn,
	autoNext: true, // the MFA screen comes next; the credentials follow it
}

const (
	accessConsole      = "console"
	accessProgrammatic = "programmatic"
)

var errNoAccess = errors.New("choose at least one kind of access")

// newUserForm asks the user's name and access types; both access types are
// on by default, as in the tutorial.
//
// An existing user an earlier awssecure attached IAMUserChangePassword
// to is told, above the fields, that it is detached; the request asks
// for that only for the user the note named.
func newUserForm(c *common, req steps.UserRequest) (*huh.Form, func() steps.UserRequest) {
	var access []string
	// Spoken, the rule comes before the answer; on screen it would take a
	// small terminal's rows from the options, and a name it refuses says it.
	title := "User name"
	if c.accessible {
		title += " (up to 64 letters, digits and + = , . @ _ -)"
	}
	var fields []huh.Field
	shown := ""
	if req.Name != "" && c.snapshot.ChangePasswordOn(req.Name) {
		shown = req.Name
		fields = append(fields, huh.NewNote().Title("Detached from "+inert.PrintableLine(req.Name)+": IAMUserChangePassword").
			Description(noteText(steps.ChangePasswordWhy(req.Name, req.Group))))
	}
	form := huh.NewForm(huh.NewGroup(append(fields,
		huh.NewInput().Title(title).Description("the name you will sign in with, e.g. your first name").
			Value(&req.Name).Validate(trimmed(steps.ValidateUserName)).CharLimit(65), // one past the limit, so the validator can say why
		huh.NewMultiSelect[string]().Title("Access ("+c.toggleHint()+")").Height(3).Value(&access).Options(
			huh.NewOption(fitOption("console password (for the AWS console)", c.accessible), accessConsole).Selected(req.Console),
			huh.NewOption(fitOption("access key (for the AWS CLI and SDKs)", c.accessible), accessProgrammatic).Selected(req.Programmatic),
		).Validate(func(v []string) error {
			if len(v) == 0 {
				return errNoAccess
			}
			return nil
		}),
	)...).Title("Add a user to group " + req.Group))
	return form, func() steps.UserRequest {
		req.Console, req.Programmatic = slices.Contains(access, accessConsole), slices.Contains(access, accessProgrammatic)
		req.Name = strings.TrimSpace(req.Name)
		req.DropChangePassword = shown != "" && req.Name == shown
		return req
	}
}

// doneUser is the admin user a done step hands on: the one whose
// credentials an earlier run lost, else the first.
func doneUser(c *common) string {
	if c.lost.User != "" {
		return c.lost.User
	}
	if admins := c.snapshot.AdminUsers(); len(admins) > 0 {
		return admins[0].Name
	}
	return ""
}

// userExtras offer new credentials to a user found done: asked first
// (k), or at once on enter when an earlier run lost them.
func userExtras(c *common) []extra {
	user := doneUser(c)
	renew := extra{
		key:   c.keys.Renew,
		ask:   "Give " + user + " a new console password and a new access key?",
		note:  "The old password stops working and the old access key is deleted: anything using it stops working too.",
		doing: "Making a new password and access key for " + user + "…",
		cli:   steps.RenewCLI(user),
		apply: func(ctx context.Context, acct steps.Account, caller steps.Caller) (steps.Outcome, error) {
			return steps.RenewAdminCredentials(ctx, acct, caller, user)
		},
	}
	if c.lost.User != "" {
		renew.key = c.newCredentialsKey()
		renew.ask, renew.onEnter = "", true
		renew.note = c.lostSentence() + " Make new ones now: the unseen password stops working and the unseen access key is deleted."
	}
	if !c.snapshot.ChangePasswordOn(user) {
		return []extra{renew}
	}
	// What an earlier awssecure attached to the admin user: said first,
	// taken away on enter, recorded in the runbook.
	group := c.snapshot.AdminGroupOf(user)
	detach := extra{
		key:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detach it")),
		onEnter: true,
		note:    steps.ChangePasswordWhy(user, group),
		doing:   "Detaching IAMUserChangePassword from " + inert.PrintableLine(user) + "…",
		cli:     steps.DetachChangePasswordCLI(c.snapshot.Caller, user),
		apply: func(ctx context.Context, acct steps.Account, caller steps.Caller) (steps.Outcome, error) {
			return steps.DetachChangePassword(ctx, acct, caller, user, group)
		},
	}
	if !renew.onEnter {
		return []extra{detach, renew}
	}
	// Enter does both, the detach first: the screen moves on after one.
	both := renew
	both.key = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detach it and make new ones"))
	both.note = detach.note + " " + renew.note
	both.cli = detach.cli + "\n" + renew.cli
	both.apply = func(ctx context.Context, acct steps.Account, caller steps.Caller) (steps.Outcome, error) {
		d, err := detach.apply(ctx, acct, caller)
		if err != nil {
			return d, err
		}
		o, err := renew.apply(ctx, acct, caller)
		if err != nil {
			return d, err
		}
		o.Said = d.Said + "\n" + o.Said
		o.Changed = o.Changed || d.Changed
		if change := o.Change; d.Change != nil {
			o.Change = func(s *steps.Snapshot) {
				d.Change(s)
				if change != nil {
					change(s)
				}
			}
		}
		return o, nil
	}
	return []extra{both}
}

func userHandOn(c *common, req *steps.UserRequest, o *steps.Outcome) handoff {
	if o == nil {
		return handoff{user: doneUser(c)}
	}
	user := doneUser(c)
	if o.Credentials != nil {
		user = o.Credentials.User
	} else if req != nil {
		user = req.Name
	}
	return handoff{user: user, created: o.Credentials}
}
