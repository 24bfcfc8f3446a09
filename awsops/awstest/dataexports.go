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
	"time"
)

// DataExports is an httptest server speaking the JSON 1.1 wire format of
// AWS Billing and Cost Management Data Exports (CreateExport, GetExport,
// ListExports; X-Amz-Target AWSBillingAndCostManagementDataExports.*)
// and, for detecting an older report, the legacy Cost and Usage Report
// service's DescribeReportDefinitions (AWSOrigamiServiceGatewayService.*):
// moto implements neither. The real SDK clients are pointed at it with
// AWS_ENDPOINT_URL_BCM_DATA_EXPORTS and
// AWS_ENDPOINT_URL_COST_AND_USAGE_REPORT_SERVICE (see Moto.Use).
type DataExports struct {
	URL string

	mu      sync.Mutex
	account string
	exports []dataExport
	legacy  []string
	denied  map[string]bool
	calls   []string
}

type dataExport struct {
	ARN     string
	Export  json.RawMessage // as CreateExport was given it, ARN added
	Name    string
	Created time.Time
}

const (
	exportsTarget = "AWSBillingAndCostManagementDataExports."
	curTarget     = "AWSOrigamiServiceGatewayService."
)

// NewDataExports starts the double for account (moto's is 123456789012).
func NewDataExports(t testing.TB, account string) *DataExports {
	d := &DataExports{account: account, denied: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(srv.Close)
	d.URL = srv.URL
	return d
}

// Deny makes every call of action (e.g. "CreateExport") answer AccessDeniedException.
func (d *DataExports) Deny(action string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.denied[action] = true
}

// AddLegacyReport gives the account a legacy Cost and Usage Report, as
// an account that made one before Data Exports has.
func (d *DataExports) AddLegacyReport(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.legacy = append(d.legacy, name)
}

// Calls lists the actions received, in order.
func (d *DataExports) Calls() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.calls)
}

// Handles says whether r is a call this double answers, by its target.
func Handles(r *http.Request) bool {
	target := r.Header.Get("X-Amz-Target")
	return strings.HasPrefix(target, exportsTarget) || strings.HasPrefix(target, curTarget)
}

func (d *DataExports) serve(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	target := r.Header.Get("X-Amz-Target")
	service, action, _ := strings.Cut(target, ".")
	scope := map[string]string{"AWSBillingAndCostManagementDataExports": "/bcm-data-exports/aws4_request", "AWSOrigamiServiceGatewayService": "/cur/aws4_request"}[service]
	if r.Method != http.MethodPost || scope == "" {
		writeJSONError(w, http.StatusBadRequest, "UnknownOperationException", "unknown operation "+target)
		return
	}
	d.calls = append(d.calls, action)
	if r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		writeJSONError(w, http.StatusBadRequest, "SerializationException", "expected application/x-amz-json-1.1")
		return
	}
	// The real SDK signs every call with SigV4 for its service, in us-east-1.
	if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || !strings.Contains(auth, "/us-east-1"+scope) {
		writeJSONError(w, http.StatusForbidden, "MissingAuthenticationTokenException", "missing or foreign signature")
		return
	}
	if d.denied[action] {
		writeJSONError(w, http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: "+
			map[string]string{"AWSBillingAndCostManagementDataExports": "bcm-data-exports:", "AWSOrigamiServiceGatewayService": "cur:"}[service]+action)
		return
	}
	var in struct {
		Export     json.RawMessage
		ExportArn  string
		NextToken  string
		MaxResults int
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSONError(w, http.StatusBadRequest, "SerializationException", "malformed JSON body")
		return
	}
	switch action {
	case "CreateExport":
		d.createExport(w, in.Export)
	case "GetExport":
		d.getExport(w, in.ExportArn)
	case "ListExports":
		d.listExports(w, in.NextToken)
	case "DescribeReportDefinitions":
		type report struct{ ReportName string }
		out := struct{ ReportDefinitions []report }{[]report{}}
		for _, name := range d.legacy {
			out.ReportDefinitions = append(out.ReportDefinitions, report{name})
		}
		writeJSON11(w, out)
	default:
		writeJSONError(w, http.StatusBadRequest, "UnknownOperationException", "unknown operation "+target)
	}
}

// exportShape is what CreateExport checks of an export, as AWS does.
type exportShape struct {
	Name      string
	DataQuery *struct {
		QueryStatement      string
		TableConfigurations map[string]map[string]string
	}
	DestinationConfigurations *struct {
		S3Destination *struct {
			S3Bucket, S3Prefix, S3Region, S3BucketOwner string
			S3OutputConfigurations                      *struct{ Compression, Format, OutputType, Overwrite string }
		}
	}
	RefreshCadence *struct{ Frequency string }
}

func (d *DataExports) createExport(w http.ResponseWriter, raw json.RawMessage) {
	var x exportShape
	if len(raw) == 0 || json.Unmarshal(raw, &x) != nil {
		writeJSONError(w, http.StatusBadRequest, "ValidationException", "1 validation error detected: Value at 'export' failed to satisfy constraint: Member must not be null")
		return
	}
	problem := ""
	switch {
	case x.Name == "":
		problem = "export.name must not be null"
	case x.DataQuery == nil || !strings.Contains(x.DataQuery.QueryStatement, "FROM COST_AND_USAGE_REPORT"):
		problem = "export.dataQuery.queryStatement must select from a table"
	case x.RefreshCadence == nil || x.RefreshCadence.Frequency != "SYNCHRONOUS":
		problem = "export.refreshCadence.frequency must be SYNCHRONOUS"
	case x.DestinationConfigurations == nil || x.DestinationConfigurations.S3Destination == nil:
		problem = "export.destinationConfigurations.s3Destination must not be null"
	}
	if problem == "" {
		s := x.DestinationConfigurations.S3Destination
		o := s.S3OutputConfigurations
		switch {
		case s.S3Bucket == "" || s.S3Prefix == "" || s.S3Region == "":
			problem = "s3Destination needs s3Bucket, s3Prefix and s3Region"
		case o == nil || o.Format == "" || o.Compression == "" || o.OutputType == "" || o.Overwrite == "":
			problem = "s3OutputConfigurations needs format, compression, outputType and overwrite"
		case (o.Format == "PARQUET") != (o.Compression == "PARQUET"):
			problem = "PARQUET format goes with PARQUET compression"
		}
	}
	if problem != "" {
		writeJSONError(w, http.StatusBadRequest, "ValidationException", problem)
		return
	}
	if slices.ContainsFunc(d.exports, func(e dataExport) bool { return e.Name == x.Name }) {
		writeJSONError(w, http.StatusBadRequest, "ValidationException", "An export with the name "+x.Name+" already exists.")
		return
	}
	arn := "arn:aws:bcm-data-exports:us-east-1:" + d.account + ":export/" + x.Name + "-" + strconv.Itoa(1000+len(d.exports))
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(raw, &fields)
	fields["ExportArn"], _ = json.Marshal(arn)
	export, _ := json.Marshal(fields)
	d.exports = append(d.exports, dataExport{ARN: arn, Export: export, Name: x.Name, Created: time.Now()})
	writeJSON11(w, struct{ ExportArn string }{arn})
}

func (d *DataExports) getExport(w http.ResponseWriter, arn string) {
	for _, e := range d.exports {
		if e.ARN == arn {
			writeJSON11(w, struct {
				Export       json.RawMessage
				ExportStatus map[string]any
			}{e.Export, map[string]any{"StatusCode": "HEALTHY", "CreatedAt": e.Created.UTC().Format(time.RFC3339)}})
			return
		}
	}
	writeJSONError(w, http.StatusBadRequest, "ResourceNotFoundException", "Export "+arn+" not found.")
}

// listExportsPage is small, so listing a few exports takes pages.
const listExportsPage = 2

func (d *DataExports) listExports(w http.ResponseWriter, token string) {
	type ref struct {
		ExportArn, ExportName string
		ExportStatus          map[string]any
	}
	start, _ := strconv.Atoi(token)
	end := min(start+listExportsPage, len(d.exports))
	out := struct {
		Exports   []ref
		NextToken *string `json:",omitempty"`
	}{Exports: []ref{}}
	for _, e := range d.exports[min(start, end):end] {
		out.Exports = append(out.Exports, ref{e.ARN, e.Name, map[string]any{"StatusCode": "HEALTHY", "CreatedAt": e.Created.UTC().Format(time.RFC3339)}})
	}
	if end < len(d.exports) {
		next := strconv.Itoa(end)
		out.NextToken = &next
	}
	writeJSON11(w, out)
}

func writeJSON11(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(v)
}

// writeJSONError answers as AWS's JSON 1.1 protocol does: the error's
// code in __type, its words in message.
func writeJSONError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": message})
}
