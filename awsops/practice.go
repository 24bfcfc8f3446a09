package awsops

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go"

	"github.com/awssecure/awssecure/internal/safefile"
)

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
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger, when set, gets one line per call, as the real client's call
	// log: the operation's name and nothing it carries.
	Logger *slog.Logger
}

// Practice is an in-memory AWS account with the same methods, validation
// and errors as Client, so the wizard can run with no AWS account and no
// network. A contract test suite holds it to moto and the Account API.
type Practice struct {
	opts PracticeOptions
	mu   sync.Mutex
	st   practiceState
}

// practiceState is what the practice file holds. Its secrets are fake: they
// open nothing anywhere, which the file's note says.
type practiceState struct {
	Note         string
	RootMFAOnAt  *time.Time // root MFA counts as on from this time
	RootKeys     []string
	Policy       *PasswordPolicy
	Groups       map[string]*practiceGroup
	Users        map[string]*practiceUser
	MFADevices   map[string]*practiceMFA // by serial
	Alias        string
	Regions      []practiceRegion
	TakenAliases []string
}

type practiceGroup struct {
	Policies []string
	Members  []string
}

type practiceUser struct {
	Created     time.Time
	HasPassword bool
	Keys        []string
	Policies    []string
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

const practiceNote = "awssecure practice account. Nothing in this file touches AWS; its keys, passwords and MFA seeds are fake and open nothing. Delete it or run with --practice-reset to start over."

// NewPractice opens the practice account at opts.Path, or starts a fresh
// one if the file does not exist yet. A file it cannot use is refused
// with a *PracticeDamagedError, so no method meets an impossible account.
func NewPractice(opts PracticeOptions) (*Practice, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Practice{opts: opts, st: freshPracticeState()}
	if opts.Path == "" {
		return p, nil
	}
	data, err := os.ReadFile(opts.Path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return p, nil
	case err != nil:
		return nil, fmt.Errorf("read practice account: %w", err)
	}
	if p.st, err = decodePracticeState(opts.Path, data); err != nil {
		return nil, err
	}
	return p, nil
}

func freshPracticeState() practiceState {
	return practiceState{
		Note:       practiceNote,
		RootKeys:   []string{"AKIAPRACTICEROOTKEY0"},
		Groups:     map[string]*practiceGroup{},
		Users:      map[string]*practiceUser{},
		MFADevices: map[string]*practiceMFA{},
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

// apiError makes an error shaped exactly as the SDK's for the same AWS
// answer, so callers cannot tell the practice account from AWS by its errors.
func apiError(action, code, format string, args ...any) error {
	return wrap(action, &smithy.GenericAPIError{Code: code, Message: fmt.Sprintf(format, args...), Fault: smithy.FaultClient})
}

// call holds the lock and waits the simulated latency for one operation.
// The returned func saves the account if it changed and releases the lock.
func (p *Practice) call(ctx context.Context) (done func(changed bool) error, err error) {
	if p.opts.Logger != nil {
		p.logCall(ctx)
	}
	if p.opts.Latency > 0 {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(p.opts.Latency):
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	return func(changed bool) error {
		defer p.mu.Unlock()
		if changed {
			return p.save()
		}
		return nil
	}, nil
}

// logCall names the practice method that called call, e.g. "CreateUser".
func (p *Practice) logCall(ctx context.Context) {
	operation := "unknown"
	if pc, _, _, ok := runtime.Caller(2); ok {
		name := runtime.FuncForPC(pc).Name()
		operation = name[strings.LastIndex(name, ".")+1:]
	}
	p.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "practice call", slog.String("operation", operation))
}

func (p *Practice) save() error {
	if p.opts.Path == "" {
		return nil
	}
	data, err := json.MarshalIndent(p.st, "", "  ")
	if err != nil {
		return fmt.Errorf("save practice account: %w", err)
	}
	if _, err := safefile.WriteFile(p.opts.Path, data); err != nil {
		return fmt.Errorf("save practice account: %w", err)
	}
	return nil
}

// SimulateRootMFAInConsole stands in for the learner turning on root MFA
// in the console, which AWS allows nowhere else: after delay, the account
// summary reports it on.
func (p *Practice) SimulateRootMFAInConsole(delay time.Duration) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	at := p.opts.Now().Add(delay)
	p.st.RootMFAOnAt = &at
	return p.save()
}

// WhoAmI answers as the practice account's root user.
func (p *Practice) WhoAmI(ctx context.Context) (Caller, error) {
	done, err := p.call(ctx)
	if err != nil {
		return Caller{}, err
	}
	defer done(false)
	return Caller{AccountID: PracticeAccountID, ARN: "arn:aws:iam::" + PracticeAccountID + ":root", UserID: PracticeAccountID}, nil
}

// AccountSummary reports the simulated root MFA and root keys.
func (p *Practice) AccountSummary(ctx context.Context) (AccountSummary, error) {
	done, err := p.call(ctx)
	if err != nil {
		return AccountSummary{}, err
	}
	defer done(false)
	on := p.st.RootMFAOnAt != nil && !p.opts.Now().Before(*p.st.RootMFAOnAt)
	return AccountSummary{RootMFAEnabled: on, RootAccessKeysPresent: len(p.st.RootKeys) > 0}, nil
}

// PasswordPolicy returns the policy, or ErrNotFound as IAM does.
func (p *Practice) PasswordPolicy(ctx context.Context) (PasswordPolicy, error) {
	done, err := p.call(ctx)
	if err != nil {
		return PasswordPolicy{}, err
	}
	defer done(false)
	if p.st.Policy == nil {
		return PasswordPolicy{}, fmt.Errorf("read password policy: %w", apiError("iam:GetAccountPasswordPolicy", "NoSuchEntity", "The Password Policy with domain name %s cannot be found.", PracticeAccountID))
	}
	return *p.st.Policy, nil
}

// SetPasswordPolicy creates or replaces the policy.
func (p *Practice) SetPasswordPolicy(ctx context.Context, policy PasswordPolicy) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	if err := ValidatePasswordPolicy(policy); err != nil {
		done(false)
		return fmt.Errorf("set password policy: %w", apiError("iam:UpdateAccountPasswordPolicy", "ValidationError", "%v", err))
	}
	p.st.Policy = &policy
	return done(true)
}

// CreateGroup creates an empty group.
func (p *Practice) CreateGroup(ctx context.Context, name string) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	if err := ValidateGroupName(name); err != nil {
		done(false)
		return fmt.Errorf("create group %s: %w", name, apiError("iam:CreateGroup", "ValidationError", "%v", err))
	}
	if p.st.Groups[name] != nil {
		done(false)
		return fmt.Errorf("create group %s: %w", name, apiError("iam:CreateGroup", "EntityAlreadyExists", "Group with name %s already exists.", name))
	}
	p.st.Groups[name] = &practiceGroup{}
	return done(true)
}

// Groups lists the group names, sorted as IAM lists them.
func (p *Practice) Groups(ctx context.Context) ([]string, error) {
	done, err := p.call(ctx)
	if err != nil {
		return nil, err
	}
	defer done(false)
	return slices.Sorted(maps.Keys(p.st.Groups)), nil
}

func (p *Practice) group(action, name string) (*practiceGroup, error) {
	if g := p.st.Groups[name]; g != nil {
		return g, nil
	}
	return nil, apiError(action, "NoSuchEntity", "The group with name %s cannot be found.", name)
}

func (p *Practice) user(action, name string) (*practiceUser, error) {
	if u := p.st.Users[name]; u != nil {
		return u, nil
	}
	return nil, apiError(action, "NoSuchEntity", "The user with name %s cannot be found.", name)
}

// GroupPolicies lists a group's attached policy ARNs.
func (p *Practice) GroupPolicies(ctx context.Context, group string) ([]string, error) {
	done, err := p.call(ctx)
	if err != nil {
		return nil, err
	}
	defer done(false)
	g, err := p.group("iam:ListAttachedGroupPolicies", group)
	if err != nil {
		return nil, fmt.Errorf("list policies of group %s: %w", group, err)
	}
	return slices.Clone(g.Policies), nil
}

// practiceManagedPolicies are the AWS managed policies the practice account knows.
var practiceManagedPolicies = []string{
	"arn:aws:iam::aws:policy/AdministratorAccess",
	"arn:aws:iam::aws:policy/IAMUserChangePassword",
	"arn:aws:iam::aws:policy/ReadOnlyAccess",
}

// AttachGroupPolicy attaches a known managed policy.
func (p *Practice) AttachGroupPolicy(ctx context.Context, group, policyARN string) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	g, err := p.group("iam:AttachGroupPolicy", group)
	if err == nil && !slices.Contains(practiceManagedPolicies, policyARN) {
		err = apiError("iam:AttachGroupPolicy", "NoSuchEntity", "Policy %s does not exist or is not attachable.", policyARN)
	}
	if err != nil {
		done(false)
		return fmt.Errorf("attach %s to group %s: %w", policyARN, group, err)
	}
	if slices.Contains(g.Policies, policyARN) {
		return done(false)
	}
	g.Policies = append(g.Policies, policyARN)
	return done(true)
}

// EnsureGroupWithPolicy creates and attaches what is missing.
func (p *Practice) EnsureGroupWithPolicy(ctx context.Context, group, policyARN string) (bool, error) {
	return ensureGroupWithPolicy(ctx, p, group, policyARN)
}

// GroupMembers lists a group's user names.
func (p *Practice) GroupMembers(ctx context.Context, group string) ([]string, error) {
	done, err := p.call(ctx)
	if err != nil {
		return nil, err
	}
	defer done(false)
	g, err := p.group("iam:GetGroup", group)
	if err != nil {
		return nil, fmt.Errorf("read group %s: %w", group, err)
	}
	return slices.Clone(g.Members), nil
}

// AddUserToGroup adds a user to a group; twice is harmless.
func (p *Practice) AddUserToGroup(ctx context.Context, user, group string) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	g, err := p.group("iam:AddUserToGroup", group)
	if err == nil {
		_, err = p.user("iam:AddUserToGroup", user)
	}
	if err != nil {
		done(false)
		return fmt.Errorf("add user %s to group %s: %w", user, group, err)
	}
	if slices.Contains(g.Members, user) {
		return done(false)
	}
	g.Members = append(g.Members, user)
	return done(true)
}

// EnsureUserInGroup adds the user unless already a member.
func (p *Practice) EnsureUserInGroup(ctx context.Context, user, group string) (bool, error) {
	return ensureUserInGroup(ctx, p, user, group)
}

func (p *Practice) userARN(name string) string {
	return "arn:aws:iam::" + PracticeAccountID + ":user/" + name
}

// CreateUser creates a user.
func (p *Practice) CreateUser(ctx context.Context, name string) (User, error) {
	done, err := p.call(ctx)
	if err != nil {
		return User{}, err
	}
	if err := ValidateUserName(name); err != nil {
		done(false)
		return User{}, fmt.Errorf("create user %s: %w", name, apiError("iam:CreateUser", "ValidationError", "%v", err))
	}
	if p.st.Users[name] != nil {
		done(false)
		return User{}, fmt.Errorf("create user %s: %w", name, apiError("iam:CreateUser", "EntityAlreadyExists", "User with name %s already exists.", name))
	}
	u := &practiceUser{Created: p.opts.Now().UTC()}
	p.st.Users[name] = u
	return User{Name: name, ARN: p.userARN(name), Created: u.Created}, done(true)
}

// GetUser reads a user.
func (p *Practice) GetUser(ctx context.Context, name string) (User, error) {
	done, err := p.call(ctx)
	if err != nil {
		return User{}, err
	}
	defer done(false)
	u, err := p.user("iam:GetUser", name)
	if err != nil {
		return User{}, fmt.Errorf("read user %s: %w", name, err)
	}
	return User{Name: name, ARN: p.userARN(name), Created: u.Created}, nil
}

// Users lists every user, sorted by name.
func (p *Practice) Users(ctx context.Context) ([]User, error) {
	done, err := p.call(ctx)
	if err != nil {
		return nil, err
	}
	defer done(false)
	var users []User
	for _, name := range slices.Sorted(maps.Keys(p.st.Users)) {
		users = append(users, User{Name: name, ARN: p.userARN(name), Created: p.st.Users[name].Created})
	}
	return users, nil
}

// UserGroups lists the groups a user is in.
func (p *Practice) UserGroups(ctx context.Context, user string) ([]string, error) {
	done, err := p.call(ctx)
	if err != nil {
		return nil, err
	}
	defer done(false)
	if _, err := p.user("iam:ListGroupsForUser", user); err != nil {
		return nil, fmt.Errorf("list groups of user %s: %w", user, err)
	}
	var names []string
	for _, name := range slices.Sorted(maps.Keys(p.st.Groups)) {
		if slices.Contains(p.st.Groups[name].Members, user) {
			names = append(names, name)
		}
	}
	return names, nil
}

// CreateLoginProfile checks the password against the policy and records
// that the user has one. The password itself is not kept.
func (p *Practice) CreateLoginProfile(ctx context.Context, user string, password Secret, resetRequired bool) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	u, err := p.user("iam:CreateLoginProfile", user)
	if err == nil && u.HasPassword {
		err = apiError("iam:CreateLoginProfile", "EntityAlreadyExists", "Login Profile for user %s already exists.", user)
	}
	if err == nil {
		if why := PasswordSatisfies(password, p.st.Policy); why != nil {
			err = apiError("iam:CreateLoginProfile", "PasswordPolicyViolation", "%v", why)
		}
	}
	if err != nil {
		done(false)
		return fmt.Errorf("create console password for %s: %w", user, err)
	}
	u.HasPassword = true
	return done(true)
}

// UpdateLoginProfile sets a new console password for a user who has one.
func (p *Practice) UpdateLoginProfile(ctx context.Context, user string, password Secret, resetRequired bool) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	u, err := p.user("iam:UpdateLoginProfile", user)
	if err == nil && !u.HasPassword {
		err = apiError("iam:UpdateLoginProfile", "NoSuchEntity", "Login Profile for User %s cannot be found.", user)
	}
	if err == nil {
		if why := PasswordSatisfies(password, p.st.Policy); why != nil {
			err = apiError("iam:UpdateLoginProfile", "PasswordPolicyViolation", "%v", why)
		}
	}
	if err != nil {
		done(false)
		return fmt.Errorf("set console password for %s: %w", user, err)
	}
	return done(true)
}

// HasLoginProfile reports whether the user has a console password.
func (p *Practice) HasLoginProfile(ctx context.Context, user string) (bool, error) {
	done, err := p.call(ctx)
	if err != nil {
		return false, err
	}
	defer done(false)
	u := p.st.Users[user]
	return u != nil && u.HasPassword, nil
}

// AttachUserPolicy attaches a known managed policy to a user.
func (p *Practice) AttachUserPolicy(ctx context.Context, user, policyARN string) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	u, err := p.user("iam:AttachUserPolicy", user)
	if err == nil && !slices.Contains(practiceManagedPolicies, policyARN) {
		err = apiError("iam:AttachUserPolicy", "NoSuchEntity", "Policy %s does not exist or is not attachable.", policyARN)
	}
	if err != nil {
		done(false)
		return fmt.Errorf("attach %s to user %s: %w", policyARN, user, err)
	}
	if slices.Contains(u.Policies, policyARN) {
		return done(false)
	}
	u.Policies = append(u.Policies, policyARN)
	return done(true)
}

// UserPolicies lists a user's attached policy ARNs.
func (p *Practice) UserPolicies(ctx context.Context, user string) ([]string, error) {
	done, err := p.call(ctx)
	if err != nil {
		return nil, err
	}
	defer done(false)
	u, err := p.user("iam:ListAttachedUserPolicies", user)
	if err != nil {
		return nil, fmt.Errorf("list policies of user %s: %w", user, err)
	}
	return slices.Clone(u.Policies), nil
}

// CreateAccessKey issues a fake key; IAM allows two per user.
func (p *Practice) CreateAccessKey(ctx context.Context, user string) (AccessKey, error) {
	done, err := p.call(ctx)
	if err != nil {
		return AccessKey{}, err
	}
	u, err := p.user("iam:CreateAccessKey", user)
	if err == nil && len(u.Keys) >= 2 {
		err = apiError("iam:CreateAccessKey", "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
	}
	if err != nil {
		done(false)
		return AccessKey{}, fmt.Errorf("create access key for %s: %w", user, err)
	}
	key := AccessKey{ID: "AKIA" + randomString(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), Secret: NewSecret(randomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))}
	u.Keys = append(u.Keys, key.ID)
	return key, done(true)
}

// AccessKeys lists a user's keys, or the root user's for "".
func (p *Practice) AccessKeys(ctx context.Context, user string) ([]AccessKeyInfo, error) {
	done, err := p.call(ctx)
	if err != nil {
		return nil, err
	}
	defer done(false)
	ids := p.st.RootKeys
	if user != "" {
		u, err := p.user("iam:ListAccessKeys", user)
		if err != nil {
			return nil, fmt.Errorf("list access keys: %w", err)
		}
		ids = u.Keys
	}
	var keys []AccessKeyInfo
	for _, id := range ids {
		keys = append(keys, AccessKeyInfo{ID: id, Active: true})
	}
	return keys, nil
}

// DeleteAccessKey deletes a user's key, or the root user's for "".
func (p *Practice) DeleteAccessKey(ctx context.Context, user, keyID string) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	keys := &p.st.RootKeys
	if user != "" {
		u, err := p.user("iam:DeleteAccessKey", user)
		if err != nil {
			done(false)
			return fmt.Errorf("delete access key %s: %w", keyID, err)
		}
		keys = &u.Keys
	}
	i := slices.Index(*keys, keyID)
	if i < 0 {
		done(false)
		return fmt.Errorf("delete access key %s: %w", keyID, apiError("iam:DeleteAccessKey", "NoSuchEntity", "The Access Key with id %s cannot be found.", keyID))
	}
	*keys = slices.Delete(*keys, i, i+1)
	return done(true)
}

func (p *Practice) mfaSerial(name string) string {
	return "arn:aws:iam::" + PracticeAccountID + ":mfa/" + name
}

// CreateVirtualMFADevice makes a device with a real random seed, so a
// learner's authenticator app works with it.
func (p *Practice) CreateVirtualMFADevice(ctx context.Context, name string) (VirtualMFADevice, error) {
	done, err := p.call(ctx)
	if err != nil {
		return VirtualMFADevice{}, err
	}
	serial := p.mfaSerial(name)
	if err := ValidateMFADeviceName(name); err != nil {
		done(false)
		return VirtualMFADevice{}, fmt.Errorf("create virtual MFA device %s: %w", name, apiError("iam:CreateVirtualMFADevice", "ValidationError", "%v", err))
	}
	if p.st.MFADevices[serial] != nil {
		done(false)
		return VirtualMFADevice{}, fmt.Errorf("create virtual MFA device %s: %w", name, apiError("iam:CreateVirtualMFADevice", "EntityAlreadyExists", "MFADevice entity at the same path and name already exists."))
	}
	seed := make([]byte, 40) // AWS's seeds are 40 bytes: 64 Base32 characters
	_, _ = rand.Read(seed)
	dev := VirtualMFADevice{Serial: serial, Seed: NewSecret(base32.StdEncoding.EncodeToString(seed))}
	p.st.MFADevices[serial] = &practiceMFA{Seed: dev.Seed.Reveal()}
	return dev, done(true)
}

// EnableMFADevice checks the two codes with real TOTP, as AWS does.
func (p *Practice) EnableMFADevice(ctx context.Context, user, serial, code1, code2 string) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	_, err = p.user("iam:EnableMFADevice", user)
	dev := p.st.MFADevices[serial]
	switch {
	case err != nil:
	case dev == nil:
		err = apiError("iam:EnableMFADevice", "NoSuchEntity", "VirtualMFADevice with serial number %s doesn't exist.", serial)
	case dev.User != "":
		err = apiError("iam:EnableMFADevice", "EntityAlreadyExists", "MFA device is already in use.")
	default:
		if why := CheckMFACodes(NewSecret(dev.Seed), code1, code2, p.opts.Now()); why != nil {
			err = &OpError{Action: "iam:EnableMFADevice", Kind: ErrInvalidMFACode, Err: why}
		}
	}
	if err != nil {
		done(false)
		return fmt.Errorf("enable MFA device for %s: %w", user, err)
	}
	dev.User = user
	return done(true)
}

// UserMFADevices lists the serials of a user's devices.
func (p *Practice) UserMFADevices(ctx context.Context, user string) ([]string, error) {
	done, err := p.call(ctx)
	if err != nil {
		return nil, err
	}
	defer done(false)
	if _, err := p.user("iam:ListMFADevices", user); err != nil {
		return nil, fmt.Errorf("list MFA devices of %s: %w", user, err)
	}
	var serials []string
	for _, serial := range slices.Sorted(maps.Keys(p.st.MFADevices)) {
		if p.st.MFADevices[serial].User == user {
			serials = append(serials, serial)
		}
	}
	return serials, nil
}

// VirtualMFADevices lists every device and whom it is assigned to.
func (p *Practice) VirtualMFADevices(ctx context.Context) ([]MFADeviceInfo, error) {
	done, err := p.call(ctx)
	if err != nil {
		return nil, err
	}
	defer done(false)
	var devices []MFADeviceInfo
	for _, serial := range slices.Sorted(maps.Keys(p.st.MFADevices)) {
		devices = append(devices, MFADeviceInfo{Serial: serial, User: p.st.MFADevices[serial].User})
	}
	return devices, nil
}

// DeleteVirtualMFADevice deletes an unassigned device.
func (p *Practice) DeleteVirtualMFADevice(ctx context.Context, serial string) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	dev := p.st.MFADevices[serial]
	switch {
	case dev == nil:
		err = apiError("iam:DeleteVirtualMFADevice", "NoSuchEntity", "VirtualMFADevice with serial number %s doesn't exist.", serial)
	case dev.User != "":
		err = apiError("iam:DeleteVirtualMFADevice", "DeleteConflict", "MFA device is still assigned to %s.", dev.User)
	}
	if err != nil {
		done(false)
		return fmt.Errorf("delete virtual MFA device %s: %w", serial, err)
	}
	delete(p.st.MFADevices, serial)
	return done(true)
}

// AccountAlias returns the alias, or "".
func (p *Practice) AccountAlias(ctx context.Context) (string, error) {
	done, err := p.call(ctx)
	if err != nil {
		return "", err
	}
	defer done(false)
	return p.st.Alias, nil
}

// CreateAccountAlias sets the alias, replacing any old one as IAM does,
// unless it is malformed or "taken by another account".
func (p *Practice) CreateAccountAlias(ctx context.Context, alias string) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	if why := ValidateAlias(alias); why != nil {
		done(false)
		return opCreateAccountAlias(alias).refused(why)
	}
	if slices.Contains(p.st.TakenAliases, alias) {
		done(false)
		return opCreateAccountAlias(alias).failed(&smithy.GenericAPIError{Code: "EntityAlreadyExists", Message: "The account alias " + alias + " already exists.", Fault: smithy.FaultClient})
	}
	p.st.Alias = alias
	return done(true)
}

// DeleteAccountAlias removes the alias.
func (p *Practice) DeleteAccountAlias(ctx context.Context, alias string) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	if p.st.Alias != alias || alias == "" {
		done(false)
		return fmt.Errorf("delete account alias %s: %w", alias, apiError("iam:DeleteAccountAlias", "NoSuchEntity", "The account alias %s cannot be found.", alias))
	}
	p.st.Alias = ""
	return done(true)
}

// regionStatus moves an ENABLING region on once its time has passed.
func (p *Practice) regionStatus(r *practiceRegion) string {
	if r.Status == RegionEnabling && p.opts.Now().Sub(r.EnablingSince) >= p.opts.RegionEnableTime {
		r.Status = RegionEnabled
	}
	return r.Status
}

// Regions lists every region with its status.
func (p *Practice) Regions(ctx context.Context) ([]Region, error) {
	done, err := p.call(ctx)
	if err != nil {
		return nil, err
	}
	defer done(false)
	regions := make([]Region, len(p.st.Regions))
	for i := range p.st.Regions {
		regions[i] = Region{Name: p.st.Regions[i].Name, Status: p.regionStatus(&p.st.Regions[i])}
	}
	return regions, nil
}

func (p *Practice) region(action, name string) (*practiceRegion, error) {
	for i := range p.st.Regions {
		if p.st.Regions[i].Name == name {
			return &p.st.Regions[i], nil
		}
	}
	return nil, apiError(action, "ValidationException", "invalid region name %s", name)
}

// EnableRegion starts enabling an opt-in region.
func (p *Practice) EnableRegion(ctx context.Context, name string) error {
	done, err := p.call(ctx)
	if err != nil {
		return err
	}
	r, err := p.region("account:EnableRegion", name)
	if err == nil && r.Status == RegionEnabledByDefault {
		err = apiError("account:EnableRegion", "ValidationException", "%s is enabled by default and cannot be opted in", name)
	}
	if err != nil {
		done(false)
		return fmt.Errorf("enable region %s: %w", name, err)
	}
	if p.regionStatus(r) != RegionDisabled {
		return done(false)
	}
	r.Status, r.EnablingSince = RegionEnabling, p.opts.Now()
	return done(true)
}

// RegionStatus reads one region's status.
func (p *Practice) RegionStatus(ctx context.Context, name string) (string, error) {
	done, err := p.call(ctx)
	if err != nil {
		return "", err
	}
	defer done(false)
	r, err := p.region("account:GetRegionOptStatus", name)
	if err != nil {
		return "", fmt.Errorf("read status of region %s: %w", name, err)
	}
	return p.regionStatus(r), nil
}

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
