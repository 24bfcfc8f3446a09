package ui

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// update rewrites the golden files: go test ./ui -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden view files in ui/testdata")

// What changes from run to run is masked, so a golden file changes only
// when the screen does: the QR code (its seed is random), the key the
// MFA screen shows by hand, access key ids, the spinner's frame, the
// log bucket's random suffix, and the test's folder.
var (
	maskQR      = regexp.MustCompile(`(?m)^[▀▄█ ]{20,}`)
	maskSeed    = regexp.MustCompile(`(?:[A-Z2-7]{4} ){15}[A-Z2-7]{4}`)
	maskKeyID   = regexp.MustCompile(`AKIA[A-Z0-9]{16}`)
	maskSpinner = regexp.MustCompile(`[⣾⣽⣻⢿⡿⣟⣯⣷]`)
	maskBucket  = regexp.MustCompile(`(aws-(?:cloudtrail-logs|billing-reports)-\d{12}-)[a-z0-9]{8}`)
	maskTempDir = regexp.MustCompile(`\S*/(practice-inbox\.txt)`)
)

func masked(s string) string {
	s = maskQR.ReplaceAllStringFunc(s, func(qr string) string {
		if strings.TrimSpace(qr) == "" {
			return qr // a blank line, not a QR code's
		}
		return strings.Repeat("#", len([]rune(qr)))
	})
	s = maskSeed.ReplaceAllString(s, "SEED SEED SEED SEED SEED SEED SEED SEED SEED SEED SEED SEED SEED SEED SEED SEED")
	s = maskKeyID.ReplaceAllString(s, "AKIA0000000000000000")
	s = maskSpinner.ReplaceAllString(s, "*")
	s = maskBucket.ReplaceAllString(s, "${1}xxxxxxxx")
	s = maskTempDir.ReplaceAllString(s, "TESTDIR/${1}")
	// Trailing spaces carry no meaning and editors strip them.
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// golden compares the screen with ui/testdata/NAME.golden.
func golden(t *testing.T, h *harness, name string) {
	t.Helper()
	goldenScreen(t, h.screen(), name)
}

// goldenScreen compares a screen, without colours, with ui/testdata/NAME.golden.
func goldenScreen(t *testing.T, screen, name string) {
	t.Helper()
	got := masked(screen)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (run with -update if the change is meant):\n--- got ---\n%s\n--- want ---\n%s", name, path, awstest.RedactSecrets(got), want)
	}
}

// goldenWizard is the wizard at 80×24 on a fresh practice account, whose
// account id and regions are the same on every run.
func goldenWizard(t *testing.T, dir string) *harness {
	t.Helper()
	m := New(t.Context(), Options{Account: newPractice(t, filepath.Join(dir, "practice.json")), Practice: true, Region: "eu-west-1",
		Files:   FileOptions{Dir: dir, CredentialsFile: filepath.Join(dir, "credentials"), ConfigFile: filepath.Join(dir, "config")},
		Unshown: steps.UnshownCredentials{Path: filepath.Join(dir, "unshown.json")}})
	return newHarness(t, m, 80, 24)
}

// Every screen of the tutorial at 80×24, in its main states, as the
// files in ui/testdata show it.
func TestGoldenTutorialScreens(t *testing.T) {
	h := goldenWizard(t, t.TempDir())
	h.waitFor("Account 111122223333")
	golden(t, h, "preflight")
	h.press("enter")
	h.waitFor("Waiting for AWS")
	golden(t, h, "root-waiting")
	// The seeds' lines (issue 24, items 6–8): root's password strong and
	// used nowhere else; how the authenticator's secrets outlive a phone.
	says(t, h, "Give it a long, random password used nowhere else", "covers IAM users, not root",
		"A lost phone must not lock you out", "cloud backup", "second device", "password manager")
	h.press("?")
	golden(t, h, "root-teaching")
	// What only root can do, and never to share its credentials.
	says(t, h, "Only root can change the support plan, close the account", "tax invoices", "restore IAM access", "S3 MFA delete",
		"never share root's credentials")
	h.press("?", "t")
	h.waitFor("Root MFA is on")
	h.press("enter")
	h.waitFor("Minimum length")
	golden(t, h, "policy-form")
	h.press("enter", "enter", "enter", "enter")
	h.waitFor("Password policy set")
	golden(t, h, "policy-done")
	h.press("enter")
	h.waitFor("Group name")
	h.press("enter")
	h.waitFor("Group administrators created")
	h.press("enter")
	h.waitFor("User name")
	h.typeText("bad name")
	h.press("enter")
	h.waitFor("may hold only")
	golden(t, h, "user-form-refused")
	h.press("ctrl+u")
	h.typeText("alice")
	h.press("enter", "enter")
	h.waitFor("MFA for alice")
	golden(t, h, "mfa-qr")
	says(t, h, "A lost phone must not lock you", "cloud", "backup", "second device", "password manager (ctrl+k", "shows it)")
	h.press("ctrl+c")
	h.waitFor("Quit awssecure?")
	golden(t, h, "mfa-quit")
	h.press("n")
	enterMFACodes(h)
	h.waitFor("MFA is on for alice")
	h.press("enter")
	h.waitFor("Save your new user's credentials")
	golden(t, h, "credentials")
	h.press("S", "y")
	h.waitFor("Account alias")
	h.typeText("admin")
	h.press("enter")
	h.waitFor("is taken by another AWS account")
	golden(t, h, "alias-taken")
	h.typeText("-acme")
	h.press("enter")
	h.waitFor("Alias set")
	h.press("enter")
	h.waitFor("Opt-in regions to enable")
	golden(t, h, "regions-form")
	h.press("enter")
	h.waitFor("Delete logs older than")
	golden(t, h, "cloudtrail-form")
	h.typeText("4000")
	h.press("enter")
	h.waitFor("whole number of days")
	golden(t, h, "cloudtrail-form-refused")
	h.press("ctrl+u")
	h.typeText("365")
	h.press("enter")
	h.waitFor("is logging every region")
	golden(t, h, "cloudtrail-created")
	h.press("?")
	golden(t, h, "cloudtrail-teaching")
	h.press("?", "enter")
	h.waitFor("A monthly cost budget that e-mails you?")
	golden(t, h, "billing-budget")
	h.press("enter")
	h.waitFor("E-mail for the alerts")
	golden(t, h, "billing-budget-amount")
	h.press("ctrl+u")
	h.typeText("1e9")
	h.press("enter")
	h.waitFor("digits, with at most two decimals")
	golden(t, h, "billing-amount-refused")
	h.press("ctrl+u")
	h.typeText("20")
	h.press("enter", "enter")
	h.waitFor("type the e-mail address the alerts go to")
	golden(t, h, "billing-email-refused")
	h.typeText("owner@example.com")
	h.press("enter")
	h.waitFor("A daily billing report")
	golden(t, h, "billing-report")
	h.press("enter")
	h.waitFor("Is it on?")
	golden(t, h, "billing-access")
	h.press("enter")
	h.waitFor("/cur2/.")
	golden(t, h, "billing-done")
	h.press("?")
	golden(t, h, "billing-teaching")
	h.press("?", "enter")
	h.waitFor("[ ] GuardDuty")
	golden(t, h, "guardrails-checklist")
	h.press("?")
	golden(t, h, "guardrails-teaching")
	h.press("?", "enter")
	h.waitFor("Who should AWS write to?")
	h.typeText("Ada Lovelace")
	h.press("enter")
	h.typeText("ada.example.com")
	h.press("enter")
	h.waitFor("must look like name@example.com")
	golden(t, h, "guardrails-contact-refused")
	h.press("ctrl+u")
	h.typeText("ada@example.com")
	h.press("enter")
	h.typeText("+44 20 7946 0000")
	h.press("enter")
	h.typeText("Security lead")
	h.press("enter", "enter")
	h.waitFor("on in all 6 regions")
	h.waitFor("enter continue")
	golden(t, h, "guardrails-done")
	h.press("enter")
	h.waitFor("┃ Send root's alerts to")
	golden(t, h, "rootalert-form")
	h.press("enter")
	h.waitFor("Alerts e-mail owner@example.com.")
	golden(t, h, "rootalert-done")
	h.press("t")
	h.waitFor("Test alert sent")
	golden(t, h, "rootalert-test-sent")
	h.press("?")
	golden(t, h, "rootalert-teaching")
	h.press("?", "enter")
	h.waitFor("Delete AKIAPRACTICEROOTKEY0?")
	golden(t, h, "handoff-question")
	h.press("y", "y")
	h.waitFor("no access keys any more")
	golden(t, h, "handoff-done")
	h.press("enter")
	h.waitFor("Add another person?")
	golden(t, h, "people-question")
	h.press("y")
	h.waitFor("User name")
	golden(t, h, "people-form")
	h.typeText("bad name")
	h.press("enter")
	h.waitFor("may hold only")
	golden(t, h, "people-form-refused")
	h.press("ctrl+u")
	h.typeText("bob")
	h.press("enter", "enter")
	h.waitFor("Save bob's password")
	golden(t, h, "people-credentials")
	h.press("S")
	h.waitFor("Have you saved it or handed it over?")
	golden(t, h, "people-credentials-confirm")
	h.press("y")
	h.waitFor("Add one more person?")
	golden(t, h, "people-question-again")
	h.press("y")
	h.waitFor("User name")
	h.typeText("alice")
	h.press("enter", "enter")
	h.waitFor("already exists")
	golden(t, h, "people-existing")
	h.press("n", "esc")
	h.waitFor("Add one more person?")
	h.press("t")
	h.waitFor("signed in and set up MFA (pretend)")
	golden(t, h, "people-question-pretended")
	h.press("n")
	h.waitFor("Sign in as alice")
	golden(t, h, "summary")
	says(t, h, "Only root can, in the console:", "Support plan, account settings, closing it, tax invoices, restoring IAM access, S3 MFA delete",
		"never share root's credentials; keep them safe")
}

// says fails t unless the screen holds each phrase, read with its lines
// joined (a phrase may wrap).
func says(t *testing.T, h *harness, phrases ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(strings.ReplaceAll(h.screen(), "│", " ")), " ")
	for _, p := range phrases {
		if !strings.Contains(flat, p) {
			t.Errorf("the screen does not say %q:\n%s", p, h.screen())
		}
	}
}

// A rerun finds every step done, and an error panel offers retry and skip.
func TestGoldenDoneAndTrouble(t *testing.T) {
	dir := t.TempDir()
	h := goldenWizard(t, dir)
	h.waitFor("Account 111122223333")
	// To the handoff's last screen, then the summary (walkTo would press
	// enter on a summary still reading, which finishes the wizard).
	walkTo(t, h, "the root user has no access keys any more")
	h.press("enter")
	declinePeople(h)
	h.waitFor("enter finish")

	h = goldenWizard(t, dir)
	h.waitFor("Account 111122223333")
	h.press("enter")
	walkTo(t, h, "Already done: group")
	golden(t, h, "group-done")
	h.press("enter")
	h.waitFor("Already done: admin user")
	golden(t, h, "user-done")
	h.press("?")
	golden(t, h, "user-done-teaching")
	h.press("?")
	walkTo(t, h, "Already done: trail")
	golden(t, h, "cloudtrail-done")

	awstest.Isolate(t)
	h = troubleWizard(t, awsops.Options{})
	h.waitFor("No AWS credentials")
	golden(t, h, "trouble-no-credentials")
}
