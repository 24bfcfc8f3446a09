package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/awssecure/awssecure/awsops"
)

// Handoff is the last step: stop using root, for real (seeds 000, 001 and
// 003). The new admin user's key is proven to work, then the root user's
// access keys are deleted, as the wizard's very last calls as root; from
// then on the wizard reads the account as the admin user.
var Handoff = Step{
	ID: "handoff",
	Info: Info{
		Title: "Stop using root",
		Why: "Root access keys cannot be limited by any policy: whoever holds one owns the account. " +
			"Once your admin user's key is proven to work, the root keys are deleted and you work as the admin user from now on.",
		ConsolePath: "Sign in as root → account name (top right) → Security credentials → Access keys → Actions → Delete",
		ConsoleURL:  "https://console.aws.amazon.com/iam/home#/security_credentials",
	},
	// Its check is the root step's root-access-keys, which it makes pass.
	Checks: func(Snapshot) []Check { return nil },
}

// SignIn opens acct signed in with an access key instead, as its IAM user
// would. SignInWithKey is the one the wizard uses; tests may give another.
type SignIn func(ctx context.Context, acct Account, key awsops.AccessKey) (Account, error)

// SignInWithKey opens the real account or the practice account with key.
func SignInWithKey(_ context.Context, acct Account, key awsops.AccessKey) (Account, error) {
	switch a := acct.(type) {
	case *awsops.Client:
		return a.WithKey(key), nil
	case *awsops.Practice:
		return a.WithKey(key), nil
	}
	return nil, fmt.Errorf("cannot sign in to a %T with a key", acct)
}

// Backoff for a new key: IAM is eventually consistent, so a key just made
// may be refused for a few seconds. The waits add up to about a minute.
var proveWaits = []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 5 * time.Second, 8 * time.Second, 13 * time.Second, 21 * time.Second}

// Proven is the admin user signed in with its new key, known to work.
type Proven struct {
	Admin  Account
	Caller awsops.Caller
	// Tries is how many times GetCallerIdentity was asked.
	Tries int
}

// ProveKey signs in with the new key and asks STS who it is until it
// answers as user, waiting between tries while IAM makes the key known;
// then it reads the account summary through it, to show the key has the
// admin's rights. wait is time.Sleep in the wizard; tests shorten it.
func ProveKey(ctx context.Context, signIn SignIn, acct Account, key awsops.AccessKey, user string, wait func(context.Context, time.Duration) error) (Proven, error) {
	admin, err := signIn(ctx, acct, key)
	if err != nil {
		return Proven{}, err
	}
	var p Proven
	for i := 0; ; i++ {
		p.Tries++
		caller, err := admin.WhoAmI(ctx)
		if err == nil && strings.HasSuffix(caller.ARN, ":user/"+user) {
			p.Admin, p.Caller = admin, caller
			break
		}
		if err == nil {
			err = fmt.Errorf("the new key answers as %s, not as %s", caller.ARN, user)
		}
		if errors.Is(err, awsops.ErrInvalidCredentials) && i == len(proveWaits) {
			return Proven{}, &KeyRefusedError{User: user, Err: err}
		}
		if !errors.Is(err, awsops.ErrInvalidCredentials) {
			return Proven{}, fmt.Errorf("prove the new access key of %s: %w", user, err)
		}
		if err := wait(ctx, proveWaits[i]); err != nil {
			return Proven{}, err
		}
	}
	if _, err := p.Admin.AccountSummary(ctx); err != nil {
		return Proven{}, fmt.Errorf("read the account as %s: %w", user, err)
	}
	return p, nil
}

// KeyRefusedError is a new key AWS still refuses after the waits: it was
// deleted or deactivated since it was made, or IAM never made it known.
type KeyRefusedError struct {
	User string
	Err  error
}

func (e *KeyRefusedError) Error() string {
	return "the new access key of " + e.User + " is refused: " + e.Err.Error()
}
func (e *KeyRefusedError) Unwrap() error { return e.Err }

// Sleep waits d, or less if ctx ends first.
func Sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// RootKey is one of the root user's access keys and what is known of its use.
type RootKey struct {
	ID  string
	Use awsops.KeyUse
	// ThisSession marks the key the wizard itself runs on.
	ThisSession bool
}

// RootKeys lists the root user's access keys, with when and for what each
// was last used, so the user can tell whether anything still needs one.
// It runs as root: only root can list them.
func RootKeys(ctx context.Context, root Account) ([]RootKey, error) {
	infos, err := root.AccessKeys(ctx, "")
	if err != nil {
		return nil, err
	}
	session := root.CallerKeyID(ctx)
	var keys []RootKey
	for _, k := range infos {
		use, err := root.AccessKeyLastUsed(ctx, k.ID)
		if err != nil {
			return nil, err
		}
		keys = append(keys, RootKey{ID: k.ID, Use: use, ThisSession: k.ID == session})
	}
	return keys, nil
}

// Used says in words when and for what a key was last used.
func (k RootKey) Used(now time.Time) string {
	if k.Use.LastUsed.IsZero() {
		return "never used"
	}
	ago := now.Sub(k.Use.LastUsed)
	when := "within the hour"
	switch days := int(ago.Hours() / 24); {
	case days >= 2:
		when = fmt.Sprintf("%d days ago", days)
	case ago >= 2*time.Hour:
		when = fmt.Sprintf("%d hours ago", int(ago.Hours()))
	}
	if k.Use.Service == "" {
		return "used " + when
	}
	return "used " + when + " by " + k.Use.Service
}

// DeleteRootKeys deletes the root user's keys ids as root: the wizard's
// last calls as root.
func DeleteRootKeys(ctx context.Context, root Account, ids []string) error {
	return DeleteAccessKeys(ctx, root, "", ids)
}

// DeleteAccessKeys deletes user's keys ids ("" for the caller's own). A
// key already gone counts as deleted: when the reply to a delete is lost,
// the SDK's retry finds the key gone, and it is.
func DeleteAccessKeys(ctx context.Context, acct Account, user string, ids []string) error {
	for _, id := range ids {
		if err := acct.DeleteAccessKey(ctx, user, id); err != nil && !errors.Is(err, awsops.ErrNotFound) {
			return err
		}
	}
	return nil
}

// ConfirmNoRootKeys reads, as the admin user, whether the account still
// reports root access keys, a few times while IAM catches up; its Change
// records what it found.
func ConfirmNoRootKeys(ctx context.Context, admin Account, wait func(context.Context, time.Duration) error) (bool, Change, error) {
	var sum awsops.AccountSummary
	var err error
	for i := range 5 {
		if sum, err = admin.AccountSummary(ctx); err == nil && !sum.RootAccessKeysPresent {
			break
		}
		if i < 4 {
			if werr := wait(ctx, time.Second); werr != nil {
				return false, nil, werr
			}
		}
	}
	if err != nil {
		return false, nil, err
	}
	return !sum.RootAccessKeysPresent, func(s *Snapshot) { s.Summary, s.SummaryErr = sum, nil }, nil
}

// DeleteRootKeyCLI is the aws CLI equivalent, run as root.
func DeleteRootKeyCLI(ids []string) string {
	if len(ids) == 0 {
		ids = []string{"AKIA…"}
	}
	var cmds []string
	cmds = append(cmds, "# as the root user:", "aws iam list-access-keys")
	for _, id := range ids {
		cmds = append(cmds, "aws iam get-access-key-last-used --access-key-id "+id, "aws iam delete-access-key --access-key-id "+id)
	}
	return strings.Join(cmds, "\n")
}
