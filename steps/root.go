package steps

import (
	"context"
	"strings"
)

// Root is securing the root user: MFA, which AWS lets one turn on only in
// the console (the wizard shows where and watches for it), and its access
// keys, which are deleted once an admin user works.
var Root = Step{
	ID: "root",
	Info: Info{
		Title: "Secure the root user",
		Why: "The root user can do anything, including closing the account, and no policy can limit it. " + RootPassword +
			" MFA means a stolen password alone is not enough; AWS lets you turn it on for root only in the console, so awssecure shows you where and watches for it.",
		ConsolePath: "Sign in as root → account name (top right) → Security credentials → Multi-factor authentication (MFA) → Assign MFA device",
		ConsoleURL:  "https://console.aws.amazon.com/iam/home#/security_credentials",
		More:        RootOnly + " So keep root's password and MFA safe, not thrown away; and never share root's credentials with anyone.",
	},
	// The credential report is read here, beside the summary: its root
	// row is root-mfa's last resort, and the user step's age checks read
	// its other rows.
	ReadFirst: func(ctx context.Context, acct Account, s *Snapshot) {
		together(
			func() { s.Summary, s.SummaryErr = acct.AccountSummary(ctx) },
			func() { s.CredentialReport, s.CredentialReportErr = readCredentialReport(ctx, acct) },
		)
	},
	Checks: func(s Snapshot) []Check { return []Check{rootMFACheck(s), rootKeysCheck(s)} },
}

// RootPassword is what the root step says of root's password (seed 000:
// "have a strong password"): the account's password policy is for IAM
// users, and nothing but its owner makes root's strong.
const RootPassword = "Give it a long, random password used nowhere else: the password policy (next step) covers IAM users, not root."

// RootOnly is what only the root user can do (seed 001), why root's
// password and MFA are kept, not thrown away.
const RootOnly = "Only root can change the support plan, close the account, change the account's settings (name, root e-mail, root password), " +
	"see some tax invoices, restore IAM access when no admin is left, and turn on S3 MFA delete."

// RootMFACLI is the read-only command that shows whether root MFA is on.
const RootMFACLI = "aws iam get-account-summary --query 'SummaryMap.AccountMFAEnabled'"

// RootMFAEnabled reads whether the root user has MFA: the wizard polls it
// while the user turns MFA on in the console. Its Change records it.
func RootMFAEnabled(ctx context.Context, acct Account) (bool, Change, error) {
	sum, err := acct.AccountSummary(ctx)
	if err != nil {
		return false, nil, err
	}
	return sum.RootMFAEnabled, func(s *Snapshot) { s.Summary, s.SummaryErr = sum, nil }, nil
}

// RootHasAccessKeys reports whether s shows root access keys.
func (s Snapshot) RootHasAccessKeys() bool {
	return s.SummaryErr == nil && s.Summary.RootAccessKeysPresent
}

// rootMFAFix is what to do about root without MFA.
const rootMFAFix = "turn it on in the console: account menu → Security credentials → Assign MFA device"

// rootMFACheck is CIS 1.5. Root without MFA passes only where root is
// known to have no credentials at all — no password, no access keys —
// as a member account's root can under centralized root access, which
// is safer than any MFA. The strongest fact that can be read decides,
// and the detail says which: the account summary's
// AccountPasswordPresent (live), else the credential report's root row
// (password_enabled true or false; IAM's documentation gives
// not_supported, which tells nothing), else, for status --org, the
// organization's RootCredentialsManagement (a warn: root may have none).
// Never a silent pass.
func rootMFACheck(s Snapshot) Check {
	const title, cis = "Root user has MFA", "1.5"
	switch {
	case s.SummaryErr != nil:
		return unknown(CheckRootMFA, title, cis, s.SummaryErr)
	case s.Summary.RootMFAEnabled:
		return Check{CheckRootMFA, Pass, title, "an MFA device protects the root user", cis}
	}
	sum := s.Summary
	keys := sum.RootAccessKeysPresent || sum.RootCertificatesPresent
	// Root has credentials, as source says: MFA must protect them.
	fail := func(source string) Check {
		if s.OrgManagesRoot {
			return Check{CheckRootMFA, Fail, title, "MFA off and the root user has credentials (" + source + "), though this organization manages root credentials centrally: " +
				"delete them from the management account (IAM → Root access management), or " + rootMFAFix, cis}
		}
		return Check{CheckRootMFA, Fail, title, rootMFAFix, cis}
	}
	if sum.RootPasswordKnown {
		if sum.RootPasswordPresent || keys {
			return fail("the IAM account summary")
		}
		return Check{CheckRootMFA, Pass, title, "the root user has no password and no access keys, so no MFA is needed (the IAM account summary)", cis}
	}
	if keys {
		return fail("the IAM account summary")
	}
	if row := s.CredentialReport.Root; s.CredentialReportErr == nil && row != nil {
		switch row.PasswordEnabled {
		case "true":
			return fail(reportTime(s.CredentialReport))
		case "false":
			if !row.Keys[0].Active && !row.Keys[1].Active {
				return Check{CheckRootMFA, Pass, title, "the root user has no password and no access keys, so no MFA is needed (" + reportTime(s.CredentialReport) + "; keys: the IAM account summary)", cis}
			}
			return fail(reportTime(s.CredentialReport))
		}
	}
	if s.OrgManagesRoot {
		return Check{CheckRootMFA, Warn, title, "MFA off; this organization manages root credentials centrally — root may have none (the management account's ListOrganizationsFeatures; nothing this account can read says whether root has a password)", cis}
	}
	return Check{CheckRootMFA, Fail, title, rootMFAFix, cis}
}

func rootKeysCheck(s Snapshot) Check {
	const title, cis = "Root user has no access keys", "1.4"
	switch {
	case s.SummaryErr != nil:
		return unknown(CheckRootAccessKeys, title, cis, s.SummaryErr)
	case !s.Summary.RootAccessKeysPresent:
		return Check{CheckRootAccessKeys, Pass, title, "no root access keys", cis}
	case len(s.RootKeysInactive) == 1:
		return Check{CheckRootAccessKeys, Fail, title, s.RootKeysInactive[0] + " is inactive, which IAM still counts: delete it in the console once nothing needs it", cis}
	case len(s.RootKeysInactive) > 1:
		return Check{CheckRootAccessKeys, Fail, title, strings.Join(s.RootKeysInactive, " and ") + " are inactive, which IAM still counts: delete them in the console once nothing needs them", cis}
	}
	return Check{CheckRootAccessKeys, Fail, title, "delete them once an admin user works", cis}
}
