package awsops

import (
	"context"
	"errors"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// The IAM calls on a role a service takes (EventBridge, to forward events
// from one region to another), named once for both backends.

func opCreateRole(name string) operation {
	return operation{action: "iam:CreateRole", doing: "create role " + name}
}

func opUpdateAssumeRolePolicy(name string) operation {
	return operation{action: "iam:UpdateAssumeRolePolicy", doing: "set who may take role " + name}
}

func opPutRolePolicy(role, policy string) operation {
	return operation{action: "iam:PutRolePolicy", doing: "set policy " + policy + " of role " + role}
}

func opGetRolePolicy(role, policy string) operation {
	return operation{action: "iam:GetRolePolicy", doing: "read policy " + policy + " of role " + role}
}

// ValidateRoleName applies IAM's role name rules: 1-64 of [A-Za-z0-9+=,.@_-].
func ValidateRoleName(name string) error { return validateName("role", name, 64) }

// ValidateRolePolicyName applies IAM's inline policy name rules: 1-128 of
// [A-Za-z0-9+=,.@_-].
func ValidateRolePolicyName(name string) error { return validateName("policy", name, 128) }

// CreateRole calls iam:CreateRole: a role the principals of trust (a
// policy document) may take. A role of that name wraps ErrAlreadyExists.
func (c *Client) CreateRole(ctx context.Context, name, trust, description string) error {
	op := opCreateRole(name)
	if err := errors.Join(ValidateRoleName(name), validDocument(trust)); err != nil {
		return op.refused(err)
	}
	_, err := c.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust),
		Description: aws.String(description)})
	return op.failed(err)
}

// SetRoleTrust calls iam:UpdateAssumeRolePolicy: who may take the role is
// trust, whole.
func (c *Client) SetRoleTrust(ctx context.Context, name, trust string) error {
	op := opUpdateAssumeRolePolicy(name)
	if err := errors.Join(ValidateRoleName(name), validDocument(trust)); err != nil {
		return op.refused(err)
	}
	_, err := c.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(name), PolicyDocument: aws.String(trust)})
	return op.failed(err)
}

// PutRolePolicy calls iam:PutRolePolicy: the role's inline policy of that
// name is document, whole; running it twice changes nothing more.
func (c *Client) PutRolePolicy(ctx context.Context, role, name, document string) error {
	op := opPutRolePolicy(role, name)
	if err := errors.Join(ValidateRoleName(role), ValidateRolePolicyName(name), validDocument(document)); err != nil {
		return op.refused(err)
	}
	_, err := c.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name), PolicyDocument: aws.String(document)})
	return op.failed(err)
}

// RolePolicy calls iam:GetRolePolicy and returns the inline policy's
// document. A role or policy that does not exist wraps ErrNotFound.
func (c *Client) RolePolicy(ctx context.Context, role, name string) (string, error) {
	op := opGetRolePolicy(role, name)
	if err := errors.Join(ValidateRoleName(role), ValidateRolePolicyName(name)); err != nil {
		return "", op.refused(err)
	}
	out, err := c.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name)})
	if err != nil {
		return "", op.failed(err)
	}
	// IAM sends policy documents URL-encoded (RFC 3986).
	doc, err := url.PathUnescape(aws.ToString(out.PolicyDocument))
	if err != nil {
		return aws.ToString(out.PolicyDocument), nil
	}
	return doc, nil
}

// validDocument refuses what is not a policy document, as IAM would
// (MalformedPolicyDocument).
func validDocument(doc string) error {
	if _, err := parsePolicy(doc); err != nil {
		return errors.New("a policy document is a JSON object")
	}
	return nil
}
