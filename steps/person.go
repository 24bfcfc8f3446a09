package steps

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// PersonInfo is the offer after the handoff (seed 001: "create an IAM user
// for each individual in the organization"): another person gets an IAM
// user of their own, in a group the owner picks, with a console password
// they change at first sign-in and MFA they set up themselves. It is no
// step of the registry: it has no check of its own (admin-user-mfa and
// the summary judge its users), and nothing after the handoff may need
// root, which it does not: it runs as the admin user.
var PersonInfo = Info{
	Title: "Add another person",
	Why: "Seed 001: give each person who works in this account an IAM user of their own — never the root user, never one user shared. " +
		"Then what each one does is logged under their name, and one person's access can be taken away without touching anyone else's.",
	ConsolePath: "IAM → Users → Create user → Provide user access to the AWS Management Console → Custom password, must create a new password at next sign-in → Add user to group",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/users",
}

// PersonGets says what AddPerson makes, and what it leaves out and why.
const PersonGets = "Each one gets a console password to change the first time they sign in, and the permissions of the group you pick — " +
	"nothing attached to the user itself (CIS 1.15). No access key: someone who signs in to the console needs none, and a key is a password " +
	"that never expires; they can make one later if a tool needs it."

// SelfManageMFAURL is AWS's example policy that lets users set up their
// own MFA device and denies them everything else until they sign in with
// it: how an admin requires MFA of the people in a group.
const SelfManageMFAURL = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html"

// PersonMFA says how name sets up MFA at first sign-in, and that the
// owner should require it.
func PersonMFA(name string) string {
	return "They set up their own MFA when they first sign in: IAM → Users → " + inert.PrintableLine(name) + " → Security credentials → Assign MFA device. " +
		"Require it: tell them before they sign in, and check with awssecure status (Console users have MFA) that they did."
}

// PersonRequest is who to add, and to which existing group.
type PersonRequest struct {
	Name  string
	Group string
	// Existing is the owner's yes to giving a user who already exists a
	// new one-time password (and the group). Without it an existing user
	// is left as it is and AddPerson returns a *PersonExistsError.
	Existing bool
}

// PersonResult is what AddPerson did. Password is the one-time console
// password, set only when it was made by this call: AWS never shows it
// again.
type PersonResult struct {
	Name, Group string
	Created     bool // the user is new; false: it existed (and the owner said yes)
	Joined      bool // added to the group now; false: already a member
	Replaced    bool // an existing console password was replaced
	Password    awsops.Secret
	// SelfMFA is false when the group has none of AWS's managed policies
	// that let its members set up their own MFA device (AdministratorAccess,
	// IAMFullAccess): a policy of the account's own may still allow it.
	SelfMFA bool
}

// PersonExistsError is a name already taken by a user, which AddPerson
// left as it was: replacing its password locks out whoever uses it, so
// the owner must say yes first (PersonRequest.Existing).
type PersonExistsError struct {
	Name   string
	Groups []string
	// Password says the user has a console password; ResetPending that it
	// must still be changed at the next sign-in, so nobody has signed in
	// with it since it was set.
	Password, ResetPending bool
}

func (e *PersonExistsError) Error() string { return "user " + e.Name + " already exists" }

// Unwrap makes the error an awsops.ErrAlreadyExists.
func (e *PersonExistsError) Unwrap() error { return awsops.ErrAlreadyExists }

// Said is what the owner is told, and asked.
func (e *PersonExistsError) Said() string {
	name := inert.PrintableLine(e.Name)
	said := "A user named " + name + " already exists"
	if len(e.Groups) > 0 {
		said += ", in " + plural(len(e.Groups), "group", "groups") + " " + inert.PrintableLine(strings.Join(e.Groups, ", "))
	}
	switch {
	case e.Password && e.ResetPending:
		said += ", with a console password nobody has signed in with yet."
	case e.Password:
		said += ", with a console password someone has signed in with: a new one locks them out until they get it."
	default:
		said += ", with no console password."
	}
	return said
}

// PersonRefusedError is a request AddPerson refused before changing
// anything, for a reason the owner fixes by answering again.
type PersonRefusedError struct{ Problem string }

func (e *PersonRefusedError) Error() string { return e.Problem }

// changeOwnPassword are AWS's managed policies that let a user change
// their own password; selfManageMFA those that let a user set up their
// own MFA device.
var (
	changeOwnPassword = []string{"AdministratorAccess", "IAMFullAccess", changePasswordPolicy}
	selfManageMFA     = []string{"AdministratorAccess", "IAMFullAccess"}
)

// hasManagedPolicy says whether arns hold one of AWS's managed policies
// named in names, in any partition.
func hasManagedPolicy(arns []string, names []string) bool {
	return slices.ContainsFunc(arns, func(arn string) bool {
		rest, ok := strings.CutPrefix(arn, "arn:")
		if !ok {
			return false
		}
		_, name, ok := strings.Cut(rest, ":iam::aws:policy/")
		return ok && slices.Contains(names, name)
	})
}

// AddPerson gives another person an IAM user: the user, membership of an
// existing group, and a console password that must be changed at first
// sign-in, satisfying the account's password policy. It attaches no
// policy to the user (CIS 1.15: permissions come from the group) and
// makes no access key. Before any write it checks that the group exists
// and that the person will be able to set the new password at first
// sign-in (the password policy lets users change their own, or the group
// does); else it returns a *PersonRefusedError. A user that already
// exists is changed only with req.Existing, and otherwise returned as a
// *PersonExistsError, unchanged. Run again after an interruption with
// Existing, it converges: each part is made only where it is missing,
// and the password is set anew (the one made before was never shown).
func AddPerson(ctx context.Context, acct Account, req PersonRequest) (PersonResult, error) {
	res := PersonResult{Name: req.Name, Group: req.Group}
	if err := ValidateUserName(req.Name); err != nil {
		return res, &PersonRefusedError{err.Error()}
	}
	if err := ValidateGroupName(req.Group); err != nil {
		return res, &PersonRefusedError{err.Error()}
	}
	groupPolicies, err := acct.GroupPolicies(ctx, req.Group)
	if isNotFound(err) {
		return res, &PersonRefusedError{"there is no group " + inert.PrintableLine(req.Group) + " in this account (any more): choose another"}
	}
	if err != nil {
		return res, err
	}
	res.SelfMFA = hasManagedPolicy(groupPolicies, selfManageMFA)
	policy, err := readPolicy(ctx, acct)
	if err != nil {
		return res, err
	}
	if (policy == nil || !policy.AllowUsersToChange) && !hasManagedPolicy(groupPolicies, changeOwnPassword) {
		return res, &PersonRefusedError{"the password policy does not let users change their own password, and group " + inert.PrintableLine(req.Group) +
			" has no policy that does: " + inert.PrintableLine(req.Name) + " could not set a new password at first sign-in. " +
			"Choose another group, or turn on \"Allow users to change their own password\" (IAM → Account settings → Password policy) and try again"}
	}
	if _, err := acct.CreateUser(ctx, req.Name); err == nil {
		res.Created = true
	} else if !errors.Is(err, awsops.ErrAlreadyExists) {
		return res, err
	} else if !req.Existing {
		return res, existingPerson(ctx, acct, req.Name)
	}
	if res.Joined, err = acct.EnsureUserInGroup(ctx, req.Name, req.Group); err != nil {
		return res, err
	}
	password, err := GeneratePassword(policy)
	if err != nil {
		return res, err
	}
	has, err := acct.HasLoginProfile(ctx, req.Name)
	if err != nil {
		return res, err
	}
	if has {
		// Only with the owner's yes, or for a user this call or an
		// interrupted one of ours made: its password was never shown.
		err = acct.UpdateLoginProfile(ctx, req.Name, password, true)
		res.Replaced = !res.Created
	} else if err = acct.CreateLoginProfile(ctx, req.Name, password, true); errors.Is(err, awsops.ErrAlreadyExists) {
		// There was none a moment ago: our own call made it and its reply
		// was lost, so the SDK's retry found it. Set it again, so the
		// password shown is surely the one AWS holds.
		err = acct.UpdateLoginProfile(ctx, req.Name, password, true)
	}
	if err != nil {
		return res, err
	}
	res.Password = password
	return res, nil
}

// existingPerson reads what the owner needs to know of a user that is
// already there, as a *PersonExistsError.
func existingPerson(ctx context.Context, acct Account, name string) error {
	e := &PersonExistsError{Name: name}
	var groupsErr, profileErr error
	var profile awsops.LoginProfile
	together(
		func() { e.Groups, groupsErr = acct.UserGroups(ctx, name) },
		func() { profile, e.Password, profileErr = acct.LoginProfile(ctx, name) },
	)
	if err := errors.Join(groupsErr, profileErr); err != nil {
		return err
	}
	e.ResetPending = e.Password && profile.ResetRequired
	return e
}

// PersonCLI is the aws CLI equivalent of adding req: what AddPerson did,
// once res is known (res.Name is set), else what it would do.
func PersonCLI(req PersonRequest, res PersonResult) string {
	name, group := req.Name, req.Group
	if name == "" {
		name = "USER" // not typed yet
	}
	user := inert.ShellWord(name)
	var lines []string
	if res.Name == "" || res.Created {
		lines = append(lines, "aws iam create-user --user-name "+user)
	}
	if res.Name == "" || res.Joined {
		lines = append(lines, "aws iam add-user-to-group --user-name "+user+" --group-name "+inert.ShellWord(group))
	}
	if res.Replaced {
		lines = append(lines, "aws iam update-login-profile --user-name "+user+" --password '…' --password-reset-required")
	} else {
		lines = append(lines, "aws iam create-login-profile --user-name "+user+" --password '…' --password-reset-required")
	}
	return strings.Join(lines, "\n")
}

// PersonSaid is what AddPerson did, in a sentence for the runbook.
func PersonSaid(res PersonResult) string {
	name, group := inert.PrintableLine(res.Name), inert.PrintableLine(res.Group)
	var said string
	switch {
	case res.Created:
		said = "Created user " + name + " in group " + group + ", with a console password to change at first sign-in"
	case res.Replaced:
		said = "Gave the existing user " + name + " a new console password, to change at first sign-in"
	default:
		said = "Gave the existing user " + name + " a console password, to change at first sign-in"
	}
	if !res.Created {
		if res.Joined {
			said += ", and added it to group " + group
		} else {
			said += "; it was already in group " + group
		}
	}
	said += ". No access key, and no policy on the user itself. " + PersonMFA(res.Name)
	if !res.SelfMFA {
		said += " " + PersonMFANeedsPolicy(res.Group) + " " + SelfManageMFAURL
	}
	return said
}

// PersonMFANeedsPolicy warns that group may not let its members set up
// their own MFA device, and names the policy that lets them while
// requiring it (its link is in the runbook: too long for a screen).
func PersonMFANeedsPolicy(group string) string {
	return "Group " + inert.PrintableLine(group) + " has no AWS policy that lets its members set up their own MFA device. " +
		"AWS's example policy \"Allows IAM users to self-manage an MFA device\" lets them, and denies them everything else until they sign in with it."
}

// PersonCredentialsInfo is the one-time credentials screen of a person
// added after the handoff.
func PersonCredentialsInfo(name string) Info {
	name = inert.PrintableLine(name)
	return Info{
		Title: "Save " + name + "'s password — now",
		Why: "AWS shows this password only once. Give it to " + name + " in person or through a password manager, not in the same message as the sign-in URL; " +
			name + " must change it at first sign-in. If it is lost, add " + name + " again and say yes to a new password.",
		ConsolePath: "IAM → Users → " + name + " → Security credentials → Console sign-in → Manage console access (a password is shown only when set)",
		ConsoleURL:  "https://console.aws.amazon.com/iam/home#/users",
	}
}

// Change is what AddPerson changed, for the wizard's snapshot: the user,
// in its group, with a console password and no MFA device yet.
func (res PersonResult) Change() Change {
	return func(s *Snapshot) {
		users := slices.Clone(s.Users)
		i := slices.IndexFunc(users, func(u UserFacts) bool { return u.Name == res.Name })
		if i < 0 {
			users = append(users, UserFacts{Name: res.Name})
			i = len(users) - 1
		}
		u := users[i]
		u.Groups = slices.Clone(u.Groups)
		if !slices.Contains(u.Groups, res.Group) {
			u.Groups = append(u.Groups, res.Group)
		}
		u.HasPassword, u.PasswordUnread = true, false
		users[i] = u
		s.Users = users
	}
}

// MFASetUp is the change when names have each set up an MFA device (the
// practice account's pretended first sign-in).
func MFASetUp(names []string) Change {
	return func(s *Snapshot) {
		users := slices.Clone(s.Users)
		for i, u := range users {
			if slices.Contains(names, u.Name) && u.MFADevices == 0 {
				users[i].MFADevices = 1
			}
		}
		s.Users = users
	}
}

// Person is one person added after the handoff, for the summary.
type Person struct{ Name, Group string }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
