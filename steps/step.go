package steps

import (
	"context"
	"fmt"

	"github.com/awssecure/awssecure/awsops"
)

// Info is what a step says about itself: the same words on its wizard
// screen, in its teaching panel and in status.
type Info struct {
	Title       string
	Why         string // plain words: what the step does and why it matters
	ConsolePath string // where a person would click to do it by hand
	ConsoleURL  string
	// More is what the teaching panel adds that no click or command says
	// (what only root can do); "" for most steps.
	More string
}

// Step is one step of the tutorial as the registry holds it: its words,
// the facts it reads into a Snapshot (each with its own error, so one
// denied read makes only its own checks unknown) and the checks it
// answers for. What it asks and how it applies the answer live beside it,
// in the step's own file.
type Step struct {
	// ID names the step for the wizard's screens; it never changes.
	ID string
	Info
	// ReadFirst and Read fill in s the facts this step needs, each its own
	// fields; nil when there are none. ReadFirst does not use s.Caller,
	// so ReadSnapshot starts it at once, beside sts:GetCallerIdentity;
	// Read does, and starts a round trip later, when the caller is known.
	ReadFirst func(ctx context.Context, acct Account, s *Snapshot)
	Read      func(ctx context.Context, acct Account, s *Snapshot)
	// Checks judges s, in the status schema's order.
	Checks func(s Snapshot) []Check
}

// ReadAll runs both of the step's reads, at once, into s, whose Caller
// must be known: how a screen reads one step's facts again.
func (st Step) ReadAll(ctx context.Context, acct Account, s *Snapshot) {
	var reads []func()
	for _, read := range []func(context.Context, Account, *Snapshot){st.ReadFirst, st.Read} {
		if read != nil {
			reads = append(reads, func() { read(ctx, acct, s) })
		}
	}
	together(reads...)
}

// Steps is the tutorial, in its order. The wizard numbers its screens
// from it, and ReadSnapshot, Checks and status go through it: a new step
// is one file in this package and one line here.
var Steps = []Step{
	Root,
	Policy.Step,
	AdminGroup.Step,
	AdminUser.Step,
	Alias.Step,
	Regions,
	CloudTrail.Step,
	Billing.Step,
	Guardrails,
	RootAlert.Step,
	Handoff, // last: nothing after it may need root
}

// Outcome is what an apply did: the facts it changed, so the wizard's
// later screens see them without reading the account again, and the
// sentence that tells the user.
type Outcome struct {
	// Change brings a snapshot up to date; nil when nothing changed.
	Change Change
	// Changed is false when everything was already in place.
	Changed bool
	// Said is the result in a sentence, e.g. "Group administrators created
	// with AdministratorAccess."
	Said string
	// Left are the parts the apply left undone, each in a sentence
	// (a part skipped, one only root can do), said apart from what was
	// done.
	Left []string
	// Credentials are one-time secrets the apply made (the admin user
	// step's password and key); nil when it made none.
	Credentials *Credentials
}

// counted is n with its noun, in the plural unless n is 1: "1 change",
// "12 changes".
func counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Change applies what an apply did to a snapshot.
type Change func(*Snapshot)

// With is s after ch. s is not modified: a Change copies what it alters.
func (s Snapshot) With(ch Change) Snapshot {
	if ch != nil {
		ch(&s)
	}
	return s
}

// FormStep is a step whose screen asks the user for In, then applies it:
// detect → edit → apply → done or failed. The wizard's one screen for
// such steps is driven by these functions and a form for In.
type FormStep[In any] struct {
	Step
	// Done says whether s shows the step done, and in what words.
	Done func(s Snapshot) (said string, done bool)
	// Default is the form's first answer, from what the account has.
	Default func(s Snapshot) In
	// Doing says what Apply is doing, beside the spinner.
	Doing func(in In) string
	// Apply makes the change; it is safe to run twice.
	Apply func(ctx context.Context, acct Account, caller awsops.Caller, in In) (Outcome, error)
	// CLI is the aws CLI equivalent of in, with the user's values.
	CLI func(caller awsops.Caller, in In) string
	// Reask, when set, turns an error the user can fix by answering again
	// (an alias taken by another account) into the sentence shown above the
	// form; ok is false for every other error.
	Reask func(in In, err error) (problem string, ok bool)
}
