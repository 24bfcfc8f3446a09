package awsops_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// Each guardrail call denied by AWS is ErrAccessDenied naming its own
// IAM action, so the screen can say which permission is missing; the
// denial reaches the SDK in each service's own wire format.
func TestGuardrailCallsDeniedNameTheirAction(t *testing.T) {
	_, api := newClient(t)
	proxy := awstest.NewProxy(t, moto.URL)
	t.Setenv("AWS_ENDPOINT_URL", proxy.URL)
	c, err := awsops.New(awstest.Context(t), awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	faults := awstest.NewFaults(1, 0, 0)
	proxy.SetFaults(faults)
	ctx := awstest.Context(t)
	id := "123456789012"
	contact := awsops.Contact{Type: awsops.ContactSecurity, Name: "Ada", Title: "Owner", Email: "ada@example.com", Phone: "+1 555 0100"}
	for _, tc := range []struct {
		deny   func()
		call   func() error
		action string
	}{
		{func() { api.Deny("GetAlternateContact") }, func() error { _, err := c.AlternateContact(ctx, awsops.ContactSecurity); return err }, "account:GetAlternateContact"},
		{func() { api.Deny("PutAlternateContact") }, func() error { return c.PutAlternateContact(ctx, contact) }, "account:PutAlternateContact"},
		{func() { faults.Force("GetPublicAccessBlock", awstest.FaultDenied, 1) }, func() error { _, err := c.PublicAccessBlock(ctx, id); return err }, "s3:GetAccountPublicAccessBlock"},
		{func() { faults.Force("PutPublicAccessBlock", awstest.FaultDenied, 1) }, func() error { return c.PutPublicAccessBlock(ctx, id, awsops.BlockAllPublicAccess) }, "s3:PutAccountPublicAccessBlock"},
		{func() { faults.Force("DescribeRegions", awstest.FaultDenied, 1) }, func() error { _, err := c.EnabledRegions(ctx); return err }, "ec2:DescribeRegions"},
		{func() { faults.Force("GetEbsEncryptionByDefault", awstest.FaultDenied, 1) }, func() error { _, err := c.EBSEncryptionByDefault(ctx, "eu-west-1"); return err }, "ec2:GetEbsEncryptionByDefault"},
		{func() { faults.Force("EnableEbsEncryptionByDefault", awstest.FaultDenied, 1) }, func() error { return c.EnableEBSEncryptionByDefault(ctx, "eu-west-1") }, "ec2:EnableEbsEncryptionByDefault"},
		{func() { api.Analyzer.Deny("ListAnalyzers") }, func() error { _, err := c.Analyzers(ctx, "eu-west-1"); return err }, "access-analyzer:ListAnalyzers"},
		{func() { api.Analyzer.Deny("CreateAnalyzer") }, func() error { return c.CreateAnalyzer(ctx, "eu-west-1", awsops.AnalyzerName) }, "access-analyzer:CreateAnalyzer"},
		{func() { faults.Force("ListDetectors", awstest.FaultDenied, 1) }, func() error { _, err := c.Detectors(ctx); return err }, "guardduty:ListDetectors"},
		{func() { faults.Force("CreateDetector", awstest.FaultDenied, 1) }, func() error { _, err := c.CreateDetector(ctx); return err }, "guardduty:CreateDetector"},
	} {
		tc.deny()
		err := tc.call()
		if !errors.Is(err, awsops.ErrAccessDenied) || awsops.ActionOf(err) != tc.action {
			t.Errorf("%s: err = %v, want ErrAccessDenied naming it", tc.action, err)
		}
	}
}

// The double answers ListAnalyzers a page at a time; every page is read.
func TestAnalyzersReadsEveryPage(t *testing.T) {
	c, api := newClient(t)
	for i := range 5 {
		api.Analyzer.Add("eu-west-1", fmt.Sprintf("a%d", i), awsops.AnalyzerAccount, awsops.AnalyzerActive)
	}
	got, err := c.Analyzers(awstest.Context(t), "eu-west-1")
	if err != nil || len(got) != 5 || got[4].Name != "a4" {
		t.Errorf("analyzers = %+v, %v; want all five", got, err)
	}
	if calls := api.Analyzer.Calls(); len(calls) < 3 {
		t.Errorf("double saw %v; want several pages", calls)
	}
}

// moto accepts a second GuardDuty detector in a region, which AWS
// refuses: the guardrails step must look before it creates (and does,
// see steps). The practice account refuses it, as AWS does.
func TestSecondDetector(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	for range 2 {
		if _, err := c.CreateDetector(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := c.Detectors(ctx); len(got) != 2 {
		t.Logf("moto now refuses a second detector (%d listed): the step's look-first is belt and braces", len(got))
	}
	p, _ := awsops.NewPractice(awsops.PracticeOptions{})
	if _, err := p.CreateDetector(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := p.CreateDetector(ctx)
	if !errors.Is(err, awsops.ErrInvalidInput) {
		t.Errorf("practice second detector: err = %v, want AWS's BadRequestException (invalid input)", err)
	}
}

// On the practice account a region that is still enabling cannot be used
// yet: EC2 and Access Analyzer answer OptInRequired there, and
// DescribeRegions leaves it out until it is enabled.
func TestPracticeRegionStillEnabling(t *testing.T) {
	now := time.Now()
	p, _ := awsops.NewPractice(awsops.PracticeOptions{RegionEnableTime: time.Minute, Now: func() time.Time { return now }})
	ctx := context.Background()
	if err := p.EnableRegion(ctx, "af-south-1"); err != nil {
		t.Fatal(err)
	}
	regions, _ := p.EnabledRegions(ctx)
	for _, r := range regions {
		if r == "af-south-1" {
			t.Errorf("enabled regions hold af-south-1 while it is enabling: %v", regions)
		}
	}
	if err := p.EnableEBSEncryptionByDefault(ctx, "af-south-1"); !errors.Is(err, awsops.ErrNotActivated) {
		t.Errorf("EBS in an enabling region: err = %v, want ErrNotActivated", err)
	}
	if _, err := p.Analyzers(ctx, "af-south-1"); !errors.Is(err, awsops.ErrNotActivated) {
		t.Errorf("analyzers in an enabling region: err = %v, want ErrNotActivated", err)
	}
	now = now.Add(time.Minute)
	if err := p.EnableEBSEncryptionByDefault(ctx, "af-south-1"); err != nil {
		t.Errorf("EBS once enabled: %v", err)
	}
}
