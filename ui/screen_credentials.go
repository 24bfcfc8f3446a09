package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// credentialsScreen shows the new user's one-time credentials, masked until
// revealed, offers to save them, and moves on only once the user confirms
// they saved them: AWS never shows them again.
type credentialsScreen struct {
	at       handoff // the credentials the user step made
	creds    steps.Credentials
	revealed bool
	status   string // what the last save did
	pending  func(ctx context.Context) savedMsg
	asking   string    // the overwrite question, while pending
	git      *gitOffer // the "this folder is in a git work tree" question
	confirm  bool      // "they cannot be shown again" question is up
	// person is the name of the person added after the handoff whose
	// password this is ("" for the admin user's credentials); onSaved is
	// what the user's confirmation does then, instead of moving on.
	person  string
	onSaved tea.Cmd
}

// info is the screen's words: the admin user's, or a person's.
func (s *credentialsScreen) info() steps.Info {
	if s.person != "" {
		return steps.PersonCredentialsInfo(s.person)
	}
	return steps.CredentialsInfo
}

// savedKey is S, saying what it confirms.
func (s *credentialsScreen) savedKey(c *common) key.Binding {
	if s.person != "" {
		return key.NewBinding(key.WithKeys(c.keys.Saved.Keys()...), key.WithHelp("S", "I saved it or handed it over"))
	}
	return c.keys.Saved
}

// gitOffer is the question asked before a CSV goes into a git work tree.
type gitOffer struct {
	dir, root string
	home      string // "" when the home folder is no better (unknown, or in a work tree too)
}

// savedMsg is what a save did, said exactly.
type savedMsg struct {
	done string // the whole save worked: what was written
	half string // part was written: what was and what was not
	err  error
	// retry redoes the save with overwrite, if the user agrees; set only
	// when err wraps steps.ErrFileExists.
	retry func(ctx context.Context) savedMsg
}

func (s *credentialsScreen) init(c *common) tea.Cmd {
	if s.at.created == nil {
		return next // nothing new was made, so nothing to show
	}
	s.creds = *s.at.created
	s.creds.SignInURL = c.snapshot.SignInURL()
	s.at.created = nil // the screen holds the only copy, dropped when it moves on
	return nil
}

// saveCSV writes the CSV in dir.
func saveCSV(dir string, creds steps.Credentials, overwrite bool) savedMsg {
	path := filepath.Join(dir, creds.User+"_credentials.csv")
	w, err := steps.WriteCSV(path, creds, overwrite)
	if err != nil {
		msg := savedMsg{err: err}
		if errors.Is(err, steps.ErrFileExists) && !overwrite {
			msg.retry = func(context.Context) savedMsg { return saveCSV(dir, creds, true) }
		}
		return msg
	}
	return savedMsg{done: "Saved" + onItsLine(path) + strings.TrimSpace(modeNote(w))}
}

// saveProfile writes the AWS CLI profile.
func saveProfile(ctx context.Context, files FileOptions, creds steps.Credentials, region string, overwrite bool) savedMsg {
	res, err := steps.WriteProfile(ctx, files.CredentialsFile, files.ConfigFile, creds.User, *creds.AccessKey, region, overwrite)
	switch {
	case errors.Is(err, steps.ErrFileExists) && !overwrite:
		return savedMsg{err: err, retry: func(ctx context.Context) savedMsg { return saveProfile(ctx, files, creds, region, true) }}
	case err != nil && res.Credentials != nil:
		why := err
		if e := errors.Unwrap(err); e != nil {
			why = e // the config write's own error
		}
		return savedMsg{half: "Half saved: the key is in " + files.CredentialsFile + linkNote(*res.Credentials) + modeNote(*res.Credentials) +
			" as profile " + creds.User + ", but its region is not in " + files.ConfigFile + ": " + why.Error() +
			". The profile works with your default region; to give it its own: aws configure set region " + region + " --profile " + creds.User}
	case errors.Is(err, steps.ErrNotRegular):
		return savedMsg{err: fmt.Errorf("%w. If AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE names it, point it at a regular file", err)}
	case err != nil:
		return savedMsg{err: err}
	}
	done := "Saved profile " + creds.User + " in" + onItsLine(files.CredentialsFile) + strings.TrimSpace(linkNote(*res.Credentials)+modeNote(*res.Credentials))
	if res.Removed > 0 {
		done += fmt.Sprintf("; %d older copy of it removed, so every AWS tool reads the new key", res.Removed)
	}
	switch {
	case res.ConfigKept:
		done += "; " + files.ConfigFile + " already had the profile and was left as it was"
	case res.Config != nil && res.Config.ModeChanged():
		done += "; " + files.ConfigFile + modeNote(*res.Config)
	}
	return savedMsg{done: done}
}

// linkNote says where a link sent the bytes.
func linkNote(w steps.FileWrite) string {
	if w.Link == "" {
		return ""
	}
	return " (a link: written to " + w.Path + ")"
}

// onItsLine puts a path on a line of its own, so it is not wrapped at one
// of its hyphens and can be copied whole.
func onItsLine(path string) string { return "\n  " + path + "\n" }

// modeNote says who can read the file, and what its mode was before.
func modeNote(w steps.FileWrite) string {
	switch {
	case w.Tightened():
		return fmt.Sprintf(" (mode tightened from %04o to 0600: only you can read it)", w.OldMode)
	case w.ModeChanged():
		return fmt.Sprintf(" (mode changed from %04o to 0600: only you can read and change it)", w.OldMode)
	}
	return " (readable only by you)"
}

func (s *credentialsScreen) save(c *common, write func(ctx context.Context) savedMsg) tea.Cmd {
	return c.call(func(ctx context.Context) tea.Msg { return write(ctx) })
}

func (s *credentialsScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case savedMsg:
		switch {
		case msg.retry != nil:
			s.pending, s.asking = msg.retry, msg.err.Error()+". Replace it?"
		case msg.err != nil:
			s.status = c.styles.Fail.Render("✗ Not saved: " + msg.err.Error())
		case msg.half != "":
			s.status = c.styles.Warn.Render("⚠ " + msg.half)
		default:
			s.status = c.styles.Done.Render("✓ " + msg.done + ".")
			cli := ""
			if s.creds.AccessKey != nil {
				cli = "aws configure --profile " + s.creds.User
			}
			return s, record(steps.RunbookEntry{Info: s.info(), Did: msg.done + ".", CLI: cli})
		}
	case tea.KeyPressMsg:
		return s.key(c, msg)
	}
	return s, nil
}

func (s *credentialsScreen) key(c *common, msg tea.KeyPressMsg) (screen, tea.Cmd) {
	if s.pending != nil {
		write := s.pending
		switch {
		case key.Matches(msg, c.keys.Yes):
			s.pending, s.asking = nil, ""
			return s, s.save(c, write)
		case key.Matches(msg, c.keys.No):
			s.pending, s.asking = nil, ""
			s.status = "Left the existing file as it was."
		}
		return s, nil
	}
	if s.git != nil {
		offer, creds := *s.git, s.creds
		switch {
		case key.Matches(msg, c.keys.SaveHome) && offer.home != "":
			s.git = nil
			return s, s.save(c, func(context.Context) savedMsg { return saveCSV(offer.home, creds, false) })
		case key.Matches(msg, c.keys.SaveHere):
			s.git = nil
			return s, s.save(c, func(context.Context) savedMsg { return saveCSV(offer.dir, creds, false) })
		case key.Matches(msg, c.keys.DontSave):
			s.git = nil
			s.status = "CSV not saved."
		}
		return s, nil
	}
	if s.confirm {
		switch {
		case key.Matches(msg, c.keys.Yes):
			unshown, account, user, key := c.unshown, c.snapshot.Caller.AccountID, s.creds.User, s.creds.AccessKey
			s.creds = steps.Credentials{}
			if s.onSaved != nil {
				return s, s.onSaved // a person's: never noted as unshown
			}
			forget := func() tea.Msg {
				_ = unshown.Clear(account, user) // at worst the next run offers new ones needlessly
				return nil
			}
			return s, tea.Sequence(forget, nextWith(handoff{user: user, newKey: key}))
		case key.Matches(msg, c.keys.No):
			s.confirm = false
		}
		return s, nil
	}
	switch {
	case key.Matches(msg, c.keys.Reveal):
		s.revealed = !s.revealed
	case key.Matches(msg, c.keys.SaveCSV):
		dir, creds := c.files.Dir, s.creds
		if root, ok := steps.GitWorkTree(dir); ok {
			s.git = &gitOffer{dir: dir, root: root}
			if _, homeInGit := steps.GitWorkTree(c.files.HomeDir); c.files.HomeDir != "" && !homeInGit {
				s.git.home = c.files.HomeDir
			}
			return s, nil
		}
		return s, s.save(c, func(context.Context) savedMsg { return saveCSV(dir, creds, false) })
	case key.Matches(msg, c.keys.Profile) && s.creds.AccessKey != nil:
		creds, region, files := s.creds, c.region, c.files
		return s, s.save(c, func(ctx context.Context) savedMsg { return saveProfile(ctx, files, creds, region, false) })
	case key.Matches(msg, c.keys.Saved):
		s.confirm = true
	}
	return s, nil
}

func (s *credentialsScreen) show(c *common, secret steps.Secret) string {
	if s.revealed {
		return c.styles.Secret.Render(secret.Reveal())
	}
	return c.styles.Subtle.Render(secret.String() + "  (v to show)")
}

func (s *credentialsScreen) view(c *common) string {
	info := s.info()
	row := func(label, value string) string { return c.styles.Subtle.Render(padRight(label, 19)) + value }
	lines := []string{row("Sign-in URL", s.creds.SignInURL), row("User name", s.creds.User)}
	if !s.creds.Password.IsZero() {
		who := "you"
		if s.person != "" {
			who = inert.PrintableLine(s.person)
		}
		lines = append(lines, row("Password", s.show(c, s.creds.Password)), row("", c.styles.Subtle.Render("("+who+" must change it at first sign-in)")))
	}
	if s.creds.AccessKey != nil {
		lines = append(lines, row("Access key ID", s.creds.AccessKey.ID), row("Secret access key", s.show(c, s.creds.AccessKey.Secret)))
	}
	body := strings.Join(lines, "\n")
	// What the eye is on, which the view keeps in sight: the question
	// asked, else what the last key did.
	focus := s.status
	help := []key.Binding{c.keys.Reveal, c.keys.SaveCSV}
	if s.creds.AccessKey != nil {
		help = append(help, c.keys.Profile)
	}
	helpText := c.helpLine(help...) + "\n" + c.helpLine(s.savedKey(c), c.keys.Quit)
	switch {
	case s.git != nil:
		q, keys := s.gitQuestion(c)
		helpText = c.helpLine(keys...)
		focus = c.styles.Warn.Render(q)
	case s.asking != "":
		focus = c.styles.Warn.Render(s.asking)
		helpText = c.helpLine(c.keys.Yes, c.keys.No)
	case s.confirm && s.person != "":
		focus = c.styles.Warn.Render("This password cannot be shown again. Have you saved it or handed it over?")
		helpText = c.helpLine(c.keys.Yes, c.keys.No)
	case s.confirm:
		focus = c.styles.Warn.Render("These cannot be shown again. Have you saved them?")
		helpText = c.helpLine(c.keys.Yes, c.keys.No)
	}
	if s.status != "" && focus != s.status { // a question: the last save's result stays above it
		body += "\n\n" + s.status
	}
	if focus != "" {
		body += "\n" // a blank line before it
	}
	return c.frameFocus(s.at.pos, info, body, focus, "", helpText)
}

// gitQuestion asks where the CSV goes when its folder is in a git work tree.
func (s *credentialsScreen) gitQuestion(c *common) (string, []key.Binding) {
	q := "The folder " + s.git.dir + " is in the git work tree " + s.git.root + ": a password file there is one `git add -A` away from being published."
	if s.git.home != "" {
		return q + " Save the CSV in your home folder " + s.git.home + " instead?", []key.Binding{c.keys.SaveHome, c.keys.SaveHere, c.keys.DontSave}
	}
	return q, []key.Binding{c.keys.SaveHere, c.keys.DontSave}
}

// plain is the credentials in accessible mode. The password, the access
// key's id and its secret are never said in lines, which stay in the
// terminal's scrollback: v shows them on a full screen that leaves
// nothing behind (a screen reader reads it there), and c and p save
// them in files only the user can read.
func (s *credentialsScreen) plain(c *common) (plainView, bool) {
	info := steps.CredentialsInfo
	v := plainView{heading: []string{plainHeading(s.at.pos, info.Title), info.Why}}
	if s.creds.User == "" { // confirmed and dropped: moving on
		return v, true
	}
	v.lines = []string{"Sign-in URL: " + inert.PrintableLine(s.creds.SignInURL), "User name: " + inert.PrintableLine(s.creds.User)}
	var what []string
	if !s.creds.Password.IsZero() {
		what = append(what, "the password (you must change it at first sign-in)")
	}
	if s.creds.AccessKey != nil {
		what = append(what, "the access key's id and secret")
	}
	v.lines = append(v.lines, "AWS shows "+strings.Join(what, " and ")+" this once. They are never said in these lines, "+
		"which stay in the terminal's scrollback: v shows them on a full screen that leaves nothing behind.")
	v.lines = append(v.lines, plainLines(s.status)...)
	var keys []key.Binding
	switch {
	case s.git != nil:
		q, k := s.gitQuestion(c)
		v.lines, keys = append(v.lines, q), k
	case s.asking != "":
		v.lines, keys = append(v.lines, s.asking), []key.Binding{c.keys.Yes, c.keys.No}
	case s.confirm:
		v.lines, keys = append(v.lines, "These cannot be shown again. Have you saved them?"), []key.Binding{c.keys.Yes, c.keys.No}
	default:
		v.choices = []choice{{typed: "v", does: "show them on a full screen", page: func() string { return s.page() }}}
		keys = []key.Binding{c.keys.SaveCSV}
		if s.creds.AccessKey != nil {
			keys = append(keys, c.keys.Profile)
		}
		keys = append(keys, c.keys.Saved)
	}
	v.choices = append(v.choices, choicesOf(keys...)...)
	return v, true
}

// page is the full screen of the credentials in accessible mode.
func (s *credentialsScreen) page() string {
	row := func(label, value string) string { return padRight(label, 19) + inert.PrintableLine(value) }
	lines := []string{"New credentials for " + inert.PrintableLine(s.creds.User), "", row("Sign-in URL", s.creds.SignInURL), row("User name", s.creds.User)}
	if !s.creds.Password.IsZero() {
		lines = append(lines, row("Password", s.creds.Password.Reveal()), row("", "(you must change it at first sign-in)"))
	}
	if s.creds.AccessKey != nil {
		lines = append(lines, row("Access key ID", s.creds.AccessKey.ID), row("Secret access key", s.creds.AccessKey.Secret.Reveal()))
	}
	return strings.Join(append(lines, "", pageCloses), "\n")
}

func (s *credentialsScreen) teach(c *common) (steps.Info, string) {
	if s.person != "" {
		return s.info(), "" // the password's command was on the screen before
	}
	info := steps.CredentialsInfo
	info.ConsolePath = strings.Replace(info.ConsolePath, "your user", s.creds.User, 1)
	cli := "aws configure --profile " + inert.ShellWord(s.creds.User)
	// On a first run the user step moves on as soon as it is done, so
	// this is the first panel after the writes that made these
	// credentials: it shows them, as a resumed "Already done" screen does.
	if made := s.at.madeBy(steps.AdminUser.Title); made != "" {
		cli = "# how " + inert.PrintableLine(s.creds.User) + " and these credentials were made:\n" + made +
			"\n# keep them as a profile of the aws CLI:\n" + cli
	}
	return info, cli
}

func (s *credentialsScreen) quitWarning(c *common) string {
	if s.person != "" {
		name := inert.PrintableLine(s.person)
		return c.styles.Warn.Render(name + "'s password has not been confirmed as saved or handed over. If you quit now it is lost and cannot be shown again (add " + name + " again later, and say yes to a new one).")
	}
	return c.styles.Warn.Render("The new user's password and secret key have not been confirmed as saved. If you quit now they are lost and cannot be shown again (you can make new ones later).")
}

func (s *credentialsScreen) typing() bool { return false }
