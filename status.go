package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
	"github.com/awssecure/awssecure/ui"
)

// minInterval is the shortest refresh --watch takes: each reads the whole
// account (or organization) again.
const minInterval = 5 * time.Second

// checkFlags refuses flags that cannot mean what was typed, rather than
// ignore them: a status flag on the wizard (a status run gone wrong),
// --role without --org, --interval without --watch, a timeout that is not
// a time to wait, an interval that would read the account nonstop.
func checkFlags(fs *flag.FlagSet, opts cliOptions) error {
	set := map[string]bool{}
	var statusOnly []string
	fs.Visit(func(f *flag.Flag) {
		set[f.Name] = true
		if slices.Contains([]string{"json", "strict", "timeout", "org", "role", "watch", "interval"}, f.Name) {
			statusOnly = append(statusOnly, "--"+f.Name)
		}
	})
	switch {
	case opts.command != "status" && len(statusOnly) > 0:
		verb := "goes"
		if len(statusOnly) > 1 {
			verb = "go"
		}
		return fmt.Errorf("%s %s with status: awssecure status %s", strings.Join(statusOnly, " and "), verb, strings.Join(statusOnly, " "))
	case opts.command == "status" && set["practice-reset"]:
		return fmt.Errorf("--practice-reset deletes the practice account, and status only reads: start over with %s, then run awssecure status --practice", awsops.PracticeResetCommand)
	case set["role"] && !opts.org:
		return fmt.Errorf("--role goes with --org, which reads every account of the organization: awssecure status --org --role %s", inert.ShellWord(inert.PrintableLine(opts.role)))
	case set["role"]:
		return checkRole(opts.role)
	case opts.watch && opts.json:
		return fmt.Errorf("--json goes without --watch: the live view is for people; for a script, run awssecure status --json on a schedule")
	case set["interval"] && !opts.watch:
		return fmt.Errorf("--interval goes with --watch, the live view: awssecure status --watch --interval %s", opts.interval)
	case opts.timeout <= 0:
		return fmt.Errorf("--timeout %s is not a time to wait: give how long, e.g. --timeout 90s or --timeout 2m", opts.timeout)
	case opts.interval < minInterval:
		return fmt.Errorf("--interval %s is too short: each refresh reads the whole account again; give %s or more", opts.interval, minInterval)
	}
	return nil
}

// checkRole refuses a --role that cannot name a role, before any call:
// a whole ARN (its account would be wrong in every other account), or a
// name IAM could not have given (spaces, characters IAM refuses).
func checkRole(role string) error {
	if strings.HasPrefix(role, "arn:") {
		parts := strings.SplitN(role, ":", 6)
		if len(parts) == 6 && parts[2] == "iam" && strings.HasPrefix(parts[5], "role/") && awsops.ValidateRole(parts[5][len("role/"):]) == nil {
			return fmt.Errorf("--role takes the role's name, not its ARN, which names one account: awssecure status --org --role %s", inert.ShellWord(parts[5][len("role/"):]))
		}
		return fmt.Errorf("--role takes the name of the role to assume in each account (with its path, if it has one: team/Auditor), not an ARN")
	}
	if err := awsops.ValidateRole(role); err != nil {
		return fmt.Errorf("--role %s cannot name an IAM role: the %v; give the role's name, after its path if it has one (team/Auditor)", inert.ShellWord(inert.PrintableLine(role)), err)
	}
	return nil
}

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
	if err == nil && ctx.Err() != nil {
		// The checks whose reads ran out of time would print as unknown
		// ("context deadline exceeded"): the account was not read in time.
		err = ctx.Err()
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
		err = ui.PrintChecklist(stdout, report, opts.strict, styled, fix, ui.TerminalWidth(stdout))
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
	case errors.Is(ctx.Err(), context.DeadlineExceeded) && opts.practice:
		// No network here: what takes the time is the practice file.
		fmt.Fprintf(stderr, "awssecure: the practice account was not read within %s, so nothing was printed.\n%s\n", opts.timeout, practiceTooSlow(opts))
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

// readOrg is how --org reads the organization of acct: the management
// account with acct itself, each member through opts.role.
func readOrg(acct steps.Account, opts cliOptions) func(context.Context) (steps.OrgReport, error) {
	org, _ := acct.(steps.Org)
	enter := func(ctx context.Context, id string) (steps.Account, error) {
		c, ok := acct.(*awsops.Client)
		if !ok {
			return nil, fmt.Errorf("account %s: only a real AWS account has other accounts", id)
		}
		return c.AssumeRole(ctx, awsops.RoleARN(c.Partition(), id, opts.role))
	}
	return func(ctx context.Context) (steps.OrgReport, error) {
		return steps.ReadOrg(ctx, org, acct, enter, steps.OrgOptions{Role: opts.role})
	}
}

// runOrgStatus is status --org: the grid (or JSON) of every account of
// the organization. It exits 2 when the organization cannot be listed,
// 1 when an account fails a check or cannot be read, 0 otherwise.
func runOrgStatus(ctx context.Context, acct steps.Account, opts cliOptions, stdout, stderr io.Writer) int {
	progress := ui.IsTerminal(stderr)
	if progress {
		fmt.Fprint(stderr, "Reading the organization's accounts…")
	}
	report, err := readOrg(acct, opts)(ctx)
	if progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		return statusFailed(ctx, err, opts, stderr)
	}
	if opts.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(report)
	} else {
		err = ui.PrintOrgGrid(stdout, report, opts.strict, ui.IsTerminal(stdout) && os.Getenv("NO_COLOR") == "", orgWidth)
	}
	if err != nil {
		fmt.Fprintln(stderr, "awssecure: write the checklist:", err)
		return 2
	}
	for _, a := range report.Accounts {
		if a.Failing(opts.strict) {
			return 1
		}
	}
	return 0
}

// orgWidth is the grid's width when printed: a classic terminal's.
const orgWidth = 80

// runWatch is status --watch: a live view of the checklist (with --org,
// of the organization's grid) that reads again every opts.interval, each
// read bounded by opts.timeout. It only reads. The first read is made
// before the view opens, so an account that cannot be read is refused as
// status refuses it (exit 2, one sentence). When the user quits, the last
// view is printed where it stays, and the exit code is status's for the
// last read: 0 nothing fails, 1 something does, 2 it could not be read.
func runWatch(ctx context.Context, opts cliOptions, stdout, stderr io.Writer) int {
	if !hasTerminal(stdout) {
		fmt.Fprintln(stderr, "awssecure: --watch draws a live view and needs a terminal; without one, run status (--json for scripts) on a schedule.")
		return 2
	}
	readCtx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()
	acct, _, err := openAccount(readCtx, opts)
	if err != nil {
		return statusFailed(readCtx, err, opts, stderr)
	}
	read := func(ctx context.Context) (steps.OrgReport, error) {
		snap, err := steps.ReadSnapshot(ctx, acct)
		if err != nil {
			return steps.OrgReport{}, err
		}
		return steps.OrgReport{Accounts: []steps.AccountReport{{AccountID: snap.Caller.AccountID, Name: snap.AccountLabel(), Checks: steps.Checks(snap)}}}, nil
	}
	if opts.org {
		read = readOrg(acct, opts)
	}
	progress := ui.IsTerminal(stderr)
	if progress && opts.org {
		fmt.Fprint(stderr, "Reading the organization's accounts…")
	} else if progress {
		fmt.Fprint(stderr, "Reading the account…")
	}
	first, err := read(readCtx)
	if progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err == nil && readCtx.Err() != nil {
		err = readCtx.Err() // as in runStatus
	}
	if err != nil {
		return statusFailed(readCtx, err, opts, stderr)
	}
	cancel()
	res, err := ui.RunWatch(ctx, ui.WatchOptions{Read: read, First: &first, Interval: opts.interval, Timeout: opts.timeout, Org: opts.org, Strict: opts.strict, Practice: opts.practice})
	return watchEnded(res, err, opts, stdout, stderr)
}

// watchEnded prints the live view's last view and returns the exit code
// for how it ended (see runWatch); a bug is exitBug, as in the wizard.
func watchEnded(res ui.WatchResult, err error, opts cliOptions, stdout, stderr io.Writer) int {
	var bug *ui.BugError
	switch {
	case errors.As(err, &bug):
		fmt.Fprintln(stderr, bug)
		return exitBug
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintln(stderr, "awssecure: the live view was stopped by a signal.")
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "awssecure:", err)
		return 2
	case !res.Read:
		fmt.Fprintln(stderr, "awssecure: stopped before the account was read; nothing was printed.")
		return 2
	}
	if err := res.Print(stdout, ui.IsTerminal(stdout) && os.Getenv("NO_COLOR") == ""); err != nil {
		fmt.Fprintln(stderr, "awssecure: write the checklist:", err)
		return 2
	}
	if res.Err != nil {
		return 2
	}
	for _, a := range res.Report.Accounts {
		if a.Error != "" || a.Failing(opts.strict) {
			return 1
		}
	}
	return 0
}

// practiceTooSlow is the fix when the practice account was not read in
// time: a practice file takes a few kilobytes, and one of many megabytes
// (made by hand or by a script) is what slows every call down.
func practiceTooSlow(opts cliOptions) string {
	wait := fmt.Sprintf("wait longer with --timeout %s", 4*opts.timeout)
	path, err := practiceStatePath()
	if err != nil {
		return "W" + wait[1:] + "."
	}
	info, err := os.Stat(path)
	if err != nil || info.Size() < 1<<20 {
		return "W" + wait[1:] + "."
	}
	return fmt.Sprintf("Its file %s holds %d MB, where a practice account needs a few kilobytes: start over with %s, or %s.",
		inert.PrintableLine(path), info.Size()>>20, awsops.PracticeResetCommand, wait)
}
