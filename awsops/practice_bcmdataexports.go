package awsops

import (
	"context"
	"maps"
	"slices"
)

// practiceExport is one of the practice account's Data Exports.
type practiceExport struct {
	Bucket string
	Prefix string
	Region string
}

// exportARN is the ARN Data Exports gives an export of the practice
// account (AWS adds a random id after the name; the practice, none).
func exportARN(name string) string {
	return "arn:aws:bcm-data-exports:" + BillingRegion + ":" + PracticeAccountID + ":export/" + name
}

// Exports lists the practice account's exports.
func (p *Practice) Exports(ctx context.Context) ([]Export, error) {
	return practiceRead(ctx, p, opListExports, func(st *practiceState) ([]Export, error) {
		list := []Export{}
		for _, name := range slices.Sorted(maps.Keys(st.Exports)) {
			list = append(list, Export{Name: name, ARN: exportARN(name), Status: ExportHealthy})
		}
		return list, nil
	})
}

// Export reads an export back, by ARN.
func (p *Practice) Export(ctx context.Context, arn string) (Export, error) {
	return practiceRead(ctx, p, opGetExport(arn), func(st *practiceState) (Export, error) {
		for name, x := range st.Exports {
			if exportARN(name) == arn {
				return Export{Name: name, ARN: arn, Status: ExportHealthy, Query: CUR2Query, Tables: CUR2Tables, Bucket: x.Bucket, Prefix: x.Prefix,
					Region: x.Region, Owner: PracticeAccountID, Format: "PARQUET", Overwrite: "OVERWRITE_REPORT"}, nil
			}
		}
		return Export{}, replyNoSuchExport(arn)
	})
}

// CreateExport makes an export, as Data Exports does: the name must be
// free, and the bucket must exist with a policy that lets Data Exports
// write there for this account.
func (p *Practice) CreateExport(ctx context.Context, x NewExport) (string, error) {
	op := opCreateExport(x.Name)
	if err := validateNewExport(x); err != nil {
		return "", op.refused(err)
	}
	return practiceCreate(ctx, p, op, func(st *practiceState) (string, error) {
		if st.Exports[x.Name] != nil {
			return "", replyExportExists(x.Name)
		}
		if err := st.admitsDataExports(x.Bucket); err != nil {
			return "", err
		}
		st.Exports[x.Name] = &practiceExport{Bucket: x.Bucket, Prefix: x.Prefix, Region: x.Region}
		return exportARN(x.Name), nil
	})
}

// LegacyReports lists the practice account's legacy Cost and Usage
// Reports (a file may hold some, as an older account would), each
// delivered.
func (p *Practice) LegacyReports(ctx context.Context) ([]LegacyReport, error) {
	return practiceRead(ctx, p, opDescribeReportDefinitions, func(st *practiceState) ([]LegacyReport, error) {
		var reports []LegacyReport
		for _, name := range st.LegacyReports {
			reports = append(reports, LegacyReport{Name: name, LastStatus: LegacyDelivered})
		}
		return reports, nil
	})
}

// admitsDataExports checks, as Data Exports does before it makes an
// export, that the bucket exists and that its policy lets
// bcm-data-exports.amazonaws.com put objects in it.
func (st *practiceState) admitsDataExports(bucket string) error {
	b := st.Buckets[bucket]
	if b == nil {
		return replyExportBucketRefused(bucket)
	}
	pol, err := parsePolicy(b.Policy)
	if err != nil || !pol.allowsService("bcm-data-exports.amazonaws.com", "s3:PutObject", "arn:aws:s3:::"+bucket+"/*", "") {
		return replyExportBucketRefused(bucket)
	}
	return nil
}
