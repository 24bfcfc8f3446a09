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
	legacy  []legacyReport
	denied  map[string]bool
	calls   []string
}

type dataExport struct {
	ARN     string
	Export  json.RawMessage // as CreateExport was given it, ARN added
	Name    string
	Created time.Time
	// Status is HEALTHY until SetStatus says otherwise; Reason is AWS's
	// reason for an UNHEALTHY one.
	Status, Reason string
}

type legacyReport struct{ name, lastStatus string }

// DataExportTables are the tables an export may select from, as Data
// Exports' ListTables names them.
var DataExportTables = []string{"COST_AND_USAGE_REPORT", "COST_AND_USAGE_DASHBOARD", "COST_OPTIMIZATION_RECOMMENDATIONS",
	"FOCUS_1_0_AWS", "FOCUS_1_2_AWS", "CARBON_EMISSIONS"}

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
// an account that made one before Data Exports has, whose last delivery
// had lastStatus (SUCCESS, ERROR_PERMISSIONS, ERROR_NO_BUCKET; "" for
// none yet).
func (d *DataExports) AddLegacyReport(name, lastStatus string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.legacy = append(d.legacy, legacyReport{name, lastStatus})
}

// AddExport gives the account an export of table (one of
// DataExportTables), made in the console, say: healthy, delivering to a
// bucket of the account's.
func (d *DataExports) AddExport(name, table string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	arn := "arn:aws:bcm-data-exports:us-east-1:" + d.account + ":export/" + name + "-" + strconv.Itoa(1000+len(d.exports))
	export, _ := json.Marshal(map[string]any{
		"ExportArn": arn, "Name": name,
		"DataQuery": map[string]any{"QueryStatement": "SELECT * FROM " + table, "TableConfigurations": map[string]any{}},
		"DestinationConfigurations": map[string]any{"S3Destination": map[string]any{"S3Bucket": "console-exports-" + d.account, "S3Prefix": "exports",
			"S3Region": "us-east-1", "S3BucketOwner": d.account,
			"S3OutputConfigurations": map[string]string{"Compression": "PARQUET", "Format": "PARQUET", "OutputType": "CUSTOM", "Overwrite": "OVERWRITE_REPORT"}}},
		"RefreshCadence": map[string]string{"Frequency": "SYNCHRONOUS"},
	})
	d.exports = append(d.exports, dataExport{ARN: arn, Export: export, Name: name, Created: time.Now(), Status: "HEALTHY"})
}

// SetStatus gives the export named name the health AWS reports for it
// (HEALTHY, or UNHEALTHY with a reason such as INSUFFICIENT_PERMISSION,
// as after its bucket's policy stopped admitting Data Exports).
func (d *DataExports) SetStatus(name, code, reason string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range d.exports {
		if d.exports[i].Name == name {
			d.exports[i].Status, d.exports[i].Reason = code, reason
		}
	}
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
		type status struct {
			LastDelivery string `json:"lastDelivery,omitempty"`
			LastStatus   string `json:"lastStatus,omitempty"`
		}
		type report struct {
			ReportName   string
			ReportStatus *status `json:",omitempty"`
		}
		out := struct{ ReportDefinitions []report }{[]report{}}
		for _, r := range d.legacy {
			def := report{ReportName: r.name}
			if r.lastStatus != "" {
				def.ReportStatus = &status{LastDelivery: "20250601T000000Z", LastStatus: r.lastStatus}
			}
			out.ReportDefinitions = append(out.ReportDefinitions, def)
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
	case x.DataQuery == nil || !slices.ContainsFunc(DataExportTables, func(table string) bool { return strings.Contains(x.DataQuery.QueryStatement, "FROM "+table) }):
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
	d.exports = append(d.exports, dataExport{ARN: arn, Export: export, Name: x.Name, Created: time.Now(), Status: "HEALTHY"})
	writeJSON11(w, struct{ ExportArn string }{arn})
}

// status is an export's ExportStatus in the wire format: its times as
// date-times, and a reason only for an unhealthy export.
func (e dataExport) status() map[string]any {
	at := e.Created.UTC().Format(time.RFC3339)
	st := map[string]any{"StatusCode": e.Status, "CreatedAt": at, "LastUpdatedAt": at, "LastRefreshedAt": at}
	if e.Reason != "" {
		st["StatusReason"] = e.Reason
	}
	return st
}

func (d *DataExports) getExport(w http.ResponseWriter, arn string) {
	for _, e := range d.exports {
		if e.ARN == arn {
			writeJSON11(w, struct {
				Export       json.RawMessage
				ExportStatus map[string]any
			}{e.Export, e.status()})
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
		out.Exports = append(out.Exports, ref{e.ARN, e.Name, e.status()})
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
