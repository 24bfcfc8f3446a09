package awsops

import (
	"context"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
)

// PublicAccessBlock is S3 Block Public Access for the whole account: each
// setting on overrides what any bucket or object says.
type PublicAccessBlock struct {
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

// BlockAllPublicAccess is the four settings on, as CIS 2.1.4 asks.
var BlockAllPublicAccess = PublicAccessBlock{true, true, true, true}

// On counts the settings that are on, of four.
func (b PublicAccessBlock) On() int {
	n := 0
	for _, on := range []bool{b.BlockPublicAcls, b.IgnorePublicAcls, b.BlockPublicPolicy, b.RestrictPublicBuckets} {
		if on {
			n++
		}
	}
	return n
}

var (
	opGetAccountPublicAccessBlock = operation{action: "s3:GetAccountPublicAccessBlock", doing: "read the account's S3 Block Public Access"}
	opPutAccountPublicAccessBlock = operation{action: "s3:PutAccountPublicAccessBlock", doing: "turn on S3 Block Public Access for the account"}
)

// newS3Control builds the S3 Control client. S3 Control puts the account
// id in front of the host name (123456789012.s3-control.us-east-1…); an
// endpoint the user gave (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3_CONTROL:
// a local emulator, a proxy) keeps its host as given, because
// 123456789012.127.0.0.1 resolves nowhere. The account id still travels in
// the x-amz-account-id header, which is how S3 Control reads it.
func newS3Control(cfg aws.Config) *s3control.Client {
	return s3control.NewFromConfig(cfg, func(o *s3control.Options) {
		o.EndpointResolverV2 = givenHost{s3control.NewDefaultEndpointResolverV2()}
	})
}

// givenHost resolves S3 Control's endpoint as the SDK does, then puts
// back the host of an endpoint the user gave.
type givenHost struct{ s3control.EndpointResolverV2 }

func (r givenHost) ResolveEndpoint(ctx context.Context, p s3control.EndpointParameters) (smithyendpoints.Endpoint, error) {
	ep, err := r.EndpointResolverV2.ResolveEndpoint(ctx, p)
	if err != nil || p.Endpoint == nil {
		return ep, err
	}
	given, err := url.Parse(*p.Endpoint)
	if err != nil {
		return ep, err
	}
	ep.URI.Host = given.Host
	return ep, nil
}

// PublicAccessBlock calls s3control:GetPublicAccessBlock for the account;
// an account that never had one is ErrNotFound (AWS answers
// NoSuchPublicAccessBlockConfiguration).
func (c *Client) PublicAccessBlock(ctx context.Context, accountID string) (PublicAccessBlock, error) {
	out, err := c.s3control.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(accountID)})
	if err != nil {
		return PublicAccessBlock{}, opGetAccountPublicAccessBlock.failed(err)
	}
	cfg := out.PublicAccessBlockConfiguration
	if cfg == nil {
		return PublicAccessBlock{}, nil
	}
	return PublicAccessBlock{
		BlockPublicAcls:       aws.ToBool(cfg.BlockPublicAcls),
		IgnorePublicAcls:      aws.ToBool(cfg.IgnorePublicAcls),
		BlockPublicPolicy:     aws.ToBool(cfg.BlockPublicPolicy),
		RestrictPublicBuckets: aws.ToBool(cfg.RestrictPublicBuckets),
	}, nil
}

// PutPublicAccessBlock calls s3control:PutPublicAccessBlock, which
// replaces the account's settings: running it twice changes nothing more.
func (c *Client) PutPublicAccessBlock(ctx context.Context, accountID string, b PublicAccessBlock) error {
	_, err := c.s3control.PutPublicAccessBlock(ctx, &s3control.PutPublicAccessBlockInput{
		AccountId: aws.String(accountID),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
			BlockPublicAcls:       aws.Bool(b.BlockPublicAcls),
			IgnorePublicAcls:      aws.Bool(b.IgnorePublicAcls),
			BlockPublicPolicy:     aws.Bool(b.BlockPublicPolicy),
			RestrictPublicBuckets: aws.Bool(b.RestrictPublicBuckets),
		},
	})
	return opPutAccountPublicAccessBlock.failed(err)
}
