package awsops

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	budgettypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	eventtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// The teaching panels and the runbook show the aws CLI for what a step
// does, and the CLI reads a call's larger members from file://NAME.json.
// Those files are made here from the very SDK values awssecure sends, so
// a document shown can never differ from the call made.

// cliDocument is v (an SDK type) as the aws CLI reads it from a file: the
// API's member names, which the SDK's fields carry, with the members the
// SDK would not send left out, as its serializers leave them out: a nil
// pointer, slice or map, and an enum left empty. < > & stay as they are
// (json.Marshal would write \u003c, which the CLI reads the same but a
// learner cannot).
func cliDocument(v any) string {
	doc, _ := cliMember(reflect.ValueOf(v), false)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		panic(err) // strings, numbers, booleans, maps and slices of them always encode
	}
	return strings.TrimSpace(b.String())
}

// cliMember is v as JSON data, and whether the SDK would send it; pointed
// says v was reached through a pointer, where an empty string is a value
// set (a lifecycle rule's Prefix ""), not an enum left unset.
func cliMember(v reflect.Value, pointed bool) (any, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return cliMember(v.Elem(), true)
	case reflect.Struct:
		members := map[string]any{}
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				if m, ok := cliMember(v.Field(i), false); ok {
					members[f.Name] = m
				}
			}
		}
		return members, true
	case reflect.Slice:
		if v.IsNil() {
			return nil, false
		}
		items := []any{}
		for i := range v.Len() {
			if m, ok := cliMember(v.Index(i), false); ok {
				items = append(items, m)
			}
		}
		return items, true
	case reflect.Map:
		if v.IsNil() {
			return nil, false
		}
		entries := map[string]any{}
		for _, k := range v.MapKeys() {
			if m, ok := cliMember(v.MapIndex(k), false); ok {
				entries[k.String()] = m
			}
		}
		return entries, true
	case reflect.String:
		return v.String(), pointed || v.Len() > 0
	}
	return v.Interface(), true
}

// BudgetAlertsDocument is create-budget's --notifications-with-subscribers
// for alerts, each e-mailing email: what CreateBudget sends.
func BudgetAlertsDocument(alerts []BudgetAlert, email string) string {
	return cliDocument(notificationsWithSubscribers(alerts, email))
}

// Document is create-export's --export: the export CreateExport makes.
func (x NewExport) Document() string { return cliDocument(x.export()) }

// ExpiryLifecycleDocument is put-bucket-lifecycle-configuration's
// --lifecycle-configuration for a new bucket: AddExpiryRule's one rule.
func ExpiryLifecycleDocument(prefix string, days int) string {
	return cliDocument(s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{expiryLifecycleRule(prefix, days, false)}})
}

// TargetsDocument is put-targets' --targets: what PutTargets sends.
func TargetsDocument(targets ...RuleTarget) string {
	sdk := make([]eventtypes.Target, len(targets))
	for i, t := range targets {
		sdk[i] = t.sdk()
	}
	return cliDocument(sdk)
}

// sdk is t as EventBridge's PutTargets takes it.
func (t RuleTarget) sdk() eventtypes.Target {
	target := eventtypes.Target{Id: aws.String(t.ID), Arn: aws.String(t.ARN)}
	if t.RoleARN != "" {
		target.RoleArn = aws.String(t.RoleARN)
	}
	if t.InputTemplate != "" {
		target.InputTransformer = &eventtypes.InputTransformer{InputPathsMap: t.InputPaths, InputTemplate: aws.String(t.InputTemplate)}
	}
	return target
}

// notificationsWithSubscribers is alerts, each e-mailing email, as
// Budgets takes them.
func notificationsWithSubscribers(alerts []BudgetAlert, email string) []budgettypes.NotificationWithSubscribers {
	var all []budgettypes.NotificationWithSubscribers
	for _, a := range alerts {
		all = append(all, budgettypes.NotificationWithSubscribers{Notification: notification(a), Subscribers: subscribers(email)})
	}
	return all
}
