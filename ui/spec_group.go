package ui

import (
	"cmp"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"

	"github.com/awssecure/awssecure/steps"
)

// groupSpec is the administrators group step's screen.
var groupSpec = formSpec[string]{
	step: steps.AdminGroup,
	form: newGroupForm,
	redo: func(k keyMap) *key.Binding { return &k.Redo },
}

// newGroupForm asks the group's name.
func newGroupForm(c *common, name string) (*huh.Form, func() string) {
	def := name
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Group name").Value(&name).Validate(trimmed(steps.ValidateGroupName)).CharLimit(129), // one past the limit, so the validator can say why
	))
	return form, func() string { return cmp.Or(strings.TrimSpace(name), def) }
}
