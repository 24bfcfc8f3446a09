package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// terminal is a real pseudo-terminal: a private tmux server running the
// built binary in an 80×24 window. Tests type into it with send-keys and
// read what a person would see with capture-pane.
type terminal struct {
	t      *testing.T
	socket string
}

// newTerminal starts command in a detached 80×24 tmux session. After the
// command ends, the shell prints a marker and waits, so the test can read
// what the program left on the main screen.
func newTerminal(t *testing.T, env []string, command string) *terminal {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("the end-to-end test needs tmux as its terminal; the README's test command installs it (apt-get install tmux)")
	}
	term := &terminal{t: t, socket: fmt.Sprintf("awssecure-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	// The shell waits through Ctrl+C: in accessible mode the terminal
	// sends it as SIGINT to the whole foreground group, and this shell,
	// unlike an interactive one, is in that group. The trap is the
	// shell's own; the command gets SIGINT as usual.
	script := `trap : INT; ` + command + `; echo "[exited $?]"; sleep 600`
	args := []string{"-L", term.socket, "-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24",
		"env", "-i"}
	args = append(args, env...)
	args = append(args, "sh", "-c", script)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("start tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", term.socket, "kill-server").Run() })
	return term
}

func (term *terminal) tmux(args ...string) string {
	term.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", term.socket}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// screen is the visible window; scrollback adds everything above it.
func (term *terminal) screen() string { return term.tmux("capture-pane", "-p", "-t", "e2e") }
func (term *terminal) scrollback() string {
	return term.tmux("capture-pane", "-p", "-S", "-", "-E", "-", "-t", "e2e")
}

func (term *terminal) waitFor(want string) string {
	term.t.Helper()
	// Room for a busy two-core machine: the wait ends as soon as the
	// screen shows want; only a screen that never will takes this long.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		s := term.screen()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal never showed %q; it shows:\n%s", want, awstest.RedactSecrets(s))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// keys sends tmux key names (Enter, Escape, C-k, space…), one at a time,
// with a pause so each lands on a settled screen, as a person's would.
func (term *terminal) keys(keys ...string) {
	for _, k := range keys {
		term.tmux("send-keys", "-t", "e2e", k)
		time.Sleep(150 * time.Millisecond)
	}
}

func (term *terminal) text(s string) {
	term.tmux("send-keys", "-t", "e2e", "-l", s)
	time.Sleep(150 * time.Millisecond)
}

// buildBinary builds awssecure once for all the tests of this run that
// drive it as a process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin, err := builtBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

var builtBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "awssecure-bin-")
	if err != nil {
		return "", err
	}
	binDir = dir
	bin := filepath.Join(dir, "awssecure")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// binDir holds the built binary; TestMain removes it.
var binDir string

var (
	e2eSeed     = regexp.MustCompile(`((?:[A-Z2-7]{4} ){15}[A-Z2-7]{4})`)
	e2eSecret   = regexp.MustCompile(`Secret access key\s+(\S{40})`)
	e2ePassword = regexp.MustCompile(`Password\s+(\S{16,})`)
	e2eKeyID    = regexp.MustCompile(`Access key ID\s+(AKIA[A-Z0-9]{16})`)
)

// shownSecrets is what the wizard showed once and must leave nowhere.
type shownSecrets struct{ seed, secret, password, keyID string }

// walkInTerminal goes through every step in the terminal as a person
// would, with a wrong answer here and there, reading the MFA key off the
// screen and revealing the credentials; it ends when the program exits.
func walkInTerminal(t *testing.T, term *terminal, account, rootKey, rootDone string) shownSecrets {
	t.Helper()
	walkToMFA(t, term, account, rootKey, rootDone)
	return finishInTerminal(t, term, account == awsops.PracticeAccountID)
}

// walkToMFA goes from preflight on a fresh account to the new user's MFA
// screen, typing a bad user name on the way.
func walkToMFA(t *testing.T, term *terminal, account, rootKey, rootDone string) {
	t.Helper()
	term.waitFor("Account " + account)
	term.keys("Enter")
	term.waitFor("Step 1 of")
	term.keys(rootKey)
	if rootKey == "s" { // a skip asks first
		term.waitFor("It stays undone")
		term.keys("y")
	}
	term.waitFor(rootDone)
	if rootKey == "t" {
		term.keys("Enter")
	}
	term.waitFor("Step 2 of")
	term.keys("Enter", "Enter", "Enter", "Enter")
	term.waitFor("Password policy set")
	term.keys("Enter")
	term.waitFor("Group name")
	term.keys("Enter")
	term.waitFor("Group administrators created")
	term.keys("Enter")
	term.waitFor("User name")
	term.text("bad name")
	term.keys("Enter")
	term.waitFor("user name may hold only")
	term.keys("C-u")
	term.text("alice")
	term.keys("Enter", "Enter")
	term.waitFor("MFA for alice")
}

// finishInTerminal enrols MFA from the key on screen, reads the revealed
// credentials, confirms them, and walks on to the end.
func finishInTerminal(t *testing.T, term *terminal, practice bool) shownSecrets {
	t.Helper()
	term.keys("C-k")
	s := term.waitFor("Add it in your app by hand")
	m := e2eSeed.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no key on the MFA screen:\n%s", awstest.RedactSecrets(s))
	}
	var shown shownSecrets
	shown.seed = strings.ReplaceAll(m[1], " ", "")
	c1, c2 := awsops.PhoneCodes(awsops.NewSecret(shown.seed), time.Now())
	term.text(c1)
	term.keys("Enter")
	term.text(c2)
	term.keys("Enter")
	term.waitFor("MFA is on for alice")
	term.keys("Enter")

	s = term.waitFor("Save your new user's credentials")
	if e2eSecret.MatchString(s) {
		t.Errorf("the secret access key shows before it is revealed:\n%s", awstest.RedactSecrets(s))
	}
	term.keys("v")
	s = term.waitFor("Secret access key")
	secret, password, keyID := e2eSecret.FindStringSubmatch(s), e2ePassword.FindStringSubmatch(s), e2eKeyID.FindStringSubmatch(s)
	if secret == nil || password == nil || keyID == nil {
		t.Fatalf("revealed credentials not readable on screen:\n%s", awstest.RedactSecrets(s))
	}
	shown.secret, shown.password, shown.keyID = secret[1], password[1], keyID[1]
	term.keys("S", "y")
	term.waitFor("Account alias")
	term.text("Bad-Alias")
	term.keys("Enter")
	term.waitFor("lowercase")
	term.keys("C-u")
	term.text("acme-learning")
	term.keys("Enter")
	term.waitFor("Alias set")
	term.keys("Enter")
	term.waitFor("Opt-in regions to enable")
	term.keys("Enter")
	term.waitFor("Delete logs older than")
	term.text("0")
	term.keys("Enter")
	term.waitFor("whole number of days")
	term.keys("BSpace", "Enter") // empty: keep the logs
	term.waitFor("is logging every region")
	term.keys("Enter")
	term.waitFor("A monthly cost budget that e-mails you?")
	term.keys("Enter") // yes
	term.waitFor("Amount, USD a month")
	term.keys("Enter", "Enter") // 10 USD; then no address, which is refused
	term.waitFor("type the e-mail address the alerts go to")
	term.text("owner@example.com")
	term.keys("Enter")
	term.waitFor("A daily billing report")
	term.keys("Enter")
	term.waitFor("Is it on?")
	term.keys("Enter") // not yet: it stays on the summary
	term.waitFor("/cur2/.")
	term.keys("Enter")
	// The guardrails' defaults: the four free guards, with the owner's own
	// security contact (the form first refuses a phone with letters).
	term.waitFor("[ ] GuardDuty")
	term.keys("Enter")
	term.waitFor("Who should AWS write to?")
	term.text("Ada Lovelace")
	term.keys("Enter")
	term.text("ada@example.com")
	term.keys("Enter")
	term.text("call me")
	term.keys("Enter")
	term.waitFor("phone number may hold only digits")
	term.keys("C-u")
	term.text("+44 20 7946 0000")
	term.keys("Enter")
	term.text("Security lead")
	term.keys("Enter", "Enter")
	term.waitFor("c add a billing or operations contact")
	term.keys("Enter")
	// The root activity alert, to the budget's address, which it offers.
	// The practice account confirms the address a few seconds later, as a
	// click on AWS's link would, and the screen sees it; moto never mails
	// the link, so the address stays pending there.
	term.waitFor("Send root's alerts to")
	term.keys("Enter")
	term.waitFor("Waiting for you to confirm the e-mail to owner@example.com")
	if practice {
		term.waitFor("Alerts e-mail owner@example.com.")
		term.keys("t")
		term.waitFor("delivered it to its inbox")
	}
	term.keys("Enter")
	term.waitFor("Stop using root")
	// As root (the practice account) the wizard proves alice's key, then
	// asks about each root key; on moto it has none to delete.
	for i := 0; ; i++ {
		s := term.screen()
		if strings.Contains(s, "enter continue") {
			break
		}
		if strings.Contains(s, "y delete it") {
			term.keys("y")
		}
		if i > 300 {
			t.Fatalf("the handoff never finished:\n%s", awstest.RedactSecrets(s))
		}
		time.Sleep(100 * time.Millisecond)
	}
	term.keys("Enter")
	term.waitFor("Add another person?")
	term.keys("n")
	term.waitFor("Sign in as alice at")
	term.waitFor("acme-learning.signin.aws.amazon.com")
	term.keys("Enter")
	after := term.waitFor("[exited 0]")
	// What the user must keep stays on the normal screen, secrets aside.
	for _, want := range []string{"Sign in as alice at https://acme-learning.signin.aws.amazon.com/console", "✓ Admin IAM user for daily work", "Only root can, in the console:"} {
		if !strings.Contains(term.scrollback(), want) {
			t.Errorf("after exit the terminal lacks %q:\n%s", want, after)
		}
	}
	return shown
}

// leftNowhere checks that no secret the wizard showed remains on the
// terminal (screen and scrollback) after exit or in the debug log, and
// that the log did record the calls.
func leftNowhere(t *testing.T, term *terminal, shown shownSecrets, debugLog string) {
	t.Helper()
	after := term.scrollback()
	for name, value := range map[string]string{"MFA seed": shown.seed, "secret access key": shown.secret, "password": shown.password, "access key id": shown.keyID} {
		if strings.Contains(after, value) {
			t.Errorf("the %s is still in the terminal after exit", name)
		}
	}
	log, err := os.ReadFile(debugLog)
	if err != nil || !strings.Contains(string(log), "operation=CreateAccessKey") || !strings.Contains(string(log), "operation=EnableMFADevice") {
		t.Errorf("the debug log lacks the calls (%v):\n%s", err, awstest.RedactSecrets(string(log)))
	}
	for name, value := range map[string]string{"MFA seed": shown.seed, "secret access key": shown.secret, "password": shown.password} {
		if strings.Contains(string(log), value) {
			t.Errorf("the %s is in the debug log", name)
		}
	}
	if info, err := os.Stat(debugLog); err == nil && info.Mode().Perm() != 0o600 {
		t.Errorf("debug log mode %v, want 0600", info.Mode().Perm())
	}
}

// The built binary, in a real terminal at 80×24, walks the practice
// account from preflight to the summary as a person would; afterwards no
// secret it showed remains on the screen, in the scrollback or in the
// debug log; a second run finds every step done.
func TestEndToEndPracticeInTerminal(t *testing.T) {
	bin := buildBinary(t)
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state"), "TERM=xterm-256color", "PATH=/usr/bin:/bin"}
	debugLog := filepath.Join(home, "debug.log")
	term := newTerminal(t, env, bin+" --practice --debug "+debugLog)
	term.waitFor("PRACTICE ACCOUNT")
	shown := walkInTerminal(t, term, "111122223333", "t", "Root MFA is on")
	leftNowhere(t, term, shown, debugLog)
	if info, err := os.Stat(filepath.Join(home, "state", "awssecure", "practice.json")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("practice state: %v, %v; want a 0600 file", info, err)
	}
	inbox, err := os.ReadFile(filepath.Join(home, "state", "awssecure", "practice-inbox.txt"))
	if err != nil || !strings.Contains(string(inbox), "To: owner@example.com\nDate: ") ||
		!strings.Contains(string(inbox), "Subject: awssecure test: root activity alert for AWS account 111122223333\n") {
		t.Errorf("the practice inbox after the test alert: %v\n%s", err, inbox)
	}

	// The learner reached all-green: status agrees, exit 0.
	status := exec.Command(bin, "status", "--practice")
	status.Env = env
	out, err := status.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "0 fail") {
		t.Errorf("status --practice after the walk: %v\n%s", err, out)
	}

	// The second run resumes the kept practice account: everything is done.
	term2 := newTerminal(t, env, bin+" --practice")
	term2.waitFor("Account 111122223333")
	term2.keys("Enter")
	for _, want := range []string{"Root MFA is already on", "Already done: minimum length 14", "Already done: group administrators", "Already done: admin user alice", "Already done: alice has an MFA device", "Already done: alias acme-learning"} {
		term2.waitFor(want)
		term2.keys("Enter")
	}
	term2.waitFor("Opt-in regions")
	term2.keys("Enter")
	term2.waitFor("Already done: trail management-events")
	term2.keys("C-c")
	term2.waitFor("Quit awssecure?")
	term2.keys("y")
	term2.waitFor("[exited 0]")
}

// The same walk against moto through the real SDK, the binary reading its
// endpoints from the environment as it would AWS's: no secret remains on
// the terminal or in the debug log.
func TestEndToEndMotoInTerminal(t *testing.T) {
	bin := buildBinary(t)
	api := awstest.NewAccountAPI(t)
	moto.Use(t, api.URL)
	exports := moto.UseDataExports(t)
	home := t.TempDir()
	debugLog := filepath.Join(home, "debug.log")
	env := []string{"HOME=" + home, "TERM=xterm-256color", "PATH=/usr/bin:/bin",
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=moto-does-not-check-this", "AWS_REGION=us-east-1",
		"AWS_ENDPOINT_URL=" + moto.URL, "AWS_ENDPOINT_URL_ACCOUNT=" + api.URL, "AWS_ENDPOINT_URL_ACCESSANALYZER=" + api.URL, "AWS_EC2_METADATA_DISABLED=true",
		"AWS_ENDPOINT_URL_BCM_DATA_EXPORTS=" + exports.URL, "AWS_ENDPOINT_URL_COST_AND_USAGE_REPORT_SERVICE=" + exports.URL,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials")}
	term := newTerminal(t, env, bin+" --debug "+debugLog)
	shown := walkInTerminal(t, term, "123456789012", "s", "Step 2 of")
	leftNowhere(t, term, shown, debugLog)
}

// signal sends sig to the program the terminal runs (the child of its shell).
func (term *terminal) signal(sig string) {
	term.t.Helper()
	shell := strings.TrimSpace(term.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}"))
	if out, err := exec.Command("pkill", "-"+sig, "-P", shell).CombinedOutput(); err != nil {
		term.t.Fatalf("pkill -%s -P %s: %v\n%s", sig, shell, err, out)
	}
}

// A terminal closed (SIGHUP) or a kill (SIGTERM) on the MFA screen is a
// confirmed quit: the unenabled device is deleted, the terminal restored,
// the exit code non-zero. The password and key made a step earlier were
// never shown, so each rerun leads to new ones before anything else, until
// they are shown and confirmed.
func TestEndToEndSignalsNeverLoseCredentials(t *testing.T) {
	bin := buildBinary(t)
	home := t.TempDir()
	state := filepath.Join(home, "state")
	env := []string{"HOME=" + home, "XDG_STATE_HOME=" + state, "TERM=xterm-256color", "PATH=/usr/bin:/bin"}
	practiceFile := filepath.Join(state, "awssecure", "practice.json")
	devicesAndKeys := func() (int, []string) {
		t.Helper()
		p, err := awsops.NewPractice(awsops.PracticeOptions{Path: practiceFile})
		if err != nil {
			t.Fatal(err)
		}
		devices, _ := p.VirtualMFADevices(t.Context())
		keys, _ := p.AccessKeys(t.Context(), "alice")
		var ids []string
		for _, k := range keys {
			ids = append(ids, k.ID)
		}
		return len(devices), ids
	}
	// toLostUser walks a rerun from preflight to the user step, which must
	// say the credentials were never shown and make new ones on enter.
	toLostUser := func(term *terminal) {
		term.waitFor("A password and access key for alice")
		term.keys("Enter")
		for _, done := range []string{"Root MFA is already on", "Already done: minimum length", "Already done: group"} {
			term.waitFor(done)
			term.keys("Enter")
		}
		term.waitFor("Make new ones now")
		term.keys("Enter")
		term.waitFor("MFA for alice")
	}

	term := newTerminal(t, env, bin+" --practice")
	walkToMFA(t, term, "111122223333", "t", "Root MFA is on")
	term.signal("TERM")
	s := term.waitFor("[exited 143]")
	if !strings.Contains(s, "stopped by terminated") || strings.Contains(s, "MFA for alice") {
		t.Errorf("after SIGTERM the terminal should be back on its normal screen with our sentence:\n%s", awstest.RedactSecrets(s))
	}
	devices, firstKeys := devicesAndKeys()
	if devices != 0 || len(firstKeys) != 1 {
		t.Errorf("after SIGTERM: %d MFA devices (want 0), alice's keys %v (want 1)", devices, firstKeys)
	}

	term = newTerminal(t, env, bin+" --practice")
	toLostUser(term)
	term.signal("HUP")
	term.waitFor("[exited 129]")
	devices, secondKeys := devicesAndKeys()
	if devices != 0 || len(secondKeys) != 1 || secondKeys[0] == firstKeys[0] {
		t.Errorf("after SIGHUP: %d MFA devices (want 0); keys %v should have replaced %v", devices, secondKeys, firstKeys)
	}

	term = newTerminal(t, env, bin+" --practice")
	toLostUser(term)
	shown := finishInTerminal(t, term, true)
	if _, keys := devicesAndKeys(); len(keys) != 1 || keys[0] != shown.keyID {
		t.Errorf("the key shown (%s) is not alice's only key %v", shown.keyID, keys)
	}
	if _, err := os.Stat(filepath.Join(state, "awssecure", "unshown-credentials.json")); !os.IsNotExist(err) {
		t.Errorf("the note of unshown credentials outlived their confirmation: %v", err)
	}
}

// A practice file of the wrong shape, which used to crash the preflight
// and leave the terminal in the alternate screen in raw mode, is refused
// with a sentence that names the file and the fix; the terminal stays
// usable, and the fix it names works.
func TestEndToEndDamagedPracticeFile(t *testing.T) {
	bin := buildBinary(t)
	home := t.TempDir()
	state := filepath.Join(home, "state", "awssecure", "practice.json")
	if err := os.MkdirAll(filepath.Dir(state), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, []byte(`{"Users":{"bob":null}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state"), "TERM=xterm-256color", "PATH=/usr/bin:/bin"}
	term := newTerminal(t, env, bin+" --practice")
	term.waitFor("[exited ")
	// -J joins the lines the terminal wrapped at 80 columns.
	screen := term.tmux("capture-pane", "-p", "-J", "-t", "e2e")
	t.Logf("the terminal shows:\n%s", strings.TrimRight(screen, "\n"))
	for _, want := range []string{
		"awssecure: The practice account file " + state + ` is damaged (Users["bob"] is empty).`,
		"Start over with: awssecure --practice --practice-reset",
		"[exited 2]",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the terminal lacks %q", want)
		}
	}
	if strings.Contains(screen, "panic") || strings.Contains(screen, "Something went wrong") {
		t.Error("the damaged file is told as a crash or an unknown failure")
	}
	if modes := term.tmux("display-message", "-p", "-t", "e2e", "#{alternate_on} #{cursor_flag}"); modes != "0 1\n" {
		t.Errorf("alternate screen and cursor shown = %q, want the main screen with the cursor shown", modes)
	}
	// The terminal echoes what is typed: it is not left in raw mode.
	term.text("still-usable")
	term.waitFor("still-usable")

	reset := newTerminal(t, env, bin+" --practice --practice-reset")
	reset.waitFor("Account 111122223333")
	reset.keys("C-c")
	reset.waitFor("Quit awssecure?")
	reset.keys("y")
	reset.waitFor("[exited 0]")
}

// line types s and presses enter: an answer in accessible mode.
func (term *terminal) line(s string) {
	if s != "" {
		term.text(s)
	}
	term.keys("Enter")
}

// asked waits until the terminal's last lines are a question holding
// want, waiting for its answer (an older question on the screen does not
// count), and returns the screen.
func (term *terminal) asked(want string) string {
	term.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := term.screen()
		lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
		last := strings.Join(strings.Fields(strings.Join(lines[max(len(lines)-3, 0):], " ")), " ")
		if strings.HasSuffix(last, ":") && strings.Contains(last, want) {
			return s
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal never asked %q; it shows:\n%s", want, awstest.RedactSecrets(s))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// --accessible in a real terminal at 80×24, which stays in its line mode,
// from preflight to the summary, answered by typed lines only: every
// question is a line naming its answers; Ctrl+C at a question (the
// terminal's SIGINT) asks "Quit awssecure?" at once, and n asks the same
// question again with the answers so far kept; the MFA key and the
// credentials are read off full screens of their own and are gone from the
// scrollback once those are closed; the walk reaches all green.
func TestEndToEndAccessibleWalk(t *testing.T) {
	bin := buildBinary(t)
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state"), "TERM=xterm-256color", "PATH=/usr/bin:/bin"}
	term := newTerminal(t, env, bin+" --practice --accessible")
	answer := func(want, line string) string {
		t.Helper()
		s := term.asked(want)
		term.line(line)
		return s
	}
	ctrlC := func(want string) {
		t.Helper()
		term.asked(want)
		term.keys("C-c")
		answer("Type y (yes) or n (no), then press enter:", "n")
		term.asked(want)
	}
	answer("Press enter to continue", "")
	answer("Type t (pretend I turned it on in the console)", "t")
	answer("Press enter to continue", "")
	ctrlC("Minimum length (6–128; 14 or more recommended); enter alone keeps 14:")
	answer("Minimum length", "16")
	answer("Remember previous passwords", "")
	answer("Expire passwords after days", "")
	answer("or press enter when done", "")
	answer("Press enter to continue", "")
	answer("Group name; enter alone keeps administrators:", "")
	answer("Press enter to continue", "")
	answer("the name you will sign in with", "bad name")
	s := answer("the name you will sign in with", "alice")
	if !strings.Contains(s, "Refused: user name may hold only") {
		t.Errorf("the refused name's reason is not said:\n%s", s)
	}
	answer("or press enter when done", "")
	answer("or type k (show the key", "k")
	s = term.waitFor("Add it in your authenticator app by hand")
	m := e2eSeed.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no MFA key on its full screen:\n%s", awstest.RedactSecrets(s))
	}
	seed := strings.ReplaceAll(m[1], " ", "")
	term.line("") // closes the full screen
	answer("or type k (show the key", "")
	c1, c2 := awsops.PhoneCodes(awsops.NewSecret(seed), time.Now())
	answer("First code", c1)
	answer("Next code", c2)
	answer("Press enter to continue", "")
	answer("S (I saved them)", "v")
	s = term.waitFor("Secret access key")
	secret, password, keyID := e2eSecret.FindStringSubmatch(s), e2ePassword.FindStringSubmatch(s), e2eKeyID.FindStringSubmatch(s)
	if secret == nil || password == nil || keyID == nil {
		t.Fatalf("the credentials are not on their full screen:\n%s", awstest.RedactSecrets(s))
	}
	term.line("")
	answer("S (I saved them)", "S")
	answer("Have you saved them? Type y (yes) or n (no), then press enter:", "y")
	answer("Account alias", "admin")
	answer("enter alone keeps admin", "acme-learning")
	answer("Press enter to continue", "")
	answer("or press enter when done", "")
	answer("leave empty to keep them:", "")
	answer("Press enter to continue", "")
	answer("Press enter for Yes, or type y (Yes) or n (Skip):", "")
	answer("Amount, USD a month", "")
	answer("E-mail for the alerts", "owner@example.com")
	answer("Press enter for Yes, or type y (Yes) or n (Skip):", "")
	answer("Press enter for Not yet", "")
	answer("Press enter to continue", "")
	answer("Type a guard's number to choose or unchoose it", "")
	answer("Name, or type esc", "Ada Lovelace")
	answer("E-mail, or type esc", "ada@example.com")
	ctrlC("Phone — digits, spaces and ( ) + -")
	answer("Phone", "+44 20 7946 0000")
	answer("Job title", "Security lead")
	answer("or press enter when done", "")
	answer("Press enter to continue, or type c (add", "")
	// The root activity alert, to the budget's address, which it offers;
	// the practice account confirms it a few seconds later.
	answer("Send root's alerts to —", "") // enter alone keeps the budget's address
	term.waitFor("Alerts e-mail owner@example.com.")
	answer("Press enter to continue", "")
	answer("y (delete it)", "y")
	answer("y (delete it)", "y")
	answer("Press enter to continue", "")
	answer("y (add a person)", "n")
	answer("Press enter to finish", "")
	term.waitFor("[exited 0]")

	said := term.scrollback()
	for name, value := range map[string]string{"MFA key": seed, "secret access key": secret[1], "password": password[1], "access key id": keyID[1]} {
		if strings.Contains(said, value) {
			t.Errorf("the %s stayed in the terminal", name)
		}
	}
	flat := strings.Join(strings.Fields(said), " ")
	for _, want := range []string{"✗ to do: Root user has MFA", "Password policy set: at least 16 characters", "security contact set: Ada Lovelace",
		"✓ done: Root user has no access keys", "✓ done: Security contact"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the walk never said %q", want)
		}
	}
	for _, typed := range []string{"owner@example.com", "+44 20 7946 0000", "Ada Lovelace"} {
		if !strings.Contains(said, typed) { // a question leaves room on its line for the answer
			t.Errorf("the answer %q was broken across lines by the terminal", typed)
		}
	}
	if n := strings.Count(flat, "Quit awssecure?"); n != 2 {
		t.Errorf("Ctrl+C asked to quit %d times, want 2", n)
	}
	if strings.Contains(said[strings.LastIndex(said, "Summary"):], "✗ to do") {
		t.Error("the summary is not all done")
	}
	if modes := term.tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}"); modes != "0\n" {
		t.Errorf("the terminal was left in the alternate screen")
	}
	t.Logf("the accessible walk, as said:\n%s", awstest.RedactSecrets(said))
}

// status --watch as a learner runs it on a small terminal (60×16): the
// header whole, the failures first, the totals in view, pgdn scrolling;
// q leaves the last view on the main screen and exits as status does (1:
// checks fail). With --org on the practice account, which is in no
// organization, it is refused with status --org's sentence and exit 2
// instead of opening a live view of that error.
func TestEndToEndWatch(t *testing.T) {
	bin := buildBinary(t)
	home := t.TempDir()
	state := filepath.Join(home, "state")
	env := []string{"HOME=" + home, "XDG_STATE_HOME=" + state, "TERM=xterm-256color", "PATH=/usr/bin:/bin"}
	term := newTerminal(t, env, bin+" status --practice --watch")
	term.tmux("resize-window", "-t", "e2e", "-x", "60", "-y", "16")
	s := term.waitFor("13 of 20 checks fail")
	t.Logf("at 60×16:\n%s", s)
	lines := strings.Split(s, "\n")
	if !regexp.MustCompile(`read at \d\d:\d\d:\d\d · every 30s`).MatchString(s) || !strings.HasPrefix(lines[3], "✗ Root user has MFA") || !strings.Contains(s, "pgup/pgdn scroll") {
		t.Errorf("the header, the failures first or the scroll line are missing:\n%s", s)
	}
	if strings.Contains(s, "✓ Opt-in regions") {
		t.Fatalf("the passing check shows before a scroll: the test proves nothing:\n%s", s)
	}
	term.keys("NPage")
	s = term.waitFor("✓ Opt-in regions")
	if !strings.Contains(s, "13 of 20 checks fail") {
		t.Errorf("the totals left the screen on pgdn:\n%s", s)
	}
	term.keys("q")
	term.waitFor("[exited 1]")
	left := term.scrollback()
	t.Logf("after q:\n%s", left)
	for _, want := range []string{"PRACTICE", "✗ Root user has MFA", "✓ Opt-in regions", "13 of 20 checks fail"} {
		if !strings.Contains(left, want) {
			t.Errorf("the view left after q lacks %q", want)
		}
	}
	if strings.Contains(left, "q quit") {
		t.Error("the view left after q still shows the keys")
	}
	if modes := term.tmux("display-message", "-p", "-t", "e2e", "#{alternate_on} #{cursor_flag}"); modes != "0 1\n" {
		t.Errorf("alternate screen and cursor shown = %q, want the main screen with the cursor shown", modes)
	}

	t.Setenv("XDG_STATE_HOME", state)
	status := runCLI("status", "--org", "--practice")
	if status.code != 2 || status.stderr == "" {
		t.Fatalf("status --org --practice: exit %d, stderr %q", status.code, status.stderr)
	}
	org := newTerminal(t, env, bin+" status --practice --watch --org")
	org.waitFor("[exited ")
	s = org.tmux("capture-pane", "-p", "-J", "-t", "e2e")
	if !strings.Contains(s, strings.TrimSpace(status.stderr)+"\n[exited 2]") {
		t.Errorf("--watch --org --practice is not refused as status --org --practice is (%q):\n%s", status.stderr, s)
	}
}
