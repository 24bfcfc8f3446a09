package ui

import (
	"strings"

	"github.com/mdp/qrterminal/v3"
)

// renderQR draws text as a QR code in half blocks (two modules a row), so
// an otpauth URI fits an 80×24 terminal. It uses the widest quiet zone
// (up to the standard's 4 modules) that still fits in maxRows, and
// returns "" if even a 1-module quiet zone does not fit.
func renderQR(text string, maxRows int) string {
	for quiet := 4; quiet >= 1; quiet-- {
		var b strings.Builder
		qrterminal.GenerateWithConfig(text, qrterminal.Config{
			Level:          qrterminal.L,
			Writer:         &b,
			HalfBlocks:     true,
			BlackChar:      qrterminal.BLACK_BLACK,
			WhiteBlackChar: qrterminal.WHITE_BLACK,
			WhiteChar:      qrterminal.WHITE_WHITE,
			BlackWhiteChar: qrterminal.BLACK_WHITE,
			QuietZone:      quiet,
		})
		code := strings.TrimRight(b.String(), "\n")
		if strings.Count(code, "\n")+1 <= maxRows {
			return code
		}
	}
	return ""
}
