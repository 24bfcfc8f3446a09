package steps

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
	// The root activity alert step's.
	CheckRootActivityAlert = "root-activity-alert"
)

// Checks turns a snapshot into the checklist: each step's checks, in the
// tutorial's order, which is the schema's. The wizard's preflight and
// summary and the status command all use it.
func Checks(s Snapshot) []Check {
	var checks []Check
	for _, step := range Steps {
		checks = append(checks, step.Checks(s)...)
	}
	return checks
}

func unknown(id, title, cis string, err error) Check {
	return Check{ID: id, Status: Unknown, Title: title, CIS: cis, Detail: "could not be read: " + Explain(err).What}
}

// Report is the checklist of one account, as `status --json` prints it.
type Report struct {
	AccountID string  `json:"account_id"`
	CallerARN string  `json:"caller_arn"`
	Checks    []Check `json:"checks"`
}

// NewReport is the checklist of a snapshot.
func NewReport(s Snapshot) Report {
	return Report{AccountID: s.Caller.AccountID, CallerARN: s.Caller.ARN, Checks: Checks(s)}
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
