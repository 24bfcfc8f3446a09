package ui

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// motoBudgetSubscribers reads the addresses of every budget alert from
// moto's own state (/moto-api/data.json): moto lacks Budgets'
// DescribeSubscribersForNotification.
func motoBudgetSubscribers(t *testing.T) []string {
	t.Helper()
	resp, err := http.Get(moto.URL + "/moto-api/data.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var data struct {
		Budgets struct {
			Notification []struct {
				Subscribers []struct{ Address string } `json:"subscribers"`
			}
		} `json:"budgets"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&data); err != nil {
		t.Fatal(err)
	}
	var addresses []string
	for _, n := range data.Budgets.Notification {
		for _, s := range n.Subscribers {
			addresses = append(addresses, s.Address)
		}
	}
	return addresses
}

var moto *awstest.Moto

func TestMain(m *testing.M) { awstest.RunWithMoto(m, &moto) }

// motoAccount is a fresh moto account and a real SDK client on it; every
// call passes the recording, fault-injecting proxies (IAM and STS to moto,
// the region calls to the Account API double).
type motoAccount struct {
	acct         *awsops.Client
	iam, regions *awstest.Proxy
}

// newMotoAccount builds one; the SDK's retries wait at most 20 ms, so
// injected faults cost no time.
func newMotoAccount(t *testing.T, opts awsops.Options) motoAccount {
	t.Helper()
	var m motoAccount
	m.iam, m.regions, _ = moto.UseThroughProxies(t)
	opts.MaxBackoff = 20 * time.Millisecond
	var err error
	if m.acct, err = awsops.New(awstest.Context(t), opts); err != nil {
		t.Fatal(err)
	}
	return m
}

// motoWizard is the wizard on a fresh moto account.
func motoWizard(t *testing.T, dir string) (*harness, *awsops.Client, *awstest.Proxy) {
	t.Helper()
	m := newMotoAccount(t, awsops.Options{})
	return newWizard(t, m.acct, false, dir), m.acct, m.iam
}

// wizardPastAFailedRead starts the wizard on m after making the
// preflight's read of action, through proxy p, fail all three of the
// SDK's tries; it returns once the preflight is shown, having met them.
func wizardPastAFailedRead(t *testing.T, m motoAccount, p *awstest.Proxy, action string) *harness {
	t.Helper()
	faults := p.Force(action, awstest.Fault503, 3)
	h := newWizard(t, m.acct, false, t.TempDir())
	h.waitFor("Account 123456789012")
	if n := faults.Counts()[awstest.Fault503]; n != 3 {
		t.Fatalf("the preflight met %d faults on %s, want 3", n, action)
	}
	return h
}

// Against moto through the real SDK, the wizard creates what the tutorial
// asks for; a second run on the same account finds it all and writes nothing.
func TestWizardAgainstMoto(t *testing.T) {
	dir := t.TempDir()
	h, acct, proxy := motoWizard(t, dir)
	ctx := awstest.Context(t)
	h.waitFor("Account 123456789012")
	if !slices.Contains(proxy.Actions(), "GetCallerIdentity") {
		t.Errorf("preflight did not ask STS who is calling: %v", proxy.Actions())
	}
	walkTutorial(t, h, "123456789012", "acme-learning", false)

	ctx = awstest.Context(t) // the walk may have used up the first one's time
	policy, err := acct.PasswordPolicy(ctx)
	if err != nil || policy.MinimumLength != 14 || policy.ReusePrevention != 24 {
		t.Errorf("password policy = %+v, %v", policy, err)
	}
	attached, _ := acct.GroupPolicies(ctx, "administrators")
	if !slices.Equal(attached, []string{"arn:aws:iam::aws:policy/AdministratorAccess"}) {
		t.Errorf("administrators has %v", attached)
	}
	groups, _ := acct.UserGroups(ctx, "alice")
	console, _ := acct.HasLoginProfile(ctx, "alice")
	keys, _ := acct.AccessKeys(ctx, "alice")
	devices, _ := acct.UserMFADevices(ctx, "alice")
	alias, _ := acct.AccountAlias(ctx)
	if !slices.Equal(groups, []string{"administrators"}) || !console || len(keys) != 1 || len(devices) != 1 || alias != "acme-learning" {
		t.Errorf("alice: groups %v, console %v, %d keys, %d MFA devices; alias %q", groups, console, len(keys), len(devices), alias)
	}
	// The billing step: a budget with its three alerts, an export into a
	// bucket whose policy admits only the billing services.
	budgets, _ := acct.Budgets(ctx, "123456789012")
	alerts, _ := acct.BudgetAlerts(ctx, "123456789012", steps.BudgetName)
	if len(budgets) != 1 || budgets[0].Amount != "10" || !slices.Equal(alerts, steps.BudgetAlerts) {
		t.Errorf("budgets %+v, alerts %v", budgets, alerts)
	}
	if got := motoBudgetSubscribers(t); !slices.Equal(got, []string{"owner@example.com", "owner@example.com", "owner@example.com"}) {
		t.Errorf("the alerts mail %v", got)
	}
	// moto's data dump above is slow (every region's EC2 is in it): a fresh
	// deadline for the calls that follow.
	ctx = awstest.Context(t)
	exports, err := acct.Exports(ctx)
	if len(exports) != 1 {
		t.Fatalf("exports = %+v, %v", exports, err)
	}
	x, _ := acct.Export(ctx, exports[0].ARN)
	set, _ := acct.BucketSettings(ctx, x.Bucket)
	if !strings.HasPrefix(x.Bucket, "aws-billing-reports-123456789012-") || x.Format != "PARQUET" || !set.PublicAccessBlocked ||
		set.Policy != steps.ReportBucketPolicy("aws", x.Bucket, "123456789012") {
		t.Errorf("export %+v into a bucket %+v", x, set)
	}
	writes := proxy.Writes()
	for _, want := range []string{"UpdateAccountPasswordPolicy", "CreateGroup", "AttachGroupPolicy", "CreateUser", "CreateLoginProfile", "CreateAccessKey", "AddUserToGroup", "CreateVirtualMFADevice", "EnableMFADevice", "CreateAccountAlias",
		"PutPublicAccessBlock", "EnableEbsEncryptionByDefault"} {
		if !slices.Contains(writes, want) {
			t.Errorf("the run never called %s; writes: %v", want, writes)
		}
	}

	// A second run on the same account: every step is found done.
	h2, _, proxy2 := rerunAgainst(t, dir)
	h2.waitFor("Account 123456789012")
	h2.press("enter")
	h2.waitFor("Step 1 of")
	h2.press("s", "y")
	for _, want := range []string{"Already done: minimum length 14", "Already done: group administrators", "Already done: admin user alice", "Already done: alice has an MFA device", "Already done: alias acme-learning"} {
		h2.waitFor(want)
		h2.press("enter")
	}
	h2.waitFor("Opt-in regions to enable")
	h2.press("enter")
	h2.waitFor("Already done: trail management-events")
	h2.press("enter")
	h2.waitFor("✓ Budget monthly-cost e-mails")
	h2.press("enter")
	h2.waitFor("✓ Billing report cost-and-usage-daily")
	h2.press("enter")
	h2.waitFor("Is it on?") // no API tells: asked again
	h2.press("enter")
	h2.waitFor("IAM access to billing is not on yet")
	h2.press("enter")
	h2.waitFor("[ ] GuardDuty")
	h2.press("enter")
	handOver(t, h2)
	h2.waitFor("Summary")
	if w := proxy2.Writes(); len(w) != 0 {
		t.Errorf("the second run wrote %v; it should find everything done", w)
	}
}

// rerunAgainst starts a new wizard on the moto account as it is now (no
// reset), through a fresh proxy so its calls are counted alone.
func rerunAgainst(t *testing.T, dir string) (*harness, *awsops.Client, *awstest.Proxy) {
	t.Helper()
	proxy := awstest.NewProxy(t, moto.URL)
	t.Setenv("AWS_ENDPOINT_URL", proxy.URL)
	acct, err := awsops.New(awstest.Context(t), awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return newWizard(t, acct, false, dir), acct, proxy
}

// A fault that outlasts the SDK's retries reaches the user as the error
// panel's sentence; pressing r then completes the step.
func TestWizardLastingFaultThenRetry(t *testing.T) {
	m := newMotoAccount(t, awsops.Options{})
	h := newWizard(t, m.acct, false, t.TempDir())
	h.waitFor("Account 123456789012")
	faults := m.iam.Force("CreateGroup", awstest.Fault503, 3) // the SDK tries 3 times
	h.press("enter")
	h.waitFor("Step 1 of")
	h.press("s", "y")
	h.waitFor("Step 2 of")
	h.press("enter", "enter", "enter", "enter")
	h.waitFor("Password policy set")
	h.press("enter")
	h.waitFor("Group name")
	h.press("enter")
	h.waitFor("AWS had a temporary failure and did not finish iam:CreateGroup.")
	h.waitFor("r retry")
	h.press("r")
	h.waitFor("Group administrators created with AdministratorAccess")
	if n := faults.Counts()[awstest.Fault503]; n != 3 {
		t.Errorf("%d faults injected, want 3", n)
	}
}
