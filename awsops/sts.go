package awsops

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Caller is who the credentials belong to.
type Caller struct {
	AccountID string
	ARN       string
	UserID    string
	// Temporary says the caller signs with temporary credentials (a
	// session token: CloudShell, a console or SSO sign-in, an assumed
	// role). IAM lists and deletes the root user's access keys only for a
	// caller signing with one of them (see Client.AccessKeys).
	Temporary bool
}

// IsRoot reports whether the caller is the account's root user, whose ARN
// is arn:PARTITION:iam::ACCOUNT:root.
func (c Caller) IsRoot() bool { return strings.HasSuffix(c.ARN, ":root") }

// Partition is the ARN partition of the caller's account ("aws",
// "aws-cn", "aws-us-gov"), needed to name AWS managed policies.
func (c Caller) Partition() string {
	parts := strings.SplitN(c.ARN, ":", 3)
	if len(parts) < 3 || parts[1] == "" {
		return "aws"
	}
	return parts[1]
}

// AdministratorAccessARN is the ARN of the AWS managed policy the
// administrators group gets, in the caller's partition.
func (c Caller) AdministratorAccessARN() string {
	return "arn:" + c.Partition() + ":iam::aws:policy/AdministratorAccess"
}

// opGetCallerIdentity is STS's one call, named once for both backends
// (see operation).
var opGetCallerIdentity = operation{action: "sts:GetCallerIdentity", doing: "identify caller"}

// WhoAmI calls sts:GetCallerIdentity.
func (c *Client) WhoAmI(ctx context.Context) (Caller, error) {
	out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Caller{}, opGetCallerIdentity.failed(err)
	}
	return Caller{
		AccountID: aws.ToString(out.Account),
		ARN:       aws.ToString(out.Arn),
		UserID:    aws.ToString(out.UserId),
		Temporary: c.temporary(ctx),
	}, nil
}

// temporary says whether the client signs with temporary credentials:
// its provider gives a session token (STS's, CloudShell's container
// credentials, SSO's), or a key id of STS's ASIA kind.
func (c *Client) temporary(ctx context.Context) bool {
	creds, err := c.cfg.Credentials.Retrieve(ctx)
	return err == nil && (creds.SessionToken != "" || strings.HasPrefix(creds.AccessKeyID, "ASIA"))
}

// Partition is the ARN partition of the client's region: what a role's
// ARN in another account of the organization is written with.
func (c *Client) Partition() string {
	switch {
	case strings.HasPrefix(c.region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(c.region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}
