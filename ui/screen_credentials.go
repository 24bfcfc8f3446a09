package ui

import (
	"context"
	"errors"
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
	creds    steps.Credentials
	revealed bool
	status   string // what the last save did
	pending  func(overwrite bool) error
	asking   string // the overwrite question, while pending
	confirm  bool   // "they cannot be shown again" question is up
}

type savedMsg struct {
	what string
	err  error
	// retry redoes the save with overwrite, if the user agrees.
	retry func(overwrite bool) error
}

func (s *credentialsScreen) init(c *common) tea.Cmd {
	res := c.created
	if res == nil || (res.Password.IsZero() && res.AccessKey == nil) {
		return next // nothing new was made, so nothing to show
	}
	s.creds = steps.Credentials{User: res.Name, Password: res.Password, AccessKey: res.AccessKey, SignInURL: steps.SignInURL(c.snapshot.Caller.AccountID, c.alias)}
	return nil
}

func (s *credentialsScreen) save(c *common, what string, write func(overwrite bool) error) tea.Cmd {
	return c.call(func(context.Context) tea.Msg {
		err := write(false)
		return savedMsg{what, err, write}
	})
}

func (s *credentialsScreen) update(c *common, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case savedMsg:
		switch {
		case errors.Is(msg.err, steps.ErrFileExists):
			s.pending, s.asking = msg.retry, msg.err.Error()+". Replace it?"
		case msg.err != nil:
			s.status = c.styles.Fail.Render("✗ Not saved: " + msg.err.Error())
		default:
			s.status = c.styles.Done.Render("✓ Saved " + msg.what + " (readable only by you).")
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
			return s, c.call(func(context.Context) tea.Msg {
				return savedMsg{"it", write(true), nil}
			})
		case key.Matches(msg, c.keys.No):
			s.pending, s.asking = nil, ""
			s.status = "Left the existing file as it was."
		}
		return s, nil
	}
	if s.confirm {
		switch {
		case key.Matches(msg, c.keys.Yes):
			c.created = nil // drop the secrets from memory
			unshown, account, user := c.unshown, c.snapshot.Caller.AccountID, s.creds.User
			s.creds = steps.Credentials{}
			forget := func() tea.Msg {
				_ = unshown.Clear(account, user) // at worst the next run offers new ones needlessly
				return nil
			}
			return s, tea.Sequence(forget, next)
		case key.Matches(msg, c.keys.No):
			s.confirm = false
		}
		return s, nil
	}
	switch {
	case key.Matches(msg, c.keys.Reveal):
		s.revealed = !s.revealed
	case key.Matches(msg, c.keys.SaveCSV):
		path := filepath.Join(c.files.Dir, s.creds.User+"_credentials.csv")
		creds := s.creds
		return s, s.save(c, path, func(overwrite bool) error { return steps.WriteCSV(path, creds, overwrite) })
	case key.Matches(msg, c.keys.Profile) && s.creds.AccessKey != nil:
		creds, region, files := s.creds, c.region, c.files
		return s, s.save(c, "profile "+creds.User+" in "+files.CredentialsFile, func(overwrite bool) error {
			return steps.WriteProfile(files.CredentialsFile, files.ConfigFile, creds.User, *creds.AccessKey, region, overwrite)
		})
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
	info := steps.Info{
		Title: "Save your new user's credentials — now",
		Why:   "AWS shows a password and a secret access key only once. Save them in a password manager (or the files below); if they are lost you must make new ones.",
	}
	row := func(label, value string) string { return c.styles.Subtle.Render(padRight(label, 19)) + value }
	lines := []string{row("Sign-in URL", s.creds.SignInURL), row("User name", s.creds.User)}
	if !s.creds.Password.IsZero() {
		lines = append(lines, row("Password", s.show(c, s.creds.Password)), row("", c.styles.Subtle.Render("(you must change it at first sign-in)")))
	}
	if s.creds.AccessKey != nil {
		lines = append(lines, row("Access key ID", s.creds.AccessKey.ID), row("Secret access key", s.show(c, s.creds.AccessKey.Secret)))
	}
	body := strings.Join(lines, "\n")
	if s.status != "" {
		body += "\n\n" + s.status
	}
	help := []key.Binding{c.keys.Reveal, c.keys.SaveCSV}
	if s.creds.AccessKey != nil {
		help = append(help, c.keys.Profile)
	}
	helpText := c.helpLine(help...) + "\n" + c.helpLine(c.keys.Saved, c.keys.Quit)
	switch {
	case s.asking != "":
		body += "\n\n" + c.styles.Warn.Render(s.asking)
		helpText = c.helpLine(c.keys.Yes, c.keys.No)
	case s.confirm:
		body += "\n\n" + c.styles.Warn.Render("These cannot be shown again. Have you saved them?")
		helpText = c.helpLine(c.keys.Yes, c.keys.No)
	}
	return c.frame(0, info, body, helpText)
}

func (s *credentialsScreen) teach(c *common) (steps.Info, string) {
	return steps.Info{
		Title:       "Credentials",
		ConsolePath: "IAM → Users → " + s.creds.User + " → Security credentials (a secret is shown only when made)",
		ConsoleURL:  "https://console.aws.amazon.com/iam/home#/users",
	}, "aws configure --profile " + s.creds.User
}

func (s *credentialsScreen) typing() bool { return false }
