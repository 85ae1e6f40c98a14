package app

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// svgWriter turns recorded canvases into SVG elements that mean what
// static/draw.js draws from the same commands: a canvas of a batch becomes a
// nested <svg> viewport (clipped, as a canvas clips), and each command the
// element that paints the same pixels. The output depends only on the
// commands, so the same frame gives byte-identical SVG. Only the figure
// exporter (figure.go) uses it, never the page, so the linker leaves it out
// of the WebAssembly build.
type svgWriter struct {
	b     []byte
	clips int // clip paths issued, for unique ids
}

// svgState is a canvas 2D context's drawing state, as far as the opcodes
// set it; a new canvas starts from the context's defaults and draw.js's
// prepare (no dash, lines 1 px wide).
type svgState struct {
	stroke, fill string
	width        float64
	dash         []float64
	font         svgFont
}

func newSVGState() svgState {
	f, _ := parseFont("10px sans-serif") // the canvas's default font
	return svgState{stroke: "#000000", fill: "#000000", width: 1, font: f}
}

// svgFont is a CSS font shorthand split into SVG's presentation
// attributes, which editors read more widely than the shorthand in style.
type svgFont struct {
	style, weight, size, family string
}

// parseFont reads a CSS font shorthand ("bold 12px system-ui, sans-serif");
// ok is false where a canvas would ignore the value (no size or family).
func parseFont(s string) (f svgFont, ok bool) {
	fields := strings.Fields(s)
	for i, w := range fields {
		switch {
		case w == "italic" || w == "oblique":
			f.style = w
		case w == "bold" || w == "bolder" || w == "lighter" || len(w) == 3 && w[1:] == "00" && w[0] >= '1' && w[0] <= '9':
			f.weight = w
		case w == "normal" || w == "small-caps":
		case w != "" && (w[0] >= '0' && w[0] <= '9' || w[0] == '.'):
			size, _, _ := strings.Cut(w, "/") // a line height does not apply to canvas text
			f.size = size
			f.family = strings.Join(fields[i+1:], " ")
			return f, f.family != ""
		default:
			return f, false
		}
	}
	return f, false
}

// canvas appends c's frame: each canvas of the batch (Target i, or one
// c.W×c.H canvas for commands before any Target) as an <svg> viewport at
// the position place gives canvas i.
func (w *svgWriter) canvas(c *Canvas, place func(i int) (x, y float64)) {
	f, strs := c.ops, c.strs
	st := newSVGState()
	open, start := false, 0 // start: where the open canvas's content begins, for Clear
	begin := func(i int, cw, ch float64) {
		if open {
			w.b = append(w.b, "</svg>"...)
		}
		x, y := place(i)
		w.b = append(w.b, "<svg"...)
		w.attr("x", x)
		w.attr("y", y)
		w.attr("width", cw)
		w.attr("height", ch)
		w.b = append(w.b, ` overflow="hidden">`...)
		open, start, st = true, len(w.b), newSVGState()
	}
	if len(f) > 0 && f[0] != opTarget {
		begin(0, c.W, c.H)
	}
	for i := 0; i < len(f); {
		op := f[i]
		i++
		switch op {
		case opTarget:
			begin(int(f[i]), f[i+1], f[i+2])
			i += 3
		case opClear:
			// clearRect over the whole canvas: nothing drawn on it so far
			// shows (the page's background shows through).
			w.b = w.b[:start]
		case opStrokeStyle:
			st.stroke = strs[int(f[i])]
			i++
		case opFillStyle:
			st.fill = strs[int(f[i])]
			i++
		case opLineWidth:
			if v := f[i]; v > 0 && !math.IsInf(v, 0) { // a canvas ignores the rest
				st.width = v
			}
			i++
		case opFont:
			if ft, ok := parseFont(strs[int(f[i])]); ok {
				st.font = ft
			}
			i++
		case opDash:
			n := int(f[i])
			d := f[i+1 : i+1+n]
			if validDash(d) { // setLineDash ignores a pattern with a negative or non-finite value
				st.dash = append(st.dash[:0], d...)
			}
			i += 1 + n
		case opFillRect:
			w.fillRect(&st, f[i], f[i+1], f[i+2], f[i+3])
			i += 4
		case opStrokeRect:
			x, y, rw, rh := f[i], f[i+1], f[i+2], f[i+3]
			w.b = append(w.b, `<path d="M`...)
			w.pt(x, y)
			w.b = append(w.b, 'h')
			w.num(rw)
			w.b = append(w.b, 'v')
			w.num(rh)
			w.b = append(w.b, 'h')
			w.num(-rw)
			w.b = append(w.b, `Z"`...)
			w.strokeAttrs(&st)
			w.b = append(w.b, "/>"...)
			i += 4
		case opPolyline:
			n := int(f[i])
			w.points("polyline", f[i+1:i+1+2*n])
			w.strokeAttrs(&st)
			w.b = append(w.b, "/>"...)
			i += 1 + 2*n
		case opFillPoly:
			n := int(f[i])
			w.points("polygon", f[i+1:i+1+2*n])
			w.paint("fill", st.fill)
			w.b = append(w.b, "/>"...)
			i += 1 + 2*n
		case opLines:
			n := int(f[i])
			w.b = append(w.b, `<path d="`...)
			for _, s := range chunks(f[i+1:i+1+4*n], 4) {
				w.b = append(w.b, 'M')
				w.pt(s[0], s[1])
				w.b = append(w.b, 'L')
				w.pt(s[2], s[3])
			}
			w.b = append(w.b, '"')
			w.strokeAttrs(&st)
			w.b = append(w.b, "/>"...)
			i += 1 + 4*n
		case opText, opHaloText:
			s, x, y := strs[int(f[i])], f[i+1], f[i+2]
			a, bl := Align(f[i+3]), Baseline(f[i+4])
			if op == opHaloText {
				// draw.js strokes the text first: white, 4 px, round
				// joins, solid whatever dash is set; then fills it.
				w.text(&st, s, x, y, a, bl, ` fill="none" stroke="#ffffff" stroke-width="4" stroke-linejoin="round"`)
			}
			w.text(&st, s, x, y, a, bl, "")
			i += 5
		case opHatch:
			w.hatch(&st, f[i], f[i+1], f[i+2], f[i+3], f[i+4], Hatch(f[i+5]))
			i += 6
		case opFillCircle:
			if r := f[i+2]; r > 0 && finite(f[i], f[i+1], r) {
				w.b = append(w.b, "<circle"...)
				w.attr("cx", f[i])
				w.attr("cy", f[i+1])
				w.attr("r", r)
				w.paint("fill", st.fill)
				w.b = append(w.b, "/>"...)
			}
			i += 3
		default:
			panic("svgWriter: unknown opcode " + strconv.Itoa(int(op))) // canvas.go and this file disagree
		}
	}
	if open {
		w.b = append(w.b, "</svg>"...)
	}
}

func (w *svgWriter) fillRect(st *svgState, x, y, rw, rh float64) {
	if !finite(x, y, rw, rh) || rw == 0 || rh == 0 {
		return
	}
	if rw < 0 { // fillRect takes negative sizes; an SVG rect does not
		x, rw = x+rw, -rw
	}
	if rh < 0 {
		y, rh = y+rh, -rh
	}
	w.b = append(w.b, "<rect"...)
	w.attr("x", x)
	w.attr("y", y)
	w.attr("width", rw)
	w.attr("height", rh)
	w.paint("fill", st.fill)
	w.b = append(w.b, "/>"...)
}

// text appends a <text> element: the fill style's colour and the font,
// anchored as the canvas's textAlign and textBaseline anchor it. extra,
// if set, replaces the fill (the halo's stroke).
func (w *svgWriter) text(st *svgState, s string, x, y float64, a Align, bl Baseline, extra string) {
	w.b = append(w.b, "<text"...)
	w.attr("x", x)
	w.attr("y", y)
	switch a {
	case AlignCenter:
		w.b = append(w.b, ` text-anchor="middle"`...)
	case AlignRight:
		w.b = append(w.b, ` text-anchor="end"`...)
	}
	// A canvas's top, middle and bottom baselines are the top, middle
	// and bottom of the em square. SVG's dominant-baseline says the same
	// but readers disagree on it (librsvg ignores it), so the text sits
	// on its alphabetic baseline, shifted by the em square of a font that
	// puts 0.8 em above the baseline and 0.2 em below, the usual split of
	// the system UI fonts.
	switch bl {
	case BaselineTop:
		w.b = append(w.b, ` dy="0.8em"`...)
	case BaselineMiddle:
		w.b = append(w.b, ` dy="0.3em"`...)
	case BaselineBottom:
		w.b = append(w.b, ` dy="-0.2em"`...)
	}
	ft := st.font
	w.b = append(w.b, ` font-family="`...)
	w.esc(ft.family)
	w.b = append(w.b, `" font-size="`...)
	w.esc(ft.size)
	w.b = append(w.b, '"')
	if ft.weight != "" {
		w.b = append(w.b, ` font-weight="`...)
		w.b = append(w.b, ft.weight...)
		w.b = append(w.b, '"')
	}
	if ft.style != "" {
		w.b = append(w.b, ` font-style="`...)
		w.b = append(w.b, ft.style...)
		w.b = append(w.b, '"')
	}
	if extra != "" {
		w.b = append(w.b, extra...)
	} else {
		w.paint("fill", st.fill)
	}
	w.b = append(w.b, '>')
	w.esc(s)
	w.b = append(w.b, "</text>"...)
}

// hatch strokes parallel lines across a rectangle, clipped to it, with the
// very lines draw.js's hatch draws: diagonals anchored on absolute
// coordinates, so that adjacent rectangles continue one pattern.
func (w *svgWriter) hatch(st *svgState, x, y, rw, rh, s float64, kind Hatch) {
	if !finite(x, y, rw, rh, s) || rw <= 0 || rh <= 0 || s <= 0 {
		return // draw.js would loop for ever on s <= 0; the recorder never asks
	}
	w.clips++
	id := "hs-hatch-" + strconv.Itoa(w.clips)
	w.b = append(w.b, `<clipPath id="`...)
	w.b = append(w.b, id...)
	w.b = append(w.b, `"><rect`...)
	w.attr("x", x)
	w.attr("y", y)
	w.attr("width", rw)
	w.attr("height", rh)
	w.b = append(w.b, `/></clipPath><path clip-path="url(#`...)
	w.b = append(w.b, id...)
	w.b = append(w.b, `)" d="`...)
	seg := func(x1, y1, x2, y2 float64) {
		w.b = append(w.b, 'M')
		w.pt(x1, y1)
		w.b = append(w.b, 'L')
		w.pt(x2, y2)
	}
	switch kind {
	case HatchHorizontal:
		for yy := y + s/2; yy < y+rh; yy += s {
			seg(x, yy, x+rw, yy)
		}
	case HatchVertical:
		for xx := x + s/2; xx < x+rw; xx += s {
			seg(xx, y, xx, y+rh)
		}
	default:
		start := math.Floor((x-rh)/s) * s
		if kind == HatchDiagonal || kind == HatchCross {
			for xx := start; xx < x+rw; xx += s {
				seg(xx, y+rh, xx+rh, y)
			}
		}
		if kind == HatchBackward || kind == HatchCross {
			for xx := start; xx < x+rw; xx += s {
				seg(xx, y, xx+rh, y+rh)
			}
		}
	}
	w.b = append(w.b, '"')
	w.strokeAttrs(st)
	w.b = append(w.b, "/>"...)
}

// points appends the start of a <polyline> or <polygon> through xy,
// leaving out points a canvas path would ignore (NaN, infinities).
func (w *svgWriter) points(elem string, xy []float64) {
	w.b = append(w.b, '<')
	w.b = append(w.b, elem...)
	w.b = append(w.b, ` points="`...)
	first := true
	for _, p := range chunks(xy, 2) {
		if !finite(p[0], p[1]) {
			continue
		}
		if !first {
			w.b = append(w.b, ' ')
		}
		first = false
		w.pt(p[0], p[1])
	}
	w.b = append(w.b, '"')
}

// strokeAttrs appends the stroke style: no fill, the colour, the line
// width (SVG's default is 1, as the canvas's), and the dash pattern.
func (w *svgWriter) strokeAttrs(st *svgState) {
	w.b = append(w.b, ` fill="none"`...)
	w.paint("stroke", st.stroke)
	if st.width != 1 {
		w.attr("stroke-width", st.width)
	}
	if len(st.dash) > 0 {
		w.b = append(w.b, ` stroke-dasharray="`...)
		for i, d := range st.dash {
			if i > 0 {
				w.b = append(w.b, ' ')
			}
			w.num(d)
		}
		w.b = append(w.b, '"')
	}
}

// paint appends a fill or stroke colour. A #rgba or #rrggbbaa colour
// becomes its opaque colour and an opacity, which SVG 1.1 readers (slide
// software, editors) understand.
func (w *svgWriter) paint(attr, color string) {
	rgb, alpha := splitAlpha(color)
	w.b = append(w.b, ' ')
	w.b = append(w.b, attr...)
	w.b = append(w.b, `="`...)
	w.esc(rgb)
	w.b = append(w.b, '"')
	if alpha < 1 {
		w.b = append(w.b, ' ')
		w.b = append(w.b, attr...)
		w.b = append(w.b, `-opacity="`...)
		w.b = strconv.AppendFloat(w.b, math.Round(alpha*1000)/1000, 'f', -1, 64)
		w.b = append(w.b, '"')
	}
}

// splitAlpha splits a hex colour with an alpha digit pair (or digit) into
// #rrggbb (#rgb) and the alpha from 0 to 1; other colours have alpha 1.
func splitAlpha(color string) (string, float64) {
	if !strings.HasPrefix(color, "#") || len(color) != 5 && len(color) != 9 {
		return color, 1
	}
	n := (len(color) - 1) / 4 // hex digits a channel
	a, err := strconv.ParseUint(color[len(color)-n:], 16, 8)
	if err != nil {
		return color, 1
	}
	if n == 1 {
		a *= 17
	}
	return color[:len(color)-n], float64(a) / 255
}

// attr appends ` name="v"`.
func (w *svgWriter) attr(name string, v float64) {
	w.b = append(w.b, ' ')
	w.b = append(w.b, name...)
	w.b = append(w.b, `="`...)
	w.num(v)
	w.b = append(w.b, '"')
}

// pt appends "x,y".
func (w *svgWriter) pt(x, y float64) {
	w.num(x)
	w.b = append(w.b, ',')
	w.num(y)
}

// num appends v to a hundredth of a pixel, the shortest way: 12, 12.5,
// -0.25. Finer steps than a hundredth cannot be seen at any zoom a slide
// is shown at.
func (w *svgWriter) num(v float64) {
	r := math.Round(v*100) / 100
	if r == 0 {
		r = 0 // no "-0"
	}
	w.b = strconv.AppendFloat(w.b, r, 'f', -1, 64)
}

// esc appends s escaped for XML text and attribute values, as
// encoding/xml's EscapeText escapes it (which would bring that package's
// tables into the page's binary); characters XML cannot hold become
// U+FFFD.
func (w *svgWriter) esc(s string) {
	for _, r := range s {
		switch {
		case r == '&':
			w.b = append(w.b, "&amp;"...)
		case r == '<':
			w.b = append(w.b, "&lt;"...)
		case r == '>':
			w.b = append(w.b, "&gt;"...)
		case r == '"':
			w.b = append(w.b, "&#34;"...)
		case r == '\'':
			w.b = append(w.b, "&#39;"...)
		case r == '\t' || r == '\n' || r == '\r':
			w.b = append(w.b, "&#x"...)
			w.b = strconv.AppendInt(w.b, int64(r), 16)
			w.b = append(w.b, ';')
		case xmlChar(r):
			w.b = utf8.AppendRune(w.b, r)
		default:
			w.b = utf8.AppendRune(w.b, '\uFFFD')
		}
	}
}

// xmlChar reports whether r may appear in an XML document (XML 1.0 §2.2,
// "Char").
func xmlChar(r rune) bool {
	return r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func validDash(d []float64) bool {
	for _, v := range d {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// chunks splits xs into slices of n values, dropping a short tail.
func chunks(xs []float64, n int) [][]float64 {
	out := make([][]float64, 0, len(xs)/n)
	for i := 0; i+n <= len(xs); i += n {
		out = append(out, xs[i:i+n:i+n])
	}
	return out
}
