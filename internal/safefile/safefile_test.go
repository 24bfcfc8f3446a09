package safefile

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

// temps lists the temporary files of ours in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".awssecure-tmp-") {
			names = append(names, e.Name())
		}
	}
	return names
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func TestWriteFileNewAndReplaced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "credentials")
	w, err := WriteFile(path, []byte("one"))
	if err != nil || !w.Created || w.ModeChanged() || w.Path != path || w.Link != "" {
		t.Fatalf("new file: %+v, %v", w, err)
	}
	if mode(t, path) != 0o600 || mode(t, filepath.Dir(path)) != 0o700 {
		t.Errorf("modes %v %v", mode(t, path), mode(t, filepath.Dir(path)))
	}
	w, err = WriteFile(path, []byte("two"))
	if got, _ := os.ReadFile(path); err != nil || string(got) != "two" || w.Created || w.ModeChanged() {
		t.Errorf("replace: %q %+v %v", got, w, err)
	}
	if n := temps(t, filepath.Dir(path)); len(n) != 0 {
		t.Errorf("temporary files left: %v", n)
	}
}

// Item 8: a changed mode is reported, so the screen can say so.
func TestWriteFileReportsTheModeItChanged(t *testing.T) {
	for _, tc := range []struct {
		before            fs.FileMode
		changed, tightend bool
	}{{0o644, true, true}, {0o400, true, false}, {0o660, true, true}, {0o600, false, false}} {
		path := filepath.Join(t.TempDir(), "credentials")
		if err := os.WriteFile(path, []byte("x"), tc.before); err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, tc.before)
		w, err := WriteFile(path, []byte("y"))
		if err != nil {
			t.Fatal(err)
		}
		if w.OldMode != tc.before || w.ModeChanged() != tc.changed || w.Tightened() != tc.tightend || mode(t, path) != 0o600 {
			t.Errorf("%v: %+v changed %v tightened %v, now %v", tc.before, w, w.ModeChanged(), w.Tightened(), mode(t, path))
		}
	}
}

// Item 4: a symbolic link (a dotfiles setup) is written through: the
// target gets the data, atomically in its own folder; the link stays.
func TestWriteFileThroughASymlinkKeepsTheLink(t *testing.T) {
	dotfiles, home := t.TempDir(), t.TempDir()
	target := filepath.Join(dotfiles, "aws-credentials")
	os.WriteFile(target, []byte("old"), 0o600)
	link := filepath.Join(home, "credentials")
	if err := os.Symlink("../"+filepath.Base(dotfiles)+"/aws-credentials", link); err != nil {
		t.Fatal(err)
	}
	w, err := WriteFile(link, []byte("new"))
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", info.Mode(), err)
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Errorf("target holds %q", got)
	}
	if w.Path != target || w.Link != link {
		t.Errorf("written %+v", w)
	}
	if len(temps(t, dotfiles))+len(temps(t, home)) != 0 {
		t.Error("temporary files left")
	}
	// A dangling link makes its target.
	os.Remove(target)
	if _, err := WriteFile(link, []byte("again")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(target); string(got) != "again" {
		t.Errorf("dangling link's target holds %q", got)
	}
}

// Item 3: a device, a pipe or a folder is never replaced, directly or
// through a link, and the error names the file in a sentence.
func TestWriteFileRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{fifo: "named pipe", dir: "folder"}
	// A copy of /dev/null, as AWS_SHARED_CREDENTIALS_FILE=/dev/null would
	// be (the real one is not used: an unfixed version would replace it).
	null := filepath.Join(dir, "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err == nil {
		paths[null] = "device"
		link := filepath.Join(dir, "link-to-null")
		os.Symlink(null, link)
		paths[link] = "device"
	} else {
		t.Logf("no device test: mknod: %v", err)
	}
	for path, kind := range paths {
		before, _ := os.Lstat(path)
		_, err := WriteFile(path, []byte(secret))
		var nr *NotRegularError
		if !errors.Is(err, ErrNotRegular) || !errors.As(err, &nr) || !strings.Contains(err.Error(), kind) {
			t.Errorf("%s: err = %v, want a %s refused", path, err, kind)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Error("the error holds the secret")
		}
		if after, _ := os.Lstat(path); after.Mode() != before.Mode() {
			t.Errorf("%s changed from %v to %v", path, before.Mode(), after.Mode())
		}
	}
	if n := temps(t, dir); len(n) != 0 {
		t.Errorf("temporary files left: %v", n)
	}
}

// Item 6: a write that fails between the temporary file and the rename
// leaves no temporary file and the old content.
func TestFailedWriteLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	os.WriteFile(path, []byte("old"), 0o600)
	beforeRename = func(string) error { return errors.New("no space left on device") }
	t.Cleanup(func() { beforeRename = func(string) error { return nil } })
	if _, err := WriteFile(path, []byte(secret)); err == nil {
		t.Fatal("the failing write succeeded")
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("file holds %q", got)
	}
	csv := filepath.Join(dir, "alice.csv")
	if _, err := CreateNew(csv, []byte(secret)); err == nil {
		t.Fatal("the failing create succeeded")
	}
	if _, err := os.Lstat(csv); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed create left %s: %v", csv, err)
	}
	if n := temps(t, dir); len(n) != 0 {
		t.Errorf("temporary files left: %v", n)
	}
}

// TestHelperProcess is a write that stops before its rename until killed,
// when run by TestKilledWriteLeavesATempTheNextWriteRemoves.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv("SAFEFILE_HELPER_WRITE")
	if path == "" {
		t.Skip("run by another test")
	}
	beforeRename = func(string) error { select {} }
	WriteFile(path, []byte(secret))
}

// Item 6: a write killed where no deferred removal runs (SIGKILL; SIGTERM
// before main catches it) leaves its temporary file with the secret; the
// next write of that file removes it.
func TestKilledWriteLeavesATempTheNextWriteRemoves(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "SAFEFILE_HELPER_WRITE="+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute) // room for a busy machine: started test binaries
	for len(temps(t, dir)) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	left := temps(t, dir)
	if len(left) != 1 || !strings.Contains(left[0], "-"+strconv.Itoa(cmd.Process.Pid)+"-") {
		t.Fatalf("the killed write left %v", left)
	}
	if _, err := WriteFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if n := temps(t, dir); len(n) != 0 {
		t.Errorf("the next write left the stale temporary files %v", n)
	}
}

func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	prefix := ".credentials.awssecure-tmp-"
	files := map[string]bool{ // name: removed
		prefix + strconv.Itoa(dead.Process.Pid) + "-aa": true, // its process is gone
		prefix + "1-bb":  false, // pid 1 runs: a write in progress
		prefix + "1-old": true,  // but not for a minute
		prefix + strconv.Itoa(os.Getpid()) + "-cc":                        false, // ours, in progress
		".config.awssecure-tmp-" + strconv.Itoa(dead.Process.Pid) + "-dd": false, // another file's
		"credentials.bak": false,
	}
	for name := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(secret), 0o600)
	}
	old := time.Now().Add(-2 * time.Minute)
	os.Chtimes(filepath.Join(dir, prefix+"1-old"), old, old)
	if n := RemoveStaleTemps(path); n != 2 {
		t.Errorf("removed %d, want 2", n)
	}
	for name, removed := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) != removed {
			t.Errorf("%s: removed %v, want %v", name, !removed, removed)
		}
	}
}

// Item 9: a new file is never put over anything, not even a dangling
// link, and is never seen half written.
func TestCreateNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "alice.csv")
	if _, err := CreateNew(path, []byte("a")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "a" || mode(t, path) != 0o600 {
		t.Errorf("got %q mode %v", got, mode(t, path))
	}
	if _, err := CreateNew(path, []byte("b")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second create: %v", err)
	}
	dangling := filepath.Join(dir, "bob.csv")
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	if _, err := CreateNew(dangling, []byte("b")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("create over a dangling link: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); err == nil {
		t.Error("create wrote through a dangling link")
	}
	if n := temps(t, dir); len(n) != 0 {
		t.Errorf("temporary files left: %v", n)
	}
}

// Item 5: the lock excludes a second holder (flock locks belong to an
// open file, so two opens in one process exclude each other as two
// processes do), whichever link names the file.
func TestLockExcludesAndTimesOut(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	link := filepath.Join(dir, "link")
	os.Symlink(path, link)
	unlock, err := Lock(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := Lock(ctx, link); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), link) {
		t.Fatalf("second lock: %v", err)
	}
	got := make(chan error)
	go func() {
		u, err := Lock(t.Context(), link)
		if err == nil {
			u()
		}
		got <- err
	}()
	time.Sleep(50 * time.Millisecond)
	unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute): // room for a busy machine
		t.Fatal("the waiting lock was not granted after unlock")
	}
}
