package awsops

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
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

func opGetBucketTagging(name string) operation {
	return operation{action: "s3:GetBucketTagging", doing: "read the tags of bucket " + name}
}

func opPutBucketTagging(name string) operation {
	return operation{action: "s3:PutBucketTagging", doing: "tag bucket " + name}
}

func opGetBucketPolicy(name string) operation {
	return operation{action: "s3:GetBucketPolicy", doing: "read the policy of bucket " + name}
}

func opGetBucketLifecycle(name string) operation {
	return operation{action: "s3:GetLifecycleConfiguration", doing: "read the lifecycle rules of bucket " + name}
}

func opListObjectVersions(name string) operation {
	return operation{action: "s3:ListBucketVersions", doing: "look for objects in bucket " + name}
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
	// S3's limits: tags a bucket may carry, rules a lifecycle
	// configuration may hold.
	maxBucketTags     = 50
	maxLifecycleRules = 1000
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

// BucketTag is a tag a bucket is made with (see CreateBucket).
type BucketTag struct{ Key, Value string }

// CreateBucket creates a bucket in region, carrying tags from the start:
// they go in the CreateBucket call itself (CreateBucketConfiguration's
// Tags), for which S3 asks s3:TagResource beside s3:CreateBucket. us-east-1
// takes no location constraint, every other region must be named. A name
// another account holds wraps ErrBucketTaken; one this account holds,
// ErrAlreadyExists (outside us-east-1: there S3 answers success, as for a
// new bucket, and the bucket keeps the tags it had).
func (c *Client) CreateBucket(ctx context.Context, name, region string, tags ...BucketTag) error {
	op := opCreateBucket(name, region)
	if err := ValidateBucketName(name); err != nil {
		return op.refused(err)
	}
	conf := &types.CreateBucketConfiguration{}
	if region != "us-east-1" {
		conf.LocationConstraint = types.BucketLocationConstraint(region)
	}
	for _, t := range tags {
		conf.Tags = append(conf.Tags, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if conf.LocationConstraint != "" || len(conf.Tags) > 0 {
		in.CreateBucketConfiguration = conf
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

// SetBucketPolicy replaces the bucket's policy with policy (JSON):
// S3 takes a policy whole, so a caller adding statements reads
// BucketPolicy first and writes back what was there with its own.
func (c *Client) SetBucketPolicy(ctx context.Context, name, policy string) error {
	_, err := c.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(name), Policy: aws.String(policy)})
	return opPutBucketPolicy(name).failed(err)
}

// AddExpiryRule adds awssecure's lifecycle rule to the bucket — objects
// under prefix are deleted days after they were written — beside the
// rules the bucket has. PutBucketLifecycleConfiguration replaces the
// whole configuration, so the rules are read first and written back
// untouched, with the configuration's minimum transition size; a new
// rule takes the legacy Prefix form when the rules there use it (S3
// refuses a configuration that mixes the two). The rule there already
// changes nothing; a rule of its ID that says otherwise is not replaced
// (ErrWouldReplace). Between the read and the write a change made
// elsewhere would be lost: S3 has no conditional write for it.
func (c *Client) AddExpiryRule(ctx context.Context, name, prefix string, days int) error {
	op := opPutBucketLifecycle(name)
	if err := ValidateExpiryDays(days); err != nil {
		return op.refused(err)
	}
	out, err := c.s3.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(name)})
	switch {
	case hasCode(err, "NoSuchLifecycleConfiguration"):
		out = &s3.GetBucketLifecycleConfigurationOutput{}
	case err != nil:
		return opGetBucketLifecycle(name).failed(err)
	}
	want, legacy := expiryRule(prefix, days), false
	for _, r := range out.Rules {
		legacy = legacy || r.Filter == nil && r.Prefix != nil
		if aws.ToString(r.ID) != ExpiryRuleID {
			continue
		}
		if have := summarize(r); have != want {
			return op.wouldReplace(expiryDiffers(name, have, want))
		}
		return nil
	}
	if len(out.Rules) >= maxLifecycleRules {
		return op.refused(fmt.Errorf("bucket %s has %d lifecycle rules, the most S3 allows", name, len(out.Rules)))
	}
	ours := expiryLifecycleRule(prefix, days, legacy)
	_, err = c.s3.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String(name),
		LifecycleConfiguration:             &types.BucketLifecycleConfiguration{Rules: append(out.Rules, ours)},
		TransitionDefaultMinimumObjectSize: out.TransitionDefaultMinimumObjectSize})
	return op.failed(err)
}

// expiryLifecycleRule is AddExpiryRule's rule: objects under prefix deleted
// days after they were written; legacy, in the older Prefix form (see
// AddExpiryRule).
func expiryLifecycleRule(prefix string, days int, legacy bool) types.LifecycleRule {
	rule := types.LifecycleRule{ID: aws.String(ExpiryRuleID), Status: types.ExpirationStatusEnabled,
		Expiration: &types.LifecycleExpiration{Days: aws.Int32(int32(days))}}
	if legacy {
		rule.Prefix = aws.String(prefix)
	} else {
		rule.Filter = &types.LifecycleRuleFilter{Prefix: aws.String(prefix)}
	}
	return rule
}

// ExpiryRuleID names the lifecycle rule AddExpiryRule writes.
const ExpiryRuleID = "awssecure-expire-old-objects"

// LifecycleRule is one rule of a bucket's lifecycle configuration, as far
// as awssecure tells rules apart and says what they do. It is a reading
// only: the rules stay in S3 as they are, all of them.
type LifecycleRule struct {
	ID      string
	Enabled bool
	Prefix  string // the key prefix it covers; "" for every object
	// Filtered: it (also) picks objects by tag or size.
	Filtered bool
	// ExpireDays deletes objects that many days after they were written
	// (0: not by age); TransitionDays moves them to TransitionClass.
	ExpireDays      int
	TransitionDays  int
	TransitionClass string
	// More: it does more than the above (a date, more transitions,
	// noncurrent versions, incomplete uploads, delete markers).
	More bool
}

// expiryRule is awssecure's rule, as BucketLifecycle reads it back.
func expiryRule(prefix string, days int) LifecycleRule {
	return LifecycleRule{ID: ExpiryRuleID, Enabled: true, Prefix: prefix, ExpireDays: days}
}

// summarize reads an S3 rule as a LifecycleRule.
func summarize(r types.LifecycleRule) LifecycleRule {
	l := LifecycleRule{ID: aws.ToString(r.ID), Enabled: r.Status == types.ExpirationStatusEnabled}
	switch f := r.Filter; {
	case f != nil:
		l.Prefix = aws.ToString(f.Prefix)
		l.Filtered = f.Tag != nil || f.And != nil || f.ObjectSizeGreaterThan != nil || f.ObjectSizeLessThan != nil
	case r.Prefix != nil:
		l.Prefix = *r.Prefix
	}
	if e := r.Expiration; e != nil {
		l.ExpireDays = int(aws.ToInt32(e.Days))
		l.More = e.Date != nil || aws.ToBool(e.ExpiredObjectDeleteMarker)
	}
	for i, t := range r.Transitions {
		if i == 0 && t.Days != nil && t.Date == nil {
			l.TransitionDays, l.TransitionClass = int(*t.Days), string(t.StorageClass)
			continue
		}
		l.More = true
	}
	l.More = l.More || r.NoncurrentVersionExpiration != nil || len(r.NoncurrentVersionTransitions) > 0 || r.AbortIncompleteMultipartUpload != nil
	return l
}

// String says what the rule does, in words.
func (r LifecycleRule) String() string {
	var does []string
	if r.TransitionDays > 0 {
		does = append(does, fmt.Sprintf("moves objects to %s after %d days", r.TransitionClass, r.TransitionDays))
	}
	if r.ExpireDays > 0 {
		does = append(does, fmt.Sprintf("deletes objects %d days after they were written", r.ExpireDays))
	}
	if r.More || len(does) == 0 {
		does = append(does, "does more")
	}
	s := "rule " + r.ID + " " + strings.Join(does, ", ")
	if r.Prefix != "" {
		s += " (under " + r.Prefix + ")"
	}
	if r.Filtered {
		s += " (some objects only)"
	}
	if !r.Enabled {
		s += " (disabled)"
	}
	return s
}

// expiryDiffers is awssecure's rule found in a bucket saying otherwise
// than asked.
func expiryDiffers(bucket string, have, want LifecycleRule) *WouldReplaceError {
	return &WouldReplaceError{Bucket: bucket,
		Has: "lifecycle " + have.String() + "; awssecure was asked for " + strconv.Itoa(want.ExpireDays) + " days",
		Fix: "Keep that rule and ask for no expiry, or change or delete it in the S3 console (bucket → Management → Lifecycle rules) and retry."}
}

// BucketLifecycle reads the rules of the bucket's lifecycle
// configuration; a bucket without one has none.
func (c *Client) BucketLifecycle(ctx context.Context, name string) ([]LifecycleRule, error) {
	out, err := c.s3.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(name)})
	switch {
	case hasCode(err, "NoSuchLifecycleConfiguration"):
		return nil, nil
	case err != nil:
		return nil, opGetBucketLifecycle(name).failed(err)
	}
	rules := make([]LifecycleRule, len(out.Rules))
	for i, r := range out.Rules {
		rules[i] = summarize(r)
	}
	return rules, nil
}

// BucketPolicy reads the bucket's policy (JSON); a bucket without one
// (NoSuchBucketPolicy) reads as "".
func (c *Client) BucketPolicy(ctx context.Context, name string) (string, error) {
	out, err := c.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(name)})
	switch {
	case hasCode(err, "NoSuchBucketPolicy"):
		return "", nil
	case err != nil:
		return "", opGetBucketPolicy(name).failed(err)
	}
	return aws.ToString(out.Policy), nil
}

// BucketTags reads the bucket's tags; a bucket without any (S3 answers
// NoSuchTagSet) has none.
func (c *Client) BucketTags(ctx context.Context, name string) (map[string]string, error) {
	out, err := c.s3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(name)})
	switch {
	case hasCode(err, "NoSuchTagSet"):
		return map[string]string{}, nil
	case err != nil:
		return nil, opGetBucketTagging(name).failed(err)
	}
	tags := make(map[string]string, len(out.TagSet))
	for _, t := range out.TagSet {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return tags, nil
}

// TagBucket adds the tag key=value to the bucket's tags. PutBucketTagging
// replaces the whole tag set, so the set is read first and written back
// with the tag added; the tag there already changes nothing, and a tag of
// that key with another value is not replaced (ErrWouldReplace).
func (c *Client) TagBucket(ctx context.Context, name, key, value string) error {
	op := opPutBucketTagging(name)
	tags, err := c.BucketTags(ctx, name)
	if err != nil {
		return err
	}
	if added, err := addTag(op, name, tags, key, value); !added {
		return err
	}
	var set []types.Tag
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		set = append(set, types.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	_, err = c.s3.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(name), Tagging: &types.Tagging{TagSet: set}})
	return op.failed(err)
}

// addTag adds key=value to a bucket's tags, for TagBucket on both
// backends. It is false, with no error, when the tag is there already;
// a tag of that key with another value, or a bucket holding as many tags
// as S3 allows, is an error.
func addTag(op operation, bucket string, tags map[string]string, key, value string) (bool, error) {
	switch have, ok := tags[key]; {
	case ok && have == value:
		return false, nil
	case ok:
		return false, op.wouldReplace(&WouldReplaceError{Bucket: bucket,
			Has: "tag " + key + " says " + have + ", where awssecure would put " + value,
			Fix: "Look at the bucket's tags in the S3 console (bucket → Properties → Tags), then retry."})
	case len(tags) >= maxBucketTags:
		return false, op.refused(fmt.Errorf("bucket %s has %d tags, the most S3 allows", bucket, len(tags)))
	}
	tags[key] = value
	return true, nil
}

// BucketHasObjects says whether the bucket holds any object: a version,
// current or not, or a delete marker.
func (c *Client) BucketHasObjects(ctx context.Context, name string) (bool, error) {
	out, err := c.s3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(name), MaxKeys: aws.Int32(1)})
	if err != nil {
		return false, opListObjectVersions(name).failed(err)
	}
	return len(out.Versions)+len(out.DeleteMarkers) > 0, nil
}

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
func isNoSuchBucket(err error) bool { return hasCode(err, "NoSuchBucket") }

// hasCode says whether err is AWS's answer code.
func hasCode(err error, code string) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == code
}
