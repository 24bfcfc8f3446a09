package awsops

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

var opDescribeRegions = operation{action: "ec2:DescribeRegions", doing: "list the regions enabled for this account"}

func opGetEBSDefault(region string) operation {
	return operation{action: "ec2:GetEbsEncryptionByDefault", doing: "read EBS default encryption in " + region}
}

func opEnableEBSDefault(region string) operation {
	return operation{action: "ec2:EnableEbsEncryptionByDefault", doing: "turn on EBS default encryption in " + region}
}

// ec2In is an EC2 client for region, from the client's one configuration.
func (c *Client) ec2In(region string) *ec2.Client {
	return ec2.NewFromConfig(c.cfg, func(o *ec2.Options) { o.Region = region })
}

// EnabledRegions calls ec2:DescribeRegions in the home region: the
// regions this account can use now (enabled by default, or opted in),
// sorted by name. Unlike account:ListRegions it leaves out those still
// off.
func (c *Client) EnabledRegions(ctx context.Context) ([]string, error) {
	out, err := c.ec2In(c.region).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, opDescribeRegions.failed(err)
	}
	var names []string
	for _, r := range out.Regions {
		names = append(names, aws.ToString(r.RegionName))
	}
	slices.Sort(names)
	return names, nil
}

// EBSEncryptionByDefault calls ec2:GetEbsEncryptionByDefault in region.
func (c *Client) EBSEncryptionByDefault(ctx context.Context, region string) (bool, error) {
	out, err := c.ec2In(region).GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
	if err != nil {
		return false, opGetEBSDefault(region).failed(err)
	}
	return aws.ToBool(out.EbsEncryptionByDefault), nil
}

// EnableEBSEncryptionByDefault calls ec2:EnableEbsEncryptionByDefault in
// region: new EBS volumes there are encrypted with the account's default
// key. Running it twice changes nothing more.
func (c *Client) EnableEBSEncryptionByDefault(ctx context.Context, region string) error {
	_, err := c.ec2In(region).EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{})
	return opEnableEBSDefault(region).failed(err)
}
