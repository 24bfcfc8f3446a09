package ui

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/steps"
)

// practiceReport is the checklist of a fresh practice account: its
// details hold a sign-in URL and lists of regions, as a real account's do.
func practiceReport(t *testing.T) steps.Report {
	t.Helper()
	p, err := awsops.NewPractice(awsops.PracticeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := steps.ReadSnapshot(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	return steps.NewReport(snap)
}

// `awssecure status` on a terminal fits its width: at 80 and 60 columns
// no line is wider than the terminal, no word is cut in two ("protects
// the root us / er", "signin.aws.amazon / .com" was the terminal wrapping
// lines of 120), and a detail goes on under its column at 80, under its
// title at 60. In a pipe (width 0) each check stays one whole line.
func TestChecklistFitsTheTerminal(t *testing.T) {
	r := practiceReport(t)
	var words []string
	for _, c := range r.Checks {
		words = append(words, strings.Fields(c.Detail)...)
	}
	const url = "https://111122223333.signin.aws.amazon.com/console"
	if !strings.Contains(strings.Join(words, " "), url) {
		t.Fatalf("the practice account's details lack the sign-in URL the test is about: %v", words)
	}
	for _, width := range []int{80, 60, 45} {
		var out bytes.Buffer
		if err := PrintChecklist(&out, r, false, false, "awssecure --practice", width); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		if width != 45 {
			goldenScreen(t, text, "status-"+map[int]string{80: "80", 60: "60"}[width])
		}
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		fields := map[string]bool{}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > width && strings.TrimSpace(l) != url {
				t.Errorf("at %d columns, a line of %d: %q", width, w, l)
			}
			for _, f := range strings.Fields(l) {
				fields[f] = true
			}
		}
		for _, w := range words {
			if !fields[w] {
				t.Errorf("at %d columns, %q is cut in two:\n%s", width, w, text)
			}
		}
		// Every row starts with its symbol; what follows a row is its
		// detail, indented: under the detail column at 80, the title below.
		indent := map[int]string{80: strings.Repeat(" ", 46), 60: "  ", 45: "  "}[width]
		first := slices.IndexFunc(lines, func(l string) bool { return strings.IndexAny(l, "✓✗!?") == 0 })
		rows := lines[first:]
		rows = rows[:slices.Index(rows, "")]
		if n := strings.Count(text, "\n\n"); first < 0 || n != 2 {
			t.Fatalf("at %d columns, the rows are not one block between the header and the totals:\n%s", width, text)
		}
		for i, l := range rows {
			if !strings.HasPrefix(l, indent) && strings.IndexAny(l, "✓✗!?") != 0 && strings.TrimSpace(l) != url {
				t.Errorf("at %d columns, row line %d is neither a row nor its detail under its column: %q", width, i+1, l)
			}
		}
	}
	var out bytes.Buffer
	if err := PrintChecklist(&out, r, false, false, "awssecure --practice", 0); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Checks {
		if !strings.Contains(out.String(), " "+c.Detail+"\n") {
			t.Errorf("in a pipe, %s's detail is not whole on its row:\n%s", c.ID, out.String())
		}
	}
	if n := strings.Count(out.String(), "\n"); n != len(r.Checks)+4 {
		t.Errorf("in a pipe, %d lines for %d checks:\n%s", n, len(r.Checks), out.String())
	}
}
