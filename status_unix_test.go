//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// --timeout bounds status --practice on a practice file that is never
// read to its end (a stalled mount; here a pipe whose writer stopped after
// its first bytes): the run ends at its deadline with exit 2, nothing on
// stdout and the practice account's sentence. It waited for the file
// forever (the bound below only keeps that failure short).
func TestStatusPracticeTimeoutBoundsAStalledFile(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	path := filepath.Join(state, "awssecure", "practice.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan statusRun, 1)
	go func() { done <- runCLI("status", "--practice", "--timeout", "1s") }()
	w, err := os.OpenFile(path, os.O_WRONLY, 0) // returns once status has opened the file
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.WriteString(`{"Note": "the rest never comes`); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		want := "awssecure: the practice account was not read within 1s, so nothing was printed.\nWait longer with --timeout 4s.\n"
		if r.code != 2 || r.stdout != "" || r.stderr != want {
			t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, %q", r.code, r.stdout, r.stderr, want)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("status --timeout 1s still waits on the practice file after 30 s")
	}
}
