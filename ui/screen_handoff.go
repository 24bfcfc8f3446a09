package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// handoffScreen stops the use of root: it proves the admin user's key
// works, then asks about each root access key — delete it, keep it, or
// make a recently used one inactive first — and makes those changes as
// the wizard's very last calls as root (this session's own key last of
// all), then confirms through the admin user what is left. From here on
// the wizard reads the account as the admin user. A root session on
// temporary credentials (CloudShell) cannot touch root's keys through
// the API: the screen guides the user to the console and looks again.
type handoffScreen struct {
	at      handoff // the admin user and its new key
	stage   stage
	spinner spinner.Model
	doing   string
	why     string // alreadyDone: why there is nothing awssecure can delete here
	// saved is the admin's key an earlier run saved as an AWS CLI
	// profile, offered (p) when this run made no new one.
	saved   *steps.AccessKey
	proven  steps.Proven
	keys    []steps.RootKey
	asked   int // how many keys have their answer
	choices map[string]steps.KeyChoice
	left    []steps.KeyAction // the changes still to make, in order
	done    []steps.KeyAction // the changes made, in order
	present bool              // the account still reports root keys, read as the admin user
	// console: this session runs on temporary credentials; the keys are
	// deleted in the console, and r (or t on the practice account) looks
	// again.
	console    bool
	looked     bool // console: looked again at least once, and they were there
	confirming bool // failed: the confirmation after the changes; r retries only it
	err        error
}

// handoffKeys are the handoff's own keys.
var handoffKeys = struct {
	Delete, Keep, Deactivate, UseSaved, LookAgain, Pretend key.Binding
}{
	Delete:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "delete it")),
	Keep:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "keep it")),
	Deactivate: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "make it inactive (reversible)")),
	UseSaved:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "prove the saved key")),
	LookAgain:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "look again")),
	Pretend:    key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "pretend I deleted them in the console")),
}

type keyProvenMsg struct {
	proven steps.Proven
	err    error
}

type savedKeyMsg struct{ key *steps.AccessKey }

type rootKeysMsg struct {
	keys []steps.RootKey
	err  error
}

// rootKeysChangedMsg is what a run of the changes made, up to err.
type rootKeysChangedMsg struct {
	done []steps.KeyAction
	err  error
}

type rootKeysConfirmedMsg struct {
	present bool
	change  steps.Change
	err     error
}

func (s *handoffScreen) init(c *common) tea.Cmd {
	s.spinner = newSpinner()
	caller := c.snapshot.Caller
	switch {
	case !c.snapshot.RootHasAccessKeys():
		s.stage, s.why = alreadyDone, "The root user has no access keys."
		if note := rootRerunNote(c); caller.IsRoot() && note != "" {
			s.why += " awssecure is signed in as root all the same. " + note
		}
		return nil
	case !caller.IsRoot():
		s.stage = alreadyDone
		s.why = "The root user still has access keys, and only the root user can delete them: awssecure runs as " + caller.ARN +
			". Sign in to the console as root and delete them at " + steps.Handoff.ConsoleURL + " (Access keys → Actions → Delete)."
		return nil
	case s.at.newKey != nil && c.signIn != nil:
		return s.prove(c, *s.at.newKey, "Checking "+s.at.user+"'s new access key (IAM can take a few seconds to make a new key known)…")
	case caller.Temporary:
		s.stage, s.console = alreadyDone, true
		return nil
	}
	s.stage = detecting
	s.doing = "Looking for a key of " + s.at.user + " saved by an earlier run…"
	file, user := c.files.CredentialsFile, s.at.user
	return c.call(func(ctx context.Context) tea.Msg {
		if k, ok := steps.SavedAdminKey(ctx, file, user); ok {
			return savedKeyMsg{&k}
		}
		return savedKeyMsg{}
	})
}

// rootRerunNote says plainly what a root session on an account whose root
// keys are gone is (a console or CloudShell sign-in), and that the admin
// user should take its place from now on; "" when there is no admin user.
func rootRerunNote(c *common) string {
	admins := c.snapshot.AdminUsers()
	if len(admins) == 0 {
		return ""
	}
	who := admins[0].Name
	then := "work as " + who + " from now on (awssecure --profile " + who + ") and keep root for what only root can do."
	if c.practice {
		return "The practice account signs you in as root each time, as CloudShell would; on your own account, " + then
	}
	return "This is a console or CloudShell sign-in: " + then
}

func (s *handoffScreen) prove(c *common, newKey steps.AccessKey, doing string) tea.Cmd {
	s.stage, s.doing, s.err, s.confirming = detecting, doing, nil, false
	signIn, user, wait := c.signIn, s.at.user, c.wait
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		p, err := steps.ProveKey(ctx, signIn, c.acct, newKey, user, wait)
		return keyProvenMsg{p, err}
	}))
}

// proveAgain is r after a failed proof: the key this run made, or the
// saved one.
func (s *handoffScreen) proveAgain(c *common) tea.Cmd {
	if s.at.newKey != nil {
		return s.prove(c, *s.at.newKey, "Checking "+s.at.user+"'s new access key…")
	}
	return s.prove(c, *s.saved, "Checking the key saved in profile "+s.at.user+"…")
}

func (s *handoffScreen) listKeys(c *common) tea.Cmd {
	s.stage, s.doing, s.err = detecting, "Reading the root user's access keys…", nil
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		keys, err := steps.RootKeys(ctx, c.acct)
		return rootKeysMsg{keys, err}
	}))
}

// change makes the changes still to make, as root: the wizard's last
// calls as root.
func (s *handoffScreen) change(c *common) tea.Cmd {
	s.stage, s.err = applying, nil
	s.doing = "Changing the root user's access keys as you chose, this session's own key last…"
	left := s.left
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		done, err := steps.ChangeRootKeys(ctx, c.acct, left)
		return rootKeysChangedMsg{done, err}
	}))
}

// confirm reads, as the admin user, what root keys are left: the one
// call r repeats when it fails, for nothing needs root again.
func (s *handoffScreen) confirm(c *common) tea.Cmd {
	s.stage, s.err, s.confirming = applying, nil, false
	s.doing = "Checking as " + s.at.user + " what root keys are left…"
	admin, wait, noneLeft := s.proven.Admin, c.wait, s.noneLeft()
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		present, change, err := steps.ConfirmRootKeys(ctx, admin, noneLeft, wait)
		return rootKeysConfirmedMsg{present, change, err}
	}))
}

// lookAgain reads, after the user deleted root's keys in the console,
// whether any is left: as the admin user once proven, else as root.
func (s *handoffScreen) lookAgain(c *common, then func(ctx context.Context) error) tea.Cmd {
	s.stage, s.err = detecting, nil
	s.doing = "Looking at the root user's access keys again…"
	acct := c.acct
	if s.proven.Admin != nil {
		acct = s.proven.Admin
	}
	return tea.Batch(s.spinner.Tick, c.call(func(ctx context.Context) tea.Msg {
		if then != nil {
			if err := then(ctx); err != nil {
				return rootKeysConfirmedMsg{err: err}
			}
		}
		present, change, err := steps.ConfirmRootKeys(ctx, acct, false, nil)
		return rootKeysConfirmedMsg{present, change, err}
	}))
}

// noneLeft says whether the user chose to delete every root key.
func (s *handoffScreen) noneLeft() bool {
	for _, k := range s.keys {
		if s.choices[k.ID] != steps.DeleteKey {
			return false
		}
	}
	return true
}

func (s *handoffScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return s, c.spin(&s.spinner, msg, s.stage == detecting || s.stage == applying)
	case savedKeyMsg:
		s.saved, s.stage = msg.key, alreadyDone
		s.why = "The root user still has access keys. awssecure deletes them only after proving that a key of your admin user works, and this run made no new one."
		if s.saved != nil {
			s.why += " An earlier run saved " + s.at.user + "'s key as the AWS CLI profile " + s.at.user + " in " + c.files.CredentialsFile +
				": p proves that key, then asks about each root key."
		} else {
			s.why += " Run awssecure again and press k on the admin user step for new credentials, or delete them in the console at " + steps.Handoff.ConsoleURL + "."
		}
	case keyProvenMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.proven = msg.proven
		if c.snapshot.Caller.Temporary {
			s.stage, s.console = alreadyDone, true
			return s, nil
		}
		return s, s.listKeys(c)
	case rootKeysMsg:
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, nil
		}
		s.keys, s.asked, s.choices, s.stage = msg.keys, 0, map[string]steps.KeyChoice{}, editing
		if len(s.keys) == 0 { // gone since preflight read the account
			s.stage, s.why = alreadyDone, "The root user has no access keys any more."
		}
	case rootKeysChangedMsg:
		s.done = append(s.done, msg.done...)
		s.left = s.left[len(msg.done):]
		c.snapshot = c.snapshot.With(steps.RootKeysInactive(msg.done))
		var cmds []tea.Cmd
		if len(msg.done) > 0 { // recorded now: whatever happens next, it happened
			did := steps.RootKeyChangesSaid(msg.done)
			if len(s.done) == len(msg.done) {
				did = "Proved " + s.at.user + "'s access key works (" + s.proven.Caller.ARN + "). " + did
			}
			cmds = append(cmds, record(steps.RunbookEntry{Info: steps.Handoff.Info, Did: did, CLI: steps.RootKeyChangesCLI(msg.done)}))
		}
		if msg.err != nil {
			s.stage, s.err = failed, msg.err
			return s, tea.Batch(cmds...)
		}
		return s, tea.Batch(append(cmds, s.confirm(c))...)
	case rootKeysConfirmedMsg:
		if msg.err != nil {
			s.stage, s.err, s.confirming = failed, msg.err, !s.console
			return s, nil
		}
		c.snapshot = c.snapshot.With(msg.change)
		s.stage, s.present = finished, msg.present
		if s.console {
			if msg.present {
				s.stage, s.looked = alreadyDone, true
				return s, nil
			}
			return s, record(steps.RunbookEntry{Info: steps.Handoff.Info, CLI: steps.RootKeysPresentCLI,
				Did: "The root user's access keys were deleted in the console; awssecure saw none left."})
		}
	case tea.KeyPressMsg:
		return s, s.key(c, msg)
	}
	return s, nil
}

func (s *handoffScreen) key(c *common, msg tea.KeyPressMsg) tea.Cmd {
	switch s.stage {
	case editing:
		k := s.keys[s.asked]
		switch {
		case key.Matches(msg, handoffKeys.Delete):
			s.choices[k.ID] = steps.DeleteKey
		case key.Matches(msg, handoffKeys.Keep):
			s.choices[k.ID] = steps.KeepKey
		case key.Matches(msg, handoffKeys.Deactivate) && k.OfferInactive(c.now()):
			s.choices[k.ID] = steps.DeactivateKey
		case key.Matches(msg, c.keys.Skip):
			return askSkip(steps.Handoff.Title, s.handOn())
		default:
			return nil
		}
		if s.asked++; s.asked < len(s.keys) {
			return nil
		}
		if s.left = steps.PlanRootKeys(s.keys, s.choices); len(s.left) == 0 {
			s.stage = finished
			return nil
		}
		return s.change(c)
	case alreadyDone:
		switch {
		case s.saved != nil && s.proven.Admin == nil && key.Matches(msg, handoffKeys.UseSaved):
			return s.prove(c, *s.saved, "Checking the key saved in profile "+s.at.user+"…")
		case s.console && key.Matches(msg, handoffKeys.LookAgain):
			return s.lookAgain(c, nil)
		case s.console && c.practice && key.Matches(msg, handoffKeys.Pretend):
			sim, ok := c.acct.(steps.ConsoleSimulator)
			if !ok {
				return nil
			}
			return s.lookAgain(c, func(context.Context) error { return sim.SimulateRootKeysDeletedInConsole() })
		}
	case failed:
		if key.Matches(msg, c.keys.Next) && (s.confirming || len(s.done) > 0) {
			return nextWith(s.handOn()) // the changes are made; the summary reads the account again
		}
	}
	cmd, _ := c.stepKey(msg, s.stage, steps.Handoff.Title, s.handOn(), nil, s.retry)
	return cmd
}

// retry is r after a failure: only what failed is done again, and nothing
// goes back to root once its keys were changed.
func (s *handoffScreen) retry(c *common) tea.Cmd {
	switch {
	case s.console:
		return s.lookAgain(c, nil)
	case s.confirming:
		return s.confirm(c)
	case s.proven.Admin == nil:
		return s.proveAgain(c)
	case len(s.left) > 0:
		return s.change(c)
	}
	return s.listKeys(c)
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
		if s.console {
			return c.frame(s.at.pos, info, proven+s.consoleGuide(c), s.consoleHelp(c))
		}
		mark := c.styles.Done.Render("✓ ")
		if c.snapshot.RootHasAccessKeys() {
			mark = c.styles.Warn.Render("! ")
		}
		help := []key.Binding{c.keys.Next, c.keys.Teach}
		if s.saved != nil {
			help = []key.Binding{handoffKeys.UseSaved, c.keys.Next, c.keys.Teach}
		}
		return c.frame(s.at.pos, info, proven+mark+s.why, c.helpLine(help...))
	case detecting, applying:
		return c.frame(s.at.pos, info, proven+s.progress(c)+s.spinner.View()+" "+s.doing, "")
	case failed:
		return c.frame(s.at.pos, info, proven+s.progress(c)+s.failure(c), "")
	case editing:
		help := []key.Binding{handoffKeys.Delete, handoffKeys.Keep}
		if s.keys[s.asked].OfferInactive(c.now()) {
			help = []key.Binding{handoffKeys.Deactivate, handoffKeys.Delete, handoffKeys.Keep}
		}
		return c.frame(s.at.pos, info, proven+s.question(c), c.helpLine(append(help, c.keys.Skip, c.keys.Teach)...))
	}
	return c.frame(s.at.pos, info, proven+s.result(c), c.helpLine(c.keys.Next, c.keys.Teach))
}

// keysSentence is "1 access key" or "2 access keys".
func keysSentence(n int) string {
	if n == 1 {
		return "1 access key"
	}
	return fmt.Sprintf("%d access keys", n)
}

// question asks about the next root key, with all that is known of it;
// the keys already answered show the choice, with a neutral marker: a
// key to delete is no failure.
func (s *handoffScreen) question(c *common) string {
	k := s.keys[s.asked]
	now := c.now()
	var b strings.Builder
	fmt.Fprintf(&b, "The root user has %s. Anything still using a key you delete (a script, a CI job, a tool on another computer) stops working at once.\n\n", keysSentence(len(s.keys)))
	for i, other := range s.keys {
		line := other.ID + "  " + other.Used(now)
		if !other.Active {
			line += " (inactive)"
		}
		if other.ThisSession {
			line += " (this session)"
		}
		mark := strings.Repeat(" ", 11)
		if i < s.asked {
			word := choiceWord(s.choices[other.ID])
			if s.choices[other.ID] == steps.DeactivateKey {
				word = "inactive"
			}
			mark = c.styles.Key.Render("→ "+padRight(word, 8)) + " "
		}
		b.WriteString(mark + line + "\n")
	}
	q := "\nDelete " + k.ID + "?"
	switch {
	case k.ThisSession:
		q += " This session runs on it: awssecure deletes it last, and works as " + s.at.user + " from then on."
	case k.OfferInactive(now):
		q = "\nDelete " + k.ID + ", or make it inactive first? It was " + k.Used(now) + ", so something may still need it: " +
			"an inactive key stops working but stays, and can be made active again in the console if something breaks; a deleted key is gone."
	}
	b.WriteString(c.styles.Warn.Render(q))
	return b.String()
}

func choiceWord(ch steps.KeyChoice) string {
	switch ch {
	case steps.DeleteKey:
		return "delete"
	case steps.DeactivateKey:
		return "make inactive"
	}
	return "keep"
}

// progress says which changes are made and which are not, above a
// spinner or a failure once the first was made.
func (s *handoffScreen) progress(c *common) string {
	if len(s.done) == 0 {
		return ""
	}
	var lines []string
	for _, a := range s.done {
		lines = append(lines, s.doneLine(c, a))
	}
	for _, a := range s.left {
		lines = append(lines, "• Not yet: "+choiceWord(a.Choice)+" "+a.Key.ID)
	}
	for _, k := range s.keys {
		if s.choices[k.ID] == steps.KeepKey {
			lines = append(lines, "• Kept "+k.ID+", as you chose")
		}
	}
	return strings.Join(lines, "\n") + "\n\n"
}

func (s *handoffScreen) doneLine(c *common, a steps.KeyAction) string {
	if a.Choice == steps.DeactivateKey {
		return c.styles.Done.Render("✓ Made "+a.Key.ID+" inactive") + ": it signs nothing now, and can be made active again in the console"
	}
	line := c.styles.Done.Render("✓ Deleted " + a.Key.ID)
	if a.Key.ThisSession {
		line += " (this session's root key: it no longer works)"
	}
	return line
}

// failure is the error panel of the handoff. After root's keys changed,
// it never sends the user back to root, and never advises making a root
// key: what is left is read again as the admin user, or done in the
// console.
func (s *handoffScreen) failure(c *common) string {
	e := steps.Explain(s.err)
	what, fix := e.What, e.Fix
	keys := []key.Binding{c.keys.Retry, c.keys.Skip, c.keys.Quit}
	switch {
	case s.confirming:
		what = "The changes are made, but reading the account as " + s.at.user + " to confirm them failed: " + e.What
		fix = "Nothing needs root again: r reads the account again as " + s.at.user + ", and enter goes on (the summary reads it too). " +
			"To look yourself, as " + s.at.user + ": " + steps.RootKeysPresentCLI + " (0: none left); or in the console, signed in as root: " +
			"account name (top right) → Security credentials → Access keys (" + steps.Handoff.ConsoleURL + ")."
		keys = []key.Binding{c.keys.Retry, c.keys.Next, c.keys.Quit}
	case s.proven.Admin != nil && steps.RootKeyRefused(s.err):
		what = "AWS no longer accepts the root key this session runs on: it was deleted or made inactive outside awssecure."
		fix = "Do what is left in the console: " + steps.Handoff.ConsolePath + " (" + steps.Handoff.ConsoleURL + ")."
		if len(s.done) > 0 {
			keys = []key.Binding{c.keys.Next, c.keys.Quit}
		}
	case len(s.done) > 0:
		keys = []key.Binding{c.keys.Retry, c.keys.Next, c.keys.Quit}
	}
	return c.styles.Error.Width(min(c.width, 100) - 4).Render(c.styles.Fail.Render("✗ "+what) + "\n" + fix + "\n\n" + c.helpLine(keys...))
}

// consoleGuide is the way for a root session on temporary credentials:
// IAM lists and deletes root's keys only for a session signed with one.
func (s *handoffScreen) consoleGuide(c *common) string {
	said := c.styles.Warn.Render("! The root user has access keys,") + " and this session signs in as root with temporary credentials " +
		"(AWS CloudShell, or a console sign-in): IAM lists and deletes root's keys only for a session signed with one of them. " +
		"This session runs on none of them, so nothing here stops working when they go.\n\n" +
		"Delete them in the console: " + steps.Handoff.ConsolePath + "\n  " + c.styles.Code.Render(steps.Handoff.ConsoleURL) + "\n" +
		"A key something may still use: Actions → Deactivate first, and delete it once nothing breaks. Then press r."
	if s.looked {
		said += "\n\n" + c.styles.Warn.Render("! AWS still reports root access keys.")
		if len(c.snapshot.RootKeysInactive) == 0 {
			said += " An inactive key counts too; and IAM can take a minute to tell."
		}
	}
	return said
}

func (s *handoffScreen) consoleHelp(c *common) string {
	keys := []key.Binding{handoffKeys.LookAgain}
	if c.practice {
		keys = append(keys, handoffKeys.Pretend)
	}
	return c.helpLine(append(keys, c.keys.Next, c.keys.Teach)...)
}

func (s *handoffScreen) result(c *common) string {
	if s.console {
		return c.styles.Done.Render("✓ The root user has no access keys any more.") + " From now on, work as " + s.at.user + "."
	}
	var lines, kept, inactive []string
	for _, a := range s.done {
		lines = append(lines, s.doneLine(c, a))
		if a.Choice == steps.DeactivateKey {
			inactive = append(inactive, a.Key.ID)
		}
	}
	for _, k := range s.keys {
		if s.choices[k.ID] == steps.KeepKey {
			kept = append(kept, k.ID)
			lines = append(lines, "• Kept "+k.ID+", as you chose")
		}
	}
	body := strings.Join(lines, "\n")
	if body != "" {
		body += "\n\n"
	}
	switch {
	case len(s.done) == 0:
		return body + c.styles.Warn.Render("! The root user keeps "+keysSentence(len(kept))+".") +
			" The summary keeps root access keys as a step to finish; delete them in the console at " + steps.Handoff.ConsoleURL + " once nothing needs them."
	case !s.present:
		return body + c.styles.Done.Render("✓ Read as "+s.at.user+", the root user has no access keys any more.") + " From now on, work as " + s.at.user + "."
	case len(kept)+len(inactive) == 0:
		return body + c.styles.Warn.Render("! The keys were deleted, but AWS still reports root access keys.") + " IAM can take a minute; the summary reads the account again."
	}
	left := kept
	for _, id := range inactive {
		left = append(left, id+" (inactive)")
	}
	them := "them"
	if len(left) == 1 {
		them = "it"
	}
	var later []string
	for _, id := range append(kept, inactive...) {
		later = append(later, "aws iam delete-access-key --access-key-id "+inert.ShellWord(id))
	}
	return body + c.styles.Warn.Render("! The root user still has "+strings.Join(left, " and ")+".") +
		" Delete " + them + " once nothing needs " + them + ", in the console: " + steps.Handoff.ConsolePath + " (" + steps.Handoff.ConsoleURL + ")" +
		"; or with the aws CLI, signed in with a root key that still works:\n  " + c.styles.Code.Render(strings.Join(later, "\n  ")) +
		"\nThe summary keeps root access keys as a step to finish. From now on, work as " + s.at.user + "."
}

func (s *handoffScreen) teach(c *common) (steps.Info, string) {
	if s.console {
		return steps.Handoff.Info, steps.RootKeysPresentCLI
	}
	return steps.Handoff.Info, steps.DeleteRootKeyCLI(s.keys)
}

func (s *handoffScreen) typing() bool { return false }
