package steps

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/internal/safefile"
)

// ErrFileExists means the target exists and the user has not agreed to
// replace it. The error wrapping it says what is there, in a sentence.
var ErrFileExists = errors.New("already exists")

// existsError is an ErrFileExists that says what exists, as the start of
// the question "… Replace it?".
type existsError struct{ what string }

func (e *existsError) Error() string        { return e.what }
func (e *existsError) Is(target error) bool { return target == ErrFileExists }

// ErrNotRegular means a file to be written is a device, a pipe or a
// folder: awssecure writes secrets only into regular files.
var ErrNotRegular = safefile.ErrNotRegular

// lockWait is how long a save waits for another program (another
// awssecure, the aws CLI's configure) to finish changing a file.
const lockWait = 10 * time.Second

// FileWrite says what a save did to one file: where the bytes went
// (through a link), whether the file is new, and the mode it had.
type FileWrite = safefile.Written

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

// WriteCSV writes the CSV at path, mode 0600. Anything at path (a file,
// a link, even a broken one) is replaced only with overwrite; otherwise
// the error wraps ErrFileExists. A failed write leaves nothing at path.
func WriteCSV(path string, c Credentials, overwrite bool) (FileWrite, error) {
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		w, err := safefile.CreateNew(path, c.CSV())
		if errors.Is(err, fs.ErrExist) {
			return w, &existsError{path + " already exists"}
		}
		if err != nil {
			return w, fmt.Errorf("save credentials: %w", err)
		}
		return w, nil
	case err != nil:
		return FileWrite{}, fmt.Errorf("save credentials: %w", err)
	case info.Mode()&fs.ModeSymlink != 0:
		target, _ := os.Readlink(path)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			if !overwrite {
				return FileWrite{}, &existsError{path + " is a broken link (to " + target + ", which does not exist); yes replaces the link with the CSV"}
			}
			// The CSV goes where the user looks for it, not to wherever
			// a broken link points.
			if err := os.Remove(path); err != nil {
				return FileWrite{}, fmt.Errorf("save credentials: %w", err)
			}
			return WriteCSV(path, c, false)
		}
	case info.IsDir():
		return FileWrite{}, fmt.Errorf("%s is a folder, and awssecure never replaces a folder: move it away and press the key again", path)
	}
	if !overwrite {
		return FileWrite{}, &existsError{path + " already exists"}
	}
	w, err := safefile.WriteFile(path, c.CSV())
	if err != nil {
		return w, fmt.Errorf("save credentials: %w", err)
	}
	return w, nil
}

// GitWorkTree reports the root of the git work tree dir is in, if any: a
// folder with a .git (a folder, or a file in a linked work tree or
// submodule) in it or above it. A credentials file there is one
// `git add -A` away from being published.
func GitWorkTree(dir string) (root string, ok bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// ProfileResult says exactly what WriteProfile wrote.
type ProfileResult struct {
	// Credentials is what was written to the credentials file; nil when
	// nothing was.
	Credentials *FileWrite
	// Config is what was written to the config file; nil when nothing
	// was (ConfigKept, or an error after the credentials were written).
	Config *FileWrite
	// ConfigKept is true when the config file already had the profile and
	// was left as it was (no overwrite).
	ConfigKept bool
	// Removed counts older copies of the profile taken out of the
	// credentials file, so that every SDK reads the new key.
	Removed int
}

// WriteProfile adds profile to the AWS CLI's shared credentials and config
// files, rewriting each atomically under its lock and keeping every other
// byte as it was. An existing profile of that name is replaced only with
// overwrite: every copy of it goes, and the new one takes the place of the
// last (the copy the SDKs read). The credentials file is written first;
// when the config file then fails, the error says so and the result holds
// what was written: the profile works, with the default region.
func WriteProfile(ctx context.Context, credentialsPath, configPath, profile string, key awsops.AccessKey, region string, overwrite bool) (ProfileResult, error) {
	var res ProfileResult
	// Refuse before writing anything what the config write would refuse.
	if _, err := safefile.ReadFile(configPath); err != nil {
		return res, fmt.Errorf("read %s: %w", configPath, err)
	}
	isProfile := func(name string) bool { return name == profile }
	err := editLocked(ctx, credentialsPath, func(creds []byte) ([]byte, error) {
		n := countSections(creds, isProfile)
		if n > 0 && !overwrite {
			if n > 1 {
				return nil, &existsError{fmt.Sprintf("profile %s is in %s %d times (the SDKs read the last); yes replaces them all with one", profile, credentialsPath, n)}
			}
			return nil, &existsError{"profile " + profile + " in " + credentialsPath + " already exists"}
		}
		res.Removed = max(n-1, 0)
		return setSections(creds, profile, isProfile, [][2]string{{"aws_access_key_id", key.ID}, {"aws_secret_access_key", key.Secret.Reveal()}}), nil
	}, &res.Credentials)
	if err != nil {
		return res, err
	}
	configSection := "profile " + profile
	isConfigProfile := func(name string) bool { return name == configSection }
	if profile == "default" {
		configSection = "default"
		// The config file's [profile default] is the default profile too.
		isConfigProfile = func(name string) bool { return name == "default" || name == "profile default" }
	}
	err = editLocked(ctx, configPath, func(config []byte) ([]byte, error) {
		if !overwrite && countSections(config, isConfigProfile) > 0 {
			res.ConfigKept = true
			return nil, nil
		}
		return setSections(config, configSection, isConfigProfile, [][2]string{{"region", region}, {"output", "json"}}), nil
	}, &res.Config)
	if err != nil {
		return res, fmt.Errorf("the key was saved in %s, but %w", credentialsPath, err)
	}
	return res, nil
}

// editLocked reads path under its lock, lets edit change it (nil: leave
// it) and writes the result back atomically, setting *written.
func editLocked(ctx context.Context, path string, edit func([]byte) ([]byte, error), written **FileWrite) error {
	ctx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	unlock, err := safefile.Lock(ctx, path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer unlock()
	data, err := safefile.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	data, err = edit(data)
	if err != nil || data == nil {
		return err
	}
	w, err := safefile.WriteFile(path, data)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	*written = &w
	return nil
}

// sectionNames are the names the SDKs give the section a header line
// opens, or nil when the line is no header.
//
// The Go SDK (config/internal/ini) cuts the line at the first "#" or ";",
// trims it, wants it bracketed, trims inside the brackets and joins a type
// and a name separated by spaces and tabs with one space: "[ profile  x ]
// ; mine" is "profile x". Botocore (Python's configparser) takes the
// stripped line from "[" to its last "]" with no trimming and no inline
// comments ("[x] ; mine" is "x"), and in the config file reads "profile"
// followed by one word as that profile. A header either SDK reads as the
// profile is that profile's.
func sectionNames(line string) []string {
	var names []string
	s, _, _ := strings.Cut(line, "#")
	s, _, _ = strings.Cut(s, ";")
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") && len(s) >= 2 {
		typ, name := splitProfile(strings.TrimSpace(s[1 : len(s)-1]))
		if typ != "" {
			name = typ + " " + name
		}
		names = append(names, name)
	}
	s = strings.TrimSpace(line)
	if i := strings.LastIndex(s, "]"); strings.HasPrefix(s, "[") && i >= 2 {
		name := s[1:i]
		names = append(names, name)
		if f := strings.Fields(name); strings.HasPrefix(name, "profile") && len(f) == 2 {
			names = append(names, "profile "+strings.Trim(f[1], `"'`))
		}
	}
	return names
}

// splitProfile is the Go SDK's: "type name" split at the first run of
// spaces and tabs; "name" alone has no type.
func splitProfile(s string) (typ, name string) {
	first := 0
	for i, r := range s {
		if r == ' ' || r == '\t' {
			if first == 0 {
				first = i
			}
		} else if first != 0 {
			return s[:first], s[i:]
		}
	}
	if first == 0 {
		return "", s
	}
	return "", ""
}

// sectionRanges finds every section whose header matches: each from its
// header to the line before the next header, without the blank lines and
// comments that end it (they belong to whatever follows).
func sectionRanges(lines []string, match func(name string) bool) [][2]int {
	var ranges [][2]int
	start := -1
	closeAt := func(end int) {
		if start < 0 {
			return
		}
		for end > start+1 && isTrailer(lines[end-1]) {
			end--
		}
		ranges = append(ranges, [2]int{start, end})
		start = -1
	}
	for i, line := range lines {
		// Any line opening with "[" ends the section, even a malformed
		// header: a line we cannot read is the user's, never ours to drop.
		if !strings.HasPrefix(strings.TrimSpace(line), "[") {
			continue
		}
		closeAt(i)
		if slices.ContainsFunc(sectionNames(line), match) {
			start = i
		}
	}
	closeAt(len(lines))
	return ranges
}

func countSections(content []byte, match func(string) bool) int {
	return len(sectionRanges(strings.SplitAfter(string(content), "\n"), match))
}

// HasINISection reports whether content has a section the SDKs read as
// [name].
func HasINISection(content []byte, name string) bool {
	return countSections(content, func(n string) bool { return n == name }) > 0
}

// SetINISection makes [name] hold kv: the last section the SDKs read as
// [name] is replaced, every other copy removed (the Go SDK merges copies,
// botocore refuses a file with two), or the section is appended. Every
// byte outside those sections (other profiles, comments, blank lines) is
// kept as it was. This is a few lines of text editing rather than an INI
// library because the libraries re-format the whole file on save.
func SetINISection(content []byte, name string, kv [][2]string) []byte {
	return setSections(content, name, func(n string) bool { return n == name }, kv)
}

func setSections(content []byte, name string, match func(string) bool, kv [][2]string) []byte {
	var section strings.Builder
	section.WriteString("[" + name + "]\n")
	for _, p := range kv {
		section.WriteString(p[0] + " = " + p[1] + "\n")
	}
	lines := strings.SplitAfter(string(content), "\n")
	ranges := sectionRanges(lines, match)
	if len(ranges) == 0 {
		s := string(content)
		if s != "" && !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		if s != "" {
			s += "\n"
		}
		return []byte(s + section.String())
	}
	var out strings.Builder
	next := 0
	for i, r := range ranges {
		out.WriteString(strings.Join(lines[next:r[0]], ""))
		if i == len(ranges)-1 {
			out.WriteString(section.String())
		}
		next = r[1]
	}
	out.WriteString(strings.Join(lines[next:], ""))
	return []byte(out.String())
}

func isTrailer(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";")
}
