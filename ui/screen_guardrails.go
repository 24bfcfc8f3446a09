package ui

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// guardsScreen is the guardrails step's checklist: five guards, each with
// its why, CIS id and cost; the free ones chosen at first. The security
// contact is asked in a form (esc skips it); the chosen guards are then
// applied at once, each row showing its own progress and result; r
// retries what failed, c adds a billing or operations contact.
type guardsScreen struct {
	at      handoff
	stage   stage
	cursor  int
	chosen  map[string]bool
	asking  bool      // the contact form is up
	form    *huh.Form // the contact form
	answer  func() []steps.Contact
	req     steps.GuardRequest
	rows    map[string]*guardRow // the guards being (or last) applied
	spinner spinner.Model
}

// guardRow is one guard's apply: its progress over the regions, then its result.
type guardRow struct {
	running     bool
	done, total int
	res         steps.GuardResult
}

type guardDoneMsg struct{ res steps.GuardResult }

type guardProgressMsg struct {
	p  steps.GuardProgress
	ch chan steps.GuardProgress
}

type guardsReadMsg struct{ change steps.Change }

// init reads the guards afresh (see steps.ReadGuardrails), then shows the
// checklist.
func (s *guardsScreen) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	s.chosen, s.rows = map[string]bool{}, map[string]*guardRow{}
	s.stage = detecting
	caller := c.snapshot.Caller
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		return guardsReadMsg{steps.ReadGuardrails(ctx, c.acct, caller)}
	}))
}

func (s *guardsScreen) choose(c *common) {
	if s.allDone(c) {
		s.stage = alreadyDone
		return
	}
	for _, g := range steps.Guards {
		s.chosen[g.ID] = g.Default && !steps.GuardDone(c.snapshot, g.ID)
	}
	s.cursor = slices.IndexFunc(steps.Guards, func(g steps.Guard) bool { return !steps.GuardDone(c.snapshot, g.ID) })
	s.stage = editing
}

func (s *guardsScreen) allDone(c *common) bool {
	return !slices.ContainsFunc(steps.Guards, func(g steps.Guard) bool { return !steps.GuardDone(c.snapshot, g.ID) })
}

func (s *guardsScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, c.spin(&s.spinner, msg, s.stage == applying || s.stage == detecting)
	case guardsReadMsg:
		c.snapshot = c.snapshot.With(msg.change)
		s.choose(c)
		return s, nil
	case guardProgressMsg:
		if r := s.rows[msg.p.ID]; r != nil && r.running {
			r.done, r.total = msg.p.Done, msg.p.Total
		}
		return s, waitGuardProgress(msg.ch)
	case guardDoneMsg:
		c.snapshot = c.snapshot.With(msg.res.Change)
		s.rows[msg.res.ID] = &guardRow{res: msg.res}
		if !slices.ContainsFunc(slices.Collect(maps.Values(s.rows)), func(r *guardRow) bool { return r.running }) {
			s.stage = finished
		}
		return s, recordGuard(msg.res)
	case tea.KeyPressMsg:
		if s.asking {
			if key.Matches(msg, c.keys.SkipContact) {
				s.asking = false
				if s.stage == editing {
					s.chosen[steps.CheckSecurityContact] = false
					return s, s.apply(c, s.chosenIDs())
				}
				return s, nil
			}
			break
		}
		return s, s.key(c, msg)
	}
	if s.asking {
		cmd, state := c.updateForm(s.form, msg)
		if state != huh.StateCompleted {
			return s, cmd
		}
		s.asking, s.req.Contacts = false, s.answer()
		if s.stage == editing {
			return s, s.apply(c, s.chosenIDs())
		}
		return s, s.apply(c, []string{steps.CheckSecurityContact})
	}
	return s, nil
}

func (s *guardsScreen) key(c *common, msg tea.KeyPressMsg) tea.Cmd {
	switch s.stage {
	case editing:
		switch {
		case key.Matches(msg, c.keys.Up):
			s.move(c, -1)
		case key.Matches(msg, c.keys.Down):
			s.move(c, 1)
		case key.Matches(msg, c.keys.Toggle):
			id := steps.Guards[s.cursor].ID
			s.chosen[id] = !s.chosen[id]
		case key.Matches(msg, c.keys.Apply):
			ids := s.chosenIDs()
			switch {
			case len(ids) == 0:
				return nextWith(handoff{})
			case s.chosen[steps.CheckSecurityContact]:
				return s.askContact(c, []string{steps.ContactSecurity})
			}
			return s.apply(c, ids)
		}
	case alreadyDone, finished:
		switch {
		case s.stage == finished && key.Matches(msg, c.keys.Retry) && len(s.failed()) > 0:
			if slices.Contains(s.failed(), steps.CheckSecurityContact) && len(s.req.Contacts) == 0 {
				return s.askContact(c, []string{steps.ContactSecurity})
			}
			return s.apply(c, s.failed())
		case key.Matches(msg, c.keys.Contact):
			var unset []string
			for _, kind := range []string{steps.ContactBilling, steps.ContactOperations} {
				if _, ok := c.snapshot.Guards.Contacts[kind]; !ok {
					unset = append(unset, kind)
				}
			}
			return s.askContact(c, unset)
		case key.Matches(msg, c.keys.Next):
			return nextWith(handoff{})
		}
	}
	return nil
}

// move puts the cursor on the next row in dir that is not done yet.
func (s *guardsScreen) move(c *common, dir int) {
	for i := s.cursor + dir; i >= 0 && i < len(steps.Guards); i += dir {
		if !steps.GuardDone(c.snapshot, steps.Guards[i].ID) {
			s.cursor = i
			return
		}
	}
}

func (s *guardsScreen) chosenIDs() []string {
	var ids []string
	for _, g := range steps.Guards {
		if s.chosen[g.ID] {
			ids = append(ids, g.ID)
		}
	}
	return ids
}

// failed are the guards whose last apply left something to do.
func (s *guardsScreen) failed() []string {
	var ids []string
	for _, g := range steps.Guards {
		if r := s.rows[g.ID]; r != nil && !r.running && r.res.Err != nil {
			ids = append(ids, g.ID)
		}
	}
	return ids
}

func (s *guardsScreen) askContact(c *common, kinds []string) tea.Cmd {
	s.form, s.answer = newContactForm(kinds, c.toggleHint())
	s.asking = true
	return c.startForm(s.form)
}

// apply starts each guard of ids at once, each in its own command; the
// regional ones report their progress over a channel.
func (s *guardsScreen) apply(c *common, ids []string) tea.Cmd {
	if len(ids) == 0 { // the contact skipped, and nothing else left to do
		s.stage = finished
		return nil
	}
	s.stage = applying
	cmds := []tea.Cmd{s.spinner.Tick}
	snap, req := c.snapshot, s.req
	for _, id := range ids {
		s.rows[id] = &guardRow{running: true}
		ch := make(chan steps.GuardProgress, 64)
		cmds = append(cmds, waitGuardProgress(ch), c.call(func(ctx context.Context) tea.Msg {
			defer close(ch)
			return guardDoneMsg{steps.ApplyGuard(ctx, c.acct, snap, id, req, func(p steps.GuardProgress) {
				select {
				case ch <- p:
				default: // the screen is behind; the next one says more
				}
			})}
		}))
	}
	return tea.Batch(cmds...)
}

// recordGuard puts in the runbook what a guard's apply wrote, as soon as
// it is done, even when it did only part (a region refused): each write
// made is there, with its aws CLI.
func recordGuard(res steps.GuardResult) tea.Cmd {
	if res.CLI == "" || res.Said == "" {
		return nil
	}
	g := steps.GuardByID(res.ID)
	info := g.Info()
	info.Title += ": " + g.Title
	return record(steps.RunbookEntry{Info: info, Did: strings.ToUpper(res.Said[:1]) + res.Said[1:] + ".", CLI: res.CLI})
}

func waitGuardProgress(ch chan steps.GuardProgress) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		if !ok {
			return nil
		}
		return guardProgressMsg{p, ch}
	}
}

// newContactForm asks an alternate contact with the Account API's limits,
// so bad input is refused in the form, with no call; kinds are the
// contact types it is offered for, the first chosen.
func newContactForm(kinds []string, hint string) (*huh.Form, func() []steps.Contact) {
	var in steps.Contact
	var types []string
	var opts []huh.Option[string]
	for i, k := range kinds {
		opts = append(opts, huh.NewOption(strings.ToLower(k), k).Selected(i == 0)) // one word: fits any width
	}
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Name").Value(&in.Name).Validate(steps.ValidateContactName).CharLimit(65),
		huh.NewInput().Title("E-mail").Value(&in.Email).Validate(steps.ValidateContactEmail).CharLimit(255),
		huh.NewInput().Title("Phone").Description("digits, spaces and ( ) + -").Value(&in.Phone).Validate(steps.ValidateContactPhone).CharLimit(26),
		huh.NewInput().Title("Job title").Value(&in.Title).Validate(steps.ValidateContactTitle).CharLimit(51),
		huh.NewMultiSelect[string]().Title("Contact for ("+hint+")").Options(opts...).Value(&types).Height(len(opts)+1).
			Validate(func(v []string) error {
				if len(v) == 0 {
					return fmt.Errorf("choose at least one")
				}
				return nil
			}),
	).Title("Who should AWS write to? All fields are required (esc skips)"))
	return form, func() []steps.Contact {
		var out []steps.Contact
		for _, k := range types {
			c := in
			c.Type = k
			out = append(out, c)
		}
		return out
	}
}

func (s *guardsScreen) view(c *common) string {
	info := steps.Guardrails.Info
	if s.asking {
		return c.frame(s.at.pos, info, formView(s.form), c.helpLine(c.keys.SkipContact, c.keys.Quit))
	}
	if s.stage == detecting {
		return c.frame(s.at.pos, info, s.spinner.View()+" Reading the guards in every enabled region…", "")
	}
	// The row under the cursor is what the eye is on: the view follows it.
	var above, focus, below []string
	for i, g := range steps.Guards {
		switch row := s.row(c, i, g); {
		case s.stage == editing && i == s.cursor:
			focus = row
		case s.stage == editing && i > s.cursor:
			below = append(below, row...)
		default:
			above = append(above, row...)
		}
	}
	var help string
	switch s.stage {
	case editing:
		if s.chosen[steps.CheckPublicAccessBlock] {
			below = append(below, c.styles.Warn.Render("! "+steps.BlockPublicAccessWarning))
		}
		help = c.helpLine(c.keys.Up, c.keys.Toggle, c.keys.Apply, c.keys.Teach)
	case applying:
		help = ""
	case finished, alreadyDone:
		keys := []key.Binding{c.keys.Next}
		if len(s.failed()) > 0 {
			keys = append(keys, c.keys.Retry)
		}
		help = c.helpLine(append(keys, c.keys.Contact, c.keys.Teach)...)
	}
	return c.frameFocus(s.at.pos, info, strings.Join(above, "\n"), strings.Join(focus, "\n"), strings.Join(below, "\n"), help)
}

// row is one guard's lines: a head (choice or result, title, CIS, cost)
// and a line of why, or of what the account has, or of what was done.
func (s *guardsScreen) row(c *common, i int, g steps.Guard) []string {
	cis := "CIS " + g.CIS
	if g.CIS == "" {
		cis = "—"
	}
	check := guardCheck(c, g.ID)
	mark, under := "", g.Why
	switch r := s.rows[g.ID]; {
	case r != nil && r.running:
		mark, under = s.spinner.View()+" ", "working…"
		if r.total > 0 {
			under = fmt.Sprintf("%d of %d regions", r.done, r.total)
		}
	case r != nil && r.res.Err == nil:
		mark, under = c.styles.Done.Render("✓")+"  ", inert.Printable(r.res.Said)
	case r != nil:
		mark, under = c.styles.Fail.Render("✗")+"  ", inert.Printable(r.res.Said)
	case check.Status == steps.Pass:
		mark, under = c.styles.Done.Render("✓")+"  ", inert.PrintableLine(check.Detail)
	case s.stage == editing:
		mark = "[ ]"
		if s.chosen[g.ID] {
			mark = "[x]"
		}
		if check.Status == steps.Warn && g.ID != steps.CheckGuardDuty || check.Status == steps.Unknown {
			under = inert.PrintableLine(check.Detail)
		}
	default:
		mark = c.styles.Subtle.Render("–") + "  "
	}
	cursor := "  "
	if s.stage == editing && i == s.cursor {
		cursor = c.styles.Key.Render("> ")
	}
	head := cursor + mark + " " + lipgloss.NewStyle().Width(27).Render(g.Title) + lipgloss.NewStyle().Width(10).Render(cis)
	width := max(min(c.width, 100)-2-6, 20)
	indent := lipgloss.NewStyle().PaddingLeft(6)
	lines := []string{head + c.styles.Subtle.Render(g.Cost)}
	if lipgloss.Width(lines[0]) > width+6 { // too narrow: the cost goes under the title, whole
		lines = []string{strings.TrimRight(head, " "), indent.Render(c.styles.Subtle.Width(width).Render(g.Cost))}
	}
	return append(lines, indent.Render(c.styles.Subtle.Width(width).Render(under)))
}

// guardCheck is the check of guard id in the wizard's snapshot.
func guardCheck(c *common, id string) steps.Check {
	for _, ch := range steps.GuardChecks(c.snapshot) {
		if ch.ID == id {
			return ch
		}
	}
	return steps.Check{}
}

// teach shows how to do by hand the guard under the cursor (the first
// that failed, once applied): five at once would not fit the screen.
func (s *guardsScreen) teach(c *common) (steps.Info, string) {
	g := steps.Guards[max(s.cursor, 0)]
	if failed := s.failed(); s.stage != editing && len(failed) > 0 {
		g = steps.GuardByID(failed[0])
	}
	info := g.Info()
	req := s.req
	if s.answer != nil && len(req.Contacts) == 0 {
		req.Contacts = s.answer()
	}
	return info, steps.GuardsCLI(c.snapshot.Caller, c.region, []string{g.ID}, req)
}

func (s *guardsScreen) typing() bool { return s.asking }

// plain is the checklist in accessible mode: each guard a numbered line
// that says whether it is chosen, done, or how its apply went, with its
// why on a line of its own (said once); a number typed chooses or
// unchooses it. The contact form and the first read are said from the
// frame.
func (s *guardsScreen) plain(c *common) (plainView, bool) {
	if s.asking || s.stage == detecting {
		return plainView{}, false
	}
	info := steps.Guardrails.Info
	v := plainView{heading: []string{plainHeading(s.at.pos, info.Title), info.Why}}
	for i, g := range steps.Guards {
		v.lines = append(v.lines, s.plainRow(c, i, g)...)
	}
	switch s.stage {
	case editing:
		if s.chosen[steps.CheckPublicAccessBlock] {
			v.lines = append(v.lines, "! "+steps.BlockPublicAccessWarning)
		}
		for i, g := range steps.Guards {
			if !steps.GuardDone(c.snapshot, g.ID) {
				v.choices = append(v.choices, choice{typed: strconv.Itoa(i + 1), does: "choose or unchoose " + g.Title,
					do: func() tea.Cmd { s.chosen[g.ID] = !s.chosen[g.ID]; return nil }})
			}
		}
		v.choices = append(v.choices, choicesOf(c.keys.Apply)...)
		v.ask = "Type a guard's number to choose or unchoose it, or press enter to " + c.keys.Apply.Help().Desc + ":"
	case finished, alreadyDone:
		keys := []key.Binding{c.keys.Next}
		if len(s.failed()) > 0 {
			keys = append(keys, c.keys.Retry)
		}
		v.choices = choicesOf(append(keys, c.keys.Contact, c.keys.Teach)...)
	}
	return v, true
}

// plainRow is guard g said: its head (number, title, what it costs and
// its CIS control) with its state, then its why or what came of it.
func (s *guardsScreen) plainRow(c *common, i int, g steps.Guard) []string {
	head := strconv.Itoa(i+1) + ". " + g.Title + " (" + g.Cost
	if g.CIS != "" {
		head += "; CIS " + g.CIS
	}
	head += ")"
	check := guardCheck(c, g.ID)
	switch r := s.rows[g.ID]; {
	case r != nil && r.running:
		return []string{head + ": turning it on…"}
	case r != nil && r.res.Err == nil:
		return []string{head + ": ✓ " + plainText(inert.Printable(r.res.Said))}
	case r != nil:
		return []string{head + ": ✗ " + plainText(inert.Printable(r.res.Said))}
	case check.Status == steps.Pass:
		return []string{head + ": ✓ already on — " + plainText(inert.Printable(check.Detail))}
	case s.stage == editing:
		state := "not chosen"
		if s.chosen[g.ID] {
			state = "chosen"
		}
		under := g.Why
		if check.Status == steps.Warn && g.ID != steps.CheckGuardDuty || check.Status == steps.Unknown {
			under = inert.PrintableLine(check.Detail)
		}
		return []string{head + ": " + state, plainText(inert.Printable(under))}
	}
	return []string{head + ": left off"}
}
