package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/awssecure/awssecure/steps"
	"github.com/awssecure/awssecure/ui"
)

// runStatus prints the checklist and exits 0 when nothing fails, 1 when
// something does (with --strict, also warnings and unreadable checks), and
// 2 when the account cannot be read at all. It only reads. Its stdout is
// the checklist alone; progress and warnings go to stderr.
func runStatus(ctx context.Context, acct steps.Account, opts cliOptions, stdout, stderr io.Writer) int {
	progress := ui.IsTerminal(stderr)
	if progress {
		fmt.Fprint(stderr, "Reading the account…")
	}
	snap, err := steps.ReadSnapshot(ctx, acct)
	if progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		return statusFailed(ctx, err, opts, stderr)
	}
	report := steps.NewReport(snap)
	if opts.json {
		for _, c := range report.Checks {
			if c.Status == steps.Unknown {
				fmt.Fprintf(stderr, "awssecure: warning: %s: %s\n", c.ID, c.Detail)
			}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(report)
	} else {
		styled := ui.IsTerminal(stdout) && os.Getenv("NO_COLOR") == ""
		fix := "awssecure"
		if opts.practice {
			fix = "awssecure --practice"
		}
		err = ui.PrintChecklist(stdout, report, opts.strict, styled, fix)
	}
	if err != nil {
		fmt.Fprintln(stderr, "awssecure: write the checklist:", err)
		return 2
	}
	if len(report.Failing(opts.strict)) > 0 {
		return 1
	}
	return 0
}

// statusFailed says on stderr, in one sentence and its fix, why the
// account could not be read, and returns status's exit code for that.
func statusFailed(ctx context.Context, err error, opts cliOptions, stderr io.Writer) int {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		fmt.Fprintf(stderr, "awssecure: AWS did not answer within %s, so the account was not read.\n"+
			"Check your network (and any proxy or VPN), or wait longer with --timeout %s.\n", opts.timeout, 4*opts.timeout)
	case errors.Is(ctx.Err(), context.Canceled):
		fmt.Fprintln(stderr, "awssecure: stopped before the account was read; nothing was printed.")
	default:
		e := steps.Explain(err)
		fmt.Fprintf(stderr, "awssecure: %s\n%s\n", e.What, e.Fix)
	}
	return 2
}
