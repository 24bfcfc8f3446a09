package ui

import (
	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// The account's own data (a budget's name, an account's name in the
// organization, a contact typed by someone else, AWS's words in an error)
// reaches every view through these, so that an escape sequence in it is
// shown, never obeyed: a budget named "ops\x1b[2J\x1b[32m✓ all checks pass"
// had cleared the screen and printed a green line of its own. What is
// drawn changes, never the report: --json and the exit code keep the
// values exactly as AWS gave them.

// printableCheck is c with every text in it printable on one line.
func printableCheck(c steps.Check) steps.Check {
	c.ID, c.Title, c.Detail, c.CIS = inert.PrintableLine(c.ID), inert.PrintableLine(c.Title), inert.PrintableLine(c.Detail), inert.PrintableLine(c.CIS)
	return c
}

// printableOrgReport is r as a view may draw it: each account's id, name
// and error, and each check, printable. r is not changed.
func printableOrgReport(r steps.OrgReport) steps.OrgReport {
	r.OrganizationID = inert.PrintableLine(r.OrganizationID)
	accounts := make([]steps.AccountReport, len(r.Accounts))
	for i, a := range r.Accounts {
		a.AccountID, a.Name, a.Error = inert.PrintableLine(a.AccountID), inert.PrintableLine(a.Name), inert.PrintableLine(a.Error)
		checks := make([]steps.Check, len(a.Checks))
		for j, c := range a.Checks {
			checks[j] = printableCheck(c)
		}
		a.Checks = checks
		accounts[i] = a
	}
	r.Accounts = accounts
	return r
}
