package awstest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// AccountAPI is an httptest server speaking the AWS Account API's
// REST-JSON wire format for the region calls moto does not implement:
// POST /listRegions, /enableRegion and /getRegionOptStatus. The real SDK
// client is pointed at it with AWS_ENDPOINT_URL_ACCOUNT. The Account API's
// other calls (the alternate contacts, which moto does implement) pass on
// to the test binary's moto. On the same address it serves Analyzer, the
// double of IAM Access Analyzer (which moto lacks), for calls signed for
// that service: one address answers every call moto lacks.
type AccountAPI struct {
	URL string
	// Analyzer is the IAM Access Analyzer double behind this address.
	Analyzer *AccessAnalyzer

	mu        sync.Mutex
	regions   []regionState
	pageSize  int
	pageLimit int
	denied    map[string]bool
	calls     []string
}

type regionState struct {
	Name   string
	Status string
	reads  int // GetRegionOptStatus calls seen while ENABLING
}

// ReadsToEnable is how many GetRegionOptStatus reads an ENABLING region
// answers before it turns ENABLED, so tests can watch the transition.
const ReadsToEnable = 2

// NewAccountAPI starts the double with a few default and opt-in regions.
// A ListRegions call gets MaxResults regions (1 to 50, as AWS allows), or
// three when it names none, so a caller that does not ask for a full page
// needs several pages, as it may on AWS.
func NewAccountAPI(t testing.TB) *AccountAPI {
	a := &AccountAPI{
		Analyzer: newAccessAnalyzer(),
		pageSize: 3,
		denied:   map[string]bool{},
		regions: []regionState{
			{Name: "us-east-1", Status: "ENABLED_BY_DEFAULT"},
			{Name: "us-west-2", Status: "ENABLED_BY_DEFAULT"},
			{Name: "eu-west-1", Status: "ENABLED_BY_DEFAULT"},
			{Name: "af-south-1", Status: "DISABLED"},
			{Name: "ap-east-1", Status: "ENABLED"},
			{Name: "eu-south-1", Status: "DISABLED"},
			{Name: "me-central-1", Status: "DISABLED"},
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	accountAPIs.Store(a.URL, a)
	t.Cleanup(func() { accountAPIs.Delete(a.URL) })
	return a
}

// LimitPages makes ListRegions answer at most n regions a page, however
// many were asked for, as AWS may: a caller must follow NextToken.
func (a *AccountAPI) LimitPages(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pageLimit = n
}

// Deny makes every call of action (e.g. "ListRegions") answer AccessDeniedException.
func (a *AccountAPI) Deny(action string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.denied[action] = true
}

// Calls lists the actions received, in order.
func (a *AccountAPI) Calls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}

func (a *AccountAPI) serve(w http.ResponseWriter, r *http.Request) {
	if _, service := scopeOf(r); service == "access-analyzer" {
		a.Analyzer.ServeHTTP(w, r)
		return
	}
	action := map[string]string{
		"/listRegions":        "ListRegions",
		"/enableRegion":       "EnableRegion",
		"/getRegionOptStatus": "GetRegionOptStatus",
	}[r.URL.Path]
	if action == "" && r.Method == http.MethodPost && started != nil {
		a.mu.Lock()
		a.calls = append(a.calls, actionName(r.URL.Path))
		denied := a.denied[actionName(r.URL.Path)]
		a.mu.Unlock()
		if denied {
			writeError(w, http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: account:"+actionName(r.URL.Path))
			return
		}
		started.forward.ServeHTTP(w, r) // moto's: the alternate contacts
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if r.Method != http.MethodPost || action == "" {
		writeError(w, http.StatusNotFound, "UnknownOperationException", "unknown operation "+r.URL.Path)
		return
	}
	a.calls = append(a.calls, action)
	// The real SDK signs every call with SigV4 for the "account" service;
	// an unsigned or mis-scoped request means the client is not the real one.
	if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || !strings.Contains(auth, "/account/aws4_request") {
		writeError(w, http.StatusForbidden, "MissingAuthenticationTokenException", "missing or foreign signature")
		return
	}
	if a.denied[action] {
		writeError(w, http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: account:"+action)
		return
	}
	var in struct {
		RegionName              string
		MaxResults              int
		NextToken               string
		RegionOptStatusContains []string
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "ValidationException", "malformed JSON body")
		return
	}
	switch action {
	case "ListRegions":
		a.listRegions(w, in.NextToken, in.MaxResults, in.RegionOptStatusContains)
	case "EnableRegion":
		a.enableRegion(w, in.RegionName)
	case "GetRegionOptStatus":
		a.regionOptStatus(w, in.RegionName)
	}
}

func (a *AccountAPI) listRegions(w http.ResponseWriter, token string, max int, statuses []string) {
	type region struct{ RegionName, RegionOptStatus string }
	var matching []region
	for _, r := range a.regions {
		if len(statuses) == 0 || slices.Contains(statuses, r.Status) {
			matching = append(matching, region{r.Name, r.Status})
		}
	}
	if max < 0 || max > 50 {
		writeError(w, http.StatusBadRequest, "ValidationException", "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50")
		return
	}
	start, _ := strconv.Atoi(token)
	size := a.pageSize
	if max > 0 {
		size = max
	}
	if a.pageLimit > 0 {
		size = min(size, a.pageLimit)
	}
	end := min(start+size, len(matching))
	out := struct {
		Regions   []region
		NextToken *string `json:",omitempty"`
	}{Regions: matching[min(start, end):end]}
	if end < len(matching) {
		next := strconv.Itoa(end)
		out.NextToken = &next
	}
	writeJSON(w, out)
}

func (a *AccountAPI) find(name string) *regionState {
	for i := range a.regions {
		if a.regions[i].Name == name {
			return &a.regions[i]
		}
	}
	return nil
}

func (a *AccountAPI) enableRegion(w http.ResponseWriter, name string) {
	r := a.find(name)
	switch {
	case r == nil:
		writeError(w, http.StatusBadRequest, "ValidationException", "invalid region name "+name)
	case r.Status == "ENABLED_BY_DEFAULT":
		writeError(w, http.StatusBadRequest, "ValidationException", name+" is enabled by default and cannot be opted in")
	case r.Status == "DISABLING":
		writeError(w, http.StatusConflict, "ConflictException", name+" is being disabled")
	case r.Status == "DISABLED":
		r.Status, r.reads = "ENABLING", 0
		writeJSON(w, struct{}{})
	default: // ENABLING or ENABLED: nothing to do, as in AWS
		writeJSON(w, struct{}{})
	}
}

func (a *AccountAPI) regionOptStatus(w http.ResponseWriter, name string) {
	r := a.find(name)
	if r == nil {
		writeError(w, http.StatusBadRequest, "ValidationException", "invalid region name "+name)
		return
	}
	if r.Status == "ENABLING" {
		r.reads++
		if r.reads > ReadsToEnable {
			r.Status = "ENABLED"
		}
	}
	writeJSON(w, struct{ RegionName, RegionOptStatus string }{r.Name, r.Status})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": message})
}

// actionName is a REST-JSON path's action: /putAlternateContact → PutAlternateContact.
func actionName(path string) string {
	name := strings.Trim(path, "/")
	if name == "" {
		return ""
	}
	return strings.ToUpper(name[:1]) + name[1:]
}
