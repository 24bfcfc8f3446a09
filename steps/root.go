package steps

import "context"

// RootInfo describes securing the root user.
var RootInfo = Info{
	Title: "Secure the root user",
	Why: "The root user can do anything in the account, including closing it, and no policy can limit it. " +
		"If its password leaks, everything is lost. Multi-factor authentication (MFA) means a stolen password alone is not enough. " +
		"AWS lets you turn on root MFA only in the console, not through the API, so awssecure shows you where and watches for it to turn on.",
	ConsolePath: "Sign in as root → account name (top right) → Security credentials → Multi-factor authentication (MFA) → Assign MFA device",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/security_credentials",
}

// RootMFACLI is the read-only command that shows whether root MFA is on.
const RootMFACLI = "aws iam get-account-summary --query 'SummaryMap.AccountMFAEnabled'"

// RootMFAEnabled reads whether the root user has MFA: the wizard polls it
// while the user turns MFA on in the console.
func RootMFAEnabled(ctx context.Context, acct Account) (bool, error) {
	sum, err := acct.AccountSummary(ctx)
	return sum.RootMFAEnabled, err
}
