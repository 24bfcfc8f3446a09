package awsops_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
)

func newPractice(t *testing.T, opts awsops.PracticeOptions) *awsops.Practice {
	t.Helper()
	p, err := awsops.NewPractice(opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// moto has a single account, so it cannot hold an alias "taken" by
// another; AWS answers EntityAlreadyExists, which the practice account copies.
func TestPracticeTakenAlias(t *testing.T) {
	p := newPractice(t, awsops.PracticeOptions{})
	err := p.CreateAccountAlias(t.Context(), "admin")
	if !errors.Is(err, awsops.ErrAliasTaken) || errors.Is(err, awsops.ErrAlreadyExists) {
		t.Errorf("err = %v, want ErrAliasTaken only", err)
	}
	if alias, _ := p.AccountAlias(t.Context()); alias != "" {
		t.Errorf("alias = %q after a refused create", alias)
	}
}

// moto accepts any MFA codes; AWS and the practice account check them.
func TestPracticeChecksMFACodes(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 10, 0, time.UTC)
	p := newPractice(t, awsops.PracticeOptions{Now: func() time.Time { return now }})
	ctx := t.Context()
	must[awsops.User](t)(p.CreateUser(ctx, "alice"))
	dev := must[awsops.VirtualMFADevice](t)(p.CreateVirtualMFADevice(ctx, "alice"))
	code := func(at time.Time) string { return must[string](t)(awsops.MFACode(dev.Seed, at)) }
	err := p.EnableMFADevice(ctx, "alice", dev.Serial, "000000", code(now))
	if !errors.Is(err, awsops.ErrInvalidMFACode) {
		t.Fatalf("wrong first code: err = %v", err)
	}
	if serials, _ := p.UserMFADevices(ctx, "alice"); len(serials) != 0 {
		t.Fatal("device enabled despite a wrong code")
	}
	if err := p.EnableMFADevice(ctx, "alice", dev.Serial, code(now.Add(-awsops.TOTPPeriod)), code(now)); err != nil {
		t.Fatalf("right codes refused: %v", err)
	}
	if serials, _ := p.UserMFADevices(ctx, "alice"); len(serials) != 1 {
		t.Error("device not enabled")
	}
	if err := p.DeleteVirtualMFADevice(ctx, dev.Serial); !errors.Is(err, awsops.ErrInUse) {
		t.Errorf("deleting an assigned device: err = %v, want ErrInUse", err)
	}
}

func TestPracticeRootUser(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	p := newPractice(t, awsops.PracticeOptions{Now: func() time.Time { return now }})
	ctx := t.Context()
	caller := must[awsops.Caller](t)(p.WhoAmI(ctx))
	if !caller.IsRoot() || caller.AccountID != awsops.PracticeAccountID {
		t.Errorf("caller = %+v, want the practice root user", caller)
	}
	sum := must[awsops.AccountSummary](t)(p.AccountSummary(ctx))
	if sum.RootMFAEnabled || !sum.RootAccessKeysPresent {
		t.Errorf("fresh summary = %+v, want MFA off and root keys present", sum)
	}
	mustDo(t, p.SimulateRootMFAInConsole(3*time.Second))
	if must[awsops.AccountSummary](t)(p.AccountSummary(ctx)).RootMFAEnabled {
		t.Error("root MFA on before the simulated delay")
	}
	now = now.Add(3 * time.Second)
	if !must[awsops.AccountSummary](t)(p.AccountSummary(ctx)).RootMFAEnabled {
		t.Error("root MFA still off after the simulated delay")
	}
	keys := must[[]awsops.AccessKeyInfo](t)(p.AccessKeys(ctx, ""))
	if len(keys) != 2 {
		t.Fatalf("root keys = %v, want the session's and an old one", keys)
	}
	// The session's key last: the root session signs with it.
	mustDo(t, p.DeleteAccessKey(ctx, "", keys[1].ID))
	if !must[awsops.AccountSummary](t)(p.AccountSummary(ctx)).RootAccessKeysPresent {
		t.Error("root keys reported gone while one is left")
	}
	mustDo(t, p.DeleteAccessKey(ctx, "", keys[0].ID))
	if _, err := p.AccountSummary(ctx); !errors.Is(err, awsops.ErrInvalidCredentials) {
		t.Errorf("a call signed with the deleted session key: err = %v, want invalid credentials", err)
	}
}

// The root session signs with one of root's keys, as the wizard does with
// the key in ~/.aws/credentials: once that key is made inactive or
// deleted, AWS refuses every call signed with it. A rerun then signs in
// as root on temporary credentials (as in CloudShell), for which IAM will
// not list root's keys; an IAM user's "" means its own keys, never root's.
func TestPracticeRootSessionKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "practice.json")
	p := newPractice(t, awsops.PracticeOptions{Path: path})
	ctx := t.Context()
	if p.CallerKeyID(ctx) != "AKIAPRACTICEROOTKEY0" || must[awsops.Caller](t)(p.WhoAmI(ctx)).Temporary {
		t.Errorf("the root session signs with %q; want the session key, not temporary credentials", p.CallerKeyID(ctx))
	}
	must[awsops.User](t)(p.CreateUser(ctx, "alice"))
	key := must[awsops.AccessKey](t)(p.CreateAccessKey(ctx, "alice"))
	alice := p.WithKey(key)
	if keys := must[[]awsops.AccessKeyInfo](t)(alice.AccessKeys(ctx, "")); len(keys) != 1 || keys[0].ID != key.ID {
		t.Errorf("alice's own keys = %+v, want hers", keys)
	}
	mustDo(t, p.SetAccessKeyActive(ctx, "", "AKIAPRACTICEROOTKEY1", false))
	keys := must[[]awsops.AccessKeyInfo](t)(p.AccessKeys(ctx, ""))
	if len(keys) != 2 || !keys[0].Active || keys[1].Active {
		t.Errorf("root keys = %+v, want the second inactive", keys)
	}
	mustDo(t, p.SetAccessKeyActive(ctx, "", "AKIAPRACTICEROOTKEY0", false))
	if _, err := p.WhoAmI(ctx); !errors.Is(err, awsops.ErrInvalidCredentials) {
		t.Errorf("a call signed with the inactive session key: err = %v, want invalid credentials", err)
	}
	// alice made the session key active again? She cannot: "" is her own.
	if err := alice.SetAccessKeyActive(ctx, "", "AKIAPRACTICEROOTKEY0", true); !errors.Is(err, awsops.ErrNotFound) {
		t.Errorf("alice reactivating root's key: err = %v, want not found", err)
	}
	rerun := newPractice(t, awsops.PracticeOptions{Path: path})
	if c := must[awsops.Caller](t)(rerun.WhoAmI(ctx)); !c.IsRoot() || !c.Temporary || rerun.CallerKeyID(ctx) != "" {
		t.Errorf("rerun caller %+v with key %q, want root on temporary credentials", c, rerun.CallerKeyID(ctx))
	}
	if _, err := rerun.AccessKeys(ctx, ""); !errors.Is(err, awsops.ErrInvalidInput) || !strings.Contains(err.Error(), "Must specify userName when calling with non-User credentials") {
		t.Errorf("listing root's keys on temporary credentials: err = %v", err)
	}
	if !must[awsops.AccountSummary](t)(rerun.AccountSummary(ctx)).RootAccessKeysPresent {
		t.Error("inactive root keys are not counted")
	}
	mustDo(t, rerun.SimulateRootKeysDeletedInConsole())
	if must[awsops.AccountSummary](t)(alice.AccountSummary(ctx)).RootAccessKeysPresent {
		t.Error("root keys still reported after deleting them in the console")
	}
}

func TestPracticePasswordMustMeetPolicy(t *testing.T) {
	p := newPractice(t, awsops.PracticeOptions{})
	ctx := t.Context()
	must[awsops.User](t)(p.CreateUser(ctx, "alice"))
	// With no policy, IAM's default: 8 characters, three kinds.
	wantKind(t, p.CreateLoginProfile(ctx, "alice", awsops.NewSecret("short1A"), true), awsops.ErrPasswordPolicy)
	mustDo(t, p.SetPasswordPolicy(ctx, awsops.PasswordPolicy{MinimumLength: 14, RequireSymbols: true}))
	err := p.CreateLoginProfile(ctx, "alice", awsops.NewSecret("LongEnoughButNoSymbol1"), true)
	wantKind(t, err, awsops.ErrPasswordPolicy)
	if err != nil && strings.Contains(err.Error(), "LongEnoughButNoSymbol1") {
		t.Error("error text holds the password")
	}
	mustDo(t, p.CreateLoginProfile(ctx, "alice", awsops.NewSecret(strongPassword+"-long"), true))
}

func TestPracticeKeepsStateBetweenRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "practice.json")
	ctx := t.Context()
	p := newPractice(t, awsops.PracticeOptions{Path: path})
	must[awsops.User](t)(p.CreateUser(ctx, "alice"))
	mustDo(t, p.CreateAccountAlias(ctx, "my-practice"))
	dev := must[awsops.VirtualMFADevice](t)(p.CreateVirtualMFADevice(ctx, "alice"))

	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("practice file mode = %v, want 0600", info.Mode().Perm())
	}
	var onDisk map[string]any
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &onDisk); err != nil || !strings.Contains(onDisk["Note"].(string), "fake") {
		t.Errorf("practice file does not say its secrets are fake: %v", err)
	}

	again := newPractice(t, awsops.PracticeOptions{Path: path})
	if _, err := again.GetUser(ctx, "alice"); err != nil {
		t.Errorf("user lost between runs: %v", err)
	}
	if alias, _ := again.AccountAlias(ctx); alias != "my-practice" {
		t.Errorf("alias after reopen = %q", alias)
	}
	// The device's seed survives, so a learner can finish enabling it.
	c1, c2 := awsops.PhoneCodes(dev.Seed, time.Now())
	mustDo(t, again.EnableMFADevice(ctx, "alice", dev.Serial, c1, c2))
}

func TestPracticeDamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "practice.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := awsops.NewPractice(awsops.PracticeOptions{Path: path})
	if err == nil || !strings.Contains(err.Error(), "--practice-reset") {
		t.Errorf("err = %v, want a damaged-file error that names --practice-reset", err)
	}
}

func TestPracticeLatencyHonoursCancel(t *testing.T) {
	p := newPractice(t, awsops.PracticeOptions{Latency: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := p.WhoAmI(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// The --debug log names each practice call as the client's log names the
// AWS operation, and carries nothing the call does.
func TestPracticeCallLogNamesTheOperation(t *testing.T) {
	var log strings.Builder
	p := newPractice(t, awsops.PracticeOptions{Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	ctx := t.Context()
	must[awsops.User](t)(p.CreateUser(ctx, "alice"))
	key := must[awsops.AccessKey](t)(p.CreateAccessKey(ctx, "alice"))
	dev := must[awsops.VirtualMFADevice](t)(p.CreateVirtualMFADevice(ctx, "alice"))
	_ = p.EnableMFADevice(ctx, "alice", dev.Serial, "123456", "654321")
	got := log.String()
	for _, op := range []string{"operation=CreateUser", "operation=CreateAccessKey", "operation=CreateVirtualMFADevice", "operation=EnableMFADevice"} {
		if !strings.Contains(got, op) {
			t.Errorf("the practice call log lacks %q", op)
		}
	}
	if strings.Contains(got, key.Secret.Reveal()) || strings.Contains(got, dev.Seed.Reveal()) {
		t.Error("a secret is in the practice call log")
	}
}
