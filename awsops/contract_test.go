package awsops_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// account is every operation the steps use (steps.Account, so the
// contract grows with the steps) and the primitives the ensure operations
// are built from; both backends must provide it.
type account interface {
	steps.Account
	steps.Org
	CreateGroup(context.Context, string) error
	AttachGroupPolicy(context.Context, string, string) error
	GroupMembers(context.Context, string) ([]string, error)
	AddUserToGroup(context.Context, string, string) error
	GetUser(context.Context, string) (awsops.User, error)
	UserPolicies(context.Context, string) ([]string, error)
	DeleteAccountAlias(context.Context, string) error
	TopicPolicy(context.Context, string) (string, error)
}

var (
	_ account = (*awsops.Client)(nil)
	_ account = (*awsops.Practice)(nil)
)

// backends builds each backend fresh for one case.
var backends = map[string]func(t *testing.T) account{
	"moto": func(t *testing.T) account {
		c, _ := newClient(t)
		return c
	},
	"practice": func(t *testing.T) account {
		// An e-mail subscriber stays pending until the test "clicks the link".
		p, err := awsops.NewPractice(awsops.PracticeOptions{RegionEnableTime: 50 * time.Millisecond, EmailConfirmDelay: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return p
	},
}

// contractCase is one behaviour both backends must show.
type contractCase struct {
	name string
	run  func(t *testing.T, ctx context.Context, a account)
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("err = %v, want %v", err, kind)
	}
}

const strongPassword = "Xy7!practice-Pass"

var contractCases = []contractCase{
	{"credential report: none, then made, with each user's password and keys", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.CredentialReport(ctx)
		wantKind(t, err, awsops.ErrReportNotReady)
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		mustDo(t, a.CreateLoginProfile(ctx, "alice", awsops.NewSecret(strongPassword), true))
		must[awsops.AccessKey](t)(a.CreateAccessKey(ctx, "alice"))
		must[awsops.User](t)(a.CreateUser(ctx, "bob"))
		must[bool](t)(a.GenerateCredentialReport(ctx))
		report := must[awsops.CredentialReport](t)(a.CredentialReport(ctx))
		if report.Generated.IsZero() || len(report.Users) != 2 {
			t.Fatalf("report = %+v", report)
		}
		alice, bob := report.Users[0], report.Users[1]
		if alice.User == "bob" {
			alice, bob = bob, alice
		}
		since := time.Since(alice.Keys[0].LastRotated)
		if alice.PasswordEnabled != "true" || alice.PasswordLastChanged.IsZero() || !alice.PasswordLastUsed.IsZero() ||
			!alice.Keys[0].Active || since < -time.Minute || since > time.Hour || !alice.Keys[0].LastUsed.IsZero() || alice.Keys[1].Active {
			t.Errorf("alice = %+v", alice)
		}
		if bob.PasswordEnabled != "false" || bob.Keys[0].Active || bob.Keys[1].Active || bob.MFAActive {
			t.Errorf("bob = %+v", bob)
		}
		if complete := must[bool](t)(a.GenerateCredentialReport(ctx)); !complete {
			t.Error("a second report within four hours: not COMPLETE")
		}
	}},
	{"authorization details carry a user's own policies", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		const cp = "arn:aws:iam::aws:policy/IAMUserChangePassword"
		mustDo(t, a.AttachUserPolicy(ctx, "alice", cp))
		d := must[awsops.AuthorizationDetails](t)(a.AuthorizationDetails(ctx))
		if len(d.Users) != 1 || !slices.Equal(d.Users[0].Policies, []string{cp}) || len(d.Users[0].InlinePolicies) != 0 {
			t.Errorf("users = %+v", d.Users)
		}
		mustDo(t, a.DetachUserPolicy(ctx, "alice", cp))
		if got := must[[]string](t)(a.UserPolicies(ctx, "alice")); len(got) != 0 {
			t.Errorf("after detaching: %v", got)
		}
		wantKind(t, a.DetachUserPolicy(ctx, "alice", cp), awsops.ErrNotFound)
	}},
	{"organization features of an account in no organization", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.OrganizationFeatures(ctx)
		wantKind(t, err, awsops.ErrNotInOrganization)
	}},
	{"caller has an account id and ARN", func(t *testing.T, ctx context.Context, a account) {
		c := must[awsops.Caller](t)(a.WhoAmI(ctx))
		if len(c.AccountID) != 12 || !strings.HasPrefix(c.ARN, "arn:aws:") {
			t.Errorf("caller = %+v", c)
		}
	}},
	{"new account has no password policy", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.PasswordPolicy(ctx)
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"password policy reads back as set", func(t *testing.T, ctx context.Context, a account) {
		want := awsops.PasswordPolicy{MinimumLength: 14, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, AllowUsersToChange: true, ReusePrevention: 24}
		mustDo(t, a.SetPasswordPolicy(ctx, want))
		if got := must[awsops.PasswordPolicy](t)(a.PasswordPolicy(ctx)); got != want {
			t.Errorf("policy = %+v", got)
		}
	}},
	{"password policy length out of bounds is rejected", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.SetPasswordPolicy(ctx, awsops.PasswordPolicy{MinimumLength: 200}), awsops.ErrInvalidInput)
	}},
	{"password policy reuse prevention out of bounds is rejected", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.SetPasswordPolicy(ctx, awsops.PasswordPolicy{MinimumLength: 14, ReusePrevention: 25}), awsops.ErrInvalidInput)
	}},
	{"group create then list", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateGroup(ctx, "administrators"))
		if got := must[[]string](t)(a.Groups(ctx)); !slices.Equal(got, []string{"administrators"}) {
			t.Errorf("groups = %v", got)
		}
	}},
	{"duplicate group already exists", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateGroup(ctx, "administrators"))
		wantKind(t, a.CreateGroup(ctx, "administrators"), awsops.ErrAlreadyExists)
	}},
	{"policies of a missing group: not found", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.GroupPolicies(ctx, "nope")
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"attach an unknown policy: not found", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateGroup(ctx, "g"))
		wantKind(t, a.AttachGroupPolicy(ctx, "g", "arn:aws:iam::aws:policy/NoSuchThing"), awsops.ErrNotFound)
	}},
	{"ensure group twice changes once", func(t *testing.T, ctx context.Context, a account) {
		first := must[bool](t)(a.EnsureGroupWithPolicy(ctx, "administrators", adminARN))
		second := must[bool](t)(a.EnsureGroupWithPolicy(ctx, "administrators", adminARN))
		policies := must[[]string](t)(a.GroupPolicies(ctx, "administrators"))
		if !first || second || !slices.Equal(policies, []string{adminARN}) {
			t.Errorf("first=%v second=%v policies=%v", first, second, policies)
		}
	}},
	{"attaching a policy twice keeps one attachment", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateGroup(ctx, "g"))
		mustDo(t, a.AttachGroupPolicy(ctx, "g", adminARN))
		mustDo(t, a.AttachGroupPolicy(ctx, "g", adminARN))
		if got := must[[]string](t)(a.GroupPolicies(ctx, "g")); len(got) != 1 {
			t.Errorf("policies = %v", got)
		}
	}},
	{"user create then get and list", func(t *testing.T, ctx context.Context, a account) {
		u := must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		got := must[awsops.User](t)(a.GetUser(ctx, "alice"))
		users := must[[]awsops.User](t)(a.Users(ctx))
		if got.ARN != u.ARN || !strings.HasSuffix(u.ARN, ":user/alice") || len(users) != 1 || users[0].Name != "alice" {
			t.Errorf("user %+v, get %+v, list %+v", u, got, users)
		}
	}},
	{"duplicate user already exists", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		_, err := a.CreateUser(ctx, "alice")
		wantKind(t, err, awsops.ErrAlreadyExists)
	}},
	{"missing user: not found", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.GetUser(ctx, "ghost")
		wantKind(t, err, awsops.ErrNotFound)
	}},
	// moto accepts malformed names and aliases; AWS answers ValidationError.
	// Real AWS wins: the client checks IAM's rules before calling.
	{"user name with a space is invalid", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.CreateUser(ctx, "bad name")
		wantKind(t, err, awsops.ErrInvalidInput)
	}},
	{"user name of 65 characters is invalid", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.CreateUser(ctx, strings.Repeat("a", 65))
		wantKind(t, err, awsops.ErrInvalidInput)
	}},
	{"group name of 129 characters is invalid", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.CreateGroup(ctx, strings.Repeat("g", 129)), awsops.ErrInvalidInput)
	}},
	{"ensure user in group twice adds once", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		mustDo(t, a.CreateGroup(ctx, "administrators"))
		first := must[bool](t)(a.EnsureUserInGroup(ctx, "alice", "administrators"))
		second := must[bool](t)(a.EnsureUserInGroup(ctx, "alice", "administrators"))
		members := must[[]string](t)(a.GroupMembers(ctx, "administrators"))
		groups := must[[]string](t)(a.UserGroups(ctx, "alice"))
		if !first || second || !slices.Equal(members, []string{"alice"}) || !slices.Equal(groups, []string{"administrators"}) {
			t.Errorf("first=%v second=%v members=%v groups=%v", first, second, members, groups)
		}
	}},
	{"add a missing user to a group: not found", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateGroup(ctx, "g"))
		wantKind(t, a.AddUserToGroup(ctx, "ghost", "g"), awsops.ErrNotFound)
	}},
	{"login profile once, then already exists", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		if must[bool](t)(a.HasLoginProfile(ctx, "alice")) {
			t.Error("new user has a console password")
		}
		mustDo(t, a.CreateLoginProfile(ctx, "alice", awsops.NewSecret(strongPassword), true))
		if !must[bool](t)(a.HasLoginProfile(ctx, "alice")) {
			t.Error("console password not recorded")
		}
		wantKind(t, a.CreateLoginProfile(ctx, "alice", awsops.NewSecret(strongPassword), true), awsops.ErrAlreadyExists)
	}},
	{"login profile updated only where one exists", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		wantKind(t, a.UpdateLoginProfile(ctx, "alice", awsops.NewSecret(strongPassword), true), awsops.ErrNotFound)
		mustDo(t, a.CreateLoginProfile(ctx, "alice", awsops.NewSecret(strongPassword), true))
		mustDo(t, a.UpdateLoginProfile(ctx, "alice", awsops.NewSecret(strongPassword+"2"), true))
	}},
	{"login profile tells whether a new password is due at sign-in", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		if _, ok, err := a.LoginProfile(ctx, "alice"); ok || err != nil {
			t.Errorf("a user without a password: ok=%v err=%v", ok, err)
		}
		if _, ok, err := a.LoginProfile(ctx, "ghost"); ok || err != nil {
			t.Errorf("a missing user: ok=%v err=%v, want none", ok, err)
		}
		before := time.Now().Add(-time.Minute)
		mustDo(t, a.CreateLoginProfile(ctx, "alice", awsops.NewSecret(strongPassword), true))
		p, ok, err := a.LoginProfile(ctx, "alice")
		if !ok || err != nil || !p.ResetRequired || p.Created.Before(before) {
			t.Errorf("after a create with reset: %+v ok=%v err=%v, want reset required and made now", p, ok, err)
		}
		mustDo(t, a.UpdateLoginProfile(ctx, "alice", awsops.NewSecret(strongPassword+"2"), false))
		if p, ok, _ := a.LoginProfile(ctx, "alice"); !ok || p.ResetRequired {
			t.Errorf("after an update without reset: %+v ok=%v", p, ok)
		}
		mustDo(t, a.UpdateLoginProfile(ctx, "alice", awsops.NewSecret(strongPassword+"3"), true))
		if p, ok, _ := a.LoginProfile(ctx, "alice"); !ok || !p.ResetRequired {
			t.Errorf("after an update with reset: %+v ok=%v", p, ok)
		}
		must[awsops.User](t)(a.CreateUser(ctx, "bob"))
		mustDo(t, a.CreateLoginProfile(ctx, "bob", awsops.NewSecret(strongPassword), false))
		if p, _, _ := a.LoginProfile(ctx, "bob"); p.ResetRequired {
			t.Error("a password made without reset requires one")
		}
	}},
	{"login profile for a missing user: not found", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.CreateLoginProfile(ctx, "ghost", awsops.NewSecret(strongPassword), true), awsops.ErrNotFound)
	}},
	{"user policy attach and list", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		const cp = "arn:aws:iam::aws:policy/IAMUserChangePassword"
		mustDo(t, a.AttachUserPolicy(ctx, "alice", cp))
		if got := must[[]string](t)(a.UserPolicies(ctx, "alice")); !slices.Equal(got, []string{cp}) {
			t.Errorf("policies = %v", got)
		}
	}},
	{"two access keys, the third exceeds the limit", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		k := must[awsops.AccessKey](t)(a.CreateAccessKey(ctx, "alice"))
		if !strings.HasPrefix(k.ID, "AKIA") || len(k.Secret.Reveal()) < 30 {
			t.Errorf("key id %s / secret length %d do not look like AWS's", k.ID, len(k.Secret.Reveal()))
		}
		must[awsops.AccessKey](t)(a.CreateAccessKey(ctx, "alice"))
		_, err := a.CreateAccessKey(ctx, "alice")
		wantKind(t, err, awsops.ErrLimitExceeded)
		if keys := must[[]awsops.AccessKeyInfo](t)(a.AccessKeys(ctx, "alice")); len(keys) != 2 {
			t.Errorf("keys = %v", keys)
		}
	}},
	{"access key deleted once, then not found", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		k := must[awsops.AccessKey](t)(a.CreateAccessKey(ctx, "alice"))
		mustDo(t, a.DeleteAccessKey(ctx, "alice", k.ID))
		if keys := must[[]awsops.AccessKeyInfo](t)(a.AccessKeys(ctx, "alice")); len(keys) != 0 {
			t.Errorf("keys after delete = %v", keys)
		}
		wantKind(t, a.DeleteAccessKey(ctx, "alice", k.ID), awsops.ErrNotFound)
	}},
	{"access key made inactive, then active again; a missing key is not found", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		k := must[awsops.AccessKey](t)(a.CreateAccessKey(ctx, "alice"))
		mustDo(t, a.SetAccessKeyActive(ctx, "alice", k.ID, false))
		if keys := must[[]awsops.AccessKeyInfo](t)(a.AccessKeys(ctx, "alice")); len(keys) != 1 || keys[0].Active {
			t.Errorf("keys after making inactive = %+v", keys)
		}
		mustDo(t, a.SetAccessKeyActive(ctx, "alice", k.ID, true))
		if keys := must[[]awsops.AccessKeyInfo](t)(a.AccessKeys(ctx, "alice")); len(keys) != 1 || !keys[0].Active {
			t.Errorf("keys after making active = %+v", keys)
		}
		wantKind(t, a.SetAccessKeyActive(ctx, "alice", "AKIAMISSINGKEY000000", false), awsops.ErrNotFound)
	}},
	{"access key for a missing user: not found", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.CreateAccessKey(ctx, "ghost")
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"virtual MFA device: unassigned until enabled", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		dev := must[awsops.VirtualMFADevice](t)(a.CreateVirtualMFADevice(ctx, "alice"))
		if got := must[[]awsops.MFADeviceInfo](t)(a.VirtualMFADevices(ctx)); !slices.Equal(got, []awsops.MFADeviceInfo{{Serial: dev.Serial}}) {
			t.Errorf("devices = %+v", got)
		}
		code1, code2 := awsops.PhoneCodes(dev.Seed, time.Now())
		mustDo(t, a.EnableMFADevice(ctx, "alice", dev.Serial, code1, code2))
		if got := must[[]string](t)(a.UserMFADevices(ctx, "alice")); !slices.Equal(got, []string{dev.Serial}) {
			t.Errorf("alice's devices = %v", got)
		}
		if got := must[[]awsops.MFADeviceInfo](t)(a.VirtualMFADevices(ctx)); !slices.Equal(got, []awsops.MFADeviceInfo{{Serial: dev.Serial, User: "alice"}}) {
			t.Errorf("devices = %+v", got)
		}
	}},
	{"duplicate MFA device name already exists", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.VirtualMFADevice](t)(a.CreateVirtualMFADevice(ctx, "alice"))
		_, err := a.CreateVirtualMFADevice(ctx, "alice")
		wantKind(t, err, awsops.ErrAlreadyExists)
	}},
	{"unassigned MFA device deleted once, then not found", func(t *testing.T, ctx context.Context, a account) {
		dev := must[awsops.VirtualMFADevice](t)(a.CreateVirtualMFADevice(ctx, "orphan"))
		mustDo(t, a.DeleteVirtualMFADevice(ctx, dev.Serial))
		if got := must[[]awsops.MFADeviceInfo](t)(a.VirtualMFADevices(ctx)); len(got) != 0 {
			t.Errorf("devices = %+v", got)
		}
		wantKind(t, a.DeleteVirtualMFADevice(ctx, dev.Serial), awsops.ErrNotFound)
	}},
	{"MFA devices of a missing user: not found", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.UserMFADevices(ctx, "ghost")
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"new account has no alias; alias set reads back", func(t *testing.T, ctx context.Context, a account) {
		if got := must[string](t)(a.AccountAlias(ctx)); got != "" {
			t.Errorf("alias = %q", got)
		}
		mustDo(t, a.CreateAccountAlias(ctx, "acme-learning"))
		if got := must[string](t)(a.AccountAlias(ctx)); got != "acme-learning" {
			t.Errorf("alias = %q", got)
		}
	}},
	{"a new alias replaces the old: one alias per account", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateAccountAlias(ctx, "first-alias"))
		mustDo(t, a.CreateAccountAlias(ctx, "second-alias"))
		if got := must[string](t)(a.AccountAlias(ctx)); got != "second-alias" {
			t.Errorf("alias = %q", got)
		}
	}},
	{"alias deleted", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateAccountAlias(ctx, "acme-learning"))
		mustDo(t, a.DeleteAccountAlias(ctx, "acme-learning"))
		if got := must[string](t)(a.AccountAlias(ctx)); got != "" {
			t.Errorf("alias = %q", got)
		}
	}},
	{"uppercase alias is invalid", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.CreateAccountAlias(ctx, "Acme"), awsops.ErrInvalidInput)
	}},
	{"listings read past one page", func(t *testing.T, ctx context.Context, a account) {
		for i := range 105 {
			mustDo(t, a.CreateGroup(ctx, fmt.Sprintf("g%03d", i)))
		}
		if got := must[[]string](t)(a.Groups(ctx)); len(got) != 105 || got[0] != "g000" {
			t.Errorf("%d groups, first %v", len(got), got[:1])
		}
	}},
	{"a new user's key signs in as that user and reads the account", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		key := must[awsops.AccessKey](t)(a.CreateAccessKey(ctx, "alice"))
		admin := must[steps.Account](t)(steps.SignInWithKey(ctx, a, key))
		c := must[awsops.Caller](t)(admin.WhoAmI(ctx))
		if !strings.HasSuffix(c.ARN, ":user/alice") || admin.CallerKeyID(ctx) != key.ID {
			t.Errorf("signed in as %s with %s, want alice with %s", c.ARN, admin.CallerKeyID(ctx), key.ID)
		}
		must[awsops.AccountSummary](t)(admin.AccountSummary(ctx))
	}},
	{"a key's last use: a new key was never used; a missing key is not found", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		key := must[awsops.AccessKey](t)(a.CreateAccessKey(ctx, "alice"))
		use := must[awsops.KeyUse](t)(a.AccessKeyLastUsed(ctx, key.ID))
		if !use.LastUsed.IsZero() || use.Service != "" {
			t.Errorf("a new key's last use = %+v, want never", use)
		}
		_, err := a.AccessKeyLastUsed(ctx, "AKIAMISSINGKEY000000")
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"regions list opt-in and default regions", func(t *testing.T, ctx context.Context, a account) {
		var optIn, byDefault int
		for _, r := range must[[]awsops.Region](t)(a.Regions(ctx)) {
			if r.OptIn() {
				optIn++
			} else {
				byDefault++
			}
		}
		if optIn == 0 || byDefault == 0 {
			t.Errorf("opt-in %d, default %d", optIn, byDefault)
		}
	}},
	{"enabling a region goes through ENABLING to ENABLED", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.EnableRegion(ctx, "af-south-1"))
		var seen []string
		for range 50 {
			s := must[string](t)(a.RegionStatus(ctx, "af-south-1"))
			if len(seen) == 0 || seen[len(seen)-1] != s {
				seen = append(seen, s)
			}
			if s == awsops.RegionEnabled {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if !slices.Equal(seen, []string{awsops.RegionEnabling, awsops.RegionEnabled}) {
			t.Errorf("statuses = %v", seen)
		}
	}},
	{"authorization details of a new account: no users, no groups", func(t *testing.T, ctx context.Context, a account) {
		d := must[awsops.AuthorizationDetails](t)(a.AuthorizationDetails(ctx))
		if len(d.Users) != 0 || len(d.Groups) != 0 {
			t.Errorf("details = %+v", d)
		}
	}},
	{"authorization details: users with their groups, groups with their policies", func(t *testing.T, ctx context.Context, a account) {
		must[bool](t)(a.EnsureGroupWithPolicy(ctx, "administrators", adminARN))
		mustDo(t, a.CreateGroup(ctx, "empty"))
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		must[awsops.User](t)(a.CreateUser(ctx, "bob"))
		must[bool](t)(a.EnsureUserInGroup(ctx, "alice", "administrators"))
		must[bool](t)(a.EnsureUserInGroup(ctx, "alice", "empty"))
		d := must[awsops.AuthorizationDetails](t)(a.AuthorizationDetails(ctx))
		users := map[string][]string{}
		for _, u := range d.Users {
			slices.Sort(u.Groups)
			users[u.Name] = u.Groups
			if u.Created.IsZero() {
				t.Errorf("user %s has no creation time", u.Name)
			}
		}
		groups := map[string][]string{}
		for _, g := range d.Groups {
			groups[g.Name] = g.Policies
		}
		if len(users) != 2 || !slices.Equal(users["alice"], []string{"administrators", "empty"}) || len(users["bob"]) != 0 {
			t.Errorf("users = %v", users)
		}
		if len(groups) != 2 || !slices.Equal(groups["administrators"], []string{adminARN}) || len(groups["empty"]) != 0 {
			t.Errorf("groups = %v", groups)
		}
	}},
	{"assigned virtual MFA devices: only the assigned, with their user", func(t *testing.T, ctx context.Context, a account) {
		must[awsops.User](t)(a.CreateUser(ctx, "alice"))
		if got := must[[]awsops.MFADeviceInfo](t)(a.AssignedVirtualMFADevices(ctx)); len(got) != 0 {
			t.Errorf("a new account has assigned devices: %v", got)
		}
		dev := must[awsops.VirtualMFADevice](t)(a.CreateVirtualMFADevice(ctx, "alice"))
		must[awsops.VirtualMFADevice](t)(a.CreateVirtualMFADevice(ctx, "spare"))
		c1, c2 := awsops.PhoneCodes(dev.Seed, time.Now())
		mustDo(t, a.EnableMFADevice(ctx, "alice", dev.Serial, c1, c2))
		got := must[[]awsops.MFADeviceInfo](t)(a.AssignedVirtualMFADevices(ctx))
		if len(got) != 1 || got[0].User != "alice" || got[0].Serial != dev.Serial {
			t.Errorf("assigned devices = %+v", got)
		}
	}},
	{"an account in no organization: not in an organization", func(t *testing.T, ctx context.Context, a account) {
		// (moto's ListAccounts lists nothing here where AWS refuses, so
		// status --org asks DescribeOrganization, which both refuse.)
		_, err := a.Organization(ctx)
		wantKind(t, err, awsops.ErrNotInOrganization)
		if awsops.ActionOf(err) != "organizations:DescribeOrganization" {
			t.Errorf("action = %q", awsops.ActionOf(err))
		}
	}},
	{"enabling an unknown region is invalid", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.EnableRegion(ctx, "xx-nowhere-1"), awsops.ErrInvalidInput)
	}},
	{"enabling a default region is invalid", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.EnableRegion(ctx, "us-east-1"), awsops.ErrInvalidInput)
	}},
}

// Cases of the guardrails step's operations: alternate contacts, S3
// Block Public Access for the account, EBS encryption by default, IAM
// Access Analyzer and GuardDuty.
var guardrailCases = []contractCase{
	{"no security contact: not found; set reads back; set again replaces", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.AlternateContact(ctx, awsops.ContactSecurity)
		wantKind(t, err, awsops.ErrNotFound)
		c := awsops.Contact{Type: awsops.ContactSecurity, Name: "Ada Lovelace", Title: "Security lead", Email: "ada@example.com", Phone: "+44 (20) 7946-0000"}
		mustDo(t, a.PutAlternateContact(ctx, c))
		if got := must[awsops.Contact](t)(a.AlternateContact(ctx, awsops.ContactSecurity)); got != c {
			t.Errorf("contact = %+v, want %+v", got, c)
		}
		c.Name = "Grace Hopper"
		mustDo(t, a.PutAlternateContact(ctx, c))
		if got := must[awsops.Contact](t)(a.AlternateContact(ctx, awsops.ContactSecurity)); got != c {
			t.Errorf("contact after replace = %+v, want %+v", got, c)
		}
		_, err = a.AlternateContact(ctx, awsops.ContactBilling)
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"a contact AWS would refuse is refused", func(t *testing.T, ctx context.Context, a account) {
		good := awsops.Contact{Type: awsops.ContactSecurity, Name: "Ada", Title: "Owner", Email: "ada@example.com", Phone: "+1 555 0100"}
		for _, bad := range []func(c *awsops.Contact){
			func(c *awsops.Contact) { c.Email = "ada.example.com" },
			func(c *awsops.Contact) { c.Phone = "call me" },
			func(c *awsops.Contact) { c.Name = strings.Repeat("n", 65) },
			func(c *awsops.Contact) { c.Title = "" },
			func(c *awsops.Contact) { c.Type = "LEGAL" },
		} {
			c := good
			bad(&c)
			wantKind(t, a.PutAlternateContact(ctx, c), awsops.ErrInvalidInput)
		}
		_, err := a.AlternateContact(ctx, awsops.ContactSecurity)
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"no account public access block: not found; all four read back", func(t *testing.T, ctx context.Context, a account) {
		id := must[awsops.Caller](t)(a.WhoAmI(ctx)).AccountID
		_, err := a.PublicAccessBlock(ctx, id)
		wantKind(t, err, awsops.ErrNotFound)
		mustDo(t, a.PutPublicAccessBlock(ctx, id, awsops.PublicAccessBlock{BlockPublicAcls: true}))
		if got := must[awsops.PublicAccessBlock](t)(a.PublicAccessBlock(ctx, id)); got.On() != 1 || !got.BlockPublicAcls {
			t.Errorf("block = %+v, want only BlockPublicAcls", got)
		}
		mustDo(t, a.PutPublicAccessBlock(ctx, id, awsops.BlockAllPublicAccess))
		mustDo(t, a.PutPublicAccessBlock(ctx, id, awsops.BlockAllPublicAccess))
		if got := must[awsops.PublicAccessBlock](t)(a.PublicAccessBlock(ctx, id)); got != awsops.BlockAllPublicAccess {
			t.Errorf("block = %+v, want all four", got)
		}
	}},
	{"enabled regions hold the default ones, sorted", func(t *testing.T, ctx context.Context, a account) {
		got := must[[]string](t)(a.EnabledRegions(ctx))
		if !slices.Contains(got, "us-east-1") || !slices.Contains(got, "eu-west-1") || !slices.IsSorted(got) {
			t.Errorf("enabled regions = %v", got)
		}
	}},
	{"EBS encryption by default: off, then on in one region only, twice harmless", func(t *testing.T, ctx context.Context, a account) {
		if must[bool](t)(a.EBSEncryptionByDefault(ctx, "eu-west-1")) {
			t.Error("on in a new account")
		}
		mustDo(t, a.EnableEBSEncryptionByDefault(ctx, "eu-west-1"))
		mustDo(t, a.EnableEBSEncryptionByDefault(ctx, "eu-west-1"))
		if !must[bool](t)(a.EBSEncryptionByDefault(ctx, "eu-west-1")) || must[bool](t)(a.EBSEncryptionByDefault(ctx, "us-east-1")) {
			t.Error("want on in eu-west-1 only")
		}
	}},
	{"analyzer created in one region only; its name twice already exists", func(t *testing.T, ctx context.Context, a account) {
		if got := must[[]awsops.Analyzer](t)(a.Analyzers(ctx, "eu-west-1")); len(got) != 0 {
			t.Errorf("analyzers of a new account = %+v", got)
		}
		mustDo(t, a.CreateAnalyzer(ctx, "eu-west-1", awsops.AnalyzerName))
		got := must[[]awsops.Analyzer](t)(a.Analyzers(ctx, "eu-west-1"))
		if len(got) != 1 || got[0].Name != awsops.AnalyzerName || got[0].Type != awsops.AnalyzerAccount || !got[0].External() {
			t.Errorf("analyzers = %+v", got)
		}
		if other := must[[]awsops.Analyzer](t)(a.Analyzers(ctx, "us-east-1")); len(other) != 0 {
			t.Errorf("analyzers in us-east-1 = %+v; analyzers are per region", other)
		}
		wantKind(t, a.CreateAnalyzer(ctx, "eu-west-1", awsops.AnalyzerName), awsops.ErrAlreadyExists)
	}},
	{"analyzer name AWS would refuse is refused", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.CreateAnalyzer(ctx, "eu-west-1", "9 lives"), awsops.ErrInvalidInput)
	}},
	{"no detector; one created, enabled, listed", func(t *testing.T, ctx context.Context, a account) {
		if got := must[[]awsops.Detector](t)(a.Detectors(ctx)); len(got) != 0 {
			t.Errorf("detectors of a new account = %+v", got)
		}
		id := must[string](t)(a.CreateDetector(ctx))
		got := must[[]awsops.Detector](t)(a.Detectors(ctx))
		if len(got) != 1 || got[0].ID != id || got[0].Status != awsops.DetectorEnabled || id == "" {
			t.Errorf("detectors = %+v, created %q", got, id)
		}
		mustDo(t, a.EnableDetector(ctx, id))
	}},
}

func TestContract(t *testing.T) {
	for _, backend := range []string{"practice", "moto"} {
		for _, tc := range slices.Concat(contractCases, trailContractCases, guardrailCases, rootAlertCases) {
			t.Run(backend+"/"+tc.name, func(t *testing.T) {
				a := backends[backend](t)
				tc.run(t, awstest.Context(t), a)
			})
		}
	}
}
