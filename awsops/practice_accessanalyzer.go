package awsops

import (
	"context"
	"slices"
)

// Analyzers lists the analyzers of region.
func (p *Practice) Analyzers(ctx context.Context, region string) ([]Analyzer, error) {
	return practiceRead(ctx, p, opListAnalyzers(region), func(st *practiceState) ([]Analyzer, error) {
		if err := p.usable(st, region); err != nil {
			return nil, err
		}
		return slices.Clone(st.Analyzers[region]), nil
	})
}

// CreateAnalyzer creates an analyzer of type ACCOUNT in region; a name in
// use there is refused, as AWS refuses it.
func (p *Practice) CreateAnalyzer(ctx context.Context, region, name string) error {
	op := opCreateAnalyzer(region)
	if err := ValidateAnalyzerName(name); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		if err := p.usable(st, region); err != nil {
			return false, err
		}
		if slices.ContainsFunc(st.Analyzers[region], func(a Analyzer) bool { return a.Name == name }) {
			return false, replyAnalyzerExists(name)
		}
		st.Analyzers[region] = append(st.Analyzers[region], Analyzer{Name: name, Type: AnalyzerAccount, Status: AnalyzerActive})
		return true, nil
	})
}
