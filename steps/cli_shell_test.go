package steps

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
)

// The aws CLI equivalents are run here by a real shell, with aws
// replaced by a function that prints each argument it is given: a block
// pasted as it is shown must pass every value as one argument, exactly,
// write every document it names, and run nothing else.

// awsStub prints each argument of each aws call, NUL-terminated, and a
// line of its own between calls.
const awsStub = "aws() { printf '%s\\0' \"$@\"; printf '\\n--\\0'; }\n"

// runBlock runs block with sh in a new directory; the aws calls' arguments
// and the directory, with what the block wrote in it.
func runBlock(t *testing.T, block string) (args []string, dir string) {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal("no sh to run the commands in:", err)
	}
	dir = t.TempDir()
	cmd := exec.Command(sh, "-c", awsStub+block)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the block did not run: %v\n%s\n--- the block ---\n%s", err, out, block)
	}
	return strings.Split(string(out), "\x00"), dir
}

// sameJSON fails unless the file name in dir holds the JSON want.
func sameJSON(t *testing.T, dir, name, want string) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("the block did not write %s: %v", name, err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s is not JSON: %v\n%s", name, err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s holds\n%s\nwant\n%s", name, got, want)
	}
}

var cliCaller = awsops.Caller{AccountID: "111122223333", ARN: "arn:aws:iam::111122223333:root"}

// Every file:// a command reads is written first, in the same block, and
// holds exactly the document awssecure sends (with the account's values,
// which the block keeps in variables).
func TestCommandsWriteTheDocumentsTheyRead(t *testing.T) {
	const bucket, trail, region, email = "aws-cloudtrail-logs-111122223333-ab12cd34", "management-events", "eu-west-2", "ops@example.com"
	trailARN := awsops.TrailARN("aws", region, cliCaller.AccountID, trail)

	t.Run("cloudtrail", func(t *testing.T) {
		block := cloudTrailCLI(cliCaller, TrailRequest{Trail: trail, BucketPlan: BucketPlan{Bucket: bucket}, Region: region, ExpiryDays: 30})
		args, dir := runBlock(t, block)
		sameJSON(t, dir, "policy.json", TrailBucketPolicy("aws", bucket, cliCaller.AccountID, trailARN))
		sameJSON(t, dir, "lifecycle.json", awsops.ExpiryLifecycleDocument(logExpiryPrefix, 30))
		for _, want := range []string{bucket, trail, region, "file://policy.json", "file://lifecycle.json"} {
			if !slices.Contains(args, want) {
				t.Errorf("no aws call was given %q: %q", want, args)
			}
		}
	})
	t.Run("billing", func(t *testing.T) {
		const reportBucket = "awssecure-billing-111122223333-ab12"
		block := billingCLI(cliCaller, BillingRequest{Budget: true, Amount: "25.50", Email: email, Report: true,
			BucketPlan: BucketPlan{Bucket: reportBucket}, Region: region})
		args, dir := runBlock(t, block)
		sameJSON(t, dir, "alerts.json", awsops.BudgetAlertsDocument(BudgetAlerts, email))
		sameJSON(t, dir, "policy.json", ReportBucketPolicy("aws", reportBucket, cliCaller.AccountID))
		export := awsops.NewExport{Name: ExportName, Bucket: reportBucket, Prefix: ReportPrefix, Region: region, Owner: cliCaller.AccountID}
		sameJSON(t, dir, "export.json", export.Document())
		want := "BudgetName=" + BudgetName + ",BudgetType=COST,TimeUnit=MONTHLY,BudgetLimit={Amount=25.50,Unit=USD}"
		if !slices.Contains(args, want) || !slices.Contains(args, reportBucket) {
			t.Errorf("the budget or the bucket is not passed as made: %q", args)
		}
	})
	t.Run("root alert", func(t *testing.T) {
		block := rootAlertCLI(cliCaller, AlertRequest{Region: "us-east-1", Email: email})
		args, dir := runBlock(t, block)
		sameJSON(t, dir, "topic-policy.json", AlertTopicPolicy(cliCaller, "us-east-1"))
		sameJSON(t, dir, "trust.json", AlertRoleTrust(cliCaller))
		sameJSON(t, dir, "put-events.json", AlertRolePolicyDocument(cliCaller, "us-east-1"))
		sameJSON(t, dir, "root.json", RootActivityPattern)
		sameJSON(t, dir, "target-home.json", awsops.TargetsDocument(alertTarget(cliCaller, "us-east-1", "us-east-1")))
		sameJSON(t, dir, "target-other.json", awsops.TargetsDocument(alertTarget(cliCaller, "us-east-1", "eu-west-2")))
		if !slices.Contains(args, email) || !slices.Contains(args, "file://target-other.json") {
			t.Errorf("the address or the targets are not passed: %q", args)
		}
		// The home region's target turns the event into the e-mail's
		// sentence, with EventBridge's $.paths kept as they are.
		home, _ := os.ReadFile(filepath.Join(dir, "target-home.json"))
		if !strings.Contains(string(home), `"$.detail.eventName"`) {
			t.Errorf("target-home.json lost its input paths:\n%s", home)
		}
	})
	t.Run("test alert", func(t *testing.T) {
		_, dir := runBlock(t, AlertTestCLI(cliCaller, "us-east-1"))
		got, err := os.ReadFile(filepath.Join(dir, "test-alert.txt"))
		if err != nil || string(got) != AlertTestMessage(cliCaller, "us-east-1")+"\n" {
			t.Errorf("test-alert.txt holds %q (%v)", got, err)
		}
	})
}

var shellAssignment = regexp.MustCompile(`^[A-Z][A-Z0-9]*=`)

// Each line of a document, and of the variables it names, fits a teaching panel at 80 columns, so
// nothing in it is cut or wrapped where it is copied from.
func TestDocumentLinesFitAPanel(t *testing.T) {
	blocks := map[string]string{
		"cloudtrail": cloudTrailCLI(cliCaller, TrailRequest{Trail: DefaultTrailName, BucketPlan: BucketPlan{Bucket: "aws-cloudtrail-logs-111122223333-ab12cd34"}, Region: "ap-southeast-2", ExpiryDays: 365}),
		"billing": billingCLI(cliCaller, BillingRequest{Budget: true, Amount: "10", Email: "ops@example.com", Report: true,
			BucketPlan: BucketPlan{Bucket: "awssecure-billing-111122223333-ab12"}, Region: "ap-southeast-2"}),
		"root alert": rootAlertCLI(cliCaller, AlertRequest{Region: "ap-southeast-2", Email: "ops@example.com"}),
	}
	for name, block := range blocks {
		inDoc := false
		for _, line := range strings.Split(block, "\n") {
			switch {
			case strings.HasPrefix(line, "cat > "):
				inDoc = true
			case line == "EOF":
				inDoc = false
			case inDoc && len(line) > maxDocLine:
				t.Errorf("%s: a document's line of %d characters: %s", name, len(line), line)
			case shellAssignment.MatchString(line) && len(line) > maxDocLine:
				t.Errorf("%s: a line of variables of %d characters: %s", name, len(line), line)
			}
		}
	}
}

// FuzzCommandsQuoteEveryValue puts a value typed by a user, or named in
// the account, in every place a command shows one: run by sh, each call
// gets it as one argument, exactly, and nothing else runs (a command
// substitution would create the marker file).
func FuzzCommandsQuoteEveryValue(f *testing.F) {
	for _, s := range []string{
		"ops; touch marker", "$(touch marker)", "a$(id)@b.co", "`touch marker`", "!!", "it's", `'\''`,
		"a\nb; touch marker", "$HOME", "*", "~", "x=y", "-n", "EOF", "a\nEOF\ntouch marker", "\\", `"`, "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.ContainsRune(v, 0) {
			t.Skip("a NUL cannot be in a command line, nor in any AWS name")
		}
		contact := awsops.Contact{Type: awsops.ContactSecurity, Name: v, Title: v, Email: v, Phone: v}
		email := strings.TrimSpace(v) // an address is taken without the spaces around it
		for _, tc := range []struct {
			what  string
			block string
			want  []string // arguments some call must get, exactly
		}{
			{"the admin user", UserCLI(cliCaller, UserRequest{Name: v, Group: v, Console: true, Programmatic: true, DropChangePassword: true}), []string{v}},
			{"new credentials", RenewCLI(v), []string{v}},
			{"a person", PersonCLI(PersonRequest{Name: v, Group: v}, PersonResult{}), []string{v}},
			{"MFA", MFACLI(cliCaller, v), []string{v, MFADeviceName(v)}},
			{"the group", AdminGroup.CLI(cliCaller, v), []string{v}},
			{"the alias", Alias.CLI(cliCaller, AliasRequest{Alias: v}), []string{v}},
			{"regions", RegionsCLI([]string{v}), []string{v}},
			{"the contact", GuardsCLI(cliCaller, v, []string{CheckSecurityContact, CheckGuardDuty}, GuardRequest{Contacts: []awsops.Contact{contact}}), []string{v}},
			{"alerts on a budget", billingCLI(cliCaller, BillingRequest{Budget: true, AddTo: v, Email: email}), []string{v, "SubscriptionType=EMAIL,Address=" + email}},
			{"the root alert's address", rootAlertCLI(cliCaller, AlertRequest{Region: "us-east-1", Email: email}), []string{email}},
		} {
			if v == "" && tc.what != "the contact" && tc.what != "regions" || email == "" && strings.Contains(tc.what, "alert") {
				continue // an empty name or address shows a placeholder
			}
			args, dir := runBlock(t, tc.block)
			for _, want := range tc.want {
				if !slices.Contains(args, want) {
					t.Errorf("%s, value %q: no call got %q as an argument:\n%q\n--- the block ---\n%s", tc.what, v, want, args, tc.block)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "marker")); err == nil {
				t.Errorf("%s, value %q: the block ran another command:\n%s", tc.what, v, tc.block)
			}
		}
	})
}
