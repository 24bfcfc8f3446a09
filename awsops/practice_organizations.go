package awsops

import "context"

// Organization answers as AWS does for an account in no organization:
// the practice account is one account alone.
func (p *Practice) Organization(ctx context.Context) (Organization, error) {
	return practiceRead(ctx, p, opDescribeOrganization, func(*practiceState) (Organization, error) {
		return Organization{}, replyNotInOrganization()
	})
}

// OrgAccounts answers as Organization does.
func (p *Practice) OrgAccounts(ctx context.Context) ([]OrgAccount, error) {
	return practiceRead(ctx, p, opListAccounts, func(*practiceState) ([]OrgAccount, error) {
		return nil, replyNotInOrganization()
	})
}
