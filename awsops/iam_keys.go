package awsops

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// KeyUse is when and where an access key was last used, as IAM records
// it (to the hour or so); a zero LastUsed means never.
type KeyUse struct {
	LastUsed time.Time
	Service  string // e.g. "s3"; "" when never used
	Region   string
}

func opGetAccessKeyLastUsed(keyID string) operation {
	return operation{action: "iam:GetAccessKeyLastUsed", doing: "read when access key " + keyID + " was last used"}
}

// AccessKeyLastUsed calls iam:GetAccessKeyLastUsed: before deleting a root
// key, the user sees whether anything still uses it.
func (c *Client) AccessKeyLastUsed(ctx context.Context, keyID string) (KeyUse, error) {
	out, err := c.iam.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(keyID)})
	if err != nil {
		return KeyUse{}, opGetAccessKeyLastUsed(keyID).failed(err)
	}
	var use KeyUse
	if u := out.AccessKeyLastUsed; u != nil {
		use.LastUsed = aws.ToTime(u.LastUsedDate)
		// IAM says "N/A" for a key never used.
		if s := aws.ToString(u.ServiceName); s != "N/A" {
			use.Service = s
		}
		if r := aws.ToString(u.Region); r != "N/A" {
			use.Region = r
		}
	}
	return use, nil
}
