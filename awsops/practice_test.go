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
	mustDo(t, p.DeleteAccessKey(ctx, "", keys[0].ID))
	if !must[awsops.AccountSummary](t)(p.AccountSummary(ctx)).RootAccessKeysPresent {
		t.Error("root keys reported gone while one is left")
	}
	mustDo(t, p.DeleteAccessKey(ctx, "", keys[1].ID))
	if must[awsops.AccountSummary](t)(p.AccountSummary(ctx)).RootAccessKeysPresent {
		t.Error("root keys still reported after deleting the last")
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
