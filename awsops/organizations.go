package awsops

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// The Organizations calls and the role hop into a member account, named
// once for both backends (see operation).
var (
	opDescribeOrganization = operation{action: "organizations:DescribeOrganization", doing: "read the organization"}
	opListAccounts         = operation{action: "organizations:ListAccounts", doing: "list the organization's accounts"}
)

func opAssumeRole(roleARN string) operation {
	return operation{action: "sts:AssumeRole", doing: "assume role " + roleARN}
}

// Organization is the AWS Organization the caller's account belongs to.
type Organization struct {
	ID                  string
	ManagementAccountID string
}

// OrgAccount is one account of an organization.
type OrgAccount struct {
	ID   string
	Name string
}

// DefaultOrgRole is the role AWS Organizations creates in every account
// it creates, trusted by the management account.
const DefaultOrgRole = "OrganizationAccountAccessRole"

// Organization calls organizations:DescribeOrganization. An account in no
// organization fails with ErrNotInOrganization.
func (c *Client) Organization(ctx context.Context) (Organization, error) {
	out, err := c.org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		return Organization{}, opDescribeOrganization.failed(err)
	}
	return Organization{ID: aws.ToString(out.Organization.Id), ManagementAccountID: aws.ToString(out.Organization.MasterAccountId)}, nil
}

// OrgAccounts lists the organization's active accounts, all pages;
// suspended and closing accounts cannot be read and are left out.
func (c *Client) OrgAccounts(ctx context.Context) ([]OrgAccount, error) {
	var accounts []OrgAccount
	pages := organizations.NewListAccountsPaginator(c.org, &organizations.ListAccountsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListAccounts.failed(err)
		}
		for _, a := range page.Accounts {
			if a.State == orgtypes.AccountStateActive || a.State == "" && a.Status == orgtypes.AccountStatusActive {
				accounts = append(accounts, OrgAccount{ID: aws.ToString(a.Id), Name: aws.ToString(a.Name)})
			}
		}
	}
	return accounts, nil
}

// RoleARN is the ARN of role in account, in partition. role is its name,
// after its path if it has one (see ValidateRole).
func RoleARN(partition, account, role string) string {
	return "arn:" + partition + ":iam::" + account + ":role/" + strings.TrimPrefix(role, "/")
}

// AssumeRole is a client for another account, with the same options as c
// (region, retries, timeouts, call log), whose credentials come from
// sts:AssumeRole into roleARN and are renewed before they expire, so a
// long --watch keeps reading. The role is assumed once here, so a role
// that is missing or does not trust the caller fails now, as an OpError.
func (c *Client) AssumeRole(ctx context.Context, roleARN string) (*Client, error) {
	cfg := c.cfg.Copy()
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(c.sts, roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "awssecure-status"
	}))
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, opAssumeRole(roleARN).failed(err)
	}
	return fromConfig(cfg), nil
}
