package awsops

import (
	"context"
	"errors"
	"slices"
)

// The idempotent "ensure" operations are written once over the primitive
// calls, so the real client and the practice account share them.

type groupOps interface {
	CreateGroup(ctx context.Context, name string) error
	GroupPolicies(ctx context.Context, group string) ([]string, error)
	AttachGroupPolicy(ctx context.Context, group, policyARN string) error
}

func ensureGroupWithPolicy(ctx context.Context, ops groupOps, group, policyARN string) (changed bool, err error) {
	err = ops.CreateGroup(ctx, group)
	switch {
	case err == nil:
		changed = true
	case !errors.Is(err, ErrAlreadyExists):
		return false, err
	}
	attached, err := ops.GroupPolicies(ctx, group)
	if err != nil {
		return changed, err
	}
	if slices.Contains(attached, policyARN) {
		return changed, nil
	}
	return true, ops.AttachGroupPolicy(ctx, group, policyARN)
}

type membershipOps interface {
	UserGroups(ctx context.Context, user string) ([]string, error)
	AddUserToGroup(ctx context.Context, user, group string) error
}

func ensureUserInGroup(ctx context.Context, ops membershipOps, user, group string) (added bool, err error) {
	groups, err := ops.UserGroups(ctx, user)
	if err != nil {
		return false, err
	}
	if slices.Contains(groups, group) {
		return false, nil
	}
	return true, ops.AddUserToGroup(ctx, user, group)
}
