package ui

import (
	"bytes"
	"io"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// lineTerminal runs the wizard in accessible mode as main does, as a
// Bubble Tea program with no screen and no keyboard, on a practice
// account: lines go in through a pipe, as a person types them, and
// everything the wizard says is kept. Tests wait for what they expect to
// be said (each wait starts where the last one ended), then answer.
type lineTerminal struct {
	t    *testing.T
	in   *io.PipeWriter
	out  *sayings
	p    *Program
	done chan struct{}
	err  error
	read int // what the waits have read so far
}

// sayings is the wizard's output; each write wakes the waits.
type sayings struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func (s *sayings) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Write(p)
	close(s.changed)
	s.changed = make(chan struct{})
	return len(p), nil
}

func (s *sayings) String() (string, chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String(), s.changed
}

func newLineTerminal(t *testing.T, acct steps.Account, dir string, opts ...tea.ProgramOption) *lineTerminal {
	t.Helper()
	in, inW := io.Pipe()
	out := &sayings{changed: make(chan struct{})}
	m := New(t.Context(), Options{Account: acct, Practice: true, Region: "eu-west-1", Accessible: true, Input: in, Output: out,
		Files: FileOptions{Dir: dir, CredentialsFile: filepath.Join(dir, "credentials"), ConfigFile: filepath.Join(dir, "config")}})
	lt := &lineTerminal{t: t, in: inW, out: out, p: NewProgram(m, append([]tea.ProgramOption{tea.WithoutSignalHandler(), tea.WithContext(t.Context())}, opts...)...), done: make(chan struct{})}
	go func() {
		_, lt.err = lt.p.Run()
		close(lt.done)
	}()
	t.Cleanup(func() {
		_ = inW.Close()
		lt.p.Kill()
		<-lt.done
	})
	return lt
}

// waitFor waits until the wizard has said want after what was read so
// far, however its lines were wrapped, and returns what it said up to it.
func (lt *lineTerminal) waitFor(want string) string {
	lt.t.Helper()
	var words []string
	for _, w := range strings.Fields(want) {
		words = append(words, regexp.QuoteMeta(w))
	}
	pattern := regexp.MustCompile(strings.Join(words, `\s+`))
	deadline := time.After(20 * time.Second)
	for {
		all, changed := lt.out.String()
		if loc := pattern.FindStringIndex(all[lt.read:]); loc != nil {
			said := all[lt.read : lt.read+loc[1]]
			lt.read += loc[1]
			return said
		}
		select {
		case <-changed:
		case <-lt.done:
			lt.t.Fatalf("the wizard ended without saying %q; it said:\n%s", want, awstest.RedactSecrets(all[lt.read:]))
		case <-deadline:
			lt.t.Fatalf("the wizard never said %q; after the last wait it said:\n%s", want, awstest.RedactSecrets(all[lt.read:]))
		}
	}
}

// answer types a line and presses enter.
func (lt *lineTerminal) answer(line string) {
	lt.t.Helper()
	if _, err := io.WriteString(lt.in, line+"\n"); err != nil {
		lt.t.Fatal(err)
	}
}

// transcript is all the wizard said.
func (lt *lineTerminal) transcript() string {
	all, _ := lt.out.String()
	return all
}

// interrupt is Ctrl+C: in accessible mode the terminal turns it into
// SIGINT, which main hands to the wizard as this message.
func (lt *lineTerminal) interrupt() { lt.p.Send(InterruptMsg{}) }

// ask waits for a question, then answers it.
func (lt *lineTerminal) ask(want, line string) string {
	lt.t.Helper()
	said := lt.waitFor(want)
	lt.answer(line)
	return said
}

// ended waits for the wizard to end, and says whether it ended cleanly.
func (lt *lineTerminal) ended() error {
	lt.t.Helper()
	select {
	case <-lt.done:
		return lt.err
	case <-time.After(20 * time.Second):
		lt.t.Fatalf("the wizard did not end; it said last:\n%s", awstest.RedactSecrets(lt.transcript()[lt.read:]))
	}
	return nil
}

// pages splits what was said into the lines (the scrollback) and what was
// shown on full screens of their own (the alternate screen, gone once
// closed).
func pages(said string) (lines string, shown []string) {
	for {
		open := strings.Index(said, ansi.SetModeAltScreenSaveCursor)
		if open < 0 {
			return lines + said, shown
		}
		lines += said[:open]
		rest := said[open+len(ansi.SetModeAltScreenSaveCursor):]
		end := strings.Index(rest, ansi.ResetModeAltScreenSaveCursor)
		if end < 0 {
			return lines, append(shown, rest) // still open
		}
		shown = append(shown, rest[:end])
		said = rest[end+len(ansi.ResetModeAltScreenSaveCursor):]
	}
}

// secretsShown are what the walk read off the full screens.
type secretsShown struct{ seed, password, secret, keyID string }

var (
	pagePassword = regexp.MustCompile(`Password\s+(\S{16,})`)
	pageSecret   = regexp.MustCompile(`Secret access key\s+(\S{40})`)
	pageKeyID    = regexp.MustCompile(`Access key ID\s+(AKIA[A-Z0-9]{16})`)
)

// walkByLines goes from preflight to the summary's end answering by lines
// only, with a wrong answer here and there, the MFA key and the
// credentials read off their full screens. at, when set, runs at each
// question named in it instead of answering it (for Ctrl+C and esc).
func walkByLines(t *testing.T, lt *lineTerminal, at map[string]func()) secretsShown {
	t.Helper()
	var shown secretsShown
	step := func(want, line string) {
		t.Helper()
		lt.waitFor(want)
		if f := at[want]; f != nil {
			f()
		}
		lt.answer(line)
	}
	step("Press enter to continue", "")
	step("Type t (pretend", "t")
	step("Root MFA is on. Well done.", "")
	step("Minimum length (6–128; 14 or more recommended); enter alone keeps 14:", "16")
	step("Remember previous passwords", "")
	step("Expire passwords after days", "")
	step("Type a number to choose or unchoose it", "")
	step("Password policy set", "")
	step("Group name; enter alone keeps administrators:", "")
	step("Group administrators created", "")
	step("User name (up to 64 letters, digits and + = , . @ _ -) —", "bad name")
	step("Refused: user name may hold only", "alice")
	step("Type a number to choose or unchoose it", "")
	step("or type k (show", "k")
	key := lt.waitFor(pageCloses)
	m := groupedSeed.FindStringSubmatch(key)
	if m == nil {
		t.Fatalf("no MFA key on its full screen:\n%s", awstest.RedactSecrets(key))
	}
	shown.seed = strings.ReplaceAll(m[1], " ", "")
	lt.answer("")
	step("or type k (show", "")
	step("First code", "000000")
	step("Next code", "000001")
	c1, c2 := awsops.PhoneCodes(awsops.NewSecret(shown.seed), time.Now())
	step("Refused: ", c1)
	step("Next code", c2)
	step("MFA is on for alice", "")
	step("S (I saved them)", "v")
	creds := lt.waitFor(pageCloses)
	password, secret, keyID := pagePassword.FindStringSubmatch(creds), pageSecret.FindStringSubmatch(creds), pageKeyID.FindStringSubmatch(creds)
	if password == nil || secret == nil || keyID == nil {
		t.Fatalf("the credentials are not on their full screen:\n%s", awstest.RedactSecrets(creds))
	}
	shown.password, shown.secret, shown.keyID = password[1], secret[1], keyID[1]
	lt.answer("")
	step("S (I saved them)", "S")
	step("Have you saved them?", "y")
	step("Account alias —", "admin")
	step("✗ “admin” is taken by another AWS account", "acme-learning")
	step("Alias set", "")
	step("Type a number to choose or unchoose it", "")
	step("Delete logs older than how many days?", "0")
	step("Refused: a whole number of days", "")
	step("is logging every region", "")
	step("1. A monthly cost budget that e-mails you?", "")
	step("Amount, USD a month", "")
	step("E-mail for the alerts", "")
	step("Refused: type the e-mail address", "owner@example.com")
	step("2. A daily billing report", "")
	step("Is it on?", "")
	step("/cur2/.", "")
	step("5. GuardDuty (paid after a 30-day free trial): not chosen", "")
	step("Name, or type esc", "Ada Lovelace")
	step("E-mail, or type esc", "ada@example.com")
	step("Phone — digits, spaces and ( ) + -", "call me")
	step("Refused: phone number may hold only digits", "+44 20 7946 0000")
	step("Job title", "")
	step("Refused: title is required", "Security lead")
	step("Type a number to choose or unchoose it", "")
	step("Press enter to continue, or type c (add", "")
	step("Send root's alerts to —", "") // enter alone keeps the budget's address
	step("Alerts e-mail owner@example.com.", "")
	step("Delete AKIAPRACTICEROOTKEY0?", "y")
	step("Delete AKIAPRACTICEROOTKEY1, or make it inactive first?", "y")
	step("the root user has no access keys any more", "")
	step("Add another person?", "n")
	step("Sign in as alice at https://acme-learning.signin.aws.amazon.com/console", "")
	step("Press enter to finish", "")
	return shown
}

// Item 1 of issue 25: Ctrl+C at a plain-line question asks "Quit
// awssecure?" at once, as the wizard does; n goes back to the very
// question, whose answers so far are kept (the password policy's, the
// contact's); y ends the wizard there.
func TestAccessibleCtrlCAsksAtOnceAndKeepsTheAnswers(t *testing.T) {
	dir := t.TempDir()
	lt := newLineTerminal(t, newPractice(t, filepath.Join(dir, "practice.json")), dir)
	quitNo := func(question string) func() {
		return func() {
			t.Helper()
			lt.interrupt()
			lt.waitFor("Quit awssecure? ")
			lt.ask("Type y (yes) or n (no), then press enter:", "n")
			lt.waitFor(question) // asked again at once
		}
	}
	walkByLines(t, lt, map[string]func(){
		"Minimum length (6–128; 14 or more recommended); enter alone keeps 14:": quitNo("Minimum length (6–128; 14 or more recommended); enter alone keeps 14:"),
		"Phone — digits, spaces and ( ) + -":                                    quitNo("Phone — digits, spaces and ( ) + -"),
	})
	if err := lt.ended(); err != nil {
		t.Fatalf("the wizard ended with %v", err)
	}
	said := flat(lt.transcript())
	for _, want := range []string{"Password policy set: at least 16 characters", "security contact set: Ada Lovelace <ada@example.com>"} {
		if !strings.Contains(said, want) {
			t.Errorf("an answer given before Ctrl+C was lost: the wizard never said %q", want)
		}
	}

	// y: the wizard ends there, nothing more asked.
	lt2 := newLineTerminal(t, newPractice(t, filepath.Join(t.TempDir(), "practice.json")), t.TempDir())
	lt2.ask("Press enter to continue", "")
	lt2.waitFor("Type t (pretend")
	lt2.interrupt()
	lt2.waitFor("Quit awssecure? Everything done so far stays done")
	lt2.ask("Type y (yes) or n (no), then press enter:", "y")
	if err := lt2.ended(); err != nil {
		t.Fatalf("a confirmed quit ended with %v", err)
	}
	if rest := lt2.transcript()[lt2.read:]; strings.TrimSpace(rest) != "y" {
		t.Errorf("after the quit the wizard said more: %q", rest)
	}
}

// esc skips where the screen says esc skips: the MFA step (asked first,
// as a skip always is) and the security contact.
func TestAccessibleEscSkipsWhereTheScreenSays(t *testing.T) {
	dir := t.TempDir()
	lt := newLineTerminal(t, newPractice(t, filepath.Join(dir, "practice.json")), dir)
	walkByLines(t, lt, map[string]func(){
		"or type k (show": func() {
			lt.answer("esc")
			lt.waitFor("Skip “Protect your admin user with MFA”?")
			lt.ask("Type y (yes) or n (no), then press enter:", "n")
			lt.waitFor("or type k (show")
		},
		"Name, or type esc": func() {
			lt.answer("esc")
			lt.waitFor("1. Security contact (free; CIS 1.2): left off")
			lt.ask("Press enter to continue, or type c (add", "c")
			lt.waitFor("Who should AWS write to?")
			lt.waitFor("Name, or type esc")
		},
	})
	if err := lt.ended(); err != nil {
		t.Fatalf("the wizard ended with %v", err)
	}
	if said := flat(lt.transcript()); !strings.Contains(said, "billing contact set: Ada Lovelace") || !strings.Contains(said, "✗ to do: Security contact") {
		t.Error("esc did not skip the security contact alone")
	}
}

// Item 2 of issue 25: in accessible mode every question is a plain line
// with its answers spelled out, and every result a sentence, in order:
// nothing is drawn, no key is pressed that a line cannot carry (arrows,
// space, y without enter), and the secrets (the MFA key, the password,
// the secret key and its id) are shown only on full screens of their own,
// never in the lines that stay in the scrollback.
func TestAccessibleEveryQuestionIsAPlainLine(t *testing.T) {
	dir := t.TempDir()
	lt := newLineTerminal(t, newPractice(t, filepath.Join(dir, "practice.json")), dir)
	shown := walkByLines(t, lt, nil)
	if err := lt.ended(); err != nil {
		t.Fatalf("the wizard ended with %v", err)
	}
	lines, full := pages(lt.transcript())
	if len(full) != 2 || strings.Count(lt.transcript(), ansi.ResetModeAltScreenSaveCursor) != 2 {
		t.Errorf("%d full screens shown, want 2 (the MFA key, the credentials), each closed", len(full))
	}
	for name, secret := range map[string]string{"MFA key": shown.seed, "password": shown.password, "secret access key": shown.secret, "access key id": shown.keyID} {
		if strings.Contains(lines, secret) {
			t.Errorf("the %s is in the lines, which stay in the scrollback", name)
		}
	}
	if strings.Contains(lines, "\x1b") {
		t.Errorf("the lines hold escape sequences (colours, cursor moves): %q", awstest.RedactSecrets(lines[strings.Index(lines, "\x1b"):][:40]))
	}
	for _, drawn := range []string{"╭", "│", "⣾", "••", "[x]", "[ ]", "↑/↓", "shift+tab", "space toggles", "space choose", "y yes · n no", "pgup", "ctrl+k", "ctrl+c quit", "(v to show)"} {
		if strings.Contains(lines, drawn) {
			t.Errorf("the lines hold %q, which belongs to the full-screen view", drawn)
		}
	}
	// The screens' questions, each a line naming its answers.
	for _, want := range []string{
		"Account 111122223333, signed in as the root user.",
		"✗ to do: Root user has MFA",
		"Type t (pretend I turned it on in the console), s (skip) or ? (how to do it by hand), then press enter:",
		"These cannot be shown again. Have you saved them? Type y (yes) or n (no), then press enter:",
		"3. EBS encryption by default (free; CIS 2.2.1): chosen",
		"Type a guard's number to choose or unchoose it, or press enter to turn on what is chosen:",
		"a deleted key is gone. Type d (make it inactive (reversible)), y (delete it), n (keep it), s (skip) or ? (how to do it by hand), then press enter:",
		"✓ done: Root user has no access keys",
	} {
		if !strings.Contains(flat(lines), want) {
			t.Errorf("the walk never said %q", want)
		}
	}
	if strings.Contains(lines[strings.LastIndex(lines, "Summary"):], "✗ to do") {
		t.Errorf("the summary is not all done:\n%s", lines[strings.LastIndex(lines, "Summary"):])
	}
	t.Logf("the accessible walk, as said:\n%s", awstest.RedactSecrets(lines))
}

// Item 3 of issue 25: the lines say what the screen says — the rules of
// a name, a default, what leaving a field empty does, what things cost, a
// format, what is required — before the answer, not only after a
// refusal; refusals are in awssecure's words, never huh's; and lines
// wrap at spaces to the terminal's width, never inside a word.
func TestAccessibleLinesSayWhatTheScreenSays(t *testing.T) {
	dir := t.TempDir()
	const width = 60
	lt := newLineTerminal(t, newPractice(t, filepath.Join(dir, "practice.json")), dir, tea.WithWindowSize(width, 16))
	toggled := false
	walkByLines(t, lt, map[string]func(){
		"Press enter to continue": func() {
			lt.answer("?")
			lt.waitFor("AWS CLI:\naws sts get-caller-identity\n")
		},
		"Type a number to choose or unchoose it": func() {
			if toggled { // the policy's requirements only
				return
			}
			toggled = true
			lt.answer("9")
			lt.waitFor("Type a number from 1 to 5, or press enter when done.")
			lt.answer("2")
			lt.waitFor("2. a lowercase letter: not chosen")
			lt.answer("2")
			lt.waitFor("2. a lowercase letter: chosen")
		},
		"1. A monthly cost budget that e-mails you?": func() {
			lt.waitFor("Press enter for Yes")
			lt.answer("maybe")
			lt.waitFor("Type y for Yes or n for Skip.")
		},
		"E-mail for the alerts": func() {
			lt.waitFor("one address; type it (back goes back to Skip):") // the screen's shift+tab
			lt.answer("back")
			lt.ask("1. A monthly cost budget that e-mails you?", "")
			lt.waitFor("E-mail for the alerts") // the amount given stays
		},
	})
	if err := lt.ended(); err != nil {
		t.Fatalf("the wizard ended with %v", err)
	}
	lines, _ := pages(lt.transcript())
	said := flat(lines)
	before := func(first, then string) {
		t.Helper()
		i, j := strings.Index(said, first), strings.Index(said, then)
		if i < 0 || j < 0 || i > j {
			t.Errorf("%q is not said before %q", first, then)
		}
	}
	before("User name (up to 64 letters, digits and + = , . @ _ -) — the name you will sign in with, e.g. your first name:", "Refused: user name may hold only")
	before("Account alias — 3–63 lowercase letters, digits and single hyphens", "is taken by another AWS account")
	before("Minimum length (6–128; 14 or more recommended); enter alone keeps 14:", "Password policy set")
	before("Delete logs older than how many days? — 1–3650; leave empty to keep them:", "Refused: a whole number of days")
	before("Cost: The first two budgets of an account are free. Press enter for Yes, or type y (Yes) or n (Skip):", "Amount, USD a month")
	before("Amount, USD a month — more than 0, at most two decimals; enter alone keeps 10:", "Budget monthly-cost")
	before("Cost: Free; its files are billed as S3 storage", "Is it on?")
	before("even your admin user gets Access Denied on the billing pages", "Is it on?")
	before("Who should AWS write to? All fields are required (esc skips)", "Refused: title is required")
	before("Phone — digits, spaces and ( ) + -, or type esc to skip the contact for now:", "Refused: phone number may hold only")
	for _, huhs := range []string{"invalid input", "Select up to", "Enter a number between", "Input cannot exceed", "You can't select"} {
		if strings.Contains(said, huhs) {
			t.Errorf("a refusal in huh's words: %q", huhs)
		}
	}
	// Wrapped at spaces: a line is longer than the width only when it is
	// one word, or a question with the answer typed after it.
	for _, l := range strings.Split(lines, "\n") {
		if ansi.StringWidth(l) < width || !strings.Contains(l, " ") || strings.Contains(l, ": ") && ansi.StringWidth(l[:strings.LastIndex(l, ": ")+1]) < width {
			continue
		}
		if !strings.HasPrefix(l, "aws ") { // the commands of ?, whole to be copied
			t.Errorf("a line of %d columns at a width of %d: %q", ansi.StringWidth(l), width, l)
		}
	}
}

// Accessible mode reads what huh's fields show from huh's unexported
// fields (huh has no getters for them): this fails at once if an upgrade
// of huh moves them, instead of leaving the plain questions without their
// words.
func TestPlainFormReadsHuhsWords(t *testing.T) {
	var text string
	var yes bool
	var chosen []string
	note := huh.NewNote().Title("A note").Description("said before the page's questions")
	button := huh.NewNote().Title("Alone").Description("on its page").Next(true).NextLabel("Fix it")
	input := huh.NewInput().Title("Name").Description("the rules").Value(&text)
	confirm := huh.NewConfirm().Title("Sure?").Description("the cost").Affirmative("Do it").Negative("Skip").Value(&yes)
	multi := huh.NewMultiSelect[string]().Title("Pick").Value(&chosen).Options(huh.NewOption("one", "1"), huh.NewOption("two", "2").Selected(true))
	form := huh.NewForm(huh.NewGroup(note, input, confirm, multi).Title("First page").Description("about it"), huh.NewGroup(button))
	form.Init()

	for _, tc := range []struct {
		field huh.Field
		want  fieldWords
	}{
		{input, fieldWords{title: "Name", description: "the rules"}},
		{confirm, fieldWords{title: "Sure?", description: "the cost", yes: "Do it", no: "Skip"}},
		{multi, fieldWords{title: "Pick", options: []optionWords{{"one", false}, {"two", true}}, cursor: 1}}, // huh starts on the chosen one
		{note, fieldWords{title: "A note", description: "said before the page's questions", skipped: true}},
		{button, fieldWords{title: "Alone", description: "on its page", button: "Fix it"}}, // alone on its page: asked
	} {
		if got := wordsOf(reflect.ValueOf(tc.field)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("wordsOf(%T) = %+v, want %+v", tc.field, got, tc.want)
		}
	}
	page := formPage(form)
	if page.index != 0 || page.title != "First page" || page.description != "about it" || len(page.notes) != 1 || page.notes[0].title != "A note" {
		t.Errorf("formPage = %+v, want the first page with its one note", page)
	}
	form.NextGroup()
	if got := formPage(form).index; got != 1 {
		t.Errorf("formPage after NextGroup: index %d, want 1", got)
	}
}

// What an account holds reaches the lines inert, as on the screen: an
// escape sequence in a contact's name is shown as text, never sent to the
// terminal; so is one typed as an answer, echoed back.
func TestAccessibleLinesAreInert(t *testing.T) {
	dir := t.TempDir()
	p := newPractice(t, filepath.Join(dir, "practice.json"))
	const evil = "Ada\x1b]0;pwned\x07\x1b[2J"
	if err := p.PutAlternateContact(t.Context(), awsops.Contact{Type: awsops.ContactSecurity, Name: evil, Title: "x", Email: "a@example.com", Phone: "1"}); err != nil {
		t.Fatal(err)
	}
	snap, err := steps.ReadSnapshot(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	c := &common{accessible: true, snapshot: snap, width: 80, height: 24, keys: newKeyMap()}
	s := &guardsScreen{stage: editing, chosen: map[string]bool{}, rows: map[string]*guardRow{}}
	v, _ := s.plain(c)
	said := strings.Join(v.lines, "\n")
	if strings.ContainsAny(said, "\x1b\x07") || !strings.Contains(said, `Ada\x1b]0;pwned\x07\x1b[2J`) {
		t.Errorf("the contact's name is not said inert:\n%q", said)
	}

	lt := newLineTerminal(t, p, dir)
	lt.ask("Press enter to continue", evil)
	lt.waitFor("is not one of the answers.")
	if lines, _ := pages(lt.transcript()); strings.ContainsAny(lines, "\x1b\x07") {
		t.Errorf("an escape sequence typed reached the terminal:\n%q", lines)
	}
}
