package ui

import (
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// IsTerminal reports whether w is a terminal, where styled output helps;
// in a pipe or a file, plain text is what grep and diff want.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// TerminalWidth is w's width in cells when w is a terminal, else 0: in
// a pipe or a file, lines are kept whole.
func TerminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil {
		return 0
	}
	return width
}

// PrintChecklist writes the status checklist for a person: one row per
// check with its symbol, title, CIS control and detail, then what to do.
// styled adds colour and weight (on a terminal without NO_COLOR); without
// it the text is plain, and the symbols carry the meaning alone. fix is
// the command that fixes what fails ("awssecure", "awssecure --practice").
// width is the terminal's (see TerminalWidth): each line fits it, a
// detail wrapped at spaces under its column, or, where that column would
// be too narrow, under its row's title; 0 keeps every row on one line,
// for grep.
func PrintChecklist(w io.Writer, r steps.Report, strict, styled bool, fix string, width int) error {
	st := NewStyles(true)
	if !styled {
		st = Styles{}
	}
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	account, caller := "Account "+inert.PrintableLine(r.AccountID), "as "+inert.PrintableLine(r.CallerARN)
	if width == 0 || ansi.StringWidth(account+" "+caller) <= width {
		line(st.Title.Render(account) + " " + st.Subtle.Render(caller))
	} else {
		line(st.Title.Render(account))
		line(st.Subtle.Render(caller))
	}
	line("")
	rows := checklistRows(r.Checks)
	// The table's columns: the widest title with a gutter, and the widest
	// CIS control.
	titleWidth, cisWidth := 0, 0
	for _, row := range rows {
		titleWidth, cisWidth = max(titleWidth, ansi.StringWidth(row.title)+1), max(cisWidth, ansi.StringWidth(row.cis))
	}
	detailAt := 2 + titleWidth + 1 + cisWidth + 1
	table := width == 0 || width-detailAt >= minDetailWidth
	counts := map[steps.CheckStatus]int{}
	for i, row := range rows {
		c := r.Checks[i]
		counts[c.Status]++
		head := statusSymbol(st, c.Status) + " " + padRight(row.title, titleWidth) + " " + st.Subtle.Render(padRight(row.cis, cisWidth))
		if table {
			for j, l := range wrapUnder(row.detail, width-detailAt) {
				switch {
				case j == 0 && l.overlong:
					line(strings.TrimRight(head, " "))
					line("  " + l.text)
				case j == 0:
					line(head + " " + l.text)
				case l.overlong:
					// A word wider than the column (a sign-in URL) stays
					// whole, under the title.
					line("  " + l.text)
				default:
					line(strings.Repeat(" ", detailAt) + l.text)
				}
			}
			continue
		}
		if 2+titleWidth+1+cisWidth > width {
			head = statusSymbol(st, c.Status) + " " + row.title + "  " + st.Subtle.Render(row.cis)
		}
		line(strings.TrimRight(head, " "))
		for _, l := range wrapAtSpaces(row.detail, width-2) {
			line("  " + l)
		}
	}
	line("")
	total := fmt.Sprintf("%d pass · %d fail · %d warn · %d unknown", counts[steps.Pass], counts[steps.Fail], counts[steps.Warn], counts[steps.Unknown])
	verdict, style := "— nothing to fix.", st.Done
	if failing := r.Failing(strict); len(failing) > 0 {
		verdict, style = fmt.Sprintf("— %d to fix; run %s to fix them step by step.", len(failing), fix), st.Fail
	}
	if width == 0 || ansi.StringWidth(total+" "+verdict) <= width {
		line(total + style.Render(" "+verdict))
	} else {
		line(total)
		for _, l := range wrapAtSpaces(verdict, width) {
			line(style.Render(l))
		}
	}
	if !styled {
		_, err := io.WriteString(w, b.String())
		return err
	}
	// lipgloss.Fprint lowers the colours to what the terminal can show.
	_, err := lipgloss.Fprint(w, b.String())
	return err
}

// minDetailWidth is the narrowest detail column of the checklist's
// table; a terminal narrower than that shows each detail under its title.
const minDetailWidth = 24

// checklistRow is a check's text as the checklist prints it, made safe
// for the terminal: titles and details can hold what an account holds.
type checklistRow struct{ title, cis, detail string }

func checklistRows(checks []steps.Check) []checklistRow {
	rows := make([]checklistRow, len(checks))
	for i, c := range checks {
		rows[i] = checklistRow{title: inert.PrintableLine(c.Title), cis: "—", detail: inert.PrintableLine(c.Detail)}
		if c.CIS != "" {
			rows[i].cis = "CIS " + inert.PrintableLine(c.CIS)
		}
	}
	return rows
}

// wrapAtSpaces breaks s into lines of at most width cells at its spaces,
// never inside a word: a word wider than width has a line of its own, as
// wide as it is (a URL broken in two no longer opens; a screen reader reads
// it as one). A newline in s starts a new line. width 0 or less keeps each
// line whole.
func wrapAtSpaces(s string, width int) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		for _, l := range wrapUnder(para, width) {
			lines = append(lines, l.text)
		}
	}
	return lines
}

// wrappedLine is a line of wrapUnder; overlong when it is one word wider
// than the width.
type wrappedLine struct {
	text     string
	overlong bool
}

// wrapUnder is wrapAtSpaces saying which lines are a word too wide.
func wrapUnder(s string, width int) []wrappedLine {
	if width <= 0 || ansi.StringWidth(s) <= width {
		return []wrappedLine{{text: s}}
	}
	var lines []wrappedLine
	cur, curWidth := "", 0
	for _, word := range strings.Fields(s) {
		w := ansi.StringWidth(word)
		switch {
		case cur != "" && curWidth+1+w <= width:
			cur, curWidth = cur+" "+word, curWidth+1+w
			continue
		case cur != "":
			lines = append(lines, wrappedLine{text: cur})
		}
		cur, curWidth = word, w
		if w > width {
			lines = append(lines, wrappedLine{text: word, overlong: true})
			cur, curWidth = "", 0
		}
	}
	if cur != "" {
		lines = append(lines, wrappedLine{text: cur})
	}
	return lines
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
