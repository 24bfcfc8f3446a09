package awsops

import (
	"context"
	"maps"
)

// practiceRole is an IAM role of the practice account.
type practiceRole struct {
	Trust       string
	Description string
	Policies    map[string]string // inline policies by name
}

func replyRoleExists(name string) error {
	return awsReply("EntityAlreadyExists", "Role with name %s already exists.", name)
}

func replyNoSuchRole(name string) error {
	return awsReply("NoSuchEntity", "The role with name %s cannot be found.", name)
}

func replyNoSuchRolePolicy(name string) error {
	return awsReply("NoSuchEntity", "The role policy with name %s cannot be found.", name)
}

func (st *practiceState) role(name string) (*practiceRole, error) {
	if r := st.Roles[name]; r != nil {
		return r, nil
	}
	return nil, replyNoSuchRole(name)
}

// CreateRole makes a role; a role of that name already exists.
func (p *Practice) CreateRole(ctx context.Context, name, trust, description string) error {
	op := opCreateRole(name)
	if err := ValidateRoleName(name); err != nil {
		return op.refused(err)
	}
	if err := validDocument(trust); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		if st.Roles[name] != nil {
			return false, replyRoleExists(name)
		}
		st.Roles[name] = &practiceRole{Trust: trust, Description: description, Policies: map[string]string{}}
		return true, nil
	})
}

// SetRoleTrust replaces who may take the role.
func (p *Practice) SetRoleTrust(ctx context.Context, name, trust string) error {
	op := opUpdateAssumeRolePolicy(name)
	if err := validDocument(trust); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		r, err := st.role(name)
		if err != nil || r.Trust == trust {
			return false, err
		}
		r.Trust = trust
		return true, nil
	})
}

// PutRolePolicy sets the role's inline policy of that name, whole.
func (p *Practice) PutRolePolicy(ctx context.Context, role, name, document string) error {
	op := opPutRolePolicy(role, name)
	if err := ValidateRolePolicyName(name); err != nil {
		return op.refused(err)
	}
	if err := validDocument(document); err != nil {
		return op.refused(err)
	}
	return p.write(ctx, op, func(st *practiceState) (bool, error) {
		r, err := st.role(role)
		if err != nil || r.Policies[name] == document {
			return false, err
		}
		policies := maps.Clone(r.Policies)
		if policies == nil {
			policies = map[string]string{}
		}
		policies[name] = document
		r.Policies = policies
		return true, nil
	})
}

// RolePolicy reads the role's inline policy of that name.
func (p *Practice) RolePolicy(ctx context.Context, role, name string) (string, error) {
	return practiceRead(ctx, p, opGetRolePolicy(role, name), func(st *practiceState) (string, error) {
		r, err := st.role(role)
		if err != nil {
			return "", err
		}
		doc, ok := r.Policies[name]
		if !ok {
			return "", replyNoSuchRolePolicy(name)
		}
		return doc, nil
	})
}
