package app

import (
	"encoding/xml"
	"strings"
	"testing"
)

// svgOf renders a canvas recorded by draw, c.W×c.H at the origin, and
// returns what lies inside its <svg> viewport.
func svgOf(w, h float64, draw func(c *Canvas)) string {
	var c Canvas
	c.Reset(w, h)
	draw(&c)
	var sw svgWriter
	sw.canvas(&c, func(int) (float64, float64) { return 0, 0 })
	s := strings.TrimSuffix(string(sw.b), "</svg>")
	_, s, _ = strings.Cut(s, `overflow="hidden">`)
	return s
}

// TestSVGOpcodes checks that each drawing command becomes the SVG element
// that paints what draw.js paints for it.
func TestSVGOpcodes(t *testing.T) {
	const font = ` font-family="sans-serif" font-size="10px"` // the canvas's default font
	tests := []struct {
		name string
		draw func(c *Canvas)
		want string
	}{
		{"fill rect", func(c *Canvas) { c.FillStyle("#123456"); c.FillRect(1, 2, 3.25, 4) },
			`<rect x="1" y="2" width="3.25" height="4" fill="#123456"/>`},
		{"fill rect, negative size", func(c *Canvas) { c.FillRect(10, 10, -4, -2) },
			`<rect x="6" y="8" width="4" height="2" fill="#000000"/>`},
		{"fill rect, alpha colour", func(c *Canvas) { c.FillStyle("#E69F0066"); c.FillRect(0, 0, 1, 1) },
			`<rect x="0" y="0" width="1" height="1" fill="#E69F00" fill-opacity="0.4"/>`},
		{"clear drops what came before", func(c *Canvas) { c.FillRect(0, 0, 9, 9); c.Clear(); c.FillRect(1, 1, 2, 2) },
			`<rect x="1" y="1" width="2" height="2" fill="#000000"/>`},
		{"stroke rect", func(c *Canvas) { c.StrokeStyle("#abc"); c.StrokeRect(0.5, 0.5, 10, 0) },
			`<path d="M0.5,0.5h10v0h-10Z" fill="none" stroke="#abc"/>`},
		{"polyline, width, dash", func(c *Canvas) { c.LineWidth(2); c.Dash(4, 3); c.Polyline([]float64{1, 2, 3, 4.005}) },
			`<polyline points="1,2 3,4.01" fill="none" stroke="#000000" stroke-width="2" stroke-dasharray="4 3"/>`},
		{"dash reset, bad width ignored", func(c *Canvas) { c.Dash(4, 3); c.Dash(); c.LineWidth(0); c.Lines([]float64{0, 0, 1, 1, 2, 2, 3, 3}) },
			`<path d="M0,0L1,1M2,2L3,3" fill="none" stroke="#000000"/>`},
		{"fill poly", func(c *Canvas) { c.FillStyle("red"); c.FillPoly([]float64{0, 0, 4, 0, 2, -3}) },
			`<polygon points="0,0 4,0 2,-3" fill="red"/>`},
		{"fill circle", func(c *Canvas) { c.FillCircle(5, 6, 2.5) },
			`<circle cx="5" cy="6" r="2.5" fill="#000000"/>`},
		{"text, left alphabetic", func(c *Canvas) { c.Text("a", 1, 2, AlignLeft, BaselineAlphabetic) },
			`<text x="1" y="2"` + font + ` fill="#000000">a</text>`},
		{"text, centre top", func(c *Canvas) { c.Text("a", 1, 2, AlignCenter, BaselineTop) },
			`<text x="1" y="2" text-anchor="middle" dy="0.8em"` + font + ` fill="#000000">a</text>`},
		{"text, right middle, bold font", func(c *Canvas) {
			c.Font("italic bold 12px system-ui, sans-serif")
			c.Text("a", 1, 2, AlignRight, BaselineMiddle)
		}, `<text x="1" y="2" text-anchor="end" dy="0.3em" font-family="system-ui, sans-serif" font-size="12px" font-weight="bold" font-style="italic" fill="#000000">a</text>`},
		{"text, bottom; a bad font is ignored", func(c *Canvas) { c.Font("huge"); c.Text("a", 1, 2, AlignLeft, BaselineBottom) },
			`<text x="1" y="2" dy="-0.2em"` + font + ` fill="#000000">a</text>`},
		{"halo text: white solid stroke under the fill", func(c *Canvas) {
			c.Dash(2, 2)
			c.FillStyle("#D55E00")
			c.HaloText("a", 1, 2, AlignLeft, BaselineAlphabetic)
		}, `<text x="1" y="2"` + font + ` fill="none" stroke="#ffffff" stroke-width="4" stroke-linejoin="round">a</text>` +
			`<text x="1" y="2"` + font + ` fill="#D55E00">a</text>`},
		{"hatch horizontal", func(c *Canvas) { c.HatchRect(0, 0, 10, 7, 3, HatchHorizontal) },
			`<clipPath id="hs-hatch-1"><rect x="0" y="0" width="10" height="7"/></clipPath>` +
				`<path clip-path="url(#hs-hatch-1)" d="M0,1.5L10,1.5M0,4.5L10,4.5" fill="none" stroke="#000000"/>`},
		{"hatch vertical", func(c *Canvas) { c.HatchRect(0, 0, 4, 2, 3, HatchVertical) },
			`<clipPath id="hs-hatch-1"><rect x="0" y="0" width="4" height="2"/></clipPath>` +
				`<path clip-path="url(#hs-hatch-1)" d="M1.5,0L1.5,2" fill="none" stroke="#000000"/>`},
		// Diagonals start at floor((x−h)/s)·s, on absolute coordinates.
		{"hatch diagonal", func(c *Canvas) { c.HatchRect(5, 0, 4, 4, 4, HatchDiagonal) },
			`<clipPath id="hs-hatch-1"><rect x="5" y="0" width="4" height="4"/></clipPath>` +
				`<path clip-path="url(#hs-hatch-1)" d="M0,4L4,0M4,4L8,0M8,4L12,0" fill="none" stroke="#000000"/>`},
		{"hatch backward", func(c *Canvas) { c.HatchRect(0, 0, 2, 4, 4, HatchBackward) },
			`<clipPath id="hs-hatch-1"><rect x="0" y="0" width="2" height="4"/></clipPath>` +
				`<path clip-path="url(#hs-hatch-1)" d="M-4,0L0,4M0,0L4,4" fill="none" stroke="#000000"/>`},
		{"hatch cross", func(c *Canvas) { c.HatchRect(0, 0, 2, 4, 4, HatchCross) },
			`<clipPath id="hs-hatch-1"><rect x="0" y="0" width="2" height="4"/></clipPath>` +
				`<path clip-path="url(#hs-hatch-1)" d="M-4,4L0,0M0,4L4,0M-4,0L0,4M0,0L4,4" fill="none" stroke="#000000"/>`},
	}
	for _, tt := range tests {
		if got := svgOf(100, 50, tt.draw); got != tt.want {
			t.Errorf("%s: svg = %s; want %s", tt.name, got, tt.want)
		}
	}
}

// Each canvas of a batch is a viewport of its own, at its place; the
// styles of one do not carry to the next (a context each).
func TestSVGTargets(t *testing.T) {
	var c Canvas
	c.Reset(0, 0)
	c.Target(0, 30, 20)
	c.FillStyle("#111111")
	c.FillRect(0, 0, 1, 1)
	c.Target(1, 40, 10)
	c.FillRect(0, 0, 1, 1)
	var w svgWriter
	w.canvas(&c, func(i int) (float64, float64) { return float64(100 * i), 7 })
	want := `<svg x="0" y="7" width="30" height="20" overflow="hidden"><rect x="0" y="0" width="1" height="1" fill="#111111"/></svg>` +
		`<svg x="100" y="7" width="40" height="10" overflow="hidden"><rect x="0" y="0" width="1" height="1" fill="#000000"/></svg>`
	if got := string(w.b); got != want {
		t.Errorf("two targets: svg = %s; want %s", got, want)
	}
}

// Text and colours are escaped, and come back intact from an XML parser.
func TestSVGEscapes(t *testing.T) {
	texts := []string{`<a & b>`, `"quoted" 'single'`, "队头阻塞 (HoL)", "tab\there", "bad\x01byte"}
	for _, s := range texts {
		got := svgOf(100, 50, func(c *Canvas) { c.FillStyle(`a"b`); c.Text(s, 0, 0, AlignLeft, BaselineTop) })
		var e struct {
			Fill string `xml:"fill,attr"`
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte(got), &e); err != nil {
			t.Errorf("text %q: %v in %s", s, err, got)
			continue
		}
		want := strings.ReplaceAll(s, "\x01", "\uFFFD")
		if e.Text != want || e.Fill != `a"b` {
			t.Errorf("text %q: parsed back as %q, fill %q; want %q, fill %q", s, e.Text, e.Fill, want, `a"b`)
		}
	}
}

func TestSVGNumbers(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{{0, "0"}, {-0.001, "0"}, {12, "12"}, {12.5, "12.5"}, {-0.25, "-0.25"}, {1.0 / 3, "0.33"}, {1234567.891, "1234567.89"}}
	for _, tt := range tests {
		var w svgWriter
		if w.num(tt.v); string(w.b) != tt.want {
			t.Errorf("num(%v) = %s; want %s", tt.v, w.b, tt.want)
		}
	}
}
