package awsops

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"
)

// Rule states, as EventBridge spells them. RuleEnabledWithReads also
// matches the read-only management events CloudTrail delivers (Describe,
// Get, List), which plain RuleEnabled leaves out.
const (
	RuleEnabled          = "ENABLED"
	RuleDisabled         = "DISABLED"
	RuleEnabledWithReads = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
)

// Rule is an EventBridge rule on a region's default event bus.
type Rule struct {
	Name         string
	ARN          string
	State        string
	EventPattern string // JSON, as EventBridge keeps it (not byte for byte as it was sent)
	Description  string
}

// Enabled reports whether the rule matches events at all.
func (r Rule) Enabled() bool { return r.State == RuleEnabled || r.State == RuleEnabledWithReads }

// RuleTarget is where a rule sends what it matches: a topic, or the event
// bus of another region (then EventBridge takes RoleARN to put the event
// there). InputPaths and InputTemplate, when set, reshape the event into
// the text the target gets.
type RuleTarget struct {
	ID            string
	ARN           string
	RoleARN       string
	InputPaths    map[string]string
	InputTemplate string
}

// EventBusARN is the ARN of region's default event bus.
func EventBusARN(partition, region, account string) string {
	return "arn:" + partition + ":events:" + region + ":" + account + ":event-bus/default"
}

// ruleName is what EventBridge allows a rule's name to be.
var ruleName = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`)

// ValidateRuleName checks a rule name as EventBridge does.
func ValidateRuleName(name string) error {
	if !ruleName.MatchString(name) {
		return fmt.Errorf("a rule name is 1 to 64 letters, digits, dots, hyphens and underscores")
	}
	return nil
}

// ValidateRuleState accepts the states EventBridge knows.
func ValidateRuleState(state string) error {
	switch state {
	case RuleEnabled, RuleDisabled, RuleEnabledWithReads:
		return nil
	}
	return fmt.Errorf("a rule's state is %s, %s or %s", RuleEnabled, RuleDisabled, RuleEnabledWithReads)
}

func opDescribeRule(region, name string) operation {
	return operation{action: "events:DescribeRule", doing: "read rule " + name + " in " + region}
}

func opListTargetsByRule(region, name string) operation {
	return operation{action: "events:ListTargetsByRule", doing: "list the targets of rule " + name + " in " + region}
}

func opPutRule(region, name string) operation {
	return operation{action: "events:PutRule", doing: "set rule " + name + " in " + region}
}

func opPutTargets(region, name string) operation {
	return operation{action: "events:PutTargets", doing: "set the targets of rule " + name + " in " + region}
}

// eventsIn is an EventBridge client for region, from the client's one
// configuration: a rule sees only the events of its own region.
func (c *Client) eventsIn(region string) *eventbridge.Client {
	return eventbridge.NewFromConfig(c.cfg, func(o *eventbridge.Options) { o.Region = region })
}

// Rule calls events:DescribeRule in region. A rule that does not exist
// wraps ErrNotFound.
func (c *Client) Rule(ctx context.Context, region, name string) (Rule, error) {
	op := opDescribeRule(region, name)
	if err := ValidateRuleName(name); err != nil {
		return Rule{}, op.refused(err)
	}
	out, err := c.eventsIn(region).DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(name)})
	if err != nil {
		return Rule{}, op.failed(err)
	}
	return Rule{Name: aws.ToString(out.Name), ARN: aws.ToString(out.Arn), State: string(out.State),
		EventPattern: aws.ToString(out.EventPattern), Description: aws.ToString(out.Description)}, nil
}

// RuleTargets calls events:ListTargetsByRule in region. A rule that does
// not exist wraps ErrNotFound.
func (c *Client) RuleTargets(ctx context.Context, region, rule string) ([]RuleTarget, error) {
	op := opListTargetsByRule(region, rule)
	if err := ValidateRuleName(rule); err != nil {
		return nil, op.refused(err)
	}
	client := c.eventsIn(region)
	in := &eventbridge.ListTargetsByRuleInput{Rule: aws.String(rule)}
	var targets []RuleTarget
	for {
		out, err := client.ListTargetsByRule(ctx, in)
		if err != nil {
			return nil, op.failed(err)
		}
		for _, t := range out.Targets {
			target := RuleTarget{ID: aws.ToString(t.Id), ARN: aws.ToString(t.Arn), RoleARN: aws.ToString(t.RoleArn)}
			if x := t.InputTransformer; x != nil {
				target.InputPaths, target.InputTemplate = x.InputPathsMap, aws.ToString(x.InputTemplate)
			}
			targets = append(targets, target)
		}
		if aws.ToString(out.NextToken) == "" {
			return targets, nil
		}
		in.NextToken = out.NextToken
	}
}

// PutRule calls events:PutRule in region: it makes the rule on the
// default event bus, or sets an existing one of that name whole (its
// targets stay), so running it twice changes nothing more.
func (c *Client) PutRule(ctx context.Context, region string, r Rule) error {
	op := opPutRule(region, r.Name)
	if err := errors.Join(ValidateRuleName(r.Name), ValidateRuleState(r.State)); err != nil {
		return op.refused(err)
	}
	_, err := c.eventsIn(region).PutRule(ctx, &eventbridge.PutRuleInput{
		Name: aws.String(r.Name), EventPattern: aws.String(r.EventPattern), State: types.RuleState(r.State),
		Description: aws.String(r.Description),
	})
	return op.failed(err)
}

// PutTargets calls events:PutTargets in region: each target is added, or
// replaced when the rule has one of its ID. EventBridge answers a target
// it refuses within a successful reply (FailedEntries); that is an error
// here, with EventBridge's code, as if the call had failed.
func (c *Client) PutTargets(ctx context.Context, region, rule string, targets []RuleTarget) error {
	op := opPutTargets(region, rule)
	if err := ValidateRuleName(rule); err != nil {
		return op.refused(err)
	}
	var in []types.Target
	for _, t := range targets {
		in = append(in, t.sdk())
	}
	out, err := c.eventsIn(region).PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(rule), Targets: in})
	if err == nil && len(out.FailedEntries) > 0 {
		f := out.FailedEntries[0]
		err = &smithy.GenericAPIError{Code: aws.ToString(f.ErrorCode), Message: aws.ToString(f.ErrorMessage), Fault: smithy.FaultClient}
	}
	return op.failed(err)
}
