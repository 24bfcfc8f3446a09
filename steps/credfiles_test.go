package steps_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/steps"
)

var newKey = awsops.AccessKey{ID: "AKIANEWKEY0000000000", Secret: awsops.NewSecret("newsecret/abc+def")}

const otherProfiles = `# personal keys — keep this comment
[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = defaultsecret

;another comment
[work]
aws_access_key_id=AKIAWORK
aws_secret_access_key=worksecret
   region = eu-west-1` // no final newline, odd spacing: must survive as is

func TestWriteProfileKeepsOtherProfilesByteForByte(t *testing.T) {
	dir := t.TempDir()
	creds, config := filepath.Join(dir, "credentials"), filepath.Join(dir, "config")
	configText := "[default]\nregion = us-east-1\n"
	os.WriteFile(creds, []byte(otherProfiles), 0o644)
	os.WriteFile(config, []byte(configText), 0o644)
	if _, err := steps.WriteProfile(t.Context(), creds, config, "alice", newKey, "eu-central-1", false); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(creds)
	want := otherProfiles + "\n\n[alice]\naws_access_key_id = AKIANEWKEY0000000000\naws_secret_access_key = newsecret/abc+def\n"
	if string(got) != want {
		t.Errorf("credentials:\n%q\nwant\n%q", got, want)
	}
	gotConfig, _ := os.ReadFile(config)
	if string(gotConfig) != configText+"\n[profile alice]\nregion = eu-central-1\noutput = json\n" {
		t.Errorf("config:\n%q", gotConfig)
	}
	for _, f := range []string{creds, config} {
		if info, _ := os.Stat(f); info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", f, info.Mode().Perm())
		}
	}
}

func TestWriteProfileSameNameNeedsOverwrite(t *testing.T) {
	dir := t.TempDir()
	creds, config := filepath.Join(dir, "credentials"), filepath.Join(dir, "config")
	os.WriteFile(creds, []byte(otherProfiles), 0o600)
	_, err := steps.WriteProfile(t.Context(), creds, config, "work", newKey, "eu-central-1", false)
	if !errors.Is(err, steps.ErrFileExists) {
		t.Fatalf("err = %v, want ErrFileExists", err)
	}
	if got, _ := os.ReadFile(creds); string(got) != otherProfiles {
		t.Error("refused write changed the file")
	}
	if _, err := steps.WriteProfile(t.Context(), creds, config, "work", newKey, "eu-central-1", true); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(creds)
	want := strings.Replace(otherProfiles, "[work]\naws_access_key_id=AKIAWORK\naws_secret_access_key=worksecret\n   region = eu-west-1",
		"[work]\naws_access_key_id = AKIANEWKEY0000000000\naws_secret_access_key = newsecret/abc+def\n", 1)
	if string(got) != want {
		t.Errorf("credentials:\n%q\nwant\n%q", got, want)
	}
}

func TestWriteProfileReplacesMiddleSectionKeepingNeighbours(t *testing.T) {
	content := []byte("[a]\nx = 1\n\n# about b\n[b]\ny = 2\n\n# about c\n[c]\nz = 3\n")
	got := string(steps.SetINISection(content, "b", [][2]string{{"k", "v"}}))
	want := "[a]\nx = 1\n\n# about b\n[b]\nk = v\n\n# about c\n[c]\nz = 3\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestWriteCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "alice.csv")
	c := steps.Credentials{User: "alice", Password: awsops.NewSecret("p,w\"d"), AccessKey: &newKey, SignInURL: "https://x.signin.aws.amazon.com/console"}
	if _, err := steps.WriteCSV(path, c, false); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if string(data) != "User name,Password,Access key ID,Secret access key,Console login link\nalice,\"p,w\"\"d\",AKIANEWKEY0000000000,newsecret/abc+def,https://x.signin.aws.amazon.com/console\n" {
		t.Errorf("csv = %q", data)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
	if _, err := steps.WriteCSV(path, c, false); !errors.Is(err, steps.ErrFileExists) {
		t.Errorf("second write: err = %v, want ErrFileExists", err)
	}
	if _, err := steps.WriteCSV(dir, c, true); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Errorf("write to a folder: err = %v", err)
	}
	if _, err := steps.WriteCSV(filepath.Join(dir, "no", "such", "dir", "x.csv"), c, false); err == nil {
		t.Error("write into a missing folder succeeded")
	}
	if _, err := steps.WriteCSV(filepath.Join(dir, "no", "x.csv"), c, false); err != nil && strings.Contains(err.Error(), "newsecret") {
		t.Error("error text holds the secret")
	}
}

// FuzzSetINISection: whatever the file holds, writing one profile keeps
// every other byte (what precedes the section is a prefix of the result;
// a single copy's neighbours are kept), is stable, and leaves the Go SDK
// reading the new key.
func FuzzSetINISection(f *testing.F) {
	f.Add(otherProfiles, "alice")
	f.Add(otherProfiles, "work")
	f.Add("", "default")
	f.Add("[alice]", "alice")
	f.Add("\n\n[x]\n#c\n[alice]\na=b\n\n;tail\n", "alice")
	f.Add("[bob3] ; my admin\naws_access_key_id = OLD\n", "bob3")
	f.Add("[bob]\naws_access_key_id = OLD1\n[x]\n[ bob ]\naws_access_key_id = OLD2\n#c\n", "bob")
	f.Fuzz(func(t *testing.T, content, name string) {
		if name == "" || strings.ContainsAny(name, "[]\n\r") || strings.TrimSpace(name) != name {
			return
		}
		out := string(steps.SetINISection([]byte(content), name, [][2]string{{"aws_access_key_id", "AKIANEW"}, {"aws_secret_access_key", "new"}}))
		if !steps.HasINISection([]byte(out), name) {
			t.Fatalf("section %q missing after set:\n%q", name, out)
		}
		if !steps.HasINISection([]byte(content), name) && !strings.HasPrefix(out, content) {
			t.Fatalf("appending changed existing bytes:\n%q\n->\n%q", content, out)
		}
		// Replacing the one copy: everything before the section's header
		// and everything from the next section's header on is kept.
		lines := strings.SplitAfter(content, "\n")
		start := slices.IndexFunc(lines, func(l string) bool { return strings.TrimSpace(l) == "["+name+"]" })
		oneCopy := start >= 0
		for i, l := range lines {
			if i != start && strings.HasPrefix(strings.TrimSpace(l), "[") && strings.Contains(l, name) {
				oneCopy = false // maybe another copy: those go
			}
		}
		if oneCopy {
			next := len(lines)
			for i := start + 1; i < len(lines); i++ {
				if strings.HasPrefix(strings.TrimSpace(lines[i]), "[") {
					next = i
					break
				}
			}
			before, after := strings.Join(lines[:start], ""), strings.Join(lines[next:], "")
			if !strings.HasPrefix(out, before) || !strings.HasSuffix(out, after) {
				t.Fatalf("replacing %q lost other bytes:\n%q\n->\n%q", name, content, out)
			}
		}
		// Setting twice gives the same file: the edit is stable.
		again := string(steps.SetINISection([]byte(out), name, [][2]string{{"aws_access_key_id", "AKIANEW"}, {"aws_secret_access_key", "new"}}))
		if again != out {
			t.Fatalf("not idempotent:\n%q\n->\n%q", out, again)
		}
		// The Go SDK reads the new key, wherever the old copies were, when
		// every line opening with "[" is a header to it (a malformed one
		// would let the lines after it run on into the profile).
		if !iamName.MatchString(name) || name == "default" {
			return
		}
		for _, l := range lines {
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "[") && !goHeader.MatchString(t) {
				return
			}
		}
		if id := sdkKeyID(t, out, name); id != "AKIANEW" {
			t.Fatalf("the Go SDK reads key %q for %s:\n%q\n->\n%q", id, name, content, out)
		}
	})
}

var (
	iamName = regexp.MustCompile(`^[\w+=,.@-]+$`)
	// goHeader is a header as the Go SDK's parser sees one: bracketed
	// once the line is cut at its first "#" or ";".
	goHeader = regexp.MustCompile(`^\[[^#;]*\]\s*(?:[#;].*)?$`)
)

// sdkKeyID is the access key id the Go SDK's own loader reads for profile
// from a credentials file holding content ("" when it reads none).
func sdkKeyID(t *testing.T, content, profile string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return sdkKeyIDFrom(t, path, filepath.Join(t.TempDir(), "no-config"), profile)
}

func sdkKeyIDFrom(t *testing.T, credentials, cfgFile, profile string) string {
	t.Helper()
	cfg, err := config.LoadSharedConfigProfile(t.Context(), profile, func(o *config.LoadSharedConfigOptions) {
		o.CredentialsFiles, o.ConfigFiles = []string{credentials}, []string{cfgFile}
	})
	if err != nil {
		return ""
	}
	return cfg.Credentials.AccessKeyID
}

// A folder that cannot be written in (here a file where the folder should
// be: as root, permission bits do not stop a write) gets a plain error that
// names the path, and nothing is left behind.
func TestWriteCSVIntoAFileFails(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := steps.WriteCSV(filepath.Join(notADir, "alice_credentials.csv"), steps.Credentials{User: "alice"}, false)
	if err == nil || !strings.Contains(err.Error(), notADir) {
		t.Errorf("err = %v, want one naming %s", err, notADir)
	}
	_, err = steps.WriteProfile(t.Context(), filepath.Join(notADir, "credentials"), filepath.Join(dir, "config"), "alice", awsops.AccessKey{ID: "AKIA"}, "us-east-1", false)
	if err == nil || !strings.Contains(err.Error(), notADir) {
		t.Errorf("profile err = %v, want one naming %s", err, notADir)
	}
	if _, err := os.Stat(filepath.Join(dir, "config")); err == nil {
		t.Error("the config file was written although the credentials could not be")
	}
}
