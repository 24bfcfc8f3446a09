package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops/awstest"
)

// process is one run of the built binary, with no terminal.
type process struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// runBinary runs the built binary with only env (no inherited AWS
// variables) and, when signal is set, sends it that signal after delay.
func runBinary(t *testing.T, env []string, sig os.Signal, delay time.Duration, args ...string) process {
	t.Helper()
	cmd := exec.Command(buildBinary(t), args...)
	home := t.TempDir()
	cmd.Env = append([]string{"HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state"), "PATH=/usr/bin:/bin",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials")}, env...)
	// A session of its own: no controlling terminal, as under cron or CI.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if sig != nil {
		time.AfterFunc(delay, func() { _ = cmd.Process.Signal(sig) })
	}
	// A hung binary must fail the test, not the whole run.
	timer := time.AfterFunc(2*time.Minute, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	err := cmd.Wait()
	p := process{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return p
}

// silentEndpoint accepts connections and never answers, as a broken proxy
// or a firewall that swallows packets would.
func silentEndpoint(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var held []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, conn)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range held {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

var fakeKeys = []string{"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=not-checked", "AWS_REGION=us-east-1", "AWS_EC2_METADATA_DISABLED=true"}

// status against an endpoint that never answers ends by itself, with its
// default deadline, well under a minute: exit 2, nothing on stdout, one
// sentence and its fix on stderr.
func TestStatusGivesUpOnASilentEndpoint(t *testing.T) {
	t.Parallel()
	p := runBinary(t, append(fakeKeys, "AWS_ENDPOINT_URL="+silentEndpoint(t)), nil, 0, "status", "--json")
	if p.code != 2 || p.stdout != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", p.code, p.stdout)
	}
	if !strings.Contains(p.stderr, "AWS did not answer within 25s") || !strings.Contains(p.stderr, "--timeout") || strings.Count(p.stderr, "\n") != 2 {
		t.Errorf("stderr should be one sentence and its fix:\n%s", p.stderr)
	}
	if p.took > 45*time.Second {
		t.Errorf("status took %s to give up; its deadline is 25 s", p.took)
	}
	// --timeout lengthens or shortens the wait.
	if p := runBinary(t, append(fakeKeys, "AWS_ENDPOINT_URL="+silentEndpoint(t)), nil, 0, "status", "--timeout", "2s"); p.code != 2 || !strings.Contains(p.stderr, "within 2s") {
		t.Errorf("--timeout 2s: exit %d, stderr %q", p.code, p.stderr)
	}
}

// Ctrl-C (SIGINT) during status stops it with its own sentence, not with
// "Something went wrong … retry or skip".
func TestStatusInterruptedSaysSo(t *testing.T) {
	t.Parallel()
	p := runBinary(t, append(fakeKeys, "AWS_ENDPOINT_URL="+silentEndpoint(t)), os.Interrupt, time.Second, "status")
	if p.code != 2 || p.stdout != "" || !strings.Contains(p.stderr, "stopped before the account was read") || strings.Contains(p.stderr, "Something went wrong") {
		t.Errorf("exit %d, stdout %q, stderr %q", p.code, p.stdout, p.stderr)
	}
}

// Without credentials, the SDK tries the instance metadata service and
// logs its own "falling back to IMDSv1" warning; stderr holds only ours.
// The metadata service here is a local server that answers 404, so no
// packet leaves the machine.
func TestStatusStderrHoldsOnlyOurSentences(t *testing.T) {
	t.Parallel()
	imds := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(imds.Close)
	p := runBinary(t, []string{"AWS_EC2_METADATA_SERVICE_ENDPOINT=" + imds.URL, "AWS_REGION=us-east-1"}, nil, 0, "status")
	if p.code != 2 || p.stdout != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", p.code, p.stdout)
	}
	lines := strings.Split(strings.TrimSpace(p.stderr), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "awssecure: No AWS credentials were found") || strings.Contains(p.stderr, "IMDS") {
		t.Errorf("stderr holds more than our sentence and its fix:\n%s", p.stderr)
	}
}

// With no terminal, the wizard says it needs one and that status does
// not, instead of Bubble Tea's "error opening TTY".
func TestWizardWithoutATerminalSaysSo(t *testing.T) {
	t.Parallel()
	p := runBinary(t, nil, nil, 0, "--practice")
	if p.code != 2 || !strings.Contains(p.stderr, "needs a terminal") || !strings.Contains(p.stderr, "awssecure status") || strings.Contains(p.stderr, "bubbletea") {
		t.Errorf("exit %d, stderr %q", p.code, p.stderr)
	}
}

// A debug log that cannot be written (a full disk) is said once on
// stderr; the run itself goes on.
func TestDebugLogWriteFailureIsReported(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Fatal("this test needs /dev/full, a device every Linux has")
	}
	awstest.Isolate(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	r := runCLI("status", "--practice", "--debug", "/dev/full")
	if r.code != 1 || !strings.Contains(r.stdout, "Root user has MFA") {
		t.Errorf("the status run itself should go on: exit %d\n%s", r.code, r.stdout)
	}
	if strings.Count(r.stderr, "the debug log /dev/full cannot be written") != 1 {
		t.Errorf("stderr should report the failure once:\n%s", r.stderr)
	}
}

// An unknown profile names the profiles that exist and how to create it.
func TestUnknownProfileListsTheOnesThatExist(t *testing.T) {
	awstest.Isolate(t)
	os.WriteFile(os.Getenv("AWS_CONFIG_FILE"), []byte("[default]\nregion = eu-west-1\n\n[profile work] ; the job\nregion = us-east-1\n"), 0o600)
	os.WriteFile(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), []byte("[ home ]\naws_access_key_id = AKIAHOME\naws_secret_access_key = x\n"), 0o600)
	t.Setenv("AWS_PROFILE", "nosuch")
	r := runCLI("status")
	for _, want := range []string{"There is no AWS profile named nosuch", "Profiles that exist: default, home, work", "aws configure --profile nosuch"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 2 || strings.Contains(r.stderr, "Something went wrong") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
