// Package inert makes values from outside awssecure — names and details
// read from AWS, answers typed by a user — safe to show and to paste:
// Printable and PrintableLine for the terminal, ShellWord for a copyable
// command. An account's own data (a budget, a contact, an account name)
// is written by whoever controls that account; on a terminal an escape
// sequence in it could clear the screen or paint a fake verdict, and in a
// pasted command a `$(…)` would run.
package inert

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable is s with every control character, escape sequence and
// invalid byte shown escaped (ESC as \x1b, a stray byte as \xff, a
// bidirectional override as \u202e), so it reaches the terminal as text
// and only as text. Newlines stay: it is for sentences and paragraphs
// that awssecure lays out itself; a tab becomes a space.
func Printable(s string) string { return printable(s, true) }

// PrintableLine is Printable for a value that must stay on one line (a
// name in a row or a column): newlines and carriage returns are shown
// escaped too.
func PrintableLine(s string) string { return printable(s, false) }

func printable(s string, keepNewlines bool) string {
	var b strings.Builder
	changed := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var shown string
		switch {
		case r == utf8.RuneError && size <= 1:
			shown = fmt.Sprintf(`\x%02x`, s[i])
		case r == '\n' && keepNewlines:
		case r == '\t':
			shown = " "
		case r == '\\' && i+1 < len(s) && (s[i+1] == 'x' || s[i+1] == 'u'):
			// A backslash that would read as one of our escapes is
			// doubled, so what is shown can be told apart from them.
			shown = `\\`
		case r < 0x20 || r == 0x7f:
			shown = fmt.Sprintf(`\x%02x`, r)
		case unsafeRune(r):
			shown = fmt.Sprintf(`\u%04x`, r)
		}
		if shown != "" && !changed {
			// Nearly every value is plain: copy only from the first
			// character that is not.
			changed = true
			b.Grow(len(s) + 8)
			b.WriteString(s[:i])
		}
		switch {
		case shown != "":
			b.WriteString(shown)
		case changed:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	if !changed {
		return s
	}
	return b.String()
}

// unsafeRune is a character outside ASCII that a terminal may act on
// rather than draw: the C1 controls (U+009B is CSI on some terminals),
// the bidirectional controls that make text read in another order than
// it runs, and the other invisible format characters and line and
// paragraph separators.
func unsafeRune(r rune) bool {
	return r >= 0x80 && r <= 0x9f || unicode.Is(unicode.Bidi_Control, r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) && r != 0x200d
}

// ShellWord is s as one word of a POSIX shell command: as it is when it
// holds only characters no shell acts on (a user name, a region, an
// ARN), else in single quotes, inside which a shell expands nothing (a
// single quote within closes them, is written escaped, and opens them
// again). A pasted line runs its command with s as one argument, and
// nothing else.
func ShellWord(s string) string {
	if s != "" && strings.Trim(s, safeShellChars) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safeShellChars are the characters a POSIX shell gives no meaning to
// anywhere in a word (no ~, which expands at a word's start, and no =,
// which makes a first word an assignment).
const safeShellChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+:,./-"
