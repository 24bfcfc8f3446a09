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
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
	"github.com/awssecure/awssecure/ui"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is used.
var version = ""

// usage is `awssecure --help`: the commands and the wizard's flags.
const usage = `awssecure secures a new AWS account, step by step, through the AWS API.

Usage:
  awssecure [flags]                 run the wizard on the account of your AWS credentials
  awssecure --practice [flags]      run the wizard on a built-in practice account (no AWS needed)
  awssecure status [flags]          print a read-only security checklist of the account
                                    (awssecure status --help: its flags)

Flags:
`

// statusUsage is `awssecure status --help`: status's forms and flags.
const statusUsage = `awssecure status checks an AWS account's security, read-only: it changes nothing.

Usage:
  awssecure status [--json] [--strict] [flags]
                                    the checklist of the account of your AWS credentials
  awssecure status --practice       the checklist of the built-in practice account
  awssecure status --org [--role NAME]
                                    the checklist of every account of your AWS Organization
  awssecure status --watch [--org]  a live view that refreshes (r: now; q: quit)

Exit codes: 0 nothing to fix; 1 something to fix (with --strict, a warning too);
2 the account was not read, or the command line cannot mean what it says;
3 awssecure hit a bug.

Flags:
`

// The flags each help lists: the wizard's, and status's.
var (
	wizardFlags = []string{"profile", "region", "practice", "practice-reset", "accessible", "debug", "version"}
	statusFlags = []string{"profile", "region", "practice", "json", "strict", "timeout", "org", "role", "watch", "interval", "debug"}
)

// commands are the subcommands, for "did you mean".
var commands = []string{"status"}

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
	// timeout bounds a whole status run, so cron and CI never hang on an
	// endpoint that does not answer.
	timeout time.Duration
	// org checks every account of the organization, through role.
	org  bool
	role string
	// watch refreshes a live view every interval.
	watch    bool
	interval time.Duration
}

// defaultStatusTimeout is how long status may take in all: far more than
// a healthy account needs (a few seconds), and well under a minute.
const defaultStatusTimeout = 25 * time.Second

// newFlagSet is the command line's flags, read into opts. It prints
// nothing: run says what went wrong, once, and --help goes to stdout.
func newFlagSet(opts *cliOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("awssecure", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&opts.profile, "profile", "", "use profile `NAME` from your AWS config (default: $AWS_PROFILE or default)")
	fs.StringVar(&opts.region, "region", "", "`REGION` for regional calls (default: $AWS_REGION, the profile's, or us-east-1)")
	fs.BoolVar(&opts.practice, "practice", false, "use the built-in practice account instead of AWS")
	fs.BoolVar(&opts.practiceReset, "practice-reset", false, "with --practice: start the practice account over")
	fs.BoolVar(&opts.json, "json", false, "status: print JSON")
	fs.BoolVar(&opts.strict, "strict", false, "status: exit 1 on warnings and unreadable checks too, not only on failures")
	fs.BoolVar(&opts.accessible, "accessible", false, "ask each question as a plain line, for screen readers")
	fs.BoolVar(&opts.version, "version", false, "print the version and exit")
	fs.StringVar(&opts.debugLog, "debug", "", "append a line per AWS call (operation, time, error code; never values) to `FILE`")
	fs.DurationVar(&opts.timeout, "timeout", defaultStatusTimeout, "status: give up after `DURATION` (e.g. 90s, 2m) when AWS does not answer")
	fs.BoolVar(&opts.org, "org", false, "status: check every active account of your AWS Organization")
	fs.StringVar(&opts.role, "role", awsops.DefaultOrgRole, "status --org: the role to assume in each member account, by `NAME` (team/NAME when it has a path)")
	fs.BoolVar(&opts.watch, "watch", false, "status: a live view that refreshes (for a projector)")
	fs.DurationVar(&opts.interval, "interval", 30*time.Second, "status --watch: refresh every `DURATION`")
	return fs
}

// parseArgs reads the command line. Flags may come before or after the
// subcommand: `awssecure --practice status` is `awssecure status --practice`.
// --help (and `awssecure help`) is flag.ErrHelp, with opts.command saying
// whose help: status's when status is named anywhere.
func parseArgs(args []string) (cliOptions, error) {
	var opts cliOptions
	fs := newFlagSet(&opts)
	if err := fs.Parse(args); err != nil {
		if slices.Contains(fs.Args(), "status") {
			opts.command = "status"
		}
		return opts, flagError(err, opts.command)
	}
	switch fs.Arg(0) {
	case "status":
		opts.command = "status"
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return opts, flagError(err, opts.command)
		}
	case "help":
		if fs.Arg(1) == "status" {
			opts.command = "status"
		}
		return opts, flag.ErrHelp
	}
	if opts.practiceReset {
		opts.practice = true
	}
	switch {
	case fs.NArg() > 0 && opts.command == "":
		return opts, unknownCommand(fs.Arg(0))
	case fs.NArg() > 0:
		return opts, fmt.Errorf("unexpected argument \"%s\" after status (awssecure status --help lists what it takes)", inert.PrintableLine(fs.Arg(0)))
	}
	return opts, checkFlags(fs, opts)
}

// flagError is a flag the flag package could not read, with where the
// flags are listed; --help stays flag.ErrHelp.
func flagError(err error, command string) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	help := "awssecure --help"
	if command == "status" {
		help = "awssecure status --help"
	}
	return fmt.Errorf("%w (%s lists the flags)", err, help)
}

// unknownCommand is the one line for a first word that is no command:
// the command it is a slip of, if any (statsu, stauts), or where the
// commands are listed.
func unknownCommand(word string) error {
	for _, c := range commands {
		if editDistance(strings.ToLower(word), c) <= 2 {
			return fmt.Errorf("unknown command \"%s\": did you mean %s?", inert.PrintableLine(word), c)
		}
	}
	return fmt.Errorf("unknown command \"%s\" (awssecure --help lists the commands)", inert.PrintableLine(word))
}

// editDistance is the number of letters to add, drop, change or swap with
// the next one to turn a into b (optimal string alignment distance).
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// printUsage writes the help of command ("" or "status") to w.
func printUsage(w io.Writer, command string) error {
	text, names := usage, wizardFlags
	if command == "status" {
		text, names = statusUsage, statusFlags
	}
	// The flags listed are those of a fresh set, so the defaults shown are
	// the defaults, not what else was typed before --help.
	var opts cliOptions
	all := newFlagSet(&opts)
	listed := flag.NewFlagSet("awssecure", flag.ContinueOnError)
	for _, name := range names {
		f := all.Lookup(name)
		listed.Var(f.Value, f.Name, f.Usage)
		listed.Lookup(name).DefValue = f.DefValue
	}
	var b strings.Builder
	b.WriteString(text)
	listed.SetOutput(&b)
	listed.PrintDefaults()
	if command != "status" {
		b.WriteString("\nawssecure status --help lists the flags of status.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// versionString is the release version stamped at build time, else the
// module version (go install …@v1.2.3), else the commit and its date from
// the build's VCS stamp, so a bug report names exactly what was run.
func versionString() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	vcs := map[string]string{}
	for _, s := range info.Settings {
		vcs[s.Key] = s.Value
	}
	rev := vcs["vcs.revision"]
	if rev == "" {
		return "development build (no version stamp)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "commit " + rev
	if t := vcs["vcs.time"]; t != "" {
		v += " of " + t
	}
	if vcs["vcs.modified"] == "true" {
		v += ", with uncommitted changes"
	}
	return v
}

func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseArgs(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		// Help is what was asked for: stdout, so `| less` shows it.
		if err := printUsage(stdout, opts.command); err != nil {
			fmt.Fprintln(stderr, "awssecure: write the help:", err)
			return 2
		}
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "awssecure:", err)
		return 2
	}
	if opts.version {
		fmt.Fprintln(stdout, "awssecure", versionString())
		return 0
	}
	if opts.debugLog != "" {
		f, err := os.OpenFile(opts.debugLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			fmt.Fprintln(stderr, "awssecure: open the debug log:", err)
			return 2
		}
		defer f.Close()
		opts.logger = slog.New(slog.NewTextHandler(&reportingWriter{w: f, name: opts.debugLog, stderr: stderr}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if opts.command == "status" {
		// Ctrl-C, a closed terminal or a kill stops status at once: it only reads.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
		defer stop()
		if opts.watch {
			// The deadline is each refresh's (see runWatch).
			return runWatch(ctx, opts, stdout, stderr)
		}
		ctx, cancel := context.WithTimeout(ctx, opts.timeout)
		defer cancel()
		acct, _, err := openAccount(ctx, opts)
		if err != nil {
			return statusFailed(ctx, err, opts, stderr)
		}
		if opts.org {
			return runOrgStatus(ctx, acct, opts, stdout, stderr)
		}
		return runStatus(ctx, acct, opts, stdout, stderr)
	}
	if !hasTerminal(stdout) {
		fmt.Fprintln(stderr, "awssecure: the wizard needs a terminal to draw its screens: run it in a terminal window.\n"+
			"`awssecure status` needs none: it prints a checklist (--json for scripts).")
		return 2
	}
	// The wizard's calls are not tied to signals: on SIGTERM or SIGHUP it
	// first undoes unfinished work (see runWizard).
	ctx := context.Background()
	acct, region, err := openAccount(ctx, opts)
	if err != nil && opts.practice {
		e := steps.Explain(err)
		fmt.Fprintf(stderr, "awssecure: %s\n%s\n", e.What, e.Fix)
		return 2
	}
	// The wizard explains credential trouble on its first screen, where
	// the user can also switch to the practice account.
	return runWizard(ctx, acct, err, opts, region, stdout, stderr)
}

// hasTerminal reports whether the wizard can run: it draws on stdout and
// reads keys from the controlling terminal.
func hasTerminal(stdout io.Writer) bool {
	if !ui.IsTerminal(stdout) {
		return false
	}
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	tty.Close()
	return true
}

// reportingWriter is the debug log's file: the first write that fails is
// said on stderr (a full disk, /dev/full), once, instead of every later
// line vanishing in silence.
type reportingWriter struct {
	w        io.Writer
	name     string
	stderr   io.Writer
	mu       sync.Mutex
	reported bool
}

func (r *reportingWriter) Write(p []byte) (int, error) {
	n, err := r.w.Write(p)
	if err != nil {
		r.mu.Lock()
		if !r.reported {
			r.reported = true
			fmt.Fprintf(r.stderr, "awssecure: the debug log %s cannot be written (%v); later lines are lost.\n", r.name, err)
		}
		r.mu.Unlock()
	}
	return n, err
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
	region := opts.region
	if region == "" {
		region = awsops.DefaultRegion
	}
	p, err := awsops.OpenPractice(ctx, awsops.PracticeOptions{Path: path, Latency: practiceLatency, RegionEnableTime: practiceRegionTime,
		KeyDelay: practiceKeyDelay, EmailConfirmDelay: practiceEmailDelay, Logger: opts.logger, Region: region})
	return p, region, err
}

// The practice account's simulated delays: long enough that a learner sees
// the spinners and the regions move, short enough not to bore a workshop.
const (
	practiceLatency    = 300 * time.Millisecond
	practiceRegionTime = 8 * time.Second
	// practiceKeyDelay: a new access key works after a few seconds, as on
	// AWS, so the handoff's waiting is seen and practised.
	practiceKeyDelay = 3 * time.Second
	// practiceEmailDelay: the root activity alert's address is confirmed
	// a few seconds after it is subscribed, as if the learner clicked the
	// link, so the waiting done screen is seen to update.
	practiceEmailDelay = 8 * time.Second
)

func runWizard(ctx context.Context, acct steps.Account, accountErr error, opts cliOptions, region string, stdout, stderr io.Writer) int {
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
	unshown, err := unshownCredentials()
	if err != nil {
		fmt.Fprintln(stderr, "awssecure:", err)
		return 2
	}
	model := ui.New(ctx, ui.Options{Account: acct, AccountErr: accountErr, OpenPractice: openPractice,
		Practice: opts.practice, Region: region, Files: files, Dark: true, Accessible: opts.accessible, Unshown: unshown})
	// Signals are ours, not Bubble Tea's: its SIGTERM ends the program at
	// once, leaving an unenabled MFA device behind and exiting 0.
	p := ui.NewProgram(model, tea.WithoutSignalHandler())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	var stoppedBy atomic.Value // the first SIGTERM or SIGHUP
	go func() {
		for sig := range signals {
			switch {
			case sig == os.Interrupt: // kill -INT, or ctrl+c in accessible mode: ask, as ctrl+c does
				p.Send(ui.InterruptMsg{})
			case stoppedBy.CompareAndSwap(nil, sig):
				p.Send(ui.TerminateMsg{})
				// The cleanup has its own deadline; this is for a wizard that cannot even get to it.
				time.AfterFunc(ui.CleanupTimeout+5*time.Second, p.Kill)
			default: // a second signal: stop now
				p.Kill()
			}
		}
	}()
	final, err := p.Run()
	signal.Stop(signals)
	close(signals)
	if m, ok := final.(ui.Model); ok {
		m.FinishCleanup(ctx)
		// The wizard ran in the alternate screen, which is gone now: what
		// the user must keep is written where it stays.
		if err := m.Farewell(stdout, ui.IsTerminal(stdout) && os.Getenv("NO_COLOR") == ""); err != nil {
			fmt.Fprintln(stderr, "awssecure: write the summary:", err)
		}
	}
	if sig, ok := stoppedBy.Load().(syscall.Signal); ok {
		rerun := "awssecure"
		if m, ok := final.(ui.Model); ok {
			rerun = m.Rerun()
		}
		fmt.Fprintf(stderr, "awssecure: stopped by %s. Everything finished so far stays done; run %s again to continue.\n", sig, rerun)
		return 128 + int(sig)
	}
	return wizardExitCode(err, stderr)
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

// unshownCredentials is where the wizard notes, across runs, whose new
// credentials were made and never shown (names only, never a secret).
func unshownCredentials() (steps.UnshownCredentials, error) {
	path, err := practiceStatePath()
	if err != nil {
		return steps.UnshownCredentials{}, err
	}
	return steps.UnshownCredentials{Path: filepath.Join(filepath.Dir(path), "unshown-credentials.json")}, nil
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
