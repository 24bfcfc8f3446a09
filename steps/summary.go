package steps

// RootOnlyTask is something only the root user can do, in the console.
type RootOnlyTask struct {
	What string
	Why  string
	URL  string
}

// RootOnlyTasks are listed on the summary: AWS offers no API for them.
var RootOnlyTasks = []RootOnlyTask{
	{
		What: "IAM access to Billing",
		Why:  "activate \"IAM user and role access to Billing information\", or your admin user gets Access Denied on every billing page",
		URL:  "https://console.aws.amazon.com/billing/home#/account",
	},
	{
		What: "Root access keys",
		Why:  "delete them once your admin user works: root keys cannot be limited",
		URL:  "https://console.aws.amazon.com/iam/home#/security_credentials",
	},
}

// NextSteps are the summary's closing advice, from the tutorials.
var NextSteps = []string{
	"sign out of root; sign in as your IAM user and set its new password.",
	"Set the new password it asks for at first sign-in, and keep the root password and its MFA device somewhere safe.",
	"Use root only for the few tasks that need it.",
	"Consider turning on CloudTrail and a budget alert (seed tutorial 001).",
}
