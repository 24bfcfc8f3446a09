package ui

import "charm.land/bubbles/v2/key"

// keyMap is every key the wizard answers to, declared once with its help.
// A focused form gets keys before these (except Quit).
type keyMap struct {
	Quit     key.Binding
	Teach    key.Binding
	Next     key.Binding
	Skip     key.Binding
	Retry    key.Binding
	Redo     key.Binding
	Replace  key.Binding
	Reveal   key.Binding
	SaveCSV  key.Binding
	Profile  key.Binding
	Saved    key.Binding
	Simulate key.Binding
	Secret   key.Binding
	Cancel   key.Binding
	Yes      key.Binding
	No       key.Binding
	Practice key.Binding
	Renew    key.Binding
	// The CSV's place is in a git work tree: where should it go?
	SaveHome key.Binding
	SaveHere key.Binding
	DontSave key.Binding
	Runbook  key.Binding
	// A done screen that waits for the user (the root activity alert's).
	CheckNow, TestAlert key.Binding
	// ScrollUp and ScrollDown move a body taller than the terminal.
	ScrollUp   key.Binding
	ScrollDown key.Binding
	// The guardrails checklist's.
	Up, Down, Toggle, Apply, Contact, SkipContact key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Quit:        key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Teach:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "console & CLI")),
		Next:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		Skip:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "skip")),
		Retry:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
		Redo:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "do it anyway")),
		Replace:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "replace it")),
		Reveal:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "show/hide secrets")),
		SaveCSV:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "save CSV")),
		Profile:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "write AWS CLI profile")),
		Saved:       key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "I saved them")),
		Simulate:    key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "pretend I turned it on in the console")),
		Secret:      key.NewBinding(key.WithKeys("ctrl+k"), key.WithHelp("ctrl+k", "can't scan? show the key")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "skip MFA for now")),
		Yes:         key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:          key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no")),
		Practice:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "try the practice account instead")),
		Renew:       key.NewBinding(key.WithKeys("k"), key.WithHelp("k", "new password and key (lost them?)")),
		Runbook:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "write a runbook of this session")),
		CheckNow:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check now")),
		TestAlert:   key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "send a test alert")),
		ScrollUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll up")),
		ScrollDown:  key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll down")),
		SaveHome:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "save in your home folder")),
		SaveHere:    key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "save here anyway")),
		DontSave:    key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "don't save")),
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
		Down:        key.NewBinding(key.WithKeys("down", "j")),
		Toggle:      key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "choose")),
		Apply:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "turn on what is chosen")),
		Contact:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "add a billing or operations contact")),
		SkipContact: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "skip the contact for now")),
	}
}

// helpLine renders bindings as "key action · key action".
func (c *common) helpLine(bindings ...key.Binding) string {
	var s string
	for i, b := range bindings {
		if i > 0 {
			s += c.styles.Subtle.Render(" · ")
		}
		s += c.styles.Key.Render(b.Help().Key) + " " + c.styles.Subtle.Render(b.Help().Desc)
	}
	if c.capture != nil { // accessible mode asks for these keys by name
		c.capture.helps = append(c.capture.helps, captured{s, bindings})
	}
	return s
}
