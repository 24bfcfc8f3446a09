package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/awssecure/awssecure/steps"
)

// WatchOptions shape `status --watch`.
type WatchOptions struct {
	// Read reads the account (one row) or the organization (a row per
	// account). It only reads.
	Read func(context.Context) (steps.OrgReport, error)
	// Interval is the time between the end of one read and the next.
	Interval time.Duration
	// Timeout bounds each read.
	Timeout time.Duration
	// Org shows the grid; otherwise the one account's checklist.
	Org      bool
	Strict   bool
	Practice bool
	// Now is the clock the view shows; nil means time.Now.
	Now func() time.Time
}

// Watch is the live view of `status --watch`, for an instructor's
// projector: the checklist or the organization's grid, read again every
// interval (r: now), with what changed since the last read highlighted.
// It never writes to the account.
type Watch struct {
	ctx     context.Context
	opts    WatchOptions
	styles  Styles
	keys    watchKeys
	spinner spinner.Model
	width   int
	height  int

	report  steps.OrgReport
	read    bool // report holds a read
	err     error
	at      time.Time // when report was read
	reading bool
	seq     int // the read under way or last done; older ticks are ignored
	changed map[gridCell]bool
	changes []string // what changed, in words, for terminals without styles
}

type watchKeys struct {
	Refresh key.Binding
	Quit    key.Binding
}

// watchReadMsg is a read's result.
type watchReadMsg struct {
	seq    int
	report steps.OrgReport
	err    error
	at     time.Time
}

// watchTickMsg is the interval's end after read seq.
type watchTickMsg struct{ seq int }

// NewWatch is the live view; its first read starts with Init.
func NewWatch(ctx context.Context, opts WatchOptions) Watch {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	// The first read, seq 1, is under way from Init.
	return Watch{ctx: ctx, opts: opts, styles: NewStyles(true), spinner: newSpinner(), width: 80, height: 24, seq: 1, reading: true,
		keys: watchKeys{
			Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh now")),
			Quit:    key.NewBinding(key.WithKeys("q", "esc", "ctrl+c"), key.WithHelp("q", "quit")),
		}}
}

// Init starts the first read.
func (m Watch) Init() tea.Cmd { return tea.Batch(m.readCmd(), m.spinner.Tick) }

// startRead starts the next read.
func (m Watch) startRead() (Watch, tea.Cmd) {
	m.seq++
	m.reading = true
	return m, m.readCmd()
}

// readCmd reads the account in a command, bounded by the timeout, as
// read m.seq.
func (m Watch) readCmd() tea.Cmd {
	seq, read, timeout, now, ctx := m.seq, m.opts.Read, m.opts.Timeout, m.opts.Now, m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		r, err := read(ctx)
		return watchReadMsg{seq: seq, report: r, err: err, at: now()}
	}
}

// Update handles keys, reads and the interval's ticks.
func (m Watch) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Quit):
			return m, tea.Quit
		case key.Matches(msg, m.keys.Refresh) && !m.reading:
			var cmd tea.Cmd
			m, cmd = m.startRead()
			return m, tea.Batch(cmd, m.spinner.Tick)
		}
	case watchReadMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.reading = false
		m.err = msg.err
		if msg.err == nil {
			if m.read {
				m.changed, m.changes = diffReports(m.report, msg.report)
			}
			m.report, m.read, m.at = msg.report, true, msg.at
		}
		seq := m.seq
		return m, tea.Tick(m.opts.Interval, func(time.Time) tea.Msg { return watchTickMsg{seq} })
	case watchTickMsg:
		if msg.seq == m.seq && !m.reading {
			var cmd tea.Cmd
			m, cmd = m.startRead()
			return m, tea.Batch(cmd, m.spinner.Tick)
		}
	case spinner.TickMsg:
		if !m.reading {
			return m, nil // the spinner stops until the next read
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	}
	return m, nil
}

// diffReports is which cells changed from old to new, and the changes in
// words ("acme-prod: admin-user-mfa fail → pass").
func diffReports(old, new steps.OrgReport) (map[gridCell]bool, []string) {
	before := map[gridCell]steps.CheckStatus{}
	for _, a := range old.Accounts {
		for _, c := range a.Checks {
			before[gridCell{a.AccountID, c.ID}] = c.Status
		}
	}
	changed := map[gridCell]bool{}
	var words []string
	for _, a := range new.Accounts {
		for _, c := range a.Checks {
			cell := gridCell{a.AccountID, c.ID}
			if was, ok := before[cell]; ok && was != c.Status {
				changed[cell] = true
				words = append(words, fmt.Sprintf("%s: %s %s → %s", a.Name, c.ID, was, c.Status))
			}
		}
	}
	return changed, words
}

// View draws the view in the alternate screen, cut to the terminal.
func (m Watch) View() tea.View {
	v := tea.NewView("")
	v.AltScreen = true
	v.WindowTitle = "awssecure status"
	st := m.styles
	var head string
	switch {
	case m.opts.Org && m.report.OrganizationID != "":
		head = "Organization " + m.report.OrganizationID
	case len(m.report.Accounts) == 1:
		head = "Account " + m.report.Accounts[0].AccountID
		if n := m.report.Accounts[0].Name; n != m.report.Accounts[0].AccountID {
			head += " · " + n
		}
	default:
		head = "awssecure status"
	}
	if m.opts.Practice {
		head = st.Practice.Render("PRACTICE") + " " + head
	}
	lines := []string{st.Title.Render(head) + "  " + st.Subtle.Render(m.freshness()), ""}
	var body []string
	switch {
	case !m.read && m.err == nil:
		body = []string{m.spinner.View() + " Reading…"}
	case m.read && m.opts.Org:
		body = append(renderGrid(m.report, m.width, st, m.changed), "", orgSummary(m.report, m.opts.Strict, st))
	case m.read && len(m.report.Accounts) == 1:
		body = checklistLines(m.report.Accounts[0], m.width, st, m.changed)
	}
	if m.err != nil {
		e := steps.Explain(m.err)
		body = append(body, "")
		body = append(body, wrapWords(st.Fail, "The last read failed: "+e.What+" "+e.Fix, m.width)...)
	}
	if len(m.changes) > 0 {
		body = append(body, "")
		body = append(body, wrapWords(st.Changed, "Changed: "+strings.Join(m.changes, "; "), m.width)...)
	}
	help := m.helpLine()
	room := max(1, m.height-len(lines)-2)
	if len(body) > room {
		body = append(body[:room-1], st.Subtle.Render(fmt.Sprintf("… %d more lines: make the window taller", len(body)-room+1)))
	}
	lines = append(lines, body...)
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines, help)
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, "")
	}
	v.SetContent(strings.Join(lines, "\n"))
	return v
}

// freshness says when the view was last read and when it reads again.
func (m Watch) freshness() string {
	switch {
	case m.reading && m.read:
		return m.spinner.View() + " refreshing…"
	case m.read:
		return fmt.Sprintf("read at %s · every %s", m.at.Format("15:04:05"), m.opts.Interval)
	}
	return ""
}

func (m Watch) helpLine() string {
	var parts []string
	for _, b := range []key.Binding{m.keys.Refresh, m.keys.Quit} {
		parts = append(parts, m.styles.Key.Render(b.Help().Key)+" "+m.styles.Subtle.Render(b.Help().Desc))
	}
	return strings.Join(parts, m.styles.Subtle.Render(" · ")) + m.styles.Subtle.Render(" · read-only: nothing is changed")
}

// checklistLines is one account's checklist, a line per check: symbol,
// title and detail, cut to width; changed rows highlighted.
func checklistLines(a steps.AccountReport, width int, st Styles, changed map[gridCell]bool) []string {
	if a.Error != "" {
		return wrapWords(st.Fail, a.Error, width)
	}
	titleWidth := 0
	for _, c := range a.Checks {
		titleWidth = max(titleWidth, lipgloss.Width(c.Title))
	}
	titleWidth = min(titleWidth, width/2)
	var lines []string
	var failing int
	for _, c := range a.Checks {
		symbol := statusSymbol(st, c.Status)
		if changed[gridCell{a.AccountID, c.ID}] {
			symbol = st.Changed.Render(ansi.Strip(symbol))
		}
		line := symbol + " " + padRight(ansi.Truncate(c.Title, titleWidth, "…"), titleWidth) + "  " + st.Subtle.Render(c.Detail)
		lines = append(lines, ansi.Truncate(line, width, "…"))
		if c.Status == steps.Fail {
			failing++
		}
	}
	return append(lines, "", fmt.Sprintf("%d of %d checks fail", failing, len(a.Checks)))
}
