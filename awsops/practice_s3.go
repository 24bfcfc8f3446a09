package awsops

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// practiceBucket is one of the practice account's S3 buckets.
type practiceBucket struct {
	Region              string
	PublicAccessBlocked bool
	Encryption          string
	Ownership           string
	Policy              string
	Tags                map[string]string `json:",omitempty"`
	Rules               []LifecycleRule   `json:",omitempty"` // the lifecycle configuration, in order
	// Objects are the keys of the objects it holds: the practice
	// account's trails and reports write none; the tests put some.
	Objects []string `json:",omitempty"`
	// ExpiryDays and ExpiryPrefix are an older practice file's one
	// lifecycle rule, awssecure's; loading the file moves it into Rules.
	ExpiryDays   int    `json:",omitempty"`
	ExpiryPrefix string `json:",omitempty"`
}

// CreateBucket creates a bucket with tags, as S3 does: a name another
// account holds is taken; one of ours is "already owned by you", except in
// us-east-1, where S3 answers success and the bucket keeps its own tags.
// A tag S3 refuses (an aws: key, too long, the same key twice) refuses
// the bucket with it.
func (p *Practice) CreateBucket(ctx context.Context, name, region string, tags ...BucketTag) error {
	op := opCreateBucket(name, region)
	if err := ValidateBucketName(name); err != nil {
		return op.refused(err)
	}
	if err := ValidateRegion(region); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		var set map[string]string
		for _, t := range tags {
			if err := validateTag(t.Key, t.Value); err != nil {
				return false, err
			}
			if _, twice := set[t.Key]; twice {
				return false, replyInvalidTag("Cannot provide multiple Tags with the same key")
			}
			if set == nil {
				set = map[string]string{}
			}
			set[t.Key] = t.Value
		}
		switch {
		case slices.Contains(st.OtherBuckets, name):
			return false, replyBucketTaken()
		case st.Buckets[name] != nil && region == "us-east-1" && st.Buckets[name].Region == region:
			return false, nil
		case st.Buckets[name] != nil:
			return false, replyBucketOwnedByYou()
		}
		st.Buckets[name] = &practiceBucket{Region: region, Tags: set}
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
	return p.changeBucket(ctx, opPutPublicAccessBlock(name), name, func(b *practiceBucket) bool {
		return assign(&b.PublicAccessBlocked, true)
	})
}

// EncryptBucket makes SSE-S3 the bucket's default encryption.
func (p *Practice) EncryptBucket(ctx context.Context, name string) error {
	return p.changeBucket(ctx, opPutBucketEncryption(name), name, func(b *practiceBucket) bool {
		return assign(&b.Encryption, EncryptionSSES3)
	})
}

// EnforceBucketOwner sets BucketOwnerEnforced.
func (p *Practice) EnforceBucketOwner(ctx context.Context, name string) error {
	return p.changeBucket(ctx, opPutBucketOwnershipControls(name), name, func(b *practiceBucket) bool {
		return assign(&b.Ownership, OwnershipEnforced)
	})
}

// SetBucketPolicy replaces the bucket's policy; it must be a JSON policy.
func (p *Practice) SetBucketPolicy(ctx context.Context, name, policy string) error {
	if _, err := parsePolicy(policy); err != nil {
		return p.write(ctx, opPutBucketPolicy(name), func(*practiceState) (bool, error) { return false, replyMalformedPolicy() })
	}
	return p.changeBucket(ctx, opPutBucketPolicy(name), name, func(b *practiceBucket) bool { return assign(&b.Policy, policy) })
}

// BucketPolicy reads the bucket's policy, "" for none.
func (p *Practice) BucketPolicy(ctx context.Context, name string) (string, error) {
	return practiceRead(ctx, p, opGetBucketPolicy(name), func(st *practiceState) (string, error) {
		b, err := st.bucket(name)
		if err != nil {
			return "", err
		}
		return b.Policy, nil
	})
}

// AddExpiryRule adds awssecure's expiry rule beside the bucket's rules,
// as the client does: the rule there already changes nothing, one of its
// ID that says otherwise is not replaced.
func (p *Practice) AddExpiryRule(ctx context.Context, name, prefix string, days int) error {
	op := opPutBucketLifecycle(name)
	if err := ValidateExpiryDays(days); err != nil {
		return op.refused(err)
	}
	var stop error
	err := p.write(ctx, op, func(st *practiceState) (bool, error) {
		b, err := st.bucket(name)
		if err != nil {
			return false, err
		}
		want := expiryRule(prefix, days)
		for _, have := range b.Rules {
			switch {
			case have.ID != ExpiryRuleID:
			case have != want:
				stop = op.wouldReplace(expiryDiffers(name, have, want))
				return false, nil
			default:
				return false, nil
			}
		}
		if len(b.Rules) >= maxLifecycleRules {
			stop = op.refused(fmt.Errorf("bucket %s has %d lifecycle rules, the most S3 allows", name, len(b.Rules)))
			return false, nil
		}
		b.Rules = append(b.Rules, want)
		return true, nil
	})
	if err != nil {
		return err
	}
	return stop
}

// BucketLifecycle reads the bucket's lifecycle rules.
func (p *Practice) BucketLifecycle(ctx context.Context, name string) ([]LifecycleRule, error) {
	return practiceRead(ctx, p, opGetBucketLifecycle(name), func(st *practiceState) ([]LifecycleRule, error) {
		b, err := st.bucket(name)
		if err != nil {
			return nil, err
		}
		return slices.Clone(b.Rules), nil
	})
}

// BucketTags reads the bucket's tags.
func (p *Practice) BucketTags(ctx context.Context, name string) (map[string]string, error) {
	return practiceRead(ctx, p, opGetBucketTagging(name), func(st *practiceState) (map[string]string, error) {
		b, err := st.bucket(name)
		if err != nil {
			return nil, err
		}
		tags := maps.Clone(b.Tags)
		if tags == nil {
			tags = map[string]string{}
		}
		return tags, nil
	})
}

// TagBucket adds a tag beside the bucket's tags, as the client does; S3
// refuses a key that begins with aws: and keys or values too long.
func (p *Practice) TagBucket(ctx context.Context, name, key, value string) error {
	op := opPutBucketTagging(name)
	var stop error
	err := p.write(ctx, op, func(st *practiceState) (bool, error) {
		b, err := st.bucket(name)
		if err != nil {
			return false, err
		}
		if err := validateTag(key, value); err != nil {
			return false, err
		}
		tags := maps.Clone(b.Tags)
		if tags == nil {
			tags = map[string]string{}
		}
		added, err := addTag(op, name, tags, key, value)
		if added {
			b.Tags = tags
		}
		stop = err
		return added, nil
	})
	if err != nil {
		return err
	}
	return stop
}

// validateTag answers as S3 does a tag it refuses.
func validateTag(key, value string) error {
	switch {
	case strings.HasPrefix(key, "aws:"):
		return replyInvalidTag("System tags cannot be added/updated by requester")
	case key == "" || utf8.RuneCountInString(key) > 128:
		return replyInvalidTag("The TagKey you have provided is invalid")
	case utf8.RuneCountInString(value) > 256:
		return replyInvalidTag("The TagValue you have provided is invalid")
	}
	return nil
}

// BucketHasObjects says whether the bucket holds an object.
func (p *Practice) BucketHasObjects(ctx context.Context, name string) (bool, error) {
	return practiceRead(ctx, p, opListObjectVersions(name), func(st *practiceState) (bool, error) {
		b, err := st.bucket(name)
		if err != nil {
			return false, err
		}
		return len(b.Objects) > 0, nil
	})
}

// BucketSettings reads back how the bucket is guarded; its expiry is
// the last enabled rule that deletes by age, as the client reads it.
func (p *Practice) BucketSettings(ctx context.Context, name string) (BucketSettings, error) {
	return practiceRead(ctx, p, opGetBucketSettings(name), func(st *practiceState) (BucketSettings, error) {
		b, err := st.bucket(name)
		if err != nil {
			return BucketSettings{}, err
		}
		set := BucketSettings{PublicAccessBlocked: b.PublicAccessBlocked, Encryption: b.Encryption, Ownership: b.Ownership, Policy: b.Policy}
		for _, r := range b.Rules {
			if r.Enabled && r.ExpireDays > 0 {
				set.ExpiryDays, set.ExpiryPrefix = r.ExpireDays, r.Prefix
			}
		}
		return set, nil
	})
}

// changeBucket runs change on an existing bucket as the call op; change
// says whether it changed anything (setting a setting again does not).
func (p *Practice) changeBucket(ctx context.Context, op operation, name string, change func(b *practiceBucket) bool) error {
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		b, err := st.bucket(name)
		if err != nil {
			return false, err
		}
		return change(b), nil
	})
}

// assign sets *field to v and says whether that changed it.
func assign[T comparable](field *T, v T) bool {
	if *field == v {
		return false
	}
	*field = v
	return true
}

// bucket is the account's bucket name; another account's answers
// AccessDenied, as S3 does to a caller the bucket's owner has not let in.
func (st *practiceState) bucket(name string) (*practiceBucket, error) {
	if b := st.Buckets[name]; b != nil {
		return b, nil
	}
	if slices.Contains(st.OtherBuckets, name) {
		return nil, replyBucketAccessDenied()
	}
	return nil, replyNoSuchBucket(name)
}
