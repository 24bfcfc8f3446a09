package awsops_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// trailAccount is what the CloudTrail and S3 cases use beyond account:
// reading a bucket's settings back, and a bucket name another account holds.
type trailAccount interface {
	account
	BucketSettings(ctx context.Context, name string) (awsops.BucketSettings, error)
	SetLifecycleRules(ctx context.Context, name string, rules []awsops.LifecycleRule) error
	PutObject(ctx context.Context, name, key string) error
}

// takeBucket makes name a bucket another account holds.
func takeBucket(t *testing.T, ctx context.Context, a account, name string) {
	t.Helper()
	switch a := a.(type) {
	case *awsops.Practice:
		a.GiveBucketToAnotherAccount(name)
	case *awsops.Client:
		other := must[*awsops.Client](t)(a.AsAnotherAccount(ctx, "999999999999"))
		mustDo(t, other.CreateBucket(ctx, name, "us-east-1"))
	}
}

// logBucket makes a bucket with CloudTrail's policy for the trail named trail.
func logBucket(t *testing.T, ctx context.Context, a account, bucket, trail string) {
	t.Helper()
	c := must[awsops.Caller](t)(a.WhoAmI(ctx))
	mustDo(t, a.CreateBucket(ctx, bucket, a.Region()))
	mustDo(t, a.SetBucketPolicy(ctx, bucket, steps.TrailBucketPolicy("aws", bucket, c.AccountID, awsops.TrailARN("aws", a.Region(), c.AccountID, trail))))
}

func trailNamed(t *testing.T, ctx context.Context, a account, name string) awsops.Trail {
	t.Helper()
	for _, tr := range must[[]awsops.Trail](t)(a.Trails(ctx)) {
		if tr.Name == name {
			return tr
		}
	}
	t.Fatalf("no trail %s", name)
	return awsops.Trail{}
}

const testBucket = "aws-cloudtrail-logs-contract-abcd1234"

var trailContractCases = []contractCase{
	{"a new trail's event selectors: every management event, read and write", func(t *testing.T, ctx context.Context, a account) {
		logBucket(t, ctx, a, testBucket, "selectors")
		tr := must[awsops.Trail](t)(a.CreateTrail(ctx, awsops.TrailSettings{Name: "selectors", Bucket: testBucket, MultiRegion: true, Validation: true}))
		got := must[awsops.EventSelectors](t)(a.EventSelectors(ctx, tr.ARN))
		want := []awsops.BasicSelector{{Management: true, ReadWrite: awsops.ReadWriteAll}}
		if len(got.Advanced) != 0 || len(got.Basic) != 1 || got.Basic[0].Management != want[0].Management || got.Basic[0].ReadWrite != want[0].ReadWrite || len(got.Basic[0].Excluded) != 0 {
			t.Errorf("selectors = %+v", got)
		}
		_, err := a.EventSelectors(ctx, awsops.TrailARN("aws", a.Region(), must[awsops.Caller](t)(a.WhoAmI(ctx)).AccountID, "ghost"))
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"bucket made in the home region, guarded, reads back", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		mustDo(t, a.BlockPublicAccess(ctx, testBucket))
		mustDo(t, a.EncryptBucket(ctx, testBucket))
		mustDo(t, a.EnforceBucketOwner(ctx, testBucket))
		const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::` + testBucket + `/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
		mustDo(t, a.SetBucketPolicy(ctx, testBucket, policy))
		mustDo(t, a.AddExpiryRule(ctx, testBucket, "AWSLogs/", 90))
		got := must[awsops.BucketSettings](t)(a.(trailAccount).BucketSettings(ctx, testBucket))
		want := awsops.BucketSettings{PublicAccessBlocked: true, Encryption: awsops.EncryptionSSES3, Ownership: awsops.OwnershipEnforced, ExpiryDays: 90, ExpiryPrefix: "AWSLogs/"}
		gotPolicy := got.Policy
		got.Policy = ""
		if got != want || !strings.Contains(gotPolicy, "aws:SecureTransport") {
			t.Errorf("settings = %+v, policy %q", got, gotPolicy)
		}
		if names := must[[]string](t)(a.Buckets(ctx, "aws-cloudtrail-logs-contract-")); !slices.Equal(names, []string{testBucket}) {
			t.Errorf("buckets = %v", names)
		}
		if r := must[string](t)(a.BucketRegion(ctx, testBucket)); r != "us-east-1" {
			t.Errorf("region = %q", r)
		}
	}},
	{"a new bucket has no settings of ours", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		got := must[awsops.BucketSettings](t)(a.(trailAccount).BucketSettings(ctx, testBucket))
		if got.Policy != "" || got.ExpiryDays != 0 {
			t.Errorf("settings = %+v", got)
		}
	}},
	{"bucket in us-east-1 made twice: S3 answers success", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
	}},
	{"bucket elsewhere has its region; made twice: already owned by you", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "eu-west-1"))
		if r := must[string](t)(a.BucketRegion(ctx, testBucket)); r != "eu-west-1" {
			t.Errorf("region = %q", r)
		}
		wantKind(t, a.CreateBucket(ctx, testBucket, "eu-west-1"), awsops.ErrAlreadyExists)
	}},
	{"bucket name another account holds: taken", func(t *testing.T, ctx context.Context, a account) {
		takeBucket(t, ctx, a, "taken-by-another-account-1")
		wantKind(t, a.CreateBucket(ctx, "taken-by-another-account-1", "us-east-1"), awsops.ErrBucketTaken)
		if names := must[[]string](t)(a.Buckets(ctx, "taken-")); len(names) != 0 {
			t.Errorf("another account's bucket is listed as ours: %v", names)
		}
	}},
	{"settings on a missing bucket: not found", func(t *testing.T, ctx context.Context, a account) {
		const missing = "no-such-bucket-here"
		wantKind(t, a.BlockPublicAccess(ctx, missing), awsops.ErrNotFound)
		wantKind(t, a.SetBucketPolicy(ctx, missing, `{"Version":"2012-10-17","Statement":[]}`), awsops.ErrNotFound)
		wantKind(t, a.TagBucket(ctx, missing, "team", "ops"), awsops.ErrNotFound)
		wantKind(t, a.AddExpiryRule(ctx, missing, "", 30), awsops.ErrNotFound)
		_, err := a.BucketTags(ctx, missing)
		wantKind(t, err, awsops.ErrNotFound)
		_, err = a.BucketPolicy(ctx, missing)
		wantKind(t, err, awsops.ErrNotFound)
		_, err = a.BucketLifecycle(ctx, missing)
		wantKind(t, err, awsops.ErrNotFound)
		_, err = a.BucketHasObjects(ctx, missing)
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"a new bucket has no tags, policy, lifecycle rules or objects", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		tags := must[map[string]string](t)(a.BucketTags(ctx, testBucket))
		policy := must[string](t)(a.BucketPolicy(ctx, testBucket))
		rules := must[[]awsops.LifecycleRule](t)(a.BucketLifecycle(ctx, testBucket))
		objects := must[bool](t)(a.BucketHasObjects(ctx, testBucket))
		if tags == nil || len(tags) != 0 || policy != "" || len(rules) != 0 || objects {
			t.Errorf("tags %v policy %q rules %+v objects %v", tags, policy, rules, objects)
		}
	}},
	{"a bucket made with tags has them from its creation, in us-east-1 and elsewhere", func(t *testing.T, ctx context.Context, a account) {
		mark := awsops.BucketTag{Key: "awssecure:created-by", Value: "awssecure"}
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1", mark))
		mustDo(t, a.CreateBucket(ctx, testBucket+"-eu", "eu-west-1", mark, awsops.BucketTag{Key: "team", Value: "ops"}))
		want := map[string]string{"awssecure:created-by": "awssecure"}
		if got := must[map[string]string](t)(a.BucketTags(ctx, testBucket)); !maps.Equal(got, want) {
			t.Errorf("tags = %v, want %v", got, want)
		}
		want["team"] = "ops"
		if got := must[map[string]string](t)(a.BucketTags(ctx, testBucket+"-eu")); !maps.Equal(got, want) {
			t.Errorf("tags = %v, want %v", got, want)
		}
		if r := must[string](t)(a.BucketRegion(ctx, testBucket+"-eu")); r != "eu-west-1" {
			t.Errorf("region = %q", r)
		}
	}},
	{"a policy reads back as set", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		const policy = `{"Version":"2012-10-17","Statement":[{"Sid":"Auditor","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:role/auditor"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + testBucket + `/*"}]}`
		mustDo(t, a.SetBucketPolicy(ctx, testBucket, policy))
		if got := must[string](t)(a.BucketPolicy(ctx, testBucket)); !sameJSONText(got, policy) {
			t.Errorf("policy = %s", got)
		}
	}},
	{"an object is found", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		mustDo(t, a.(trailAccount).PutObject(ctx, testBucket, "AWSLogs/210987654321/CloudTrail/us-east-1/2019/05/01/log.json.gz"))
		if !must[bool](t)(a.BucketHasObjects(ctx, testBucket)) {
			t.Error("the object is not found")
		}
	}},
	{"a tag is added beside the tags there; one of its key saying otherwise is not replaced", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		mustDo(t, a.TagBucket(ctx, testBucket, "team", "ops"))
		mustDo(t, a.TagBucket(ctx, testBucket, "awssecure:created-by", "awssecure"))
		mustDo(t, a.TagBucket(ctx, testBucket, "awssecure:created-by", "awssecure"))
		err := a.TagBucket(ctx, testBucket, "team", "finance")
		wantKind(t, err, awsops.ErrWouldReplace)
		want := map[string]string{"team": "ops", "awssecure:created-by": "awssecure"}
		if got := must[map[string]string](t)(a.BucketTags(ctx, testBucket)); !maps.Equal(got, want) {
			t.Errorf("tags = %v, want %v", got, want)
		}
	}},
	{"a tag key beginning with aws: is refused", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		wantKind(t, a.TagBucket(ctx, testBucket, "aws:cloudformation:stack-name", "x"), awsops.ErrInvalidInput)
	}},
	{"the expiry rule goes beside the rules there, once; one of its ID saying otherwise is not replaced", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		archive := awsops.LifecycleRule{ID: "archive-then-expire", Enabled: true, TransitionDays: 90, TransitionClass: "GLACIER", ExpireDays: 2555}
		mustDo(t, a.(trailAccount).SetLifecycleRules(ctx, testBucket, []awsops.LifecycleRule{archive}))
		mustDo(t, a.AddExpiryRule(ctx, testBucket, "", 30))
		mustDo(t, a.AddExpiryRule(ctx, testBucket, "", 30))
		ours := awsops.LifecycleRule{ID: "awssecure-expire-old-objects", Enabled: true, ExpireDays: 30}
		want := []awsops.LifecycleRule{archive, ours}
		if got := must[[]awsops.LifecycleRule](t)(a.BucketLifecycle(ctx, testBucket)); !slices.Equal(got, want) {
			t.Errorf("rules = %+v, want %+v", got, want)
		}
		err := a.AddExpiryRule(ctx, testBucket, "", 90)
		wantKind(t, err, awsops.ErrWouldReplace)
		if !strings.Contains(fmt.Sprint(err), "deletes objects 30 days after they were written") {
			t.Errorf("err = %v", err)
		}
		if got := must[[]awsops.LifecycleRule](t)(a.BucketLifecycle(ctx, testBucket)); !slices.Equal(got, want) {
			t.Errorf("after the refusal: rules = %+v", got)
		}
	}},
	{"bad bucket name and expiry are invalid", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.CreateBucket(ctx, "Bad_Name", "us-east-1"), awsops.ErrInvalidInput)
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		wantKind(t, a.AddExpiryRule(ctx, testBucket, "AWSLogs/", 0), awsops.ErrInvalidInput)
		wantKind(t, a.AddExpiryRule(ctx, testBucket, "AWSLogs/", 3651), awsops.ErrInvalidInput)
	}},
	{"new account has no trail", func(t *testing.T, ctx context.Context, a account) {
		if got := must[[]awsops.Trail](t)(a.Trails(ctx)); len(got) != 0 {
			t.Errorf("trails = %+v", got)
		}
	}},
	{"trail made, listed, logging only once started", func(t *testing.T, ctx context.Context, a account) {
		logBucket(t, ctx, a, testBucket, "management-events")
		made := must[awsops.Trail](t)(a.CreateTrail(ctx, awsops.TrailSettings{Name: "management-events", Bucket: testBucket, MultiRegion: true, Validation: true}))
		c := must[awsops.Caller](t)(a.WhoAmI(ctx))
		wantARN := awsops.TrailARN("aws", a.Region(), c.AccountID, "management-events")
		got := trailNamed(t, ctx, a, "management-events")
		if made.ARN != wantARN || got.ARN != wantARN || !got.MultiRegion || !got.LogFileValidation || got.Bucket != testBucket || got.HomeRegion != a.Region() || got.Account() != c.AccountID {
			t.Errorf("made %+v, listed %+v, want ARN %s", made, got, wantARN)
		}
		if must[bool](t)(a.TrailLogging(ctx, wantARN)) {
			t.Error("a new trail is logging before StartLogging")
		}
		mustDo(t, a.StartLogging(ctx, wantARN))
		mustDo(t, a.StartLogging(ctx, wantARN))
		if !must[bool](t)(a.TrailLogging(ctx, wantARN)) {
			t.Error("not logging after StartLogging")
		}
	}},
	{"update turns on every region and validation, in place", func(t *testing.T, ctx context.Context, a account) {
		logBucket(t, ctx, a, testBucket, "old-trail")
		made := must[awsops.Trail](t)(a.CreateTrail(ctx, awsops.TrailSettings{Name: "old-trail", Bucket: testBucket}))
		if made.MultiRegion || made.LogFileValidation {
			t.Fatalf("made %+v", made)
		}
		mustDo(t, a.UpdateTrail(ctx, made.ARN, awsops.TrailSettings{MultiRegion: true, Validation: true}))
		got := trailNamed(t, ctx, a, "old-trail")
		if !got.MultiRegion || !got.LogFileValidation || got.Bucket != testBucket || len(must[[]awsops.Trail](t)(a.Trails(ctx))) != 1 {
			t.Errorf("after update: %+v", got)
		}
	}},
	{"a missing trail: not found", func(t *testing.T, ctx context.Context, a account) {
		arn := awsops.TrailARN("aws", a.Region(), must[awsops.Caller](t)(a.WhoAmI(ctx)).AccountID, "ghost-trail")
		_, err := a.TrailLogging(ctx, arn)
		wantKind(t, err, awsops.ErrNotFound)
		wantKind(t, a.UpdateTrail(ctx, arn, awsops.TrailSettings{Validation: true}), awsops.ErrNotFound)
	}},
	{"trail on a missing bucket: not found", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.CreateTrail(ctx, awsops.TrailSettings{Name: "management-events", Bucket: "no-such-bucket-here"})
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"bad trail name is invalid", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.CreateTrail(ctx, awsops.TrailSettings{Name: "bad name!", Bucket: testBucket})
		wantKind(t, err, awsops.ErrInvalidInput)
	}},
}

// What moto does not do as CloudTrail does, held to the practice account
// alone: moto replaces a trail made twice instead of answering
// TrailAlreadyExistsException, has no limit of five trails per region, and
// never checks the bucket's policy (InsufficientS3BucketPolicyException);
// its StartLogging on a missing trail answers 500. The error codes' kinds
// are checked for both backends in errors_test.go.
var practiceOnlyTrailCases = []contractCase{
	{"duplicate trail already exists", func(t *testing.T, ctx context.Context, a account) {
		logBucket(t, ctx, a, testBucket, "management-events")
		s := awsops.TrailSettings{Name: "management-events", Bucket: testBucket, MultiRegion: true, Validation: true}
		must[awsops.Trail](t)(a.CreateTrail(ctx, s))
		_, err := a.CreateTrail(ctx, s)
		wantKind(t, err, awsops.ErrAlreadyExists)
	}},
	{"a sixth trail in a region exceeds the limit", func(t *testing.T, ctx context.Context, a account) {
		c := must[awsops.Caller](t)(a.WhoAmI(ctx))
		mustDo(t, a.CreateBucket(ctx, testBucket, a.Region()))
		mustDo(t, a.SetBucketPolicy(ctx, testBucket, steps.TrailBucketPolicy("aws", testBucket, c.AccountID, "")))
		for _, name := range []string{"trail-1", "trail-2", "trail-3", "trail-4", "trail-5"} {
			p := steps.TrailBucketPolicy("aws", testBucket, c.AccountID, awsops.TrailARN("aws", a.Region(), c.AccountID, name))
			mustDo(t, a.SetBucketPolicy(ctx, testBucket, p))
			must[awsops.Trail](t)(a.CreateTrail(ctx, awsops.TrailSettings{Name: name, Bucket: testBucket}))
		}
		_, err := a.CreateTrail(ctx, awsops.TrailSettings{Name: "trail-6", Bucket: testBucket})
		wantKind(t, err, awsops.ErrTrailLimit)
	}},
	{"trail on a bucket without CloudTrail's policy: refused", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, a.Region()))
		_, err := a.CreateTrail(ctx, awsops.TrailSettings{Name: "management-events", Bucket: testBucket})
		wantKind(t, err, awsops.ErrBucketPolicy)
		// A policy for another trail (aws:SourceArn) does not admit this one.
		logBucket(t, ctx, a, testBucket, "another-trail")
		_, err = a.CreateTrail(ctx, awsops.TrailSettings{Name: "management-events", Bucket: testBucket})
		wantKind(t, err, awsops.ErrBucketPolicy)
	}},
	// moto lets any account read any bucket; S3 answers AccessDenied.
	{"another account's bucket: access denied", func(t *testing.T, ctx context.Context, a account) {
		takeBucket(t, ctx, a, "taken-by-another-account-1")
		_, err := a.BucketRegion(ctx, "taken-by-another-account-1")
		wantKind(t, err, awsops.ErrAccessDenied)
		_, err = a.BucketTags(ctx, "taken-by-another-account-1")
		wantKind(t, err, awsops.ErrAccessDenied)
	}},
	{"starting a missing trail: not found", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.StartLogging(ctx, "ghost-trail"), awsops.ErrNotFound)
	}},
}

func TestContractPracticeOnly(t *testing.T) {
	for _, tc := range slices.Concat(practiceOnlyTrailCases, practiceOnlyAlertCases) {
		t.Run("practice/"+tc.name, func(t *testing.T) {
			tc.run(t, awstest.Context(t), backends["practice"](t))
		})
	}
}

// sameJSONText says whether two JSON texts hold the same value.
func sameJSONText(a, b string) bool {
	var x, y any
	return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && reflect.DeepEqual(x, y)
}
