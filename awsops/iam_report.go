package awsops

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// The IAM credential report: one call makes it (at most every four
// hours), one reads it, whatever the number of users.
var (
	opGenerateCredentialReport = operation{action: "iam:GenerateCredentialReport", doing: "generate the credential report"}
	opGetCredentialReport      = operation{action: "iam:GetCredentialReport", doing: "read the credential report"}
)

// CredentialReport is IAM's credential report as it was when IAM last
// made it (Generated, up to four hours ago): a row for the root user and
// one for each IAM user.
type CredentialReport struct {
	Generated time.Time
	// Root is the <root_account> row; nil when the report has none.
	Root  *CredentialRow
	Users []CredentialRow
}

// RootRowName is how the report names the root user's row.
const RootRowName = "<root_account>"

// CredentialRow is one row of the report: the columns awssecure reads.
// A time the report gives as N/A, no_information or not_supported is
// zero.
type CredentialRow struct {
	User    string
	ARN     string
	Created time.Time
	// PasswordEnabled is the column as written, lowercased: "true",
	// "false", or "not_supported", which IAM's documentation gives for
	// the root user (whose row then tells nothing about a password).
	PasswordEnabled string
	// PasswordLastUsed is zero when the password was never used (or not
	// since IAM began recording, October 2014), or there is none.
	PasswordLastUsed    time.Time
	PasswordLastChanged time.Time
	MFAActive           bool
	// Keys are access_key_1 and access_key_2.
	Keys [2]KeyColumns
}

// KeyColumns is one access key's columns of a row.
type KeyColumns struct {
	Active      bool
	LastRotated time.Time // when it was made or last changed; zero for no key
	LastUsed    time.Time // zero: never used (or not since April 2015)
}

// GenerateCredentialReport calls iam:GenerateCredentialReport. IAM makes
// a new report only when the last is older than four hours; it reports
// whether a report is ready to read (COMPLETE), rather than STARTED or
// INPROGRESS.
func (c *Client) GenerateCredentialReport(ctx context.Context) (bool, error) {
	out, err := c.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	if err != nil {
		return false, opGenerateCredentialReport.failed(err)
	}
	return out.State == types.ReportStateTypeComplete, nil
}

// CredentialReport calls iam:GetCredentialReport and reads its CSV. A
// report never made, older than four hours or still being made fails
// with ErrReportNotReady: GenerateCredentialReport, then ask again.
func (c *Client) CredentialReport(ctx context.Context) (CredentialReport, error) {
	out, err := c.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	if err != nil {
		return CredentialReport{}, opGetCredentialReport.failed(err)
	}
	report, err := ParseCredentialReport(out.Content)
	if err != nil {
		return CredentialReport{}, opGetCredentialReport.failed(err)
	}
	if out.GeneratedTime != nil {
		report.Generated = out.GeneratedTime.UTC()
	}
	return report, nil
}

// ParseCredentialReport reads the report's CSV by its header's column
// names, so a column IAM adds or moves is no harm. Only user and arn must
// be there; a missing column reads as N/A.
func ParseCredentialReport(content []byte) (CredentialReport, error) {
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return CredentialReport{}, fmt.Errorf("the credential report has no header: %w", err)
	}
	col := map[string]int{}
	for i, name := range header {
		col[strings.TrimSpace(name)] = i
	}
	if _, ok := col["user"]; !ok {
		return CredentialReport{}, errors.New("the credential report has no user column")
	}
	var report CredentialReport
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return CredentialReport{}, fmt.Errorf("the credential report is not CSV: %w", err)
		}
		field := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return "N/A"
		}
		row := CredentialRow{
			User: field("user"), ARN: field("arn"), Created: reportTime(field("user_creation_time")),
			PasswordEnabled: strings.ToLower(field("password_enabled")), PasswordLastUsed: reportTime(field("password_last_used")),
			PasswordLastChanged: reportTime(field("password_last_changed")), MFAActive: reportBool(field("mfa_active")),
		}
		for k, n := range []string{"1", "2"} {
			row.Keys[k] = KeyColumns{
				Active:      reportBool(field("access_key_" + n + "_active")),
				LastRotated: reportTime(field("access_key_" + n + "_last_rotated")),
				LastUsed:    reportTime(field("access_key_" + n + "_last_used_date")),
			}
		}
		if row.User == RootRowName {
			root := row
			report.Root = &root
			continue
		}
		report.Users = append(report.Users, row)
	}
	return report, nil
}

// reportBool reads TRUE or true as true, anything else as false.
func reportBool(s string) bool { return strings.EqualFold(s, "true") }

// reportTime reads an ISO 8601 time; N/A, no_information and
// not_supported are zero.
func reportTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
