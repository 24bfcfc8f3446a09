package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/account"
)

// Region opt-in statuses, as the Account API spells them.
const (
	RegionEnabled          = "ENABLED"
	RegionEnabling         = "ENABLING"
	RegionDisabled         = "DISABLED"
	RegionDisabling        = "DISABLING"
	RegionEnabledByDefault = "ENABLED_BY_DEFAULT"
)

// Region is an AWS region and its opt-in status for this account.
type Region struct {
	Name   string
	Status string
}

// OptIn reports whether the region is one an account must opt in to.
func (r Region) OptIn() bool { return r.Status != RegionEnabledByDefault }

// The Account API's calls on regions, named once for both backends (see
// operation).
var opListRegions = operation{action: "account:ListRegions", doing: "list regions"}

func opEnableRegion(name string) operation {
	return operation{action: "account:EnableRegion", doing: "enable region " + name}
}

func opGetRegionOptStatus(name string) operation {
	return operation{action: "account:GetRegionOptStatus", doing: "read status of region " + name}
}

// Regions calls account:ListRegions, all pages: the live list, so a region
// launched after this program was built still shows.
func (c *Client) Regions(ctx context.Context) ([]Region, error) {
	var regions []Region
	pages := account.NewListRegionsPaginator(c.account, &account.ListRegionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListRegions.failed(err)
		}
		for _, r := range page.Regions {
			regions = append(regions, Region{Name: aws.ToString(r.RegionName), Status: string(r.RegionOptStatus)})
		}
	}
	return regions, nil
}

// EnableRegion calls account:EnableRegion; AWS then moves the region
// through ENABLING to ENABLED on its own, which can take minutes.
func (c *Client) EnableRegion(ctx context.Context, name string) error {
	_, err := c.account.EnableRegion(ctx, &account.EnableRegionInput{RegionName: aws.String(name)})
	return opEnableRegion(name).failed(err)
}

// RegionStatus calls account:GetRegionOptStatus.
func (c *Client) RegionStatus(ctx context.Context, name string) (string, error) {
	out, err := c.account.GetRegionOptStatus(ctx, &account.GetRegionOptStatusInput{RegionName: aws.String(name)})
	if err != nil {
		return "", opGetRegionOptStatus(name).failed(err)
	}
	return string(out.RegionOptStatus), nil
}
