package steps

import (
	"context"

	"github.com/awssecure/awssecure/awsops"
)

// GroupInfo describes the administrators group step.
var GroupInfo = Info{
	Title: "Create an administrators group",
	Why: "Permissions are easiest to manage on groups, not on each person. " +
		"This group gets AWS's managed policy AdministratorAccess: full access to every service, but unlike root it can be limited, audited and taken away.",
	ConsolePath: "IAM → User groups → Create group → attach AdministratorAccess",
	ConsoleURL:  "https://console.aws.amazon.com/iam/home#/groups",
}

// DefaultGroupName is the tutorial's group name.
const DefaultGroupName = "administrators"

// ValidateGroupName applies IAM's group name rules.
var ValidateGroupName = awsops.ValidateGroupName

// ApplyAdminGroup makes sure the group exists with AdministratorAccess
// (in the caller's partition), creating only what is missing.
func ApplyAdminGroup(ctx context.Context, acct Account, caller awsops.Caller, name string) (changed bool, err error) {
	return acct.EnsureGroupWithPolicy(ctx, name, caller.AdministratorAccessARN())
}

// GroupCLI is the aws CLI equivalent.
func GroupCLI(caller awsops.Caller, name string) string {
	return "aws iam create-group --group-name " + name + "\n" +
		"aws iam attach-group-policy --group-name " + name + " --policy-arn " + caller.AdministratorAccessARN()
}
