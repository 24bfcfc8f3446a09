package ui

import (
	"image"
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
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

// qrPixels turns the half-block QR code at the left of a rendered screen
// into an image, as a camera would see it on a terminal drawing light
// glyphs on a dark ground: a glyph's ink is light, its blank is dark.
// Around it lies only what the terminal has: dark ground.
func qrPixels(t *testing.T, screen string) image.Image { return qrPixelsOn(t, screen, true) }

// qrPixelsOn is qrPixels on a dark or a light terminal whose colours are
// its own (NO_COLOR): on a light one the ink is dark and the ground light.
func qrPixelsOn(t *testing.T, screen string, darkTerminal bool) image.Image {
	t.Helper()
	lines := strings.Split(screen, "\n")
	width := 0
	for _, r := range lines[0] {
		if !strings.ContainsRune("█▀▄", r) {
			break
		}
		width++
	}
	var rows [][]rune
	for _, line := range lines {
		r := []rune(line)
		if len(r) < width || !strings.ContainsAny(string(r[:width]), "█▀▄") {
			break
		}
		rows = append(rows, r[:width])
	}
	if width < 21 || len(rows) < 11 {
		t.Fatalf("no QR code at the left of the screen (%d columns, %d rows found)", width, len(rows))
	}
	const scale, margin = 6, 4 // pixels per module; ground around
	ink, ground := color.Gray{255}, color.Gray{0}
	if !darkTerminal {
		ink, ground = ground, ink
	}
	img := image.NewGray(image.Rect(0, 0, (width+2*margin)*scale, (2*len(rows)+2*margin)*scale))
	for i := range img.Pix {
		img.Pix[i] = ground.Y
	}
	for y, row := range rows {
		for x, glyph := range row {
			top := glyph == '█' || glyph == '▀'
			bottom := glyph == '█' || glyph == '▄'
			for dy := range scale {
				for dx := range scale {
					px, py := (x+margin)*scale+dx, (2*y+margin)*scale+dy
					if top {
						img.SetGray(px, py, ink)
					}
					if bottom {
						img.SetGray(px, py+scale, ink)
					}
				}
			}
		}
	}
	return img
}

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR code on screen does not decode: %v", err)
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
		got, want := decodeQR(t, qrPixels(t, screen)), enrolledURI(t, h)
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
	if got, want := decodeQR(t, qrPixelsOn(t, h.screen(), false)), enrolledURI(t, h); got != want {
		t.Errorf("decoded %q, want the enrolment URI", got)
	}
}
