package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/awssecure/awssecure/awsops"
)

// Policy is the password policy step (seed 003).
var Policy = FormStep[awsops.PasswordPolicy]{
	Step: Step{
		ID: "password-policy",
		Info: Info{
			Title: "Set a password policy",
			Why: "The password policy decides what passwords IAM users may choose. Without one, AWS accepts 8 characters. " +
				"Long passwords of mixed characters, never reused, resist guessing; forced expiry is not recommended any more, as it pushes people to weaker passwords.",
			ConsolePath: "IAM → Account settings → Password policy → Edit → Custom",
			ConsoleURL:  "https://console.aws.amazon.com/iam/home#/account_settings",
		},
		ReadFirst: func(ctx context.Context, acct Account, s *Snapshot) {
			s.Policy, s.PolicyErr = readPolicy(ctx, acct)
		},
		Checks: func(s Snapshot) []Check { return []Check{passwordPolicyCheck(s)} },
	},
	Done: func(s Snapshot) (string, bool) {
		if passwordPolicyCheck(s).Status != Pass {
			return "", false
		}
		return fmt.Sprintf("minimum length %d, reuse prevention %d.", s.Policy.MinimumLength, s.Policy.ReusePrevention), true
	},
	Default: func(s Snapshot) awsops.PasswordPolicy {
		p := DefaultPolicy
		if s.Policy != nil { // keep what the owner chose where it is stronger
			p.MinimumLength = max(p.MinimumLength, s.Policy.MinimumLength)
		}
		return p
	},
	Doing: func(awsops.PasswordPolicy) string { return "Setting the password policy…" },
	Apply: func(ctx context.Context, acct Account, _ awsops.Caller, p awsops.PasswordPolicy) (Outcome, error) {
		if err := awsops.ValidatePasswordPolicy(p); err != nil {
			return Outcome{}, err
		}
		if err := acct.SetPasswordPolicy(ctx, p); err != nil {
			return Outcome{}, err
		}
		return Outcome{
			Change:  func(s *Snapshot) { s.Policy, s.PolicyErr = &p, nil },
			Changed: true,
			Said:    fmt.Sprintf("Password policy set: at least %s, %s.", counted(p.MinimumLength, "character"), remembered(p.ReusePrevention)),
		}, nil
	},
	CLI: func(_ awsops.Caller, p awsops.PasswordPolicy) string { return PolicyCLI(p) },
}

// remembered says how many earlier passwords a policy keeps from reuse.
func remembered(n int) string {
	if n == 0 {
		return "earlier passwords may be used again"
	}
	return "last " + counted(n, "password") + " remembered"
}

// DefaultPolicy is the tutorial's strong policy (CIS 1.8 and 1.9).
var DefaultPolicy = awsops.PasswordPolicy{
	MinimumLength:      StrongMinLength,
	RequireUppercase:   true,
	RequireLowercase:   true,
	RequireNumbers:     true,
	RequireSymbols:     true,
	AllowUsersToChange: true,
	ReusePrevention:    StrongReusePrevention,
}

// Strong password policy thresholds (CIS AWS Foundations 1.8 and 1.9).
const (
	StrongMinLength       = 14
	StrongReusePrevention = 24
)

// ValidatePolicy checks a policy against IAM's bounds before any call.
var ValidatePolicy = awsops.ValidatePasswordPolicy

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

// PolicyCLI is the aws CLI command that sets p.
func PolicyCLI(p awsops.PasswordPolicy) string {
	args := []string{"aws iam update-account-password-policy", fmt.Sprintf("--minimum-password-length %d", p.MinimumLength)}
	flag := func(on bool, name string) {
		if on {
			args = append(args, "--"+name)
		} else {
			args = append(args, "--no-"+name)
		}
	}
	flag(p.RequireUppercase, "require-uppercase-characters")
	flag(p.RequireLowercase, "require-lowercase-characters")
	flag(p.RequireNumbers, "require-numbers")
	flag(p.RequireSymbols, "require-symbols")
	flag(p.AllowUsersToChange, "allow-users-to-change-password")
	if p.ReusePrevention > 0 {
		args = append(args, fmt.Sprintf("--password-reuse-prevention %d", p.ReusePrevention))
	}
	if p.MaxAgeDays > 0 {
		args = append(args, fmt.Sprintf("--max-password-age %d", p.MaxAgeDays))
	}
	return strings.Join(args, " \\\n    ")
}
