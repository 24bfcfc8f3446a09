package ui

import (
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/term"

	"github.com/awssecure/awssecure/steps"
)

// IsTerminal reports whether w is a terminal, where styled output helps;
// in a pipe or a file, plain text is what grep and diff want.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// PrintChecklist writes the status checklist for a person: one row per
// check with its symbol, title, CIS control and detail, then what to do.
// styled adds colour and weight (on a terminal without NO_COLOR); without
// it the text is plain, and the symbols carry the meaning alone. fix is
// the command that fixes what fails ("awssecure", "awssecure --practice").
func PrintChecklist(w io.Writer, r steps.Report, strict, styled bool, fix string) error {
	st := NewStyles(true)
	if !styled {
		st = Styles{}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", st.Title.Render("Account "+r.AccountID), st.Subtle.Render("as "+r.CallerARN))
	b.WriteString("\n")
	counts := map[steps.CheckStatus]int{}
	for _, c := range r.Checks {
		counts[c.Status]++
		cis := "—"
		if c.CIS != "" {
			cis = "CIS " + c.CIS
		}
		fmt.Fprintf(&b, "%s %s %s %s\n", statusSymbol(st, c.Status), padRight(c.Title, 30), st.Subtle.Render(padRight(cis, 12)), c.Detail)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "%d pass · %d fail · %d warn · %d unknown", counts[steps.Pass], counts[steps.Fail], counts[steps.Warn], counts[steps.Unknown])
	if failing := r.Failing(strict); len(failing) > 0 {
		b.WriteString(st.Fail.Render(fmt.Sprintf(" — %d to fix; run %s to fix them step by step.", len(failing), fix)))
	} else {
		b.WriteString(st.Done.Render(" — nothing to fix."))
	}
	b.WriteString("\n")
	if !styled {
		_, err := io.WriteString(w, b.String())
		return err
	}
	// lipgloss.Fprint lowers the colours to what the terminal can show.
	_, err := lipgloss.Fprint(w, b.String())
	return err
}

func statusSymbol(st Styles, s steps.CheckStatus) string {
	switch s {
	case steps.Pass:
		return st.Done.Render("✓")
	case steps.Fail:
		return st.Fail.Render("✗")
	case steps.Warn:
		return st.Warn.Render("!")
	}
	return st.Subtle.Render("?")
}

// padRight pads s with spaces to width terminal cells.
func padRight(s string, width int) string {
	if n := lipgloss.Width(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}
