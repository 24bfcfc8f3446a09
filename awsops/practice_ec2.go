package awsops

import (
	"context"
	"slices"
)

// EnabledRegions lists the regions the account can use now: enabled by
// default, or opted in and done enabling. A region still enabling is
// left out, as it cannot be used yet.
func (p *Practice) EnabledRegions(ctx context.Context) ([]string, error) {
	return practiceRead(ctx, p, opDescribeRegions, func(st *practiceState) ([]string, error) {
		return p.enabledRegions(st), nil
	})
}

func (p *Practice) enabledRegions(st *practiceState) []string {
	var names []string
	for i := range st.Regions {
		if s := p.regionStatus(&st.Regions[i]); s == RegionEnabledByDefault || s == RegionEnabled {
			names = append(names, st.Regions[i].Name)
		}
	}
	slices.Sort(names)
	return names
}

// usable answers as EC2 does in a region the account cannot use (not
// enabled, or still enabling): OptInRequired.
func (p *Practice) usable(st *practiceState, region string) error {
	if !slices.Contains(p.enabledRegions(st), region) {
		return replyOptInRequired()
	}
	return nil
}

// EBSEncryptionByDefault reads whether EBS encryption by default is on in region.
func (p *Practice) EBSEncryptionByDefault(ctx context.Context, region string) (bool, error) {
	return practiceRead(ctx, p, opGetEBSDefault(region), func(st *practiceState) (bool, error) {
		if err := p.usable(st, region); err != nil {
			return false, err
		}
		return slices.Contains(st.EBSDefault, region), nil
	})
}

// EnableEBSEncryptionByDefault turns EBS encryption by default on in region.
func (p *Practice) EnableEBSEncryptionByDefault(ctx context.Context, region string) error {
	return p.write(ctx, opEnableEBSDefault(region), func(st *practiceState) (bool, error) {
		if err := p.usable(st, region); err != nil {
			return false, err
		}
		if slices.Contains(st.EBSDefault, region) {
			return false, nil
		}
		st.EBSDefault = append(st.EBSDefault, region)
		return true, nil
	})
}
