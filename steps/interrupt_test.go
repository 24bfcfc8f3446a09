package steps_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// For every write call k of the tutorial, the run is stopped right after
// AWS did call k (its context cancelled before the answer arrives, as
// Ctrl-C does, and with no clean-up, as a crash has none); a second run
// from the start converges on a clean run's account: nothing made twice,
// no unassigned MFA device left behind. (This runs the steps, which apply
// idempotently; the table's rerun writes include creates that AWS answered
// "already exists". The wizard, which detects first, writes nothing on a
// rerun of a finished account: TestWizardAgainstMoto.)
func TestInterruptedTutorialConverges(t *testing.T) {
	clean := newFaultyTutorial(t)
	if err := runWholeTutorial(t.Context(), clean.client, func(_ string, try func() error) error { return try() }); err != nil {
		t.Fatal(err)
	}
	want := accountState(t, t.Context(), clean.client)
	sequence := append(clean.iam.Writes(), clean.regions.Writes()...)
	if len(sequence) < 10 {
		t.Fatalf("the tutorial made only %d writes: %v", len(sequence), sequence)
	}

	var table strings.Builder
	fmt.Fprintf(&table, "| k | stopped after | the rerun wrote |\n|---|---|---|\n")
	for k := 1; k <= len(sequence); k++ {
		f := newFaultyTutorial(t)
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		var stoppedAfter string
		stop := func(n int, action string) {
			if n == k {
				stoppedAfter = action
				cancel()
			}
		}
		// Writes are counted across both services, in the order they happen.
		var counter writeCounter
		f.iam.OnWrite(counter.wrap(stop))
		f.regions.OnWrite(counter.wrap(stop))
		err := runWholeTutorial(ctx, f.client, func(_ string, try func() error) error { return try() })
		cancel()
		if err == nil && k < len(sequence) {
			t.Errorf("k=%d: the run was not stopped", k)
		}
		f.iam.OnWrite(nil)
		f.regions.OnWrite(nil)
		iamBefore, regionsBefore := len(f.iam.Writes()), len(f.regions.Writes())
		counter.mu.Lock()
		stopped := stoppedAfter
		counter.mu.Unlock()

		if err := runWholeTutorial(t.Context(), f.client, func(_ string, try func() error) error { return try() }); err != nil {
			t.Errorf("k=%d: the rerun failed: %v", k, err)
			continue
		}
		if got := accountState(t, t.Context(), f.client); got != want {
			t.Errorf("k=%d (after %s): the rerun's account differs from a clean run's\ngot:\n%swant:\n%s", k, stopped, got, want)
		}
		rerun := append(f.iam.Writes()[iamBefore:], f.regions.Writes()[regionsBefore:]...)
		fmt.Fprintf(&table, "| %d | %s | %s |\n", k, stopped, strings.Join(rerun, ", "))
	}
	t.Logf("interruption points (%d writes in a clean run):\n%s", len(sequence), table.String())
}

// writeCounter numbers writes across several proxies.
type writeCounter struct {
	mu sync.Mutex
	n  int
}

func (c *writeCounter) wrap(f func(n int, action string)) func(int, string) {
	return func(_ int, action string) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.n++
		f(c.n, action)
	}
}
