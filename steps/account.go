// Package steps is what each step of the tutorial is: its words (title,
// why, console path, CLI equivalent), how to detect that it is done, and
// how to apply it. It talks to AWS only through the Account interface and
// knows nothing of the terminal.
package steps

import (
	"context"
	"time"

	"github.com/awssecure/awssecure/awsops"
)

// Account is every AWS operation the steps use. *awsops.Client (a real
// account) and *awsops.Practice (the practice account) both satisfy it.
type Account interface {
	WhoAmI(context.Context) (awsops.Caller, error)
	AccountSummary(context.Context) (awsops.AccountSummary, error)
	PasswordPolicy(context.Context) (awsops.PasswordPolicy, error)
	SetPasswordPolicy(context.Context, awsops.PasswordPolicy) error
	EnsureGroupWithPolicy(ctx context.Context, group, policyARN string) (bool, error)
	Groups(context.Context) ([]string, error)
	GroupPolicies(ctx context.Context, group string) ([]string, error)
	EnsureUserInGroup(ctx context.Context, user, group string) (bool, error)
	CreateUser(ctx context.Context, name string) (awsops.User, error)
	Users(context.Context) ([]awsops.User, error)
	AuthorizationDetails(context.Context) (awsops.AuthorizationDetails, error)
	UserGroups(ctx context.Context, user string) ([]string, error)
	CreateLoginProfile(ctx context.Context, user string, password awsops.Secret, resetRequired bool) error
	UpdateLoginProfile(ctx context.Context, user string, password awsops.Secret, resetRequired bool) error
	HasLoginProfile(ctx context.Context, user string) (bool, error)
	LoginProfile(ctx context.Context, user string) (awsops.LoginProfile, bool, error)
	AttachUserPolicy(ctx context.Context, user, policyARN string) error
	UserPolicies(ctx context.Context, user string) ([]string, error)
	DetachUserPolicy(ctx context.Context, user, policyARN string) error
	CreateAccessKey(ctx context.Context, user string) (awsops.AccessKey, error)
	AccessKeys(ctx context.Context, user string) ([]awsops.AccessKeyInfo, error)
	DeleteAccessKey(ctx context.Context, user, keyID string) error
	SetAccessKeyActive(ctx context.Context, user, keyID string, active bool) error
	AccessKeyLastUsed(ctx context.Context, keyID string) (awsops.KeyUse, error)
	// The IAM credential report: made at most every four hours, read in
	// one call whatever the number of users.
	GenerateCredentialReport(context.Context) (bool, error)
	CredentialReport(context.Context) (awsops.CredentialReport, error)
	// CallerKeyID is the access key the account is signed in with ("" for none).
	CallerKeyID(ctx context.Context) string
	CreateVirtualMFADevice(ctx context.Context, name string) (awsops.VirtualMFADevice, error)
	EnableMFADevice(ctx context.Context, user, serial, code1, code2 string) error
	UserMFADevices(ctx context.Context, user string) ([]string, error)
	VirtualMFADevices(context.Context) ([]awsops.MFADeviceInfo, error)
	AssignedVirtualMFADevices(context.Context) ([]awsops.MFADeviceInfo, error)
	DeleteVirtualMFADevice(ctx context.Context, serial string) error
	AccountAlias(context.Context) (string, error)
	CreateAccountAlias(ctx context.Context, alias string) error
	Regions(context.Context) ([]awsops.Region, error)
	EnableRegion(ctx context.Context, name string) error
	RegionStatus(ctx context.Context, name string) (string, error)

	// The CloudTrail step's: the home region, its trails and their bucket.
	Region() string
	Trails(context.Context) ([]awsops.Trail, error)
	TrailLogging(ctx context.Context, trailARN string) (bool, error)
	EventSelectors(ctx context.Context, trailARN string) (awsops.EventSelectors, error)
	CreateTrail(ctx context.Context, s awsops.TrailSettings) (awsops.Trail, error)
	UpdateTrail(ctx context.Context, trailARN string, s awsops.TrailSettings) error
	StartLogging(ctx context.Context, trailARN string) error
	CreateBucket(ctx context.Context, name, region string, tags ...awsops.BucketTag) error
	Buckets(ctx context.Context, prefix string) ([]string, error)
	BucketRegion(ctx context.Context, name string) (string, error)
	BlockPublicAccess(ctx context.Context, name string) error
	EncryptBucket(ctx context.Context, name string) error
	EnforceBucketOwner(ctx context.Context, name string) error
	SetBucketPolicy(ctx context.Context, name, policy string) error
	AddExpiryRule(ctx context.Context, name, prefix string, days int) error
	// What a bucket holds, so one awssecure did not make is left as it is.
	BucketTags(ctx context.Context, name string) (map[string]string, error)
	TagBucket(ctx context.Context, name, key, value string) error
	BucketPolicy(ctx context.Context, name string) (string, error)
	BucketLifecycle(ctx context.Context, name string) ([]awsops.LifecycleRule, error)
	BucketHasObjects(ctx context.Context, name string) (bool, error)

	// The billing step's: budgets and their alerts, Data Exports and
	// legacy Cost and Usage Reports.
	Budgets(ctx context.Context, account string) ([]awsops.Budget, error)
	BudgetAlerts(ctx context.Context, account, budget string) ([]awsops.BudgetAlert, error)
	CreateBudget(ctx context.Context, account string, b awsops.NewBudget) error
	AddBudgetAlert(ctx context.Context, account, budget string, a awsops.BudgetAlert, email string) error
	Exports(context.Context) ([]awsops.Export, error)
	Export(ctx context.Context, arn string) (awsops.Export, error)
	CreateExport(ctx context.Context, x awsops.NewExport) (string, error)
	LegacyReports(context.Context) ([]awsops.LegacyReport, error)

	// The guardrails step's.
	AlternateContact(ctx context.Context, kind string) (awsops.Contact, error)
	PutAlternateContact(ctx context.Context, c awsops.Contact) error
	PublicAccessBlock(ctx context.Context, accountID string) (awsops.PublicAccessBlock, error)
	PutPublicAccessBlock(ctx context.Context, accountID string, b awsops.PublicAccessBlock) error
	EnabledRegions(context.Context) ([]string, error)
	EBSEncryptionByDefault(ctx context.Context, region string) (bool, error)
	EnableEBSEncryptionByDefault(ctx context.Context, region string) error
	Analyzers(ctx context.Context, region string) ([]awsops.Analyzer, error)
	CreateAnalyzer(ctx context.Context, region, name string) error
	Detectors(context.Context) ([]awsops.Detector, error)
	CreateDetector(context.Context) (string, error)
	EnableDetector(ctx context.Context, id string) error

	// The root activity alert's: the topic (home region), a rule in each
	// region, and the role that forwards other regions' events home.
	CreateTopic(ctx context.Context, name string) (string, error)
	SetTopicPolicy(ctx context.Context, topicARN, policy string) error
	TopicPolicy(ctx context.Context, topicARN string) (string, error)
	TopicSubscriptions(ctx context.Context, topicARN string) ([]awsops.Subscription, error)
	SubscribeEmail(ctx context.Context, topicARN, address string) error
	Publish(ctx context.Context, topicARN, subject, message string) error
	Rule(ctx context.Context, region, name string) (awsops.Rule, error)
	RuleTargets(ctx context.Context, region, rule string) ([]awsops.RuleTarget, error)
	PutRule(ctx context.Context, region string, r awsops.Rule) error
	PutTargets(ctx context.Context, region, rule string, targets []awsops.RuleTarget) error
	CreateRole(ctx context.Context, name, trust, description string) error
	SetRoleTrust(ctx context.Context, name, trust string) error
	PutRolePolicy(ctx context.Context, role, name, document string) error
	RolePolicy(ctx context.Context, role, name string) (string, error)
}

var (
	_ Account = (*awsops.Client)(nil)
	_ Account = (*awsops.Practice)(nil)
	_ Org     = (*awsops.Client)(nil)
	_ Org     = (*awsops.Practice)(nil)
)

// ConsoleSimulator is what the practice account adds: it can pretend the
// learner did in the console what AWS allows only there.
type ConsoleSimulator interface {
	SimulateRootMFAInConsole(delay time.Duration) error
	SimulateRootKeysDeletedInConsole() error
	// SimulateFirstSignIn is a person added after the handoff signing in:
	// a new password, and an MFA device of their own.
	SimulateFirstSignIn(user string) error
}

// PracticeMailbox is what the practice account adds for the root activity
// alert: the file it delivers e-mail to ("" when it keeps none), which the
// done screen names.
type PracticeMailbox interface {
	Inbox() string
}

// The awsops types the UI shows, re-exported so the UI need not import awsops.
type (
	Secret         = awsops.Secret
	AccessKey      = awsops.AccessKey
	PasswordPolicy = awsops.PasswordPolicy
	Region         = awsops.Region
	Caller         = awsops.Caller
	Contact        = awsops.Contact
)
