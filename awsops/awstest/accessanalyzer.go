package awstest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// AccessAnalyzer is an httptest double of IAM Access Analyzer, which moto
// lacks, speaking its REST-JSON wire format for the two calls awssecure
// makes: PUT /analyzer (CreateAnalyzer) and GET /analyzer (ListAnalyzers).
// It keeps analyzers per region, the region read from the request's
// signature, as AWS keeps them. The real SDK client reaches it through
// AWS_ENDPOINT_URL_ACCESSANALYZER; the Account API double serves it on its
// own address too (see AccountAPI), so one address answers every call
// moto lacks.
type AccessAnalyzer struct {
	URL string

	mu        sync.Mutex
	analyzers map[string][]analyzerState // by region
	pageSize  int
	denied    map[string]bool
	calls     []string
}

type analyzerState struct {
	Name, Type, Status string
}

// NewAccessAnalyzer starts the double with no analyzers and a page size
// small enough that listing a few needs several pages.
func NewAccessAnalyzer(t testing.TB) *AccessAnalyzer {
	a := newAccessAnalyzer()
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	return a
}

func newAccessAnalyzer() *AccessAnalyzer {
	return &AccessAnalyzer{analyzers: map[string][]analyzerState{}, pageSize: 2, denied: map[string]bool{}}
}

// Deny makes every call of action (e.g. "CreateAnalyzer") answer AccessDeniedException.
func (a *AccessAnalyzer) Deny(action string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.denied[action] = true
}

// Calls lists the actions received, in order.
func (a *AccessAnalyzer) Calls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}

// Analyzers names the analyzers of region, with their types ("awssecure ACCOUNT").
func (a *AccessAnalyzer) Analyzers(region string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, an := range a.analyzers[region] {
		out = append(out, an.Name+" "+an.Type)
	}
	return out
}

// Add puts an analyzer in region, as if made elsewhere (the console, another tool).
func (a *AccessAnalyzer) Add(region, name, kind, status string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.analyzers[region] = append(a.analyzers[region], analyzerState{name, kind, status})
}

// Reset forgets every analyzer.
func (a *AccessAnalyzer) Reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.analyzers = map[string][]analyzerState{}
}

// signedScope reads the region and service a SigV4 signature is scoped to:
// Credential=AKID/DATE/REGION/SERVICE/aws4_request.
var signedScope = regexp.MustCompile(`Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request`)

func scopeOf(r *http.Request) (region, service string) {
	m := signedScope.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return "", ""
	}
	return m[1], m[2]
}

func (a *AccessAnalyzer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	action := map[string]string{"PUT /analyzer": "CreateAnalyzer", "GET /analyzer": "ListAnalyzers"}[r.Method+" "+r.URL.Path]
	if action == "" {
		writeError(w, http.StatusNotFound, "UnknownOperationException", "unknown operation "+r.Method+" "+r.URL.Path)
		return
	}
	a.calls = append(a.calls, action)
	region, service := scopeOf(r)
	if service != "access-analyzer" || !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		writeError(w, http.StatusForbidden, "MissingAuthenticationTokenException", "missing or foreign signature")
		return
	}
	if a.denied[action] {
		writeError(w, http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: access-analyzer:"+action)
		return
	}
	switch action {
	case "CreateAnalyzer":
		a.create(w, r, region)
	case "ListAnalyzers":
		a.list(w, r, region)
	}
}

var analyzerNameForm = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{0,254}$`)

func (a *AccessAnalyzer) create(w http.ResponseWriter, r *http.Request, region string) {
	var in struct {
		AnalyzerName string `json:"analyzerName"`
		Type         string `json:"type"`
		ClientToken  string `json:"clientToken"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "ValidationException", "malformed JSON body")
		return
	}
	switch {
	case !analyzerNameForm.MatchString(in.AnalyzerName):
		writeError(w, http.StatusBadRequest, "ValidationException", "invalid analyzer name")
		return
	case !slices.Contains([]string{"ACCOUNT", "ORGANIZATION", "ACCOUNT_UNUSED_ACCESS", "ORGANIZATION_UNUSED_ACCESS"}, in.Type):
		writeError(w, http.StatusBadRequest, "ValidationException", "invalid analyzer type")
		return
	case slices.ContainsFunc(a.analyzers[region], func(s analyzerState) bool { return s.Name == in.AnalyzerName }):
		writeError(w, http.StatusConflict, "ConflictException", "An analyzer with the name "+in.AnalyzerName+" already exists.")
		return
	}
	a.analyzers[region] = append(a.analyzers[region], analyzerState{in.AnalyzerName, in.Type, "ACTIVE"})
	writeJSON(w, map[string]string{"arn": "arn:aws:access-analyzer:" + region + ":123456789012:analyzer/" + in.AnalyzerName})
}

func (a *AccessAnalyzer) list(w http.ResponseWriter, r *http.Request, region string) {
	type summary struct {
		Arn       string    `json:"arn"`
		Name      string    `json:"name"`
		Type      string    `json:"type"`
		Status    string    `json:"status"`
		CreatedAt time.Time `json:"createdAt"`
	}
	var matching []summary
	for _, s := range a.analyzers[region] {
		if kind := r.URL.Query().Get("type"); kind == "" || kind == s.Type {
			matching = append(matching, summary{"arn:aws:access-analyzer:" + region + ":123456789012:analyzer/" + s.Name, s.Name, s.Type, s.Status, time.Unix(1700000000, 0).UTC()})
		}
	}
	start := 0
	if token := r.URL.Query().Get("nextToken"); token != "" {
		start = slices.IndexFunc(matching, func(s summary) bool { return s.Name == token })
		if start < 0 {
			writeError(w, http.StatusBadRequest, "ValidationException", "invalid nextToken")
			return
		}
	}
	end := min(start+a.pageSize, len(matching))
	out := struct {
		Analyzers []summary `json:"analyzers"`
		NextToken *string   `json:"nextToken,omitempty"`
	}{Analyzers: append([]summary{}, matching[start:end]...)}
	if end < len(matching) {
		out.NextToken = &matching[end].Name
	}
	writeJSON(w, out)
}
