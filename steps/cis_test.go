package steps_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// The checks against CIS AWS Foundations v3.0.0's audit procedures, on
// accounts built on moto through the real SDK (and on the practice
// account where moto lacks the API).

// check reads the account and returns the check id.
func check(t *testing.T, ctx context.Context, acct steps.Account, id string) steps.Check {
	t.Helper()
	s, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	return checkByID(steps.Checks(s), id)
}

// CIS 3.1 reads the selectors of the trail that passes: a trail that logs
// only writes, or no management events, fails, whatever else it has; a
// trail without validation beside the passing one fails CIS 3.2, named.
// Only the trail that logs every region has its selectors read: one call,
// not one per trail or region.
func TestCloudTrailSelectorsAgainstMoto(t *testing.T) {
	ctx, acct := motoAccount(t)
	proxy := awstest.NewProxy(t, moto.URL)
	t.Setenv("AWS_ENDPOINT_URL", proxy.URL)
	acct, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := steps.ReadSnapshot(ctx, acct)
	if _, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, steps.CloudTrail.Default(snap)); err != nil {
		t.Fatal(err)
	}
	const arn = "arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events"
	// A trail whose selectors were never set: AWS's default selector,
	// every management event, read and write.
	if c := check(t, ctx, acct, steps.CheckCloudTrail); c.Status != steps.Pass || !strings.Contains(c.Detail, "read and write") {
		t.Errorf("the wizard's trail: %+v", c)
	}
	for _, tc := range []struct {
		name      string
		selectors map[string]any
		want      steps.CheckStatus
		detail    string
	}{
		// Basic selectors first: moto, unlike CloudTrail, keeps advanced
		// selectors when basic ones are put.
		{"writes only", map[string]any{"EventSelectors": []any{map[string]any{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true}}},
			steps.Fail, "it logs only write management events, not reads"},
		{"data events only", map[string]any{"EventSelectors": []any{map[string]any{"ReadWriteType": "All", "IncludeManagementEvents": false,
			"DataResources": []any{map[string]any{"Type": "AWS::S3::Object", "Values": []any{"arn:aws:s3"}}}}}},
			steps.Fail, "it logs no management events"},
		{"every management event, basic", map[string]any{"EventSelectors": []any{map[string]any{"ReadWriteType": "All", "IncludeManagementEvents": true}}},
			steps.Pass, "read and write"},
		{"advanced, reads only", map[string]any{"AdvancedEventSelectors": []any{map[string]any{"Name": "reads", "FieldSelectors": []any{
			map[string]any{"Field": "eventCategory", "Equals": []any{"Management"}}, map[string]any{"Field": "readOnly", "Equals": []any{"true"}}}}}},
			steps.Fail, "it logs only read management events, not writes"},
		{"advanced, every management event but KMS's", map[string]any{"AdvancedEventSelectors": []any{map[string]any{"Name": "management", "FieldSelectors": []any{
			map[string]any{"Field": "eventCategory", "Equals": []any{"Management"}}, map[string]any{"Field": "eventSource", "NotEquals": []any{"kms.amazonaws.com"}}}}}},
			steps.Pass, "read and write, with log file validation (but not those of kms.amazonaws.com)"},
	} {
		moto.PutEventSelectors(t, arn, tc.selectors)
		proxy.Reset()
		c := check(t, ctx, acct, steps.CheckCloudTrail)
		if c.Status != tc.want || !strings.Contains(c.Detail, tc.detail) {
			t.Errorf("%s: %+v", tc.name, c)
		}
		if n := count(proxy.Actions(), "GetEventSelectors"); n != 1 {
			t.Errorf("%s: %d GetEventSelectors calls, want 1", tc.name, n)
		}
	}
	// The wizard says what it cannot change, rather than that all is well.
	readsOnly := map[string]any{"AdvancedEventSelectors": []any{map[string]any{"Name": "reads", "FieldSelectors": []any{
		map[string]any{"Field": "eventCategory", "Equals": []any{"Management"}}, map[string]any{"Field": "readOnly", "Equals": []any{"true"}}}}}}
	moto.PutEventSelectors(t, arn, readsOnly)
	snap, _ = steps.ReadSnapshot(ctx, acct)
	if said, done := steps.CloudTrail.Done(snap); !done || !strings.Contains(said, "Still to fix in the CloudTrail console: trail management-events logs every region with log file validation, but it logs only read management events") {
		t.Errorf("done %v: %q", done, said)
	}
	// A second trail, of one region and without validation: a warning
	// that names it (the design's table).
	moto.PutEventSelectors(t, arn, map[string]any{"AdvancedEventSelectors": []any{map[string]any{"Name": "management", "FieldSelectors": []any{
		map[string]any{"Field": "eventCategory", "Equals": []any{"Management"}}}}}})
	trails, _ := acct.Trails(ctx)
	if _, err := acct.CreateTrail(ctx, awsops.TrailSettings{Name: "old-trail", Bucket: trails[0].Bucket}); err != nil {
		t.Fatal(err)
	}
	proxy.Reset()
	if c := check(t, ctx, acct, steps.CheckCloudTrail); c.Status != steps.Warn || !strings.HasSuffix(c.Detail, "; without log file validation (CIS 3.2): old-trail") {
		t.Errorf("with a trail without validation: %+v", c)
	}
	if n, m := count(proxy.Actions(), "GetEventSelectors"), count(proxy.Actions(), "GetTrailStatus"); n != 1 || m != 2 {
		t.Errorf("%d GetEventSelectors and %d GetTrailStatus calls, want 1 (the trail of every region) and 2", n, m)
	}
}

func count(actions []string, action string) int {
	n := 0
	for _, a := range actions {
		if a == action {
			n++
		}
	}
	return n
}

// When the only trail logging here is the organization's, a trail of
// our own would be a second, billed copy of the management events: the
// step says so, and keeps the organization's unless told to make one.
func TestCloudTrailBesideAnOrganizationTrail(t *testing.T) {
	ctx, acct := motoAccount(t)
	if err := acct.CreateBucket(ctx, "org-trail-logs", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	moto.CreateOrganizationTrail(t, "org-trail", "org-trail-logs", false)
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	if c := checkByID(steps.Checks(snap), steps.CheckCloudTrail); c.Status != steps.Fail ||
		c.Detail != "trail org-trail (the organization's) is logging, but: no log file validation" {
		t.Errorf("organization trail without validation: %+v", c)
	}
	in := steps.CloudTrail.Default(snap)
	if in.Fix != nil || in.Existing == nil || in.Existing.Name != "org-trail" || !in.Keep {
		t.Fatalf("plan = %+v", in)
	}
	if cli := steps.CloudTrail.CLI(snap.Caller, in); !strings.HasPrefix(cli, "# nothing to run") {
		t.Errorf("CLI for keeping = %q", cli)
	}
	if !strings.Contains(steps.SecondCopyCost, "second copy") || !strings.Contains(steps.SecondCopyCost, "billed") {
		t.Errorf("the cost line says nothing of a second copy: %q", steps.SecondCopyCost)
	}
	out, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, in)
	if err != nil || out.Changed || !strings.Contains(out.Said, "Kept trail org-trail") {
		t.Errorf("keeping: %+v, %v", out, err)
	}
	if trails, _ := acct.Trails(ctx); len(trails) != 1 {
		t.Errorf("keeping made a trail: %+v", trails)
	}
	// Told to make one anyway: it does, and the organization's trail
	// without validation, which only its owner can change, warns.
	in.Keep = false
	if _, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, in); err != nil {
		t.Fatal(err)
	}
	if c := check(t, ctx, acct, steps.CheckCloudTrail); c.Status != steps.Warn ||
		!strings.HasSuffix(c.Detail, "; without log file validation (CIS 3.2): org-trail (the organization's)") {
		t.Errorf("own trail beside the organization's: %+v", c)
	}
}

// Root without MFA passes only where root is known to have no
// credentials, and the detail says how that is known: the account
// summary's AccountPasswordPresent, else the credential report's root
// row; a root row that says not_supported, or no fact at all, fails.
func TestRootMFAWithoutRootCredentials(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name   string
		root   awstest.RootUser
		want   steps.CheckStatus
		detail string
	}{
		{"summary: no password", awstest.RootUser{Password: &no}, steps.Pass, "the root user has no password and no access keys, so no MFA is needed (the IAM account summary)"},
		{"summary: a password", awstest.RootUser{Password: &yes, ReportPassword: "false"}, steps.Fail, "turn it on in the console"},
		{"report: no password", awstest.RootUser{ReportPassword: "false"}, steps.Pass, "(the credential report of 2 Feb 2015 20:02 UTC; keys: the IAM account summary)"},
		{"report: a password", awstest.RootUser{ReportPassword: "true"}, steps.Fail, "turn it on in the console"},
		{"report: not_supported", awstest.RootUser{ReportPassword: "not_supported"}, steps.Fail, "turn it on in the console"},
		{"nothing known", awstest.RootUser{}, steps.Fail, "turn it on in the console"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, acct := motoAccount(t)
			moto.Root(t, tc.root)
			if c := check(t, ctx, acct, steps.CheckRootMFA); c.Status != tc.want || !strings.Contains(c.Detail, tc.detail) {
				t.Errorf("%+v", c)
			}
		})
	}
}

// In status --org, a member of an organization that manages root
// credentials centrally, whose root has MFA off and about whose password
// nothing else can be read, warns, saying where that came from; the
// management account, whose root is never managed so, still fails; and a
// member whose root is known to have a password fails.
func TestRootMFAInAnOrganizationThatManagesRoot(t *testing.T) {
	ctx, mgmt := motoAccount(t)
	orgID, ids := moto.CreateOrganization(t, "alpha")
	enter := func(ctx context.Context, id string) (steps.Account, error) {
		return mgmt.AssumeRole(ctx, awsops.RoleARN("aws", id, awsops.DefaultOrgRole))
	}
	rootMFA := func() map[string]steps.Check {
		t.Helper()
		report, err := steps.ReadOrg(ctx, mgmt, mgmt, enter, steps.OrgOptions{Role: awsops.DefaultOrgRole})
		if err != nil {
			t.Fatal(err)
		}
		if report.Benchmark != steps.Benchmark {
			t.Errorf("benchmark = %q", report.Benchmark)
		}
		got := map[string]steps.Check{}
		for _, a := range report.Accounts {
			got[a.AccountID] = checkByID(a.Checks, steps.CheckRootMFA)
		}
		return got
	}
	if got := rootMFA(); got[ids[0]].Status != steps.Fail {
		t.Errorf("without the feature, the member: %+v", got[ids[0]])
	}
	moto.OrganizationFeatures(t, orgID, awsops.FeatureRootCredentialsManagement, awsops.FeatureRootSessions)
	got := rootMFA()
	if c := got[ids[0]]; c.Status != steps.Warn || c.Detail != "MFA off; this organization manages root credentials centrally — root may have none "+
		"(the management account's ListOrganizationsFeatures; nothing this account can read says whether root has a password)" {
		t.Errorf("member: %+v", c)
	}
	if c := got[awstest.MotoAccountID]; c.Status != steps.Fail {
		t.Errorf("management account: %+v", c)
	}
	yes := true
	moto.Root(t, awstest.RootUser{Password: &yes})
	if c := rootMFA()[ids[0]]; c.Status != steps.Fail || !strings.Contains(c.Detail, "the root user has credentials (the IAM account summary), though this organization manages root credentials centrally") {
		t.Errorf("member whose root has a password: %+v", c)
	}
}

// The wizard no longer attaches IAMUserChangePassword to the admin user
// (CIS 1.15: no policy on a user); run again on an account an earlier
// awssecure left it on, it detaches it when the user's group has
// AdministratorAccess, and says so; a user in another group keeps it.
func TestAdminUserHasNoPolicyOfItsOwnAgainstMoto(t *testing.T) {
	ctx, acct := motoAccount(t)
	caller, err := acct.WhoAmI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := steps.AdminGroup.Apply(ctx, acct, caller, "administrators"); err != nil {
		t.Fatal(err)
	}
	req := steps.UserRequest{Name: "alice", Group: "administrators", Console: true, Programmatic: true}
	if _, err := steps.ApplyAdminUser(ctx, acct, caller, req); err != nil {
		t.Fatal(err)
	}
	if policies, _ := acct.UserPolicies(ctx, "alice"); len(policies) != 0 {
		t.Errorf("the new admin user has policies of its own: %v", policies)
	}
	if c := check(t, ctx, acct, steps.CheckUserPolicies); c.Status != steps.Pass {
		t.Errorf("after the user step: %+v", c)
	}
	if cli := steps.UserCLI(caller, req); strings.Contains(cli, "attach-user-policy") {
		t.Errorf("the CLI still attaches a policy:\n%s", cli)
	}
	if !strings.Contains(steps.AdminUser.Why, "no policy on the user itself (CIS 1.15)") {
		t.Errorf("the teaching text does not say why: %q", steps.AdminUser.Why)
	}

	// What an earlier awssecure left.
	const changePassword = "arn:aws:iam::aws:policy/IAMUserChangePassword"
	if err := acct.AttachUserPolicy(ctx, "alice", changePassword); err != nil {
		t.Fatal(err)
	}
	snap, _ := steps.ReadSnapshot(ctx, acct)
	if c := checkByID(steps.Checks(snap), steps.CheckUserPolicies); c.Status != steps.Fail || c.Detail != "policies on users, not groups: alice (IAMUserChangePassword)" {
		t.Errorf("with the old policy: %+v", c)
	}
	// Never taken away unseen: a request that did not show it leaves it.
	if res, err := steps.ApplyAdminUser(ctx, acct, caller, req); err != nil || len(res.Removed) != 0 {
		t.Errorf("a request that did not show the policy: removed %v, %v", res.Removed, err)
	}
	if policies, _ := acct.UserPolicies(ctx, "alice"); !slices.Equal(policies, []string{changePassword}) {
		t.Errorf("detached unseen: %v", policies)
	}
	// The form's request (its default, which the form shows) asks for it,
	// and its CLI, the runbook's, says it.
	redo := steps.AdminUser.Default(snap)
	if !redo.DropChangePassword || !strings.Contains(steps.UserCLI(caller, redo), "aws iam detach-user-policy --user-name alice --policy-arn "+changePassword) {
		t.Errorf("rerun request %+v, CLI:\n%s", redo, steps.UserCLI(caller, redo))
	}
	out, err := steps.AdminUser.Apply(ctx, acct, caller, redo)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Changed || !strings.Contains(out.Said, "IAMUserChangePassword is detached from alice: group administrators's AdministratorAccess already lets alice change its password") {
		t.Errorf("rerun: %+v", out)
	}
	if policies, _ := acct.UserPolicies(ctx, "alice"); len(policies) != 0 {
		t.Errorf("after the rerun: %v", policies)
	}
	if c := checkByID(steps.Checks(snap.With(out.Change)), steps.CheckUserPolicies); c.Status != steps.Pass {
		t.Errorf("the outcome's change: %+v", c)
	}
	again, err := steps.ApplyAdminUser(ctx, acct, caller, req)
	if err != nil || len(again.Removed) != 0 {
		t.Errorf("second rerun: %+v, %v", again.Removed, err)
	}

	// A user whose group does not give AdministratorAccess keeps it: it
	// may be the user's only way to set the password first sign-in asks.
	if _, err := acct.EnsureGroupWithPolicy(ctx, "readers", "arn:aws:iam::aws:policy/ReadOnlyAccess"); err != nil {
		t.Fatal(err)
	}
	if _, err := acct.CreateUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := acct.AttachUserPolicy(ctx, "bob", changePassword); err != nil {
		t.Fatal(err)
	}
	res, err := steps.ApplyAdminUser(ctx, acct, caller, steps.UserRequest{Name: "bob", Group: "readers", DropChangePassword: true})
	if policies, _ := acct.UserPolicies(ctx, "bob"); err != nil || len(res.Removed) != 0 || !slices.Equal(policies, []string{changePassword}) {
		t.Errorf("bob in readers: removed %v, policies %v, %v", res.Removed, policies, err)
	}

	// The done screen's detach, for an admin user found done.
	if err := acct.AttachUserPolicy(ctx, "alice", changePassword); err != nil {
		t.Fatal(err)
	}
	snap, _ = steps.ReadSnapshot(ctx, acct)
	if !snap.ChangePasswordOn("alice") || snap.ChangePasswordOn("bob") == false || snap.AdminGroupOf("alice") != "administrators" {
		t.Errorf("snapshot: on alice %v, on bob %v, alice's admin group %q", snap.ChangePasswordOn("alice"), snap.ChangePasswordOn("bob"), snap.AdminGroupOf("alice"))
	}
	done, err := steps.DetachChangePassword(ctx, acct, caller, "alice", "administrators")
	if err != nil || !done.Changed || !strings.Contains(done.Said, "IAMUserChangePassword is detached from alice") {
		t.Errorf("detach: %+v, %v", done, err)
	}
	if policies, _ := acct.UserPolicies(ctx, "alice"); len(policies) != 0 || snap.With(done.Change).ChangePasswordOn("alice") {
		t.Errorf("after the detach: %v", policies)
	}
	if cli := steps.DetachChangePasswordCLI(caller, "alice"); cli != "aws iam detach-user-policy --user-name alice --policy-arn "+changePassword {
		t.Errorf("CLI = %q", cli)
	}
	// A customer policy named IAMUserChangePassword is not awssecure's.
	if snap := (steps.Snapshot{UserPolicies: []steps.UserPolicies{{User: "carol", Attached: []string{"arn:aws:iam::123456789012:policy/IAMUserChangePassword"}}}}); snap.ChangePasswordOn("carol") {
		t.Error("a customer policy of that name counts as awssecure's")
	}
}

// CIS 1.15 fails any user with an attached or an inline policy, naming
// each, from the bulk read status makes anyway: no call per user.
func TestUserPoliciesAgainstMoto(t *testing.T) {
	ctx, acct := motoAccount(t)
	buildPeople(t, ctx, acct, map[string]person{"alice": {groups: []string{"administrators"}}, "bob": {}, "carol": {}})
	if err := acct.AttachUserPolicy(ctx, "bob", "arn:aws:iam::aws:policy/ReadOnlyAccess"); err != nil {
		t.Fatal(err)
	}
	moto.PutUserPolicy(t, "carol", "s3-access", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	proxy := awstest.NewProxy(t, moto.URL)
	t.Setenv("AWS_ENDPOINT_URL", proxy.URL)
	logged, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := check(t, ctx, logged, steps.CheckUserPolicies)
	if c.Status != steps.Fail || c.CIS != "1.15" || c.Detail != "policies on users, not groups: bob (ReadOnlyAccess), carol (inline s3-access)" {
		t.Errorf("%+v", c)
	}
	for _, per := range []string{"ListAttachedUserPolicies", "ListUserPolicies", "GetUserPolicy"} {
		if n := count(proxy.Actions(), per); n != 0 {
			t.Errorf("%d %s calls: the bulk read has the policies", n, per)
		}
	}
}

// CIS 1.14 and 1.12 from the credential report: a key made today passes
// both; judged 100 days on, never used, it is neither rotated nor used;
// a console password set and never used fails 1.12 after 45 days. The
// report is read in one call beside a GenerateCredentialReport, whatever
// the users, and its time is in the detail.
func TestCredentialAgesAgainstMoto(t *testing.T) {
	ctx, acct := motoAccount(t)
	buildPeople(t, ctx, acct, map[string]person{"alice": {groups: []string{"administrators"}, password: true, virtual: true}, "ci": {}})
	if _, err := acct.CreateAccessKey(ctx, "ci"); err != nil {
		t.Fatal(err)
	}
	proxy := awstest.NewProxy(t, moto.URL)
	t.Setenv("AWS_ENDPOINT_URL", proxy.URL)
	logged, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := steps.ReadSnapshot(ctx, logged)
	if err != nil {
		t.Fatal(err)
	}
	// The two calls go at once: the read finds no report (then reads the
	// new one), or finds the one generated a moment before.
	if n, m := count(proxy.Actions(), "GetCredentialReport"), count(proxy.Actions(), "GenerateCredentialReport"); n < 1 || n > 2 || m != 1 {
		t.Errorf("first read: %d GetCredentialReport, %d GenerateCredentialReport; want 1 or 2 and 1", n, m)
	}
	at := func(days int) map[string]steps.Check {
		s := snap
		s.ReadAt = snap.ReadAt.Add(time.Duration(days) * 24 * time.Hour)
		checks := map[string]steps.Check{}
		for _, c := range steps.Checks(s) {
			checks[c.ID] = c
		}
		return checks
	}
	now := at(0)
	if c := now[steps.CheckKeysRotated]; c.Status != steps.Pass || c.CIS != "1.14" || c.Detail != "the one active key is younger than 90 days (the credential report of 2 Feb 2015 20:02 UTC)" {
		t.Errorf("today, keys: %+v", c)
	}
	if c := now[steps.CheckUnusedCredentials]; c.Status != steps.Pass || c.CIS != "1.12" {
		t.Errorf("today, unused: %+v", c)
	}
	later := at(50)
	if c := later[steps.CheckUnusedCredentials]; c.Status != steps.Fail ||
		c.Detail != "unused for 45 days or more: alice (password never used, set 50 days ago), ci (key 1 never used, set 50 days ago) (the credential report of 2 Feb 2015 20:02 UTC)" {
		t.Errorf("50 days on, unused: %+v", c)
	}
	if c := later[steps.CheckKeysRotated]; c.Status != steps.Pass {
		t.Errorf("50 days on, keys: %+v", c)
	}
	if c := at(100)[steps.CheckKeysRotated]; c.Status != steps.Fail || !strings.HasPrefix(c.Detail, "older than 90 days: ci (key 1, 100 days)") {
		t.Errorf("100 days on, keys: %+v", c)
	}
	// The next read finds the report made: one of each call, in the first round.
	proxy.Reset()
	if _, err := steps.ReadSnapshot(ctx, logged); err != nil {
		t.Fatal(err)
	}
	if n, m := count(proxy.Actions(), "GetCredentialReport"), count(proxy.Actions(), "GenerateCredentialReport"); n != 1 || m != 1 {
		t.Errorf("second read: %d GetCredentialReport, %d GenerateCredentialReport; want 1 and 1", n, m)
	}
}

// The report is up to four hours old: a user deleted since it was made
// is not named; and a deactivated key or a used one is not unused.
func TestCredentialAgesFollowTheLiveUsers(t *testing.T) {
	made := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s := steps.Snapshot{
		ReadAt: made.Add(200 * 24 * time.Hour),
		CredentialReport: awsops.CredentialReport{Generated: made, Users: []awsops.CredentialRow{
			{User: "gone", PasswordEnabled: "false", Keys: [2]awsops.KeyColumns{{Active: true, LastRotated: made}}},
			{User: "kept", PasswordEnabled: "true", PasswordLastUsed: made.Add(190 * 24 * time.Hour), PasswordLastChanged: made,
				Keys: [2]awsops.KeyColumns{{Active: false, LastRotated: made}, {Active: true, LastRotated: made.Add(150 * 24 * time.Hour), LastUsed: made.Add(199 * 24 * time.Hour)}}},
		}},
		UserNames: []string{"kept"},
	}
	checks := map[string]steps.Check{}
	for _, c := range steps.Checks(s) {
		checks[c.ID] = c
	}
	if c := checks[steps.CheckKeysRotated]; c.Status != steps.Pass || c.Detail != "the one active key is younger than 90 days (the credential report of 1 Jan 2025 00:00 UTC)" {
		t.Errorf("keys: %+v", c)
	}
	if c := checks[steps.CheckUnusedCredentials]; c.Status != steps.Pass {
		t.Errorf("unused: %+v", c)
	}
	s.UserNames = nil // the live list could not be read: every row counts
	if c := checkByID(steps.Checks(s), steps.CheckKeysRotated); c.Status != steps.Fail || !strings.Contains(c.Detail, "gone (key 1, 200 days)") {
		t.Errorf("without the live list: %+v", c)
	}
}

// On the practice account the report works as IAM's: none before it is
// generated, the users' keys and passwords in it, none once four hours
// old (a new one then); a learner's new admin user passes both checks.
func TestCredentialReportOnPractice(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	p, err := awsops.NewPractice(awsops.PracticeOptions{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := p.CredentialReport(ctx); !errors.Is(err, awsops.ErrReportNotReady) {
		t.Errorf("before any report: %v", err)
	}
	caller, _ := p.WhoAmI(ctx)
	if _, err := steps.AdminGroup.Apply(ctx, p, caller, "administrators"); err != nil {
		t.Fatal(err)
	}
	if _, err := steps.ApplyAdminUser(ctx, p, caller, steps.UserRequest{Name: "alice", Group: "administrators", Console: true, Programmatic: true}); err != nil {
		t.Fatal(err)
	}
	snap, err := steps.ReadSnapshot(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	snap.ReadAt = now // the practice account's clock, not this machine's
	r := snap.CredentialReport
	if snap.CredentialReportErr != nil || !r.Generated.Equal(now) || r.Root == nil || r.Root.PasswordEnabled != "not_supported" || len(r.Users) != 1 {
		t.Fatalf("report %+v, %v", r, snap.CredentialReportErr)
	}
	alice := r.Users[0]
	if alice.User != "alice" || alice.PasswordEnabled != "true" || !alice.PasswordLastChanged.Equal(now) || !alice.Keys[0].Active || !alice.Keys[0].LastRotated.Equal(now) || alice.Keys[1].Active {
		t.Errorf("alice's row = %+v", alice)
	}
	for _, id := range []string{steps.CheckKeysRotated, steps.CheckUnusedCredentials, steps.CheckUserPolicies} {
		if c := checkByID(steps.Checks(snap), id); c.Status != steps.Pass {
			t.Errorf("%s: %+v", id, c)
		}
	}
	now = now.Add(5 * time.Hour)
	if _, err := p.CredentialReport(ctx); !errors.Is(err, awsops.ErrReportNotReady) {
		t.Errorf("five hours on: %v, want expired", err)
	}
	if snap, _ := steps.ReadSnapshot(ctx, p); !snap.CredentialReport.Generated.Equal(now) {
		t.Errorf("regenerated at %v, want %v", snap.CredentialReport.Generated, now)
	}
}

// Billing report: only a healthy export of cost and usage (CUR 2.0 or
// FOCUS), or a legacy report delivered, passes; an unhealthy export warns
// with AWS's reason, one of another table says which, and a legacy report
// whose delivery fails says how. The table is read only for healthy
// exports.
func TestBillingReportHealthAgainstMoto(t *testing.T) {
	for _, tc := range []struct {
		name   string
		build  func(d *awstest.DataExports)
		want   steps.CheckStatus
		detail string
		gets   int
	}{
		{"CUR 2.0, healthy", func(d *awstest.DataExports) { d.AddExport("cur", "COST_AND_USAGE_REPORT") }, steps.Pass, "delivered: cur (COST_AND_USAGE_REPORT)", 1},
		{"FOCUS", func(d *awstest.DataExports) { d.AddExport("focus", "FOCUS_1_0_AWS") }, steps.Pass, "delivered: focus (FOCUS_1_0_AWS)", 1},
		{"CUR 2.0, unhealthy", func(d *awstest.DataExports) {
			d.AddExport("cur", "COST_AND_USAGE_REPORT")
			d.SetStatus("cur", "UNHEALTHY", "INSUFFICIENT_PERMISSION")
		}, steps.Warn, "no report delivers cost and usage: cur is UNHEALTHY, INSUFFICIENT_PERMISSION", 0},
		{"carbon emissions", func(d *awstest.DataExports) { d.AddExport("carbon", "CARBON_EMISSIONS") }, steps.Warn,
			"no report delivers cost and usage: carbon delivers CARBON_EMISSIONS, not cost and usage", 1},
		{"one good among bad", func(d *awstest.DataExports) {
			d.AddExport("recommendations", "COST_OPTIMIZATION_RECOMMENDATIONS")
			d.AddExport("cur", "COST_AND_USAGE_REPORT")
		}, steps.Pass, "delivered: cur (COST_AND_USAGE_REPORT); not usable: recommendations delivers COST_OPTIMIZATION_RECOMMENDATIONS, not cost and usage", 2},
		{"legacy, failing", func(d *awstest.DataExports) { d.AddLegacyReport("old-cur", "ERROR_PERMISSIONS") }, steps.Warn,
			"no report delivers cost and usage: old-cur: last delivery ERROR_PERMISSIONS", 0},
		{"legacy, delivered", func(d *awstest.DataExports) { d.AddLegacyReport("old-cur", "SUCCESS") }, steps.Pass, "delivered: old-cur (legacy Cost and Usage Report)", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, acct := motoAccount(t)
			d := moto.UseDataExports(t)
			tc.build(d)
			acct, _ = awsops.New(ctx, awsops.Options{})
			snap, err := steps.ReadSnapshot(ctx, acct)
			if err != nil {
				t.Fatal(err)
			}
			if c := checkByID(steps.Checks(snap), steps.CheckBillingReport); c.Status != tc.want || c.Detail != tc.detail {
				t.Errorf("%+v", c)
			}
			if n := count(d.Calls(), "GetExport"); n != tc.gets {
				t.Errorf("%d GetExport calls, want %d", n, tc.gets)
			}
			// The billing step offers a report of its own unless one passes.
			if _, done := steps.ReportDone(snap); done != (tc.want == steps.Pass) {
				t.Errorf("ReportDone = %v", done)
			}
		})
	}
}

// Each check's cis names only a control whose audit it performs, and a
// check that cites one fails where that audit fails: a password policy of
// 12 characters, Block Public Access with three settings of four, EBS
// encryption or an analyzer in some regions only, a trail of one region.
func TestVerdictsFollowTheAudits(t *testing.T) {
	want := map[string]string{
		steps.CheckRootMFA: "1.5", steps.CheckRootAccessKeys: "1.4", steps.CheckPasswordPolicy: "1.8, 1.9", steps.CheckAdminGroup: "",
		steps.CheckAdminUser: "", steps.CheckAdminUserMFA: "1.10", steps.CheckAccountAlias: "", steps.CheckOptInRegions: "",
		steps.CheckCloudTrail: "3.1, 3.2", steps.CheckBudget: "", steps.CheckBillingReport: "", steps.CheckSecurityContact: "1.2",
		steps.CheckPublicAccessBlock: "2.1.4", steps.CheckEBSEncryption: "2.2.1", steps.CheckAccessAnalyzer: "1.20", steps.CheckGuardDuty: "",
		steps.CheckUserPolicies: "1.15", steps.CheckKeysRotated: "1.14", steps.CheckUnusedCredentials: "1.12", steps.CheckRootActivityAlert: "4.3",
	}
	var ids []string
	for _, c := range steps.Checks(steps.Snapshot{}) {
		ids = append(ids, c.ID)
		if cis, ok := want[c.ID]; !ok || c.CIS != cis {
			t.Errorf("%s cites %q, want %q", c.ID, c.CIS, cis)
		}
	}
	if tail := ids[len(ids)-4:]; !slices.Equal(tail, []string{steps.CheckUserPolicies, steps.CheckKeysRotated, steps.CheckUnusedCredentials, steps.CheckRootActivityAlert}) || ids[len(ids)-5] != steps.CheckGuardDuty {
		t.Errorf("check order = %v: the new checks go after guardduty, in the schema's order", ids)
	}

	weak := steps.DefaultPolicy
	weak.MinimumLength = 12
	regions := []steps.RegionGuard{{Name: "us-east-1", EBS: true, Analyzer: true}, {Name: "eu-west-1"}}
	s := steps.Snapshot{
		Policy: &weak,
		Trails: []steps.TrailFacts{{Trail: awsops.Trail{Name: "t", ARN: "arn:aws:cloudtrail:us-east-1:1:trail/t", HomeRegion: "us-east-1", LogFileValidation: true}, Logging: true}},
		Guards: steps.GuardFacts{Block: &awsops.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true}, Regions: regions},
	}
	for id, detail := range map[string]string{
		steps.CheckPasswordPolicy:    "minimum length 12 < 14",
		steps.CheckCloudTrail:        "logs only us-east-1",
		steps.CheckPublicAccessBlock: "3 of 4 settings on",
		steps.CheckEBSEncryption:     "off: eu-west-1",
		steps.CheckAccessAnalyzer:    "off: eu-west-1",
	} {
		if c := checkByID(steps.Checks(s), id); c.Status != steps.Fail || !strings.Contains(c.Detail, detail) {
			t.Errorf("%s: %+v, want fail", id, c)
		}
	}
	// Advice no control requires stays a warning; so does the one state
	// the audit cannot settle here.
	if c := checkByID(steps.Checks(s), steps.CheckGuardDuty); c.Status != steps.Warn {
		t.Errorf("guardduty: %+v", c)
	}
}

// Facts that cannot be read leave the new checks unknown, saying which
// call was refused, never pass: the credential report's two checks when
// GetCredentialReport is denied (the MFA and password checks, on live
// reads, still answer), the users' policies when the bulk read is.
func TestNewChecksUnknownWhenUnreadAgainstMoto(t *testing.T) {
	iam, _, _ := moto.UseThroughProxies(t)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	buildPeople(t, ctx, acct, map[string]person{"alice": {groups: []string{"administrators"}, password: true}})
	iam.Deny("GetCredentialReport", "")
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{steps.CheckKeysRotated, steps.CheckUnusedCredentials} {
		if c := checkByID(steps.Checks(snap), id); c.Status != steps.Unknown || !strings.Contains(c.Detail, "iam:GetCredentialReport") {
			t.Errorf("report denied, %s: %+v", id, c)
		}
	}
	if c := checkByID(steps.Checks(snap), steps.CheckAdminUserMFA); c.Status != steps.Fail {
		t.Errorf("report denied, admin-user-mfa (live reads): %+v", c)
	}
	iam.Deny("GetAccountAuthorizationDetails", "")
	snap, err = steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	if c := checkByID(steps.Checks(snap), steps.CheckUserPolicies); c.Status != steps.Unknown || !strings.Contains(c.Detail, "iam:GetAccountAuthorizationDetails") {
		t.Errorf("bulk read denied, iam-user-policies: %+v", c)
	}
}

// The billing step's own export, once unhealthy (its bucket's policy
// changed, say), is not made again and not called delivered: the step
// says what AWS says of it and changes nothing. And right after the step
// makes a report, the checklist the wizard shows (the snapshot with the
// step's change, not read again) passes it.
func TestBillingStepBesideItsUnhealthyExportAgainstMoto(t *testing.T) {
	ctx, acct := motoAccount(t)
	d := moto.UseDataExports(t)
	acct, _ = awsops.New(ctx, awsops.Options{})
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.Billing.Default(snap)
	in.Budget, in.Report = false, true
	out, err := steps.Billing.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	if c := checkByID(steps.Checks(snap.With(out.Change)), steps.CheckBillingReport); c.Status != steps.Pass || !strings.Contains(c.Detail, steps.ExportName) {
		t.Errorf("after the step, the wizard's checklist: %+v", c)
	}
	d.SetStatus(steps.ExportName, "UNHEALTHY", "INSUFFICIENT_PERMISSION")
	snap, _ = steps.ReadSnapshot(ctx, acct)
	if c := checkByID(steps.Checks(snap), steps.CheckBillingReport); c.Status != steps.Warn || !strings.Contains(c.Detail, "INSUFFICIENT_PERMISSION") {
		t.Errorf("unhealthy: %+v", c)
	}
	in = steps.Billing.Default(snap)
	in.Budget, in.Report = false, true
	creates := count(d.Calls(), "CreateExport")
	out, err = steps.Billing.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(d.Calls(), "CreateExport"); n != creates {
		t.Errorf("CreateExport called again beside the unhealthy export")
	}
	if strings.Contains(out.Said, "is delivered") || !strings.Contains(out.Said, "UNHEALTHY, INSUFFICIENT_PERMISSION") {
		t.Errorf("said: %q", out.Said)
	}
	if c := checkByID(steps.Checks(snap.With(out.Change)), steps.CheckBillingReport); c.Status != steps.Warn {
		t.Errorf("after the rerun, the wizard's checklist: %+v", c)
	}
}
