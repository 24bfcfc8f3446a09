package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// formSpec is how one step that asks, then applies, shows itself: its
// step (words, detection, apply) and what only a screen has — its form,
// and any other action its done screen offers.
type formSpec[In any] struct {
	step steps.FormStep[In]
	// form builds the form, filled with in, and a func that reads the
	// answer from it.
	form func(c *common, in In) (*huh.Form, func() In)
	// redo is the key that edits a step found done anyway, with its help;
	// nil offers none.
	redo func(k keyMap) *key.Binding
	// note is a line under the form (e.g. advice on access keys).
	note string
	// extras are other actions its done screen offers (new credentials).
	extras func(c *common) []extra
	// handOn is what the next screen gets once the step is done; o is
	// nil when the step was found done.
	handOn func(c *common, in *In, o *steps.Outcome) handoff
	// autoNext moves on as soon as the apply is done, when the next
	// screen says the result itself (the user step's credentials).
	autoNext bool
	// live, when set, keeps the done screen watching (see liveSpec).
	live *liveSpec
	// fresh, when set, reads the step's facts again as the screen opens,
	// for facts an earlier step of this session may have changed (a
	// region enabled since the preflight).
	fresh func(ctx context.Context, acct steps.Account, caller steps.Caller) steps.Change
	// freshIf, when set, reads fresh only when it holds of the snapshot
	// (a part the preflight could not read).
	freshIf func(s steps.Snapshot) bool
}

// liveSpec is a done screen that keeps watching what the user finishes
// outside the wizard (a link in an e-mail to click): while the screen is
// open it reads that again every so often, and at once on c, until it has
// settled. Its extras are offered after an apply as after a find, and
// status says where things stand, under what was done.
type liveSpec struct {
	every   *time.Duration
	read    func(ctx context.Context, acct steps.Account, caller steps.Caller) (steps.Change, error)
	settled func(s steps.Snapshot) bool
	status  func(c *common) string
}

// extra is an action a done screen offers besides moving on: a key, the
// question it asks first ("" asks none), and what it does.
type extra struct {
	key   key.Binding
	ask   string
	doing string
	cli   string // its aws CLI, for the runbook
	apply func(ctx context.Context, acct steps.Account, caller steps.Caller) (steps.Outcome, error)
	// onEnter makes enter do it: the note says why it comes first.
	onEnter bool
	note    string
}

// formScreen is the one screen of every step that follows detect → edit →
// apply → done or failed. The step's detection reads the snapshot, its
// form asks, its apply returns what changed, and the wizard's snapshot is
// brought up to date from that.
type formScreen[In any] struct {
	spec    formSpec[In]
	at      handoff
	stage   stage
	form    *huh.Form
	answer  func() In // reads the form's answer
	input   *In       // the answer being (or last) applied
	spinner spinner.Model
	doing   string         // beside the spinner
	cli     string         // the aws CLI of what is being done, for the runbook
	outcome *steps.Outcome // what the apply did, once finished
	problem string         // why the last answer was refused, above the form
	err     error
	retry   func(c *common) tea.Cmd // what r does after a failure
	asking  *extra                  // an extra's question is up
	// polls counts the live reads asked for, so a tick or an answer of an
	// older one is dropped; readErr is why the last one failed.
	polls   int
	readErr error
	read    bool // fresh has been read
}

func openForm[In any](spec formSpec[In]) func(handoff) screen {
	return func(h handoff) screen { return &formScreen[In]{spec: spec, at: h} }
}

// stepDoneMsg is what an apply did, for the screen that asked for it.
type stepDoneMsg struct {
	outcome steps.Outcome
	err     error
}

// liveTickMsg asks a live done screen to read again; liveReadMsg is what
// it read.
type liveTickMsg struct{ poll int }

type liveReadMsg struct {
	poll   int
	change steps.Change
	err    error
}

// freshMsg is what the screen's fresh read found.
type freshMsg struct{ change steps.Change }

func (s *formScreen[In]) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	if s.spec.fresh != nil && !s.read && (s.spec.freshIf == nil || s.spec.freshIf(c.snapshot)) {
		s.stage, s.doing = detecting, "Reading what is in place…"
		fresh, caller := s.spec.fresh, c.snapshot.Caller
		return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
			return freshMsg{fresh(ctx, c.acct, caller)}
		}))
	}
	if _, done := s.spec.step.Done(c.snapshot); done {
		s.stage = alreadyDone
		return s.watch(c, true)
	}
	return s.edit(c)
}

// watching says whether the screen is a live done screen.
func (s *formScreen[In]) watching() bool {
	return s.spec.live != nil && (s.stage == alreadyDone || s.stage == finished)
}

// watch schedules the live screen's next read, or makes it now, unless
// what it waits for has settled; an earlier scheduled read is then
// dropped.
func (s *formScreen[In]) watch(c *common, now bool) tea.Cmd {
	if !s.watching() || s.spec.live.settled(c.snapshot) {
		return nil
	}
	s.polls++
	poll := s.polls
	if now {
		return s.readLive(c, poll)
	}
	return tea.Tick(*s.spec.live.every, func(time.Time) tea.Msg { return liveTickMsg{poll} })
}

func (s *formScreen[In]) readLive(c *common, poll int) tea.Cmd {
	read, caller := s.spec.live.read, c.snapshot.Caller
	return c.call(func(ctx context.Context) tea.Msg {
		change, err := read(ctx, c.acct, caller)
		return liveReadMsg{poll, change, err}
	})
}

func (s *formScreen[In]) edit(c *common) tea.Cmd {
	in := s.spec.step.Default(c.snapshot)
	if s.input != nil && s.problem != "" {
		in = *s.input // asked again: keep the answer, so one character can change
	}
	s.form, s.answer = s.spec.form(c, in)
	s.stage = editing
	return c.startForm(s.form)
}

func (s *formScreen[In]) apply(c *common) tea.Cmd {
	in, caller := *s.input, c.snapshot.Caller
	return s.run(c, s.spec.step.Doing(in), s.spec.step.CLI(caller, in), func(ctx context.Context) (steps.Outcome, error) {
		return s.spec.step.Apply(ctx, c.acct, caller, in)
	})
}

// run does work in a command with the spinner; r after a failure runs it again.
func (s *formScreen[In]) run(c *common, doing, cli string, work func(ctx context.Context) (steps.Outcome, error)) tea.Cmd {
	s.stage, s.doing, s.cli = applying, doing, cli
	s.retry = func(c *common) tea.Cmd { return s.run(c, doing, cli, work) }
	caller := c.snapshot.Caller
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		o, err := work(ctx)
		c.rememberUnshown(caller, o)
		return stepDoneMsg{o, err}
	}))
}

func (s *formScreen[In]) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, c.spin(&s.spinner, msg, s.stage == applying || s.stage == detecting)
	case freshMsg:
		if s.stage != detecting {
			return s, nil
		}
		c.snapshot, s.read = c.snapshot.With(msg.change), true
		return s, s.init(c)
	case stepDoneMsg:
		return s, s.applied(c, msg)
	case liveTickMsg:
		if !s.watching() || msg.poll != s.polls {
			return s, nil
		}
		return s, s.readLive(c, msg.poll)
	case liveReadMsg:
		if !s.watching() || msg.poll != s.polls {
			return s, nil
		}
		s.readErr = msg.err
		if msg.err == nil {
			c.snapshot = c.snapshot.With(msg.change)
		}
		return s, s.watch(c, false)
	case tea.KeyPressMsg:
		if s.stage != editing {
			return s, s.key(c, msg)
		}
	}
	if s.stage == editing {
		cmd, state := c.updateForm(s.form, msg)
		if state == huh.StateCompleted {
			in := s.answer()
			s.input = &in
			return s, s.apply(c)
		}
		return s, cmd
	}
	return s, nil
}

func (s *formScreen[In]) applied(c *common, msg stepDoneMsg) tea.Cmd {
	if msg.err != nil {
		if problem, ok := s.reask(msg.err); ok {
			s.problem = problem
			return s.edit(c)
		}
		s.stage, s.err = failed, msg.err
		return nil
	}
	s.stage, s.problem, s.outcome = finished, "", &msg.outcome
	c.snapshot = c.snapshot.With(msg.outcome.Change)
	var cmds []tea.Cmd
	if msg.outcome.Changed {
		cmds = append(cmds, record(steps.RunbookEntry{Info: s.spec.step.Info, Did: msg.outcome.Said, CLI: s.cli}))
	}
	if msg.outcome.Credentials != nil {
		c.lost = steps.UnshownRecord{} // new ones replace the lost ones
	}
	if s.spec.autoNext {
		cmds = append(cmds, nextWith(s.handOn(c)))
	}
	cmds = append(cmds, s.watch(c, false))
	return tea.Sequence(cmds...)
}

func (s *formScreen[In]) reask(err error) (string, bool) {
	if s.spec.step.Reask == nil || s.input == nil {
		return "", false
	}
	return s.spec.step.Reask(*s.input, err)
}

func (s *formScreen[In]) key(c *common, msg tea.KeyPressMsg) tea.Cmd {
	if x := s.asking; x != nil { // only y or n answers the question
		switch {
		case key.Matches(msg, c.keys.Yes):
			s.asking = nil
			return s.do(c, *x)
		case key.Matches(msg, c.keys.No):
			s.asking = nil
		}
		return nil
	}
	if s.watching() && key.Matches(msg, c.keys.CheckNow) {
		return s.watch(c, true)
	}
	if s.stage == alreadyDone || s.watching() {
		for _, x := range s.extras(c) {
			switch {
			case x.onEnter && key.Matches(msg, c.keys.Next):
				return s.do(c, x)
			case x.onEnter && key.Matches(msg, c.keys.Skip):
				return askSkip(s.spec.step.Title, s.handOn(c))
			case x.onEnter:
				return nil // enter's job is taken; nothing else until it is done
			case key.Matches(msg, x.key) && x.ask != "":
				s.asking = &x
				return nil
			case key.Matches(msg, x.key):
				return s.do(c, x)
			}
		}
		if r := s.redoKey(c); r != nil && s.stage == alreadyDone && key.Matches(msg, *r) {
			return s.edit(c)
		}
	}
	var h handoff // a skipped step hands on nothing
	if s.stage == alreadyDone || s.stage == finished {
		h = s.handOn(c)
	}
	cmd, _ := c.stepKey(msg, s.stage, s.spec.step.Title, h, nil, s.retry)
	return cmd
}

func (s *formScreen[In]) do(c *common, x extra) tea.Cmd {
	caller := c.snapshot.Caller
	return s.run(c, x.doing, x.cli, func(ctx context.Context) (steps.Outcome, error) { return x.apply(ctx, c.acct, caller) })
}

func (s *formScreen[In]) extras(c *common) []extra {
	if s.spec.extras == nil {
		return nil
	}
	return s.spec.extras(c)
}

func (s *formScreen[In]) redoKey(c *common) *key.Binding {
	if s.spec.redo == nil {
		return nil
	}
	return s.spec.redo(c.keys)
}

func (s *formScreen[In]) handOn(c *common) handoff {
	if s.spec.handOn == nil {
		return handoff{}
	}
	return s.spec.handOn(c, s.input, s.outcome)
}

func (s *formScreen[In]) view(c *common) string {
	info := s.spec.step.Info
	switch s.stage {
	case alreadyDone:
		said, _ := s.spec.step.Done(c.snapshot)
		body := c.styles.Done.Render("✓ Already done: ") + said
		help := []key.Binding{c.keys.Next}
		for _, x := range s.extras(c) {
			if x.onEnter {
				return c.frame(s.at.pos, info, body+"\n\n"+c.styles.Warn.Render("! "+x.note),
					c.helpLine(key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", x.key.Help().Desc)), c.keys.Skip, c.keys.Teach))
			}
			if s.asking != nil && s.asking.key.Help() == x.key.Help() {
				return c.frame(s.at.pos, info, body+"\n\n"+c.styles.Warn.Render(x.ask)+" "+x.note, c.helpLine(c.keys.Yes, c.keys.No))
			}
			help = append(help, x.key)
		}
		if r := s.redoKey(c); r != nil {
			help = append(help, *r)
		}
		body, help = s.liveView(c, body, help)
		return c.frame(s.at.pos, info, body, c.helpLine(append(help, c.keys.Teach)...))
	case applying, detecting:
		return c.frame(s.at.pos, info, s.spinner.View()+" "+s.doing, "")
	case finished:
		body, help := s.result(c), []key.Binding{c.keys.Next}
		if s.spec.live != nil {
			for _, x := range s.extras(c) {
				if s.asking != nil && s.asking.key.Help() == x.key.Help() {
					return c.frame(s.at.pos, info, body+"\n\n"+c.styles.Warn.Render(x.ask)+" "+x.note, c.helpLine(c.keys.Yes, c.keys.No))
				}
				help = append(help, x.key)
			}
		}
		body, help = s.liveView(c, body, help)
		return c.frame(s.at.pos, info, body, c.helpLine(append(help, c.keys.Teach)...))
	case failed:
		return c.frame(s.at.pos, info, c.errorPanel(s.err), "")
	}
	body := formView(s.form)
	if s.problem != "" {
		body = c.styles.Fail.Render("✗ "+s.problem) + "\n" + body
	}
	if s.spec.note != "" {
		body += "\n" + c.styles.Subtle.Render(s.spec.note)
	}
	return c.frame(s.at.pos, info, body, c.helpLine(c.keys.Quit))
}

// liveView adds to a live done screen where things stand, and c while
// it still waits.
func (s *formScreen[In]) liveView(c *common, body string, help []key.Binding) (string, []key.Binding) {
	if s.spec.live == nil {
		return body, help
	}
	if status := s.spec.live.status(c); status != "" {
		body += "\n\n" + status
	}
	if s.readErr != nil {
		body += "\n" + c.styles.Subtle.Render("(the last check failed: "+steps.Explain(s.readErr).What+")")
	}
	if !s.spec.live.settled(c.snapshot) {
		help = append(help, c.keys.CheckNow)
	}
	return body, help
}

// result is what the apply did (✓) and what it left undone (!).
func (s *formScreen[In]) result(c *common) string {
	var lines []string
	if s.outcome.Said != "" {
		lines = append(lines, c.styles.Done.Render("✓ "+inert.Printable(s.outcome.Said)))
	}
	for _, l := range s.outcome.Left {
		lines = append(lines, c.styles.Warn.Render("! "+l))
	}
	return strings.Join(lines, "\n")
}

func (s *formScreen[In]) teach(c *common) (steps.Info, string) {
	in := s.spec.step.Default(c.snapshot)
	if s.answer != nil {
		in = s.answer()
	}
	return s.spec.step.Info, s.spec.step.CLI(c.snapshot.Caller, in)
}

func (s *formScreen[In]) typing() bool { return s.stage == editing }

// plain leaves the screen to its frame in accessible mode, except that a
// step that moves on by itself once applied asks nothing then.
func (s *formScreen[In]) plain(c *common) (plainView, bool) {
	if s.stage != finished || !s.spec.autoNext {
		return plainView{}, false
	}
	v := c.frameView(s)
	v.choices = nil
	return v, true
}
