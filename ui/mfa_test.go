package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/awsops/awstest"
)

// Codes typed as authenticator apps show them, "123 456", are taken as
// the six digits they are; the MFA screen carries its step number and
// why from the start, and its code fields are not wrapped.
func TestMFACodesAsAppsShowThem(t *testing.T) {
	h := toMFAScreen(t, 80, 24)
	s := h.screen()
	for _, want := range []string{"Step 4 of", "a stolen", "Next code, once it changes"} {
		if !strings.Contains(s, want) {
			t.Errorf("the MFA screen lacks %q:\n%s", want, awstest.RedactSecrets(s))
		}
	}
	h.press("ctrl+k")
	h.waitFor("Add it in your app by hand")
	seed := awsops.NewSecret(strings.ReplaceAll(groupedSeed.FindStringSubmatch(h.screen())[1], " ", ""))
	c1, c2 := awsops.PhoneCodes(seed, time.Now())
	h.typeText(c1[:3] + " " + c1[3:])
	h.press("enter")
	h.typeText(c2[:3] + " " + c2[3:])
	h.press("enter")
	h.waitFor("MFA is on for alice")
}

// t on the practice account's root screen says at once what it is doing;
// root MFA is then reported on (the read comes as soon as it is).
func TestPretendRootMFASaysSoAtOnce(t *testing.T) {
	h := sizedWizard(t, 80, 24)
	h.waitFor("Account 111122223333")
	h.press("enter")
	h.waitFor("Waiting for AWS to report root MFA on")
	h.update(keyMsg("t"))
	if s := h.screen(); !strings.Contains(s, "Pretending you turned it on in the console") {
		t.Errorf("t gave no word at once:\n%s", s)
	}
	h.update(keyMsg("t")) // a second press while it is pretending changes nothing
	h.waitFor("Root MFA is on")
}

// s asks before it skips, saying what stays undone; n goes back.
func TestSkipAsksFirst(t *testing.T) {
	h := sizedWizard(t, 80, 24)
	h.waitFor("Account 111122223333")
	h.press("enter")
	h.waitFor("Waiting for AWS to report root MFA on")
	h.press("s")
	h.waitFor("It stays undone")
	golden(t, h, "skip-question")
	h.press("n")
	h.waitFor("Waiting for AWS to report root MFA on")
	h.press("s", "y")
	h.waitFor("Set a password policy")
}
