package awsops

import (
	"context"
	"slices"
)

// Detectors lists the GuardDuty detector of the home region, if any.
func (p *Practice) Detectors(ctx context.Context) ([]Detector, error) {
	return practiceRead(ctx, p, opListDetectors, func(st *practiceState) ([]Detector, error) {
		return slices.Clone(st.Detectors), nil
	})
}

// CreateDetector turns GuardDuty on in the home region; a second detector
// is refused, as AWS refuses it.
func (p *Practice) CreateDetector(ctx context.Context) (string, error) {
	return practiceCreate(ctx, p, opCreateDetector, func(st *practiceState) (string, error) {
		if len(st.Detectors) > 0 {
			return "", replyDetectorExists()
		}
		id := randomString(32, "0123456789abcdef")
		st.Detectors = append(st.Detectors, Detector{ID: id, Status: DetectorEnabled})
		return id, nil
	})
}

// EnableDetector turns a suspended detector back on.
func (p *Practice) EnableDetector(ctx context.Context, id string) error {
	return p.write(ctx, opUpdateDetector(id), func(st *practiceState) (bool, error) {
		i := slices.IndexFunc(st.Detectors, func(d Detector) bool { return d.ID == id })
		switch {
		case i < 0:
			return false, replyNoSuchDetector()
		case st.Detectors[i].Status == DetectorEnabled:
			return false, nil
		}
		st.Detectors[i].Status = DetectorEnabled
		return true, nil
	})
}
