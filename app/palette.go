package app

import (
	"math"
	"strconv"
)

// Colours of the views. Streams take the Okabe–Ito palette (Okabe and Ito,
// "Color Universal Design", 2008), whose colours stay distinct under the
// common forms of colour blindness; 30 resources outnumber its colours, so
// they repeat (the lanes name each row). Losses are vermillion and also
// marked with crosses and dashes (the ladder's only dashed lines: turns
// through the palette once had dash patterns too, which read as losses),
// and head-of-line blocking with hatching, so no state is told by colour
// alone.
const (
	colorInk       = "#1b1f24"
	colorAxis      = "#5b6470"
	colorGrid      = "#e5e8eb"
	colorControl   = "#686868" // ACKs and connection control: a grey no stream colour turns into under colour blindness
	colorHandshake = "#1b1f24"
	colorLost      = "#D55E00" // vermillion
	colorHole      = "#D55E00"
	colorCursor    = "#1b1f24"
	colorCwnd      = "#0072B2" // blue
	colorInFlight  = "#E69F00" // orange
	colorSsthresh  = "#009E73" // bluish green
	colorSRTT      = "#CC79A7" // reddish purple
	colorSample    = "#5b6470"
	colorDelivered = "#c9ced4"
	colorWhite     = "#ffffff"

	chartFont = "12px system-ui, sans-serif"
	smallFont = "11px system-ui, sans-serif"
	tinyFont  = "10px system-ui, sans-serif"
)

// streamColors are the colours of streams, by lane row.
var streamColors = [...]string{"#E69F00", "#56B4E9", "#009E73", "#0072B2", "#CC79A7"}

// streamText are the colours of text on boxes filled with streamColors:
// ink, or white where ink falls below WCAG's 4.5:1 (palette_test.go).
var streamText = [...]string{colorInk, colorInk, colorInk, colorWhite, colorInk}

// streamLight are the same colours, translucent, for filled bars.
var streamLight = [...]string{"#E69F0066", "#56B4E966", "#009E7366", "#0072B266", "#CC79A766"}

// streamColor returns the colour of hue h (runView.hue; -1: no resource).
func streamColor(h int) string {
	if h < 0 {
		return colorControl
	}
	return streamColors[h%len(streamColors)]
}

// streamInk returns the colour of text on a box of streamColor(h).
func streamInk(h int) string {
	if h < 0 {
		return colorWhite // on colorControl
	}
	return streamText[h%len(streamText)]
}

// holStyle is how a head-of-line cause is drawn: a colour and a hatch.
type holStyle struct {
	color string
	hatch Hatch
	key   string // message key of its short label
}

// holStyles by cause (trace.HOLBlocked's Name).
var holStyles = map[string]holStyle{
	"transport": {colorLost, HatchDiagonal, "hol.transport"},
	"loss":      {"#1b1f24", HatchBackward, "hol.loss"},
	"http":      {"#0072B2", HatchHorizontal, "hol.http"},
	"qpack":     {"#CC79A7", HatchVertical, "hol.qpack"},
	"handshake": {"#009E73", HatchCross, "hol.handshake"},
}

func holStyleOf(cause string) holStyle {
	if s, ok := holStyles[cause]; ok {
		return s
	}
	return holStyle{colorAxis, HatchDiagonal, cause}
}

// timeAxis maps simulated time onto a horizontal or vertical pixel range.
type timeAxis struct {
	t0, t1 int64   // the times at the two ends
	p0, p1 float64 // their pixel positions
}

func (a timeAxis) pos(t int64) float64 {
	if a.t1 == a.t0 {
		return a.p0
	}
	return a.p0 + float64(t-a.t0)/float64(a.t1-a.t0)*(a.p1-a.p0)
}

// ticks calls fn for each tick of a 1-2-5 series over the axis, with its
// label in the unit the span calls for: about n ticks, fewer where the
// axis is too short to give n labels minTickGap each.
func (a timeAxis) ticks(n int, fn func(p float64, label string)) {
	span := a.t1 - a.t0
	if span <= 0 {
		return
	}
	unit, name := timeUnit(a.t1)
	// Side by side, three narrow views crowded six labels: take the most
	// ticks, up to n, that leave each label its room, but at least two.
	units := float64(span) / unit
	perUnit := math.Abs(a.p1-a.p0) / units
	step, _ := niceAxis(units, n)
	for k := n - 1; k >= 2 && step*perUnit < minTickGap; k-- {
		s, _ := niceAxis(units, k)
		if s > units {
			break
		}
		step = s
	}
	first := math.Ceil(float64(a.t0)/unit/step-1e-9) * step
	for v := first; v*unit <= float64(a.t1)+1; v += step {
		fn(a.pos(int64(v*unit)), formatTick(v, step)+name)
	}
}

// minTickGap is the least room, in CSS pixels, an axis gives each tick
// label ("2.5s", "400ms" in the tiny font).
const minTickGap = 40.0

// formatTime prints a time in milliseconds (or seconds past 10 s), e.g.
// "523.4 ms".
func formatTime(ns int64) string {
	if ns < 0 {
		return "–"
	}
	if ns >= 10e9 {
		return formatSeconds(ns)
	}
	return strconv.FormatFloat(float64(ns)/1e6, 'f', 1, 64) + " ms"
}

// formatSeconds prints a duration in seconds, e.g. "10.21 s".
func formatSeconds(ns int64) string {
	return strconv.FormatFloat(float64(ns)/1e9, 'f', 2, 64) + " s"
}

// formatBytes prints a byte count with a binary-free unit, e.g. "12.3 kB".
func formatBytes(n int64) string {
	switch {
	case n >= 10_000_000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
	case n >= 1_000_000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 2, 64) + " MB"
	case n >= 10_000:
		return strconv.FormatFloat(float64(n)/1e3, 'f', 1, 64) + " kB"
	case n >= 1000:
		return strconv.FormatFloat(float64(n)/1e3, 'f', 2, 64) + " kB"
	}
	return strconv.FormatInt(n, 10) + " B"
}
