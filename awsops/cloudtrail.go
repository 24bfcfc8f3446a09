package awsops

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
)

// The CloudTrail calls, named once for both backends (see operation).
var opDescribeTrails = operation{action: "cloudtrail:DescribeTrails", doing: "list trails"}

func opGetTrailStatus(trail string) operation {
	return operation{action: "cloudtrail:GetTrailStatus", doing: "read whether trail " + trail + " is logging"}
}

func opGetEventSelectors(trail string) operation {
	return operation{action: "cloudtrail:GetEventSelectors", doing: "read which events trail " + trail + " logs"}
}

func opCreateTrail(name string) operation {
	return operation{action: "cloudtrail:CreateTrail", doing: "create trail " + name}
}

func opUpdateTrail(trail string) operation {
	return operation{action: "cloudtrail:UpdateTrail", doing: "update trail " + trail}
}

func opStartLogging(trail string) operation {
	return operation{action: "cloudtrail:StartLogging", doing: "start logging on trail " + trail}
}

// Trail is a CloudTrail trail as DescribeTrails and GetTrailStatus tell it.
type Trail struct {
	Name       string
	ARN        string
	HomeRegion string
	Bucket     string
	// MultiRegion trails log every region, those enabled later included (CIS 3.1).
	MultiRegion bool
	// LogFileValidation writes signed digests, so a changed log shows (CIS 3.2).
	LogFileValidation bool
	// Organization trails are made by an organization's management account.
	Organization bool
}

// Account is the id of the account that owns the trail, from its ARN.
func (t Trail) Account() string { return arnField(t.ARN, 4) }

// TrailSettings is what awssecure asks of a trail it makes or fixes.
type TrailSettings struct {
	Name        string
	Bucket      string
	MultiRegion bool
	Validation  bool
}

// TrailARN is the ARN a trail of that name gets in region, known before
// it exists: its bucket's policy names it.
func TrailARN(partition, region, account, name string) string {
	return "arn:" + partition + ":cloudtrail:" + region + ":" + account + ":trail/" + name
}

// arnField is the i-th colon-separated field of an ARN (3 is the region,
// 4 the account), or "".
func arnField(arn string, i int) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[i]
}

var trailNameRule = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$`)

// ValidateTrailName applies CloudTrail's rules for trail names.
func ValidateTrailName(name string) error {
	if !trailNameRule.MatchString(name) || strings.Contains(name, "..") || strings.Contains(name, "__") || strings.Contains(name, "--") ||
		strings.Contains(name, "._") || strings.Contains(name, "_.") || strings.Contains(name, ".-") || strings.Contains(name, "-.") ||
		strings.Contains(name, "_-") || strings.Contains(name, "-_") {
		return errors.New("a trail name has 3 to 128 letters, digits, dots, underscores and hyphens, begins and ends with a letter or digit, and has no two of . _ - side by side")
	}
	return nil
}

// Trails calls cloudtrail:DescribeTrails with shadow trails: every trail
// the home region logs for, those of other home regions that cover it
// included.
func (c *Client) Trails(ctx context.Context) ([]Trail, error) {
	out, err := c.cloudtrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		return nil, opDescribeTrails.failed(err)
	}
	trails := make([]Trail, 0, len(out.TrailList))
	for _, t := range out.TrailList {
		trails = append(trails, Trail{
			Name: aws.ToString(t.Name), ARN: aws.ToString(t.TrailARN), HomeRegion: aws.ToString(t.HomeRegion),
			Bucket: aws.ToString(t.S3BucketName), MultiRegion: aws.ToBool(t.IsMultiRegionTrail),
			LogFileValidation: aws.ToBool(t.LogFileValidationEnabled), Organization: aws.ToBool(t.IsOrganizationTrail),
		})
	}
	return trails, nil
}

// TrailLogging calls cloudtrail:GetTrailStatus and says whether the trail
// (by ARN, which any region answers for) is logging.
func (c *Client) TrailLogging(ctx context.Context, trailARN string) (bool, error) {
	out, err := c.cloudtrail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(trailARN)})
	if err != nil {
		return false, opGetTrailStatus(trailARN).failed(err)
	}
	return aws.ToBool(out.IsLogging), nil
}

// EventSelectors is what a trail logs, as its event selectors say:
// basic selectors, or advanced ones (a trail has one kind or the other).
type EventSelectors struct {
	Basic    []BasicSelector
	Advanced []AdvancedSelector
}

// BasicSelector is one basic event selector, as far as management events
// go.
type BasicSelector struct {
	// Management is IncludeManagementEvents (true when AWS leaves it out,
	// its default).
	Management bool
	// ReadWrite is ReadWriteType: All (AWS's default), ReadOnly or WriteOnly.
	ReadWrite string
	// Excluded are ExcludeManagementEventSources: event sources whose
	// management events are left out (kms.amazonaws.com, rdsdata.amazonaws.com).
	Excluded []string
}

// The ReadWriteType values.
const (
	ReadWriteAll       = "All"
	ReadWriteReadOnly  = "ReadOnly"
	ReadWriteWriteOnly = "WriteOnly"
)

// AdvancedSelector is one advanced event selector: all its field
// selectors must match for an event to be logged.
type AdvancedSelector struct {
	Name   string
	Fields []FieldSelector
}

// FieldSelector is one condition of an advanced selector.
type FieldSelector struct {
	Field                     string // eventCategory, readOnly, eventSource, …
	Equals, NotEquals         []string
	StartsWith, NotStartsWith []string
	EndsWith, NotEndsWith     []string
}

// EventSelectors calls cloudtrail:GetEventSelectors on the trail (by
// ARN) in its home region.
func (c *Client) EventSelectors(ctx context.Context, trailARN string) (EventSelectors, error) {
	out, err := c.cloudtrail.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(trailARN)}, c.inRegionOf(trailARN))
	if err != nil {
		return EventSelectors{}, opGetEventSelectors(trailARN).failed(err)
	}
	var sel EventSelectors
	for _, e := range out.EventSelectors {
		rw := string(e.ReadWriteType)
		if rw == "" {
			rw = ReadWriteAll
		}
		sel.Basic = append(sel.Basic, BasicSelector{Management: e.IncludeManagementEvents == nil || *e.IncludeManagementEvents,
			ReadWrite: rw, Excluded: e.ExcludeManagementEventSources})
	}
	for _, a := range out.AdvancedEventSelectors {
		adv := AdvancedSelector{Name: aws.ToString(a.Name)}
		for _, f := range a.FieldSelectors {
			adv.Fields = append(adv.Fields, FieldSelector{Field: aws.ToString(f.Field), Equals: f.Equals, NotEquals: f.NotEquals,
				StartsWith: f.StartsWith, NotStartsWith: f.NotStartsWith, EndsWith: f.EndsWith, NotEndsWith: f.NotEndsWith})
		}
		sel.Advanced = append(sel.Advanced, adv)
	}
	return sel, nil
}

// CreateTrail calls cloudtrail:CreateTrail in the home region; management
// events are what a new trail logs. A trail of that name wraps
// ErrAlreadyExists; a region with five trails, ErrTrailLimit; a bucket
// whose policy does not admit CloudTrail, ErrBucketPolicy.
func (c *Client) CreateTrail(ctx context.Context, s TrailSettings) (Trail, error) {
	op := opCreateTrail(s.Name)
	if err := ValidateTrailName(s.Name); err != nil {
		return Trail{}, op.refused(err)
	}
	out, err := c.cloudtrail.CreateTrail(ctx, &cloudtrail.CreateTrailInput{
		Name: aws.String(s.Name), S3BucketName: aws.String(s.Bucket),
		IsMultiRegionTrail: aws.Bool(s.MultiRegion), EnableLogFileValidation: aws.Bool(s.Validation),
		IncludeGlobalServiceEvents: aws.Bool(true),
	})
	if err != nil {
		return Trail{}, op.failed(err)
	}
	return Trail{Name: aws.ToString(out.Name), ARN: aws.ToString(out.TrailARN), HomeRegion: c.region, Bucket: aws.ToString(out.S3BucketName),
		MultiRegion: aws.ToBool(out.IsMultiRegionTrail), LogFileValidation: aws.ToBool(out.LogFileValidationEnabled)}, nil
}

// UpdateTrail calls cloudtrail:UpdateTrail on the trail (by ARN) in its
// home region, where CloudTrail takes changes to it: it turns on what s
// turns on and leaves the rest (an empty Bucket keeps the trail's).
func (c *Client) UpdateTrail(ctx context.Context, trailARN string, s TrailSettings) error {
	in := &cloudtrail.UpdateTrailInput{Name: aws.String(c.trailRef(trailARN))}
	if s.MultiRegion {
		in.IsMultiRegionTrail, in.IncludeGlobalServiceEvents = aws.Bool(true), aws.Bool(true)
	}
	if s.Validation {
		in.EnableLogFileValidation = aws.Bool(true)
	}
	if s.Bucket != "" {
		in.S3BucketName = aws.String(s.Bucket)
	}
	_, err := c.cloudtrail.UpdateTrail(ctx, in, c.inRegionOf(trailARN))
	return opUpdateTrail(trailARN).failed(err)
}

// StartLogging calls cloudtrail:StartLogging on the trail (by ARN) in its
// home region; a trail already logging stays so.
func (c *Client) StartLogging(ctx context.Context, trailARN string) error {
	_, err := c.cloudtrail.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(c.trailRef(trailARN))}, c.inRegionOf(trailARN))
	return opStartLogging(trailARN).failed(err)
}

// trailRef names a trail for a call that changes it: by name in the
// home region, by ARN elsewhere. CloudTrail takes either; moto's
// StartLogging takes only a name (it answers 500 to an ARN).
func (c *Client) trailRef(trailARN string) string {
	if _, name, ok := strings.Cut(trailARN, ":trail/"); ok && arnField(trailARN, 3) == c.region {
		return name
	}
	return trailARN
}

// inRegionOf sends a call to the region an ARN names, when it names one.
func (c *Client) inRegionOf(arn string) func(*cloudtrail.Options) {
	return func(o *cloudtrail.Options) {
		if region := arnField(arn, 3); region != "" {
			o.Region = region
		}
	}
}
