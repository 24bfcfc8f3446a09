package steps

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/awssecure/awssecure/awsops"
)

// Org is what `status --org` needs of the caller's AWS Organization.
type Org interface {
	Organization(context.Context) (awsops.Organization, error)
	OrgAccounts(context.Context) ([]awsops.OrgAccount, error)
	// OrganizationFeatures is iam:ListOrganizationsFeatures, which only
	// the management account may call: whether member accounts' root
	// credentials are managed centrally.
	OrganizationFeatures(context.Context) ([]string, error)
}

// EnterAccount opens a member account of the organization (by assuming a
// role into it).
type EnterAccount func(ctx context.Context, accountID string) (Account, error)

// OrgReport is the checklist of every account of an organization, as
// `status --org --json` prints it.
type OrgReport struct {
	Benchmark      string          `json:"benchmark"`
	OrganizationID string          `json:"organization_id"`
	Accounts       []AccountReport `json:"accounts"`
}

// AccountReport is one account's row: its checks, or, when it could not
// be read, the reason in a sentence and no checks.
type AccountReport struct {
	AccountID string  `json:"account_id"`
	Name      string  `json:"name"`
	Error     string  `json:"error"`
	Checks    []Check `json:"checks"`
}

// Failing reports whether the account makes `status --org` exit 1: it
// could not be read, or one of its checks is failing (see Report.Failing).
func (a AccountReport) Failing(strict bool) bool {
	return a.Error != "" || len(Report{Checks: a.Checks}.Failing(strict)) > 0
}

// OrgOptions say how ReadOrg reads the accounts.
type OrgOptions struct {
	// Role is the role assumed in each member account, for the sentence
	// of a row whose role could not be assumed.
	Role string
	// Parallel bounds how many accounts are read at once; 0 means
	// DefaultOrgParallel.
	Parallel int
}

// DefaultOrgParallel is how many accounts are read at once: each account
// has its own IAM limits, so this bounds only our own connections.
const DefaultOrgParallel = 16

// ReadOrg reads every active account of the organization concurrently:
// the management account with self (the caller's own credentials), each
// other through enter. It fails only when the organization cannot be read
// or listed; an account that cannot be read is a row with a sentence.
// Rows are in name order. Beside the listing it asks, once, whether the
// organization manages its members' root credentials centrally: a member
// whose root has MFA off may then have no root credentials at all, which
// the member account itself cannot always tell (see rootMFACheck). An
// answer that cannot be read leaves that unknown.
func ReadOrg(ctx context.Context, org Org, self Account, enter EnterAccount, opts OrgOptions) (OrgReport, error) {
	report := OrgReport{Benchmark: Benchmark}
	var organization awsops.Organization
	var accounts []awsops.OrgAccount
	var features []string
	var featuresErr error
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { organization, err = org.Organization(gctx); return err })
	g.Go(func() (err error) { accounts, err = org.OrgAccounts(gctx); return err })
	g.Go(func() error { features, featuresErr = org.OrganizationFeatures(gctx); return nil })
	if err := g.Wait(); err != nil {
		return report, err
	}
	managesRoot := featuresErr == nil && slices.Contains(features, awsops.FeatureRootCredentialsManagement)
	report.OrganizationID = organization.ID
	slices.SortFunc(accounts, func(a, b awsops.OrgAccount) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	report.Accounts = make([]AccountReport, len(accounts))
	parallel := opts.Parallel
	if parallel <= 0 {
		parallel = DefaultOrgParallel
	}
	rows, _ := errgroup.WithContext(ctx)
	rows.SetLimit(parallel)
	var crash panicked
	for i, a := range accounts {
		rows.Go(func() error {
			defer crash.catch()
			row := AccountReport{AccountID: a.ID, Name: a.Name, Checks: []Check{}}
			acct := self
			var err error
			if a.ID != organization.ManagementAccountID {
				acct, err = enter(ctx, a.ID)
			}
			if err == nil {
				var snap Snapshot
				if snap, err = ReadSnapshot(ctx, acct); err == nil {
					// The management account's own root is never managed centrally.
					snap.OrgManagesRoot = managesRoot && a.ID != organization.ManagementAccountID
					row.Checks = Checks(snap)
				}
			}
			if err != nil {
				row.Error = accountError(err, opts.Role)
			}
			report.Accounts[i] = row
			return nil
		})
	}
	_ = rows.Wait()
	crash.repanic()
	return report, nil
}

// accountError is why an account could not be read, in a sentence.
func accountError(err error, role string) string {
	if awsops.ActionOf(err) == "sts:AssumeRole" && (errors.Is(err, awsops.ErrAccessDenied) || errors.Is(err, awsops.ErrNotFound)) {
		return "could not assume role " + role + ": it is missing in this account or does not trust the caller (create it, or choose another with --role)."
	}
	e := Explain(err)
	return e.What + " " + e.Fix
}
