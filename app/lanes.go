package app

import (
	"math"
)

// The stream lanes: one row per resource, time running right. A row shows
// the wait for the response (a thin line), the transfer (a bar in the
// resource's colour), the times its bytes were held back, hatched by cause,
// and a completion mark; on the right, how much of its stream had reached
// the client's transport (hatched) and been delivered to the application
// (solid: over TLS once its record is whole, and from the first byte on) at
// the scrub time.

// Lane geometry, in CSS pixels.
const (
	laneLabelW    = 96
	laneProgressW = 54
	laneTop       = 22
	laneBottom    = 6
)

// lanesHeight is the canvas height that fits rows rows.
func lanesHeight(rows int) int { return laneTop + laneBottom + max(rows, 1)*14 }

// laneGeom is the lanes' layout on a canvas of a given size.
type laneGeom struct {
	x0, x1, rowH, bottom float64
	ax                   timeAxis
	ok                   bool
}

func lanesGeometry(w, h float64, rows int, span int64) laneGeom {
	g := laneGeom{x0: laneLabelW, x1: w - laneProgressW - 6}
	if g.x1-g.x0 < 60 || rows == 0 {
		return g
	}
	g.ok = true
	g.rowH = math.Min(16, math.Max(6, (h-laneTop-laneBottom)/float64(rows)))
	g.ax = timeAxis{t0: 0, t1: max(span, 1), p0: g.x0, p1: g.x1}
	g.bottom = laneTop + g.rowH*float64(rows)
	return g
}

// plotLanes records v's lanes at time t on c, with a time axis from 0 to
// span (shared by the runs shown side by side): the whole run, then, on
// top, the scrub time's overlay. The page draws the two on two stacked
// canvases, so that scrubbing redraws only the overlay.
func plotLanes(c *Canvas, v *runView, t, span int64, lang Lang) {
	plotLanesBase(c, v, span, lang)
	plotLanesOverlay(c, v, t, span, false)
}

// plotLanesBase records the lanes of the whole run.
func plotLanesBase(c *Canvas, v *runView, span int64, lang Lang) {
	c.Clear()
	g := lanesGeometry(c.W, c.H, len(v.rows), span)
	if !g.ok {
		return
	}
	t := v.end
	rowH, ax, bottom := g.rowH, g.ax, g.bottom

	c.Font(tinyFont)
	c.FillStyle(colorAxis)
	c.StrokeStyle(colorGrid)
	c.LineWidth(1)
	// The progress column's heading (its legend entry says more); a time
	// label that would run into it is left out, its grid line kept.
	head := lang.T("lanes.progress")
	headX := c.W - laneProgressW + (laneProgressW-7)/2
	headLeft := headX - tinyTextWidth(head)/2
	var grid []float64
	ax.ticks(6, func(x float64, label string) {
		x = math.Round(x) + 0.5
		grid = append(grid, x, laneTop-2, x, bottom)
		if x+tinyTextWidth(label)/2 < headLeft-4 {
			c.Text(label, x, laneTop-4, AlignCenter, BaselineBottom)
		}
	})
	c.Lines(grid)
	c.Text(head, headX, laneTop-4, AlignCenter, BaselineBottom)

	font := tinyFont
	if rowH >= 13 {
		font = smallFont
	}
	var waits []float64
	var ticks []float64
	for i := range v.rows {
		r := &v.rows[i]
		y := laneTop + rowH*float64(i)
		mid := y + rowH/2
		h := math.Max(rowH-4, 3)

		// Label and colour key.
		c.FillStyle(streamColor(v.hue(i)))
		c.FillRect(2, y+2, 6, h)
		c.Font(font)
		c.FillStyle(colorInk)
		c.Text(ellipsize(r.label, 15), 12, mid, AlignLeft, BaselineMiddle)

		if r.discovered < 0 || r.discovered > t {
			continue
		}
		if r.cache == "fresh" {
			c.FillStyle(colorAxis)
			c.Text(lang.T("sum.cached"), ax.pos(r.discovered)+3, mid, AlignLeft, BaselineMiddle)
			continue
		}
		// Waiting for the response.
		if r.sent >= 0 && r.sent <= t {
			end := t
			if r.firstByte >= 0 {
				end = min(end, r.firstByte)
			}
			waits = append(waits, ax.pos(r.sent), mid, ax.pos(end), mid)
		}
		// The transfer.
		if r.firstByte >= 0 && r.firstByte <= t {
			end := t
			if r.done >= 0 {
				end = min(end, r.done)
			}
			xa, xb := ax.pos(r.firstByte), ax.pos(end)
			c.FillStyle(streamLight[v.hue(i)%len(streamLight)])
			c.FillRect(xa, y+2, math.Max(xb-xa, 1.5), h)
		}
		// Head-of-line blocking, by cause, in three passes: the white
		// grounds, then every cause's hatch, then the labels, so that
		// waits of two causes that overlap cross-hatch, each visible
		// (each cause has its own hatch direction), where the later one's
		// ground covered the earlier one. A wait shorter than a pixel
		// still shows, as a tick, as the legend names its cause
		// (lanesLegendFor).
		waitX := func(s holSpan) (xa, xb float64) {
			xa, xb = ax.pos(s.from), ax.pos(min(s.to, t))
			return xa, math.Max(xb, xa+1.5)
		}
		c.FillStyle("#ffffffcc")
		for _, s := range r.hol {
			if s.from > t {
				break
			}
			xa, xb := waitX(s)
			c.FillRect(xa, y+1, xb-xa, rowH-2)
		}
		c.LineWidth(1.2)
		for _, s := range r.hol {
			if s.from > t {
				break
			}
			xa, xb := waitX(s)
			st := holStyleOf(s.cause.String())
			c.StrokeStyle(st.color)
			c.HatchRect(xa, y+1, xb-xa, rowH-2, 4, st.hatch)
			c.StrokeRect(xa+0.5, y+1.5, xb-xa-1, rowH-3)
		}
		for _, s := range r.hol {
			if s.from > t {
				break
			}
			xa, xb := waitX(s)
			st := holStyleOf(s.cause.String())
			// A white chip outlined in the cause's colour (white text on
			// the colours fell below 4.5:1, 3.06 on QPACK's), as wide as
			// its label ("own loss" ran past a fixed 44 px).
			label := lang.T(st.key)
			if w := tinyTextWidth(label) + 6; xb-xa > w+2 && rowH >= 11 {
				xm := xa + (xb-xa)/2
				c.Font(tinyFont)
				c.StrokeStyle(st.color)
				c.FillStyle(colorWhite)
				c.FillRect(xm-w/2, mid-5, w, 10)
				c.StrokeRect(xm-w/2+0.5, mid-4.5, w-1, 9)
				c.FillStyle(colorInk)
				c.Text(label, xm, mid, AlignCenter, BaselineMiddle)
			}
		}
		// Completion.
		if r.done >= 0 && r.done <= t {
			x := math.Round(ax.pos(r.done)) + 0.5
			ticks = append(ticks, x, y+1, x, y+rowH-1)
			c.FillStyle(colorInk)
			c.FillPoly([]float64{x, mid, x + 5, mid - 4, x + 5, mid + 4})
		}
	}
	c.StrokeStyle(colorAxis)
	c.LineWidth(1)
	c.Dash(2, 2)
	c.Lines(waits)
	c.Dash()
	c.StrokeStyle(colorInk)
	c.LineWidth(1.5)
	c.Lines(ticks)
}

// plotLanesOverlay records what changes with the scrub time: a veil over
// the future, the scrub time, and each stream's progress at t: delivered
// in order (solid) and arrived at the transport (hatched). clear says
// whether to clear the canvas first (a canvas of its own).
func plotLanesOverlay(c *Canvas, v *runView, t, span int64, clear bool) {
	if clear {
		c.Clear()
	}
	g := lanesGeometry(c.W, c.H, len(v.rows), span)
	if !g.ok {
		return
	}
	xt := math.Round(g.ax.pos(t)) + 0.5
	if xt < g.x1 {
		c.FillStyle("#ffffffc0")
		c.FillRect(xt, laneTop-2, g.x1+3-xt, g.bottom-laneTop+2)
	}
	c.StrokeStyle(colorCursor)
	c.LineWidth(1)
	c.Lines([]float64{xt, laneTop - 2, xt, g.bottom})
	for i := range v.rows {
		r := &v.rows[i]
		y := laneTop + g.rowH*float64(i)
		h := math.Max(g.rowH-4, 3)
		// Progress at t: delivered (solid) and arrived (hatched).
		if r.total > 0 {
			px := c.W - laneProgressW
			arr, del := r.arrived.value(t), r.delivered.value(t)
			fa := math.Min(float64(arr)/float64(r.total), 1)
			fd := math.Min(float64(del)/float64(r.total), 1)
			c.StrokeStyle(colorGrid)
			c.LineWidth(1)
			c.StrokeRect(px+0.5, y+2.5, laneProgressW-7, h-1)
			c.FillStyle(streamColor(v.hue(i)))
			c.FillRect(px+1, y+3, (laneProgressW-8)*fd, h-2)
			if fa > fd {
				c.StrokeStyle(streamColor(v.hue(i)))
				c.HatchRect(px+1+(laneProgressW-8)*fd, y+3, (laneProgressW-8)*(fa-fd), h-2, 3, HatchDiagonal)
			}
		}
	}
}

// ellipsize cuts s to n runes with an ellipsis.
func ellipsize(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
