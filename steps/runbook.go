package steps

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/awssecure/awssecure/internal/safefile"
)

// RunbookEntry is one change a session made, as a runbook tells it: what
// and why, where in the console, and the aws CLI command with the real
// values. It never holds a secret: commands show a password as '…'.
type RunbookEntry struct {
	Info
	Did string // what was done, in a sentence
	CLI string
}

// Runbook is the session's changes as a Markdown document an instructor
// hands out and an owner keeps for an audit.
func Runbook(accountID string, entries []RunbookEntry, now time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# awssecure runbook: account %s, %s\n\n", accountID, now.Format("2 January 2006, 15:04 MST"))
	if len(entries) == 0 {
		b.WriteString("This session changed nothing: every step was already done, or skipped.\n")
		return []byte(b.String())
	}
	entries = joinRepeated(entries)
	fmt.Fprintf(&b, "What this session changed, in order: %s. No password, secret key or MFA seed is written here.\n", counted(len(entries), "change"))
	for i, e := range entries {
		fmt.Fprintf(&b, "\n## %d. %s\n\n%s\n\n**Why.** %s\n\n**In the console.** %s — <%s>\n", i+1, e.Title, e.Did, e.Why, e.ConsolePath, e.ConsoleURL)
		if e.CLI != "" {
			fmt.Fprintf(&b, "\n**With the aws CLI.**\n\n```sh\n%s\n```\n", e.CLI)
		}
	}
	return []byte(b.String())
}

// joinRepeated makes entries that follow one another under one title a
// single section: the credentials saved as a CSV file and then as a
// profile are one step of the tutorial, said once, with both sentences
// and each command once. Each person added stays a section of their own:
// two people are two changes, each with its own commands.
func joinRepeated(entries []RunbookEntry) []RunbookEntry {
	var out []RunbookEntry
	for _, e := range entries {
		if n := len(out); n > 0 && e.Title != "" && e.Title != PersonInfo.Title && out[n-1].Title == e.Title {
			last := &out[n-1]
			last.Did = strings.TrimSpace(last.Did + " " + e.Did)
			for _, line := range strings.Split(e.CLI, "\n") {
				if line != "" && !slices.Contains(strings.Split(last.CLI, "\n"), line) {
					last.CLI = strings.TrimPrefix(last.CLI+"\n"+line, "\n")
				}
			}
			continue
		}
		out = append(out, e)
	}
	return out
}

// WriteRunbook writes the runbook in dir as awssecure-runbook-DATE.md
// (mode 0600), or -2, -3… when that name is taken: an earlier runbook is
// never replaced. It returns the path written.
func WriteRunbook(dir, accountID string, entries []RunbookEntry, now time.Time) (string, error) {
	data := Runbook(accountID, entries, now)
	base := "awssecure-runbook-" + now.Format("2006-01-02")
	for n := 1; n < 100; n++ {
		name := base + ".md"
		if n > 1 {
			name = fmt.Sprintf("%s-%d.md", base, n)
		}
		path := filepath.Join(dir, name)
		_, err := safefile.CreateNew(path, data)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("write the runbook: %w", err)
		}
		return path, nil
	}
	return "", fmt.Errorf("write the runbook: %s already holds 99 runbooks of today", dir)
}
