package steps_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

var moto *awstest.Moto

func TestMain(m *testing.M) {
	if helper := os.Getenv(fileHelperEnv); helper != "" {
		os.Exit(fileHelper(helper)) // a child of a files test: no moto
	}
	awstest.RunWithMoto(m, &moto)
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
		if err := applied(steps.Policy.Apply(ctx, acct, snap.Caller, steps.DefaultPolicy)); err != nil {
			t.Fatal(err)
		}
		if _, err := steps.AdminGroup.Apply(ctx, acct, snap.Caller, "administrators"); err != nil {
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
			c1, c2 := awsops.PhoneCodes(e.Seed, now)
			if err := applied(steps.FinishMFA(ctx, acct, e, c1, c2, now)); err != nil {
				t.Fatal(err)
			}
		}
		if err := applied(steps.Alias.Apply(ctx, acct, snap.Caller, steps.AliasRequest{Alias: "acme-learning", Replace: true})); err != nil {
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

// The new user's MFA device against moto through the real SDK: created,
// enabled with codes computed from the seed moto returned, listed for the
// user; a cancelled enrolment leaves no device; an orphan from an
// interrupted run is replaced. No error or printed value holds the seed.
func TestMFALifecycleAgainstMoto(t *testing.T) {
	api := awstest.NewAccountAPI(t)
	moto.Use(t, api.URL)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"alice", "bob"} {
		if _, err := acct.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	var printed strings.Builder

	// alice: create, a wrong pair refused locally, then enabled.
	e, err := steps.StartMFA(ctx, acct, "alice", "123456789012")
	if err != nil {
		t.Fatal(err)
	}
	seed := e.Seed.Reveal()
	if len(seed) < 16 {
		t.Fatalf("moto returned a seed of %d characters", len(seed))
	}
	fmt.Fprintf(&printed, "%v %+v %#v %s\n", e, e, e, e.URI)
	now := time.Now()
	c1, c2 := awsops.PhoneCodes(e.Seed, now)
	bad := applied(steps.FinishMFA(ctx, acct, e, c2, c1, now))
	if bad == nil {
		t.Fatal("codes in the wrong order were accepted")
	}
	fmt.Fprintln(&printed, bad, steps.Explain(bad))
	if err := applied(steps.FinishMFA(ctx, acct, e, c1, c2, now)); err != nil {
		t.Fatal(err)
	}
	if serials, _ := acct.UserMFADevices(ctx, "alice"); len(serials) != 1 || serials[0] != e.Serial {
		t.Errorf("alice's devices = %v, want [%s]", serials, e.Serial)
	}

	// bob: the enrolment is cancelled; the device goes.
	cancelled, err := steps.StartMFA(ctx, acct, "bob", "123456789012")
	if err != nil {
		t.Fatal(err)
	}
	if err := steps.CancelMFA(ctx, acct, cancelled); err != nil {
		t.Fatal(err)
	}
	devices, _ := acct.VirtualMFADevices(ctx)
	if len(devices) != 1 || devices[0].User != "alice" {
		t.Errorf("after cancel: devices = %+v, want only alice's", devices)
	}

	// bob again, interrupted: the next run replaces the orphan.
	orphan, _ := steps.StartMFA(ctx, acct, "bob", "123456789012")
	again, err := steps.StartMFA(ctx, acct, "bob", "123456789012")
	if err != nil || !again.ReplacedOrphan || again.Seed.Reveal() == orphan.Seed.Reveal() {
		t.Fatalf("rerun: replaced=%v err=%v, want a new device", again.ReplacedOrphan, err)
	}
	devices, _ = acct.VirtualMFADevices(ctx)
	var unassigned int
	for _, d := range devices {
		if d.User == "" {
			unassigned++
		}
	}
	if len(devices) != 2 || unassigned != 1 {
		t.Errorf("after rerun: %d devices, %d unassigned; want alice's and one new for bob", len(devices), unassigned)
	}
	for _, s := range []string{seed, orphan.Seed.Reveal(), again.Seed.Reveal()} {
		if strings.Contains(printed.String(), s) {
			t.Error("an MFA seed appeared in a printed value or error")
		}
	}
}
