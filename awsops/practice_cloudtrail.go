package awsops

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// practiceTrail is one of the practice account's trails.
type practiceTrail struct {
	HomeRegion  string
	Bucket      string
	MultiRegion bool
	Validation  bool
	Logging     bool
}

// practiceMaxTrails is CloudTrail's limit of trails per region.
const practiceMaxTrails = 5

// Trails lists the trails the home region sees: its own and the
// multi-region trails of other home regions (shadow trails).
func (p *Practice) Trails(ctx context.Context) ([]Trail, error) {
	return practiceRead(ctx, p, opDescribeTrails, func(st *practiceState) ([]Trail, error) {
		trails := []Trail{}
		for _, name := range slices.Sorted(maps.Keys(st.Trails)) {
			if t := st.Trails[name]; t.HomeRegion == p.Region() || t.MultiRegion {
				trails = append(trails, t.info(name))
			}
		}
		return trails, nil
	})
}

// TrailLogging says whether the trail (by name or ARN) is logging.
func (p *Practice) TrailLogging(ctx context.Context, trail string) (bool, error) {
	return practiceRead(ctx, p, opGetTrailStatus(trail), func(st *practiceState) (bool, error) {
		t, _, err := st.trail(trail)
		if err != nil {
			return false, err
		}
		return t.Logging, nil
	})
}

// EventSelectors answers for the trail (by name or ARN) what CloudTrail
// answers for a trail whose selectors were never changed: one basic
// selector, every management event, read and write. The practice account
// has no call that changes them.
func (p *Practice) EventSelectors(ctx context.Context, trail string) (EventSelectors, error) {
	return practiceRead(ctx, p, opGetEventSelectors(trail), func(st *practiceState) (EventSelectors, error) {
		if _, _, err := st.trail(trail); err != nil {
			return EventSelectors{}, err
		}
		return EventSelectors{Basic: []BasicSelector{{Management: true, ReadWrite: ReadWriteAll}}}, nil
	})
}

// CreateTrail creates a trail in the home region, as CloudTrail does: the
// bucket must exist and its policy must let CloudTrail write there, the
// name must be free, and a region holds at most five trails.
func (p *Practice) CreateTrail(ctx context.Context, s TrailSettings) (Trail, error) {
	op := opCreateTrail(s.Name)
	if err := ValidateTrailName(s.Name); err != nil {
		return Trail{}, op.refused(err)
	}
	return practiceCreate(ctx, p, op, func(st *practiceState) (Trail, error) {
		region := p.Region()
		if st.Trails[s.Name] != nil {
			return Trail{}, replyTrailExists(s.Name)
		}
		inRegion := 0
		for _, t := range st.Trails {
			if t.HomeRegion == region {
				inRegion++
			}
		}
		if inRegion >= practiceMaxTrails {
			return Trail{}, replyTrailLimit()
		}
		arn := TrailARN("aws", region, PracticeAccountID, s.Name)
		if err := st.admitsCloudTrail(s.Bucket, arn); err != nil {
			return Trail{}, err
		}
		t := &practiceTrail{HomeRegion: region, Bucket: s.Bucket, MultiRegion: s.MultiRegion, Validation: s.Validation}
		st.Trails[s.Name] = t
		return t.info(s.Name), nil
	})
}

// UpdateTrail turns on what s turns on, on a trail of the home region.
func (p *Practice) UpdateTrail(ctx context.Context, trail string, s TrailSettings) error {
	return p.write(ctx, opUpdateTrail(trail), func(st *practiceState) (bool, error) {
		t, name, err := st.trail(trail)
		if err != nil {
			return false, err
		}
		if t.HomeRegion != p.Region() && !strings.HasPrefix(trail, "arn:") {
			return false, replyTrailNotHome(trail)
		}
		before := *t
		if s.Bucket != "" && s.Bucket != t.Bucket {
			if err := st.admitsCloudTrail(s.Bucket, t.info(name).ARN); err != nil {
				return false, err
			}
			t.Bucket = s.Bucket
		}
		t.MultiRegion = t.MultiRegion || s.MultiRegion
		t.Validation = t.Validation || s.Validation
		return *t != before, nil
	})
}

// StartLogging starts the trail logging; a trail logging stays so.
func (p *Practice) StartLogging(ctx context.Context, trail string) error {
	return p.write(ctx, opStartLogging(trail), func(st *practiceState) (bool, error) {
		t, _, err := st.trail(trail)
		if err != nil {
			return false, err
		}
		if t.Logging {
			return false, nil
		}
		t.Logging = true
		return true, nil
	})
}

func (t *practiceTrail) info(name string) Trail {
	return Trail{Name: name, ARN: TrailARN("aws", t.HomeRegion, PracticeAccountID, name), HomeRegion: t.HomeRegion,
		Bucket: t.Bucket, MultiRegion: t.MultiRegion, LogFileValidation: t.Validation}
}

// trail finds a trail by name or ARN.
func (st *practiceState) trail(nameOrARN string) (*practiceTrail, string, error) {
	name := nameOrARN
	if strings.HasPrefix(nameOrARN, "arn:") {
		_, name, _ = strings.Cut(nameOrARN, ":trail/")
		if t := st.Trails[name]; t != nil && t.info(name).ARN == nameOrARN {
			return t, name, nil
		}
		return nil, "", replyNoSuchTrail(nameOrARN)
	}
	if t := st.Trails[name]; t != nil {
		return t, name, nil
	}
	return nil, "", replyNoSuchTrail(nameOrARN)
}

// admitsCloudTrail checks, as CloudTrail does before it makes a trail,
// that bucket exists and that its policy lets CloudTrail read its ACL and
// write under AWSLogs/ACCOUNT/, for the trail trailARN when it names one.
func (st *practiceState) admitsCloudTrail(bucket, trailARN string) error {
	b := st.Buckets[bucket]
	if b == nil {
		return replyTrailBucketMissing(bucket)
	}
	pol, err := parsePolicy(b.Policy)
	if err != nil {
		return replyInsufficientBucketPolicy(bucket)
	}
	bucketARN := "arn:aws:s3:::" + bucket
	acl := pol.allowsService("cloudtrail.amazonaws.com", "s3:GetBucketAcl", bucketARN, trailARN)
	put := pol.allowsService("cloudtrail.amazonaws.com", "s3:PutObject", bucketARN+"/AWSLogs/"+PracticeAccountID+"/*", trailARN)
	if !acl || !put {
		return replyInsufficientBucketPolicy(bucket)
	}
	return nil
}

// policyDoc is an IAM policy document, as far as the practice account
// reads one.
type policyDoc struct {
	Statement oneOrMany[policyStatement]
}

type policyStatement struct {
	Effect    string
	Principal json.RawMessage
	Action    oneOrMany[string]
	Resource  oneOrMany[string]
	Condition map[string]map[string]oneOrMany[string]
}

// oneOrMany is a policy field that may be one value or a list of them.
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(data []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		return json.Unmarshal(data, (*[]T)(o))
	}
	var one T
	if err := json.Unmarshal(data, &one); err != nil {
		return err
	}
	*o = oneOrMany[T]{one}
	return nil
}

func parsePolicy(policy string) (policyDoc, error) {
	var doc policyDoc
	err := json.Unmarshal([]byte(policy), &doc)
	return doc, err
}

// allowsService reports whether an Allow statement gives the service
// action on resource, and, where it has an aws:SourceArn condition, only
// for source.
func (d policyDoc) allowsService(service, action, resource, source string) bool {
	for _, s := range d.Statement {
		var principal struct{ Service oneOrMany[string] }
		if s.Effect != "Allow" || json.Unmarshal(s.Principal, &principal) != nil || !slices.Contains(principal.Service, service) {
			continue
		}
		if !slices.Contains(s.Action, action) || !slices.ContainsFunc(s.Resource, func(r string) bool { return covers(r, resource) }) {
			continue
		}
		if arns, ok := s.Condition["StringEquals"]["aws:SourceArn"]; ok && !slices.Contains(arns, source) {
			continue
		}
		return true
	}
	return false
}

// covers reports whether a policy's resource pattern (with a * at its
// end at most) covers resource.
func covers(pattern, resource string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(strings.TrimSuffix(resource, "*"), prefix)
	}
	return pattern == resource
}
