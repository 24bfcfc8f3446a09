package awsops

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// practiceBucket is one of the practice account's S3 buckets.
type practiceBucket struct {
	Region              string
	PublicAccessBlocked bool
	Encryption          string
	Ownership           string
	Policy              string
	ExpiryDays          int
	ExpiryPrefix        string
}

// CreateBucket creates a bucket, as S3 does: a name another account holds
// is taken; one of ours is "already owned by you", except in us-east-1,
// where S3 answers success.
func (p *Practice) CreateBucket(ctx context.Context, name, region string) error {
	op := opCreateBucket(name, region)
	if err := ValidateBucketName(name); err != nil {
		return op.refused(err)
	}
	if err := ValidateRegion(region); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		switch {
		case slices.Contains(st.OtherBuckets, name):
			return false, replyBucketTaken()
		case st.Buckets[name] != nil && region == "us-east-1" && st.Buckets[name].Region == region:
			return false, nil
		case st.Buckets[name] != nil:
			return false, replyBucketOwnedByYou()
		}
		st.Buckets[name] = &practiceBucket{Region: region}
		return true, nil
	})
}

// Buckets lists our bucket names that begin with prefix, sorted as S3 lists them.
func (p *Practice) Buckets(ctx context.Context, prefix string) ([]string, error) {
	return practiceRead(ctx, p, opListBuckets(prefix), func(st *practiceState) ([]string, error) {
		var names []string
		for _, name := range slices.Sorted(maps.Keys(st.Buckets)) {
			if strings.HasPrefix(name, prefix) {
				names = append(names, name)
			}
		}
		return names, nil
	})
}

// BucketRegion is the region the bucket was made in.
func (p *Practice) BucketRegion(ctx context.Context, name string) (string, error) {
	return practiceRead(ctx, p, opGetBucketLocation(name), func(st *practiceState) (string, error) {
		b, err := st.bucket(name)
		if err != nil {
			return "", err
		}
		return b.Region, nil
	})
}

// BlockPublicAccess turns on the bucket's four Block Public Access settings.
func (p *Practice) BlockPublicAccess(ctx context.Context, name string) error {
	return p.changeBucket(ctx, opPutPublicAccessBlock(name), name, func(b *practiceBucket) { b.PublicAccessBlocked = true })
}

// EncryptBucket makes SSE-S3 the bucket's default encryption.
func (p *Practice) EncryptBucket(ctx context.Context, name string) error {
	return p.changeBucket(ctx, opPutBucketEncryption(name), name, func(b *practiceBucket) { b.Encryption = EncryptionSSES3 })
}

// EnforceBucketOwner sets BucketOwnerEnforced.
func (p *Practice) EnforceBucketOwner(ctx context.Context, name string) error {
	return p.changeBucket(ctx, opPutBucketOwnershipControls(name), name, func(b *practiceBucket) { b.Ownership = OwnershipEnforced })
}

// SetBucketPolicy replaces the bucket's policy; it must be a JSON policy.
func (p *Practice) SetBucketPolicy(ctx context.Context, name, policy string) error {
	if _, err := parsePolicy(policy); err != nil {
		return p.write(ctx, opPutBucketPolicy(name), func(*practiceState) (bool, error) { return false, replyMalformedPolicy() })
	}
	return p.changeBucket(ctx, opPutBucketPolicy(name), name, func(b *practiceBucket) { b.Policy = policy })
}

// ExpireObjects sets the bucket's one expiry rule.
func (p *Practice) ExpireObjects(ctx context.Context, name, prefix string, days int) error {
	op := opPutBucketLifecycle(name)
	if err := ValidateExpiryDays(days); err != nil {
		return op.refused(err)
	}
	return p.changeBucket(ctx, op, name, func(b *practiceBucket) { b.ExpiryDays, b.ExpiryPrefix = days, prefix })
}

// BucketSettings reads back how the bucket is guarded.
func (p *Practice) BucketSettings(ctx context.Context, name string) (BucketSettings, error) {
	return practiceRead(ctx, p, opGetBucketSettings(name), func(st *practiceState) (BucketSettings, error) {
		b, err := st.bucket(name)
		if err != nil {
			return BucketSettings{}, err
		}
		return BucketSettings{PublicAccessBlocked: b.PublicAccessBlocked, Encryption: b.Encryption, Ownership: b.Ownership,
			Policy: b.Policy, ExpiryDays: b.ExpiryDays, ExpiryPrefix: b.ExpiryPrefix}, nil
	})
}

// changeBucket runs change on an existing bucket as the call op; setting
// a setting again changes nothing.
func (p *Practice) changeBucket(ctx context.Context, op operation, name string, change func(b *practiceBucket)) error {
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		b, err := st.bucket(name)
		if err != nil {
			return false, err
		}
		before := *b
		change(b)
		return *b != before, nil
	})
}

func (st *practiceState) bucket(name string) (*practiceBucket, error) {
	if b := st.Buckets[name]; b != nil {
		return b, nil
	}
	return nil, replyNoSuchBucket(name)
}
