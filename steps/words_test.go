package steps

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
)

// Counts are said in words, never "change(s)": the runbook's changes,
// the days after which logs go, the passwords a policy remembers.
func TestCountsAreSaidInWords(t *testing.T) {
	for n, want := range map[int]string{1: "in order: 1 change.", 3: "in order: 3 changes."} {
		entries := make([]RunbookEntry, n)
		for i := range entries {
			entries[i].Title = fmt.Sprintf("step %d", i+1)
		}
		book := string(Runbook("111122223333", entries, time.Now()))
		if !strings.Contains(book, want) || strings.Contains(book, "(s)") {
			t.Errorf("%d entries: the runbook says %q, want %q", n, strings.SplitN(book, "\n", 4)[2], want)
		}
	}
	for n, want := range map[int]string{1: "1 day", 2: "2 days", 0: "0 days"} {
		if got := counted(n, "day"); got != want {
			t.Errorf("counted(%d, day) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{0: "earlier passwords may be used again", 1: "last 1 password remembered", 24: "last 24 passwords remembered"} {
		if got := remembered(n); got != want {
			t.Errorf("remembered(%d) = %q, want %q", n, got, want)
		}
	}
}

// The credentials saved twice (a CSV file, then a profile) are one
// section of the runbook, with both sentences, each command once, and
// counted once (issue 25, item 11).
func TestRunbookSaysASavedCredentialOnce(t *testing.T) {
	saved := func(did, cli string) RunbookEntry {
		return RunbookEntry{Info: CredentialsInfo, Did: did, CLI: cli}
	}
	book := string(Runbook("111122223333", []RunbookEntry{
		{Info: Info{Title: "Create your admin IAM user"}, Did: "Created alice."},
		saved("Saved the credentials in ./alice.csv.", "aws configure --profile alice"),
		saved("Saved profile alice in ~/.aws/credentials.", "aws configure --profile alice"),
	}, time.Now()))
	if n := strings.Count(book, "## "); n != 2 || strings.Count(book, CredentialsInfo.Title) != 1 {
		t.Errorf("%d sections, want 2, the credentials' once:\n%s", n, book)
	}
	if !strings.Contains(book, "in order: 2 changes.") || !strings.Contains(book, "Saved the credentials in ./alice.csv. Saved profile alice in ~/.aws/credentials.") ||
		strings.Count(book, "aws configure --profile alice") != 1 {
		t.Errorf("the section does not say both saves and its command once:\n%s", book)
	}

	// Two people added one after the other are two changes.
	people := string(Runbook("111122223333", []RunbookEntry{
		{Info: PersonInfo, Did: "Created user bob.", CLI: "aws iam create-user --user-name bob"},
		{Info: PersonInfo, Did: "Created user aaron.", CLI: "aws iam create-user --user-name aaron"},
	}, time.Now()))
	if strings.Count(people, "## ") != 2 || !strings.Contains(people, "in order: 2 changes.") {
		t.Errorf("two people are not two sections:\n%s", people)
	}
}

// Step 8's result says apart what it left undone — a part skipped, IAM
// access to billing not on yet — and says nothing of a part found done.
func TestBillingSaysWhatItLeft(t *testing.T) {
	ctx := t.Context()
	p, err := awsops.NewPractice(awsops.PracticeOptions{Path: filepath.Join(t.TempDir(), "practice.json")})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := ReadSnapshot(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	in := Billing.Default(snap)
	in.Budget, in.Report = false, false // both skipped
	o, err := Billing.Apply(ctx, p, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	if o.Said != "" || len(o.Left) != 3 || !strings.HasPrefix(o.Left[0], "Budget skipped") ||
		!strings.HasPrefix(o.Left[1], "Billing report skipped") || !strings.HasPrefix(o.Left[2], "IAM access to billing is not on yet") {
		t.Errorf("all skipped: said %q, left %q", o.Said, o.Left)
	}

	in = Billing.Default(snap)
	in.Email, in.Report, in.AccessOn = "owner@example.com", false, true
	if o, err = Billing.Apply(ctx, p, snap.Caller, in); err != nil {
		t.Fatal(err)
	}
	snap = snap.With(o.Change)
	if !strings.Contains(o.Said, "monthly-cost") || !strings.Contains(o.Said, "IAM access to billing is on") || len(o.Left) != 1 || o.Left[0] != "Billing report skipped." {
		t.Errorf("budget made, report skipped, access on: said %q, left %q", o.Said, o.Left)
	}

	// The budget is done now: a rerun that does not ask for it does not
	// call it skipped.
	in = Billing.Default(snap)
	if in.Budget || !in.HadBudget {
		t.Fatalf("the budget made is not found done: %+v", in)
	}
	in.Report = false
	if o, err = Billing.Apply(ctx, p, snap.Caller, in); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(o.Left, " "), "Budget") {
		t.Errorf("a budget found done is said skipped: %q", o.Left)
	}
}
