package awsops

import (
	"context"
	"time"
)

// The practice account's root user starts with two access keys, as an
// account whose owner made one for a script long ago and one for this
// session might: the handoff has something real to weigh and delete.
const (
	practiceSessionKey = "AKIAPRACTICEROOTKEY0" // what the practice wizard "runs on"
	practiceOldRootKey = "AKIAPRACTICEROOTKEY1" // last used by S3, 40 days ago
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

// CallerKeyID is the root key the practice wizard runs on.
func (p *Practice) CallerKeyID(context.Context) string {
	if p.as != nil {
		return p.as.ID
	}
	return practiceSessionKey
}

// WithKey is the practice account signed in with key: its WhoAmI answers
// as the key's IAM user once the key works (PracticeKeyDelay after it was
// made, see PracticeOptions.KeyDelay), and as a refused key before that
// or once it is deleted.
func (p *Practice) WithKey(key AccessKey) *Practice {
	return &Practice{opts: p.opts, practiceAccount: p.practiceAccount, as: &key}
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
