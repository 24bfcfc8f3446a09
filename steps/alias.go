package steps

import (
	"context"
	"errors"

	"github.com/awssecure/awssecure/awsops"
)

// AliasInfo describes the account alias step.
var AliasInfo = Info{
	Title: "Choose an account alias",
	Why: "IAM users sign in at a web address made from your 12-digit account id. An alias replaces the number with a name you can remember. " +
		"Aliases are unique across all of AWS, so a common one may be taken.",
	ConsolePath: "IAM → Dashboard → AWS Account → Account Alias → Create",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/home",
}

// ValidateAlias applies IAM's alias rules.
var ValidateAlias = awsops.ValidateAlias

// ApplyAlias sets the alias. An account has one alias: a new one replaces
// the old, and the old sign-in address stops working (the UI warns first).
func ApplyAlias(ctx context.Context, acct Account, alias string) error {
	err := acct.CreateAccountAlias(ctx, alias)
	if errors.Is(err, awsops.ErrAliasTaken) {
		// "Taken" may be by us: the reply to our own call was lost and the
		// SDK's retry met the alias it had just made.
		if current, readErr := acct.AccountAlias(ctx); readErr == nil && current == alias {
			return nil
		}
	}
	return err
}

// AliasCLI is the aws CLI equivalent.
func AliasCLI(alias string) string {
	return "aws iam create-account-alias --account-alias " + alias
}
