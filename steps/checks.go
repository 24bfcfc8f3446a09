package steps

import (
	"fmt"
	"strings"

	"github.com/awssecure/awssecure/awsops"
)

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
)

// Strong password policy thresholds (CIS AWS Foundations 1.8 and 1.9).
const (
	StrongMinLength       = 14
	StrongReusePrevention = 24
)

// Checks turns a snapshot into the checklist, in the schema's fixed order.
// The wizard's preflight and summary and the status command all use it.
func Checks(s Snapshot) []Check {
	return []Check{
		rootMFACheck(s),
		rootKeysCheck(s),
		passwordPolicyCheck(s),
		adminGroupCheck(s),
		adminUserCheck(s),
		adminUserMFACheck(s),
		aliasCheck(s),
		regionsCheck(s),
	}
}

func unknown(id, title, cis string, err error) Check {
	return Check{ID: id, Status: Unknown, Title: title, CIS: cis, Detail: "could not be read: " + Explain(err).What}
}

func rootMFACheck(s Snapshot) Check {
	const title, cis = "Root user has MFA", "1.5"
	switch {
	case s.SummaryErr != nil:
		return unknown(CheckRootMFA, title, cis, s.SummaryErr)
	case s.Summary.RootMFAEnabled:
		return Check{CheckRootMFA, Pass, title, "an MFA device protects the root user", cis}
	}
	return Check{CheckRootMFA, Fail, title, "turn it on in the console: account menu → Security credentials → Assign MFA device", cis}
}

func rootKeysCheck(s Snapshot) Check {
	const title, cis = "Root user has no access keys", "1.4"
	switch {
	case s.SummaryErr != nil:
		return unknown(CheckRootAccessKeys, title, cis, s.SummaryErr)
	case !s.Summary.RootAccessKeysPresent:
		return Check{CheckRootAccessKeys, Pass, title, "no root access keys", cis}
	}
	return Check{CheckRootAccessKeys, Fail, title, "the root user has access keys: delete them once an admin user works", cis}
}

func passwordPolicyCheck(s Snapshot) Check {
	const title, cis = "Strong password policy", "1.8, 1.9"
	switch {
	case s.PolicyErr != nil:
		return unknown(CheckPasswordPolicy, title, cis, s.PolicyErr)
	case s.Policy == nil:
		return Check{CheckPasswordPolicy, Fail, title, "no password policy: IAM's weak default applies (8 characters)", cis}
	}
	var weak []string
	if s.Policy.MinimumLength < StrongMinLength {
		weak = append(weak, fmt.Sprintf("minimum length %d < %d", s.Policy.MinimumLength, StrongMinLength))
	}
	if s.Policy.ReusePrevention < StrongReusePrevention {
		weak = append(weak, fmt.Sprintf("reuse prevention %d < %d", s.Policy.ReusePrevention, StrongReusePrevention))
	}
	if len(weak) > 0 {
		return Check{CheckPasswordPolicy, Warn, title, "policy is weak: " + strings.Join(weak, ", "), cis}
	}
	return Check{CheckPasswordPolicy, Pass, title, fmt.Sprintf("length ≥ %d, reuse prevention %d", s.Policy.MinimumLength, s.Policy.ReusePrevention), cis}
}

func adminGroupCheck(s Snapshot) Check {
	const title, cis = "Administrators group", "1.15"
	switch {
	case s.GroupsErr != nil:
		return unknown(CheckAdminGroup, title, cis, s.GroupsErr)
	case len(s.AdminGroups) == 0:
		return Check{CheckAdminGroup, Fail, title, "no group has AdministratorAccess", cis}
	}
	return Check{CheckAdminGroup, Pass, title, "AdministratorAccess on: " + strings.Join(s.AdminGroups, ", "), cis}
}

func adminUserCheck(s Snapshot) Check {
	const title, cis = "Admin IAM user for daily work", "1.7"
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
	var consoleUsers int
	var missing []string
	for _, u := range s.Users {
		if u.HasPassword {
			consoleUsers++
			if u.MFADevices == 0 {
				missing = append(missing, u.Name)
			}
		}
	}
	switch {
	case consoleUsers == 0:
		return Check{CheckAdminUserMFA, Warn, title, "no IAM user has a console password yet", cis}
	case len(missing) > 0:
		return Check{CheckAdminUserMFA, Fail, title, "without MFA: " + strings.Join(missing, ", "), cis}
	}
	if consoleUsers == 1 {
		return Check{CheckAdminUserMFA, Pass, title, "the one console user has MFA", cis}
	}
	return Check{CheckAdminUserMFA, Pass, title, fmt.Sprintf("all %d console users have MFA", consoleUsers), cis}
}

func aliasCheck(s Snapshot) Check {
	const title, cis = "Account alias", ""
	switch {
	case s.AliasErr != nil:
		return unknown(CheckAccountAlias, title, cis, s.AliasErr)
	case s.Alias == "":
		return Check{CheckAccountAlias, Fail, title, "no alias: users sign in at " + SignInURL(s.Caller.AccountID, ""), cis}
	}
	return Check{CheckAccountAlias, Pass, title, SignInURL(s.Caller.AccountID, s.Alias), cis}
}

func regionsCheck(s Snapshot) Check {
	const title, cis = "Opt-in regions", ""
	if s.RegionsErr != nil {
		return unknown(CheckOptInRegions, title, cis, s.RegionsErr)
	}
	var enabled []string
	for _, r := range s.Regions {
		if r.OptIn() && (r.Status == awsops.RegionEnabled || r.Status == awsops.RegionEnabling) {
			enabled = append(enabled, r.Name)
		}
	}
	if len(enabled) == 0 {
		return Check{CheckOptInRegions, Pass, title, "no opt-in regions enabled", cis}
	}
	return Check{CheckOptInRegions, Pass, title, "enabled: " + strings.Join(enabled, ", "), cis}
}

// SignInURL is the console sign-in address for IAM users: with the alias
// when there is one, else with the account id.
func SignInURL(accountID, alias string) string {
	if alias != "" {
		return "https://" + alias + ".signin.aws.amazon.com/console"
	}
	return "https://" + accountID + ".signin.aws.amazon.com/console"
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
