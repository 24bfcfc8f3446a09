package awsops

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// practiceRule is an EventBridge rule of the practice account, on a
// region's default event bus.
type practiceRule struct {
	Pattern     string
	State       string
	Description string
	Targets     []RuleTarget
}

// practiceMaxTargets is how many targets EventBridge lets a rule have.
const practiceMaxTargets = 5

func replyNoSuchRule(name string) error {
	return awsReply("ResourceNotFoundException", "Rule %s does not exist on EventBus default.", name)
}

func replyInvalidEventPattern() error {
	return awsReply("InvalidEventPatternException", "Event pattern is not valid. Reason: it is not a JSON object")
}

func replyTargetNeedsRole(id string) error {
	return awsReply("ValidationException", "Parameter(s) RoleArn must be specified for target: %s.", id)
}

func replyTooManyTargets(name string) error {
	return awsReply("LimitExceededException", "The requested resource exceeds the maximum number allowed: rule %s has 5 targets.", name)
}

// rule is the rule name of region, or EventBridge's ResourceNotFoundException.
func (st *practiceState) rule(region, name string) (*practiceRule, error) {
	if r := st.Rules[region][name]; r != nil {
		return r, nil
	}
	return nil, replyNoSuchRule(name)
}

// Rule reads a rule of region; like every regional call, it fails in a
// region the account cannot use.
func (p *Practice) Rule(ctx context.Context, region, name string) (Rule, error) {
	op := opDescribeRule(region, name)
	if err := ValidateRuleName(name); err != nil {
		return Rule{}, op.refused(err)
	}
	return practiceRead(ctx, p, op, func(st *practiceState) (Rule, error) {
		if err := p.usable(st, region); err != nil {
			return Rule{}, err
		}
		r, err := st.rule(region, name)
		if err != nil {
			return Rule{}, err
		}
		return Rule{Name: name, ARN: "arn:aws:events:" + region + ":" + PracticeAccountID + ":rule/" + name,
			State: r.State, EventPattern: r.Pattern, Description: r.Description}, nil
	})
}

// RuleTargets lists a rule's targets.
func (p *Practice) RuleTargets(ctx context.Context, region, rule string) ([]RuleTarget, error) {
	op := opListTargetsByRule(region, rule)
	if err := ValidateRuleName(rule); err != nil {
		return nil, op.refused(err)
	}
	return practiceRead(ctx, p, op, func(st *practiceState) ([]RuleTarget, error) {
		if err := p.usable(st, region); err != nil {
			return nil, err
		}
		r, err := st.rule(region, rule)
		if err != nil {
			return nil, err
		}
		return slices.Clone(r.Targets), nil
	})
}

// PutRule makes or sets a rule of region, keeping its targets.
func (p *Practice) PutRule(ctx context.Context, region string, r Rule) error {
	op := opPutRule(region, r.Name)
	if err := ValidateRuleName(r.Name); err != nil {
		return op.refused(err)
	}
	if err := ValidateRuleState(r.State); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		if err := p.usable(st, region); err != nil {
			return false, err
		}
		var pattern map[string]any
		if json.Unmarshal([]byte(r.EventPattern), &pattern) != nil {
			return false, replyInvalidEventPattern()
		}
		if st.Rules[region] == nil {
			st.Rules[region] = map[string]*practiceRule{}
		}
		was := st.Rules[region][r.Name]
		made := &practiceRule{Pattern: r.EventPattern, State: r.State, Description: r.Description}
		if was != nil {
			made.Targets = was.Targets
			if was.Pattern == made.Pattern && was.State == made.State && was.Description == made.Description {
				return false, nil
			}
		}
		st.Rules[region][r.Name] = made
		return true, nil
	})
}

// PutTargets adds each target to the rule, or replaces the one of its ID.
// As EventBridge does, it refuses an event bus of another region without
// a role to put events there, and a sixth target.
func (p *Practice) PutTargets(ctx context.Context, region, rule string, targets []RuleTarget) error {
	op := opPutTargets(region, rule)
	if err := ValidateRuleName(rule); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		if err := p.usable(st, region); err != nil {
			return false, err
		}
		r, err := st.rule(region, rule)
		if err != nil {
			return false, err
		}
		changed := false
		for _, t := range targets {
			if strings.Contains(t.ARN, ":event-bus/") && !strings.HasPrefix(t.ARN, "arn:aws:events:"+region+":") && t.RoleARN == "" {
				return false, replyTargetNeedsRole(t.ID)
			}
			i := slices.IndexFunc(r.Targets, func(have RuleTarget) bool { return have.ID == t.ID })
			switch {
			case i < 0 && len(r.Targets) >= practiceMaxTargets:
				return false, replyTooManyTargets(rule)
			case i < 0:
				r.Targets = append(r.Targets, t)
				changed = true
			case !sameTarget(r.Targets[i], t):
				r.Targets[i] = t
				changed = true
			}
		}
		return changed, nil
	})
}

func sameTarget(a, b RuleTarget) bool {
	return a.ID == b.ID && a.ARN == b.ARN && a.RoleARN == b.RoleARN && a.InputTemplate == b.InputTemplate && maps.Equal(a.InputPaths, b.InputPaths)
}
