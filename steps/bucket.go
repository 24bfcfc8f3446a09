package steps

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"

	"github.com/awssecure/awssecure/awsops"
)

// A bucket of our own: the CloudTrail step's log bucket and the billing
// step's report bucket are both found, named and guarded the same way.

// maxBucketNameTries bounds how many new names are drawn when one is taken.
const maxBucketNameTries = 5

// findOwnBucket is a bucket of ours named prefix… in region that an
// earlier, interrupted run made, so a rerun makes no second one; else a
// new name.
func findOwnBucket(ctx context.Context, acct Account, prefix, region string) (string, error) {
	names, err := acct.Buckets(ctx, prefix)
	if err != nil {
		return newBucketName(prefix), err
	}
	for _, name := range names {
		if r, err := acct.BucketRegion(ctx, name); err == nil && r == region {
			return name, nil
		}
	}
	return newBucketName(prefix), nil
}

// newBucketName is prefix and eight random lowercase letters and digits:
// bucket names are unique across all of AWS, and a guessable one could be
// taken first.
func newBucketName(prefix string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	suffix := []byte(rand.Text()[:8])
	for i, b := range suffix { // rand.Text is base32: upper case and 2–7
		suffix[i] = alphabet[int(b)%len(alphabet)]
	}
	return prefix + string(suffix)
}

// makeOwnBucket makes bucket in region, or takes it as it is when it is
// ours already; a name another account holds is replaced by a new one
// with the same prefix. Then it guards the bucket: Block Public Access,
// SSE-S3, owner enforced, and policy(name). Every call is safe to repeat.
// It returns the bucket's name and, when the name changed, why.
func makeOwnBucket(ctx context.Context, acct Account, bucket, prefix, region string, policy func(bucket string) string) (string, []string, error) {
	var said []string
	for try := 1; ; try++ {
		err := acct.CreateBucket(ctx, bucket, region)
		if errors.Is(err, awsops.ErrBucketTaken) && try < maxBucketNameTries {
			taken := bucket
			bucket = newBucketName(prefix)
			said = append(said, "The name "+taken+" is taken by another AWS account, so the bucket is "+bucket+".")
			continue
		}
		if err != nil && !errors.Is(err, awsops.ErrAlreadyExists) {
			return "", nil, err
		}
		break
	}
	for _, guard := range []func() error{
		func() error { return acct.BlockPublicAccess(ctx, bucket) },
		func() error { return acct.EncryptBucket(ctx, bucket) },
		func() error { return acct.EnforceBucketOwner(ctx, bucket) },
		func() error { return acct.SetBucketPolicy(ctx, bucket, policy(bucket)) },
	} {
		if err := guard(); err != nil {
			return "", nil, err
		}
	}
	return bucket, said, nil
}

// policyStatement is one statement of a bucket policy.
type policyStatement struct {
	Sid       string
	Effect    string
	Principal any
	Action    any
	Resource  any
	Condition map[string]map[string]any
}

// bucketPolicy is a bucket policy of the statements given, then one that
// denies every request to the bucket made without TLS.
func bucketPolicy(bucketARN string, allow ...policyStatement) string {
	doc := struct {
		Version   string
		Statement []policyStatement
	}{"2012-10-17", append(allow, policyStatement{"DenyInsecureTransport", "Deny", "*", "s3:*", []string{bucketARN, bucketARN + "/*"},
		map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}}})}
	out, _ := json.MarshalIndent(doc, "", "  ") // plain strings and maps: it cannot fail
	return string(out)
}
