package ui

import (
	"strings"

	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// billingSpec is the billing step's screen: three parts, each one page
// of the form, each skippable, each with its cost before anything is
// done. A part found done shows as done instead of asking.
var billingSpec = formSpec[steps.BillingRequest]{
	step:    steps.Billing,
	form:    newBillingForm,
	fresh:   steps.ReadBillingAgain,
	freshIf: steps.BillingUnread,
}

// newBillingForm asks, page by page: the budget (yes, then amount and
// address; enter takes 10 USD, but the address must be typed), the
// billing report (yes), and whether root has turned on IAM access to
// billing (not yet, until the user says so).
func newBillingForm(c *common, in steps.BillingRequest) (*huh.Form, func() steps.BillingRequest) {
	var groups []*huh.Group
	intro := "Three parts; each can be skipped (answer Skip)."

	budgetSaid, budgetDone := steps.BudgetDone(c.snapshot)
	if budgetDone {
		in.Budget = false
		groups = append(groups, huh.NewGroup(huh.NewNote().Title("1. Budget").Description(noteText(intro+"\n\n✓ "+inert.Printable(budgetSaid))).Next(true).NextLabel("Next")))
	} else {
		title := "1. A monthly cost budget that e-mails you?"
		if in.AddTo != "" {
			title = "1. Budget " + inert.PrintableLine(in.AddTo) + " has no alerts. Add them?"
		}
		groups = append(groups,
			huh.NewGroup(huh.NewConfirm().Title(title).
				Description(intro+"\n\nAlerts when actual spend passes 80 % and 100 % of the amount,\nand when the forecast passes 100 %.\nCost: "+steps.BudgetCost).
				Affirmative("Yes").Negative("Skip").Value(&in.Budget)))
		var fields []huh.Field
		if in.AddTo == "" {
			fields = append(fields, huh.NewInput().Title("Amount, USD a month").Description("more than 0, at most two decimals").
				Value(&in.Amount).Validate(trimmed(steps.ValidateBudgetAmount)).CharLimit(16))
		}
		fields = append(fields, huh.NewInput().Title("E-mail for the alerts").Description("one address; type it (shift+tab goes back to Skip)").
			Value(&in.Email).Validate(trimmed(steps.ValidateEmail)).CharLimit(260))
		groups = append(groups, huh.NewGroup(fields...).WithHideFunc(func() bool { return !in.Budget }))
	}

	reportSaid, reportDone := steps.ReportDone(c.snapshot)
	unread, unreadable := steps.ReportUnread(c.snapshot)
	switch {
	case reportDone:
		in.Report = false
		groups = append(groups, huh.NewGroup(huh.NewNote().Title("2. Billing report").Description(noteText("✓ "+reportSaid)).Next(true).NextLabel("Next")))
	case unreadable:
		in.Report = false
		groups = append(groups, huh.NewGroup(huh.NewNote().Title("2. Billing report").Description(noteText("! "+unread)).Next(true).NextLabel("Next")))
	default:
		bucket := "private, encrypted, only AWS billing may write.\n"
		if s := steps.UntouchedSaid(in.Untouched); s != "" {
			bucket += s + "\n"
		}
		groups = append(groups, huh.NewGroup(huh.NewConfirm().Title("2. A daily billing report (CUR 2.0)?").
			Description("Each service's cost per day, as Parquet files, in bucket\n"+in.Bucket+" ("+in.Region+"):\n"+bucket+"Cost: "+steps.ReportCost).
			Affirmative("Yes").Negative("Skip").Value(&in.Report)))
	}

	if in.AccessOn {
		groups = append(groups, huh.NewGroup(huh.NewNote().Title("3. IAM access to billing").Description(noteText("✓ On, as you said.")).Next(true).NextLabel("Done")))
	} else {
		groups = append(groups, huh.NewGroup(
			huh.NewNote().Title("3. IAM access to billing (root, in the console)").
				Description(noteText(steps.BillingAccessWhy+"\nAs root: "+steps.BillingAccessURL+"\n→ IAM user and role access to Billing information → Edit →\nActivate IAM Access → Update. Cost: "+steps.AccessCost)),
			huh.NewConfirm().Title("Is it on?").Affirmative("Yes, I turned it on").Negative("Not yet").Value(&in.AccessOn),
		))
	}
	return huh.NewForm(groups...), func() steps.BillingRequest {
		in.Amount, in.Email = strings.TrimSpace(in.Amount), strings.TrimSpace(in.Email)
		return in
	}
}
