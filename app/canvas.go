package app

import (
	"encoding/binary"
	"math"
	"strings"
)

// Opcodes of the drawing buffer that static/draw.js runs; keep the two in
// step. Operands follow each opcode as float64 values; string operands are
// indices into the frame's string table.
const (
	opClear       = 1  // clear the canvas
	opStrokeStyle = 2  // s
	opFillStyle   = 3  // s
	opLineWidth   = 4  // w
	opFont        = 5  // s
	opDash        = 6  // n, d1..dn
	opFillRect    = 7  // x, y, w, h
	opStrokeRect  = 8  // x, y, w, h
	opPolyline    = 9  // n, x1, y1, ..., xn, yn
	opText        = 10 // s, x, y, align, baseline
	opLines       = 11 // n, then n segments x1, y1, x2, y2
	opTarget      = 12 // i, w, h: draw on canvas i of the batch from here on
	opHatch       = 13 // x, y, w, h, spacing, kind: hatch a rectangle with the stroke style
	opFillPoly    = 14 // n, x1, y1, ..., xn, yn (filled)
	opFillCircle  = 15 // x, y, r
	opHaloText    = 16 // s, x, y, align, baseline
)

// Hatch is the pattern of Canvas.HatchRect: patterns tell states apart
// without relying on colour alone.
type Hatch int

// Hatch patterns, in draw.js's order.
const (
	HatchDiagonal   Hatch = iota // "/" lines
	HatchBackward                // "\" lines
	HatchCross                   // both diagonals
	HatchHorizontal              // "-" lines
	HatchVertical                // "|" lines
)

// Align is a text's horizontal anchor.
type Align int

// Text anchors, in draw.js's order.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// Baseline is a text's vertical anchor.
type Baseline int

// Text baselines, in draw.js's order.
const (
	BaselineTop Baseline = iota
	BaselineMiddle
	BaselineAlphabetic
	BaselineBottom
)

// Canvas records one frame of 2D drawing commands in CSS pixels. Nothing is
// drawn until the frame is handed to the browser in one call (see paint.go);
// recording is plain Go, so plots are tested natively.
type Canvas struct {
	// W and H are the drawing area's size in CSS pixels.
	W, H float64

	ops     []float64
	strs    []string
	strIdx  map[string]int
	encoded []byte
}

// Reset starts a new frame of size w×h, keeping the buffers' memory. A
// batch for several canvases starts with Reset(0, 0) and a Target per
// canvas.
func (c *Canvas) Reset(w, h float64) {
	c.W, c.H = w, h
	c.ops = c.ops[:0]
	c.strs = c.strs[:0]
	clear(c.strIdx)
}

// str interns s in the frame's string table. The table travels as one string
// joined by newlines, so newlines inside s become spaces.
func (c *Canvas) str(s string) float64 {
	if i, ok := c.strIdx[s]; ok {
		return float64(i)
	}
	if c.strIdx == nil {
		c.strIdx = make(map[string]int)
	}
	i := len(c.strs)
	c.strIdx[s] = i
	c.strs = append(c.strs, strings.ReplaceAll(s, "\n", " "))
	return float64(i)
}

// The state setters, text and one-off shapes below are not inlined: they
// are called from some 300 places, and their inlined appends made 16 kB of
// the gzipped wasm. The shapes drawn by the thousand (FillRect, Lines,
// Polyline, FillPoly) stay inlined.

// Clear erases the canvas.
//
//go:noinline
func (c *Canvas) Clear() { c.ops = append(c.ops, opClear) }

// StrokeStyle sets the colour of lines (any CSS colour).
//
//go:noinline
func (c *Canvas) StrokeStyle(color string) { c.ops = append(c.ops, opStrokeStyle, c.str(color)) }

// FillStyle sets the colour of filled shapes and text.
//
//go:noinline
func (c *Canvas) FillStyle(color string) { c.ops = append(c.ops, opFillStyle, c.str(color)) }

// LineWidth sets the width of lines in CSS pixels.
//
//go:noinline
func (c *Canvas) LineWidth(w float64) { c.ops = append(c.ops, opLineWidth, w) }

// Font sets the CSS font of text.
//
//go:noinline
func (c *Canvas) Font(font string) { c.ops = append(c.ops, opFont, c.str(font)) }

// Dash sets the dash pattern of lines; no arguments draws solid lines.
//
//go:noinline
func (c *Canvas) Dash(pattern ...float64) {
	c.ops = append(c.ops, opDash, float64(len(pattern)))
	c.ops = append(c.ops, pattern...)
}

// FillRect fills a rectangle.
func (c *Canvas) FillRect(x, y, w, h float64) { c.ops = append(c.ops, opFillRect, x, y, w, h) }

// StrokeRect outlines a rectangle.
//
//go:noinline
func (c *Canvas) StrokeRect(x, y, w, h float64) { c.ops = append(c.ops, opStrokeRect, x, y, w, h) }

// Polyline strokes the path through xy = x1, y1, x2, y2, .... It draws
// nothing for fewer than two points.
func (c *Canvas) Polyline(xy []float64) {
	n := len(xy) / 2
	if n < 2 {
		return
	}
	c.ops = append(c.ops, opPolyline, float64(n))
	c.ops = append(c.ops, xy[:2*n]...)
}

// Lines strokes independent segments given as x1, y1, x2, y2 quadruples, in
// one path.
func (c *Canvas) Lines(seg []float64) {
	n := len(seg) / 4
	if n == 0 {
		return
	}
	c.ops = append(c.ops, opLines, float64(n))
	c.ops = append(c.ops, seg[:4*n]...)
}

// Text draws s anchored at (x, y).
//
//go:noinline
func (c *Canvas) Text(s string, x, y float64, a Align, b Baseline) {
	c.ops = append(c.ops, opText, c.str(s), x, y, float64(a), float64(b))
}

// HaloText draws s like Text, over a white halo four pixels wide, so
// that a label stays legible where it crosses lines and ticks.
//
//go:noinline
func (c *Canvas) HaloText(s string, x, y float64, a Align, b Baseline) {
	c.ops = append(c.ops, opHaloText, c.str(s), x, y, float64(a), float64(b))
}

// Target makes the commands that follow draw on canvas i of a batch (see
// painter.paintBatch), which is w×h CSS pixels; W and H become its size.
//
//go:noinline
func (c *Canvas) Target(i int, w, h float64) {
	c.W, c.H = w, h
	c.ops = append(c.ops, opTarget, float64(i), w, h)
}

// HatchRect fills a rectangle with parallel lines in the stroke style and
// line width, spaced spacing pixels apart.
//
//go:noinline
func (c *Canvas) HatchRect(x, y, w, h, spacing float64, kind Hatch) {
	if w <= 0 || h <= 0 {
		return
	}
	c.ops = append(c.ops, opHatch, x, y, w, h, spacing, float64(kind))
}

// FillPoly fills the polygon through xy = x1, y1, x2, y2, ....
func (c *Canvas) FillPoly(xy []float64) {
	n := len(xy) / 2
	if n < 3 {
		return
	}
	c.ops = append(c.ops, opFillPoly, float64(n))
	c.ops = append(c.ops, xy[:2*n]...)
}

// FillCircle fills a disc of radius r centred on (x, y).
//
//go:noinline
func (c *Canvas) FillCircle(x, y, r float64) { c.ops = append(c.ops, opFillCircle, x, y, r) }

// Len is the number of float64 values recorded in this frame.
func (c *Canvas) Len() int { return len(c.ops) }

// Encoded returns the frame as little-endian float64 bytes, the layout of a
// JavaScript Float64Array on every platform browsers run on. The slice is
// reused by the next call.
func (c *Canvas) Encoded() []byte {
	n := 8 * len(c.ops)
	if cap(c.encoded) < n {
		c.encoded = make([]byte, n, n+n/2)
	}
	b := c.encoded[:n]
	for i, v := range c.ops {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return b
}

// Strings returns the frame's string table joined by newlines.
func (c *Canvas) Strings() string { return strings.Join(c.strs, "\n") }
