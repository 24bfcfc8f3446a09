package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// TrailFacts is a trail, whether it is logging, and, for a trail that
// logs every region, what its event selectors log.
type TrailFacts struct {
	awsops.Trail
	Logging bool
	// Events are the trail's event selectors, read for the trails that
	// log every region (the candidates for CIS 3.1) only; EventsErr is
	// why they could not be read.
	Events    *awsops.EventSelectors
	EventsErr error
}

// complete is a trail CIS 3.1 and 3.2 ask for: logging, every region,
// with log file validation.
func (t TrailFacts) complete() bool { return t.Logging && t.MultiRegion && t.LogFileValidation }

// Shortfalls names what a trail lacks, in words.
func (t TrailFacts) Shortfalls() []string {
	var lacks []string
	if !t.MultiRegion {
		lacks = append(lacks, "logs only "+t.HomeRegion)
	}
	if !t.LogFileValidation {
		lacks = append(lacks, "no log file validation")
	}
	if !t.Logging {
		lacks = append(lacks, "not logging")
	}
	return lacks
}

// TrailRequest is what the CloudTrail step will do: fix a trail of ours
// that falls short (Fix), or make the bucket and the trail. ExpiryDays,
// when not 0, deletes a new bucket's logs that many days after they were
// written. BucketPlan is the bucket it logs to, as the read found it.
type TrailRequest struct {
	Fix   *TrailFacts
	Trail string
	BucketPlan
	Region     string
	ExpiryDays int
	// Existing, when set, is a trail the account cannot fix (an
	// organization's) that is already logging here: a trail of our own
	// would be a second copy of the management events, which CloudTrail
	// bills. Keep keeps it and makes nothing.
	Existing *TrailFacts
	Keep     bool
}

// DefaultTrailName is the trail's name, as the console's quick create names it.
const DefaultTrailName = "management-events"

// LogBucketPrefix is how a log bucket's name begins: the console's own
// pattern, aws-cloudtrail-logs-ACCOUNT-SUFFIX.
func LogBucketPrefix(account string) string { return "aws-cloudtrail-logs-" + account + "-" }

// logExpiryPrefix is what an expiry covers: the whole bucket, which
// holds CloudTrail's logs and digests alone.
const logExpiryPrefix = ""

// MaxExpiryDays bounds the optional expiry of old logs.
const MaxExpiryDays = 3650

// CloudTrailCost is what the step costs, said before anything is done.
const CloudTrailCost = "The first copy of management events is free; the logs are stored in S3 and billed as storage — a few cents a month for a new account."

// SecondCopyCost is what a trail of our own costs beside one that
// already logs the account's management events: CloudTrail's price for
// every copy after the first.
const SecondCopyCost = "A trail of your own is a second copy of the management events: billed, $2.00 per 100,000 events, and its logs stored in S3."

// CloudTrail is the CloudTrail step (seed 001): a multi-region trail
// with log file validation, logging into a bucket of our own that no one
// else can read.
var CloudTrail = FormStep[TrailRequest]{
	Step: Step{
		ID: "cloudtrail",
		Info: Info{
			Title: "Turn on CloudTrail",
			Why: "Activate CloudTrail as soon as possible: it records the API calls made in your account — console, CLI, programs — " +
				"and, with validation on, keeps logs you can trust in a security investigation.",
			ConsolePath: "CloudTrail → Trails → Create trail",
			ConsoleURL:  "https://console.aws.amazon.com/cloudtrail/home#/trails",
		},
		Read:   readCloudTrail,
		Checks: func(s Snapshot) []Check { return []Check{cloudTrailCheck(s)} },
	},
	Done: func(s Snapshot) (string, bool) {
		t := completeTrail(s.Trails)
		if t == nil {
			return "", false
		}
		said := "trail " + t.Name + " logs every region, with log file validation, into bucket " + t.Bucket + ".\n" + t.ARN
		// What only the console (or the trail's owner) can change.
		if c := cloudTrailCheck(s); c.Status != Pass {
			said += "\nStill to fix in the CloudTrail console: " + c.Detail + "."
		}
		return said, true
	},
	Default: func(s Snapshot) TrailRequest {
		region := s.TrailRegion
		if region == "" {
			region = awsops.DefaultRegion
		}
		if own := trailToFix(s.Trails, s.Caller.AccountID, region); own != nil {
			return TrailRequest{Fix: own, Trail: own.Name, BucketPlan: BucketPlan{Bucket: own.Bucket}, Region: own.HomeRegion}
		}
		in := TrailRequest{Trail: DefaultTrailName, BucketPlan: s.LogBucket, Region: region}
		// No trail of ours to fix: one that logs here is someone else's.
		// Keeping it, rather than paying for a second copy, is the answer
		// that costs nothing.
		for i := range s.Trails {
			if s.Trails[i].Logging {
				in.Existing, in.Keep = &s.Trails[i], true
				break
			}
		}
		return in
	},
	Doing: func(in TrailRequest) string {
		if in.Fix != nil {
			return "Fixing trail " + in.Trail + "…"
		}
		return "Creating bucket " + in.Bucket + " and trail " + in.Trail + "…"
	},
	Apply: applyCloudTrail,
	CLI:   cloudTrailCLI,
	Reask: reaskExpiry,
}

// reaskExpiry asks for the expiry again when the bucket has awssecure's
// expiry rule already, saying otherwise: the rule stays as it is unless
// the user changes it in the console; an empty expiry keeps it.
func reaskExpiry(in TrailRequest, err error) (string, bool) {
	var e *awsops.WouldReplaceError
	if in.ExpiryDays == 0 || !errors.As(err, &e) || awsops.ActionOf(err) != "s3:PutLifecycleConfiguration" {
		return "", false
	}
	return "Bucket " + inert.PrintableLine(e.Bucket) + " has " + inert.Printable(e.Has) +
		". It stays as it is: leave the expiry empty to keep it, or change the rule in the S3 console first.", true
}

// ValidateExpiryDays checks the form's optional expiry: empty keeps the
// logs; otherwise a whole number of days from 1 to 3650.
func ValidateExpiryDays(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	var days int
	if _, err := fmt.Sscanf(s, "%d", &days); err != nil || fmt.Sprint(days) != s || days < 1 || days > MaxExpiryDays {
		return fmt.Errorf("a whole number of days from 1 to %d, or empty to keep the logs", MaxExpiryDays)
	}
	return nil
}

func readCloudTrail(ctx context.Context, acct Account, s *Snapshot) {
	s.TrailRegion = acct.Region()
	// The bucket a new trail would log to is looked for beside the
	// trails, not after them: a call more when a trail is in place, a
	// round trip less always.
	var bucket BucketPlan
	var bucketErr error
	together(
		func() { s.Trails, s.TrailsErr = readTrails(ctx, acct) },
		func() { bucket, bucketErr = logBucket(ctx, acct, s.Caller.AccountID, s.TrailRegion) },
	)
	if s.TrailsErr == nil && completeTrail(s.Trails) == nil && trailToFix(s.Trails, s.Caller.AccountID, s.TrailRegion) == nil {
		s.LogBucket, s.LogBucketErr = bucket, bucketErr
	}
}

// TrailsUnread says the preflight could not read the trails or the
// bucket a new trail would use. The CloudTrail screen reads them again
// as it opens (ReadCloudTrailAgain): unread, it cannot offer to keep a
// trail that already logs, or fix one of the user's own.
func TrailsUnread(s Snapshot) bool { return s.TrailsErr != nil || s.LogBucketErr != nil }

// ReadCloudTrailAgain reads the CloudTrail step's facts again; its
// Change records them.
func ReadCloudTrailAgain(ctx context.Context, acct Account, caller awsops.Caller) Change {
	s := Snapshot{Caller: caller}
	readCloudTrail(ctx, acct, &s)
	return func(snap *Snapshot) {
		snap.TrailRegion, snap.Trails, snap.TrailsErr = s.TrailRegion, s.Trails, s.TrailsErr
		snap.LogBucket, snap.LogBucketErr = s.LogBucket, s.LogBucketErr
	}
}

// readTrails lists the trails the home region sees and asks each, at
// once, whether it is logging and, if it logs every region, what its
// event selectors log: one call a trail, not one a region.
func readTrails(ctx context.Context, acct Account) ([]TrailFacts, error) {
	trails, err := acct.Trails(ctx)
	if err != nil {
		return nil, err
	}
	facts := make([]TrailFacts, len(trails))
	errs := make([]error, len(trails))
	var reads []func()
	for i, t := range trails {
		facts[i].Trail = t
		reads = append(reads, func() { facts[i].Logging, errs[i] = acct.TrailLogging(ctx, t.ARN) })
		if t.MultiRegion {
			reads = append(reads, func() {
				events, err := acct.EventSelectors(ctx, t.ARN)
				if err == nil {
					facts[i].Events = &events
				}
				facts[i].EventsErr = err
			})
		}
	}
	together(reads...)
	if err := firstError(errs); err != nil {
		return nil, err
	}
	return facts, nil
}

// logBucket is the bucket a new trail logs to: a log bucket of ours in
// the home region that an earlier, interrupted run made; else a new name.
func logBucket(ctx context.Context, acct Account, account, region string) (BucketPlan, error) {
	return findOwnBucket(ctx, acct, LogBucketPrefix(account), region)
}

// completeTrail is the first trail that logs every region with log file
// validation, or nil.
func completeTrail(trails []TrailFacts) *TrailFacts {
	for i := range trails {
		if trails[i].complete() {
			return &trails[i]
		}
	}
	return nil
}

// trailToFix is the account's own trail that falls short, to be fixed in
// place rather than joined by a second: one of the home region first,
// then one that is logging. An organization's trail belongs to its
// management account and is not ours to change.
func trailToFix(trails []TrailFacts, account, region string) *TrailFacts {
	if completeTrail(trails) != nil {
		return nil
	}
	var own []TrailFacts
	for _, t := range trails {
		if t.Account() == account && !t.Organization {
			own = append(own, t)
		}
	}
	if len(own) == 0 {
		return nil
	}
	slices.SortStableFunc(own, func(a, b TrailFacts) int {
		rank := func(t TrailFacts) int {
			r := 0
			if t.HomeRegion != region {
				r += 2
			}
			if !t.Logging {
				r++
			}
			return r
		}
		return rank(a) - rank(b)
	})
	return &own[0]
}

// applyCloudTrail reads the trails again first: a run interrupted after
// its trail was made finds that trail and finishes it, never makes a
// second; a trail made meanwhile in the console is taken as it is.
func applyCloudTrail(ctx context.Context, acct Account, caller awsops.Caller, in TrailRequest) (Outcome, error) {
	if in.Keep && in.Existing != nil {
		return Outcome{Said: "Kept trail " + inert.PrintableLine(in.Existing.Name) + " of account " + in.Existing.Account() +
			": no trail of your own, so no second, billed copy of the management events. What it lacks, only that account can change."}, nil
	}
	trails, err := readTrails(ctx, acct)
	if err != nil {
		return Outcome{}, err
	}
	if t := completeTrail(trails); t != nil {
		return trailOutcome(ctx, acct, false, "Trail "+t.Name+" already logs every region, with log file validation; nothing changed.")
	}
	if own := trailToFix(trails, caller.AccountID, in.Region); own != nil {
		return fixTrail(ctx, acct, *own)
	}
	return createTrail(ctx, acct, caller, in)
}

// fixTrail turns on what the trail lacks, in place.
func fixTrail(ctx context.Context, acct Account, t TrailFacts) (Outcome, error) {
	lacked := strings.Join(t.Shortfalls(), ", ")
	if !t.MultiRegion || !t.LogFileValidation {
		if err := acct.UpdateTrail(ctx, t.ARN, awsops.TrailSettings{MultiRegion: true, Validation: true}); err != nil {
			return Outcome{}, err
		}
	}
	if !t.Logging {
		if err := acct.StartLogging(ctx, t.ARN); err != nil {
			return Outcome{}, err
		}
	}
	return trailOutcome(ctx, acct, true, "Trail "+t.Name+" fixed (it had: "+lacked+"): it now logs every region, with log file validation.\n"+t.ARN)
}

// createTrail makes the bucket, guards it, then makes the trail and
// starts it. Every call is safe to repeat: the bucket's policy
// statements and expiry rule go beside what it has, a bucket of ours or
// a trail that exists already is used.
func createTrail(ctx context.Context, acct Account, caller awsops.Caller, in TrailRequest) (Outcome, error) {
	trailARN := awsops.TrailARN(caller.Partition(), in.Region, caller.AccountID, in.Trail)
	bucket, said, err := makeOwnBucket(ctx, acct, in.BucketPlan, LogBucketPrefix(caller.AccountID), in.Region, func(bucket string) string {
		return TrailBucketPolicy(caller.Partition(), bucket, caller.AccountID, trailARN)
	})
	if err != nil {
		return Outcome{}, err
	}
	if in.ExpiryDays > 0 {
		if err := acct.AddExpiryRule(ctx, bucket, logExpiryPrefix, in.ExpiryDays); err != nil {
			return Outcome{}, err
		}
		said = append(said, "Logs older than "+counted(in.ExpiryDays, "day")+" are deleted.")
	}
	settings := awsops.TrailSettings{Name: in.Trail, Bucket: bucket, MultiRegion: true, Validation: true}
	if _, err := acct.CreateTrail(ctx, settings); errors.Is(err, awsops.ErrAlreadyExists) {
		// Made by this call's own lost reply (the read above saw none).
		if err := acct.UpdateTrail(ctx, trailARN, settings); err != nil {
			return Outcome{}, err
		}
	} else if err != nil {
		return Outcome{}, err
	}
	if err := acct.StartLogging(ctx, trailARN); err != nil {
		return Outcome{}, err
	}
	said = append([]string{"Trail " + in.Trail + " is logging every region, with log file validation, into bucket " + bucket + "."}, said...)
	return trailOutcome(ctx, acct, true, strings.Join(said, "\n")+"\n"+trailARN)
}

// errNotLogging is a trail CloudTrail still reports as not logging after
// StartLogging succeeded.
var errNotLogging = errors.New("CloudTrail still reports the trail as not logging")

// trailOutcome reads the trails again, so the outcome is what CloudTrail
// says rather than what was asked, and verifies that a complete trail is
// logging.
func trailOutcome(ctx context.Context, acct Account, changed bool, said string) (Outcome, error) {
	trails, err := readTrails(ctx, acct)
	if err != nil {
		return Outcome{}, err
	}
	if completeTrail(trails) == nil {
		return Outcome{}, fmt.Errorf("verify the trail: %w", errNotLogging)
	}
	return Outcome{Changed: changed, Said: said, Change: func(s *Snapshot) {
		s.Trails, s.TrailsErr = trails, nil
	}}, nil
}

// TrailBucketPolicy is the bucket policy CloudTrail documents for a
// trail's bucket: CloudTrail's service principal may read the bucket's
// ACL and write under AWSLogs/ACCOUNT/ with the owner in full control,
// both only for this trail (aws:SourceArn); and any request without TLS
// is denied.
func TrailBucketPolicy(partition, bucket, account, trailARN string) string {
	bucketARN := "arn:" + partition + ":s3:::" + bucket
	service := map[string]string{"Service": "cloudtrail.amazonaws.com"}
	return bucketPolicy(bucketARN,
		policyStatement{"AWSCloudTrailAclCheck20150319", "Allow", service, "s3:GetBucketAcl", bucketARN,
			map[string]map[string]any{"StringEquals": {"aws:SourceArn": trailARN}}},
		policyStatement{"AWSCloudTrailWrite20150319", "Allow", service, "s3:PutObject", bucketARN + "/AWSLogs/" + account + "/*",
			map[string]map[string]any{"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailARN}}})
}

// cloudTrailCLI is the aws CLI for in, with the user's names held in
// shell variables. The bucket is made with awssecure's mark
// (bucketCreateCLI); policy.json (TrailBucketPolicy) and lifecycle.json
// are written first (fileCLI). Block Public Access, SSE-S3 and
// BucketOwnerEnforced, which awssecure sets too, are what S3 gives a new
// bucket anyway. The bucket is new: on one that has a policy or
// lifecycle rules, awssecure adds its own to them, which these calls
// would replace, and the last comment says so.
func cloudTrailCLI(caller awsops.Caller, in TrailRequest) string {
	if in.Keep && in.Existing != nil {
		return "# nothing to run: trail " + inert.PrintableLine(in.Existing.Name) + " of account " + inert.PrintableLine(in.Existing.Account()) + " already logs here\n" +
			"aws cloudtrail describe-trails --include-shadow-trails"
	}
	if in.Fix != nil {
		r := " --region " + inert.ShellWord(in.Fix.HomeRegion)
		trail := inert.ShellWord(in.Fix.ARN)
		var cmds []string
		if !in.Fix.MultiRegion || !in.Fix.LogFileValidation {
			cmds = append(cmds, "aws cloudtrail update-trail --name "+trail+" --is-multi-region-trail --enable-log-file-validation"+r)
		}
		return strings.Join(append(cmds, "aws cloudtrail start-logging --name "+trail+r), "\n")
	}
	cmds := append([]string{assignments("A", caller.AccountID, "B", in.Bucket, "T", in.Trail, "R", in.Region)}, bucketCreateCLI(in.Region)...)
	p := caller.Partition()
	cmds = append(cmds,
		fileCLI("policy.json", TrailBucketPolicy(p, shellVar("B"), shellVar("A"), awsops.TrailARN(p, shellVar("R"), shellVar("A"), shellVar("T")))),
		`aws s3api put-bucket-policy --bucket "$B" --policy file://policy.json`)
	if in.ExpiryDays > 0 {
		cmds = append(cmds, fileCLI("lifecycle.json", awsops.ExpiryLifecycleDocument(logExpiryPrefix, in.ExpiryDays)),
			`aws s3api put-bucket-lifecycle-configuration --bucket "$B" --lifecycle-configuration file://lifecycle.json`)
	}
	cmds = append(cmds,
		`aws cloudtrail create-trail --name "$T" --s3-bucket-name "$B" --is-multi-region-trail --enable-log-file-validation --region "$R"`,
		`aws cloudtrail start-logging --name "$T" --region "$R"`)
	return strings.Join(append(cmds, bucketReplacesCLI), "\n")
}

// cloudTrailCheck is CIS 3.1 and 3.2: a trail that logs every region
// is logging the management events, read and write (its event selectors,
// basic or advanced), and every trail in the account's view validates
// its log files. Beside a trail that passes, another without validation
// (a single-region one, an organization's the account cannot change)
// warns, named, as the design's table says; CIS 3.2's audit fails it,
// which the detail says.
func cloudTrailCheck(s Snapshot) Check {
	const title, cis = "CloudTrail logging", "3.1, 3.2"
	if s.TrailsErr != nil {
		return unknown(CheckCloudTrail, title, cis, s.TrailsErr)
	}
	// unvalidated names the trails without validation but skip.
	unvalidated := func(skip *TrailFacts) string {
		var names []string
		for i := range s.Trails {
			if t := &s.Trails[i]; t != skip && !t.LogFileValidation {
				names = append(names, trailLabel(s, *t))
			}
		}
		if len(names) == 0 {
			return ""
		}
		return "; without log file validation (CIS 3.2): " + nameList(names)
	}
	var passing, short *TrailFacts
	var shortBy string
	var unread *TrailFacts
	for i := range s.Trails {
		t := &s.Trails[i]
		if !t.complete() {
			continue
		}
		if t.Events == nil {
			if unread == nil {
				unread = t
			}
			continue
		}
		m := managementEvents(*t.Events)
		if m.read && m.write {
			passing = t
			break
		}
		if short == nil {
			short, shortBy = t, m.lacks()
		}
	}
	switch {
	case passing != nil:
		detail := "trail " + trailLabel(s, *passing) + " logs every region's management events, read and write, with log file validation"
		if ex := managementEvents(*passing.Events).excluded; len(ex) > 0 {
			detail += " (but not those of " + inert.PrintableLine(strings.Join(ex, ", ")) + ")"
		}
		if others := unvalidated(nil); others != "" {
			return Check{CheckCloudTrail, Warn, title, detail + others, cis}
		}
		return Check{CheckCloudTrail, Pass, title, detail, cis}
	case short != nil:
		return Check{CheckCloudTrail, Fail, title, "trail " + trailLabel(s, *short) + " logs every region with log file validation, but " + shortBy + unvalidated(nil), cis}
	case unread != nil:
		others := unvalidated(nil)
		why := "could not read which events trail " + trailLabel(s, *unread) + " logs"
		if unread.EventsErr != nil {
			why += ": " + strings.TrimSuffix(Explain(unread.EventsErr).What, ".")
		}
		return Check{CheckCloudTrail, Unknown, title, why + others, cis}
	}
	for i := range s.Trails {
		if t := &s.Trails[i]; t.Logging {
			return Check{CheckCloudTrail, Fail, title, "trail " + trailLabel(s, *t) + " is logging, but: " + strings.Join(t.Shortfalls(), ", ") + unvalidated(t), cis}
		}
	}
	if len(s.Trails) > 0 {
		return Check{CheckCloudTrail, Fail, title, "no trail is logging (" + trailLabel(s, s.Trails[0]) + " is stopped)" + unvalidated(&s.Trails[0]), cis}
	}
	return Check{CheckCloudTrail, Fail, title, "no trail: nothing records what is done", cis}
}

// trailLabel names a trail in a check's detail, and whose it is when it
// is not the account's own.
func trailLabel(s Snapshot, t TrailFacts) string {
	name := inert.PrintableLine(t.Name)
	switch {
	case t.Organization:
		return name + " (the organization's)"
	case s.Caller.AccountID != "" && t.Account() != "" && t.Account() != s.Caller.AccountID:
		return name + " (account " + t.Account() + "'s)"
	}
	return name
}

// management is what of the management events a trail's selectors log.
type management struct {
	read, write bool
	excluded    []string // event sources left out
}

// lacks says what a trail that does not log both misses.
func (m management) lacks() string {
	switch {
	case m.read:
		return "it logs only read management events, not writes"
	case m.write:
		return "it logs only write management events, not reads"
	}
	return "it logs no management events"
}

// managementEvents reads a trail's selectors as CIS 3.1's audit does: a
// basic selector with IncludeManagementEvents and ReadWriteType All, or
// an advanced one on eventCategory Management with no readOnly field
// (or two, one for reads and one for writes). A selector that narrows
// management events further (by event name, by source other than to
// leave some out) is not counted; the sources left out (AWS KMS, RDS
// Data API events) are said.
func managementEvents(sel awsops.EventSelectors) management {
	var m management
	add := func(read, write bool, excluded []string) {
		m.read, m.write = m.read || read, m.write || write
		for _, e := range excluded {
			if !slices.Contains(m.excluded, e) {
				m.excluded = append(m.excluded, e)
			}
		}
	}
	for _, b := range sel.Basic {
		if !b.Management {
			continue
		}
		add(b.ReadWrite == awsops.ReadWriteAll || b.ReadWrite == awsops.ReadWriteReadOnly,
			b.ReadWrite == awsops.ReadWriteAll || b.ReadWrite == awsops.ReadWriteWriteOnly, b.Excluded)
	}
	for _, a := range sel.Advanced {
		isManagement, narrowed := false, false
		read, write := true, true
		var excluded []string
		for _, f := range a.Fields {
			other := len(f.StartsWith) + len(f.NotStartsWith) + len(f.EndsWith) + len(f.NotEndsWith)
			switch f.Field {
			case "eventCategory":
				isManagement = slices.Contains(f.Equals, "Management") && len(f.NotEquals)+other == 0
			case "readOnly":
				switch {
				case other > 0:
					narrowed = true
				case slices.Equal(f.Equals, []string{"true"}) || slices.Equal(f.NotEquals, []string{"false"}):
					write = false
				case slices.Equal(f.Equals, []string{"false"}) || slices.Equal(f.NotEquals, []string{"true"}):
					read = false
				case len(f.NotEquals) > 0:
					narrowed = true
				}
			case "eventSource":
				if len(f.Equals)+other > 0 {
					narrowed = true
				}
				excluded = append(excluded, f.NotEquals...)
			default:
				narrowed = true
			}
		}
		if isManagement && !narrowed {
			add(read, write, excluded)
		}
	}
	return m
}
