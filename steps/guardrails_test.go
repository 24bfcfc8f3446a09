package steps_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

var adaSecurity = awsops.Contact{Type: awsops.ContactSecurity, Name: "Ada Lovelace", Title: "Security lead", Email: "ada@example.com", Phone: "+44 20 7946 0000"}

// applyGuardrails applies each guard id to a fresh snapshot, as the
// wizard does after its preflight, and returns the rows' results.
func applyGuardrails(ctx context.Context, acct steps.Account, ids []string, req steps.GuardRequest) (map[string]steps.GuardResult, error) {
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		return nil, err
	}
	out := map[string]steps.GuardResult{}
	for _, id := range ids {
		if steps.GuardDone(snap, id) {
			continue
		}
		res := steps.ApplyGuard(ctx, acct, snap, id, req, nil)
		snap = snap.With(res.Change)
		out[id] = res
	}
	return out, nil
}

var allGuards = []string{steps.CheckSecurityContact, steps.CheckPublicAccessBlock, steps.CheckEBSEncryption, steps.CheckAccessAnalyzer, steps.CheckGuardDuty}

// On moto (and the Access Analyzer double), through the real SDK: a new
// account fails the four free checks and warns on GuardDuty; applying
// every guard leaves the security contact, all four Block Public Access
// settings, EBS encryption and an analyzer in every enabled region, and
// one detector, read back; a rerun writes nothing.
func TestGuardrailsAgainstMoto(t *testing.T) {
	iam, regions, api := moto.UseThroughProxies(t)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(steps.Checks(snap))
	want := map[string]steps.CheckStatus{"security-contact": steps.Fail, "s3-public-access-block": steps.Fail, "ebs-default-encryption": steps.Fail, "access-analyzer": steps.Fail, "guardduty": steps.Warn}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("new account: %s = %s, want %s", id, got[id], w)
		}
	}
	results, err := applyGuardrails(ctx, acct, allGuards, steps.GuardRequest{Contacts: []awsops.Contact{adaSecurity}})
	if err != nil {
		t.Fatal(err)
	}
	for id, res := range results {
		if res.Err != nil {
			t.Errorf("%s: %s (%v)", id, res.Said, res.Err)
		}
	}
	snap, _ = steps.ReadSnapshot(ctx, acct)
	for _, c := range steps.GuardChecks(snap) {
		if c.Status != steps.Pass {
			t.Errorf("after apply: %s = %s (%s)", c.ID, c.Status, c.Detail)
		}
	}
	if c, _ := acct.AlternateContact(ctx, awsops.ContactSecurity); c != adaSecurity {
		t.Errorf("security contact = %+v", c)
	}
	if b, _ := acct.PublicAccessBlock(ctx, "123456789012"); b != awsops.BlockAllPublicAccess {
		t.Errorf("block = %+v", b)
	}
	names, _ := acct.EnabledRegions(ctx)
	for _, r := range names {
		on, err := acct.EBSEncryptionByDefault(ctx, r)
		if !on || err != nil || !slices.Equal(api.Analyzer.Analyzers(r), []string{"awssecure ACCOUNT"}) {
			t.Errorf("%s: EBS %v (%v), analyzers %v", r, on, err, api.Analyzer.Analyzers(r))
		}
	}
	if d, _ := acct.Detectors(ctx); len(d) != 1 {
		t.Errorf("detectors = %+v, want one", d)
	}

	iamBefore, regionsBefore := len(iam.Writes()), len(regions.Writes())
	if _, err := applyGuardrails(ctx, acct, allGuards, steps.GuardRequest{Contacts: []awsops.Contact{adaSecurity}}); err != nil {
		t.Fatal(err)
	}
	if w := append(iam.Writes()[iamBefore:], regions.Writes()[regionsBefore:]...); len(w) != 0 {
		t.Errorf("the rerun wrote %v", w)
	}
}

// AccessDenied on one region's call fails that region only, naming the
// action in the row's sentence; the other guards and regions go on; the
// retry does only the region left.
func TestGuardrailDeniedRegionThenRetry(t *testing.T) {
	iam, _, _ := moto.UseThroughProxies(t)
	ctx := awstest.Context(t)
	acct, err := awsops.New(ctx, awsops.Options{MaxBackoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	faults := awstest.NewFaults(1, 0, 0)
	faults.Force("EnableEbsEncryptionByDefault", awstest.FaultDenied, 1)
	faults.Force("PutPublicAccessBlock", awstest.FaultDenied, 1)
	iam.SetFaults(faults)
	snap, _ := steps.ReadSnapshot(ctx, acct)
	total := len(snap.Guards.Regions)
	block := steps.ApplyGuard(ctx, acct, snap, steps.CheckPublicAccessBlock, steps.GuardRequest{}, nil)
	if !errors.Is(block.Err, awsops.ErrAccessDenied) || !strings.Contains(block.Said, "s3:PutAccountPublicAccessBlock") {
		t.Errorf("denied block: %q (%v)", block.Said, block.Err)
	}
	var mu sync.Mutex
	var seen []steps.GuardProgress
	ebs := steps.ApplyGuard(ctx, acct, snap, steps.CheckEBSEncryption, steps.GuardRequest{}, func(p steps.GuardProgress) {
		mu.Lock()
		seen = append(seen, p)
		mu.Unlock()
	})
	if !errors.Is(ebs.Err, awsops.ErrAccessDenied) || !strings.Contains(ebs.Said, "AWS denied ec2:EnableEbsEncryptionByDefault") ||
		!strings.HasPrefix(ebs.Said, "on in "+itoa(total-1)+" of "+itoa(total)+" regions") {
		t.Errorf("EBS with one region denied: %q (%v)", ebs.Said, ebs.Err)
	}
	if len(seen) != total || slices.MaxFunc(seen, func(a, b steps.GuardProgress) int { return a.Done - b.Done }).Done != total {
		t.Errorf("progress heard %d of %d regions", len(seen), total)
	}
	snap = snap.With(ebs.Change)
	if got := statuses(steps.Checks(snap))["ebs-default-encryption"]; got != steps.Fail {
		t.Errorf("check after a partial apply = %s, want fail (CIS 2.2.1: every region)", got)
	}
	before := len(iam.Writes())
	retry := steps.ApplyGuard(ctx, acct, snap, steps.CheckEBSEncryption, steps.GuardRequest{}, nil)
	if retry.Err != nil || retry.Said != "on in all "+itoa(total)+" regions" {
		t.Errorf("retry: %q (%v)", retry.Said, retry.Err)
	}
	if w := iam.Writes()[before:]; !slices.Equal(w, []string{"EnableEbsEncryptionByDefault"}) {
		t.Errorf("the retry wrote %v; want only the one region left", w)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// On the practice account, a region the regions step just started
// enabling is named as still enabling; once enabled, a retry covers it.
func TestGuardrailsCoverARegionEnabledEarlier(t *testing.T) {
	now := time.Now()
	p, _ := awsops.NewPractice(awsops.PracticeOptions{RegionEnableTime: time.Minute, Now: func() time.Time { return now }})
	ctx := t.Context()
	if err := p.EnableRegion(ctx, "af-south-1"); err != nil {
		t.Fatal(err)
	}
	snap, _ := steps.ReadSnapshot(ctx, p)
	res := steps.ApplyGuard(ctx, p, snap, steps.CheckEBSEncryption, steps.GuardRequest{}, nil)
	snap = snap.With(res.Change)
	var detail string
	for _, c := range steps.Checks(snap) {
		if c.ID == steps.CheckEBSEncryption {
			detail = c.Detail
		}
	}
	if !strings.Contains(detail, "on in all 6 regions") || !strings.Contains(detail, "af-south-1: still enabling") {
		t.Errorf("detail = %q", detail)
	}
	now = now.Add(time.Minute)
	res = steps.ApplyGuard(ctx, p, snap, steps.CheckEBSEncryption, steps.GuardRequest{}, nil)
	if res.Said != "on in all 7 regions" {
		t.Errorf("after enabling: %q", res.Said)
	}
	if on, err := p.EBSEncryptionByDefault(ctx, "af-south-1"); !on || err != nil {
		t.Errorf("af-south-1: %v %v", on, err)
	}
}

// GuardDuty is created once: a detector that exists (even one an
// interrupted run made) is found, never doubled, on moto that would
// accept a second.
func TestGuardDutyNeverASecondDetector(t *testing.T) {
	api := awstest.NewAccountAPI(t)
	moto.Use(t, api.URL)
	ctx := awstest.Context(t)
	acct, _ := awsops.New(ctx, awsops.Options{})
	if _, err := acct.CreateDetector(ctx); err != nil { // an earlier run's, answer lost
		t.Fatal(err)
	}
	snap := steps.Snapshot{} // stale: says there is none
	res := steps.ApplyGuard(ctx, acct, snap, steps.CheckGuardDuty, steps.GuardRequest{}, nil)
	if d, _ := acct.Detectors(ctx); len(d) != 1 || res.Err != nil || res.Said != "already on" {
		t.Errorf("detectors %+v; %q (%v)", d, res.Said, res.Err)
	}
}

// The benchmark the issue sets: the EBS and Access Analyzer loops of the
// guardrails step (read, then apply) over seventeen regions, with 100 ms
// added to every call on the wire. Sequentially that is 17 × 2 × 2 calls ×
// 100 ms ≈ 6.8 s; bounded concurrency brings it under 2 s.
func BenchmarkGuardrailRegionLoops(b *testing.B) {
	iam, regions, api := moto.UseThroughProxies(b)
	acct, err := awsops.New(b.Context(), awsops.Options{})
	if err != nil {
		b.Fatal(err)
	}
	seventeen := seventeenRegions{acct}
	for b.Loop() {
		b.StopTimer()
		moto.Reset(b)
		api.Analyzer.Reset()
		// moto builds a region's EC2 backend on its first call there,
		// which takes a second or more of moto's own time; in AWS the
		// region is there already. Build them before the clock starts.
		iam.SetDelay(0)
		regions.SetDelay(0)
		names, _ := seventeen.EnabledRegions(b.Context())
		for _, r := range names {
			if _, err := acct.EBSEncryptionByDefault(b.Context(), r); err != nil {
				b.Fatal(err)
			}
		}
		iam.SetDelay(100 * time.Millisecond)
		regions.SetDelay(100 * time.Millisecond)
		b.StartTimer()
		snap := steps.Snapshot{}
		steps.Guardrails.ReadAll(b.Context(), seventeen, &snap)
		var wg sync.WaitGroup
		for _, id := range []string{steps.CheckEBSEncryption, steps.CheckAccessAnalyzer} {
			wg.Go(func() {
				if res := steps.ApplyGuard(b.Context(), seventeen, snap, id, steps.GuardRequest{}, nil); res.Err != nil || !strings.HasPrefix(res.Said, "on in all 17") {
					b.Errorf("%s: %s (%v)", id, res.Said, res.Err)
				}
			})
		}
		wg.Wait()
	}
}

// seventeenRegions is an account whose enabled regions are the seventeen
// a new AWS account has by default (moto lists every region it knows).
type seventeenRegions struct{ *awsops.Client }

func (seventeenRegions) EnabledRegions(context.Context) ([]string, error) {
	return []string{"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1",
		"eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"}, nil
}

// Regions whose reads fail alike share one reason, however many there
// are: an error that names its region is said once, with the region left
// out, not once per region.
func TestRegionFailuresShareOneReason(t *testing.T) {
	var s steps.Snapshot
	names := []string{"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
		"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"}
	for _, name := range names {
		s.Guards.Regions = append(s.Guards.Regions, steps.RegionGuard{Name: name, EBS: true,
			AnalyzerErr: errors.New("list IAM Access Analyzer analyzers in " + name + ": https://access-analyzer." + name + ".amazonaws.com/analyzer: StatusCode: 500")})
	}
	var check steps.Check
	for _, c := range steps.GuardChecks(s) {
		if c.ID == steps.CheckAccessAnalyzer {
			check = c
		}
	}
	if check.Status != steps.Unknown && check.Status != steps.Fail {
		t.Errorf("status %s with every region unread", check.Status)
	}
	if n := strings.Count(check.Detail, "StatusCode: 500"); n != 1 {
		t.Errorf("the reason is said %d times, want once:\n%s", n, check.Detail)
	}
	if !strings.Contains(check.Detail, "and 14 more") || strings.Contains(check.Detail, "us-west-2") {
		t.Errorf("the regions are not named in short:\n%s", check.Detail)
	}
}
