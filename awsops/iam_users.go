package awsops

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// User is an IAM user as listings return it.
type User struct {
	Name    string
	ARN     string
	Created time.Time
}

// AccessKey is a freshly created access key: the only moment AWS hands out
// its secret.
type AccessKey struct {
	ID     string
	Secret Secret
}

// AccessKeyInfo is an existing access key, without its secret.
type AccessKeyInfo struct {
	ID     string
	Active bool
}

// The IAM calls on users, their passwords and their keys, named once for
// both backends (see operation).
var (
	opListUsers      = operation{action: "iam:ListUsers", doing: "list users"}
	opListAccessKeys = operation{action: "iam:ListAccessKeys", doing: "list access keys"}
)

func opCreateUser(name string) operation {
	return operation{action: "iam:CreateUser", doing: "create user " + name}
}

func opListGroupsForUser(user string) operation {
	return operation{action: "iam:ListGroupsForUser", doing: "list groups of user " + user}
}

func opCreateLoginProfile(user string) operation {
	return operation{action: "iam:CreateLoginProfile", doing: "create console password for " + user}
}

func opUpdateLoginProfile(user string) operation {
	return operation{action: "iam:UpdateLoginProfile", doing: "set console password for " + user}
}

func opGetLoginProfile(user string) operation {
	return operation{action: "iam:GetLoginProfile", doing: "read console password of " + user}
}

func opAttachUserPolicy(user, policyARN string) operation {
	return operation{action: "iam:AttachUserPolicy", doing: "attach " + policyARN + " to user " + user}
}

func opCreateAccessKey(user string) operation {
	return operation{action: "iam:CreateAccessKey", doing: "create access key for " + user}
}

func opDeleteAccessKey(keyID string) operation {
	return operation{action: "iam:DeleteAccessKey", doing: "delete access key " + keyID}
}

func opUpdateAccessKey(keyID string) operation {
	return operation{action: "iam:UpdateAccessKey", doing: "change the status of access key " + keyID}
}

// CreateUser calls iam:CreateUser.
func (c *Client) CreateUser(ctx context.Context, name string) (User, error) {
	if err := ValidateUserName(name); err != nil {
		return User{}, opCreateUser(name).refused(err)
	}
	out, err := c.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	if err != nil {
		return User{}, opCreateUser(name).failed(err)
	}
	return User{Name: aws.ToString(out.User.UserName), ARN: aws.ToString(out.User.Arn), Created: aws.ToTime(out.User.CreateDate)}, nil
}

// Users lists every IAM user, all pages.
func (c *Client) Users(ctx context.Context) ([]User, error) {
	var users []User
	pages := iam.NewListUsersPaginator(c.iam, &iam.ListUsersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListUsers.failed(err)
		}
		for _, u := range page.Users {
			users = append(users, User{Name: aws.ToString(u.UserName), ARN: aws.ToString(u.Arn), Created: aws.ToTime(u.CreateDate)})
		}
	}
	return users, nil
}

// UserGroups lists the names of the groups a user belongs to, all pages.
func (c *Client) UserGroups(ctx context.Context, user string) ([]string, error) {
	var names []string
	pages := iam.NewListGroupsForUserPaginator(c.iam, &iam.ListGroupsForUserInput{UserName: aws.String(user)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListGroupsForUser(user).failed(err)
		}
		for _, g := range page.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
	}
	return names, nil
}

// CreateLoginProfile gives a user a console password. With resetRequired
// the user must choose a new one at first sign-in, as the console's default.
// The password never appears in the returned error.
func (c *Client) CreateLoginProfile(ctx context.Context, user string, password Secret, resetRequired bool) error {
	_, err := c.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
		UserName:              aws.String(user),
		Password:              aws.String(password.Reveal()),
		PasswordResetRequired: resetRequired,
	})
	return opCreateLoginProfile(user).failed(err)
}

// UpdateLoginProfile sets a new console password for a user who has one.
// The steps use it when CreateLoginProfile's reply was lost but its work
// was done: the password shown must be the one AWS holds.
func (c *Client) UpdateLoginProfile(ctx context.Context, user string, password Secret, resetRequired bool) error {
	_, err := c.iam.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{
		UserName:              aws.String(user),
		Password:              aws.String(password.Reveal()),
		PasswordResetRequired: aws.Bool(resetRequired),
	})
	return opUpdateLoginProfile(user).failed(err)
}

// HasLoginProfile reports whether a user has a console password.
func (c *Client) HasLoginProfile(ctx context.Context, user string) (bool, error) {
	_, err := c.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(user)})
	err = opGetLoginProfile(user).failed(err)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNotFound):
		return false, nil
	default:
		return false, err
	}
}

// LoginProfile is a user's console password as IAM tells of it: never
// the password itself.
type LoginProfile struct {
	Created time.Time
	// ResetRequired says the user must choose a new password at the next
	// sign-in: still true, nobody has signed in with the one set.
	ResetRequired bool
}

// LoginProfile reads a user's console password (iam:GetLoginProfile); ok
// is false when the user has none.
func (c *Client) LoginProfile(ctx context.Context, user string) (profile LoginProfile, ok bool, err error) {
	out, err := c.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(user)})
	err = opGetLoginProfile(user).failed(err)
	switch {
	case errors.Is(err, ErrNotFound):
		return LoginProfile{}, false, nil
	case err != nil:
		return LoginProfile{}, false, err
	}
	return LoginProfile{Created: aws.ToTime(out.LoginProfile.CreateDate), ResetRequired: out.LoginProfile.PasswordResetRequired}, true, nil
}

// AttachUserPolicy calls iam:AttachUserPolicy.
func (c *Client) AttachUserPolicy(ctx context.Context, user, policyARN string) error {
	_, err := c.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(policyARN)})
	return opAttachUserPolicy(user, policyARN).failed(err)
}

// CreateAccessKey calls iam:CreateAccessKey for user.
func (c *Client) CreateAccessKey(ctx context.Context, user string) (AccessKey, error) {
	out, err := c.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	if err != nil {
		return AccessKey{}, opCreateAccessKey(user).failed(err)
	}
	return AccessKey{ID: aws.ToString(out.AccessKey.AccessKeyId), Secret: NewSecret(aws.ToString(out.AccessKey.SecretAccessKey))}, nil
}

// AccessKeys lists a user's access keys. An empty user means the caller's
// own keys, which is how the root user's keys are listed.
func (c *Client) AccessKeys(ctx context.Context, user string) ([]AccessKeyInfo, error) {
	in := &iam.ListAccessKeysInput{}
	if user != "" {
		in.UserName = aws.String(user)
	}
	var keys []AccessKeyInfo
	pages := iam.NewListAccessKeysPaginator(c.iam, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListAccessKeys.failed(err)
		}
		for _, k := range page.AccessKeyMetadata {
			keys = append(keys, AccessKeyInfo{ID: aws.ToString(k.AccessKeyId), Active: k.Status == "Active"})
		}
	}
	return keys, nil
}

// DeleteAccessKey deletes a key. The user step deletes with it any key
// whose secret it does not hold. An empty user means one of the caller's
// own keys: how the handoff, signed in as root, deletes root's keys.
func (c *Client) DeleteAccessKey(ctx context.Context, user, keyID string) error {
	in := &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(keyID)}
	if user != "" {
		in.UserName = aws.String(user)
	}
	_, err := c.iam.DeleteAccessKey(ctx, in)
	return opDeleteAccessKey(keyID).failed(err)
}

// SetAccessKeyActive makes a key Active or Inactive (iam:UpdateAccessKey):
// an inactive key signs nothing until it is made active again, so the
// handoff can stop a root key something may still use without losing it.
// An empty user means one of the caller's own keys.
func (c *Client) SetAccessKeyActive(ctx context.Context, user, keyID string, active bool) error {
	in := &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(keyID), Status: types.StatusTypeInactive}
	if active {
		in.Status = types.StatusTypeActive
	}
	if user != "" {
		in.UserName = aws.String(user)
	}
	_, err := c.iam.UpdateAccessKey(ctx, in)
	return opUpdateAccessKey(keyID).failed(err)
}
