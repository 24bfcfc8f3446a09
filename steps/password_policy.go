package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/awssecure/awssecure/awsops"
)

// PolicyInfo describes the password policy step.
var PolicyInfo = Info{
	Title: "Set a password policy",
	Why: "The password policy decides what passwords IAM users may choose. Without one, AWS accepts 8 characters. " +
		"Long passwords of mixed characters, never reused, resist guessing; forced expiry is not recommended any more, as it pushes people to weaker passwords.",
	ConsolePath: "IAM → Account settings → Password policy → Edit → Custom",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/account_settings",
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

// ValidatePolicy checks a policy against IAM's bounds before any call.
var ValidatePolicy = awsops.ValidatePasswordPolicy

// ApplyPasswordPolicy sets the policy; setting it again is harmless.
func ApplyPasswordPolicy(ctx context.Context, acct Account, p awsops.PasswordPolicy) error {
	return acct.SetPasswordPolicy(ctx, p)
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
