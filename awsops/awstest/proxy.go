package awstest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Proxy sits between the SDK and a server (moto, or the Account API
// double) and records every action it forwards, so a test can prove what
// was called — for example that `status` never writes. Faults, when set,
// decide per call whether the call fails on the way (see fault.go).
type Proxy struct {
	URL string

	target *url.URL
	proxy  *httputil.ReverseProxy

	mu       sync.Mutex
	actions  []string
	services []string // the signing service of each of actions
	spans    []Span
	faults   *Faults
	delay    time.Duration
	writes   int
	onWrite  func(n int, action string)
	denied   []deny
}

// deny is a call Deny refuses: its action, with match in its body.
type deny struct{ action, match string }

// Deny answers 403 AccessDenied to every call of action whose request
// holds match (a role's ARN, a user's name), as AWS does to a caller the
// resource does not trust, and forwards the others.
func (p *Proxy) Deny(action, match string) {
	p.mu.Lock()
	p.denied = append(p.denied, deny{action, match})
	p.mu.Unlock()
}

// SetDelay adds d to every call before it is forwarded, as a distant AWS
// endpoint does: benchmarks use it to measure round trips, not moto.
func (p *Proxy) SetDelay(d time.Duration) {
	p.mu.Lock()
	p.delay = d
	p.mu.Unlock()
}

// Reset forgets the actions recorded so far, so a benchmark counts one
// run's calls at a time.
func (p *Proxy) Reset() {
	p.mu.Lock()
	p.actions, p.services, p.spans, p.writes = nil, nil, nil, 0
	p.mu.Unlock()
}

// OnWrite calls f after the server has done the n-th write call (counting
// from 1), before its answer goes back: a test can cancel the caller's
// context there, as Ctrl-C does, so the work is done but unconfirmed.
func (p *Proxy) OnWrite(f func(n int, action string)) {
	p.mu.Lock()
	p.onWrite = f
	p.mu.Unlock()
}

// NewProxy starts a recording proxy in front of target until the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{target: u, proxy: httputil.NewSingleHostReverseProxy(u)}
	// A fault may close the connection under the proxy; that is the point,
	// not something to print.
	p.proxy.ErrorLog = nil
	p.proxy.ModifyResponse = awsErrorShape
	// A caller that gave up (a read cancelled because another failed) is
	// no news either: answer quietly instead of logging.
	p.proxy.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, _ error) { w.WriteHeader(http.StatusBadGateway) }
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// Actions is every action forwarded so far, in order: "CreateUser",
// "GetCallerIdentity", "EnableRegion"…
func (p *Proxy) Actions() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.actions...)
}

// Services is the signing service of every call forwarded so far, in
// Actions' order: "iam", "sts", "ec2", "access-analyzer"… (the service of
// the request's SigV4 credential scope; "" for an unsigned call).
func (p *Proxy) Services() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.services...)
}

// Writes is the actions that change an account: everything not named as
// a read (Get*, List*, Describe*, Generate*, Head*).
func (p *Proxy) Writes() []string {
	var writes []string
	for _, a := range p.Actions() {
		if !IsRead(a) {
			writes = append(writes, a)
		}
	}
	return writes
}

// Span is one call the proxy answered: from when it reached the proxy
// (before the delay) to when its answer left.
type Span struct {
	Action     string
	Start, End time.Time
}

// Spans is every call answered so far, in the order they ended: a
// benchmark measures round trips with them (RoundTrips).
func (p *Proxy) Spans() []Span {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Span(nil), p.spans...)
}

// RoundTrips is the length of the longest chain of spans in which each
// call started after the one before it had ended: how many round trips a
// caller waited for, however many calls each round held.
func RoundTrips(spans []Span) int {
	spans = slices.Clone(spans)
	slices.SortFunc(spans, func(x, y Span) int { return x.Start.Compare(y.Start) })
	depths := make([]int, len(spans))
	deepest := 0
	for i, s := range spans {
		depths[i] = 1
		for j, before := range spans[:i] {
			if !before.End.After(s.Start) && depths[j]+1 > depths[i] {
				depths[i] = depths[j] + 1
			}
		}
		deepest = max(deepest, depths[i])
	}
	return deepest
}

// IsRead says whether an AWS action only reads, by AWS's naming rule.
func IsRead(action string) bool {
	for _, prefix := range []string{"Get", "List", "Describe", "Generate", "Head"} {
		if strings.HasPrefix(action, prefix) {
			return true
		}
	}
	return false
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	action, err := actionOf(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	start := time.Now()
	defer func() {
		p.mu.Lock()
		p.spans = append(p.spans, Span{action, start, time.Now()})
		p.mu.Unlock()
	}()
	p.mu.Lock()
	faults, delay, denied := p.faults, p.delay, p.denied
	p.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	for _, d := range denied {
		if d.action != action {
			continue
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if bytes.Contains(body, []byte(url.QueryEscape(d.match))) || bytes.Contains(body, []byte(d.match)) {
			writeWireError(w, r, http.StatusForbidden, "AccessDenied", "injected: not authorized to perform "+action)
			return
		}
	}
	if faults != nil && faults.inject(w, r, action, p.forward) {
		return
	}
	p.forward(w, r, action)
}

// forward passes the call on and records it as reaching the server.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request, action string) {
	p.mu.Lock()
	p.actions = append(p.actions, action)
	_, service := scopeOf(r)
	p.services = append(p.services, service)
	onWrite := p.onWrite
	n := 0
	if !IsRead(action) {
		p.writes++
		n = p.writes
	}
	p.mu.Unlock()
	if onWrite == nil || n == 0 {
		p.proxy.ServeHTTP(w, r)
		return
	}
	answer := httptest.NewRecorder()
	p.proxy.ServeHTTP(answer, r)
	onWrite(n, action)
	for k, v := range answer.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(answer.Code)
	_, _ = w.Write(answer.Body.Bytes())
}

// actionOf reads the action a request asks for. IAM, STS and EC2 speak
// AWS's query protocol (Action=… in a form body); the Account API is
// REST-JSON with the action in the path (/enableRegion → EnableRegion);
// S3 Control, GuardDuty and Access Analyzer name it by method and path
// (restRoutes). The body is put back for the server.
func actionOf(r *http.Request) (string, error) {
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return "", err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return "", err
		}
		return form.Get("Action"), nil
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		return target[strings.LastIndex(target, ".")+1:], nil
	}
	for _, route := range restRoutes {
		if r.Method == route.method && route.path.MatchString(r.URL.Path) {
			return route.action, nil
		}
	}
	if IsS3(r) {
		return s3Action(r), nil
	}
	if strings.Trim(r.URL.Path, "/") == "" {
		return "", nil
	}
	return actionName(r.URL.Path), nil
}

// restRoutes name the REST calls whose action is in the method and path,
// not in the path's name: S3 Control (REST-XML), GuardDuty and IAM Access
// Analyzer (REST-JSON).
var restRoutes = []struct {
	method string
	path   *regexp.Regexp
	action string
}{
	{http.MethodGet, regexp.MustCompile(`^/v20180820/configuration/publicAccessBlock$`), "GetPublicAccessBlock"},
	{http.MethodPut, regexp.MustCompile(`^/v20180820/configuration/publicAccessBlock$`), "PutPublicAccessBlock"},
	{http.MethodDelete, regexp.MustCompile(`^/v20180820/configuration/publicAccessBlock$`), "DeletePublicAccessBlock"},
	{http.MethodGet, regexp.MustCompile(`^/detector$`), "ListDetectors"},
	{http.MethodPost, regexp.MustCompile(`^/detector$`), "CreateDetector"},
	{http.MethodGet, regexp.MustCompile(`^/detector/[^/]+$`), "GetDetector"},
	{http.MethodPost, regexp.MustCompile(`^/detector/[^/]+$`), "UpdateDetector"},
	{http.MethodGet, regexp.MustCompile(`^/analyzer$`), "ListAnalyzers"},
	{http.MethodPut, regexp.MustCompile(`^/analyzer$`), "CreateAnalyzer"},
}

// awsErrorShape gives moto's refusals of a key (InvalidClientTokenId and
// the like, sent only when it checks keys) the shape AWS's query protocol
// gives them, <ErrorResponse><Error>…: moto nests them one level deeper
// (<Errors><Error>), which the SDK cannot read, so it reports them as
// "UnknownError". Every other answer passes untouched.
func awsErrorShape(resp *http.Response) error {
	if resp.StatusCode < 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if bytes.Contains(body, []byte("<ErrorResponse><Errors><Error>")) {
		body = bytes.Replace(body, []byte("<ErrorResponse><Errors><Error>"), []byte("<ErrorResponse><Error>"), 1)
		body = bytes.Replace(body, []byte("</Error></Errors></ErrorResponse>"), []byte("</Error></ErrorResponse>"), 1)
		resp.Header.Set("Content-Type", "text/xml")
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}

// IsS3 says whether a request is for S3, by the service its signature is
// scoped to (…/REGION/s3/aws4_request): S3 is REST-XML, its action in the
// method and the sub-resource rather than in a header or the path.
func IsS3(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Authorization"), "/s3/aws4_request")
}

// s3Sub are the bucket sub-resources awssecure uses, with the names S3
// gives their actions.
var s3Sub = map[string]string{
	"publicAccessBlock": "PublicAccessBlock", "encryption": "BucketEncryption", "ownershipControls": "BucketOwnershipControls",
	"policy": "BucketPolicy", "lifecycle": "BucketLifecycleConfiguration", "location": "BucketLocation",
	"tagging": "BucketTagging",
}

// s3Action names an S3 call: PUT /bucket is CreateBucket, PUT
// /bucket?policy PutBucketPolicy, GET / ListBuckets, HEAD HeadBucket…
func s3Action(r *http.Request) string {
	verb := map[string]string{http.MethodPut: "Put", http.MethodGet: "Get", http.MethodDelete: "Delete", http.MethodHead: "Head", http.MethodPost: "Post"}[r.Method]
	for q, name := range s3Sub {
		if r.URL.Query().Has(q) {
			return verb + name
		}
	}
	switch {
	case strings.Trim(r.URL.Path, "/") == "" && r.Method == http.MethodGet:
		return "ListBuckets"
	case r.URL.Query().Has("versions") && r.Method == http.MethodGet:
		return "ListObjectVersions"
	case r.Method == http.MethodPut && !strings.Contains(strings.Trim(r.URL.Path, "/"), "/"):
		return "CreateBucket"
	case r.Method == http.MethodHead:
		return "HeadBucket"
	}
	return verb + "Object"
}
