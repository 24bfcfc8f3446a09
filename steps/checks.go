package steps

import "slices"

// Benchmark is the benchmark whose controls the checks' cis fields
// name, and whose audit procedures their verdicts follow.
const Benchmark = "CIS AWS Foundations Benchmark v3.0.0"

// CheckStatus is a check's outcome, as `status --json` spells it.
type CheckStatus string

const (
	Pass    CheckStatus = "pass"
	Fail    CheckStatus = "fail"
	Warn    CheckStatus = "warn"
	Unknown CheckStatus = "unknown" // could not be read; Detail says why
)

// Check is one row of the security checklist.
type Check struct {
	ID     string      `json:"id"`
	Status CheckStatus `json:"status"`
	Title  string      `json:"title"`
	Detail string      `json:"detail"`
	CIS    string      `json:"cis"`
}

// Check ids, fixed by the status --json schema.
const (
	CheckRootMFA        = "root-mfa"
	CheckRootAccessKeys = "root-access-keys"
	CheckPasswordPolicy = "password-policy"
	CheckAdminGroup     = "admin-group"
	CheckAdminUser      = "admin-user"
	CheckAdminUserMFA   = "admin-user-mfa"
	CheckAccountAlias   = "account-alias"
	CheckOptInRegions   = "opt-in-regions"
	CheckCloudTrail     = "cloudtrail"
	CheckBudget         = "budget"
	CheckBillingReport  = "billing-report"
	// The guardrails step's.
	CheckSecurityContact   = "security-contact"
	CheckPublicAccessBlock = "s3-public-access-block"
	CheckEBSEncryption     = "ebs-default-encryption"
	CheckAccessAnalyzer    = "access-analyzer"
	CheckGuardDuty         = "guardduty"
	// Appended later, each from facts status already reads: the users'
	// own policies (the bulk read of users and groups), and their keys'
	// and passwords' ages (the IAM credential report).
	CheckUserPolicies      = "iam-user-policies"
	CheckKeysRotated       = "access-keys-rotated"
	CheckUnusedCredentials = "unused-credentials"
	// The root activity alert step's.
	CheckRootActivityAlert = "root-activity-alert"
)

// checkOrder is the schema's order of the checks. Checks appended to the
// schema come from steps that came before them in the tutorial (the
// users' checks from the user step), so the order is the schema's, not
// the steps': a new id goes at the end, and ids are never reordered.
var checkOrder = []string{
	CheckRootMFA, CheckRootAccessKeys, CheckPasswordPolicy, CheckAdminGroup, CheckAdminUser, CheckAdminUserMFA,
	CheckAccountAlias, CheckOptInRegions, CheckCloudTrail, CheckBudget, CheckBillingReport,
	CheckSecurityContact, CheckPublicAccessBlock, CheckEBSEncryption, CheckAccessAnalyzer, CheckGuardDuty,
	CheckUserPolicies, CheckKeysRotated, CheckUnusedCredentials, CheckRootActivityAlert,
}

// Checks turns a snapshot into the checklist: each step's checks, in the
// schema's order (checkOrder; a check it does not name comes last, in
// the tutorial's order). The wizard's preflight and summary and the
// status command all use it.
func Checks(s Snapshot) []Check {
	var checks []Check
	for _, step := range Steps {
		checks = append(checks, step.Checks(s)...)
	}
	rank := func(c Check) int {
		if i := slices.Index(checkOrder, c.ID); i >= 0 {
			return i
		}
		return len(checkOrder)
	}
	slices.SortStableFunc(checks, func(a, b Check) int { return rank(a) - rank(b) })
	return checks
}

func unknown(id, title, cis string, err error) Check {
	return Check{ID: id, Status: Unknown, Title: title, CIS: cis, Detail: "could not be read: " + Explain(err).What}
}

// Report is the checklist of one account, as `status --json` prints it.
type Report struct {
	Benchmark string  `json:"benchmark"`
	AccountID string  `json:"account_id"`
	CallerARN string  `json:"caller_arn"`
	Checks    []Check `json:"checks"`
}

// NewReport is the checklist of a snapshot.
func NewReport(s Snapshot) Report {
	return Report{Benchmark: Benchmark, AccountID: s.Caller.AccountID, CallerARN: s.Caller.ARN, Checks: Checks(s)}
}

// Failing is the checks that make `status` exit 1: those that fail, and
// under strict also those that warn or could not be read.
func (r Report) Failing(strict bool) []Check {
	var failing []Check
	for _, c := range r.Checks {
		if c.Status == Fail || strict && (c.Status == Warn || c.Status == Unknown) {
			failing = append(failing, c)
		}
	}
	return failing
}
