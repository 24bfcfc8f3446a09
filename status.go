package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/awssecure/awssecure/steps"
)

// statusReport is the `status --json` document.
type statusReport struct {
	AccountID string        `json:"account_id"`
	CallerARN string        `json:"caller_arn"`
	Checks    []steps.Check `json:"checks"`
}

// runStatus prints the checklist; it only reads.
func runStatus(ctx context.Context, acct steps.Account, opts cliOptions, stdout, stderr io.Writer) int {
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		e := steps.Explain(err)
		fmt.Fprintf(stderr, "awssecure: %s\n%s\n", e.What, e.Fix)
		return 2
	}
	checks := steps.Checks(snap)
	if opts.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(statusReport{snap.Caller.AccountID, snap.Caller.ARN, checks}); err != nil {
			fmt.Fprintln(stderr, "awssecure:", err)
			return 2
		}
	} else {
		fmt.Fprintf(stdout, "Account %s (%s)\n\n", snap.Caller.AccountID, snap.Caller.ARN)
		for _, c := range checks {
			fmt.Fprintf(stdout, "%s %-30s %s\n", symbol(c.Status), c.Title, c.Detail)
		}
	}
	for _, c := range checks {
		if c.Status == steps.Fail {
			return 1
		}
	}
	return 0
}

func symbol(s steps.CheckStatus) string {
	switch s {
	case steps.Pass:
		return "✓"
	case steps.Fail:
		return "✗"
	case steps.Warn:
		return "!"
	}
	return "?"
}
