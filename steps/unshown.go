package steps

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// UnshownCredentials remembers, across runs, that a user's one-time
// password and access key were made but never confirmed as saved: a run
// that ends between the user step and the credentials screen (a quit on
// the MFA screen, a closed terminal, a crash) would otherwise lose them
// without a trace, and the next run would walk past the user step. It
// keeps names and times only, never a secret. The zero value remembers
// nothing.
type UnshownCredentials struct {
	// Path is the JSON file that holds the facts; "" keeps none.
	Path string
}

// UnshownRecord is one user whose new credentials were never shown.
type UnshownRecord struct {
	AccountID string
	User      string
	Made      time.Time
}

func (u UnshownCredentials) load() ([]UnshownRecord, error) {
	data, err := os.ReadFile(u.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var records []UnshownRecord
	if err := json.Unmarshal(data, &records); err != nil {
		// A damaged file forgets; it only ever held a hint.
		return nil, nil
	}
	return records, nil
}

func (u UnshownCredentials) store(records []UnshownRecord) error {
	if len(records) == 0 {
		if err := os.Remove(u.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	data, err := json.MarshalIndent(records, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(u.Path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(u.Path, data, 0o600)
}

// Mark records that user's new credentials exist and have not been shown.
func (u UnshownCredentials) Mark(accountID, user string, made time.Time) error {
	if u.Path == "" {
		return nil
	}
	records, err := u.load()
	if err != nil {
		return fmt.Errorf("remember unshown credentials: %w", err)
	}
	records = slices.DeleteFunc(records, func(r UnshownRecord) bool { return r.AccountID == accountID && r.User == user })
	records = append(records, UnshownRecord{AccountID: accountID, User: user, Made: made.UTC()})
	if err := u.store(records); err != nil {
		return fmt.Errorf("remember unshown credentials: %w", err)
	}
	return nil
}

// Clear forgets user: the credentials were shown and confirmed, or
// replaced by new ones that will be.
func (u UnshownCredentials) Clear(accountID, user string) error {
	if u.Path == "" {
		return nil
	}
	records, err := u.load()
	if err != nil {
		return err
	}
	kept := slices.DeleteFunc(slices.Clone(records), func(r UnshownRecord) bool { return r.AccountID == accountID && r.User == user })
	if len(kept) == len(records) {
		return nil
	}
	return u.store(kept)
}

// Pending returns the users of accountID whose credentials were made and
// never shown, oldest first.
func (u UnshownCredentials) Pending(accountID string) []UnshownRecord {
	if u.Path == "" {
		return nil
	}
	records, _ := u.load()
	return slices.DeleteFunc(records, func(r UnshownRecord) bool { return r.AccountID != accountID })
}
