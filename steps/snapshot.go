package steps

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/awssecure/awssecure/awsops"
)

// Snapshot is everything the detection reads learn about an account, read
// once and concurrently. Each part carries its own error, so one denied
// read makes one check unknown rather than failing them all.
type Snapshot struct {
	Caller awsops.Caller

	Summary    awsops.AccountSummary
	SummaryErr error

	Policy    *awsops.PasswordPolicy // nil when the account has none
	PolicyErr error

	AdminGroups []string // groups with AdministratorAccess attached
	GroupsErr   error

	Users    []UserFacts
	UsersErr error

	Alias    string
	AliasErr error

	Regions    []awsops.Region
	RegionsErr error
}

// UserFacts is what the checks need to know about one IAM user.
type UserFacts struct {
	Name        string
	Groups      []string
	HasPassword bool
	MFADevices  int
}

// maxParallelReads bounds concurrent per-user and per-group reads, so an
// account with many users does not trip IAM's throttling.
const maxParallelReads = 4

// ReadSnapshot reads the account. It fails only when the caller cannot be
// identified, which means the credentials do not work at all.
func ReadSnapshot(ctx context.Context, acct Account) (Snapshot, error) {
	var s Snapshot
	caller, err := acct.WhoAmI(ctx)
	if err != nil {
		return s, err
	}
	s.Caller = caller
	var wg sync.WaitGroup
	wg.Go(func() { s.Summary, s.SummaryErr = acct.AccountSummary(ctx) })
	wg.Go(func() { s.Policy, s.PolicyErr = readPolicy(ctx, acct) })
	wg.Go(func() { s.AdminGroups, s.GroupsErr = adminGroups(ctx, acct, caller.AdministratorAccessARN()) })
	wg.Go(func() { s.Users, s.UsersErr = userFacts(ctx, acct) })
	wg.Go(func() { s.Alias, s.AliasErr = acct.AccountAlias(ctx) })
	wg.Go(func() { s.Regions, s.RegionsErr = acct.Regions(ctx) })
	wg.Wait()
	return s, nil
}

func readPolicy(ctx context.Context, acct Account) (*awsops.PasswordPolicy, error) {
	p, err := acct.PasswordPolicy(ctx)
	switch {
	case err == nil:
		return &p, nil
	case isNotFound(err):
		return nil, nil
	default:
		return nil, err
	}
}

func adminGroups(ctx context.Context, acct Account, adminARN string) ([]string, error) {
	groups, err := acct.Groups(ctx)
	if err != nil {
		return nil, err
	}
	hasAdmin := make([]bool, len(groups))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxParallelReads)
	for i, name := range groups {
		g.Go(func() error {
			policies, err := acct.GroupPolicies(gctx, name)
			hasAdmin[i] = slices.Contains(policies, adminARN)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var admins []string
	for i, name := range groups {
		if hasAdmin[i] {
			admins = append(admins, name)
		}
	}
	return admins, nil
}

func userFacts(ctx context.Context, acct Account) ([]UserFacts, error) {
	users, err := acct.Users(ctx)
	if err != nil {
		return nil, err
	}
	facts := make([]UserFacts, len(users))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxParallelReads)
	for i, u := range users {
		g.Go(func() error {
			f := UserFacts{Name: u.Name}
			var err error
			if f.Groups, err = acct.UserGroups(gctx, u.Name); err != nil {
				return err
			}
			if f.HasPassword, err = acct.HasLoginProfile(gctx, u.Name); err != nil {
				return err
			}
			devices, err := acct.UserMFADevices(gctx, u.Name)
			if err != nil {
				return err
			}
			f.MFADevices = len(devices)
			facts[i] = f
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	return facts, nil
}

// AdminUsers are the users in an admin group who have a console password.
func (s Snapshot) AdminUsers() []UserFacts {
	var admins []UserFacts
	for _, u := range s.Users {
		if u.HasPassword && slices.ContainsFunc(u.Groups, func(g string) bool { return slices.Contains(s.AdminGroups, g) }) {
			admins = append(admins, u)
		}
	}
	return admins
}

// IsAdminUser reports whether name is one of AdminUsers.
func (s Snapshot) IsAdminUser(name string) bool {
	return slices.ContainsFunc(s.AdminUsers(), func(u UserFacts) bool { return u.Name == name })
}
