package awsops_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

const adminARN = "arn:aws:iam::aws:policy/AdministratorAccess"

func TestWhoAmIAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	caller, err := c.WhoAmI(awstest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	if caller.AccountID != "123456789012" || caller.ARN == "" {
		t.Errorf("caller = %+v, want moto's default account and an ARN", caller)
	}
	// moto's default caller is an IAM user, never root.
	if caller.IsRoot() {
		t.Errorf("moto caller %s reported as root", caller.ARN)
	}
	if got := caller.AdministratorAccessARN(); got != adminARN {
		t.Errorf("AdministratorAccessARN = %s", got)
	}
}

func TestCallerRootAndPartition(t *testing.T) {
	for _, tc := range []struct {
		arn       string
		root      bool
		partition string
	}{
		{"arn:aws:iam::123456789012:root", true, "aws"},
		{"arn:aws:iam::123456789012:user/root", false, "aws"},
		{"arn:aws-cn:iam::123456789012:root", true, "aws-cn"},
		{"arn:aws-us-gov:sts::123456789012:assumed-role/Admin/alice", false, "aws-us-gov"},
		{"", false, "aws"},
	} {
		c := awsops.Caller{ARN: tc.arn}
		if c.IsRoot() != tc.root || c.Partition() != tc.partition {
			t.Errorf("%q: root=%v partition=%s, want %v %s", tc.arn, c.IsRoot(), c.Partition(), tc.root, tc.partition)
		}
	}
	if got := (awsops.Caller{ARN: "arn:aws-cn:iam::1:root"}).AdministratorAccessARN(); got != "arn:aws-cn:iam::aws:policy/AdministratorAccess" {
		t.Errorf("China partition admin ARN = %s", got)
	}
}

func TestAccountSummaryAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	sum, err := c.AccountSummary(awstest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	// moto always reports root MFA off and no root keys.
	if sum.RootMFAEnabled || sum.RootAccessKeysPresent {
		t.Errorf("summary = %+v, want both false on moto", sum)
	}
}

func TestPasswordPolicyAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	if _, err := c.PasswordPolicy(ctx); !errors.Is(err, awsops.ErrNotFound) {
		t.Fatalf("policy on a new account: err = %v, want ErrNotFound", err)
	}
	want := awsops.PasswordPolicy{
		MinimumLength: 14, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true,
		RequireSymbols: true, AllowUsersToChange: true, ReusePrevention: 24,
	}
	for range 2 { // the second set must be harmless
		if err := c.SetPasswordPolicy(ctx, want); err != nil {
			t.Fatal(err)
		}
	}
	got, err := c.PasswordPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("policy = %+v, want %+v", got, want)
	}
	weaker := awsops.PasswordPolicy{MinimumLength: 8, MaxAgeDays: 90}
	if err := c.SetPasswordPolicy(ctx, weaker); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.PasswordPolicy(ctx); got != weaker {
		t.Errorf("replaced policy = %+v, want %+v", got, weaker)
	}
}

func TestGroupsAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	if err := c.CreateGroup(ctx, "administrators"); err != nil {
		t.Fatal(err)
	}
	err := c.CreateGroup(ctx, "administrators")
	if !errors.Is(err, awsops.ErrAlreadyExists) || awsops.ActionOf(err) != "iam:CreateGroup" {
		t.Errorf("duplicate group: err = %v, want ErrAlreadyExists from iam:CreateGroup", err)
	}
	if _, err := c.GroupPolicies(ctx, "nobody"); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("policies of a missing group: err = %v, want ErrNotFound", err)
	}
	if err := c.AttachGroupPolicy(ctx, "administrators", "arn:aws:iam::aws:policy/NoSuchPolicy"); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("attach missing policy: err = %v, want ErrNotFound", err)
	}
	if _, err := c.GroupMembers(ctx, "nobody"); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("members of a missing group: err = %v, want ErrNotFound", err)
	}
}

func TestEnsureGroupWithPolicyAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	changed, err := c.EnsureGroupWithPolicy(ctx, "administrators", adminARN)
	if err != nil || !changed {
		t.Fatalf("first ensure: changed=%v err=%v, want a change", changed, err)
	}
	changed, err = c.EnsureGroupWithPolicy(ctx, "administrators", adminARN)
	if err != nil || changed {
		t.Fatalf("second ensure: changed=%v err=%v, want no change", changed, err)
	}
	groups, _ := c.Groups(ctx)
	policies, _ := c.GroupPolicies(ctx, "administrators")
	if !slices.Equal(groups, []string{"administrators"}) || !slices.Equal(policies, []string{adminARN}) {
		t.Errorf("groups=%v policies=%v, want one group with AdministratorAccess once", groups, policies)
	}
	// A group that exists without the policy gets only the policy.
	if err := c.CreateGroup(ctx, "ops"); err != nil {
		t.Fatal(err)
	}
	if changed, err := c.EnsureGroupWithPolicy(ctx, "ops", adminARN); err != nil || !changed {
		t.Fatalf("ensure on bare group: changed=%v err=%v", changed, err)
	}
	if policies, _ := c.GroupPolicies(ctx, "ops"); !slices.Equal(policies, []string{adminARN}) {
		t.Errorf("ops policies = %v", policies)
	}
}

// Listings must follow every page; moto's pages hold 100 items.
func TestListingsReadEveryPageAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	const n = 105
	for i := range n {
		if err := c.CreateGroup(ctx, fmt.Sprintf("g%03d", i)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateUser(ctx, fmt.Sprintf("u%03d", i)); err != nil {
			t.Fatal(err)
		}
		if err := c.AddUserToGroup(ctx, "u000", fmt.Sprintf("g%03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	groups, err := c.Groups(ctx)
	if err != nil || len(groups) != n {
		t.Errorf("Groups: %d groups, err %v; want %d", len(groups), err, n)
	}
	users, err := c.Users(ctx)
	if err != nil || len(users) != n {
		t.Errorf("Users: %d users, err %v; want %d", len(users), err, n)
	}
	userGroups, err := c.UserGroups(ctx, "u000")
	if err != nil || len(userGroups) != n {
		t.Errorf("UserGroups: %d groups, err %v; want %d", len(userGroups), err, n)
	}
}

func TestUsersAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	u, err := c.CreateUser(ctx, "alice")
	if err != nil || u.Name != "alice" || u.ARN != "arn:aws:iam::123456789012:user/alice" {
		t.Fatalf("create user = %+v, %v", u, err)
	}
	if _, err := c.CreateUser(ctx, "alice"); !errors.Is(err, awsops.ErrAlreadyExists) {
		t.Errorf("duplicate user: err = %v, want ErrAlreadyExists", err)
	}
	if got, err := c.GetUser(ctx, "alice"); err != nil || got.ARN != u.ARN {
		t.Errorf("GetUser = %+v, %v", got, err)
	}
	if _, err := c.GetUser(ctx, "bob"); !errors.Is(err, awsops.ErrNotFound) || awsops.ActionOf(err) != "iam:GetUser" {
		t.Errorf("missing user: err = %v, want ErrNotFound from iam:GetUser", err)
	}
	if _, err := c.UserGroups(ctx, "bob"); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("groups of a missing user: err = %v, want ErrNotFound", err)
	}
	if err := c.AddUserToGroup(ctx, "alice", "nogroup"); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("add to a missing group: err = %v, want ErrNotFound", err)
	}
}

func TestEnsureUserInGroupAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	if _, err := c.CreateUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateGroup(ctx, "administrators"); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false} {
		added, err := c.EnsureUserInGroup(ctx, "alice", "administrators")
		if err != nil || added != want {
			t.Errorf("ensure #%d: added=%v err=%v, want %v", i+1, added, err, want)
		}
	}
	members, err := c.GroupMembers(ctx, "administrators")
	if err != nil || !slices.Equal(members, []string{"alice"}) {
		t.Errorf("members = %v, %v", members, err)
	}
}

func TestLoginProfileAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	if _, err := c.CreateUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if has, err := c.HasLoginProfile(ctx, "alice"); err != nil || has {
		t.Errorf("before: has=%v err=%v", has, err)
	}
	password := awsops.NewSecret("Correct-Horse-9-Battery")
	if err := c.CreateLoginProfile(ctx, "alice", password, true); err != nil {
		t.Fatal(err)
	}
	if has, err := c.HasLoginProfile(ctx, "alice"); err != nil || !has {
		t.Errorf("after: has=%v err=%v", has, err)
	}
	err := c.CreateLoginProfile(ctx, "alice", password, true)
	if !errors.Is(err, awsops.ErrAlreadyExists) {
		t.Errorf("second login profile: err = %v, want ErrAlreadyExists", err)
	}
	if err != nil && containsSecret(err.Error(), password) {
		t.Errorf("error text holds the password")
	}
	if _, err := c.HasLoginProfile(ctx, "bob"); err != nil {
		// moto answers NoSuchEntity for a missing user too: no profile, no error.
		t.Errorf("login profile of missing user: %v", err)
	}
}

func TestUserPoliciesAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	if _, err := c.CreateUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	const changePassword = "arn:aws:iam::aws:policy/IAMUserChangePassword"
	if err := c.AttachUserPolicy(ctx, "alice", changePassword); err != nil {
		t.Fatal(err)
	}
	if got, err := c.UserPolicies(ctx, "alice"); err != nil || !slices.Equal(got, []string{changePassword}) {
		t.Errorf("user policies = %v, %v", got, err)
	}
	if err := c.AttachUserPolicy(ctx, "bob", changePassword); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("attach to missing user: err = %v, want ErrNotFound", err)
	}
}

func TestAccessKeysAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	if _, err := c.CreateUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	k1, err := c.CreateAccessKey(ctx, "alice")
	if err != nil || k1.ID == "" || k1.Secret.IsZero() {
		t.Fatalf("create key = %v, %v", k1, err)
	}
	if fmt.Sprint(k1) == "" || containsSecret(fmt.Sprintf("%v %+v %#v", k1, k1, k1), k1.Secret) {
		t.Errorf("formatting an access key shows its secret")
	}
	if _, err := c.CreateAccessKey(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	// IAM allows two access keys per user.
	if _, err := c.CreateAccessKey(ctx, "alice"); !errors.Is(err, awsops.ErrLimitExceeded) {
		t.Errorf("third key: err = %v, want ErrLimitExceeded", err)
	}
	keys, err := c.AccessKeys(ctx, "alice")
	if err != nil || len(keys) != 2 || !keys[0].Active {
		t.Fatalf("keys = %+v, %v", keys, err)
	}
	if err := c.DeleteAccessKey(ctx, "alice", k1.ID); err != nil {
		t.Fatal(err)
	}
	if keys, _ := c.AccessKeys(ctx, "alice"); len(keys) != 1 || keys[0].ID == k1.ID {
		t.Errorf("after delete: keys = %+v", keys)
	}
	if err := c.DeleteAccessKey(ctx, "alice", k1.ID); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("delete twice: err = %v, want ErrNotFound", err)
	}
}

func TestAccountAliasAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	if alias, err := c.AccountAlias(ctx); err != nil || alias != "" {
		t.Fatalf("alias on a new account = %q, %v", alias, err)
	}
	if err := c.CreateAccountAlias(ctx, "acme-prod"); err != nil {
		t.Fatal(err)
	}
	if alias, err := c.AccountAlias(ctx); err != nil || alias != "acme-prod" {
		t.Errorf("alias = %q, %v", alias, err)
	}
	if err := c.DeleteAccountAlias(ctx, "acme-prod"); err != nil {
		t.Fatal(err)
	}
	if alias, _ := c.AccountAlias(ctx); alias != "" {
		t.Errorf("alias after delete = %q", alias)
	}
}

// A caller on temporary credentials (a session token, as CloudShell's
// root and every assumed role have) is told apart from one signing with
// an access key of its own, from the credentials the SDK signs with.
func TestWhoAmITemporaryAgainstMoto(t *testing.T) {
	c, _ := newClient(t)
	if caller, err := c.WhoAmI(awstest.Context(t)); err != nil || caller.Temporary {
		t.Errorf("with an access key: caller %+v, %v; want not temporary", caller, err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "ASIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SESSION_TOKEN", "a-session-token")
	c, err := awsops.New(awstest.Context(t), awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if caller, err := c.WhoAmI(awstest.Context(t)); err != nil || !caller.Temporary {
		t.Errorf("with a session token: caller %+v, %v; want temporary", caller, err)
	}
}

// A key saved as a profile by an earlier run is read back as the SDK
// reads the credentials file; a profile without a key of its own (a
// session's, a role's) is none.
func TestSavedKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	data := "[default]\naws_access_key_id = AKIADEFAULT000000000\naws_secret_access_key = d\n\n" +
		"[alice] ; saved by awssecure\naws_access_key_id = AKIAALICE00000000000\naws_secret_access_key = alice-secret\n\n" +
		"[temp]\naws_access_key_id = ASIATEMP000000000000\naws_secret_access_key = t\naws_session_token = tok\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := awstest.Context(t)
	if k, ok := awsops.SavedKey(ctx, path, "alice"); !ok || k.ID != "AKIAALICE00000000000" || k.Secret.Reveal() != "alice-secret" {
		t.Errorf("alice's saved key: %v, %v", k, ok)
	}
	for _, profile := range []string{"temp", "bob"} {
		if k, ok := awsops.SavedKey(ctx, path, profile); ok {
			t.Errorf("profile %s gave a key: %v", profile, k)
		}
	}
	if _, ok := awsops.SavedKey(ctx, filepath.Join(t.TempDir(), "none"), "alice"); ok {
		t.Error("a missing file gave a key")
	}
}
