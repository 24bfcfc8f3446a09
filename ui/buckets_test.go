package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// A bucket named like a trail's that awssecure did not make is named on
// the CloudTrail screen as staying as it is, before anything is done;
// after the step it is as it was and the outcome says so (practice
// account, whose bucket and account ids are the same on every run).
func TestCloudTrailScreenNamesTheBucketItLeaves(t *testing.T) {
	p := newPractice(t, "")
	ctx := t.Context()
	const foreign = "aws-cloudtrail-logs-111122223333-1a2b3c4d"
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"AuditorReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:role/auditor"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + foreign + `/*"}]}`
	if err := p.CreateBucket(ctx, foreign, p.Region()); err != nil {
		t.Fatal(err)
	}
	if err := p.SetBucketPolicy(ctx, foreign, policy); err != nil {
		t.Fatal(err)
	}
	h := wizard(t, p, t.TempDir())
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Delete logs older than how many days?")
	if s := h.screen(); !strings.Contains(strings.Join(strings.Fields(s), " "), "left "+foreign+" not made by awssecure: it stays as it is") {
		t.Errorf("the screen does not say the bucket stays as it is:\n%s", s)
	}
	goldenScreen(t, h.screen(), "cloudtrail-form-untouched")
	h.press("enter")
	h.waitFor("is logging every region")
	if s := strings.Join(strings.Fields(h.screen()), " "); !strings.Contains(s, "which awssecure did not make, stays as it is") {
		t.Errorf("the outcome does not say it:\n%s", h.screen())
	}
	if got, _ := p.BucketPolicy(ctx, foreign); got != policy {
		t.Errorf("the bucket's policy is now %s", got)
	}
	if tags, _ := p.BucketTags(ctx, foreign); len(tags) != 0 {
		t.Errorf("the bucket's tags are now %v", tags)
	}
	if trails, _ := p.Trails(ctx); len(trails) != 1 || trails[0].Bucket == foreign {
		t.Errorf("trails = %+v", trails)
	}
}

// The end-to-end check's reproduction (issue 22, item 1), on moto through
// the real SDK: a user's own bucket named like a trail's, unmarked and
// empty, with versioning and a static website. The CloudTrail screen names
// it as staying as it is, and never as one an earlier run left; after the
// step it is exactly as it was, the outcome says so, and the trail logs to
// a new bucket.
func TestCloudTrailScreenNamesTheEmptyBucketItLeaves(t *testing.T) {
	moto.UseThroughProxies(t)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const website = "aws-cloudtrail-logs-123456789012-1a2b3c4d"
	awstest.MakeWebsiteBucket(t, ctx, website, "us-east-1")
	before := awstest.BucketContents(t, ctx, website)
	h := newWizard(t, acct, false, t.TempDir())
	h.waitFor("Account 123456789012")
	walkTo(t, h, "Delete logs older than how many days?")
	if s := flat(h.screen()); !strings.Contains(s, "left "+website+" not made by awssecure: it stays as it is") || strings.Contains(s, "earlier run") {
		t.Errorf("the screen does not say the bucket stays as it is:\n%s", h.screen())
	}
	h.press("enter")
	h.waitFor("is logging every region")
	if s := flat(h.screen()); !strings.Contains(s, "Bucket "+website+", which awssecure did not make, stays as it is") {
		t.Errorf("the outcome does not say it:\n%s", h.screen())
	}
	if after := awstest.BucketContents(t, ctx, website); after != before {
		t.Errorf("the bucket changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if trails, _ := acct.Trails(ctx); len(trails) != 1 || trails[0].Bucket == website {
		t.Errorf("trails = %+v", trails)
	}
}

// Issue 22, item 10: when the billing reports cannot be read (an IAM
// user before root turned on IAM access to billing), the report part
// says so and why instead of offering a report into a bucket with no
// name; the step sets up the budget and makes no bucket and no export
// (moto, with the Data Exports double refusing ListExports).
func TestBillingScreenSaysTheReportsCouldNotBeRead(t *testing.T) {
	moto.UseThroughProxies(t)
	exports := moto.UseDataExports(t)
	exports.Deny("ListExports")
	acct, err := awsops.New(awstest.Context(t), awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := newWizard(t, acct, false, t.TempDir())
	h.waitFor("Account 123456789012")
	walkTo(t, h, "2. Billing report")
	s := strings.Join(strings.Fields(h.screen()), " ")
	for _, want := range []string{"The billing reports could not be read, so awssecure offers no new one", "bcm-data-exports:ListExports"} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, h.screen())
		}
	}
	if strings.Contains(s, "A daily billing report") || strings.Contains(s, "in bucket (") {
		t.Errorf("a report is offered blind:\n%s", h.screen())
	}
	h.press("enter")
	h.waitFor("Is it on?")
	h.press("enter")
	h.waitFor("✓ Budget monthly-cost")
	_, outcome, _ := strings.Cut(h.screen(), "✓ ")
	if strings.Contains(outcome, "bucket") || strings.Contains(outcome, "Billing report") {
		t.Errorf("the outcome speaks of a report as if one was offered:\n%s", outcome)
	}
	if !strings.Contains(strings.Join(strings.Fields(outcome), " "), "No billing report was offered: the billing reports could not be read") {
		t.Errorf("the outcome does not say why there is no report:\n%s", outcome)
	}
	if calls := exports.Calls(); slices.Contains(calls, "CreateExport") {
		t.Errorf("calls = %v", calls)
	}
	if b, _ := acct.Buckets(awstest.Context(t), "aws-billing-reports-"); len(b) != 0 {
		t.Errorf("buckets = %v", b)
	}
}
