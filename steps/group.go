package steps

import (
	"context"
	"slices"
	"strings"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/inert"
)

// AdminGroup is the administrators group step (seed 002): a group with
// the AWS managed policy AdministratorAccess. Its answer is the group's name.
var AdminGroup = FormStep[string]{
	Step: Step{
		ID: "admin-group",
		Info: Info{
			Title: "Create an administrators group",
			Why: "Permissions are easiest to manage on groups, not on each person. " +
				"This group gets AWS's managed policy AdministratorAccess: full access to every service, but unlike root it can be limited, audited and taken away.",
			ConsolePath: "IAM → User groups → Create group → attach AdministratorAccess",
			ConsoleURL:  "https://console.aws.amazon.com/iam/home#/groups",
		},
		// Its facts (AdminGroups, GroupsErr) are read with the admin user
		// step's, from the same bulk call (see readPeople).
		Checks: func(s Snapshot) []Check { return []Check{adminGroupCheck(s)} },
	},
	Done: func(s Snapshot) (string, bool) {
		if adminGroupCheck(s).Status != Pass {
			return "", false
		}
		return "group " + s.AdminGroups[0] + " has AdministratorAccess.", true
	},
	Default: func(Snapshot) string { return DefaultGroupName },
	Doing:   func(name string) string { return "Creating group " + name + " with AdministratorAccess…" },
	Apply: func(ctx context.Context, acct Account, caller awsops.Caller, name string) (Outcome, error) {
		changed, err := acct.EnsureGroupWithPolicy(ctx, name, caller.AdministratorAccessARN())
		if err != nil {
			return Outcome{}, err
		}
		said := "Group " + name + " created with AdministratorAccess."
		if !changed {
			said = "Group " + name + " already had AdministratorAccess; nothing changed."
		}
		return Outcome{Changed: changed, Said: said, Change: func(s *Snapshot) {
			if !slices.Contains(s.AdminGroups, name) {
				s.AdminGroups = append(slices.Clone(s.AdminGroups), name)
			}
			s.GroupsErr = nil
		}}, nil
	},
	CLI: func(caller awsops.Caller, name string) string {
		name = inert.ShellWord(name)
		return "aws iam create-group --group-name " + name + "\n" +
			"aws iam attach-group-policy --group-name " + name + " --policy-arn " + inert.ShellWord(caller.AdministratorAccessARN())
	},
}

// DefaultGroupName is the tutorial's group name.
const DefaultGroupName = "administrators"

// ValidateGroupName applies IAM's group name rules.
var ValidateGroupName = awsops.ValidateGroupName

// AdminGroupName is the group the admin user joins: the first group with
// AdministratorAccess, or the tutorial's name when there is none yet.
func (s Snapshot) AdminGroupName() string {
	if len(s.AdminGroups) > 0 {
		return s.AdminGroups[0]
	}
	return DefaultGroupName
}

// adminGroupCheck cites no CIS control: CIS 1.15 is audited on users'
// policies (userPoliciesCheck), not on a group's.
func adminGroupCheck(s Snapshot) Check {
	const title, cis = "Administrators group", ""
	switch {
	case s.GroupsErr != nil:
		return unknown(CheckAdminGroup, title, cis, s.GroupsErr)
	case len(s.AdminGroups) == 0:
		return Check{CheckAdminGroup, Fail, title, "no group has AdministratorAccess", cis}
	}
	return Check{CheckAdminGroup, Pass, title, "AdministratorAccess on: " + strings.Join(s.AdminGroups, ", "), cis}
}
