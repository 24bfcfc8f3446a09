package ui

import (
	"strings"

	"github.com/mdp/qrterminal/v3"
)

// renderQR draws text as a QR code in half blocks (two modules a row), so
// an otpauth URI fits an 80×24 terminal. It uses the widest quiet zone
// (up to the standard's 4 modules) that still fits in maxRows, and
// returns "" if even a 1-module quiet zone does not fit.
//
// A glyph's ink is the terminal's foreground. On a dark background the
// ink draws the light modules; on a light one, the dark modules. The QR
// style pins the matching colours, and when colours are dropped (NO_COLOR)
// the terminal's own foreground and background still give a dark-on-light
// or light-on-dark code, never an inverted one.
func renderQR(text string, maxRows int, darkBackground bool) string {
	glyphs := qrterminal.Config{ // ink = light modules
		BlackChar: qrterminal.BLACK_BLACK, WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar: qrterminal.WHITE_WHITE, BlackWhiteChar: qrterminal.BLACK_WHITE,
	}
	if !darkBackground { // ink = dark modules
		glyphs = qrterminal.Config{
			BlackChar: qrterminal.WHITE_WHITE, WhiteBlackChar: qrterminal.BLACK_WHITE,
			WhiteChar: qrterminal.BLACK_BLACK, BlackWhiteChar: qrterminal.WHITE_BLACK,
		}
	}
	for quiet := 4; quiet >= 1; quiet-- {
		var b strings.Builder
		qrterminal.GenerateWithConfig(text, qrterminal.Config{
			Level:          qrterminal.L,
			Writer:         &b,
			HalfBlocks:     true,
			BlackChar:      glyphs.BlackChar,
			WhiteBlackChar: glyphs.WhiteBlackChar,
			WhiteChar:      glyphs.WhiteChar,
			BlackWhiteChar: glyphs.BlackWhiteChar,
			QuietZone:      quiet,
		})
		code := strings.TrimRight(b.String(), "\n")
		if !darkBackground {
			code = lightPadding(code, glyphs)
		}
		if strings.Count(code, "\n")+1 <= maxRows {
			return code
		}
	}
	return ""
}

// lightPadding gives a code drawn for a light background a light half
// row where qrterminal pads it. A symbol and its quiet zone have an odd
// number of module rows, so one half of the first or the last line is
// padding, which qrterminal draws as dark modules: right on a dark
// terminal, where it is the ground, but on a light one a dark bar one
// module from the symbol, in the quiet zone a camera needs clear.
func lightPadding(code string, glyphs qrterminal.Config) string {
	lines := strings.Split(code, "\n")
	for _, i := range []int{0, len(lines) - 1} {
		first := []rune(lines[i])[0]
		if padded := strings.Trim(lines[i], string(first)) == ""; padded && (string(first) == glyphs.WhiteBlackChar || string(first) == glyphs.BlackWhiteChar) {
			lines[i] = strings.Repeat(glyphs.WhiteChar, len([]rune(lines[i])))
		}
	}
	return strings.Join(lines, "\n")
}
