package ui

import "testing"

// Keys typed right after Enter (a paste, a quick typist, a script driving
// the terminal) land in the field Enter moved to. huh moves by a command,
// which Bubble Tea delivers after the keys already read with the Enter:
// before, "12" typed at once after the first Enter went into the minimum
// length (2012, refused) and the rest followed it astray.
func TestKeysTypedAfterEnterLandInTheNextField(t *testing.T) {
	acct := newPractice(t, "")
	h := newHarness(t, New(t.Context(), Options{Account: acct, Practice: true, Region: "eu-west-1"}), 80, 24)
	h.waitFor("Account 111122223333")
	h.press("enter")
	h.waitFor("Waiting for AWS")
	h.press("t")
	h.waitFor("Root MFA is on")
	h.press("enter")
	h.waitFor("Minimum length")
	// As one read of the terminal: no message is handled in between.
	for _, answer := range []string{"20", "12", "90"} {
		h.update(keyMsg("ctrl+u"))
		h.typeText(answer)
		h.update(keyMsg("enter"))
	}
	h.update(keyMsg("enter")) // the second page as it is
	h.waitFor("Password policy set")
	got, err := acct.PasswordPolicy(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got.MinimumLength != 20 || got.ReusePrevention != 12 || got.MaxAgeDays != 90 {
		t.Errorf("policy set: length %d, reuse %d, max age %d; typed 20, 12, 90", got.MinimumLength, got.ReusePrevention, got.MaxAgeDays)
	}
}
