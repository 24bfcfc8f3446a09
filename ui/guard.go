package ui

import (
	"errors"
	"reflect"
	"runtime"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// BugError is a panic the wizard stopped at. Its text is one short
// sentence that is safe to print: it holds the runtime's own words for
// the fault (an index out of range, a nil map) and never any other panic
// value, which could be anything, a secret included.
type BugError struct {
	fault string // a runtime.Error's text, or ""
}

func newBug(r any) *BugError {
	if err, ok := r.(runtime.Error); ok {
		return &BugError{fault: strings.TrimPrefix(err.Error(), "runtime error: ")}
	}
	return &BugError{}
}

func (e *BugError) Error() string {
	const after = "; your account is as it was after the last completed step"
	if e.fault == "" {
		return "awssecure hit a bug and stopped" + after
	}
	return "awssecure hit a bug and stopped: " + e.fault + after
}

// Program is the wizard running as a Bubble Tea program. A panic in
// Init, Update, View or a command stops the wizard the way a quit does,
// so the terminal is left as it was found (main screen, cursor shown, raw
// mode off), and Run returns a *BugError. Bubble Tea would restore the
// terminal too, but it prints the panic's value and stack and returns an
// error that reads like an ordinary kill.
type Program struct {
	p *tea.Program
	g *guard
	// plain says and hears the wizard in accessible mode; nil otherwise.
	plain *narrator
}

// NewProgram prepares the wizard's model m to run. An accessible wizard
// (Options.Accessible) runs without Bubble Tea's screen and keyboard: the
// terminal stays in its line mode and the wizard says itself in lines.
func NewProgram(m tea.Model, opts ...tea.ProgramOption) *Program {
	g := &guard{}
	var plain *narrator
	if w, ok := m.(Model); ok && w.c.plain != nil {
		plain = w.c.plain
		width, height, ok := plain.size()
		if !ok {
			width, height = w.c.width, w.c.height
		}
		opts = append([]tea.ProgramOption{tea.WithoutRenderer(), tea.WithInput(nil), tea.WithWindowSize(width, height)}, opts...)
	}
	p := tea.NewProgram(guarded{inner: m, g: g}, opts...)
	g.program = p
	return &Program{p: p, g: g, plain: plain}
}

// Send hands msg to the running wizard (main's signals).
func (w *Program) Send(msg tea.Msg) { w.p.Send(msg) }

// Kill stops the wizard at once, restoring the terminal.
func (w *Program) Kill() { w.p.Kill() }

// Run runs the wizard until it quits and returns its last model, so main
// can finish what it left undone.
func (w *Program) Run() (tea.Model, error) {
	if w.plain != nil {
		// The reader outlives Run when the input never ends; the process
		// ends soon after, and nothing else reads it.
		go readLines(w.plain.in, w.p.Send)
		defer w.plain.finish()
	}
	final, err := w.p.Run()
	var last tea.Model
	if g, ok := final.(guarded); ok {
		last = g.inner
	}
	switch {
	case w.g.bug != nil:
		return last, w.g.bug
	case errors.Is(err, tea.ErrProgramPanic):
		// Bubble Tea caught a panic outside the guard (in its own code).
		return last, &BugError{}
	}
	return last, err
}

// Run runs the wizard's model m until it quits; see Program.
func Run(m tea.Model, opts ...tea.ProgramOption) error {
	_, err := NewProgram(m, opts...).Run()
	return err
}

// guard is what the guarded model shares across its copies. Init, Update
// and View run on Run's goroutine, so bug needs no lock; a command's
// panic reaches it as a panicMsg.
type guard struct {
	program *tea.Program
	bug     *BugError
}

// guarded wraps the wizard's model: it recovers panics in the model and
// in every command it returns, and after the first panic shows nothing
// and ignores everything until the program has quit.
type guarded struct {
	inner tea.Model
	g     *guard
}

// panicMsg carries a command's panic to Update.
type panicMsg struct{ bug *BugError }

func (m guarded) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			m.g.bug, cmd = newBug(r), tea.Quit
		}
	}()
	return guardCmd(m.inner.Init())
}

func (m guarded) Update(msg tea.Msg) (next tea.Model, cmd tea.Cmd) {
	if m.g.bug != nil {
		return m, nil
	}
	if p, ok := msg.(panicMsg); ok {
		m.g.bug = p.bug
		return m, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			m.g.bug, next, cmd = newBug(r), m, tea.Quit
		}
	}()
	inner, cmd := m.inner.Update(msg)
	return guarded{inner: inner, g: m.g}, guardCmd(cmd)
}

func (m guarded) View() (v tea.View) {
	if m.g.bug != nil {
		return tea.NewView("")
	}
	defer func() {
		if r := recover(); r != nil {
			m.g.bug = newBug(r)
			v = tea.NewView("")
			// View cannot return a command; Quit waits for the loop that is
			// rendering now, so it is sent from elsewhere.
			go m.g.program.Quit()
		}
	}()
	return m.inner.View()
}

// guardCmd runs cmd with a recover, turning its panic into a panicMsg.
// The commands of a tea.Batch or tea.Sequence, which Bubble Tea runs
// itself once cmd returns them, are guarded as well.
func guardCmd(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{newBug(r)}
			}
		}()
		return guardCmds(cmd())
	}
}

// cmdType is the element type of tea.BatchMsg and of tea.Sequence's
// unexported message: both are lists of commands.
var cmdType = reflect.TypeFor[tea.Cmd]()

func guardCmds(msg tea.Msg) tea.Msg {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return msg
	}
	guarded := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	for i := range v.Len() {
		cmd, _ := v.Index(i).Interface().(tea.Cmd)
		guarded.Index(i).Set(reflect.ValueOf(guardCmd(cmd)))
	}
	return guarded.Interface()
}
