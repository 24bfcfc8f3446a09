package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// AdminUser is the admin user step (seed 002): an IAM user in the
// administrators group with a console password and an access key, then
// MFA for it, then its one-time credentials, shown once.
var AdminUser = FormStep[UserRequest]{
	Step: Step{
		ID: "admin-user",
		Info: Info{
			Title: "Create your admin IAM user",
			Why: "From now on you work as this IAM user, not as root. It is in the administrators group, so it can do your daily work; " +
				"if its credentials leak, root can lock it out. It gets a console password (to be changed at first sign-in) and, as in the tutorial, an access key for the AWS CLI. " +
				"Its permissions come from the group alone, with no policy on the user itself (CIS 1.15): the group's AdministratorAccess already lets it set its new password.",
			ConsolePath: "IAM → Users → Create user → Provide user access to the console → Add user to group administrators",
			ConsoleURL:  "https://console.aws.amazon.com/iam/home#/users",
		},
		// The group step's facts come from the same bulk reads, so they are
		// read here, together (see readPeople).
		ReadFirst: func(ctx context.Context, acct Account, s *Snapshot) {
			readPeople(ctx, acct, s)
		},
		// Its last three checks come later in the schema (see checkOrder).
		Checks: func(s Snapshot) []Check {
			return []Check{adminUserCheck(s), adminUserMFACheck(s), userPoliciesCheck(s), keysRotatedCheck(s), unusedCredentialsCheck(s)}
		},
	},
	Done: func(s Snapshot) (string, bool) {
		admins := s.AdminUsers()
		if adminUserCheck(s).Status != Pass || len(admins) == 0 {
			return "", false
		}
		var names []string
		for _, u := range admins {
			names = append(names, u.Name)
		}
		return "admin user " + strings.Join(names, ", ") + " can sign in to the console.", true
	},
	Default: func(s Snapshot) UserRequest {
		req := UserRequest{Group: s.AdminGroupName(), Console: true, Programmatic: true}
		if admins := s.AdminUsers(); len(admins) > 0 {
			req.Name = admins[0].Name // redoing the step is for the admin user there is
		}
		req.DropChangePassword = s.ChangePasswordOn(req.Name)
		return req
	},
	Doing: func(req UserRequest) string { return "Creating user " + req.Name + "…" },
	Apply: func(ctx context.Context, acct Account, caller awsops.Caller, req UserRequest) (Outcome, error) {
		res, err := ApplyAdminUser(ctx, acct, caller, req)
		if err != nil {
			return Outcome{}, err
		}
		return res.outcome(caller, req), nil
	},
	CLI: func(caller awsops.Caller, req UserRequest) string { return UserCLI(caller, req) },
}

// AccessKeyAdvice is the one-line caveat shown next to the access key option.
const AccessKeyAdvice = "An access key is a password for programs such as the AWS CLI. Keep it secret, and delete it when no tool needs it; in AWS CloudShell you need none."

// changePasswordPolicy is the managed policy the console attaches so a
// user can set the new password that first sign-in demands. awssecure
// once attached it to the admin user too; it no longer does, and a rerun
// detaches it (see dropChangePassword): CIS 1.15 fails any user with a
// policy of its own, and the admin group's AdministratorAccess already
// allows iam:ChangePassword.
const changePasswordPolicy = "IAMUserChangePassword"

// ValidateUserName applies IAM's user name rules.
var ValidateUserName = awsops.ValidateUserName

// UserRequest is what the user form asks.
type UserRequest struct {
	Name         string
	Group        string
	Console      bool // console password
	Programmatic bool // access key
	// DropChangePassword detaches IAMUserChangePassword from the user, an
	// existing one an earlier awssecure attached it to: set only once the
	// form has said so (see ChangePasswordOn), so nothing is taken away
	// unseen.
	DropChangePassword bool
}

// UserResult is what the credentials screen shows. Password and AccessKey
// are set only when created by this call: AWS never shows them again.
type UserResult struct {
	Name      string
	Created   bool // the user is new; false when it already existed
	Password  awsops.Secret
	AccessKey *awsops.AccessKey
	// Kept lists what already existed and was left alone, in plain words.
	Kept []string
	// Removed lists what was taken away, and why, in plain words.
	Removed []string
}

// ApplyAdminUser creates the user and whatever of its access is missing,
// in an order that a rerun after any interruption completes: user, group
// membership, console password, access key. An existing user loses the
// IAMUserChangePassword an earlier awssecure attached to it, when the
// request says so (the form showed it).
func ApplyAdminUser(ctx context.Context, acct Account, caller awsops.Caller, req UserRequest) (UserResult, error) {
	res := UserResult{Name: req.Name, Created: true}
	if _, err := acct.CreateUser(ctx, req.Name); errors.Is(err, awsops.ErrAlreadyExists) {
		res.Created = false
		res.Kept = append(res.Kept, "user "+req.Name+" already existed")
	} else if err != nil {
		return res, err
	}
	if _, err := acct.EnsureUserInGroup(ctx, req.Name, req.Group); err != nil {
		return res, err
	}
	if !res.Created && req.DropChangePassword {
		if err := dropChangePassword(ctx, acct, caller, req.Group, &res); err != nil {
			return res, err
		}
	}
	if req.Console {
		if err := ensureConsolePassword(ctx, acct, caller, &res); err != nil {
			return res, err
		}
	}
	if req.Programmatic {
		keys, err := acct.AccessKeys(ctx, req.Name)
		if err != nil {
			return res, err
		}
		if len(keys) > 0 {
			res.Kept = append(res.Kept, fmt.Sprintf("access key %s already existed; its secret was shown when it was made and cannot be shown again", keys[0].ID))
			return res, nil
		}
		key, err := createAccessKey(ctx, acct, req.Name)
		if err != nil {
			return res, err
		}
		res.AccessKey = &key
	}
	return res, nil
}

// RenewCredentials gives an existing user a new console password (to be
// changed at first sign-in) and a new access key that replaces the old
// ones. It is for the learner whose first run stopped before the
// credentials screen, or who did not save them: AWS never shows a secret
// twice, so new ones are the only way back in.
func RenewCredentials(ctx context.Context, acct Account, caller awsops.Caller, user string) (UserResult, error) {
	res := UserResult{Name: user}
	// Checked first, so that nothing changes when the key cannot be made.
	keys, err := acct.AccessKeys(ctx, user)
	if err != nil {
		return res, err
	}
	if len(keys) >= 2 {
		// Making room would mean choosing which key to break; the user must.
		return res, &awsops.OpError{Action: "iam:CreateAccessKey", Kind: awsops.ErrLimitExceeded,
			Err: fmt.Errorf("%s already has two access keys, the most AWS allows", user)}
	}
	has, err := acct.HasLoginProfile(ctx, user)
	if err != nil {
		return res, err
	}
	if !has {
		if err := ensureConsolePassword(ctx, acct, caller, &res); err != nil {
			return res, err
		}
	} else {
		policy, err := readPolicy(ctx, acct)
		if err != nil {
			return res, err
		}
		password, err := GeneratePassword(policy)
		if err != nil {
			return res, err
		}
		if err := acct.UpdateLoginProfile(ctx, user, password, true); err != nil {
			return res, err
		}
		res.Password = password
	}
	key, err := createAccessKey(ctx, acct, user)
	if err != nil {
		return res, err
	}
	res.AccessKey = &key
	return res, nil
}

// createAccessKey makes a key and leaves the user with it alone. If
// the reply to CreateAccessKey is lost, the SDK's retry makes a second key
// and the first one's secret is gone; and if the call fails after AWS made
// the key, its secret is gone too. Any key other than the one whose secret
// we hold is deleted, so a user never keeps a key nobody can use.
func createAccessKey(ctx context.Context, acct Account, user string) (awsops.AccessKey, error) {
	before, err := acct.AccessKeys(ctx, user)
	if err != nil {
		return awsops.AccessKey{}, err
	}
	known := make(map[string]bool, len(before))
	for _, k := range before {
		known[k.ID] = true
	}
	key, createErr := acct.CreateAccessKey(ctx, user)
	after, err := acct.AccessKeys(ctx, user)
	if err != nil {
		return key, errors.Join(createErr, err)
	}
	for _, k := range after {
		// Keys from before stay when the new one failed: they may be the
		// only way the user has in.
		if createErr == nil && k.ID == key.ID || createErr != nil && known[k.ID] {
			continue
		}
		if err := deleteKeyHard(ctx, acct, user, k.ID); err != nil {
			return key, errors.Join(createErr, err)
		}
	}
	return key, createErr
}

// deleteKeyHard deletes a key nobody holds the secret of, trying a few
// more times than the SDK's retries: left behind, it would sit beside the
// user's key for good, a credential no one can rotate or account for.
// A key already gone is deleted.
func deleteKeyHard(ctx context.Context, acct Account, user, keyID string) error {
	var err error
	for range 3 {
		if err = acct.DeleteAccessKey(ctx, user, keyID); err == nil || errors.Is(err, awsops.ErrNotFound) {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
	}
	return err
}

// dropChangePassword detaches IAMUserChangePassword from an existing
// user, when group, which the user is in, has AdministratorAccess: that
// already allows iam:ChangePassword, so the user can still set the new
// password that first sign-in asks for, and no policy is left on the
// user itself (CIS 1.15). A user in no such group keeps it.
func dropChangePassword(ctx context.Context, acct Account, caller awsops.Caller, group string, res *UserResult) error {
	arn := ChangePasswordARN(caller)
	attached, err := acct.UserPolicies(ctx, res.Name)
	if err != nil || !slices.Contains(attached, arn) {
		return err
	}
	policies, err := acct.GroupPolicies(ctx, group)
	if err != nil || !slices.ContainsFunc(policies, isAdministratorAccess) {
		return err
	}
	if err := acct.DetachUserPolicy(ctx, res.Name, arn); err != nil && !errors.Is(err, awsops.ErrNotFound) {
		return err
	}
	user := inert.PrintableLine(res.Name)
	res.Removed = append(res.Removed, changePasswordPolicy+" is detached from "+user+": group "+inert.PrintableLine(group)+
		"'s AdministratorAccess already lets "+user+" change its password, and CIS 1.15 wants no policy on a user itself")
	return nil
}

func ensureConsolePassword(ctx context.Context, acct Account, caller awsops.Caller, res *UserResult) error {
	has, err := acct.HasLoginProfile(ctx, res.Name)
	if err != nil {
		return err
	}
	if has {
		res.Kept = append(res.Kept, "a console password already existed and was not changed")
		return nil
	}
	policy, err := readPolicy(ctx, acct)
	if err != nil {
		return err
	}
	password, err := GeneratePassword(policy)
	if err != nil {
		return err
	}
	err = acct.CreateLoginProfile(ctx, res.Name, password, true)
	if errors.Is(err, awsops.ErrAlreadyExists) {
		// There was none a moment ago: our own call made it and its reply
		// was lost, so the SDK's retry found it. Set the password again so
		// the one shown is surely the one AWS holds.
		err = acct.UpdateLoginProfile(ctx, res.Name, password, true)
	}
	if err != nil {
		return err
	}
	res.Password = password
	return nil
}

// RenewCLI is the aws CLI equivalent of RenewCredentials.
func RenewCLI(user string) string {
	user = inert.ShellWord(user)
	return "aws iam update-login-profile --user-name " + user + " --password '…' --password-reset-required\n" +
		"aws iam list-access-keys --user-name " + user + "\n" +
		"aws iam create-access-key --user-name " + user + "\n" +
		"aws iam delete-access-key --user-name " + user + " --access-key-id OLD_KEY_ID"
}

// UserCLI is the aws CLI equivalent of req.
func UserCLI(caller awsops.Caller, req UserRequest) string {
	if req.Name == "" {
		req.Name = "USER" // not typed yet
	}
	user := inert.ShellWord(req.Name)
	cmd := "aws iam create-user --user-name " + user + "\n" +
		"aws iam add-user-to-group --user-name " + user + " --group-name " + inert.ShellWord(req.Group)
	if req.Console {
		cmd += "\naws iam create-login-profile --user-name " + user + " --password '…' --password-reset-required"
	}
	if req.Programmatic {
		cmd += "\naws iam create-access-key --user-name " + user
	}
	if req.DropChangePassword {
		cmd += "\n" + DetachChangePasswordCLI(caller, req.Name)
	}
	return cmd
}

// ChangePasswordARN is the AWS managed policy IAMUserChangePassword in
// the caller's partition.
func ChangePasswordARN(caller awsops.Caller) string {
	return "arn:" + caller.Partition() + ":iam::aws:policy/" + changePasswordPolicy
}

// ChangePasswordOn reports whether the snapshot's bulk read found the AWS
// managed IAMUserChangePassword attached to user itself, as an earlier
// awssecure attached it to the admin user, in any partition.
func (s Snapshot) ChangePasswordOn(user string) bool {
	for _, p := range s.UserPolicies {
		if p.User == user && slices.ContainsFunc(p.Attached, isChangePassword) {
			return true
		}
	}
	return false
}

// AdminGroupOf is the first admin group user is in ("" for none).
func (s Snapshot) AdminGroupOf(user string) string {
	for _, u := range s.Users {
		if u.Name != user {
			continue
		}
		for _, g := range u.Groups {
			if slices.Contains(s.AdminGroups, g) {
				return g
			}
		}
	}
	return ""
}

// isChangePassword reports whether arn is the AWS managed
// IAMUserChangePassword (any partition), not a customer policy of that name.
func isChangePassword(arn string) bool {
	partition, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return false
	}
	partition, ok = strings.CutSuffix(partition, ":iam::aws:policy/"+changePasswordPolicy)
	return ok && partition != "" && !strings.Contains(partition, ":")
}

// ChangePasswordWhy says, before anything is done, what DetachChangePassword
// takes away from user and why that loses nothing.
func ChangePasswordWhy(user, group string) string {
	return changePasswordPolicy + " is attached to " + inert.PrintableLine(user) + " itself (an earlier awssecure put it there). " +
		"CIS 1.15 wants no policy on a user, and group " + inert.PrintableLine(group) + "'s AdministratorAccess already lets " +
		inert.PrintableLine(user) + " change its password: it is detached, nothing else changes."
}

// DetachChangePassword detaches IAMUserChangePassword from an admin user
// found done (see ChangePasswordOn), when group, which the user is in,
// has AdministratorAccess; what it did is said for the runbook.
func DetachChangePassword(ctx context.Context, acct Account, caller awsops.Caller, user, group string) (Outcome, error) {
	res := UserResult{Name: user}
	if err := dropChangePassword(ctx, acct, caller, group, &res); err != nil {
		return Outcome{}, err
	}
	if len(res.Removed) == 0 {
		// Detached meanwhile, or the group no longer gives AdministratorAccess:
		// then it may be the user's only way to set a new password.
		return Outcome{Said: changePasswordPolicy + " was left as it is: it is no longer on " + inert.PrintableLine(user) +
			", or group " + inert.PrintableLine(group) + " no longer has AdministratorAccess."}, nil
	}
	return Outcome{Changed: true, Said: strings.Join(res.Removed, ". ") + ".", Change: func(s *Snapshot) {
		s.UserPolicies = dropPolicy(s.UserPolicies, user, ChangePasswordARN(caller))
	}}, nil
}

// DetachChangePasswordCLI is the aws CLI of DetachChangePassword.
func DetachChangePasswordCLI(caller awsops.Caller, user string) string {
	return "aws iam detach-user-policy --user-name " + inert.ShellWord(user) + " --policy-arn " + inert.ShellWord(ChangePasswordARN(caller))
}

// outcome is what the step did, for the wizard: the user in the snapshot
// and the one-time credentials, if any were made.
func (res UserResult) outcome(caller awsops.Caller, req UserRequest) Outcome {
	said := "User " + res.Name + " is ready."
	for _, r := range res.Removed {
		said += "\n" + r + "."
	}
	o := Outcome{Changed: res.Created || !res.Password.IsZero() || res.AccessKey != nil || len(res.Removed) > 0, Said: said,
		Change: func(s *Snapshot) {
			i := slices.IndexFunc(s.Users, func(u UserFacts) bool { return u.Name == res.Name })
			users := slices.Clone(s.Users)
			if i < 0 {
				users = append(users, UserFacts{Name: res.Name})
				i = len(users) - 1
			}
			u := users[i]
			u.Groups = slices.Clone(u.Groups)
			if req.Group != "" && !slices.Contains(u.Groups, req.Group) {
				u.Groups = append(u.Groups, req.Group)
			}
			u.HasPassword = u.HasPassword || req.Console
			users[i] = u
			s.Users, s.UsersErr = users, nil
			if len(res.Removed) > 0 {
				s.UserPolicies = dropPolicy(s.UserPolicies, res.Name, ChangePasswordARN(caller))
			}
		}}
	if !res.Password.IsZero() || res.AccessKey != nil {
		o.Credentials = &Credentials{User: res.Name, Password: res.Password, AccessKey: res.AccessKey}
	}
	return o
}

// RenewAdminCredentials is RenewCredentials as an Outcome for the wizard.
func RenewAdminCredentials(ctx context.Context, acct Account, caller awsops.Caller, user string) (Outcome, error) {
	res, err := RenewCredentials(ctx, acct, caller, user)
	if err != nil {
		return Outcome{}, err
	}
	return res.outcome(caller, UserRequest{Name: user, Console: true}), nil
}

// UserFacts is what the checks need to know about one IAM user.
type UserFacts struct {
	Name        string
	Groups      []string
	HasPassword bool
	// PasswordUnread is true when the console password was not read
	// (HasPassword is then false): the user has a virtual MFA device and
	// is in no admin group, so no verdict depends on it (see readPeople).
	PasswordUnread bool
	MFADevices     int
}

// adminUserCheck cites no CIS control: CIS 1.7 (avoid root's use) is
// audited by when root was last used, which this check does not read.
func adminUserCheck(s Snapshot) Check {
	const title, cis = "Admin IAM user for daily work", ""
	switch {
	case s.GroupsErr != nil:
		return unknown(CheckAdminUser, title, cis, s.GroupsErr)
	case s.UsersErr != nil:
		return unknown(CheckAdminUser, title, cis, s.UsersErr)
	}
	admins := s.AdminUsers()
	if len(admins) == 0 {
		return Check{CheckAdminUser, Fail, title, "no IAM user with a console password is in an administrators group", cis}
	}
	var names []string
	for _, u := range admins {
		names = append(names, u.Name)
	}
	return Check{CheckAdminUser, Pass, title, strings.Join(names, ", "), cis}
}

func adminUserMFACheck(s Snapshot) Check {
	const title, cis = "Console users have MFA", "1.10"
	if s.UsersErr != nil {
		return unknown(CheckAdminUserMFA, title, cis, s.UsersErr)
	}
	var consoleUsers, unread int
	var missing []string
	for _, u := range s.Users {
		if u.PasswordUnread {
			unread++
		}
		if u.HasPassword {
			consoleUsers++
			if u.MFADevices == 0 {
				missing = append(missing, u.Name)
			}
		}
	}
	switch {
	case consoleUsers == 0:
		// CIS 1.10's audit finds no console user without MFA: it passes.
		return Check{CheckAdminUserMFA, Pass, title, "no IAM user has a console password yet, so none lacks MFA", cis}
	case len(missing) > 0:
		return Check{CheckAdminUserMFA, Fail, title, "without MFA: " + strings.Join(missing, ", "), cis}
	}
	if unread > 0 {
		// Some users with MFA were not asked whether they have a password:
		// the count of console users is not known, and not needed.
		return Check{CheckAdminUserMFA, Pass, title, "every console user has MFA", cis}
	}
	if consoleUsers == 1 {
		return Check{CheckAdminUserMFA, Pass, title, "the one console user has MFA", cis}
	}
	return Check{CheckAdminUserMFA, Pass, title, fmt.Sprintf("all %d console users have MFA", consoleUsers), cis}
}

// dropPolicy is policies without policyARN on user, for an Outcome's
// Change; users left with none are left out.
func dropPolicy(policies []UserPolicies, user, policyARN string) []UserPolicies {
	var out []UserPolicies
	for _, p := range policies {
		if p.User == user {
			p.Attached = slices.DeleteFunc(slices.Clone(p.Attached), func(a string) bool { return a == policyARN })
			if len(p.Attached) == 0 && len(p.Inline) == 0 {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// userPoliciesCheck is CIS 1.15: IAM users get their permissions through
// groups (and roles) only, with no managed or inline policy on a user
// itself. It comes from the bulk read of users, which lists each user's
// policies: no call of its own.
func userPoliciesCheck(s Snapshot) Check {
	const title, cis = "Permissions via groups only", "1.15"
	if s.UserPoliciesErr != nil {
		return unknown(CheckUserPolicies, title, cis, s.UserPoliciesErr)
	}
	if len(s.UserPolicies) == 0 {
		return Check{CheckUserPolicies, Pass, title, "no IAM user has a policy of its own", cis}
	}
	// By name, so the detail is the same from one read to the next: the
	// bulk read's order of users is not fixed (moto's varied).
	byName := slices.SortedFunc(slices.Values(s.UserPolicies), func(a, b UserPolicies) int { return strings.Compare(a.User, b.User) })
	var names []string
	for _, p := range byName {
		var what []string
		for _, arn := range p.Attached {
			what = append(what, inert.PrintableLine(policyName(arn)))
		}
		for _, name := range p.Inline {
			what = append(what, "inline "+inert.PrintableLine(name))
		}
		names = append(names, inert.PrintableLine(p.User)+" ("+strings.Join(what, ", ")+")")
	}
	return Check{CheckUserPolicies, Fail, title, "policies on users, not groups: " + nameList(names), cis}
}

// policyName is the name at the end of a policy's ARN.
func policyName(arn string) string {
	return arn[strings.LastIndex(arn, "/")+1:]
}
