package ui

import (
	"reflect"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/internal/inert"
)

// Accessible mode asks a huh form itself, a field at a time, and types
// each answer into it as keys: the form's own validation, defaults and
// hidden pages decide, exactly as on the screen. huh's own accessible
// mode is not used: it prints titles without their descriptions (the
// rules, the costs, the formats), answers refusals in its own words
// ("invalid input. please try again"), reads each question with a new
// buffered reader (a line typed ahead is lost) and cannot be interrupted
// (Ctrl+C did nothing until the form's end, which then threw the answers
// away).

// plainForm is the form being asked and where the asking stands.
type plainForm struct {
	form    *huh.Form
	formFor screen    // the screen that opened it
	group   int       // the page last introduced; -1 before the first
	field   huh.Field // the field last asked
	def     string    // an input's value when it was first asked: what enter alone keeps
}

// open makes f the form asked; the screen that opened it is bound at the
// next tell (see fieldOpen).
func (n *narrator) open(f *huh.Form) { n.plainForm = plainForm{form: f, group: -1} }

// fieldOpen reports whether the current screen s waits for an answer to
// its open form.
func (n *narrator) fieldOpen(s screen) bool {
	if n.form != nil && n.formFor == nil {
		n.formFor = s // opened by the screen current when it was first asked
	}
	return n.form != nil && n.formFor == s && n.form.State == huh.StateNormal && s.typing()
}

// fieldQuestion says, on reaching them, the form's page (its title and
// notes) and the focused field's words, and returns the field's question.
// The choices of the screen add esc, where it skips.
func (n *narrator) fieldQuestion(c *common, s screen, choices []choice) (string, bool) {
	if !n.fieldOpen(s) {
		return "", false
	}
	f := n.form
	page := formPage(f)
	if page.index != n.group {
		n.group = page.index
		var intro []string
		for _, l := range []string{page.title, page.description} {
			intro = append(intro, plainLines(l)...)
		}
		for _, note := range page.notes {
			intro = append(intro, plainLines(note.title)...)
			intro = append(intro, plainLines(note.description)...)
		}
		if len(intro) > 0 {
			n.say(c, intro...)
		}
	}
	field := f.GetFocusedField()
	w := wordsOf(reflect.ValueOf(field))
	if field != n.field {
		n.field, n.def = field, ""
		if in, ok := field.(*huh.Input); ok {
			n.def, _ = in.GetValue().(string)
		}
		var lines []string
		switch field.(type) {
		case *huh.Input:
		case *huh.MultiSelect[string]:
			lines = append(plainLines(w.title), plainLines(w.description)...)
			for i, o := range w.options {
				lines = append(lines, optionLine(i, o))
			}
		default:
			lines = append(plainLines(w.title), plainLines(w.description)...)
		}
		if len(lines) > 0 {
			n.say(c, lines...)
		}
		n.again = true
	}
	esc := ""
	for _, ch := range choices {
		if ch.typed == "esc" {
			esc = ", or type esc to " + ch.does
		}
	}
	switch field.(type) {
	case *huh.Input:
		q := plainText(w.title)
		if d := plainText(strings.ReplaceAll(w.description, backKey, "back")); d != "" {
			q += " — " + d
		}
		if n.def != "" {
			q += "; enter alone keeps " + inert.PrintableLine(n.def)
		}
		return q + esc + ":", true
	case *huh.Confirm:
		def := w.no
		if on, _ := field.GetValue().(bool); on {
			def = w.yes
		}
		return "Press enter for " + def + ", or type y (" + w.yes + ") or n (" + w.no + ")" + esc + ":", true
	case *huh.MultiSelect[string]:
		return "Type a number to choose or unchoose it, or press enter when done" + esc + ":", true
	case *huh.Note:
		return "Press enter for " + w.button + esc + ":", true
	}
	return "Press enter to go on" + esc + ":", true
}

// backKey goes back; a field that says so says, in accessible mode,
// that "back" typed does: it goes back to the form's page before.
const backKey = "shift+tab"

func optionLine(i int, o optionWords) string {
	state := "not chosen"
	if o.selected {
		state = "chosen"
	}
	return strconv.Itoa(i+1) + ". " + plainText(o.key) + ": " + state
}

// answerField types line into the focused field as the keys a person
// would press, then says what came of it when the form stays on it: the
// new state of the options toggled, or why the answer was refused.
func (m Model) answerField(line string) (tea.Model, tea.Cmd) {
	c, n := m.c, m.c.plain
	f := n.form
	field := f.GetFocusedField()
	w := wordsOf(reflect.ValueOf(field))
	enter := tea.KeyPressMsg{Code: tea.KeyEnter}
	var keys []tea.Msg
	var toggled []int
	switch field.(type) {
	case *huh.Input:
		if strings.EqualFold(line, "back") && strings.Contains(w.description, backKey) {
			return m.backAPage()
		}
		text := line
		if text == "" {
			text = n.def
		}
		// To the end, then clear what is before the cursor: the field's
		// value is replaced, as a person would.
		keys = append(keys, tea.KeyPressMsg{Code: tea.KeyEnd}, tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
		for _, r := range text {
			keys = append(keys, tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		keys = append(keys, enter)
	case *huh.Confirm:
		switch strings.ToLower(line) {
		case "":
			keys = append(keys, enter)
		case "y", "yes", strings.ToLower(w.yes):
			keys = append(keys, tea.KeyPressMsg{Code: 'y', Text: "y"})
		case "n", "no", strings.ToLower(w.no):
			keys = append(keys, tea.KeyPressMsg{Code: 'n', Text: "n"})
		default:
			n.say(c, "Type y for "+w.yes+" or n for "+w.no+".")
			n.again = true
			return m, nil
		}
	case *huh.MultiSelect[string]:
		if line == "" {
			keys = append(keys, enter)
			break
		}
		cursor := w.cursor
		for _, word := range strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == ',' }) {
			i, err := strconv.Atoi(word)
			if err != nil || i < 1 || i > len(w.options) {
				n.say(c, "Type a number from 1 to "+strconv.Itoa(len(w.options))+", or press enter when done.")
				n.again = true
				return m, nil
			}
			for ; cursor < i-1; cursor++ {
				keys = append(keys, tea.KeyPressMsg{Code: tea.KeyDown})
			}
			for ; cursor > i-1; cursor-- {
				keys = append(keys, tea.KeyPressMsg{Code: tea.KeyUp})
			}
			keys = append(keys, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
			toggled = append(toggled, i-1)
		}
	default: // a note with its button
		if line != "" {
			n.say(c, "Press enter alone to go on.")
			n.again = true
			return m, nil
		}
		keys = append(keys, enter)
	}
	var next tea.Model = m
	var cmds []tea.Cmd
	for _, k := range keys {
		var cmd tea.Cmd
		next, cmd = next.(Model).update(k)
		cmds = append(cmds, cmd)
	}
	if f.State == huh.StateNormal && f.GetFocusedField() == field {
		after := wordsOf(reflect.ValueOf(field))
		for _, i := range toggled {
			if i < len(after.options) {
				n.say(c, optionLine(i, after.options[i]))
			}
		}
		if err := field.Error(); err != nil {
			n.say(c, "Refused: "+plainText(inert.Printable(err.Error())))
		}
		n.again = true
	}
	return next, tea.Batch(cmds...)
}

// backAPage goes back to the form's page before, where the field's
// shift+tab means to go. It uses huh's Form.PrevGroup rather than the
// key: shift+tab first leaves the field, which validates it, and an empty
// required field then keeps the page from being left at all.
func (m Model) backAPage() (tea.Model, tea.Cmd) {
	return m, m.c.plain.form.PrevGroup()
}

// fieldWords are the words a huh field shows: its title and description,
// a confirm's buttons, a multi-select's options and cursor, a note's
// button. huh keeps them unexported, so they are read by reflection —
// strings, booleans and ints only, nothing called or changed;
// TestPlainFormReadsHuhsWords fails if an upgrade of huh moves them.
type fieldWords struct {
	title, description string
	yes, no            string
	options            []optionWords
	cursor             int
	button             string // a note's next button; "" when it has none
	skipped            bool   // a note huh passes over
}

type optionWords struct {
	key      string
	selected bool
}

// wordsOf reads the words of the field v holds (a huh.Field).
func wordsOf(v reflect.Value) fieldWords {
	w := fieldWords{title: reflectString(v, "title", "val"), description: reflectString(v, "description", "val")}
	w.yes, w.no = reflectString(v, "affirmative"), reflectString(v, "negative")
	if opts := reflectField(v, "options", "val"); opts.IsValid() && opts.Kind() == reflect.Slice {
		for i := range opts.Len() {
			o := opts.Index(i)
			w.options = append(w.options, optionWords{key: reflectString(o, "Key"), selected: reflectBool(o, "selected")})
		}
	}
	if cur := reflectField(v, "cursor"); cur.IsValid() && cur.CanInt() {
		w.cursor = int(cur.Int())
	}
	if reflectBool(v, "showNextButton") {
		w.button = reflectString(v, "nextLabel")
	}
	w.skipped = reflectBool(v, "skip")
	if isNote(v) {
		w.description = noteWords(w.description)
	}
	return w
}

// page is a form's current group: its index, its words and the notes huh
// passes over in it (they are said before its first question).
type page struct {
	index              int
	title, description string
	notes              []fieldWords
}

func formPage(f *huh.Form) page {
	sel := reflectField(reflect.ValueOf(f), "selector")
	p := page{index: -1}
	idx, items := reflectField(sel, "index"), reflectField(sel, "items")
	if !idx.IsValid() || !idx.CanInt() || !items.IsValid() || items.Kind() != reflect.Slice || int(idx.Int()) >= items.Len() {
		return p
	}
	p.index = int(idx.Int())
	g := items.Index(p.index)
	p.title, p.description = reflectString(g, "title"), reflectString(g, "description")
	fields := reflectField(g, "selector", "items")
	if !fields.IsValid() || fields.Kind() != reflect.Slice {
		return p
	}
	for i := range fields.Len() {
		if fv := fields.Index(i); isNote(fv) {
			if w := wordsOf(fv); w.skipped {
				p.notes = append(p.notes, w)
			}
		}
	}
	return p
}

// reflectField follows path through structs, pointers and interfaces; the
// zero Value when any step is missing.
func reflectField(v reflect.Value, path ...string) reflect.Value {
	for _, name := range path {
		for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
			if v.IsNil() {
				return reflect.Value{}
			}
			v = v.Elem()
		}
		if !v.IsValid() || v.Kind() != reflect.Struct {
			return reflect.Value{}
		}
		v = v.FieldByName(name)
	}
	return v
}

func reflectString(v reflect.Value, path ...string) string {
	if f := reflectField(v, path...); f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}

func reflectBool(v reflect.Value, path ...string) bool {
	f := reflectField(v, path...)
	return f.IsValid() && f.Kind() == reflect.Bool && f.Bool()
}

// isNote reports whether v holds a *huh.Note.
func isNote(v reflect.Value) bool {
	for v.IsValid() && v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	return v.IsValid() && v.Type() == reflect.TypeFor[*huh.Note]()
}
