package safefile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ErrLocked means another program held the lock for longer than the
// caller was willing to wait.
var ErrLocked = errors.New("another program is changing it: close that program, or wait, and try again")

// lockPoll is how often a waiting Lock tries again.
const lockPoll = 25 * time.Millisecond

// Lock takes an advisory exclusive lock for path and returns the function
// that releases it; it waits until ctx is done, then fails with an error
// wrapping ErrLocked that names the file. Hold it around a
// read-modify-write of path.
//
// The lock is on a sibling file ".NAME.lock" next to the file path
// resolves to, not on the file itself: the file may not exist yet, and a
// write renames a new file over it, so a lock on its old inode would not
// stop the next writer. Resolving links first makes every path to one
// file share one lock. The lock file stays (removing it would let two
// programs lock two different inodes); it is empty. The operating system
// drops the lock when the process dies, so a crash never leaves it held.
func Lock(ctx context.Context, path string) (unlock func(), err error) {
	target, err := Resolve(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return nil, err
	}
	name := filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".lock")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, Mode)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			return func() { unlockFile(f); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("%s: its lock %s is held: %w", path, name, ErrLocked)
		case <-time.After(lockPoll):
		}
	}
}
