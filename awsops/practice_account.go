package awsops

import (
	"context"
	"slices"
)

// Regions lists every region with its status.
func (p *Practice) Regions(ctx context.Context) ([]Region, error) {
	return practiceRead(ctx, p, opListRegions, func(st *practiceState) ([]Region, error) {
		regions := make([]Region, len(st.Regions))
		for i := range st.Regions {
			regions[i] = Region{Name: st.Regions[i].Name, Status: p.regionStatus(&st.Regions[i])}
		}
		return regions, nil
	})
}

// EnableRegion starts enabling an opt-in region.
func (p *Practice) EnableRegion(ctx context.Context, name string) error {
	return p.write(ctx, opEnableRegion(name), func(st *practiceState) (bool, error) {
		r, err := st.region(name)
		switch {
		case err != nil:
			return false, err
		case r.Status == RegionEnabledByDefault:
			return false, replyRegionEnabledByDefault(name)
		case p.regionStatus(r) != RegionDisabled:
			return false, nil
		}
		r.Status, r.EnablingSince = RegionEnabling, p.opts.Now()
		return true, nil
	})
}

// RegionStatus reads one region's status.
func (p *Practice) RegionStatus(ctx context.Context, name string) (string, error) {
	return practiceRead(ctx, p, opGetRegionOptStatus(name), func(st *practiceState) (string, error) {
		r, err := st.region(name)
		if err != nil {
			return "", err
		}
		return p.regionStatus(r), nil
	})
}

// regionStatus moves an ENABLING region on once its time has passed.
func (p *Practice) regionStatus(r *practiceRegion) string {
	if r.Status == RegionEnabling && p.opts.Now().Sub(r.EnablingSince) >= p.opts.RegionEnableTime {
		r.Status = RegionEnabled
	}
	return r.Status
}

func (st *practiceState) region(name string) (*practiceRegion, error) {
	for i := range st.Regions {
		if st.Regions[i].Name == name {
			return &st.Regions[i], nil
		}
	}
	return nil, replyNoSuchRegion(name)
}

// AlternateContact reads one alternate contact.
func (p *Practice) AlternateContact(ctx context.Context, kind string) (Contact, error) {
	return practiceRead(ctx, p, opGetAlternateContact(kind), func(st *practiceState) (Contact, error) {
		if !slices.Contains(ContactTypes, kind) {
			return Contact{}, replyUnknownContactType(kind)
		}
		c := st.Contacts[kind]
		if c == nil {
			return Contact{}, replyNoAlternateContact()
		}
		return *c, nil
	})
}

// PutAlternateContact sets one alternate contact, replacing any before it.
func (p *Practice) PutAlternateContact(ctx context.Context, c Contact) error {
	op := opPutAlternateContact(c.Type)
	if err := ValidateContact(c); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		if old := st.Contacts[c.Type]; old != nil && *old == c {
			return false, nil
		}
		st.Contacts[c.Type] = &c
		return true, nil
	})
}
