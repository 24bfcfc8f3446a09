package awsops_test

import (
	"context"
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
	{"bucket made in the home region, guarded, reads back", func(t *testing.T, ctx context.Context, a account) {
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		mustDo(t, a.BlockPublicAccess(ctx, testBucket))
		mustDo(t, a.EncryptBucket(ctx, testBucket))
		mustDo(t, a.EnforceBucketOwner(ctx, testBucket))
		const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::` + testBucket + `/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
		mustDo(t, a.SetBucketPolicy(ctx, testBucket, policy))
		mustDo(t, a.ExpireObjects(ctx, testBucket, "AWSLogs/", 90))
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
		wantKind(t, a.BlockPublicAccess(ctx, "no-such-bucket-here"), awsops.ErrNotFound)
		wantKind(t, a.SetBucketPolicy(ctx, "no-such-bucket-here", `{"Version":"2012-10-17","Statement":[]}`), awsops.ErrNotFound)
	}},
	{"bad bucket name and expiry are invalid", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.CreateBucket(ctx, "Bad_Name", "us-east-1"), awsops.ErrInvalidInput)
		mustDo(t, a.CreateBucket(ctx, testBucket, "us-east-1"))
		wantKind(t, a.ExpireObjects(ctx, testBucket, "AWSLogs/", 0), awsops.ErrInvalidInput)
		wantKind(t, a.ExpireObjects(ctx, testBucket, "AWSLogs/", 3651), awsops.ErrInvalidInput)
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
