package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/steps"
)

// aliasSpec is the account alias step's screen. A taken alias asks again
// (the step's Reask), keeping what was typed.
var aliasSpec = formSpec[steps.AliasRequest]{
	step: steps.Alias,
	form: newAliasForm,
	redo: func(k keyMap) *key.Binding { return &k.Replace },
}

// newAliasForm asks for an alias; when one exists, it also asks to confirm
// replacing it, because the old sign-in address stops working.
func newAliasForm(c *common, in steps.AliasRequest) (*huh.Form, func() steps.AliasRequest) {
	fields := []huh.Field{
		huh.NewInput().Title("Account alias").Description("3–63 lowercase letters, digits and single hyphens, e.g. your company or project name").
			Value(&in.Alias).Validate(trimmed(steps.ValidateAlias)).CharLimit(64), // one past the limit, so the validator can say why
	}
	if current := c.snapshot.Alias; current != "" {
		in.Replace = false
		fields = append(fields, huh.NewConfirm().Title("Replace the alias "+current+"?").
			Description(c.snapshot.SignInURL()+" will stop working.").
			Affirmative("Replace").Negative("Keep it").Value(&in.Replace))
	} else {
		in.Replace = true
	}
	return huh.NewForm(huh.NewGroup(fields...)), func() steps.AliasRequest {
		in.Alias = strings.TrimSpace(in.Alias)
		return in
	}
}
