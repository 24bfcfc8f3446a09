package awsops_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
)

// confirmEmails confirms a topic's pending e-mail subscriptions, as the
// owner clicking the link SNS mails does.
func confirmEmails(t *testing.T, a account, topicARN string) {
	t.Helper()
	switch a := a.(type) {
	case *awsops.Practice:
		a.ClickConfirmationLinks()
	case *awsops.Client:
		moto.ConfirmEmails(t, topicARN)
	}
}

// sameJSON reports whether two JSON documents say the same: AWS keeps a
// policy or an event pattern as it understood it, not byte for byte.
func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("not JSON: %q", a)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("not JSON: %q", b)
	}
	return reflect.DeepEqual(x, y)
}

const (
	alertTopic   = "awssecure-root-activity"
	alertPattern = `{"source":[{"prefix":"aws."}],"detail-type":["AWS API Call via CloudTrail"],"detail":{"userIdentity":{"type":["Root"]}}}`
	trustEvents  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	putEvents    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"events:PutEvents","Resource":"*"}]}`
)

func topicOf(t *testing.T, ctx context.Context, a account) string {
	t.Helper()
	arn := must[string](t)(a.CreateTopic(ctx, alertTopic))
	c := must[awsops.Caller](t)(a.WhoAmI(ctx))
	if want := awsops.TopicARN("aws", a.Region(), c.AccountID, alertTopic); arn != want {
		t.Errorf("topic ARN = %s, want %s", arn, want)
	}
	return arn
}

// Cases of the root activity alert's operations: an SNS topic with an
// e-mail subscriber, EventBridge rules per region, and the role that
// forwards one region's events to another.
var rootAlertCases = []contractCase{
	{"topic made twice is one topic; its policy is set whole and reads back", func(t *testing.T, ctx context.Context, a account) {
		arn := topicOf(t, ctx, a)
		if again := must[string](t)(a.CreateTopic(ctx, alertTopic)); again != arn {
			t.Errorf("second create = %s, want %s", again, arn)
		}
		policy := `{"Version":"2012-10-17","Statement":[{"Sid":"events","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"` + arn + `"}]}`
		mustDo(t, a.SetTopicPolicy(ctx, arn, policy))
		if got := must[string](t)(a.TopicPolicy(ctx, arn)); !sameJSON(t, got, policy) {
			t.Errorf("policy = %s", got)
		}
		wantKind(t, a.SetTopicPolicy(ctx, arn, "not a policy"), awsops.ErrInvalidInput)
	}},
	{"a missing topic: its subscriptions, policy and publishing are not found", func(t *testing.T, ctx context.Context, a account) {
		c := must[awsops.Caller](t)(a.WhoAmI(ctx))
		arn := awsops.TopicARN("aws", a.Region(), c.AccountID, "no-such-topic")
		_, err := a.TopicSubscriptions(ctx, arn)
		wantKind(t, err, awsops.ErrNotFound)
		_, err = a.TopicPolicy(ctx, arn)
		wantKind(t, err, awsops.ErrNotFound)
		wantKind(t, a.Publish(ctx, arn, "Subject", "body"), awsops.ErrNotFound)
	}},
	{"an e-mail subscriber is pending until the link is clicked; subscribed again, still one", func(t *testing.T, ctx context.Context, a account) {
		arn := topicOf(t, ctx, a)
		if subs := must[[]awsops.Subscription](t)(a.TopicSubscriptions(ctx, arn)); len(subs) != 0 {
			t.Errorf("a new topic has subscribers: %+v", subs)
		}
		mustDo(t, a.SubscribeEmail(ctx, arn, "owner@example.com"))
		mustDo(t, a.SubscribeEmail(ctx, arn, "owner@example.com"))
		want := []awsops.Subscription{{Protocol: awsops.ProtocolEmail, Endpoint: "owner@example.com", Pending: true}}
		if got := must[[]awsops.Subscription](t)(a.TopicSubscriptions(ctx, arn)); !reflect.DeepEqual(got, want) {
			t.Errorf("subscriptions = %+v, want %+v", got, want)
		}
		mustDo(t, a.Publish(ctx, arn, "awssecure test", "nobody confirmed yet"))
		confirmEmails(t, a, arn)
		want[0].Pending = false
		if got := must[[]awsops.Subscription](t)(a.TopicSubscriptions(ctx, arn)); !reflect.DeepEqual(got, want) {
			t.Errorf("after the link: subscriptions = %+v, want %+v", got, want)
		}
		mustDo(t, a.SubscribeEmail(ctx, arn, "owner@example.com"))
		if got := must[[]awsops.Subscription](t)(a.TopicSubscriptions(ctx, arn)); !reflect.DeepEqual(got, want) {
			t.Errorf("subscribed again after the link: %+v, want %+v", got, want)
		}
		mustDo(t, a.Publish(ctx, arn, "awssecure test", "now it arrives"))
		if p, ok := a.(*awsops.Practice); ok {
			if mail := p.Mail(); len(mail) != 1 || mail[0].To != "owner@example.com" || mail[0].Body != "now it arrives" {
				t.Errorf("delivered = %+v, want only the message published after the link", mail)
			}
		}
	}},
	{"what SNS would refuse is refused: an address, a subject", func(t *testing.T, ctx context.Context, a account) {
		arn := topicOf(t, ctx, a)
		wantKind(t, a.SubscribeEmail(ctx, arn, "owner.example.com"), awsops.ErrInvalidInput)
		wantKind(t, a.Publish(ctx, arn, "two\nlines", "body"), awsops.ErrInvalidInput)
		_, err := a.CreateTopic(ctx, "no spaces allowed")
		wantKind(t, err, awsops.ErrInvalidInput)
	}},
	{"a rule: absent, then made enabled, set again keeping its targets; rules are per region", func(t *testing.T, ctx context.Context, a account) {
		const region, name = "eu-west-1", "awssecure-root-activity"
		_, err := a.Rule(ctx, region, name)
		wantKind(t, err, awsops.ErrNotFound)
		_, err = a.RuleTargets(ctx, region, name)
		wantKind(t, err, awsops.ErrNotFound)
		mustDo(t, a.PutRule(ctx, region, awsops.Rule{Name: name, EventPattern: alertPattern, State: awsops.RuleEnabled, Description: "root"}))
		got := must[awsops.Rule](t)(a.Rule(ctx, region, name))
		if got.Name != name || !got.Enabled() || !sameJSON(t, got.EventPattern, alertPattern) || got.ARN != "arn:aws:events:"+region+":"+must[awsops.Caller](t)(a.WhoAmI(ctx)).AccountID+":rule/"+name {
			t.Errorf("rule = %+v", got)
		}
		c := must[awsops.Caller](t)(a.WhoAmI(ctx))
		target := awsops.RuleTarget{ID: "home", ARN: awsops.EventBusARN("aws", "us-east-1", c.AccountID), RoleARN: "arn:aws:iam::" + c.AccountID + ":role/forwarding"}
		mustDo(t, a.PutTargets(ctx, region, name, []awsops.RuleTarget{target}))
		mustDo(t, a.PutTargets(ctx, region, name, []awsops.RuleTarget{target}))
		mustDo(t, a.PutRule(ctx, region, awsops.Rule{Name: name, EventPattern: alertPattern, State: awsops.RuleDisabled, Description: "root"}))
		if got := must[awsops.Rule](t)(a.Rule(ctx, region, name)); got.Enabled() {
			t.Errorf("rule set disabled reads %+v", got)
		}
		if got := must[[]awsops.RuleTarget](t)(a.RuleTargets(ctx, region, name)); !reflect.DeepEqual(got, []awsops.RuleTarget{target}) {
			t.Errorf("targets = %+v, want %+v", got, target)
		}
		_, err = a.Rule(ctx, "us-east-1", name)
		wantKind(t, err, awsops.ErrNotFound)
	}},
	{"a target reshapes the event into text", func(t *testing.T, ctx context.Context, a account) {
		const region, name = "us-east-1", "awssecure-root-activity"
		arn := topicOf(t, ctx, a)
		mustDo(t, a.PutRule(ctx, region, awsops.Rule{Name: name, EventPattern: alertPattern, State: awsops.RuleEnabled}))
		target := awsops.RuleTarget{ID: "topic", ARN: arn, InputPaths: map[string]string{"event": "$.detail.eventName"}, InputTemplate: `"root did <event>"`}
		mustDo(t, a.PutTargets(ctx, region, name, []awsops.RuleTarget{target}))
		if got := must[[]awsops.RuleTarget](t)(a.RuleTargets(ctx, region, name)); !reflect.DeepEqual(got, []awsops.RuleTarget{target}) {
			t.Errorf("targets = %+v, want %+v", got, target)
		}
	}},
	{"what EventBridge would refuse is refused: a rule name, a state", func(t *testing.T, ctx context.Context, a account) {
		wantKind(t, a.PutRule(ctx, "us-east-1", awsops.Rule{Name: "no spaces", EventPattern: alertPattern, State: awsops.RuleEnabled}), awsops.ErrInvalidInput)
		wantKind(t, a.PutRule(ctx, "us-east-1", awsops.Rule{Name: "ok", EventPattern: alertPattern, State: "ON"}), awsops.ErrInvalidInput)
		wantKind(t, a.PutTargets(ctx, "us-east-1", "no-such-rule", []awsops.RuleTarget{{ID: "x", ARN: "arn:aws:sns:us-east-1:123456789012:x"}}), awsops.ErrNotFound)
	}},
	{"a role: made once, then already exists; its inline policy missing, then set and read back", func(t *testing.T, ctx context.Context, a account) {
		const role, policy = "awssecure-root-activity-forwarding", "put-events-home"
		_, err := a.RolePolicy(ctx, role, policy)
		wantKind(t, err, awsops.ErrNotFound)
		mustDo(t, a.CreateRole(ctx, role, trustEvents, "forwards events"))
		wantKind(t, a.CreateRole(ctx, role, trustEvents, "forwards events"), awsops.ErrAlreadyExists)
		mustDo(t, a.SetRoleTrust(ctx, role, trustEvents))
		_, err = a.RolePolicy(ctx, role, policy)
		wantKind(t, err, awsops.ErrNotFound)
		mustDo(t, a.PutRolePolicy(ctx, role, policy, putEvents))
		mustDo(t, a.PutRolePolicy(ctx, role, policy, putEvents))
		if got := must[string](t)(a.RolePolicy(ctx, role, policy)); !sameJSON(t, got, putEvents) {
			t.Errorf("policy = %s", got)
		}
		wantKind(t, a.PutRolePolicy(ctx, "no-such-role", policy, putEvents), awsops.ErrNotFound)
		wantKind(t, a.CreateRole(ctx, "bad name", trustEvents, ""), awsops.ErrInvalidInput)
	}},
}

// What AWS does that moto does not: the practice account alone is held to
// it.
var practiceOnlyAlertCases = []contractCase{
	{"an event bus of another region as a target needs a role", func(t *testing.T, ctx context.Context, a account) {
		const name = "awssecure-root-activity"
		mustDo(t, a.PutRule(ctx, "eu-west-1", awsops.Rule{Name: name, EventPattern: alertPattern, State: awsops.RuleEnabled}))
		home := awsops.EventBusARN("aws", "us-east-1", awsops.PracticeAccountID)
		wantKind(t, a.PutTargets(ctx, "eu-west-1", name, []awsops.RuleTarget{{ID: "home", ARN: home}}), awsops.ErrInvalidInput)
	}},
	{"a region the account cannot use has no rules to read", func(t *testing.T, ctx context.Context, a account) {
		_, err := a.Rule(ctx, "af-south-1", "awssecure-root-activity")
		wantKind(t, err, awsops.ErrNotActivated)
	}},
	{"published mail lands in the inbox beside the practice file, for the owner's eyes only", func(t *testing.T, ctx context.Context, _ account) {
		dir := t.TempDir()
		p := must[*awsops.Practice](t)(awsops.NewPractice(awsops.PracticeOptions{Path: filepath.Join(dir, "practice.json")}))
		arn := must[string](t)(p.CreateTopic(ctx, alertTopic))
		mustDo(t, p.SubscribeEmail(ctx, arn, "owner@example.com"))
		mustDo(t, p.Publish(ctx, arn, "awssecure test: root activity alert", "What happened: nothing."))
		if p.Inbox() != filepath.Join(dir, "practice-inbox.txt") {
			t.Errorf("inbox = %s", p.Inbox())
		}
		data := must[[]byte](t)(os.ReadFile(p.Inbox()))
		for _, want := range []string{"To: owner@example.com\n", "Subject: awssecure test: root activity alert\n", "\nWhat happened: nothing.\n"} {
			if !strings.Contains(string(data), want) {
				t.Errorf("inbox lacks %q:\n%s", want, data)
			}
		}
		if info := must[os.FileInfo](t)(os.Stat(p.Inbox())); info.Mode().Perm() != 0o600 {
			t.Errorf("inbox mode %v, want 0600", info.Mode().Perm())
		}
	}},
}
