package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
)

// Analyzer types and status, as IAM Access Analyzer spells them. Only the
// external-access types are free; the unused-access ones are billed, and
// awssecure never creates those.
const (
	AnalyzerAccount      = "ACCOUNT"
	AnalyzerOrganization = "ORGANIZATION"
	AnalyzerActive       = "ACTIVE"
)

// AnalyzerName is the name awssecure gives the analyzer it creates in
// each region. Names are per region, so one name serves them all.
const AnalyzerName = "awssecure"

// Analyzer is an IAM Access Analyzer analyzer in one region.
type Analyzer struct {
	Name   string
	Type   string // AnalyzerAccount, AnalyzerOrganization, or an unused-access type
	Status string // AnalyzerActive, CREATING, DISABLED or FAILED
}

// External reports whether the analyzer finds external access to the
// account's resources (CIS 1.20), and is running.
func (a Analyzer) External() bool {
	return (a.Type == AnalyzerAccount || a.Type == AnalyzerOrganization) && a.Status == AnalyzerActive
}

func opListAnalyzers(region string) operation {
	return operation{action: "access-analyzer:ListAnalyzers", doing: "list IAM Access Analyzer analyzers in " + region}
}

func opCreateAnalyzer(region string) operation {
	return operation{action: "access-analyzer:CreateAnalyzer", doing: "create an IAM Access Analyzer analyzer in " + region,
		// The only conflict CreateAnalyzer reports is a name in use.
		codes: map[string]error{"ConflictException": ErrAlreadyExists}}
}

func (c *Client) analyzerIn(region string) *accessanalyzer.Client {
	return accessanalyzer.NewFromConfig(c.cfg, func(o *accessanalyzer.Options) { o.Region = region })
}

// Analyzers calls access-analyzer:ListAnalyzers in region, all pages.
func (c *Client) Analyzers(ctx context.Context, region string) ([]Analyzer, error) {
	var found []Analyzer
	pages := accessanalyzer.NewListAnalyzersPaginator(c.analyzerIn(region), &accessanalyzer.ListAnalyzersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListAnalyzers(region).failed(err)
		}
		for _, a := range page.Analyzers {
			found = append(found, Analyzer{Name: aws.ToString(a.Name), Type: string(a.Type), Status: string(a.Status)})
		}
	}
	return found, nil
}

// CreateAnalyzer calls access-analyzer:CreateAnalyzer in region for an
// analyzer named name of type ACCOUNT (free). A name already in use is
// ErrAlreadyExists.
func (c *Client) CreateAnalyzer(ctx context.Context, region, name string) error {
	if err := ValidateAnalyzerName(name); err != nil {
		return opCreateAnalyzer(region).refused(err)
	}
	_, err := c.analyzerIn(region).CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{
		AnalyzerName: aws.String(name),
		Type:         types.TypeAccount,
	})
	return opCreateAnalyzer(region).failed(err)
}
