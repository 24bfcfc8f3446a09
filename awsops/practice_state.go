package awsops

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// PracticeResetCommand starts the practice account over; a damaged
// practice file names it as the fix.
const PracticeResetCommand = "awssecure --practice --practice-reset"

// PracticeDamagedError is a practice account file awssecure cannot use:
// not JSON, not the shape awssecure writes, or an account no AWS account
// could be in (a user that is nothing, a group member who is not a user).
// It names the file, what is wrong and the fix, and never quotes the
// file's values: the file holds (fake) keys and MFA seeds.
type PracticeDamagedError struct {
	Path    string
	Problem string // what is wrong, in words; at most names users, groups, devices and regions
}

func (e *PracticeDamagedError) Error() string {
	return fmt.Sprintf("the practice account file %s is damaged (%s). Start over with: %s", e.Path, e.Problem, PracticeResetCommand)
}

// Unwrap makes the error ErrPracticeDamaged for errors.Is.
func (e *PracticeDamagedError) Unwrap() error { return ErrPracticeDamaged }

// decodePracticeState reads the practice file at path, whose bytes are
// data, into a state every Practice method can use. The state starts as a
// fresh account, so a field the file lacks keeps its fresh value.
func decodePracticeState(path string, data []byte) (practiceState, error) {
	st := freshPracticeState()
	problem := decodeStrict(data, &st)
	if problem == "" {
		problem = st.check()
	}
	if problem != "" {
		return practiceState{}, &PracticeDamagedError{Path: path, Problem: problem}
	}
	return st, nil
}

// decodeStrict decodes one JSON object into st, refusing fields awssecure
// does not write and anything after the object. It says what is wrong in
// words that quote nothing from data, or returns "".
func decodeStrict(data []byte, st *practiceState) string {
	start := bytes.TrimLeft(data, " \t\r\n")
	switch {
	case len(start) == 0:
		return "it is empty"
	case start[0] != '{':
		return "it does not hold an account"
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(st); err != nil {
		var syntaxErr *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			return "it ends in the middle"
		case errors.As(err, &syntaxErr):
			return fmt.Sprintf("it is not valid JSON at byte %d", syntaxErr.Offset)
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return typeErr.Field + " holds the wrong kind of value"
		}
		// An unknown field or a malformed time: their texts quote the file.
		return "it holds something awssecure does not write"
	}
	if _, err := dec.Token(); err != io.EOF {
		return "more follows the account"
	}
	return ""
}

// check finds what no account could hold, and turns a missing map (JSON
// null: "none") into an empty one. It returns what is wrong, or "".
func (st *practiceState) check() string {
	if st.Groups == nil {
		st.Groups = map[string]*practiceGroup{}
	}
	if st.Users == nil {
		st.Users = map[string]*practiceUser{}
	}
	if st.MFADevices == nil {
		st.MFADevices = map[string]*practiceMFA{}
	}
	if st.KeyUse == nil {
		st.KeyUse = map[string]practiceKeyUse{}
	}
	if st.KeyCreated == nil {
		st.KeyCreated = map[string]time.Time{}
	}
	if st.Buckets == nil {
		st.Buckets = map[string]*practiceBucket{}
	}
	if st.Trails == nil {
		st.Trails = map[string]*practiceTrail{}
	}
	if st.Budgets == nil {
		st.Budgets = map[string]*practiceBudget{}
	}
	if st.Exports == nil {
		st.Exports = map[string]*practiceExport{}
	}
	if st.Contacts == nil {
		st.Contacts = map[string]*Contact{}
	}
	if st.Analyzers == nil {
		st.Analyzers = map[string][]Analyzer{}
	}
	if st.Topics == nil {
		st.Topics = map[string]*practiceTopic{}
	}
	if st.Rules == nil {
		st.Rules = map[string]map[string]*practiceRule{}
	}
	if st.Roles == nil {
		st.Roles = map[string]*practiceRole{}
	}
	if slices.Contains(st.RootKeys, "") {
		return "RootKeys holds an empty key id"
	}
	if st.Policy != nil && ValidatePasswordPolicy(*st.Policy) != nil {
		return "Policy is not a password policy AWS allows"
	}
	if problem := st.checkUsers(); problem != "" {
		return problem
	}
	if slices.ContainsFunc(st.InactiveKeys, func(k string) bool { return !st.hasKey(k) }) {
		return "InactiveKeys holds a key the account does not have"
	}
	if problem := st.checkGroups(); problem != "" {
		return problem
	}
	if problem := st.checkMFADevices(); problem != "" {
		return problem
	}
	if st.Alias != "" && ValidateAlias(st.Alias) != nil {
		return "Alias is not an alias AWS allows"
	}
	if problem := st.checkRegions(); problem != "" {
		return problem
	}
	if problem := st.checkBuckets(); problem != "" {
		return problem
	}
	if problem := st.checkTrails(); problem != "" {
		return problem
	}
	if problem := st.checkBilling(); problem != "" {
		return problem
	}
	if problem := st.checkGuardrails(); problem != "" {
		return problem
	}
	return st.checkAlert()
}

func (st *practiceState) checkBilling() string {
	for _, name := range slices.Sorted(maps.Keys(st.Budgets)) {
		if validateBudgetName(name) != nil {
			return "Budgets holds a name AWS Budgets does not allow"
		}
		b := st.Budgets[name]
		switch {
		case b == nil:
			return fmt.Sprintf("Budgets[%q] is empty", name)
		case ValidateBudgetAmount(b.Amount) != nil:
			return fmt.Sprintf("Budgets[%q] has an amount awssecure does not make", name)
		case len(b.Alerts) != len(b.Emails):
			return fmt.Sprintf("Budgets[%q] has alerts without their address", name)
		case slices.ContainsFunc(b.Emails, func(e string) bool { return ValidateEmail(e) != nil }):
			return fmt.Sprintf("Budgets[%q] has an alert to something that is not an address", name)
		case slices.ContainsFunc(b.Alerts, func(a BudgetAlert) bool {
			return a.Kind != AlertActual && a.Kind != AlertForecast || a.Percent <= 0 || a.Percent > 1000
		}):
			return fmt.Sprintf("Budgets[%q] has an alert Budgets does not make", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(st.Exports)) {
		if ValidateExportName(name) != nil {
			return "Exports holds a name Data Exports does not allow"
		}
		x := st.Exports[name]
		switch {
		case x == nil:
			return fmt.Sprintf("Exports[%q] is empty", name)
		case validateNewExport(NewExport{Name: name, Bucket: x.Bucket, Prefix: x.Prefix, Region: x.Region}) != nil:
			return fmt.Sprintf("Exports[%q] has a destination Data Exports does not allow", name)
		}
	}
	if slices.Contains(st.LegacyReports, "") {
		return "LegacyReports holds an empty name"
	}
	return ""
}

func (st *practiceState) checkBuckets() string {
	for _, name := range slices.Sorted(maps.Keys(st.Buckets)) {
		if ValidateBucketName(name) != nil {
			return "Buckets holds a name S3 does not allow"
		}
		b := st.Buckets[name]
		switch {
		case b == nil:
			return fmt.Sprintf("Buckets[%q] is empty", name)
		case ValidateRegion(b.Region) != nil:
			return fmt.Sprintf("Buckets[%q] has no region AWS uses", name)
		case b.Policy != "" && func() bool { _, err := parsePolicy(b.Policy); return err != nil }():
			return fmt.Sprintf("Buckets[%q] has a policy that is not a policy", name)
		case b.ExpiryDays != 0 && ValidateExpiryDays(b.ExpiryDays) != nil:
			return fmt.Sprintf("Buckets[%q] has an expiry S3 does not allow", name)
		case len(b.Tags) > maxBucketTags || slices.ContainsFunc(slices.Collect(maps.Keys(b.Tags)), func(k string) bool { return validateTag(k, b.Tags[k]) != nil }):
			return fmt.Sprintf("Buckets[%q] has tags S3 does not allow", name)
		case len(b.Rules) > maxLifecycleRules || slices.ContainsFunc(b.Rules, func(r LifecycleRule) bool {
			return r.ID == "" || r.ExpireDays < 0 || r.TransitionDays < 0
		}):
			return fmt.Sprintf("Buckets[%q] has lifecycle rules S3 does not allow", name)
		}
		if b.ExpiryDays != 0 { // an older file's rule: where the rules are now
			if !slices.ContainsFunc(b.Rules, func(r LifecycleRule) bool { return r.ID == ExpiryRuleID }) {
				b.Rules = append(b.Rules, expiryRule(b.ExpiryPrefix, b.ExpiryDays))
			}
			b.ExpiryDays, b.ExpiryPrefix = 0, ""
		}
	}
	for i, name := range st.OtherBuckets {
		if ValidateBucketName(name) != nil {
			return fmt.Sprintf("OtherBuckets[%d] is a name S3 does not allow", i)
		}
	}
	return ""
}

func (st *practiceState) checkTrails() string {
	for _, name := range slices.Sorted(maps.Keys(st.Trails)) {
		if ValidateTrailName(name) != nil {
			return "Trails holds a name CloudTrail does not allow"
		}
		t := st.Trails[name]
		switch {
		case t == nil:
			return fmt.Sprintf("Trails[%q] is empty", name)
		case ValidateRegion(t.HomeRegion) != nil:
			return fmt.Sprintf("Trails[%q] has no home region AWS uses", name)
		case st.Buckets[t.Bucket] == nil:
			return fmt.Sprintf("Trails[%q] logs to a bucket the account does not have", name)
		}
	}
	return ""
}

func (st *practiceState) checkUsers() string {
	for _, name := range slices.Sorted(maps.Keys(st.Users)) {
		if ValidateUserName(name) != nil {
			return "Users holds a name IAM does not allow"
		}
		u := st.Users[name]
		switch {
		case u == nil:
			return fmt.Sprintf("Users[%q] is empty", name)
		case slices.Contains(u.Keys, ""):
			return fmt.Sprintf("Users[%q] has an empty access key id", name)
		case !knownPolicies(u.Policies):
			return fmt.Sprintf("Users[%q] has a policy the practice account does not have", name)
		}
	}
	return ""
}

func (st *practiceState) checkGroups() string {
	for _, name := range slices.Sorted(maps.Keys(st.Groups)) {
		if ValidateGroupName(name) != nil {
			return "Groups holds a name IAM does not allow"
		}
		g := st.Groups[name]
		switch {
		case g == nil:
			return fmt.Sprintf("Groups[%q] is empty", name)
		case !knownPolicies(g.Policies):
			return fmt.Sprintf("Groups[%q] has a policy the practice account does not have", name)
		}
		for _, member := range g.Members {
			if st.Users[member] == nil {
				return fmt.Sprintf("Groups[%q] lists %s, who is not a user", name, quoteUser(member))
			}
		}
	}
	return ""
}

func (st *practiceState) checkMFADevices() string {
	prefix := "arn:aws:iam::" + PracticeAccountID + ":mfa/"
	for _, serial := range slices.Sorted(maps.Keys(st.MFADevices)) {
		name, ok := strings.CutPrefix(serial, prefix)
		if !ok || ValidateMFADeviceName(name) != nil {
			return "MFADevices holds a serial number the practice account does not make"
		}
		dev := st.MFADevices[serial]
		switch {
		case dev == nil:
			return fmt.Sprintf("MFADevices[%q] is empty", serial)
		case dev.Seed == "":
			return fmt.Sprintf("MFADevices[%q] has no seed", serial)
		case dev.User != "" && st.Users[dev.User] == nil:
			return fmt.Sprintf("MFADevices[%q] is assigned to %s, who is not a user", serial, quoteUser(dev.User))
		}
		if _, err := MFACode(NewSecret(dev.Seed), time.Unix(0, 0)); err != nil {
			return fmt.Sprintf("MFADevices[%q] has a damaged seed", serial)
		}
	}
	return ""
}

// practiceRegionStatuses are the statuses the Account API reports.
var practiceRegionStatuses = []string{RegionEnabled, RegionEnabling, RegionDisabled, RegionDisabling, RegionEnabledByDefault}

func (st *practiceState) checkRegions() string {
	seen := map[string]bool{}
	for i, r := range st.Regions {
		switch {
		case ValidateRegion(r.Name) != nil:
			return fmt.Sprintf("Regions[%d] has no region name AWS uses", i)
		case !slices.Contains(practiceRegionStatuses, r.Status):
			return fmt.Sprintf("region %s has an unknown status", r.Name)
		case seen[r.Name]:
			return fmt.Sprintf("region %s is listed twice", r.Name)
		}
		seen[r.Name] = true
	}
	return ""
}

func knownPolicies(arns []string) bool {
	for _, arn := range arns {
		if !slices.Contains(practiceManagedPolicies, arn) {
			return false
		}
	}
	return true
}

// quoteUser names a user in an error, unless the name is not one IAM
// allows: then it may be anything, and is not repeated.
func quoteUser(name string) string {
	if ValidateUserName(name) != nil {
		return "a name"
	}
	return fmt.Sprintf("%q", name)
}

// Statuses the practice account's analyzers and detectors may have.
var (
	practiceAnalyzerTypes    = []string{AnalyzerAccount, AnalyzerOrganization, "ACCOUNT_UNUSED_ACCESS", "ORGANIZATION_UNUSED_ACCESS"}
	practiceAnalyzerStatuses = []string{AnalyzerActive, "CREATING", "DISABLED", "FAILED"}
	practiceDetectorStatuses = []string{DetectorEnabled, "DISABLED"}
)

// checkGuardrails refuses guardrails no account could have: a contact AWS
// would not accept, a region named twice, two analyzers of one name in a
// region, or two GuardDuty detectors in the home region.
func (st *practiceState) checkGuardrails() string {
	for _, kind := range slices.Sorted(maps.Keys(st.Contacts)) {
		c := st.Contacts[kind]
		switch {
		case c == nil:
			return "Contacts holds an empty contact"
		case c.Type != kind || ValidateContact(*c) != nil:
			return "Contacts holds a contact AWS would not accept"
		}
	}
	seen := map[string]bool{}
	for _, r := range st.EBSDefault {
		if ValidateRegion(r) != nil || seen[r] {
			return "EBSDefault holds a region name twice or one AWS does not use"
		}
		seen[r] = true
	}
	for _, region := range slices.Sorted(maps.Keys(st.Analyzers)) {
		if ValidateRegion(region) != nil {
			return "Analyzers holds a region name AWS does not use"
		}
		names := map[string]bool{}
		for _, a := range st.Analyzers[region] {
			switch {
			case ValidateAnalyzerName(a.Name) != nil || names[a.Name]:
				return fmt.Sprintf("Analyzers in %s holds a name twice or one AWS does not allow", region)
			case !slices.Contains(practiceAnalyzerTypes, a.Type) || !slices.Contains(practiceAnalyzerStatuses, a.Status):
				return fmt.Sprintf("Analyzers in %s holds an unknown type or status", region)
			}
			names[a.Name] = true
		}
	}
	switch {
	case len(st.Detectors) > 1:
		return "Detectors holds more than the one detector a region can have"
	case len(st.Detectors) == 1 && (st.Detectors[0].ID == "" || !slices.Contains(practiceDetectorStatuses, st.Detectors[0].Status)):
		return "Detectors holds a detector with no id or an unknown status"
	}
	return ""
}
