package awsops

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bcmdataexports"
	"github.com/aws/aws-sdk-go-v2/service/bcmdataexports/types"
	"github.com/aws/aws-sdk-go-v2/service/costandusagereportservice"
)

// The billing report calls: Data Exports (CUR 2.0) and, to detect an
// older report, the legacy Cost and Usage Report service. Both live in
// us-east-1 whatever the home region.

var opListExports = operation{action: "bcm-data-exports:ListExports", doing: "list billing data exports"}

func opGetExport(arn string) operation {
	return operation{action: "bcm-data-exports:GetExport", doing: "read billing data export " + arn}
}

func opCreateExport(name string) operation {
	return operation{action: "bcm-data-exports:CreateExport", doing: "create billing data export " + name}
}

var opDescribeReportDefinitions = operation{action: "cur:DescribeReportDefinitions", doing: "list legacy Cost and Usage Reports"}

// BillingRegion is where Data Exports and the legacy CUR service answer.
const BillingRegion = "us-east-1"

// Export is a Data Exports export: its name, ARN and health, and, when
// read with Export, what it delivers, where and how.
type Export struct {
	Name string
	ARN  string
	// Status is HEALTHY or UNHEALTHY; StatusReason, for an unhealthy
	// export, AWS's reason (INSUFFICIENT_PERMISSION, BILL_OWNER_CHANGED,
	// INTERNAL_FAILURE).
	Status       string
	StatusReason string
	Query        string
	Tables       map[string]map[string]string
	Bucket       string
	Prefix       string
	Region       string
	Owner        string
	Format       string // PARQUET
	// Overwrite is OVERWRITE_REPORT or CREATE_NEW_REPORT.
	Overwrite string
}

// CUR2Query is the CUR 2.0 columns awssecure's export delivers: what was
// used, when, where and what it cost.
const CUR2Query = "SELECT identity_line_item_id, identity_time_interval, bill_billing_period_start_date, " +
	"line_item_usage_account_id, line_item_line_item_type, line_item_product_code, line_item_usage_type, " +
	"line_item_operation, line_item_resource_id, line_item_usage_start_date, line_item_usage_amount, " +
	"line_item_unblended_cost, line_item_currency_code, product_region_code FROM COST_AND_USAGE_REPORT"

// CUR2Tables is the CUR 2.0 table's configuration: one line per day and
// resource.
var CUR2Tables = map[string]map[string]string{"COST_AND_USAGE_REPORT": {
	"TIME_GRANULARITY": "DAILY", "INCLUDE_RESOURCES": "TRUE",
	"INCLUDE_SPLIT_COST_ALLOCATION_DATA": "FALSE", "INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY": "FALSE",
}}

// NewExport is what awssecure asks Data Exports to make: CUR 2.0, daily,
// Parquet, into Bucket (of Owner, in Region) under Prefix.
type NewExport struct {
	Name   string
	Bucket string
	Prefix string
	Region string
	Owner  string
}

var exportNameRule = regexp.MustCompile(`^[0-9A-Za-z!\-_.*'()]{1,128}$`)

// ValidateExportName applies Data Exports' rule for names.
func ValidateExportName(name string) error {
	if !exportNameRule.MatchString(name) {
		return errors.New("an export name has 1 to 128 letters, digits and ! - _ . * ' ( )")
	}
	return nil
}

// Export statuses, as Data Exports spells them.
const (
	ExportHealthy   = "HEALTHY"
	ExportUnhealthy = "UNHEALTHY"
)

// The Data Exports tables that hold what each service costs: CUR 2.0,
// and FOCUS (FOCUS_1_0_AWS, and the FOCUS versions after it).
const (
	TableCostAndUsage = "COST_AND_USAGE_REPORT"
	tableFOCUSPrefix  = "FOCUS_"
)

// CostAndUsage reports whether table is one of cost and usage: CUR 2.0
// or FOCUS, rather than, say, carbon emissions or cost optimization
// recommendations.
func CostAndUsage(table string) bool {
	return table == TableCostAndUsage || strings.HasPrefix(table, tableFOCUSPrefix)
}

// Table is the table the export's query selects from (as Export read
// it), or "" when there is no query.
func (x Export) Table() string {
	fields := strings.Fields(x.Query)
	for i, f := range fields {
		if strings.EqualFold(f, "FROM") && i+1 < len(fields) {
			return strings.Trim(fields[i+1], "\"';")
		}
	}
	if len(x.Tables) == 1 {
		for table := range x.Tables {
			return table
		}
	}
	return ""
}

// Exports calls bcm-data-exports:ListExports, all pages: names, ARNs and
// health.
func (c *Client) Exports(ctx context.Context) ([]Export, error) {
	var list []Export
	pages := bcmdataexports.NewListExportsPaginator(c.exports, &bcmdataexports.ListExportsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListExports.failed(err)
		}
		for _, e := range page.Exports {
			x := Export{Name: aws.ToString(e.ExportName), ARN: aws.ToString(e.ExportArn)}
			if st := e.ExportStatus; st != nil {
				x.Status, x.StatusReason = string(st.StatusCode), string(st.StatusReason)
			}
			list = append(list, x)
		}
	}
	return list, nil
}

// Export calls bcm-data-exports:GetExport: how the export delivers.
func (c *Client) Export(ctx context.Context, arn string) (Export, error) {
	out, err := c.exports.GetExport(ctx, &bcmdataexports.GetExportInput{ExportArn: aws.String(arn)})
	if err != nil {
		return Export{}, opGetExport(arn).failed(err)
	}
	e := Export{ARN: arn}
	if st := out.ExportStatus; st != nil {
		e.Status, e.StatusReason = string(st.StatusCode), string(st.StatusReason)
	}
	if x := out.Export; x != nil {
		e.Name = aws.ToString(x.Name)
		if q := x.DataQuery; q != nil {
			e.Query, e.Tables = aws.ToString(q.QueryStatement), q.TableConfigurations
		}
		if d := x.DestinationConfigurations; d != nil && d.S3Destination != nil {
			s := d.S3Destination
			e.Bucket, e.Prefix, e.Region, e.Owner = aws.ToString(s.S3Bucket), aws.ToString(s.S3Prefix), aws.ToString(s.S3Region), aws.ToString(s.S3BucketOwner)
			if o := s.S3OutputConfigurations; o != nil {
				e.Format, e.Overwrite = string(o.Format), string(o.Overwrite)
			}
		}
	}
	return e, nil
}

// CreateExport calls bcm-data-exports:CreateExport: CUR 2.0 (CUR2Query,
// CUR2Tables), refreshed as the data changes, Parquet, each day's file
// replacing the last; it returns the new export's ARN.
func (c *Client) CreateExport(ctx context.Context, x NewExport) (string, error) {
	op := opCreateExport(x.Name)
	if err := validateNewExport(x); err != nil {
		return "", op.refused(err)
	}
	out, err := c.exports.CreateExport(ctx, &bcmdataexports.CreateExportInput{Export: x.export()})
	if err != nil {
		return "", op.failed(err)
	}
	return aws.ToString(out.ExportArn), nil
}

const exportDescription = "Cost and Usage Report 2.0, made by awssecure"

// export is the export CreateExport makes, and Document shows.
func (x NewExport) export() *types.Export {
	return &types.Export{
		Name:        aws.String(x.Name),
		Description: aws.String(exportDescription),
		DataQuery:   &types.DataQuery{QueryStatement: aws.String(CUR2Query), TableConfigurations: CUR2Tables},
		DestinationConfigurations: &types.DestinationConfigurations{S3Destination: &types.S3Destination{
			S3Bucket: aws.String(x.Bucket), S3Prefix: aws.String(x.Prefix), S3Region: aws.String(x.Region), S3BucketOwner: aws.String(x.Owner),
			S3OutputConfigurations: &types.S3OutputConfigurations{
				Format: types.FormatOptionParquet, Compression: types.CompressionOptionParquet,
				OutputType: types.S3OutputTypeCustom, Overwrite: types.OverwriteOptionOverwriteReport,
			},
		}},
		RefreshCadence: &types.RefreshCadence{Frequency: types.FrequencyOptionSynchronous},
	}
}

func validateNewExport(x NewExport) error {
	if err := ValidateExportName(x.Name); err != nil {
		return err
	}
	if err := ValidateBucketName(x.Bucket); err != nil {
		return err
	}
	if x.Prefix == "" || len(x.Prefix) > 256 {
		return errors.New("an export's S3 prefix has 1 to 256 characters")
	}
	return ValidateRegion(x.Region)
}

// LegacyReport is a Cost and Usage Report made before Data Exports: its
// name and how its last delivery went.
type LegacyReport struct {
	Name string
	// LastStatus is SUCCESS, ERROR_PERMISSIONS or ERROR_NO_BUCKET; ""
	// before the first delivery.
	LastStatus string
}

// LegacyDelivered is the LastStatus of a legacy report delivered.
const LegacyDelivered = "SUCCESS"

// LegacyReports calls cur:DescribeReportDefinitions, all pages: the
// account's Cost and Usage Reports made before Data Exports.
func (c *Client) LegacyReports(ctx context.Context) ([]LegacyReport, error) {
	var reports []LegacyReport
	pages := costandusagereportservice.NewDescribeReportDefinitionsPaginator(c.cur, &costandusagereportservice.DescribeReportDefinitionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opDescribeReportDefinitions.failed(err)
		}
		for _, r := range page.ReportDefinitions {
			report := LegacyReport{Name: aws.ToString(r.ReportName)}
			if st := r.ReportStatus; st != nil {
				report.LastStatus = string(st.LastStatus)
			}
			reports = append(reports, report)
		}
	}
	return reports, nil
}
