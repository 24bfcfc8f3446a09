package steps

import (
	"strings"
	"testing"

	"github.com/awssecure/awssecure/awsops"
)

// Item 9: a spreadsheet runs a cell starting with = + - or @ as a formula.
// About 5 % of passwords started so; none may. 2000 passwords under each
// policy, the long symbol-heavy one among them.
func TestGeneratedPasswordNeverStartsAFormula(t *testing.T) {
	for _, policy := range []*awsops.PasswordPolicy{nil, &DefaultPolicy, {MinimumLength: 128, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true}} {
		for range 2000 {
			pw, err := GeneratePassword(policy)
			if err != nil {
				t.Fatal(err)
			}
			if first := pw.Reveal()[0]; strings.ContainsRune(formulaStart, rune(first)) {
				t.Fatalf("a password starts with %q", first) // one character: not the password
			}
		}
	}
}

// The fix itself, forced: a password that starts with each formula
// character is rearranged, keeping its characters.
func TestAvoidFormulaStartForced(t *testing.T) {
	for _, c := range formulaStart {
		b := []byte(string(c) + "=+-@aB3")
		if err := avoidFormulaStart(b); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsRune(formulaStart, rune(b[0])) || len(b) != 8 || !strings.ContainsRune(string(b), c) {
			t.Errorf("%q", b)
		}
	}
	if err := avoidFormulaStart([]byte("=+-@")); err == nil {
		t.Error("a password of formula characters only was accepted")
	}
}
