package ui

import (
	cryptorand "crypto/rand"
	"encoding/base32"
	"image/color"
	mathrand "math/rand/v2"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"

	"github.com/awssecure/awssecure/awsops"
	"github.com/awssecure/awssecure/steps"
)

// toMFAScreen walks a fresh practice account to the MFA screen.
func toMFAScreen(t *testing.T, width, height int) *harness {
	t.Helper()
	m := New(t.Context(), Options{Account: newPractice(t, ""), Practice: true, Region: "eu-west-1", Files: FileOptions{Dir: t.TempDir()}})
	h := newHarness(t, m, width, height)
	h.waitFor("Account 111122223333")
	walkTo(t, h, "MFA for alice")
	return h
}

// enrolledURI is the otpauth URI the MFA screen is showing.
func enrolledURI(t *testing.T, h *harness) string {
	t.Helper()
	s, ok := h.model.(Model).current.(*mfaScreen)
	if !ok {
		t.Fatalf("current screen is %T, not the MFA screen", h.model.(Model).current)
	}
	return s.enrollment.URI.Reveal()
}

// qrModules reads the half-block QR code at the left of a rendered
// screen module by module, as the terminal shows it: on a dark terminal
// a glyph's ink is a light module, on a light one (its own colours,
// NO_COLOR) a dark one, and the ground around the code is the
// terminal's own. It checks the light quiet zone a camera needs around
// the symbol (at least one module on each side) and returns the
// symbol's modules, true for dark, rows first. A module drawn the wrong
// way round is caught by decodeQR.
func qrModules(t *testing.T, screen string, darkTerminal bool) [][]bool {
	t.Helper()
	// ink[y][x]: module row y (two a line), column x, of the glyphs at
	// the start of each line, up to the first that is not a block.
	var ink [][]bool
	for _, line := range strings.Split(screen, "\n") {
		var top, bottom []bool
		for _, glyph := range line {
			if !strings.ContainsRune("█▀▄ ", glyph) {
				break
			}
			top, bottom = append(top, glyph == '█' || glyph == '▀'), append(bottom, glyph == '█' || glyph == '▄')
		}
		ink = append(ink, top, bottom)
	}
	at := func(y, x int) bool { return y >= 0 && y < len(ink) && x >= 0 && x < len(ink[y]) && ink[y][x] }
	box := func(want bool, y0, x0, y1, x1 int) (top, left, bottom, right int) {
		top, left, bottom, right = y1, x1, y0-1, x0-1
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				if at(y, x) == want {
					top, left, bottom, right = min(top, y), min(left, x), max(bottom, y), max(right, x)
				}
			}
		}
		return top, left, bottom + 1, right + 1
	}
	// The symbol is the box of its dark modules: on a light terminal the
	// ink; on a dark one what has no ink inside the light quiet zone.
	top, left, bottom, right := box(true, 0, 0, len(ink), 200)
	if darkTerminal {
		top, left, bottom, right = box(false, top, left, bottom, right)
	}
	size := right - left
	if size < 21 || (size-17)%4 != 0 || bottom-top != size {
		t.Fatalf("no QR code at the left of the screen, or something dark in its quiet zone: the dark modules span %d×%d", right-left, bottom-top)
	}
	// Every module of a one-module ring around the symbol is light.
	for y := top - 1; y <= bottom; y++ {
		for x := left - 1; x <= right; x++ {
			if y >= top && y < bottom && x >= left && x < right {
				continue
			}
			if y < 0 || x < 0 || at(y, x) != darkTerminal {
				t.Fatalf("the quiet zone around the code is missing or dark at row %d, column %d", y, x)
			}
		}
	}
	symbol := make([][]bool, size)
	for y := range symbol {
		symbol[y] = make([]bool, size)
		for x := range symbol[y] {
			symbol[y][x] = at(top+y, left+x) != darkTerminal
		}
	}
	return symbol
}

// decodeQR decodes the symbol's modules as a QR decoder does once it has
// found and sampled the code, and requires that no error needed
// correcting: the drawing is exact, module for module. Reading modules
// rather than a picture keeps the verdict about the drawing: a picture
// decoder's finder-pattern search failed on about 1 code in 75 of a
// thousand random enrolments that zbar read every one of.
func decodeQR(t *testing.T, modules [][]bool) string {
	t.Helper()
	res, err := decoder.NewDecoder().DecodeBoolMapWithoutHint(modules)
	if err != nil {
		t.Fatalf("the QR code on screen does not decode: %v", err)
	}
	if n := res.GetErrorsCorrected(); n != 0 {
		t.Fatalf("the QR code on screen decodes only after correcting %d errors: it is drawn wrong", n)
	}
	return res.GetText()
}

// The QR code as the wizard draws it at 80×24, read back by a QR decoder,
// is exactly the device's otpauth URI.
func TestMFAScreenQRCodeScans(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		h := toMFAScreen(t, size.w, size.h)
		h.update(tea.BackgroundColorMsg{Color: color.Black})
		screen := h.screen()
		if lines := strings.Count(screen, "\n") + 1; lines > size.h {
			t.Errorf("%d×%d: the MFA screen is %d lines tall", size.w, size.h, lines)
		}
		got, want := decodeQR(t, qrModules(t, screen, true)), enrolledURI(t, h)
		if got != want {
			t.Errorf("%d×%d: decoded %q, want the enrolment URI", size.w, size.h, got)
		}
		if !strings.HasPrefix(got, "otpauth://totp/") || !strings.Contains(got, "issuer=Amazon%20Web%20Services") {
			t.Errorf("decoded URI is not an AWS TOTP URI")
		}
	}
}

// Too small for the code: the screen says so and offers the key instead
// of drawing a broken code.
func TestMFAScreenTooSmallForQRCode(t *testing.T) {
	h := toMFAScreen(t, 80, 18)
	screen := h.screen()
	if !strings.Contains(screen, "too small for the QR code") || strings.Contains(screen, "▀▀▀") {
		t.Errorf("at 80×18:\n%s", screen)
	}
	h.press("ctrl+k")
	h.waitFor("Add it in your app by hand")
}

// On a light terminal with its colours dropped (NO_COLOR), the code is
// drawn dark on light, the right way round: a decoder reads it.
func TestMFAScreenQRCodeScansOnALightTerminal(t *testing.T) {
	h := toMFAScreen(t, 80, 24)
	h.update(tea.BackgroundColorMsg{Color: color.White})
	if got, want := decodeQR(t, qrModules(t, h.screen(), false)), enrolledURI(t, h); got != want {
		t.Errorf("decoded %q, want the enrolment URI", got)
	}
}

// A thousand random enrolments (seeds, user names and account labels of
// every length that fits), drawn for 24 rows on a dark and on a light
// terminal, each read back module for module: every one is exact. (A
// picture decoder once failed this test's screen one run in forty; this
// is how the drawing was cleared of it, and zbar, run by hand on the same
// thousand pictures, read every one.)
func TestRandomEnrolmentsAreDrawnExactly(t *testing.T) {
	const nameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-"
	random := func(chars string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = chars[mathrand.IntN(len(chars))]
		}
		return string(b)
	}
	drawn := 0
	for i := range 1000 {
		seed := make([]byte, 40) // as AWS's: 64 Base32 characters
		cryptorand.Read(seed)
		label := "111122223333"
		if i%2 == 0 {
			label = random("abcdefghijklmnopqrstuvwxyz0123456789-", 3+mathrand.IntN(18))
		}
		uri := steps.OTPAuthURI(awsops.NewSecret(base32.StdEncoding.EncodeToString(seed)), random(nameChars, 1+mathrand.IntN(20)), label)
		dark := i%4 < 2
		code := renderQR(uri, 24, dark)
		if code == "" {
			continue // the screen says it is too small and offers the key
		}
		drawn++
		if got := decodeQR(t, qrModules(t, code, dark)); got != uri {
			t.Fatalf("enrolment %d decodes to another URI", i)
		}
	}
	if drawn < 900 {
		t.Errorf("only %d of 1000 enrolments fit 24 rows", drawn)
	}
}
