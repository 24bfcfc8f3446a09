package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/awssecure/awssecure/internal/inert"
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
	// First, when not nil, is a read already made (main makes the first
	// before the view opens, so an account that cannot be read is refused
	// as status refuses it); the next read is an interval later.
	First *steps.OrgReport
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
	offset  int      // the first line of the body on screen, when it does not fit
}

type watchKeys struct {
	Refresh  key.Binding
	Quit     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Up       key.Binding
	Down     key.Binding
	Top      key.Binding
	Bottom   key.Binding
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
	// The first read, seq 1, is under way from Init, or was made.
	m := Watch{ctx: ctx, opts: opts, styles: NewStyles(true), spinner: newSpinner(), width: 80, height: 24, seq: 1, reading: true,
		keys: watchKeys{
			Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh now")),
			Quit:     key.NewBinding(key.WithKeys("q", "esc", "ctrl+c"), key.WithHelp("q", "quit")),
			PageUp:   key.NewBinding(key.WithKeys("pgup")),
			PageDown: key.NewBinding(key.WithKeys("pgdown", "space")),
			Up:       key.NewBinding(key.WithKeys("up", "k")),
			Down:     key.NewBinding(key.WithKeys("down", "j")),
			Top:      key.NewBinding(key.WithKeys("home", "g")),
			Bottom:   key.NewBinding(key.WithKeys("end", "G")),
		}}
	if opts.First != nil {
		m.report, m.read, m.reading, m.at = *opts.First, true, false, opts.Now()
	}
	return m
}

// WatchResult is how the live view ended.
type WatchResult struct {
	// Report is the last report read, when Read says one was.
	Report steps.OrgReport
	Read   bool
	// Err is why the last read failed; nil when it did not.
	Err error
	// Print writes the last view, whole (see Watch.Final), styled or
	// plain, where it stays after the alternate screen is gone.
	Print func(w io.Writer, styled bool) error
}

// RunWatch runs the live view until the user quits or ctx ends, under
// the wizard's panic guard (see Program): a bug in the view leaves the
// terminal as it was found, and the error is a *BugError. A quit (q, or
// ctrl+c) returns no error; the end of ctx returns ctx's error.
func RunWatch(ctx context.Context, opts WatchOptions) (WatchResult, error) {
	return runWatch(ctx, opts)
}

// runWatch is RunWatch with more program options, for tests.
func runWatch(ctx context.Context, opts WatchOptions, extra ...tea.ProgramOption) (WatchResult, error) {
	final, err := NewProgram(NewWatch(ctx, opts), append([]tea.ProgramOption{tea.WithContext(ctx)}, extra...)...).Run()
	w, ok := final.(Watch)
	res := WatchResult{Print: func(io.Writer, bool) error { return nil }}
	if ok {
		res = WatchResult{Report: w.report, Read: w.read, Err: w.err, Print: func(out io.Writer, styled bool) error {
			if !styled {
				_, err := io.WriteString(out, w.Final(false))
				return err
			}
			// lipgloss.Fprint lowers the colours to what the terminal can show.
			_, err := lipgloss.Fprint(out, w.Final(true))
			return err
		}}
	}
	var bug *BugError
	switch {
	case errors.As(err, &bug):
		return res, err
	case ctx.Err() != nil:
		return res, ctx.Err()
	case err == nil || errors.Is(err, tea.ErrInterrupted):
		return res, nil
	}
	return res, err
}

// Init starts the first read, or, when it was made, waits the interval.
func (m Watch) Init() tea.Cmd {
	if !m.reading {
		return m.tick()
	}
	return tea.Batch(m.readCmd(), m.spinner.Tick)
}

// tick is the interval's end after the read m.seq.
func (m Watch) tick() tea.Cmd {
	seq := m.seq
	return tea.Tick(m.opts.Interval, func(time.Time) tea.Msg { return watchTickMsg{seq} })
}

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
		m.offset = m.layout().clamp(m.offset)
	case tea.KeyPressMsg:
		page := max(m.layout().room, 1)
		switch {
		case key.Matches(msg, m.keys.Quit):
			return m, tea.Quit
		case key.Matches(msg, m.keys.Refresh) && !m.reading:
			var cmd tea.Cmd
			m, cmd = m.startRead()
			return m, tea.Batch(cmd, m.spinner.Tick)
		case key.Matches(msg, m.keys.PageDown):
			m.offset += page
		case key.Matches(msg, m.keys.PageUp):
			m.offset -= page
		case key.Matches(msg, m.keys.Down):
			m.offset++
		case key.Matches(msg, m.keys.Up):
			m.offset--
		case key.Matches(msg, m.keys.Top):
			m.offset = 0
		case key.Matches(msg, m.keys.Bottom):
			m.offset = len(m.layout().body)
		}
		m.offset = m.layout().clamp(m.offset)
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
		m.offset = m.layout().clamp(m.offset)
		return m, m.tick()
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
				words = append(words, fmt.Sprintf("%s: %s %s → %s", inert.PrintableLine(a.Name), inert.PrintableLine(c.ID), was, c.Status))
			}
		}
	}
	return changed, words
}

// View draws the view in the alternate screen, fitting the terminal:
// the header and, for an organization, the grid's column labels stay at
// the top; the totals, the last read's failure and the keys stay at the
// bottom; between them the rows, failures first, scroll (pgdn, pgup)
// when they do not fit, as a step screen's body does.
func (m Watch) View() tea.View {
	v := tea.NewView("")
	v.AltScreen = true
	v.WindowTitle = "awssecure status"
	l := m.layout()
	lines := append([]string{}, l.top...)
	switch {
	case len(l.body) <= l.room:
		lines = append(lines, l.body...)
	default:
		start := l.clamp(m.offset)
		lines = append(lines, l.body[start:start+l.room]...)
		lines = append(lines, m.styles.Subtle.Render(fmt.Sprintf("lines %d–%d of %d · pgup/pgdn scroll", start+1, start+l.room, len(l.body))))
	}
	// The totals follow the rows; only the keys keep to the last line.
	lines = append(lines, l.bottom[:len(l.bottom)-1]...)
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines, l.bottom[len(l.bottom)-1])
	for i, line := range lines {
		lines[i] = ansi.Truncate(line, m.width, "")
	}
	v.SetContent(strings.Join(lines, "\n"))
	return v
}

// watchLayout is the view cut in three: top and bottom stay on screen,
// and room lines of body are shown at a time.
type watchLayout struct {
	top, body, bottom []string
	room              int
}

// clamp is offset moved into the body's range.
func (l watchLayout) clamp(offset int) int {
	if len(l.body) <= l.room {
		return 0
	}
	return min(max(offset, 0), len(l.body)-l.room)
}

// layout lays the view out for the terminal's size.
func (m Watch) layout() watchLayout {
	st := m.styles
	report := printableOrgReport(m.report)
	var l watchLayout
	l.top = m.header()
	l.top = append(l.top, "")
	var totals []string
	switch {
	case !m.read && m.err == nil:
		l.body = []string{m.spinner.View() + " Reading…"}
	case m.read && m.opts.Org:
		grid := renderGrid(failuresFirst(report, m.opts.Strict), m.width, st, m.changed)
		l.top = append(l.top, grid[0])
		l.body = grid[1:]
		totals = []string{orgSummary(report, m.opts.Strict, st)}
	case m.read && len(report.Accounts) == 1:
		l.body, totals = checklistLines(report.Accounts[0], m.width, st, m.changed)
	}
	if len(m.changes) > 0 {
		l.body = append(l.body, "")
		l.body = append(l.body, wrapWords(st.Changed, "Changed: "+strings.Join(m.changes, "; "), m.width)...)
	}
	l.bottom = []string{""}
	if m.err != nil {
		e := steps.Explain(m.err)
		l.bottom = append(l.bottom, wrapWords(st.Fail, "The last read failed: "+inert.PrintableLine(e.What+" "+e.Fix), m.width)...)
	}
	l.bottom = append(l.bottom, totals...)
	l.bottom = append(l.bottom, m.helpLine())
	if len(l.bottom) == 2 {
		l.bottom = l.bottom[1:] // no totals yet: no blank above the keys
	}
	l.room = m.height - len(l.top) - len(l.bottom)
	if len(l.body) > l.room {
		l.room-- // the scroll line
	}
	l.room = max(l.room, 1)
	return l
}

// header is the view's title and when it was read, on one line when they
// fit, else the time on a line of its own: cut, it read "read at 02:23:5".
func (m Watch) header() []string {
	st := m.styles
	report := printableOrgReport(m.report)
	var head string
	switch {
	case m.opts.Org && report.OrganizationID != "":
		head = "Organization " + report.OrganizationID
	case len(report.Accounts) == 1:
		head = "Account " + report.Accounts[0].AccountID
		if n := report.Accounts[0].Name; n != report.Accounts[0].AccountID {
			head += " · " + n
		}
	default:
		head = "awssecure status"
	}
	title := st.Title.Render(head)
	if m.opts.Practice {
		title = st.Practice.Render("PRACTICE") + " " + title
	}
	fresh := m.freshness()
	if fresh == "" {
		return []string{title}
	}
	if lipgloss.Width(title)+2+lipgloss.Width(fresh) <= m.width {
		return []string{title + "  " + st.Subtle.Render(fresh)}
	}
	return []string{title, st.Subtle.Render(fresh)}
}

// Final is the view as it stands when the program ends, whole, for the
// main screen after the alternate one is gone: the header, every row and
// the totals, without the keys. styled keeps its colours; otherwise it is
// plain text.
func (m Watch) Final(styled bool) string {
	l := m.layout()
	lines := append(append([]string{}, l.top...), l.body...)
	lines = append(lines, l.bottom[:len(l.bottom)-1]...)
	for i, line := range lines {
		lines[i] = ansi.Truncate(line, m.width, "")
	}
	s := strings.Join(lines, "\n") + "\n"
	if !styled {
		s = ansi.Strip(s)
	}
	return s
}

// failuresFirst is r with its accounts that cannot be read, then those
// with something to fix, before those that pass, each in its order.
func failuresFirst(r steps.OrgReport, strict bool) steps.OrgReport {
	rank := func(a steps.AccountReport) int {
		switch {
		case a.Error != "":
			return 0
		case a.Failing(strict):
			return 1
		}
		return 2
	}
	r.Accounts = slices.Clone(r.Accounts)
	slices.SortStableFunc(r.Accounts, func(a, b steps.AccountReport) int { return rank(a) - rank(b) })
	return r
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

// checklistLines is one account's checklist, a line per check, failures
// first (then unknown, warnings, passes): symbol, title and detail, cut
// to width; changed rows highlighted. totals is the line that counts the
// failures.
func checklistLines(a steps.AccountReport, width int, st Styles, changed map[gridCell]bool) (lines, totals []string) {
	if a.Error != "" {
		return wrapWords(st.Fail, a.Error, width), nil
	}
	titleWidth := 0
	for _, c := range a.Checks {
		titleWidth = max(titleWidth, lipgloss.Width(c.Title))
	}
	titleWidth = min(titleWidth, width/2)
	rank := map[steps.CheckStatus]int{steps.Fail: 0, steps.Unknown: 1, steps.Warn: 2, steps.Pass: 3}
	checks := slices.Clone(a.Checks)
	slices.SortStableFunc(checks, func(x, y steps.Check) int { return rank[x.Status] - rank[y.Status] })
	var failing int
	for _, c := range checks {
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
	return lines, []string{fmt.Sprintf("%d of %d checks fail", failing, len(a.Checks))}
}
