package steps

import (
	"context"
	"errors"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// AliasRequest is what the alias form asks: the alias, and whether to
// replace the account's current one.
type AliasRequest struct {
	Alias   string
	Replace bool
}

// Alias is the account alias step (seed 002).
var Alias = FormStep[AliasRequest]{
	Step: Step{
		ID: "alias",
		Info: Info{
			Title: "Choose an account alias",
			Why: "IAM users sign in at a web address made from your 12-digit account id. An alias replaces the number with a name you can remember. " +
				"Aliases are unique across all of AWS, so a common one may be taken.",
			ConsolePath: "IAM → Dashboard → AWS Account → Account Alias → Create",
			ConsoleURL:  "https://console.aws.amazon.com/iam/home#/home",
		},
		ReadFirst: func(ctx context.Context, acct Account, s *Snapshot) {
			s.Alias, s.AliasErr = acct.AccountAlias(ctx)
		},
		Checks: func(s Snapshot) []Check { return []Check{aliasCheck(s)} },
	},
	Done: func(s Snapshot) (string, bool) {
		if s.Alias == "" {
			return "", false
		}
		return "alias " + s.Alias + "\nIAM users sign in at " + s.SignInURL(), true
	},
	Default: func(s Snapshot) AliasRequest { return AliasRequest{Replace: s.Alias == ""} },
	Doing:   func(AliasRequest) string { return "Setting the alias…" },
	Apply: func(ctx context.Context, acct Account, caller awsops.Caller, in AliasRequest) (Outcome, error) {
		if !in.Replace {
			return Outcome{Said: "Kept the alias you have."}, nil
		}
		if err := applyAlias(ctx, acct, in.Alias); err != nil {
			return Outcome{}, err
		}
		return Outcome{Changed: true, Change: func(s *Snapshot) { s.Alias, s.AliasErr = in.Alias, nil },
			Said: "Alias set. IAM users now sign in at\n" + SignInURL(caller.AccountID, in.Alias)}, nil
	},
	CLI: func(_ awsops.Caller, in AliasRequest) string {
		alias := in.Alias
		if alias == "" {
			alias = "ALIAS"
		}
		return "aws iam create-account-alias --account-alias " + inert.ShellWord(alias)
	},
	Reask: func(in AliasRequest, err error) (string, bool) {
		if !errors.Is(err, awsops.ErrAliasTaken) {
			return "", false
		}
		return "“" + in.Alias + "” is taken by another AWS account. Try another.", true
	},
}

// ValidateAlias applies IAM's alias rules.
var ValidateAlias = awsops.ValidateAlias

// applyAlias sets the alias. An account has one alias: a new one replaces
// the old, and the old sign-in address stops working (the UI warns first).
func applyAlias(ctx context.Context, acct Account, alias string) error {
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

// SignInURL is the console sign-in address for IAM users: with the alias
// when there is one, else with the account id.
func SignInURL(accountID, alias string) string {
	if alias != "" {
		return "https://" + alias + ".signin.aws.amazon.com/console"
	}
	return "https://" + accountID + ".signin.aws.amazon.com/console"
}
