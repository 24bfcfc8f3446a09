package ui

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// troubleWizard starts the wizard the way main does: with the account, or
// with the error that kept it from opening, and the practice account on offer.
func troubleWizard(t *testing.T, opts awsops.Options) *harness {
	t.Helper()
	var acct steps.Account
	client, err := awsops.New(awstest.Context(t), opts)
	if err == nil {
		acct = client
	}
	dir := t.TempDir()
	openPractice := func() (steps.Account, FileOptions, error) {
		p, err := awsops.NewPractice(awsops.PracticeOptions{})
		return p, FileOptions{Dir: dir, CredentialsFile: filepath.Join(dir, "credentials"), ConfigFile: filepath.Join(dir, "config")}, err
	}
	m := New(t.Context(), Options{Account: acct, AccountErr: err, OpenPractice: openPractice, Region: "us-east-1", Files: FileOptions{Dir: dir}})
	return newHarness(t, m, 80, 24)
}

// Each kind of credential trouble gets its own sentence and fix on the
// first screen, and the practice account is one key away.
func TestCredentialsTroubleScreens(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) awsops.Options
		what  string
		fix   string
		retry bool
	}{
		{"no credentials at all", func(t *testing.T) awsops.Options { awstest.Isolate(t); return awsops.Options{} },
			"No AWS credentials were found", "CloudShell", false},
		{"expired session token", func(t *testing.T) awsops.Options {
			awstest.Isolate(t)
			t.Setenv("AWS_ACCESS_KEY_ID", "ASIAIOSFODNN7EXAMPLE")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "x")
			t.Setenv("AWS_SESSION_TOKEN", "old")
			t.Setenv("AWS_ENDPOINT_URL", awstest.NewErrorServer(t, http.StatusForbidden, "ExpiredToken", "The security token included in the request is expired"))
			return awsops.Options{}
		}, "Your AWS credentials have expired", "aws sso login", true},
		{"wrong secret key", func(t *testing.T) awsops.Options {
			awstest.Isolate(t)
			t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
			t.Setenv("AWS_ENDPOINT_URL", awstest.NewErrorServer(t, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."))
			return awsops.Options{}
		}, "AWS did not accept your credentials", "aws configure", true},
		{"region that does not exist", func(t *testing.T) awsops.Options {
			awstest.Isolate(t)
			t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "x")
			return awsops.Options{Region: "mars-north-1"}
		}, "AWS has no region by that name: there is no AWS region named \"mars-", "us-east-1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := troubleWizard(t, tc.setup(t))
			h.waitFor(tc.what)
			s := h.screen()
			if !strings.Contains(s, tc.fix) || !strings.Contains(s, "p try the practice account instead") {
				t.Errorf("the screen lacks the fix %q or the practice offer:\n%s", tc.fix, s)
			}
			if got := strings.Contains(s, "r retry"); got != tc.retry {
				t.Errorf("retry offered: %v, want %v", got, tc.retry)
			}
			h.press("p")
			h.waitFor("Account 111122223333")
			h.waitFor("PRACTICE ACCOUNT")
		})
	}
}

// Access denied on one step: the wizard goes on with the others and the
// summary says what was skipped.
func TestAccessDeniedOnOneStepSkipsIt(t *testing.T) {
	m := newMotoAccount(t, awsops.Options{})
	m.iam.Force("CreateAccountAlias", awstest.FaultDenied, 100)
	acct := m.acct
	h := newWizard(t, acct, false, t.TempDir())
	h.waitFor("Account 123456789012")
	skipToAlias(t, h)
	h.typeText("acme-denied")
	h.press("enter")
	h.waitFor("AWS denied the action iam:CreateAccountAlias.")
	h.press("s", "y")
	h.waitFor("Opt-in regions to enable")
	h.press("enter")
	walkTo(t, h, "Summary")
	h.waitFor("Sign in as alice")
	h.waitFor("! Skipped:")
	if s := h.screen(); !strings.Contains(strings.Join(strings.Fields(s), " "), steps.Alias.Title) {
		t.Errorf("the summary does not name the skipped alias step:\n%s", s)
	}
	if users, _ := acct.Users(t.Context()); len(users) != 1 {
		t.Errorf("the other steps did not run: users %v", users)
	}
}

// When the region list could not be read, r reads it again: the key the
// error panel offers must do something.
func TestRegionsRetryRereadsTheList(t *testing.T) {
	m := newMotoAccount(t, awsops.Options{})
	m.regions.Force("ListRegions", awstest.FaultDenied, 1) // preflight's read
	h := newWizard(t, m.acct, false, t.TempDir())
	h.waitFor("Account 123456789012")
	walkTo(t, h, "Enable opt-in regions")
	h.waitFor("AWS denied the action account:ListRegions.")
	h.press("r")
	h.waitFor("Opt-in regions to enable")
}
