// Package ui is the wizard: a Bubble Tea state machine that walks the
// tutorial's steps one screen at a time. What each step is and does lives
// in package steps; this package only shows it and asks.
package ui

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/awssecure/awssecure/steps"
)

// Options configure the wizard.
type Options struct {
	Account  steps.Account
	Practice bool
	Region   string
	Files    FileOptions
	Now      func() time.Time // nil: time.Now
	Dark     bool             // background guess until the terminal answers
	// Accessible says the wizard as plain lines on Output and takes its
	// answers as lines from Input (nil: stdout and stdin), for screen
	// readers; run it with NewProgram, which leaves the terminal in its
	// line mode.
	Accessible bool
	Input      io.Reader
	Output     io.Writer
	// AccountErr is why the account could not be opened (no credentials,
	// a region that does not exist); Account is nil then, and the first
	// screen explains how to fix it.
	AccountErr error
	// OpenPractice, when set, lets a user whose credentials do not work
	// switch to the practice account from the trouble screen.
	OpenPractice func() (steps.Account, FileOptions, error)
	// Unshown remembers across runs which users' new credentials were
	// made and never shown, so a rerun leads to new ones.
	Unshown steps.UnshownCredentials
	// SignIn opens the account with the admin user's new key, for the
	// handoff; nil is steps.SignInWithKey.
	SignIn steps.SignIn
	// Wait is how the handoff waits while IAM makes a new key known; nil
	// is steps.Sleep. Tests shorten it.
	Wait func(context.Context, time.Duration) error
}

// Model is the wizard's root: the current screen, the teaching panel and
// the quit confirmation; everything else is the screens' own.
type Model struct {
	c        *common
	seq      []planned
	at       int // index of the current screen in seq
	current  screen
	shown    opened   // which screen current is, in the order they opened
	skipped  []string // titles of the steps skipped so far
	runbook  []steps.RunbookEntry
	carried  handoff // what holds from one screen to every later one (see advance)
	quitting bool    // asking "quit?"
	// skipping is the skip waiting for the user's yes; nil when none.
	skipping *askSkipMsg
	closing  bool // quit confirmed: undoing unfinished work before exiting
	done     bool
	// cleanup is what must be undone before exiting (e.g. delete an
	// unenabled MFA device); it stays set until it has run, so that
	// FinishCleanup can run it if the program ends some other way.
	cleanup cleanupMsg
	spinner spinner.Model
}

// New builds the wizard.
func New(ctx context.Context, opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Wait == nil {
		opts.Wait = steps.Sleep
	}
	if opts.SignIn == nil {
		opts.SignIn = steps.SignInWithKey
	}
	c := &common{
		ctx: ctx, acct: opts.Account, practice: opts.Practice, region: opts.Region, now: opts.Now, files: opts.Files, accessible: opts.Accessible,
		width: 80, height: 24, styles: NewStyles(opts.Dark), keys: newKeyMap(), scroll: followFocus,
		accountErr: opts.AccountErr, openPractice: opts.OpenPractice, unshown: opts.Unshown, signIn: opts.SignIn, wait: opts.Wait,
	}
	if opts.Accessible {
		c.styles = Styles{} // no colour: the lines are read aloud
		c.plain = newNarrator(opts.Input, opts.Output)
	}
	m := Model{c: c, seq: sequence(), spinner: newSpinner(), shown: 1}
	m.current = m.seq[0].open(handoff{})
	return m
}

// Init starts the first screen and asks the terminal for its background.
func (m Model) Init() tea.Cmd {
	if m.c.accessible {
		return fromScreen(m.current.init(m.c), m.shown)
	}
	return tea.Batch(fromScreen(m.current.init(m.c), m.shown), tea.RequestBackgroundColor)
}

// Update handles quit, resize, the teaching panel and navigation, then
// hands the message to the current screen. In accessible mode it also
// hears lines and says what changed (see plain.go).
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.c.accessible {
		return m.updatePlain(msg)
	}
	return m.update(msg)
}

func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.c.styles = NewStyles(msg.IsDark())
	case InterruptMsg:
		m.quitting = true
		return m, nil
	case TerminateMsg:
		// The terminal closed or the system asked us to stop: nobody is
		// there to ask, so it counts as a confirmed quit.
		return m.quit()
	case cleanedMsg:
		m.cleanup, m.done = cleanupMsg{}, true
		return m, tea.Quit
	case spinner.TickMsg:
		if m.closing {
			var cmd tea.Cmd
			m.spinner, cmd = m.spinner.Update(msg)
			return m, cmd
		}
	case tea.KeyPressMsg:
		if m.closing {
			if key.Matches(msg, m.c.keys.Quit) { // impatient: the next run replaces what is left
				m.done = true
				return m, tea.Quit
			}
			return m, nil
		}
		if m.quitting {
			return m.updateQuit(msg)
		}
		if m.skipping != nil && !key.Matches(msg, m.c.keys.Quit) {
			ask := m.skipping
			switch {
			case key.Matches(msg, m.c.keys.Yes):
				m.skipping = nil
				return m, ask.then
			case key.Matches(msg, m.c.keys.No):
				m.skipping = nil
			}
			return m, nil
		}
		switch {
		case key.Matches(msg, m.c.keys.Quit):
			if m.at == len(m.seq)-1 { // the summary: nothing left to lose
				return m.quit()
			}
			m.quitting = true
			return m, nil
		case key.Matches(msg, m.c.keys.Teach) && !m.current.typing():
			m.c.teaching = !m.c.teaching
			m.c.scroll = followFocus
			if m.c.teaching {
				m.c.scroll = showPanel
			}
			return m, nil
		case m.c.scrolled.room > 0 && key.Matches(msg, m.c.keys.ScrollUp, m.c.keys.ScrollDown):
			step := m.c.scrolled.room - 1
			if key.Matches(msg, m.c.keys.ScrollUp) {
				step = -step
			}
			m.c.scroll = min(max(m.c.scrolled.start+step, 0), m.c.scrolled.total-m.c.scrolled.room)
			return m, nil
		}
		// Any other key is the user acting again: the window follows what
		// the key moved or asked (a cursor, a question, a form's field).
		m.c.scroll = followFocus
	case nextMsg:
		if msg.from != 0 && msg.from != m.shown {
			return m, nil // asked by a screen already left
		}
		return m.advance(msg.handoff)
	case askSkipMsg:
		m.skipping = &msg
		return m, nil
	case recordMsg:
		m.runbook = append(m.runbook, msg.entry)
		return m, nil
	case skipMsg:
		if msg.from != 0 && msg.from != m.shown {
			return m, nil
		}
		m.skipped = append(m.skipped, msg.title)
		return m.advance(msg.handoff)
	case cleanupMsg:
		m.cleanup = msg
	case quitMsg:
		return m.quit()
	}
	var cmd tea.Cmd
	m.current, cmd = m.current.update(m.c, msg)
	return m, fromScreen(cmd, m.shown)
}

// cleanupMsg registers what must be undone if the user quits now, and
// what the quit screen says while it is being undone; the zero value
// clears it.
type cleanupMsg struct {
	fn   func(ctx context.Context)
	what string
}

// cleanedMsg says the cleanup ran; the wizard can end.
type cleanedMsg struct{}

// TerminateMsg ends the wizard as a confirmed quit would: main sends it
// when the process gets SIGTERM or SIGHUP.
type TerminateMsg struct{}

// InterruptMsg asks whether to quit, as Ctrl+C does: main sends it when
// the process gets SIGINT, which is what Ctrl+C is in accessible mode
// (the terminal stays in its line mode). Bubble Tea's own
// tea.InterruptMsg would end the program at once, answers lost, before
// the wizard could ask.
type InterruptMsg struct{}

// CleanupTimeout bounds the undoing of unfinished work when quitting.
const CleanupTimeout = 30 * time.Second

// quitMsg ends the wizard (the summary's last key).
type quitMsg struct{}

func (m Model) updateQuit(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.c.keys.Yes), key.Matches(msg, m.c.keys.Quit):
		return m.quit()
	case key.Matches(msg, m.c.keys.No):
		m.quitting = false
	}
	return m, nil
}

// quit ends the wizard, first undoing unfinished work in a command, with
// a spinner, so the screen stays alive while AWS answers.
func (m Model) quit() (tea.Model, tea.Cmd) {
	m.quitting = false
	if m.closing {
		return m, nil
	}
	if m.cleanup.fn == nil {
		m.done = true
		return m, tea.Quit
	}
	m.closing = true
	fn, parent := m.cleanup.fn, m.c.ctx
	return m, tea.Batch(m.spinner.Tick, func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), CleanupTimeout)
		defer cancel()
		fn(ctx)
		return cleanedMsg{}
	})
}

// FinishCleanup undoes unfinished work that a quit did not get to undo,
// because the program ended another way (a lost terminal, an error).
// main calls it on the final model; after a clean quit it does nothing.
func (m Model) FinishCleanup(ctx context.Context) {
	if m.cleanup.fn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
	defer cancel()
	m.cleanup.fn(ctx)
}

// advance opens the next screen of the sequence, handing it h.
func (m Model) advance(h handoff) (tea.Model, tea.Cmd) {
	m.cleanup = cleanupMsg{}
	if m.at == len(m.seq)-1 {
		return m.quit()
	}
	m.at++
	// The admin user, its proven key and account hold for every later
	// screen; the one-time credentials go only to the next.
	if h.user != "" {
		m.carried.user = h.user
	}
	if h.newKey != nil {
		m.carried.newKey = h.newKey
	}
	if h.admin != nil {
		m.carried.admin = h.admin
	}
	h.user, h.newKey, h.admin = m.carried.user, m.carried.newKey, m.carried.admin
	h.pos, h.skipped, h.runbook = m.seq[m.at].pos, slices.Clone(m.skipped), slices.Clone(m.runbook)
	m.current = m.seq[m.at].open(h)
	m.shown++
	m.c.teaching, m.c.scroll, m.c.scrolled = false, followFocus, scrollState{}
	return m, fromScreen(m.current.init(m.c), m.shown)
}

// View draws the practice marker, the current screen, the teaching panel
// and the quit question. It runs in the alternate screen, so nothing shown
// (secrets included) stays in the terminal's scrollback.
func (m Model) View() tea.View {
	v := tea.NewView("")
	if m.c.accessible { // said in lines instead, by Update
		return v
	}
	v.AltScreen = true
	v.WindowTitle = "awssecure"
	if m.done {
		return v
	}
	c := m.c
	var parts []string
	if full, ok := m.current.(fullHeightScreen); c.practice && (!ok || !full.drawsPracticeMarker() || m.quitting) {
		parts = append(parts, c.practiceMarker())
	}
	if m.closing {
		parts = append(parts, m.spinner.View()+" "+m.cleanup.what)
		v.SetContent(strings.Join(parts, "\n"))
		return v
	}
	if m.skipping != nil && !m.quitting {
		parts = append(parts, c.styles.Panel.Width(min(c.width, 76)).Render(
			c.styles.Title.Render("Skip “"+m.skipping.title+"”?")+"\n"+
				"It stays undone: the summary lists it, and the next run offers it again."+"\n\n"+c.helpLine(c.keys.Yes, c.keys.No)))
		v.SetContent(strings.Join(parts, "\n"))
		return v
	}
	if m.quitting {
		parts = append(parts, c.styles.Error.Width(min(c.width, 76)).Render(
			c.styles.Title.Render("Quit awssecure?")+"\n"+m.quitWarning()+"\n\n"+c.helpLine(c.keys.Yes, c.keys.No)))
		v.SetContent(strings.Join(parts, "\n"))
		return v
	}
	if c.width < minWidth || c.height < minHeight {
		// Nothing half drawn: a key or an error off the screen is one the
		// user never sees.
		v.SetContent(lipgloss.NewStyle().Width(c.width).Render(fmt.Sprintf(
			"Make the terminal at least %d×%d to use awssecure (it is %d×%d now).", minWidth, minHeight, c.width, c.height)))
		return v
	}
	panel := ""
	if m.c.teaching {
		info, cli := m.current.teach(c)
		text := c.styles.Title.Render("Do it by hand") + "\n" +
			c.styles.Subtle.Render("Console: ") + info.ConsolePath + "\n" + c.styles.Subtle.Render(info.ConsoleURL)
		if info.More != "" {
			text += "\n" + info.More
		}
		width := min(c.width, 100)
		if cli != "" {
			// Inside the border and padding: 4 columns.
			text += "\n" + c.styles.Subtle.Render("AWS CLI:") + "\n" + c.styles.Code.Render(shellLines(cli, width-4))
		}
		panel = c.styles.Panel.Width(width).Render(text)
	}
	// The screen's frame places the panel, where it scrolls with the body.
	c.panel, c.panelDrawn = panel, false
	c.rows = c.height - len(parts)
	c.formFocused = m.current.typing()
	parts = append(parts, m.current.view(c))
	if panel != "" && !c.panelDrawn { // a screen drawn without a frame: the panel goes under it
		parts = append(parts, panel)
	}
	v.SetContent(lipgloss.NewStyle().MaxWidth(c.width).Render(strings.Join(parts, "\n")))
	return v
}

// Rerun is the command that runs the wizard again on the same account
// (with --practice on the practice account), for main's last words.
func (m Model) Rerun() string { return m.c.rerun() }

func (m Model) quitWarning() string {
	if w, ok := m.current.(quitWarner); ok {
		if said := w.quitWarning(m.c); said != "" {
			return said
		}
	}
	return "Everything done so far stays done in the account. To pick up where you left off, run:" + m.c.rerunLine()
}
