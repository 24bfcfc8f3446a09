package awsops

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// PracticeFromJSON opens a practice account from the bytes of a practice
// file named path, as NewPractice does after reading it, but keeps the
// account in memory: the fuzz target loads thousands of files a second.
func PracticeFromJSON(path string, data []byte, opts PracticeOptions) (*Practice, error) {
	st, err := decodePracticeState(path, data)
	if err != nil {
		return nil, err
	}
	opts.Path = ""
	p, err := NewPractice(opts)
	if err != nil {
		return nil, err
	}
	p.st = st
	p.rootKey = st.rootSessionKey(opts.TemporaryRoot)
	return p, nil
}

// StateJSON is what the practice account would save now.
func (p *Practice) StateJSON() ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return json.Marshal(p.st)
}

// The contract suite observes through these what no step reads: that a
// user, a membership and a deleted alias are what they
// should be, on both backends. They are test-only, so the product carries
// no call nothing uses.

func opGetUser(name string) operation {
	return operation{action: "iam:GetUser", doing: "read user " + name}
}

func opGetGroup(group string) operation {
	return operation{action: "iam:GetGroup", doing: "read group " + group}
}

func opDeleteAccountAlias(alias string) operation {
	return operation{action: "iam:DeleteAccountAlias", doing: "delete account alias " + alias}
}

// GetUser calls iam:GetUser; a missing user wraps ErrNotFound.
func (c *Client) GetUser(ctx context.Context, name string) (User, error) {
	out, err := c.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
	if err != nil {
		return User{}, opGetUser(name).failed(err)
	}
	return User{Name: aws.ToString(out.User.UserName), ARN: aws.ToString(out.User.Arn), Created: aws.ToTime(out.User.CreateDate)}, nil
}

// GroupMembers lists the user names in a group, all pages.
func (c *Client) GroupMembers(ctx context.Context, group string) ([]string, error) {
	var names []string
	pages := iam.NewGetGroupPaginator(c.iam, &iam.GetGroupInput{GroupName: aws.String(group)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opGetGroup(group).failed(err)
		}
		for _, u := range page.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	return names, nil
}

// DeleteAccountAlias calls iam:DeleteAccountAlias.
func (c *Client) DeleteAccountAlias(ctx context.Context, alias string) error {
	_, err := c.iam.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String(alias)})
	return opDeleteAccountAlias(alias).failed(err)
}

// GetUser reads a user.
func (p *Practice) GetUser(ctx context.Context, name string) (User, error) {
	return practiceRead(ctx, p, opGetUser(name), func(st *practiceState) (User, error) {
		u, err := st.user(name)
		if err != nil {
			return User{}, err
		}
		return u.info(name), nil
	})
}

// GroupMembers lists a group's user names.
func (p *Practice) GroupMembers(ctx context.Context, group string) ([]string, error) {
	return practiceRead(ctx, p, opGetGroup(group), func(st *practiceState) ([]string, error) {
		g, err := st.group(group)
		if err != nil {
			return nil, err
		}
		return slices.Clone(g.Members), nil
	})
}

// DeleteAccountAlias removes the alias, as IAM does.
func (p *Practice) DeleteAccountAlias(ctx context.Context, alias string) error {
	return p.write(ctx, opDeleteAccountAlias(alias), func(st *practiceState) (bool, error) {
		if st.Alias != alias || alias == "" {
			return false, awsReply("NoSuchEntity", "The account alias %s cannot be found.", alias)
		}
		st.Alias = ""
		return true, nil
	})
}

// AsAnotherAccount is a client of another account on the same moto
// server (moto gives a role's temporary keys to the role's account), so a
// test can hold a bucket name "taken by another account".
func (c *Client) AsAnotherAccount(ctx context.Context, account string) (*Client, error) {
	out, err := c.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + account + ":role/other"), RoleSessionName: aws.String("contract")})
	if err != nil {
		return nil, err
	}
	other := *c
	creds := credentials.NewStaticCredentialsProvider(aws.ToString(out.Credentials.AccessKeyId), aws.ToString(out.Credentials.SecretAccessKey), aws.ToString(out.Credentials.SessionToken))
	other.s3 = s3.New(c.s3.Options(), func(o *s3.Options) { o.Credentials = creds })
	return &other, nil
}

// GiveBucketToAnotherAccount makes a bucket name one another account holds.
func (p *Practice) GiveBucketToAnotherAccount(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.st.OtherBuckets = append(p.st.OtherBuckets, name)
}

// ClickConfirmationLinks confirms every pending e-mail subscription now, as
// the learner clicking SNS's link does (moto: awstest.Moto.ConfirmEmails).
func (p *Practice) ClickConfirmationLinks() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, t := range p.st.Topics {
		for _, s := range t.Subscriptions {
			if now := p.opts.Now().UTC(); s.ConfirmedAt.After(now) {
				s.ConfirmedAt = now
			}
		}
	}
}

// A bucket someone else set up, for the cases that hold awssecure to
// leaving it as it is: a whole lifecycle configuration of their own and
// an object. Test-only, like the readers above.

// SetLifecycleRules replaces the bucket's lifecycle configuration with
// rules (each with its prefix filter, one transition and an expiry).
func (c *Client) SetLifecycleRules(ctx context.Context, name string, rules []LifecycleRule) error {
	var put []types.LifecycleRule
	for _, r := range rules {
		rule := types.LifecycleRule{ID: aws.String(r.ID), Status: types.ExpirationStatusDisabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String(r.Prefix)}}
		if r.Enabled {
			rule.Status = types.ExpirationStatusEnabled
		}
		if r.TransitionDays > 0 {
			rule.Transitions = []types.Transition{{Days: aws.Int32(int32(r.TransitionDays)), StorageClass: types.TransitionStorageClass(r.TransitionClass)}}
		}
		if r.ExpireDays > 0 {
			rule.Expiration = &types.LifecycleExpiration{Days: aws.Int32(int32(r.ExpireDays))}
		}
		put = append(put, rule)
	}
	_, err := c.s3.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String(name),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: put}})
	return opPutBucketLifecycle(name).failed(err)
}

// PutObject puts an object of a few bytes into the bucket.
func (c *Client) PutObject(ctx context.Context, name, key string) error {
	_, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String(key), Body: strings.NewReader("{}")})
	return err
}

// SetLifecycleRules replaces the bucket's lifecycle rules.
func (p *Practice) SetLifecycleRules(ctx context.Context, name string, rules []LifecycleRule) error {
	return p.changeBucket(ctx, opPutBucketLifecycle(name), name, func(b *practiceBucket) bool {
		b.Rules = slices.Clone(rules)
		return true
	})
}

// PutObject puts an object into the bucket.
func (p *Practice) PutObject(ctx context.Context, name, key string) error {
	return p.changeBucket(ctx, operation{action: "s3:PutObject", doing: "put " + key + " into bucket " + name}, name, func(b *practiceBucket) bool {
		b.Objects = append(b.Objects, key)
		return true
	})
}
