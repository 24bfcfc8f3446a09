package steps

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
)

// The bucket policy merge: awssecure's statements go beside the policy's,
// by Sid, and nothing of the policy there changes; what it cannot merge
// stops it with a sentence.
func TestMergePolicy(t *testing.T) {
	const bucket = "aws-cloudtrail-logs-123456789012-ours1234"
	ours := TrailBucketPolicy("aws", bucket, "123456789012", "arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events")
	auditor := `{"Sid":"AuditorReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:role/auditor"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/*"}`
	// DenyInsecureTransport in other words: lists of one, another order.
	deny := `{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":["s3:*"],` +
		`"Resource":["arn:aws:s3:::` + bucket + `/*","arn:aws:s3:::` + bucket + `"],"Condition":{"Bool":{"aws:SecureTransport":["false"]}}}`

	for _, tc := range []struct {
		name, have   string
		wantChanged  bool
		wantSids     []string // the merged policy's statements, in order
		wantID       string   // a top-level field of have that must stay
		wantStopping string   // a part of the error, when it stops
	}{
		{name: "no policy: ours as it is", have: "", wantChanged: true,
			wantSids: []string{"AWSCloudTrailAclCheck20150319", "AWSCloudTrailWrite20150319", "DenyInsecureTransport"}},
		{name: "another's statement stays first", have: `{"Version":"2012-10-17","Id":"team-policy","Statement":[` + auditor + `]}`, wantChanged: true,
			wantSids: []string{"AuditorReads", "AWSCloudTrailAclCheck20150319", "AWSCloudTrailWrite20150319", "DenyInsecureTransport"}, wantID: "team-policy"},
		{name: "one statement, not a list", have: `{"Version":"2012-10-17","Statement":` + auditor + `}`, wantChanged: true,
			wantSids: []string{"AuditorReads", "AWSCloudTrailAclCheck20150319", "AWSCloudTrailWrite20150319", "DenyInsecureTransport"}},
		{name: "ours there already: unchanged", have: ours, wantChanged: false},
		{name: "one of ours there, the same in other words", have: `{"Version":"2012-10-17","Statement":[` + deny + `]}`, wantChanged: true,
			wantSids: []string{"DenyInsecureTransport", "AWSCloudTrailAclCheck20150319", "AWSCloudTrailWrite20150319"}},
		{name: "a statement of our Sid saying otherwise", have: `{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"}]}`,
			wantStopping: "its policy has a statement DenyInsecureTransport that says otherwise"},
		{name: "not JSON", have: `{"Statement":`, wantStopping: "its policy is not JSON awssecure can read"},
		{name: "no room", have: `{"Version":"2012-10-17","Statement":[` + strings.Repeat(auditor+",", (20*1024-100)/(len(auditor)+1)-1) + auditor + `]}`,
			wantStopping: "its policy has no room for awssecure's statements"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			merged, changed, err := mergePolicy(bucket, tc.have, ours)
			if tc.wantStopping != "" {
				var e *awsops.WouldReplaceError
				if !errors.Is(err, awsops.ErrWouldReplace) || !errors.As(err, &e) || !strings.Contains(e.Has, tc.wantStopping) || e.Fix == "" {
					t.Errorf("err = %v, want one saying %q", err, tc.wantStopping)
				}
				return
			}
			if err != nil || changed != tc.wantChanged {
				t.Fatalf("changed %v, %v", changed, err)
			}
			if !changed {
				if merged != tc.have {
					t.Errorf("unchanged, but the policy is now\n%s", merged)
				}
				return
			}
			var doc struct {
				Version, Id string
				Statement   []struct{ Sid string }
			}
			if err := json.Unmarshal([]byte(merged), &doc); err != nil {
				t.Fatal(err)
			}
			var sids []string
			for _, s := range doc.Statement {
				sids = append(sids, s.Sid)
			}
			if !reflect.DeepEqual(sids, tc.wantSids) || doc.Version != "2012-10-17" || doc.Id != tc.wantID {
				t.Errorf("merged %+v\n%s", doc, merged)
			}
			if tc.have != "" {
				had, now := statementValues(t, tc.have), statementValues(t, merged)
				if !reflect.DeepEqual(now[:len(had)], had) {
					t.Errorf("the policy's own statements changed:\n%s", merged)
				}
			}
		})
	}
}

// statementValues is a policy's statements as JSON values (one
// statement, not in a list, too).
func statementValues(t *testing.T, policy string) []any {
	t.Helper()
	var doc struct{ Statement any }
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		t.Fatal(err)
	}
	if list, ok := doc.Statement.([]any); ok {
		return list
	}
	return []any{doc.Statement}
}
