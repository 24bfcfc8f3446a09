package steps_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, a)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return reflect.DeepEqual(x, y)
}

// Against moto through the real SDK: on a new account the step leaves a
// bucket whose Block Public Access, encryption, ownership, policy and
// expiry read back as asked, and a multi-region trail with validation
// that GetTrailStatus reports logging; a second run writes nothing.
func TestCloudTrailAgainstMoto(t *testing.T) {
	moto.Use(t, awstest.NewAccountAPI(t).URL)
	proxy := awstest.NewProxy(t, moto.URL)
	t.Setenv("AWS_ENDPOINT_URL", proxy.URL)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	if c := checkByID(steps.Checks(snap), steps.CheckCloudTrail); c.Status != steps.Fail {
		t.Errorf("new account: %+v", c)
	}
	in := steps.CloudTrail.Default(snap)
	if in.Fix != nil || in.Region != "us-east-1" || in.Trail != steps.DefaultTrailName || !strings.HasPrefix(in.Bucket, "aws-cloudtrail-logs-123456789012-") {
		t.Fatalf("plan = %+v", in)
	}
	in.ExpiryDays = 90
	out, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events"
	if !out.Changed || !strings.Contains(out.Said, arn) || !strings.Contains(out.Said, in.Bucket) {
		t.Errorf("outcome %+v", out)
	}

	set, err := acct.BucketSettings(ctx, in.Bucket)
	if err != nil {
		t.Fatal(err)
	}
	if !set.PublicAccessBlocked || set.Encryption != "AES256" || set.Ownership != "BucketOwnerEnforced" || set.ExpiryDays != 90 || set.ExpiryPrefix != "" {
		t.Errorf("bucket settings = %+v", set)
	}
	if !sameJSON(t, set.Policy, steps.TrailBucketPolicy("aws", in.Bucket, "123456789012", arn)) {
		t.Errorf("bucket policy = %s", set.Policy)
	}
	trails, _ := acct.Trails(ctx)
	logging, _ := acct.TrailLogging(ctx, arn)
	if len(trails) != 1 || !trails[0].MultiRegion || !trails[0].LogFileValidation || trails[0].Bucket != in.Bucket || !logging {
		t.Errorf("trails %+v, logging %v", trails, logging)
	}

	writes := len(proxy.Writes())
	snap, err = steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	if said, done := steps.CloudTrail.Done(snap); !done || !strings.Contains(said, arn) {
		t.Errorf("rerun: done %v %q", done, said)
	}
	if c := checkByID(steps.Checks(snap), steps.CheckCloudTrail); c.Status != steps.Pass {
		t.Errorf("after the step: %+v", c)
	}
	again, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, steps.CloudTrail.Default(snap))
	if err != nil || again.Changed {
		t.Errorf("second apply: changed %v, %v", again.Changed, err)
	}
	if w := proxy.Writes()[writes:]; len(w) != 0 {
		t.Errorf("the second run wrote %v", w)
	}
}

// A trail of ours that falls short is fixed in place — every region,
// validation, logging — and no second trail is made.
func TestCloudTrailFixesOurTrailInPlace(t *testing.T) {
	moto.Use(t, awstest.NewAccountAPI(t).URL)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const bucket, arn = "old-trail-logs", "arn:aws:cloudtrail:us-east-1:123456789012:trail/old-trail"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(acct.CreateBucket(ctx, bucket, "us-east-1"))
	must(acct.SetBucketPolicy(ctx, bucket, steps.TrailBucketPolicy("aws", bucket, "123456789012", arn)))
	if _, err := acct.CreateTrail(ctx, awsops.TrailSettings{Name: "old-trail", Bucket: bucket}); err != nil {
		t.Fatal(err)
	}
	snap, _ := steps.ReadSnapshot(ctx, acct)
	if c := checkByID(steps.Checks(snap), steps.CheckCloudTrail); c.Status != steps.Fail || !strings.Contains(c.Detail, "stopped") {
		t.Errorf("stopped trail: %+v", c)
	}
	in := steps.CloudTrail.Default(snap)
	if in.Fix == nil || in.Trail != "old-trail" || !strings.Contains(steps.CloudTrail.CLI(snap.Caller, in), "update-trail --name "+arn) {
		t.Fatalf("plan = %+v", in)
	}
	out, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	trails, _ := acct.Trails(ctx)
	logging, _ := acct.TrailLogging(ctx, arn)
	if len(trails) != 1 || !trails[0].MultiRegion || !trails[0].LogFileValidation || !logging || !strings.Contains(out.Said, "logs only us-east-1") {
		t.Errorf("trails %+v logging %v said %q", trails, logging, out.Said)
	}
	if names, _ := acct.Buckets(ctx, ""); len(names) != 1 {
		t.Errorf("buckets = %v: fixing a trail makes no bucket", names)
	}
}

// takenFirst holds the first bucket name asked for as another account's.
type takenFirst struct {
	steps.Account
	taken string
}

func (a *takenFirst) CreateBucket(ctx context.Context, name, region string, tags ...awsops.BucketTag) error {
	if a.taken == "" || a.taken == name {
		a.taken = name
		return fmt.Errorf("create bucket %s: %w", name, &awsops.OpError{Action: "s3:CreateBucket", Kind: awsops.ErrBucketTaken, Err: fmt.Errorf("BucketAlreadyExists")})
	}
	return a.Account.CreateBucket(ctx, name, region, tags...)
}

// A bucket name another account holds: a new suffix, said in the result.
func TestCloudTrailTakenBucketNameGetsANewSuffix(t *testing.T) {
	p, err := awsops.NewPractice(awsops.PracticeOptions{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	acct := &takenFirst{Account: p}
	ctx := t.Context()
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.CloudTrail.Default(snap)
	out, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	buckets, _ := p.Buckets(ctx, steps.LogBucketPrefix(awsops.PracticeAccountID))
	if len(buckets) != 1 || buckets[0] == in.Bucket || !strings.Contains(out.Said, in.Bucket+" is taken by another AWS account, so the bucket is "+buckets[0]) {
		t.Errorf("buckets %v (asked %s), said %q", buckets, in.Bucket, out.Said)
	}
	if r, _ := p.BucketRegion(ctx, buckets[0]); r != "eu-west-1" {
		t.Errorf("bucket region %s, want the home region", r)
	}
}

// The policy is the one CloudTrail documents, scoped to the trail, plus a
// deny of plain HTTP.
func TestTrailBucketPolicy(t *testing.T) {
	const arn = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events"
	var doc struct {
		Version   string
		Statement []struct {
			Effect    string
			Principal any
			Action    string
			Resource  any
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(steps.TrailBucketPolicy("aws", "logs-b", "111122223333", arn)), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2012-10-17" || len(doc.Statement) != 3 {
		t.Fatalf("policy = %+v", doc)
	}
	acl, put, deny := doc.Statement[0], doc.Statement[1], doc.Statement[2]
	service := map[string]any{"Service": "cloudtrail.amazonaws.com"}
	if acl.Effect != "Allow" || !reflect.DeepEqual(acl.Principal, service) || acl.Action != "s3:GetBucketAcl" || acl.Resource != "arn:aws:s3:::logs-b" ||
		acl.Condition["StringEquals"]["aws:SourceArn"] != arn {
		t.Errorf("ACL check statement = %+v", acl)
	}
	if put.Effect != "Allow" || !reflect.DeepEqual(put.Principal, service) || put.Action != "s3:PutObject" || put.Resource != "arn:aws:s3:::logs-b/AWSLogs/111122223333/*" ||
		put.Condition["StringEquals"]["aws:SourceArn"] != arn || put.Condition["StringEquals"]["s3:x-amz-acl"] != "bucket-owner-full-control" {
		t.Errorf("write statement = %+v", put)
	}
	if deny.Effect != "Deny" || deny.Principal != "*" || deny.Action != "s3:*" || deny.Condition["Bool"]["aws:SecureTransport"] != "false" ||
		!reflect.DeepEqual(deny.Resource, []any{"arn:aws:s3:::logs-b", "arn:aws:s3:::logs-b/*"}) {
		t.Errorf("TLS statement = %+v", deny)
	}
}

// The check per the schema: pass, warn when logging but short, fail otherwise.
func TestCloudTrailCheck(t *testing.T) {
	trail := func(multi, validation, logging bool) steps.TrailFacts {
		return steps.TrailFacts{Trail: awsops.Trail{Name: "t", ARN: "arn:aws:cloudtrail:us-east-1:1:trail/t", HomeRegion: "us-east-1", MultiRegion: multi, LogFileValidation: validation}, Logging: logging}
	}
	for _, tc := range []struct {
		name   string
		trails []steps.TrailFacts
		err    error
		want   steps.CheckStatus
		detail string
	}{
		{"none", nil, nil, steps.Fail, "no trail"},
		{"complete", []steps.TrailFacts{trail(true, true, true)}, nil, steps.Pass, "logs every region"},
		{"single-region", []steps.TrailFacts{trail(false, true, true)}, nil, steps.Warn, "logs only us-east-1"},
		{"no validation", []steps.TrailFacts{trail(true, false, true)}, nil, steps.Warn, "no log file validation"},
		{"stopped", []steps.TrailFacts{trail(true, true, false)}, nil, steps.Fail, "stopped"},
		{"one complete among others", []steps.TrailFacts{trail(false, false, false), trail(true, true, true)}, nil, steps.Pass, ""},
		{"unreadable", nil, fmt.Errorf("x: %w", awsops.ErrAccessDenied), steps.Unknown, "denied"},
	} {
		c := checkByID(steps.Checks(steps.Snapshot{Trails: tc.trails, TrailsErr: tc.err}), steps.CheckCloudTrail)
		if c.Status != tc.want || !strings.Contains(c.Detail, tc.detail) || c.CIS != "3.1, 3.2" {
			t.Errorf("%s: %+v", tc.name, c)
		}
	}
}

// The expiry is refused in the form unless a whole number of days from 1
// to 3650, or empty.
func TestValidateExpiryDays(t *testing.T) {
	for _, ok := range []string{"", " ", "1", "90", "3650"} {
		if err := steps.ValidateExpiryDays(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"0", "-1", "3651", "1.5", "90d", "ninety", "1e3", "+5", "007"} {
		if err := steps.ValidateExpiryDays(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func checkByID(checks []steps.Check, id string) steps.Check {
	for _, c := range checks {
		if c.ID == id {
			return c
		}
	}
	return steps.Check{}
}
