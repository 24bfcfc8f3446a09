package steps_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

var moto *awstest.Moto

func TestMain(m *testing.M) {
	var err error
	if moto, err = awstest.StartMoto(); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: the steps tests need moto's server:", err)
		os.Exit(1)
	}
	code := m.Run()
	moto.Stop()
	os.Exit(code)
}

// Against moto through the real SDK: the tutorial creates the policy, the
// group with AdministratorAccess, the user with console password, access
// key and MFA, and the alias; a second run detects it all and creates nothing.
func TestTutorialAgainstMoto(t *testing.T) {
	api := awstest.NewAccountAPI(t)
	moto.Use(t, api.URL)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := steps.ApplyPasswordPolicy(ctx, acct, steps.DefaultPolicy); err != nil {
			t.Fatal(err)
		}
		if _, err := steps.ApplyAdminGroup(ctx, acct, snap.Caller, "administrators"); err != nil {
			t.Fatal(err)
		}
		if _, err := steps.ApplyAdminUser(ctx, acct, snap.Caller, steps.UserRequest{Name: "alice", Group: "administrators", Console: true, Programmatic: true}); err != nil {
			t.Fatal(err)
		}
		if has, _ := steps.UserHasMFA(ctx, acct, "alice"); !has {
			e, err := steps.StartMFA(ctx, acct, "alice", "acme-learning")
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now()
			c1, _ := awsops.MFACode(e.Seed, now.Add(-awsops.TOTPPeriod))
			c2, _ := awsops.MFACode(e.Seed, now)
			if err := steps.FinishMFA(ctx, acct, e, c1, c2, now); err != nil {
				t.Fatal(err)
			}
		}
		if err := steps.ApplyAlias(ctx, acct, "acme-learning"); err != nil {
			t.Fatal(err)
		}
	}
	snap, err = steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(steps.Checks(snap))
	for _, id := range []string{steps.CheckPasswordPolicy, steps.CheckAdminGroup, steps.CheckAdminUser, steps.CheckAdminUserMFA, steps.CheckAccountAlias, steps.CheckOptInRegions} {
		if got[id] != steps.Pass {
			t.Errorf("%s = %s, want pass", id, got[id])
		}
	}
	// moto always reports root MFA off; that path is covered on the practice account.
	if got[steps.CheckRootMFA] != steps.Fail {
		t.Errorf("root-mfa = %s on moto, want fail", got[steps.CheckRootMFA])
	}
	users, _ := acct.Users(ctx)
	keys, _ := acct.AccessKeys(ctx, "alice")
	devices, _ := acct.VirtualMFADevices(ctx)
	groups, _ := acct.Groups(ctx)
	if len(users) != 1 || len(keys) != 1 || len(devices) != 1 || len(groups) != 1 {
		t.Errorf("after two runs: %d users, %d keys, %d devices, %d groups; want one of each", len(users), len(keys), len(devices), len(groups))
	}
}
