package steps_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// peopleAccount is what the people tests build states with.
type peopleAccount interface {
	steps.Account
	CreateGroup(context.Context, string) error
	AttachGroupPolicy(context.Context, string, string) error
}

// person is one user of a test state.
type person struct {
	groups   []string
	password bool
	virtual  bool   // a virtual MFA device
	hardware string // a hardware MFA device's serial (moto only)
}

// buildPeople makes groups ("administrators" with AdministratorAccess,
// "team" with ReadOnlyAccess) and the users.
func buildPeople(t *testing.T, ctx context.Context, a peopleAccount, users map[string]person) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := a.EnsureGroupWithPolicy(ctx, "administrators", "arn:aws:iam::aws:policy/AdministratorAccess")
	must(err)
	_, err = a.EnsureGroupWithPolicy(ctx, "team", "arn:aws:iam::aws:policy/ReadOnlyAccess")
	must(err)
	for name, p := range users {
		_, err := a.CreateUser(ctx, name)
		must(err)
		for _, g := range p.groups {
			_, err := a.EnsureUserInGroup(ctx, name, g)
			must(err)
		}
		if p.password {
			must(a.CreateLoginProfile(ctx, name, awsops.NewSecret("Xy7!people-Pass-1"), false))
		}
		if p.virtual {
			dev, err := a.CreateVirtualMFADevice(ctx, name)
			must(err)
			c1, c2 := awsops.PhoneCodes(dev.Seed, time.Now())
			must(a.EnableMFADevice(ctx, name, dev.Serial, c1, c2))
		}
		if p.hardware != "" {
			must(a.EnableMFADevice(ctx, name, p.hardware, "123456", "654321"))
		}
	}
}

// perUserPeople is the group and user facts as status read them before
// the bulk reads, one user at a time: the reference readPeople must agree
// with, verdict for verdict.
func perUserPeople(t *testing.T, ctx context.Context, a steps.Account) steps.Snapshot {
	t.Helper()
	var s steps.Snapshot
	groups, err := a.Groups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		policies, err := a.GroupPolicies(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(policies, "arn:aws:iam::aws:policy/AdministratorAccess") {
			s.AdminGroups = append(s.AdminGroups, g)
		}
	}
	users, err := a.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		f := steps.UserFacts{Name: u.Name}
		f.Groups, _ = a.UserGroups(ctx, u.Name)
		f.HasPassword, _ = a.HasLoginProfile(ctx, u.Name)
		devices, _ := a.UserMFADevices(ctx, u.Name)
		f.MFADevices = len(devices)
		s.Users = append(s.Users, f)
	}
	return s
}

// sameVerdicts compares the group and user checks of the bulk read with
// the per-user reference: same statuses, same details, except that a
// pass may say "every console user has MFA" where the reference counts
// them (the bulk read does not ask users with MFA for their password).
func sameVerdicts(t *testing.T, got, want steps.Snapshot) {
	t.Helper()
	ids := []string{steps.CheckAdminGroup, steps.CheckAdminUser, steps.CheckAdminUserMFA}
	pick := func(s steps.Snapshot) map[string]steps.Check {
		m := map[string]steps.Check{}
		for _, c := range steps.Checks(s) {
			if slices.Contains(ids, c.ID) {
				m[c.ID] = c
			}
		}
		return m
	}
	g, w := pick(got), pick(want)
	for _, id := range ids {
		if g[id].Status != w[id].Status {
			t.Errorf("%s: bulk %s (%s), per user %s (%s)", id, g[id].Status, g[id].Detail, w[id].Status, w[id].Detail)
			continue
		}
		if g[id].Detail != w[id].Detail && !(id == steps.CheckAdminUserMFA && g[id].Detail == "every console user has MFA") {
			t.Errorf("%s detail: bulk %q, per user %q", id, g[id].Detail, w[id].Detail)
		}
	}
}

// On random practice accounts (admins or not, passwords or not, MFA or
// not), the bulk reads give every verdict and detail the per-user reads
// give.
func TestPeopleAgreeWithPerUserReadsOnPractice(t *testing.T) {
	for seed := range uint64(60) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			users := map[string]person{}
			for i := range rng.IntN(6) {
				var p person
				switch rng.IntN(3) {
				case 0:
					p.groups = []string{"administrators"}
				case 1:
					p.groups = []string{"team"}
				}
				p.password, p.virtual = rng.IntN(2) == 0, rng.IntN(2) == 0
				users[fmt.Sprintf("u%d", i)] = p
			}
			a := practice(t)
			ctx := t.Context()
			buildPeople(t, ctx, a, users)
			got, err := steps.ReadSnapshot(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			sameVerdicts(t, got, perUserPeople(t, ctx, a))
		})
	}
}

// On moto through the real SDK, with the cases the bulk reads must not
// miss: a hardware MFA device (not among the virtual ones), a console
// user who has MFA and is no admin (whose password is read only when no
// other console user is found), an admin without a password.
func TestPeopleAgreeWithPerUserReadsOnMoto(t *testing.T) {
	admin := []string{"administrators"}
	for name, users := range map[string]map[string]person{
		"hardware MFA only":           {"alice": {groups: admin, password: true, hardware: "GAHT12345678"}},
		"hardware MFA, not an admin":  {"bob": {password: true, hardware: "GAHT12345679"}, "alice": {groups: admin, password: true, virtual: true}},
		"console user with MFA alone": {"bob": {groups: []string{"team"}, password: true, virtual: true}},
		"MFA but no password":         {"bob": {groups: []string{"team"}, virtual: true}},
		"admin without password":      {"alice": {groups: admin, virtual: true}, "bob": {password: true, virtual: true}},
		"programmatic users":          {"alice": {groups: admin, password: true, virtual: true}, "ci": {}, "deploy": {groups: []string{"team"}}},
		"console user without MFA":    {"alice": {groups: admin, password: true, virtual: true}, "bob": {password: true}},
	} {
		t.Run(name, func(t *testing.T) {
			moto.Use(t, awstest.NewAccountAPI(t).URL)
			ctx := awstest.Context(t)
			c, err := awsops.New(ctx, awsops.Options{})
			if err != nil {
				t.Fatal(err)
			}
			buildPeople(t, ctx, c, users)
			got, err := steps.ReadSnapshot(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			sameVerdicts(t, got, perUserPeople(t, ctx, c))
		})
	}
}

// The calls status makes do not grow with users who have MFA, and grow by
// one per user without MFA (its password) — never by three per user.
func TestPeopleCallsDoNotGrowWithUsers(t *testing.T) {
	count := func(t *testing.T, users map[string]person) map[string]int {
		iam, _, _ := moto.UseThroughProxies(t)
		ctx := awstest.Context(t)
		c, err := awsops.New(ctx, awsops.Options{})
		if err != nil {
			t.Fatal(err)
		}
		buildPeople(t, ctx, c, users)
		// The credential report made, as after an account's first status:
		// a report being made is asked for again, a call that depends on
		// timing, not on users.
		if _, err := c.GenerateCredentialReport(ctx); err != nil {
			t.Fatal(err)
		}
		iam.Reset()
		if _, err := steps.ReadSnapshot(ctx, c); err != nil {
			t.Fatal(err)
		}
		calls := map[string]int{}
		for _, a := range iam.Actions() {
			calls[a]++
		}
		return calls
	}
	room := func(withMFA, without int) map[string]person {
		users := map[string]person{"alice": {groups: []string{"administrators"}, password: true, virtual: true}}
		for i := range withMFA {
			users[fmt.Sprintf("mfa%02d", i)] = person{groups: []string{"team"}, password: true, virtual: true}
		}
		for i := range without {
			users[fmt.Sprintf("ci%02d", i)] = person{groups: []string{"team"}}
		}
		return users
	}
	small, large := count(t, room(2, 0)), count(t, room(30, 0))
	if fmt.Sprint(small) != fmt.Sprint(large) {
		t.Errorf("30 users with MFA cost more calls than 2: %v against %v", large, small)
	}
	if small["GetLoginProfile"] != 1 || small["ListMFADevices"] != 0 || small["ListUsers"] != 0 || small["ListGroupsForUser"] != 0 {
		t.Errorf("calls = %v; want one GetLoginProfile (the admin's) and no per-user listing", small)
	}
	mixed := count(t, room(2, 5))
	if mixed["GetLoginProfile"] != 6 || mixed["ListMFADevices"] != 0 {
		t.Errorf("calls with five users without MFA = %v; want six GetLoginProfile (the admin and the five), no ListMFADevices", mixed)
	}
	// Console users without a virtual device: their other devices are
	// looked for only when the summary counts a device that is not one of
	// the virtual ones.
	consoleUsers := func(hardware bool) map[string]person {
		users := room(0, 0)
		for i := range 5 {
			users[fmt.Sprintf("web%02d", i)] = person{groups: []string{"team"}, password: true}
		}
		if hardware {
			users["hw"] = person{groups: []string{"team"}, password: true, hardware: "GAHT00000001"}
		}
		return users
	}
	if calls := count(t, consoleUsers(false)); calls["GetLoginProfile"] != 6 || calls["ListMFADevices"] != 0 || calls["GetAccountSummary"] != 2 {
		t.Errorf("calls with five console users and only virtual devices = %v; want six GetLoginProfile, no ListMFADevices, the summary read by the root and user steps", calls)
	}
	if calls := count(t, consoleUsers(true)); calls["GetLoginProfile"] != 7 || calls["ListMFADevices"] != 6 {
		t.Errorf("calls with a hardware key in the account = %v; want seven GetLoginProfile and six ListMFADevices (every console user without a virtual device)", calls)
	}
}

// The live reads see a change at once: a user who turns MFA on passes at
// the next read (the credential report would fail them for up to four
// hours), and one whose device is removed fails at once.
func TestPeopleSeeAChangeAtOnce(t *testing.T) {
	moto.Use(t, awstest.NewAccountAPI(t).URL)
	ctx := awstest.Context(t)
	c, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	buildPeople(t, ctx, c, map[string]person{"alice": {groups: []string{"administrators"}, password: true}})
	verdict := func() steps.CheckStatus {
		t.Helper()
		s, err := steps.ReadSnapshot(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return statuses(steps.Checks(s))[steps.CheckAdminUserMFA]
	}
	if v := verdict(); v != steps.Fail {
		t.Fatalf("console admin without MFA: %s, want fail", v)
	}
	if err := c.EnableMFADevice(ctx, "alice", "GAHT00000001", "123456", "654321"); err != nil {
		t.Fatal(err)
	}
	if v := verdict(); v != steps.Pass {
		t.Errorf("after a hardware device is enabled: %s, want pass at once", v)
	}
}

// timedAccount records when each call starts and ends, to measure the
// critical path of ReadSnapshot in round trips.
type timedAccount struct {
	steps.Account
	hardware int // MFA devices the summary counts beyond the account's: hardware keys the practice account cannot make
	mu       sync.Mutex
	calls    []span
	depths   []int // filled by depth
}

type span struct {
	name       string
	start, end time.Time
}

func timed[T any](a *timedAccount, name string, call func() (T, error)) (T, error) {
	start := time.Now()
	v, err := call()
	a.mu.Lock()
	a.calls = append(a.calls, span{name, start, time.Now()})
	a.mu.Unlock()
	return v, err
}

func (a *timedAccount) WhoAmI(ctx context.Context) (awsops.Caller, error) {
	return timed(a, "WhoAmI", func() (awsops.Caller, error) { return a.Account.WhoAmI(ctx) })
}
func (a *timedAccount) AccountSummary(ctx context.Context) (awsops.AccountSummary, error) {
	sum, err := timed(a, "AccountSummary", func() (awsops.AccountSummary, error) { return a.Account.AccountSummary(ctx) })
	sum.MFADevicesInUse += a.hardware
	return sum, err
}
func (a *timedAccount) PasswordPolicy(ctx context.Context) (awsops.PasswordPolicy, error) {
	return timed(a, "PasswordPolicy", func() (awsops.PasswordPolicy, error) { return a.Account.PasswordPolicy(ctx) })
}
func (a *timedAccount) AuthorizationDetails(ctx context.Context) (awsops.AuthorizationDetails, error) {
	return timed(a, "AuthorizationDetails", func() (awsops.AuthorizationDetails, error) { return a.Account.AuthorizationDetails(ctx) })
}
func (a *timedAccount) AssignedVirtualMFADevices(ctx context.Context) ([]awsops.MFADeviceInfo, error) {
	return timed(a, "AssignedVirtualMFADevices", func() ([]awsops.MFADeviceInfo, error) { return a.Account.AssignedVirtualMFADevices(ctx) })
}
func (a *timedAccount) HasLoginProfile(ctx context.Context, user string) (bool, error) {
	return timed(a, "HasLoginProfile", func() (bool, error) { return a.Account.HasLoginProfile(ctx, user) })
}
func (a *timedAccount) UserMFADevices(ctx context.Context, user string) ([]string, error) {
	return timed(a, "UserMFADevices", func() ([]string, error) { return a.Account.UserMFADevices(ctx, user) })
}
func (a *timedAccount) AccountAlias(ctx context.Context) (string, error) {
	return timed(a, "AccountAlias", func() (string, error) { return a.Account.AccountAlias(ctx) })
}
func (a *timedAccount) Regions(ctx context.Context) ([]awsops.Region, error) {
	return timed(a, "Regions", func() ([]awsops.Region, error) { return a.Account.Regions(ctx) })
}

// depth is each call's round trip (see criticalPath).
func (a *timedAccount) depth() (deepest int, chain string) {
	a.depths, deepest, chain = criticalPath(a.calls)
	return deepest, chain
}

// criticalPath sorts calls by their start and gives each its round trip:
// one more than the deepest call that had ended before it started; and
// the deepest, with its chain of calls.
func criticalPath(calls []span) (depths []int, deepest int, chain string) {
	depths = make([]int, len(calls))
	slices.SortFunc(calls, func(x, y span) int { return x.start.Compare(y.start) })
	names := make([]string, len(calls))
	for i, c := range calls {
		depths[i], names[i] = 1, c.name
		for j, before := range calls[:i] {
			if !before.end.After(c.start) && depths[j]+1 > depths[i] {
				depths[i], names[i] = depths[j]+1, names[j]+" → "+c.name
			}
		}
		if depths[i] > deepest {
			deepest, chain = depths[i], names[i]
		}
	}
	return depths, deepest, chain
}

// callLog keeps the spans of the calls an SDK client's call log (the
// --debug log) records: the record's time is the call's end.
type callLog struct {
	mu    sync.Mutex
	calls []span
}

func (l *callLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *callLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *callLog) WithGroup(string) slog.Handler            { return l }
func (l *callLog) Handle(_ context.Context, r slog.Record) error {
	var name string
	var took time.Duration
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "operation":
			name = a.Value.String()
		case "took":
			took = a.Value.Duration()
		}
		return true
	})
	l.mu.Lock()
	l.calls = append(l.calls, span{name, r.Time.Add(-took), r.Time})
	l.mu.Unlock()
	return nil
}

// Through the real SDK, with every call of the proxies taking 200 ms
// (far more than moto's own time), the whole snapshot of an account with
// a console user without MFA is two round trips: the caller, the bulk
// user reads, the regions, the contacts and GuardDuty first; then
// everything that needs one of them — the password read, the regional
// guards, S3's Block Public Access, trails, budgets, reports, buckets —
// at once.
func TestSnapshotTakesTwoRoundTripsAgainstMoto(t *testing.T) {
	iam, doubles, _ := moto.UseThroughProxies(t)
	ctx := awstest.Context(t)
	c, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	buildPeople(t, ctx, c, map[string]person{"bob": {password: true}})
	// moto builds each region's backends at its first call there, which
	// would stretch one call of the measured read.
	if _, err := steps.ReadSnapshot(ctx, c); err != nil {
		t.Fatal(err)
	}
	iam.SetDelay(200 * time.Millisecond)
	doubles.SetDelay(200 * time.Millisecond)
	var log callLog
	logged, err := awsops.New(ctx, awsops.Options{Logger: slog.New(&log)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := steps.ReadSnapshot(ctx, logged); err != nil {
		t.Fatal(err)
	}
	depths, deepest, chain := criticalPath(log.calls)
	if deepest != 2 {
		for i, c := range log.calls {
			t.Logf("round %d: %s", depths[i], c.name)
		}
		t.Errorf("critical path = %d round trips (%s), want 2", deepest, chain)
	}
	if len(log.calls) < 20 {
		t.Errorf("only %d calls logged", len(log.calls))
	}
}

// Every read that needs nothing else starts in the first round trip; the
// deepest chain (bulk read → password → hardware MFA device) is three,
// and two when the account summary counts no device but the virtual
// ones.
func TestReadSnapshotTakesThreeRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		hardware, programmatic, rounds int
	}{{0, 0, 2}, {1, 0, 3}, {0, 29, 2}} {
		// Latency makes rounds visible: a call cannot start before one it
		// waits for has ended.
		p, err := awsops.NewPractice(awsops.PracticeOptions{Latency: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		people := map[string]person{
			"alice": {groups: []string{"administrators"}, password: true, virtual: true},
			"bob":   {password: true}, // needs all three rounds when a hardware key may be his
			"ci":    {},
		}
		// Users without a virtual device: each password read, all 32
		// (alice, bob, ci and 29 more) in one round trip, not one per
		// eight (maxParallelReads).
		for i := range tc.programmatic {
			people[fmt.Sprintf("bot%02d", i)] = person{}
		}
		buildPeople(t, ctx, p, people)
		a := &timedAccount{Account: p, hardware: tc.hardware}
		if _, err := steps.ReadSnapshot(ctx, a); err != nil {
			t.Fatal(err)
		}
		if d, chain := a.depth(); d != tc.rounds {
			t.Errorf("%d hardware keys in the summary, %d more users without MFA: critical path = %d round trips (%s), want %d", tc.hardware, tc.programmatic, d, chain, tc.rounds)
		}
		for i, c := range a.calls {
			if c.name != "HasLoginProfile" && c.name != "UserMFADevices" && a.depths[i] != 1 {
				t.Errorf("%s ran in round trip %d, though it waits for nothing", c.name, a.depths[i])
			}
		}
	}
}
