package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// The names of what the root activity alert makes: the topic and, in each
// enabled region, the rule are both AlertName.
const (
	AlertName = "awssecure-root-activity"
	// AlertRole is the role EventBridge takes to put another region's
	// events on the home region's event bus: a rule may deliver to a topic
	// of its own region only, so every other region forwards home.
	AlertRole       = "awssecure-root-activity-forwarding"
	AlertRolePolicy = "put-events-on-the-home-event-bus"
	alertTargetID   = "awssecure-root-activity"
)

// RootActivityPattern matches what the root user does: its console
// sign-ins and the API calls it makes, as CloudTrail hands them to
// EventBridge (in the region of the call; sign-ins and global services
// such as IAM in us-east-1). It leaves out calls an AWS service made for
// root (userIdentity.invokedBy), as CIS 4.3's filter does. Only AWS can
// send an event whose source begins with "aws.", so no one can forge one
// with events:PutEvents.
const RootActivityPattern = `{"source":[{"prefix":"aws."}],` +
	`"detail-type":["AWS API Call via CloudTrail","AWS Console Sign In via CloudTrail"],` +
	`"detail":{"userIdentity":{"type":["Root"],"invokedBy":[{"exists":false}]}}}`

// AlertRuleState is plain ENABLED: a sign-in and every change root makes
// are matched; the read-only calls (Describe, Get, List) that only
// ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS adds are not: a root
// console session makes dozens a minute, and one e-mail per sign-in is
// what an owner reads.
const AlertRuleState = awsops.RuleEnabled

// AlertCost is what the alert costs, said before anything is made.
const AlertCost = "nothing while root stays unused: matching AWS's events is free, sending one on to another region " +
	"costs $1 a million, and 1,000 e-mails a month are free."

// AlertConfirmNote is what the owner must do for any alert to arrive.
const AlertConfirmNote = "AWS e-mails the address a link (\"AWS Notification - Subscription Confirmation\"): nothing is delivered until you click its Confirm subscription."

// AlertRequest is what the root activity alert step will do: make the
// topic in Region (the home region) with Email subscribed, and a rule in
// every enabled region (the apply lists them again).
type AlertRequest struct {
	Email  string
	Region string
	// Regions are the enabled regions the preflight saw, for the screen
	// and the CLI.
	Regions []string
}

// AlertFacts are what the root activity alert step reads: the topic's
// subscribers (home region), the rule of each enabled region with its
// targets, and whether the role that forwards other regions' events home
// has its policy. Each with its own error.
type AlertFacts struct {
	Region           string // the home region, where the topic is
	TopicMissing     bool
	Subscriptions    []awsops.Subscription
	SubscriptionsErr error
	Regions          []AlertRegion
	RegionsErr       error
	Forwarding       bool
	ForwardingErr    error
}

// AlertRegion is one enabled region's rule (nil: none) and its targets.
type AlertRegion struct {
	Name    string
	Rule    *awsops.Rule
	Targets []awsops.RuleTarget
	Err     error
}

// RootAlert is the root activity alert step (DESIGN step 10; seed 001:
// CloudTrail "sends out alerts for specific events"; CIS 4.3): once the
// handoff is done root should never be used again, so the one event an
// owner must hear about at once is root being used.
var RootAlert = FormStep[AlertRequest]{
	Step: Step{
		ID: "rootalert",
		Info: Info{
			Title: "Know the moment root is used",
			Why: "Once your admin user works, root should never be used again. If it is — a sign-in, or a change made with its keys — " +
				"you want an e-mail at once, not a surprise later (CIS 4.3). EventBridge rules in every region send root's activity to an SNS topic that e-mails you.",
			ConsolePath: "EventBridge → Rules → Create rule (in each region); SNS → Topics → Create topic → Create subscription",
			ConsoleURL:  "https://console.aws.amazon.com/events/home#/rules",
		},
		ReadFirst: readAlertRules,
		Read:      readAlertTopic,
		Checks:    func(s Snapshot) []Check { return []Check{rootAlertCheck(s)} },
	},
	Done: func(s Snapshot) (string, bool) {
		if !alertInPlace(s) {
			return "", false
		}
		return fmt.Sprintf("rules in all %d regions send root's sign-ins and changes to topic %s (%s).", len(s.Alert.Regions), AlertName, s.Alert.Region), true
	},
	Default: func(s Snapshot) AlertRequest {
		region := s.Alert.Region
		if region == "" {
			region = awsops.DefaultRegion
		}
		var regions []string
		for _, r := range s.Alert.Regions {
			regions = append(regions, r.Name)
		}
		return AlertRequest{Email: defaultAlertEmail(s), Region: region, Regions: regions}
	},
	Doing: func(in AlertRequest) string {
		return "Making topic " + AlertName + " and the rules in every region…"
	},
	Apply: applyRootAlert,
	CLI:   rootAlertCLI,
}

// defaultAlertEmail is the address the form offers: one already
// subscribed, else the budget's (this session's), else the security
// contact's.
func defaultAlertEmail(s Snapshot) string {
	if emails := alertEmails(s.Alert.Subscriptions, false); len(emails) > 0 {
		return emails[0]
	}
	if emails := alertEmails(s.Alert.Subscriptions, true); len(emails) > 0 {
		return emails[0]
	}
	if s.BudgetEmail != "" {
		return s.BudgetEmail
	}
	return s.Guards.Contacts[awsops.ContactSecurity].Email
}

// alertEmails are the e-mail subscribers that are pending (or confirmed).
func alertEmails(subs []awsops.Subscription, pending bool) []string {
	var emails []string
	for _, sub := range subs {
		if sub.Protocol == awsops.ProtocolEmail && sub.Pending == pending {
			emails = append(emails, sub.Endpoint)
		}
	}
	return emails
}

// AlertConfirmed reports whether an address confirmed its subscription:
// alerts reach someone.
func AlertConfirmed(s Snapshot) bool { return len(alertEmails(s.Alert.Subscriptions, false)) > 0 }

// AlertWaiting says who gets the alerts and who has not confirmed yet.
func AlertWaiting(s Snapshot) string {
	confirmed, pending := alertEmails(s.Alert.Subscriptions, false), alertEmails(s.Alert.Subscriptions, true)
	var lines []string
	if len(confirmed) > 0 {
		lines = append(lines, "Alerts e-mail "+printableList(confirmed)+".")
	}
	if len(pending) > 0 {
		lines = append(lines, "Waiting for you to confirm the e-mail to "+printableList(pending)+": click the link in AWS's message.")
	}
	return strings.Join(lines, "\n")
}

func printableList(items []string) string {
	var out []string
	for _, it := range items {
		out = append(out, inert.PrintableLine(it))
	}
	return strings.Join(out, ", ")
}

// AlertTrailWarning is why root's API calls would not reach the alert:
// EventBridge gets them only while a trail logs them, in every region.
// It is "" when a multi-region trail is logging.
func AlertTrailWarning(s Snapshot) string {
	if s.TrailsErr == nil && trailLogsEverywhere(s.Trails) {
		return ""
	}
	return "No trail logs every region: EventBridge gets root's API calls only while one does. Turn CloudTrail on (step " +
		fmt.Sprint(slices.IndexFunc(Steps, func(st Step) bool { return st.ID == CloudTrail.ID })+1) + ") — run awssecure again."
}

func trailLogsEverywhere(trails []TrailFacts) bool {
	return slices.ContainsFunc(trails, func(t TrailFacts) bool { return t.Logging && t.MultiRegion })
}

// readAlertRules lists the enabled regions and reads each one's rule and
// its targets, all regions at once, beside the forwarding role: one round
// trip after the region list, as the guardrails' regional reads.
func readAlertRules(ctx context.Context, acct Account, s *Snapshot) {
	a := &s.Alert
	a.Region = acct.Region()
	together(
		func() { a.Regions, a.RegionsErr = readAlertRegions(ctx, acct) },
		func() { a.Forwarding, a.ForwardingErr = readForwarding(ctx, acct) },
	)
}

// readAlertTopic reads the topic's subscribers; its ARN holds the
// account's id, so it waits for the caller.
func readAlertTopic(ctx context.Context, acct Account, s *Snapshot) {
	a := &s.Alert
	a.Subscriptions, a.TopicMissing, a.SubscriptionsErr = readSubscriptions(ctx, acct, alertTopicARN(s.Caller, acct.Region()))
}

func readSubscriptions(ctx context.Context, acct Account, topic string) ([]awsops.Subscription, bool, error) {
	subs, err := acct.TopicSubscriptions(ctx, topic)
	if isNotFound(err) {
		return nil, true, nil
	}
	return subs, false, err
}

func readForwarding(ctx context.Context, acct Account) (bool, error) {
	_, err := acct.RolePolicy(ctx, AlertRole, AlertRolePolicy)
	if isNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

func readAlertRegions(ctx context.Context, acct Account) ([]AlertRegion, error) {
	names, err := acct.EnabledRegions(ctx)
	if err != nil {
		return nil, err
	}
	regions := make([]AlertRegion, len(names))
	var reads []func()
	for i, name := range names {
		r := &regions[i]
		r.Name = name
		reads = append(reads, func() { *r = readAlertRegion(ctx, acct, name) })
	}
	together(reads...)
	return regions, nil
}

// readAlertRegion reads a region's rule and its targets at once: two
// calls in one round trip, where reading the targets after the rule
// would take two.
func readAlertRegion(ctx context.Context, acct Account, region string) AlertRegion {
	r := AlertRegion{Name: region}
	var rule awsops.Rule
	var ruleErr, targetsErr error
	together(
		func() { rule, ruleErr = acct.Rule(ctx, region, AlertName) },
		func() { r.Targets, targetsErr = acct.RuleTargets(ctx, region, AlertName) },
	)
	if ruleErr == nil {
		r.Rule = &rule
	}
	for _, err := range []error{ruleErr, targetsErr} {
		if err != nil && !isNotFound(err) && r.Err == nil {
			r.Err = err
		}
	}
	if r.Err != nil || r.Rule == nil {
		r.Targets = nil
	}
	return r
}

func alertTopicARN(caller awsops.Caller, home string) string {
	return awsops.TopicARN(caller.Partition(), home, caller.AccountID, AlertName)
}

func alertRoleARN(caller awsops.Caller) string {
	return "arn:" + caller.Partition() + ":iam::" + caller.AccountID + ":role/" + AlertRole
}

// alertTarget is where region's rule delivers: the topic in the home
// region, the home region's event bus (through the role) elsewhere. The
// topic's target turns the event into a sentence that says what root
// did, where, when and what to do.
func alertTarget(caller awsops.Caller, home, region string) awsops.RuleTarget {
	if region != home {
		return awsops.RuleTarget{ID: alertTargetID, ARN: awsops.EventBusARN(caller.Partition(), home, caller.AccountID), RoleARN: alertRoleARN(caller)}
	}
	return awsops.RuleTarget{ID: alertTargetID, ARN: alertTopicARN(caller, home), InputPaths: alertInputPaths, InputTemplate: alertInputTemplate}
}

// The alert's e-mail: EventBridge fills each <name> from the event.
var alertInputPaths = map[string]string{
	"account": "$.account", "kind": "$.detail-type", "event": "$.detail.eventName",
	"region": "$.detail.awsRegion", "time": "$.time", "ip": "$.detail.sourceIPAddress",
}

const alertInputTemplate = `"ROOT USER ACTIVITY in AWS account <account>: <kind> <event> in <region> at <time> (UTC), from <ip>. ` +
	`Root should no longer be used. If this was not you, sign in as root now, change its password and check that its MFA is still yours; ` +
	`then see what was done in CloudTrail, Event history, user name root: https://console.aws.amazon.com/cloudtrail/home?region=<region>#/events ` +
	`(alert rule ` + AlertName + `, set up by awssecure)"`

// ruleInPlace says whether a region's rule is ours as made: enabled,
// matching root's activity, delivering where it should.
func (r AlertRegion) ruleInPlace(caller awsops.Caller, home string) bool {
	if r.Err != nil || r.Rule == nil || !r.Rule.Enabled() || !samePattern(r.Rule.EventPattern, RootActivityPattern) {
		return false
	}
	want := alertTarget(caller, home, r.Name)
	return slices.ContainsFunc(r.Targets, func(t awsops.RuleTarget) bool { return t.ARN == want.ARN && t.RoleARN == want.RoleARN })
}

// samePattern compares two event patterns as EventBridge reads them:
// EventBridge keeps a pattern re-encoded, not byte for byte.
func samePattern(a, b string) bool {
	var x, y any
	return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && reflect.DeepEqual(x, y)
}

// alertInPlace is the step done: the topic with an e-mail subscriber
// (confirmed or not: the rest is the owner's click), a rule in every
// enabled region, and the role when other regions forward home.
func alertInPlace(s Snapshot) bool {
	a := s.Alert
	if a.RegionsErr != nil || a.SubscriptionsErr != nil || a.TopicMissing || len(a.Regions) == 0 ||
		len(alertEmails(a.Subscriptions, false))+len(alertEmails(a.Subscriptions, true)) == 0 {
		return false
	}
	for _, r := range a.Regions {
		if !r.ruleInPlace(s.Caller, a.Region) {
			return false
		}
	}
	return !needsForwarding(a) || a.Forwarding
}

func needsForwarding(a AlertFacts) bool {
	return slices.ContainsFunc(a.Regions, func(r AlertRegion) bool { return r.Name != a.Region })
}

// AlertTopicPolicy is the topic's whole policy: EventBridge may publish,
// for the home region's rule of this account only (aws:SourceArn,
// aws:SourceAccount). The account's own users and roles publish, read and
// manage the topic through their IAM permissions, as root does.
func AlertTopicPolicy(caller awsops.Caller, home string) string {
	topic := alertTopicARN(caller, home)
	rule := "arn:" + caller.Partition() + ":events:" + home + ":" + caller.AccountID + ":rule/" + AlertName
	return policyJSON(map[string]any{
		"Version": "2012-10-17", "Id": AlertName,
		"Statement": []map[string]any{{
			"Sid": "EventBridgeRuleOfThisAccount", "Effect": "Allow",
			"Principal": map[string]string{"Service": "events.amazonaws.com"},
			"Action":    "sns:Publish", "Resource": topic,
			"Condition": map[string]map[string]string{
				"StringEquals": {"aws:SourceAccount": caller.AccountID},
				"ArnEquals":    {"aws:SourceArn": rule},
			},
		}},
	})
}

// AlertRoleTrust lets EventBridge of this account, and no one else, take
// the forwarding role.
func AlertRoleTrust(caller awsops.Caller) string {
	return policyJSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect": "Allow", "Principal": map[string]string{"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole",
			"Condition": map[string]map[string]string{"StringEquals": {"aws:SourceAccount": caller.AccountID}},
		}},
	})
}

// AlertRolePolicyDocument lets the role put events on the home region's
// default event bus, and nowhere else.
func AlertRolePolicyDocument(caller awsops.Caller, home string) string {
	return policyJSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect": "Allow", "Action": "events:PutEvents", "Resource": awsops.EventBusARN(caller.Partition(), home, caller.AccountID),
		}},
	})
}

func policyJSON(doc map[string]any) string {
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err) // maps of strings always encode
	}
	return string(b)
}

// applyRootAlert makes what is missing, reading first: the topic and its
// policy (set whole, only when it is not ours as made); the address,
// unless subscribed already; the forwarding role; and, in every region
// enabled now, the rule, where it is not in place. A rerun writes only
// what is missing, such as a region enabled since.
func applyRootAlert(ctx context.Context, acct Account, caller awsops.Caller, in AlertRequest) (Outcome, error) {
	home := acct.Region()
	names, err := acct.EnabledRegions(ctx)
	if err != nil {
		return Outcome{}, err
	}
	topic, subs, err := ensureTopic(ctx, acct, caller, home)
	if err != nil {
		return Outcome{}, err
	}
	email := strings.TrimSpace(in.Email)
	var said []string
	if !slices.ContainsFunc(subs, func(s awsops.Subscription) bool {
		return s.Protocol == awsops.ProtocolEmail && strings.EqualFold(s.Endpoint, email)
	}) {
		if err := acct.SubscribeEmail(ctx, topic, email); err != nil {
			return Outcome{}, err
		}
		said = append(said, inert.PrintableLine(email)+" subscribed: AWS mailed it a link to confirm the address.")
		if subs, err = acct.TopicSubscriptions(ctx, topic); err != nil {
			return Outcome{}, err
		}
	}
	forwarding := false
	if slices.ContainsFunc(names, func(n string) bool { return n != home }) {
		if err := ensureForwarding(ctx, acct, caller, home); err != nil {
			return Outcome{}, err
		}
		forwarding = true
	}
	regions, added, err := ensureRules(ctx, acct, caller, home, names)
	if err != nil {
		return Outcome{}, err
	}
	rules := fmt.Sprintf("Rules in all %d regions send root's sign-ins and changes to topic %s (%s)", len(names), AlertName, home)
	switch {
	case added == len(names):
	case added > 0:
		rules += fmt.Sprintf("; %d added now", added)
	default:
		rules += "; they were in place"
	}
	said = append([]string{rules + "."}, said...)
	return Outcome{Changed: true, Said: strings.Join(said, "\n"), Change: func(s *Snapshot) {
		s.Alert = AlertFacts{Region: home, Subscriptions: subs, Regions: regions, Forwarding: forwarding}
	}}, nil
}

// ensureTopic returns the topic's ARN and its subscribers, making the
// topic when there is none and setting its policy whole when it is not
// ours as made (a topic of our name is ours: awssecure made it).
func ensureTopic(ctx context.Context, acct Account, caller awsops.Caller, home string) (string, []awsops.Subscription, error) {
	topic, want := alertTopicARN(caller, home), AlertTopicPolicy(caller, home)
	subs, missing, err := readSubscriptions(ctx, acct, topic)
	if err != nil {
		return "", nil, err
	}
	if missing {
		if topic, err = acct.CreateTopic(ctx, AlertName); err != nil {
			return "", nil, err
		}
		return topic, nil, acct.SetTopicPolicy(ctx, topic, want)
	}
	policy, err := acct.TopicPolicy(ctx, topic)
	if err != nil {
		return "", nil, err
	}
	if !samePattern(policy, want) {
		err = acct.SetTopicPolicy(ctx, topic, want)
	}
	return topic, subs, err
}

// ensureForwarding makes the role other regions' rules take to put root's
// events on the home region's bus, with who may take it and what it may
// do set whole (a role of our name from an earlier run is ours). A role
// whose policy is ours as made was finished by a run before: its trust
// is set before its policy.
func ensureForwarding(ctx context.Context, acct Account, caller awsops.Caller, home string) error {
	document := AlertRolePolicyDocument(caller, home)
	policy, err := acct.RolePolicy(ctx, AlertRole, AlertRolePolicy)
	switch {
	case err == nil && samePattern(policy, document):
		return nil
	case err != nil && !isNotFound(err):
		return err
	}
	trust := AlertRoleTrust(caller)
	err = acct.CreateRole(ctx, AlertRole, trust, "awssecure: EventBridge forwards root's activity to "+home+", where it is e-mailed")
	if errors.Is(err, awsops.ErrAlreadyExists) {
		err = acct.SetRoleTrust(ctx, AlertRole, trust)
	}
	if err != nil {
		return err
	}
	return acct.PutRolePolicy(ctx, AlertRole, AlertRolePolicy, document)
}

// ensureRules reads each region's rule and puts it, with its target, where
// it is not in place; regions at once, bounded as the guardrails' writes
// are. It returns every region as it stands after, and how many it set.
func ensureRules(ctx context.Context, acct Account, caller awsops.Caller, home string, names []string) ([]AlertRegion, int, error) {
	regions := make([]AlertRegion, len(names))
	set := make([]bool, len(names))
	var g errgroup.Group
	g.SetLimit(guardParallel)
	var crash panicked
	for i, name := range names {
		g.Go(func() error {
			defer crash.catch()
			r := readAlertRegion(ctx, acct, name)
			if r.Err != nil {
				return r.Err
			}
			if !r.ruleInPlace(caller, home) {
				rule := awsops.Rule{Name: AlertName, EventPattern: RootActivityPattern, State: AlertRuleState,
					Description: "awssecure: root's console sign-ins and API calls (CIS 4.3), e-mailed by topic " + AlertName + " in " + home}
				target := alertTarget(caller, home, name)
				if err := acct.PutRule(ctx, name, rule); err != nil {
					return err
				}
				if err := acct.PutTargets(ctx, name, AlertName, []awsops.RuleTarget{target}); err != nil {
					return err
				}
				r.Rule, r.Targets, set[i] = &rule, []awsops.RuleTarget{target}, true
			}
			regions[i] = r
			return nil
		})
	}
	err := g.Wait()
	crash.repanic()
	if err != nil {
		return nil, 0, err
	}
	added := 0
	for _, s := range set {
		if s {
			added++
		}
	}
	return regions, added, nil
}

// AlertTestSubject is the subject of the test alert.
func AlertTestSubject(account string) string {
	return "awssecure test: root activity alert for AWS account " + account
}

// AlertTestMessage is the test alert: what happened (nothing: a test),
// what a real alert means, and what to do when one comes.
func AlertTestMessage(caller awsops.Caller, home string) string {
	return "This is a test, sent by awssecure. Nothing happened to your account.\n\n" +
		"A real alert comes when the root user of AWS account " + caller.AccountID + " is used: a console sign-in, " +
		"or a change made with root's credentials, in any region. It says what was done, where, when, and from which IP address.\n\n" +
		"If a real one comes and it was not you:\n" +
		"1. Sign in as root at once, change root's password, and check that root's MFA device is still yours:\n" +
		"   https://console.aws.amazon.com/iam/home#/security_credentials\n" +
		"2. See what was done: CloudTrail, Event history, filter User name = root:\n" +
		"   https://console.aws.amazon.com/cloudtrail/home?region=" + home + "#/events\n" +
		"3. Delete any access key root has, and look for users, roles and keys you did not make.\n\n" +
		"Sent to topic " + alertTopicARN(caller, home) + ". Real alerts come from the EventBridge rule " + AlertName + " in each enabled region."
}

// SendTestAlert publishes the test alert to the topic: every confirmed
// address gets it.
func SendTestAlert(ctx context.Context, acct Account, caller awsops.Caller) (Outcome, error) {
	home := acct.Region()
	if err := acct.Publish(ctx, alertTopicARN(caller, home), AlertTestSubject(caller.AccountID), AlertTestMessage(caller, home)); err != nil {
		return Outcome{}, err
	}
	return Outcome{Said: "Test alert sent. It reaches each confirmed address within a minute or two: subject \"" + AlertTestSubject(caller.AccountID) + "\"."}, nil
}

// ReadAlert reads the alert's facts afresh, for its screen: a step
// before it in this session may have enabled a region since the
// preflight read them, and that region needs its rule.
func ReadAlert(ctx context.Context, acct Account, caller awsops.Caller) Change {
	s := Snapshot{Caller: caller}
	// Different fields of s.Alert: the rules' read sets Region, Regions
	// and Forwarding, the topic's the subscribers.
	together(func() { readAlertRules(ctx, acct, &s) }, func() { readAlertTopic(ctx, acct, &s) })
	alert := s.Alert
	return func(snap *Snapshot) { snap.Alert = alert }
}

// ReadAlertSubscribers reads the topic's subscribers again, for the done
// screen that waits for the owner to click the link. Its Change records them.
func ReadAlertSubscribers(ctx context.Context, acct Account, caller awsops.Caller) (Change, error) {
	subs, missing, err := readSubscriptions(ctx, acct, alertTopicARN(caller, acct.Region()))
	if err != nil {
		return nil, err
	}
	return func(s *Snapshot) {
		s.Alert.Subscriptions, s.Alert.TopicMissing, s.Alert.SubscriptionsErr = subs, missing, nil
	}, nil
}

// AlertTestCLI is the aws CLI of the test alert, its message written to
// a file first.
func AlertTestCLI(caller awsops.Caller, home string) string {
	return textFileCLI("test-alert.txt", AlertTestMessage(caller, home)) + "\n" +
		"aws sns publish --region " + inert.ShellWord(home) + " --topic-arn " + inert.ShellWord(alertTopicARN(caller, home)) +
		" --subject " + inert.ShellWord(AlertTestSubject(caller.AccountID)) + " --message file://test-alert.txt"
}

// rootAlertCLI is the aws CLI for in, each document written before the
// command that reads it (see fileCLI): the topic's policy
// (AlertTopicPolicy), the role's trust and permission, the rules'
// pattern, and the two targets: the topic in the home region, the home
// region's event bus (through the role) in the others.
func rootAlertCLI(caller awsops.Caller, in AlertRequest) string {
	email := strings.TrimSpace(in.Email)
	if email == "" {
		email = "you@example.com"
	}
	// The documents name the account, the home region and awssecure's
	// name for what it makes by variable: their lines stay short.
	vars := awsops.Caller{AccountID: shellVar("A"), ARN: "arn:" + caller.Partition() + ":iam::" + shellVar("A") + ":root"}
	home := shellVar("H")
	doc := func(name, d string) string { return fileCLI(name, strings.ReplaceAll(d, AlertName, shellVar("N"))) }
	return strings.Join([]string{
		assignments("A", caller.AccountID, "H", in.Region, "N", AlertName, "T", alertTopicARN(caller, in.Region)),
		`aws sns create-topic --name "$N" --region "$H"`,
		doc("topic-policy.json", AlertTopicPolicy(vars, home)),
		`aws sns set-topic-attributes --topic-arn "$T" --attribute-name Policy --attribute-value file://topic-policy.json --region "$H"`,
		`aws sns subscribe --topic-arn "$T" --protocol email --notification-endpoint ` + inert.ShellWord(email) + ` --region "$H"`,
		doc("trust.json", AlertRoleTrust(vars)),
		"aws iam create-role --role-name " + AlertRole + " --assume-role-policy-document file://trust.json",
		doc("put-events.json", AlertRolePolicyDocument(vars, home)),
		"aws iam put-role-policy --role-name " + AlertRole + " --policy-name " + AlertRolePolicy + " --policy-document file://put-events.json",
		doc("root.json", RootActivityPattern),
		fileCLI("target-home.json", awsops.TargetsDocument(alertTarget(vars, home, home))), // the e-mail's text names the rule
		doc("target-other.json", awsops.TargetsDocument(alertTarget(vars, home, "other"))),
		"for r in $(aws ec2 describe-regions --query 'Regions[].RegionName' --output text); do",
		`  t=target-other.json; [ "$r" = "$H" ] && t=target-home.json`,
		`  aws events put-rule --name "$N" --event-pattern file://root.json --region "$r"`,
		`  aws events put-targets --rule "$N" --targets "file://$t" --region "$r"; done`,
	}, "\n")
}

func rootAlertCheck(s Snapshot) Check {
	const title, cis = "Root activity alert", "4.3"
	a := s.Alert
	switch {
	case a.RegionsErr != nil:
		return unknown(CheckRootActivityAlert, title, cis, a.RegionsErr)
	case a.SubscriptionsErr != nil:
		return unknown(CheckRootActivityAlert, title, cis, a.SubscriptionsErr)
	}
	var missing []string
	unread := map[string][]string{}
	for _, r := range a.Regions {
		switch {
		case r.Err != nil:
			reason := regionReason(r.Err, r.Name)
			unread[reason] = append(unread[reason], r.Name)
		case !r.ruleInPlace(s.Caller, a.Region):
			missing = append(missing, r.Name)
		}
	}
	confirmed, pending := alertEmails(a.Subscriptions, false), alertEmails(a.Subscriptions, true)
	if a.TopicMissing && len(missing) == len(a.Regions) {
		return Check{CheckRootActivityAlert, Fail, title, "no alert: nobody hears when root is used", cis}
	}
	var lacks []string
	switch {
	case a.TopicMissing:
		lacks = append(lacks, "no topic "+AlertName+" in "+a.Region)
	case len(confirmed)+len(pending) == 0:
		lacks = append(lacks, "topic "+AlertName+" e-mails nobody")
	}
	if len(missing) > 0 {
		lacks = append(lacks, fmt.Sprintf("no rule in %d of %d regions: %s", len(missing), len(a.Regions), nameSome(missing)))
	}
	if needsForwarding(a) && !a.Forwarding && a.ForwardingErr == nil {
		lacks = append(lacks, "role "+AlertRole+" is missing: other regions' activity does not reach "+a.Region)
	}
	if s.TrailsErr == nil && !trailLogsEverywhere(s.Trails) {
		lacks = append(lacks, "no trail logs every region: EventBridge sees no API call")
	}
	var notes []string
	for _, reason := range slices.Sorted(maps.Keys(unread)) {
		notes = append(notes, nameSome(unread[reason])+": "+reason)
	}
	if a.ForwardingErr != nil {
		notes = append(notes, "role "+AlertRole+": "+strings.TrimSuffix(Explain(a.ForwardingErr).What, "."))
	}
	if s.TrailsErr != nil {
		notes = append(notes, "trails: "+strings.TrimSuffix(Explain(s.TrailsErr).What, "."))
	}
	if pendingRegions := s.enablingRegions(guardRegions(a.Regions)); len(pendingRegions) > 0 {
		notes = append(notes, nameSome(pendingRegions)+": still enabling, rerun once on")
	}
	detail := strings.Join(append(lacks, notes...), "; ")
	unreadable := len(unread) > 0 || a.ForwardingErr != nil || s.TrailsErr != nil
	switch {
	case len(lacks) > 0:
		return Check{CheckRootActivityAlert, Fail, title, detail, cis}
	case unreadable:
		return Check{CheckRootActivityAlert, Unknown, title, "could not be read: " + detail, cis}
	case len(confirmed) == 0:
		return Check{CheckRootActivityAlert, Warn, title, strings.Join(append([]string{"waiting for " + printableList(pending) +
			" to confirm the e-mail (the link in AWS's message)"}, notes...), "; "), cis}
	}
	return Check{CheckRootActivityAlert, Pass, title, strings.Join(append([]string{fmt.Sprintf("rules in all %d regions e-mail %s",
		len(a.Regions), printableList(confirmed))}, notes...), "; "), cis}
}

// guardRegions are the alert's regions as the guardrails' region list, for
// enablingRegions.
func guardRegions(regions []AlertRegion) []RegionGuard {
	var out []RegionGuard
	for _, r := range regions {
		out = append(out, RegionGuard{Name: r.Name})
	}
	return out
}
