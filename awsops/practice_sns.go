package awsops

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// practiceTopic is an SNS topic of the practice account.
type practiceTopic struct {
	Policy        string
	Subscriptions []*practiceSubscription
}

// practiceSubscription is a subscriber of a practice topic. An e-mail
// subscriber is pending until ConfirmedAt, when the learner "clicks the
// link" (PracticeOptions.EmailConfirmDelay after subscribing).
type practiceSubscription struct {
	Protocol    string
	Endpoint    string
	ConfirmedAt time.Time
}

// PracticeMail is a message the practice account delivered to an e-mail
// subscriber, as SNS would have mailed it.
type PracticeMail struct {
	To, Subject, Body string
	At                time.Time
}

// practiceInboxName is the file beside the practice account's file where
// it delivers e-mail: a learner opens it to see what arrived.
const practiceInboxName = "practice-inbox.txt"

// Inbox is the file the practice account delivers e-mail to, or "" when
// it keeps them in memory only (no practice file).
func (p *Practice) Inbox() string {
	if p.opts.Path == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(p.opts.Path), practiceInboxName)
}

// Mail is every message this practice account delivered in this process.
func (p *Practice) Mail() []PracticeMail {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.mail)
}

func replyNoSuchTopic() error {
	return awsReply("NotFound", "Topic does not exist")
}

func replyInvalidSNSParameter(what string) error {
	return awsReply("InvalidParameter", "Invalid parameter: %s", what)
}

// topic is the topic of arn, or SNS's NotFound.
func (st *practiceState) topic(arn string) (*practiceTopic, error) {
	if t := st.Topics[arn]; t != nil {
		return t, nil
	}
	return nil, replyNoSuchTopic()
}

// CreateTopic makes the topic in the home region, or answers with the ARN
// of the one that exists, as SNS does.
func (p *Practice) CreateTopic(ctx context.Context, name string) (string, error) {
	op := opCreateTopic(name)
	if err := ValidateTopicName(name); err != nil {
		return "", op.refused(err)
	}
	arn := TopicARN("aws", p.Region(), PracticeAccountID, name)
	err := p.write(ctx, op, func(st *practiceState) (bool, error) {
		if st.Topics[arn] != nil {
			return false, nil
		}
		st.Topics[arn] = &practiceTopic{Policy: defaultTopicPolicy(arn)}
		return true, nil
	})
	if err != nil {
		return "", err
	}
	return arn, nil
}

// defaultTopicPolicy is the policy SNS gives a new topic: the account's
// own principals may use it.
func defaultTopicPolicy(arn string) string {
	return `{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow",` +
		`"Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission",` +
		`"SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"` + arn + `",` +
		`"Condition":{"StringEquals":{"AWS:SourceOwner":"` + PracticeAccountID + `"}}}]}`
}

// SetTopicPolicy replaces the topic's policy.
func (p *Practice) SetTopicPolicy(ctx context.Context, topicARN, policy string) error {
	op := opSetTopicPolicy(topicARN)
	if _, err := parsePolicy(policy); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		t, err := st.topic(topicARN)
		if err != nil || t.Policy == policy {
			return false, err
		}
		t.Policy = policy
		return true, nil
	})
}

// TopicPolicy reads the topic's policy.
func (p *Practice) TopicPolicy(ctx context.Context, topicARN string) (string, error) {
	return practiceRead(ctx, p, opGetTopicAttributes(topicARN),
		func(st *practiceState) (string, error) {
			t, err := st.topic(topicARN)
			if err != nil {
				return "", err
			}
			return t.Policy, nil
		})
}

// TopicSubscriptions lists the topic's subscribers; an e-mail one is
// pending until the learner "clicks the link".
func (p *Practice) TopicSubscriptions(ctx context.Context, topicARN string) ([]Subscription, error) {
	return practiceRead(ctx, p, opListSubscriptionsByTopic(topicARN), func(st *practiceState) ([]Subscription, error) {
		t, err := st.topic(topicARN)
		if err != nil {
			return nil, err
		}
		subs := []Subscription{}
		for _, s := range t.Subscriptions {
			subs = append(subs, Subscription{Protocol: s.Protocol, Endpoint: s.Endpoint, Pending: p.pending(s)})
		}
		return subs, nil
	})
}

func (p *Practice) pending(s *practiceSubscription) bool {
	return s.Protocol == ProtocolEmail && p.opts.Now().Before(s.ConfirmedAt)
}

// SubscribeEmail subscribes address; the practice account confirms it
// EmailConfirmDelay later, as if the learner clicked the link SNS mails.
// An address already subscribed is not subscribed twice.
func (p *Practice) SubscribeEmail(ctx context.Context, topicARN, address string) error {
	if err := ValidateEmail(address); err != nil {
		return opSubscribe.refused(err)
	}
	address = strings.TrimSpace(address)
	return p.write(ctx, opSubscribe, func(st *practiceState) (bool, error) {
		t, err := st.topic(topicARN)
		if err != nil {
			return false, err
		}
		if slices.ContainsFunc(t.Subscriptions, func(s *practiceSubscription) bool {
			return s.Protocol == ProtocolEmail && strings.EqualFold(s.Endpoint, address)
		}) {
			return false, nil
		}
		t.Subscriptions = append(t.Subscriptions, &practiceSubscription{Protocol: ProtocolEmail, Endpoint: address,
			ConfirmedAt: p.opts.Now().Add(p.opts.EmailConfirmDelay).UTC()})
		return true, nil
	})
}

// Publish delivers the message to every confirmed e-mail subscriber: into
// the practice inbox file (Inbox), and into Mail.
func (p *Practice) Publish(ctx context.Context, topicARN, subject, message string) error {
	op := opPublish(topicARN)
	if err := validateMessage(subject, message); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		t, err := st.topic(topicARN)
		if err != nil {
			return false, err
		}
		var mail []PracticeMail
		for _, s := range t.Subscriptions {
			if s.Protocol == ProtocolEmail && !p.pending(s) {
				mail = append(mail, PracticeMail{To: s.Endpoint, Subject: subject, Body: message, At: p.opts.Now().UTC()})
			}
		}
		return false, p.deliver(mail)
	})
}

// deliver appends mail to the inbox file, when there is one, and to Mail.
// It runs inside a call (p.mu held).
func (p *Practice) deliver(mail []PracticeMail) error {
	if len(mail) == 0 {
		return nil
	}
	p.mail = append(p.mail, mail...)
	path := p.Inbox()
	if path == "" {
		return nil
	}
	var b strings.Builder
	for _, m := range mail {
		fmt.Fprintf(&b, "From: AWS Notifications <no-reply@sns.amazonaws.com>\nTo: %s\nDate: %s\nSubject: %s\n\n%s\n\n%s\n",
			m.To, m.At.Format(time.RFC1123Z), m.Subject, strings.TrimRight(m.Body, "\n"), strings.Repeat("─", 60))
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("deliver to the practice inbox: %w", err)
	}
	_, err = f.WriteString(b.String())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("deliver to the practice inbox: %w", err)
	}
	return nil
}

// valid says whether a practice topic could hold s.
func (s *practiceSubscription) valid() bool {
	return s != nil && s.Protocol == ProtocolEmail && ValidateEmail(s.Endpoint) == nil
}

// checkAlert refuses root activity alert parts no account could have:
// a topic whose ARN SNS would not make, a subscriber that is not an
// address, a rule of a region or name AWS does not allow, a role IAM
// would refuse.
func (st *practiceState) checkAlert() string {
	for _, arn := range slices.Sorted(maps.Keys(st.Topics)) {
		t := st.Topics[arn]
		parts := strings.Split(arn, ":")
		switch {
		case t == nil:
			return "Topics holds an empty topic"
		case len(parts) != 6 || parts[0] != "arn" || parts[2] != "sns" || parts[4] != PracticeAccountID ||
			ValidateRegion(parts[3]) != nil || ValidateTopicName(parts[5]) != nil:
			return "Topics holds an ARN SNS does not make"
		case t.Policy != "" && func() bool { _, err := parsePolicy(t.Policy); return err != nil }():
			return "Topics holds a policy that is not a policy"
		case slices.ContainsFunc(t.Subscriptions, func(s *practiceSubscription) bool { return !s.valid() }):
			return "Topics holds a subscriber that is not an e-mail address"
		}
	}
	for _, region := range slices.Sorted(maps.Keys(st.Rules)) {
		if ValidateRegion(region) != nil {
			return "Rules holds a region name AWS does not use"
		}
		for _, name := range slices.Sorted(maps.Keys(st.Rules[region])) {
			r := st.Rules[region][name]
			switch {
			case r == nil || ValidateRuleName(name) != nil || ValidateRuleState(r.State) != nil:
				return fmt.Sprintf("Rules in %s holds a rule EventBridge does not allow", region)
			case len(r.Targets) > practiceMaxTargets:
				return fmt.Sprintf("Rules in %s holds a rule with more targets than EventBridge allows", region)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(st.Roles)) {
		r := st.Roles[name]
		if r == nil || ValidateRoleName(name) != nil || validDocument(r.Trust) != nil {
			return "Roles holds a role IAM would not allow"
		}
		for policy, doc := range r.Policies {
			if ValidateRolePolicyName(policy) != nil || validDocument(doc) != nil {
				return "Roles holds a policy IAM would not allow"
			}
		}
	}
	return ""
}
