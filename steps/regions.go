package steps

import (
	"context"
	"strings"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// Regions is the opt-in regions step (seed 002): regions launched since
// 2019 are off until the owner enables them.
var Regions = Step{
	ID: "regions",
	Info: Info{
		Title: "Enable opt-in regions (optional)",
		Why: "Regions launched since 2019 are off until you opt in. Enable only those you will use: fewer regions is less to watch. " +
			"Enabling takes from minutes to hours; awssecure starts it and moves on.",
		ConsolePath: "Account name (top right) → Account → AWS Regions → Enable",
		ConsoleURL:  "https://console.aws.amazon.com/billing/home#/account",
	},
	ReadFirst: func(ctx context.Context, acct Account, s *Snapshot) { s.Regions, s.RegionsErr = acct.Regions(ctx) },
	Checks:    func(s Snapshot) []Check { return []Check{regionsCheck(s)} },
}

// Region opt-in statuses, as the Account API spells them.
const (
	RegionEnabled   = awsops.RegionEnabled
	RegionEnabling  = awsops.RegionEnabling
	RegionDisabled  = awsops.RegionDisabled
	RegionDisabling = awsops.RegionDisabling
)

// DisabledRegions are the opt-in regions of s that are off, by name.
func (s Snapshot) DisabledRegions() []string {
	var names []string
	for _, r := range s.Regions {
		if r.OptIn() && r.Status == RegionDisabled {
			names = append(names, r.Name)
		}
	}
	return names
}

// ReadRegions reads the region list again (after the preflight's read
// failed); its Change records it.
func ReadRegions(ctx context.Context, acct Account) Change {
	var s Snapshot
	Regions.ReadAll(ctx, acct, &s)
	return func(to *Snapshot) { to.Regions, to.RegionsErr = s.Regions, s.RegionsErr }
}

// EnableRegions starts enabling each region; AWS finishes on its own.
func EnableRegions(ctx context.Context, acct Account, names []string) error {
	for _, n := range names {
		if err := acct.EnableRegion(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

// RegionStatuses reads each region's status, for the progress display;
// a region whose read failed is left out, to be read at the next poll.
func RegionStatuses(ctx context.Context, acct Account, names []string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		if st, err := acct.RegionStatus(ctx, n); err == nil {
			out[n] = st
		}
	}
	return out
}

// RegionsCLI is the aws CLI equivalent.
func RegionsCLI(names []string) string {
	if len(names) == 0 {
		return "aws account list-regions --region-opt-status-contains DISABLED"
	}
	var cmds []string
	for _, n := range names {
		cmds = append(cmds, "aws account enable-region --region-name "+inert.ShellWord(n))
	}
	return strings.Join(cmds, "\n")
}

func regionsCheck(s Snapshot) Check {
	const title, cis = "Opt-in regions", ""
	if s.RegionsErr != nil {
		return unknown(CheckOptInRegions, title, cis, s.RegionsErr)
	}
	var enabled []string
	for _, r := range s.Regions {
		if r.OptIn() && (r.Status == RegionEnabled || r.Status == RegionEnabling) {
			enabled = append(enabled, r.Name)
		}
	}
	if len(enabled) == 0 {
		return Check{CheckOptInRegions, Pass, title, "no opt-in regions enabled", cis}
	}
	return Check{CheckOptInRegions, Pass, title, "enabled: " + strings.Join(enabled, ", "), cis}
}

// regionNames are the names AWS gives its regions in the console. The
// list of regions itself is read live from the Account API, which names
// none; a region missing here is shown by its code alone.
var regionNames = map[string]string{
	"af-south-1": "Africa (Cape Town)", "ap-east-1": "Asia Pacific (Hong Kong)", "ap-east-2": "Asia Pacific (Taipei)",
	"ap-northeast-1": "Asia Pacific (Tokyo)", "ap-northeast-2": "Asia Pacific (Seoul)", "ap-northeast-3": "Asia Pacific (Osaka)",
	"ap-south-1": "Asia Pacific (Mumbai)", "ap-south-2": "Asia Pacific (Hyderabad)", "ap-southeast-1": "Asia Pacific (Singapore)",
	"ap-southeast-2": "Asia Pacific (Sydney)", "ap-southeast-3": "Asia Pacific (Jakarta)", "ap-southeast-4": "Asia Pacific (Melbourne)",
	"ap-southeast-5": "Asia Pacific (Malaysia)", "ap-southeast-6": "Asia Pacific (New Zealand)", "ap-southeast-7": "Asia Pacific (Thailand)",
	"ca-central-1": "Canada (Central)", "ca-west-1": "Canada West (Calgary)", "eu-central-1": "Europe (Frankfurt)",
	"eu-central-2": "Europe (Zurich)", "eu-north-1": "Europe (Stockholm)", "eu-south-1": "Europe (Milan)", "eu-south-2": "Europe (Spain)",
	"eu-west-1": "Europe (Ireland)", "eu-west-2": "Europe (London)", "eu-west-3": "Europe (Paris)", "il-central-1": "Israel (Tel Aviv)",
	"me-central-1": "Middle East (UAE)", "me-south-1": "Middle East (Bahrain)", "mx-central-1": "Mexico (Central)",
	"sa-east-1": "South America (São Paulo)", "us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)",
	"us-west-1": "US West (N. California)", "us-west-2": "US West (Oregon)",
}

// RegionLabel is a region's code and, when known, its name:
// "af-south-1 Africa (Cape Town)".
func RegionLabel(code string) string {
	if name, ok := regionNames[code]; ok {
		return code + "  " + name
	}
	return code
}
