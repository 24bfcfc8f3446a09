package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/steps"
)

// callTimeout bounds one step's AWS work, so a hung network shows an
// error panel instead of a spinner forever.
const callTimeout = 2 * time.Minute

// common is what every screen shares: the account, what preflight learnt,
// the terminal's size, styles and keys.
type common struct {
	ctx      context.Context
	acct     steps.Account // set once; commands read it from their goroutines
	practice bool
	region   string
	now      func() time.Time
	files    FileOptions
	// accessible says the wizard in plain lines (--accessible); plain
	// is what says and hears them, and capture takes what a screen's
	// view draws through frame, for plain to say instead.
	accessible bool
	plain      *narrator
	capture    *capture
	// accountErr is why there is no account (acct is nil); openPractice
	// offers the practice account instead. Both matter only to preflight.
	accountErr   error
	openPractice func() (steps.Account, FileOptions, error)

	width, height int
	styles        Styles
	keys          keyMap
	teaching      bool // the teaching panel is open
	// panel is the teaching panel, drawn by the root for the screen's
	// frame to place ("" when closed); panelDrawn says the frame did.
	panel      string
	panelDrawn bool
	// rows is how many rows the current screen may use: the terminal's
	// height less what the root draws around it (the practice marker).
	rows int
	// scroll is the first body line shown when a screen is taller than
	// rows, set by the scroll keys; followFocus until the user scrolls
	// (and again after any other key), showPanel when ? opens the panel.
	scroll int
	// formFocused says the current screen has a form in focus.
	formFocused bool
	// scrolled is where the last drawn body stood.
	scrolled scrollState

	// snapshot is what the wizard knows of the account: read by preflight
	// (and the summary), and brought up to date by each step's Outcome.
	snapshot steps.Snapshot
	// unshown remembers across runs that credentials were made and never
	// shown; lost is the admin user whose credentials an earlier run made
	// and never showed, found by preflight ("" when none).
	unshown steps.UnshownCredentials
	lost    steps.UnshownRecord
	// signIn opens the account as the admin user, for the handoff.
	signIn steps.SignIn
	wait   func(context.Context, time.Duration) error
}

// FileOptions say where credential files go by default; tests point them
// at a temporary folder.
type FileOptions struct {
	Dir             string // folder for the CSV
	CredentialsFile string // AWS CLI shared credentials file
	ConfigFile      string // AWS CLI shared config file
	// HomeDir is offered for the CSV instead of Dir when Dir is in a git
	// work tree; "" offers nothing.
	HomeDir string
}

// call runs fn as a command with a timeout and returns its message.
func (c *common) call(fn func(ctx context.Context) tea.Msg) tea.Cmd {
	parent := c.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, callTimeout)
		defer cancel()
		return fn(ctx)
	}
}

func (c *common) practiceMarker() string {
	return c.styles.Practice.Render("PRACTICE ACCOUNT — nothing here touches AWS")
}

// rerun is the command that runs the wizard again on the same account.
func (c *common) rerun() string {
	if c.practice {
		return "awssecure --practice"
	}
	return "awssecure"
}

// rerunLine is rerun on a line of its own, indented: a wrapped sentence
// would break it at its hyphens.
func (c *common) rerunLine() string { return "\n  " + c.rerun() }

// lostSentence says that an earlier run made credentials it never showed.
func (c *common) lostSentence() string {
	return "A password and access key for " + c.lost.User + " were made on " + c.lost.Made.Local().Format("2 Jan 15:04") +
		", and no run confirmed they were saved; AWS cannot show them again."
}

// rememberUnshown notes, before the credentials screen is reached, that
// res holds secrets nobody has seen yet. It runs inside the command that
// made them, so even a run killed a moment later leaves the note. A note
// that cannot be written costs only the hint on the next run, so its
// error is dropped.
func (c *common) rememberUnshown(caller steps.Caller, o steps.Outcome) {
	if o.Credentials != nil {
		_ = c.unshown.Mark(caller.AccountID, o.Credentials.User, c.now())
	}
}

// newCredentialsKey is enter, saying what it does on a lost-credentials screen.
func (c *common) newCredentialsKey() key.Binding {
	return key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "make new ones"))
}
