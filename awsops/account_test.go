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
