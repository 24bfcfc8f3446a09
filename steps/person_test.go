package steps_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// personBackend is an account to add people to, and the write calls
// it has received so far (from moto's recording proxy, or the practice
// account's call log).
type personBackend struct {
	acct   steps.Account
	writes func() []string
}

var personBackends = map[string]func(t *testing.T) personBackend{
	"moto": func(t *testing.T) personBackend {
		iam, _, _ := moto.UseThroughProxies(t)
		acct, err := awsops.New(awstest.Context(t), awsops.Options{MaxBackoff: 10 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return personBackend{acct, iam.Writes}
	},
	"practice": func(t *testing.T) personBackend {
		var log callLog
		p, err := awsops.NewPractice(awsops.PracticeOptions{Logger: slog.New(&log)})
		if err != nil {
			t.Fatal(err)
		}
		return personBackend{p, func() []string {
			log.mu.Lock()
			defer log.mu.Unlock()
			var writes []string
			for _, c := range log.calls {
				if !awstest.IsRead(c.name) {
					writes = append(writes, c.name)
				}
			}
			return writes
		}}
	},
}

// withGroups gives the account the tutorial's password policy, the
// administrators group and a developers group that can only read.
func withGroups(t *testing.T, ctx context.Context, acct steps.Account, policy awsops.PasswordPolicy) {
	t.Helper()
	if err := acct.SetPasswordPolicy(ctx, policy); err != nil {
		t.Fatal(err)
	}
	for group, arn := range map[string]string{"administrators": "arn:aws:iam::aws:policy/AdministratorAccess", "developers": "arn:aws:iam::aws:policy/ReadOnlyAccess"} {
		if _, err := acct.EnsureGroupWithPolicy(ctx, group, arn); err != nil {
			t.Fatal(err)
		}
	}
}

// newWrites is what writes returned that it had not before.
func newWrites(b personBackend, before int) []string { return b.writes()[before:] }

// A person added on moto and on the practice account: a user in the
// chosen group with a console password that satisfies the policy and
// must be changed at first sign-in, and nothing else — no access key, no
// policy on the user (the only writes are the user, the membership and
// the password). Asked again for the same name, AddPerson says who is
// there and writes nothing; with the owner's yes it sets a new password
// and adds the group, keeping the old one.
func TestAddPerson(t *testing.T) {
	for _, name := range []string{"practice", "moto"} {
		t.Run(name, func(t *testing.T) {
			b := personBackends[name](t)
			ctx := awstest.Context(t)
			withGroups(t, ctx, b.acct, steps.DefaultPolicy)
			before := len(b.writes())

			res, err := steps.AddPerson(ctx, b.acct, steps.PersonRequest{Name: "bob", Group: "developers"})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := newWrites(b, before), []string{"CreateUser", "AddUserToGroup", "CreateLoginProfile"}; !slices.Equal(got, want) {
				t.Errorf("writes = %v, want %v: no access key, no policy on the user", got, want)
			}
			if !res.Created || !res.Joined || res.Replaced || res.Password.IsZero() || res.SelfMFA {
				t.Errorf("result = %+v, want a new user, joined, a password, and no MFA self-service from developers", res)
			}
			if why := awsops.PasswordSatisfies(res.Password, &steps.DefaultPolicy); why != nil {
				t.Errorf("the password breaks the policy: %v", why)
			}
			if groups, _ := b.acct.UserGroups(ctx, "bob"); !slices.Equal(groups, []string{"developers"}) {
				t.Errorf("bob's groups = %v, want [developers]", groups)
			}
			profile, ok, err := b.acct.LoginProfile(ctx, "bob")
			if !ok || err != nil || !profile.ResetRequired {
				t.Errorf("bob's console password: %+v ok=%v err=%v, want one to change at first sign-in", profile, ok, err)
			}
			if keys, err := b.acct.AccessKeys(ctx, "bob"); len(keys) != 0 || err != nil {
				t.Errorf("bob's access keys = %v (%v), want none", keys, err)
			}

			// The same name again: what is there is said, nothing changes.
			before = len(b.writes())
			_, err = steps.AddPerson(ctx, b.acct, steps.PersonRequest{Name: "bob", Group: "administrators"})
			var exists *steps.PersonExistsError
			if !errors.As(err, &exists) || !slices.Equal(exists.Groups, []string{"developers"}) || !exists.Password || !exists.ResetPending {
				t.Fatalf("rerun: err = %#v, want bob named as existing, in developers, with a password not yet changed", err)
			}
			if got := newWrites(b, before); len(got) != 1 || got[0] != "CreateUser" {
				t.Errorf("rerun without a yes wrote %v; want only the refused CreateUser", got)
			}
			if said := exists.Said(); !strings.Contains(said, "bob already exists, in group developers, with a console password nobody has signed in with yet") {
				t.Errorf("said %q", said)
			}

			// The owner says yes: a new password, and the group added.
			before = len(b.writes())
			again, err := steps.AddPerson(ctx, b.acct, steps.PersonRequest{Name: "bob", Group: "administrators", Existing: true})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := newWrites(b, before), []string{"CreateUser", "AddUserToGroup", "UpdateLoginProfile"}; !slices.Equal(got, want) {
				t.Errorf("after the yes, writes = %v, want %v", got, want)
			}
			if again.Created || !again.Joined || !again.Replaced || again.Password.IsZero() || again.Password.Reveal() == res.Password.Reveal() || !again.SelfMFA {
				t.Errorf("after the yes: %+v, want bob's password replaced and administrators joined", again)
			}
			if groups, _ := b.acct.UserGroups(ctx, "bob"); !slices.Equal(groups, []string{"administrators", "developers"}) {
				t.Errorf("bob's groups = %v", groups)
			}
			if profile, _, _ := b.acct.LoginProfile(ctx, "bob"); !profile.ResetRequired {
				t.Error("the new password need not be changed at first sign-in")
			}
			if keys, _ := b.acct.AccessKeys(ctx, "bob"); len(keys) != 0 {
				t.Errorf("bob has access keys: %v", keys)
			}
			cli := steps.PersonCLI(steps.PersonRequest{Name: "bob", Group: "administrators", Existing: true}, again)
			if cli != "aws iam add-user-to-group --user-name bob --group-name administrators\n"+
				"aws iam update-login-profile --user-name bob --password '…' --password-reset-required" {
				t.Errorf("the runbook's commands:\n%s", cli)
			}
		})
	}
}

// Refusals come before any write: a group that does not exist, a name
// IAM would refuse, and a group whose members could not set their new
// password at first sign-in (the policy does not let users change their
// own, and the group has no policy that does), while the administrators
// group can.
func TestAddPersonRefusesBeforeWriting(t *testing.T) {
	for _, name := range []string{"practice", "moto"} {
		t.Run(name, func(t *testing.T) {
			b := personBackends[name](t)
			ctx := awstest.Context(t)
			noChange := steps.DefaultPolicy
			noChange.AllowUsersToChange = false
			withGroups(t, ctx, b.acct, noChange)
			before := len(b.writes())
			for _, tc := range []struct {
				req  steps.PersonRequest
				want string
			}{
				{steps.PersonRequest{Name: "bob", Group: "testers"}, "there is no group testers"},
				{steps.PersonRequest{Name: "bob smith", Group: "developers"}, "user name may hold only"},
				{steps.PersonRequest{Name: "bob", Group: "developers"}, "could not set a new password at first sign-in"},
			} {
				_, err := steps.AddPerson(ctx, b.acct, tc.req)
				var refused *steps.PersonRefusedError
				if !errors.As(err, &refused) || !strings.Contains(refused.Problem, tc.want) {
					t.Errorf("%+v: err = %v, want refused with %q", tc.req, err, tc.want)
				}
			}
			if got := newWrites(b, before); len(got) != 0 {
				t.Errorf("refusals wrote %v", got)
			}
			if _, err := steps.AddPerson(ctx, b.acct, steps.PersonRequest{Name: "bob", Group: "administrators"}); err != nil {
				t.Errorf("administrators can change their own password: %v", err)
			}
		})
	}
}

// An earlier run made the user and stopped before its password: asked
// again, the owner is told there is a user with no password, and with a
// yes it gets one (no other password to replace).
func TestAddPersonFinishesAnInterruptedOne(t *testing.T) {
	acct := practice(t)
	ctx := t.Context()
	withGroups(t, ctx, acct, steps.DefaultPolicy)
	if _, err := acct.CreateUser(ctx, "carol"); err != nil {
		t.Fatal(err)
	}
	_, err := steps.AddPerson(ctx, acct, steps.PersonRequest{Name: "carol", Group: "developers"})
	var exists *steps.PersonExistsError
	if !errors.As(err, &exists) || exists.Password || len(exists.Groups) != 0 || !strings.HasSuffix(exists.Said(), "carol already exists, with no console password.") {
		t.Fatalf("err = %v, want carol named as existing with no password", err)
	}
	res, err := steps.AddPerson(ctx, acct, steps.PersonRequest{Name: "carol", Group: "developers", Existing: true})
	if err != nil || res.Created || res.Replaced || !res.Joined || res.Password.IsZero() {
		t.Fatalf("res = %+v, err = %v; want carol given a first password and the group", res, err)
	}
	if said := steps.PersonSaid(res); !strings.HasPrefix(said, "Gave the existing user carol a console password, to change at first sign-in, and added it to group developers.") {
		t.Errorf("said %q", said)
	}
}

// A lost reply to CreateLoginProfile: AWS made the password, the SDK's
// retry is told it exists. The password is set again, so the one shown
// is surely the one AWS holds.
func TestAddPersonSurvivesALostPasswordReply(t *testing.T) {
	iam, _, _ := moto.UseThroughProxies(t)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{MaxBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	withGroups(t, ctx, acct, steps.DefaultPolicy)
	iam.Reset()
	iam.Force("CreateLoginProfile", awstest.FaultLostReply, 1)
	res, err := steps.AddPerson(ctx, acct, steps.PersonRequest{Name: "dave", Group: "administrators"})
	if err != nil || res.Password.IsZero() {
		t.Fatalf("a lost reply made AddPerson fail: %v", err)
	}
	if got, want := iam.Writes(), []string{"CreateUser", "AddUserToGroup", "CreateLoginProfile", "CreateLoginProfile", "UpdateLoginProfile"}; !slices.Equal(got, want) {
		t.Errorf("writes = %v, want %v", got, want)
	}
	if profile, ok, _ := acct.LoginProfile(ctx, "dave"); !ok || !profile.ResetRequired {
		t.Errorf("dave's password: %+v ok=%v, want one to change at first sign-in", profile, ok)
	}
}
