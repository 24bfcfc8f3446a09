package steps

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/awssecure/awssecure/awsops"
)

// Snapshot is everything the steps' reads learn about an account, read
// once and concurrently. Each fact carries its own error, so one denied
// read makes its own checks unknown rather than failing them all. Each
// step's file says which facts it reads and how.
type Snapshot struct {
	Caller awsops.Caller
	// ReadAt is when the snapshot was read: what the credential report's
	// ages are counted to.
	ReadAt time.Time

	Summary    awsops.AccountSummary // the root step's
	SummaryErr error
	// The root step's too: the IAM credential report, whose root row
	// tells root-mfa about root's password, and whose users' rows give
	// the user step's checks the ages of keys and passwords.
	CredentialReport    awsops.CredentialReport
	CredentialReportErr error
	// OrgManagesRoot is set by status --org on a member account of an
	// organization that manages its members' root credentials centrally
	// (see ReadOrg): root may have none.
	OrgManagesRoot bool
	// RootKeysInactive are the root keys the handoff made inactive: IAM
	// counts them as root keys still there, and only root can list them,
	// so they are known for this session only (see Remembering).
	RootKeysInactive []string

	Policy    *awsops.PasswordPolicy // the password policy step's; nil when the account has none
	PolicyErr error

	AdminGroups []string // the group step's: groups with AdministratorAccess attached (read by the admin user step, see readPeople)
	GroupsErr   error

	Users    []UserFacts // the admin user step's
	UsersErr error
	// The user step's too, from the same bulk read: every user's name
	// (nil when unread), and the users with policies on themselves.
	UserNames       []string
	UserPolicies    []UserPolicies
	UserPoliciesErr error

	Alias    string // the alias step's
	AliasErr error

	Regions    []awsops.Region // the regions step's
	RegionsErr error

	// The cloudtrail step's: the home region, the trails it sees (each
	// with whether it is logging), and the bucket a new trail would log
	// to — one of ours an earlier run made, or a new name — with the
	// buckets named alike that stay as they are.
	TrailRegion  string
	Trails       []TrailFacts
	TrailsErr    error
	LogBucket    BucketPlan
	LogBucketErr error

	// The billing step's: the cost budgets with their alerts, the names
	// of the billing reports (Data Exports, then legacy CUR), and the
	// bucket a new report would go to. BillingAccessOn is the user's word
	// that root turned on IAM access to billing: no API tells, so it is
	// known for this session only (see Remembering).
	Budgets    []BudgetFacts
	BudgetsErr error
	// BudgetEmail is the address the budget's alerts go to, when this
	// session set it: no read here can tell it (Budgets lists it per
	// alert), so it is known for this session only, as BillingAccessOn.
	BudgetEmail     string
	Reports         []string // the reports that deliver cost and usage (see reportCheck)
	ReportsErr      error
	ReportBucket    BucketPlan
	ReportBucketErr error
	BillingAccessOn bool

	Guards GuardFacts // the guardrails step's; each fact with its own error

	// ReportFacts is every billing report read, usable or not; Reports
	// names the usable ones.
	ReportFacts []ReportFacts

	Alert AlertFacts // the root activity alert step's
}

// Remembering is s, read afresh, with what the user told this session
// and no read tells (IAM access to billing, the budget's address) kept
// from before, and what only root could read again (the root keys made
// inactive).
func (s Snapshot) Remembering(before Snapshot) Snapshot {
	s.BillingAccessOn = s.BillingAccessOn || before.BillingAccessOn
	if s.BudgetEmail == "" {
		s.BudgetEmail = before.BudgetEmail
	}
	if len(s.RootKeysInactive) == 0 {
		s.RootKeysInactive = before.RootKeysInactive
	}
	return s
}

// maxParallelReads bounds the concurrent per-user reads, so an account
// with hundreds of users without MFA sends them in bursts, not all at
// once (IAM throttles an account that calls too fast; the SDK's retries,
// with backoff, absorb what throttling comes). Thirty-two at a time reads
// the admins and programmatic users of a 300-user account in one round
// trip.
const maxParallelReads = 32

// ReadSnapshot reads the account: who is calling and every step's facts,
// at once. A step's ReadFirst starts beside sts:GetCallerIdentity; its
// Read, which needs the caller, when that has answered. It fails only
// when the caller cannot be identified, which means the credentials do
// not work at all; the reads under way are then stopped.
func ReadSnapshot(ctx context.Context, acct Account) (Snapshot, error) {
	s := Snapshot{ReadAt: time.Now()}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	acct = regionsOnce(ctx, acct)
	identified := make(chan struct{})
	var callerErr error
	var wg sync.WaitGroup
	var crash panicked
	wg.Go(func() {
		defer crash.catch()
		defer close(identified)
		if s.Caller, callerErr = acct.WhoAmI(ctx); callerErr != nil {
			cancel()
		}
	})
	for _, step := range Steps {
		// Each read writes only its own fields of s; only those that wait
		// for identified read s.Caller.
		if step.ReadFirst != nil {
			wg.Go(func() {
				defer crash.catch()
				step.ReadFirst(ctx, acct, &s)
			})
		}
		if step.Read != nil {
			wg.Go(func() {
				defer crash.catch()
				<-identified
				if callerErr == nil {
					step.Read(ctx, acct, &s)
				}
			})
		}
	}
	wg.Wait()
	crash.repanic()
	if callerErr != nil {
		return Snapshot{}, callerErr
	}
	return s, nil
}

// sharedRegions is an account whose enabled regions are listed once: the
// guardrails and the root activity alert both read every enabled region,
// and both need the list first.
type sharedRegions struct {
	Account
	regions func() ([]string, error)
}

func (a sharedRegions) EnabledRegions(context.Context) ([]string, error) { return a.regions() }

// regionsOnce is acct, with one ec2:DescribeRegions for all the reads
// made with ctx.
func regionsOnce(ctx context.Context, acct Account) Account {
	return sharedRegions{acct, sync.OnceValues(func() ([]string, error) { return acct.EnabledRegions(ctx) })}
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

// firstError is the first of errs that is not nil: one read's failure,
// said once, as a sequential loop would have stopped at it.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// together runs reads concurrently, in one round trip, and returns when
// all are done. Each writes only its own variables; a panic in one
// reaches the caller's goroutine (see panicked).
func together(reads ...func()) {
	var wg sync.WaitGroup
	var crash panicked
	for _, read := range reads {
		wg.Go(func() {
			defer crash.catch()
			read()
		})
	}
	wg.Wait()
	crash.repanic()
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

// AccountLabel names the account in an authenticator app and in prose:
// its alias, or its id.
func (s Snapshot) AccountLabel() string {
	if s.Alias != "" {
		return s.Alias
	}
	return s.Caller.AccountID
}

// SignInURL is where the account's IAM users sign in.
func (s Snapshot) SignInURL() string { return SignInURL(s.Caller.AccountID, s.Alias) }
