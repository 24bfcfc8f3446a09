package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
)

// DetectorEnabled is the status of a GuardDuty detector that is watching.
const DetectorEnabled = "ENABLED"

// Detector is the GuardDuty detector of one region; AWS allows one per
// region.
type Detector struct {
	ID     string
	Status string // DetectorEnabled or "DISABLED"
}

var (
	opListDetectors  = operation{action: "guardduty:ListDetectors", doing: "list GuardDuty detectors"}
	opCreateDetector = operation{action: "guardduty:CreateDetector", doing: "turn on GuardDuty"}
)

func opGetDetector(id string) operation {
	return operation{action: "guardduty:GetDetector", doing: "read GuardDuty detector " + id}
}

func opUpdateDetector(id string) operation {
	return operation{action: "guardduty:UpdateDetector", doing: "turn on GuardDuty detector " + id}
}

// Detectors calls guardduty:ListDetectors, then GetDetector for each, in
// the home region.
func (c *Client) Detectors(ctx context.Context) ([]Detector, error) {
	var ids []string
	pages := guardduty.NewListDetectorsPaginator(c.guardduty, &guardduty.ListDetectorsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, opListDetectors.failed(err)
		}
		ids = append(ids, page.DetectorIds...)
	}
	detectors := make([]Detector, 0, len(ids))
	for _, id := range ids {
		out, err := c.guardduty.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
		if err != nil {
			return nil, opGetDetector(id).failed(err)
		}
		detectors = append(detectors, Detector{ID: id, Status: string(out.Status)})
	}
	return detectors, nil
}

// CreateDetector calls guardduty:CreateDetector in the home region, turned
// on, and returns its id. AWS refuses a second detector in a region, but
// not every emulator does: callers look with Detectors first. It is tried
// once: were the SDK to send it again after an answer lost on the way, a
// server that ignores the client token (moto does) would make a second
// detector; the caller's next try looks first and finds the one made.
func (c *Client) CreateDetector(ctx context.Context) (string, error) {
	out, err := c.guardduty.CreateDetector(ctx, &guardduty.CreateDetectorInput{Enable: aws.Bool(true)},
		func(o *guardduty.Options) { o.RetryMaxAttempts = 1 })
	if err != nil {
		return "", opCreateDetector.failed(err)
	}
	return aws.ToString(out.DetectorId), nil
}

// EnableDetector calls guardduty:UpdateDetector to turn a detector that
// was suspended back on.
func (c *Client) EnableDetector(ctx context.Context, id string) error {
	_, err := c.guardduty.UpdateDetector(ctx, &guardduty.UpdateDetectorInput{DetectorId: aws.String(id), Enable: aws.Bool(true)})
	return opUpdateDetector(id).failed(err)
}
