package awsops

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/awssecure/awssecure/internal/safefile"
)

// The practice account is split as the client is: this file holds the
// account, its state and the one way every call runs; practice_iam.go,
// practice_iam_users.go, practice_iam_mfa.go, practice_account.go and
// practice_sts.go, practice_s3.go, practice_cloudtrail.go,
// practice_budgets.go, practice_bcmdataexports.go, practice_s3control.go,
// practice_ec2.go, practice_accessanalyzer.go, practice_guardduty.go,
// practice_sns.go, practice_eventbridge.go and practice_iam_roles.go hold
// the calls of iam.go, iam_users.go, iam_mfa.go, account.go, sts.go,
// s3.go, cloudtrail.go, budgets.go, bcmdataexports.go, s3control.go,
// ec2.go, accessanalyzer.go, guardduty.go, sns.go, eventbridge.go and
// iam_roles.go.

// PracticeAccountID is the practice account's fixed id (AWS's documentation example).
const PracticeAccountID = "111122223333"

// PracticeOptions shape a practice account.
type PracticeOptions struct {
	// Path is the JSON file that keeps the account between runs; "" keeps
	// it in memory only.
	Path string
	// Latency is added to every call, so spinners are seen; 0 in tests.
	Latency time.Duration
	// RegionEnableTime is how long an opt-in region stays ENABLING.
	RegionEnableTime time.Duration
	// KeyDelay is how long a new access key takes to work, as IAM's
	// eventual consistency makes a real new key wait; 0 in tests.
	KeyDelay time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger, when set, gets one line per call, as the real client's call
	// log: the operation's name and nothing it carries.
	Logger *slog.Logger
	// Region is the home region, where trails and buckets are made;
	// "" means DefaultRegion.
	Region string
	// EmailConfirmDelay is how long after an e-mail subscription the
	// practice account confirms it, as if the learner clicked the link
	// SNS mails; 0 confirms it at once.
	EmailConfirmDelay time.Duration
	// TemporaryRoot signs the root user in with temporary credentials, as
	// AWS CloudShell does, instead of with one of its access keys. Without
	// it the root user signs in with its session key while that works, and
	// with temporary credentials once an earlier run deleted it.
	TemporaryRoot bool
}

// Practice is an in-memory AWS account with the same methods, validation
// and errors as Client, so the wizard can run with no AWS account and no
// network. A contract test suite holds it to moto and the Account API.
//
// Kept in a file, it is one account however many runs use the file: each
// call works on the file as it is at that moment (see transact), so two
// runs see each other's users as two consoles on one AWS account do.
type Practice struct {
	opts PracticeOptions
	*practiceAccount
	// as is the key this view signs in with (see WithKey); nil is the
	// practice wizard's root session.
	as *AccessKey
	// rootKey is the root access key the root session signs with, as a
	// real one signs with the key in ~/.aws/credentials: deleted or made
	// inactive, it signs nothing more. "" is temporary credentials.
	rootKey string
}

// practiceAccount is the account behind a Practice and the views of it
// signed in with other keys.
type practiceAccount struct {
	mu sync.Mutex    // one call at a time in this process
	st practiceState // the account as the last call left it
	// reportAt is when this process last made the IAM credential report;
	// nil: never. It is not in the file: making the report changes no
	// setting, and status, which makes it, never writes the file.
	reportAt *time.Time
	// mail is what Publish delivered in this process (see Mail).
	mail []PracticeMail
}

// practiceState is what the practice file holds. Its secrets are fake: they
// open nothing anywhere, which the file's note says.
type practiceState struct {
	Note        string
	RootMFAOnAt *time.Time // root MFA counts as on from this time
	RootKeys    []string
	// KeyUse is when each access key was last used, and by what service.
	KeyUse map[string]practiceKeyUse
	// KeyCreated is when each IAM user's access key was made: it works
	// PracticeKeyDelay later.
	KeyCreated map[string]time.Time
	// InactiveKeys are the access keys (root's or a user's) made
	// inactive: they are listed, and sign nothing.
	InactiveKeys []string
	Policy       *PasswordPolicy
	Groups       map[string]*practiceGroup
	Users        map[string]*practiceUser
	MFADevices   map[string]*practiceMFA // by serial
	Alias        string
	Regions      []practiceRegion
	TakenAliases []string
	// Buckets are this account's S3 buckets, by name; OtherBuckets are
	// names other accounts hold (bucket names are unique across AWS).
	Buckets      map[string]*practiceBucket
	OtherBuckets []string
	Trails       map[string]*practiceTrail // by name
	// Budgets (by name), Data Exports (by name) and the names of legacy
	// Cost and Usage Reports: the billing step's.
	Budgets       map[string]*practiceBudget
	Exports       map[string]*practiceExport
	LegacyReports []string
	// The guardrails (practice_account.go, practice_s3control.go,
	// practice_ec2.go, practice_accessanalyzer.go, practice_guardduty.go).
	Contacts          map[string]*Contact   // alternate contacts by type
	PublicAccessBlock *PublicAccessBlock    // nil: never set
	EBSDefault        []string              // regions where EBS encryption by default is on
	Analyzers         map[string][]Analyzer // by region
	Detectors         []Detector            // GuardDuty, home region: at most one
	// The root activity alert (practice_sns.go, practice_eventbridge.go,
	// practice_iam_roles.go): SNS topics by ARN, EventBridge rules by
	// region then name, IAM roles by name.
	Topics map[string]*practiceTopic
	Rules  map[string]map[string]*practiceRule
	Roles  map[string]*practiceRole
}

type practiceGroup struct {
	Policies []string
	Members  []string
}

type practiceUser struct {
	Created     time.Time
	HasPassword bool
	// PasswordSet is when the console password was made (nil in files
	// from before it was kept); PasswordResetRequired says a new one must
	// be chosen at the next sign-in.
	PasswordSet           *time.Time `json:",omitempty"`
	PasswordResetRequired bool       `json:",omitempty"`
	// PasswordChanged is when the console password was last set, made or
	// changed; zero in a file from before it was kept (the credential
	// report then gives the user's creation).
	PasswordChanged time.Time `json:",omitzero"`
	Keys            []string
	Policies        []string
}

type practiceMFA struct {
	Seed string // fake: this device exists only in the practice account
	User string
}

type practiceRegion struct {
	Name          string
	Status        string
	EnablingSince time.Time
}

// Region is the home region, where trails and buckets are made.
func (p *Practice) Region() string {
	if p.opts.Region == "" {
		return DefaultRegion
	}
	return p.opts.Region
}

const practiceNote = "awssecure practice account. Nothing in this file touches AWS; its keys, passwords and MFA seeds are fake and open nothing. Delete it or run with --practice-reset to start over."

// NewPractice opens the practice account at opts.Path, or starts a fresh
// one if the file does not exist yet. A file it cannot use is refused
// with a *PracticeDamagedError, so no method meets an impossible account.
func NewPractice(opts PracticeOptions) (*Practice, error) {
	return OpenPractice(context.Background(), opts)
}

// OpenPractice is NewPractice giving up when ctx ends, as every call does:
// `status --timeout` bounds reading the file too.
func OpenPractice(ctx context.Context, opts PracticeOptions) (*Practice, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Practice{opts: opts, practiceAccount: &practiceAccount{st: freshPracticeState()}}
	if opts.Path != "" {
		var err error
		if p.st, err = loadPracticeState(ctx, opts.Path); err != nil {
			return nil, err
		}
	}
	p.rootKey = p.st.rootSessionKey(opts.TemporaryRoot)
	return p, nil
}

// loadPracticeState reads and checks the practice file at path; no file
// is a fresh account. It gives up when ctx ends: a file of a few hundred
// megabytes (one a learner or a script made by hand) takes many seconds
// to decode and check, and a file on a stalled network mount may never be
// read. The abandoned load runs on to its end in the background, reading
// no further than it had when ctx ended, and changes nothing.
func loadPracticeState(ctx context.Context, path string) (practiceState, error) {
	if err := ctx.Err(); err != nil {
		return practiceState{}, err
	}
	type loaded struct {
		st  practiceState
		err error
	}
	done := make(chan loaded, 1)
	go func() {
		st, err := readPracticeState(ctx, path)
		done <- loaded{st, err}
	}()
	select {
	case <-ctx.Done():
		return practiceState{}, ctx.Err()
	case l := <-done:
		return l.st, l.err
	}
}

// readPracticeState is loadPracticeState's work: it stops reading when
// ctx ends, then decodes and checks what it read.
func readPracticeState(ctx context.Context, path string) (practiceState, error) {
	f, err := os.Open(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return freshPracticeState(), nil
	case err != nil:
		return practiceState{}, fmt.Errorf("read practice account: %w", err)
	}
	defer f.Close()
	var data bytes.Buffer
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		data.Grow(int(info.Size()) + bytes.MinRead)
	}
	if _, err := data.ReadFrom(ctxReader{ctx: ctx, r: f}); err != nil {
		if ctx.Err() != nil {
			return practiceState{}, ctx.Err()
		}
		return practiceState{}, fmt.Errorf("read practice account: %w", err)
	}
	return decodePracticeState(path, data.Bytes())
}

// ctxReader reads from r a megabyte at most at a time, and no more once
// ctx has ended.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p[:min(len(p), 1<<20)])
}

func freshPracticeState() practiceState {
	return practiceState{
		Note:     practiceNote,
		RootKeys: []string{practiceSessionKey, practiceOldRootKey},
		KeyUse: map[string]practiceKeyUse{
			practiceSessionKey: {LastUsed: time.Now().UTC().Truncate(time.Hour), Service: "iam"},
			practiceOldRootKey: {LastUsed: time.Now().UTC().Add(-practiceOldKeyAge).Truncate(time.Hour), Service: "s3"},
		},
		KeyCreated: map[string]time.Time{},
		Groups:     map[string]*practiceGroup{},
		Users:      map[string]*practiceUser{},
		MFADevices: map[string]*practiceMFA{},
		Buckets:    map[string]*practiceBucket{},
		Trails:     map[string]*practiceTrail{},
		Budgets:    map[string]*practiceBudget{},
		Exports:    map[string]*practiceExport{},
		Contacts:   map[string]*Contact{},
		Analyzers:  map[string][]Analyzer{},
		Topics:     map[string]*practiceTopic{},
		Rules:      map[string]map[string]*practiceRule{},
		Roles:      map[string]*practiceRole{},
		// Aliases "other accounts" hold, so a learner meets that error.
		TakenAliases: []string{"test", "aws", "admin", "example", "demo", "mycompany"},
		Regions: []practiceRegion{
			{Name: "us-east-1", Status: RegionEnabledByDefault},
			{Name: "us-east-2", Status: RegionEnabledByDefault},
			{Name: "us-west-2", Status: RegionEnabledByDefault},
			{Name: "eu-west-1", Status: RegionEnabledByDefault},
			{Name: "eu-central-1", Status: RegionEnabledByDefault},
			{Name: "ap-southeast-2", Status: RegionEnabledByDefault},
			{Name: "af-south-1", Status: RegionDisabled},
			{Name: "ap-east-1", Status: RegionDisabled},
			{Name: "ap-south-2", Status: RegionDisabled},
			{Name: "eu-south-1", Status: RegionDisabled},
			{Name: "me-central-1", Status: RegionDisabled},
			{Name: "il-central-1", Status: RegionDisabled},
		},
	}
}

// write is how every practice call runs: it logs the call as op, waits
// the simulated latency, then runs change on the account and saves it if
// change reports a change (see transact). An error from change is AWS's
// answer (see replies.go) and is made into an error as the client makes
// it, with op.
func (p *Practice) write(ctx context.Context, op operation, change func(st *practiceState) (changed bool, err error)) error {
	if p.opts.Logger != nil {
		p.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "practice call", slog.String("operation", op.name()))
	}
	if p.opts.Latency > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(p.opts.Latency):
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return p.transact(ctx, func(st *practiceState) (bool, error) {
		if err := p.refusesKey(st); err != nil {
			return false, op.failed(err)
		}
		changed, err := change(st)
		return changed, op.failed(err)
	})
}

// practiceRead runs read, which changes nothing, as the call op (see
// write) and returns what it found.
func practiceRead[T any](ctx context.Context, p *Practice, op operation, read func(st *practiceState) (T, error)) (T, error) {
	var found T
	err := p.write(ctx, op, func(st *practiceState) (bool, error) {
		var err error
		found, err = read(st)
		return false, err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return found, nil
}

// practiceCreate runs create, which changes the account unless it fails,
// as the call op (see write) and returns what it made.
func practiceCreate[T any](ctx context.Context, p *Practice, op operation, create func(st *practiceState) (T, error)) (T, error) {
	var made T
	err := p.write(ctx, op, func(st *practiceState) (bool, error) {
		var err error
		made, err = create(st)
		return err == nil, err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return made, nil
}

// transact runs change on the account and saves the account if change
// changed it, with the account to itself: other goroutines wait on p.mu;
// other runs on the same file (other Practice values, other processes)
// wait on the file's advisory lock, taken around reading the file, change
// and the save. A change is thus made to the account as it is on disk at
// that moment, never to an older copy, and no run's save undoes another's.
//
// The file is read again on every call rather than only when its size,
// modification time or inode differ from the last read: the file is a few
// kilobytes, read and checked in well under a millisecond, while each call
// already waits the simulated latency (300 ms); and that comparison could
// miss a change, because safefile renames a new file over the old one, a
// freed inode number is often the next one handed out, and two saves of
// one size within one tick of the file system's clock look the same.
// A file damaged meanwhile is refused as NewPractice refuses it.
func (p *Practice) transact(ctx context.Context, change func(st *practiceState) (changed bool, err error)) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	// A call that waited here for another's load may have run out of time
	// meanwhile; the deadline was checked only before it waited.
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.opts.Path == "" {
		_, err := change(&p.st)
		return err
	}
	unlock, err := safefile.Lock(ctx, p.opts.Path)
	if err != nil {
		return fmt.Errorf("lock practice account: %w", err)
	}
	defer unlock()
	st, err := loadPracticeState(ctx, p.opts.Path)
	if err != nil {
		return err
	}
	p.st = st
	changed, err := change(&p.st)
	if err != nil || !changed {
		return err
	}
	return p.save()
}

func (p *Practice) save() error {
	data, err := json.MarshalIndent(p.st, "", "  ")
	if err != nil {
		return fmt.Errorf("save practice account: %w", err)
	}
	if _, err := safefile.WriteFile(p.opts.Path, data); err != nil {
		return fmt.Errorf("save practice account: %w", err)
	}
	return nil
}

// practiceConsoleWait bounds how long SimulateRootMFAInConsole, which is
// given no context, waits for another run's call to let go of the file.
const practiceConsoleWait = 10 * time.Second

// SimulateRootMFAInConsole stands in for the learner turning on root MFA
// in the console, which AWS allows nowhere else: after delay, the account
// summary reports it on. It is no AWS call, so it is not logged and has no
// latency, but it changes the account as the calls do.
func (p *Practice) SimulateRootMFAInConsole(delay time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), practiceConsoleWait)
	defer cancel()
	return p.transact(ctx, func(st *practiceState) (bool, error) {
		at := p.opts.Now().Add(delay)
		st.RootMFAOnAt = &at
		return true, nil
	})
}

// SimulateRootKeysDeletedInConsole stands in for the learner deleting the
// root user's access keys in the console: the one way to delete them when
// the root user signs in with temporary credentials (see
// PracticeOptions.TemporaryRoot), where IAM's API cannot tell whose keys
// to delete. Like SimulateRootMFAInConsole it is no AWS call.
func (p *Practice) SimulateRootKeysDeletedInConsole() error {
	ctx, cancel := context.WithTimeout(context.Background(), practiceConsoleWait)
	defer cancel()
	return p.transact(ctx, func(st *practiceState) (bool, error) {
		for _, k := range st.RootKeys {
			delete(st.KeyUse, k)
			st.InactiveKeys = slices.DeleteFunc(st.InactiveKeys, func(id string) bool { return id == k })
		}
		st.RootKeys = nil
		return true, nil
	})
}

// SimulateFirstSignIn stands in for a person added by the wizard signing
// in to the console for the first time: they set a new password (no reset
// is due any more) and set up an MFA device of their own, as the wizard
// asked them to. It lets a learner who added people see every check pass.
// Like SimulateRootMFAInConsole it is no AWS call.
func (p *Practice) SimulateFirstSignIn(user string) error {
	ctx, cancel := context.WithTimeout(context.Background(), practiceConsoleWait)
	defer cancel()
	return p.transact(ctx, func(st *practiceState) (bool, error) {
		u, err := st.user(user)
		if err != nil {
			return false, err
		}
		u.PasswordResetRequired = false
		serial := "arn:aws:iam::" + PracticeAccountID + ":mfa/" + user
		if dev := st.MFADevices[serial]; dev != nil && dev.User == user {
			return false, nil
		}
		if st.MFADevices[serial] != nil { // not theirs: the phone's own name, as people do
			serial += "-phone"
		}
		seed := make([]byte, 40)
		_, _ = rand.Read(seed)
		st.MFADevices[serial] = &practiceMFA{Seed: base32.StdEncoding.EncodeToString(seed), User: user}
		return true, nil
	})
}
