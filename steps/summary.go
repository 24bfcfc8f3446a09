package steps

// RootOnlyTask is something only the root user can do, in the console.
type RootOnlyTask struct {
	What string
	Why  string
	URL  string // "" when the line says enough
	// Done says whether s shows it done; nil when no API can tell.
	Done func(s Snapshot) bool
}

// RootOnlyTasksLeft are the tasks s does not show done.
func RootOnlyTasksLeft(s Snapshot) []RootOnlyTask {
	var left []RootOnlyTask
	for _, t := range RootOnlyTasks {
		if t.Done == nil || !t.Done(s) {
			left = append(left, t)
		}
	}
	return left
}

// RootOnlyTasks are listed on the summary: AWS offers no API for them.
var RootOnlyTasks = []RootOnlyTask{
	{
		What: "IAM access to Billing",
		Why:  "else your admin user gets Access Denied on billing pages",
		URL:  BillingAccessURL,
		// No API tells: done once the user says so (the billing step).
		Done: func(s Snapshot) bool { return s.BillingAccessOn },
	},
	{
		What: "Root access keys",
		Why:  "they cannot be limited: delete them once your admin user works",
		URL:  "https://console.aws.amazon.com/iam/home#/security_credentials",
		Done: func(s Snapshot) bool { return s.SummaryErr == nil && !s.Summary.RootAccessKeysPresent },
	},
	{
		// Never done (seed 001): why root's password and MFA are kept
		// safe, not thrown away.
		What: "Support plan, account settings, closing it, tax invoices, restoring IAM access, S3 MFA delete",
		Why:  "never share root's credentials; keep them safe",
	},
}

// NextStep is the summary's closing advice, from the tutorials.
const NextStep = "sign out of root, sign in as your admin user, lock root's password away."

// PreflightInfo is the wizard's first screen: what is already done.
var PreflightInfo = Info{
	Title: "Preflight: what is already done",
	Why: "awssecure first reads your account — nothing is changed — to find out who you are signed in as and which steps are already done. " +
		"Steps already done are offered as done, so nothing is redone blindly.",
	ConsolePath: "IAM → Dashboard (security recommendations)",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/home",
}

// ReadCLI is what preflight and the summary read, as aws CLI commands.
const ReadCLI = "aws sts get-caller-identity\n" +
	"aws iam get-account-summary\n" +
	"aws iam get-account-password-policy\n" +
	"aws iam list-groups\n" +
	"aws iam list-attached-group-policies --group-name administrators\n" +
	"aws iam list-users\n" +
	"aws iam list-virtual-mfa-devices --assignment-status Assigned\n" +
	"aws iam list-account-aliases\n" +
	"aws account list-regions"

// SummaryInfo is the wizard's last screen.
var SummaryInfo = Info{
	Title:       "Summary",
	Why:         "Here is where your account stands now, read fresh from AWS.",
	ConsolePath: "IAM → Dashboard",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/home",
}

// CredentialsInfo is the one-time credentials screen of the admin user step.
var CredentialsInfo = Info{
	Title:       "Save your new user's credentials — now",
	Why:         "AWS shows a password and a secret access key only once. Save them in a password manager (or the files below); if they are lost you must make new ones.",
	ConsolePath: "IAM → Users → your user → Security credentials (a secret is shown only when made)",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/users",
}
