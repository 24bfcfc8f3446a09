package awsops

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// The S3 calls on a bucket of awssecure's own (CloudTrail's logs, the
// billing report), named once for both backends (see operation). Nothing
// here is particular to one use: the bucket policy is the caller's.

func opCreateBucket(name, region string) operation {
	return operation{action: "s3:CreateBucket", doing: "create bucket " + name + " in " + region}
}

func opListBuckets(prefix string) operation {
	return operation{action: "s3:ListAllMyBuckets", doing: "list buckets named " + prefix + "…"}
}

func opGetBucketLocation(name string) operation {
	return operation{action: "s3:GetBucketLocation", doing: "read the region of bucket " + name}
}

func opPutPublicAccessBlock(name string) operation {
	return operation{action: "s3:PutBucketPublicAccessBlock", doing: "block public access to bucket " + name}
}

func opPutBucketEncryption(name string) operation {
	return operation{action: "s3:PutEncryptionConfiguration", doing: "turn on default encryption of bucket " + name}
}

func opPutBucketOwnershipControls(name string) operation {
	return operation{action: "s3:PutBucketOwnershipControls", doing: "make the owner of bucket " + name + " own every object"}
}

func opPutBucketPolicy(name string) operation {
	return operation{action: "s3:PutBucketPolicy", doing: "set the policy of bucket " + name}
}

func opPutBucketLifecycle(name string) operation {
	return operation{action: "s3:PutLifecycleConfiguration", doing: "set the expiry of old objects in bucket " + name}
}

func opGetBucketSettings(name string) operation {
	return operation{action: "s3:GetBucketPolicy", doing: "read the settings of bucket " + name}
}

// SSE-S3, the encryption every bucket gets by default; ownership that
// turns ACLs off. As S3 spells them.
const (
	EncryptionSSES3     = "AES256"
	OwnershipEnforced   = "BucketOwnerEnforced"
	maxExpiryDays       = 3650
	bucketNameMaxLength = 63
)

var bucketNameRule = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// ValidateBucketName applies S3's rules for general purpose bucket names,
// so a bad name is refused before any call.
func ValidateBucketName(name string) error {
	switch {
	case len(name) < 3 || len(name) > bucketNameMaxLength:
		return fmt.Errorf("a bucket name has 3 to %d characters", bucketNameMaxLength)
	case !bucketNameRule.MatchString(name):
		return errors.New("a bucket name may hold only lowercase letters, digits, dots and hyphens, and begins and ends with a letter or digit")
	case strings.Contains(name, ".."), strings.Contains(name, ".-"), strings.Contains(name, "-."):
		return errors.New("a bucket name has no two dots or hyphens and dots side by side")
	}
	return nil
}

// ValidateExpiryDays is S3's bound for a lifecycle expiry, as awssecure offers it.
func ValidateExpiryDays(days int) error {
	if days < 1 || days > maxExpiryDays {
		return fmt.Errorf("old objects expire after 1 to %d days", maxExpiryDays)
	}
	return nil
}

// BucketSettings are how a bucket is guarded, read back.
type BucketSettings struct {
	PublicAccessBlocked bool   // all four Block Public Access settings on
	Encryption          string // default encryption's algorithm, "" for none
	Ownership           string // object ownership, "" when never set
	Policy              string // the bucket policy's JSON, "" for none
	ExpiryDays          int    // an enabled expiry rule's days, 0 for none
	ExpiryPrefix        string
}

// CreateBucket creates a bucket in region; us-east-1 takes no location
// constraint, every other region must be named. A name another account
// holds wraps ErrBucketTaken; one this account holds, ErrAlreadyExists
// (outside us-east-1: there S3 answers success, as for a new bucket).
func (c *Client) CreateBucket(ctx context.Context, name, region string) error {
	op := opCreateBucket(name, region)
	if err := ValidateBucketName(name); err != nil {
		return op.refused(err)
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
	}
	_, err := c.s3.CreateBucket(ctx, in, func(o *s3.Options) { o.Region = region })
	return op.failed(err)
}

// Buckets lists the names of this account's buckets that begin with
// prefix, all pages.
func (c *Client) Buckets(ctx context.Context, prefix string) ([]string, error) {
	var names []string
	pages := s3.NewListBucketsPaginator(c.s3, &s3.ListBucketsInput{Prefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListBuckets(prefix).failed(err)
		}
		for _, b := range page.Buckets {
			if name := aws.ToString(b.Name); strings.HasPrefix(name, prefix) {
				names = append(names, name)
			}
		}
	}
	return names, nil
}

// BucketRegion calls s3:GetBucketLocation. S3 answers "" for us-east-1
// and "EU" for the oldest buckets of eu-west-1.
func (c *Client) BucketRegion(ctx context.Context, name string) (string, error) {
	out, err := c.s3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(name)})
	if err != nil {
		return "", opGetBucketLocation(name).failed(err)
	}
	switch region := string(out.LocationConstraint); region {
	case "":
		return "us-east-1", nil
	case "EU":
		return "eu-west-1", nil
	default:
		return region, nil
	}
}

// BlockPublicAccess turns on all four of the bucket's Block Public Access
// settings; setting them again is harmless.
func (c *Client) BlockPublicAccess(ctx context.Context, name string) error {
	_, err := c.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(name),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}})
	return opPutPublicAccessBlock(name).failed(err)
}

// EncryptBucket makes SSE-S3 the bucket's default encryption.
func (c *Client) EncryptBucket(ctx context.Context, name string) error {
	_, err := c.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(name),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{
			{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256}}}}})
	return opPutBucketEncryption(name).failed(err)
}

// EnforceBucketOwner makes the bucket's owner own every object in it and
// turns ACLs off (BucketOwnerEnforced).
func (c *Client) EnforceBucketOwner(ctx context.Context, name string) error {
	_, err := c.s3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String(name),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced}}}})
	return opPutBucketOwnershipControls(name).failed(err)
}

// SetBucketPolicy replaces the bucket's policy with policy (JSON).
func (c *Client) SetBucketPolicy(ctx context.Context, name, policy string) error {
	_, err := c.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(name), Policy: aws.String(policy)})
	return opPutBucketPolicy(name).failed(err)
}

// ExpireObjects replaces the bucket's lifecycle with one rule: objects
// under prefix are deleted days after they were written.
func (c *Client) ExpireObjects(ctx context.Context, name, prefix string, days int) error {
	op := opPutBucketLifecycle(name)
	if err := ValidateExpiryDays(days); err != nil {
		return op.refused(err)
	}
	_, err := c.s3.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String(name),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{
			ID: aws.String(expiryRuleID), Status: types.ExpirationStatusEnabled,
			Filter:     &types.LifecycleRuleFilter{Prefix: aws.String(prefix)},
			Expiration: &types.LifecycleExpiration{Days: aws.Int32(int32(days))},
		}}}})
	return op.failed(err)
}

// expiryRuleID names the lifecycle rule ExpireObjects writes.
const expiryRuleID = "awssecure-expire-old-objects"

// BucketSettings reads back how the bucket is guarded: Block Public
// Access, default encryption, object ownership, policy and expiry. A
// setting never made reads as its zero value.
func (c *Client) BucketSettings(ctx context.Context, name string) (BucketSettings, error) {
	var set BucketSettings
	op := opGetBucketSettings(name)
	b := aws.String(name)
	absent := func(err error) bool { return errors.Is(op.failed(err), ErrNotFound) && !isNoSuchBucket(err) }
	pab, err := c.s3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	switch {
	case err == nil:
		p := pab.PublicAccessBlockConfiguration
		set.PublicAccessBlocked = aws.ToBool(p.BlockPublicAcls) && aws.ToBool(p.IgnorePublicAcls) && aws.ToBool(p.BlockPublicPolicy) && aws.ToBool(p.RestrictPublicBuckets)
	case !absent(err):
		return set, op.failed(err)
	}
	enc, err := c.s3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	switch {
	case err == nil:
		for _, r := range enc.ServerSideEncryptionConfiguration.Rules {
			if r.ApplyServerSideEncryptionByDefault != nil {
				set.Encryption = string(r.ApplyServerSideEncryptionByDefault.SSEAlgorithm)
			}
		}
	case !absent(err):
		return set, op.failed(err)
	}
	own, err := c.s3.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
	switch {
	case err == nil:
		for _, r := range own.OwnershipControls.Rules {
			set.Ownership = string(r.ObjectOwnership)
		}
	case !absent(err):
		return set, op.failed(err)
	}
	pol, err := c.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	switch {
	case err == nil:
		set.Policy = aws.ToString(pol.Policy)
	case !absent(err):
		return set, op.failed(err)
	}
	lc, err := c.s3.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	switch {
	case err == nil:
		for _, r := range lc.Rules {
			if r.Status == types.ExpirationStatusEnabled && r.Expiration != nil && r.Expiration.Days != nil {
				set.ExpiryDays = int(*r.Expiration.Days)
				if r.Filter != nil {
					set.ExpiryPrefix = aws.ToString(r.Filter.Prefix)
				}
			}
		}
	case !absent(err):
		return set, op.failed(err)
	}
	return set, nil
}

// isNoSuchBucket tells a missing bucket from a missing setting, which
// both sort as ErrNotFound.
func isNoSuchBucket(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchBucket"
}
