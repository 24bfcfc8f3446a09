package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/awssecure/awssecure/steps"
)

// stage is the small state every step screen moves through.
type stage int

const (
	detecting stage = iota
	alreadyDone
	editing
	applying
	finished
	failed
)

// frame draws a step screen: its title, the why, the body and a help
// line, within the rows the root left for it (c.rows). When they do not
// fit, the why goes first (the teaching panel keeps the how); then the
// body scrolls, while the title and the keys stay on screen. A screen
// with a form in focus shows the bottom of its body, where the focused
// field and its error are.
func (c *common) frame(pos position, info steps.Info, body, help string) string {
	if got := c.capture; got != nil {
		got.framed, got.pos, got.title, got.why, got.body, got.help = true, pos, info.Title, info.Why, body, help
	}
	width := min(c.width, 100) - 2
	title := c.styles.Title.Render(info.Title)
	if pos.n > 0 {
		title = c.styles.Subtle.Render(fmt.Sprintf("Step %d of %d · ", pos.n, pos.total)) + title
	}
	body = c.styles.Body.Width(width).Render(body)
	// Wrapped, not cut: a key cut off at the edge is a key never found.
	help = lipgloss.NewStyle().Width(width).Render(help)
	parts := []string{title, "", body, "", help}
	if !c.teaching && info.Why != "" {
		parts = []string{title, c.styles.Subtle.Width(width).Render(info.Why), "", body, "", help}
	}
	if full := strings.Join(parts, "\n"); c.rows <= 0 || lipgloss.Height(full) <= c.rows {
		c.scrolled = scrollState{}
		return full
	}
	if compact := strings.Join([]string{title, "", body, "", help}, "\n"); lipgloss.Height(compact) <= c.rows {
		c.scrolled = scrollState{}
		return compact
	}
	lines := strings.Split(body, "\n")
	room := max(c.rows-3-lipgloss.Height(help), 1) // title, a blank, the scroll line
	start := c.scroll
	if start < 0 { // not scrolled by hand: a form shows its end, anything else its start
		start = 0
		if c.formFocused {
			start = len(lines) - room
		}
	}
	start = min(max(start, 0), len(lines)-room)
	c.scrolled = scrollState{start: start, room: room, total: len(lines)}
	where := fmt.Sprintf("lines %d–%d of %d · pgup/pgdn scroll", start+1, start+room, len(lines))
	return strings.Join([]string{title, "", strings.Join(lines[start:start+room], "\n"), c.styles.Subtle.Render(where), help}, "\n")
}

// scrollState is where a scrolled body stands, for the scroll keys.
type scrollState struct{ start, room, total int }

// Smallest terminal the wizard draws in: below it the screens cannot keep
// a title, some body and the keys in view at once.
const (
	minWidth  = 50
	minHeight = 14
)

// errorPanel is how a failure shows: a plain sentence, the fix, and the
// choices. It never shows the raw error alone.
func (c *common) errorPanel(err error) string {
	e := steps.Explain(err)
	width := min(c.width, 100) - 4
	return c.styles.Error.Width(width).Render(
		c.styles.Fail.Render("✗ "+e.What) + "\n" + e.Fix + "\n\n" + c.helpLine(c.keys.Retry, c.keys.Skip, c.keys.Quit))
}

func newSpinner() spinner.Model {
	return spinner.New(spinner.WithSpinner(spinner.Dot))
}

// spin advances a screen's spinner while the screen is busy. Once it is
// not, the tick is dropped and the spinner stops, as nothing asks for
// the next one. In accessible mode it never moves.
func (c *common) spin(sp *spinner.Model, msg spinner.TickMsg, busy bool) tea.Cmd {
	if !busy || c.accessible { // a screen reader would read every frame
		return nil
	}
	var cmd tea.Cmd
	*sp, cmd = sp.Update(msg)
	return cmd
}

// stepKey answers the keys every step screen shares: enter moves on from
// a done step (handing h to the next screen), e redoes a step found done
// (when redo is not nil), r retries and s skips a failed one. It reports
// whether the key was one of those.
func (c *common) stepKey(msg tea.KeyPressMsg, st stage, title string, h handoff, redo, retry func(*common) tea.Cmd) (tea.Cmd, bool) {
	switch {
	case (st == alreadyDone || st == finished) && key.Matches(msg, c.keys.Next):
		return nextWith(h), true
	case st == alreadyDone && redo != nil && key.Matches(msg, c.keys.Redo):
		return redo(c), true
	case st == failed && key.Matches(msg, c.keys.Retry):
		return retry(c), true
	case st == failed && key.Matches(msg, c.keys.Skip):
		return askSkip(title, h), true
	}
	return nil, false
}

// checkLine renders one checklist row with its symbol, so meaning never
// rests on colour alone. A detail too long for its column is wrapped
// under it, whole, never cut: it is the advice the user needs.
func (c *common) checkLine(ch steps.Check) string {
	if c.accessible {
		return plainCheck(ch)
	}
	symbol, style := "?", c.styles.Warn
	switch ch.Status {
	case steps.Pass:
		symbol, style = "✓", c.styles.Done
	case steps.Fail:
		symbol, style = "✗", c.styles.Fail
	case steps.Warn:
		symbol = "!"
	}
	const titleWidth = 30
	head := style.Render(symbol) + " " + lipgloss.NewStyle().Width(titleWidth).Render(ch.Title) + " "
	room := min(c.width, 100) - 2 - lipgloss.Width(head)
	if room >= 20 && lipgloss.Width(ch.Detail) <= room {
		return head + c.styles.Subtle.Render(ch.Detail)
	}
	// On lines of its own, indented under the title, wrapped at spaces.
	width := max(min(c.width, 100)-2-4, 20)
	return head + "\n" + lipgloss.NewStyle().PaddingLeft(4).Render(c.styles.Subtle.Width(width).Render(ch.Detail))
}

func (c *common) checklist(checks []steps.Check) string {
	var lines []string
	for _, ch := range checks {
		lines = append(lines, c.checkLine(ch))
	}
	return strings.Join(lines, "\n")
}

// shellLines breaks each command longer than width before one of its
// options ("--flag value" stays together), ending each broken line with
// " \" and indenting the rest, so the command can be copied and pasted as
// it is shown. Comments and short lines are kept as they are.
func shellLines(cli string, width int) string {
	var out []string
	for _, line := range strings.Split(cli, "\n") {
		if lipgloss.Width(line) <= width || strings.HasPrefix(line, "#") || strings.HasSuffix(line, "\\") {
			out = append(out, line)
			continue
		}
		// Pieces: the command, then each option with its value.
		var pieces []string
		for i, part := range strings.Split(line, " --") {
			if i > 0 {
				part = "--" + part
			}
			pieces = append(pieces, part)
		}
		current := pieces[0]
		for _, p := range pieces[1:] {
			if lipgloss.Width(current+" "+p+" \\") <= width {
				current += " " + p
				continue
			}
			out = append(out, current+" \\")
			current = "    " + p
			// An option whose value does not fit beside it: the value on a
			// line of its own.
			if flag, value, ok := strings.Cut(p, " "); ok && lipgloss.Width(current+" \\") > width {
				out = append(out, "    "+flag+" \\")
				current = "    " + value
				if lipgloss.Width(current) > width {
					current = value // too long for any line: not indented too
				}
			}
		}
		out = append(out, current)
	}
	return strings.Join(out, "\n")
}
