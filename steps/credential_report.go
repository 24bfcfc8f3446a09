package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// The IAM credential report answers what live reads would take a call
// per user for: when each password and access key was last used and
// when each key was made. It is as IAM made it, up to four hours ago,
// which is exact enough for ages counted in weeks (CIS 1.12, 1.14); the
// checks that a fresh change must move (MFA, passwords) stay on live
// reads (see readPeople). Each check says the report's time.

// Thresholds of CIS 1.12 and 1.14.
const (
	UnusedAfter = 45 * 24 * time.Hour // a password or key unused this long is to be disabled
	RotateAfter = 90 * 24 * time.Hour // an active key this old is to be rotated
)

// reportWait bounds how long status waits for IAM to make a report it
// did not have (a new account's first status; one every four hours):
// a few seconds for most accounts.
const reportWait = 10 * time.Second

// readCredentialReport reads the credential report in the first round
// trip: it asks for the report and, at once, for a new one, which IAM
// makes only when the last is four hours old. When there was none to
// read, it asks again as soon as IAM says it is made, then at growing
// intervals, for up to reportWait.
func readCredentialReport(ctx context.Context, acct Account) (awsops.CredentialReport, error) {
	var report awsops.CredentialReport
	var getErr, genErr error
	together(
		func() { report, getErr = acct.CredentialReport(ctx) },
		func() { _, genErr = acct.GenerateCredentialReport(ctx) },
	)
	if getErr == nil || !errors.Is(getErr, awsops.ErrReportNotReady) {
		return report, getErr
	}
	if genErr != nil {
		return report, genErr
	}
	// Asked again at once: the two calls crossed, or IAM made the report
	// for a small account in moments; then at growing intervals.
	deadline := time.Now().Add(reportWait)
	pause := 250 * time.Millisecond
	for {
		report, getErr = acct.CredentialReport(ctx)
		if getErr == nil || !errors.Is(getErr, awsops.ErrReportNotReady) {
			return report, getErr
		}
		if time.Now().After(deadline) {
			return report, getErr
		}
		select {
		case <-ctx.Done():
			return report, ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, 2*time.Second)
	}
}

// reportTime says when the report was made, for a check's detail: a
// date with no hyphen, which a wrapped line would break at.
func reportTime(r awsops.CredentialReport) string {
	if r.Generated.IsZero() {
		return "the credential report"
	}
	return "the credential report of " + r.Generated.UTC().Format("2 Jan 2006 15:04 UTC")
}

// reportUsers are the report's rows of users the live read of users
// still lists, by name: a user deleted since the report was made is not
// named. Without the live list (it could not be read) every row counts.
func (s Snapshot) reportUsers() []awsops.CredentialRow {
	var rows []awsops.CredentialRow
	for _, row := range s.CredentialReport.Users {
		if s.UserPoliciesErr != nil || s.UserNames == nil || slices.Contains(s.UserNames, row.User) {
			rows = append(rows, row)
		}
	}
	slices.SortStableFunc(rows, func(a, b awsops.CredentialRow) int { return strings.Compare(a.User, b.User) })
	return rows
}

// age is how long ago t was, at the snapshot's reading; a time in the
// future (a clock ahead of AWS's) is no age at all.
func (s Snapshot) age(t time.Time) time.Duration {
	now := s.ReadAt
	if now.IsZero() {
		now = time.Now()
	}
	return max(0, now.Sub(t))
}

func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

// keysRotatedCheck is CIS 1.14: every active access key of an IAM user
// is younger than 90 days (access_key_N_last_rotated). The root user's
// keys are root-access-keys'.
func keysRotatedCheck(s Snapshot) Check {
	const title, cis = "Access keys rotated", "1.14"
	if s.CredentialReportErr != nil {
		return unknown(CheckKeysRotated, title, cis, s.CredentialReportErr)
	}
	var old []string
	active := 0
	for _, row := range s.reportUsers() {
		for i, k := range row.Keys {
			if !k.Active {
				continue
			}
			active++
			if age := s.age(k.LastRotated); !k.LastRotated.IsZero() && age >= RotateAfter {
				old = append(old, fmt.Sprintf("%s (key %d, %d days)", inert.PrintableLine(row.User), i+1, days(age)))
			}
		}
	}
	when := reportTime(s.CredentialReport)
	switch {
	case len(old) > 0:
		return Check{CheckKeysRotated, Fail, title, "older than 90 days: " + nameList(old) + " (" + when + ")", cis}
	case active == 0:
		return Check{CheckKeysRotated, Pass, title, "no IAM user has an active access key (" + when + ")", cis}
	}
	return Check{CheckKeysRotated, Pass, title, fmt.Sprintf("%s younger than 90 days (%s)", countOf(active, "active key", "active keys"), when), cis}
}

// unusedCredentialsCheck is CIS 1.12: no IAM user has a console password
// or an active access key unused for 45 days or more. One never used
// counts from when it was set (password_last_changed,
// access_key_N_last_rotated), as the benchmark's audit does.
func unusedCredentialsCheck(s Snapshot) Check {
	const title, cis = "No unused credentials", "1.12"
	if s.CredentialReportErr != nil {
		return unknown(CheckUnusedCredentials, title, cis, s.CredentialReportErr)
	}
	var unused []string
	for _, row := range s.reportUsers() {
		var what []string
		if row.PasswordEnabled == "true" {
			if idle, ok := s.idle(row.PasswordLastUsed, row.PasswordLastChanged); ok {
				what = append(what, fmt.Sprintf("password %s", idle))
			}
		}
		for i, k := range row.Keys {
			if !k.Active {
				continue
			}
			if idle, ok := s.idle(k.LastUsed, k.LastRotated); ok {
				what = append(what, fmt.Sprintf("key %d %s", i+1, idle))
			}
		}
		if len(what) > 0 {
			unused = append(unused, inert.PrintableLine(row.User)+" ("+strings.Join(what, ", ")+")")
		}
	}
	when := reportTime(s.CredentialReport)
	if len(unused) > 0 {
		return Check{CheckUnusedCredentials, Fail, title, "unused for 45 days or more: " + nameList(unused) + " (" + when + ")", cis}
	}
	return Check{CheckUnusedCredentials, Pass, title, "every password and active key used within 45 days, or newer (" + when + ")", cis}
}

// idle says how long a credential has gone unused, when that is 45 days
// or more: since lastUsed, or, never used, since it was set. A credential
// whose times the report does not give is not judged.
func (s Snapshot) idle(lastUsed, set time.Time) (string, bool) {
	switch {
	case !lastUsed.IsZero():
		if age := s.age(lastUsed); age >= UnusedAfter {
			return fmt.Sprintf("last used %d days ago", days(age)), true
		}
	case !set.IsZero():
		if age := s.age(set); age >= UnusedAfter {
			return fmt.Sprintf("never used, set %d days ago", days(age)), true
		}
	}
	return "", false
}

// nameList joins up to five names, then says how many more.
func nameList(names []string) string {
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "the one " + one + " is"
	}
	return fmt.Sprintf("all %d %s are", n, many)
}
