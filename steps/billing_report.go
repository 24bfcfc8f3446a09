package steps

import (
	"context"
	"slices"

	"github.com/awssecure/awssecure/awsops"
)

// ensureReport gives the account a billing report: nothing when it has
// one; else the bucket, guarded, then the export. A lost reply of
// CreateExport is found by listing again.
func ensureReport(ctx context.Context, acct Account, caller awsops.Caller, in BillingRequest) ([]string, []string, bool, error) {
	reports, err := readReports(ctx, acct)
	if err != nil {
		return nil, nil, false, err
	}
	if len(reports) > 0 {
		return reports, []string{"Billing report " + reports[0] + " is already delivered; nothing changed."}, false, nil
	}
	account, prefix := caller.AccountID, ReportBucketPrefix(caller.AccountID)
	bucket, said, err := makeOwnBucket(ctx, acct, in.BucketPlan, prefix, in.Region, func(bucket string) string {
		return ReportBucketPolicy(caller.Partition(), bucket, account)
	})
	if err != nil {
		return nil, nil, false, err
	}
	_, err = acct.CreateExport(ctx, awsops.NewExport{Name: ExportName, Bucket: bucket, Prefix: ReportPrefix, Region: in.Region, Owner: account})
	if err != nil {
		exports, lerr := acct.Exports(ctx)
		if lerr != nil || !slices.ContainsFunc(exports, func(x awsops.Export) bool { return x.Name == ExportName }) {
			return nil, nil, false, err
		}
	}
	reports, err = readReports(ctx, acct)
	said = append([]string{"Billing report " + ExportName + " (CUR 2.0, daily, Parquet) is delivered to s3://" + bucket + "/" + ReportPrefix + "/."}, said...)
	return reports, said, true, err
}

// ReportBucketPolicy is the bucket policy Data Exports documents for a
// report's bucket: the billing services (Data Exports and the legacy
// CUR) may put objects and read the policy, only for this account's
// exports and reports (aws:SourceAccount, aws:SourceArn); and any
// request without TLS is denied.
func ReportBucketPolicy(partition, bucket, account string) string {
	bucketARN := "arn:" + partition + ":s3:::" + bucket
	return bucketPolicy(bucketARN, policyStatement{"EnableAWSDataExportsToWriteToS3AndCheckPolicy", "Allow",
		map[string][]string{"Service": {"billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"}},
		[]string{"s3:PutObject", "s3:GetBucketPolicy"}, []string{bucketARN + "/*", bucketARN},
		map[string]map[string]any{"StringLike": {
			"aws:SourceAccount": account,
			"aws:SourceArn": []string{
				"arn:" + partition + ":cur:" + awsops.BillingRegion + ":" + account + ":definition/*",
				"arn:" + partition + ":bcm-data-exports:" + awsops.BillingRegion + ":" + account + ":export/*",
			},
		}}})
}
