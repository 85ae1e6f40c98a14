package app

import (
	"bytes"
	"encoding/xml"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"httpsim/sim/scenario"
	"httpsim/static"
)

// lessonFigure runs a built-in lesson with the settings the page opens it
// with and returns its figure.
func lessonFigure(t *testing.T, name string) *Figure {
	t.Helper()
	s, err := scenario.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	s, err = LessonParams(s).Build()
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	return NewFigure(s, res)
}

// svgText is what a figure says: the text of its elements.
func svgText(t *testing.T, doc []byte) string {
	t.Helper()
	var sb strings.Builder
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return sb.String()
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		if c, ok := tok.(xml.CharData); ok {
			sb.Write(c)
			sb.WriteByte('\n')
		}
	}
}

// Every panel of two lessons, in both languages, is one well-formed SVG
// document, the same bytes each time.
func TestFigurePanelsAreSVG(t *testing.T) {
	for _, lesson := range []string{"h2-hol", "handshakes"} {
		f := lessonFigure(t, lesson)
		for _, panel := range FigurePanels() {
			for _, l := range []Lang{LangEN, LangZH} {
				at := f.End() / 2
				doc, err := f.SVG(panel, at, 1000, l)
				if err != nil {
					t.Fatalf("%s %s %s: %v", lesson, panel, l.Code(), err)
				}
				if !bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<svg ")) {
					t.Errorf("%s %s %s: starts %.60q; want an XML declaration and <svg", lesson, panel, l.Code(), doc)
				}
				var root struct {
					XMLName xml.Name
					Width   string `xml:"width,attr"`
				}
				if err := xml.Unmarshal(doc, &root); err != nil || root.XMLName.Local != "svg" || root.Width != "1000" {
					t.Errorf("%s %s %s: root %v width %q, %v; want <svg width=1000>", lesson, panel, l.Code(), root.XMLName, root.Width, err)
				}
				text := svgText(t, doc)
				// The line under the title, on the figure itself.
				if want := ">" + l.T("panel."+panel) + " · " + formatTime(int64(at)) + "<"; !bytes.Contains(doc, []byte(want)) {
					t.Errorf("%s %s %s: no line naming the panel and the time (%q)", lesson, panel, l.Code(), want)
				}
				// The legend the page shows above the panel, and under it
				// what the frame strip's labels mean.
				for _, it := range panelLegend(panel, f.views) {
					if !strings.Contains(text, l.T(it.key)) {
						t.Errorf("%s %s %s: no legend entry %q", lesson, panel, l.Code(), l.T(it.key))
					}
				}
				if labels := frameLabelsText(l, labelsOf(f.views)); panel == "frames" && !strings.Contains(text, strings.Fields(labels)[0]) {
					t.Errorf("%s %s %s: the labels are not explained (%q)", lesson, panel, l.Code(), labels)
				}
				for _, v := range f.views {
					if !strings.Contains(text, strings.Fields(v.names[l])[0]) {
						t.Errorf("%s %s %s: no heading for %q", lesson, panel, l.Code(), v.names[l])
					}
				}
				again, _ := f.SVG(panel, at, 1000, l)
				if !bytes.Equal(doc, again) {
					t.Errorf("%s %s %s: two renders differ", lesson, panel, l.Code())
				}
			}
		}
	}
}

// The figure shows what the page shows at the same time.
func TestFigureSaysWhatThePageSays(t *testing.T) {
	hol := lessonFigure(t, "h2-hol")
	v := hol.views[0]
	if len(v.losses) == 0 {
		t.Fatal("h2-hol lost no packet")
	}
	loss := time.Duration(v.losses[0] + v.rtt/2)
	doc, err := hol.SVG("ladder", loss, 800, LangEN)
	if err != nil {
		t.Fatal(err)
	}
	// The cross: two strokes in the loss colour, 2.2 px wide (plotLadder).
	cross := regexp.MustCompile(`<path d="M[-0-9.,]+L[-0-9.,]+M[-0-9.,]+L[-0-9.,]+" fill="none" stroke="` + colorLost + `" stroke-width="2.2"`)
	if !cross.Match(doc) {
		t.Errorf("h2-hol ladder at %v (half a round trip after the loss): no cross in %s", loss, colorLost)
	}
	lanes, err := hol.SVG("lanes", loss, 800, LangEN)
	if err != nil {
		t.Fatal(err)
	}
	text := svgText(t, lanes)
	for _, r := range v.rows {
		if !strings.Contains(text, ellipsize(r.label, 15)) {
			t.Errorf("h2-hol lanes lack the row %q", r.label)
		}
	}

	hs := lessonFigure(t, "handshakes")
	rtt := time.Duration(hs.views[0].rtt)
	doc, err = hs.SVG("ladder", rtt*3/2, 1200, LangEN)
	if err != nil {
		t.Fatal(err)
	}
	text = svgText(t, doc)
	for _, want := range []string{"SYN", "ClientHello", "Initial"} {
		if !strings.Contains(text, want) {
			t.Errorf("handshakes ladder at 1.5 RTT lacks %q", want)
		}
	}
	// Eight runs in four columns of (1200 − 2×12 − 3×10)/4 = 286 px: two
	// rows of canvases, 284 px wide and 438 tall inside their borders.
	if n := strings.Count(string(doc), `<svg x=`); n != 1+len(hs.views) {
		t.Errorf("handshakes ladder: %d viewports; want the figure's and %d runs'", n, len(hs.views))
	}
	if !bytes.Contains(doc, []byte(`width="284" height="438"`)) {
		t.Errorf("handshakes ladder at 1200 px: no 284×438 canvas")
	}
}

// The ladder's height in Go is the stylesheet's.
func TestLadderHeightMatchesCSS(t *testing.T) {
	css, err := fs.ReadFile(static.FS, "httpsim.css")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\.hs-cv-ladder \{\s*height: (\d+)px;`).FindSubmatch(css)
	if m == nil {
		t.Fatal("httpsim.css: no .hs-cv-ladder height")
	}
	if n, _ := strconv.Atoi(string(m[1])); n != ladderHeight {
		t.Errorf("httpsim.css .hs-cv-ladder height %dpx; ladderHeight %d", n, ladderHeight)
	}
}

func TestFigureBadInput(t *testing.T) {
	f := lessonFigure(t, "h2-hol")
	tests := []struct {
		panel string
		at    time.Duration
		width int
		want  string
	}{
		{"hpack", 0, 800, `no panel "hpack" (ladder, lanes, buffers, frames, charts)`},
		{"ladder", 0, 299, "width 299 px is out of range (300 to 4000)"},
		{"ladder", 0, 4001, "width 4001 px is out of range (300 to 4000)"},
		{"ladder", -1, 800, "time -1ns is outside the run (0 to " + f.End().String() + ")"},
		{"ladder", f.End() + 1, 800, "is outside the run"},
	}
	for _, tt := range tests {
		_, err := f.SVG(tt.panel, tt.at, tt.width, LangEN)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("SVG(%q, %v, %d) = %v; want %q", tt.panel, tt.at, tt.width, err, tt.want)
		}
	}
}

// A heading wraps at spaces and between CJK characters, as a browser
// wraps it.
func TestWrapText(t *testing.T) {
	tests := []struct {
		s     string
		width float64
		want  []string
	}{
		{"HTTP/2", 100, []string{"HTTP/2"}},
		{"Parallel connections (six)", 80, []string{"Parallel", "connections", "(six)"}},
		{"队头阻塞的例子", 50, []string{"队头阻塞", "的例子"}},
	}
	for _, tt := range tests {
		if got := wrapText(tt.s, 10, tt.width); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrapText(%q, 10, %v) = %q; want %q", tt.s, tt.width, got, tt.want)
		}
	}
}

// A legend wraps within the figure's width, as the page's flex box does:
// at the narrowest figure every entry is drawn whole, inside the margins.
func TestFigureLegendWraps(t *testing.T) {
	everyCause := []*runView{{holCauses: 1<<holCauseOther - 1, ladderMarks: 0xff}} // the whole legends
	for _, l := range []Lang{LangEN, LangZH} {
		for _, panel := range FigurePanels() {
			var c Canvas
			c.Reset(FigureMinWidth, 0)
			width := FigureMinWidth - 2*figPad
			bottom := drawLegend(&c, panelLegend(panel, everyCause), l, figPad, 0, width)
			for _, p := range points(t, &c) {
				if p[0] < figPad || p[0] > figPad+width {
					t.Errorf("%s %s: a swatch at x=%g, outside the figure's margins", l.Code(), panel, p[0])
				}
			}
			var said strings.Builder
			rows := map[float64]bool{}
			eachOp(&c, func(op float64, a []float64) {
				if op == opText {
					s, x, y := c.strs[int(a[0])], a[1], a[2]
					if x+textWidthAt(s, legendPx) > figPad+width+0.5 {
						t.Errorf("%s %s: %q at x=%g overruns the figure's %g px", l.Code(), panel, s, x, width)
					}
					rows[y] = true
					said.WriteString(s)
				}
			})
			// Lines break at spaces and between CJK characters.
			unspaced := func(s string) string { return strings.Join(strings.Fields(s), "") }
			for _, it := range panelLegend(panel, everyCause) {
				if !strings.Contains(unspaced(said.String()), unspaced(l.T(it.key))) {
					t.Errorf("%s %s: %q is not drawn whole", l.Code(), panel, l.T(it.key))
				}
			}
			if want := float64(len(rows))*legendLine + legendBelow; bottom < want {
				t.Errorf("%s %s: legend ends at %g; want at least %g for its %d lines", l.Code(), panel, bottom, want, len(rows))
			}
		}
	}
}

// A title too long for a narrow figure wraps instead of running off it.
func TestFigureTitleWraps(t *testing.T) {
	f := lessonFigure(t, "h2-hol")
	for _, l := range []Lang{LangEN, LangZH} {
		doc, err := f.SVG("lanes", f.End(), FigureMinWidth, l)
		if err != nil {
			t.Fatal(err)
		}
		title := libraryEntry(scenario.SummaryOf(f.s)).Title[l]
		text := svgText(t, doc)
		unspaced := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if strings.Contains(text, title+"\n") || !strings.Contains(unspaced(text), unspaced(title)) {
			t.Errorf("%s at %d px: title %q not wrapped whole; text %q", l.Code(), FigureMinWidth, title, text[:min(len(text), 200)])
		}
		for _, s := range wrapText(title, figTitlePx*1.1, FigureMinWidth-2*figPad) {
			if textWidthAt(s, figTitlePx*1.1) > FigureMinWidth-2*figPad {
				t.Errorf("%s: title line %q wider than the figure", l.Code(), s)
			}
		}
	}
}
