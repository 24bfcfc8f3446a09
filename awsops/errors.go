package awsops

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/smithy-go"
)

// Sentinel kinds of failure. Every error an operation returns wraps at most
// one of them next to the SDK's own error, so the UI can turn it into a
// sentence with errors.Is while the cause stays reachable with errors.As.
var (
	ErrAlreadyExists      = errors.New("already exists")
	ErrNotFound           = errors.New("not found")
	ErrAccessDenied       = errors.New("access denied")
	ErrInvalidCredentials = errors.New("credentials are not valid")
	ErrExpiredCredentials = errors.New("credentials have expired")
	ErrNoCredentials      = errors.New("no AWS credentials found")
	ErrThrottled          = errors.New("request was throttled")
	ErrLimitExceeded      = errors.New("account limit reached")
	ErrAliasTaken         = errors.New("account alias is taken")
	ErrPasswordPolicy     = errors.New("password does not satisfy the account's password policy")
	ErrInvalidInput       = errors.New("invalid input")
	ErrNotActivated       = errors.New("account is still being activated")
	ErrNetwork            = errors.New("network unreachable")
	ErrInvalidMFACode     = errors.New("MFA codes were not accepted")
	ErrInUse              = errors.New("still in use")
	ErrUnavailable        = errors.New("AWS had a temporary failure")
	ErrUnknownRegion      = errors.New("no such AWS region")
	ErrUnknownProfile     = errors.New("no such AWS profile")
	ErrTimeout            = errors.New("AWS did not answer in time")
	// ErrBucketTaken is a bucket name another AWS account holds: bucket
	// names are unique across all of AWS, so the fix is another name.
	ErrBucketTaken = errors.New("bucket name is taken by another account")
	// ErrBucketPolicy is CloudTrail refusing a bucket whose policy does
	// not let it write there.
	ErrBucketPolicy = errors.New("bucket policy does not admit CloudTrail")
	// ErrTrailLimit is a region that already holds its five trails.
	ErrTrailLimit        = errors.New("the region holds the most trails it may")
	ErrNotInOrganization = errors.New("account is not in an AWS Organization")
	// ErrReportNotReady is an IAM credential report that is not there to
	// read: never made, expired (four hours after it was made) or still
	// being made.
	ErrReportNotReady = errors.New("the credential report is not ready")
	// ErrWouldReplace is a setting awssecure would add to a bucket that
	// cannot go beside what the bucket has without replacing some of it
	// (a policy statement or lifecycle rule of the same name that says
	// otherwise, a policy it cannot read): awssecure stops instead. The
	// error carrying it is a *WouldReplaceError.
	ErrWouldReplace = errors.New("would replace a setting the bucket has")
	// ErrNotOffered is an answer that is not in the API's wire format at
	// all — an HTML page with 404 or 500, as an emulator or a proxy sends
	// for an API it does not offer — so there is no AWS error to read.
	ErrNotOffered = errors.New("the endpoint does not offer this API")
	// ErrPracticeDamaged is a practice account file awssecure cannot use;
	// the error carrying it is a *PracticeDamagedError.
	ErrPracticeDamaged = errors.New("practice account file is damaged")
)

// UnknownProfileError names the profile asked for (--profile or
// AWS_PROFILE) and the files that were searched for it.
type UnknownProfileError struct {
	Profile string
	Files   []string
}

func (e *UnknownProfileError) Error() string {
	return "profile " + e.Profile + " is in none of " + strings.Join(e.Files, ", ")
}

// WouldReplaceError names the bucket, what it has that awssecure would
// have to replace, and how the user can settle it.
type WouldReplaceError struct {
	Bucket string
	Has    string // what is there, as a clause: "lifecycle rule X deletes objects 90 days after they were written, not 30"
	Fix    string // a sentence: what the user can do
}

func (e *WouldReplaceError) Error() string { return "bucket " + e.Bucket + ": " + e.Has }

// Unwrap makes the error ErrWouldReplace for errors.Is.
func (e *WouldReplaceError) Unwrap() error { return ErrWouldReplace }

// OpError is an AWS call that failed: which action, what kind of failure,
// and the SDK's error underneath.
type OpError struct {
	Action string // IAM-style action name, e.g. "iam:CreateGroup"
	Kind   error  // one of the sentinels above, or nil when unclassified
	Err    error
}

func (e *OpError) Error() string { return e.Action + ": " + e.Err.Error() }

// Unwrap exposes both the kind and the cause to errors.Is and errors.As.
func (e *OpError) Unwrap() []error {
	if e.Kind == nil {
		return []error{e.Err}
	}
	return []error{e.Kind, e.Err}
}

// ActionOf returns the AWS action a failed call was making, or "".
// An access-denied screen uses it to name the missing permission.
func ActionOf(err error) string {
	var op *OpError
	if errors.As(err, &op) {
		return op.Action
	}
	return ""
}

// apiErrorKinds maps AWS error codes (from IAM, STS and the Account API) to kinds.
var apiErrorKinds = map[string]error{
	"EntityAlreadyExists":           ErrAlreadyExists,
	"NoSuchEntity":                  ErrNotFound,
	"ResourceNotFoundException":     ErrNotFound,
	"AccessDenied":                  ErrAccessDenied,
	"AccessDeniedException":         ErrAccessDenied,
	"UnauthorizedOperation":         ErrAccessDenied,
	"InvalidClientTokenId":          ErrInvalidCredentials,
	"SignatureDoesNotMatch":         ErrInvalidCredentials,
	"UnrecognizedClientException":   ErrInvalidCredentials,
	"IncompleteSignature":           ErrInvalidCredentials,
	"InvalidAccessKeyId":            ErrInvalidCredentials,
	"ExpiredToken":                  ErrExpiredCredentials,
	"ExpiredTokenException":         ErrExpiredCredentials,
	"RequestExpired":                ErrExpiredCredentials,
	"Throttling":                    ErrThrottled,
	"ThrottlingException":           ErrThrottled,
	"TooManyRequestsException":      ErrThrottled,
	"RequestLimitExceeded":          ErrThrottled,
	"LimitExceeded":                 ErrLimitExceeded,
	"PasswordPolicyViolation":       ErrPasswordPolicy,
	"InvalidInput":                  ErrInvalidInput,
	"ValidationError":               ErrInvalidInput,
	"ValidationException":           ErrInvalidInput,
	"MalformedPolicyDocument":       ErrInvalidInput,
	"InvalidAuthenticationCode":     ErrInvalidMFACode,
	"DeleteConflict":                ErrInUse,
	"OptInRequired":                 ErrNotActivated,
	"SubscriptionRequiredException": ErrNotActivated,
	"InternalFailure":               ErrUnavailable,
	"InternalError":                 ErrUnavailable,
	"InternalServerException":       ErrUnavailable,
	"ServiceUnavailable":            ErrUnavailable,
	"ServiceUnavailableException":   ErrUnavailable,
	// CloudTrail
	"TrailAlreadyExistsException":            ErrAlreadyExists,
	"TrailNotFoundException":                 ErrNotFound,
	"MaximumNumberOfTrailsExceededException": ErrTrailLimit,
	"InsufficientS3BucketPolicyException":    ErrBucketPolicy,
	"S3BucketDoesNotExistException":          ErrNotFound,
	"InvalidTrailNameException":              ErrInvalidInput,
	"InvalidS3BucketNameException":           ErrInvalidInput,
	"InvalidParameterCombinationException":   ErrInvalidInput,
	"InvalidHomeRegionException":             ErrInvalidInput,
	// S3
	"BucketAlreadyExists":                            ErrBucketTaken,
	"BucketAlreadyOwnedByYou":                        ErrAlreadyExists,
	"NoSuchBucket":                                   ErrNotFound,
	"NotFound":                                       ErrNotFound, // HeadBucket's 404 has no body
	"NoSuchBucketPolicy":                             ErrNotFound,
	"NoSuchLifecycleConfiguration":                   ErrNotFound,
	"NoSuchTagSet":                                   ErrNotFound,
	"NoSuchPublicAccessBlockConfiguration":           ErrNotFound,
	"OwnershipControlsNotFoundError":                 ErrNotFound,
	"ServerSideEncryptionConfigurationNotFoundError": ErrNotFound,
	"InvalidBucketName":                              ErrInvalidInput,
	"MalformedPolicy":                                ErrInvalidInput,
	"InvalidArgument":                                ErrInvalidInput,
	"InvalidTag":                                     ErrInvalidInput,
	"MalformedXML":                                   ErrInvalidInput,
	"OperationAborted":                               ErrUnavailable, // a conflicting change of the bucket under way: retry
	"IllegalLocationConstraintException":             ErrInvalidInput,
	"TooManyBuckets":                                 ErrLimitExceeded,
	"SlowDown":                                       ErrThrottled,
	"Forbidden":                                      ErrAccessDenied, // HeadBucket's 403 has no body
	// Organizations, and IAM's view of them.
	"AWSOrganizationsNotInUseException": ErrNotInOrganization,
	"OrganizationNotFoundException":     ErrNotInOrganization,
	"OrganizationNotFound":              ErrNotInOrganization,
	// The IAM credential report: not made yet, older than four hours, or
	// being made. Each means: generate it, then wait.
	"ReportNotPresent": ErrReportNotReady,
	"ReportExpired":    ErrReportNotReady,
	"ReportInProgress": ErrReportNotReady,
	// Budgets, Data Exports, legacy CUR
	"DuplicateRecordException":       ErrAlreadyExists,
	"NotFoundException":              ErrNotFound,
	"InvalidParameterException":      ErrInvalidInput,
	"CreationLimitExceededException": ErrLimitExceeded,
	"ServiceQuotaExceededException":  ErrLimitExceeded,
	"InternalErrorException":         ErrUnavailable,
	"DuplicateReportNameException":   ErrAlreadyExists,
	"ReportLimitReachedException":    ErrLimitExceeded,
	// The guardrails' services: S3 Control, EC2, Access Analyzer, GuardDuty.
	"AuthFailure":                  ErrInvalidCredentials,
	"BadRequestException":          ErrInvalidInput,
	"InternalServerErrorException": ErrUnavailable,
	// The root activity alert's: SNS and EventBridge.
	"InvalidParameter":                ErrInvalidInput,
	"InvalidParameterValue":           ErrInvalidInput,
	"AuthorizationError":              ErrAccessDenied,
	"Throttled":                       ErrThrottled,
	"TopicLimitExceeded":              ErrLimitExceeded,
	"SubscriptionLimitExceeded":       ErrLimitExceeded,
	"LimitExceededException":          ErrLimitExceeded,
	"InternalException":               ErrUnavailable,
	"ConcurrentModificationException": ErrUnavailable,
	"InvalidEventPatternException":    ErrInvalidInput,
}

// operation is one AWS call as awssecure makes it: the IAM-style action
// and what was being done, in words ("create group administrators"). Each
// is named once, next to the client's method, and both backends make their
// errors from it, so a failure reads the same from AWS and from the
// practice account.
type operation struct {
	action string // e.g. "iam:CreateGroup"
	doing  string // e.g. "create group administrators"
	// kinds re-sorts, for this call only, what an error code means in
	// general; nil keeps apiErrorKinds' answer.
	kinds map[error]error
	// codes sorts, for this call only, error codes whose meaning depends
	// on the call (ConflictException: a name in use, or a region still
	// being disabled); they win over apiErrorKinds.
	codes map[string]error
}

// name is the operation's name without its service, e.g. "CreateGroup",
// as the call log spells it.
func (o operation) name() string {
	_, name, _ := strings.Cut(o.action, ":")
	return name
}

// failed says what was being done when the call failed with err, the
// SDK's error or the practice account's copy of AWS's answer, and sorts it
// into a kind. It returns nil for nil.
func (o operation) failed(err error) error {
	if err == nil {
		return nil
	}
	opErr := &OpError{Action: o.action, Kind: kindOf(err), Err: err}
	if kind, ok := o.kinds[opErr.Kind]; ok {
		opErr.Kind = kind
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		if kind, ok := o.codes[apiErr.ErrorCode()]; ok {
			opErr.Kind = kind
		}
	}
	return fmt.Errorf("%s: %w", o.doing, opErr)
}

// wouldReplace is a write awssecure did not send, because it would
// replace what the bucket has (see ErrWouldReplace).
func (o operation) wouldReplace(e *WouldReplaceError) error {
	return fmt.Errorf("%s: %w", o.doing, &OpError{Action: o.action, Kind: ErrWouldReplace, Err: e})
}

// refused is a request refused before it was sent, because AWS would
// refuse it too. (moto accepts some of these; AWS answers ValidationError.)
func (o operation) refused(err error) error {
	return fmt.Errorf("%s: %w", o.doing, &OpError{Action: o.action, Kind: ErrInvalidInput, Err: err})
}

func kindOf(err error) error {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErrorKinds[apiErr.ErrorCode()]
	}
	// The practice account checks MFA codes itself, as AWS does; its
	// verdict means what AWS's InvalidAuthenticationCode means.
	var codeErr *MFACodeError
	if errors.As(err, &codeErr) {
		return ErrInvalidMFACode
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ErrTimeout
	}
	// The SDK reads an error answer as the API's format (JSON or XML);
	// when the answer is neither, it was not sent by the API.
	if errors.As(err, new(*smithy.DeserializationError)) {
		return ErrNotOffered
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		if netErr.Timeout() {
			return ErrTimeout
		}
		return ErrNetwork
	}
	return nil
}
