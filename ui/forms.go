package ui

import (
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// prepareForm sizes a form to the terminal and gives it the theme.
func (c *common) prepareForm(f *huh.Form) *huh.Form {
	// huh's fields learn the background only from a message they may never
	// get (they are made after it came): the theme asks the wizard's styles.
	theme := huh.ThemeFunc(func(bool) *huh.Styles { return formTheme(c.styles) })
	return fitForm(f.WithShowHelp(true).WithTheme(theme), min(c.width, 100)-2)
}

// fitForm gives a form its width and every page the height of its fields
// at that width. huh sizes a page when it is made, at 80 columns, and again
// only when the terminal's size arrives, which it asks for in Init: a page
// that wraps to one more line at the real width was drawn until then with
// its first line scrolled away (a note's title, e.g. "This makes:").
func fitForm(f *huh.Form, width int) *huh.Form {
	f.WithWidth(width)
	f.Update(tea.WindowSizeMsg{Width: width, Height: tallTerminal}) // a Form updates itself in place
	return f
}

// noteText is s as a huh Note's description must be given to be shown
// as it is: huh reads a note's description as a little markdown, where _
// and * turn italics and bold on and off, a backquote a code block, and \
// shows the next character as it is. A trail named my_org_trail came out
// "myorgtrail" in italics, and an escape shown as \x1b came out "x1b".
func noteText(s string) string { return noteEscapes.Replace(s) }

var noteEscapes = strings.NewReplacer(`\`, `\\`, "_", `\_`, "*", `\*`, "`", "\\`")

// noteWords is what a note whose description was given by noteText says.
func noteWords(description string) string {
	var b strings.Builder
	escaped := false
	for _, r := range description {
		if r == '\\' && !escaped {
			escaped = true
			continue
		}
		escaped = false
		b.WriteRune(r)
	}
	return b.String()
}

// focusBar is the left edge the theme draws beside the field in focus,
// and beside no other: the frame finds the focus by it.
const focusBar = "┃"

// formTheme is huh's base theme (a bar beside the field in focus, plain
// text elsewhere) in the wizard's colours, each with its value for a
// light and a dark background.
func formTheme(s Styles) *huh.Styles {
	t := huh.ThemeBase(s.Dark)
	ld := lipgloss.LightDark(s.Dark)
	accent := s.Title.GetForeground()
	t.Focused.Base = t.Focused.Base.BorderForeground(accent)
	t.Focused.Card = t.Focused.Base
	t.Focused.Title = s.Title
	t.Focused.NoteTitle = s.Title
	t.Focused.Description = s.Subtle
	t.Focused.ErrorIndicator = t.Focused.ErrorIndicator.Inherit(s.Fail)
	t.Focused.ErrorMessage = t.Focused.ErrorMessage.Inherit(s.Fail)
	t.Focused.SelectSelector = t.Focused.SelectSelector.Foreground(accent)
	t.Focused.MultiSelectSelector = t.Focused.MultiSelectSelector.Foreground(accent)
	t.Focused.NextIndicator = t.Focused.NextIndicator.Foreground(accent)
	t.Focused.PrevIndicator = t.Focused.PrevIndicator.Foreground(accent)
	t.Focused.SelectedPrefix = t.Focused.SelectedPrefix.Inherit(s.Done)
	t.Focused.FocusedButton = t.Focused.FocusedButton.Foreground(ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#000000"))).Background(accent)
	t.Focused.BlurredButton = t.Focused.BlurredButton.Foreground(ld(lipgloss.Color("#000000"), lipgloss.Color("#FFFFFF"))).
		Background(ld(lipgloss.Color("#DDDDDD"), lipgloss.Color("#444444")))
	t.Focused.Next = t.Focused.FocusedButton
	t.Focused.TextInput.Cursor = lipgloss.NewStyle().Foreground(accent)
	t.Focused.TextInput.Placeholder = s.Subtle
	t.Focused.TextInput.Prompt = lipgloss.NewStyle().Foreground(accent)
	// The form's keys look like the wizard's own help line.
	t.Help = help.Styles{ShortKey: s.Key, ShortDesc: s.Subtle, ShortSeparator: s.Subtle, Ellipsis: s.Subtle,
		FullKey: s.Key, FullDesc: s.Subtle, FullSeparator: s.Subtle}

	t.Blurred = t.Focused
	t.Blurred.Base = t.Focused.Base.BorderStyle(lipgloss.HiddenBorder())
	t.Blurred.Card = t.Blurred.Base
	t.Blurred.Title = lipgloss.NewStyle().Bold(true)
	t.Blurred.NoteTitle = t.Blurred.Title
	t.Blurred.SelectSelector = lipgloss.NewStyle().SetString("  ")
	t.Blurred.MultiSelectSelector = lipgloss.NewStyle().SetString("  ")
	t.Blurred.NextIndicator = lipgloss.NewStyle()
	t.Blurred.PrevIndicator = lipgloss.NewStyle()
	t.Blurred.TextInput.Prompt = s.Subtle
	t.Group.Title = s.Title
	t.Group.Description = s.Subtle
	return t
}

// formView is the form as drawn, with the text of fields out of focus in
// the terminal's own colour. huh themes a text field's prompt and text
// only while it has focus; out of focus, the field's text input keeps its
// defaults for a dark background: ANSI white (SGR 37), which is white on
// white on a light terminal. The wizard's own styles never use ANSI white.
//
// Blank lines come once: huh pads every page of a form to its tallest
// page's height, lines a small terminal cannot spare.
func formView(f *huh.Form) string {
	var out []string
	blank := false
	for _, line := range strings.Split(strings.ReplaceAll(f.View(), ansiWhite, ansiDefaultFg), "\n") {
		wasBlank := blank
		blank = strings.TrimSpace(ansi.Strip(line)) == ""
		if !blank || !wasBlank {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

const (
	ansiWhite     = "\x1b[37m"
	ansiDefaultFg = "\x1b[39m"
)

// startForm shows a form. In accessible mode (--accessible) the same form
// is asked a field at a time as plain lines (see plain_form.go), and the
// answers typed reach it as the keys a person would have pressed.
func (c *common) startForm(f *huh.Form) tea.Cmd {
	c.prepareForm(f)
	if c.plain != nil {
		c.plain.open(f)
	}
	return f.Init()
}

// toggleHint is how a checklist question says it is answered: with space
// in the wizard, with numbers in accessible mode.
func (c *common) toggleHint() string {
	if c.accessible {
		return "choose by number"
	}
	return "space toggles"
}

// updateForm forwards msg to the form and reports its state afterwards.
func (c *common) updateForm(f *huh.Form, msg tea.Msg) (tea.Cmd, huh.FormState) {
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		// The form follows the terminal's width. Its height is the frame's
		// to manage (the body scrolls, the focus kept in view), so huh is
		// told the terminal is tall enough for every field: a field huh
		// cut off could not be scrolled to.
		f.WithWidth(min(size.Width, 100) - 2)
		msg = tea.WindowSizeMsg{Width: size.Width, Height: tallTerminal}
	}
	_, cmd := f.Update(msg) // a Form updates itself in place
	// huh moves to the next field or page by a command, which Bubble Tea
	// delivers after the keys already read with the Enter: a name typed
	// right after it (a paste, a quick typist, a script) landed in the
	// field just left. Its moves are plain messages; they are made at once.
	for isFormMove(cmd) {
		_, cmd = f.Update(cmd())
	}
	return cmd, f.State
}

// optionRoom is the widest option label that fits beside its cursor and
// box in the narrowest terminal the wizard draws in: huh cuts a longer
// one at the edge, mid-word.
const optionRoom = minWidth - 2 - 2 - 2 - 4 // the frame, the field's bar and padding, "> ", "[•] "

// fitOption wraps an option's label at spaces to optionRoom; accessible
// mode reads it whole, on one line.
func fitOption(label string, accessible bool) string {
	if accessible {
		return label
	}
	return ansi.Wordwrap(label, optionRoom, "")
}

// tallTerminal is the height huh is told the terminal has.
const tallTerminal = 1000

// formMoves are huh's commands that move between fields and pages. Two are
// unexported, so they are known by name; if huh renames them, moves are
// merely delivered later again (TestKeysTypedAfterEnterLandInTheNextField
// says so).
var formMoves = map[string]bool{
	"charm.land/huh/v2.NextField": true,
	"charm.land/huh/v2.PrevField": true,
	"charm.land/huh/v2.nextGroup": true,
	"charm.land/huh/v2.prevGroup": true,
}

func isFormMove(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	fn := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer())
	return fn != nil && formMoves[fn.Name()]
}

// intBetween validates a whole number typed into a form: digits only
// ("+14" and "1e2" are not what a person means by a length).
func intBetween(lo, hi int) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		n, err := strconv.Atoi(s)
		if err != nil || strings.Trim(s, "0123456789") != "" || n < lo || n > hi {
			return fmt.Errorf("enter a whole number from %d to %d", lo, hi)
		}
		return nil
	}
}

// trimmed validates what a person typed without the spaces around it,
// which no name or alias holds and nobody means to type.
func trimmed(validate func(string) error) func(string) error {
	return func(s string) error { return validate(strings.TrimSpace(s)) }
}
