//go:build unix

package awsops_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
)

// A call gives up when its context ends while it reads the practice file,
// not only before it waits for the file: a file on a stalled mount, here a
// pipe that a writer opened and stopped writing to, held a call (and
// `status --timeout`) for as long as the file took, and the calls queued
// behind it each read it in turn after the deadline. A call starts its
// read (the writer's open returns only once a reader has opened the
// pipe), the context is cancelled mid-file, and every call must return.
func TestPracticeCallGivesUpMidRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "practice.json")
	p, err := awsops.NewPractice(awsops.PracticeOptions{Path: path}) // no file yet: a fresh account
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	const calls = 4
	result := make(chan error, calls)
	for range calls {
		go func() {
			_, err := p.WhoAmI(ctx)
			result <- err
		}()
	}
	w, err := os.OpenFile(path, os.O_WRONLY, 0) // returns once the call has opened the file
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close() // lets the abandoned read end
	if _, err := w.WriteString(`{"Note": "half an account`); err != nil {
		t.Fatal(err)
	}
	cancel()
	// With the fix the call returns at once; without it, it waits for the
	// rest of the file forever. The bound only keeps the failure short.
	guard := time.After(20 * time.Second)
	for range calls {
		select {
		case err := <-result:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("a call ended with %v, want context.Canceled", err)
			}
		case <-guard:
			t.Fatal("a call still waits on the practice file after its context ended")
		}
	}
}
