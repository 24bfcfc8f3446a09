package steps_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/safefile"
	"github.com/awssecure/awssecure/steps"
)

// profileFiles is a credentials and a config file in a new folder.
func profileFiles(t *testing.T, creds, config string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	credsPath, configPath := filepath.Join(dir, "credentials"), filepath.Join(dir, "config")
	for path, text := range map[string]string{credsPath: creds, configPath: config} {
		if text != "" {
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	return credsPath, configPath
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Item 1: a header as the SDKs read it — a comment after "]", spaces in
// the brackets, "[profile  x]" in the config file — is that profile: it
// needs a yes, and is then replaced, never followed by a second copy
// (which botocore refuses, losing every profile).
func TestProfileHeadersAsTheSDKsReadThem(t *testing.T) {
	for _, tc := range []struct{ creds, config string }{
		{"[bob3] ; my admin\naws_access_key_id = OLD\naws_secret_access_key = old\n", "[profile bob3] # mine\nregion = us-east-1\n"},
		{"[ bob3 ]\naws_access_key_id = OLD\naws_secret_access_key = old\n", "[profile  bob3]\nregion = us-east-1\n"},
		{"[bob3]# x\naws_access_key_id = OLD\naws_secret_access_key = old\n", "[ profile\tbob3 ] ;x\nregion = us-east-1\n"},
	} {
		creds, config := profileFiles(t, tc.creds, tc.config)
		_, err := steps.WriteProfile(t.Context(), creds, config, "bob3", newKey, "eu-west-1", false)
		if !errors.Is(err, steps.ErrFileExists) {
			t.Errorf("%q: err = %v, want ErrFileExists", tc.creds, err)
		}
		if read(t, creds) != tc.creds {
			t.Errorf("%q: changed without a yes", tc.creds)
		}
		if _, err := steps.WriteProfile(t.Context(), creds, config, "bob3", newKey, "eu-west-1", true); err != nil {
			t.Fatal(err)
		}
		if got := read(t, creds); got != "[bob3]\naws_access_key_id = AKIANEWKEY0000000000\naws_secret_access_key = newsecret/abc+def\n" {
			t.Errorf("%q: credentials became %q", tc.creds, strings.ReplaceAll(got, newKey.Secret.Reveal(), "[secret]"))
		}
		if got := read(t, config); got != "[profile bob3]\nregion = eu-west-1\noutput = json\n" {
			t.Errorf("%q: config became %q", tc.config, got)
		}
	}
	// In the credentials file "[profile bob3]" is no profile to the SDKs.
	creds, config := profileFiles(t, "[profile bob3]\nx = 1\n", "")
	if _, err := steps.WriteProfile(t.Context(), creds, config, "bob3", newKey, "eu-west-1", false); err != nil {
		t.Errorf("[profile bob3] in the credentials file counted as bob3: %v", err)
	}
	// In the config file "[profile default]" is the default profile.
	creds, config = profileFiles(t, "", "[profile default]\nregion = us-east-1\n")
	if _, err := steps.WriteProfile(t.Context(), creds, config, "default", newKey, "eu-west-1", true); err != nil {
		t.Fatal(err)
	}
	if got := read(t, config); got != "[default]\nregion = eu-west-1\noutput = json\n" {
		t.Errorf("config default: %q", got)
	}
}

// Item 2: with two copies of the profile in the file, a replace leaves
// one, and the Go SDK's own loader reads the new key from it (before, the
// first copy was replaced and the SDK still read the last).
func TestDuplicateProfileReplacedSoTheSDKReadsTheNewKey(t *testing.T) {
	content := "[bob]\naws_access_key_id = AKIAOLDONE\naws_secret_access_key = old1\n\n# work\n[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = w\n\n[bob] ; again\naws_access_key_id = AKIAOLDTWO\naws_secret_access_key = old2\n"
	creds, config := profileFiles(t, content, "")
	_, err := steps.WriteProfile(t.Context(), creds, config, "bob", newKey, "eu-west-1", false)
	if !errors.Is(err, steps.ErrFileExists) || !strings.Contains(err.Error(), "2 times") {
		t.Fatalf("err = %v, want ErrFileExists saying there are 2", err)
	}
	res, err := steps.WriteProfile(t.Context(), creds, config, "bob", newKey, "eu-west-1", true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Removed != 1 {
		t.Errorf("removed %d copies, want 1", res.Removed)
	}
	got := read(t, creds)
	want := "\n# work\n[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = w\n\n[bob]\naws_access_key_id = AKIANEWKEY0000000000\naws_secret_access_key = newsecret/abc+def\n"
	if got != want {
		t.Errorf("credentials:\n%q\nwant\n%q", got, want)
	}
	if id := sdkKeyIDFrom(t, creds, config, "bob"); id != newKey.ID {
		t.Errorf("the Go SDK reads %q for bob, want the new key", id)
	}
	if id := sdkKeyIDFrom(t, creds, config, "work"); id != "AKIAWORK" {
		t.Errorf("the Go SDK reads %q for work", id)
	}
}

// mkdev makes a copy of /dev/null at path, or a named pipe where devices
// cannot be made: either is no place for a secret.
func mkdev(t *testing.T, path string) string {
	t.Helper()
	if err := syscall.Mknod(path, syscall.S_IFCHR|0o666, 1<<8|3); err == nil {
		return "device"
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return "named pipe"
}

// Item 3: a credentials or config file that is a device (as
// AWS_SHARED_CREDENTIALS_FILE=/dev/null) is refused with a sentence, and
// nothing is written to either file.
func TestWriteProfileRefusesADevice(t *testing.T) {
	for _, which := range []string{"credentials", "config"} {
		creds, config := profileFiles(t, "", "")
		dev := map[string]string{"credentials": creds, "config": config}[which]
		kind := mkdev(t, dev)
		res, err := steps.WriteProfile(t.Context(), creds, config, "alice", newKey, "eu-west-1", false)
		if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), dev+" is a "+kind) {
			t.Errorf("%s is a %s: err = %v", which, kind, err)
		}
		if res.Credentials != nil || res.Config != nil {
			t.Errorf("%s is a %s: wrote %+v", which, kind, res)
		}
		if info, _ := os.Lstat(dev); info.Mode().IsRegular() {
			t.Errorf("the %s was replaced by a regular file", kind)
		}
		for _, f := range []string{creds, config} {
			if info, err := os.Lstat(f); err == nil && info.Mode().IsRegular() {
				t.Errorf("%s was written", f)
			}
		}
	}
}

// Item 4: a credentials file that is a link into a dotfiles folder stays
// a link; the new profile is in its target.
func TestWriteProfileThroughASymlink(t *testing.T) {
	dotfiles, home := t.TempDir(), t.TempDir()
	target := filepath.Join(dotfiles, "aws-credentials")
	os.WriteFile(target, []byte(otherProfiles), 0o600)
	creds := filepath.Join(home, "credentials")
	if err := os.Symlink(target, creds); err != nil {
		t.Fatal(err)
	}
	res, err := steps.WriteProfile(t.Context(), creds, filepath.Join(home, "config"), "alice", newKey, "eu-west-1", false)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(creds); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if got := read(t, target); !strings.HasPrefix(got, otherProfiles) || !strings.Contains(got, "[alice]") {
		t.Errorf("target not written")
	}
	if res.Credentials.Path != target || res.Credentials.Link != creds {
		t.Errorf("result %+v", res.Credentials)
	}
}

// Item 6: a temporary file a killed run left next to the credentials
// file (its process is gone) is removed by the next save.
func TestWriteProfileRemovesStaleTemporaryFiles(t *testing.T) {
	creds, config := profileFiles(t, "", "")
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(filepath.Dir(creds), ".credentials.awssecure-tmp-"+strconv.Itoa(dead.Process.Pid)+"-0a1b")
	os.WriteFile(stale, []byte("[x]\naws_secret_access_key = leaked\n"), 0o600)
	if _, err := steps.WriteProfile(t.Context(), creds, config, "alice", newKey, "eu-west-1", false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the stale temporary file is still there: %v", err)
	}
}

// Item 7: the credentials file is written, the config file cannot be
// (another program holds it): the result and the error say exactly that.
func TestWriteProfileHalfSavedSaysWhatWasWritten(t *testing.T) {
	creds, config := profileFiles(t, "", "[default]\nregion = us-east-1\n")
	unlock, err := safefile.Lock(t.Context(), config)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	res, err := steps.WriteProfile(ctx, creds, config, "alice", newKey, "eu-west-1", false)
	if err == nil || res.Credentials == nil || res.Config != nil {
		t.Fatalf("res %+v, err %v; want the credentials written and the config not", res, err)
	}
	if !strings.Contains(err.Error(), "the key was saved in "+creds+", but") || !strings.Contains(err.Error(), config) {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(read(t, creds), "[alice]") || read(t, config) != "[default]\nregion = us-east-1\n" {
		t.Error("the files do not hold what the result says")
	}
}

// Item 8: a mode other than 0600 becomes 0600, and the result says from what.
func TestWriteProfileReportsTheModeItChanged(t *testing.T) {
	creds, config := profileFiles(t, otherProfiles, "")
	os.Chmod(creds, 0o644)
	res, err := steps.WriteProfile(t.Context(), creds, config, "alice", newKey, "eu-west-1", false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Credentials.OldMode != 0o644 || !res.Credentials.Tightened() || res.Config == nil || !res.Config.Created {
		t.Errorf("res %+v %+v", res.Credentials, res.Config)
	}
	if info, _ := os.Stat(creds); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
}

// Item 9: a broken link at the CSV's path is something there: the first
// try asks, a yes replaces the link with the CSV.
func TestWriteCSVOverABrokenLink(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "alice_credentials.csv")
	os.Symlink(filepath.Join(dir, "gone.csv"), path)
	c := steps.Credentials{User: "alice", Password: awsops.NewSecret("pw"), AccessKey: &newKey}
	_, err := steps.WriteCSV(path, c, false)
	if !errors.Is(err, steps.ErrFileExists) || !strings.Contains(err.Error(), "broken link") {
		t.Fatalf("err = %v", err)
	}
	if _, err := steps.WriteCSV(path, c, true); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(path); err != nil || !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 {
		t.Errorf("not a 0600 file: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "gone.csv")); err == nil {
		t.Error("the CSV went through the broken link")
	}
}

func TestGitWorkTree(t *testing.T) {
	repo := t.TempDir()
	os.Mkdir(filepath.Join(repo, ".git"), 0o700)
	deep := filepath.Join(repo, "a", "b")
	os.MkdirAll(deep, 0o700)
	if root, ok := steps.GitWorkTree(deep); !ok || root != repo {
		t.Errorf("in a repository: %q %v", root, ok)
	}
	linked := t.TempDir() // a linked work tree has a .git file
	os.WriteFile(filepath.Join(linked, ".git"), []byte("gitdir: /elsewhere\n"), 0o600)
	if _, ok := steps.GitWorkTree(linked); !ok {
		t.Error("a .git file was not seen")
	}
	if root, ok := steps.GitWorkTree(t.TempDir()); ok {
		t.Errorf("a temporary folder is in the work tree %s", root)
	}
}

// fileHelperEnv tells the test binary, re-run by a test, to be one of
// its child processes (see TestMain).
const fileHelperEnv = "AWSSECURE_FILE_HELPER"

// fileHelper is a child process: "profile NAME CREDS CONFIG GO" saves
// profile NAME once the file GO exists; "csv-full-disk PATH" saves a CSV
// with a file size limit, as on a full disk.
func fileHelper(arg string) int {
	f := strings.Fields(arg)
	switch f[0] {
	case "profile":
		name, creds, config, start := f[1], f[2], f[3], f[4]
		os.WriteFile(start+"."+name, nil, 0o600) // ready
		for {
			if _, err := os.Stat(start); err == nil {
				break
			}
			time.Sleep(time.Millisecond)
		}
		key := awsops.AccessKey{ID: "AKIA" + strings.ToUpper(name), Secret: awsops.NewSecret("secret-" + name)}
		if _, err := steps.WriteProfile(context.Background(), creds, config, name, key, "eu-west-1", false); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			return 1
		}
		return 0
	case "csv-full-disk":
		// Past the limit a write fails with EFBIG (Go ignores SIGXFSZ).
		syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 40, Max: 40})
		c := steps.Credentials{User: "alice", Password: awsops.NewSecret("pw"), AccessKey: &newKey}
		if _, err := steps.WriteCSV(f[1], c, false); err == nil {
			return 3
		}
		return 0
	}
	return 2
}

// helper runs the test binary as a child process doing arg.
func helper(arg string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fileHelperEnv+"="+arg)
	return cmd
}

// Item 5: processes saving different profiles into the same files at the
// same moment all land, and the Go SDK reads each (before the lock, two
// runs lost one profile while both said saved).
func TestWriteProfileFromManyProcessesAtOnce(t *testing.T) {
	dir := t.TempDir()
	creds, config, start := filepath.Join(dir, "credentials"), filepath.Join(dir, "config"), filepath.Join(dir, "go")
	os.WriteFile(creds, []byte(otherProfiles), 0o600)
	names := []string{"p1", "p2", "p3", "p4", "p5", "p6"}
	cmds := make([]*exec.Cmd, len(names))
	for i, name := range names {
		cmds[i] = helper(strings.Join([]string{"profile", name, creds, config, start}, " "))
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(2 * time.Minute) // room for a busy machine: started test binaries
	for _, name := range names {
		for {
			if _, err := os.Stat(start + "." + name); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the helpers did not start")
			}
			time.Sleep(time.Millisecond)
		}
	}
	os.WriteFile(start, nil, 0o600)
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper %s: %v", names[i], err)
		}
	}
	got := read(t, creds)
	if !strings.HasPrefix(got, otherProfiles) {
		t.Error("the other profiles changed")
	}
	for _, name := range names {
		if id := sdkKeyIDFrom(t, creds, config, name); id != "AKIA"+strings.ToUpper(name) {
			t.Errorf("the Go SDK reads %q for %s: a save was lost", id, name)
		}
		if !strings.Contains(read(t, config), "[profile "+name+"]") {
			t.Errorf("config lacks %s", name)
		}
	}
}

// Item 9: a write that fails for lack of room leaves no empty or partial
// CSV, so the next try is not offered to "replace" it.
func TestWriteCSVOnAFullDiskLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "alice_credentials.csv")
	if out, err := helper("csv-full-disk " + path).CombinedOutput(); err != nil {
		t.Fatalf("the write did not fail: %v %s", err, out)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Errorf("left %s", e.Name())
	}
}
