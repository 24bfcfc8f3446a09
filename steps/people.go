package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/awssecure/awssecure/awsops"
)

// readPeople reads the facts of the group step and the admin user step
// together into s, in a number of calls that grows with the admins and
// with the users who have no virtual MFA device, never with the users in
// general:
//
//  1. beside every other step's first reads: iam:GetAccountAuthorizationDetails
//     (users with their groups and their own policies, groups with their
//     managed policies; one call per thousand) and
//     iam:ListVirtualMFADevices (the assigned
//     devices and their users; one call per thousand);
//  2. iam:GetLoginProfile for each member of an admin group and each user
//     without a virtual MFA device;
//  3. iam:ListMFADevices for each of those who has a console password and
//     no virtual device (hardware keys and FIDO keys are listed only
//     there), unless iam:GetAccountSummary (read in round 1) counts no
//     more devices in use than the users' virtual ones: then no user has
//     any other; and, only when no console user was found yet,
//     GetLoginProfile for the users left unread, so "no console user"
//     stays a fact.
//
// Every fact a verdict rests on is read live; none is taken from the
// credential report. The report is up to four hours old, and each of its
// columns can move a verdict the wrong way: password_enabled=false for a
// user who has since been given a password would pass admin-user-mfa;
// password_enabled=true for a password since deleted would pass
// admin-user; mfa_active=true for a device since removed would pass
// admin-user-mfa. Trusting only the safe direction (true passwords of
// users without MFA, false mfa_active) would turn a pass into a fail for
// a fresh change, and would still leave the users with no password — the
// programmatic ones, the many — to be read live. So the report would save
// nothing that exactness allows, and it costs two calls and a round trip.
//
// What is left unread is exactly what no verdict depends on: the console
// password of a user who has a virtual MFA device and is in no admin
// group. Such a user passes admin-user-mfa with or without a password and
// cannot be an admin user; its UserFacts says PasswordUnread.
func readPeople(ctx context.Context, acct Account, s *Snapshot) {
	s.AdminGroups, s.GroupsErr, s.Users, s.UsersErr = readGroupsAndUsers(ctx, acct, s)
}

// readGroupsAndUsers is readPeople's reads; it fills in s the users'
// names and own policies as soon as the bulk read has them.
func readGroupsAndUsers(ctx context.Context, acct Account, s *Snapshot) (adminGroups []string, groupsErr error, users []UserFacts, usersErr error) {
	var details awsops.AuthorizationDetails
	var devices []awsops.MFADeviceInfo
	var summary awsops.AccountSummary
	var detailsErr, devicesErr, summaryErr error
	// None cancels another: a denied MFA listing leaves the group check
	// readable.
	together(
		func() { details, detailsErr = acct.AuthorizationDetails(ctx) },
		func() { devices, devicesErr = acct.AssignedVirtualMFADevices(ctx) },
		func() { summary, summaryErr = acct.AccountSummary(ctx) },
	)
	if detailsErr != nil {
		s.UserPoliciesErr = detailsErr
		return nil, detailsErr, nil, detailsErr
	}
	s.UserNames, s.UserPolicies = ownPolicies(details.Users)
	for _, grp := range details.Groups {
		if slices.ContainsFunc(grp.Policies, isAdministratorAccess) {
			adminGroups = append(adminGroups, grp.Name)
		}
	}
	if devicesErr != nil {
		return adminGroups, nil, nil, fmt.Errorf("read users: %w", devicesErr)
	}
	// Without the summary, every console user without a virtual device
	// is asked for its other devices.
	inUse := -1
	if summaryErr == nil {
		inUse = summary.MFADevicesInUse
	}
	users, err := userFacts(ctx, acct, details.Users, adminGroups, devices, inUse)
	if err != nil {
		return adminGroups, nil, nil, fmt.Errorf("read users: %w", err)
	}
	return adminGroups, nil, users, nil
}

// userFacts completes what the bulk reads said about each user with the
// live reads readPeople describes (its rounds 2 and 3). devicesInUse is
// GetAccountSummary's count of the users' MFA devices of every kind, or
// -1 when it could not be read.
func userFacts(ctx context.Context, acct Account, details []awsops.UserDetail, adminGroups []string, devices []awsops.MFADeviceInfo, devicesInUse int) ([]UserFacts, error) {
	facts := make([]UserFacts, len(details))
	virtual := 0
	for i, u := range details {
		facts[i] = UserFacts{Name: u.Name, Groups: slices.Clone(u.Groups), PasswordUnread: true}
		for _, d := range devices {
			if d.User == u.Name {
				facts[i].MFADevices++
				virtual++
			}
		}
	}
	// Every device in use is a virtual one of a user listed: no user has
	// a hardware or FIDO key to look for. Should AWS count the root
	// user's device too, the count is only higher and the keys are
	// looked for: never a device missed.
	onlyVirtual := devicesInUse >= 0 && devicesInUse <= virtual
	// Round 2: the passwords some verdict depends on.
	isAdmin := func(f UserFacts) bool {
		return slices.ContainsFunc(f.Groups, func(g string) bool { return slices.Contains(adminGroups, g) })
	}
	if err := readLive(ctx, facts, pick(facts, func(f UserFacts) bool { return f.MFADevices == 0 || isAdmin(f) }), readPassword(acct)); err != nil {
		return nil, err
	}
	// Round 3: the other MFA devices of console users without a virtual
	// one, and, when no console user was found, the passwords left unread.
	// The two sets are apart: the second have virtual devices.
	var others []int
	if !onlyVirtual {
		others = pick(facts, func(f UserFacts) bool { return f.HasPassword && f.MFADevices == 0 })
	}
	var unread []int
	if !slices.ContainsFunc(facts, func(f UserFacts) bool { return f.HasPassword }) {
		unread = pick(facts, func(f UserFacts) bool { return f.PasswordUnread })
	}
	var wg sync.WaitGroup
	var crash panicked
	var devicesErr, passwordsErr error
	wg.Go(func() {
		defer crash.catch()
		devicesErr = readLive(ctx, facts, others, readDevices(acct))
	})
	wg.Go(func() {
		defer crash.catch()
		passwordsErr = readLive(ctx, facts, unread, readPassword(acct))
	})
	wg.Wait()
	crash.repanic()
	if err := errors.Join(devicesErr, passwordsErr); err != nil {
		return nil, err
	}
	return facts, nil
}

// pick is the indexes of the users which chooses.
func pick(facts []UserFacts, which func(UserFacts) bool) []int {
	var picked []int
	for i, f := range facts {
		if which(f) {
			picked = append(picked, i)
		}
	}
	return picked
}

// readLive runs read on each picked user, concurrently and bounded; each
// read writes only its own user's facts.
func readLive(ctx context.Context, facts []UserFacts, picked []int, read func(context.Context, *UserFacts) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxParallelReads)
	var crash panicked
	for _, i := range picked {
		g.Go(func() error {
			defer crash.catch()
			return read(gctx, &facts[i])
		})
	}
	err := g.Wait()
	crash.repanic()
	return err
}

// readPassword reads whether a user has a console password.
func readPassword(acct Account) func(context.Context, *UserFacts) error {
	return func(ctx context.Context, f *UserFacts) error {
		has, err := acct.HasLoginProfile(ctx, f.Name)
		if err == nil {
			f.HasPassword, f.PasswordUnread = has, false
		}
		return err
	}
}

// readDevices counts every MFA device of a user: a hardware or FIDO key
// shows only in ListMFADevices, never in the virtual devices' list.
func readDevices(acct Account) func(context.Context, *UserFacts) error {
	return func(ctx context.Context, f *UserFacts) error {
		serials, err := acct.UserMFADevices(ctx, f.Name)
		if err == nil {
			f.MFADevices = len(serials)
		}
		return err
	}
}

// isAdministratorAccess reports whether arn is AWS's managed policy
// AdministratorAccess, in any partition: the partition is the account's
// own, so the bulk read needs no caller to be known first.
func isAdministratorAccess(arn string) bool {
	partition, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return false
	}
	partition, ok = strings.CutSuffix(partition, ":iam::aws:policy/AdministratorAccess")
	return ok && partition != "" && !strings.Contains(partition, ":")
}

// UserPolicies is an IAM user with policies on itself: the ARNs of the
// managed policies attached to it and the names of its inline policies.
type UserPolicies struct {
	User     string
	Attached []string
	Inline   []string
}

// ownPolicies are the users' names and the users with policies of their
// own, from the bulk read.
func ownPolicies(users []awsops.UserDetail) ([]string, []UserPolicies) {
	names := make([]string, 0, len(users))
	var own []UserPolicies
	for _, u := range users {
		names = append(names, u.Name)
		if len(u.Policies) > 0 || len(u.InlinePolicies) > 0 {
			own = append(own, UserPolicies{User: u.Name, Attached: slices.Clone(u.Policies), Inline: slices.Clone(u.InlinePolicies)})
		}
	}
	return names, own
}
