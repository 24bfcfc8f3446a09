package ui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
)

// badInput is something a person might type, and what the form must say.
type badInput struct{ typed, says string }

// Bad input in every form gets a clear message where it was typed and
// makes no AWS call: the wizard runs on moto through a recording proxy,
// whose count of calls must not move while the bad answers are refused.
func TestBadInputIsRefusedInTheFormWithoutCallingAWS(t *testing.T) {
	dir := t.TempDir()
	h, acct, proxy := motoWizard(t, dir)
	tried := 0
	refuse := func(form string, inputs ...badInput) {
		t.Helper()
		for _, in := range inputs {
			h.drain()
			calls := len(proxy.Actions())
			h.press("ctrl+u")
			h.typeText(in.typed)
			h.press("enter")
			h.waitFor(in.says)
			if n := len(proxy.Actions()); n != calls {
				t.Errorf("%s: %q made %d AWS calls: %v", form, in.typed, n-calls, proxy.Actions()[calls:])
			}
			tried++
		}
		h.press("ctrl+u")
	}
	answer := func(s string) { h.typeText(s); h.press("enter") }

	h.waitFor("Account 123456789012")
	h.press("enter")
	h.waitFor("Step 1 of 7")
	h.press("s")
	h.waitFor("Minimum length")
	between := func(lo, hi int) string {
		return "enter a whole number from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
	}
	refuse("minimum length", badInput{"5", between(6, 128)}, badInput{"129", between(6, 128)}, badInput{"1000", between(6, 128)},
		badInput{"", between(6, 128)}, badInput{"-1", between(6, 128)}, badInput{"abc", between(6, 128)}, badInput{"14.5", between(6, 128)})
	answer("14")
	refuse("reuse prevention", badInput{"25", between(0, 24)}, badInput{"-1", between(0, 24)}, badInput{"x", between(0, 24)}, badInput{"", between(0, 24)})
	answer("24")
	refuse("maximum age", badInput{"1096", between(0, 1095)}, badInput{"-5", between(0, 1095)}, badInput{"never", between(0, 1095)})
	answer("0")
	h.press("enter")
	h.waitFor("Password policy set")
	h.press("enter")

	h.waitFor("Group name")
	refuse("group name",
		badInput{"", "group name is empty"},
		badInput{strings.Repeat("g", 129), "group name is 129 characters; the most IAM allows is 128"},
		badInput{"admin group", "group name may hold only"},
		badInput{"grüppe", "group name may hold only"},
		badInput{"admins*", "group name may hold only"},
		badInput{"a/b", "group name may hold only"},
	)
	answer("administrators")
	h.waitFor("Group administrators created")
	h.press("enter")

	h.waitFor("User name")
	refuse("user name",
		badInput{"", "user name is empty"},
		badInput{strings.Repeat("u", 65), "user name is 65 characters; the most IAM allows is 64"},
		badInput{"bad name", "user name may hold only"},
		badInput{"jürgen", "user name may hold only"},
		badInput{"a*b", "user name may hold only"},
		badInput{"x#y", "user name may hold only"},
		badInput{"émile", "user name may hold only"},
	)
	answer("alice")
	h.press("enter")

	h.waitFor("MFA for alice")
	refuse("MFA code", badInput{"12345", "enter the 6 digits"}, badInput{"abcdef", "enter the 6 digits"}, badInput{"12 456", "enter the 6 digits"}, badInput{"", "enter the 6 digits"})
	h.press("ctrl+k")
	h.waitFor("Add it in your app by hand")
	m := groupedSeed.FindStringSubmatch(h.screen())
	if m == nil {
		t.Fatal("no MFA key on screen")
	}
	seed := awsops.NewSecret(strings.ReplaceAll(m[1], " ", ""))
	now := time.Now()
	code := func(steps int) string {
		c, _ := awsops.MFACode(seed, now.Add(time.Duration(steps)*awsops.TOTPPeriod))
		return c
	}
	for _, pair := range []struct{ first, second, says string }{
		{code(0), code(0), "the two codes are the same"},
		{code(0), code(-1), "wrong order"},
		{code(-1), code(1), "not consecutive"},
	} {
		calls := len(proxy.Actions())
		h.press("ctrl+u")
		answer(pair.first)
		h.press("ctrl+u")
		answer(pair.second)
		h.waitFor(pair.says)
		if n := len(proxy.Actions()); n != calls {
			t.Errorf("MFA codes %q: %d AWS calls", pair.says, n-calls)
		}
		tried++
	}
	answer(code(-1))
	answer(code(0))
	h.waitFor("MFA is on for alice")
	h.press("enter")

	// Files: the CSV's place is taken by a folder; the credentials file is
	// a folder; an existing CSV. (A folder that cannot be written in is in
	// steps' TestWriteCSVIntoAFileFails: as root, permissions do not stop a
	// write, so the test uses a file where the folder should be.)
	h.waitFor("Save your new user's credentials")
	if err := os.Mkdir(filepath.Join(dir, "alice_credentials.csv"), 0o700); err != nil {
		t.Fatal(err)
	}
	calls := len(proxy.Actions())
	h.press("c")
	h.waitFor("is a folder, and awssecure never replaces a folder")
	if err := os.Mkdir(filepath.Join(dir, "credentials"), 0o700); err != nil {
		t.Fatal(err)
	}
	h.press("p")
	h.waitFor("✗ Not saved")
	if s := h.screen(); !strings.Contains(s, "credentials") {
		t.Errorf("the profile error does not name the file:\n%s", s)
	}
	// An existing CSV is never replaced without a yes.
	if err := os.Remove(filepath.Join(dir, "alice_credentials.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "alice_credentials.csv"), []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.press("c")
	h.waitFor("Replace it?")
	h.press("n")
	if data, _ := os.ReadFile(filepath.Join(dir, "alice_credentials.csv")); string(data) != "keep me" {
		t.Errorf("an existing CSV was changed without asking: %q", data)
	}
	tried += 3
	if n := len(proxy.Actions()); n != calls {
		t.Errorf("file errors made %d AWS calls", n-calls)
	}
	h.press("S", "y")

	h.waitFor("Step 5 of 7")
	refuse("alias",
		badInput{"Acme", "alias may hold only lowercase letters, digits and hyphens"},
		badInput{"-acme", "alias cannot start or end with a hyphen"},
		badInput{"acme-", "alias cannot start or end with a hyphen"},
		badInput{"acme--prod", "alias cannot hold two hyphens in a row"},
		badInput{"ab", "alias must be 3 to 63 characters; this one has 2"},
		badInput{strings.Repeat("a", 64), "alias must be 3 to 63 characters; this one has 64"},
		badInput{"acme_prod", "alias may hold only lowercase letters, digits and hyphens"},
		badInput{"", "alias must be 3 to 63 characters; this one has 0"},
		badInput{"123456789012", "alias cannot be only digits"},
		badInput{"acmé", "alias may hold only lowercase letters, digits and hyphens"},
	)
	answer("acme-learning")
	h.waitFor("Alias set")
	keys, _ := acct.AccessKeys(t.Context(), "alice")
	if len(keys) != 1 {
		t.Errorf("alice has %d keys", len(keys))
	}
	t.Logf("%d bad inputs refused without an AWS call", tried)
	if tried < 40 {
		t.Errorf("only %d bad inputs tried", tried)
	}
}
