package ui

import (
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// On an account whose only logging trail is the organization's, the
// CloudTrail screen says that a trail of one's own is a second, billed
// copy before anything is made, and enter keeps the organization's.
func TestCloudTrailScreenBesideAnOrganizationTrail(t *testing.T) {
	m := newMotoAccount(t, awsops.Options{})
	ctx := awstest.Context(t)
	if err := m.acct.CreateBucket(ctx, "org-trail-logs", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	moto.CreateOrganizationTrail(t, "org-trail", "org-trail-logs", false)
	h := newWizard(t, m.acct, false, t.TempDir())
	h.waitFor("Account 123456789012")
	walkTo(t, h, "Trail org-trail (the organization's) already logs here")
	golden(t, h, "cloudtrail-second-copy")
	s := h.screen()
	for _, want := range []string{"It has: no log file validation; only account 123456789012 can change it.", "second copy", "billed", "Keep theirs"} {
		if !strings.Contains(strings.Join(strings.Fields(s), " "), want) {
			t.Errorf("the screen does not say %q:\n%s", want, s)
		}
	}
	h.press("enter")
	h.waitFor("Kept trail org-trail")
	if trails, _ := m.acct.Trails(ctx); len(trails) != 1 {
		t.Errorf("keeping made a trail: %+v", trails)
	}
	if w := m.iam.Writes(); strings.Contains(strings.Join(w, " "), "CreateTrail") {
		t.Errorf("writes: %v", w)
	}
}

// When the preflight could not read the trails (a fault that outlasted
// the SDK's retries), the CloudTrail screen reads them again as it
// opens: it still finds the organization's trail and offers to keep it,
// instead of a second, billed trail.
func TestCloudTrailScreenReadsTheTrailsAgainWhenThePreflightCouldNot(t *testing.T) {
	m := newMotoAccount(t, awsops.Options{})
	ctx := awstest.Context(t)
	if err := m.acct.CreateBucket(ctx, "org-trail-logs", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	moto.CreateOrganizationTrail(t, "org-trail", "org-trail-logs", false)
	h := wizardPastAFailedRead(t, m, m.iam, "DescribeTrails")
	walkTo(t, h, "Trail org-trail (the organization's) already logs here")
	h.press("enter")
	h.waitFor("Kept trail org-trail")
	if trails, _ := m.acct.Trails(ctx); len(trails) != 1 {
		t.Errorf("keeping made a trail: %+v", trails)
	}
}
