// Package awsops is the only package that talks to AWS. It offers the
// operations awssecure's steps need, returns small types of its own, and
// sorts failures into the sentinel errors in errors.go.
package awsops

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/bcmdataexports"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/costandusagereportservice"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
)

// DefaultRegion is used when neither a flag, the environment nor the
// profile names one. IAM is global, so any region reaches it; us-east-1 is
// where the console sends a new account.
const DefaultRegion = "us-east-1"

// Options select the credentials and region, as the AWS CLI's flags do.
// Empty fields fall back to the default chain (AWS_PROFILE, AWS_REGION,
// shared config and credentials files, SSO, container and instance roles).
// AWS_ENDPOINT_URL is honoured by the SDK itself.
type Options struct {
	Profile string
	Region  string
	// MaxBackoff caps the wait between the SDK's retries; zero keeps the
	// SDK's own cap (20 s). Tests that inject faults shorten it so that
	// fifty faulty runs take seconds, not minutes; the retry decisions
	// stay the SDK's.
	MaxBackoff time.Duration
	// Logger, when set, gets one line per AWS call (see log.go); nil logs
	// nothing.
	Logger *slog.Logger
	// AttemptTimeout bounds one HTTP attempt, from dialling to the last
	// byte of the answer; zero means DefaultAttemptTimeout. Without it an
	// endpoint that accepts the connection and never answers would hold a
	// call forever (the SDK sets no such limit of its own).
	AttemptTimeout time.Duration
}

// DefaultAttemptTimeout is long enough for any IAM, STS or Account API
// answer on a slow workshop network, and short enough that the SDK's
// three attempts end well within a command's deadline.
const DefaultAttemptTimeout = 10 * time.Second

// Client talks to a real AWS account (or an emulator behind AWS_ENDPOINT_URL).
type Client struct {
	cfg     aws.Config // what every service client was built from (see WithKey, AssumeRole)
	iam     *iam.Client
	sts     *sts.Client
	account *account.Client
	org     *organizations.Client
	// cloudtrail and s3 reach the home region (region); a call on a trail
	// of another home region goes there (see inRegionOf).
	cloudtrail *cloudtrail.Client
	s3         *s3.Client
	region     string
	// budgets, exports (Data Exports) and cur (legacy reports) answer
	// in us-east-1 alone (BillingRegion).
	budgets *budgets.Client
	exports *bcmdataexports.Client
	cur     *costandusagereportservice.Client
	// s3control and guardduty: the account's S3 Block Public Access and
	// the home region's detector; EC2 and Access Analyzer get a client
	// per region, from cfg.
	s3control *s3control.Client
	guardduty *guardduty.Client
	// sns reaches the home region, where the root activity alert's topic
	// is; EventBridge gets a client per region, from cfg.
	sns *sns.Client
}

// fromConfig builds a service client for every service awssecure calls,
// all from one configuration: the credentials a caller signs in with
// reach them all.
func fromConfig(cfg aws.Config) *Client {
	return &Client{
		cfg:        cfg,
		iam:        iam.NewFromConfig(cfg),
		sts:        sts.NewFromConfig(cfg),
		account:    account.NewFromConfig(cfg),
		org:        organizations.NewFromConfig(cfg),
		cloudtrail: cloudtrail.NewFromConfig(cfg),
		// An emulator behind AWS_ENDPOINT_URL has no bucket.host names:
		// address buckets by path there.
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			if o.BaseEndpoint != nil {
				o.UsePathStyle = true
			}
		}),
		region:    cfg.Region,
		budgets:   budgets.NewFromConfig(cfg, func(o *budgets.Options) { o.Region = BillingRegion }),
		exports:   bcmdataexports.NewFromConfig(cfg, func(o *bcmdataexports.Options) { o.Region = BillingRegion }),
		cur:       costandusagereportservice.NewFromConfig(cfg, func(o *costandusagereportservice.Options) { o.Region = BillingRegion }),
		s3control: newS3Control(cfg),
		guardduty: guardduty.NewFromConfig(cfg),
		sns:       sns.NewFromConfig(cfg),
	}
}

// WithKey is the same account, endpoints and options, signed in with key
// instead: how the wizard acts as the new admin user once it hands over
// from root.
func (c *Client) WithKey(key AccessKey) *Client {
	cfg := c.cfg.Copy()
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(key.ID, key.Secret.Reveal(), ""))
	return fromConfig(cfg)
}

// CallerKeyID is the access key the client signs with ("" for none, e.g.
// a role without a key), so the wizard can mark the key it runs on.
func (c *Client) CallerKeyID(ctx context.Context) string {
	creds, err := c.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return ""
	}
	return creds.AccessKeyID
}

// New loads the AWS configuration and checks that credentials can be found,
// so a missing credential surfaces here as ErrNoCredentials rather than as
// an obscure failure inside the first call.
func New(ctx context.Context, opts Options) (*Client, error) {
	attempt := opts.AttemptTimeout
	if attempt <= 0 {
		attempt = DefaultAttemptTimeout
	}
	loaders := []func(*config.LoadOptions) error{
		config.WithRetryMode(aws.RetryModeStandard),
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(attempt).
			WithDialerOptions(func(d *net.Dialer) { d.Timeout = attempt })),
		// The SDK logs its own warnings to stderr (e.g. "falling back to
		// IMDSv1" when no credentials are found); awssecure's stderr holds
		// only its own sentences, and --debug keeps the call log.
		config.WithLogger(logging.Nop{}),
	}
	if opts.MaxBackoff > 0 {
		loaders = append(loaders, config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = opts.MaxBackoff })
		}))
	}
	if opts.Profile != "" {
		loaders = append(loaders, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.Region != "" {
		loaders = append(loaders, config.WithRegion(opts.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loaders...)
	var noProfile config.SharedConfigProfileNotExistError
	if errors.As(err, &noProfile) {
		return nil, &OpError{Action: "profile", Kind: ErrUnknownProfile,
			Err: &UnknownProfileError{Profile: noProfile.Profile, Files: sharedFiles()}}
	}
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if err := ValidateRegion(cfg.Region); err != nil {
		return nil, err
	}
	if opts.Logger != nil {
		cfg.APIOptions = append(cfg.APIOptions, logCalls(opts.Logger))
	}
	if cfg.Credentials == nil {
		return nil, ErrNoCredentials
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, fmt.Errorf("find credentials: %w", &OpError{Action: "credentials", Kind: ErrNoCredentials, Err: err})
	}
	return fromConfig(cfg), nil
}

// Region is the region the client's regional calls go to.
func (c *Client) Region() string { return c.region }

// sharedFiles are the AWS CLI's shared files the SDK reads profiles from.
func sharedFiles() []string {
	files := []string{config.DefaultSharedConfigFilename(), config.DefaultSharedCredentialsFilename()}
	for i, env := range []string{"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		if path := os.Getenv(env); path != "" {
			files[i] = path
		}
	}
	return files
}

// SavedKey is the access key that the AWS CLI profile named profile holds
// in the shared credentials file at credentialsFile, read as the SDK
// reads it; ok is false when the file has no such profile, or the profile
// holds no long-term key of its own (a role, SSO, a session). The handoff
// proves it, on a run after the one that saved it, instead of making a
// new key.
func SavedKey(ctx context.Context, credentialsFile, profile string) (key AccessKey, ok bool) {
	sc, err := config.LoadSharedConfigProfile(ctx, profile, func(o *config.LoadSharedConfigOptions) {
		o.CredentialsFiles, o.ConfigFiles, o.Logger = []string{credentialsFile}, []string{}, logging.Nop{}
	})
	if err != nil || !sc.Credentials.HasKeys() || sc.Credentials.SessionToken != "" {
		return AccessKey{}, false
	}
	return AccessKey{ID: sc.Credentials.AccessKeyID, Secret: NewSecret(sc.Credentials.SecretAccessKey)}, true
}
