package ui

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/internal/inert"
	"github.com/awssecure/awssecure/steps"
)

// alertPollInterval is how often the root activity alert's done screen
// asks SNS whether the address was confirmed (a variable: tests change it).
var alertPollInterval = 5 * time.Second

// rootAlertSpec is the root activity alert step's screen: what it makes
// and costs, the address (the budget's by default); then a done screen
// that waits for the owner to click the link AWS mails, and sends a test
// alert on request.
var rootAlertSpec = formSpec[steps.AlertRequest]{
	step:   steps.RootAlert,
	form:   newAlertForm,
	redo:   func(k keyMap) *key.Binding { r := k.Redo; r.SetHelp("e", "add another address"); return &r },
	extras: alertExtras,
	fresh:  steps.ReadAlert,
	live: &liveSpec{
		every:   &alertPollInterval,
		read:    steps.ReadAlertSubscribers,
		settled: steps.AlertConfirmed,
		status:  alertStatus,
	},
}

// newAlertForm says what the step makes and what it costs, warns when no
// trail logs every region, and asks the address.
func newAlertForm(c *common, in steps.AlertRequest) (*huh.Form, func() steps.AlertRequest) {
	regions := "every enabled region"
	if n := len(in.Regions); n > 0 {
		regions = fmt.Sprintf("all %d enabled regions", n)
	}
	what := "topic " + steps.AlertName + " in " + in.Region + ": only EventBridge may publish\n" +
		"rules in " + regions + ": root's sign-ins and changes, sent to it\n" +
		"role  " + steps.AlertRole + ", for the other regions\n" +
		"Cost: " + steps.AlertCost
	if w := steps.AlertTrailWarning(c.snapshot); w != "" {
		what += "\n! " + w
	}
	def := in.Email
	form := huh.NewForm(huh.NewGroup(
		huh.NewNote().Title("This makes:").Description(noteText(what)),
		huh.NewInput().Title("Send root's alerts to").
			Description("AWS mails it a link to confirm; nothing arrives until it is clicked").
			Value(&in.Email).Validate(trimmed(steps.ValidateEmail)).CharLimit(260),
	))
	return form, func() steps.AlertRequest {
		in.Email = cmp.Or(strings.TrimSpace(in.Email), def)
		return in
	}
}

// alertStatus is where the alert stands: the trail it depends on, who
// has confirmed, who has not (and that the screen is watching), and where
// the practice account delivers mail.
func alertStatus(c *common) string {
	s := c.snapshot
	var lines []string
	if w := steps.AlertTrailWarning(s); w != "" {
		lines = append(lines, c.styles.Warn.Render("! "+w))
	}
	for _, line := range strings.Split(steps.AlertWaiting(s), "\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, "Waiting"):
			lines = append(lines, c.styles.Warn.Render("… "+line), c.styles.Subtle.Render("Checking every few seconds while this screen is open."))
			if c.practice {
				lines = append(lines, c.styles.Subtle.Render("The practice account confirms it in a few seconds, as if you clicked."))
			}
		default:
			lines = append(lines, c.styles.Done.Render("✓ "+line))
		}
	}
	if inbox := practiceInbox(c); inbox != "" {
		lines = append(lines, "Practice mail is delivered to\n  "+c.styles.Code.Render(inbox))
	}
	switch {
	case !steps.AlertConfirmed(s):
	case c.practice:
		// The practice account has no EventBridge to match its calls:
		// only the test alert arrives.
		lines = append(lines, c.styles.Subtle.Render("On AWS, awssecure's last calls as root (the next step) would set it off; the practice account delivers only the test alert."))
	default:
		lines = append(lines, c.styles.Subtle.Render("awssecure's last calls as root (the next step) will set it off: that is the alert working."))
	}
	return strings.Join(lines, "\n")
}

// practiceInbox is the file the practice account delivers mail to, or "".
func practiceInbox(c *common) string {
	if mb, ok := c.acct.(steps.PracticeMailbox); ok && c.practice {
		return inert.PrintableLine(mb.Inbox())
	}
	return ""
}

// alertExtras offer the test alert, once the topic exists.
func alertExtras(c *common) []extra {
	confirmed, inbox := steps.AlertConfirmed(c.snapshot), practiceInbox(c)
	return []extra{{
		key:   c.keys.TestAlert,
		doing: "Sending a test alert…",
		cli:   steps.AlertTestCLI(c.snapshot.Caller, c.snapshot.Alert.Region),
		apply: func(ctx context.Context, acct steps.Account, caller steps.Caller) (steps.Outcome, error) {
			o, err := steps.SendTestAlert(ctx, acct, caller)
			switch {
			case err != nil:
			case !confirmed:
				o.Said = "Test alert sent, but no address has confirmed yet: nobody gets it. Click the link first, then send another."
			case inbox != "":
				o.Said = "Test alert sent: the practice account delivered it to its inbox (below)."
			}
			return o, err
		},
	}}
}
