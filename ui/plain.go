package ui

import (
	"bufio"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// Accessible mode (--accessible) is the wizard as a conversation in plain
// lines, for screen readers: no full-screen view, no raw keys. The terminal
// stays in its ordinary line mode, so it echoes what is typed and Ctrl+C
// is a signal that reaches the wizard while a question waits. Every state
// of every screen is said once, in order, as sentences wrapped at spaces;
// every question is one line that spells out its answers; an answer is a
// line, handed to the screen as the key it stands for, so the screens keep
// one path for both modes. The few screens that draw more than a frame of
// words (the checklist of guardrails, the MFA key, the credentials) say
// themselves (plainScreen). Secrets never go into these lines: they are
// shown on a full screen of their own (the terminal's alternate screen,
// which keeps no scrollback) that a line closes.

// lineMsg is a line the user typed; eof says the input has ended.
type lineMsg struct {
	text string
	eof  bool
}

// plainView is what a screen says in accessible mode, and what it takes
// for an answer.
type plainView struct {
	// heading is the screen's title and why: said once, whatever the
	// screen's state.
	heading []string
	lines   []string
	choices []choice
	// ask is the question; "" builds it from the choices' words.
	ask string
}

// choice is one answer a plain question takes.
type choice struct {
	typed string // what is typed; "" is enter alone
	does  string
	press tea.Msg // the key it stands for, handed to the wizard
	// page is a full screen shown instead, until enter: for secrets,
	// which must not reach the scrollback.
	page func() string
	// do is work of the screen's own (a plain checklist's toggles).
	do func() tea.Cmd
}

// plainScreen is a screen that says itself in its own words in accessible
// mode; ok false leaves it to its frame (see frameView).
type plainScreen interface {
	plain(c *common) (v plainView, ok bool)
}

// narrator says the wizard in lines and hears the answers. It lives on
// common, so screens reach it (a form opened, the terminal's size).
type narrator struct {
	in   io.Reader
	out  io.Writer
	echo bool // the input is no terminal: answers are written back, so the lines read as a conversation
	size func() (int, int, bool)
	// midLine: a question waits at the end of the last line written.
	midLine bool
	started bool
	sized   bool // the terminal's size is known
	// What was said of the current screen, so each state says only what
	// is new.
	screen screen
	said   map[string]bool // the lines of its last state
	headed map[string]bool // its headings said
	asked  string          // the last question asked; "" when none waits
	again  bool            // ask it again even if it has not changed
	// dialog is the root's question last said ("quit", "skip",
	// "closing"), said once while it is up.
	dialog string
	pageUp bool // a full screen is up; the next line closes it
	plainForm
}

func newNarrator(in io.Reader, out io.Writer) *narrator {
	if in == nil {
		in = os.Stdin
	}
	if out == nil {
		out = os.Stdout
	}
	n := &narrator{in: in, out: out, size: func() (int, int, bool) { return 0, 0, false }}
	if f, ok := in.(*os.File); !ok || !term.IsTerminal(f.Fd()) {
		n.echo = true
	}
	if f, ok := out.(*os.File); ok && term.IsTerminal(f.Fd()) {
		n.size = func() (int, int, bool) {
			w, h, err := term.GetSize(f.Fd())
			return w, h, err == nil && w > 0 && h > 0
		}
	}
	return n
}

// readLines sends each line read from r to the wizard, then eof.
func readLines(r io.Reader, send func(tea.Msg)) {
	br := bufio.NewReader(r)
	for {
		s, err := br.ReadString('\n')
		if err == nil || s != "" {
			send(lineMsg{text: strings.TrimRight(s, "\r\n")})
		}
		if err != nil {
			send(lineMsg{eof: true})
			return
		}
	}
}

// termSize is the terminal's size now: it may have been resized since
// the wizard started, and accessible mode gets no word of it.
func (n *narrator) termSize(c *common) (int, int) {
	if w, h, ok := n.size(); ok {
		return w, h
	}
	return c.width, c.height
}

// width is where lines wrap: the terminal's width less one column, so no
// line ends at the very edge.
func (n *narrator) width(c *common) int {
	w, _ := n.termSize(c)
	return max(w-1, 20)
}

// say writes lines, each wrapped at spaces.
func (n *narrator) say(c *common, lines ...string) {
	var b strings.Builder
	if n.midLine {
		b.WriteString("\n")
		n.midLine = false
	}
	for _, l := range lines {
		for _, w := range wrapAtSpaces(l, n.width(c)) {
			b.WriteString(w + "\n")
		}
	}
	_, _ = io.WriteString(n.out, b.String())
}

// answerRoom is the room a question leaves for its answer on its last
// line, so the terminal does not break a typed address or phone number
// in two.
const answerRoom = 20

// prompt writes a question; the answer is typed after it, on its line.
func (n *narrator) prompt(c *common, q string) {
	n.say(c)
	lines := wrapAtSpaces(q, max(n.width(c)-answerRoom, 20))
	_, _ = io.WriteString(n.out, strings.Join(lines, "\n")+" ")
	n.midLine, n.asked, n.again = true, q, false
}

// heard notes a line typed: the terminal echoed it with its newline, or,
// with no terminal, the narrator writes it back.
func (n *narrator) heard(text string) {
	if n.echo && n.midLine {
		_, _ = io.WriteString(n.out, inert.PrintableLine(text)+"\n")
	}
	n.midLine = false
}

// plainText is s, drawn by a screen, as a line to say: no colours, no
// borders, no spinner glyphs, and runs of spaces (columns) made one. It
// makes nothing printable: values from AWS or the user reach it through
// inert already.
func plainText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 0x2500 && r <= 0x257F, r >= 0x2800 && r <= 0x28FF: // box drawing; braille (spinners)
			return ' '
		case unicode.IsControl(r) && r != '\n':
			return -1
		}
		return r
	}, ansi.Strip(s))
	return strings.Join(strings.Fields(s), " ")
}

// plainLines is text as the lines to say: each line plain, empty ones left out.
func plainLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = plainText(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// heading is how a screen's title is said.
func plainHeading(pos position, title string) string {
	if pos.n > 0 {
		return "Step " + strconv.Itoa(pos.n) + " of " + strconv.Itoa(pos.total) + ": " + title
	}
	return title
}

// choiceOf is the answer a key stands for, by its help name: "enter"
// is enter alone, a letter is typed. Keys a line cannot carry, or that
// accessible mode answers otherwise (ctrl+c is a signal; scrolling), are
// none.
func choiceOf(name, does string) (choice, bool) {
	switch name {
	case "enter":
		return choice{typed: "", does: does, press: tea.KeyPressMsg{Code: tea.KeyEnter}}, true
	case "esc":
		return choice{typed: "esc", does: does, press: tea.KeyPressMsg{Code: tea.KeyEscape}}, true
	case "?":
		return choice{typed: "?", does: "how to do it by hand"}, true
	}
	if r := []rune(name); len(r) == 1 && unicode.IsPrint(r[0]) {
		return choice{typed: name, does: does, press: tea.KeyPressMsg{Code: r[0], Text: name}}, true
	}
	return choice{}, false
}

// choicesOf are the answers bindings stand for, each once; a binding
// whose help names two keys ("n/enter") stands for both.
func choicesOf(bindings ...key.Binding) []choice {
	var out []choice
	for _, b := range bindings {
		for _, name := range strings.Split(b.Help().Key, "/") {
			if ch, ok := choiceOf(name, b.Help().Desc); ok && !slices.ContainsFunc(out, func(o choice) bool { return o.typed == ch.typed }) {
				out = append(out, ch)
			}
		}
	}
	return out
}

// question spells out the choices: enter alone first, then what is typed.
func question(choices []choice) string {
	var enter string
	var typed []string
	for _, ch := range choices {
		if ch.typed == "" {
			enter = ch.does
			continue
		}
		typed = append(typed, ch.typed+" ("+ch.does+")")
	}
	list := func(items []string) string {
		if len(items) < 2 {
			return strings.Join(items, "")
		}
		return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
	}
	switch {
	case enter != "" && len(typed) > 0:
		return "Press enter to " + enter + ", or type " + list(typed) + ":"
	case enter != "":
		return "Press enter to " + enter + ":"
	case len(typed) > 0:
		return "Type " + list(typed) + ", then press enter:"
	}
	return ""
}

// capture is what a screen's view drew through frame and helpLine, for
// accessible mode to say instead.
type capture struct {
	framed           bool
	pos              position
	title, why, body string
	help             string
	helps            []captured // every help line drawn, with its keys
}

type captured struct {
	text     string
	bindings []key.Binding
}

// frameView is what a screen drawn with frame says: its title, its why,
// its body line by line (the open form's own view left out: its questions
// are asked as lines), and for choices the keys of the help lines shown.
func (c *common) frameView(s screen) plainView {
	got := &capture{}
	c.capture, c.rows, c.teaching = got, 0, false
	drawn := s.view(c)
	c.capture = nil
	if !got.framed {
		return plainView{lines: plainLines(drawn)}
	}
	body := got.body
	if f := c.plain.form; f != nil && s.typing() {
		body = strings.Replace(body, formView(f), "", 1) // as the screens draw it
	}
	v := plainView{heading: []string{plainHeading(got.pos, got.title)}}
	if got.why != "" {
		v.heading = append(v.heading, plainText(got.why))
	}
	shown := plainText(body + "\n" + got.help)
	var helpTexts []string
	var keys []key.Binding
	for _, h := range got.helps {
		if t := plainText(h.text); t != "" && strings.Contains(shown, t) {
			helpTexts = append(helpTexts, t)
			keys = append(keys, h.bindings...)
		}
	}
	for _, l := range plainLines(body) {
		if !slices.Contains(helpTexts, l) {
			v.lines = append(v.lines, l)
		}
	}
	v.choices = choicesOf(keys...)
	return v
}

// plainView is what the current screen says now.
func (m Model) plainView() plainView {
	if p, ok := m.current.(plainScreen); ok {
		if v, ok := p.plain(m.c); ok {
			return v
		}
	}
	return m.c.frameView(m.current)
}

// updatePlain is Update in accessible mode: a line typed is an answer;
// after each message, what changed is said.
func (m Model) updatePlain(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case tea.WindowSizeMsg:
		m.c.plain.sized = true
	case InterruptMsg, TerminateMsg:
		if m.c.plain.pageUp { // the question comes back to the lines
			m.c.plain.closePage(m.c)
		}
	}
	var next tea.Model
	var cmd tea.Cmd
	if line, ok := msg.(lineMsg); ok {
		next, cmd = m.hear(line)
	} else {
		next, cmd = m.update(msg)
	}
	if mm, ok := next.(Model); ok {
		mm.tell()
	}
	return next, cmd
}

// tell says what is new: the root's own questions (quit, skip), else the
// current screen's new lines and its question.
func (m Model) tell() {
	c, n := m.c, m.c.plain
	if n.pageUp || m.done || !n.sized { // Bubble Tea sends the size first thing: lines wrap to it
		return
	}
	if !n.started {
		n.started = true
		n.say(c, "awssecure, accessible mode. Every question is one line: type the answer, then press enter. "+
			"Ctrl+C at any question asks whether to quit; ? at any question says how to do the step by hand.")
		if c.practice {
			n.say(c, "PRACTICE ACCOUNT: nothing here touches AWS.")
		}
	}
	switch {
	case m.closing:
		n.sayDialog(c, "closing", []string{m.cleanup.what}, "")
		return
	case m.quitting:
		n.sayDialog(c, "quit", []string{"Quit awssecure? " + plainText(m.quitWarning())}, question(choicesOf(c.keys.Yes, c.keys.No)))
		return
	case m.skipping != nil:
		n.sayDialog(c, "skip", []string{"Skip “" + m.skipping.title + "”? It stays undone: the summary lists it, and running awssecure again offers it."},
			question(choicesOf(c.keys.Yes, c.keys.No)))
		return
	case n.dialog != "":
		n.dialog, n.again = "", true // back from a dialog: its question again
	}
	v := m.plainView()
	if n.screen != m.current {
		n.screen, n.said, n.headed = m.current, nil, map[string]bool{}
		n.say(c, "")
	}
	var fresh []string
	for _, l := range v.heading {
		if !n.headed[l] {
			fresh, n.headed[l] = append(fresh, l), true
		}
	}
	for _, l := range v.lines {
		if !n.said[l] {
			fresh = append(fresh, l)
		}
	}
	n.said = map[string]bool{}
	for _, l := range v.lines {
		n.said[l] = true
	}
	if len(fresh) > 0 {
		n.say(c, fresh...)
		n.again = true
	}
	q := question(v.choices)
	if v.ask != "" {
		q = v.ask
	}
	if fq, ok := n.fieldQuestion(c, m.current, v.choices); ok {
		q = fq
	}
	switch {
	case q == "":
		n.asked = ""
	case q != n.asked || n.again:
		n.prompt(c, q)
	}
}

// sayDialog says one of the root's questions once while it is up.
func (n *narrator) sayDialog(c *common, which string, lines []string, q string) {
	if n.dialog != which {
		n.dialog = which
		n.say(c, lines...)
		n.again = true
	}
	if q != "" && n.again {
		n.prompt(c, q)
	}
}

// hear takes a line typed: it closes a full screen, answers the root's
// question or the current screen's, or says why it is not an answer.
func (m Model) hear(msg lineMsg) (tea.Model, tea.Cmd) {
	c, n := m.c, m.c.plain
	n.heard(msg.text)
	if msg.eof { // nobody is left to ask: a confirmed quit, as a closed terminal is
		return m.update(TerminateMsg{})
	}
	if n.pageUp {
		n.closePage(c)
		return m, nil
	}
	line := strings.TrimSpace(msg.text)
	if line == "\x1b" {
		line = "esc"
	}
	line = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, line)
	switch {
	case m.closing:
		n.say(c, "Still undoing; awssecure ends in a moment.")
		return m, nil
	case m.quitting || m.skipping != nil:
		ch, ok := pick(choicesOf(c.keys.Yes, c.keys.No), line)
		if !ok {
			n.say(c, "Type y for yes or n for no.")
			n.again = true
			return m, nil
		}
		return m.update(ch.press)
	case line == "?":
		info, cli := m.current.teach(c)
		n.say(c, "Do it by hand. Console: "+plainText(info.ConsolePath)+" "+info.ConsoleURL)
		if cli != "" { // commands whole, as they are copied: never wrapped
			n.say(c)
			_, _ = io.WriteString(n.out, "AWS CLI:\n"+cli+"\n")
		}
		n.again = true
		return m, nil
	}
	v := m.plainView()
	if n.fieldOpen(m.current) {
		if ch, ok := pick(v.choices, line); ok && ch.typed == "esc" {
			return m.update(ch.press)
		}
		return m.answerField(line)
	}
	ch, ok := pick(v.choices, line)
	switch {
	case ok && ch.page != nil:
		n.showPage(c, ch.page())
		return m, nil
	case ok && ch.do != nil:
		return m, ch.do()
	case ok && ch.press != nil:
		return m.update(ch.press)
	case len(v.choices) == 0:
		n.say(c, "Still working; awssecure asks when it is ready.")
	default:
		n.say(c, "“"+inert.PrintableLine(line)+"” is not one of the answers.")
		n.again = true
	}
	return m, nil
}

// pick is the choice a line means: typed as shown, or in the other case
// when that is one choice only, or yes and no spelled out.
func pick(choices []choice, line string) (choice, bool) {
	switch strings.ToLower(line) {
	case "yes":
		line = "y"
	case "no":
		line = "n"
	}
	var folded []choice
	for _, ch := range choices {
		if ch.typed == line {
			return ch, true
		}
		if strings.EqualFold(ch.typed, line) {
			folded = append(folded, ch)
		}
	}
	if len(folded) == 1 {
		return folded[0], true
	}
	return choice{}, false
}

// pageCloses is how a full screen says it is closed; a page ends with it.
const pageCloses = "Press enter to close this screen; nothing of it stays in the terminal."

// showPage puts text on a full screen of its own, the terminal's
// alternate screen: what is shown there is gone, scrollback included,
// once it is closed. The next line closes it.
func (n *narrator) showPage(c *common, text string) {
	n.say(c, "Showing it on a full screen. Press enter there to come back.")
	_, _ = io.WriteString(n.out, ansi.SetModeAltScreenSaveCursor+ansi.EraseEntireScreen+ansi.CursorHomePosition+
		strings.ReplaceAll(text, "\n", "\r\n")+" ")
	n.pageUp, n.midLine = true, false
}

func (n *narrator) closePage(c *common) {
	_, _ = io.WriteString(n.out, ansi.ResetModeAltScreenSaveCursor)
	n.pageUp = false
	n.say(c, "The full screen is closed; nothing of it stays in the terminal.")
	n.again = true
}

// finish leaves a full screen still up (the wizard stopped by a signal)
// and ends the last line, so the shell's prompt starts on its own.
func (n *narrator) finish() {
	if n.pageUp {
		_, _ = io.WriteString(n.out, ansi.ResetModeAltScreenSaveCursor)
		n.pageUp = false
	}
	if n.midLine {
		_, _ = io.WriteString(n.out, "\n")
		n.midLine = false
	}
}

// plainCheck is a checklist row as a sentence: its status in a word
// beside the symbol, its title, its detail.
func plainCheck(ch steps.Check) string {
	status := map[steps.CheckStatus]string{steps.Pass: "✓ done", steps.Fail: "✗ to do", steps.Warn: "! check", steps.Unknown: "? unknown"}[ch.Status]
	if ch.Detail == "" {
		return status + ": " + ch.Title + "."
	}
	return status + ": " + ch.Title + " — " + ch.Detail
}

// formOpen reports whether f is the form accessible mode is asking.
func (c *common) formOpen(f *huh.Form) bool {
	return c.plain != nil && f != nil && c.plain.form == f
}
