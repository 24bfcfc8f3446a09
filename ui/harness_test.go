package ui

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/awssecure/awssecure/awsops/awstest"
)

// harness runs the real wizard model with its real commands, without a
// terminal: commands run in goroutines and their messages are fed back
// into Update one at a time, as Bubble Tea's loop does. Tests type keys
// and wait until the rendered screen says what they expect.
type harness struct {
	t     *testing.T
	model tea.Model
	msgs  chan tea.Msg
	quit  bool
	ctx   context.Context
	// underWay counts the commands running whose message is not yet in
	// msgs: while one runs (an AWS call, a wait, a spinner's tick) the
	// screen may still change.
	underWay atomic.Int64
	size     tea.WindowSizeMsg // the terminal's, as the last resize said
}

func newHarness(t *testing.T, m Model, width, height int) *harness {
	t.Helper()
	h := &harness{t: t, model: m, msgs: make(chan tea.Msg, 1024), ctx: t.Context()}
	h.exec(m.Init())
	h.update(tea.WindowSizeMsg{Width: width, Height: height})
	return h
}

func (h *harness) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	h.underWay.Add(1)
	go func() {
		defer h.underWay.Add(-1)
		msg := cmd()
		select {
		case h.msgs <- msg:
		case <-h.ctx.Done():
		}
	}()
}

func (h *harness) update(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			h.exec(c)
		}
		return
	case tea.QuitMsg:
		h.quit = true
		return
	case tea.WindowSizeMsg:
		h.size = msg
	}
	// Bubble Tea answers tea.RequestWindowSize (a form's Init asks) with
	// the terminal's size.
	if reflect.TypeOf(msg) == reflect.TypeOf(tea.RequestWindowSize()) {
		size := h.size
		h.exec(func() tea.Msg { return size })
		return
	}
	// tea.Sequence's message type is unexported: run its commands in order.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		cmds := make([]tea.Cmd, v.Len())
		for i := range cmds {
			cmds[i] = v.Index(i).Interface().(tea.Cmd)
		}
		h.underWay.Add(1)
		go func() {
			defer h.underWay.Add(-1)
			for _, c := range cmds {
				if c == nil {
					continue
				}
				m := c()
				select {
				case h.msgs <- m:
				case <-h.ctx.Done():
					return
				}
			}
		}()
		return
	}
	var cmd tea.Cmd
	h.model, cmd = h.model.Update(msg)
	h.exec(cmd)
}

// screen is what the terminal would show now, without colours.
func (h *harness) screen() string {
	return ansi.Strip(h.model.View().Content)
}

// waitFor feeds messages until the screen contains want, or fails.
func (h *harness) waitFor(want string) {
	h.t.Helper()
	h.waitUntil(func() bool { return strings.Contains(h.screen(), want) }, fmt.Sprintf("screen never showed %q", want))
}

// waitQuit feeds messages until the wizard quits.
func (h *harness) waitQuit() {
	h.t.Helper()
	h.waitUntil(func() bool { return h.quit }, "wizard did not quit")
}

// waitRoom bounds a wait only in case a command never ends: on a busy
// two-core machine a walk against moto can take far longer than on an
// idle one, and a wait must not run out while work is still under way.
const waitRoom = 4 * time.Minute

// waitUntil feeds messages until done, and fails as soon as nothing is
// left that could change the screen — no message waiting, no command
// under way — or after waitRoom. It waits on the events, not the clock.
func (h *harness) waitUntil(done func() bool, failure string) {
	h.t.Helper()
	deadline := time.After(waitRoom)
	idle := 0
	for !done() {
		select {
		case msg := <-h.msgs:
			h.update(msg)
			idle = 0
		case <-time.After(100 * time.Millisecond):
			if h.underWay.Load() == 0 && len(h.msgs) == 0 {
				// Twice in a row, so a command that has just sent its
				// message (and not yet counted itself out) is not missed.
				if idle++; idle >= 2 {
					h.t.Fatalf("%s, and nothing is under way that could change it; it shows:\n%s", failure, awstest.RedactSecrets(h.screen()))
				}
			}
		case <-deadline:
			h.t.Fatalf("%s within %s; it shows:\n%s", failure, waitRoom, awstest.RedactSecrets(h.screen()))
		}
	}
}

// drain handles the messages already waiting, so a key lands on a settled
// screen. A screen that reads again every few milliseconds (a test's short
// poll) is never quiet for 30 ms: after a second of messages the key goes
// in anyway, as a person's would.
func (h *harness) drain() {
	busy := time.After(time.Second)
	for {
		select {
		case msg := <-h.msgs:
			h.update(msg)
		case <-time.After(30 * time.Millisecond):
			return
		case <-busy:
			return
		}
	}
}

func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.drain()
		h.update(keyMsg(k))
	}
	h.drain()
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEsc}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+k":
		return tea.KeyPressMsg{Code: 'k', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}
