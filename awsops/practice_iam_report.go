package awsops

import (
	"context"
	"maps"
	"slices"
	"time"
)

// credentialReportLife is how long IAM keeps a credential report: an
// older one is expired, and a new one may be made.
const credentialReportLife = 4 * time.Hour

// GenerateCredentialReport makes a report when there is none or the last
// is four hours old, as IAM does; the practice account makes it at once,
// so it reports STARTED (false) only when it made one. The report's time
// is kept by this process, not in the file (see practiceAccount).
func (p *Practice) GenerateCredentialReport(ctx context.Context) (bool, error) {
	return practiceRead(ctx, p, opGenerateCredentialReport, func(*practiceState) (bool, error) {
		now := p.opts.Now().UTC()
		if p.reportAt != nil && now.Sub(*p.reportAt) < credentialReportLife {
			return true, nil
		}
		p.reportAt = &now
		return false, nil
	})
}

// CredentialReport reads the report, as IAM does: none before it is
// generated, and none once it is four hours old. Its rows are the
// account as it is now rather than when the report was made: fresher
// than AWS's, never staler, which no check can tell apart in a session.
func (p *Practice) CredentialReport(ctx context.Context) (CredentialReport, error) {
	return practiceRead(ctx, p, opGetCredentialReport, func(st *practiceState) (CredentialReport, error) {
		switch {
		case p.reportAt == nil:
			return CredentialReport{}, replyReportNotPresent()
		case p.opts.Now().Sub(*p.reportAt) >= credentialReportLife:
			return CredentialReport{}, replyReportExpired()
		}
		report := CredentialReport{Generated: *p.reportAt}
		root := CredentialRow{User: RootRowName, ARN: "arn:aws:iam::" + PracticeAccountID + ":root", PasswordEnabled: "not_supported",
			MFAActive: st.RootMFAOnAt != nil && !p.opts.Now().Before(*st.RootMFAOnAt)}
		for i, id := range st.RootKeys {
			if i < len(root.Keys) {
				root.Keys[i] = KeyColumns{Active: true, LastRotated: st.KeyCreated[id], LastUsed: st.KeyUse[id].LastUsed}
			}
		}
		report.Root = &root
		for _, name := range slices.Sorted(maps.Keys(st.Users)) {
			u := st.Users[name]
			row := CredentialRow{User: name, ARN: u.info(name).ARN, Created: u.Created, PasswordEnabled: "false",
				MFAActive: slices.ContainsFunc(slices.Collect(maps.Values(st.MFADevices)), func(d *practiceMFA) bool { return d.User == name })}
			if u.HasPassword {
				row.PasswordEnabled, row.PasswordLastChanged = "true", u.PasswordChanged
				if row.PasswordLastChanged.IsZero() {
					row.PasswordLastChanged = u.Created // a file from before the practice account kept it
				}
			}
			for i, id := range u.Keys {
				if i >= len(row.Keys) {
					break
				}
				made, ok := st.KeyCreated[id]
				if !ok {
					made = u.Created
				}
				row.Keys[i] = KeyColumns{Active: true, LastRotated: made, LastUsed: st.KeyUse[id].LastUsed}
			}
			report.Users = append(report.Users, row)
		}
		return report, nil
	})
}
