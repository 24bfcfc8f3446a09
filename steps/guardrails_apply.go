package steps

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// GuardRequest is what the checklist asks to do.
type GuardRequest struct {
	// Contacts are the alternate contacts to set (the security one, and
	// billing or operations when asked); each replaces its type's.
	Contacts []awsops.Contact
}

// GuardResult is what applying one guard did: a sentence for its row
// ("EBS encryption on in 16 of 17 regions; eu-south-1: not enabled yet —
// retry later"), the first error when something is left to do, and the
// facts it changed.
type GuardResult struct {
	ID      string
	Said    string
	Err     error
	Change  Change
	Changed bool
	// CLI is the aws CLI equivalent of the writes this apply made, one
	// line each, with their values quoted for a shell; "" when it wrote
	// nothing. The runbook records it as soon as the result comes.
	CLI string
}

// GuardProgress is a region loop's progress: Done of Total regions.
type GuardProgress struct {
	ID          string
	Done, Total int
}

// ApplyGuard applies the guard id to what s shows missing, and only that:
// a rerun after a crash or a failure does what is left. progress, when
// not nil, hears each region as it is done (from several goroutines).
func ApplyGuard(ctx context.Context, acct Account, s Snapshot, id string, req GuardRequest, progress func(GuardProgress)) GuardResult {
	switch id {
	case CheckSecurityContact:
		return applyContacts(ctx, acct, req.Contacts)
	case CheckPublicAccessBlock:
		return applyBlock(ctx, acct, s)
	case CheckEBSEncryption, CheckAccessAnalyzer:
		return applyRegional(ctx, acct, s, id, progress)
	case CheckGuardDuty:
		return applyGuardDuty(ctx, acct)
	}
	return GuardResult{ID: id, Err: fmt.Errorf("no guard %q", id)}
}

func applyContacts(ctx context.Context, acct Account, contacts []awsops.Contact) GuardResult {
	res := GuardResult{ID: CheckSecurityContact}
	var set []awsops.Contact
	var cli []string
	for _, c := range contacts {
		if err := acct.PutAlternateContact(ctx, c); err != nil {
			res.Err = err
			break
		}
		set = append(set, c)
		cli = append(cli, "aws account put-alternate-contact --alternate-contact-type "+inert.ShellWord(c.Type)+" --name "+inert.ShellWord(c.Name)+
			" --title "+inert.ShellWord(c.Title)+" --email-address "+inert.ShellWord(c.Email)+" --phone-number "+inert.ShellWord(c.Phone))
	}
	res.CLI = strings.Join(cli, "\n")
	var words []string
	for _, c := range set {
		words = append(words, strings.ToLower(c.Type))
	}
	switch {
	case len(set) > 0:
		res.Said = strings.Join(words, ", ") + " contact set: " + set[0].Name + " <" + set[0].Email + ">"
	case res.Err == nil:
		res.Said = "no contact given"
	}
	if res.Err != nil {
		res.Said = strings.TrimPrefix(res.Said+"; ", "; ") + "not set: " + Explain(res.Err).What
	}
	if len(set) > 0 {
		res.Changed = true
		res.Change = func(s *Snapshot) {
			contacts := maps.Clone(s.Guards.Contacts)
			if contacts == nil {
				contacts = map[string]awsops.Contact{}
			}
			for _, c := range set {
				contacts[c.Type] = c
			}
			s.Guards.Contacts, s.Guards.ContactsErr = contacts, nil
		}
	}
	return res
}

func applyBlock(ctx context.Context, acct Account, s Snapshot) GuardResult {
	res := GuardResult{ID: CheckPublicAccessBlock}
	if b := s.Guards.Block; b != nil && *b == awsops.BlockAllPublicAccess {
		res.Said = "already on"
		return res
	}
	if res.Err = acct.PutPublicAccessBlock(ctx, s.Caller.AccountID, awsops.BlockAllPublicAccess); res.Err != nil {
		res.Said = "not set: " + Explain(res.Err).What
		return res
	}
	all := awsops.BlockAllPublicAccess
	res.Said, res.Changed = "all 4 settings on for the account", true
	res.CLI = publicAccessBlockCLI(s.Caller.AccountID)
	res.Change = func(s *Snapshot) { s.Guards.Block, s.Guards.BlockErr = &all, nil }
	return res
}

// applyRegional sets a regional guard in each enabled region that lacks
// it, concurrently and bounded. The region list is read again, so regions
// enabled since the snapshot are covered too.
func applyRegional(ctx context.Context, acct Account, s Snapshot, id string, progress func(GuardProgress)) GuardResult {
	res := GuardResult{ID: id}
	names, err := acct.EnabledRegions(ctx)
	if err != nil {
		res.Err, res.Said = err, "regions not listed: "+Explain(err).What
		return res
	}
	known := map[string]RegionGuard{}
	for _, r := range s.Guards.Regions {
		known[r.Name] = r
	}
	regions := make([]RegionGuard, len(names))
	wrote := make([]bool, len(names)) // whether the region's write was made (and answered)
	var done atomic.Int32
	var g errgroup.Group
	g.SetLimit(guardParallel)
	var crash panicked
	for i, name := range names {
		r := &regions[i]
		*r = known[name]
		r.Name = name
		g.Go(func() error {
			defer crash.catch()
			if id == CheckEBSEncryption {
				if !r.EBS || r.EBSErr != nil {
					r.EBSErr = acct.EnableEBSEncryptionByDefault(ctx, name)
					r.EBS, wrote[i] = r.EBSErr == nil, r.EBSErr == nil
				}
			} else if !r.Analyzer || r.AnalyzerErr != nil {
				wrote[i], r.AnalyzerErr = ensureAnalyzer(ctx, acct, name, r.AnalyzerErr != nil)
				r.Analyzer = r.AnalyzerErr == nil
			}
			if progress != nil {
				progress(GuardProgress{ID: id, Done: int(done.Add(1)), Total: len(names)})
			}
			return nil
		})
	}
	_ = g.Wait()
	crash.repanic()
	after := s
	after.Guards.Regions, after.Guards.RegionsErr = regions, nil
	check := regionCheck(after, id)
	res.Said = check.Detail
	for _, r := range regions {
		if _, err := regionFact(r, id); err != nil && res.Err == nil {
			res.Err = err
		}
	}
	res.Changed = true
	res.Change = func(s *Snapshot) {
		s.Guards.Regions, s.Guards.RegionsErr = mergeRegions(s.Guards.Regions, regions, id), nil
	}
	var cli []string
	for i, name := range names {
		switch {
		case !wrote[i]:
		case id == CheckEBSEncryption:
			cli = append(cli, "aws ec2 enable-ebs-encryption-by-default --region "+inert.ShellWord(name))
		default:
			cli = append(cli, "aws accessanalyzer create-analyzer --analyzer-name "+inert.ShellWord(awsops.AnalyzerName)+" --type ACCOUNT --region "+inert.ShellWord(name))
		}
	}
	res.CLI = strings.Join(cli, "\n")
	return res
}

// ensureAnalyzer makes an ACCOUNT analyzer in region unless one is
// there: when the snapshot could not tell (unknown), it looks first. An
// analyzer of awssecure's name found on creating is one an interrupted
// run made. made says whether this call created one.
func ensureAnalyzer(ctx context.Context, acct Account, region string, unknown bool) (made bool, err error) {
	if unknown {
		has, err := hasExternalAnalyzer(ctx, acct, region)
		if err != nil || has {
			return false, err
		}
	}
	err = acct.CreateAnalyzer(ctx, region, awsops.AnalyzerName)
	if errors.Is(err, awsops.ErrAlreadyExists) {
		return false, nil
	}
	return err == nil, err
}

// mergeRegions takes guard id's facts from applied into the region list
// was, keeping the other guard's facts.
func mergeRegions(was, applied []RegionGuard, id string) []RegionGuard {
	out := slices.Clone(applied)
	for i := range out {
		j := slices.IndexFunc(was, func(r RegionGuard) bool { return r.Name == out[i].Name })
		if j < 0 {
			continue
		}
		if id == CheckEBSEncryption {
			out[i].Analyzer, out[i].AnalyzerErr = was[j].Analyzer, was[j].AnalyzerErr
		} else {
			out[i].EBS, out[i].EBSErr = was[j].EBS, was[j].EBSErr
		}
	}
	return out
}

// applyGuardDuty turns GuardDuty on in the home region. It lists the
// detectors right before creating one, every time: AWS allows one per
// region, and a rerun after a lost answer must find the one it made.
func applyGuardDuty(ctx context.Context, acct Account) GuardResult {
	res := GuardResult{ID: CheckGuardDuty}
	detectors, err := acct.Detectors(ctx)
	if err != nil {
		res.Err, res.Said = err, "not read: "+Explain(err).What
		return res
	}
	var after []awsops.Detector
	region := inert.ShellWord(acct.Region())
	switch {
	case slices.ContainsFunc(detectors, func(d awsops.Detector) bool { return d.Status == awsops.DetectorEnabled }):
		res.Said = "already on"
		return res
	case len(detectors) > 0:
		if res.Err = acct.EnableDetector(ctx, detectors[0].ID); res.Err == nil {
			after = []awsops.Detector{{ID: detectors[0].ID, Status: awsops.DetectorEnabled}}
			res.CLI = "aws guardduty update-detector --detector-id " + inert.ShellWord(detectors[0].ID) + " --enable --region " + region
		}
	default:
		var id string
		if id, res.Err = acct.CreateDetector(ctx); res.Err == nil {
			after = []awsops.Detector{{ID: id, Status: awsops.DetectorEnabled}}
			res.CLI = "aws guardduty create-detector --enable --region " + region
		}
	}
	if res.Err != nil {
		res.Said = "not turned on: " + Explain(res.Err).What
		return res
	}
	res.Said, res.Changed = "on in the home region; free for 30 days, then billed by usage", true
	res.Change = func(s *Snapshot) { s.Guards.Detectors, s.Guards.DetectorsErr = after, nil }
	return res
}

// publicAccessBlockCLI turns on all four Block Public Access settings for
// the account. The settings are one shorthand value of 92 characters,
// which no shell line can break: they are built in a variable over three
// lines, so that the command fits a teaching panel whole down to 50
// columns, never cut mid-word ("RestrictPu / blicBuckets=true").
func publicAccessBlockCLI(account string) string {
	return "P=BlockPublicAcls=true,IgnorePublicAcls=true\n" +
		"P=$P,BlockPublicPolicy=true\n" +
		"P=$P,RestrictPublicBuckets=true\n" +
		"aws s3control put-public-access-block --account-id " + inert.ShellWord(account) + " --public-access-block-configuration \"$P\""
}

// GuardsCLI is the aws CLI equivalent of the chosen guards, with the
// user's values.
func GuardsCLI(caller awsops.Caller, region string, ids []string, req GuardRequest) string {
	var lines []string
	for _, id := range ids {
		switch id {
		case CheckSecurityContact:
			contacts := req.Contacts
			if len(contacts) == 0 {
				contacts = []awsops.Contact{{Type: awsops.ContactSecurity, Name: "NAME", Title: "TITLE", Email: "EMAIL", Phone: "PHONE"}}
			}
			for _, c := range contacts {
				lines = append(lines, "aws account put-alternate-contact --alternate-contact-type "+inert.ShellWord(c.Type)+" --name "+inert.ShellWord(c.Name)+
					" --title "+inert.ShellWord(c.Title)+" --email-address "+inert.ShellWord(c.Email)+" --phone-number "+inert.ShellWord(c.Phone))
			}
		case CheckPublicAccessBlock:
			lines = append(lines, publicAccessBlockCLI(caller.AccountID))
		case CheckEBSEncryption:
			lines = append(lines, "for r in $(aws ec2 describe-regions --query 'Regions[].RegionName' --output text); do\n  aws ec2 enable-ebs-encryption-by-default --region $r; done")
		case CheckAccessAnalyzer:
			lines = append(lines, "for r in $(aws ec2 describe-regions --query 'Regions[].RegionName' --output text); do\n  aws accessanalyzer create-analyzer --analyzer-name "+awsops.AnalyzerName+" --type ACCOUNT --region $r; done")
		case CheckGuardDuty:
			region := inert.ShellWord(region)
			lines = append(lines, "aws guardduty list-detectors --region "+region+"   # none? then:\naws guardduty create-detector --enable --region "+region)
		}
	}
	return strings.Join(lines, "\n")
}
