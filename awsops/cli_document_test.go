package awsops_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// The documents the aws CLI equivalents write (file://…) are the very
// members the SDK sends: each call is made with the real SDK against a
// server that keeps its JSON body, and the member is compared with the
// document. A document built by hand beside the call would drift from it.
func TestCLIDocumentsAreWhatTheCallsSend(t *testing.T) {
	var mu sync.Mutex
	bodies := map[string]map[string]any{} // by X-Amz-Target's operation
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		var body map[string]any
		if err := json.Unmarshal(data, &body); err != nil {
			t.Errorf("%s: a body that is not JSON: %s", r.Header.Get("X-Amz-Target"), data)
		}
		op := r.Header.Get("X-Amz-Target")
		op = op[strings.LastIndex(op, ".")+1:]
		mu.Lock()
		bodies[op] = body
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		switch op {
		case "CreateExport":
			io.WriteString(w, `{"ExportArn":"arn:aws:bcm-data-exports:us-east-1:111122223333:export/x"}`)
		case "PutTargets":
			io.WriteString(w, `{"FailedEntryCount":0,"FailedEntries":[]}`)
		default:
			io.WriteString(w, `{}`)
		}
	}))
	t.Cleanup(srv.Close)
	awstest.UseServer(t, srv.URL)
	ctx := t.Context()
	c, err := awsops.New(ctx, awsops.Options{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}

	alerts := []awsops.BudgetAlert{{Kind: awsops.AlertActual, Percent: 80}, {Kind: awsops.AlertForecast, Percent: 100}}
	if err := c.CreateBudget(ctx, "111122223333", awsops.NewBudget{Name: "monthly-cost", Amount: "20", Email: "ops@example.com", Alerts: alerts}); err != nil {
		t.Fatal(err)
	}
	export := awsops.NewExport{Name: "cost-and-usage-daily", Bucket: "aws-billing-reports-111122223333-ab12", Prefix: "cur2", Region: "eu-west-2", Owner: "111122223333"}
	if _, err := c.CreateExport(ctx, export); err != nil {
		t.Fatal(err)
	}
	targets := []awsops.RuleTarget{
		{ID: "t", ARN: "arn:aws:sns:us-east-1:111122223333:topic", InputPaths: map[string]string{"ip": "$.detail.sourceIPAddress"}, InputTemplate: `"from <ip>"`},
		{ID: "u", ARN: "arn:aws:events:us-east-1:111122223333:event-bus/default", RoleARN: "arn:aws:iam::111122223333:role/r"},
	}
	if err := c.PutTargets(ctx, "us-east-1", "rule", targets); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ op, member, doc string }{
		{"CreateBudget", "NotificationsWithSubscribers", awsops.BudgetAlertsDocument(alerts, "ops@example.com")},
		{"CreateExport", "Export", export.Document()},
		{"PutTargets", "Targets", awsops.TargetsDocument(targets...)},
	} {
		var doc any
		if err := json.Unmarshal([]byte(tc.doc), &doc); err != nil {
			t.Fatalf("%s's document is not JSON: %v\n%s", tc.op, err, tc.doc)
		}
		if sent := bodies[tc.op][tc.member]; !reflect.DeepEqual(doc, sent) {
			t.Errorf("%s: the document\n%s\nis not the %s sent:\n%v", tc.op, tc.doc, tc.member, sent)
		}
	}
}

// An empty string is left out where the SDK leaves out an enum not set,
// and kept where a pointer sets it: a lifecycle rule's Prefix "" (the
// whole bucket) is a value.
func TestExpiryLifecycleDocumentKeepsAnEmptyPrefix(t *testing.T) {
	want := `{"Rules":[{"Expiration":{"Days":30},"Filter":{"Prefix":""},"ID":"awssecure-expire-old-objects","Status":"Enabled"}]}`
	if got := awsops.ExpiryLifecycleDocument("", 30); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
