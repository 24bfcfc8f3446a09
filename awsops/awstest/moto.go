// Package awstest runs the local AWS-protocol servers awssecure's tests
// talk to through the real SDK: moto's server mode for IAM and STS, and an
// httptest double of the Account API's region calls, which moto lacks.
// Nothing here ever reaches real AWS.
package awstest

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Moto is a running `python3 -m moto.server`, behind its EC2 front (see
// regions.go): URL is the front's address, where every call goes.
type Moto struct {
	URL    string
	cmd    *exec.Cmd
	output bytes.Buffer
	// forward passes a call on to this server unchanged (see AccountAPI).
	forward *httputil.ReverseProxy
	front   *httptest.Server
	// regions is the Account API double of the test under way, whose
	// regions the front's DescribeRegions lists; nil: moto's own list.
	regions atomic.Pointer[AccountAPI]
	// root and features are what the test under way makes the front say
	// of the root user and the organization (see front.go).
	root     atomic.Pointer[RootUser]
	features atomic.Pointer[orgFeatures]
}

// motoServer starts moto's server with resets that skip reloading AWS's
// managed policies into backends they then drop.
//
//go:embed moto_server.py
var motoServer string

// started is the test binary's one moto server (RunWithMoto starts it),
// to which the Account API double passes the calls it does not serve.
var started *Moto

// StartMoto starts moto's server on a free loopback port and waits until it
// answers. It fails, never skips: a suite that silently skipped its AWS
// tests would pass while testing nothing.
func StartMoto() (*Moto, error) { return startMoto() }

// StartMotoCheckingKeys starts a moto server that answers the first n
// requests without checking who sends them, then checks every access key
// (a deleted key is refused) and every IAM policy, as AWS does. The first
// n requests are the test's own set-up, made with fake keys.
func StartMotoCheckingKeys(n int) (*Moto, error) {
	return startMoto("INITIAL_NO_AUTH_ACTION_COUNT=" + strconv.Itoa(n))
}

func startMoto(env ...string) (*Moto, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	m := &Moto{}
	target, _ := url.Parse("http://127.0.0.1:" + strconv.Itoa(port))
	m.forward = httputil.NewSingleHostReverseProxy(target)
	// A call cancelled on purpose (a test's Ctrl-C) is not news.
	m.forward.ErrorLog = log.New(io.Discard, "", 0)
	m.cmd = exec.Command("python3", "-c", motoServer, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	// Without MOTO_IAM_LOAD_MANAGED_POLICIES, AWS managed policies such as
	// AdministratorAccess do not exist in moto. Its default AMIs are never
	// used here and cost most of a second at each reset's first EC2 call.
	m.cmd.Env = append(append(os.Environ(), "MOTO_IAM_LOAD_MANAGED_POLICIES=true", "MOTO_EC2_LOAD_DEFAULT_AMIS=false"), env...)
	m.cmd.Stdout = &m.output
	m.cmd.Stderr = &m.output
	if err := m.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start moto server (is python3 with moto[server] installed? run the README's test command): %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- m.cmd.Wait() }()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case err := <-exited:
			return nil, fmt.Errorf("moto server exited at start (%v); install it with: python3 -m pip install 'moto[server]'\n%s", err, m.output.String())
		case <-deadline:
			m.Stop()
			return nil, errors.New("moto server did not answer within 60s")
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(target.String() + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			m.front = httptest.NewServer(http.HandlerFunc(m.serveFront))
			m.URL = m.front.URL
			return m, nil
		}
	}
}

// Stop ends the server.
func (m *Moto) Stop() {
	if m.front != nil {
		m.front.Close()
	}
	if m.cmd.Process != nil {
		_ = m.cmd.Process.Kill()
	}
}

// listRegionsOf makes api the source of the front's DescribeRegions until
// the test ends.
func (m *Moto) listRegionsOf(t testing.TB, api *AccountAPI) {
	m.regions.Store(api)
	t.Cleanup(func() { m.regions.CompareAndSwap(api, nil) })
}

// Reset forgets every resource, so each test starts from a new account.
func (m *Moto) Reset(t testing.TB) {
	t.Helper()
	resp, err := http.Post(m.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("reset moto: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset moto: %s", resp.Status)
	}
}

// Use resets the server and points the default AWS credential chain of
// this test at it: fake static keys, no shared files, no instance metadata,
// and AWS_ENDPOINT_URL set. accountAPI, if not "", is where the Account
// API's, IAM Access Analyzer's and Data Exports' calls go instead.
func (m *Moto) Use(t testing.TB, accountAPI string) {
	t.Helper()
	m.Reset(t)
	Isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "moto-does-not-check-this")
	t.Setenv("AWS_ENDPOINT_URL", m.URL)
	if accountAPI != "" {
		t.Setenv("AWS_ENDPOINT_URL_ACCOUNT", accountAPI)
		t.Setenv("AWS_ENDPOINT_URL_ACCESSANALYZER", accountAPI)
		if api, ok := accountAPIs.Load(accountAPI); ok {
			m.listRegionsOf(t, api.(*AccountAPI))
		}
	}
	m.UseDataExports(t)
}

// MotoAccountID is the account moto's callers are in.
const MotoAccountID = "123456789012"

// UseDataExports starts a new Data Exports double (see DataExports) for
// moto's account and points this test's Data Exports and legacy CUR
// calls at it; Use does it, and a test that needs the double's handle
// calls it again after Use.
func (m *Moto) UseDataExports(t testing.TB) *DataExports {
	t.Helper()
	d := NewDataExports(t, MotoAccountID)
	t.Setenv("AWS_ENDPOINT_URL_BCM_DATA_EXPORTS", d.URL)
	t.Setenv("AWS_ENDPOINT_URL_COST_AND_USAGE_REPORT_SERVICE", d.URL)
	return d
}

// UseServer points this test's default AWS credential chain at one test
// server speaking AWS's wire format: isolated from the machine, fake
// static keys, every call tried once, so an error the server answers
// reaches the caller as it was sent.
func UseServer(t testing.TB, url string) {
	t.Helper()
	Isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "x")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	t.Setenv("AWS_ENDPOINT_URL", url)
}

// Isolate clears every AWS setting this test could inherit from the
// machine, so no test can pick up a developer's real credentials.
func Isolate(t testing.TB) {
	t.Helper()
	for _, name := range []string{
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ACCOUNT", "AWS_ENDPOINT_URL_IAM",
		"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_CLOUDTRAIL",
		"AWS_ENDPOINT_URL_BUDGETS", "AWS_ENDPOINT_URL_BCM_DATA_EXPORTS", "AWS_ENDPOINT_URL_COST_AND_USAGE_REPORT_SERVICE",
		"AWS_ENDPOINT_URL_ACCESSANALYZER", "AWS_ENDPOINT_URL_S3_CONTROL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_GUARDDUTY",
		"AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_EVENTBRIDGE",
		"AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
	} {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_REGION", "us-east-1")
}

// Context is a test's context with a deadline, so a hung call fails the
// test instead of the whole run.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// RunWithMoto is a package's TestMain: it starts moto (or fails the whole
// package at once, never skipping), stores it in *moto for the tests, runs
// them and stops the server.
func RunWithMoto(m *testing.M, moto **Moto, cleanups ...func()) {
	var err error
	if *moto, err = StartMoto(); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: these tests need moto's server:", err)
		os.Exit(1)
	}
	// The one the doubles pass calls on to: not a second moto a test
	// starts for itself (StartMotoCheckingKeys), which it stops again.
	started = *moto
	code := m.Run()
	(*moto).Stop()
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}

// UseThroughProxies is Use with a recording, fault-injecting proxy in
// front of moto (IAM, STS, S3, CloudTrail, Budgets, EC2, S3 Control,
// GuardDuty) and one in front of new Account API and Data Exports doubles
// (the Account API, IAM Access Analyzer on the same address, the billing
// report): every call the SDK makes in this test passes one.
func (m *Moto) UseThroughProxies(t testing.TB) (iam, regions *Proxy, api *AccountAPI) {
	t.Helper()
	api = NewAccountAPI(t)
	m.Use(t, "")
	exports := NewDataExports(t, MotoAccountID)
	doubles := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if Handles(r) {
			exports.serve(w, r)
			return
		}
		api.serve(w, r)
	}))
	t.Cleanup(doubles.Close)
	m.listRegionsOf(t, api)
	iam, regions = NewProxy(t, m.URL), NewProxy(t, doubles.URL)
	t.Setenv("AWS_ENDPOINT_URL", iam.URL)
	for _, name := range []string{"AWS_ENDPOINT_URL_ACCOUNT", "AWS_ENDPOINT_URL_ACCESSANALYZER", "AWS_ENDPOINT_URL_BCM_DATA_EXPORTS", "AWS_ENDPOINT_URL_COST_AND_USAGE_REPORT_SERVICE"} {
		t.Setenv(name, regions.URL)
	}
	return iam, regions, api
}

// ConfirmEmails confirms the pending e-mail subscription of the SNS topic
// topicARN, as a click on the link SNS mails does: moto's server (see
// moto_server.py) keeps an e-mail subscription pending until then. It is
// SNS's ConfirmSubscription, sent as the SDK would sign it (moto reads the
// region and service from the signature's scope, not its value).
func (m *Moto) ConfirmEmails(t testing.TB, topicARN string) {
	t.Helper()
	parts := strings.Split(topicARN, ":")
	if len(parts) != 6 {
		t.Fatalf("confirm e-mails: %q is not a topic ARN", topicARN)
	}
	form := url.Values{"Action": {"ConfirmSubscription"}, "Version": {"2010-03-31"}, "TopicArn": {topicARN}, "Token": {"the-link-was-clicked"}}
	req, err := http.NewRequest(http.MethodPost, m.URL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/"+parts[3]+
		"/sns/aws4_request, SignedHeaders=host;x-amz-date, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("confirm e-mails: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("<SubscriptionArn>arn:")) {
		t.Fatalf("confirm e-mails of %s: %s %s", topicARN, resp.Status, body)
	}
}
