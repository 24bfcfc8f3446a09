package steps_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// someRegions is an account whose enabled regions are *names: a region
// "enabled since" is one more name.
type someRegions struct {
	steps.Account
	names *[]string
}

func (a someRegions) EnabledRegions(context.Context) ([]string, error) {
	return slices.Clone(*a.names), nil
}

func alertCheck(t *testing.T, ctx context.Context, acct steps.Account) steps.Check {
	t.Helper()
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range steps.Checks(snap) {
		if c.ID == steps.CheckRootActivityAlert {
			return c
		}
	}
	t.Fatal("no root-activity-alert check")
	return steps.Check{}
}

// trail turns CloudTrail on as the wizard does, with its defaults.
func trail(t *testing.T, ctx context.Context, acct steps.Account) {
	t.Helper()
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	if err := applied(steps.CloudTrail.Apply(ctx, acct, snap.Caller, steps.CloudTrail.Default(snap))); err != nil {
		t.Fatal(err)
	}
}

func applyAlert(t *testing.T, ctx context.Context, acct steps.Account, email string) steps.Outcome {
	t.Helper()
	snap, err := steps.ReadSnapshot(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	in := steps.RootAlert.Default(snap)
	in.Email = email
	o, err := steps.RootAlert.Apply(ctx, acct, snap.Caller, in)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// On moto, through the real SDK: no alert fails; made, it warns while
// the address is pending and passes once the link is clicked (moto's
// ConfirmSubscription); a rerun after a region is enabled puts the rule
// there and only there, and subscribes no one twice.
func TestRootAlertAgainstMoto(t *testing.T) {
	iam, _, _ := moto.UseThroughProxies(t)
	ctx := awstest.Context(t)
	c, err := awsops.New(ctx, awsops.Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"eu-west-1", "us-east-1"}
	acct := someRegions{c, &names}
	trail(t, ctx, acct)
	if ch := alertCheck(t, ctx, acct); ch.Status != steps.Fail || ch.Detail != "no alert: nobody hears when root is used" || ch.CIS != "4.3" {
		t.Errorf("a new account: %+v", ch)
	}

	if o := applyAlert(t, ctx, acct, "owner@example.com"); !o.Changed || !strings.Contains(o.Said, "Rules in all 2 regions") {
		t.Errorf("apply: %+v", o)
	}
	if ch := alertCheck(t, ctx, acct); ch.Status != steps.Warn || !strings.Contains(ch.Detail, "waiting for owner@example.com to confirm") {
		t.Errorf("the address pending: %+v", ch)
	}
	snap, _ := steps.ReadSnapshot(ctx, acct)
	if said, done := steps.RootAlert.Done(snap); !done || steps.AlertConfirmed(snap) {
		t.Errorf("pending: done=%v (%s) confirmed=%v; want done and not confirmed", done, said, steps.AlertConfirmed(snap))
	}
	topic := awsops.TopicARN("aws", "us-east-1", awstest.MotoAccountID, steps.AlertName)
	moto.ConfirmEmails(t, topic)
	if ch := alertCheck(t, ctx, acct); ch.Status != steps.Pass || ch.Detail != "rules in all 2 regions e-mail owner@example.com" {
		t.Errorf("the link clicked: %+v", ch)
	}

	// What was made, read back: the home rule reshapes the event for the
	// topic; the other region forwards home through the role.
	home := must[[]awsops.RuleTarget](t)(c.RuleTargets(ctx, "us-east-1", steps.AlertName))
	other := must[[]awsops.RuleTarget](t)(c.RuleTargets(ctx, "eu-west-1", steps.AlertName))
	if len(home) != 1 || home[0].ARN != topic || home[0].RoleARN != "" || !strings.Contains(home[0].InputTemplate, "<event>") ||
		len(other) != 1 || other[0].ARN != "arn:aws:events:us-east-1:123456789012:event-bus/default" ||
		other[0].RoleARN != "arn:aws:iam::123456789012:role/"+steps.AlertRole {
		t.Errorf("targets: home %+v, eu-west-1 %+v", home, other)
	}
	if policy := must[string](t)(c.TopicPolicy(ctx, topic)); !sameJSONText(policy, steps.AlertTopicPolicy(awsops.Caller{AccountID: awstest.MotoAccountID}, "us-east-1")) ||
		!strings.Contains(policy, `"aws:SourceArn":"arn:aws:events:us-east-1:123456789012:rule/awssecure-root-activity"`) {
		t.Errorf("topic policy = %s", policy)
	}

	// A region enabled since: the rerun sets the rule there alone.
	names = append(names, "us-west-2")
	if ch := alertCheck(t, ctx, acct); ch.Status != steps.Fail || !strings.Contains(ch.Detail, "no rule in 1 of 3 regions: us-west-2") {
		t.Errorf("a region enabled since: %+v", ch)
	}
	iam.Reset()
	if o := applyAlert(t, ctx, acct, "owner@example.com"); !strings.Contains(o.Said, "1 added now") {
		t.Errorf("rerun: %+v", o)
	}
	if !slices.Equal(iam.Writes(), []string{"PutRule", "PutTargets"}) {
		t.Errorf("the rerun wrote %v; want the new region's rule and target only", iam.Writes())
	}
	if ch := alertCheck(t, ctx, acct); ch.Status != steps.Pass {
		t.Errorf("after the rerun: %+v", ch)
	}
	subs := must[[]awsops.Subscription](t)(c.TopicSubscriptions(ctx, topic))
	if len(subs) != 1 {
		t.Errorf("subscriptions after two runs: %+v", subs)
	}
}

// On the practice account: the address is confirmed EmailConfirmDelay
// after it is subscribed, as if the learner clicked; a test alert reaches
// the confirmed address only; what the check names when a part is gone.
func TestRootAlertOnPractice(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	p, err := awsops.NewPractice(awsops.PracticeOptions{EmailConfirmDelay: 5 * time.Second, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	caller := must[awsops.Caller](t)(p.WhoAmI(ctx))
	if ch := alertCheck(t, ctx, p); ch.Status != steps.Fail {
		t.Errorf("a new account: %+v", ch)
	}
	applyAlert(t, ctx, p, "owner@example.com")
	if ch := alertCheck(t, ctx, p); ch.Status != steps.Fail || ch.Detail != "no trail logs every region: EventBridge sees no API call" {
		t.Errorf("no trail yet: %+v", ch)
	}
	trail(t, ctx, p)
	if ch := alertCheck(t, ctx, p); ch.Status != steps.Warn {
		t.Errorf("pending: %+v", ch)
	}
	// Unconfirmed, a test alert reaches nobody.
	if _, err := steps.SendTestAlert(ctx, p, caller); err != nil || len(p.Mail()) != 0 {
		t.Errorf("test alert before the link: %v, delivered %+v", err, p.Mail())
	}
	// Waiting on the screen: a read of the subscribers, before and after
	// the learner's "click".
	change, err := steps.ReadAlertSubscribers(ctx, p, caller)
	if err != nil || steps.AlertConfirmed(steps.Snapshot{}.With(change)) {
		t.Errorf("before the delay: confirmed (%v)", err)
	}
	now = now.Add(5 * time.Second)
	change, err = steps.ReadAlertSubscribers(ctx, p, caller)
	if err != nil || !steps.AlertConfirmed(steps.Snapshot{}.With(change)) {
		t.Errorf("after the delay: not confirmed (%v)", err)
	}
	if ch := alertCheck(t, ctx, p); ch.Status != steps.Pass {
		t.Errorf("confirmed: %+v", ch)
	}
	o, err := steps.SendTestAlert(ctx, p, caller)
	mail := p.Mail()
	if err != nil || len(mail) != 1 || mail[0].To != "owner@example.com" || mail[0].Subject != steps.AlertTestSubject(caller.AccountID) {
		t.Fatalf("test alert: %v %+v, delivered %+v", err, o, mail)
	}
	for _, want := range []string{"Nothing happened to your account", "change root's password", "Event history", "https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events"} {
		if !strings.Contains(mail[0].Body, want) {
			t.Errorf("the test alert does not say %q:\n%s", want, mail[0].Body)
		}
	}

	// A region's rule turned off, and the forwarding role's policy gone.
	if err := p.PutRule(ctx, "eu-west-1", awsops.Rule{Name: steps.AlertName, EventPattern: steps.RootActivityPattern, State: awsops.RuleDisabled}); err != nil {
		t.Fatal(err)
	}
	if ch := alertCheck(t, ctx, p); ch.Status != steps.Fail || !strings.Contains(ch.Detail, "no rule in 1 of 6 regions: eu-west-1") {
		t.Errorf("a rule off: %+v", ch)
	}
	snap, _ := steps.ReadSnapshot(ctx, p)
	if _, done := steps.RootAlert.Done(snap); done {
		t.Error("a rule off, the step is still done")
	}
	applyAlert(t, ctx, p, "owner@example.com")
	if ch := alertCheck(t, ctx, p); ch.Status != steps.Pass {
		t.Errorf("rerun after a rule was turned off: %+v", ch)
	}
}

// Each way the alert can fall short is named: the check is the auditor's
// verdict, and the done screen's.
func TestRootAlertCheckSaysWhatIsMissing(t *testing.T) {
	caller := awsops.Caller{AccountID: "111122223333", ARN: "arn:aws:iam::111122223333:root"}
	rule := func(region string) steps.AlertRegion {
		target := awsops.RuleTarget{ID: "awssecure-root-activity", ARN: "arn:aws:events:us-east-1:111122223333:event-bus/default",
			RoleARN: "arn:aws:iam::111122223333:role/" + steps.AlertRole}
		if region == "us-east-1" {
			target = awsops.RuleTarget{ID: "awssecure-root-activity", ARN: awsops.TopicARN("aws", "us-east-1", "111122223333", steps.AlertName)}
		}
		// EventBridge keeps the pattern re-encoded: the same, in other bytes.
		pattern := strings.ReplaceAll(steps.RootActivityPattern, ":", ": ")
		return steps.AlertRegion{Name: region, Rule: &awsops.Rule{Name: steps.AlertName, State: awsops.RuleEnabled, EventPattern: pattern},
			Targets: []awsops.RuleTarget{target}}
	}
	good := func() steps.Snapshot {
		return steps.Snapshot{Caller: caller,
			Trails: []steps.TrailFacts{{Trail: awsops.Trail{Name: "t", MultiRegion: true, LogFileValidation: true}, Logging: true}},
			Alert: steps.AlertFacts{Region: "us-east-1", Forwarding: true,
				Subscriptions: []awsops.Subscription{{Protocol: "email", Endpoint: "owner@example.com"}},
				Regions:       []steps.AlertRegion{rule("eu-west-1"), rule("us-east-1")}}}
	}
	for _, tc := range []struct {
		name   string
		change func(s *steps.Snapshot)
		status steps.CheckStatus
		detail string
	}{
		{"in place", func(*steps.Snapshot) {}, steps.Pass, "rules in all 2 regions e-mail owner@example.com"},
		{"pending", func(s *steps.Snapshot) { s.Alert.Subscriptions[0].Pending = true }, steps.Warn,
			"waiting for owner@example.com to confirm the e-mail (the link in AWS's message)"},
		{"no subscriber", func(s *steps.Snapshot) { s.Alert.Subscriptions = nil }, steps.Fail, "topic awssecure-root-activity e-mails nobody"},
		{"an SMS subscriber is not an e-mail", func(s *steps.Snapshot) { s.Alert.Subscriptions[0].Protocol = "sms" }, steps.Fail, "e-mails nobody"},
		{"no topic", func(s *steps.Snapshot) { s.Alert.TopicMissing, s.Alert.Subscriptions = true, nil }, steps.Fail, "no topic awssecure-root-activity in us-east-1"},
		{"a rule disabled", func(s *steps.Snapshot) { s.Alert.Regions[0].Rule.State = awsops.RuleDisabled }, steps.Fail, "no rule in 1 of 2 regions: eu-west-1"},
		{"a rule matching something else", func(s *steps.Snapshot) { s.Alert.Regions[1].Rule.EventPattern = `{"source":["aws.ec2"]}` }, steps.Fail, "no rule in 1 of 2 regions: us-east-1"},
		{"a rule forwarding without the role", func(s *steps.Snapshot) { s.Alert.Regions[0].Targets[0].RoleARN = "" }, steps.Fail, "eu-west-1"},
		{"the role gone", func(s *steps.Snapshot) { s.Alert.Forwarding = false }, steps.Fail, "role " + steps.AlertRole + " is missing"},
		{"no trail logging", func(s *steps.Snapshot) { s.Trails[0].Logging = false }, steps.Fail, "no trail logs every region"},
		{"a region unreadable", func(s *steps.Snapshot) {
			s.Alert.Regions[0] = steps.AlertRegion{Name: "eu-west-1", Err: &awsops.OpError{Action: "events:DescribeRule", Kind: awsops.ErrAccessDenied}}
		}, steps.Unknown, "eu-west-1: AWS denied events:DescribeRule"},
		{"regions unreadable", func(s *steps.Snapshot) {
			s.Alert.RegionsErr = &awsops.OpError{Action: "ec2:DescribeRegions", Kind: awsops.ErrAccessDenied}
		}, steps.Unknown, "ec2:DescribeRegions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := good()
			tc.change(&s)
			var got steps.Check
			for _, c := range steps.Checks(s) {
				if c.ID == steps.CheckRootActivityAlert {
					got = c
				}
			}
			if got.Status != tc.status || !strings.Contains(got.Detail, tc.detail) || got.CIS != "4.3" {
				t.Errorf("%s: %s (%s), want %s holding %q", tc.name, got.Status, got.Detail, tc.status, tc.detail)
			}
		})
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
