package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

var moto *awstest.Moto

func TestMain(m *testing.M) {
	awstest.RunWithMoto(m, &moto, func() {
		if binDir != "" {
			os.RemoveAll(binDir)
		}
	})
}

// checkIDs is the schema's fixed list, in its order.
var checkIDs = []string{"root-mfa", "root-access-keys", "password-policy", "admin-group", "admin-user", "admin-user-mfa", "account-alias", "opt-in-regions",
	"cloudtrail", "budget", "billing-report", "security-contact", "s3-public-access-block", "ebs-default-encryption", "access-analyzer", "guardduty",
	"iam-user-policies", "access-keys-rotated", "unused-credentials", "root-activity-alert"}

// statusRun is one `awssecure status` run and what it printed.
type statusRun struct {
	code           int
	stdout, stderr string
}

func runCLI(args ...string) statusRun {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return statusRun{code, stdout.String(), stderr.String()}
}

// parseJSON checks the output against the schema in DESIGN.md (exact keys,
// fixed ids in order, known statuses, nothing else on stdout) and returns
// each check's status and detail by id.
func parseJSON(t *testing.T, out string) (statuses map[string]steps.CheckStatus, details map[string]string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var doc map[string]json.RawMessage
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if dec.More() {
		t.Errorf("stdout holds more than the JSON document:\n%s", out)
	}
	if keys := slices.Sorted(maps.Keys(doc)); !slices.Equal(keys, []string{"account_id", "benchmark", "caller_arn", "checks"}) {
		t.Errorf("top-level keys = %v", keys)
	}
	var benchmark, account, caller string
	json.Unmarshal(doc["benchmark"], &benchmark)
	if benchmark != "CIS AWS Foundations Benchmark v3.0.0" {
		t.Errorf("benchmark = %q", benchmark)
	}
	json.Unmarshal(doc["account_id"], &account)
	json.Unmarshal(doc["caller_arn"], &caller)
	if len(account) != 12 || !strings.HasPrefix(caller, "arn:aws:") {
		t.Errorf("account_id %q, caller_arn %q", account, caller)
	}
	var checks []map[string]string
	if err := json.Unmarshal(doc["checks"], &checks); err != nil {
		t.Fatalf("checks: %v", err)
	}
	statuses, details = map[string]steps.CheckStatus{}, map[string]string{}
	var ids []string
	for _, c := range checks {
		if keys := slices.Sorted(maps.Keys(c)); !slices.Equal(keys, []string{"cis", "detail", "id", "status", "title"}) {
			t.Errorf("check keys = %v", keys)
		}
		if !slices.Contains([]string{"pass", "fail", "warn", "unknown"}, c["status"]) {
			t.Errorf("%s: status %q is not in the schema", c["id"], c["status"])
		}
		ids = append(ids, c["id"])
		statuses[c["id"]], details[c["id"]] = steps.CheckStatus(c["status"]), c["detail"]
	}
	if !slices.Equal(ids, checkIDs) {
		t.Errorf("check ids = %v, want %v", ids, checkIDs)
	}
	return statuses, details
}

// parseText reads the status of each check from the plain-text checklist
// by its title and symbol.
func parseText(t *testing.T, out string) map[string]steps.CheckStatus {
	t.Helper()
	symbols := map[string]steps.CheckStatus{"✓": steps.Pass, "✗": steps.Fail, "!": steps.Warn, "?": steps.Unknown}
	titles := map[string]string{}
	for _, c := range steps.Checks(steps.Snapshot{}) {
		titles[c.Title] = c.ID
	}
	got := map[string]steps.CheckStatus{}
	for _, line := range strings.Split(out, "\n") {
		symbol, rest, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		for title, id := range titles {
			if strings.HasPrefix(rest, title+" ") {
				got[id] = symbols[symbol]
			}
		}
	}
	if len(got) != len(checkIDs) {
		t.Errorf("text output has %d check rows, want %d:\n%s", len(got), len(checkIDs), out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("text output to a non-terminal holds escape codes:\n%q", out)
	}
	return got
}

// Against moto, account states built with the SDK give each check the
// status the account deserves, in text and JSON alike, with the right exit
// code, and status itself writes nothing.
func TestStatusAgainstMoto(t *testing.T) {
	strong := awsops.PasswordPolicy{MinimumLength: 14, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, AllowUsersToChange: true, ReusePrevention: 24}
	adminGroup := func(ctx context.Context, c *awsops.Client) error {
		_, err := c.EnsureGroupWithPolicy(ctx, "administrators", "arn:aws:iam::aws:policy/AdministratorAccess")
		return err
	}
	adminUser := func(console, mfa bool) func(context.Context, *awsops.Client) error {
		return func(ctx context.Context, c *awsops.Client) error {
			if err := adminGroup(ctx, c); err != nil {
				return err
			}
			if _, err := c.CreateUser(ctx, "alice"); err != nil {
				return err
			}
			if _, err := c.EnsureUserInGroup(ctx, "alice", "administrators"); err != nil {
				return err
			}
			if console {
				if err := c.CreateLoginProfile(ctx, "alice", awsops.NewSecret("Xy7!status-test-pass"), true); err != nil {
					return err
				}
			}
			if mfa {
				dev, err := c.CreateVirtualMFADevice(ctx, "alice")
				if err != nil {
					return err
				}
				c1, c2 := awsops.PhoneCodes(dev.Seed, time.Now())
				return c.EnableMFADevice(ctx, "alice", dev.Serial, c1, c2)
			}
			return nil
		}
	}
	// trail makes a bucket with CloudTrail's policy and a trail logging
	// into it, as asked.
	trail := func(multiRegion, validation, logging bool) func(context.Context, *awsops.Client) error {
		return func(ctx context.Context, c *awsops.Client) error {
			const bucket, arn = "status-trail-logs", "arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events"
			if err := c.CreateBucket(ctx, bucket, "us-east-1"); err != nil {
				return err
			}
			if err := c.SetBucketPolicy(ctx, bucket, steps.TrailBucketPolicy("aws", bucket, "123456789012", arn)); err != nil {
				return err
			}
			if _, err := c.CreateTrail(ctx, awsops.TrailSettings{Name: "management-events", Bucket: bucket, MultiRegion: multiRegion, Validation: validation}); err != nil {
				return err
			}
			if logging {
				return c.StartLogging(ctx, arn)
			}
			return nil
		}
	}
	budget := func(alerts []awsops.BudgetAlert) func(context.Context, *awsops.Client) error {
		return func(ctx context.Context, c *awsops.Client) error {
			return c.CreateBudget(ctx, "123456789012", awsops.NewBudget{Name: "monthly-cost", Amount: "10", Email: "owner@example.com", Alerts: alerts})
		}
	}
	export := func(ctx context.Context, c *awsops.Client) error {
		const bucket = "status-billing-reports"
		if err := c.CreateBucket(ctx, bucket, "us-east-1"); err != nil {
			return err
		}
		_, err := c.CreateExport(ctx, awsops.NewExport{Name: "cur", Bucket: bucket, Prefix: "cur2", Region: "us-east-1", Owner: "123456789012"})
		return err
	}
	rootAlert := func(ctx context.Context, c *awsops.Client) error {
		snap, err := steps.ReadSnapshot(ctx, c)
		if err != nil {
			return err
		}
		in := steps.RootAlert.Default(snap)
		in.Email = "owner@example.com"
		_, err = steps.RootAlert.Apply(ctx, c, snap.Caller, in)
		return err
	}
	var confirmT *testing.T // the subtest under way, for moto's "click"
	confirmAlertEmail := func(context.Context, *awsops.Client) error {
		moto.ConfirmEmails(confirmT, awsops.TopicARN("aws", "us-east-1", "123456789012", steps.AlertName))
		return nil
	}
	then := func(setups ...func(context.Context, *awsops.Client) error) func(context.Context, *awsops.Client) error {
		return func(ctx context.Context, c *awsops.Client) error {
			for _, setup := range setups {
				if err := setup(ctx, c); err != nil {
					return err
				}
			}
			return nil
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(context.Context, *awsops.Client) error
		deny  string // an Account API action to deny
		// exports sets the Data Exports double up (a legacy report, a denial).
		exports func(*awstest.DataExports)
		want    map[string]steps.CheckStatus
		detail  map[string]string // id → text its detail must hold
	}{
		{name: "fresh account", want: map[string]steps.CheckStatus{
			"root-mfa": steps.Fail, "root-access-keys": steps.Pass, "password-policy": steps.Fail, "admin-group": steps.Fail,
			"admin-user": steps.Fail, "admin-user-mfa": steps.Pass, "account-alias": steps.Fail, "opt-in-regions": steps.Pass, "cloudtrail": steps.Fail,
			"budget": steps.Fail, "billing-report": steps.Warn,
			"security-contact": steps.Fail, "s3-public-access-block": steps.Fail, "ebs-default-encryption": steps.Fail, "access-analyzer": steps.Fail, "guardduty": steps.Warn,
			"iam-user-policies": steps.Pass, "access-keys-rotated": steps.Pass, "unused-credentials": steps.Pass, "root-activity-alert": steps.Fail,
		}, detail: map[string]string{"account-alias": "https://123456789012.signin.aws.amazon.com/console", "cloudtrail": "no trail", "budget": "no cost budget",
			"access-keys-rotated": "no IAM user has an active access key (the credential report of", "root-activity-alert": "no alert: nobody hears when root is used"}},
		{name: "user with a policy of its own", setup: func(ctx context.Context, c *awsops.Client) error {
			if _, err := c.CreateUser(ctx, "bob"); err != nil {
				return err
			}
			return c.AttachUserPolicy(ctx, "bob", "arn:aws:iam::aws:policy/ReadOnlyAccess")
		}, want: map[string]steps.CheckStatus{"iam-user-policies": steps.Fail}, detail: map[string]string{"iam-user-policies": "bob (ReadOnlyAccess)"}},
		{name: "budget without alerts", setup: budget(nil),
			want: map[string]steps.CheckStatus{"budget": steps.Warn}, detail: map[string]string{"budget": "monthly-cost has no alerts"}},
		{name: "budget with alerts", setup: budget(steps.BudgetAlerts),
			want: map[string]steps.CheckStatus{"budget": steps.Pass}, detail: map[string]string{"budget": "actual 80 %"}},
		{name: "billing export", setup: export,
			want: map[string]steps.CheckStatus{"billing-report": steps.Pass}, detail: map[string]string{"billing-report": "cur"}},
		{name: "legacy billing report", exports: func(d *awstest.DataExports) { d.AddLegacyReport("old-cur", "SUCCESS") },
			want: map[string]steps.CheckStatus{"billing-report": steps.Pass}, detail: map[string]string{"billing-report": "old-cur"}},
		{name: "billing report read denied", exports: func(d *awstest.DataExports) { d.Deny("ListExports") },
			want: map[string]steps.CheckStatus{"billing-report": steps.Unknown}, detail: map[string]string{"billing-report": "bcm-data-exports:ListExports"}},
		{name: "single-region trail", setup: trail(false, true, true),
			want: map[string]steps.CheckStatus{"cloudtrail": steps.Fail}, detail: map[string]string{"cloudtrail": "logs only us-east-1"}},
		{name: "trail without validation", setup: trail(true, false, true),
			want: map[string]steps.CheckStatus{"cloudtrail": steps.Fail}, detail: map[string]string{"cloudtrail": "no log file validation"}},
		{name: "stopped trail", setup: trail(true, true, false),
			want: map[string]steps.CheckStatus{"cloudtrail": steps.Fail}, detail: map[string]string{"cloudtrail": "stopped"}},
		{name: "good trail", setup: trail(true, true, true),
			want: map[string]steps.CheckStatus{"cloudtrail": steps.Pass}, detail: map[string]string{"cloudtrail": "management-events"}},
		{name: "alias set", setup: func(ctx context.Context, c *awsops.Client) error { return c.CreateAccountAlias(ctx, "acme-prod") },
			want: map[string]steps.CheckStatus{"account-alias": steps.Pass}, detail: map[string]string{"account-alias": "https://acme-prod.signin.aws.amazon.com/console"}},
		{name: "weak password policy", setup: func(ctx context.Context, c *awsops.Client) error {
			return c.SetPasswordPolicy(ctx, awsops.PasswordPolicy{MinimumLength: 8})
		}, want: map[string]steps.CheckStatus{"password-policy": steps.Fail}, detail: map[string]string{"password-policy": "minimum length 8 < 14"}},
		{name: "strong password policy", setup: func(ctx context.Context, c *awsops.Client) error { return c.SetPasswordPolicy(ctx, strong) },
			want: map[string]steps.CheckStatus{"password-policy": steps.Pass}},
		{name: "group without the policy", setup: func(ctx context.Context, c *awsops.Client) error { return c.CreateGroup(ctx, "administrators") },
			want: map[string]steps.CheckStatus{"admin-group": steps.Fail, "admin-user": steps.Fail}},
		{name: "admin group", setup: adminGroup,
			want: map[string]steps.CheckStatus{"admin-group": steps.Pass, "admin-user": steps.Fail}, detail: map[string]string{"admin-group": "administrators"}},
		{name: "admin user without console password", setup: adminUser(false, false),
			want: map[string]steps.CheckStatus{"admin-group": steps.Pass, "admin-user": steps.Fail, "admin-user-mfa": steps.Pass}},
		{name: "console user without MFA", setup: adminUser(true, false),
			want: map[string]steps.CheckStatus{"admin-user": steps.Pass, "admin-user-mfa": steps.Fail}, detail: map[string]string{"admin-user-mfa": "alice"}},
		{name: "user with MFA", setup: adminUser(true, true),
			want: map[string]steps.CheckStatus{"admin-user": steps.Pass, "admin-user-mfa": steps.Pass}},
		// The guardrails: none (the fresh account above), partial, all.
		{name: "guardrails partial", setup: func(ctx context.Context, c *awsops.Client) error {
			if err := c.PutPublicAccessBlock(ctx, "123456789012", awsops.PublicAccessBlock{BlockPublicAcls: true, BlockPublicPolicy: true}); err != nil {
				return err
			}
			if err := c.EnableEBSEncryptionByDefault(ctx, "us-east-1"); err != nil {
				return err
			}
			return c.CreateAnalyzer(ctx, "eu-west-1", awsops.AnalyzerName)
		}, want: map[string]steps.CheckStatus{"security-contact": steps.Fail, "s3-public-access-block": steps.Fail, "ebs-default-encryption": steps.Fail, "access-analyzer": steps.Fail, "guardduty": steps.Warn},
			detail: map[string]string{"s3-public-access-block": "2 of 4", "ebs-default-encryption": "on in 1 of", "access-analyzer": "on in 1 of"}},
		{name: "guardrails all", setup: func(ctx context.Context, c *awsops.Client) error {
			snap, err := steps.ReadSnapshot(ctx, c)
			if err != nil {
				return err
			}
			for _, id := range []string{"security-contact", "s3-public-access-block", "ebs-default-encryption", "access-analyzer", "guardduty"} {
				res := steps.ApplyGuard(ctx, c, snap, id, steps.GuardRequest{Contacts: []awsops.Contact{{Type: awsops.ContactSecurity, Name: "Ada", Title: "Owner", Email: "ada@example.com", Phone: "+1 555 0100"}}}, nil)
				if res.Err != nil {
					return res.Err
				}
			}
			return nil
		}, want: map[string]steps.CheckStatus{"security-contact": steps.Pass, "s3-public-access-block": steps.Pass, "ebs-default-encryption": steps.Pass, "access-analyzer": steps.Pass, "guardduty": steps.Pass},
			detail: map[string]string{"security-contact": "Ada <ada@example.com>", "ebs-default-encryption": "on in all"}},
		// The root activity alert: pending until the link is clicked, then
		// passing; failing without a trail, or with a region's rule off.
		{name: "root alert, the e-mail not yet confirmed", setup: then(trail(true, true, true), rootAlert),
			want: map[string]steps.CheckStatus{"root-activity-alert": steps.Warn}, detail: map[string]string{"root-activity-alert": "waiting for owner@example.com to confirm"}},
		{name: "root alert, the e-mail confirmed", setup: then(trail(true, true, true), rootAlert, confirmAlertEmail),
			want: map[string]steps.CheckStatus{"root-activity-alert": steps.Pass}, detail: map[string]string{"root-activity-alert": "e-mail owner@example.com"}},
		{name: "root alert without a trail", setup: then(rootAlert, confirmAlertEmail),
			want: map[string]steps.CheckStatus{"root-activity-alert": steps.Fail}, detail: map[string]string{"root-activity-alert": "no trail logs every region"}},
		{name: "root alert with a region's rule turned off", setup: then(trail(true, true, true), rootAlert, confirmAlertEmail,
			func(ctx context.Context, c *awsops.Client) error {
				return c.PutRule(ctx, "eu-west-1", awsops.Rule{Name: steps.AlertName, EventPattern: steps.RootActivityPattern, State: awsops.RuleDisabled})
			}),
			want: map[string]steps.CheckStatus{"root-activity-alert": steps.Fail}, detail: map[string]string{"root-activity-alert": "eu-west-1"}},
		{name: "regions read denied", deny: "ListRegions",
			want: map[string]steps.CheckStatus{"opt-in-regions": steps.Unknown}, detail: map[string]string{"opt-in-regions": "denied"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			confirmT = t
			api := awstest.NewAccountAPI(t)
			moto.Use(t, api.URL)
			exports := moto.UseDataExports(t)
			if tc.exports != nil {
				tc.exports(exports)
			}
			ctx := awstest.Context(t)
			if tc.setup != nil {
				c, err := awsops.New(ctx, awsops.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if err := tc.setup(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			if tc.deny != "" {
				api.Deny(tc.deny)
			}
			// From here every call passes a recording proxy.
			iam, regions := awstest.NewProxy(t, moto.URL), awstest.NewProxy(t, api.URL)
			t.Setenv("AWS_ENDPOINT_URL", iam.URL)
			t.Setenv("AWS_ENDPOINT_URL_ACCOUNT", regions.URL)
			billing := awstest.NewProxy(t, exports.URL)
			t.Setenv("AWS_ENDPOINT_URL_BCM_DATA_EXPORTS", billing.URL)
			t.Setenv("AWS_ENDPOINT_URL_COST_AND_USAGE_REPORT_SERVICE", billing.URL)
			t.Setenv("AWS_ENDPOINT_URL_ACCESSANALYZER", regions.URL)

			js, text := runCLI("status", "--json"), runCLI("status")
			statuses, details := parseJSON(t, js.stdout)
			textStatuses := parseText(t, text.stdout)
			for id, want := range tc.want {
				if statuses[id] != want || textStatuses[id] != want {
					t.Errorf("%s: JSON %s, text %s; want %s (detail %q)", id, statuses[id], textStatuses[id], want, details[id])
				}
			}
			for id, want := range tc.detail {
				if !strings.Contains(details[id], want) {
					t.Errorf("%s detail = %q, want it to hold %q", id, details[id], want)
				}
			}
			// moto always reports root MFA off, so some check always fails here.
			if js.code != 1 || text.code != 1 {
				t.Errorf("exit codes: JSON %d, text %d; want 1", js.code, text.code)
			}
			if w := slices.Concat(iam.Writes(), regions.Writes(), billing.Writes()); len(w) != 0 {
				t.Errorf("status made write calls: %v", w)
			}
			if len(iam.Actions()) == 0 || len(regions.Actions()) == 0 {
				t.Errorf("status read nothing through the proxies: IAM %v, regions %v", iam.Actions(), regions.Actions())
			}
			if tc.deny != "" && !strings.Contains(js.stderr, "warning: opt-in-regions") {
				t.Errorf("an unreadable check gave no warning on stderr: %q", js.stderr)
			}
		})
	}
}

// On the practice account, secured step by step: exit 0 only when nothing
// fails; a weak policy fails (CIS 1.8); GuardDuty off warns, which fails
// only under --strict.
func TestStatusExitCodesOnPractice(t *testing.T) {
	awstest.Isolate(t)
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	p, err := awsops.NewPractice(awsops.PracticeOptions{Path: filepath.Join(state, "awssecure", "practice.json")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if r := runCLI("status", "--practice", "--json"); r.code != 1 {
		t.Errorf("fresh practice account: exit %d, want 1", r.code)
	}
	caller, _ := p.WhoAmI(ctx)
	mustDo := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mustDo(p.SimulateRootMFAInConsole(0))
	mustDo(applied(steps.Policy.Apply(ctx, p, caller, awsops.PasswordPolicy{MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, AllowUsersToChange: true, ReusePrevention: 5})))
	_, err = steps.AdminGroup.Apply(ctx, p, caller, "administrators")
	mustDo(err)
	_, err = steps.ApplyAdminUser(ctx, p, caller, steps.UserRequest{Name: "alice", Group: "administrators", Console: true})
	mustDo(err)
	e, err := steps.StartMFA(ctx, p, "alice", "x")
	mustDo(err)
	now := time.Now()
	c1, c2 := awsops.PhoneCodes(e.Seed, now)
	mustDo(applied(steps.FinishMFA(ctx, p, e, c1, c2, now)))
	mustDo(applied(steps.Alias.Apply(ctx, p, caller, steps.AliasRequest{Alias: "acme-learning", Replace: true})))
	mustDo(applied(steps.CloudTrail.Apply(ctx, p, caller, steps.TrailRequest{Trail: steps.DefaultTrailName, Region: p.Region()})))
	if r := runCLI("status", "--practice", "--json"); r.code != 1 {
		t.Errorf("no budget yet: exit %d, want 1", r.code)
	}
	mustDo(applied(steps.Billing.Apply(ctx, p, caller, steps.BillingRequest{Budget: true, Amount: "10", Email: "owner@example.com", Report: true, Region: p.Region()})))
	snap, err := steps.ReadSnapshot(ctx, p)
	mustDo(err)
	guard := func(id string) {
		t.Helper()
		mustDo(steps.ApplyGuard(ctx, p, snap, id, steps.GuardRequest{Contacts: []awsops.Contact{{Type: awsops.ContactSecurity, Name: "Ada", Title: "Owner", Email: "ada@example.com", Phone: "+1 555 0100"}}}, nil).Err)
	}
	for _, id := range []string{"security-contact", "s3-public-access-block", "ebs-default-encryption", "access-analyzer"} {
		guard(id)
	}
	if r := runCLI("status", "--practice", "--json"); r.code != 1 {
		t.Errorf("no root activity alert yet: exit %d, want 1", r.code)
	}
	mustDo(applied(steps.RootAlert.Apply(ctx, p, caller, steps.AlertRequest{Email: "owner@example.com", Region: p.Region()})))
	// Root's keys go last, the one this session signs with last of all;
	// from then on root signs in on temporary credentials, as in CloudShell.
	keys, _ := p.AccessKeys(ctx, "")
	for i := range keys {
		mustDo(p.DeleteAccessKey(ctx, "", keys[len(keys)-1-i].ID))
	}
	p, err = awsops.NewPractice(awsops.PracticeOptions{Path: filepath.Join(state, "awssecure", "practice.json")})
	mustDo(err)

	r := runCLI("status", "--practice", "--json")
	statuses, _ := parseJSON(t, r.stdout)
	if r.code != 1 || statuses["password-policy"] != steps.Fail {
		t.Errorf("secured but weak policy: exit %d, policy %s; want 1 and fail", r.code, statuses["password-policy"])
	}
	mustDo(applied(steps.Policy.Apply(ctx, p, caller, steps.DefaultPolicy)))
	r = runCLI("status", "--practice", "--json")
	if statuses, _ := parseJSON(t, r.stdout); r.code != 0 || statuses["guardduty"] != steps.Warn {
		t.Errorf("secured, GuardDuty off: exit %d, guardduty %s; want 0 and warn", r.code, statuses["guardduty"])
	}
	if r := runCLI("--practice", "status", "--strict"); r.code != 1 || !strings.Contains(r.stdout, "1 to fix; run awssecure --practice to fix them") {
		t.Errorf("--strict with a warning: exit %d, want 1\n%s", r.code, r.stdout)
	}
	guard("guardduty")
	r = runCLI("status", "--practice", "--strict")
	if r.code != 0 || !strings.Contains(r.stdout, "20 pass · 0 fail · 0 warn · 0 unknown — nothing to fix.") {
		t.Errorf("fully secured with --strict: exit %d\n%s", r.code, r.stdout)
	}
}

// No credentials at all: exit 2, nothing on stdout, the fix on stderr.
func TestStatusWithoutCredentials(t *testing.T) {
	awstest.Isolate(t)
	r := runCLI("status", "--json")
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "No AWS credentials were found") || !strings.Contains(r.stderr, "--practice") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// applied is an apply's error alone, for tests that check only that.
func applied(_ steps.Outcome, err error) error { return err }

// writeLargePracticeFile writes a valid practice account of about mb
// megabytes (aliases "other accounts" hold) at path: the shape of a file
// a script or a hand made far larger than any the wizard writes.
func writeLargePracticeFile(t *testing.T, path string, mb int) {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"TakenAliases":[`)
	for i := 0; b.Len() < mb<<20; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"taken-alias-%09d"`, i)
	}
	b.WriteString("]}")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// `status --practice --timeout` on a practice file far larger than any
// the wizard writes gives up with the practice account's sentence (the
// file's size, the fix) and exit 2. It read the file again in every call
// after the deadline had passed and printed the checklist (a 200 MB file:
// 43 s against --timeout 25s). The timeout here is three loads of the
// file (measured on this machine, now) plus the calls' latency twice: the
// first calls start well within it, and the run needs some thirty loads.
// That the run ends at its deadline is TestStatusPracticeTimeoutBoundsAStalledFile's.
func TestStatusPracticeTimeoutBoundsALargeFile(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	path := filepath.Join(state, "awssecure", "practice.json")
	writeLargePracticeFile(t, path, 24)
	start := time.Now()
	if _, err := awsops.NewPractice(awsops.PracticeOptions{Path: path}); err != nil {
		t.Fatal(err)
	}
	load := time.Since(start)
	timeout := (3*load + 2*practiceLatency).Round(time.Millisecond)
	r := runCLI("status", "--practice", "--timeout", timeout.String())
	t.Logf("one load: %s; --timeout %s", load, timeout)
	want := "awssecure: the practice account was not read within " + timeout.String() + ", so nothing was printed.\nIts file " + path + " holds 24 MB, where a practice account needs a few kilobytes: start over with awssecure --practice --practice-reset"
	if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, and %q", r.code, r.stdout, r.stderr, want)
	}
}

// An endpoint that does not offer an API (moto answers the Account API
// with a 404 page and Data Exports with a 500 page) makes those checks
// unknown in a sentence naming the API, never in the SDK's words about a
// page it could not read; the JSON's detail says the same.
func TestStatusSaysAnAPIIsNotOffered(t *testing.T) {
	moto.Use(t, "")
	t.Setenv("AWS_ENDPOINT_URL_ACCOUNT", moto.URL)
	t.Setenv("AWS_ENDPOINT_URL_BCM_DATA_EXPORTS", moto.URL)
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	r := runCLI("status")
	for _, want := range []string{
		"? Opt-in regions", "does not offer the Account API: it answered account:ListRegions with a page that is not an AWS answer.",
		"? Billing report", "does not offer the Data Exports API (billing reports)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, r.stdout)
		}
	}
	j := runCLI("status", "--json")
	for _, out := range []string{r.stdout, r.stderr, j.stdout, j.stderr} {
		if strings.Contains(out, "deserialization") || strings.Contains(out, "invalid character") {
			t.Errorf("status shows the SDK's words:\n%s", out)
		}
	}
	if _, details := parseJSON(t, j.stdout); !strings.Contains(details["opt-in-regions"], "does not offer the Account API") {
		t.Errorf("the JSON's opt-in-regions detail is %q", details["opt-in-regions"])
	}
}

// A budget's name (Budgets allows any character but : and \) that clears
// the screen and prints a green "all checks pass": plain `status` shows it
// escaped; --json keeps it exactly as AWS gave it.
func TestStatusShowsAnEscapeInAnAccountsDataAndJSONKeepsIt(t *testing.T) {
	const evil = "ops\x1b]0;OWNED\a\x1b[2J\x1b[H\x1b[32m✓ all checks pass"
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	p, err := awsops.NewPractice(awsops.PracticeOptions{Path: filepath.Join(state, "awssecure", "practice.json")})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CreateBudget(t.Context(), awsops.PracticeAccountID, awsops.NewBudget{Name: evil, Amount: "10"}); err != nil {
		t.Fatal(err)
	}
	text := runCLI("status", "--practice")
	if strings.ContainsAny(text.stdout+text.stderr, "\x1b\a") || !strings.Contains(text.stdout, `ops\x1b]0;OWNED\x07\x1b[2J\x1b[H\x1b[32m✓ all checks pass`) {
		t.Errorf("status printed the budget's name raw, or not at all:\n%q", text.stdout)
	}
	js := runCLI("status", "--practice", "--json")
	var report steps.Report
	if err := json.Unmarshal([]byte(js.stdout), &report); err != nil {
		t.Fatalf("%v\n%s", err, js.stdout)
	}
	i := slices.IndexFunc(report.Checks, func(c steps.Check) bool { return c.ID == steps.CheckBudget })
	if i < 0 || !strings.Contains(report.Checks[i].Detail, "budget "+evil+" has no alerts") {
		t.Errorf("--json changed the budget's name: %+v", report.Checks)
	}
}
