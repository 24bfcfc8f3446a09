package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/awssecure/awssecure/steps"
)

// watchRoom is a workshop's organization as two reads see it: between
// them, alpha's user turned MFA on and beta set its alias.
func watchRoom(second bool) steps.OrgReport {
	checks := func(statuses ...steps.CheckStatus) []steps.Check {
		var cs []steps.Check
		for i, c := range steps.Checks(steps.Snapshot{}) {
			c.Status, c.Detail = steps.Fail, "detail of "+c.ID // the later steps' checks: not done
			if i < len(statuses) {
				c.Status = statuses[i]
			}
			cs = append(cs, c)
		}
		return cs
	}
	P, F, W := steps.Pass, steps.Fail, steps.Warn
	alphaMFA, betaAlias := F, F
	if second {
		alphaMFA, betaAlias = P, P
	}
	return steps.OrgReport{OrganizationID: "o-exampleorgid", Accounts: []steps.AccountReport{
		{AccountID: "111111111111", Name: "alpha", Checks: checks(P, P, P, P, P, alphaMFA, P, P)},
		{AccountID: "222222222222", Name: "beta", Checks: checks(F, P, W, P, P, P, betaAlias, P)},
		{AccountID: "333333333333", Name: "gamma", Error: "could not assume role OrganizationAccountAccessRole: it is missing in this account or does not trust the caller (create it, or choose another with --role).", Checks: []steps.Check{}},
		{AccountID: "123456789012", Name: "workshop-management", Checks: checks(F, F, F, F, F, W, F, P)},
	}}
}

// newTestWatch is a watch whose reads return the reports in turn, at a
// fixed time, sized width×height.
func newTestWatch(t *testing.T, org bool, width, height int, reports ...steps.OrgReport) (*Watch, *int) {
	reads := 0
	m := NewWatch(t.Context(), WatchOptions{
		Read: func(context.Context) (steps.OrgReport, error) {
			r := reports[min(reads, len(reports)-1)]
			reads++
			return r, nil
		},
		Interval: 30 * time.Second, Timeout: time.Second, Org: org,
		Now: func() time.Time { return time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC) },
	})
	next, _ := m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	w := next.(Watch)
	return &w, &reads
}

// finish runs the read under way and feeds its result back.
func (w *Watch) finish(t *testing.T) tea.Cmd {
	t.Helper()
	next, cmd := w.Update(w.readCmd()())
	*w = next.(Watch)
	return cmd
}

func (w *Watch) press(t *testing.T, k string) tea.Cmd {
	t.Helper()
	next, cmd := w.Update(tea.KeyPressMsg{Code: rune(k[0]), Text: k})
	*w = next.(Watch)
	return cmd
}

func (w *Watch) screen() string { return ansi.Strip(w.View().Content) }

// The watch view of a room at 80×24 and at 200×50: the first frame, then
// a refresh (r) where two cells changed, highlighted and said in words.
func TestGoldenWatch(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int
	}{{"80x24", 80, 24}, {"200x50", 200, 50}} {
		t.Run(size.name, func(t *testing.T) {
			w, reads := newTestWatch(t, true, size.width, size.height, watchRoom(false), watchRoom(true))
			w.finish(t)
			goldenScreen(t, w.screen(), "watch-org-first-"+size.name)
			if strings.Contains(w.screen(), "Changed:") {
				t.Error("the first frame shows changes")
			}
			if w.press(t, "r") == nil || !w.reading {
				t.Fatal("r did not start a read")
			}
			w.finish(t)
			goldenScreen(t, w.screen(), "watch-org-refresh-"+size.name)
			if *reads != 2 || len(w.changed) != 2 || !w.changed[gridCell{"111111111111", steps.CheckAdminUserMFA}] || !w.changed[gridCell{"222222222222", steps.CheckAccountAlias}] {
				t.Errorf("reads %d, changed cells %v", *reads, w.changed)
			}
			for _, l := range strings.Split(w.screen(), "\n") {
				if ansi.StringWidth(l) > size.width {
					t.Errorf("line wider than %d: %q", size.width, l)
				}
			}
			if n := strings.Count(w.screen(), "\n") + 1; n != size.height {
				t.Errorf("%d lines, want %d", n, size.height)
			}
		})
	}
}

// One account's watch is its checklist, with the changed row marked.
func TestGoldenWatchOneAccount(t *testing.T) {
	one := func(second bool) steps.OrgReport {
		r := watchRoom(second)
		return steps.OrgReport{Accounts: r.Accounts[:1]}
	}
	// Nineteen checks and what changed take 27 rows; at 24, the last
	// lines give way to "make the window taller".
	w, _ := newTestWatch(t, false, 80, 28, one(false), one(true))
	w.finish(t)
	w.press(t, "r")
	w.finish(t)
	goldenScreen(t, w.screen(), "watch-account-refresh")
	if !strings.Contains(w.screen(), "Changed: alpha: admin-user-mfa fail → pass") {
		t.Errorf("the change is not said:\n%s", w.screen())
	}
}

// The interval's tick reads again; a tick from before a refresh (r) is
// ignored, r while reading does nothing, and a failed read keeps the last
// grid with the reason under it.
func TestWatchRefreshes(t *testing.T) {
	calls := 0
	failing := false
	m := NewWatch(t.Context(), WatchOptions{Interval: time.Minute, Timeout: time.Second, Org: true,
		Read: func(context.Context) (steps.OrgReport, error) {
			calls++
			if failing {
				return steps.OrgReport{}, errors.New("network down")
			}
			return watchRoom(false), nil
		}})
	w := &m
	tick := w.finish(t)
	if tick == nil {
		t.Fatal("no tick was scheduled after a read")
	}
	if w.press(t, "r"); !w.reading {
		t.Fatal("r did not start a read")
	}
	if cmd := w.press(t, "r"); cmd != nil {
		t.Error("r while reading started another read")
	}
	w.finish(t)
	if next, cmd := w.Update(watchTickMsg{seq: 1}); cmd != nil || next.(Watch).reading {
		t.Error("a tick from before the refresh started a read")
	}
	failing = true
	next, cmd := w.Update(watchTickMsg{seq: w.seq})
	*w = next.(Watch)
	if cmd == nil || !w.reading {
		t.Fatal("the interval's tick did not read")
	}
	w.finish(t)
	if s := w.screen(); !strings.Contains(s, "alpha") || !strings.Contains(s, "The last read failed") {
		t.Errorf("a failed read lost the grid or its reason:\n%s", s)
	}
	if calls != 3 {
		t.Errorf("%d reads, want 3", calls)
	}
	if cmd := w.press(t, "q"); cmd == nil {
		t.Error("q does not quit")
	}
}
