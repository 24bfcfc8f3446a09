package awstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Buckets that were there before awssecure ran, made and read back with
// the real SDK against the emulator the test's AWS_ENDPOINT_URL names
// (see Moto.Use), so a test can hold awssecure to leaving them exactly
// as they were.

// ForeignLifecycle is the lifecycle rule of issue 22's reproduction:
// every object to Glacier after 90 days, deleted after 2555 (seven years).
var ForeignLifecycle = types.LifecycleRule{
	ID: aws.String("archive-then-expire"), Status: types.ExpirationStatusEnabled,
	Filter:      &types.LifecycleRuleFilter{},
	Transitions: []types.Transition{{Days: aws.Int32(90), StorageClass: types.TransitionStorageClassGlacier}},
	Expiration:  &types.LifecycleExpiration{Days: aws.Int32(2555)},
}

// ForeignPolicy is the bucket policy of issue 22's reproduction: another
// account's role may read the bucket.
func ForeignPolicy(bucket string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"AuditorReadsTheLogs","Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::210987654321:role/auditor"},"Action":["s3:GetObject","s3:ListBucket"],` +
		`"Resource":["arn:aws:s3:::` + bucket + `","arn:aws:s3:::` + bucket + `/*"]}]}`
}

// ForeignLogKey is the key of a 2019 CloudTrail log, as CloudTrail names one.
const ForeignLogKey = "AWSLogs/123456789012/CloudTrail/us-east-1/2019/03/14/123456789012_CloudTrail_us-east-1_20190314T1055Z_Wq9Fx3QbYDmYtbqk.json.gz"

// MakeForeignBucket makes the bucket of issue 22's reproduction in
// region: ForeignPolicy, ForeignLifecycle and a 2019 log object.
func MakeForeignBucket(t testing.TB, ctx context.Context, name, region string) {
	t.Helper()
	c := S3Client(t, ctx)
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
	}
	if _, err := c.CreateBucket(ctx, in, func(o *s3.Options) { o.Region = region }); err != nil {
		t.Fatalf("make bucket %s: %v", name, err)
	}
	PutPolicy(t, ctx, name, ForeignPolicy(name))
	PutLifecycle(t, ctx, name, ForeignLifecycle)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String(ForeignLogKey),
		Body: strings.NewReader(`{"Records":[]}`)}); err != nil {
		t.Fatalf("put %s into %s: %v", ForeignLogKey, name, err)
	}
}

// MakeWebsiteBucket makes the bucket of the end-to-end check that found
// issue 22's unmarked-bucket adoption: a user's own bucket in region, with
// no tag, policy, lifecycle rule or object, but versioning on and a static
// website (index.html, error.html), which Block Public Access would take
// offline.
func MakeWebsiteBucket(t testing.TB, ctx context.Context, name, region string) {
	t.Helper()
	c := S3Client(t, ctx)
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
	}
	if _, err := c.CreateBucket(ctx, in, func(o *s3.Options) { o.Region = region }); err != nil {
		t.Fatalf("make bucket %s: %v", name, err)
	}
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(name),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatalf("turn on versioning of %s: %v", name, err)
	}
	if _, err := c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String(name),
		WebsiteConfiguration: &types.WebsiteConfiguration{IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")},
			ErrorDocument: &types.ErrorDocument{Key: aws.String("error.html")}}}); err != nil {
		t.Fatalf("make %s a website: %v", name, err)
	}
}

// PutPolicy sets the bucket's policy.
func PutPolicy(t testing.TB, ctx context.Context, name, policy string) {
	t.Helper()
	if _, err := S3Client(t, ctx).PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(name), Policy: aws.String(policy)}); err != nil {
		t.Fatalf("set the policy of %s: %v", name, err)
	}
}

// PutLifecycle sets the bucket's lifecycle configuration to rules.
func PutLifecycle(t testing.TB, ctx context.Context, name string, rules ...types.LifecycleRule) {
	t.Helper()
	if _, err := S3Client(t, ctx).PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String(name),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: rules}}); err != nil {
		t.Fatalf("set the lifecycle of %s: %v", name, err)
	}
}

// LifecycleRules reads the bucket's lifecycle rules, each as the JSON of
// the SDK's reading of it, so a rule compares whole.
func LifecycleRules(t testing.TB, ctx context.Context, name string) []string {
	t.Helper()
	out, err := S3Client(t, ctx).GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(name)})
	if err != nil {
		t.Fatalf("read the lifecycle of %s: %v", name, err)
	}
	rules := make([]string, len(out.Rules))
	for i, r := range out.Rules {
		rules[i] = jsonOf(r)
	}
	return rules
}

// RuleJSON is a rule as LifecycleRules shows it.
func RuleJSON(r types.LifecycleRule) string { return jsonOf(r) }

// BucketContents is everything S3 tells of a bucket that awssecure could
// change — tags, policy, lifecycle configuration, objects (key, size,
// ETag, date), Block Public Access, default encryption, ownership — and
// what a bucket awssecure takes over would keep (versioning, website), read
// through the SDK, one line each, so two readings compare.
func BucketContents(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	c, b := S3Client(t, ctx), aws.String(name)
	var lines []string
	add := func(what string, v any, err error) {
		var apiErr smithy.APIError
		switch {
		case errors.As(err, &apiErr):
			lines = append(lines, what+": "+apiErr.ErrorCode())
		case err != nil:
			t.Fatalf("read the %s of %s: %v", what, name, err)
		default:
			lines = append(lines, what+": "+jsonOf(v))
		}
	}
	tags, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	add("tags", tagsOf(tags), err)
	policy, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	add("policy", policyOf(policy), err)
	lc, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	add("lifecycle", lifecycleOf(lc), err)
	objects, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
	add("objects", objectsOf(objects), err)
	pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	add("public access block", pabOf(pab), err)
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	add("encryption", encOf(enc), err)
	own, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
	add("ownership", ownOf(own), err)
	ver, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	add("versioning", verOf(ver), err)
	web, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b})
	add("website", webOf(web), err)
	return strings.Join(lines, "\n")
}

// S3Client is an S3 client of the default credential chain, addressing
// buckets by path, as awsops does with an endpoint set.
func S3Client(t testing.TB, ctx context.Context) *s3.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatalf("load the AWS configuration: %v", err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

func jsonOf(v any) string {
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(out)
}

// The parts of each answer that say what the bucket holds, without the
// answer's metadata (request ids differ on every call).

func tagsOf(o *s3.GetBucketTaggingOutput) any {
	if o == nil {
		return nil
	}
	return o.TagSet
}

func policyOf(o *s3.GetBucketPolicyOutput) any {
	if o == nil {
		return nil
	}
	return aws.ToString(o.Policy)
}

func lifecycleOf(o *s3.GetBucketLifecycleConfigurationOutput) any {
	if o == nil {
		return nil
	}
	return struct {
		Rules   []types.LifecycleRule
		MinSize types.TransitionDefaultMinimumObjectSize
	}{o.Rules, o.TransitionDefaultMinimumObjectSize}
}

func objectsOf(o *s3.ListObjectVersionsOutput) any {
	if o == nil {
		return nil
	}
	return struct {
		Versions      []types.ObjectVersion
		DeleteMarkers []types.DeleteMarkerEntry
	}{o.Versions, o.DeleteMarkers}
}

func pabOf(o *s3.GetPublicAccessBlockOutput) any {
	if o == nil {
		return nil
	}
	return o.PublicAccessBlockConfiguration
}

func encOf(o *s3.GetBucketEncryptionOutput) any {
	if o == nil {
		return nil
	}
	return o.ServerSideEncryptionConfiguration
}

func ownOf(o *s3.GetBucketOwnershipControlsOutput) any {
	if o == nil {
		return nil
	}
	return o.OwnershipControls
}

func verOf(o *s3.GetBucketVersioningOutput) any {
	if o == nil {
		return nil
	}
	return struct {
		Status    types.BucketVersioningStatus
		MFADelete types.MFADeleteStatus
	}{o.Status, o.MFADelete}
}

func webOf(o *s3.GetBucketWebsiteOutput) any {
	if o == nil {
		return nil
	}
	return struct {
		Index    *types.IndexDocument
		Error    *types.ErrorDocument
		Redirect *types.RedirectAllRequestsTo
		Routing  []types.RoutingRule
	}{o.IndexDocument, o.ErrorDocument, o.RedirectAllRequestsTo, o.RoutingRules}
}
