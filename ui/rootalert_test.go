package ui

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/steps"
)

// practiceClock is a practice account's clock a test moves by hand: the
// address is "clicked" when the test says so, not after a wait.
type practiceClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *practiceClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *practiceClock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// atRootAlert is the wizard opened at the root activity alert's screen on
// a practice account that confirms the address a minute after it is
// subscribed, by clock.
func atRootAlert(t *testing.T, clock *practiceClock) *harness {
	t.Helper()
	acct, err := awsops.NewPractice(awsops.PracticeOptions{EmailConfirmDelay: time.Minute, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	m := New(t.Context(), Options{Account: acct, Practice: true, Region: "us-east-1"})
	snap, err := steps.ReadSnapshot(t.Context(), acct)
	if err != nil {
		t.Fatal(err)
	}
	snap.BudgetEmail = "owner@example.com"
	m.c.snapshot = snap
	at := slices.IndexFunc(m.seq, func(p planned) bool {
		_, ok := p.open(handoff{}).(*formScreen[steps.AlertRequest])
		return ok
	})
	m.at, m.current = at, m.seq[at].open(handoff{pos: m.seq[at].pos})
	h := newHarness(t, m, 80, 30)
	h.waitFor("Send root's alerts to")
	// No trail yet (CloudTrail skipped): the form says root's API calls
	// would not reach the alert, and why.
	says(t, h, "No trail logs every region: EventBridge gets root's API calls only while one does. Turn CloudTrail on (step 7)")
	h.press("enter")
	h.waitFor("Waiting for you to confirm the e-mail to owner@example.com")
	return h
}

// setPollInterval sets how often the done screen reads again, for one test.
func setPollInterval(t *testing.T, d time.Duration) {
	before := alertPollInterval
	alertPollInterval = d
	t.Cleanup(func() { alertPollInterval = before })
}

// While the done screen is open it reads the subscription again by
// itself, and sees the address confirmed once it is; then it stops.
func TestRootAlertDoneScreenPolls(t *testing.T) {
	setPollInterval(t, 20*time.Millisecond)
	clock := &practiceClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	h := atRootAlert(t, clock)
	if s := h.screen(); !strings.Contains(s, "Checking every few seconds") || !strings.Contains(s, "c check now") {
		t.Errorf("the waiting screen does not say it checks, or offers no c:\n%s", s)
	}
	clock.add(time.Minute) // the learner clicks the link
	h.waitFor("✓ Alerts e-mail owner@example.com.")
	if s := h.screen(); strings.Contains(s, "Waiting for you") || strings.Contains(s, "c check now") {
		t.Errorf("confirmed, the screen still waits:\n%s", s)
	}
}

// c reads at once: with the next read an hour away, the screen sees the
// click only because c asked.
func TestRootAlertDoneScreenChecksNowOnC(t *testing.T) {
	setPollInterval(t, time.Hour)
	clock := &practiceClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	h := atRootAlert(t, clock)
	h.press("c")
	if s := h.screen(); !strings.Contains(s, "Waiting for you to confirm") {
		t.Errorf("c before the click: the screen no longer waits:\n%s", s)
	}
	clock.add(time.Minute)
	h.press("c")
	h.waitFor("✓ Alerts e-mail owner@example.com.")
}

// A region enabled after the preflight (by the regions step, say) is read
// when the screen opens: the step, found done at the preflight, asks
// again and adds that region's rule alone.
func TestRootAlertScreenReadsRegionsEnabledSince(t *testing.T) {
	clock := &practiceClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	acct, err := awsops.NewPractice(awsops.PracticeOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.RootAlert.Default(snap)
	in.Email = "owner@example.com"
	o, err := steps.RootAlert.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	snap = snap.With(o.Change) // the preflight's view: done, in 6 regions
	if _, done := steps.RootAlert.Done(snap); !done {
		t.Fatal("the alert is not done after its apply")
	}
	if err := acct.EnableRegion(ctx, "eu-south-1"); err != nil {
		t.Fatal(err)
	}
	clock.add(time.Minute)

	m := New(ctx, Options{Account: acct, Practice: true, Region: "us-east-1"})
	m.c.snapshot = snap
	at := slices.IndexFunc(m.seq, func(p planned) bool {
		_, ok := p.open(handoff{}).(*formScreen[steps.AlertRequest])
		return ok
	})
	m.at, m.current = at, m.seq[at].open(handoff{pos: m.seq[at].pos})
	h := newHarness(t, m, 80, 30)
	h.waitFor("Send root's alerts to")
	says(t, h, "rules in all 7 enabled regions")
	h.press("enter")
	h.waitFor("Rules in all 7 regions")
	says(t, h, "1 added now")
}
