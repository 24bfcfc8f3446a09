package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"charm.land/huh/v2"

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
func newUserForm(c *common, req steps.UserRequest) (*huh.Form, func() steps.UserRequest) {
	var access []string
	// Spoken, the rule comes before the answer; on screen it would take a
	// small terminal's rows from the options, and a name it refuses says it.
	title := "User name"
	if c.accessible {
		title += " (up to 64 letters, digits and + = , . @ _ -)"
	}
	form := huh.NewForm(huh.NewGroup(
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
	).Title("Add a user to group " + req.Group))
	return form, func() steps.UserRequest {
		req.Console, req.Programmatic = slices.Contains(access, accessConsole), slices.Contains(access, accessProgrammatic)
		req.Name = strings.TrimSpace(req.Name)
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
	return []extra{renew}
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
