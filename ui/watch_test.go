package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
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
	// Nineteen checks and what changed take 27 rows; at 24, what changed
	// scrolls below the fold.
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

func (w *Watch) pressKey(t *testing.T, code rune) {
	t.Helper()
	next, _ := w.Update(tea.KeyPressMsg{Code: code})
	*w = next.(Watch)
}

func (w *Watch) resize(t *testing.T, width, height int) {
	t.Helper()
	next, _ := w.Update(tea.WindowSizeMsg{Width: width, Height: height})
	*w = next.(Watch)
}

// fits checks that the screen is exactly the terminal's size.
func (w *Watch) fits(t *testing.T) {
	t.Helper()
	lines := strings.Split(w.screen(), "\n")
	if len(lines) != w.height {
		t.Errorf("%d lines at %d×%d", len(lines), w.width, w.height)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > w.width {
			t.Errorf("line wider than %d: %q", w.width, l)
		}
	}
}

// At 60×16, one account's watch keeps its header whole (it read "read at
// 02:23:5"), shows the failing checks first and the totals always (they
// were under "7 more lines: make the window taller"), and pgdn/pgup
// scroll the rest; a resize keeps the view in range.
func TestWatchSmallTerminalScrolls(t *testing.T) {
	one := steps.OrgReport{Accounts: watchRoom(false).Accounts[:1]}
	w, _ := newTestWatch(t, false, 60, 16, one)
	w.opts.Practice = true // the label that pushed the time off the line
	w.finish(t)
	w.fits(t)
	goldenScreen(t, w.screen(), "watch-account-60x16")
	s := w.screen()
	for _, want := range []string{"read at 09:30:00 · every 30s", "13 of 20 checks fail", "pgup/pgdn scroll", "r refresh now"} {
		if !strings.Contains(s, want) {
			t.Errorf("60×16 lacks %q:\n%s", want, s)
		}
	}
	rows := func() []string {
		var rows []string
		for _, l := range strings.Split(w.screen(), "\n") {
			if strings.IndexAny(l, "✓✗!?") == 0 {
				rows = append(rows, l)
			}
		}
		return rows
	}
	first := rows()
	// alpha fails 13 checks: they come first (the first 9 rows shown).
	if len(first) < 9 || slices.ContainsFunc(first[:9], func(r string) bool { return !strings.HasPrefix(r, "✗") }) {
		t.Errorf("the failing checks are not first:\n%s", s)
	}
	w.pressKey(t, tea.KeyPgDown)
	w.fits(t)
	goldenScreen(t, w.screen(), "watch-account-60x16-pgdn")
	s = w.screen()
	if !strings.Contains(s, "✓ Root user has MFA") || !strings.Contains(s, "13 of 20 checks fail") || !strings.Contains(s, "of 20 · pgup/pgdn scroll") {
		t.Errorf("pgdn did not show the passing checks with the totals:\n%s", s)
	}
	w.pressKey(t, tea.KeyPgDown) // twenty checks: more rows to the end
	end := w.screen()
	w.pressKey(t, tea.KeyPgDown) // at the end already: stays
	if w.screen() != end || !strings.Contains(end, "–20 of 20") {
		t.Errorf("a second pgdn went past the end:\n%s", w.screen())
	}
	w.pressKey(t, tea.KeyPgUp)
	w.pressKey(t, tea.KeyPgUp)
	if !slices.Equal(rows(), first) {
		t.Errorf("pgup did not go back to the top:\n%s", w.screen())
	}
	w.pressKey(t, tea.KeyPgDown)
	w.resize(t, 80, 28)
	w.fits(t)
	if s := w.screen(); len(rows()) != 20 || strings.Contains(s, "scroll") {
		t.Errorf("at 80×28 the whole checklist does not show:\n%s", s)
	}
	w.resize(t, 60, 16)
	w.fits(t)
	if !slices.Equal(rows(), first) {
		t.Errorf("after growing and shrinking again, the view is not at its top:\n%s", w.screen())
	}
}

// An organization's watch at 60×16 keeps the column labels and the totals
// on screen; the accounts that cannot be read or have something to fix
// come before those that pass.
func TestWatchOrgSmallTerminal(t *testing.T) {
	room := watchRoom(false)
	passing := room.Accounts[0]
	passing.AccountID, passing.Name = "444444444444", "delta"
	passing.Checks = slices.Clone(passing.Checks)
	for i := range passing.Checks {
		passing.Checks[i].Status = steps.Pass
	}
	room.Accounts = append([]steps.AccountReport{passing}, room.Accounts...)
	w, _ := newTestWatch(t, true, 60, 16, room)
	w.finish(t)
	w.fits(t)
	goldenScreen(t, w.screen(), "watch-org-60x16")
	var order []string
	lines := strings.Split(w.screen(), "\n")
	for _, l := range lines[slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "Account ") })+1:] {
		if l == "" {
			break
		}
		order = append(order, strings.Fields(l)[0])
	}
	// Twenty columns leave a name eight cells at 60: the longest is cut.
	if want := []string{"gamma", "alpha", "beta", "worksho…", "delta"}; !slices.Equal(order, want) {
		t.Errorf("accounts in the order %v, want %v", order, want)
	}
	s := w.screen()
	for _, want := range []string{"Account", "5 accounts: 1 all pass, 3 to fix, 1 not read.", "pgup/pgdn scroll"} {
		if !strings.Contains(s, want) {
			t.Errorf("60×16 lacks %q:\n%s", want, s)
		}
	}
	w.pressKey(t, tea.KeyEnd)
	if s := w.screen(); !strings.HasPrefix(s, "Organization o-exampleorgid") || !strings.Contains(s, "5 accounts:") || !strings.Contains(s, "with --role).") {
		t.Errorf("at the end, the header, the totals or the last lines are missing:\n%s", s)
	}
}

// A bug in the watch view stops it as one in the wizard does: the
// terminal left as it was found, and a *BugError of one sentence.
func TestRunWatchStopsCleanlyAtAPanic(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var out bytes.Buffer
	_, err := runWatch(ctx, WatchOptions{Interval: time.Minute, Timeout: time.Second,
		Read: func(context.Context) (steps.OrgReport, error) {
			var accounts map[string]int
			accounts["alpha"]++
			return steps.OrgReport{}, nil
		}}, tea.WithInput(nil), tea.WithOutput(&out), tea.WithWindowSize(80, 24), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	if ctx.Err() != nil {
		t.Fatalf("the watch did not stop by itself: %v", err)
	}
	var bug *BugError
	want := "awssecure hit a bug and stopped: assignment to entry in nil map; your account is as it was after the last completed step"
	if !errors.As(err, &bug) || err.Error() != want {
		t.Fatalf("RunWatch = %v, want a *BugError %q", err, want)
	}
	// The read is the view's first command: the panic may come before
	// the first frame, so whether the alternate screen was entered is not
	// asserted; what was entered was left.
	restored(t, "init", out.String())
}

// q ends the watch with its last read and the view to leave on screen:
// the rows and the totals, without the keys.
func TestRunWatchQuitKeepsTheLastView(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	first := watchRoom(false)
	res, err := runWatch(ctx, WatchOptions{Interval: time.Minute, Timeout: time.Second, Org: true, First: &first,
		Read: func(context.Context) (steps.OrgReport, error) { return first, nil }},
		tea.WithInput(strings.NewReader("q")), tea.WithOutput(io.Discard), tea.WithWindowSize(80, 24), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	if err != nil || ctx.Err() != nil {
		t.Fatalf("RunWatch = %v (context %v), want a quit", err, ctx.Err())
	}
	var out strings.Builder
	if err := res.Print(&out, false); err != nil {
		t.Fatal(err)
	}
	final := out.String()
	if !res.Read || len(res.Report.Accounts) != 4 || !strings.Contains(final, "workshop-manag…") || !strings.Contains(final, "4 accounts: 0 all pass, 3 to fix, 1 not read.") ||
		strings.Contains(final, "q quit") || strings.Contains(final, "\x1b[") {
		t.Errorf("result %+v; the last view:\n%s", res, final)
	}
}
