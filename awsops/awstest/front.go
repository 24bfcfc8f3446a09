package awstest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// What moto's front adds to moto's answers, where AWS answers otherwise
// and moto lacks the data (see serveFront):
//
//   - cloudtrail:GetEventSelectors of a trail whose selectors were never
//     set: AWS answers with the default basic selector (every management
//     event, read and write); moto with none.
//   - iam:GetAccountSummary: AWS's map has AccountPasswordPresent (does
//     root have a password); moto's has not. Added when a test says
//     (Root).
//   - iam:GetCredentialReport: AWS's report begins with a <root_account>
//     row; moto's has none. Added when a test says (Root).
//   - iam:ListOrganizationsFeatures, which moto lacks: answered with the
//     features a test gives (OrganizationFeatures), else as for an
//     account in no organization.

// RootUser is what a test makes AWS say of the root user where moto says
// nothing: Password, when set, is the summary's AccountPasswordPresent;
// ReportPassword, when not "", is the password_enabled of the
// credential report's root row ("true", "false", or "not_supported", as
// IAM's documentation gives it), with no access key.
type RootUser struct {
	Password       *bool
	ReportPassword string
}

// Root makes the front tell the root user as r says until the test ends.
func (m *Moto) Root(t testing.TB, r RootUser) {
	m.root.Store(&r)
	t.Cleanup(func() { m.root.CompareAndSwap(&r, nil) })
}

// OrganizationFeatures makes the front answer iam:ListOrganizationsFeatures
// with the organization orgID's centralized root access features until
// the test ends.
func (m *Moto) OrganizationFeatures(t testing.TB, orgID string, features ...string) {
	f := orgFeatures{orgID, features}
	m.features.Store(&f)
	t.Cleanup(func() { m.features.CompareAndSwap(&f, nil) })
}

type orgFeatures struct {
	id       string
	features []string
}

// serveAdded answers the calls the front changes (see above) and reports
// whether it did; the others it leaves to serveFront.
func (m *Moto) serveAdded(w http.ResponseWriter, r *http.Request) bool {
	_, service := scopeOf(r)
	action, err := actionOf(r)
	if err != nil {
		return false
	}
	switch {
	case service == "cloudtrail" && action == "GetEventSelectors":
		m.rewrite(w, r, defaultSelectors)
	case service == "iam" && action == "ListOrganizationsFeatures":
		m.listOrganizationsFeatures(w, r)
	case service == "iam" && action == "GetAccountSummary" && m.root.Load() != nil && m.root.Load().Password != nil:
		present := "0"
		if *m.root.Load().Password {
			present = "1"
		}
		m.rewrite(w, r, func(body []byte) []byte {
			return bytes.Replace(body, []byte("<SummaryMap>"), []byte("<SummaryMap><entry><key>AccountPasswordPresent</key><value>"+present+"</value></entry>"), 1)
		})
	case service == "iam" && action == "GetCredentialReport" && m.root.Load() != nil && m.root.Load().ReportPassword != "":
		password := m.root.Load().ReportPassword
		m.rewrite(w, r, func(body []byte) []byte { return withRootRow(body, password) })
	default:
		return false
	}
	return true
}

// rewrite passes the call to moto and change to a successful answer.
func (m *Moto) rewrite(w http.ResponseWriter, r *http.Request, change func([]byte) []byte) {
	answer := httptest.NewRecorder()
	m.forward.ServeHTTP(answer, r)
	body := answer.Body.Bytes()
	if answer.Code == http.StatusOK {
		body = change(body)
	}
	for k, v := range answer.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(answer.Code)
	_, _ = w.Write(body)
}

// defaultSelectors gives a trail with no selectors at all the one AWS
// answers for a trail whose selectors were never set.
func defaultSelectors(body []byte) []byte {
	var out map[string]any
	if json.Unmarshal(body, &out) != nil {
		return body
	}
	basic, _ := out["EventSelectors"].([]any)
	advanced, _ := out["AdvancedEventSelectors"].([]any)
	if len(basic) > 0 || len(advanced) > 0 {
		return body
	}
	out["EventSelectors"] = []any{map[string]any{"ReadWriteType": "All", "IncludeManagementEvents": true,
		"DataResources": []any{}, "ExcludeManagementEventSources": []any{}}}
	delete(out, "AdvancedEventSelectors")
	changed, _ := json.Marshal(out)
	return changed
}

var reportContent = regexp.MustCompile(`<Content>([^<]*)</Content>`)

// withRootRow puts a <root_account> row first in the report, as AWS's
// reports have: password_enabled as given, no access key, MFA off.
func withRootRow(body []byte, password string) []byte {
	found := reportContent.FindSubmatch(body)
	if found == nil {
		return body
	}
	csv, err := base64.StdEncoding.DecodeString(string(found[1]))
	if err != nil {
		return body
	}
	header, rows, _ := strings.Cut(string(csv), "\n")
	account := MotoAccountID
	if m := regexp.MustCompile(`arn:aws:iam::(\d{12}):`).FindStringSubmatch(rows); m != nil {
		account = m[1]
	}
	values := map[string]string{
		"user": "<root_account>", "arn": "arn:aws:iam::" + account + ":root", "user_creation_time": "2020-01-01T00:00:00+00:00",
		"password_enabled": password, "password_last_used": "no_information", "password_last_changed": "not_supported",
		"password_next_rotation": "not_supported", "mfa_active": "false",
	}
	if password != "true" {
		values["password_last_used"] = "N/A"
	}
	var root []string
	for _, col := range strings.Split(header, ",") {
		v, ok := values[col]
		switch {
		case ok:
		case strings.HasSuffix(col, "_active"):
			v = "false"
		default:
			v = "N/A"
		}
		root = append(root, v)
	}
	content := header + "\n" + strings.Join(root, ",") + "\n" + rows
	return bytes.Replace(body, found[0], []byte("<Content>"+base64.StdEncoding.EncodeToString([]byte(content))+"</Content>"), 1)
}

// listOrganizationsFeatures answers as IAM does: the features a test
// gave, else OrganizationNotFound, as for an account in no organization.
func (m *Moto) listOrganizationsFeatures(w http.ResponseWriter, r *http.Request) {
	f := m.features.Load()
	if f == nil {
		writeWireError(w, r, http.StatusBadRequest, "OrganizationNotFoundException", "The request was rejected because no organization is associated with your account.")
		return
	}
	type result struct {
		OrganizationID  string   `xml:"OrganizationId"`
		EnabledFeatures []string `xml:"EnabledFeatures>member"`
	}
	out := struct {
		XMLName   xml.Name `xml:"https://iam.amazonaws.com/doc/2010-05-08/ ListOrganizationsFeaturesResponse"`
		Result    result   `xml:"ListOrganizationsFeaturesResult"`
		RequestID string   `xml:"ResponseMetadata>RequestId"`
	}{Result: result{f.id, f.features}, RequestID: "front"}
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(out)
}

// PutEventSelectors sets a trail's event selectors on moto as the
// console or the CLI would (awssecure never changes them): selectors is
// the request's body without TrailName, e.g.
// {"EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true}]}.
func (m *Moto) PutEventSelectors(t testing.TB, trailARN string, selectors map[string]any) {
	t.Helper()
	in := map[string]any{"TrailName": trailARN}
	for k, v := range selectors {
		in[k] = v
	}
	var out map[string]any
	m.call(t, "cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.PutEventSelectors", in, &out)
}

// CreateOrganizationTrail makes, as an organization's management account
// does, a trail logging every region of every account of the
// organization into bucket (which must exist), with log file validation
// as asked, and starts it. It returns the trail's ARN.
func (m *Moto) CreateOrganizationTrail(t testing.TB, name, bucket string, validation bool) string {
	t.Helper()
	var created struct{ TrailARN string }
	m.call(t, "cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.CreateTrail", map[string]any{
		"Name": name, "S3BucketName": bucket, "IsMultiRegionTrail": true, "IsOrganizationTrail": true,
		"EnableLogFileValidation": validation, "IncludeGlobalServiceEvents": true,
	}, &created)
	var started map[string]any
	m.call(t, "cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.StartLogging", map[string]any{"Name": name}, &started)
	return created.TrailARN
}

// call makes one JSON 1.1 call of service on moto as the default
// account, in us-east-1.
func (m *Moto) call(t testing.TB, service, target string, in, out any) {
	t.Helper()
	body, _ := json.Marshal(in)
	req, err := http.NewRequest(http.MethodPost, m.URL+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"+time.Now().UTC().Format("20060102")+
		"/us-east-1/"+service+"/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&e)
		t.Fatalf("%s %s: %s %v", service, target, resp.Status, e)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("%s %s: %v", service, target, err)
	}
}

// PutUserPolicy gives user an inline policy on moto, as the console
// would (awssecure never makes one).
func (m *Moto) PutUserPolicy(t testing.TB, user, name, document string) {
	t.Helper()
	form := url.Values{"Action": {"PutUserPolicy"}, "Version": {"2010-05-08"}, "UserName": {user}, "PolicyName": {name}, "PolicyDocument": {document}}
	req, err := http.NewRequest(http.MethodPost, m.URL+"/", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"+time.Now().UTC().Format("20060102")+
		"/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("iam PutUserPolicy: %s", resp.Status)
	}
}
