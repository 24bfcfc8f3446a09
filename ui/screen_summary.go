package ui

import (
	"io"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// runbookWrittenMsg is where r wrote the runbook.
type runbookWrittenMsg struct {
	path string
	err  error
}

type summaryScreen struct {
	skipped []string // titles of the steps skipped on the way
	// admin is the account as the admin user, after the handoff: root's
	// keys may be gone, so the summary reads through it.
	admin steps.Account
	// runbook is the session's changes; r writes them to a file.
	runbook []steps.RunbookEntry
	// user is the admin user of this session; people are the people
	// added after the handoff.
	user    string
	people  []steps.Person
	wrote   string // what the last r did
	stage   stage
	spinner spinner.Model

	// runbookPath is where r wrote the runbook, said again after exit.
	runbookPath string
}

func (s *summaryScreen) init(c *common) tea.Cmd {
	s.stage, s.spinner = detecting, newSpinner()
	acct := c.acct
	if s.admin != nil {
		acct = s.admin
	}
	return tea.Batch(s.spinner.Tick, readSnapshot(c, acct))
}

func (s *summaryScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, c.spin(&s.spinner, msg, s.stage == detecting)
	case snapshotMsg:
		if msg.err == nil { // keep what the wizard knows if the re-read fails
			c.snapshot = msg.snapshot.Remembering(c.snapshot)
		}
		s.stage = finished
	case runbookWrittenMsg:
		s.wrote = c.styles.Done.Render("✓ Runbook written (no secret in it):") + "\n  " + inert.PrintableLine(msg.path)
		s.runbookPath = msg.path
		if msg.err != nil {
			s.wrote, s.runbookPath = c.styles.Fail.Render("✗ "+msg.err.Error()), ""
		}
	case tea.KeyPressMsg:
		switch {
		case s.stage == finished && key.Matches(msg, c.keys.Next):
			return s, func() tea.Msg { return quitMsg{} }
		case s.stage == finished && key.Matches(msg, c.keys.Runbook):
			dir, account, entries, now := c.files.Dir, c.snapshot.Caller.AccountID, s.runbook, c.now()
			return s, func() tea.Msg {
				path, err := steps.WriteRunbook(dir, account, entries, now)
				return runbookWrittenMsg{path, err}
			}
		}
	}
	return s, nil
}

func (s *summaryScreen) view(c *common) string {
	if s.stage == detecting {
		return c.frame(position{}, steps.SummaryInfo, s.spinner.View()+" Reading your account again…", "")
	}
	// What to do next comes first, where a small terminal shows it; the
	// checklist follows (and scrolls).
	var b strings.Builder
	who := s.signInAs(c)
	width := min(c.width, 100) - 2
	wrap := lipgloss.NewStyle().Width(width)
	b.WriteString("Sign in as " + who + " at " + c.styles.Code.Render(c.snapshot.SignInURL()))
	if said := peopleSaid(c.snapshot, s.people); said != "" {
		b.WriteString("\n" + wrap.Render(said))
	}
	if len(s.skipped) > 0 {
		// Wrapped, not cut: the user must read every step that is left.
		b.WriteString("\n" + c.styles.Warn.Width(width).Render("! Skipped: "+strings.Join(s.skipped, ", ")+". To finish, run:"+c.rerunLine()))
	}
	b.WriteString("\n" + wrap.Render(c.styles.Title.Render("Next: ")+steps.NextStep))
	if tasks := steps.RootOnlyTasksLeft(c.snapshot); len(tasks) > 0 {
		b.WriteString("\n" + c.styles.Title.Render("Only root can, in the console:"))
		for _, t := range tasks {
			line := "• " + t.What + ": " + t.Why
			if t.URL != "" {
				line += " " + c.styles.Subtle.Render(t.URL)
			}
			b.WriteString("\n" + wrap.Render(line))
		}
	}
	b.WriteString("\n\n" + c.checklist(steps.Checks(c.snapshot)))
	help := c.helpLine(key.NewBinding(key.WithHelp("enter", "finish")), c.keys.Runbook, c.keys.Teach)
	if s.wrote != "" { // beside the key that wrote it, where the eye is, however the body is scrolled
		help = s.wrote + "\n" + help
	}
	return c.frame(position{}, steps.SummaryInfo, b.String(), help)
}

// signInAs is the admin user the owner signs in as: this session's, when
// it is one, else the first (a person added to the administrators group
// after the handoff is not the owner).
func (s *summaryScreen) signInAs(c *common) string {
	if s.user != "" && c.snapshot.IsAdminUser(s.user) {
		return inert.PrintableLine(s.user)
	}
	if admins := c.snapshot.AdminUsers(); len(admins) > 0 {
		return inert.PrintableLine(admins[0].Name)
	}
	return "your IAM user"
}

// peopleSaid lists the people added after the handoff, and what those
// without MFA still have to do; "" when none was added.
func peopleSaid(snap steps.Snapshot, people []steps.Person) string {
	if len(people) == 0 {
		return ""
	}
	var names []string
	waiting := false
	for _, p := range people {
		names = append(names, inert.PrintableLine(p.Name)+" ("+inert.PrintableLine(p.Group)+")")
		i := slices.IndexFunc(snap.Users, func(u steps.UserFacts) bool { return u.Name == p.Name })
		waiting = waiting || i < 0 || snap.Users[i].MFADevices == 0
	}
	said := "People added: " + strings.Join(names, ", ") + "."
	if waiting {
		said += " Each changes the password when they first sign in, then sets up MFA " +
			"(IAM → Users → name → Security credentials → Assign MFA device); until then \"Console users have MFA\" fails."
	}
	return said
}

func (s *summaryScreen) teach(c *common) (steps.Info, string) {
	return steps.SummaryInfo, steps.ReadCLI
}

func (s *summaryScreen) typing() bool { return false }

// Farewell writes, for the terminal's normal screen once the wizard has
// ended at its summary, what the user must keep: the checklist, where to
// sign in, what was skipped and what only root can do, with links,
// wrapped at spaces to the terminal's width so links stay whole. It holds
// no secret. It writes nothing when the wizard ended before the summary.
func (m Model) Farewell(w io.Writer, styled bool) error {
	s, ok := m.current.(*summaryScreen)
	if !ok || s.stage != finished || m.c.accessible { // accessible mode said it all in lines, which stay
		return nil
	}
	c := *m.c
	if !styled {
		c.styles = Styles{}
	}
	wrap := lipgloss.NewStyle().Width(c.width - 1)
	paras := []string{
		c.styles.Title.Render("awssecure: account " + inert.PrintableLine(c.snapshot.Caller.AccountID)),
		c.checklist(steps.Checks(c.snapshot)),
		"Sign in as " + s.signInAs(&c) + " at " + inert.PrintableLine(c.snapshot.SignInURL()),
	}
	if said := peopleSaid(c.snapshot, s.people); said != "" {
		paras = append(paras, wrap.Render(said))
	}
	if len(s.skipped) > 0 {
		paras = append(paras, wrap.Render("Skipped: "+strings.Join(s.skipped, ", ")+". To finish, run:"+c.rerunLine()))
	}
	paras = append(paras, wrap.Render("Next: "+steps.NextStep))
	if tasks := steps.RootOnlyTasksLeft(c.snapshot); len(tasks) > 0 {
		paras = append(paras, "Only root can, in the console:")
		for _, t := range tasks {
			para := wrap.Render("• " + t.What + ": " + t.Why)
			if t.URL != "" {
				para += "\n  " + t.URL
			}
			paras = append(paras, para)
		}
	}
	if s.runbookPath != "" {
		paras = append(paras, "Runbook of this session (no secret in it):\n  "+inert.PrintableLine(s.runbookPath))
	}
	out := strings.Join(paras, "\n") + "\n"
	if styled {
		_, err := lipgloss.Fprint(w, out)
		return err
	}
	_, err := io.WriteString(w, out)
	return err
}
