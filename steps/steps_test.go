package steps_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/steps"
)

func practice(t *testing.T) *awsops.Practice {
	t.Helper()
	p, err := awsops.NewPractice(awsops.PracticeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func statuses(checks []steps.Check) map[string]steps.CheckStatus {
	m := map[string]steps.CheckStatus{}
	for _, c := range checks {
		m[c.ID] = c.Status
	}
	return m
}

// The whole tutorial through the steps layer on the practice account:
// every check goes from fail to pass, and a second run creates nothing.
func TestTutorialOnPractice(t *testing.T) {
	acct := practice(t)
	ctx := t.Context()
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	before := statuses(steps.Checks(snap))
	for _, id := range []string{steps.CheckRootMFA, steps.CheckRootAccessKeys, steps.CheckPasswordPolicy, steps.CheckAdminGroup, steps.CheckAdminUser, steps.CheckAccountAlias} {
		if before[id] != steps.Fail {
			t.Errorf("fresh account: %s = %s, want fail", id, before[id])
		}
	}
	if before[steps.CheckAdminUserMFA] != steps.Pass {
		t.Errorf("fresh account: admin-user-mfa = %s, want pass (no console user lacks MFA: CIS 1.10's audit passes)", before[steps.CheckAdminUserMFA])
	}

	runTutorial(t, acct, snap.Caller)
	snap, _ = steps.ReadSnapshot(ctx, acct)
	after := statuses(steps.Checks(snap))
	for id, st := range after {
		if id != steps.CheckRootAccessKeys && st != steps.Pass {
			t.Errorf("after the tutorial: %s = %s, want pass", id, st)
		}
	}

	// Second run: everything is detected, nothing is created twice.
	res, err := steps.ApplyAdminUser(ctx, acct, snap.Caller, steps.UserRequest{Name: "alice", Group: "administrators", Console: true, Programmatic: true})
	if err != nil || res.Created || !res.Password.IsZero() || res.AccessKey != nil || len(res.Kept) != 3 {
		t.Errorf("rerun of the user step: %+v, %v; want nothing new and three notes", res, err)
	}
	if o, err := steps.AdminGroup.Apply(ctx, acct, snap.Caller, "administrators"); o.Changed || err != nil {
		t.Errorf("rerun of the group step changed=%v err=%v", o.Changed, err)
	}
	keys, _ := acct.AccessKeys(ctx, "alice")
	devices, _ := acct.VirtualMFADevices(ctx)
	if len(keys) != 1 || len(devices) != 1 {
		t.Errorf("after rerun: %d keys, %d devices; want 1 and 1", len(keys), len(devices))
	}
}

func runTutorial(t *testing.T, acct *awsops.Practice, caller awsops.Caller) {
	t.Helper()
	ctx := t.Context()
	if err := acct.SimulateRootMFAInConsole(0); err != nil {
		t.Fatal(err)
	}
	if on, _, err := steps.RootMFAEnabled(ctx, acct); err != nil || !on {
		t.Fatalf("root MFA on=%v err=%v", on, err)
	}
	if err := applied(steps.Policy.Apply(ctx, acct, caller, steps.DefaultPolicy)); err != nil {
		t.Fatal(err)
	}
	if o, err := steps.AdminGroup.Apply(ctx, acct, caller, steps.DefaultGroupName); err != nil || !o.Changed {
		t.Fatalf("group: changed=%v err=%v", o.Changed, err)
	}
	res, err := steps.ApplyAdminUser(ctx, acct, caller, steps.UserRequest{Name: "alice", Group: steps.DefaultGroupName, Console: true, Programmatic: true})
	if err != nil || !res.Created || res.Password.IsZero() || res.AccessKey == nil {
		t.Fatalf("user: %+v, %v", res, err)
	}
	if err := awsops.PasswordSatisfies(res.Password, &steps.DefaultPolicy); err != nil {
		t.Errorf("generated password breaks the policy: %v", err)
	}
	enrollment, err := steps.StartMFA(ctx, acct, "alice", "learner-alias")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	c1, c2 := awsops.PhoneCodes(enrollment.Seed, now)
	if err := applied(steps.FinishMFA(ctx, acct, enrollment, c1, c2, now)); err != nil {
		t.Fatal(err)
	}
	if err := applied(steps.Alias.Apply(ctx, acct, caller, steps.AliasRequest{Alias: "learner-alias", Replace: true})); err != nil {
		t.Fatal(err)
	}
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	if o, err := steps.CloudTrail.Apply(ctx, acct, caller, steps.CloudTrail.Default(snap)); err != nil || !o.Changed {
		t.Fatalf("cloudtrail: changed=%v err=%v", o.Changed, err)
	}
	billing := steps.Billing.Default(snap)
	billing.Email = "owner@example.com"
	if o, err := steps.Billing.Apply(ctx, acct, caller, billing); err != nil || !o.Changed {
		t.Fatalf("billing: changed=%v err=%v", o.Changed, err)
	}
	results, err := applyGuardrails(ctx, acct, allGuards, steps.GuardRequest{Contacts: []awsops.Contact{adaSecurity}})
	if err != nil {
		t.Fatal(err)
	}
	for id, res := range results {
		if res.Err != nil {
			t.Fatalf("%s: %s", id, res.Said)
		}
	}
	alert := steps.RootAlert.Default(snap)
	alert.Email = "owner@example.com"
	if o, err := steps.RootAlert.Apply(ctx, acct, caller, alert); err != nil || !o.Changed {
		t.Fatalf("root activity alert: changed=%v err=%v", o.Changed, err)
	}
}

func TestStartMFAReplacesAnOrphan(t *testing.T) {
	acct := practice(t)
	ctx := t.Context()
	if _, err := acct.CreateUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	first, err := steps.StartMFA(ctx, acct, "alice", "111122223333")
	if err != nil || first.ReplacedOrphan {
		t.Fatalf("first start: %+v %v", first.ReplacedOrphan, err)
	}
	// The run is interrupted here; the next one cannot read the seed back.
	second, err := steps.StartMFA(ctx, acct, "alice", "111122223333")
	if err != nil || !second.ReplacedOrphan || second.Seed.Reveal() == first.Seed.Reveal() {
		t.Fatalf("second start: replaced=%v err=%v, want a new device", second.ReplacedOrphan, err)
	}
	if devices, _ := acct.VirtualMFADevices(ctx); len(devices) != 1 {
		t.Errorf("devices = %+v, want exactly one", devices)
	}
	if err := steps.CancelMFA(ctx, acct, second); err != nil {
		t.Fatal(err)
	}
	if devices, _ := acct.VirtualMFADevices(ctx); len(devices) != 0 {
		t.Errorf("after cancel: devices = %+v", devices)
	}
}

func TestFinishMFARejectsBadCodesBeforeCallingAWS(t *testing.T) {
	acct := practice(t)
	ctx := t.Context()
	acct.CreateUser(ctx, "alice")
	e, _ := steps.StartMFA(ctx, acct, "alice", "x")
	err := applied(steps.FinishMFA(ctx, acct, e, "123456", "123456", time.Now()))
	var codeErr *awsops.MFACodeError
	if !errors.As(err, &codeErr) || awsops.ActionOf(err) != "" {
		t.Errorf("err = %v, want a local MFACodeError with no AWS action", err)
	}
}

func TestOTPAuthURI(t *testing.T) {
	seed := awsops.NewSecret("JBSWY3DPEHPK3PXP")
	got := steps.OTPAuthURI(seed, "alice", "acme")
	want := "otpauth://totp/alice@acme?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services"
	if got != want {
		t.Errorf("URI = %s\nwant  %s", got, want)
	}
	if g := steps.GroupedSecret(awsops.NewSecret("ABCDEFGHIJ")); g != "ABCD EFGH IJ" {
		t.Errorf("grouped = %q", g)
	}
}

func TestGeneratePasswordSatisfiesPolicies(t *testing.T) {
	for _, policy := range []*awsops.PasswordPolicy{nil, &steps.DefaultPolicy, {MinimumLength: 64, RequireSymbols: true}} {
		for range 50 {
			pw, err := steps.GeneratePassword(policy)
			if err != nil {
				t.Fatal(err)
			}
			if err := awsops.PasswordSatisfies(pw, policy); err != nil {
				t.Fatalf("policy %+v: %v", policy, err)
			}
		}
	}
}

func TestExplainNamesTheActionAndNeverPanics(t *testing.T) {
	acct := practice(t)
	err := acct.CreateAccountAlias(t.Context(), "UPPER")
	if e := steps.Explain(err); !strings.Contains(e.What, "lowercase") {
		t.Errorf("invalid input explained as %q", e.What)
	}
	err = acct.CreateAccountAlias(t.Context(), "admin")
	if e := steps.Explain(err); !strings.Contains(e.What, "another AWS account") {
		t.Errorf("taken alias explained as %q", e.What)
	}
	denied := &awsops.OpError{Action: "iam:CreateUser", Kind: awsops.ErrAccessDenied, Err: errors.New("denied")}
	if e := steps.Explain(denied); !strings.Contains(e.What, "iam:CreateUser") {
		t.Errorf("access denied explained as %q", e.What)
	}
	if e := steps.Explain(errors.New("plain")); e.What == "" || e.Fix == "" {
		t.Error("an unclassified error has no words")
	}
}

// Every kind of AWS failure has its own plain sentence and fix; none falls
// through to "Something went wrong".
func TestExplainHasWordsForEveryKind(t *testing.T) {
	for _, kind := range []error{
		awsops.ErrAlreadyExists, awsops.ErrNotFound, awsops.ErrAccessDenied, awsops.ErrInvalidCredentials,
		awsops.ErrExpiredCredentials, awsops.ErrNoCredentials, awsops.ErrThrottled, awsops.ErrLimitExceeded,
		awsops.ErrAliasTaken, awsops.ErrPasswordPolicy, awsops.ErrInvalidInput, awsops.ErrNotActivated,
		awsops.ErrNetwork, awsops.ErrInvalidMFACode, awsops.ErrInUse, awsops.ErrUnavailable, awsops.ErrUnknownRegion,
		awsops.ErrTimeout, awsops.ErrUnknownProfile, awsops.ErrNotInOrganization, awsops.ErrWouldReplace, awsops.ErrNotOffered, context.Canceled,
	} {
		e := steps.Explain(&awsops.OpError{Action: "iam:Something", Kind: kind, Err: errors.New("cause")})
		if strings.HasPrefix(e.What, "Something went wrong") || e.Fix == "" {
			t.Errorf("%v: %q / %q", kind, e.What, e.Fix)
		}
	}
}

// An API the endpoint answers with a web page is said in a sentence that
// names the API, never with the SDK's words about the page it could not
// read.
func TestExplainAnAPINotOffered(t *testing.T) {
	sdk := errors.New("operation error Account: ListRegions, https response error StatusCode: 404, RequestID: , deserialization failed, failed to decode response body, invalid character '<' looking for beginning of value")
	e := steps.Explain(fmt.Errorf("list regions: %w", &awsops.OpError{Action: "account:ListRegions", Kind: awsops.ErrNotOffered, Err: sdk}))
	if !strings.Contains(e.What, "does not offer the Account API") || strings.Contains(e.What+e.Fix, "deserialization") || strings.Contains(e.What+e.Fix, "invalid character") {
		t.Errorf("an API not offered explained as %q / %q", e.What, e.Fix)
	}
}

// A damaged practice file is told as itself, with the one fix that works,
// never as "Something went wrong … Retry, or skip this step".
func TestExplainDamagedPracticeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "practice.json")
	if err := os.WriteFile(path, []byte(`{"Users":{"bob":null}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := awsops.NewPractice(awsops.PracticeOptions{Path: path})
	want := steps.Explanation{
		What: "The practice account file " + path + ` is damaged (Users["bob"] is empty).`,
		Fix:  "Start over with: awssecure --practice --practice-reset",
	}
	if e := steps.Explain(fmt.Errorf("open practice account: %w", err)); e != want {
		t.Errorf("Explain = %+v, want %+v", e, want)
	}
}

// New credentials for an existing user: a new password, and a new key
// that replaces the old one; with two keys already, nothing is broken.
func TestRenewCredentials(t *testing.T) {
	acct := practice(t)
	ctx := t.Context()
	caller, _ := acct.WhoAmI(ctx)
	if _, err := steps.AdminGroup.Apply(ctx, acct, caller, "administrators"); err != nil {
		t.Fatal(err)
	}
	first, err := steps.ApplyAdminUser(ctx, acct, caller, steps.UserRequest{Name: "alice", Group: "administrators", Console: true, Programmatic: true})
	if err != nil {
		t.Fatal(err)
	}
	renewed, err := steps.RenewCredentials(ctx, acct, caller, "alice")
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := acct.AccessKeys(ctx, "alice")
	if renewed.AccessKey == nil || renewed.AccessKey.ID == first.AccessKey.ID || len(keys) != 1 || keys[0].ID != renewed.AccessKey.ID {
		t.Errorf("keys after renewal = %+v, want only the new one", keys)
	}
	if renewed.Password.IsZero() || renewed.Password.Reveal() == first.Password.Reveal() {
		t.Error("no new password")
	}
	// Two keys (one made in the console, say): renewal refuses and deletes nothing.
	if _, err := acct.CreateAccessKey(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	_, err = steps.RenewCredentials(ctx, acct, caller, "alice")
	if !errors.Is(err, awsops.ErrLimitExceeded) {
		t.Errorf("err = %v, want ErrLimitExceeded", err)
	}
	if keys, _ := acct.AccessKeys(ctx, "alice"); len(keys) != 2 {
		t.Errorf("renewal with two keys left %d", len(keys))
	}
}

// applied is an apply's error alone, for tests that check only that.
func applied(_ steps.Outcome, err error) error { return err }

// AWS's own words in a sentence are made printable: an error message
// that carries escape sequences reaches every screen, status and the
// watch view through Explain, shown, never obeyed.
func TestExplainShowsAWSWordsInert(t *testing.T) {
	const words = "bad value\x1b]0;OWNED\a\x1b[2J"
	for _, err := range []error{
		errors.New(words),
		&awsops.OpError{Action: "iam:CreateUser", Kind: awsops.ErrInvalidInput, Err: errors.New(words)},
		&awsops.OpError{Action: "ec2:DescribeRegions", Kind: awsops.ErrUnknownRegion, Err: errors.New(words)},
	} {
		e := steps.Explain(err)
		if strings.ContainsAny(e.What+e.Fix, "\x1b\a") || !strings.Contains(e.What, `bad value\x1b]0;OWNED\x07\x1b[2J`) {
			t.Errorf("%v explained as %q", err, e.What)
		}
	}
}
