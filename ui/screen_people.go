package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// peopleScreen offers, after the handoff, to add other people (seed 001:
// "create an IAM user for each individual"), one at a time, as many as
// wanted: the question, a form (name and group), the write, then the
// person's one-time password on the credentials screen, then the question
// again. It works as the admin user the handoff proved (root's key may be
// gone), or as the account the wizard has when the handoff was skipped.
type peopleScreen struct {
	at      handoff
	stage   peopleStage
	spinner spinner.Model
	doing   string   // beside the spinner
	groups  []string // the account's groups, read when first needed
	noGroup bool     // the account has no group to put anyone in
	form    *huh.Form
	answer  func() steps.PersonRequest
	req     steps.PersonRequest // the answer being (or last) applied
	problem string              // why the last answer was refused, above the form
	// made is the user a failed try made ("" for none): asked for again,
	// it is finished without asking, and the runbook says it was made.
	made   string
	exists *steps.PersonExistsError // the question about a user already there
	err    error
	retry  func(c *common) tea.Cmd // what r does after a failure
	creds  *credentialsScreen      // the last person's password, until confirmed saved
	added  []steps.PersonResult    // the people added so far (passwords dropped)
	// pretended is how many of added the practice account pretends have
	// signed in and set up MFA (t).
	pretended int
}

// peopleStage is where the offer stands.
type peopleStage int

const (
	peopleAsking   peopleStage = iota // "Add another person?"
	peopleReading                     // the account's groups
	peopleEditing                     // the form
	peopleApplying                    // adding the person
	peopleExisting                    // asking about a user already there
	peopleShowing                     // the credentials screen
	peopleFailed
)

// peopleKeys are the offer's own keys.
var peopleKeys = struct{ Add, Done, Back, Replace, Rename, SkipOne, Pretend key.Binding }{
	Add:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "add a person")),
	Done:    key.NewBinding(key.WithKeys("n", "esc", "enter"), key.WithHelp("n/enter", "go to the summary")),
	Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "add no one")),
	Replace: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, a new password")),
	Rename:  key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no, another name")),
	SkipOne: key.NewBinding(key.WithKeys("s", "esc"), key.WithHelp("s", "add no one")),
	Pretend: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "pretend they signed in and set up MFA")),
}

type groupsReadMsg struct {
	groups []string
	err    error
}

type personAddedMsg struct {
	res steps.PersonResult
	err error
}

// personSavedMsg says the person's password was confirmed saved.
type personSavedMsg struct{}

// firstSignInMsg says how many of the people added the practice account
// now pretends have signed in and set up MFA.
type firstSignInMsg struct {
	n      int
	change steps.Change
	err    error
}

func (s *peopleScreen) init(c *common) tea.Cmd {
	s.spinner, s.stage = newSpinner(), peopleAsking
	return nil
}

// acct is the account the writes go through: the admin user's after the
// handoff, never root's.
func (s *peopleScreen) acct(c *common) steps.Account {
	if s.at.admin != nil {
		return s.at.admin
	}
	return c.acct
}

func (s *peopleScreen) readGroups(c *common) tea.Cmd {
	s.stage, s.doing, s.err = peopleReading, "Reading the account's groups…", nil
	s.retry = s.readGroups
	acct := s.acct(c)
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		groups, err := acct.Groups(ctx)
		return groupsReadMsg{groups, err}
	}))
}

// edit opens the form: a new person's, or the last answer again when it
// was refused, so one character can change.
func (s *peopleScreen) edit(c *common) tea.Cmd {
	req := steps.PersonRequest{Group: s.defaultGroup(c)}
	if s.problem != "" {
		req = s.req
		req.Existing = false
	}
	s.form, s.answer = newPersonForm(c, req, s.groups, c.snapshot.AdminGroups)
	s.stage = peopleEditing
	return c.startForm(s.form)
}

// defaultGroup is the admin group, when the account has it.
func (s *peopleScreen) defaultGroup(c *common) string {
	for _, g := range c.snapshot.AdminGroups {
		if slices.Contains(s.groups, g) {
			return g
		}
	}
	if len(s.groups) > 0 {
		return s.groups[0]
	}
	return ""
}

// newPersonForm asks the person's user name and group: one of the
// account's groups, the admin group first chosen.
func newPersonForm(c *common, req steps.PersonRequest, groups, adminGroups []string) (*huh.Form, func() steps.PersonRequest) {
	var opts []huh.Option[string]
	for _, g := range groups {
		label := inert.PrintableLine(g)
		if slices.Contains(adminGroups, g) {
			label += " (AdministratorAccess: full access, like yours)"
		}
		opts = append(opts, huh.NewOption(label, g))
	}
	group := huh.NewSelect[string]().Title("Group").Description("the permissions they need, and no more").Options(opts...).Value(&req.Group)
	if len(opts) > 5 {
		group = group.Height(2 + 5) // title, description, five groups; the rest scroll
	}
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("User name").Description("the name they will sign in with, e.g. bob or bob.smith").
			Value(&req.Name).Validate(trimmed(steps.ValidateUserName)).CharLimit(65), // one past the limit, so the validator can say why
		group,
	))
	return form, func() steps.PersonRequest {
		req.Name = strings.TrimSpace(req.Name)
		return req
	}
}

func (s *peopleScreen) apply(c *common) tea.Cmd {
	s.stage, s.err = peopleApplying, nil
	s.doing = "Adding " + inert.PrintableLine(s.req.Name) + " to group " + inert.PrintableLine(s.req.Group) + "…"
	s.retry = s.apply
	req, acct := s.req, s.acct(c)
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		res, err := steps.AddPerson(ctx, acct, req)
		return personAddedMsg{res, err}
	}))
}

func (s *peopleScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	if s.stage == peopleShowing {
		if _, ok := msg.(personSavedMsg); ok {
			s.creds, s.stage = nil, peopleAsking
			return s, nil
		}
		next, cmd := s.creds.update(c, msg)
		s.creds = next.(*credentialsScreen)
		return s, cmd
	}
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, c.spin(&s.spinner, msg, s.stage == peopleReading || s.stage == peopleApplying)
	case groupsReadMsg:
		if msg.err != nil {
			s.stage, s.err = peopleFailed, msg.err
			return s, nil
		}
		s.groups = msg.groups
		if len(s.groups) == 0 {
			s.stage, s.noGroup = peopleAsking, true
			return s, nil
		}
		return s, s.edit(c)
	case personAddedMsg:
		return s, s.personAdded(c, msg)
	case firstSignInMsg:
		if msg.err != nil {
			s.stage, s.err = peopleFailed, msg.err
			return s, nil
		}
		s.pretended = msg.n
		c.snapshot = c.snapshot.With(msg.change)
	case tea.KeyPressMsg:
		if s.stage == peopleEditing {
			if key.Matches(msg, peopleKeys.Back) {
				s.stage, s.problem = peopleAsking, ""
				return s, nil
			}
			break
		}
		return s, s.key(c, msg)
	}
	if s.stage == peopleEditing {
		cmd, state := c.updateForm(s.form, msg)
		if state == huh.StateCompleted {
			s.req = s.answer()
			s.req.Existing = s.made != "" && s.req.Name == s.made
			return s, s.apply(c)
		}
		return s, cmd
	}
	return s, nil
}

// personAdded takes AddPerson's answer: the password to show, a question about
// a user already there, the form again, or a failure.
func (s *peopleScreen) personAdded(c *common, msg personAddedMsg) tea.Cmd {
	var exists *steps.PersonExistsError
	var refused *steps.PersonRefusedError
	switch {
	case errors.As(msg.err, &exists):
		s.stage, s.exists = peopleExisting, exists
		return nil
	case errors.As(msg.err, &refused):
		s.problem = refused.Problem
		return s.edit(c)
	case msg.err != nil:
		s.stage, s.err = peopleFailed, msg.err
		if msg.res.Created { // r finishes what this try began
			s.made, s.req.Existing = s.req.Name, true
		}
		return nil
	}
	res := msg.res
	res.Created = res.Created || res.Name == s.made
	s.made, s.problem, s.exists = "", "", nil
	c.snapshot = c.snapshot.With(res.Change())
	entry := steps.RunbookEntry{Info: steps.PersonInfo, Did: steps.PersonSaid(res), CLI: steps.PersonCLI(s.req, res)}
	s.creds = &credentialsScreen{
		at:      handoff{created: &steps.Credentials{User: res.Name, Password: res.Password}},
		person:  res.Name,
		onSaved: func() tea.Msg { return personSavedMsg{} },
	}
	res.Password = steps.Secret{} // the credentials screen holds the only copy
	s.added = append(s.added, res)
	s.stage = peopleShowing
	return tea.Batch(record(entry), s.creds.init(c))
}

func (s *peopleScreen) key(c *common, msg tea.KeyPressMsg) tea.Cmd {
	switch s.stage {
	case peopleAsking:
		switch {
		case key.Matches(msg, peopleKeys.Add) && !s.noGroup:
			s.problem = ""
			if s.groups == nil {
				return s.readGroups(c)
			}
			return s.edit(c)
		case key.Matches(msg, peopleKeys.Done):
			return nextWith(handoff{people: s.people()})
		case key.Matches(msg, peopleKeys.Pretend) && s.canPretend(c):
			return s.pretend(c)
		}
	case peopleExisting:
		switch {
		case key.Matches(msg, peopleKeys.Replace):
			s.req.Existing, s.exists = true, nil
			return s.apply(c)
		case key.Matches(msg, peopleKeys.Rename):
			s.problem = inert.PrintableLine(s.req.Name) + " already exists: type another name (or the same one, and say yes to a new password)"
			s.exists = nil
			return s.edit(c)
		}
	case peopleFailed:
		switch {
		case key.Matches(msg, c.keys.Retry):
			return s.retry(c)
		case key.Matches(msg, peopleKeys.SkipOne):
			s.stage, s.err = peopleAsking, nil
		}
	}
	return nil
}

// canPretend says the practice account can pretend someone added has
// signed in and set up MFA.
func (s *peopleScreen) canPretend(c *common) bool {
	_, ok := c.acct.(steps.ConsoleSimulator)
	return c.practice && ok && s.pretended < len(s.added)
}

// pretend has the practice account act out the first sign-in of each
// person added since the last t: a new password, and MFA.
func (s *peopleScreen) pretend(c *common) tea.Cmd {
	sim := c.acct.(steps.ConsoleSimulator)
	var names []string
	for _, p := range s.added[s.pretended:] {
		names = append(names, p.Name)
	}
	s.retry = s.pretend
	n := len(s.added)
	return c.call(func(context.Context) tea.Msg {
		for _, name := range names {
			if err := sim.SimulateFirstSignIn(name); err != nil {
				return firstSignInMsg{err: err}
			}
		}
		return firstSignInMsg{n: n, change: steps.MFASetUp(names)}
	})
}

// people are the people added, for the summary.
func (s *peopleScreen) people() []steps.Person {
	var people []steps.Person
	for _, r := range s.added {
		people = append(people, steps.Person{Name: r.Name, Group: r.Group})
	}
	return people
}

func (s *peopleScreen) view(c *common) string {
	info := steps.PersonInfo
	switch s.stage {
	case peopleShowing:
		return s.creds.view(c)
	case peopleReading, peopleApplying:
		return c.frame(s.at.pos, info, s.spinner.View()+" "+s.doing, "")
	case peopleFailed:
		e := steps.Explain(s.err)
		return c.frame(s.at.pos, info, c.styles.Error.Width(min(c.width, 100)-4).Render(
			c.styles.Fail.Render("✗ "+e.What)+"\n"+e.Fix+"\n\n"+c.helpLine(c.keys.Retry, peopleKeys.SkipOne, c.keys.Quit)), "")
	case peopleEditing:
		body := formView(s.form)
		if s.problem != "" {
			body = c.styles.Fail.Render("✗ "+s.problem) + "\n" + body
		}
		return c.frame(s.at.pos, info, body, c.helpLine(peopleKeys.Back, c.keys.Quit))
	case peopleExisting:
		name, group := inert.PrintableLine(s.req.Name), inert.PrintableLine(s.req.Group)
		q := "Give " + name + " a new one-time password"
		if !s.exists.Password {
			q = "Give " + name + " a console password"
		}
		if !slices.Contains(s.exists.Groups, s.req.Group) {
			q += " and add it to group " + group
		}
		q += "?"
		if s.exists.Password {
			q += " The password it has now stops working at once."
		}
		return c.frame(s.at.pos, info, c.styles.Warn.Render("! "+inert.Printable(s.exists.Said()))+"\n\n"+q, c.helpLine(peopleKeys.Replace, peopleKeys.Rename, c.keys.Teach))
	}
	above, question := s.asking(c)
	return c.frameFocus(s.at.pos, info, above, question, "", s.askingHelp(c))
}

// asking is the question: first with what adding someone makes, then
// with who was added, and what each still has to do. The question is
// apart, for the frame to keep it in view on a small terminal.
func (s *peopleScreen) asking(c *common) (above, question string) {
	intro := steps.PersonGets + "\n" + steps.PersonMFA("their name")
	if len(s.added) > 0 {
		intro = "Each sets up MFA when they first sign in: IAM → Users → their name → Security credentials → Assign MFA device."
	}
	parts := []string{intro}
	var added []string
	for i, p := range s.added {
		line := c.styles.Done.Render("✓ "+inert.PrintableLine(p.Name)+" added to group "+inert.PrintableLine(p.Group)) + ", with a password to change when they first sign in."
		if i < s.pretended {
			line = c.styles.Done.Render("✓ "+inert.PrintableLine(p.Name)+" added to group "+inert.PrintableLine(p.Group)) + "; signed in and set up MFA (pretend)."
		}
		added = append(added, line)
		if !p.SelfMFA && i >= s.pretended {
			added = append(added, c.styles.Warn.Render("! "+steps.PersonMFANeedsPolicy(p.Group)))
		}
	}
	if len(added) > 0 {
		parts = append(parts, strings.Join(added, "\n"))
	}
	switch {
	case s.noGroup:
		question = c.styles.Warn.Render("! This account has no group to put anyone in. Run awssecure again and create the administrators group first, or create a group in the console.")
	case len(s.added) > 0:
		question = c.styles.Title.Render("Add one more person?")
	default:
		question = c.styles.Title.Render("Add another person?")
	}
	return strings.Join(parts, "\n\n") + "\n", question // a blank line before the question
}

func (s *peopleScreen) askingHelp(c *common) string {
	if s.noGroup {
		return c.helpLine(peopleKeys.Done, c.keys.Teach)
	}
	if s.canPretend(c) {
		return c.helpLine(peopleKeys.Add, peopleKeys.Done, peopleKeys.Pretend, c.keys.Teach)
	}
	return c.helpLine(peopleKeys.Add, peopleKeys.Done, c.keys.Teach)
}

func (s *peopleScreen) teach(c *common) (steps.Info, string) {
	if s.stage == peopleShowing {
		return s.creds.teach(c)
	}
	req := s.req
	if s.stage == peopleEditing && s.answer != nil {
		req = s.answer()
	}
	if req.Group == "" {
		req.Group = s.defaultGroup(c)
	}
	if req.Group == "" {
		req.Group = steps.DefaultGroupName
	}
	var res steps.PersonResult // not yet known: every command
	if s.stage == peopleExisting {
		res = steps.PersonResult{Name: req.Name, Joined: !slices.Contains(s.exists.Groups, req.Group), Replaced: s.exists.Password}
	}
	return steps.PersonInfo, steps.PersonCLI(req, res)
}

func (s *peopleScreen) typing() bool { return s.stage == peopleEditing }

// quitWarning is the credentials screen's while a password is shown.
func (s *peopleScreen) quitWarning(c *common) string {
	if s.stage == peopleShowing {
		return s.creds.quitWarning(c)
	}
	return ""
}
