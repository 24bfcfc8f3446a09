package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/ui"
)

func TestHelpAndVersion(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"--help"}, 0, "", "awssecure status [--json]"},
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
	opts, err := parseArgs([]string{"status", "--json", "--profile", "work", "--region", "eu-west-1"}, &bytes.Buffer{})
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
		if opts, err := parseArgs(args, &bytes.Buffer{}); err != nil || opts != want {
			t.Errorf("%v: opts = %+v, %v; want %+v", args, opts, err, want)
		}
	}
	if _, err := parseArgs([]string{"--org", "--watch"}, &bytes.Buffer{}); err == nil || err.Error() != "--org and --watch go with status: awssecure status --org --watch" {
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

// Flags may come before the subcommand; a status flag without status is
// an error that says where it belongs, not silently ignored.
func TestFlagsBeforeOrAfterStatus(t *testing.T) {
	before, err := parseArgs([]string{"--practice", "--json", "status", "--strict"}, &bytes.Buffer{})
	if err != nil || before.command != "status" || !before.practice || !before.json || !before.strict {
		t.Errorf("flags around status: %+v, %v", before, err)
	}
	for _, args := range [][]string{{"--practice", "--json"}, {"--strict"}, {"--timeout", "1m"}} {
		if _, err := parseArgs(args, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "goes with status: awssecure status") {
			t.Errorf("%v: err = %v, want it to say the flag goes with status", args, err)
		}
	}
	if _, err := parseArgs([]string{"status", "extra"}, &bytes.Buffer{}); err == nil {
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
	} {
		if _, err := parseArgs(tc.args, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%v: err = %v, want it to say %q", tc.args, err, tc.says)
		}
	}
	for _, args := range [][]string{{"status", "--org", "--role", "Auditor"}, {"status", "--watch", "--interval", "5s"}, {"status", "--timeout", "2m"}} {
		if _, err := parseArgs(args, &bytes.Buffer{}); err != nil {
			t.Errorf("%v refused: %v", args, err)
		}
	}
}
