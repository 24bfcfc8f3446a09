package ui

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/steps"
)

// evilName is a name an account can really hold (a budget's allows any
// character but : and \): it sets the window's title, clears the screen,
// goes home and prints a green line of its own, then turns the text
// right to left.
const evilName = "ops\x1b]0;OWNED\a\x1b[2J\x1b[H\x1b[32m✓ all checks pass\u202e"

// evilShown is how it must be drawn: every control shown escaped.
const evilShown = `ops\x1b]0;OWNED\x07\x1b[2J\x1b[H\x1b[32m✓ all checks pass\u202e`

// styleSGR is the colour and weight the views' own styles write.
var styleSGR = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// assertInert fails when out would do anything to the terminal but
// colour text, or does not show the name escaped.
func assertInert(t *testing.T, what, out string) {
	t.Helper()
	rest := styleSGR.ReplaceAllString(out, "")
	if strings.ContainsAny(rest, "\x1b\x07\u202e") {
		t.Errorf("%s writes a control the account's data brought:\n%q", what, out)
	}
	// Styles may wrap the name; it must be there, escaped, once unstyled.
	if !strings.Contains(strings.Join(strings.Fields(rest), " "), evilShown) {
		t.Errorf("%s does not show the name escaped (%s):\n%s", what, evilShown, rest)
	}
}

func evilReport() steps.OrgReport {
	checks := steps.Checks(steps.Snapshot{})
	for i := range checks {
		if checks[i].ID == steps.CheckBudget {
			checks[i].Status, checks[i].Detail = steps.Fail, "budget "+evilName+" has no alerts: nobody is told"
		}
	}
	return steps.OrgReport{Benchmark: steps.Benchmark, OrganizationID: "o-" + evilName, Accounts: []steps.AccountReport{
		{AccountID: "111122223333", Name: evilName, Checks: checks},
		{AccountID: "444455556666", Name: "lab", Error: "AWS said: " + evilName},
	}}
}

// `status`, one account, with colour and without, at a width and for grep.
func TestStatusTextShowsTheAccountsDataInert(t *testing.T) {
	a := evilReport().Accounts[0]
	for _, styled := range []bool{true, false} {
		for _, width := range []int{0, 80, 200} {
			var b strings.Builder
			if err := PrintChecklist(&b, steps.Report{AccountID: a.AccountID, CallerARN: "arn:aws:iam::111122223333:root", Checks: a.Checks}, false, styled, "awssecure", width); err != nil {
				t.Fatal(err)
			}
			assertInert(t, "status", b.String())
		}
	}
}

// `status --org`: an account's name, its error and the organization.
func TestOrgGridShowsTheAccountsDataInert(t *testing.T) {
	for _, styled := range []bool{true, false} {
		var b strings.Builder
		if err := PrintOrgGrid(&b, evilReport(), false, styled, 200); err != nil {
			t.Fatal(err)
		}
		assertInert(t, "the org grid", b.String())
	}
}

// `status --watch`: the live view, and what is printed when it ends,
// for one account and for an organization, with a change since the last
// read.
func TestWatchShowsTheAccountsDataInert(t *testing.T) {
	org := evilReport()
	one := steps.OrgReport{Benchmark: org.Benchmark, Accounts: org.Accounts[:1]}
	for _, tc := range []struct {
		name   string
		org    bool
		report steps.OrgReport
	}{{"one account", false, one}, {"the organization", true, org}} {
		before := tc.report
		before.Accounts = []steps.AccountReport{before.Accounts[0]}
		before.Accounts[0].Checks = slices.Clone(before.Accounts[0].Checks)
		for i := range before.Accounts[0].Checks {
			before.Accounts[0].Checks[i].Status = steps.Pass
		}
		w := NewWatch(t.Context(), WatchOptions{Org: tc.org, First: &before, Now: func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) }})
		m, _ := w.Update(watchReadMsg{seq: 1, report: tc.report, at: time.Date(2026, 12, 3, 9, 1, 0, 0, time.UTC)})
		m, _ = m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
		w = m.(Watch)
		if len(w.changes) == 0 {
			t.Fatalf("%s: the read should have changed a row", tc.name)
		}
		assertInert(t, "the watch view of "+tc.name, w.View().Content)
		assertInert(t, "the watch's last view of "+tc.name, w.Final(true))
		assertInert(t, "the watch's last view of "+tc.name+", plain", w.Final(false))
	}
}

// The wizard: a budget that was there before, on the billing step, the
// summary and the summary printed after exit.
func TestWizardShowsTheAccountsDataInert(t *testing.T) {
	dir := t.TempDir()
	acct := newPractice(t, "")
	err := acct.CreateBudget(t.Context(), awsops.PracticeAccountID, awsops.NewBudget{Name: evilName, Amount: "10", Email: "ops@example.com",
		Alerts: []awsops.BudgetAlert{{Kind: awsops.AlertActual, Percent: 80}}})
	if err != nil {
		t.Fatal(err)
	}
	h := wizard(t, acct, dir)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "1. Budget")
	assertInert(t, "the billing step", h.model.View().Content)
	walkTo(t, h, "Add another person?")
	h.press("n")
	h.waitFor("enter finish")
	scrollToEnd(h) // the checklist's last rows, the budget's among them
	assertInert(t, "the summary", h.model.View().Content)
	var b strings.Builder
	for _, styled := range []bool{true, false} {
		b.Reset()
		if err := h.model.(Model).Farewell(&b, styled); err != nil {
			t.Fatal(err)
		}
		assertInert(t, "the summary printed after exit", b.String())
	}
}
