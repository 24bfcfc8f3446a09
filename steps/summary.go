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
		What: "Activate IAM user and role access to Billing information",
		Why:  "without it your admin user gets Access Denied on every billing page",
		URL:  "https://console.aws.amazon.com/billing/home#/account",
	},
	{
		What: "Set alternate contacts (billing, operations, security)",
		Why:  "so AWS can reach someone other than the root email about incidents",
		URL:  "https://console.aws.amazon.com/billing/home#/account",
	},
}

// NextSteps are the summary's closing advice, from the tutorials.
var NextSteps = []string{
	"Sign out of the root user and sign in as your new IAM user at the address above.",
	"Set the new password it asks for at first sign-in, and keep the root password and its MFA device somewhere safe.",
	"Use root only for the few tasks that need it.",
	"Consider turning on CloudTrail and a budget alert (seed tutorial 001).",
}
