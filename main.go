// Command awssecure walks a new AWS account's owner through securing it,
// doing each step through the AWS API while explaining what it does.
// main only parses the command line and wires the parts together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/steps"
	"github.com/awssecure/awssecure/ui"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is used.
var version = ""

const usage = `awssecure secures a new AWS account, step by step, through the AWS API.

Usage:
  awssecure [flags]                 run the wizard on the account of your AWS credentials
  awssecure --practice [flags]      run the wizard on a built-in practice account (no AWS needed)
  awssecure status [--json] [flags] print a read-only security checklist of the account

Flags:
`

// cliOptions is everything the command line can say.
type cliOptions struct {
	command  string // "" for the wizard, or "status"
	profile  string
	region   string
	practice bool
	// practiceReset starts the practice account over.
	practiceReset bool
	json          bool
	strict        bool
	accessible    bool
	version       bool
	// debugLog is a file for the call log; "" keeps none.
	debugLog string
	logger   *slog.Logger
}

func parseArgs(args []string, stderr io.Writer) (cliOptions, error) {
	var opts cliOptions
	if len(args) > 0 && args[0] == "status" {
		opts.command, args = "status", args[1:]
	}
	fs := flag.NewFlagSet("awssecure", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.profile, "profile", "", "use profile `NAME` from your AWS config (default: $AWS_PROFILE or default)")
	fs.StringVar(&opts.region, "region", "", "`REGION` for regional calls (default: $AWS_REGION, the profile's, or us-east-1)")
	fs.BoolVar(&opts.practice, "practice", false, "use the built-in practice account instead of AWS")
	fs.BoolVar(&opts.practiceReset, "practice-reset", false, "with --practice: start the practice account over")
	fs.BoolVar(&opts.json, "json", false, "status: print JSON")
	fs.BoolVar(&opts.strict, "strict", false, "status: exit 1 on warnings and unreadable checks too, not only on failures")
	fs.BoolVar(&opts.accessible, "accessible", false, "ask each question as a plain line, for screen readers")
	fs.BoolVar(&opts.version, "version", false, "print the version and exit")
	fs.StringVar(&opts.debugLog, "debug", "", "append a line per AWS call (operation, time, error code; never values) to `FILE`")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if opts.practiceReset {
		opts.practice = true
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return opts, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return opts, nil
}

func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "dev"
}

func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "awssecure:", err)
		return 2
	}
	if opts.version {
		fmt.Fprintln(stdout, "awssecure", versionString())
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if opts.debugLog != "" {
		f, err := os.OpenFile(opts.debugLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			fmt.Fprintln(stderr, "awssecure: open the debug log:", err)
			return 2
		}
		defer f.Close()
		opts.logger = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	acct, region, err := openAccount(ctx, opts)
	if err != nil && (opts.command == "status" || opts.practice) {
		e := steps.Explain(err)
		fmt.Fprintf(stderr, "awssecure: %s\n%s\n", e.What, e.Fix)
		return 2
	}
	if opts.command == "status" {
		return runStatus(ctx, acct, opts, stdout, stderr)
	}
	// The wizard explains credential trouble on its first screen, where
	// the user can also switch to the practice account.
	return runWizard(ctx, acct, err, opts, region, stderr)
}

// practiceStatePath is where the practice account lives between runs:
// the user's state directory, as the XDG spec places it.
func practiceStatePath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find home folder: %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "awssecure", "practice.json"), nil
}

// openAccount builds the practice account or the real client.
func openAccount(ctx context.Context, opts cliOptions) (steps.Account, string, error) {
	if !opts.practice {
		c, err := awsops.New(ctx, awsops.Options{Profile: opts.profile, Region: opts.region, Logger: opts.logger})
		if err != nil {
			return nil, "", err
		}
		return c, c.Region(), nil
	}
	path, err := practiceStatePath()
	if err != nil {
		return nil, "", err
	}
	if opts.practiceReset {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, "", fmt.Errorf("reset practice account: %w", err)
		}
	}
	p, err := awsops.NewPractice(awsops.PracticeOptions{Path: path, Latency: practiceLatency, RegionEnableTime: practiceRegionTime, Logger: opts.logger})
	region := opts.region
	if region == "" {
		region = awsops.DefaultRegion
	}
	return p, region, err
}

// The practice account's simulated delays: long enough that a learner sees
// the spinners and the regions move, short enough not to bore a workshop.
const (
	practiceLatency    = 300 * time.Millisecond
	practiceRegionTime = 8 * time.Second
)

func runWizard(ctx context.Context, acct steps.Account, accountErr error, opts cliOptions, region string, stderr io.Writer) int {
	files, err := credentialFiles(opts.practice)
	if err != nil {
		fmt.Fprintln(stderr, "awssecure:", err)
		return 2
	}
	openPractice := func() (steps.Account, ui.FileOptions, error) {
		practice := opts
		practice.practice, practice.practiceReset = true, false
		acct, _, err := openAccount(ctx, practice)
		if err != nil {
			return nil, ui.FileOptions{}, err
		}
		files, err := credentialFiles(true)
		return acct, files, err
	}
	if region == "" {
		region = awsops.DefaultRegion
	}
	model := ui.New(ctx, ui.Options{Account: acct, AccountErr: accountErr, OpenPractice: openPractice,
		Practice: opts.practice, Region: region, Files: files, Dark: true, Accessible: opts.accessible})
	return wizardExitCode(ui.Run(model, tea.WithContext(ctx)), stderr)
}

// exitBug is the exit code when the wizard stopped at a bug (a panic),
// after restoring the terminal: apart from 1 (status found failures) and
// 2 (bad arguments, an account that cannot be opened).
const exitBug = 3

// wizardExitCode tells how the wizard ended: 0 when the user finished or
// quit, exitBug after a bug, 2 when the program could not run.
func wizardExitCode(err error, stderr io.Writer) int {
	var bug *ui.BugError
	switch {
	case errors.As(err, &bug):
		fmt.Fprintln(stderr, bug)
		return exitBug
	case err != nil && !errors.Is(err, tea.ErrInterrupted) && !errors.Is(err, tea.ErrProgramKilled):
		fmt.Fprintln(stderr, "awssecure:", err)
		return 2
	}
	return 0
}

// credentialFiles says where saved credentials go: the AWS CLI's own files
// for a real account; for the practice account, next to its state file, so
// fake keys never land in the user's real AWS configuration.
func credentialFiles(practice bool) (ui.FileOptions, error) {
	if practice {
		path, err := practiceStatePath()
		if err != nil {
			return ui.FileOptions{}, err
		}
		dir := filepath.Dir(path)
		return ui.FileOptions{Dir: dir, CredentialsFile: filepath.Join(dir, "aws-credentials"), ConfigFile: filepath.Join(dir, "aws-config")}, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ui.FileOptions{}, fmt.Errorf("find home folder: %w", err)
	}
	cwd, err := os.Getwd()
	if err != nil {
		return ui.FileOptions{}, err
	}
	files := ui.FileOptions{Dir: cwd, CredentialsFile: filepath.Join(home, ".aws", "credentials"), ConfigFile: filepath.Join(home, ".aws", "config")}
	if p := os.Getenv("AWS_SHARED_CREDENTIALS_FILE"); p != "" {
		files.CredentialsFile = p
	}
	if p := os.Getenv("AWS_CONFIG_FILE"); p != "" {
		files.ConfigFile = p
	}
	return files, nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
