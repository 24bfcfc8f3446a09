package ui

import (
	"reflect"
	"strings"
	"testing"

	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/steps"
	"github.com/charmbracelet/x/ansi"
)

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

// A form is drawn whole from its first frame, before the terminal's size
// (which huh asks for in Init) arrives: huh had sized the page at 80
// columns, the note wrapped to one more line at the form's 78, and the
// first frame scrolled "This makes:" away (CI's rootalert-form golden,
// once, when the size came late).
func TestAFormIsWholeBeforeTheTerminalSizeArrives(t *testing.T) {
	c := &common{styles: NewStyles(true), width: 80, height: 24}
	in := steps.AlertRequest{Region: "us-east-1", Regions: []string{"us-east-1", "eu-west-1"}, Email: "owner@example.com"}
	form, _ := newAlertForm(c, in)
	c.prepareForm(form)
	form.Init() // its commands, the size request among them, are not run
	view := ansi.Strip(formView(form))
	for _, want := range []string{"This makes:", "topic " + steps.AlertName, "Send root's alerts to"} {
		if !strings.Contains(view, want) {
			t.Errorf("the form's first frame lacks %q:\n%s", want, view)
		}
	}
}

// A note shows its words as they are: huh reads a note's description as
// markdown, and a trail named my_org_trail came out "myorgtrail" in
// italics, an escape shown as \x1b as "x1b". Accessible mode, which reads
// the description itself, says the same words.
func TestANoteShowsNamesAsTheyAre(t *testing.T) {
	const words = "trail my_org_trail, budget *ops* `x`, shown \\x1b"
	note := huh.NewNote().Title("Trail").Description(noteText(words))
	form := huh.NewForm(huh.NewGroup(note, huh.NewInput().Title("Days")))
	c := &common{styles: NewStyles(true), width: 80, height: 24}
	c.prepareForm(form)
	form.Init()
	if view := ansi.Strip(formView(form)); !strings.Contains(view, words) {
		t.Errorf("the note does not show %q:\n%s", words, view)
	}
	if said := wordsOf(reflect.ValueOf(note)).description; said != words {
		t.Errorf("accessible mode reads %q, want %q", said, words)
	}
}
