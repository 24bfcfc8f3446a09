// Package safefile writes files that hold secrets: atomically, through
// symbolic links, never into a device or a folder, mode 0600, with no
// temporary copy of the secret left behind, and under an advisory lock so
// two programs editing one file do not lose each other's change.
//
// It imports no package of awssecure: both the AWS layer (the practice
// account's state) and the steps (the AWS CLI's files, the CSV) use it.
package safefile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Mode is the permission every file written here gets: a secret is for
// its owner only.
const Mode fs.FileMode = 0o600

// ErrNotRegular means the path names something other than a regular file
// (a device, a pipe, a folder): writing a secret there, or renaming a
// file over it, is never what the user meant.
var ErrNotRegular = errors.New("not a regular file")

// NotRegularError says which path is not a regular file and what it is.
type NotRegularError struct {
	Path string
	Kind string // "folder", "device", "named pipe", "socket"
}

func (e *NotRegularError) Error() string {
	if e.Kind == "folder" {
		return e.Path + " is a folder, and awssecure never replaces a folder"
	}
	return e.Path + " is a " + e.Kind + ", not a regular file, and awssecure writes secrets only into regular files"
}

// Is makes errors.Is(err, ErrNotRegular) true.
func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// Written says what a write did, so the user can be told exactly.
type Written struct {
	// Path is the file that now holds the data: the link's final target
	// when the path given was a symbolic link (the link is kept).
	Path string
	// Link is the path given when it was a symbolic link, else "".
	Link string
	// Created is true when there was no file before.
	Created bool
	// OldMode is the permission the file had before; 0 when Created.
	OldMode fs.FileMode
}

// ModeChanged reports whether an existing file's permission was changed
// to Mode.
func (w Written) ModeChanged() bool { return !w.Created && w.OldMode != Mode }

// Tightened reports whether others than the owner could read or write
// the file before, and no longer can.
func (w Written) Tightened() bool { return !w.Created && w.OldMode&0o077 != 0 }

// Resolve follows path's symbolic links, even a dangling last one, to the
// file a write should go to. A missing file resolves to itself.
func Resolve(path string) (string, error) {
	for range 40 {
		info, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		target, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// checkRegular returns a *NotRegularError when path exists and is not a
// regular file, and the file's info when it is one (nil when absent).
func checkRegular(path string) (fs.FileInfo, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &NotRegularError{Path: path, Kind: kind(info.Mode())}
	}
	return info, nil
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "folder"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// ReadFile reads path, through links, and returns nil when there is no
// file. Anything but a regular file is refused with a *NotRegularError
// before it is opened: reading a pipe would hang, a device is never a
// credentials file.
func ReadFile(path string) ([]byte, error) {
	target, err := Resolve(path)
	if err != nil {
		return nil, err
	}
	info, err := checkRegular(target)
	if err != nil || info == nil {
		return nil, err
	}
	return os.ReadFile(target)
}

// WriteFile replaces path's content with data, mode 0600, atomically: a
// crash leaves the old file or the new one, never half of either, and no
// stray copy of data. A symbolic link is written through (the new file is
// made in the target's folder and renamed over the target; the link stays).
// A missing folder is made, mode 0700. Anything but a regular file or
// nothing at the target is refused with a *NotRegularError.
func WriteFile(path string, data []byte) (Written, error) {
	target, err := Resolve(path)
	if err != nil {
		return Written{}, err
	}
	w := Written{Path: target}
	if target != path {
		w.Link = path
	}
	info, err := checkRegular(target)
	if err != nil {
		return w, err
	}
	w.Created = info == nil
	if info != nil {
		w.OldMode = info.Mode().Perm()
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return w, err
	}
	RemoveStaleTemps(target)
	tmp, err := writeTemp(target, data)
	if err != nil {
		return w, err
	}
	defer os.Remove(tmp) // fails harmlessly once renamed
	if err := beforeRename(tmp); err != nil {
		return w, err
	}
	// Checked again just before the rename: a device put there meanwhile
	// must not be replaced either.
	if _, err := checkRegular(target); err != nil {
		return w, err
	}
	if err := os.Rename(tmp, target); err != nil {
		return w, err
	}
	syncDir(filepath.Dir(target))
	return w, nil
}

// CreateNew writes data to a new file at path, mode 0600, and fails with
// an error wrapping fs.ErrExist if anything (even a dangling symbolic
// link) is there. The data is written and synced to a temporary file
// first and then linked into place, so a full disk or a kill leaves no
// empty or partial file at path.
func CreateNew(path string, data []byte) (Written, error) {
	w := Written{Path: path, Created: true}
	if _, err := os.Lstat(path); err == nil {
		return w, &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
	}
	RemoveStaleTemps(path)
	tmp, err := writeTemp(path, data)
	if err != nil {
		return w, err
	}
	defer os.Remove(tmp)
	if err := beforeRename(tmp); err != nil {
		return w, err
	}
	// A hard link fails when path exists: no check-then-write race.
	err = os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		if err == nil {
			syncDir(filepath.Dir(path))
		}
		return w, err
	}
	// Some file systems have no hard links: create exclusively and write,
	// removing what was made if the write fails.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, Mode)
	if err != nil {
		return w, err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return w, err
}

// beforeRename lets tests fail or stop a write between the temporary
// file's write and its rename.
var beforeRename = func(tmp string) error { return nil }

// tempPrefix starts the name of every temporary file made for path:
// ".NAME.awssecure-tmp-", followed by the writer's pid and a random part.
func tempPrefix(path string) string {
	return "." + filepath.Base(path) + ".awssecure-tmp-"
}

// writeTemp writes data, synced, to a new temporary file, mode 0600, in
// path's folder, and returns its name. On error nothing is left.
func writeTemp(path string, data []byte) (string, error) {
	var r [6]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", err
	}
	name := filepath.Join(filepath.Dir(path), tempPrefix(path)+strconv.Itoa(os.Getpid())+"-"+hex.EncodeToString(r[:]))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, Mode)
	if err != nil {
		return "", err
	}
	// The umask cannot widen 0600, but a default ACL on the folder can.
	err = f.Chmod(Mode)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// syncDir makes a rename in dir durable; where folders cannot be synced
// the rename is still atomic, so errors are ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// staleAge is how old a temporary file of ours must be to be removed even
// though a process with its pid is running.
const staleAge = time.Minute

// RemoveStaleTemps removes the temporary files a killed write of path
// left in its folder (a SIGKILL or a power cut skips every deferred
// removal, and the file holds the secret). A temporary file is stale when
// the process that made it (its pid is in the name) is gone, or when it is
// older than a minute: a write takes milliseconds, so a minute-old one is
// no write in progress even if its pid was reused by another program. A
// write in progress in another awssecure is left alone. It returns how
// many files it removed.
func RemoveStaleTemps(path string) int {
	target, err := Resolve(path)
	if err != nil {
		return 0
	}
	dir, prefix := filepath.Dir(target), tempPrefix(target)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	removed := 0
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		info, ierr := e.Info()
		if ierr != nil {
			continue
		}
		old := time.Since(info.ModTime()) > staleAge
		if old || err == nil && pid != os.Getpid() && !processAlive(pid) {
			if os.Remove(filepath.Join(dir, e.Name())) == nil {
				removed++
			}
		}
	}
	return removed
}
