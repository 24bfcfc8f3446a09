package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

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

// frame draws a step screen: its title, the why, the body, the teaching
// panel when it is open, and a help line, within the rows the root left
// for it (c.rows). When they do not fit, the why goes first (the teaching
// panel keeps the how); then the body and the panel scroll between the
// title and the keys, which stay on screen. Until the user scrolls by
// hand, the window shows what the eye is on: a panel just opened, else the
// form's field in focus (and the form's end, where its error is), moving
// no further than it must.
func (c *common) frame(pos position, info steps.Info, body, help string) string {
	return c.frameFocus(pos, info, body, "", "", help)
}

// frameFocus is frame for a body in three parts: focus is what the eye is
// on (a question, the row under the cursor, what a key just did), which
// the window keeps in view; above and below are what surround it. Each
// part is whole lines; any may be "".
func (c *common) frameFocus(pos position, info steps.Info, above, focus, below, help string) string {
	if got := c.capture; got != nil {
		var body []string
		for _, part := range []string{above, focus, below} {
			if part != "" {
				body = append(body, part)
			}
		}
		got.framed, got.pos, got.title, got.why, got.body, got.help = true, pos, info.Title, info.Why, strings.Join(body, "\n"), help
	}
	width := min(c.width, 100) - 2
	title := c.styles.Title.Render(info.Title)
	if pos.n > 0 {
		title = c.styles.Subtle.Render(fmt.Sprintf("Step %d of %d · ", pos.n, pos.total)) + title
	}
	title = lipgloss.NewStyle().Width(width).Render(title) // wrapped, not cut, in a narrow terminal
	// Each part is wrapped on its own, so the focus's lines are known.
	var lines []string
	fa, fb, end := -1, -1, -1 // the focus's first and last line; the form's end
	for i, part := range []string{above, focus, below} {
		if part == "" {
			continue
		}
		rendered := strings.Split(c.styles.Body.Width(width).Render(part), "\n")
		if i == 1 {
			fa, fb = len(lines), len(lines)+len(rendered)-1
		}
		lines = append(lines, rendered...)
	}
	if fa < 0 && c.formFocused {
		fa, fb = focusedField(lines)
		end = len(lines) - 1 // where huh says what is wrong
	}
	// The teaching panel goes under the body, above the keys, and scrolls
	// with it.
	panel := c.panel
	c.panelDrawn = true
	content := strings.Join(lines, "\n")
	if panel != "" {
		content += "\n\n" + panel
	}
	// Wrapped, not cut: a key cut off at the edge is a key never found.
	help = lipgloss.NewStyle().Width(width).Render(help)
	gap := []string{""}
	if panel != "" {
		gap = nil // the panel's border parts it from the keys
	}
	compact := slices.Concat([]string{title, "", content}, gap, []string{help})
	parts := compact
	if !c.teaching && info.Why != "" {
		parts = slices.Concat([]string{title, c.styles.Subtle.Width(width).Render(info.Why)}, compact[1:])
	}
	if full := strings.Join(parts, "\n"); c.rows <= 0 || lipgloss.Height(full) <= c.rows {
		c.scrolled = scrollState{}
		return full
	}
	if compact := strings.Join(compact, "\n"); lipgloss.Height(compact) <= c.rows {
		c.scrolled = scrollState{}
		return compact
	}
	panelAt := len(lines) + 1 // the panel's first line, after a blank
	if panel != "" {
		lines = append(append(lines, ""), strings.Split(panel, "\n")...)
	}
	room := max(c.rows-2-lipgloss.Height(title)-lipgloss.Height(help), 1) // a blank, the scroll line
	start := c.scroll
	if start < 0 { // not scrolled by hand: from where the window was, follow the eye
		start = c.scrolled.start
		switch {
		case c.scroll == showPanel && panel != "":
			start = panelAt
		case fa >= 0:
			// The form's end if the focus fits beside it, the whole focus
			// always; moving up to it, a line of what leads to it (a
			// form's title, the row above).
			if end >= start+room {
				start = end - room + 1
			}
			if fb >= start+room {
				start = fb - room + 1
			}
			if fa < start {
				start = fa
				if fa > 0 && fb-fa+1 < room {
					start = fa - 1
				}
			}
		}
	}
	start = min(max(start, 0), len(lines)-room)
	c.scrolled = scrollState{start: start, room: room, total: len(lines)}
	where := fmt.Sprintf("lines %d–%d of %d · pgup/pgdn scroll", start+1, start+room, len(lines))
	return strings.Join([]string{title, "", strings.Join(lines[start:start+room], "\n"), c.styles.Subtle.Render(where), help}, "\n")
}

// focusedField is where the form's field in focus is among a body's lines
// (its theme draws a bar left of that field alone); -1, -1 when no line
// has the bar.
func focusedField(lines []string) (first, last int) {
	first, last = -1, -1
	for i, l := range lines {
		if strings.HasPrefix(ansi.Strip(l), focusBar) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return first, last
}

// The scroll modes besides a line chosen by hand (see common.scroll).
const (
	followFocus = -1 // the window follows what the eye is on
	showPanel   = -2 // the teaching panel was just opened: show it
)

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
	ch = printableCheck(ch)
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
