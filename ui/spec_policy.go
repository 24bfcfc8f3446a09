package ui

import (
	"slices"
	"strconv"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/steps"
)

// policySpec is the password policy step's screen.
var policySpec = formSpec[steps.PasswordPolicy]{
	step: steps.Policy,
	form: newPolicyForm,
	redo: func(k keyMap) *key.Binding { return &k.Redo },
}

// policyInput is what the policy form fills in: numbers as typed, and
// the requirements chosen.
type policyInput struct {
	MinLength string
	Reuse     string
	MaxAge    string
	Require   []string
}

const (
	reqUpper   = "uppercase"
	reqLower   = "lowercase"
	reqNumbers = "numbers"
	reqSymbols = "symbols"
	reqChange  = "change"
)

func (in *policyInput) policy() steps.PasswordPolicy {
	length, _ := strconv.Atoi(in.MinLength)
	reuse, _ := strconv.Atoi(in.Reuse)
	age, _ := strconv.Atoi(in.MaxAge)
	has := func(s string) bool { return slices.Contains(in.Require, s) }
	return steps.PasswordPolicy{
		MinimumLength: length, ReusePrevention: reuse, MaxAgeDays: age,
		RequireUppercase: has(reqUpper), RequireLowercase: has(reqLower), RequireNumbers: has(reqNumbers),
		RequireSymbols: has(reqSymbols), AllowUsersToChange: has(reqChange),
	}
}

// newPolicyForm builds the form from p.
func newPolicyForm(c *common, p steps.PasswordPolicy) (*huh.Form, func() steps.PasswordPolicy) {
	in := &policyInput{MinLength: strconv.Itoa(p.MinimumLength), Reuse: strconv.Itoa(p.ReusePrevention), MaxAge: strconv.Itoa(p.MaxAgeDays)}
	option := func(label, value string, on bool) huh.Option[string] {
		return huh.NewOption(fitOption(label, c.accessible), value).Selected(on)
	}
	number := func(title string, value *string, lo, hi, limit int) *huh.Input {
		return huh.NewInput().Title(title).Value(value).Validate(intBetween(lo, hi)).CharLimit(limit)
	}
	form := huh.NewForm(huh.NewGroup(
		number("Minimum length (6–128; 14 or more recommended)", &in.MinLength, 6, 128, 4),
		number("Remember previous passwords (0–24; 24 recommended)", &in.Reuse, 0, 24, 3),
		number("Expire passwords after days (0 = never; expiry is no longer recommended)", &in.MaxAge, 0, 1095, 5),
	), huh.NewGroup(
		huh.NewMultiSelect[string]().Title("Require ("+c.toggleHint()+")").Height(6).Value(&in.Require).Options(
			option("an uppercase letter", reqUpper, p.RequireUppercase),
			option("a lowercase letter", reqLower, p.RequireLowercase),
			option("a number", reqNumbers, p.RequireNumbers),
			option("a symbol", reqSymbols, p.RequireSymbols),
			option("let users change their own password", reqChange, p.AllowUsersToChange),
		),
	))
	return form, in.policy
}
