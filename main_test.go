package main

import (
	"bytes"
	"context"
	"errors"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
	"github.com/awssecure/awssecure/ui"
)

func TestHelpAndVersion(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"--help"}, 0, "awssecure status [flags]", ""},
		{[]string{"--version"}, 0, "awssecure ", ""},
		{[]string{"--bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"status", "extra"}, 2, "", `unexpected argument "extra"`},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.err) {
			t.Errorf("%v: code %d, stdout %q, stderr %q", tc.args, code, stdout.String(), stderr.String())
		}
	}
}

func TestParseArgs(t *testing.T) {
	opts, err := parseArgs([]string{"status", "--json", "--profile", "work", "--region", "eu-west-1"})
	want := cliOptions{command: "status", json: true, profile: "work", region: "eu-west-1", timeout: defaultStatusTimeout,
		role: "OrganizationAccountAccessRole", interval: 30 * time.Second}
	if err != nil || opts != want {
		t.Errorf("opts = %+v, %v; want %+v", opts, err, want)
	}
	// --org, --role, --watch and --interval, before or after status.
	want = cliOptions{command: "status", org: true, role: "Auditor", watch: true, interval: 5 * time.Second, timeout: defaultStatusTimeout}
	for _, args := range [][]string{
		{"status", "--org", "--role", "Auditor", "--watch", "--interval", "5s"},
		{"--org", "--watch", "status", "--role", "Auditor", "--interval", "5s"},
	} {
		if opts, err := parseArgs(args); err != nil || opts != want {
			t.Errorf("%v: opts = %+v, %v; want %+v", args, opts, err, want)
		}
	}
	if _, err := parseArgs([]string{"--org", "--watch"}); err == nil || err.Error() != "--org and --watch go with status: awssecure status --org --watch" {
		t.Errorf("--org --watch on the wizard: %v", err)
	}
}

// crashingModel panics in its first command, as the practice account's
// nil map did at the user step.
type crashingModel struct{}

func (crashingModel) Init() tea.Cmd {
	return func() tea.Msg {
		var users map[string]int
		users["bob"] = 1
		return nil
	}
}
func (m crashingModel) Update(tea.Msg) (tea.Model, tea.Cmd) { return m, nil }
func (crashingModel) View() tea.View                        { return tea.NewView("wizard") }

// A bug in the wizard ends the process with exitBug and one sentence on
// stderr, not with 0 as a quit does.
func TestWizardBugExitsNonZero(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var out, stderr bytes.Buffer
	err := ui.Run(crashingModel{}, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(&out))
	code := wizardExitCode(err, &stderr)
	want := "awssecure hit a bug and stopped: assignment to entry in nil map; your account is as it was after the last completed step\n"
	if code != exitBug || exitBug == 0 || stderr.String() != want {
		t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr.String(), exitBug, want)
	}
	if code := wizardExitCode(tea.ErrInterrupted, &stderr); code != 0 {
		t.Errorf("a quit with ctrl+c exits %d, want 0", code)
	}
}

// A --role that cannot name a role is refused before any call: no
// request reaches the endpoint (one that a good role reaches).
func TestBadRoleRefusedBeforeAnyCall(t *testing.T) {
	awstest.Isolate(t)
	var requests atomic.Int32
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer endpoint.Close()
	t.Setenv("AWS_ENDPOINT_URL", endpoint.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_REGION", "us-east-1")
	r := runCLI("status", "--org", "--role", "arn:aws:iam::123456789012:role/Auditor", "--timeout", "5s")
	if r.code != 2 || !strings.Contains(r.stderr, "--role takes the role's name") || requests.Load() != 0 {
		t.Errorf("exit %d, %d requests, stderr %q; want 2, none, and the sentence", r.code, requests.Load(), r.stderr)
	}
	runCLI("status", "--org", "--role", "Auditor", "--timeout", "5s")
	if requests.Load() == 0 {
		t.Error("a good --role made no request either: the test proves nothing")
	}
}

// status only reads: --practice-reset with it is refused, and the
// practice account is still there (it was deleted silently).
func TestStatusDoesNotResetThePracticeAccount(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	path := filepath.Join(state, "awssecure", "practice.json")
	p, err := awsops.NewPractice(awsops.PracticeOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CreateAccountAlias(t.Context(), "kept-practice"); err != nil {
		t.Fatal(err)
	}
	r := runCLI("status", "--practice", "--practice-reset")
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "status only reads") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := runCLI("status", "--practice", "--json"); !strings.Contains(r.stdout, "kept-practice") {
		t.Errorf("the practice account was reset:\n%s", r.stdout)
	}
}

// Help is what was asked for: on stdout (so `awssecure --help | less`
// shows it), exit 0, nothing on stderr; status's help lists status's
// flags, the wizard's the wizard's. It went to stderr, and status --help
// showed the wizard's usage.
func TestHelpGoesToStdout(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		has, lacks []string
	}{
		{[]string{"--help"}, []string{"Usage:", "-practice-reset", "-accessible", "awssecure status --help"}, []string{"-interval", "-json"}},
		{[]string{"-h"}, []string{"-accessible"}, []string{"-watch"}},
		{[]string{"help"}, []string{"-accessible"}, []string{"-watch"}},
		{[]string{"status", "--help"}, []string{"awssecure status --watch", "-watch", "-interval", "-role NAME", "-timeout DURATION", "(default 25s)", "Exit codes: 0"}, []string{"-accessible", "-practice-reset", "-version"}},
		{[]string{"--practice", "status", "-h"}, []string{"-watch"}, []string{"-accessible"}},
		{[]string{"--help", "status"}, []string{"-watch"}, []string{"-accessible"}},
		{[]string{"help", "status"}, []string{"-watch"}, []string{"-accessible"}},
		// The defaults shown are the defaults, not what came before --help.
		{[]string{"status", "--timeout", "5s", "--help"}, []string{"(default 25s)"}, []string{"(default 5s)"}},
	} {
		r := runCLI(tc.args...)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", tc.args, r.code, r.stderr)
		}
		for _, want := range tc.has {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%v: the help lacks %q:\n%s", tc.args, want, r.stdout)
			}
		}
		for _, not := range tc.lacks {
			if strings.Contains(r.stdout, not) {
				t.Errorf("%v: the help lists %q:\n%s", tc.args, not, r.stdout)
			}
		}
	}
}

// A command line that cannot be run says why in one line on stderr, once:
// a slip of a command names the command meant (`awssecure statsu` printed
// 39 lines of usage), a flag that does not exist is said once (it was
// said twice, with the usage between).
func TestCommandLineMistakesTakeOneLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		line string
	}{
		{[]string{"statsu"}, `awssecure: unknown command "statsu": did you mean status?`},
		{[]string{"stauts", "--practice"}, `awssecure: unknown command "stauts": did you mean status?`},
		{[]string{"Status"}, `awssecure: unknown command "Status": did you mean status?`},
		{[]string{"audit"}, `awssecure: unknown command "audit" (awssecure --help lists the commands)`},
		{[]string{"\x1b]0;x\a"}, `awssecure: unknown command "\x1b]0;x\x07" (awssecure --help lists the commands)`},
		{[]string{"--bogus"}, "awssecure: flag provided but not defined: -bogus (awssecure --help lists the flags)"},
		{[]string{"status", "--bogus"}, "awssecure: flag provided but not defined: -bogus (awssecure status --help lists the flags)"},
		{[]string{"status", "--timeout", "soon"}, `awssecure: invalid value "soon" for flag -timeout: parse error (awssecure status --help lists the flags)`},
		{[]string{"status", "extra"}, `awssecure: unexpected argument "extra" after status (awssecure status --help lists what it takes)`},
	} {
		r := runCLI(tc.args...)
		if r.code != 2 || r.stdout != "" || r.stderr != tc.line+"\n" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and the one line %q", tc.args, r.code, r.stdout, r.stderr, tc.line)
		}
	}
}

// Charm is the UI's: no file outside ui/ and main.go imports it, so every
// Bubble Tea program runs through ui, under the wizard's panic guard
// (status.go built the --watch program itself, outside it).
func TestOnlyTheUIImportsCharm(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (path == "ui" || path == "testdata" || strings.HasPrefix(d.Name(), ".") && path != "."):
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || path == "main.go":
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p := strings.Trim(imp.Path.Value, `"`); strings.HasPrefix(p, "charm.land/") || strings.HasPrefix(p, "github.com/charmbracelet/") {
				t.Errorf("%s imports %s: Charm belongs in ui/", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// How --watch ends: the last view on stdout and status's exit codes for
// the last read (0 nothing to fix, 1 something, 2 not read), and a bug in
// the view as the wizard's bug ends: exitBug and one sentence, nothing
// else. The live view exited 0 whatever it showed.
func TestWatchEndsAsStatusDoes(t *testing.T) {
	check := func(s steps.CheckStatus) steps.AccountReport {
		return steps.AccountReport{AccountID: "111122223333", Name: "practice", Checks: []steps.Check{{ID: "root-mfa", Status: s}}}
	}
	final := func(w io.Writer, _ bool) error {
		_, err := io.WriteString(w, "the last view\n")
		return err
	}
	for _, tc := range []struct {
		name   string
		res    ui.WatchResult
		err    error
		strict bool
		code   int
		stdout string
		stderr string
	}{
		{"all pass", ui.WatchResult{Read: true, Report: steps.OrgReport{Accounts: []steps.AccountReport{check(steps.Pass)}}, Print: final}, nil, false, 0, "the last view\n", ""},
		{"a check fails", ui.WatchResult{Read: true, Report: steps.OrgReport{Accounts: []steps.AccountReport{check(steps.Fail)}}, Print: final}, nil, false, 1, "the last view\n", ""},
		{"a warning", ui.WatchResult{Read: true, Report: steps.OrgReport{Accounts: []steps.AccountReport{check(steps.Warn)}}, Print: final}, nil, false, 0, "the last view\n", ""},
		{"a warning, strict", ui.WatchResult{Read: true, Report: steps.OrgReport{Accounts: []steps.AccountReport{check(steps.Warn)}}, Print: final}, nil, true, 1, "the last view\n", ""},
		{"an account not read", ui.WatchResult{Read: true, Report: steps.OrgReport{Accounts: []steps.AccountReport{check(steps.Pass), {AccountID: "222233334444", Error: "could not assume role"}}}, Print: final}, nil, false, 1, "the last view\n", ""},
		{"the last read failed", ui.WatchResult{Read: true, Err: errors.New("network down"), Report: steps.OrgReport{Accounts: []steps.AccountReport{check(steps.Pass)}}, Print: final}, nil, false, 2, "the last view\n", ""},
		{"quit before a read", ui.WatchResult{Print: final}, nil, false, 2, "", "awssecure: stopped before the account was read; nothing was printed.\n"},
		{"a signal", ui.WatchResult{Read: true, Print: final}, context.Canceled, false, 2, "", "awssecure: the live view was stopped by a signal.\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := watchEnded(tc.res, tc.err, cliOptions{strict: tc.strict}, &stdout, &stderr)
		if code != tc.code || stdout.String() != tc.stdout || stderr.String() != tc.stderr {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %d, %q, %q", tc.name, code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.stderr)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	bug := ui.Run(crashingModel{}, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(&bytes.Buffer{}))
	var stdout, stderr bytes.Buffer
	if code := watchEnded(ui.WatchResult{Read: true, Print: final}, bug, cliOptions{}, &stdout, &stderr); code != exitBug || stdout.Len() != 0 ||
		stderr.String() != "awssecure hit a bug and stopped: assignment to entry in nil map; your account is as it was after the last completed step\n" {
		t.Errorf("a bug: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// Flags may come before the subcommand; a status flag without status is
// an error that says where it belongs, not silently ignored.
func TestFlagsBeforeOrAfterStatus(t *testing.T) {
	before, err := parseArgs([]string{"--practice", "--json", "status", "--strict"})
	if err != nil || before.command != "status" || !before.practice || !before.json || !before.strict {
		t.Errorf("flags around status: %+v, %v", before, err)
	}
	for _, args := range [][]string{{"--practice", "--json"}, {"--strict"}, {"--timeout", "1m"}} {
		if _, err := parseArgs(args); err == nil || !strings.Contains(err.Error(), "goes with status: awssecure status") {
			t.Errorf("%v: err = %v, want it to say the flag goes with status", args, err)
		}
	}
	if _, err := parseArgs([]string{"status", "extra"}); err == nil {
		t.Error("an extra argument after status was accepted")
	}
}

// --version never says "(devel)": a stamped version, else the module's,
// else the commit, else a plain sentence.
func TestVersionSaysWhatWasBuilt(t *testing.T) {
	if v := versionString(); v == "" || strings.Contains(v, "(devel)") {
		t.Errorf("version = %q", v)
	}
	defer func(v string) { version = v }(version)
	version = "v1.2.3"
	var stdout bytes.Buffer
	if run([]string{"--version"}, &stdout, &bytes.Buffer{}); stdout.String() != "awssecure v1.2.3\n" {
		t.Errorf("--version printed %q", stdout.String())
	}
}

// A status flag that cannot mean what was typed is refused with where it
// belongs or what it takes, never ignored: before this, --role without
// --org was dropped silently and --timeout -5s said AWS had not answered
// within -5s.
func TestStatusFlagsThatCannotMeanWhatWasTyped(t *testing.T) {
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"status", "--role", "Auditor"}, "--role goes with --org"},
		{[]string{"status", "--interval", "10s"}, "--interval goes with --watch"},
		{[]string{"status", "--timeout", "-5s"}, "--timeout -5s is not a time to wait"},
		{[]string{"status", "--timeout", "0s"}, "--timeout 0s is not a time to wait"},
		{[]string{"status", "--watch", "--interval", "1s"}, "--interval 1s is too short"},
		{[]string{"status", "--watch", "--interval", "0s"}, "--interval 0s is too short"},
		{[]string{"status", "--practice", "--practice-reset"}, "--practice-reset deletes the practice account, and status only reads: start over with awssecure --practice --practice-reset, then run awssecure status --practice"},
		{[]string{"--practice-reset", "status"}, "--practice-reset deletes the practice account, and status only reads"},
		{[]string{"status", "--watch", "--json"}, "--json goes without --watch"},
		// --role is a role's name, after its path if it has one: not an ARN,
		// nothing IAM would refuse as a name or a path.
		{[]string{"status", "--org", "--role", "arn:aws:iam::123456789012:role/Auditor"}, "--role takes the role's name, not its ARN, which names one account: awssecure status --org --role Auditor"},
		{[]string{"status", "--org", "--role", "arn:aws:iam::123456789012:role/team/Auditor"}, "awssecure status --org --role team/Auditor"},
		{[]string{"status", "--org", "--role", "arn:aws:iam::123456789012:user/alice"}, "--role takes the name of the role to assume in each account (with its path, if it has one: team/Auditor), not an ARN"},
		{[]string{"status", "--org", "--role", "Org Auditor"}, "--role 'Org Auditor' cannot name an IAM role: the role name may hold only plain letters"},
		{[]string{"status", "--org", "--role", "Auditor;id"}, "--role 'Auditor;id' cannot name an IAM role"},
		{[]string{"status", "--org", "--role", "Prüfer"}, "cannot name an IAM role: the role name may hold only plain letters"},
		{[]string{"status", "--org", "--role", ""}, "cannot name an IAM role: the role name is empty"},
		{[]string{"status", "--org", "--role", "team/"}, "cannot name an IAM role: the role name is empty"},
		{[]string{"status", "--org", "--role", strings.Repeat("r", 65)}, "the role name is 65 characters; the most IAM allows is 64"},
		{[]string{"status", "--org", "--role", "my team/Auditor"}, "the role path may hold only plain letters, digits and punctuation"},
		{[]string{"status", "--org", "--role", strings.Repeat("p", 511) + "/Auditor"}, "the role path is 513 characters with its slashes; the most IAM allows is 512"},
		{[]string{"status", "--org", "--role", "\x1b[2JAuditor"}, `--role '\x1b[2JAuditor' cannot name an IAM role`},
	} {
		if _, err := parseArgs(tc.args); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%v: err = %v, want it to say %q", tc.args, err, tc.says)
		}
	}
	for _, args := range [][]string{{"status", "--org", "--role", "Auditor"}, {"status", "--watch", "--interval", "5s"}, {"status", "--timeout", "2m"},
		{"status", "--org", "--role", "team/Auditor"}, {"status", "--org", "--role", "/team/ops/Auditor"}, {"status", "--org", "--role", "a+=,.@_-b"},
		{"status", "--org", "--role", strings.Repeat("r", 64)}, {"status", "--org", "--role", strings.Repeat("p", 510) + "/Auditor"}} {
		if _, err := parseArgs(args); err != nil {
			t.Errorf("%v refused: %v", args, err)
		}
	}
}
