package app

import (
	"math"
	"strconv"
)

// Colours and fonts of the charts, matching static/httpsim.css.
const (
	colorCwnd     = "#1d3557"
	colorSsthresh = "#f4a261"
	colorLoss     = "#e63946"
	colorGrid     = "#e5e8eb"
	colorAxis     = "#5b6470"
	chartFont     = "12px system-ui, sans-serif"
)

// Chart margins in CSS pixels: room for tick labels on the left and bottom.
const (
	marginLeft   = 56
	marginRight  = 22
	marginTop    = 24
	marginBottom = 34
)

// plotCwnd records the congestion-window chart of s on c, which Reset has
// sized: a step line for cwnd, a dashed step line over it for ssthresh once it
// is set,
// red ticks along the top where the sender declared a loss, and labelled axes.
// However long the run, it emits a bounded number of points: samples that
// fall in the same half-pixel column collapse to their range.
func plotCwnd(c *Canvas, s *cwndSeries) {
	c.Clear()
	x0, y0 := float64(marginLeft), c.H-marginBottom // origin
	x1, y1 := c.W-marginRight, float64(marginTop)   // far corner
	if x1-x0 < 20 || y0-y1 < 20 {
		return // too small to say anything
	}

	end := max(s.End, 1)
	unit, unitName := timeUnit(end)
	xStep, xMax := niceAxis(float64(end)/unit, 8)
	yStep, yMax := niceAxis(float64(max(s.MaxY(), 1))/1000, 6) // kB
	xOf := func(ns int64) float64 { return x0 + (float64(ns)/unit)/xMax*(x1-x0) }
	yOf := func(b int64) float64 { return y0 - (float64(b)/1000)/yMax*(y0-y1) }

	// Grid and tick labels.
	c.Font(chartFont)
	c.FillStyle(colorAxis)
	c.StrokeStyle(colorGrid)
	c.LineWidth(1)
	var grid []float64
	for i := 0; float64(i)*xStep <= xMax+xStep/2; i++ {
		v := float64(i) * xStep
		x := math.Round(x0+v/xMax*(x1-x0)) + 0.5
		grid = append(grid, x, y1, x, y0)
		c.Text(formatTick(v, xStep), x, y0+6, AlignCenter, BaselineTop)
	}
	for i := 0; float64(i)*yStep <= yMax+yStep/2; i++ {
		v := float64(i) * yStep
		y := math.Round(y0-v/yMax*(y0-y1)) + 0.5
		grid = append(grid, x0, y, x1, y)
		c.Text(formatTick(v, yStep), x0-6, y, AlignRight, BaselineMiddle)
	}
	c.Lines(grid)
	c.Text("time ("+unitName+")", (x0+x1)/2, c.H-2, AlignCenter, BaselineBottom)
	c.Text("kB", x0-6, y1-10, AlignRight, BaselineBottom)

	// Axes.
	c.StrokeStyle(colorAxis)
	c.Polyline([]float64{x0, y1, x0, y0, x1, y0})

	if s.Len() == 0 {
		c.Text("no congestion-window samples", (x0+x1)/2, (y0+y1)/2, AlignCenter, BaselineMiddle)
		return
	}

	// Loss detections: short red ticks along the top edge.
	if len(s.Losses) > 0 {
		var ticks []float64
		last := math.Inf(-1)
		for _, t := range s.Losses {
			x := math.Round(xOf(t)) + 0.5
			if x == last {
				continue
			}
			last = x
			ticks = append(ticks, x, y1, x, y1+8)
		}
		c.StrokeStyle(colorLoss)
		c.LineWidth(1.5)
		c.Lines(ticks)
	}

	c.StrokeStyle(colorCwnd)
	c.LineWidth(2)
	c.Polyline(stepPath(s.At, s.Cwnd, xOf, yOf, xOf(end)))

	// ssthresh, dashed, from its first setting on; drawn over cwnd, which
	// equals it after every loss.
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
		c.Polyline(stepPath(s.At[first:], s.Ssthresh[first:], xOf, yOf, xOf(end)))
		c.Dash()
	}
}

// stepPath returns the vertices of a step line through the samples (each
// value holds until the next sample, the last one until xEnd), with the
// samples that fall in one half-pixel column collapsed to at most four
// vertices: entry, minimum, maximum, exit.
func stepPath(at, v []int64, xOf, yOf func(int64) float64, xEnd float64) []float64 {
	var sq columnSqueezer
	prevY := 0.0
	for i := range at {
		x, y := xOf(at[i]), yOf(v[i])
		if i > 0 {
			sq.add(x, prevY)
		}
		sq.add(x, y)
		prevY = y
	}
	if len(at) > 0 {
		sq.add(xEnd, prevY)
	}
	return sq.finish()
}

// columnSqueezer collects polyline vertices, merging consecutive vertices in
// the same half-pixel column.
type columnSqueezer struct {
	out                      []float64
	has                      bool
	bin                      int64
	x, first, lo, hi, latest float64
}

func (q *columnSqueezer) add(x, y float64) {
	bin := int64(math.Floor(x * 2))
	if q.has && bin == q.bin {
		q.lo = min(q.lo, y)
		q.hi = max(q.hi, y)
		q.latest = y
		return
	}
	q.flush()
	q.has, q.bin = true, bin
	q.x, q.first, q.lo, q.hi, q.latest = x, y, y, y, y
}

func (q *columnSqueezer) flush() {
	if !q.has {
		return
	}
	q.out = append(q.out, q.x, q.first)
	// Visit the column's range in the direction that ends nearest the exit.
	a, b := q.lo, q.hi
	if math.Abs(q.latest-a) < math.Abs(q.latest-b) {
		a, b = b, a
	}
	for _, y := range [...]float64{a, b, q.latest} {
		if n := len(q.out); q.out[n-1] != y {
			q.out = append(q.out, q.x, y)
		}
	}
}

func (q *columnSqueezer) finish() []float64 {
	q.flush()
	q.has = false
	return q.out
}

// timeUnit picks the time axis unit for a run of end nanoseconds: ms for runs
// under two seconds, s otherwise. It returns nanoseconds per unit.
func timeUnit(end int64) (float64, string) {
	if end < 2e9 {
		return 1e6, "ms"
	}
	return 1e9, "s"
}

// niceAxis returns a tick step of 1, 2 or 5 times a power of ten that divides
// [0, maxV] into at most about n intervals, and the axis end: the first tick
// at or above maxV.
func niceAxis(maxV float64, n int) (step, end float64) {
	if !(maxV > 0) || math.IsInf(maxV, 0) {
		return 1, 1
	}
	raw := maxV / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, m := range [...]float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	end = math.Ceil(maxV/step-1e-9) * step
	return step, end
}

// formatTick prints tick value v with as many decimals as its step needs.
func formatTick(v, step float64) string {
	decimals := 0
	if step < 1 {
		decimals = int(math.Ceil(-math.Log10(step) - 1e-9))
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}
