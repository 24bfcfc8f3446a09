package steps_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// foreignLogBucket is a bucket named as the console names a trail's, as
// an earlier trail would have left it.
const foreignLogBucket = "aws-cloudtrail-logs-123456789012-1a2b3c4d"

// motoAccount is a fresh moto account with the Account API double.
func motoAccount(t *testing.T) (context.Context, *awsops.Client) {
	t.Helper()
	moto.Use(t, awstest.NewAccountAPI(t).URL)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, acct
}

// Issue 22's reproduction, against moto through the real SDK: a bucket in
// the home region named like a trail's bucket, with a policy that lets
// another account's role read it, a lifecycle rule (Glacier after 90
// days, deleted after 2555) and a 2019 log. The CloudTrail step with a
// 30-day expiry leaves every part of it as it was, says so on the screen
// (the plan) and in the outcome, and logs to a new bucket of its own.
func TestCloudTrailLeavesABucketItDidNotMakeAsItWas(t *testing.T) {
	ctx, acct := motoAccount(t)
	awstest.MakeForeignBucket(t, ctx, foreignLogBucket, "us-east-1")
	before := awstest.BucketContents(t, ctx, foreignLogBucket)

	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.CloudTrail.Default(snap)
	if in.Bucket == foreignLogBucket || !slices.Equal(in.Untouched, []string{foreignLogBucket}) {
		t.Fatalf("plan = %+v: the bucket awssecure did not make is taken", in)
	}
	in.ExpiryDays = 30
	out, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	if after := awstest.BucketContents(t, ctx, foreignLogBucket); after != before {
		t.Errorf("the bucket changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if !strings.Contains(out.Said, "Bucket "+foreignLogBucket+", which awssecure did not make, stays as it is.") {
		t.Errorf("the outcome does not say the bucket was left as it was: %q", out.Said)
	}
	trails, _ := acct.Trails(ctx)
	if len(trails) != 1 || trails[0].Bucket != in.Bucket {
		t.Fatalf("trails = %+v, want one logging to %s", trails, in.Bucket)
	}
	ownBucketIsMarkedAndExpires(t, ctx, acct, in.Bucket, 30)
}

// What the end-to-end check found (issue 22, item 1), against moto
// through the real SDK: a user's own bucket in the home region named like
// a trail's, unmarked and empty — no tag, policy, lifecycle rule or object
// — with versioning on and a static website. awssecure did not make it:
// the CloudTrail step with a 30-day expiry leaves it exactly as it was (no
// mark, no Block Public Access, no encryption or ownership change, no
// expiry, no policy; versioning and website still there), names it in the
// plan the screen shows and in the outcome, and logs to a new bucket that
// carries the mark.
func TestCloudTrailLeavesAnEmptyUnmarkedBucketAsItWas(t *testing.T) {
	ctx, acct := motoAccount(t)
	before := makeWebsiteBucket(t, ctx, foreignLogBucket)

	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.CloudTrail.Default(snap)
	if in.Bucket == foreignLogBucket || !slices.Equal(in.Untouched, []string{foreignLogBucket}) {
		t.Fatalf("plan = %+v: the unmarked bucket is taken, or not named as left", in)
	}
	in.ExpiryDays = 30
	out, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	if after := awstest.BucketContents(t, ctx, foreignLogBucket); after != before {
		t.Errorf("the bucket changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if !strings.Contains(out.Said, "Bucket "+foreignLogBucket+", which awssecure did not make, stays as it is.") || strings.Contains(out.Said, "unmarked and empty") {
		t.Errorf("the outcome does not say the bucket was left as it was: %q", out.Said)
	}
	trails, _ := acct.Trails(ctx)
	if len(trails) != 1 || trails[0].Bucket != in.Bucket || trails[0].Bucket == foreignLogBucket {
		t.Fatalf("trails = %+v, want one logging to %s", trails, in.Bucket)
	}
	ownBucketIsMarkedAndExpires(t, ctx, acct, in.Bucket, 30)
}

// The same for the billing report's bucket: an unmarked, empty website
// bucket named like one stays as it was; the report goes to a new bucket
// that carries the mark.
func TestBillingLeavesAnEmptyUnmarkedBucketAsItWas(t *testing.T) {
	ctx, acct, _, _ := motoBilling(t)
	const foreign = "aws-billing-reports-123456789012-1a2b3c4d"
	before := makeWebsiteBucket(t, ctx, foreign)

	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.Billing.Default(snap)
	if !in.Report || in.Bucket == foreign || !slices.Equal(in.Untouched, []string{foreign}) {
		t.Fatalf("plan = %+v: the unmarked bucket is taken, or not named as left", in)
	}
	in.Budget = false
	out, err := steps.Billing.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	if after := awstest.BucketContents(t, ctx, foreign); after != before {
		t.Errorf("the bucket changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if !strings.Contains(out.Said, "Bucket "+foreign+", which awssecure did not make, stays as it is.") || strings.Contains(out.Said, "unmarked and empty") {
		t.Errorf("the outcome does not say the bucket was left as it was: %q", out.Said)
	}
	exports, _ := acct.Exports(ctx)
	if len(exports) != 1 {
		t.Fatalf("exports = %+v", exports)
	}
	if x, _ := acct.Export(ctx, exports[0].ARN); x.Bucket != in.Bucket || x.Bucket == foreign {
		t.Errorf("the report goes to %s, want %s", x.Bucket, in.Bucket)
	}
	if tags, _ := acct.BucketTags(ctx, in.Bucket); tags[steps.BucketMarkKey] != steps.BucketMarkValue {
		t.Errorf("the new bucket's tags = %v", tags)
	}
}

// makeWebsiteBucket makes awstest.MakeWebsiteBucket's bucket in us-east-1
// and returns what it holds, checked to be the reproduction: nothing that
// marked it as awssecure's or guarded it, versioning and a website on.
func makeWebsiteBucket(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	awstest.MakeWebsiteBucket(t, ctx, name, "us-east-1")
	contents := awstest.BucketContents(t, ctx, name)
	for _, want := range []string{"tags: NoSuchTagSet", "policy: NoSuchBucketPolicy", "lifecycle: NoSuchLifecycleConfiguration",
		`objects: {"Versions":null,"DeleteMarkers":null}`, "public access block: NoSuchPublicAccessBlockConfiguration",
		`versioning: {"Status":"Enabled"`, `website: {"Index":{"Suffix":"index.html"}`} {
		if !strings.Contains(contents, want) {
			t.Fatalf("the bucket to leave is not the reproduction (no %q):\n%s", want, contents)
		}
	}
	return contents
}

// A bucket awssecure makes carries its mark from the CreateBucket call
// itself: a run stopped right after that call (as Ctrl-C: the bucket is
// made, the answer never read, nothing else written) leaves the bucket
// marked, read back through the SDK, and the rerun takes it up, making no
// second bucket and naming none as left.
func TestOwnBucketIsMarkedFromItsCreation(t *testing.T) {
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
	in := steps.CloudTrail.Default(snap)
	stopped, stop := context.WithCancel(ctx)
	defer stop()
	proxy.OnWrite(func(_ int, action string) {
		if action == "CreateBucket" {
			stop()
		}
	})
	writesBefore := len(proxy.Writes())
	if _, err := steps.CloudTrail.Apply(stopped, acct, snap.Caller, in); !errors.Is(err, context.Canceled) {
		t.Fatalf("the run was not stopped after CreateBucket: %v", err)
	}
	proxy.OnWrite(nil)
	if w := proxy.Writes()[writesBefore:]; !slices.Equal(w, []string{"CreateBucket"}) {
		t.Fatalf("writes = %v, want CreateBucket alone", w)
	}
	if tags, err := acct.BucketTags(ctx, in.Bucket); err != nil || len(tags) != 1 || tags[steps.BucketMarkKey] != steps.BucketMarkValue {
		t.Fatalf("right after CreateBucket, bucket %s has tags %v (%v), want the mark alone", in.Bucket, tags, err)
	}

	snap, err = steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	again := steps.CloudTrail.Default(snap)
	if again.Bucket != in.Bucket || len(again.Untouched) != 0 {
		t.Fatalf("rerun plan = %+v, want bucket %s taken up", again, in.Bucket)
	}
	if _, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, again); err != nil {
		t.Fatal(err)
	}
	if names, _ := acct.Buckets(ctx, ""); !slices.Equal(names, []string{in.Bucket}) {
		t.Errorf("buckets = %v, want %s alone", names, in.Bucket)
	}
}

// tagsDropped is an endpoint that makes a bucket without the tags its
// CreateBucket call carries, as moto 5.2.1 does.
type tagsDropped struct{ steps.Account }

func (a tagsDropped) CreateBucket(ctx context.Context, name, region string, _ ...awsops.BucketTag) error {
	return a.Account.CreateBucket(ctx, name, region)
}

// On an endpoint that drops the tags of CreateBucket, the PutBucketTagging
// right after marks the bucket all the same.
func TestOwnBucketIsMarkedWhereCreateBucketDropsTags(t *testing.T) {
	ctx, acct := motoAccount(t)
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.CloudTrail.Default(snap)
	in.ExpiryDays = 30
	if _, err := steps.CloudTrail.Apply(ctx, tagsDropped{acct}, snap.Caller, in); err != nil {
		t.Fatal(err)
	}
	ownBucketIsMarkedAndExpires(t, ctx, acct, in.Bucket, 30)
}

// CreateBucket with tags refused (AccessDenied: a caller without
// s3:TagResource) stops the step with a sentence that names both
// permissions; no bucket is made unmarked in its place.
func TestOwnBucketNotMadeWhenItsMarkIsRefused(t *testing.T) {
	moto.Use(t, awstest.NewAccountAPI(t).URL)
	proxy := awstest.NewProxy(t, moto.URL)
	t.Setenv("AWS_ENDPOINT_URL", proxy.URL)
	proxy.Deny("CreateBucket", steps.BucketMarkKey)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	_, err = steps.CloudTrail.Apply(ctx, acct, snap.Caller, steps.CloudTrail.Default(snap))
	if e := steps.Explain(err); !errors.Is(err, awsops.ErrAccessDenied) || !strings.Contains(e.What, "s3:CreateBucket") || !strings.Contains(e.What, "s3:TagResource") {
		t.Errorf("err %v, told %+v", err, e)
	}
	if names, _ := acct.Buckets(ctx, ""); len(names) != 0 {
		t.Errorf("buckets = %v, want none", names)
	}
	if trails, _ := acct.Trails(ctx); len(trails) != 0 {
		t.Errorf("trails = %+v", trails)
	}
}

// A plan that names a bucket awssecure did not make (read before it was
// there, or made by hand in between) does not make the apply use it: the
// apply looks at the bucket itself, passes over it for a new name and
// says so.
func TestCloudTrailApplyPassesOverABucketItDidNotMake(t *testing.T) {
	ctx, acct := motoAccount(t)
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.CloudTrail.Default(snap)
	awstest.MakeForeignBucket(t, ctx, in.Bucket, "us-east-1") // the planned name, taken meanwhile in this account
	before := awstest.BucketContents(t, ctx, in.Bucket)
	in.ExpiryDays = 30
	out, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	if after := awstest.BucketContents(t, ctx, in.Bucket); after != before {
		t.Errorf("the bucket changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	trails, _ := acct.Trails(ctx)
	if len(trails) != 1 || trails[0].Bucket == in.Bucket || !strings.Contains(out.Said, "Bucket "+in.Bucket+", which awssecure did not make, stays as it is; the bucket is "+trails[0].Bucket+".") {
		t.Fatalf("trails %+v, said %q", trails, out.Said)
	}
	ownBucketIsMarkedAndExpires(t, ctx, acct, trails[0].Bucket, 30)
}

// The same for the billing report's bucket: a bucket named like one that
// awssecure did not make stays as it was; the report goes to a new one.
func TestBillingLeavesABucketItDidNotMakeAsItWas(t *testing.T) {
	ctx, acct, _, _ := motoBilling(t)
	const foreign = "aws-billing-reports-123456789012-1a2b3c4d"
	awstest.MakeForeignBucket(t, ctx, foreign, "us-east-1")
	before := awstest.BucketContents(t, ctx, foreign)

	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.Billing.Default(snap)
	if !in.Report || in.Bucket == foreign || !slices.Equal(in.Untouched, []string{foreign}) {
		t.Fatalf("plan = %+v: the bucket awssecure did not make is taken", in)
	}
	in.Budget = false
	out, err := steps.Billing.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	if after := awstest.BucketContents(t, ctx, foreign); after != before {
		t.Errorf("the bucket changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if !strings.Contains(out.Said, "Bucket "+foreign+", which awssecure did not make, stays as it is.") {
		t.Errorf("the outcome does not say the bucket was left as it was: %q", out.Said)
	}
	exports, _ := acct.Exports(ctx)
	if len(exports) != 1 {
		t.Fatalf("exports = %+v", exports)
	}
	if x, _ := acct.Export(ctx, exports[0].ARN); x.Bucket != in.Bucket {
		t.Errorf("the report goes to %s, want %s", x.Bucket, in.Bucket)
	}
	if tags, _ := acct.BucketTags(ctx, in.Bucket); tags[steps.BucketMarkKey] != steps.BucketMarkValue {
		t.Errorf("the new bucket's tags = %v", tags)
	}
}

// A log bucket awssecure made (marked), to which someone has since added
// a lifecycle rule and a policy statement of their own: a rerun of the
// step adds awssecure's expiry rule and CloudTrail's statements beside
// them, and theirs read back exactly as before.
func TestCloudTrailAddsItsRuleAndStatementsBesideOthers(t *testing.T) {
	ctx, acct := motoAccount(t)
	const ours = "aws-cloudtrail-logs-123456789012-ours1234"
	if err := acct.CreateBucket(ctx, ours, "us-east-1"); err != nil {
		t.Fatal(err)
	}
	if err := acct.TagBucket(ctx, ours, steps.BucketMarkKey, steps.BucketMarkValue); err != nil {
		t.Fatal(err)
	}
	awstest.PutLifecycle(t, ctx, ours, awstest.ForeignLifecycle)
	awstest.PutPolicy(t, ctx, ours, awstest.ForeignPolicy(ours))
	rulesBefore := awstest.LifecycleRules(t, ctx, ours)
	policyBefore, _ := acct.BucketPolicy(ctx, ours)

	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.CloudTrail.Default(snap)
	if in.Bucket != ours || len(in.Untouched) != 0 {
		t.Fatalf("plan = %+v, want bucket %s", in, ours)
	}
	in.ExpiryDays = 30
	if _, err := steps.CloudTrail.Apply(ctx, acct, snap.Caller, in); err != nil {
		t.Fatal(err)
	}
	rules := awstest.LifecycleRules(t, ctx, ours)
	if len(rules) != 2 || rules[0] != rulesBefore[0] {
		t.Errorf("lifecycle rules:\n%s\nwant the rule there first, unchanged:\n%s", strings.Join(rules, "\n"), rulesBefore[0])
	}
	read, _ := acct.BucketLifecycle(ctx, ours)
	if len(read) != 2 || read[1] != (awsops.LifecycleRule{ID: "awssecure-expire-old-objects", Enabled: true, ExpireDays: 30}) {
		t.Errorf("rules = %+v", read)
	}
	policy, _ := acct.BucketPolicy(ctx, ours)
	arn := "arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events"
	want := steps.TrailBucketPolicy("aws", ours, "123456789012", arn)
	if !statementsAre(t, policy, append(statementsOf(t, policyBefore), statementsOf(t, want)...)) {
		t.Errorf("policy:\n%s\nwant the auditor's statement, then CloudTrail's", policy)
	}
	trails, _ := acct.Trails(ctx)
	logging, _ := acct.TrailLogging(ctx, arn)
	if len(trails) != 1 || trails[0].Bucket != ours || !logging {
		t.Errorf("trails %+v logging %v", trails, logging)
	}
}

// ownBucketIsMarkedAndExpires checks the bucket awssecure made: marked,
// its one lifecycle rule the expiry asked for.
func ownBucketIsMarkedAndExpires(t *testing.T, ctx context.Context, acct *awsops.Client, bucket string, days int) {
	t.Helper()
	tags, err := acct.BucketTags(ctx, bucket)
	if err != nil || !strings.HasPrefix(bucket, steps.LogBucketPrefix("123456789012")) || tags[steps.BucketMarkKey] != steps.BucketMarkValue {
		t.Errorf("bucket %s tags %v, %v", bucket, tags, err)
	}
	rules, err := acct.BucketLifecycle(ctx, bucket)
	if err != nil || len(rules) != 1 || rules[0].ExpireDays != days {
		t.Errorf("bucket %s rules %+v, %v", bucket, rules, err)
	}
}

// statementsOf is a policy's statements, as JSON values.
func statementsOf(t *testing.T, policy string) []any {
	t.Helper()
	var doc struct{ Statement []any }
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		t.Fatalf("not a policy: %v\n%s", err, policy)
	}
	return doc.Statement
}

// statementsAre says whether the policy holds exactly these statements, in order.
func statementsAre(t *testing.T, policy string, want []any) bool {
	t.Helper()
	return reflect.DeepEqual(statementsOf(t, policy), want)
}

// awssecure's own expiry rule, found saying otherwise than asked (an
// earlier run's 90 days, now 30), is not replaced: the step stops before
// the trail, the form asks again saying why, and with the expiry left
// empty the step finishes with the rule as it was (practice account).
func TestCloudTrailKeepsItsEarlierExpiryRule(t *testing.T) {
	p, err := awsops.NewPractice(awsops.PracticeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	bucket := steps.LogBucketPrefix(awsops.PracticeAccountID) + "ours1234"
	for _, err := range []error{
		p.CreateBucket(ctx, bucket, p.Region()),
		p.TagBucket(ctx, bucket, steps.BucketMarkKey, steps.BucketMarkValue),
		p.AddExpiryRule(ctx, bucket, "", 90),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	snap, err := steps.ReadSnapshot(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.CloudTrail.Default(snap)
	if in.Bucket != bucket {
		t.Fatalf("plan = %+v, want bucket %s", in, bucket)
	}
	in.ExpiryDays = 30
	_, err = steps.CloudTrail.Apply(ctx, p, snap.Caller, in)
	problem, reask := steps.CloudTrail.Reask(in, err)
	if !errors.Is(err, awsops.ErrWouldReplace) || !reask || !strings.Contains(problem, "deletes objects 90 days after they were written") {
		t.Fatalf("err %v, reask %v %q", err, reask, problem)
	}
	if trails, _ := p.Trails(ctx); len(trails) != 0 {
		t.Errorf("a trail was made: %+v", trails)
	}
	in.ExpiryDays = 0
	if _, err := steps.CloudTrail.Apply(ctx, p, snap.Caller, in); err != nil {
		t.Fatal(err)
	}
	rules, _ := p.BucketLifecycle(ctx, bucket)
	if len(rules) != 1 || rules[0].ExpireDays != 90 {
		t.Errorf("rules = %+v", rules)
	}
	if trails, _ := p.Trails(ctx); len(trails) != 1 || trails[0].Bucket != bucket {
		t.Errorf("trails = %+v", trails)
	}
}
