package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
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
	ID     string
	Use    awsops.KeyUse
	Active bool
	// ThisSession marks the key the wizard itself runs on.
	ThisSession bool
}

// RecentUse is how recently a key must have been used for the handoff to
// offer making it inactive before deleting it (seed 001: "deactivate and
// remove"): something may still need it, and an inactive key can be made
// active again; a deleted one is gone.
const RecentUse = 30 * 24 * time.Hour

// OfferInactive reports whether the handoff offers to make k inactive
// instead of deleting it: an active key, not this session's (which the
// session needs until its last call), used within RecentUse.
func (k RootKey) OfferInactive(now time.Time) bool {
	return k.Active && !k.ThisSession && !k.Use.LastUsed.IsZero() && now.Sub(k.Use.LastUsed) < RecentUse
}

// RootKeys lists the root user's access keys, with when and for what each
// was last used, so the user can tell whether anything still needs one.
// It runs as root, signed with one of root's keys: IAM lists root's keys
// for no one else (temporary root credentials, as in CloudShell, are
// refused; see Caller.Temporary).
func RootKeys(ctx context.Context, root Account) ([]RootKey, error) {
	infos, err := root.AccessKeys(ctx, "")
	if err != nil {
		return nil, err
	}
	session := root.CallerKeyID(ctx)
	keys := make([]RootKey, len(infos))
	// Each key's last use is read at once: no read waits on another.
	g, gctx := errgroup.WithContext(ctx)
	var crash panicked
	for i, k := range infos {
		keys[i] = RootKey{ID: k.ID, Active: k.Active, ThisSession: k.ID == session}
		g.Go(func() (err error) {
			defer crash.catch()
			keys[i].Use, err = root.AccessKeyLastUsed(gctx, k.ID)
			return err
		})
	}
	err = g.Wait()
	crash.repanic()
	if err != nil {
		return nil, err
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
	return "used " + when + " by " + inert.PrintableLine(k.Use.Service)
}

// KeyChoice is what the user chose for one root key.
type KeyChoice int

const (
	KeepKey KeyChoice = iota
	DeleteKey
	// DeactivateKey makes the key inactive: it signs nothing, and can be
	// made active again in the console if something breaks.
	DeactivateKey
)

// KeyAction is one change the handoff makes to a root key.
type KeyAction struct {
	Key    RootKey
	Choice KeyChoice // DeleteKey or DeactivateKey
}

// PlanRootKeys puts the user's choices in the order they must be made:
// keys made inactive first, then the other deletions, and this session's
// own key last of all. Every call after that deletion would be signed
// with a key AWS no longer accepts, so a deletion after it would fail and
// leave a root key behind.
func PlanRootKeys(keys []RootKey, choices map[string]KeyChoice) []KeyAction {
	var plan []KeyAction
	for _, pass := range []func(RootKey, KeyChoice) bool{
		func(_ RootKey, c KeyChoice) bool { return c == DeactivateKey },
		func(k RootKey, c KeyChoice) bool { return c == DeleteKey && !k.ThisSession },
		func(k RootKey, c KeyChoice) bool { return c == DeleteKey && k.ThisSession },
	} {
		for _, k := range keys {
			if c := choices[k.ID]; pass(k, c) {
				plan = append(plan, KeyAction{k, c})
			}
		}
	}
	return plan
}

// ChangeRootKeys makes plan's changes as root, in its order, and returns
// those made, up to the first that fails (and its error): the wizard
// records each in the runbook as soon as it is made, and a retry does
// what is left. A key already gone counts as deleted: when the reply to
// a delete is lost, the SDK's retry finds the key gone, and it is. For
// this session's own key that retry is signed with the deleted key, and
// refused as such: it is gone too.
func ChangeRootKeys(ctx context.Context, root Account, plan []KeyAction) ([]KeyAction, error) {
	var done []KeyAction
	for _, a := range plan {
		var err error
		if a.Choice == DeactivateKey {
			err = root.SetAccessKeyActive(ctx, "", a.Key.ID, false)
		} else {
			err = root.DeleteAccessKey(ctx, "", a.Key.ID)
			if errors.Is(err, awsops.ErrNotFound) || a.Key.ThisSession && errors.Is(err, awsops.ErrInvalidCredentials) {
				err = nil
			}
		}
		if err != nil {
			return done, err
		}
		done = append(done, a)
	}
	return done, nil
}

// DeleteAccessKeys deletes user's keys ids ("" for the caller's own). A
// key already gone counts as deleted (see ChangeRootKeys).
func DeleteAccessKeys(ctx context.Context, acct Account, user string, ids []string) error {
	for _, id := range ids {
		if err := acct.DeleteAccessKey(ctx, user, id); err != nil && !errors.Is(err, awsops.ErrNotFound) {
			return err
		}
	}
	return nil
}

// ConfirmRootKeys reads, as the admin user, whether the account still
// reports root access keys; its Change records what it found. When none
// should be left it asks a few times while IAM catches up; when some
// should be (a key kept or made inactive, which IAM counts too), once.
func ConfirmRootKeys(ctx context.Context, admin Account, noneLeft bool, wait func(context.Context, time.Duration) error) (present bool, change Change, err error) {
	var sum awsops.AccountSummary
	tries := 1
	if noneLeft {
		tries = 5
	}
	for i := range tries {
		if sum, err = admin.AccountSummary(ctx); err == nil && !sum.RootAccessKeysPresent {
			break
		}
		if i < tries-1 {
			if werr := wait(ctx, time.Second); werr != nil {
				return false, nil, werr
			}
		}
	}
	if err != nil {
		return false, nil, err
	}
	return sum.RootAccessKeysPresent, func(s *Snapshot) { s.Summary, s.SummaryErr = sum, nil }, nil
}

// RootKeysInactive records in a snapshot the root keys this session made
// inactive: nothing the admin user can read tells them (see Remembering).
func RootKeysInactive(done []KeyAction) Change {
	return func(s *Snapshot) {
		for _, a := range done {
			if a.Choice == DeactivateKey && !slices.Contains(s.RootKeysInactive, a.Key.ID) {
				s.RootKeysInactive = append(slices.Clone(s.RootKeysInactive), a.Key.ID)
			}
		}
	}
}

// SavedAdminKey is the access key that an earlier run saved for user as
// the AWS CLI profile of the user's name in credentialsFile (the
// credentials screen's p), if there is one: a rerun proves it instead of
// making new credentials.
func SavedAdminKey(ctx context.Context, credentialsFile, user string) (awsops.AccessKey, bool) {
	if credentialsFile == "" || user == "" {
		return awsops.AccessKey{}, false
	}
	return awsops.SavedKey(ctx, credentialsFile, user)
}

// DeleteRootKeyCLI is the aws CLI equivalent of the handoff on keys,
// run as root: the keys' last use, how to make one inactive, and the
// deletions, this session's key last.
func DeleteRootKeyCLI(keys []RootKey) string {
	cmds := []string{"# as the root user, signed in with one of its access keys:", "aws iam list-access-keys"}
	if len(keys) == 0 {
		return strings.Join(append(cmds, "aws iam delete-access-key --access-key-id AKIA…"), "\n")
	}
	for _, k := range keys {
		cmds = append(cmds, "aws iam get-access-key-last-used --access-key-id "+inert.ShellWord(k.ID))
	}
	all := map[string]KeyChoice{}
	for _, k := range keys {
		all[k.ID] = DeleteKey
	}
	plan := PlanRootKeys(keys, all)
	if !plan[0].Key.ThisSession {
		cmds = append(cmds, "# to stop a key yet keep it (reversible):", "aws iam update-access-key --access-key-id "+inert.ShellWord(plan[0].Key.ID)+" --status Inactive")
	}
	cmds = append(cmds, "# to delete them, this session's key last:")
	for _, a := range plan {
		cmds = append(cmds, "aws iam delete-access-key --access-key-id "+inert.ShellWord(a.Key.ID))
	}
	return strings.Join(cmds, "\n")
}

// RootKeyChangesCLI is the aws CLI equivalent of the changes done, in
// their order, for the runbook.
func RootKeyChangesCLI(done []KeyAction) string {
	cmds := []string{"# as the root user, signed in with one of its access keys:"}
	for _, a := range done {
		if a.Choice == DeactivateKey {
			cmds = append(cmds, "aws iam update-access-key --access-key-id "+inert.ShellWord(a.Key.ID)+" --status Inactive")
		} else {
			cmds = append(cmds, "aws iam delete-access-key --access-key-id "+inert.ShellWord(a.Key.ID))
		}
	}
	return strings.Join(cmds, "\n")
}

// RootKeyChangesSaid says what was done, in order, in a sentence.
func RootKeyChangesSaid(done []KeyAction) string {
	var said []string
	for _, a := range done {
		what := "deleted root access key " + a.Key.ID
		if a.Choice == DeactivateKey {
			what = "made root access key " + a.Key.ID + " inactive"
		}
		if a.Key.ThisSession {
			what += " (the key this session ran on)"
		}
		said = append(said, what)
	}
	if len(said) == 0 {
		return ""
	}
	return strings.ToUpper(said[0][:1]) + strings.Join(said, ", then ")[1:] + "."
}

// RootKeysPresentCLI reads whether the root user has access keys, as
// anyone with IAM's read access can (the only way with temporary root
// credentials).
const RootKeysPresentCLI = "aws iam get-account-summary --query 'SummaryMap.AccountAccessKeysPresent'"

// RootKeyRefused reports whether err is AWS refusing the key a root call
// was signed with: it was deleted or made inactive. Making a new root key
// is never the fix; the console is.
func RootKeyRefused(err error) bool { return errors.Is(err, awsops.ErrInvalidCredentials) }
