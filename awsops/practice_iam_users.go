package awsops

import (
	"context"
	"crypto/rand"
	"maps"
	"slices"
)

// CreateUser creates a user.
func (p *Practice) CreateUser(ctx context.Context, name string) (User, error) {
	if err := ValidateUserName(name); err != nil {
		return User{}, opCreateUser(name).refused(err)
	}
	return practiceCreate(ctx, p, opCreateUser(name), func(st *practiceState) (User, error) {
		if st.Users[name] != nil {
			return User{}, replyUserExists(name)
		}
		u := &practiceUser{Created: p.opts.Now().UTC()}
		st.Users[name] = u
		return u.info(name), nil
	})
}

// Users lists every user, sorted by name.
func (p *Practice) Users(ctx context.Context) ([]User, error) {
	return practiceRead(ctx, p, opListUsers, func(st *practiceState) ([]User, error) {
		var users []User
		for _, name := range slices.Sorted(maps.Keys(st.Users)) {
			users = append(users, st.Users[name].info(name))
		}
		return users, nil
	})
}

// UserGroups lists the groups a user is in.
func (p *Practice) UserGroups(ctx context.Context, user string) ([]string, error) {
	return practiceRead(ctx, p, opListGroupsForUser(user), func(st *practiceState) ([]string, error) {
		if _, err := st.user(user); err != nil {
			return nil, err
		}
		var names []string
		for _, name := range slices.Sorted(maps.Keys(st.Groups)) {
			if slices.Contains(st.Groups[name].Members, user) {
				names = append(names, name)
			}
		}
		return names, nil
	})
}

// CreateLoginProfile checks the password against the policy and records
// that the user has one. The password itself is not kept.
func (p *Practice) CreateLoginProfile(ctx context.Context, user string, password Secret, resetRequired bool) error {
	return p.write(ctx, opCreateLoginProfile(user), func(st *practiceState) (bool, error) {
		u, err := st.user(user)
		switch {
		case err != nil:
			return false, err
		case u.HasPassword:
			return false, replyLoginProfileExists(user)
		}
		if why := PasswordSatisfies(password, st.Policy); why != nil {
			return false, replyPasswordPolicyViolation(why)
		}
		now := p.opts.Now().UTC()
		u.HasPassword, u.PasswordSet, u.PasswordResetRequired = true, &now, resetRequired
		return true, nil
	})
}

// UpdateLoginProfile sets a new console password for a user who has one.
func (p *Practice) UpdateLoginProfile(ctx context.Context, user string, password Secret, resetRequired bool) error {
	return p.write(ctx, opUpdateLoginProfile(user), func(st *practiceState) (bool, error) {
		u, err := st.user(user)
		switch {
		case err != nil:
			return false, err
		case !u.HasPassword:
			return false, replyNoLoginProfile(user)
		}
		if why := PasswordSatisfies(password, st.Policy); why != nil {
			return false, replyPasswordPolicyViolation(why)
		}
		u.PasswordResetRequired = resetRequired
		return true, nil
	})
}

// HasLoginProfile reports whether the user has a console password.
func (p *Practice) HasLoginProfile(ctx context.Context, user string) (bool, error) {
	return practiceRead(ctx, p, opGetLoginProfile(user), func(st *practiceState) (bool, error) {
		u := st.Users[user]
		return u != nil && u.HasPassword, nil
	})
}

// LoginProfile tells of the user's console password as IAM does: when it
// was made, and whether a new one must be chosen at the next sign-in.
func (p *Practice) LoginProfile(ctx context.Context, user string) (LoginProfile, bool, error) {
	type answer struct {
		profile LoginProfile
		ok      bool
	}
	a, err := practiceRead(ctx, p, opGetLoginProfile(user), func(st *practiceState) (answer, error) {
		u := st.Users[user]
		if u == nil || !u.HasPassword {
			return answer{}, nil
		}
		profile := LoginProfile{ResetRequired: u.PasswordResetRequired}
		if u.PasswordSet != nil {
			profile.Created = *u.PasswordSet
		}
		return answer{profile, true}, nil
	})
	return a.profile, a.ok, err
}

// AttachUserPolicy attaches a known managed policy to a user.
func (p *Practice) AttachUserPolicy(ctx context.Context, user, policyARN string) error {
	return p.write(ctx, opAttachUserPolicy(user, policyARN), func(st *practiceState) (bool, error) {
		u, err := st.user(user)
		switch {
		case err != nil:
			return false, err
		case !slices.Contains(practiceManagedPolicies, policyARN):
			return false, replyNoSuchPolicy(policyARN)
		case slices.Contains(u.Policies, policyARN):
			return false, nil
		}
		u.Policies = append(u.Policies, policyARN)
		return true, nil
	})
}

// CreateAccessKey issues a fake key; IAM allows two per user.
func (p *Practice) CreateAccessKey(ctx context.Context, user string) (AccessKey, error) {
	return practiceCreate(ctx, p, opCreateAccessKey(user), func(st *practiceState) (AccessKey, error) {
		u, err := st.user(user)
		switch {
		case err != nil:
			return AccessKey{}, err
		case len(u.Keys) >= 2:
			return AccessKey{}, replyAccessKeyQuota()
		}
		key := AccessKey{ID: "AKIA" + randomString(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), Secret: NewSecret(randomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))}
		u.Keys = append(u.Keys, key.ID)
		st.KeyCreated[key.ID] = p.opts.Now().UTC()
		return key, nil
	})
}

// AccessKeys lists a user's keys, or the caller's own for "".
func (p *Practice) AccessKeys(ctx context.Context, user string) ([]AccessKeyInfo, error) {
	return practiceRead(ctx, p, opListAccessKeys, func(st *practiceState) ([]AccessKeyInfo, error) {
		keys, err := p.keysOf(st, user)
		if err != nil {
			return nil, err
		}
		var infos []AccessKeyInfo
		for _, id := range *keys {
			infos = append(infos, AccessKeyInfo{ID: id, Active: !slices.Contains(st.InactiveKeys, id)})
		}
		return infos, nil
	})
}

// DeleteAccessKey deletes a user's key, or one of the caller's own for "".
func (p *Practice) DeleteAccessKey(ctx context.Context, user, keyID string) error {
	return p.write(ctx, opDeleteAccessKey(keyID), func(st *practiceState) (bool, error) {
		keys, err := p.keysOf(st, user)
		if err != nil {
			return false, err
		}
		i := slices.Index(*keys, keyID)
		if i < 0 {
			return false, replyNoSuchAccessKey(keyID)
		}
		*keys = slices.Delete(*keys, i, i+1)
		delete(st.KeyCreated, keyID)
		delete(st.KeyUse, keyID)
		st.InactiveKeys = slices.DeleteFunc(st.InactiveKeys, func(k string) bool { return k == keyID })
		return true, nil
	})
}

func (st *practiceState) user(name string) (*practiceUser, error) {
	if u := st.Users[name]; u != nil {
		return u, nil
	}
	return nil, replyNoSuchUser(name)
}

func (u *practiceUser) info(name string) User {
	return User{Name: name, ARN: "arn:aws:iam::" + PracticeAccountID + ":user/" + name, Created: u.Created}
}

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
