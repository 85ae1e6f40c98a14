package app

import (
	"strconv"
	"strings"
)

// A figure carries the legend the page shows above its panel: a slide of
// the ladder without it leaves a student guessing what a cross, a thick
// line or a hatch means. Like the rest of the figure it is drawn on the
// figure's canvas and written by svg.go, never by the page.

// Layout of a legend, after the page's stylesheet (.hs-legend, .hs-swatch).
const (
	legendPx      = 13.0 // .hs-legend: font-size, var(--muted)
	legendLine    = 18.0 // 13 px at body's line-height 1.4
	legendSwatchW = 18.0 // .hs-swatch: width
	legendSwatchH = 10.0 // .hs-swatch: height
	legendSwatchM = 5.0  // .hs-swatch: margin-right
	legendGapX    = 14.0 // .hs-legend: column gap
	legendGapY    = 4.0  // .hs-legend: row gap
	legendBelow   = 6.0  // .hs-legend: margin-bottom
	legendFont    = "13px system-ui, sans-serif"
)

// panelLegend is the legend the page puts above panel (pagerender.go) for
// views.
func panelLegend(panel string, views []*runView) []legendItem {
	switch panel {
	case "ladder":
		return ladderLegendFor(views)
	case "lanes":
		return lanesLegendFor(views)
	case "buffers":
		return buffersLegend
	case "frames":
		return framesLegend
	case "charts":
		return chartsLegend
	}
	return nil
}

// ladderLegendFor is the ladder's legend for views: packets, ACKs and
// handshakes always, and losses, retransmissions and QUIC's packets
// discarded or kept for their keys where some run shown has them.
func ladderLegendFor(views []*runView) []legendItem {
	var marks ladderMark
	for _, v := range views {
		marks |= v.ladderMarks
	}
	return legendOf(ladderLegend, func(key string) bool {
		m := ladderMarkOf(key)
		return m == 0 || marks&m != 0
	})
}

// legendOf returns the items whose key shown says the runs have.
func legendOf(items []legendItem, shown func(key string) bool) []legendItem {
	out := make([]legendItem, 0, len(items))
	for _, it := range items {
		if shown(it.key) {
			out = append(out, it)
		}
	}
	return out
}

// ladderMarkOf is the mark a ladder legend entry explains, or 0 for one
// every run has.
func ladderMarkOf(key string) ladderMark {
	switch key {
	case "legend.lost":
		return markLost
	case "legend.discarded":
		return markDiscarded
	case "legend.held":
		return markHeld
	case "legend.rtx":
		return markRetransmit
	}
	return 0
}

// lanesLegendFor is the lanes' legend for views: the head-of-line causes
// among them are those some lane of theirs waited for. Causes a run cannot
// show (QPACK in an HTTP/2 lesson, HTTP/1.1's queue over HTTP/3) read as if
// the student should look for them.
func lanesLegendFor(views []*runView) []legendItem {
	var causes uint8
	for _, v := range views {
		causes |= v.holCauses
	}
	return legendOf(lanesLegend, func(key string) bool {
		cause, ok := strings.CutPrefix(key, "legend.hol.")
		return !ok || causes&(1<<holCauseOf(cause)) != 0
	})
}

// drawLegend lays items out from (x, y) in rows no wider than width, as
// the page's flex box wraps them, and returns the y below the legend. An
// item too wide for a row of its own wraps its label under itself.
func drawLegend(c *Canvas, items []legendItem, l Lang, x, y, width float64) float64 {
	c.Font(legendFont)
	at, rowH := x, legendLine
	for _, it := range items {
		label := l.T(it.key)
		lines := wrapText(label, legendPx, width-legendSwatchW-legendSwatchM)
		w := legendSwatchW + legendSwatchM + textWidthAt(label, legendPx)
		if len(lines) > 1 {
			w = width
		}
		if at > x && at+w > x+width {
			y += rowH + legendGapY
			at, rowH = x, legendLine
		}
		rowH = max(rowH, float64(len(lines))*legendLine)
		drawSwatch(c, it, at, y+(legendLine-legendSwatchH)/2)
		c.FillStyle(colorAxis)
		for k, s := range lines {
			c.Text(s, at+legendSwatchW+legendSwatchM, y+float64(k)*legendLine+legendLine/2, AlignLeft, BaselineMiddle)
		}
		at += w + legendGapX
	}
	return y + rowH + legendBelow
}

// swatchDashes is how far a "cross" swatch's dashes run before its ×, as
// .hs-swatch-cross draws them.
const swatchDashes = 11.0

// drawSwatch draws item's swatch, 18×10 px at (x, y), as the stylesheet
// draws .hs-swatch-<kind> in the item's colour.
func drawSwatch(c *Canvas, it legendItem, x, y float64) {
	w, h := legendSwatchW, legendSwatchH
	bar := func(th float64, on, off float64) { // a bar th px high, centred; dashed if off > 0
		by := y + (h-th)/2
		c.FillStyle(it.color)
		if off == 0 {
			c.FillRect(x, by, w, th)
			return
		}
		for bx := x; bx < x+w; bx += on + off {
			c.FillRect(bx, by, min(on, x+w-bx), th)
		}
	}
	outline := func(dash bool) { // a 2 px border inside the box, white inside
		c.FillStyle(colorWhite)
		c.FillRect(x, y, w, h)
		c.StrokeStyle(it.color)
		c.LineWidth(2)
		if dash {
			c.Dash(4, 2)
		}
		c.StrokeRect(x+1, y+1, w-2, h-2)
		if dash {
			c.Dash()
		}
	}
	switch it.kind {
	case "streams":
		sw := w / float64(len(streamColors))
		for i, col := range streamColors {
			c.FillStyle(col)
			c.FillRect(x+float64(i)*sw, y, sw, h)
		}
	case "fill":
		c.FillStyle(it.color)
		c.FillRect(x, y, w, h)
	case "outline":
		outline(false)
	case "dashoutline":
		outline(true)
	case "line":
		bar(3, 0, 0)
	case "thick":
		bar(5, 0, 0)
	case "dash":
		bar(3, 5, 3)
	case "cross": // a lost packet's dashes, ending in its ×
		c.FillStyle(it.color)
		for bx := x; bx < x+swatchDashes; bx += 7 {
			c.FillRect(bx, y+(h-3)/2, min(4, x+swatchDashes-bx), 3)
		}
		c.StrokeStyle(it.color)
		c.LineWidth(2)
		c.Lines([]float64{x + w - 9, y + 1, x + w - 1, y + h - 1, x + w - 9, y + h - 1, x + w - 1, y + 1})
	case "rtx": // a retransmission: a thick line from an ink dot
		bar(5, 0, 0)
		c.FillStyle(colorInk)
		c.FillCircle(x+h/2, y+h/2, h/2-0.5)
	default: // the hatches: a 1 px border round lines 4 px apart
		c.StrokeStyle(it.color)
		c.LineWidth(1)
		c.StrokeRect(x+0.5, y+0.5, w-1, h-1)
		c.LineWidth(1.5)
		c.HatchRect(x+1, y+1, w-2, h-2, 4, swatchHatch(it.kind))
	}
}

// streamsSwatchCSS is the page's "streams" swatch, the stripes drawSwatch
// draws: every stream colour, left to right, in equal parts.
var streamsSwatchCSS = func() string {
	s := "linear-gradient(90deg"
	for i, col := range streamColors {
		a, b := 100*i/len(streamColors), 100*(i+1)/len(streamColors)
		s += ", " + col + " " + strconv.Itoa(a) + "% " + strconv.Itoa(b) + "%"
	}
	return s + ")"
}()

// swatchHatch is the canvas pattern of a hatched swatch kind; the
// stylesheet's gradients draw the same directions.
func swatchHatch(kind string) Hatch {
	switch kind {
	case "hatchb":
		return HatchBackward
	case "hatchh":
		return HatchHorizontal
	case "hatchv":
		return HatchVertical
	case "hatchx":
		return HatchCross
	}
	return HatchDiagonal
}

// textWidthAt estimates the width of s in a px-pixel font, erring wide
// (tinyTextWidth, scaled).
func textWidthAt(s string, px float64) float64 { return tinyTextWidth(s) * px / 10 }
