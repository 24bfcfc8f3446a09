package steps

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// BudgetFacts is a cost budget and its alerts.
type BudgetFacts struct {
	awsops.Budget
	Alerts []awsops.BudgetAlert
}

// BillingRequest is what the billing step will do; each part is
// skippable. Budget makes a monthly cost budget of Amount USD that
// mails Email (or, when AddTo names a budget without alerts, adds the
// alerts to it); Report delivers CUR 2.0 into Bucket in Region;
// AccessOn is the user saying root turned on IAM access to billing.
// HadBudget and HadReport say the part was found done, so not doing it
// is no skip.
type BillingRequest struct {
	Budget bool
	Amount string
	Email  string
	AddTo  string
	Report bool
	BucketPlan
	Region    string
	AccessOn  bool
	HadBudget bool
	HadReport bool
	// ReportsUnread says the reports could not be read, so none was
	// offered: not doing one is no skip either.
	ReportsUnread bool
}

// The names the billing step gives what it makes.
const (
	BudgetName    = "monthly-cost"
	DefaultAmount = "10"
	ExportName    = "cost-and-usage-daily"
	ReportPrefix  = "cur2"
)

// BudgetAlerts are the alerts the step sets: actual spend past 80 % and
// 100 % of the budget, and a forecast past 100 %.
var BudgetAlerts = []awsops.BudgetAlert{
	{Kind: awsops.AlertActual, Percent: 80},
	{Kind: awsops.AlertActual, Percent: 100},
	{Kind: awsops.AlertForecast, Percent: 100},
}

// BillingAccessURL is where root turns on IAM access to billing.
const BillingAccessURL = "https://console.aws.amazon.com/billing/home#/account"

// What each part costs, said before anything is done.
const (
	BudgetCost = "The first two budgets of an account are free."
	ReportCost = "Free; its files are billed as S3 storage — cents a month."
	AccessCost = "Free."
)

// BillingAccessWhy is why IAM access to billing matters, and why
// awssecure cannot turn it on.
const BillingAccessWhy = "Until root turns it on, even your admin user gets Access Denied on the billing pages. " +
	"Only root can, and only in the console: no API does it."

// ReportBucketPrefix is how a report bucket's name begins:
// aws-billing-reports-ACCOUNT-SUFFIX.
func ReportBucketPrefix(account string) string { return "aws-billing-reports-" + account + "-" }

// ValidateBudgetAmount and ValidateEmail check the form's answers, as
// AWS would, before any call.
var (
	ValidateBudgetAmount = awsops.ValidateBudgetAmount
	ValidateEmail        = awsops.ValidateEmail
)

// Billing is the billing step (seed 001: billing reports): a budget that
// mails before the bill surprises, a daily Cost and Usage Report in a
// bucket only the billing service may write to, and IAM access to
// billing, which only root can turn on.
var Billing = FormStep[BillingRequest]{
	Step: Step{
		ID: "billing",
		Info: Info{
			Title: "See what you spend",
			Why: "A budget e-mails you before a bill surprises you; a daily billing report (CUR 2.0) shows what each service costs, " +
				"in a bucket only AWS billing may write to; and IAM access to billing lets your admin user see it all.",
			ConsolePath: "Billing → Budgets; Billing → Data Exports; Account → IAM access",
			ConsoleURL:  "https://console.aws.amazon.com/billing/home#/budgets",
		},
		Read:   readBilling,
		Checks: func(s Snapshot) []Check { return []Check{budgetCheck(s), reportCheck(s)} },
	},
	Done: func(s Snapshot) (string, bool) {
		b, r := alertingBudget(s.Budgets), s.ReportsErr == nil && len(s.Reports) > 0
		if s.BudgetsErr != nil || b == nil || !r || !s.BillingAccessOn {
			return "", false
		}
		return "budget " + b.Name + " e-mails " + alertList(b.Alerts) + ";\nbilling report " + s.Reports[0] + ";\nIAM access to billing on.", true
	},
	Default: func(s Snapshot) BillingRequest {
		region := s.TrailRegion
		if region == "" {
			region = awsops.DefaultRegion
		}
		in := BillingRequest{
			Budget: s.BudgetsErr != nil || alertingBudget(s.Budgets) == nil, Amount: DefaultAmount,
			Report: s.ReportsErr == nil && len(s.Reports) == 0, BucketPlan: s.ReportBucket, Region: region,
			AccessOn: s.BillingAccessOn,
		}
		_, in.HadBudget = BudgetDone(s)
		_, in.HadReport = ReportDone(s)
		in.ReportsUnread = s.ReportsErr != nil
		if b := silentBudget(s.Budgets, ""); b != nil && alertingBudget(s.Budgets) == nil {
			in.AddTo, in.Amount = b.Name, b.Amount
		}
		return in
	},
	Doing: func(in BillingRequest) string {
		var parts []string
		if in.Budget {
			parts = append(parts, "the budget")
		}
		if in.Report {
			parts = append(parts, "bucket "+in.Bucket+" and the billing report")
		}
		if len(parts) == 0 {
			return "Noting what you said…"
		}
		return "Setting up " + strings.Join(parts, " and ") + "…"
	},
	Apply: applyBilling,
	CLI:   billingCLI,
}

// BudgetDone and ReportDone say whether s shows that part done, and in
// what words, so the screen shows a done part instead of asking.
func BudgetDone(s Snapshot) (string, bool) {
	if b := alertingBudget(s.Budgets); s.BudgetsErr == nil && b != nil {
		return "Budget " + b.Name + " e-mails " + alertList(b.Alerts) + ".", true
	}
	return "", false
}

// ReportDone: see BudgetDone.
func ReportDone(s Snapshot) (string, bool) {
	if s.ReportsErr == nil && len(s.Reports) > 0 {
		return "Billing report " + s.Reports[0] + " is delivered.", true
	}
	return "", false
}

// ReportUnread says, when the billing reports could not be read, that
// and why: the screen offers no new report then, since the account may
// have one already.
func ReportUnread(s Snapshot) (string, bool) {
	if s.ReportsErr == nil {
		return "", false
	}
	e := Explain(s.ReportsErr)
	return "The billing reports could not be read, so awssecure offers no new one: there may be one already.\n" + e.What + "\n" + e.Fix, true
}

func readBilling(ctx context.Context, acct Account, s *Snapshot) {
	// The bucket a new report would use is looked for beside the reports,
	// not after them: a call more when a report exists, a round trip less
	// always.
	var bucket BucketPlan
	var bucketErr error
	together(
		func() { s.Budgets, s.BudgetsErr = readBudgets(ctx, acct, s.Caller.AccountID) },
		func() { s.ReportFacts, s.ReportsErr = readReportFacts(ctx, acct) },
		func() {
			bucket, bucketErr = findOwnBucket(ctx, acct, ReportBucketPrefix(s.Caller.AccountID), acct.Region())
		},
	)
	s.Reports = usableReports(s.ReportFacts)
	if s.ReportsErr == nil && len(s.Reports) == 0 {
		s.ReportBucket, s.ReportBucketErr = bucket, bucketErr
	}
}

// BillingUnread says the preflight could not read what the billing
// screen offers from: the budgets, the reports, or the bucket a new
// report would use. The screen reads them again as it opens
// (ReadBillingAgain): with the reports unread it offers no report, so a
// throttle that outlasted the retries at the start would otherwise cost
// the user the report.
func BillingUnread(s Snapshot) bool {
	return s.BudgetsErr != nil || s.ReportsErr != nil || s.ReportBucketErr != nil
}

// ReadBillingAgain reads the billing step's facts again; its Change
// records them.
func ReadBillingAgain(ctx context.Context, acct Account, caller awsops.Caller) Change {
	s := Snapshot{Caller: caller}
	readBilling(ctx, acct, &s)
	return func(snap *Snapshot) {
		snap.Budgets, snap.BudgetsErr = s.Budgets, s.BudgetsErr
		snap.ReportFacts, snap.Reports, snap.ReportsErr = s.ReportFacts, s.Reports, s.ReportsErr
		snap.ReportBucket, snap.ReportBucketErr = s.ReportBucket, s.ReportBucketErr
	}
}

// readBudgets lists the cost budgets, each with its alerts.
func readBudgets(ctx context.Context, acct Account, account string) ([]BudgetFacts, error) {
	all, err := acct.Budgets(ctx, account)
	if err != nil {
		return nil, err
	}
	var facts []BudgetFacts
	for _, b := range all {
		if b.Type == awsops.BudgetTypeCost {
			facts = append(facts, BudgetFacts{Budget: b})
		}
	}
	errs := make([]error, len(facts))
	var reads []func()
	for i := range facts {
		reads = append(reads, func() { facts[i].Alerts, errs[i] = acct.BudgetAlerts(ctx, account, facts[i].Name) })
	}
	together(reads...)
	if err := firstError(errs); err != nil {
		return nil, err
	}
	return facts, nil
}

// ReportFacts is a billing report: a Data Export or a legacy Cost and
// Usage Report, what it delivers and whether its delivery works.
type ReportFacts struct {
	Name   string
	Legacy bool
	// Table is an export's table (COST_AND_USAGE_REPORT, FOCUS_1_0_AWS,
	// CARBON_EMISSIONS…); "" for a legacy report, which is always cost
	// and usage, or when it could not be read (TableErr).
	Table    string
	TableErr error
	// Status is an export's HEALTHY or UNHEALTHY, a legacy report's last
	// delivery (SUCCESS, ERROR_PERMISSIONS, ERROR_NO_BUCKET; "" before
	// the first); Reason, AWS's reason for an unhealthy export.
	Status string
	Reason string
}

// Usable reports whether the report delivers cost and usage: a healthy
// export of CUR 2.0 or FOCUS, or a legacy report whose last delivery did
// not fail.
func (r ReportFacts) Usable() bool {
	if r.Legacy {
		return !strings.HasPrefix(r.Status, "ERROR")
	}
	return r.Status == awsops.ExportHealthy && r.TableErr == nil && awsops.CostAndUsage(r.Table)
}

// problem says, for a report that is not usable, its name and why, as
// AWS says it: a legacy report's last delivery, an export's status and
// reason, or the table it delivers.
func (r ReportFacts) problem() string {
	name := inert.PrintableLine(r.Name)
	switch {
	case r.Legacy:
		return name + ": last delivery " + inert.PrintableLine(r.Status)
	case r.Status != awsops.ExportHealthy:
		why := inert.PrintableLine(r.Status)
		if why == "" {
			why = "no status"
		}
		if r.Reason != "" {
			why += ", " + inert.PrintableLine(r.Reason)
		}
		return name + " is " + why
	}
	return name + " delivers " + inert.PrintableLine(orPlaceholder(r.Table, "no table")) + ", not cost and usage"
}

func usableReports(facts []ReportFacts) []string {
	var names []string
	for _, r := range facts {
		if r.Usable() {
			names = append(names, r.Name)
		}
	}
	return names
}

// readReportFacts reads the account's billing reports: the exports with
// their health and the legacy reports with their last delivery, at once;
// then, at once, the table of each healthy export (ListExports does not
// say it). An export found makes the legacy read's failure moot.
func readReportFacts(ctx context.Context, acct Account) ([]ReportFacts, error) {
	var exports []awsops.Export
	var legacy []awsops.LegacyReport
	var exportsErr, legacyErr error
	together(
		func() { exports, exportsErr = acct.Exports(ctx) },
		func() { legacy, legacyErr = acct.LegacyReports(ctx) },
	)
	if exportsErr != nil {
		return nil, exportsErr
	}
	facts := make([]ReportFacts, len(exports))
	var reads []func()
	for i, x := range exports {
		facts[i] = ReportFacts{Name: x.Name, Status: x.Status, Reason: x.StatusReason}
		if x.Status == awsops.ExportHealthy {
			reads = append(reads, func() {
				got, err := acct.Export(ctx, x.ARN)
				facts[i].Table, facts[i].TableErr = got.Table(), err
			})
		}
	}
	together(reads...)
	if legacyErr != nil && len(facts) == 0 {
		return nil, legacyErr
	}
	for _, r := range legacy {
		facts = append(facts, ReportFacts{Name: r.Name, Legacy: true, Status: r.LastStatus})
	}
	return facts, nil
}

// alertingBudget is the first cost budget with an alert, or nil.
func alertingBudget(budgets []BudgetFacts) *BudgetFacts {
	for i := range budgets {
		if len(budgets[i].Alerts) > 0 {
			return &budgets[i]
		}
	}
	return nil
}

// silentBudget is a cost budget without alerts to give them to: prefer,
// then ours, then the first; nil when there is none.
func silentBudget(budgets []BudgetFacts, prefer string) *BudgetFacts {
	var found *BudgetFacts
	for i := range budgets {
		b := &budgets[i]
		if len(b.Alerts) > 0 {
			continue
		}
		if b.Name == prefer {
			return b
		}
		if found == nil || b.Name == BudgetName && found.Name != prefer {
			found = b
		}
	}
	return found
}

func alertList(alerts []awsops.BudgetAlert) string {
	var words []string
	for _, a := range alerts {
		words = append(words, a.String())
	}
	return "alerts at " + strings.Join(words, ", ")
}

// applyBilling does each part asked for, reading first: a budget with
// alerts or a report made meanwhile (or by an interrupted run) is taken
// as it is; a budget without alerts gets them, never a second budget.
func applyBilling(ctx context.Context, acct Account, caller awsops.Caller, in BillingRequest) (Outcome, error) {
	var said []string
	changed := false
	var change []Change
	if in.Budget {
		budgets, s, ch, err := ensureBudget(ctx, acct, caller.AccountID, in)
		if err != nil {
			return Outcome{}, err
		}
		said, changed = append(said, s), changed || ch
		email := strings.TrimSpace(in.Email)
		change = append(change, func(snap *Snapshot) {
			snap.Budgets, snap.BudgetsErr = budgets, nil
			if email != "" {
				snap.BudgetEmail = email
			}
		})
	}
	if in.Report {
		facts, s, ch, err := ensureReport(ctx, acct, caller, in)
		if err != nil {
			return Outcome{}, err
		}
		said, changed = append(said, s...), changed || ch
		change = append(change, func(snap *Snapshot) {
			snap.ReportFacts, snap.Reports, snap.ReportsErr = facts, usableReports(facts), nil
		})
	}
	var left []string
	if !in.Budget && !in.HadBudget {
		left = append(left, "Budget skipped: nothing warns you when spending grows.")
	}
	switch {
	case in.ReportsUnread:
		left = append(left, "No billing report was offered: the billing reports could not be read, and there may be one already.")
	case !in.Report && !in.HadReport:
		left = append(left, "Billing report skipped.")
	}
	if in.AccessOn {
		said = append(said, "IAM access to billing is on, as you said.")
		change = append(change, func(snap *Snapshot) { snap.BillingAccessOn = true })
	} else {
		left = append(left, "IAM access to billing is not on yet: until root turns it on in the console, your admin user gets Access Denied on billing pages (the summary has the link).")
	}
	return Outcome{Changed: changed, Said: strings.Join(said, "\n"), Left: left, Change: func(s *Snapshot) {
		for _, ch := range change {
			ch(s)
		}
	}}, nil
}

// ensureBudget gives the account a cost budget with alerts: nothing when
// one has them; the missing alerts when a budget has none; else a new
// budget with its alerts in one call. It returns the budgets read after.
func ensureBudget(ctx context.Context, acct Account, account string, in BillingRequest) ([]BudgetFacts, string, bool, error) {
	budgets, err := readBudgets(ctx, acct, account)
	if err != nil {
		return nil, "", false, err
	}
	if b := alertingBudget(budgets); b != nil {
		return budgets, "Budget " + b.Name + " already e-mails " + alertList(b.Alerts) + "; nothing changed.", false, nil
	}
	name, said := BudgetName, ""
	if b := silentBudget(budgets, in.AddTo); b != nil {
		name, said = b.Name, "Budget "+b.Name+" now e-mails "+strings.TrimSpace(in.Email)+" "+alertList(BudgetAlerts)+"."
	} else {
		err := acct.CreateBudget(ctx, account, awsops.NewBudget{Name: name, Amount: in.Amount, Email: in.Email, Alerts: BudgetAlerts})
		switch {
		case err == nil:
			budgets, err := readBudgets(ctx, acct, account)
			return budgets, "Budget " + name + " (" + strings.TrimSpace(in.Amount) + " USD a month) e-mails " +
				strings.TrimSpace(in.Email) + " " + alertList(BudgetAlerts) + ".", true, err
		case !errors.Is(err, awsops.ErrAlreadyExists):
			return nil, "", false, err
		}
		// Made by this call's own lost reply, or meanwhile: give it what it lacks.
		said = "Budget " + name + " e-mails " + strings.TrimSpace(in.Email) + " " + alertList(BudgetAlerts) + "."
	}
	have, err := acct.BudgetAlerts(ctx, account, name)
	if err != nil {
		return nil, "", false, err
	}
	for _, a := range BudgetAlerts {
		if slices.Contains(have, a) {
			continue
		}
		if err := acct.AddBudgetAlert(ctx, account, name, a, in.Email); err != nil && !errors.Is(err, awsops.ErrAlreadyExists) {
			return nil, "", false, err
		}
	}
	budgets, err = readBudgets(ctx, acct, account)
	return budgets, said, true, err
}

// billingCLI is the aws CLI for in, with the user's amount, address and
// bucket in shell variables: alerts.json (BudgetAlerts, each e-mailing
// the address), the bucket made with awssecure's mark (bucketCreateCLI),
// policy.json (ReportBucketPolicy; for a new bucket: awssecure adds it
// beside a policy there) and export.json (what CreateExport sends), each
// written first (fileCLI). Block Public Access, SSE-S3 and
// BucketOwnerEnforced, which awssecure sets too, are what S3 gives a new
// bucket anyway.
func billingCLI(caller awsops.Caller, in BillingRequest) string {
	if !in.Budget && !in.Report {
		return "# nothing to run: root turns on IAM access to billing in the console:\n# " + BillingAccessURL
	}
	vars := []string{"A", caller.AccountID}
	if in.Budget {
		vars = append(vars, "E", orPlaceholder(strings.TrimSpace(in.Email), "you@example.com"))
		if in.AddTo == "" {
			vars = append(vars, "L", "Amount="+orPlaceholder(strings.TrimSpace(in.Amount), DefaultAmount)+",Unit=USD")
		} else {
			vars = append(vars, "N", in.AddTo)
		}
	}
	if in.Report {
		vars = append(vars, "B", in.Bucket, "R", in.Region)
	}
	cmds := []string{assignments(vars...)}
	switch {
	case in.Budget && in.AddTo != "":
		cmds = append(cmds, "X=ComparisonOperator=GREATER_THAN,ThresholdType=PERCENTAGE")
		for _, a := range BudgetAlerts {
			cmds = append(cmds, `aws budgets create-notification --account-id "$A" --budget-name "$N"`+
				` --notification "NotificationType=`+a.Kind+`,Threshold=`+strconv.FormatFloat(a.Percent, 'f', -1, 64)+`,$X"`+
				` --subscribers "SubscriptionType=EMAIL,Address=$E"`)
		}
	case in.Budget:
		cmds = append(cmds, fileCLI("alerts.json", awsops.BudgetAlertsDocument(BudgetAlerts, shellVar("E"))),
			`aws budgets create-budget --account-id "$A" --notifications-with-subscribers file://alerts.json`+
				` --budget "BudgetName=`+BudgetName+`,BudgetType=COST,TimeUnit=MONTHLY,BudgetLimit={$L}"`)
	}
	if in.Report {
		p := caller.Partition()
		export := awsops.NewExport{Name: ExportName, Bucket: shellVar("B"), Prefix: ReportPrefix, Region: shellVar("R"), Owner: shellVar("A")}
		cmds = append(append(cmds, bucketCreateCLI(in.Region)...),
			fileCLI("policy.json", ReportBucketPolicy(p, shellVar("B"), shellVar("A"))),
			`aws s3api put-bucket-policy --bucket "$B" --policy file://policy.json`,
			fileCLI("export.json", export.Document()),
			"aws bcm-data-exports create-export --region "+awsops.BillingRegion+" --export file://export.json")
	}
	return strings.Join(cmds, "\n")
}

func orPlaceholder(s, placeholder string) string {
	if s == "" {
		return placeholder
	}
	return s
}

func budgetCheck(s Snapshot) Check {
	const title = "Budget with alerts"
	if s.BudgetsErr != nil {
		return unknown(CheckBudget, title, "", s.BudgetsErr)
	}
	if b := alertingBudget(s.Budgets); b != nil {
		return Check{CheckBudget, Pass, title, "budget " + b.Name + " e-mails " + alertList(b.Alerts), ""}
	}
	if len(s.Budgets) > 0 {
		return Check{CheckBudget, Warn, title, "budget " + s.Budgets[0].Name + " has no alerts: nobody is told", ""}
	}
	return Check{CheckBudget, Fail, title, "no cost budget: a surprise shows only on the bill", ""}
}

// reportCheck passes a report that delivers cost and usage: a healthy
// export of CUR 2.0 or FOCUS, or a legacy report delivered. An export
// unhealthy (its bucket's policy changed, say) or of another table
// (carbon emissions, recommendations) warns, with AWS's reason.
func reportCheck(s Snapshot) Check {
	const title = "Billing report"
	if s.ReportsErr != nil {
		return unknown(CheckBillingReport, title, "", s.ReportsErr)
	}
	var good, bad []string
	var unread error
	for _, r := range s.ReportFacts {
		name := inert.PrintableLine(r.Name)
		switch {
		case r.Usable() && r.Legacy:
			good = append(good, name+" (legacy Cost and Usage Report)")
		case r.Usable():
			good = append(good, name+" ("+inert.PrintableLine(r.Table)+")")
		case r.Legacy || r.Status != awsops.ExportHealthy || r.TableErr == nil:
			bad = append(bad, r.problem())
		default:
			unread = r.TableErr
		}
	}
	switch {
	case len(good) > 0:
		detail := "delivered: " + strings.Join(good, ", ")
		if len(bad) > 0 {
			detail += "; not usable: " + strings.Join(bad, "; ")
		}
		return Check{CheckBillingReport, Pass, title, detail, ""}
	case unread != nil:
		return unknown(CheckBillingReport, title, "", unread)
	case len(bad) > 0:
		return Check{CheckBillingReport, Warn, title, "no report delivers cost and usage: " + strings.Join(bad, "; "), ""}
	}
	return Check{CheckBillingReport, Warn, title, "no Cost and Usage Report: what each service costs is not kept", ""}
}
