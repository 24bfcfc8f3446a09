package steps

import (
	"context"
	"errors"
	"strings"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

func isNotFound(err error) bool { return errors.Is(err, awsops.ErrNotFound) }

// Explanation is an error told to a person: what happened, and what to do.
type Explanation struct {
	What string
	Fix  string
}

// Explain turns an error from any step into plain words and a fix. It
// never includes secrets: the errors it reads never hold any. The words
// AWS sent are made printable: they reach the terminal as they are.
func Explain(err error) Explanation {
	action := awsops.ActionOf(err)
	switch {
	case errors.Is(err, awsops.ErrPracticeDamaged):
		what := "The practice account file is damaged."
		var damaged *awsops.PracticeDamagedError
		if errors.As(err, &damaged) {
			what = "The practice account file " + inert.PrintableLine(damaged.Path) + " is damaged (" + inert.PrintableLine(damaged.Problem) + ")."
		}
		return Explanation{what, "Start over with: " + awsops.PracticeResetCommand}
	case errors.Is(err, awsops.ErrNoCredentials):
		return Explanation{"No AWS credentials were found on this computer.",
			"Create a temporary access key for the root user (console: your account name → Security credentials → Access keys), run `aws configure`, and delete the key when done — or run awssecure in AWS CloudShell, which is already signed in. To just look around, run `awssecure --practice`."}
	case errors.Is(err, awsops.ErrUnknownRegion):
		var op *awsops.OpError
		errors.As(err, &op)
		return Explanation{"AWS has no region by that name: " + inert.PrintableLine(op.Err.Error()) + ".",
			"Regions look like us-east-1 or eu-west-2. IAM is global, so you can leave --region (and AWS_REGION) out; the list is at https://docs.aws.amazon.com/general/latest/gr/rande.html."}
	case errors.Is(err, awsops.ErrExpiredCredentials):
		return Explanation{"Your AWS credentials have expired.",
			"Get fresh ones (for SSO: `aws sso login`; for temporary keys: create new ones) and run awssecure again."}
	case errors.As(err, new(*KeyRefusedError)):
		var refused *KeyRefusedError
		errors.As(err, &refused)
		return Explanation{"AWS refuses " + refused.User + "'s new access key: this key was deleted or deactivated after it was made, or IAM has still not made it known.",
			"Make new credentials for " + refused.User + " (k on the admin user step) and run awssecure again, or delete the root keys in the console once " + refused.User + " can sign in."}
	case errors.Is(err, awsops.ErrInvalidCredentials):
		return Explanation{"AWS did not accept your credentials: the access key or its secret is wrong, or the key was deleted or deactivated.",
			"Check the key with `aws sts get-caller-identity`; if it fails too, create a new access key and run `aws configure` again."}
	case errors.Is(err, awsops.ErrAccessDenied) && isBillingAction(action):
		return Explanation{"AWS denied the action " + action + ": an IAM user reaches billing only once root has turned on IAM access to billing.",
			"Ask whoever holds root to sign in and turn it on (" + BillingAccessURL + " → IAM user and role access to Billing information → Edit → Activate IAM Access), then retry — or run awssecure as root, or skip this part."}
	case errors.Is(err, awsops.ErrAccessDenied) && action == "s3:CreateBucket":
		return Explanation{"AWS denied the action s3:CreateBucket, or s3:TagResource, which making a bucket with tags needs too: awssecure makes its buckets with its tag (" + BucketMarkKey + ") in the same call, and makes none without it.",
			"Run awssecure as the root user or as a user with AdministratorAccess, or skip this step."}
	case errors.Is(err, awsops.ErrAccessDenied):
		return Explanation{"AWS denied the action " + orSomething(action) + ".",
			"Run awssecure as the root user or as a user with AdministratorAccess, or skip this step."}
	case errors.Is(err, awsops.ErrNotInOrganization):
		return Explanation{"This account is not in an AWS Organization, so there are no other accounts to check.",
			"Run `awssecure status` without --org, or run it with the organization's management account's credentials."}
	case errors.Is(err, awsops.ErrNotActivated):
		return Explanation{"AWS is still activating this new account.",
			"Activation can take up to 24 hours after sign-up. Wait for the confirmation email, then try again."}
	case errors.Is(err, awsops.ErrThrottled):
		return Explanation{"AWS is asking us to slow down (throttling).", "Wait a few seconds and retry."}
	case errors.Is(err, awsops.ErrUnavailable):
		return Explanation{"AWS had a temporary failure and did not finish " + orSomething(action) + ".",
			"Retry in a minute; nothing was half done. If it keeps failing, check https://health.aws.amazon.com/health/status."}
	case errors.Is(err, awsops.ErrUnknownProfile):
		return explainUnknownProfile(err)
	case errors.Is(err, awsops.ErrNotOffered):
		return Explanation{"The endpoint awssecure talks to does not offer " + apiName(action) + ": it answered " + orSomething(action) + " with a page that is not an AWS answer.",
			"If AWS_ENDPOINT_URL points at an emulator, it lacks this API; against AWS itself, a proxy may be answering instead. With --debug FILE, awssecure logs the answer's HTTP status."}
	case errors.Is(err, awsops.ErrTimeout):
		return Explanation{"AWS did not answer in time during " + orSomething(action) + ".",
			"The network (or a proxy or VPN) may be holding the connection open. Check it, then retry."}
	case errors.Is(err, context.Canceled):
		return Explanation{"Stopped before " + orSomething(action) + " finished, because awssecure was interrupted.",
			"Nothing is half done: run awssecure again to continue."}
	case errors.Is(err, awsops.ErrNetwork):
		return Explanation{"AWS could not be reached over the network.", "Check your internet connection (and any proxy or VPN), then retry."}
	case errors.Is(err, awsops.ErrAliasTaken):
		return Explanation{"That account alias is already used by another AWS account.", "Aliases are unique across all of AWS: choose another one."}
	case errors.Is(err, awsops.ErrReportNotReady):
		return Explanation{"IAM has not finished making the credential report (it makes one at most every four hours, in seconds to minutes).",
			"Run awssecure status again in a minute."}
	case errors.Is(err, awsops.ErrTrailLimit):
		return Explanation{"This region already holds five trails, the most CloudTrail allows.",
			"Delete a trail you no longer use (console: https://console.aws.amazon.com/cloudtrail/home#/trails), or make one of them log every region with validation; then retry."}
	case errors.Is(err, awsops.ErrBucketPolicy):
		return Explanation{"CloudTrail refused the bucket: its policy does not let CloudTrail write there.",
			"Retry: awssecure sets the bucket's policy again first. If it keeps failing, check the policy in the S3 console (bucket → Permissions)."}
	case errors.Is(err, awsops.ErrWouldReplace):
		var e *awsops.WouldReplaceError
		if !errors.As(err, &e) {
			return Explanation{"awssecure stopped rather than replace a setting a bucket has.", "Look at the bucket in the S3 console, then retry."}
		}
		return Explanation{"awssecure stopped rather than replace what bucket " + inert.PrintableLine(e.Bucket) + " has: " + inert.Printable(e.Has) + ". Nothing of it was changed.",
			inert.Printable(e.Fix)}
	case errors.Is(err, awsops.ErrBucketTaken):
		return Explanation{"That bucket name is already used by another AWS account.", "Bucket names are unique across all of AWS: retry, and awssecure picks another."}
	case errors.Is(err, errNotLogging):
		return Explanation{"The trail was made, but CloudTrail does not report it logging yet.",
			"Retry in a minute: awssecure starts it again. Check the trail in the console: https://console.aws.amazon.com/cloudtrail/home#/trails"}
	case errors.Is(err, awsops.ErrLimitExceeded):
		return Explanation{"An AWS limit was reached during " + orSomething(action) + ".", "Remove an unused item (for example an old access key) and retry."}
	case errors.Is(err, awsops.ErrPasswordPolicy):
		return Explanation{"The password does not satisfy the account's password policy.", "Retry: awssecure generates a new password."}
	case errors.Is(err, awsops.ErrInvalidMFACode):
		return Explanation{"AWS did not accept the MFA codes.", "Wait for a new code in your app and enter two consecutive codes again."}
	case errors.Is(err, awsops.ErrAlreadyExists):
		return Explanation{"AWS says what " + orSomething(action) + " makes already exists.",
			"Retry: awssecure reads the account again and builds on what is there."}
	case errors.Is(err, awsops.ErrNotFound):
		return Explanation{"AWS could not find what " + orSomething(action) + " needed; it may have been deleted meanwhile.",
			"Retry: awssecure reads the account again first."}
	case errors.Is(err, awsops.ErrInUse):
		return Explanation{"AWS will not remove something still in use during " + orSomething(action) + ".", "Retry, or skip this step."}
	case errors.Is(err, awsops.ErrInvalidInput):
		var op *awsops.OpError
		if errors.As(err, &op) {
			return Explanation{"AWS rejected a value: " + inert.PrintableLine(op.Err.Error()) + ".", "Correct the value and retry."}
		}
		return Explanation{"AWS rejected a value.", "Correct the value and retry."}
	}
	return Explanation{"Something went wrong: " + inert.PrintableLine(err.Error()), "Retry, or skip this step and come back to it later."}
}

// isBillingAction is an action that needs IAM access to billing when an
// IAM user makes it.
func isBillingAction(action string) bool {
	for _, service := range []string{"budgets:", "bcm-data-exports:", "cur:"} {
		if strings.HasPrefix(action, service) {
			return true
		}
	}
	return false
}

// apiName is the API an action belongs to, as its documentation names it.
func apiName(action string) string {
	service, _, _ := strings.Cut(action, ":")
	switch service {
	case "":
		return "this API"
	case "account":
		return "the Account API"
	case "bcm-data-exports":
		return "the Data Exports API (billing reports)"
	case "access-analyzer":
		return "the IAM Access Analyzer API"
	case "budgets":
		return "the Budgets API"
	case "events":
		return "the EventBridge API"
	}
	return "the " + strings.ToUpper(service[:1]) + service[1:] + " API"
}

func orSomething(action string) string {
	if action == "" {
		return "it needed"
	}
	return action
}

// explainUnknownProfile names the profiles that do exist, so a typo is
// one glance away from its fix.
func explainUnknownProfile(err error) Explanation {
	var e *awsops.UnknownProfileError
	if !errors.As(err, &e) {
		return Explanation{"That AWS profile does not exist.", "Check --profile and AWS_PROFILE."}
	}
	what := "There is no AWS profile named " + e.Profile + " (from --profile or AWS_PROFILE)."
	fix := "Create it with: aws configure --profile " + e.Profile
	if names := ProfileNames(e.Files); len(names) > 0 {
		fix = "Profiles that exist: " + strings.Join(names, ", ") + ". Use one of them (--profile NAME), or create this one with: aws configure --profile " + e.Profile
	}
	return Explanation{what, fix}
}
