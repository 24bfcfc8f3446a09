package awsops_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// wireErrorServer answers every call with an error carrying code in the
// caller's own protocol: REST-XML for S3, JSON with X-Amzn-ErrorType for
// CloudTrail, as AWS does, so the real SDK deserializes it.
func wireErrorServer(t *testing.T, status int, code string) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if awstest.IsS3(r) {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(status)
			fmt.Fprintf(w, `<Error><Code>%s</Code><Message>from the test server</Message><RequestId>1</RequestId></Error>`, code)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", code)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"__type":%q,"message":"from the test server"}`, code)
	}))
	t.Cleanup(srv.Close)
	awstest.UseServer(t, srv.URL)
}

// The codes CloudTrail and S3 answer with sort into the kinds the step
// acts on: a bucket name another account holds is taken (a new name is
// drawn), one of ours already exists (it is reused), a trail made twice
// already exists, and the limit and policy refusals have their sentences.
// moto answers none of the last three (see practiceOnlyTrailCases).
func TestTrailAndBucketErrorCodesMapToKinds(t *testing.T) {
	createBucket := func(ctx context.Context, c *awsops.Client) error {
		return c.CreateBucket(ctx, "aws-cloudtrail-logs-x", "eu-west-1")
	}
	createTrail := func(ctx context.Context, c *awsops.Client) error {
		_, err := c.CreateTrail(ctx, awsops.TrailSettings{Name: "management-events", Bucket: "b-b-b"})
		return err
	}
	for _, tc := range []struct {
		status int
		code   string
		call   func(context.Context, *awsops.Client) error
		want   error
	}{
		{409, "BucketAlreadyExists", createBucket, awsops.ErrBucketTaken},
		{409, "BucketAlreadyOwnedByYou", createBucket, awsops.ErrAlreadyExists},
		{403, "AccessDenied", createBucket, awsops.ErrAccessDenied},
		{404, "NoSuchBucket", func(ctx context.Context, c *awsops.Client) error { return c.BlockPublicAccess(ctx, "b-b-b") }, awsops.ErrNotFound},
		{400, "MalformedPolicy", func(ctx context.Context, c *awsops.Client) error { return c.SetBucketPolicy(ctx, "b-b-b", "{}") }, awsops.ErrInvalidInput},
		{400, "TrailAlreadyExistsException", createTrail, awsops.ErrAlreadyExists},
		{400, "MaximumNumberOfTrailsExceededException", createTrail, awsops.ErrTrailLimit},
		{400, "InsufficientS3BucketPolicyException", createTrail, awsops.ErrBucketPolicy},
		{400, "S3BucketDoesNotExistException", createTrail, awsops.ErrNotFound},
		{400, "AccessDeniedException", createTrail, awsops.ErrAccessDenied},
		{400, "TrailNotFoundException", func(ctx context.Context, c *awsops.Client) error {
			return c.StartLogging(ctx, "arn:aws:cloudtrail:us-east-1:123456789012:trail/ghost")
		}, awsops.ErrNotFound},
	} {
		t.Run(tc.code, func(t *testing.T) {
			wireErrorServer(t, tc.status, tc.code)
			c, err := awsops.New(awstest.Context(t), awsops.Options{})
			if err != nil {
				t.Fatal(err)
			}
			err = tc.call(awstest.Context(t), c)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != tc.code {
				t.Errorf("the SDK's error with code %s is lost: %v", tc.code, err)
			}
		})
	}
}
