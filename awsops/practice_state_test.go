package awsops_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/steps"
)

const (
	adminPolicy = "arn:aws:iam::aws:policy/AdministratorAccess"
	// fakeSeed and fakeKey stand for the secrets a practice file holds;
	// no damaged-file error may repeat them.
	fakeSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	fakeKey  = "AKIAFAKEPRACTICEKEY1"
)

// Practice files that no account could be, each refused as damaged with
// what is wrong; none of them may panic later in the wizard, which is what
// they did before the loader checked them.
func TestPracticeDamagedShapes(t *testing.T) {
	for _, tc := range []struct{ name, file, problem string }{
		{"user that is nothing", `{"Users":{"bob":null}}`, `Users["bob"] is empty`},
		{"group that is nothing", `{"Groups":{"admins":null}}`, `Groups["admins"] is empty`},
		{"device that is nothing", `{"MFADevices":{"arn:aws:iam::111122223333:mfa/bob":null}}`, `MFADevices["arn:aws:iam::111122223333:mfa/bob"] is empty`},
		{"null document", `null`, "it does not hold an account"},
		{"array document", `[]`, "it does not hold an account"},
		{"string document", `"` + fakeSeed + `"`, "it does not hold an account"},
		{"empty file", ``, "it is empty"},
		{"blank file", " \n\t", "it is empty"},
		{"not JSON", `{not json`, "it is not valid JSON at byte 2"},
		{"cut short", `{"Users":{"bob":{`, "it ends in the middle"},
		{"trailing object", `{} {}`, "more follows the account"},
		{"trailing garbage", `{"Alias":"acme"}x`, "more follows the account"},
		{"unknown field", `{"Userz":{}}`, "it holds something awssecure does not write"},
		{"unknown nested field", `{"Users":{"bob":{"Secret":"` + fakeSeed + `"}}}`, "it holds something awssecure does not write"},
		{"bad time", `{"RootMFAOnAt":"` + fakeSeed + `"}`, "it holds something awssecure does not write"},
		{"wrong type", `{"Users":{"bob":{"Keys":"` + fakeKey + `"}}}`, "Users.Keys holds the wrong kind of value"},
		{"wrong type at the top", `{"Users":[]}`, "Users holds the wrong kind of value"},
		{"member who is not a user", `{"Groups":{"g":{"Members":["ghost"]}}}`, `Groups["g"] lists "ghost", who is not a user`},
		{"bucket that is nothing", `{"Buckets":{"logs-bucket":null}}`, `Buckets["logs-bucket"] is empty`},
		{"bucket with an impossible name", `{"Buckets":{"Logs_Bucket":{"Region":"us-east-1"}}}`, "Buckets holds a name S3 does not allow"},
		{"bucket with no region", `{"Buckets":{"logs-bucket":{}}}`, `Buckets["logs-bucket"] has no region AWS uses`},
		{"bucket policy that is not one", `{"Buckets":{"logs-bucket":{"Region":"us-east-1","Policy":"` + fakeSeed + `"}}}`, `Buckets["logs-bucket"] has a policy that is not a policy`},
		{"bucket tag AWS reserves", `{"Buckets":{"logs-bucket":{"Region":"us-east-1","Tags":{"aws:x":"y"}}}}`, `Buckets["logs-bucket"] has tags S3 does not allow`},
		{"lifecycle rule without an ID", `{"Buckets":{"logs-bucket":{"Region":"us-east-1","Rules":[{"Enabled":true,"ExpireDays":30}]}}}`, `Buckets["logs-bucket"] has lifecycle rules S3 does not allow`},
		{"trail that is nothing", `{"Trails":{"management-events":null}}`, `Trails["management-events"] is empty`},
		{"trail on a missing bucket", `{"Trails":{"management-events":{"HomeRegion":"us-east-1","Bucket":"gone-bucket"}}}`, `Trails["management-events"] logs to a bucket the account does not have`},
		{"budget that is nothing", `{"Budgets":{"monthly-cost":null}}`, `Budgets["monthly-cost"] is empty`},
		{"budget of an impossible amount", `{"Budgets":{"monthly-cost":{"Amount":"1e9"}}}`, `Budgets["monthly-cost"] has an amount awssecure does not make`},
		{"budget alert without its address", `{"Budgets":{"monthly-cost":{"Amount":"10","Alerts":[{"Kind":"ACTUAL","Percent":80}]}}}`, `Budgets["monthly-cost"] has alerts without their address`},
		{"budget alert to a non-address", `{"Budgets":{"monthly-cost":{"Amount":"10","Alerts":[{"Kind":"ACTUAL","Percent":80}],"Emails":["nobody"]}}}`, `Budgets["monthly-cost"] has an alert to something that is not an address`},
		{"budget alert of no kind", `{"Budgets":{"monthly-cost":{"Amount":"10","Alerts":[{"Kind":"SOON","Percent":80}],"Emails":["a@example.com"]}}}`, `Budgets["monthly-cost"] has an alert Budgets does not make`},
		{"export that is nothing", `{"Exports":{"cur":null}}`, `Exports["cur"] is empty`},
		{"export to nowhere", `{"Exports":{"cur":{"Bucket":"","Prefix":"cur2","Region":"us-east-1"}}}`, `Exports["cur"] has a destination Data Exports does not allow`},
		{"empty legacy report name", `{"LegacyReports":[""]}`, "LegacyReports holds an empty name"},
		{"member with an impossible name", `{"Groups":{"g":{"Members":["` + fakeSeed + `!"]}}}`, `Groups["g"] lists a name, who is not a user`},
		{"device of a missing user", `{"MFADevices":{"arn:aws:iam::111122223333:mfa/bob":{"Seed":"` + fakeSeed + `","User":"bob"}}}`, `MFADevices["arn:aws:iam::111122223333:mfa/bob"] is assigned to "bob", who is not a user`},
		{"device without a seed", `{"MFADevices":{"arn:aws:iam::111122223333:mfa/bob":{}}}`, `MFADevices["arn:aws:iam::111122223333:mfa/bob"] has no seed`},
		{"device with a damaged seed", `{"MFADevices":{"arn:aws:iam::111122223333:mfa/bob":{"Seed":"` + fakeSeed + `-1!"}}}`, `MFADevices["arn:aws:iam::111122223333:mfa/bob"] has a damaged seed`},
		{"device of another account", `{"MFADevices":{"arn:aws:iam::999999999999:mfa/bob":{"Seed":"` + fakeSeed + `"}}}`, "MFADevices holds a serial number the practice account does not make"},
		{"empty user name", `{"Users":{"":{}}}`, "Users holds a name IAM does not allow"},
		{"empty group name", `{"Groups":{"":{}}}`, "Groups holds a name IAM does not allow"},
		{"empty key id", `{"Users":{"bob":{"Keys":[""]}}}`, `Users["bob"] has an empty access key id`},
		{"empty root key id", `{"RootKeys":[""]}`, "RootKeys holds an empty key id"},
		{"unknown policy", `{"Users":{"bob":{"Policies":["arn:aws:iam::aws:policy/Nope"]}}}`, `Users["bob"] has a policy the practice account does not have`},
		{"impossible password policy", `{"Policy":{"MinimumLength":-1}}`, "Policy is not a password policy AWS allows"},
		{"impossible alias", `{"Alias":"Bad Alias"}`, "Alias is not an alias AWS allows"},
		{"region status unknown", `{"Regions":[{"Name":"us-east-1","Status":"MAYBE"}]}`, "region us-east-1 has an unknown status"},
		{"region without a name", `{"Regions":[{"Name":"","Status":"ENABLED"}]}`, "Regions[0] has no region name AWS uses"},
		{"contact that is nothing", `{"Contacts":{"SECURITY":null}}`, "Contacts holds an empty contact"},
		{"contact AWS would refuse", `{"Contacts":{"SECURITY":{"Type":"SECURITY","Name":"Ada","Title":"CISO","Email":"no-at-sign","Phone":"1"}}}`, "Contacts holds a contact AWS would not accept"},
		{"contact under another type", `{"Contacts":{"BILLING":{"Type":"SECURITY","Name":"Ada","Title":"CISO","Email":"a@example.com","Phone":"1"}}}`, "Contacts holds a contact AWS would not accept"},
		{"EBS region twice", `{"EBSDefault":["eu-west-1","eu-west-1"]}`, "EBSDefault holds a region name twice or one AWS does not use"},
		{"analyzer name twice", `{"Analyzers":{"eu-west-1":[{"Name":"a","Type":"ACCOUNT","Status":"ACTIVE"},{"Name":"a","Type":"ACCOUNT","Status":"ACTIVE"}]}}`, "Analyzers in eu-west-1 holds a name twice or one AWS does not allow"},
		{"analyzer of no known type", `{"Analyzers":{"eu-west-1":[{"Name":"a","Type":"MAYBE","Status":"ACTIVE"}]}}`, "Analyzers in eu-west-1 holds an unknown type or status"},
		{"two detectors", `{"Detectors":[{"ID":"a","Status":"ENABLED"},{"ID":"b","Status":"ENABLED"}]}`, "Detectors holds more than the one detector a region can have"},
		{"region twice", `{"Regions":[{"Name":"eu-west-1","Status":"ENABLED"},{"Name":"eu-west-1","Status":"DISABLED"}]}`, "region eu-west-1 is listed twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "practice.json")
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			p, err := awsops.NewPractice(awsops.PracticeOptions{Path: path})
			if err == nil {
				t.Fatalf("loaded %s as an account: %v", tc.name, p)
			}
			want := "the practice account file " + path + " is damaged (" + tc.problem + "). Start over with: awssecure --practice --practice-reset"
			if err.Error() != want {
				t.Errorf("err =\n  %v\nwant\n  %s", err, want)
			}
			var damaged *awsops.PracticeDamagedError
			if !errors.Is(err, awsops.ErrPracticeDamaged) || !errors.As(err, &damaged) || damaged.Path != path {
				t.Errorf("err = %#v, want a *PracticeDamagedError for %s that is ErrPracticeDamaged", err, path)
			}
			for _, secret := range []string{fakeSeed, fakeKey} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error quotes a secret from the file: %s", err)
				}
			}
		})
	}
}

// A missing map (JSON null) means none: the account loads, and the
// wizard's writes work on it instead of panicking on a nil map.
func TestPracticeNullMapsMeanNone(t *testing.T) {
	for _, file := range []string{`{"Users":null}`, `{"Groups":null}`, `{"MFADevices":null}`, `{"Users":null,"Groups":null,"MFADevices":null,"RootKeys":null,"Regions":null}`, `{}`} {
		p, err := awsops.PracticeFromJSON("practice.json", []byte(file), awsops.PracticeOptions{})
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		ctx := t.Context()
		_, err = p.CreateUser(ctx, "alice")
		if err == nil {
			_, err = p.EnsureGroupWithPolicy(ctx, "administrators", adminPolicy)
		}
		if err == nil {
			_, err = p.EnsureUserInGroup(ctx, "alice", "administrators")
		}
		if err == nil {
			_, err = p.CreateVirtualMFADevice(ctx, "alice")
		}
		if err != nil {
			t.Errorf("%s: the tutorial's writes fail: %v", file, err)
		}
	}
}

// A practice file written before buckets had lifecycle rules kept
// awssecure's one expiry as ExpiryDays: it loads as that rule, beside
// which another can be added, and is saved as rules.
func TestPracticeOldExpiryLoadsAsARule(t *testing.T) {
	path := filepath.Join(t.TempDir(), "practice.json")
	old := `{"Buckets":{"aws-cloudtrail-logs-111122223333-abcd1234":{"Region":"us-east-1","ExpiryDays":400,"ExpiryPrefix":""}}}`
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := awsops.NewPractice(awsops.PracticeOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	const bucket = "aws-cloudtrail-logs-111122223333-abcd1234"
	rules, err := p.BucketLifecycle(ctx, bucket)
	want := []awsops.LifecycleRule{{ID: "awssecure-expire-old-objects", Enabled: true, ExpireDays: 400}}
	if err != nil || len(rules) != 1 || rules[0] != want[0] {
		t.Fatalf("rules = %+v, %v", rules, err)
	}
	if err := p.AddExpiryRule(ctx, bucket, "", 400); err != nil {
		t.Errorf("the same rule again: %v", err)
	}
	if err := p.TagBucket(ctx, bucket, "awssecure:created-by", "awssecure"); err != nil {
		t.Fatal(err)
	}
	saved, _ := os.ReadFile(path)
	if bytes.Contains(saved, []byte("ExpiryDays")) || !bytes.Contains(saved, []byte(`"ExpireDays": 400`)) {
		t.Errorf("saved:\n%s", saved)
	}
}

// What the practice account saves, it loads again, unchanged.
func TestPracticeSavedStateRoundTrips(t *testing.T) {
	path := filepath.Join(t.TempDir(), "practice.json")
	now := time.Date(2026, 11, 22, 12, 0, 10, 0, time.UTC)
	opts := awsops.PracticeOptions{Path: path, Now: func() time.Time { return now }, RegionEnableTime: time.Hour}
	p := newPractice(t, opts)
	exercisePractice(t.Context(), p, now)
	saved := must[[]byte](t)(p.StateJSON())
	again := newPractice(t, opts)
	if reloaded := must[[]byte](t)(again.StateJSON()); !bytes.Equal(saved, reloaded) {
		t.Errorf("the saved account changed on loading:\nsaved    %d bytes\nreloaded %d bytes", len(saved), len(reloaded))
	}
	users := must[[]awsops.User](t)(again.Users(t.Context()))
	if len(users) != 1 || users[0].Name != "alice" {
		t.Errorf("users after reload = %v, want alice", users)
	}
}

// Any bytes in the practice file either are refused as damaged, naming the
// file and the fix, or make an account on which everything the wizard does
// works or fails with an error, never a panic, and which saves a file that
// loads again.
func FuzzLoadPracticeState(f *testing.F) {
	// The seed corpus is in testdata/fuzz/FuzzLoadPracticeState.
	now := time.Date(2026, 11, 22, 12, 0, 10, 0, time.UTC)
	opts := awsops.PracticeOptions{Now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, data []byte) {
		const path = "/state/awssecure/practice.json"
		p, err := awsops.PracticeFromJSON(path, data, opts)
		if err != nil {
			if !errors.Is(err, awsops.ErrPracticeDamaged) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "--practice-reset") {
				t.Fatalf("refused without naming the file and the fix: %v", err)
			}
			return
		}
		exercisePractice(t.Context(), p, now)
		saved, err := p.StateJSON()
		if err != nil {
			t.Fatalf("the account cannot be saved: %v", err)
		}
		if _, err := awsops.PracticeFromJSON(path, saved, opts); err != nil {
			t.Fatalf("what the account saves does not load: %v", err)
		}
	})
}

// exercisePractice does to p what the wizard does to an account: every
// read, the tutorial's writes (on its own user and on every user, group,
// device and region the account has), then every read again. Errors are
// answers; only a panic is a failure.
func exercisePractice(ctx context.Context, p *awsops.Practice, now time.Time) {
	reads := func() {
		_, _ = p.WhoAmI(ctx)
		_, _ = p.AccountSummary(ctx)
		_, _ = p.PasswordPolicy(ctx)
		groups, _ := p.Groups(ctx)
		for _, g := range groups {
			_, _ = p.GroupPolicies(ctx, g)
			_, _ = p.GroupMembers(ctx, g)
		}
		users, _ := p.Users(ctx)
		for _, u := range users {
			_, _ = p.GetUser(ctx, u.Name)
			_, _ = p.UserGroups(ctx, u.Name)
			_, _ = p.HasLoginProfile(ctx, u.Name)
			_, _ = p.UserPolicies(ctx, u.Name)
			_, _ = p.AccessKeys(ctx, u.Name)
			_, _ = p.UserMFADevices(ctx, u.Name)
		}
		_, _ = p.AccessKeys(ctx, "")
		_, _ = p.VirtualMFADevices(ctx)
		_, _ = p.AccountAlias(ctx)
		regions, _ := p.Regions(ctx)
		for _, r := range regions {
			_, _ = p.RegionStatus(ctx, r.Name)
			_, _ = p.EBSEncryptionByDefault(ctx, r.Name)
			_, _ = p.Analyzers(ctx, r.Name)
		}
		trails, _ := p.Trails(ctx)
		for _, t := range trails {
			_, _ = p.TrailLogging(ctx, t.ARN)
		}
		buckets, _ := p.Buckets(ctx, "")
		for _, b := range buckets {
			_, _ = p.BucketRegion(ctx, b)
			_, _ = p.BucketSettings(ctx, b)
		}
		for _, kind := range awsops.ContactTypes {
			_, _ = p.AlternateContact(ctx, kind)
		}
		_, _ = p.PublicAccessBlock(ctx, awsops.PracticeAccountID)
		_, _ = p.EnabledRegions(ctx)
		_, _ = p.Detectors(ctx)
	}
	reads()

	_ = p.SetPasswordPolicy(ctx, awsops.PasswordPolicy{MinimumLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true})
	_, _ = p.EnsureGroupWithPolicy(ctx, "administrators", adminPolicy)
	_, _ = p.CreateUser(ctx, "alice")
	groups, _ := p.Groups(ctx)
	users, _ := p.Users(ctx)
	for _, u := range users {
		_, _ = p.EnsureUserInGroup(ctx, u.Name, "administrators")
		for _, g := range groups {
			_ = p.AddUserToGroup(ctx, u.Name, g)
		}
		_ = p.CreateLoginProfile(ctx, u.Name, awsops.NewSecret(strongPassword+"-long"), true)
		_ = p.UpdateLoginProfile(ctx, u.Name, awsops.NewSecret(strongPassword+"-longer"), true)
		_ = p.AttachUserPolicy(ctx, u.Name, "arn:aws:iam::aws:policy/IAMUserChangePassword")
		_, _ = p.CreateAccessKey(ctx, u.Name)
		if dev, err := p.CreateVirtualMFADevice(ctx, u.Name); err == nil {
			c1, c2 := awsops.PhoneCodes(dev.Seed, now)
			_ = p.EnableMFADevice(ctx, u.Name, dev.Serial, c1, c2)
		}
	}
	devices, _ := p.VirtualMFADevices(ctx)
	for _, d := range devices {
		if d.User == "" {
			_ = p.EnableMFADevice(ctx, "alice", d.Serial, "123456", "654321")
			_ = p.DeleteVirtualMFADevice(ctx, d.Serial)
		}
	}
	if alias, _ := p.AccountAlias(ctx); alias != "" {
		_ = p.DeleteAccountAlias(ctx, alias)
	}
	_ = p.CreateAccountAlias(ctx, "acme-learning")
	// Root's other keys made inactive and deleted; the one the root
	// session signs with last of all (below), as the handoff does.
	rootKeys, _ := p.AccessKeys(ctx, "")
	session := p.CallerKeyID(ctx)
	for _, k := range rootKeys {
		if k.ID != session {
			_ = p.SetAccessKeyActive(ctx, "", k.ID, false)
			_ = p.DeleteAccessKey(ctx, "", k.ID)
		}
	}
	regions, _ := p.Regions(ctx)
	for _, r := range regions {
		_ = p.EnableRegion(ctx, r.Name)
	}
	caller, _ := p.WhoAmI(ctx)
	_, _ = steps.CloudTrail.Apply(ctx, p, caller, steps.TrailRequest{Trail: steps.DefaultTrailName, Region: p.Region(), ExpiryDays: 30})
	trails, _ := p.Trails(ctx)
	for _, t := range trails {
		_ = p.UpdateTrail(ctx, t.ARN, awsops.TrailSettings{MultiRegion: true, Validation: true})
		_ = p.StartLogging(ctx, t.ARN)
	}
	_ = p.SimulateRootMFAInConsole(0)
	for _, kind := range awsops.ContactTypes {
		_ = p.PutAlternateContact(ctx, awsops.Contact{Type: kind, Name: "Ada", Title: "Owner", Email: "ada@example.com", Phone: "+1 555 0100"})
	}
	_ = p.PutPublicAccessBlock(ctx, awsops.PracticeAccountID, awsops.BlockAllPublicAccess)
	for _, r := range regions {
		_ = p.EnableEBSEncryptionByDefault(ctx, r.Name)
		_ = p.CreateAnalyzer(ctx, r.Name, awsops.AnalyzerName)
	}
	_, _ = p.CreateDetector(ctx)
	detectors, _ := p.Detectors(ctx)
	for _, d := range detectors {
		_ = p.EnableDetector(ctx, d.ID)
	}
	reads()
	_ = p.DeleteAccessKey(ctx, "", session)
	reads()
}

// A file whose billing maps are null (none) takes a budget and an export.
func TestPracticeNullBillingMapsMeanNone(t *testing.T) {
	p, err := awsops.PracticeFromJSON("practice.json", []byte(`{"Budgets":null,"Exports":null,"LegacyReports":null}`), awsops.PracticeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := p.CreateBudget(ctx, awsops.PracticeAccountID, awsops.NewBudget{Name: "b", Amount: "10"}); err != nil {
		t.Errorf("budget: %v", err)
	}
	if err := p.CreateBucket(ctx, "report-bucket-1", "us-east-1"); err != nil {
		t.Fatal(err)
	}
	policy := `{"Statement":[{"Effect":"Allow","Principal":{"Service":"bcm-data-exports.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::report-bucket-1/*"}]}`
	if err := p.SetBucketPolicy(ctx, "report-bucket-1", policy); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateExport(ctx, awsops.NewExport{Name: "cur", Bucket: "report-bucket-1", Prefix: "cur2", Region: "us-east-1"}); err != nil {
		t.Errorf("export: %v", err)
	}
}
