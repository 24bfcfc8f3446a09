package awsops

import (
	"context"
	"slices"
	"time"
)

// The practice account's root user starts with two access keys, as an
// account whose owner made one for a script and one for this session
// might: the handoff has something real to weigh, deactivate and delete.
// IAM lists them in no promised order; the practice account lists the
// session's key first, so that a handoff deleting in list order would
// sign its next call with a key already deleted, as it would on AWS.
const (
	practiceSessionKey = "AKIAPRACTICEROOTKEY0" // what the practice wizard "runs on"
	practiceOldRootKey = "AKIAPRACTICEROOTKEY1" // last used by S3, practiceOldKeyAge ago
	// practiceOldKeyAge is recent enough that something may still use
	// the key: the handoff offers to make it inactive first.
	practiceOldKeyAge = 9 * 24 * time.Hour
)

// practiceKeyUse is one key's record of use.
type practiceKeyUse struct {
	LastUsed time.Time
	Service  string
}

// AccessKeyLastUsed reads when a key was last used.
func (p *Practice) AccessKeyLastUsed(ctx context.Context, keyID string) (KeyUse, error) {
	return practiceRead(ctx, p, opGetAccessKeyLastUsed(keyID), func(st *practiceState) (KeyUse, error) {
		if !st.hasKey(keyID) {
			return KeyUse{}, replyNoSuchAccessKey(keyID)
		}
		use := st.KeyUse[keyID]
		return KeyUse{LastUsed: use.LastUsed, Service: use.Service, Region: map[bool]string{true: DefaultRegion}[use.Service != ""]}, nil
	})
}

// CallerKeyID is the key this view signs with: the root key the practice
// wizard runs on, or the key it was signed in with (WithKey); "" for
// temporary credentials.
func (p *Practice) CallerKeyID(context.Context) string {
	if p.as != nil {
		return p.as.ID
	}
	return p.rootKey
}

// WithKey is the practice account signed in with key: it answers as the
// key's IAM user once the key works (PracticeKeyDelay after it was made,
// see PracticeOptions.KeyDelay), and refuses it before that, once it is
// inactive and once it is deleted (see refusesKey).
func (p *Practice) WithKey(key AccessKey) *Practice {
	return &Practice{opts: p.opts, practiceAccount: p.practiceAccount, as: &key}
}

// rootSessionKey is the root key a root session signs with: the session
// key while it is there and active, else none (temporary credentials, as
// a root user whose keys are gone has in CloudShell).
func (st *practiceState) rootSessionKey(temporary bool) string {
	if !temporary && slices.Contains(st.RootKeys, practiceSessionKey) && !slices.Contains(st.InactiveKeys, practiceSessionKey) {
		return practiceSessionKey
	}
	return ""
}

// refusesKey is AWS's answer to a call signed with a key it no longer
// (or not yet) knows: the root session's key once deleted or inactive,
// or a user's key that is unknown, inactive, or too new to work yet.
func (p *Practice) refusesKey(st *practiceState) error {
	if p.as == nil {
		if p.rootKey == "" || slices.Contains(st.RootKeys, p.rootKey) && !slices.Contains(st.InactiveKeys, p.rootKey) {
			return nil
		}
		return replyInvalidToken()
	}
	_, owned := st.keyOwner(p.as.ID)
	made, known := st.KeyCreated[p.as.ID]
	if !owned || slices.Contains(st.InactiveKeys, p.as.ID) || known && p.opts.Now().Before(made.Add(p.opts.KeyDelay)) {
		return replyInvalidToken()
	}
	return nil
}

// SetAccessKeyActive makes a key active or inactive, a user's or, for "",
// the caller's own.
func (p *Practice) SetAccessKeyActive(ctx context.Context, user, keyID string, active bool) error {
	return p.write(ctx, opUpdateAccessKey(keyID), func(st *practiceState) (bool, error) {
		keys, err := p.keysOf(st, user)
		switch {
		case err != nil:
			return false, err
		case !slices.Contains(*keys, keyID):
			return false, replyNoSuchAccessKey(keyID)
		}
		was := !slices.Contains(st.InactiveKeys, keyID)
		st.InactiveKeys = slices.DeleteFunc(st.InactiveKeys, func(k string) bool { return k == keyID })
		if !active {
			st.InactiveKeys = append(st.InactiveKeys, keyID)
		}
		return was != active, nil
	})
}

// keysOf are user's key ids or, for "", the caller's own: root's for the
// root session, the IAM user's for a view signed in with its key. IAM
// cannot tell whose keys "" means for temporary credentials, and says so.
func (p *Practice) keysOf(st *practiceState, user string) (*[]string, error) {
	switch {
	case user != "":
		u, err := st.user(user)
		if err != nil {
			return nil, err
		}
		return &u.Keys, nil
	case p.as != nil:
		owner, _ := st.keyOwner(p.as.ID) // refusesKey let the call through: it has one
		return &st.Users[owner].Keys, nil
	case p.rootKey == "":
		return nil, replyNonUserCredentials()
	}
	return &st.RootKeys, nil
}

func (st *practiceState) hasKey(keyID string) bool {
	for _, k := range st.RootKeys {
		if k == keyID {
			return true
		}
	}
	_, ok := st.keyOwner(keyID)
	return ok
}

// keyOwner is the IAM user whose key keyID is.
func (st *practiceState) keyOwner(keyID string) (string, bool) {
	for name, u := range st.Users {
		for _, k := range u.Keys {
			if k == keyID {
				return name, true
			}
		}
	}
	return "", false
}
