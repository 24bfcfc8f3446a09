package awstest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// CreateOrganization makes the caller's moto account (123456789012, for
// the default keys) the management account of a new organization with a
// member account per name, and returns the organization's id and the
// members' ids in names' order. It speaks Organizations' JSON protocol
// directly, so the tests need no SDK of their own.
func (m *Moto) CreateOrganization(t testing.TB, names ...string) (orgID string, ids []string) {
	t.Helper()
	var org struct{ Organization struct{ Id string } }
	m.organizations(t, "CreateOrganization", map[string]string{"FeatureSet": "ALL"}, &org)
	for _, name := range names {
		var created struct {
			CreateAccountStatus struct{ Id, AccountId, State string }
		}
		m.organizations(t, "CreateAccount", map[string]string{"AccountName": name, "Email": name + "@example.com"}, &created)
		ids = append(ids, created.CreateAccountStatus.AccountId)
	}
	return org.Organization.Id, ids
}

// organizations calls one Organizations action on moto as the default account.
func (m *Moto) organizations(t testing.TB, action string, in, out any) {
	t.Helper()
	body, _ := json.Marshal(in)
	req, err := http.NewRequest(http.MethodPost, m.URL+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSOrganizationsV20161128."+action)
	// moto routes by the signature's service and picks the account by its key.
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"+time.Now().UTC().Format("20060102")+
		"/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&e)
		t.Fatalf("organizations %s: %s %v", action, resp.Status, e)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("organizations %s: %v", action, err)
	}
}
