package main

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// member opens a member account of the moto organization as status does,
// through the role, to build its state.
func member(t *testing.T, ctx context.Context, mgmt *awsops.Client, id string) *awsops.Client {
	t.Helper()
	c, err := mgmt.AssumeRole(ctx, awsops.RoleARN("aws", id, awsops.DefaultOrgRole))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// securedAccount is an account taken through the tutorial: policy, admin
// group, admin user with console password and MFA, alias.
func securedAccount(t *testing.T, ctx context.Context, c *awsops.Client, alias string) {
	t.Helper()
	strong := awsops.PasswordPolicy{MinimumLength: 14, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, AllowUsersToChange: true, ReusePrevention: 24}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.SetPasswordPolicy(ctx, strong))
	_, err := c.EnsureGroupWithPolicy(ctx, "administrators", "arn:aws:iam::aws:policy/AdministratorAccess")
	must(err)
	_, err = c.CreateUser(ctx, "alice")
	must(err)
	_, err = c.EnsureUserInGroup(ctx, "alice", "administrators")
	must(err)
	must(c.CreateLoginProfile(ctx, "alice", awsops.NewSecret("Xy7!status-org-pass"), true))
	dev, err := c.CreateVirtualMFADevice(ctx, "alice")
	must(err)
	c1, c2 := awsops.PhoneCodes(dev.Seed, time.Now())
	must(c.EnableMFADevice(ctx, "alice", dev.Serial, c1, c2))
	must(c.CreateAccountAlias(ctx, alias))
}

// orgDoc is status --org --json's document, keys checked against the schema.
type orgDoc struct {
	OrganizationID string `json:"organization_id"`
	Accounts       []struct {
		AccountID string              `json:"account_id"`
		Name      string              `json:"name"`
		Error     string              `json:"error"`
		Checks    []map[string]string `json:"checks"`
	} `json:"accounts"`
}

// A four-account organization on moto, each account in its own state (the
// management account fresh, one secured, one with only its admin group,
// one whose role cannot be assumed): status --org --json says each
// account's real state, the text grid fits 80 columns with a row per
// account and the unread one's sentence, the exit code is 1, and nothing
// is written.
func TestStatusOrgAgainstMoto(t *testing.T) {
	api := awstest.NewAccountAPI(t)
	moto.Use(t, api.URL)
	ctx := awstest.Context(t)
	mgmt, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	orgID, ids := moto.CreateOrganization(t, "alpha", "beta", "gamma")
	alpha, beta, gamma := ids[0], ids[1], ids[2]
	securedAccount(t, ctx, member(t, ctx, mgmt, alpha), "acme-alpha")
	if _, err := member(t, ctx, mgmt, beta).EnsureGroupWithPolicy(ctx, "administrators", "arn:aws:iam::aws:policy/AdministratorAccess"); err != nil {
		t.Fatal(err)
	}
	iam, regions := awstest.NewProxy(t, moto.URL), awstest.NewProxy(t, api.URL)
	t.Setenv("AWS_ENDPOINT_URL", iam.URL)
	t.Setenv("AWS_ENDPOINT_URL_ACCOUNT", regions.URL)
	iam.Deny("AssumeRole", awsops.RoleARN("aws", gamma, awsops.DefaultOrgRole))

	js := runCLI("status", "--org", "--json")
	if js.code != 1 {
		t.Errorf("exit %d, want 1 (root MFA is off in moto; gamma cannot be read)\n%s", js.code, js.stderr)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js.stdout), &raw); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, js.stdout)
	}
	if keys := slices.Sorted(maps.Keys(raw)); !slices.Equal(keys, []string{"accounts", "benchmark", "organization_id"}) {
		t.Errorf("top-level keys = %v", keys)
	}
	if string(raw["benchmark"]) != `"CIS AWS Foundations Benchmark v3.0.0"` {
		t.Errorf("benchmark = %s, once at the top", raw["benchmark"])
	}
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(raw["accounts"], &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if keys := slices.Sorted(maps.Keys(r)); !slices.Equal(keys, []string{"account_id", "checks", "error", "name"}) {
			t.Errorf("account keys = %v", keys)
		}
	}
	var doc orgDoc
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OrganizationID != orgID || len(doc.Accounts) != 4 {
		t.Fatalf("organization %q with %d accounts, want %q with 4:\n%s", doc.OrganizationID, len(doc.Accounts), orgID, js.stdout)
	}
	byID := map[string]map[string]string{}
	errs := map[string]string{}
	for _, a := range doc.Accounts {
		errs[a.AccountID] = a.Error
		byID[a.AccountID] = map[string]string{}
		var ids []string
		for _, c := range a.Checks {
			byID[a.AccountID][c["id"]] = c["status"]
			ids = append(ids, c["id"])
		}
		if a.Error == "" && !slices.Equal(ids, checkIDs) {
			t.Errorf("%s: check ids %v, want %v", a.Name, ids, checkIDs)
		}
	}
	want := map[string]map[string]string{
		"123456789012": {"root-mfa": "fail", "password-policy": "fail", "admin-group": "fail", "admin-user": "fail", "admin-user-mfa": "pass", "account-alias": "fail"},
		alpha:          {"root-mfa": "fail", "password-policy": "pass", "admin-group": "pass", "admin-user": "pass", "admin-user-mfa": "pass", "account-alias": "pass"},
		beta:           {"root-mfa": "fail", "password-policy": "fail", "admin-group": "pass", "admin-user": "fail", "admin-user-mfa": "pass", "account-alias": "fail"},
	}
	for id, checks := range want {
		if errs[id] != "" {
			t.Errorf("%s could not be read: %s", id, errs[id])
		}
		for check, status := range checks {
			if byID[id][check] != status {
				t.Errorf("%s %s = %q, want %q", id, check, byID[id][check], status)
			}
		}
	}
	if !strings.Contains(errs[gamma], "could not assume role OrganizationAccountAccessRole") || len(byID[gamma]) != 0 {
		t.Errorf("gamma: error %q, checks %v; want the role's sentence and no checks", errs[gamma], byID[gamma])
	}

	text := runCLI("status", "--org")
	if text.code != 1 {
		t.Errorf("text: exit %d, want 1", text.code)
	}
	lines := strings.Split(strings.TrimRight(text.stdout, "\n"), "\n")
	for _, l := range lines {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("line of %d columns: %q", n, l)
		}
	}
	for _, name := range []string{"alpha", "beta", "gamma"} {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, name+" ") }) {
			t.Errorf("no row for %s:\n%s", name, text.stdout)
		}
	}
	alphaRow := lines[slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "alpha ") })]
	// The tutorial's first eight checks; the later steps' (CloudTrail and
	// on) alpha has not done, so they fail.
	got := strings.Fields(alphaRow)[2:]
	if len(got) != len(steps.Checks(steps.Snapshot{})) || !slices.Equal(got[:8], []string{"✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓"}) {
		t.Errorf("alpha's row = %q", alphaRow)
	}
	// The legend wraps at hyphens too: join what a hyphen split.
	squashed := strings.Join(strings.Fields(strings.ReplaceAll(text.stdout, "-\n", "-")), " ")
	for _, c := range steps.Checks(steps.Snapshot{}) {
		if !strings.Contains(squashed, " "+c.ID) { // the legend names every column
			t.Errorf("the legend does not name %s:\n%s", c.ID, text.stdout)
		}
	}
	for _, want := range []string{"Organization " + orgID, "✓ pass  ✗ fail  ! warn  ? unknown  · not read", "gamma (" + gamma + "): could not assume role", "4 accounts: 0 all pass, 3 to fix, 1 not read."} {
		if !strings.Contains(text.stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, text.stdout)
		}
	}
	if w := append(iam.Writes(), regions.Writes()...); slices.ContainsFunc(w, func(a string) bool { return a != "AssumeRole" }) {
		t.Errorf("status --org made write calls: %v", w)
	}
}

// An account in no organization cannot be listed: exit 2, the sentence on
// stderr, nothing on stdout.
func TestStatusOrgWithoutOrganization(t *testing.T) {
	moto.Use(t, awstest.NewAccountAPI(t).URL)
	r := runCLI("status", "--org", "--json")
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "not in an AWS Organization") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// The exit code of --org follows its rows: 0 only when every account
// passes, 1 when one fails or cannot be read (under --strict, also warns).
func TestOrgAccountFailing(t *testing.T) {
	pass := steps.AccountReport{Checks: []steps.Check{{Status: steps.Pass}, {Status: steps.Warn}}}
	fail := steps.AccountReport{Checks: []steps.Check{{Status: steps.Fail}}}
	unread := steps.AccountReport{Error: "could not assume role"}
	if pass.Failing(false) || !pass.Failing(true) || !fail.Failing(false) || !unread.Failing(false) {
		t.Errorf("Failing: pass %v/%v, fail %v, unread %v", pass.Failing(false), pass.Failing(true), fail.Failing(false), unread.Failing(false))
	}
}
