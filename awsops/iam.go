package awsops

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// The IAM calls on the account, its groups and its alias, named once for
// both backends (see operation).
var (
	opGetAccountSummary           = operation{action: "iam:GetAccountSummary", doing: "read account summary"}
	opGetAccountPasswordPolicy    = operation{action: "iam:GetAccountPasswordPolicy", doing: "read password policy"}
	opUpdateAccountPasswordPolicy = operation{action: "iam:UpdateAccountPasswordPolicy", doing: "set password policy"}
	opListGroups                  = operation{action: "iam:ListGroups", doing: "list groups"}
	opListAccountAliases          = operation{action: "iam:ListAccountAliases", doing: "read account alias"}
)

func opCreateGroup(name string) operation {
	return operation{action: "iam:CreateGroup", doing: "create group " + name}
}

func opListAttachedGroupPolicies(group string) operation {
	return operation{action: "iam:ListAttachedGroupPolicies", doing: "list policies of group " + group}
}

func opAttachGroupPolicy(group, policyARN string) operation {
	return operation{action: "iam:AttachGroupPolicy", doing: "attach " + policyARN + " to group " + group}
}

func opAddUserToGroup(user, group string) operation {
	return operation{action: "iam:AddUserToGroup", doing: "add user " + user + " to group " + group}
}

// opCreateAccountAlias re-sorts EntityAlreadyExists: aliases are unique
// across all of AWS, so it means that another account holds the alias, and
// the error wraps ErrAliasTaken rather than ErrAlreadyExists.
func opCreateAccountAlias(alias string) operation {
	return operation{action: "iam:CreateAccountAlias", doing: "create account alias " + alias,
		kinds: map[error]error{ErrAlreadyExists: ErrAliasTaken}}
}

// AccountSummary is what iam:GetAccountSummary tells about the root user.
type AccountSummary struct {
	RootMFAEnabled        bool
	RootAccessKeysPresent bool
	// RootPasswordKnown is whether the summary said if the root user has
	// a password (AccountPasswordPresent), and RootPasswordPresent what
	// it said. AWS added the key for centralized root access, where a
	// member account's root may have no password; an answer without it
	// (an emulator's, an older one) tells nothing, never "no password".
	RootPasswordKnown   bool
	RootPasswordPresent bool
	// RootCertificatesPresent is AccountSigningCertificatesPresent: the
	// root user's X.509 signing certificates, a credential too.
	RootCertificatesPresent bool
	// MFADevicesInUse counts the MFA devices of every kind (virtual,
	// hardware, security keys) assigned to the account's users.
	MFADevicesInUse int
}

// AccountSummary calls iam:GetAccountSummary.
func (c *Client) AccountSummary(ctx context.Context) (AccountSummary, error) {
	out, err := c.iam.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		return AccountSummary{}, opGetAccountSummary.failed(err)
	}
	password, known := out.SummaryMap[string(types.SummaryKeyTypeAccountPasswordPresent)]
	return AccountSummary{
		RootMFAEnabled:          out.SummaryMap[string(types.SummaryKeyTypeAccountMFAEnabled)] > 0,
		RootAccessKeysPresent:   out.SummaryMap[string(types.SummaryKeyTypeAccountAccessKeysPresent)] > 0,
		RootPasswordKnown:       known,
		RootPasswordPresent:     password > 0,
		RootCertificatesPresent: out.SummaryMap[string(types.SummaryKeyTypeAccountSigningCertificatesPresent)] > 0,
		MFADevicesInUse:         int(out.SummaryMap[string(types.SummaryKeyTypeMFADevicesInUse)]),
	}, nil
}

// PasswordPolicy is the account's password policy for IAM users.
type PasswordPolicy struct {
	MinimumLength      int
	RequireUppercase   bool
	RequireLowercase   bool
	RequireNumbers     bool
	RequireSymbols     bool
	AllowUsersToChange bool
	ReusePrevention    int // 0 means not enforced
	MaxAgeDays         int // 0 means passwords never expire
	HardExpiry         bool
}

// PasswordPolicy calls iam:GetAccountPasswordPolicy. An account without a
// policy returns an error wrapping ErrNotFound.
func (c *Client) PasswordPolicy(ctx context.Context) (PasswordPolicy, error) {
	out, err := c.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil {
		return PasswordPolicy{}, opGetAccountPasswordPolicy.failed(err)
	}
	p := out.PasswordPolicy
	return PasswordPolicy{
		MinimumLength:      int(aws.ToInt32(p.MinimumPasswordLength)),
		RequireUppercase:   p.RequireUppercaseCharacters,
		RequireLowercase:   p.RequireLowercaseCharacters,
		RequireNumbers:     p.RequireNumbers,
		RequireSymbols:     p.RequireSymbols,
		AllowUsersToChange: p.AllowUsersToChangePassword,
		ReusePrevention:    int(aws.ToInt32(p.PasswordReusePrevention)),
		MaxAgeDays:         int(aws.ToInt32(p.MaxPasswordAge)),
		HardExpiry:         aws.ToBool(p.HardExpiry),
	}, nil
}

// SetPasswordPolicy calls iam:UpdateAccountPasswordPolicy, which creates or
// replaces the policy; running it twice is harmless.
func (c *Client) SetPasswordPolicy(ctx context.Context, p PasswordPolicy) error {
	if err := ValidatePasswordPolicy(p); err != nil {
		return opUpdateAccountPasswordPolicy.refused(err)
	}
	in := &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength:      aws.Int32(int32(p.MinimumLength)),
		RequireUppercaseCharacters: p.RequireUppercase,
		RequireLowercaseCharacters: p.RequireLowercase,
		RequireNumbers:             p.RequireNumbers,
		RequireSymbols:             p.RequireSymbols,
		AllowUsersToChangePassword: p.AllowUsersToChange,
		HardExpiry:                 aws.Bool(p.HardExpiry),
	}
	// Zero means "not enforced"; AWS rejects an explicit 0 for both.
	if p.ReusePrevention > 0 {
		in.PasswordReusePrevention = aws.Int32(int32(p.ReusePrevention))
	}
	if p.MaxAgeDays > 0 {
		in.MaxPasswordAge = aws.Int32(int32(p.MaxAgeDays))
	}
	_, err := c.iam.UpdateAccountPasswordPolicy(ctx, in)
	return opUpdateAccountPasswordPolicy.failed(err)
}

// CreateGroup calls iam:CreateGroup.
func (c *Client) CreateGroup(ctx context.Context, name string) error {
	if err := ValidateGroupName(name); err != nil {
		return opCreateGroup(name).refused(err)
	}
	_, err := c.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(name)})
	return opCreateGroup(name).failed(err)
}

// Groups lists every IAM group's name, all pages.
func (c *Client) Groups(ctx context.Context) ([]string, error) {
	var names []string
	pages := iam.NewListGroupsPaginator(c.iam, &iam.ListGroupsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListGroups.failed(err)
		}
		for _, g := range page.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
	}
	return names, nil
}

// GroupPolicies lists the ARNs of the managed policies attached to a group.
func (c *Client) GroupPolicies(ctx context.Context, group string) ([]string, error) {
	var arns []string
	pages := iam.NewListAttachedGroupPoliciesPaginator(c.iam, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(group)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListAttachedGroupPolicies(group).failed(err)
		}
		for _, p := range page.AttachedPolicies {
			arns = append(arns, aws.ToString(p.PolicyArn))
		}
	}
	return arns, nil
}

// AttachGroupPolicy calls iam:AttachGroupPolicy; attaching twice is harmless in IAM.
func (c *Client) AttachGroupPolicy(ctx context.Context, group, policyARN string) error {
	_, err := c.iam.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(group), PolicyArn: aws.String(policyARN)})
	return opAttachGroupPolicy(group, policyARN).failed(err)
}

// EnsureGroupWithPolicy makes sure group exists with policyARN attached,
// creating only what is missing. It reports whether it changed anything.
func (c *Client) EnsureGroupWithPolicy(ctx context.Context, group, policyARN string) (bool, error) {
	return ensureGroupWithPolicy(ctx, c, group, policyARN)
}

// AddUserToGroup calls iam:AddUserToGroup; adding twice is harmless in IAM.
func (c *Client) AddUserToGroup(ctx context.Context, user, group string) error {
	_, err := c.iam.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(user), GroupName: aws.String(group)})
	return opAddUserToGroup(user, group).failed(err)
}

// EnsureUserInGroup adds user to group unless already a member, and
// reports whether it did.
func (c *Client) EnsureUserInGroup(ctx context.Context, user, group string) (bool, error) {
	return ensureUserInGroup(ctx, c, user, group)
}

// AccountAlias returns the account's alias, or "" if it has none.
func (c *Client) AccountAlias(ctx context.Context) (string, error) {
	out, err := c.iam.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
	if err != nil {
		return "", opListAccountAliases.failed(err)
	}
	if len(out.AccountAliases) == 0 {
		return "", nil
	}
	return out.AccountAliases[0], nil
}

// CreateAccountAlias calls iam:CreateAccountAlias. An alias another
// account holds fails with ErrAliasTaken (see opCreateAccountAlias).
func (c *Client) CreateAccountAlias(ctx context.Context, alias string) error {
	if err := ValidateAlias(alias); err != nil {
		return opCreateAccountAlias(alias).refused(err)
	}
	_, err := c.iam.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(alias)})
	return opCreateAccountAlias(alias).failed(err)
}

var opGetAccountAuthorizationDetails = operation{action: "iam:GetAccountAuthorizationDetails", doing: "read users and groups"}

// AuthorizationDetails is who is in which group, which managed policies
// each group has and which policies are on each user, read in bulk:
// status reads a whole account in a number of calls that does not grow
// with its users.
type AuthorizationDetails struct {
	Users  []UserDetail
	Groups []GroupDetail
}

// UserDetail is one user of AuthorizationDetails: its groups, and the
// policies on the user itself (CIS 1.15 wants none): the ARNs of the
// managed policies attached to it and the names of its inline policies.
type UserDetail struct {
	Name           string
	Created        time.Time
	Groups         []string
	Policies       []string
	InlinePolicies []string
}

// GroupDetail is one group of AuthorizationDetails: its name and the ARNs
// of its attached managed policies.
type GroupDetail struct {
	Name     string
	Policies []string
}

// authorizationDetailsPage is the most entities IAM returns in one page
// of GetAccountAuthorizationDetails or ListVirtualMFADevices.
const authorizationDetailsPage = 1000

// AuthorizationDetails calls iam:GetAccountAuthorizationDetails for users
// and groups, all pages (a thousand entities each).
func (c *Client) AuthorizationDetails(ctx context.Context) (AuthorizationDetails, error) {
	var d AuthorizationDetails
	pages := iam.NewGetAccountAuthorizationDetailsPaginator(c.iam, &iam.GetAccountAuthorizationDetailsInput{
		Filter:   []types.EntityType{types.EntityTypeUser, types.EntityTypeGroup},
		MaxItems: aws.Int32(authorizationDetailsPage),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return AuthorizationDetails{}, opGetAccountAuthorizationDetails.failed(err)
		}
		for _, u := range page.UserDetailList {
			user := UserDetail{Name: aws.ToString(u.UserName), Created: aws.ToTime(u.CreateDate), Groups: u.GroupList}
			for _, p := range u.AttachedManagedPolicies {
				user.Policies = append(user.Policies, aws.ToString(p.PolicyArn))
			}
			for _, p := range u.UserPolicyList {
				user.InlinePolicies = append(user.InlinePolicies, aws.ToString(p.PolicyName))
			}
			d.Users = append(d.Users, user)
		}
		for _, g := range page.GroupDetailList {
			group := GroupDetail{Name: aws.ToString(g.GroupName)}
			for _, p := range g.AttachedManagedPolicies {
				group.Policies = append(group.Policies, aws.ToString(p.PolicyArn))
			}
			d.Groups = append(d.Groups, group)
		}
	}
	return d, nil
}

var opListOrganizationsFeatures = operation{action: "iam:ListOrganizationsFeatures", doing: "read the organization's centralized root access features"}

// The features of centralized root access, as ListOrganizationsFeatures
// names them: RootCredentialsManagement lets the management account
// delete (and forbid) member accounts' root credentials; RootSessions
// lets it act as a member's root for a few tasks.
const (
	FeatureRootCredentialsManagement = "RootCredentialsManagement"
	FeatureRootSessions              = "RootSessions"
)

// OrganizationFeatures calls iam:ListOrganizationsFeatures: the
// centralized root access features the organization has turned on for
// its member accounts. Only the management account, or IAM's delegated
// administrator, may ask; an account in no organization fails with
// ErrNotInOrganization.
func (c *Client) OrganizationFeatures(ctx context.Context) ([]string, error) {
	out, err := c.iam.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	if err != nil {
		return nil, opListOrganizationsFeatures.failed(err)
	}
	var features []string
	for _, f := range out.EnabledFeatures {
		features = append(features, string(f))
	}
	return features, nil
}
