package awsops

import (
	"fmt"

	"github.com/aws/smithy-go"
)

// The practice account fails as AWS does: each failure it imitates is the
// error code and message AWS sends, shaped as the SDK's error, so that
// nothing above awsops can tell the practice account from AWS by its
// errors. Each answer is written here once; operation.failed adds what
// was being done, as it does to the client's errors.

// awsReply is an answer from AWS as the SDK returns it.
func awsReply(code, format string, args ...any) error {
	return &smithy.GenericAPIError{Code: code, Message: fmt.Sprintf(format, args...), Fault: smithy.FaultClient}
}

func replyNoPasswordPolicy() error {
	return awsReply("NoSuchEntity", "The Password Policy with domain name %s cannot be found.", PracticeAccountID)
}

func replyPasswordPolicyViolation(why error) error {
	return awsReply("PasswordPolicyViolation", "%v", why)
}

func replyGroupExists(name string) error {
	return awsReply("EntityAlreadyExists", "Group with name %s already exists.", name)
}

func replyNoSuchGroup(name string) error {
	return awsReply("NoSuchEntity", "The group with name %s cannot be found.", name)
}

func replyUserExists(name string) error {
	return awsReply("EntityAlreadyExists", "User with name %s already exists.", name)
}

func replyNoSuchUser(name string) error {
	return awsReply("NoSuchEntity", "The user with name %s cannot be found.", name)
}

func replyNoSuchPolicy(policyARN string) error {
	return awsReply("NoSuchEntity", "Policy %s does not exist or is not attachable.", policyARN)
}

func replyLoginProfileExists(user string) error {
	return awsReply("EntityAlreadyExists", "Login Profile for user %s already exists.", user)
}

func replyNoLoginProfile(user string) error {
	return awsReply("NoSuchEntity", "Login Profile for User %s cannot be found.", user)
}

func replyAccessKeyQuota() error {
	return awsReply("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
}

func replyNoSuchAccessKey(keyID string) error {
	return awsReply("NoSuchEntity", "The Access Key with id %s cannot be found.", keyID)
}

func replyMFADeviceExists() error {
	return awsReply("EntityAlreadyExists", "MFADevice entity at the same path and name already exists.")
}

func replyNoSuchMFADevice(serial string) error {
	return awsReply("NoSuchEntity", "VirtualMFADevice with serial number %s doesn't exist.", serial)
}

func replyMFADeviceInUse() error {
	return awsReply("EntityAlreadyExists", "MFA device is already in use.")
}

func replyMFADeviceAssigned(user string) error {
	return awsReply("DeleteConflict", "MFA device is still assigned to %s.", user)
}

func replyAliasExists(alias string) error {
	return awsReply("EntityAlreadyExists", "The account alias %s already exists.", alias)
}

func replyNoSuchRegion(name string) error {
	return awsReply("ValidationException", "invalid region name %s", name)
}

func replyRegionEnabledByDefault(name string) error {
	return awsReply("ValidationException", "%s is enabled by default and cannot be opted in", name)
}

func replyNonUserCredentials() error {
	return awsReply("ValidationError", "Must specify userName when calling with non-User credentials")
}

func replyInvalidToken() error {
	return awsReply("InvalidClientTokenId", "The security token included in the request is invalid.")
}

func replyBucketTaken() error {
	return awsReply("BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
}

func replyBucketOwnedByYou() error {
	return awsReply("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.")
}

func replyNoSuchBucket(name string) error {
	return awsReply("NoSuchBucket", "The specified bucket does not exist: %s", name)
}

func replyBucketAccessDenied() error { return awsReply("AccessDenied", "Access Denied") }

func replyInvalidTag(message string) error { return awsReply("InvalidTag", "%s", message) }

func replyMalformedPolicy() error {
	return awsReply("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'")
}

func replyTrailExists(name string) error {
	return awsReply("TrailAlreadyExistsException", "Trail %s already exists for customer: %s", name, PracticeAccountID)
}

func replyTrailLimit() error {
	return awsReply("MaximumNumberOfTrailsExceededException", "User: %s already has 5 trails in this region.", PracticeAccountID)
}

func replyNoSuchTrail(trail string) error {
	return awsReply("TrailNotFoundException", "Unknown trail: %s for the user: %s", trail, PracticeAccountID)
}

func replyTrailNotHome(trail string) error {
	return awsReply("InvalidHomeRegionException", "This operation must be called from the trail's home region: %s", trail)
}

func replyTrailBucketMissing(bucket string) error {
	return awsReply("S3BucketDoesNotExistException", "S3 bucket %s does not exist.", bucket)
}

func replyInsufficientBucketPolicy(bucket string) error {
	return awsReply("InsufficientS3BucketPolicyException", "Incorrect S3 bucket policy is detected for bucket: %s", bucket)
}

func replyNotInOrganization() error {
	return awsReply("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
}

func replyBudgetsAccessDenied(account string) error {
	return awsReply("AccessDeniedException", "User is not authorized to access budgets of account %s", account)
}

func replyNoSuchBudget(name string) error {
	return awsReply("NotFoundException", "Unable to get budget: %s - the budget doesn't exist.", name)
}

func replyBudgetExists(name string) error {
	return awsReply("DuplicateRecordException", "Error creating budget: %s - the budget already exists.", name)
}

func replyAlertExists(budget string) error {
	return awsReply("DuplicateRecordException", "Error creating notification: the notification already exists for budget %s.", budget)
}

func replyNoSuchExport(arn string) error {
	return awsReply("ResourceNotFoundException", "Export %s not found.", arn)
}

func replyExportExists(name string) error {
	return awsReply("ValidationException", "An export with the name %s already exists.", name)
}

func replyExportBucketRefused(bucket string) error {
	return awsReply("ValidationException", "The S3 bucket %s does not exist or its policy does not allow Data Exports to write to it.", bucket)
}

func replyNoAlternateContact() error {
	return awsReply("ResourceNotFoundException", "No contact of the inputted alternate contact type found.")
}

func replyUnknownContactType(kind string) error {
	return awsReply("ValidationException", "1 validation error detected: Value '%s' at 'alternateContactType' failed to satisfy constraint", kind)
}

func replyNoPublicAccessBlock() error {
	return awsReply("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
}

func replyAccessDenied() error {
	return awsReply("AccessDenied", "Access Denied")
}

func replyOptInRequired() error {
	return awsReply("OptInRequired", "You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.")
}

func replyAnalyzerExists(name string) error {
	return awsReply("ConflictException", "An analyzer with the name %s already exists.", name)
}

func replyDetectorExists() error {
	return awsReply("BadRequestException", "The request is rejected because a detector already exists for the current account.")
}

func replyNoSuchDetector() error {
	return awsReply("BadRequestException", "The request is rejected because the input detectorId is not owned by the current account.")
}
