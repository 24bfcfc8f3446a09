package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// mfaScreen enrols a virtual MFA device for the new user: QR code, two
// codes checked locally, then EnableMFADevice. A device that is created but
// not enabled is deleted if the user skips or quits.
type mfaScreen struct {
	at         handoff // the user, and the credentials to hand to the next screen
	stage      stage
	spinner    spinner.Model
	enrollment steps.Enrollment
	form       *huh.Form
	codes      *mfaCodes
	showSecret bool
	problem    string // why the last codes were refused
	err        error
}

type mfaCodes struct{ First, Second string }

type mfaDetectedMsg struct {
	has bool
	err error
}

type mfaStartedMsg struct {
	enrollment steps.Enrollment
	err        error
}

type mfaEnabledMsg struct {
	outcome steps.Outcome
	err     error
}

func newMFAForm() (*huh.Form, *mfaCodes) {
	codes := &mfaCodes{}
	form := huh.NewForm(huh.NewGroup(
		// Room for "123 456", as apps show codes, and a stray space.
		huh.NewInput().Title("First code").Value(&codes.First).Validate(steps.ValidMFACode).CharLimit(8),
		huh.NewInput().Title("Next code, once it changes").Value(&codes.Second).Validate(steps.ValidMFACode).CharLimit(8),
	))
	return form, codes
}

func (s *mfaScreen) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	if s.at.user == "" {
		s.stage = alreadyDone // nothing to protect: the user step was skipped
		return nextWith(s.at)
	}
	s.stage = detecting
	user := s.at.user
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		has, err := steps.UserHasMFA(ctx, c.acct, user)
		return mfaDetectedMsg{has, err}
	}))
}

func (s *mfaScreen) start(c *common) tea.Cmd {
	s.stage = applying
	user, label := s.at.user, c.snapshot.AccountLabel()
	return c.call(func(ctx context.Context) tea.Msg {
		e, err := steps.StartMFA(ctx, c.acct, user, label)
		return mfaStartedMsg{e, err}
	})
}

func (s *mfaScreen) cleanup(c *common) tea.Cmd {
	acct, e := c.acct, s.enrollment
	return func() tea.Msg {
		return cleanupMsg{func(ctx context.Context) { _ = steps.CancelMFA(ctx, acct, e) }, "Deleting the MFA device that was not enabled…"}
	}
}

func (s *mfaScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, c.spin(&s.spinner, msg, s.stage == detecting || s.stage == applying)
	case mfaDetectedMsg:
		switch {
		case msg.err != nil:
			s.stage, s.err = failed, msg.err
		case msg.has:
			s.stage = alreadyDone
		default:
			return s, s.start(c)
		}
		return s, nil
	case mfaStartedMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.enrollment = msg.enrollment
		return s, tea.Batch(s.cleanup(c), s.ask(c))
	case mfaEnabledMsg:
		if problem, ok := steps.MFACodeProblem(msg.err); ok {
			s.problem = problem
			return s, s.ask(c)
		}
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.stage = finished
		s.enrollment = steps.Enrollment{} // drop the seed
		c.snapshot = c.snapshot.With(msg.outcome.Change)
		return s, tea.Batch(func() tea.Msg { return cleanupMsg{} },
			record(steps.RunbookEntry{Info: steps.MFAInfo, Did: msg.outcome.Said, CLI: steps.MFACLI(c.snapshot.Caller, s.at.user)}))
	case tea.KeyPressMsg:
		if cmd, handled := s.key(c, msg); handled {
			return s, cmd
		}
	}
	if s.stage == editing {
		cmd, state := c.updateForm(s.form, msg)
		if state == huh.StateCompleted {
			return s, s.enable(c)
		}
		return s, cmd
	}
	return s, nil
}

func (s *mfaScreen) ask(c *common) tea.Cmd {
	s.stage = editing
	s.form, s.codes = newMFAForm()
	if c.accessible {
		if s.problem != "" { // asked again at once, with the reason: no trip back to the key
			return c.startForm(s.form)
		}
		// The key comes first, on a full screen of its own (see plain);
		// the user asks for the codes with enter once the app has it.
		c.prepareForm(s.form)
		return nil
	}
	return fitForm(c.prepareForm(s.form).WithShowHelp(false), 34).Init()
}

func (s *mfaScreen) enable(c *common) tea.Cmd {
	s.stage = applying
	e, codes, now := s.enrollment, *s.codes, c.now()
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		o, err := steps.FinishMFA(ctx, c.acct, e, codes.First, codes.Second, now)
		return mfaEnabledMsg{o, err}
	}))
}

func (s *mfaScreen) key(c *common, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case s.stage == editing && c.accessible && !c.formOpen(s.form) && key.Matches(msg, c.keys.Next):
		return c.startForm(s.form), true
	case s.stage == editing && key.Matches(msg, c.keys.Secret):
		s.showSecret = !s.showSecret
		return nil, true
	case s.stage == editing && key.Matches(msg, c.keys.Cancel), s.stage == failed && key.Matches(msg, c.keys.Skip):
		e, acct, h := s.enrollment, c.acct, s.at
		return askSkipThen(steps.MFAInfo.Title, c.call(func(ctx context.Context) tea.Msg {
			_ = steps.CancelMFA(ctx, acct, e) // best effort: a rerun replaces an orphan anyway
			return skipMsg{title: steps.MFAInfo.Title, handoff: h}
		})), true
	}
	return c.stepKey(msg, s.stage, steps.MFAInfo.Title, s.at, nil, s.init)
}

func (s *mfaScreen) view(c *common) string {
	info := steps.MFAInfo
	switch s.stage {
	case detecting, applying:
		return c.frame(s.at.pos, info, s.spinner.View()+" Working with the MFA device…", "")
	case alreadyDone:
		return c.frame(s.at.pos, info, c.styles.Done.Render("✓ Already done: ")+s.at.user+" has an MFA device.", c.helpLine(c.keys.Next, c.keys.Teach))
	case finished:
		return c.frame(s.at.pos, info, c.styles.Done.Render("✓ MFA is on for "+s.at.user+".")+" Signing in now needs the password and a code from your app.", c.helpLine(c.keys.Next, c.keys.Teach))
	case failed:
		return c.frame(s.at.pos, info, c.errorPanel(s.err), "")
	}
	return s.enrolView(c)
}

// enrolView puts the QR code on the left at full height and everything
// else beside it, so both fit in 80×24.
func (s *mfaScreen) enrolView(c *common) string {
	var side []string
	if c.practice {
		side = append(side, c.practiceMarker())
	}
	title := "MFA for " + s.at.user
	if s.at.pos.n > 0 {
		title = c.styles.Subtle.Render(fmt.Sprintf("Step %d of %d · ", s.at.pos.n, s.at.pos.total)) + c.styles.Title.Render(title)
	}
	whyLine := c.styles.Subtle.Render(steps.MFAShortWhy)
	side = append(side, title, whyLine)
	if s.enrollment.ReplacedOrphan {
		side = append(side, c.styles.Warn.Render("An unfinished device from an earlier run was replaced; scan this new code."))
	}
	qr := ""
	if !s.showSecret {
		qr = renderQR(s.enrollment.URI.Reveal(), c.height, c.styles.Dark)
	}
	switch {
	case s.showSecret:
		side = append(side, "Add it in your app by hand:", c.styles.Secret.Render(steps.GroupedSecret(s.enrollment.Seed)), "type: time-based, 6 digits")
	case qr == "":
		side = append(side, c.styles.Warn.Render("The terminal is too small for the QR code."), "Enlarge it, or press ctrl+k to see the key.")
	default:
		side = append(side, "Scan with your authenticator app, then enter two codes in a row.",
			c.styles.Subtle.Render(steps.MFABackup+" (ctrl+k shows it)."))
	}
	if s.problem != "" {
		side = append(side, c.styles.Fail.Render("✗ "+s.problem))
	}
	if c.accessible {
		side = append(side, c.helpLine(key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "type the two codes"))))
	} else {
		side = append(side, formView(s.form))
	}
	side = append(side, c.helpLine(c.keys.Secret), c.helpLine(c.keys.Cancel))
	sideWidth := c.width - lipgloss.Width(qr) - 2
	if qr == "" {
		sideWidth = min(c.width, 80)
	}
	right := lipgloss.NewStyle().Width(max(sideWidth, 20)).Render(strings.Join(side, "\n"))
	if why := slices.Index(side, whyLine); lipgloss.Height(right) > c.height && why >= 0 {
		// Too tall (the key shown, a refusal): the why goes, so the
		// codes and the keys stay on screen.
		right = lipgloss.NewStyle().Width(max(sideWidth, 20)).Render(strings.Join(slices.Delete(side, why, why+1), "\n"))
	}
	if qr == "" {
		return right
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, c.styles.QR.Render(qr), "  ", right)
}

// plain is the enrolment in accessible mode. The key is never said in
// lines, which stay in the scrollback: k shows it as text on a full
// screen of its own (where a screen reader reads it), q as a QR code to
// scan; enter then asks for the two codes.
func (s *mfaScreen) plain(c *common) (plainView, bool) {
	if s.stage != editing {
		return plainView{}, false
	}
	v := plainView{heading: []string{plainHeading(s.at.pos, "MFA for "+inert.PrintableLine(s.at.user)), steps.MFAShortWhy}}
	if s.enrollment.ReplacedOrphan {
		v.lines = append(v.lines, "An unfinished device from an earlier run was replaced; your app needs this new key.")
	}
	skip, _ := choiceOf(c.keys.Cancel.Help().Key, c.keys.Cancel.Help().Desc)
	if c.formOpen(s.form) {
		if s.problem != "" {
			v.lines = append(v.lines, "Refused: "+inert.Printable(s.problem))
		}
		v.choices = []choice{skip}
		return v, true
	}
	v.lines = append(v.lines, "Your authenticator app needs this user's MFA key. It is shown only on a full screen, "+
		"never in these lines, which stay in the terminal's scrollback.")
	codes, _ := choiceOf("enter", "type the two codes, once your app has the key")
	v.choices = []choice{codes,
		{typed: "k", does: "show the key as text, to type into the app", page: func() string {
			return "MFA key for " + inert.PrintableLine(s.at.user) + "\n\nAdd it in your authenticator app by hand:\n" +
				steps.GroupedSecret(s.enrollment.Seed) + "\ntype: time-based, 6 digits\n\n" + pageCloses
		}},
		{typed: "q", does: "show it as a QR code, to scan", page: func() string { return s.qrPage(c) }},
		skip}
	return v, true
}

// qrPage is the full screen of the key as a QR code, in accessible mode.
func (s *mfaScreen) qrPage(c *common) string {
	width, rows := c.plain.termSize(c)
	if qr := renderQR(s.enrollment.URI.Reveal(), rows, true); qr != "" {
		return lipgloss.JoinHorizontal(lipgloss.Top, qrStyle(true).Render(qr), "  ",
			lipgloss.NewStyle().Width(max(width-lipgloss.Width(qr)-3, 10)).Render("Scan it with your authenticator app. "+pageCloses))
	}
	return "The terminal is too small for the QR code: make it taller, or type the key by hand (k).\n" + pageCloses
}

func (s *mfaScreen) teach(c *common) (steps.Info, string) {
	return steps.MFAInfo, steps.MFACLI(c.snapshot.Caller, s.at.user)
}

func (s *mfaScreen) typing() bool { return s.stage == editing }

func (s *mfaScreen) drawsPracticeMarker() bool { return s.stage == editing }

func (s *mfaScreen) quitWarning(c *common) string {
	device := "The MFA device that is not yet enabled will be deleted."
	if s.at.created != nil {
		return device + " " + c.styles.Warn.Render("The new password and access key for "+s.at.created.User+" have not been shown yet: they come after this step. "+
			"If you quit now they are lost; the next run makes new ones.")
	}
	return device + " Everything done so far stays done; to continue, run:" + c.rerunLine()
}
