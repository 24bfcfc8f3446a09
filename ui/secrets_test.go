package ui

import (
	"bytes"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// lockedBuffer is a log destination the SDK's goroutines may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var (
	revealedSecret   = regexp.MustCompile(`Secret access key\s+(\S{40})`)
	revealedPassword = regexp.MustCompile(`Password\s+(\S{16,})`)
)

// The whole tutorial against moto with the call log at its most verbose,
// and with lost replies on the calls that carry secrets: the log holds a
// line for every call and none of the password, secret key or MFA seed
// the wizard showed.
func TestCallLogHoldsNoSecretAgainstMoto(t *testing.T) {
	var log lockedBuffer
	logger := slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := newMotoAccount(t, awsops.Options{Logger: logger})
	m.iam.Force("CreateLoginProfile", awstest.FaultLostReply, 1)
	m.iam.Force("EnableMFADevice", awstest.FaultLostReply, 1)
	h := newWizard(t, m.acct, false, t.TempDir())
	h.waitFor("Account 123456789012")
	var seed, password, secret string
	for range 60 {
		s := h.screen()
		switch {
		case strings.Contains(s, "Step 1 of") && strings.Contains(s, "s skip"):
			h.press("s", "y")
		case strings.Contains(s, "User name") && strings.Contains(s, "> "):
			h.typeText("alice")
			h.press("enter", "enter")
		case strings.Contains(s, "MFA for alice") && !strings.Contains(s, "MFA is on"):
			h.press("ctrl+k")
			h.waitFor("Add it in your app by hand")
			seed = strings.ReplaceAll(groupedSeed.FindStringSubmatch(h.screen())[1], " ", "")
			h.press("ctrl+k")
			enterMFACodes(h)
			h.waitFor("MFA is on for alice")
			h.press("enter")
		case strings.Contains(s, "Save your new user's credentials"):
			h.press("v")
			shown := h.screen()
			if m := revealedSecret.FindStringSubmatch(shown); m != nil {
				secret = m[1]
			}
			if m := revealedPassword.FindStringSubmatch(shown); m != nil {
				password = m[1]
			}
			h.press("S", "y")
		case strings.Contains(s, "Choose an account alias") && !strings.Contains(s, "Alias set"):
			h.press("ctrl+u")
			h.typeText("acme-learning")
			h.press("enter")
		case strings.Contains(s, "Who should AWS write to?"):
			h.press("esc")
		case strings.Contains(s, "┃ E-mail for the alerts"):
			h.typeText("owner@example.com")
			h.press("enter")
		case strings.Contains(s, "Who should AWS write to?"):
			h.press("esc") // the contact can wait
		case strings.Contains(s, "y delete it"):
			h.press("y")
		case strings.Contains(s, "enter finish"):
			h.press("enter")
			h.waitQuit()
		default:
			h.press("enter")
		}
		if h.quit {
			break
		}
	}
	if !h.quit || seed == "" || password == "" || secret == "" {
		t.Fatalf("the tutorial did not finish with every secret seen (quit %v, seed %v, password %v, secret %v):\n%s", h.quit, seed != "", password != "", secret != "", awstest.RedactSecrets(h.screen()))
	}
	got := log.String()
	for _, op := range []string{"operation=CreateAccessKey", "operation=CreateVirtualMFADevice", "operation=CreateLoginProfile", "error=EntityAlreadyExists", "operation=UpdateLoginProfile", "operation=EnableMFADevice"} {
		if !strings.Contains(got, op) {
			t.Errorf("the call log lacks %q: it is not at its most verbose", op)
		}
	}
	for name, value := range map[string]string{"MFA seed": seed, "password": password, "secret access key": secret} {
		if strings.Contains(got, value) {
			t.Errorf("the %s is in the call log", name)
		}
	}
	t.Logf("call log: %d lines, no secret in it", strings.Count(got, "\n"))
}
