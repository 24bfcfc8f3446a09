package awsops

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// ProtocolEmail is the protocol of an e-mail subscription, as SNS spells it.
const ProtocolEmail = "email"

// pendingSubscription is what SNS lists in place of a subscription's ARN
// until its subscriber confirms it (for e-mail: clicks the link SNS sent).
const pendingSubscription = "PendingConfirmation"

// Subscription is one subscriber of an SNS topic.
type Subscription struct {
	Protocol string // ProtocolEmail, "sms", "sqs", …
	Endpoint string // for e-mail, the address
	// Pending is true until the subscriber confirms: SNS delivers nothing
	// to it before.
	Pending bool
}

// TopicARN is the ARN of the SNS topic name in region.
func TopicARN(partition, region, account, name string) string {
	return "arn:" + partition + ":sns:" + region + ":" + account + ":" + name
}

var topicName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// ValidateTopicName checks a standard topic's name as SNS does.
func ValidateTopicName(name string) error {
	if !topicName.MatchString(name) {
		return fmt.Errorf("a topic name is 1 to 256 letters, digits, hyphens and underscores")
	}
	return nil
}

// ValidateSubject checks an e-mail's subject as SNS does: printable ASCII
// that begins with a letter, a digit or a punctuation mark, on one line,
// under 100 characters.
func ValidateSubject(subject string) error {
	if subject == "" || len(subject) >= 100 || !(unicode.IsLetter(rune(subject[0])) || unicode.IsDigit(rune(subject[0])) || unicode.IsPunct(rune(subject[0]))) {
		return errors.New("a subject begins with a letter, digit or punctuation mark and is under 100 characters")
	}
	for _, r := range subject {
		if r < ' ' || r > '~' {
			return errors.New("a subject is printable ASCII on one line")
		}
	}
	return nil
}

// maxMessageBytes is the largest message SNS takes: 256 KiB.
const maxMessageBytes = 256 * 1024

var opSubscribe = operation{action: "sns:Subscribe", doing: "subscribe the address to the alert topic"}

func opCreateTopic(name string) operation {
	return operation{action: "sns:CreateTopic", doing: "create topic " + name}
}

func opSetTopicPolicy(topicARN string) operation {
	return operation{action: "sns:SetTopicAttributes", doing: "set the policy of topic " + topicARN}
}

func opGetTopicAttributes(topicARN string) operation {
	return operation{action: "sns:GetTopicAttributes", doing: "read topic " + topicARN}
}

func opListSubscriptionsByTopic(topicARN string) operation {
	return operation{action: "sns:ListSubscriptionsByTopic", doing: "list the subscriptions of topic " + topicARN}
}

func opPublish(topicARN string) operation {
	return operation{action: "sns:Publish", doing: "publish to topic " + topicARN}
}

// CreateTopic calls sns:CreateTopic in the home region and returns the
// topic's ARN. SNS answers a topic that exists with its ARN, so running it
// twice makes one topic. The topic is not encrypted: EventBridge cannot
// publish to a topic under the AWS managed key (alias/aws/sns), whose
// policy no one can change to admit it, and a customer managed key costs a
// dollar a month.
func (c *Client) CreateTopic(ctx context.Context, name string) (string, error) {
	op := opCreateTopic(name)
	if err := ValidateTopicName(name); err != nil {
		return "", op.refused(err)
	}
	out, err := c.sns.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(name)})
	if err != nil {
		return "", op.failed(err)
	}
	return aws.ToString(out.TopicArn), nil
}

// SetTopicPolicy calls sns:SetTopicAttributes to replace the topic's whole
// access policy with policy.
func (c *Client) SetTopicPolicy(ctx context.Context, topicARN, policy string) error {
	op := opSetTopicPolicy(topicARN)
	if _, err := parsePolicy(policy); err != nil {
		return op.refused(err)
	}
	_, err := c.sns.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{
		TopicArn: aws.String(topicARN), AttributeName: aws.String("Policy"), AttributeValue: aws.String(policy)})
	return op.failed(err)
}

// TopicPolicy calls sns:GetTopicAttributes and returns the topic's access
// policy. A topic that does not exist wraps ErrNotFound.
func (c *Client) TopicPolicy(ctx context.Context, topicARN string) (string, error) {
	out, err := c.sns.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topicARN)})
	if err != nil {
		return "", opGetTopicAttributes(topicARN).failed(err)
	}
	return out.Attributes["Policy"], nil
}

// TopicSubscriptions calls sns:ListSubscriptionsByTopic. A topic that does
// not exist wraps ErrNotFound.
func (c *Client) TopicSubscriptions(ctx context.Context, topicARN string) ([]Subscription, error) {
	op := opListSubscriptionsByTopic(topicARN)
	pages := sns.NewListSubscriptionsByTopicPaginator(c.sns, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topicARN)})
	var subs []Subscription
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, op.failed(err)
		}
		for _, s := range page.Subscriptions {
			subs = append(subs, Subscription{Protocol: aws.ToString(s.Protocol), Endpoint: aws.ToString(s.Endpoint),
				Pending: aws.ToString(s.SubscriptionArn) == pendingSubscription})
		}
	}
	return subs, nil
}

// SubscribeEmail calls sns:Subscribe for address: SNS mails it a link,
// and delivers nothing to it until the link is clicked. An address
// already subscribed is not subscribed twice; while it is pending, SNS
// mails the link again.
func (c *Client) SubscribeEmail(ctx context.Context, topicARN, address string) error {
	if err := ValidateEmail(address); err != nil {
		return opSubscribe.refused(err)
	}
	_, err := c.sns.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn: aws.String(topicARN), Protocol: aws.String(ProtocolEmail), Endpoint: aws.String(strings.TrimSpace(address))})
	return opSubscribe.failed(err)
}

// Publish calls sns:Publish: every confirmed subscriber of the topic gets
// the message, an e-mail subscriber with subject as its subject.
func (c *Client) Publish(ctx context.Context, topicARN, subject, message string) error {
	op := opPublish(topicARN)
	if err := validateMessage(subject, message); err != nil {
		return op.refused(err)
	}
	_, err := c.sns.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(topicARN), Subject: aws.String(subject), Message: aws.String(message)})
	return op.failed(err)
}

func validateMessage(subject, message string) error {
	if message == "" || len(message) > maxMessageBytes {
		return errors.New("a message is 1 byte to 256 KiB")
	}
	return ValidateSubject(subject)
}
