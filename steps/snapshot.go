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
	var crash panicked
	read := func(f func()) {
		wg.Go(func() {
			defer crash.catch()
			f()
		})
	}
	read(func() { s.Summary, s.SummaryErr = acct.AccountSummary(ctx) })
	read(func() { s.Policy, s.PolicyErr = readPolicy(ctx, acct) })
	read(func() { s.AdminGroups, s.GroupsErr = adminGroups(ctx, acct, caller.AdministratorAccessARN()) })
	read(func() { s.Users, s.UsersErr = userFacts(ctx, acct) })
	read(func() { s.Alias, s.AliasErr = acct.AccountAlias(ctx) })
	read(func() { s.Regions, s.RegionsErr = acct.Regions(ctx) })
	wg.Wait()
	crash.repanic()
	return s, nil
}

// panicked carries a panic from the goroutines of a concurrent read to
// the goroutine that waits for them, where the wizard's command guard
// recovers it. Left in a goroutine of its own, a panic would end the
// program at once, with the terminal still in raw mode.
type panicked struct {
	once  sync.Once
	value any
}

// catch is deferred in each goroutine: it keeps the first panic.
func (p *panicked) catch() {
	if r := recover(); r != nil {
		p.once.Do(func() { p.value = r })
	}
}

// repanic panics with the kept panic, if any, once the goroutines are done.
func (p *panicked) repanic() {
	if p.value != nil {
		panic(p.value)
	}
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
	var crash panicked
	for i, name := range groups {
		g.Go(func() error {
			defer crash.catch()
			policies, err := acct.GroupPolicies(gctx, name)
			hasAdmin[i] = slices.Contains(policies, adminARN)
			return err
		})
	}
	err = g.Wait()
	crash.repanic()
	if err != nil {
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
	var crash panicked
	for i, u := range users {
		g.Go(func() error {
			defer crash.catch()
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
	err = g.Wait()
	crash.repanic()
	if err != nil {
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
