package steps

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/awssecure/awssecure/awsops"
)

// ErrFileExists means the target exists and the user has not agreed to
// replace it.
var ErrFileExists = errors.New("already exists")

// Credentials are the one-time credentials of a new user.
type Credentials struct {
	User      string
	Password  awsops.Secret // zero when no console password was made
	AccessKey *awsops.AccessKey
	SignInURL string
}

// CSV returns the credentials in the IAM console's credentials.csv columns.
func (c Credentials) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	keyID, secret := "", ""
	if c.AccessKey != nil {
		keyID, secret = c.AccessKey.ID, c.AccessKey.Secret.Reveal()
	}
	_ = w.Write([]string{"User name", "Password", "Access key ID", "Secret access key", "Console login link"})
	_ = w.Write([]string{c.User, c.Password.Reveal(), keyID, secret, c.SignInURL})
	w.Flush()
	return b.Bytes()
}

// WriteCSV writes the CSV at path, mode 0600. An existing file is replaced
// only with overwrite; otherwise the error wraps ErrFileExists.
func WriteCSV(path string, c Credentials, overwrite bool) error {
	if info, err := os.Stat(path); err == nil {
		if info.IsDir() {
			return fmt.Errorf("%s is a folder, and awssecure never replaces a folder: move it away and press the key again", path)
		}
		if !overwrite {
			return fmt.Errorf("%s: %w", path, ErrFileExists)
		}
		return awsops.WriteFileAtomic(path, c.CSV())
	}
	// O_EXCL: if the file appeared since the check, do not clobber it.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s: %w", path, ErrFileExists)
	}
	if err != nil {
		return fmt.Errorf("save credentials: %w", err)
	}
	if _, err := f.Write(c.CSV()); err != nil {
		f.Close()
		return fmt.Errorf("save credentials: %w", err)
	}
	return f.Close()
}

// WriteProfile adds profile to the AWS CLI's shared credentials and config
// files, rewriting each atomically and keeping every other byte as it was.
// An existing profile of that name is replaced only with overwrite.
func WriteProfile(credentialsPath, configPath, profile string, key awsops.AccessKey, region string, overwrite bool) error {
	creds, err := readOptional(credentialsPath)
	if err != nil {
		return err
	}
	config, err := readOptional(configPath)
	if err != nil {
		return err
	}
	configSection := "profile " + profile
	if profile == "default" {
		configSection = "default"
	}
	if !overwrite && HasINISection(creds, profile) {
		return fmt.Errorf("profile %s in %s: %w", profile, credentialsPath, ErrFileExists)
	}
	creds = SetINISection(creds, profile, [][2]string{{"aws_access_key_id", key.ID}, {"aws_secret_access_key", key.Secret.Reveal()}})
	if err := awsops.WriteFileAtomic(credentialsPath, creds); err != nil {
		return fmt.Errorf("write %s: %w", credentialsPath, err)
	}
	if overwrite || !HasINISection(config, configSection) {
		config = SetINISection(config, configSection, [][2]string{{"region", region}, {"output", "json"}})
		if err := awsops.WriteFileAtomic(configPath, config); err != nil {
			return fmt.Errorf("write %s: %w", configPath, err)
		}
	}
	return nil
}

func readOptional(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

// sectionRange finds the lines of [name]: from its header to the line
// before the next header. It returns -1, -1 if absent.
func sectionRange(lines []string, name string) (start, end int) {
	start = -1
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if !strings.HasPrefix(trimmed, "[") {
			continue
		}
		// Any line opening with "[" ends the section, even a malformed
		// header: a line we cannot read is the user's, never ours to drop.
		if start >= 0 {
			return start, i
		}
		if strings.HasSuffix(trimmed, "]") && strings.TrimSpace(trimmed[1:len(trimmed)-1]) == name {
			start = i
		}
	}
	if start < 0 {
		return -1, -1
	}
	return start, len(lines)
}

// HasINISection reports whether content has a section [name].
func HasINISection(content []byte, name string) bool {
	start, _ := sectionRange(strings.SplitAfter(string(content), "\n"), name)
	return start >= 0
}

// SetINISection replaces section [name] with kv, or appends it. Every
// byte outside that section (other profiles, comments, blank lines) is
// kept as it was. This is a few lines of text editing rather than an INI
// library because the libraries re-format the whole file on save.
func SetINISection(content []byte, name string, kv [][2]string) []byte {
	var section strings.Builder
	section.WriteString("[" + name + "]\n")
	for _, p := range kv {
		section.WriteString(p[0] + " = " + p[1] + "\n")
	}
	lines := strings.SplitAfter(string(content), "\n")
	start, end := sectionRange(lines, name)
	if start < 0 {
		s := string(content)
		if s != "" && !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		if s != "" {
			s += "\n"
		}
		return []byte(s + section.String())
	}
	// Keep the blank lines and comments that end the old section: they
	// belong to whatever follows.
	for end > start+1 && isTrailer(lines[end-1]) {
		end--
	}
	return []byte(strings.Join(lines[:start], "") + section.String() + strings.Join(lines[end:], ""))
}

func isTrailer(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";")
}
