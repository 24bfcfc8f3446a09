package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles are named for their role, not their colour. Colours adapt to a
// light or dark background; under NO_COLOR Bubble Tea drops them and the
// text stays readable because no meaning rests on colour alone (every
// status also has its symbol).
type Styles struct {
	Title    lipgloss.Style
	Subtle   lipgloss.Style
	Body     lipgloss.Style
	Done     lipgloss.Style
	Fail     lipgloss.Style
	Warn     lipgloss.Style
	Secret   lipgloss.Style
	Code     lipgloss.Style
	Panel    lipgloss.Style
	Error    lipgloss.Style
	Practice lipgloss.Style
	Key      lipgloss.Style
	// Changed marks what changed since the last refresh of --watch.
	Changed lipgloss.Style
	// QR pins the code's colours whatever the terminal's, so phones read
	// it the right way round; see renderQR for the glyphs that match.
	QR lipgloss.Style
	// Dark says the styles are for a dark background.
	Dark bool
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(dark bool) Styles {
	ld := lipgloss.LightDark(dark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B9A6FF"))
	subtle := ld(lipgloss.Color("#666666"), lipgloss.Color("#9A9A9A"))
	ok := ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#4AC26B"))
	bad := ld(lipgloss.Color("#CF222E"), lipgloss.Color("#FF7B72"))
	warn := ld(lipgloss.Color("#9A6700"), lipgloss.Color("#E3B341"))
	border := func(c color.Color) lipgloss.Style {
		return lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(c).Padding(0, 1)
	}
	return Styles{
		Title:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Subtle:   lipgloss.NewStyle().Foreground(subtle),
		Body:     lipgloss.NewStyle(),
		Done:     lipgloss.NewStyle().Foreground(ok),
		Fail:     lipgloss.NewStyle().Foreground(bad),
		Warn:     lipgloss.NewStyle().Foreground(warn),
		Secret:   lipgloss.NewStyle().Bold(true),
		Code:     lipgloss.NewStyle().Foreground(accent),
		Panel:    border(subtle),
		Error:    border(bad),
		Practice: lipgloss.NewStyle().Bold(true).Reverse(true).Padding(0, 1),
		Key:      lipgloss.NewStyle().Bold(true),
		Changed:  lipgloss.NewStyle().Bold(true).Reverse(true),
		QR:       qrStyle(dark),
		Dark:     dark,
	}
}

// qrStyle pins the glyphs' ink to the colour renderQR draws with it:
// light ink on black on a dark terminal, black ink on white on a light one.
func qrStyle(dark bool) lipgloss.Style {
	if dark {
		return lipgloss.NewStyle().Foreground(lipgloss.Color("#FFFFFF")).Background(lipgloss.Color("#000000"))
	}
	return lipgloss.NewStyle().Foreground(lipgloss.Color("#000000")).Background(lipgloss.Color("#FFFFFF"))
}
