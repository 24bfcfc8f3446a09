package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

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
			return s, record(steps.RunbookEntry{Info: steps.CredentialsInfo, Did: msg.done + ".", CLI: "aws configure --profile " + s.creds.User})
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
	info := steps.CredentialsInfo
	row := func(label, value string) string { return c.styles.Subtle.Render(padRight(label, 19)) + value }
	lines := []string{row("Sign-in URL", s.creds.SignInURL), row("User name", s.creds.User)}
	if !s.creds.Password.IsZero() {
		lines = append(lines, row("Password", s.show(c, s.creds.Password)), row("", c.styles.Subtle.Render("(you must change it at first sign-in)")))
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
	helpText := c.helpLine(help...) + "\n" + c.helpLine(c.keys.Saved, c.keys.Quit)
	switch {
	case s.git != nil:
		q := "The folder " + s.git.dir + " is in the git work tree " + s.git.root + ": a password file there is one `git add -A` away from being published."
		if s.git.home != "" {
			q += " Save the CSV in your home folder " + s.git.home + " instead?"
			helpText = c.helpLine(c.keys.SaveHome, c.keys.SaveHere, c.keys.DontSave)
		} else {
			helpText = c.helpLine(c.keys.SaveHere, c.keys.DontSave)
		}
		focus = c.styles.Warn.Render(q)
	case s.asking != "":
		focus = c.styles.Warn.Render(s.asking)
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

func (s *credentialsScreen) teach(c *common) (steps.Info, string) {
	info := steps.CredentialsInfo
	info.ConsolePath = strings.Replace(info.ConsolePath, "your user", s.creds.User, 1)
	return info, "aws configure --profile " + s.creds.User
}

func (s *credentialsScreen) quitWarning(c *common) string {
	return c.styles.Warn.Render("The new user's password and secret key have not been confirmed as saved. If you quit now they are lost and cannot be shown again (you can make new ones later).")
}

func (s *credentialsScreen) typing() bool { return false }
