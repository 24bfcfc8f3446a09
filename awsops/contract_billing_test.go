package awsops_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// exportReader reads an export back; both backends can.
type exportReader interface {
	Export(ctx context.Context, arn string) (awsops.Export, error)
}

const reportBucket = "aws-billing-reports-contract-abcd1234"

var tenUSD = awsops.NewBudget{Name: "monthly-cost", Amount: "10", Email: "owner@example.com", Alerts: steps.BudgetAlerts}

// reportBucketFor makes a bucket with the billing report's policy.
func reportBucketFor(t *testing.T, ctx context.Context, a account) {
	t.Helper()
	c := must[awsops.Caller](t)(a.WhoAmI(ctx))
	mustDo(t, a.CreateBucket(ctx, reportBucket, a.Region()))
	mustDo(t, a.SetBucketPolicy(ctx, reportBucket, steps.ReportBucketPolicy("aws", reportBucket, c.AccountID)))
}

func accountOf(t *testing.T, ctx context.Context, a account) string {
	t.Helper()
	return must[awsops.Caller](t)(a.WhoAmI(ctx)).AccountID
}

var billingContractCases = []contractCase{
	{"new account has no budget and no report", func(t *testing.T, ctx context.Context, a account) {
		if got := must[[]awsops.Budget](t)(a.Budgets(ctx, accountOf(t, ctx, a))); len(got) != 0 {
			t.Errorf("budgets = %+v", got)
		}
		if got := must[[]awsops.Export](t)(a.Exports(ctx)); len(got) != 0 {
			t.Errorf("exports = %+v", got)
		}
		if got := must[[]awsops.LegacyReport](t)(a.LegacyReports(ctx)); len(got) != 0 {
			t.Errorf("legacy reports = %v", got)
		}
	}},
	{"budget made with its alerts, read back", func(t *testing.T, ctx context.Context, a account) {
		id := accountOf(t, ctx, a)
		mustDo(t, a.CreateBudget(ctx, id, tenUSD))
		got := must[[]awsops.Budget](t)(a.Budgets(ctx, id))
		if len(got) != 1 || got[0].Name != "monthly-cost" || got[0].Type != awsops.BudgetTypeCost || got[0].Period != "MONTHLY" ||
			!strings.HasPrefix(got[0].Amount, "10") || got[0].Unit != "USD" {
			t.Errorf("budgets = %+v", got)
		}
		if alerts := must[[]awsops.BudgetAlert](t)(a.BudgetAlerts(ctx, id, "monthly-cost")); !slices.Equal(alerts, steps.BudgetAlerts) {
			t.Errorf("alerts = %v, want %v", alerts, steps.BudgetAlerts)
		}
	}},
	{"budget made twice: already exists, still one", func(t *testing.T, ctx context.Context, a account) {
		id := accountOf(t, ctx, a)
		mustDo(t, a.CreateBudget(ctx, id, tenUSD))
		wantKind(t, a.CreateBudget(ctx, id, tenUSD), awsops.ErrAlreadyExists)
		if got := must[[]awsops.Budget](t)(a.Budgets(ctx, id)); len(got) != 1 {
			t.Errorf("budgets = %+v", got)
		}
	}},
	{"budget without alerts gets one", func(t *testing.T, ctx context.Context, a account) {
		id := accountOf(t, ctx, a)
		silent := tenUSD
		silent.Name, silent.Alerts = "team-budget", nil
		mustDo(t, a.CreateBudget(ctx, id, silent))
		if alerts := must[[]awsops.BudgetAlert](t)(a.BudgetAlerts(ctx, id, "team-budget")); len(alerts) != 0 {
			t.Errorf("alerts = %v", alerts)
		}
		mustDo(t, a.AddBudgetAlert(ctx, id, "team-budget", steps.BudgetAlerts[0], "owner@example.com"))
		if alerts := must[[]awsops.BudgetAlert](t)(a.BudgetAlerts(ctx, id, "team-budget")); !slices.Equal(alerts, steps.BudgetAlerts[:1]) {
			t.Errorf("alerts = %v", alerts)
		}
	}},
	{"alert on a missing budget: not found", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.AddBudgetAlert(ctx, accountOf(t, ctx, a), "no-such-budget", steps.BudgetAlerts[0], "owner@example.com"), awsops.ErrNotFound)
	}},
	{"bad amount, address or name: refused before a call", func(t *testing.T, ctx context.Context, a account) {
		id := accountOf(t, ctx, a)
		for _, b := range []awsops.NewBudget{
			{Name: "x", Amount: "0", Email: "a@example.com", Alerts: steps.BudgetAlerts},
			{Name: "x", Amount: "1e9", Email: "a@example.com", Alerts: steps.BudgetAlerts},
			{Name: "x", Amount: "10", Email: "a@example.com, b@example.com", Alerts: steps.BudgetAlerts},
			{Name: "a:b", Amount: "10", Email: "a@example.com", Alerts: steps.BudgetAlerts},
		} {
			wantKind(t, a.CreateBudget(ctx, id, b), awsops.ErrInvalidInput)
		}
		wantKind(t, a.AddBudgetAlert(ctx, id, "x", steps.BudgetAlerts[0], "no address"), awsops.ErrInvalidInput)
		if got := must[[]awsops.Budget](t)(a.Budgets(ctx, id)); len(got) != 0 {
			t.Errorf("budgets = %+v", got)
		}
	}},
	{"export made into a bucket, listed and read back", func(t *testing.T, ctx context.Context, a account) {
		id := accountOf(t, ctx, a)
		reportBucketFor(t, ctx, a)
		arn := must[string](t)(a.CreateExport(ctx, awsops.NewExport{Name: "cost-and-usage-daily", Bucket: reportBucket, Prefix: "cur2", Region: "us-east-1", Owner: id}))
		if !strings.HasPrefix(arn, "arn:aws:bcm-data-exports:us-east-1:"+id+":export/cost-and-usage-daily") {
			t.Errorf("arn = %q", arn)
		}
		list := must[[]awsops.Export](t)(a.Exports(ctx))
		if len(list) != 1 || list[0].Name != "cost-and-usage-daily" || list[0].ARN != arn || list[0].Status != awsops.ExportHealthy || list[0].StatusReason != "" {
			t.Errorf("exports = %+v", list)
		}
		got := must[awsops.Export](t)(a.(exportReader).Export(ctx, arn))
		if got.Bucket != reportBucket || got.Prefix != "cur2" || got.Region != "us-east-1" || got.Owner != id || got.Format != "PARQUET" ||
			got.Overwrite != "OVERWRITE_REPORT" || got.Query != awsops.CUR2Query || got.Tables["COST_AND_USAGE_REPORT"]["TIME_GRANULARITY"] != "DAILY" ||
			got.Status != awsops.ExportHealthy || got.Table() != awsops.TableCostAndUsage {
			t.Errorf("export = %+v", got)
		}
	}},
	{"export of a taken name: invalid, still one", func(t *testing.T, ctx context.Context, a account) {
		id := accountOf(t, ctx, a)
		reportBucketFor(t, ctx, a)
		x := awsops.NewExport{Name: "cost-and-usage-daily", Bucket: reportBucket, Prefix: "cur2", Region: "us-east-1", Owner: id}
		must[string](t)(a.CreateExport(ctx, x))
		_, err := a.CreateExport(ctx, x)
		wantKind(t, err, awsops.ErrInvalidInput)
		if list := must[[]awsops.Export](t)(a.Exports(ctx)); len(list) != 1 {
			t.Errorf("exports = %+v", list)
		}
	}},
	{"reading a missing export: not found", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.(exportReader).Export(ctx, "arn:aws:bcm-data-exports:us-east-1:"+accountOf(t, ctx, a)+":export/ghost")
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"bad export name: refused before a call", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.CreateExport(ctx, awsops.NewExport{Name: "no spaces", Bucket: reportBucket, Prefix: "cur2", Region: "us-east-1"})
		wantKind(t, err, awsops.ErrInvalidInput)
	}},
}

// What moto (or the double) does not imitate, held to the practice account.
var practiceOnlyBillingCases = []contractCase{
	{"the same alert twice: already exists", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBudget(ctx, awsops.PracticeAccountID, tenUSD))
		wantKind(t, a.AddBudgetAlert(ctx, awsops.PracticeAccountID, "monthly-cost", steps.BudgetAlerts[0], "owner@example.com"), awsops.ErrAlreadyExists)
	}},
	{"alerts of a missing budget: not found (moto answers 500)", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.BudgetAlerts(ctx, awsops.PracticeAccountID, "ghost")
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"export into a bucket that does not admit Data Exports: refused", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, reportBucket, "us-east-1"))
		_, err := a.CreateExport(ctx, awsops.NewExport{Name: "cur", Bucket: reportBucket, Prefix: "cur2", Region: "us-east-1", Owner: awsops.PracticeAccountID})
		wantKind(t, err, awsops.ErrInvalidInput)
		_, err = a.CreateExport(ctx, awsops.NewExport{Name: "cur", Bucket: "no-such-bucket-here", Prefix: "cur2", Region: "us-east-1"})
		wantKind(t, err, awsops.ErrInvalidInput)
	}},
	{"another account's budgets: access denied", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.Budgets(ctx, "999999999999")
		wantKind(t, err, awsops.ErrAccessDenied)
	}},
}

func TestContractBilling(t *testing.T) {
	for _, backend := range []string{"practice", "moto"} {
		for _, tc := range billingContractCases {
			t.Run(backend+"/"+tc.name, func(t *testing.T) {
				tc.run(t, awstest.Context(t), backends[backend](t))
			})
		}
	}
	for _, tc := range practiceOnlyBillingCases {
		t.Run("practice/"+tc.name, func(t *testing.T) {
			tc.run(t, awstest.Context(t), backends["practice"](t))
		})
	}
}

// The Data Exports double answers as AWS does: a legacy report is listed,
// a denied call is AccessDenied naming the action, and exports take pages.
func TestDataExportsDouble(t *testing.T) {
	_, _ = newClient(t)
	double := moto.UseDataExports(t)
	c := must[*awsops.Client](t)(awsops.New(awstest.Context(t), awsops.Options{}))
	ctx := awstest.Context(t)
	double.AddLegacyReport("old-cur", "SUCCESS")
	if got := must[[]awsops.LegacyReport](t)(c.LegacyReports(ctx)); !slices.Equal(got, []awsops.LegacyReport{{Name: "old-cur", LastStatus: "SUCCESS"}}) {
		t.Errorf("legacy = %v", got)
	}
	mustDo(t, c.CreateBucket(ctx, reportBucket, "us-east-1"))
	for _, name := range []string{"a", "b", "c"} {
		must[string](t)(c.CreateExport(ctx, awsops.NewExport{Name: name, Bucket: reportBucket, Prefix: "cur2", Region: "us-east-1", Owner: "123456789012"}))
	}
	if got := must[[]awsops.Export](t)(c.Exports(ctx)); len(got) != 3 {
		t.Errorf("exports over pages = %+v", got)
	}
	double.Deny("CreateExport")
	_, err := c.CreateExport(ctx, awsops.NewExport{Name: "d", Bucket: reportBucket, Prefix: "cur2", Region: "us-east-1"})
	wantKind(t, err, awsops.ErrAccessDenied)
	if awsops.ActionOf(err) != "bcm-data-exports:CreateExport" {
		t.Errorf("action = %q", awsops.ActionOf(err))
	}
	if calls := double.Calls(); !slices.Contains(calls, "ListExports") || !slices.Contains(calls, "DescribeReportDefinitions") {
		t.Errorf("calls = %v", calls)
	}
}
