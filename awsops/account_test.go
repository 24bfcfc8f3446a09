package awsops_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// The list asks for a full page: every region in one call, one round trip.
func TestRegionsTakeOneCall(t *testing.T) {
	c, api := newClient(t)
	regions, err := c.Regions(awstest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	if calls := api.Calls(); len(regions) != 7 || len(calls) != 1 {
		t.Errorf("%d regions in calls %v; want 7 in one ListRegions call", len(regions), calls)
	}
}

func TestRegionsReadsEveryPage(t *testing.T) {
	c, api := newClient(t)
	api.LimitPages(3)
	regions, err := c.Regions(awstest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range regions {
		names = append(names, r.Name)
	}
	want := []string{"us-east-1", "us-west-2", "eu-west-1", "af-south-1", "ap-east-1", "eu-south-1", "me-central-1"}
	if !slices.Equal(names, want) {
		t.Errorf("regions = %v, want %v", names, want)
	}
	if calls := api.Calls(); len(calls) != 3 {
		t.Errorf("double saw %v; want three ListRegions pages", calls)
	}
	if regions[0].OptIn() || !regions[3].OptIn() || regions[3].Status != awsops.RegionDisabled {
		t.Errorf("opt-in classification wrong: %+v", regions)
	}
}

func TestEnableRegionMovesToEnabled(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	if err := c.EnableRegion(ctx, "af-south-1"); err != nil {
		t.Fatal(err)
	}
	var seen []string
	for range awstest.ReadsToEnable + 1 {
		status, err := c.RegionStatus(ctx, "af-south-1")
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, status)
	}
	want := []string{awsops.RegionEnabling, awsops.RegionEnabling, awsops.RegionEnabled}
	if !slices.Equal(seen, want) {
		t.Errorf("statuses = %v, want %v", seen, want)
	}
	// Enabling again is harmless.
	if err := c.EnableRegion(ctx, "af-south-1"); err != nil {
		t.Errorf("enable twice: %v", err)
	}
}

func TestRegionErrors(t *testing.T) {
	c, api := newClient(t)
	ctx := awstest.Context(t)
	if err := c.EnableRegion(ctx, "xx-nowhere-1"); !errors.Is(err, awsops.ErrInvalidInput) {
		t.Errorf("unknown region: err = %v, want ErrInvalidInput", err)
	}
	if _, err := c.RegionStatus(ctx, "xx-nowhere-1"); !errors.Is(err, awsops.ErrInvalidInput) {
		t.Errorf("status of unknown region: err = %v, want ErrInvalidInput", err)
	}
	api.Deny("ListRegions")
	_, err := c.Regions(ctx)
	if !errors.Is(err, awsops.ErrAccessDenied) || awsops.ActionOf(err) != "account:ListRegions" {
		t.Errorf("denied list: err = %v, want ErrAccessDenied naming account:ListRegions", err)
	}
}

// EC2 lists the regions the Account API says are enabled, as AWS does
// for one account (moto alone lists all it knows): a region being
// enabled appears once it is on, not before.
func TestEnabledRegionsFollowTheAccountAPI(t *testing.T) {
	c, _ := newClient(t)
	ctx := awstest.Context(t)
	before, err := c.EnabledRegions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ap-east-1", "eu-west-1", "us-east-1", "us-west-2"}; !slices.Equal(before, want) {
		t.Fatalf("enabled regions = %v, want %v", before, want)
	}
	if err := c.EnableRegion(ctx, "af-south-1"); err != nil {
		t.Fatal(err)
	}
	if enabling, _ := c.EnabledRegions(ctx); slices.Contains(enabling, "af-south-1") {
		t.Errorf("af-south-1 listed while still enabling: %v", enabling)
	}
	// The double answers ENABLING ReadsToEnable times, then ENABLED.
	for range awstest.ReadsToEnable + 1 {
		if _, err := c.RegionStatus(ctx, "af-south-1"); err != nil {
			t.Fatal(err)
		}
	}
	if after, _ := c.EnabledRegions(ctx); !slices.Contains(after, "af-south-1") || len(after) != 5 {
		t.Errorf("enabled regions once af-south-1 is on = %v", after)
	}
}
