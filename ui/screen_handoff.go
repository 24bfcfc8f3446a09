package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/steps"
)

// handoffScreen stops the use of root: it proves the admin user's new key
// works, then asks about each root access key and deletes those the user
// agrees to, as the wizard's very last calls as root, and confirms through
// the admin user that none is left. From here on the wizard reads the
// account as the admin user.
type handoffScreen struct {
	at      handoff // the admin user and its new key
	stage   stage
	spinner spinner.Model
	doing   string
	why     string // why there is nothing to delete, or nothing awssecure can delete
	proven  steps.Proven
	keys    []steps.RootKey
	asked   int      // how many keys have their answer
	doomed  []string // the keys the user agreed to delete
	gone    bool     // the account confirms root has no keys left
	err     error
}

type keyProvenMsg struct {
	proven steps.Proven
	err    error
}

type rootKeysMsg struct {
	keys []steps.RootKey
	err  error
}

type rootKeysDeletedMsg struct {
	gone   bool
	change steps.Change
	err    error
}

func (s *handoffScreen) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	caller := c.snapshot.Caller
	switch {
	case !c.snapshot.RootHasAccessKeys():
		s.stage, s.why = alreadyDone, "The root user has no access keys."
		return nil
	case !caller.IsRoot():
		s.stage = alreadyDone
		s.why = "The root user still has access keys, and only the root user can delete them: awssecure runs as " + caller.ARN +
			". Sign in to the console as root and delete them at " + steps.Handoff.ConsoleURL + " (Access keys → Actions → Delete)."
		return nil
	case s.at.newKey == nil || c.signIn == nil:
		s.stage = alreadyDone
		s.why = "The root user still has access keys. awssecure deletes them only after proving that a new key of your admin user works, " +
			"and this run made none you have saved. Run awssecure again and press k on the admin user step for new credentials, " +
			"or delete them in the console at " + steps.Handoff.ConsoleURL + "."
		return nil
	}
	return s.prove(c)
}

func (s *handoffScreen) prove(c *common) tea.Cmd {
	s.stage = detecting
	s.doing = "Checking " + s.at.user + "'s new access key (IAM can take a few seconds to make a new key known)…"
	signIn, newKey, user, wait := c.signIn, *s.at.newKey, s.at.user, c.wait
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		p, err := steps.ProveKey(ctx, signIn, c.acct, newKey, user, wait)
		return keyProvenMsg{p, err}
	}))
}

func (s *handoffScreen) listKeys(c *common) tea.Cmd {
	s.stage, s.doing = detecting, "Reading the root user's access keys…"
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		keys, err := steps.RootKeys(ctx, c.acct)
		return rootKeysMsg{keys, err}
	}))
}

func (s *handoffScreen) deleteKeys(c *common) tea.Cmd {
	s.stage, s.doing = applying, "Deleting the root user's access keys, then checking as "+s.at.user+" that they are gone…"
	doomed, admin, wait := s.doomed, s.proven.Admin, c.wait
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		// The last calls as root.
		if err := steps.DeleteRootKeys(ctx, c.acct, doomed); err != nil {
			return rootKeysDeletedMsg{err: err}
		}
		gone, change, err := steps.ConfirmNoRootKeys(ctx, admin, wait)
		return rootKeysDeletedMsg{gone, change, err}
	}))
}

func (s *handoffScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, c.spin(&s.spinner, msg, s.stage == detecting || s.stage == applying)
	case keyProvenMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.proven = msg.proven
		return s, s.listKeys(c)
	case rootKeysMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.keys, s.asked, s.doomed, s.stage = msg.keys, 0, nil, editing
		if len(s.keys) == 0 {
			s.stage = finished
		}
	case rootKeysDeletedMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.stage, s.gone = finished, msg.gone
		c.snapshot = c.snapshot.With(msg.change)
		return s, record(steps.RunbookEntry{Info: steps.Handoff.Info, CLI: steps.DeleteRootKeyCLI(s.doomed),
			Did: "Proved " + s.at.user + "'s new access key works (" + s.proven.Caller.ARN + "), then deleted the root access keys " + strings.Join(s.doomed, ", ") + "."})
	case tea.KeyPressMsg:
		return s, s.key(c, msg)
	}
	return s, nil
}

func (s *handoffScreen) key(c *common, msg tea.KeyPressMsg) tea.Cmd {
	if s.stage == editing {
		switch {
		case key.Matches(msg, c.keys.Yes):
			s.doomed = append(s.doomed, s.keys[s.asked].ID)
			s.asked++
		case key.Matches(msg, c.keys.No):
			s.asked++
		case key.Matches(msg, c.keys.Skip):
			return askSkip(steps.Handoff.Title, s.handOn())
		}
		if s.asked < len(s.keys) {
			return nil
		}
		if len(s.doomed) == 0 {
			s.stage = finished
			return nil
		}
		return s.deleteKeys(c)
	}
	retry := s.prove
	if s.proven.Admin != nil {
		retry = s.listKeys
	}
	cmd, _ := c.stepKey(msg, s.stage, steps.Handoff.Title, s.handOn(), nil, retry)
	return cmd
}

// handOn gives later screens the admin user's account once its key is
// proven: after the handoff, nothing reads the account as root.
func (s *handoffScreen) handOn() handoff {
	return handoff{admin: s.proven.Admin}
}

func (s *handoffScreen) view(c *common) string {
	info := steps.Handoff.Info
	proven := ""
	if s.proven.Admin != nil {
		proven = c.styles.Done.Render("✓ "+s.at.user+"'s key works: ") + s.proven.Caller.ARN + "\n\n"
	}
	switch s.stage {
	case alreadyDone:
		mark := c.styles.Done.Render("✓ ")
		if c.snapshot.RootHasAccessKeys() {
			mark = c.styles.Warn.Render("! ")
		}
		return c.frame(s.at.pos, info, mark+s.why, c.helpLine(c.keys.Next, c.keys.Teach))
	case detecting, applying:
		return c.frame(s.at.pos, info, proven+s.spinner.View()+" "+s.doing, "")
	case failed:
		return c.frame(s.at.pos, info, proven+c.errorPanel(s.err), "")
	case editing:
		return c.frame(s.at.pos, info, proven+s.question(c), c.helpLine(
			key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "delete it")), key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "keep it")), c.keys.Skip, c.keys.Teach))
	}
	return c.frame(s.at.pos, info, proven+s.result(c), c.helpLine(c.keys.Next, c.keys.Teach))
}

// question asks about the next root key, with all that is known of it.
func (s *handoffScreen) question(c *common) string {
	k := s.keys[s.asked]
	var b strings.Builder
	fmt.Fprintf(&b, "The root user has %d access key(s). Anything still using a key you delete (a script, a CI job, a tool on another computer) stops working at once.\n\n", len(s.keys))
	for i, other := range s.keys {
		line := fmt.Sprintf("%s  %s", other.ID, other.Used(c.now()))
		if other.ThisSession {
			line += " (this session)"
		}
		switch {
		case i < s.asked && slices.Contains(s.doomed, other.ID):
			line = c.styles.Fail.Render("✗ delete ") + line
		case i < s.asked:
			line = c.styles.Done.Render("  keep   ") + line
		default:
			line = "         " + line
		}
		b.WriteString(line + "\n")
	}
	q := "\nDelete " + k.ID + "?"
	if k.ThisSession {
		q += " awssecure needs it no more: from here on it works as " + s.at.user + "."
	}
	b.WriteString(c.styles.Warn.Render(q))
	return b.String()
}

func (s *handoffScreen) result(c *common) string {
	var kept []string
	for _, k := range s.keys {
		if !slices.Contains(s.doomed, k.ID) {
			kept = append(kept, k.ID)
		}
	}
	switch {
	case s.gone:
		said := "✓ The root user has no access keys any more."
		for _, k := range s.keys {
			if k.ThisSession {
				said += " This session's root key no longer works."
			}
		}
		return c.styles.Done.Render(said) + "\nFrom now on, work as " + s.at.user + "."
	case len(kept) > 0:
		return c.styles.Warn.Render("! Kept "+strings.Join(kept, ", ")+".") +
			" The summary keeps root access keys as a step to finish; delete them in the console at " + steps.Handoff.ConsoleURL + " once nothing needs them."
	}
	return c.styles.Warn.Render("! The keys were deleted, but AWS still reports root access keys.") + " IAM can take a minute; the summary reads the account again."
}

func (s *handoffScreen) teach(c *common) (steps.Info, string) {
	var ids []string
	for _, k := range s.keys {
		ids = append(ids, k.ID)
	}
	return steps.Handoff.Info, steps.DeleteRootKeyCLI(ids)
}

func (s *handoffScreen) typing() bool { return false }
