// Package ui is the wizard: a Bubble Tea state machine that walks the
// tutorial's steps one screen at a time. What each step is and does lives
// in package steps; this package only shows it and asks.
package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/awssecure/awssecure/steps"
)

// screenID names the wizard's screens, in the tutorial's order.
type screenID int

const (
	screenPreflight screenID = iota
	screenRoot
	screenPolicy
	screenGroup
	screenUser
	screenMFA
	screenCredentials
	screenAlias
	screenRegions
	screenSummary
)

// screen is one step's screen. Each keeps its own small state enum
// (detecting, editing, applying, done, failed) and reports completion
// with nextMsg.
type screen interface {
	init(c *common) tea.Cmd
	update(c *common, msg tea.Msg) (screen, tea.Cmd)
	view(c *common) string
	// teach is the teaching panel: console path and CLI with the user's values.
	teach(c *common) (steps.Info, string)
	// typing reports whether a text field has focus, so plain keys go to it.
	typing() bool
}

// fullHeightScreen is a screen that needs every row (the QR code) and
// draws the practice marker itself, beside its content.
type fullHeightScreen interface{ drawsPracticeMarker() bool }

// nextMsg asks the root to move to the screen after this one.
type nextMsg struct{}

func next() tea.Msg { return nextMsg{} }

// Options configure the wizard.
type Options struct {
	Account  steps.Account
	Practice bool
	Region   string
	Files    FileOptions
	Now      func() time.Time // nil: time.Now
	Dark     bool             // background guess until the terminal answers
	// Accessible asks every form's questions as plain lines (huh's
	// accessible mode), for screen readers.
	Accessible bool
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
}

// Model is the wizard's root: the current screen, the teaching panel and
// the quit confirmation; everything else is the screens' own.
type Model struct {
	c        *common
	id       screenID
	current  screen
	quitting bool // asking "quit?"
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
	c := &common{
		ctx: ctx, acct: opts.Account, practice: opts.Practice, region: opts.Region, now: opts.Now, files: opts.Files, accessible: opts.Accessible,
		width: 80, height: 24, styles: NewStyles(opts.Dark), keys: newKeyMap(),
		accountErr: opts.AccountErr, openPractice: opts.OpenPractice, unshown: opts.Unshown,
	}
	m := Model{c: c, id: screenPreflight, current: &preflightScreen{}, spinner: newSpinner()}
	return m
}

// Init starts the first screen and asks the terminal for its background.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.current.init(m.c), tea.RequestBackgroundColor)
}

// Update handles quit, resize, the teaching panel and navigation, then
// hands the message to the current screen.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.c.styles = NewStyles(msg.IsDark())
	case tea.InterruptMsg:
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
		switch {
		case key.Matches(msg, m.c.keys.Quit):
			if m.id == screenSummary {
				return m.quit()
			}
			m.quitting = true
			return m, nil
		case key.Matches(msg, m.c.keys.Teach) && !m.current.typing():
			m.c.teaching = !m.c.teaching
			return m, nil
		}
	case nextMsg:
		return m.advance()
	case cleanupMsg:
		m.cleanup = msg
	case quitMsg:
		return m.quit()
	}
	var cmd tea.Cmd
	m.current, cmd = m.current.update(m.c, msg)
	return m, cmd
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

func (m Model) advance() (tea.Model, tea.Cmd) {
	m.cleanup = cleanupMsg{}
	if m.id == screenSummary {
		return m.quit()
	}
	m.id++
	m.current = newScreen(m.id)
	m.c.teaching = false
	return m, m.current.init(m.c)
}

func newScreen(id screenID) screen {
	switch id {
	case screenRoot:
		return &rootScreen{}
	case screenPolicy:
		return &policyScreen{}
	case screenGroup:
		return &groupScreen{}
	case screenUser:
		return &userScreen{}
	case screenMFA:
		return &mfaScreen{}
	case screenCredentials:
		return &credentialsScreen{}
	case screenAlias:
		return &aliasScreen{}
	case screenRegions:
		return &regionsScreen{}
	case screenSummary:
		return &summaryScreen{}
	}
	return &preflightScreen{}
}

// View draws the practice marker, the current screen, the teaching panel
// and the quit question. It runs in the alternate screen, so nothing shown
// (secrets included) stays in the terminal's scrollback.
func (m Model) View() tea.View {
	v := tea.NewView("")
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
	if m.quitting {
		parts = append(parts, c.styles.Error.Width(min(c.width, 76)).Render(
			c.styles.Title.Render("Quit awssecure?")+"\n"+m.quitWarning()+"\n\n"+c.helpLine(c.keys.Yes, c.keys.No)))
		v.SetContent(strings.Join(parts, "\n"))
		return v
	}
	parts = append(parts, m.current.view(c))
	if m.c.teaching {
		info, cli := m.current.teach(c)
		panel := c.styles.Title.Render("Do it by hand") + "\n" +
			c.styles.Subtle.Render("Console: ") + info.ConsolePath + "\n" + c.styles.Subtle.Render(info.ConsoleURL)
		if cli != "" {
			panel += "\n" + c.styles.Subtle.Render("AWS CLI:") + "\n" + c.styles.Code.Render(cli)
		}
		parts = append(parts, c.styles.Panel.Width(min(c.width, 100)).Render(panel))
	}
	v.SetContent(lipgloss.NewStyle().MaxWidth(c.width).Render(strings.Join(parts, "\n")))
	return v
}

func (m Model) quitWarning() string {
	switch m.id {
	case screenCredentials:
		return m.c.styles.Warn.Render("The new user's password and secret key have not been confirmed as saved. If you quit now they are lost and cannot be shown again (you can make new ones later).")
	case screenMFA:
		if created := m.c.created; created != nil && (!created.Password.IsZero() || created.AccessKey != nil) {
			return "The MFA device that is not yet enabled will be deleted. " +
				m.c.styles.Warn.Render("The new password and access key for "+created.Name+" have not been shown yet: they come after this step. "+
					"If you quit now they are lost; the next run makes new ones.")
		}
		return "The MFA device that is not yet enabled will be deleted. Everything done so far stays done; run awssecure again to continue."
	}
	return "Everything done so far stays done in the account. Run awssecure again to pick up where you left off."
}
