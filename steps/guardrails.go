package steps

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/awssecure/awssecure/awsops"
)

// Guardrails is the account guardrails step (DESIGN step 9): five
// account-wide protections on one checklist, each one or a few calls. The
// security contact, S3 Block Public Access, EBS encryption and IAM Access
// Analyzer are free; GuardDuty is paid after a trial, so it is offered,
// never chosen for the user.
var Guardrails = Step{
	ID: "guardrails",
	Info: Info{
		Title: "Account guardrails",
		Why: "Five account-wide protections, each one click in a different console. " +
			"The first four are free and chosen for you; GuardDuty is billed after a 30-day trial, so it is up to you.",
		ConsolePath: "see each guard below",
		ConsoleURL:  "https://console.aws.amazon.com/",
	},
	ReadFirst: readGuardrails,
	// S3's Block Public Access is read by the account's id; the others
	// start beside the caller's, so the regions' reads go a round trip
	// earlier.
	Read: func(ctx context.Context, acct Account, s *Snapshot) {
		s.Guards.Block, s.Guards.BlockErr = readBlock(ctx, acct, s.Caller.AccountID)
	},
	Checks: func(s Snapshot) []Check { return GuardChecks(s) },
}

// Guard is one row of the guardrails checklist: what it protects against
// in a line, its CIS id, what it costs, where it lives in the console, and
// whether the checklist chooses it at first.
type Guard struct {
	ID          string // its check's id
	Title       string
	Why         string
	CIS         string
	Cost        string
	Default     bool
	ConsolePath string
	ConsoleURL  string // the setting's own page, not the console's home
}

// Info is the guardrails step's words with this guard's place in the
// console: the page where the learner finds this setting.
func (g Guard) Info() Info {
	info := Guardrails.Info
	info.ConsolePath, info.ConsoleURL = g.Title+": "+g.ConsolePath, g.ConsoleURL
	return info
}

// Guards are the rows, in the status schema's order.
var Guards = []Guard{
	{CheckSecurityContact, "Security contact", "AWS tells this person about abuse or a breach, not only the root e-mail.",
		"1.2", "free", true, "Account name (top right) → Account → Alternate contacts → Edit",
		"https://console.aws.amazon.com/billing/home#/account"},
	{CheckPublicAccessBlock, "S3 Block Public Access", "No bucket or file in the account can be made public by mistake.",
		"2.1.4", "free", true, "S3 → Block Public Access settings for this account → Edit",
		"https://console.aws.amazon.com/s3/settings"},
	{CheckEBSEncryption, "EBS encryption by default", "New disks and snapshots are encrypted, in every enabled region.",
		"2.2.1", "free", true, "EC2 → Settings → Data protection and security → EBS encryption (each region)",
		"https://console.aws.amazon.com/ec2/home#Settings:tab=ebsEncryption"},
	{CheckAccessAnalyzer, "IAM Access Analyzer", "Finds what is shared outside the account, in every enabled region.",
		"1.20", "free (external access)", true, "IAM → Access Analyzer → Create analyzer, type Account (each region)",
		"https://console.aws.amazon.com/access-analyzer/home#/analyzers"},
	{CheckGuardDuty, "GuardDuty", "Watches for attacks and stolen keys in the home region.",
		"", "paid after a 30-day free trial", false, "GuardDuty → Get started → Enable GuardDuty",
		"https://console.aws.amazon.com/guardduty/home"},
}

// BlockPublicAccessWarning is what turning on the account's Block Public
// Access costs a bucket that is public on purpose.
const BlockPublicAccessWarning = "Block Public Access overrides every bucket made public on purpose (a static website, public downloads): they stop being public."

// GuardFacts are what the guardrails step reads, each with its own error.
type GuardFacts struct {
	Contacts    map[string]awsops.Contact // set alternate contacts, by type
	ContactsErr error                     // why the security contact could not be read

	Block    *awsops.PublicAccessBlock // nil when the account has none
	BlockErr error

	Regions    []RegionGuard // each region ec2:DescribeRegions lists
	RegionsErr error

	Detectors    []awsops.Detector // GuardDuty, home region
	DetectorsErr error
}

// RegionGuard is what one enabled region has of the regional guards.
type RegionGuard struct {
	Name        string
	EBS         bool // encryption by default is on
	EBSErr      error
	Analyzer    bool // an active external-access analyzer exists
	AnalyzerErr error
}

// guardParallel bounds the writes the apply's region loop makes at once:
// AWS limits each region on its own, and seventeen regions at eight at a
// time take three rounds. The reads need no bound: each region gets two,
// so they all go in one round (readRegionGuards).
const guardParallel = 8

// readGuardrails reads every guard but the Block Public Access (the
// step's Read): each writes its own fields of s.Guards.
func readGuardrails(ctx context.Context, acct Account, s *Snapshot) {
	g := &s.Guards
	together(
		func() { g.Contacts, g.ContactsErr = readContacts(ctx, acct) },
		func() { g.Regions, g.RegionsErr = readRegionGuards(ctx, acct) },
		func() { g.Detectors, g.DetectorsErr = acct.Detectors(ctx) },
	)
}

// readContacts reads the three alternate contacts at once; an unset one
// is simply absent. Only the security contact's error is kept: it is the
// one a check judges.
func readContacts(ctx context.Context, acct Account) (map[string]awsops.Contact, error) {
	found := make([]awsops.Contact, len(awsops.ContactTypes))
	errs := make([]error, len(awsops.ContactTypes))
	var reads []func()
	for i, kind := range awsops.ContactTypes {
		reads = append(reads, func() { found[i], errs[i] = acct.AlternateContact(ctx, kind) })
	}
	together(reads...)
	contacts := map[string]awsops.Contact{}
	var securityErr error
	for i, kind := range awsops.ContactTypes {
		switch err := errs[i]; {
		case err == nil:
			contacts[kind] = found[i]
		case kind == awsops.ContactSecurity && !isNotFound(err):
			securityErr = err
		}
	}
	return contacts, securityErr
}

func readBlock(ctx context.Context, acct Account, accountID string) (*awsops.PublicAccessBlock, error) {
	b, err := acct.PublicAccessBlock(ctx, accountID)
	switch {
	case isNotFound(err):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &b, nil
}

// readRegionGuards lists the enabled regions, then reads both regional
// guards in every region at once: one round trip, whatever the number of
// regions. AWS limits each region on its own, and each region gets only
// these two reads.
func readRegionGuards(ctx context.Context, acct Account) ([]RegionGuard, error) {
	names, err := acct.EnabledRegions(ctx)
	if err != nil {
		return nil, err
	}
	regions := make([]RegionGuard, len(names))
	var reads []func()
	for i, name := range names {
		r := &regions[i]
		r.Name = name
		reads = append(reads,
			func() { r.EBS, r.EBSErr = acct.EBSEncryptionByDefault(ctx, name) },
			func() { r.Analyzer, r.AnalyzerErr = hasExternalAnalyzer(ctx, acct, name) })
	}
	together(reads...)
	return regions, nil
}

func hasExternalAnalyzer(ctx context.Context, acct Account, region string) (bool, error) {
	analyzers, err := acct.Analyzers(ctx, region)
	return slices.ContainsFunc(analyzers, awsops.Analyzer.External), err
}

// GuardChecks judges the guardrails: the five checks, in the schema's order.
func GuardChecks(s Snapshot) []Check {
	return []Check{contactCheck(s), blockCheck(s), regionCheck(s, CheckEBSEncryption), regionCheck(s, CheckAccessAnalyzer), guardDutyCheck(s)}
}

// GuardByID is the row of a check id.
func GuardByID(id string) Guard {
	i := slices.IndexFunc(Guards, func(g Guard) bool { return g.ID == id })
	return Guards[i]
}

func guardCheck(id string, status CheckStatus, detail string) Check {
	g := GuardByID(id)
	return Check{ID: id, Status: status, Title: g.Title, Detail: detail, CIS: g.CIS}
}

func contactCheck(s Snapshot) Check {
	g := s.Guards
	if g.ContactsErr != nil {
		return unknown(CheckSecurityContact, GuardByID(CheckSecurityContact).Title, "1.2", g.ContactsErr)
	}
	c, ok := g.Contacts[awsops.ContactSecurity]
	if !ok {
		return guardCheck(CheckSecurityContact, Fail, "no security contact: AWS writes only to the root e-mail")
	}
	return guardCheck(CheckSecurityContact, Pass, c.Name+" <"+c.Email+">")
}

func blockCheck(s Snapshot) Check {
	g := s.Guards
	switch {
	case g.BlockErr != nil:
		return unknown(CheckPublicAccessBlock, GuardByID(CheckPublicAccessBlock).Title, "2.1.4", g.BlockErr)
	case g.Block == nil || g.Block.On() == 0:
		return guardCheck(CheckPublicAccessBlock, Fail, "off for the account")
	case g.Block.On() < 4:
		// CIS 2.1.4 asks for all four.
		return guardCheck(CheckPublicAccessBlock, Fail, fmt.Sprintf("%d of 4 settings on", g.Block.On()))
	}
	return guardCheck(CheckPublicAccessBlock, Pass, "all 4 settings on for the account")
}

// regionCheck judges a regional guard as its CIS audit does (2.2.1,
// 1.20: every enabled region): on in every enabled region passes; off
// in any fails, naming the regions; on wherever it could be read, with
// regions that could not be, is unknown. Regions that could not be read
// are named.
func regionCheck(s Snapshot, id string) Check {
	g := s.Guards
	guard := GuardByID(id)
	if g.RegionsErr != nil {
		return unknown(id, guard.Title, guard.CIS, g.RegionsErr)
	}
	var on, off []string
	unread := map[string][]string{}
	failedOn := 0 // regions where turning it on failed: off, as far as is known
	for _, r := range g.Regions {
		has, err := regionFact(r, id)
		switch {
		case err != nil && turningOn(err):
			reason := regionReason(err, r.Name)
			unread[reason] = append(unread[reason], r.Name)
			failedOn++
		case err != nil:
			reason := regionReason(err, r.Name)
			unread[reason] = append(unread[reason], r.Name)
		case has:
			on = append(on, r.Name)
		default:
			off = append(off, r.Name)
		}
	}
	total := len(g.Regions)
	detail := fmt.Sprintf("on in %d of %s", len(on), counted(total, "region"))
	if total > 1 && len(on) == total {
		detail = fmt.Sprintf("on in all %d regions", total)
	}
	if len(off) > 0 {
		detail += "; off: " + nameSome(off)
	}
	for _, reason := range slices.Sorted(maps.Keys(unread)) {
		detail += "; " + nameSome(unread[reason]) + ": " + reason
	}
	if pending := s.enablingRegions(g.Regions); len(pending) > 0 {
		detail += "; " + nameSome(pending) + ": still enabling, rerun once on"
	}
	switch {
	case total > 0 && len(on) == total:
		return Check{ID: id, Status: Pass, Title: guard.Title, Detail: detail, CIS: guard.CIS}
	case len(off) == 0 && failedOn == 0 && len(unread) > 0:
		return Check{ID: id, Status: Unknown, Title: guard.Title, Detail: "could not be read: " + detail, CIS: guard.CIS}
	}
	return Check{ID: id, Status: Fail, Title: guard.Title, Detail: detail, CIS: guard.CIS}
}

// turningOn reports whether err is the failure of the call that turns a
// regional guard on (the checklist's apply records it as the region's
// fact): the guard was off there, and still is.
func turningOn(err error) bool {
	action := awsops.ActionOf(err)
	return action == "ec2:EnableEbsEncryptionByDefault" || action == "access-analyzer:CreateAnalyzer"
}

func regionFact(r RegionGuard, id string) (bool, error) {
	if id == CheckEBSEncryption {
		return r.EBS, r.EBSErr
	}
	return r.Analyzer, r.AnalyzerErr
}

// enablingRegions are the opt-in regions the regions step started
// enabling that EC2 does not list yet.
func (s Snapshot) enablingRegions(listed []RegionGuard) []string {
	var names []string
	for _, r := range s.Regions {
		if r.Status == RegionEnabling && !slices.ContainsFunc(listed, func(g RegionGuard) bool { return g.Name == r.Name }) {
			names = append(names, r.Name)
		}
	}
	return names
}

// regionReason says in a few words why region's guard could not be read,
// in words that name no region, so that regions failing alike share one reason: a
// denial by an SCP in seventeen regions is one sentence, not seventeen.
func regionReason(err error, region string) string {
	switch {
	case errors.Is(err, awsops.ErrNotActivated):
		return "not enabled yet — retry later"
	case errors.Is(err, awsops.ErrAccessDenied):
		return "AWS denied " + orSomething(awsops.ActionOf(err))
	}
	return strings.ReplaceAll(strings.TrimSuffix(Explain(err).What, "."), region, "the region")
}

// nameSome names up to three regions, then how many more.
func nameSome(names []string) string {
	if len(names) <= 3 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", len(names)-3)
}

func guardDutyCheck(s Snapshot) Check {
	g := s.Guards
	if g.DetectorsErr != nil {
		return unknown(CheckGuardDuty, "GuardDuty", "", g.DetectorsErr)
	}
	for _, d := range g.Detectors {
		if d.Status == awsops.DetectorEnabled {
			return guardCheck(CheckGuardDuty, Pass, "on in the home region")
		}
	}
	if len(g.Detectors) > 0 {
		return guardCheck(CheckGuardDuty, Warn, "suspended in the home region (paid after a 30-day free trial)")
	}
	return guardCheck(CheckGuardDuty, Warn, "off (optional; paid after a free trial)")
}

// GuardDone reports whether the check of guard id passes in s: nothing
// left for the checklist to do there.
func GuardDone(s Snapshot, id string) bool {
	for _, c := range GuardChecks(s) {
		if c.ID == id {
			return c.Status == Pass
		}
	}
	return false
}

// The contact rules and types, for the checklist's contact form.
var (
	ValidateContactName  = awsops.ValidateContactName
	ValidateContactTitle = awsops.ValidateContactTitle
	ValidateContactEmail = awsops.ValidateContactEmail
	ValidateContactPhone = awsops.ValidateContactPhone
)

// Alternate contact types, as the Account API spells them.
const (
	ContactSecurity   = awsops.ContactSecurity
	ContactBilling    = awsops.ContactBilling
	ContactOperations = awsops.ContactOperations
)

// ReadGuardrails reads the guards again, with the regions' statuses, when
// the checklist opens: a region enabled a step earlier may be usable by
// now, and preflight's facts are minutes old. Its Change records them.
func ReadGuardrails(ctx context.Context, acct Account, caller awsops.Caller) Change {
	s := Snapshot{Caller: caller}
	together(
		func() { Regions.ReadAll(ctx, acct, &s) },
		func() { Guardrails.ReadAll(ctx, acct, &s) },
	)
	return func(to *Snapshot) {
		to.Regions, to.RegionsErr, to.Guards = s.Regions, s.RegionsErr, s.Guards
	}
}
