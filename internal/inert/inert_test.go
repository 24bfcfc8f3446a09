package inert

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, text, line string }{
		{"alice", "alice", "alice"},
		{"Zoë 東京", "Zoë 東京", "Zoë 東京"},
		{"ops\x1b]0;OWNED\a\x1b[2J\x1b[H\x1b[32m✓ all checks pass", `ops\x1b]0;OWNED\x07\x1b[2J\x1b[H\x1b[32m✓ all checks pass`, `ops\x1b]0;OWNED\x07\x1b[2J\x1b[H\x1b[32m✓ all checks pass`},
		{"two\nlines\r", "two\nlines\\x0d", `two\x0alines\x0d`},
		{"tab\there", "tab here", "tab here"},
		{"csi\u009b31m", `csi\u009b31m`, `csi\u009b31m`},
		{"evil\u202egnp.exe", `evil\u202egnp.exe`, `evil\u202egnp.exe`},
		{"bad\xffbyte", `bad\xffbyte`, `bad\xffbyte`},
		{`a\x1b already`, `a\\x1b already`, `a\\x1b already`},
		{"del\x7f", `del\x7f`, `del\x7f`},
		{"", "", ""},
	} {
		if got := Printable(tc.in); got != tc.text {
			t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.text)
		}
		if got := PrintableLine(tc.in); got != tc.line {
			t.Errorf("PrintableLine(%q) = %q, want %q", tc.in, got, tc.line)
		}
	}
}

// FuzzPrintable: whatever comes in, what goes out holds nothing a
// terminal acts on, and a plain value comes out as it went in.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"alice", "ops\x1b]0;x\a", "\u009b2J", "a\nb", "\xff\xfe", "\u2066x\u2069"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Printable(s), PrintableLine(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("%q: output %q is not UTF-8", s, out)
			}
			for _, r := range out {
				if r < 0x20 && r != '\n' || r == 0x7f || unsafeRune(r) {
					t.Fatalf("%q: output %q holds %U", s, out, r)
				}
			}
		}
		if strings.ContainsRune(PrintableLine(s), '\n') {
			t.Fatalf("%q: PrintableLine kept a newline", s)
		}
		if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r >= 0x7f || r == '\\' }) && Printable(s) != s {
			t.Fatalf("plain %q came out as %q", s, Printable(s))
		}
	})
}

func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{
		"alice":                              "alice",
		"arn:aws:iam::123456789012:user/bob": "arn:aws:iam::123456789012:user/bob",
		"":                                   "''",
		"ops; touch /tmp/x":                  "'ops; touch /tmp/x'",
		"it's":                               `'it'\''s'`,
		"~root":                              "'~root'",
		"A=B":                                "'A=B'",
	} {
		if got := ShellWord(in); got != want {
			t.Errorf("ShellWord(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzShellWord runs the word in a real shell: a line with the command
// replaced by printf prints exactly the value, and nothing else runs (a
// command substitution in the value would create the marker file).
func FuzzShellWord(f *testing.F) {
	for _, s := range []string{
		"ops; touch marker", "$(touch marker)", "a$(id)@b.co", "`touch marker`", "!!", "it's", `'\''`,
		"a\nb; touch marker", "$HOME", "*", "~", "x=y", "-n", "--", "\\", `"`, "' ; touch marker; '", "",
	} {
		f.Add(s)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		f.Fatal("no sh to run the words in:", err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsRune(s, 0) {
			t.Skip("a NUL cannot be in a command line, nor in any AWS name")
		}
		dir := t.TempDir()
		cmd := exec.Command(sh, "-c", "printf '%s\\n' "+ShellWord(s))
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%q: the line %s did not run: %v", s, ShellWord(s), err)
		}
		if string(out) != s+"\n" {
			t.Fatalf("%q: the line printed %q", s, out)
		}
		if _, err := os.Stat(filepath.Join(dir, "marker")); err == nil {
			t.Fatalf("%q: the line ran another command", s)
		}
	})
}
