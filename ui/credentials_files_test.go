package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// credentialsWizard is the wizard on the credentials screen, with alice's
// new password and key, saving where files says; wide, so that a whole
// sentence fits on one line.
func credentialsWizard(t *testing.T, files FileOptions) *harness {
	t.Helper()
	m := New(t.Context(), Options{Account: newPractice(t, ""), Practice: true, Region: "eu-west-1", Files: files})
	m.current = &credentialsScreen{at: handoff{created: &steps.Credentials{User: "alice", Password: awsops.NewSecret("Kq7!mZp2#Lw9xT4v%Rb8"),
		AccessKey: &awsops.AccessKey{ID: "AKIAALICE00000000000", Secret: awsops.NewSecret("fakeSecretKeyOfAlice0000000000000000000A")}}}}
	h := newHarness(t, m, 240, 60)
	h.waitFor("Save your new user's credentials")
	return h
}

// waitForText is waitFor for a sentence the frame may wrap: spaces and
// line breaks do not count.
func (h *harness) waitForText(want string) {
	h.t.Helper()
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	h.waitUntil(func() bool { return strings.Contains(squash(h.screen()), squash(want)) }, fmt.Sprintf("screen never showed %q", want))
}

func filesIn(dir string) FileOptions {
	return FileOptions{Dir: dir, CredentialsFile: filepath.Join(dir, "credentials"), ConfigFile: filepath.Join(dir, "config")}
}

// Item 8: a credentials file others could read is made 0600, and the
// screen says so.
func TestCredentialsScreenSaysTheModeWasTightened(t *testing.T) {
	files := filesIn(t.TempDir())
	os.WriteFile(files.CredentialsFile, []byte("[work]\naws_access_key_id = AKIAWORK\n"), 0o644)
	os.Chmod(files.CredentialsFile, 0o644)
	h := credentialsWizard(t, files)
	h.press("p")
	h.waitForText("✓ Saved profile alice in " + files.CredentialsFile + " (mode tightened from 0644 to 0600: only you can read it)")
}

// Item 7: the key is saved, the config file cannot be written: the screen
// says exactly that, not "Not saved". Item 3: a device is refused in a
// sentence.
func TestCredentialsScreenSaysWhatAHalfSaveWrote(t *testing.T) {
	dir := t.TempDir()
	files := filesIn(dir)
	// The config file's lock cannot be taken: its place is a folder.
	if err := os.Mkdir(filepath.Join(dir, ".config.lock"), 0o700); err != nil {
		t.Fatal(err)
	}
	h := credentialsWizard(t, files)
	h.press("p")
	h.waitForText("⚠ Half saved: the key is in " + files.CredentialsFile + " (readable only by you) as profile alice, but its region is not in " + files.ConfigFile)
	h.waitForText("aws configure set region eu-west-1 --profile alice")
	if s := h.screen(); strings.Contains(s, "Not saved") || strings.Contains(s, "✓") {
		t.Errorf("the screen does not tell the half save as it is:\n%s", awstest.RedactSecrets(s))
	}
	if data, _ := os.ReadFile(files.CredentialsFile); !strings.Contains(string(data), "[alice]") {
		t.Error("the credentials file lacks the profile the screen says it has")
	}

	other := filesIn(t.TempDir())
	if err := syscall.Mkfifo(other.CredentialsFile, 0o600); err != nil {
		t.Fatal(err)
	}
	h = credentialsWizard(t, other)
	h.press("p")
	h.waitForText("✗ Not saved: read " + other.CredentialsFile + ": " + other.CredentialsFile + " is a named pipe, not a regular file, and awssecure writes secrets only into regular files. If AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE names it, point it at a regular file")
}

// Item 9: the CSV's folder is in a git work tree: the screen says so and
// offers the home folder; y saves there, h here, n nowhere.
func TestCredentialsScreenOffersHomeOutsideAGitTree(t *testing.T) {
	repo, home := t.TempDir(), t.TempDir()
	os.Mkdir(filepath.Join(repo, ".git"), 0o700)
	dir := filepath.Join(repo, "src")
	os.Mkdir(dir, 0o700)
	files := filesIn(dir)
	files.HomeDir = home
	h := credentialsWizard(t, files)
	h.press("c")
	h.waitForText("The folder " + dir + " is in the git work tree " + repo + ": a password file there is one `git add -A` away from being published. Save the CSV in your home folder " + home + " instead?")
	h.waitForText("y save in your home folder · h save here anyway · n don't save")
	h.press("n")
	h.waitForText("CSV not saved.")
	h.press("c")
	h.waitForText("is in the git work tree")
	h.press("y")
	h.waitForText("✓ Saved " + filepath.Join(home, "alice_credentials.csv"))
	if _, err := os.Stat(filepath.Join(dir, "alice_credentials.csv")); err == nil {
		t.Error("the CSV went into the work tree")
	}
	h.press("c")
	h.waitForText("is in the git work tree")
	h.press("h")
	h.waitForText("✓ Saved " + filepath.Join(dir, "alice_credentials.csv"))

	// A home folder in a work tree too (dotfiles) is not offered.
	files.HomeDir = repo
	h = credentialsWizard(t, files)
	h.press("c")
	h.waitForText("is in the git work tree")
	if s := h.screen(); strings.Contains(s, "home folder") {
		t.Errorf("a home folder in a work tree was offered:\n%s", awstest.RedactSecrets(s))
	}
}

// Item 9: a broken link where the CSV goes is asked about, and both
// answers respond (before, y and n did nothing).
func TestCredentialsScreenBrokenLinkIsAnswerable(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "alice_credentials.csv")
	os.Symlink(filepath.Join(dir, "gone.csv"), path)
	h := credentialsWizard(t, filesIn(dir))
	h.press("c")
	h.waitForText("is a broken link")
	h.waitForText("Replace it?")
	h.press("n")
	h.waitForText("Left the existing file as it was.")
	h.press("c")
	h.waitForText("Replace it?")
	h.press("y")
	h.waitForText("✓ Saved " + path)
	if info, err := os.Lstat(path); err != nil || !info.Mode().IsRegular() {
		t.Errorf("the link was not replaced by the CSV: %v", err)
	}
}

// A saved file's path stands on a line of its own at 80 columns, whole,
// so copying it gets it all (a wrap at one of its hyphens would not).
func TestSavedPathIsWholeOnItsLine(t *testing.T) {
	top, err := os.MkdirTemp("", "aws-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(top) })
	dir := filepath.Join(top, "my-aws-work-folder")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	m := New(t.Context(), Options{Account: newPractice(t, ""), Practice: true, Region: "eu-west-1", Files: filesIn(dir)})
	m.current = &credentialsScreen{at: handoff{created: &steps.Credentials{User: "alice", Password: awsops.NewSecret("Kq7!mZp2#Lw9xT4v%Rb8")}}}
	h := newHarness(t, m, 80, 24)
	h.waitFor("Save your new user's credentials")
	h.press("c")
	h.waitFor("✓ Saved")
	path := filepath.Join(dir, "alice_credentials.csv")
	found := false
	for _, line := range strings.Split(h.screen(), "\n") {
		found = found || strings.TrimSpace(line) == path
	}
	if !found {
		t.Errorf("the path %s is not whole on one line:\n%s", path, awstest.RedactSecrets(h.screen()))
	}
}
