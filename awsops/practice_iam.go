package awsops

import (
	"context"
	"maps"
	"slices"
)

// AccountSummary reports the simulated root MFA and root keys.
func (p *Practice) AccountSummary(ctx context.Context) (AccountSummary, error) {
	return practiceRead(ctx, p, opGetAccountSummary, func(st *practiceState) (AccountSummary, error) {
		on := st.RootMFAOnAt != nil && !p.opts.Now().Before(*st.RootMFAOnAt)
		inUse := 0
		for _, dev := range st.MFADevices {
			if dev.User != "" {
				inUse++
			}
		}
		// The learner signs in to the console as root: the practice root
		// user always has a password.
		return AccountSummary{RootMFAEnabled: on, RootAccessKeysPresent: len(st.RootKeys) > 0, RootPasswordKnown: true, RootPasswordPresent: true,
			MFADevicesInUse: inUse}, nil
	})
}

// PasswordPolicy returns the policy, or ErrNotFound as IAM does.
func (p *Practice) PasswordPolicy(ctx context.Context) (PasswordPolicy, error) {
	return practiceRead(ctx, p, opGetAccountPasswordPolicy, func(st *practiceState) (PasswordPolicy, error) {
		if st.Policy == nil {
			return PasswordPolicy{}, replyNoPasswordPolicy()
		}
		return *st.Policy, nil
	})
}

// SetPasswordPolicy creates or replaces the policy.
func (p *Practice) SetPasswordPolicy(ctx context.Context, policy PasswordPolicy) error {
	if err := ValidatePasswordPolicy(policy); err != nil {
		return opUpdateAccountPasswordPolicy.refused(err)
	}
	return p.write(ctx, opUpdateAccountPasswordPolicy, func(st *practiceState) (bool, error) {
		st.Policy = &policy
		return true, nil
	})
}

// CreateGroup creates an empty group.
func (p *Practice) CreateGroup(ctx context.Context, name string) error {
	if err := ValidateGroupName(name); err != nil {
		return opCreateGroup(name).refused(err)
	}
	return p.write(ctx, opCreateGroup(name), func(st *practiceState) (bool, error) {
		if st.Groups[name] != nil {
			return false, replyGroupExists(name)
		}
		st.Groups[name] = &practiceGroup{}
		return true, nil
	})
}

// Groups lists the group names, sorted as IAM lists them.
func (p *Practice) Groups(ctx context.Context) ([]string, error) {
	return practiceRead(ctx, p, opListGroups, func(st *practiceState) ([]string, error) {
		return slices.Sorted(maps.Keys(st.Groups)), nil
	})
}

// GroupPolicies lists a group's attached policy ARNs.
func (p *Practice) GroupPolicies(ctx context.Context, group string) ([]string, error) {
	return practiceRead(ctx, p, opListAttachedGroupPolicies(group), func(st *practiceState) ([]string, error) {
		g, err := st.group(group)
		if err != nil {
			return nil, err
		}
		return slices.Clone(g.Policies), nil
	})
}

// practiceManagedPolicies are the AWS managed policies the practice account knows.
var practiceManagedPolicies = []string{
	"arn:aws:iam::aws:policy/AdministratorAccess",
	"arn:aws:iam::aws:policy/IAMUserChangePassword",
	"arn:aws:iam::aws:policy/ReadOnlyAccess",
}

// AttachGroupPolicy attaches a known managed policy.
func (p *Practice) AttachGroupPolicy(ctx context.Context, group, policyARN string) error {
	return p.write(ctx, opAttachGroupPolicy(group, policyARN), func(st *practiceState) (bool, error) {
		g, err := st.group(group)
		switch {
		case err != nil:
			return false, err
		case !slices.Contains(practiceManagedPolicies, policyARN):
			return false, replyNoSuchPolicy(policyARN)
		case slices.Contains(g.Policies, policyARN):
			return false, nil
		}
		g.Policies = append(g.Policies, policyARN)
		return true, nil
	})
}

// EnsureGroupWithPolicy creates and attaches what is missing.
func (p *Practice) EnsureGroupWithPolicy(ctx context.Context, group, policyARN string) (bool, error) {
	return ensureGroupWithPolicy(ctx, p, group, policyARN)
}

// AddUserToGroup adds a user to a group; twice is harmless.
func (p *Practice) AddUserToGroup(ctx context.Context, user, group string) error {
	return p.write(ctx, opAddUserToGroup(user, group), func(st *practiceState) (bool, error) {
		g, err := st.group(group)
		if err == nil {
			_, err = st.user(user)
		}
		switch {
		case err != nil:
			return false, err
		case slices.Contains(g.Members, user):
			return false, nil
		}
		g.Members = append(g.Members, user)
		return true, nil
	})
}

// EnsureUserInGroup adds the user unless already a member.
func (p *Practice) EnsureUserInGroup(ctx context.Context, user, group string) (bool, error) {
	return ensureUserInGroup(ctx, p, user, group)
}

// AccountAlias returns the alias, or "".
func (p *Practice) AccountAlias(ctx context.Context) (string, error) {
	return practiceRead(ctx, p, opListAccountAliases, func(st *practiceState) (string, error) {
		return st.Alias, nil
	})
}

// CreateAccountAlias sets the alias, replacing any old one as IAM does,
// unless it is malformed or "taken by another account".
func (p *Practice) CreateAccountAlias(ctx context.Context, alias string) error {
	if err := ValidateAlias(alias); err != nil {
		return opCreateAccountAlias(alias).refused(err)
	}
	return p.write(ctx, opCreateAccountAlias(alias), func(st *practiceState) (bool, error) {
		if slices.Contains(st.TakenAliases, alias) {
			return false, replyAliasExists(alias)
		}
		st.Alias = alias
		return true, nil
	})
}

func (st *practiceState) group(name string) (*practiceGroup, error) {
	if g := st.Groups[name]; g != nil {
		return g, nil
	}
	return nil, replyNoSuchGroup(name)
}

// AuthorizationDetails lists users with their groups and policies and
// groups with their policies, sorted by name as IAM lists them. The
// practice account has no inline policies.
func (p *Practice) AuthorizationDetails(ctx context.Context) (AuthorizationDetails, error) {
	return practiceRead(ctx, p, opGetAccountAuthorizationDetails, func(st *practiceState) (AuthorizationDetails, error) {
		var d AuthorizationDetails
		for _, name := range slices.Sorted(maps.Keys(st.Users)) {
			u := UserDetail{Name: name, Created: st.Users[name].Created, Policies: slices.Clone(st.Users[name].Policies)}
			for _, group := range slices.Sorted(maps.Keys(st.Groups)) {
				if slices.Contains(st.Groups[group].Members, name) {
					u.Groups = append(u.Groups, group)
				}
			}
			d.Users = append(d.Users, u)
		}
		for _, name := range slices.Sorted(maps.Keys(st.Groups)) {
			d.Groups = append(d.Groups, GroupDetail{Name: name, Policies: slices.Clone(st.Groups[name].Policies)})
		}
		return d, nil
	})
}

// OrganizationFeatures answers as IAM does for an account in no
// organization: the practice account is one account alone.
func (p *Practice) OrganizationFeatures(ctx context.Context) ([]string, error) {
	return practiceRead(ctx, p, opListOrganizationsFeatures, func(*practiceState) ([]string, error) {
		return nil, replyOrganizationNotFound()
	})
}
