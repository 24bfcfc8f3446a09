package steps_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// fakeClock is a practice account's clock that the handoff's waits move.
type fakeClock struct{ now time.Time }

func (f *fakeClock) Now() time.Time { return f.now }

func (f *fakeClock) wait(_ context.Context, d time.Duration) error {
	f.now = f.now.Add(d)
	return nil
}

// adminWithNewKey makes alice an admin with a new access key.
func adminWithNewKey(t *testing.T, ctx context.Context, acct steps.Account) awsops.AccessKey {
	t.Helper()
	caller, err := acct.WhoAmI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := steps.AdminGroup.Apply(ctx, acct, caller, "administrators"); err != nil {
		t.Fatal(err)
	}
	o, err := steps.AdminUser.Apply(ctx, acct, caller, steps.UserRequest{Name: "alice", Group: "administrators", Console: true, Programmatic: true})
	if err != nil || o.Credentials == nil || o.Credentials.AccessKey == nil {
		t.Fatalf("admin user: %+v, %v", o, err)
	}
	return *o.Credentials.AccessKey
}

// On the practice account a new key works only 3 s after it was made, as
// IAM's eventual consistency makes a real one wait: the proof waits and
// asks again (after 1 s, then 2 s more) until STS answers as alice.
func TestProveKeyWaitsForANewKey(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	acct, err := awsops.NewPractice(awsops.PracticeOptions{Now: clock.Now, KeyDelay: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	key := adminWithNewKey(t, ctx, acct)
	start := clock.now
	p, err := steps.ProveKey(ctx, steps.SignInWithKey, acct, key, "alice", clock.wait)
	if err != nil {
		t.Fatal(err)
	}
	if p.Tries != 3 || clock.now.Sub(start) != 3*time.Second || p.Caller.ARN != "arn:aws:iam::111122223333:user/alice" {
		t.Errorf("proved after %d tries and %s as %s; want 3 tries, 3 s, alice", p.Tries, clock.now.Sub(start), p.Caller.ARN)
	}
	// A key that never starts to work is given up after about a minute.
	_, err = steps.ProveKey(ctx, steps.SignInWithKey, acct, awsops.AccessKey{ID: "AKIAUNKNOWNKEY000000"}, "alice", clock.wait)
	if !errors.Is(err, awsops.ErrInvalidCredentials) {
		t.Errorf("an unknown key: err = %v, want invalid credentials", err)
	}
}

// The whole handoff on the practice account, where the wizard runs as
// root (moto has no root caller, so this branch is covered here): root's
// two keys are listed with their use, the session's marked; a refusal
// changes nothing; deleting both leaves the account with no root keys, as
// the admin user reads it, and status's root-access-keys then passes.
func TestHandoffDeletesRootKeysOnPractice(t *testing.T) {
	acct, err := awsops.NewPractice(awsops.PracticeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	key := adminWithNewKey(t, ctx, acct)
	p, err := steps.ProveKey(ctx, steps.SignInWithKey, acct, key, "alice", steps.Sleep)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := steps.RootKeys(ctx, acct)
	if err != nil || len(keys) != 2 {
		t.Fatalf("root keys = %+v, %v; want the practice account's two", keys, err)
	}
	if !keys[0].ThisSession || keys[1].ThisSession || keys[1].Used(time.Now()) != "used 9 days ago by s3" || !keys[0].Active || !keys[1].Active {
		t.Errorf("root keys as listed: %+v; %q", keys, keys[1].Used(time.Now()))
	}
	if plan := steps.PlanRootKeys(keys, nil); len(plan) != 0 { // every key kept
		t.Errorf("keys kept are planned for a change: %+v", plan)
	}
	both := map[string]steps.KeyChoice{keys[0].ID: steps.DeleteKey, keys[1].ID: steps.DeleteKey}
	done, err := steps.ChangeRootKeys(ctx, acct, steps.PlanRootKeys(keys, both))
	if err != nil || len(done) != 2 {
		t.Fatalf("deleting both: done %+v, %v", done, err)
	}
	present, change, err := steps.ConfirmRootKeys(ctx, p.Admin, true, steps.Sleep)
	if err != nil || present {
		t.Fatalf("after deleting: present=%v err=%v", present, err)
	}
	snap := steps.Snapshot{}.With(change)
	if got := statuses(steps.Checks(snap))[steps.CheckRootAccessKeys]; got != steps.Pass {
		t.Errorf("root-access-keys = %s after the handoff, want pass", got)
	}
	// A rerun signs in as root with temporary credentials, as CloudShell
	// would: there is nothing left to list or delete.
	if sum, err := p.Admin.AccountSummary(ctx); err != nil || sum.RootAccessKeysPresent {
		t.Errorf("rerun: root keys present=%v, %v", sum.RootAccessKeysPresent, err)
	}
}

// The handoff deletes this session's own key last: the practice account
// lists it first and, as IAM does, refuses every call signed with it once
// it is deleted. Deleting in list order leaves the other key behind.
func TestHandoffDeletesThisSessionsKeyLast(t *testing.T) {
	for _, order := range []string{"planned", "list order"} {
		t.Run(order, func(t *testing.T) {
			acct, err := awsops.NewPractice(awsops.PracticeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			p, err := steps.ProveKey(ctx, steps.SignInWithKey, acct, adminWithNewKey(t, ctx, acct), "alice", steps.Sleep)
			if err != nil {
				t.Fatal(err)
			}
			keys, err := steps.RootKeys(ctx, acct)
			if err != nil || len(keys) != 2 || !keys[0].ThisSession {
				t.Fatalf("root keys = %+v, %v; want this session's first", keys, err)
			}
			plan := steps.PlanRootKeys(keys, map[string]steps.KeyChoice{keys[0].ID: steps.DeleteKey, keys[1].ID: steps.DeleteKey})
			if order == "list order" {
				plan = []steps.KeyAction{{Key: keys[0], Choice: steps.DeleteKey}, {Key: keys[1], Choice: steps.DeleteKey}}
			}
			done, err := steps.ChangeRootKeys(ctx, acct, plan)
			present, _, cerr := steps.ConfirmRootKeys(ctx, p.Admin, true, func(context.Context, time.Duration) error { return nil })
			if cerr != nil {
				t.Fatal(cerr)
			}
			if order == "list order" {
				// Why the order matters: the second delete is signed with the deleted key.
				if !errors.Is(err, awsops.ErrInvalidCredentials) || len(done) != 1 || !present {
					t.Errorf("in list order: done %+v, err %v, root keys left %v; want the second refused and a key left", done, err, present)
				}
				return
			}
			if err != nil || len(done) != 2 || done[1].Key.ID != keys[0].ID || present {
				t.Errorf("planned: done %+v, err %v, root keys left %v; want both deleted, this session's last", done, err, present)
			}
			// The teaching panel's commands too: the other key made inactive as the example, this session's deleted last.
			cli := steps.DeleteRootKeyCLI(keys)
			if !strings.HasSuffix(cli, "aws iam delete-access-key --access-key-id "+keys[1].ID+"\naws iam delete-access-key --access-key-id "+keys[0].ID) ||
				!strings.Contains(cli, "update-access-key --access-key-id "+keys[1].ID+" --status Inactive") {
				t.Errorf("the handoff's commands:\n%s", cli)
			}
		})
	}
}

// A recently used key other than this session's is offered to be made
// inactive first; that is made before any deletion, the key is then
// listed inactive (and signs nothing), and the summary's check says so.
// With a key left, the confirmation reads once, without waiting for IAM
// to report no keys (which it never would): that wait cost the practice
// handoff five seconds.
func TestHandoffMakesARecentKeyInactive(t *testing.T) {
	acct, err := awsops.NewPractice(awsops.PracticeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	p, err := steps.ProveKey(ctx, steps.SignInWithKey, acct, adminWithNewKey(t, ctx, acct), "alice", steps.Sleep)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := steps.RootKeys(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if keys[0].OfferInactive(now) || !keys[1].OfferInactive(now) {
		t.Errorf("offer to make inactive: this session's %v, the one used 9 days ago %v; want false, true", keys[0].OfferInactive(now), keys[1].OfferInactive(now))
	}
	old := keys[1]
	old.Use.LastUsed = now.Add(-31 * 24 * time.Hour)
	if old.OfferInactive(now) {
		t.Error("a key unused for 31 days is offered to be made inactive")
	}
	plan := steps.PlanRootKeys(keys, map[string]steps.KeyChoice{keys[0].ID: steps.KeepKey, keys[1].ID: steps.DeactivateKey})
	done, err := steps.ChangeRootKeys(ctx, acct, plan)
	if err != nil || len(done) != 1 || done[0].Choice != steps.DeactivateKey {
		t.Fatalf("done %+v, %v", done, err)
	}
	if after, err := steps.RootKeys(ctx, acct); err != nil || len(after) != 2 || !after[0].Active || after[1].Active {
		t.Errorf("root keys after: %+v, %v; want the old one inactive", after, err)
	}
	waits := 0
	present, change, err := steps.ConfirmRootKeys(ctx, p.Admin, false, func(context.Context, time.Duration) error { waits++; return nil })
	if err != nil || !present || waits != 0 {
		t.Errorf("confirm: present %v, %v, %d waits; want keys present at the first read", present, err, waits)
	}
	snap := steps.Snapshot{}.With(change).With(steps.RootKeysInactive(done))
	if ch := steps.Checks(snap)[1]; ch.ID != steps.CheckRootAccessKeys || ch.Status != steps.Fail || !strings.Contains(ch.Detail, keys[1].ID+" is inactive") {
		t.Errorf("root-access-keys after: %+v", ch)
	}
	if cli := steps.RootKeyChangesCLI(done); !strings.Contains(cli, "aws iam update-access-key --access-key-id "+keys[1].ID+" --status Inactive") {
		t.Errorf("the runbook's command: %q", cli)
	}
}

// Root on temporary credentials (CloudShell): IAM will not list root's
// keys for it ("Must specify userName when calling with non-User
// credentials"); the account summary still tells whether there are any.
func TestHandoffWithTemporaryRootCredentials(t *testing.T) {
	acct, err := awsops.NewPractice(awsops.PracticeOptions{TemporaryRoot: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	caller, err := acct.WhoAmI(ctx)
	if err != nil || !caller.IsRoot() || !caller.Temporary {
		t.Fatalf("caller %+v, %v; want root on temporary credentials", caller, err)
	}
	if _, err := steps.RootKeys(ctx, acct); !errors.Is(err, awsops.ErrInvalidInput) || !strings.Contains(err.Error(), "non-User credentials") {
		t.Errorf("listing root's keys on temporary credentials: %v", err)
	}
	if sum, err := acct.AccountSummary(ctx); err != nil || !sum.RootAccessKeysPresent {
		t.Errorf("summary: %+v, %v; want root keys present", sum, err)
	}
}

// Against moto checking keys, through the real SDK: alice's new key is
// proven (STS answers as alice, and her AdministratorAccess reads the
// account summary); once her key is deleted, it is refused, and that is
// said as a deleted key, not as a crash.
func TestProveKeyAgainstMotoCheckingKeys(t *testing.T) {
	m, err := awstest.StartMotoCheckingKeys(3)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Stop()
	awstest.Isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "only-the-first-requests-pass-unchecked")
	// Through the proxy, which gives moto's refusals AWS's wire shape.
	t.Setenv("AWS_ENDPOINT_URL", awstest.NewProxy(t, m.URL).URL)
	ctx := awstest.Context(t)
	root, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The set-up's requests, unchecked: create alice, make her admin, give her a key.
	if _, err := root.CreateUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if err := root.AttachUserPolicy(ctx, "alice", "arn:aws:iam::aws:policy/AdministratorAccess"); err != nil {
		t.Fatal(err)
	}
	key, err := root.CreateAccessKey(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	p, err := steps.ProveKey(ctx, steps.SignInWithKey, root, key, "alice", steps.Sleep)
	if err != nil {
		t.Fatalf("alice's new key was not proven: %v", err)
	}
	if !strings.HasSuffix(p.Caller.ARN, ":user/alice") {
		t.Errorf("proven as %s", p.Caller.ARN)
	}
	t.Logf("alice's key works: %s (after %d tries)", p.Caller.ARN, p.Tries)
	// The fake key of the set-up is refused now: moto checks keys.
	if _, err := root.WhoAmI(ctx); !errors.Is(err, awsops.ErrInvalidCredentials) {
		t.Errorf("a key moto never issued was accepted: %v", err)
	}
	if err := steps.DeleteAccessKeys(ctx, p.Admin, "alice", []string{key.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = steps.ProveKey(ctx, steps.SignInWithKey, root, key, "alice", func(context.Context, time.Duration) error { return nil })
	if !errors.Is(err, awsops.ErrInvalidCredentials) {
		t.Fatalf("a deleted key was not refused: %v", err)
	}
	if e := steps.Explain(err); !strings.Contains(e.What, "alice's new access key: this key was deleted") {
		t.Errorf("a deleted key is explained as %q", e.What)
	}
	t.Logf("the deleted key is refused: %s", steps.Explain(err).What)
}

// A lost reply to DeleteAccessKey: AWS deleted the key, the SDK's retry
// finds it gone; the handoff counts it deleted and says the truth.
func TestDeleteKeysSurvivesALostReply(t *testing.T) {
	iam, _, _ := moto.UseThroughProxies(t)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{MaxBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acct.CreateUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	key, err := acct.CreateAccessKey(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	iam.Force("DeleteAccessKey", awstest.FaultLostReply, 1)
	if err := steps.DeleteAccessKeys(ctx, acct, "alice", []string{key.ID}); err != nil {
		t.Fatalf("a lost reply made the delete fail: %v", err)
	}
	if keys, _ := acct.AccessKeys(ctx, "alice"); len(keys) != 0 {
		t.Errorf("the key is still there: %+v", keys)
	}
}
