package ui

import (
	"reflect"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/steps"
)

// screen is one screen of the wizard. Each keeps its own small state
// enum (detecting, editing, applying, done, failed) and reports
// completion with nextMsg.
type screen interface {
	init(c *common) tea.Cmd
	update(c *common, msg tea.Msg) (screen, tea.Cmd)
	view(c *common) string
	// teach is the teaching panel: console path and CLI with the user's values.
	teach(c *common) (steps.Info, string)
	// typing reports whether a text field has focus, so plain keys go to it.
	typing() bool
}

// quitWarner is a screen that has more to say than usual when the user
// asks to quit on it (secrets not yet shown or saved).
type quitWarner interface{ quitWarning(c *common) string }

// fullHeightScreen is a screen that needs every row (the QR code) and
// draws the practice marker itself, beside its content.
type fullHeightScreen interface{ drawsPracticeMarker() bool }

// handoff is what the wizard hands a screen when it opens it. Which
// screen needs which earlier result is written down here, not left on a
// blackboard every screen can read.
type handoff struct {
	pos position
	// user is the admin user the MFA and credentials screens are for.
	user string
	// created are the one-time credentials the user step made; the
	// credentials screen shows them and drops them.
	created *steps.Credentials
	// newKey is the admin user's new access key, once the user has seen
	// and saved it: the handoff proves it before deleting root's keys.
	newKey *steps.AccessKey
	// admin is the account signed in as the admin user, once the handoff
	// proved its key: what reads the account after root's keys are gone.
	admin steps.Account
	// skipped are the titles of the steps skipped so far, for the summary.
	skipped []string
	// runbook is every change of the session so far, for the summary's r.
	runbook []steps.RunbookEntry
	// people are the people added after the handoff, for the summary.
	people []steps.Person
}

// madeBy is the aws CLI of the last change this session recorded under
// the step titled title, or "" when it made none.
func (h handoff) madeBy(title string) string {
	for i := len(h.runbook) - 1; i >= 0; i-- {
		if h.runbook[i].Title == title {
			return h.runbook[i].CLI
		}
	}
	return ""
}

// position is a screen's place in the tutorial: step n of total; n is 0
// for the screens around the steps (preflight, summary).
type position struct{ n, total int }

// nextMsg asks the root to open the screen after this one, handing it on.
type nextMsg struct {
	handoff
	from opened // the screen that asked (see fromScreen)
}

func next() tea.Msg { return nextMsg{} }

// nextWith moves on, handing h to the next screen.
func nextWith(h handoff) tea.Cmd { return func() tea.Msg { return nextMsg{handoff: h} } }

// skipMsg moves on past a step the user skipped (or that failed), so the
// summary lists it, handing on what the next screen still needs.
type skipMsg struct {
	title string
	handoff
	from opened // the screen that asked (see fromScreen)
}

func skip(title string, h handoff) tea.Cmd {
	return func() tea.Msg { return skipMsg{title: title, handoff: h} }
}

// opened numbers the screens in the order the wizard opened them, from
// 1; 0 is a message no screen is known to have asked for.
type opened int

// fromScreen tags the nextMsg and skipMsg that cmd yields with the screen
// whose update returned it, so the root moves on only for the screen it
// shows. A screen can ask twice before the root has moved on — a second
// Enter pressed quickly on a "done" screen, or a message that reaches a
// completed form — and the second ask would skip the next screen unseen.
func fromScreen(cmd tea.Cmd, screen opened) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		switch msg := cmd().(type) {
		case nextMsg:
			msg.from = screen
			return msg
		case skipMsg:
			msg.from = screen
			return msg
		case tea.BatchMsg:
			for i := range msg {
				msg[i] = fromScreen(msg[i], screen)
			}
			return msg
		default:
			// tea.Sequence's message is a slice of commands of a type
			// Bubble Tea does not export.
			if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
				for i := range v.Len() {
					inner, _ := v.Index(i).Interface().(tea.Cmd)
					v.Index(i).Set(reflect.ValueOf(fromScreen(inner, screen)))
				}
			}
			return msg
		}
	}
}

// recordMsg adds a change the session made to its runbook.
type recordMsg struct{ entry steps.RunbookEntry }

func record(e steps.RunbookEntry) tea.Cmd { return func() tea.Msg { return recordMsg{e} } }

// askSkipMsg asks the user to confirm skipping a step first: a skip is
// one key away from a step left undone. On yes, then runs (it ends in a
// skipMsg, after undoing what the step had begun).
type askSkipMsg struct {
	title string
	then  tea.Cmd
}

// askSkip is skip after a yes.
func askSkip(title string, h handoff) tea.Cmd { return askSkipThen(title, skip(title, h)) }

func askSkipThen(title string, then tea.Cmd) tea.Cmd {
	return func() tea.Msg { return askSkipMsg{title, then} }
}

// planned is one screen of the wizard's sequence.
type planned struct {
	pos  position
	open func(h handoff) screen
}

// stepScreens are each step's screens, by step id. A step that asks and
// applies needs only a formSpec; the others have screens of their own.
var stepScreens = map[string][]func(handoff) screen{
	steps.Root.ID:       {func(h handoff) screen { return &rootScreen{at: h} }},
	steps.Policy.ID:     {openForm(policySpec)},
	steps.AdminGroup.ID: {openForm(groupSpec)},
	steps.AdminUser.ID:  {openForm(userSpec), func(h handoff) screen { return &mfaScreen{at: h} }, func(h handoff) screen { return &credentialsScreen{at: h} }},
	steps.Alias.ID:      {openForm(aliasSpec)},
	steps.Regions.ID:    {func(h handoff) screen { return &regionsScreen{at: h} }},
	steps.CloudTrail.ID: {openForm(cloudTrailSpec)},
	steps.Billing.ID:    {openForm(billingSpec)},
	steps.Guardrails.ID: {func(h handoff) screen { return &guardsScreen{at: h} }},
	steps.RootAlert.ID:  {openForm(rootAlertSpec)},
	steps.Handoff.ID:    {func(h handoff) screen { return &handoffScreen{at: h} }},
}

// stepNumber is the number the wizard shows for step id, from the
// registry (1 for the first); 0 when id is no step.
func stepNumber(id string) int {
	return slices.IndexFunc(steps.Steps, func(s steps.Step) bool { return s.ID == id }) + 1
}

// sequence is the wizard's screens, derived from the step registry:
// preflight, each step's screens in the tutorial's order (numbered from
// the registry), the offer to add other people (after the handoff: it
// works as the admin user), the summary.
func sequence() []planned {
	seq := []planned{{open: func(handoff) screen { return &preflightScreen{} }}}
	for i, step := range steps.Steps {
		for _, open := range stepScreens[step.ID] {
			seq = append(seq, planned{position{i + 1, len(steps.Steps)}, open})
		}
	}
	seq = append(seq, planned{open: func(h handoff) screen { return &peopleScreen{at: h} }})
	return append(seq, planned{open: func(h handoff) screen {
		return &summaryScreen{skipped: h.skipped, admin: h.admin, runbook: h.runbook, user: h.user, people: h.people}
	}})
}
