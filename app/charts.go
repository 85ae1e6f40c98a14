package app

import (
	"math"
	"sort"
)

// The congestion-control charts: the server's congestion window (summed
// over its connections), bytes in flight and, with one connection, the
// slow-start threshold; below, each connection's smoothed RTT and RTT
// samples. Loss detections tick the top edge; a line marks the scrub time.

// chartsHeight is the charts canvas's height.
const chartsHeight = 300

// chartGeom is the charts' layout: the window chart above (y0a at its
// bottom, y1a at its top), the RTT chart below.
type chartGeom struct {
	ax                 timeAxis
	y0a, y1a, y0b, y1b float64
	ok                 bool
}

const chartLeft, chartRight, chartTop, chartGap, chartBottom = 56.0, 14.0, 16.0, 30.0, 24.0

func chartsGeometry(w, h float64, span int64) chartGeom {
	if w-chartLeft-chartRight < 60 || h-chartTop-chartGap-chartBottom < 60 {
		return chartGeom{}
	}
	h1 := (h - chartTop - chartGap - chartBottom) * 0.62
	return chartGeom{
		ax:  timeAxis{t0: 0, t1: max(span, 1), p0: chartLeft, p1: w - chartRight},
		y0a: chartTop + h1, y1a: chartTop,
		y0b: h - chartBottom, y1b: chartTop + h1 + chartGap,
		ok: true,
	}
}

// chartScale is the largest window (or flight, or threshold) and the
// largest RTT in the charts of the runs shown side by side: their axes
// share it, so that heights compare across runs as the ladder's times do.
type chartScale struct{ bytes, rtt int64 }

func chartScaleOf(views []*runView) chartScale {
	var sc chartScale
	for _, v := range views {
		sc.bytes = max(sc.bytes, v.series.MaxY())
		sc.rtt = max(sc.rtt, v.series.MaxRTT())
	}
	return sc
}

// plotCharts records v's charts on c, time from 0 to span and values up to
// sc, at time t: the whole run, then the scrub time's overlay (drawn on a
// canvas of its own by the page).
func plotCharts(c *Canvas, v *runView, t, span int64, sc chartScale, lang Lang) {
	plotChartsBase(c, v, span, sc, lang)
	plotChartsOverlay(c, v, t, span, lang, false)
}

// plotChartsBase records the charts of the whole run, on axes up to sc
// (chartScaleOf of the runs shown, v among them).
func plotChartsBase(c *Canvas, v *runView, span int64, sc chartScale, lang Lang) {
	c.Clear()
	g := chartsGeometry(c.W, c.H, span)
	if !g.ok {
		return
	}
	const left, right = chartLeft, chartRight
	s := &v.series
	if s.Len() == 0 {
		// A run that ends before the server's first sample (QUIC's
		// 0-RTT lesson on a quiet path) has nothing to draw: axes
		// scaled to nothing read "0.0010 kB".
		c.Font(chartFont)
		c.FillStyle(colorAxis)
		c.Text(lang.T("charts.none"), c.W/2, c.H/2, AlignCenter, BaselineMiddle)
		return
	}
	ax := g.ax
	y0a, y1a, y0b, y1b := g.y0a, g.y1a, g.y0b, g.y1b

	// Axes and grids.
	c.Font(tinyFont)
	c.LineWidth(1)
	var grid []float64
	ax.ticks(6, func(x float64, label string) {
		x = math.Round(x) + 0.5
		grid = append(grid, x, y1a, x, y0a, x, y1b, x, y0b)
		c.FillStyle(colorAxis)
		c.Text(label, x, y0b+4, AlignCenter, BaselineTop)
	})
	kbStep, kbMax := niceAxis(float64(max(sc.bytes, 1))/1000, 4)
	yKB := func(b int64) float64 { return y0a - float64(b)/1000/kbMax*(y0a-y1a) }
	for i := 0; float64(i)*kbStep <= kbMax+kbStep/2; i++ {
		v := float64(i) * kbStep
		y := math.Round(y0a-v/kbMax*(y0a-y1a)) + 0.5
		grid = append(grid, left, y, c.W-right, y)
		c.FillStyle(colorAxis)
		c.Text(formatTick(v, kbStep)+" kB", left-4, y, AlignRight, BaselineMiddle)
	}
	// Without a sample in any run the RTT axis spans a millisecond, not
	// a nanosecond.
	msStep, msMax := niceAxis(float64(max(sc.rtt, 1e6))/1e6, 3)
	yMS := func(ns int64) float64 { return y0b - float64(ns)/1e6/msMax*(y0b-y1b) }
	for i := 0; float64(i)*msStep <= msMax+msStep/2; i++ {
		v := float64(i) * msStep
		y := math.Round(y0b-v/msMax*(y0b-y1b)) + 0.5
		grid = append(grid, left, y, c.W-right, y)
		c.FillStyle(colorAxis)
		c.Text(formatTick(v, msStep)+" ms", left-4, y, AlignRight, BaselineMiddle)
	}
	c.StrokeStyle(colorGrid)
	c.Lines(grid)
	// The upper chart's title is the overlay's line of values at the scrub
	// time, which names both series (plotChartsOverlay).
	c.Font(smallFont)
	c.FillStyle(colorInk)
	c.Text("RTT", left, y1b-3, AlignLeft, BaselineBottom)

	xEnd := ax.pos(s.End)
	xOf := ax.pos

	// Losses along the top.
	if len(s.Losses) > 0 {
		var ticks []float64
		last := math.Inf(-1)
		for _, lt := range s.Losses {
			x := math.Round(xOf(lt)) + 0.5
			if x == last {
				continue
			}
			last = x
			ticks = append(ticks, x, y1a, x, y1a+7)
		}
		c.StrokeStyle(colorLost)
		c.LineWidth(1.5)
		c.Lines(ticks)
	}

	c.StrokeStyle(colorInFlight)
	c.LineWidth(1)
	c.Polyline(stepPath(s.At, s.InFlight, xOf, yKB, xEnd))
	c.StrokeStyle(colorCwnd)
	c.LineWidth(2)
	c.Polyline(stepPath(s.At, s.Cwnd, xOf, yKB, xEnd))
	if s.Ssthresh != nil {
		first := -1
		for i, v := range s.Ssthresh {
			if v > 0 {
				first = i
				break
			}
		}
		if first >= 0 {
			c.StrokeStyle(colorSsthresh)
			c.LineWidth(1.5)
			c.Dash(6, 4)
			c.Polyline(stepPath(s.At[first:], s.Ssthresh[first:], xOf, yKB, xEnd))
			c.Dash()
		}
	}

	// RTT: samples as dots, the smoothed estimate as a line per
	// connection.
	c.FillStyle(colorSample)
	for _, r := range s.RTT {
		for i := range r.SampleAt {
			c.FillRect(xOf(r.SampleAt[i])-1, yMS(r.Sample[i])-1, 2, 2)
		}
	}
	c.StrokeStyle(colorSRTT)
	c.LineWidth(1.5)
	for _, r := range s.RTT {
		if len(r.At) > 0 {
			c.Polyline(stepPath(r.At, r.SRTT, xOf, yMS, xEnd))
		}
	}

}

// plotChartsOverlay records the scrub time and the values there.
func plotChartsOverlay(c *Canvas, v *runView, t, span int64, lang Lang, clear bool) {
	if clear {
		c.Clear()
	}
	g := chartsGeometry(c.W, c.H, span)
	if !g.ok || v.series.Len() == 0 {
		return
	}
	x := math.Round(g.ax.pos(t)) + 0.5
	c.StrokeStyle(colorCursor)
	c.LineWidth(1)
	c.Lines([]float64{x, g.y1a, x, g.y0a, x, g.y1b, x, g.y0b})
	s := &v.series
	i := sort.Search(len(s.At), func(i int) bool { return s.At[i] > t }) - 1
	if i < 0 {
		return
	}
	text := lang.T("legend.cwnd") + " " + formatBytes(s.Cwnd[i]) + " · " + lang.T("legend.inflight") + " " + formatBytes(s.InFlight[i])
	if textWidthAt(text, 11) > c.W-chartRight-4 {
		// A narrow chart (several side by side): the short names, or
		// the text ran off its left edge ("ngestion window 13.5 kB").
		text = lang.T("legend.cwnd.short") + " " + formatBytes(s.Cwnd[i]) + " · " + lang.T("legend.inflight.short") + " " + formatBytes(s.InFlight[i])
	}
	c.Font(smallFont)
	c.FillStyle(colorInk)
	c.HaloText(text, c.W-chartRight, g.y1a-3, AlignRight, BaselineBottom)
}

// plotScrubMarks records the marks under the timeline's scrubber: each run's
// losses (vermillion ticks) and page loads (black triangles labelled with
// the protocol), over time 0 to span.
func plotScrubMarks(c *Canvas, views []*runView, span int64, lang Lang, pad float64) {
	c.Clear()
	if c.W < 2*pad+20 {
		return
	}
	ax := timeAxis{t0: 0, t1: max(span, 1), p0: pad, p1: c.W - pad}
	rowH := math.Max(8, (c.H-4)/float64(max(len(views), 1)))
	for i, v := range views {
		y := 2 + float64(i)*rowH
		var ticks []float64
		last := math.Inf(-1)
		for _, lt := range v.losses {
			x := math.Round(ax.pos(lt)) + 0.5
			if x == last {
				continue
			}
			last = x
			ticks = append(ticks, x, y, x, y+rowH-2)
		}
		c.StrokeStyle(colorLost)
		c.LineWidth(1.5)
		c.Lines(ticks)
		if v.plt >= 0 {
			x := ax.pos(v.plt)
			c.FillStyle(colorInk)
			c.FillPoly([]float64{x, y + rowH - 2, x - 4, y, x + 4, y})
		}
	}
	// The labels go over every row's ticks, each on a halo: with many
	// runs (the loss sweep's eight) they cross the rows around them.
	c.Font(tinyFont)
	c.FillStyle(colorInk)
	for i, v := range views {
		if v.plt >= 0 {
			y := 2 + float64(i)*rowH
			x, name := ax.pos(v.plt), v.names[lang]
			if x-6-tinyTextWidth(name) < 0 {
				// No room on the left of the mark (an early load on a
				// narrow page cut "No loss" to "lo loss"): on its right.
				c.HaloText(name, x+6, y+rowH/2-1, AlignLeft, BaselineMiddle)
				continue
			}
			c.HaloText(name, x-6, y+rowH/2-1, AlignRight, BaselineMiddle)
		}
	}
}

// tinyTextWidth estimates the width of s in tinyFont, in CSS pixels: the
// drawing happens in JavaScript, so Go cannot measure it. It errs wide:
// 6 px a Latin character, 11 a CJK one.
func tinyTextWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 11
		} else {
			w += 6
		}
	}
	return w
}
