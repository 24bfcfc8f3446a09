package ui

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// columnLabels are the grid's short column headers. A check missing here
// (one added later) gets its number instead, as every check does when
// the labels do not fit the width; the legend names each column.
var columnLabels = map[string]string{
	steps.CheckRootMFA:           "rMFA",
	steps.CheckRootAccessKeys:    "rKey",
	steps.CheckPasswordPolicy:    "pwd",
	steps.CheckAdminGroup:        "grp",
	steps.CheckAdminUser:         "user",
	steps.CheckAdminUserMFA:      "uMFA",
	steps.CheckAccountAlias:      "alias",
	steps.CheckOptInRegions:      "rgn",
	"cloudtrail":                 "trail",
	"budget":                     "budg",
	"billing-report":             "bill",
	"security-contact":           "cont",
	"s3-public-access-block":     "s3BPA",
	"ebs-default-encryption":     "ebs",
	"access-analyzer":            "aa",
	"guardduty":                  "gd",
	steps.CheckUserPolicies:      "uPol",
	steps.CheckKeysRotated:       "keys",
	steps.CheckUnusedCredentials: "idle",
	steps.CheckRootActivityAlert: "rAlrt",
}

// gridCell names one cell of the grid: an account and a check.
type gridCell struct{ account, check string }

// gridColumns are the checks of the report's accounts, in the checklist's
// order (steps.Checks), whatever checks the registry holds.
func gridColumns(r steps.OrgReport) []steps.Check {
	for _, a := range r.Accounts {
		if a.Error == "" {
			return a.Checks
		}
	}
	return steps.Checks(steps.Snapshot{})
}

// renderGrid draws one row per account and one column per check, fitting
// width cells: a symbol per cell, the account's name and id on the left,
// then a legend of the columns and symbols and each unread account's
// reason. changed cells (since the last refresh) are highlighted.
func renderGrid(r steps.OrgReport, width int, st Styles, changed map[gridCell]bool) []string {
	r = printableOrgReport(r)
	checks := gridColumns(r)
	idWidth, nameWidth := 12, 20
	labels := make([]string, len(checks))
	cols := 0
	for i, c := range checks {
		labels[i] = columnLabels[c.ID]
		if labels[i] == "" {
			labels[i] = strconv.Itoa(i + 1)
		}
		cols += max(lipgloss.Width(labels[i]), 1) + 1
	}
	if nameWidth+idWidth+2+cols > width {
		// Numbers take two or three cells a column, labels up to six.
		cols = 0
		for i := range checks {
			labels[i] = strconv.Itoa(i + 1)
			cols += len(labels[i]) + 1
		}
	}
	if width-idWidth-2-cols < 12 {
		// Too narrow for the ids too: the names are the rows' labels
		// (an unread account's id is in its reason below).
		idWidth = 0
	}
	nameWidth = max(8, min(32, width-idWidth-2-cols))
	var lines []string
	header := padRight("Account", nameWidth) + " " + padRight("", idWidth) + " "
	if idWidth == 0 {
		header = padRight("Account", nameWidth) + " "
	}
	for _, l := range labels {
		header += " " + l
	}
	lines = append(lines, st.Subtle.Render(header))
	var unread []steps.AccountReport
	for _, a := range r.Accounts {
		line := padRight(ansi.Truncate(a.Name, nameWidth, "…"), nameWidth) + " " + padRight(a.AccountID, idWidth) + " "
		if idWidth == 0 {
			line = padRight(ansi.Truncate(a.Name, nameWidth, "…"), nameWidth) + " "
		}
		if a.Error != "" {
			unread = append(unread, a)
		}
		for i, c := range checks {
			cell := st.Subtle.Render("·")
			if a.Error == "" && i < len(a.Checks) {
				cell = statusSymbol(st, a.Checks[i].Status)
			}
			if a.Error == "" && changed[gridCell{a.AccountID, c.ID}] {
				cell = st.Changed.Render(ansi.Strip(cell))
			}
			line += " " + padRight("", lipgloss.Width(labels[i])-1) + cell
		}
		lines = append(lines, line)
	}
	lines = append(lines, "")
	var legend []string
	for i, c := range checks {
		legend = append(legend, labels[i]+" "+c.ID)
	}
	lines = append(lines, wrapWords(st.Subtle, strings.Join(legend, " · "), width)...)
	lines = append(lines, st.Subtle.Render("✓ pass  ✗ fail  ! warn  ? unknown  · not read"))
	for _, a := range unread {
		lines = append(lines, wrapWords(st.Fail, a.Name+" ("+a.AccountID+"): "+a.Error, width)...)
	}
	return lines
}

// wrapWords wraps s at spaces to width and styles each line; a word
// is never cut (ansi.Wordwrap cut "s3-public-access-" from "block").
func wrapWords(style lipgloss.Style, s string, width int) []string {
	var lines []string
	for _, l := range wrapAtSpaces(s, width) {
		lines = append(lines, style.Render(l))
	}
	return lines
}

// orgSummary is the grid's last line: how many accounts pass and fail.
func orgSummary(r steps.OrgReport, strict bool, st Styles) string {
	var failing, unread int
	for _, a := range r.Accounts {
		switch {
		case a.Error != "":
			unread++
		case a.Failing(strict):
			failing++
		}
	}
	s := fmt.Sprintf("%d accounts: %d all pass, %d to fix, %d not read", len(r.Accounts), len(r.Accounts)-failing-unread, failing, unread)
	if failing+unread > 0 {
		return st.Fail.Render(s + ".")
	}
	return st.Done.Render(s + " — nothing to fix.")
}

// PrintOrgGrid writes the organization's grid for a person, fitting width
// cells (80 for a pipe): a title, the grid, its legend and a summary line.
// styled is as in PrintChecklist.
func PrintOrgGrid(w io.Writer, r steps.OrgReport, strict, styled bool, width int) error {
	st := NewStyles(true)
	if !styled {
		st = Styles{}
	}
	var b strings.Builder
	b.WriteString(st.Title.Render("Organization "+inert.PrintableLine(r.OrganizationID)) + "\n\n")
	for _, l := range renderGrid(r, width, st, nil) {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n" + orgSummary(r, strict, st) + "\n")
	if !styled {
		_, err := io.WriteString(w, b.String())
		return err
	}
	_, err := lipgloss.Fprint(w, b.String())
	return err
}
