package ui

import (
	"fmt"
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
	"github.com/awssecure/awssecure/steps"
)

// fitsTerminal fails when the screen is taller or wider than the terminal.
func fitsTerminal(t *testing.T, h *harness, width, height int, where string) {
	t.Helper()
	s := h.screen()
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		t.Errorf("%s at %d×%d: the screen is %d lines tall:\n%s", where, width, height, len(lines), awstest.RedactSecrets(s))
	}
	for _, l := range lines {
		if n := len([]rune(strings.TrimRight(l, " "))); n > width {
			t.Errorf("%s at %d×%d: a line is %d columns wide: %q", where, width, height, n, awstest.RedactSecrets(l))
		}
	}
}

// scrollToEnd presses pgdn until the screen stops moving, and returns
// every screen seen on the way, the first included.
func scrollToEnd(h *harness) []string {
	seen := []string{h.screen()}
	for range 20 {
		h.press("pgdown")
		if s := h.screen(); s != seen[len(seen)-1] {
			seen = append(seen, s)
			continue
		}
		break
	}
	return seen
}

// A teaching panel taller than a small terminal is shown from its top
// when ? opens it, with the keys and the scroll line still on screen,
// and scrolls to its bottom border with pgdn: every line of it can be
// read. The screens of this walk are golden files at each size.
func TestTeachingPanelsScrollInSmallTerminals(t *testing.T) {
	for _, size := range []struct{ w, h int }{{60, 16}, {50, 14}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			name := func(screen string) string { return fmt.Sprintf("%s-%dx%d", screen, size.w, size.h) }
			h := sizedWizard(t, size.w, size.h)
			h.waitFor("Account 111122223333")
			panel := func(screen, keys, firstCLI, lastCLI string) {
				t.Helper()
				h.press("?")
				top := h.screen()
				for _, want := range []string{"Do it by hand", "pgup/pgdn scroll", keys} {
					if !strings.Contains(top, want) {
						t.Errorf("%s: ? does not show %q:\n%s", screen, want, top)
					}
				}
				fitsTerminal(t, h, size.w, size.h, screen+" with its panel")
				golden(t, h, name(screen+"-teaching"))
				all := strings.Join(scrollToEnd(h), "\n")
				last := h.screen()
				for _, want := range []string{firstCLI, lastCLI, "╰", keys} {
					if !strings.Contains(all, want) {
						t.Errorf("%s: scrolling never shows %q of its panel:\n%s", screen, want, all)
					}
				}
				if !strings.Contains(last, "╰") || !strings.Contains(last, keys) {
					t.Errorf("%s: the end of the panel lacks its bottom border or the keys:\n%s", screen, last)
				}
				fitsTerminal(t, h, size.w, size.h, screen+" scrolled to its panel's end")
				golden(t, h, name(screen+"-teaching-end"))
				h.press("?")
				if strings.Contains(h.screen(), "Do it by hand") {
					t.Errorf("%s: ? did not close the panel", screen)
				}
			}
			panel("preflight", "enter continue", "aws sts get-caller-identity", "aws account list-regions")
			h.press("enter")
			h.waitFor("t pretend I turned it on")
			panel("root", "s skip", "# Root MFA cannot be turned on", "SummaryMap.AccountMFAEnabled")
			h.press("t")
			h.waitFor("Root MFA is on")
			h.press("enter")
			h.waitFor("Minimum length")
			h.press("enter", "enter", "enter", "enter")
			h.waitFor("Password policy set")
			panel("policy", "enter continue", "aws iam update-account-password-policy", "--password-reuse-prevention 24")
		})
	}
}

// The focused thing stays on screen in a small terminal: the user form's
// field in focus, whole options (never cut mid-word), the question after
// S on the credentials screen (even below a save's result), and the
// guardrails row under the cursor as it moves down and up again.
func TestFocusStaysOnScreenInSmallTerminals(t *testing.T) {
	for _, size := range []struct{ w, h int }{{60, 16}, {50, 14}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			name := func(screen string) string { return fmt.Sprintf("%s-%dx%d", screen, size.w, size.h) }
			h := sizedWizard(t, size.w, size.h)
			h.waitFor("Account 111122223333")
			walkTo(t, h, "Create your admin IAM user")
			h.waitFor("┃ User name")
			s := h.screen()
			for _, want := range []string{"┃ User name", "┃ >", "console password (for the AWS console)", "access key (for the AWS CLI and SDKs)"} {
				if !strings.Contains(s, want) {
					t.Errorf("the user form lacks %q:\n%s", want, s)
				}
			}
			golden(t, h, name("user-form-focus"))
			h.typeText("alice")
			h.press("enter")
			if s := h.screen(); !strings.Contains(s, "┃ Access") || !strings.Contains(s, "console password (for the AWS console)") {
				t.Errorf("the access field, now in focus, is not on screen whole:\n%s", s)
			}
			h.press("enter")
			h.waitFor("MFA for alice")
			h.press("esc", "y")
			h.waitFor("Save your new user's credentials")
			asked := func() {
				t.Helper()
				if s := strings.Join(strings.Fields(h.screen()), " "); !strings.Contains(s, "Have you saved them?") || !strings.Contains(s, "y yes") {
					t.Errorf("after S the question or its keys are off screen:\n%s", awstest.RedactSecrets(h.screen()))
				}
				fitsTerminal(t, h, size.w, size.h, "the credentials question")
			}
			h.press("S")
			asked()
			golden(t, h, name("credentials-question"))
			h.press("n", "p") // a save's result (a long path) above the question
			h.waitFor("Saved profile alice")
			h.press("S")
			asked()
			h.press("y")
			walkTo(t, h, "↑/↓ move")
			golden(t, h, name("guardrails-checklist"))
			cursorOn := func(title string) {
				t.Helper()
				s := h.screen()
				if !regexp.MustCompile(`(?m)^> \[[x ]\] ` + regexp.QuoteMeta(title)).MatchString(s) {
					t.Errorf("the cursor's row %q is not on screen:\n%s", title, s)
				}
				fitsTerminal(t, h, size.w, size.h, "the guardrails checklist")
			}
			for _, g := range steps.Guards[1:] {
				h.press("down")
				cursorOn(g.Title)
			}
			golden(t, h, name("guardrails-cursor-last"))
			for i := len(steps.Guards) - 2; i >= 0; i-- {
				h.press("up")
				cursorOn(steps.Guards[i].Title)
			}
		})
	}
}

// A form made at one width follows a resize: its lines are not wrapped
// again by the frame (which put the end of an option or a description
// alone at the edge), and the field in focus stays on screen.
func TestFormFollowsResize(t *testing.T) {
	h := sizedWizard(t, 80, 24)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Create your admin IAM user")
	h.waitFor("┃ User name")
	h.update(tea.WindowSizeMsg{Width: 50, Height: 14})
	h.drain()
	s := h.screen()
	if !strings.Contains(s, "┃ User name") || !strings.Contains(s, "console password (for the AWS console)") {
		t.Errorf("after a resize to 50×14 the focused field or a whole option is off screen:\n%s", s)
	}
	// huh wraps the field to the new width, inside its bar; the frame
	// wrapping the old width's lines put "first name" alone at the edge.
	if !regexp.MustCompile(`(?m)^┃ first name`).MatchString(s) {
		t.Errorf("after a resize the form is not laid out for the new width:\n%s", s)
	}
	fitsTerminal(t, h, 50, 14, "the user form after a resize")
}

// With nothing chosen, the regions form moves on to CloudTrail once, even
// when a message (a resize, a cursor's blink) reaches it before the next
// screen opens: it used to find its form done again and move on twice,
// past CloudTrail.
func TestRegionsNothingChosenMovesOnOnce(t *testing.T) {
	h := sizedWizard(t, 80, 24)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "Opt-in regions to enable")
	h.drain()
	h.update(keyMsg("enter"))
	h.update(tea.WindowSizeMsg{Width: 80, Height: 24}) // before the next screen opens
	h.waitFor("Delete logs older than")
	h.drain()
	if s := h.screen(); !strings.Contains(s, "Turn on CloudTrail") {
		t.Errorf("the wizard went past CloudTrail:\n%s", s)
	}
}

// whiteInk finds text drawn in white without a background of its own,
// which a light terminal shows white on white: ANSI white (37, 97) or
// a 256-colour or true-colour white.
func whiteInk(raw string) []string {
	var found []string
	for _, m := range regexp.MustCompile(`\x1b\[([0-9;:]*)m`).FindAllStringSubmatch(raw, -1) {
		params := strings.Split(m[1], ";")
		white, background := false, false
		for i := 0; i < len(params); i++ {
			switch p := params[i]; {
			case p == "37" || p == "97":
				white = true
			case p == "38" && i+2 < len(params) && params[i+1] == "5":
				n, _ := strconv.Atoi(params[i+2])
				white = white || n == 7 || n == 15 || n >= 253
				i += 2
			case p == "38" && i+4 < len(params) && params[i+1] == "2":
				r, _ := strconv.Atoi(params[i+2])
				g, _ := strconv.Atoi(params[i+3])
				b, _ := strconv.Atoi(params[i+4])
				white = white || r >= 0xE0 && g >= 0xE0 && b >= 0xE0
				i += 4
			case p == "48" || (len(p) == 2 && (p[0] == '4' || p[0] == '1' && p[1] == '0')):
				background = true
			}
		}
		if white && !background {
			found = append(found, m[0])
		}
	}
	return found
}

// On a light terminal nothing is drawn in white on its background: not
// the values of a form's fields out of focus (huh's text input draws them
// in ANSI white), not the form's keys, not the wizard's own styles. The
// terminal's answer to the background question switches every style, the
// forms' included.
func TestLightTerminalHasNoWhiteText(t *testing.T) {
	h := sizedWizard(t, 80, 24)
	h.update(tea.BackgroundColorMsg{Color: color.White})
	h.waitFor("Account 111122223333")
	raw := func() string { return h.model.View().Content }
	check := func(where string) {
		t.Helper()
		if w := whiteInk(raw()); len(w) > 0 {
			t.Errorf("%s on a light terminal: white text %q", where, w)
		}
	}
	check("preflight")
	h.press("enter")
	h.waitFor("Waiting for AWS")
	h.press("t")
	h.waitFor("Root MFA is on")
	h.press("enter")
	h.waitFor("Minimum length")
	if !strings.Contains(h.screen(), "> 24") {
		t.Fatalf("the policy form does not show its values:\n%s", h.screen())
	}
	check("the password policy form (values 24 and 0 out of focus)")
	h.press("enter")
	check("the password policy form, second field in focus")
	walkTo(t, h, "Create your admin IAM user")
	h.typeText("alice")
	h.press("enter")
	check("the user form, the name out of focus")
	walkTo(t, h, "A monthly cost budget that e-mails you?")
	check("the billing form's buttons")

	// The form's own colours follow the background: the bar beside the
	// field in focus is the wizard's accent for a light background, then
	// for a dark one once the terminal says it is dark.
	const lightBar, darkBar = "\x1b[38;2;90;63;192m┃", "\x1b[38;2;185;166;255m┃"
	if !strings.Contains(raw(), lightBar) {
		t.Errorf("on a light terminal the focused field's bar is not in the light accent: %q", raw())
	}
	h.update(tea.BackgroundColorMsg{Color: color.Black})
	if !strings.Contains(raw(), darkBar) || strings.Contains(raw(), lightBar) {
		t.Errorf("on a dark terminal the focused field's bar is not in the dark accent: %q", raw())
	}
}

// At 50×14 the MFA screen keeps its codes and keys on screen when the
// key is shown by hand or a code is refused: the why makes room.
func TestMFAKeepsKeysInSmallTerminal(t *testing.T) {
	h := sizedWizard(t, 50, 14)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "MFA for alice")
	for _, step := range []struct {
		keys []string
		text string
		want string
	}{
		{keys: []string{"ctrl+k"}, want: "Add it in your app by hand"},
		{keys: []string{"ctrl+k"}, text: "123456", want: "The terminal is too small"},
	} {
		h.press(step.keys...)
		if step.text != "" {
			h.typeText(step.text)
			h.press("enter")
			h.typeText("654321")
			h.press("enter")
			h.waitFor("neither code matches")
		}
		s := h.screen()
		for _, want := range []string{step.want, "┃ First code", "esc skip MFA for now"} {
			if !strings.Contains(s, want) {
				t.Errorf("the MFA screen lacks %q:\n%s", want, awstest.RedactSecrets(s))
			}
		}
		fitsTerminal(t, h, 50, 14, "the MFA screen")
	}
}

// No option of a form is cut at the narrowest terminal drawn (50
// columns): a label too long for its line is wrapped at a space, under
// itself, and the list is tall enough for the lines it takes.
func TestOptionsAreWholeAt50Columns(t *testing.T) {
	c := &common{styles: NewStyles(true), width: 50, height: 14}
	at50 := func(f *huh.Form) string {
		c.prepareForm(f)
		f.Init()
		c.updateForm(f, tea.WindowSizeMsg{Width: 50, Height: 14})
		return ansi.Strip(formView(f))
	}
	user, _ := newUserForm(c, steps.UserRequest{Group: "administrators", Console: true, Programmatic: true})
	codes := []string{"ap-southeast-6", "ap-southeast-5", "me-central-1"}
	regions, _ := newRegionsForm(c, codes)
	for _, form := range []struct {
		name   string
		view   string
		labels []string
	}{
		{"user", at50(user), []string{"console password (for the AWS console)", "access key (for the AWS CLI and SDKs)"}},
		{"regions", at50(regions), []string{steps.RegionLabel(codes[0]), steps.RegionLabel(codes[1]), steps.RegionLabel(codes[2])}},
	} {
		squashed := strings.Join(strings.Fields(strings.ReplaceAll(form.view, focusBar, "")), " ")
		for _, l := range form.labels {
			if !strings.Contains(squashed, strings.Join(strings.Fields(l), " ")) {
				t.Errorf("%s form at 50 columns: option %q is not whole:\n%s", form.name, l, form.view)
			}
		}
		if form.name == "regions" && !regexp.MustCompile(`(?m)^`+focusBar+` {7}Zealand\)`).MatchString(form.view) {
			t.Errorf("a long region's name is not wrapped under itself:\n%s", form.view)
		}
		for _, line := range strings.Split(form.view, "\n") {
			if w := ansi.StringWidth(strings.TrimRight(line, " ")); w > 48 {
				t.Errorf("%s form at 50 columns: a line is %d wide: %q", form.name, w, line)
			}
		}
	}
}

// Each guard's command fits the narrowest teaching panel whole (50
// columns, 46 inside the border): Block Public Access's 92-character
// setting was cut mid-word, "RestrictPu / blicBuckets=true" at 80
// columns and "RestrictPublicBuck / ets=true" at 50.
func TestGuardCommandsFitTheNarrowestPanel(t *testing.T) {
	const inside = minWidth - 4
	caller := awsops.Caller{AccountID: "111122223333", ARN: "arn:aws:iam::111122223333:root"}
	req := steps.GuardRequest{Contacts: []awsops.Contact{{Type: awsops.ContactSecurity, Name: "Ada Lovelace", Title: "Security lead",
		Email: "ada@example.com", Phone: "+44 20 7946 0000"}}}
	for _, g := range steps.Guards {
		for _, line := range strings.Split(shellLines(steps.GuardsCLI(caller, "ap-southeast-2", []string{g.ID}, req), inside), "\n") {
			if w := lipgloss.Width(line); w > inside {
				t.Errorf("%s: a line of %d columns in a panel of %d: %s", g.ID, w, inside, line)
			}
		}
	}
}
