package steps

import (
	"context"
	"strings"

	"github.com/awssecure/awssecure/awsops"
)

// RegionsInfo describes the opt-in regions step.
var RegionsInfo = Info{
	Title: "Enable opt-in regions (optional)",
	Why: "Regions launched since 2019 are off until you opt in. Enable only those you will use: fewer regions is less to watch. " +
		"Enabling takes from minutes to hours; awssecure starts it and moves on.",
	ConsolePath: "Account name (top right) → Account → AWS Regions → Enable",
	ConsoleURL:  "https://console.aws.amazon.com/billing/home#/account",
}

// OptInRegions are the regions an account can opt in to, with their status.
func OptInRegions(regions []awsops.Region) []awsops.Region {
	var out []awsops.Region
	for _, r := range regions {
		if r.OptIn() {
			out = append(out, r)
		}
	}
	return out
}

// EnableRegion starts enabling one region; AWS finishes on its own.
func EnableRegion(ctx context.Context, acct Account, name string) error {
	return acct.EnableRegion(ctx, name)
}

// RegionStatus reads one region's status, for the progress display.
func RegionStatus(ctx context.Context, acct Account, name string) (string, error) {
	return acct.RegionStatus(ctx, name)
}

// RegionsCLI is the aws CLI equivalent.
func RegionsCLI(names []string) string {
	if len(names) == 0 {
		return "aws account list-regions --region-opt-status-contains DISABLED"
	}
	var cmds []string
	for _, n := range names {
		cmds = append(cmds, "aws account enable-region --region-name "+n)
	}
	return strings.Join(cmds, "\n")
}
