package app

import (
	"fmt"
	"math"
	"strings"
	"time"

	"httpsim/sim/scenario"
)

// Figure is a finished run of a scenario drawn as the page draws it, as an
// SVG document for slides and handouts (httpsim export --format svg): one
// panel at one scrub time, every run side by side, by the page's own plot
// functions, heights and shared ladder window. The page's share box saves
// its own views this way.
type Figure struct {
	s      *scenario.Scenario
	views  []*runView
	span   int64 // the longest run's end, ns: the page's last scrub time
	charts chartScale
}

// NewFigure indexes res, what scenario.Run(s) returned with KeepTrace set,
// as the page does after a run.
func NewFigure(s *scenario.Scenario, res *scenario.Result) *Figure {
	f := &Figure{s: s, views: buildViews(s, res, nil)}
	for _, v := range f.views {
		f.span = max(f.span, v.end)
	}
	f.charts = chartScaleOf(f.views)
	return f
}

// End is the last time a figure can show: the longest run's end.
func (f *Figure) End() time.Duration { return time.Duration(f.span) }

// Held is the moment the most bytes waited in a run's receive buffers
// behind holes (the page's "Most held back"), and whether any byte did.
func (f *Figure) Held() (time.Duration, bool) {
	p, ok := peakOf(f.views)
	return time.Duration(p.at), ok
}

// FigurePanels are the names of the panels a figure draws.
func FigurePanels() []string { return []string{"ladder", "lanes", "buffers", "frames", "charts"} }

// The widths a figure may take, in CSS pixels: one 260 px column and its
// margins at least, a wall of a projector at most.
const (
	FigureMinWidth = 300
	FigureMaxWidth = 4000
)

// Layout of a figure, after the page's stylesheet (static/httpsim.css).
const (
	figPad       = 12.0 // the figure's margin
	figTitlePx   = 16.0 // the title: bold
	figTitleLine = 24.0
	figGap       = 10.0  // .hs-cols: gap between columns and between rows
	figColMin    = 260.0 // .hs-cols: minmax(min(100%, 260px), 1fr)
	figHeadPx    = 13.0  // .hs-col h3: font-size, bold
	figHeadLine  = 18.0  // 13 px at body's line-height 1.4
	figHeadGap   = 4.0   // .hs-col h3: margin below
	figNotePx    = 13.0  // .hs-note: font-size, var(--muted)
	figNoteLine  = 18.0
	figNoteGap   = 4.0       // .hs-note: margin above
	colorBorder  = "#d7dce1" // .hs-cv's border, var(--line)
)

// SVG draws panel (one of FigurePanels) at scrub time t, the runs side by
// side in the columns a page width px wide gives them, headed by their
// names, under a title naming the scenario, the panel and the time, in
// language l. The same arguments give the same bytes.
func (f *Figure) SVG(panel string, t time.Duration, width int, l Lang) ([]byte, error) {
	height, ok := f.panelHeight(panel)
	switch {
	case !ok:
		return nil, fmt.Errorf("no panel %q (%s)", panel, strings.Join(FigurePanels(), ", "))
	case width < FigureMinWidth || width > FigureMaxWidth:
		return nil, fmt.Errorf("width %d px is out of range (%d to %d)", width, FigureMinWidth, FigureMaxWidth)
	case t < 0 || int64(t) > f.span:
		return nil, fmt.Errorf("time %v is outside the run (0 to %v)", t, f.End())
	case len(f.views) == 0:
		return nil, fmt.Errorf("the run has nothing to draw")
	}
	now := int64(t)
	W := float64(width)
	n := len(f.views)
	// The grid's columns: as many 260 px ones as fit, stretched, no more
	// than there are runs (auto-fit drops the empty tracks).
	cols := min(n, max(1, int((W-2*figPad+figGap)/(figColMin+figGap))))
	colW := math.Floor((W - 2*figPad - float64(cols-1)*figGap) / float64(cols))

	// Headings (and QUIC's buffers note) wrap in their column, as on the
	// page; in the aligned panels a row's canvases start at one height.
	head := make([][]string, n)
	note := make([][]string, n)
	for i, v := range f.views {
		head[i] = wrapText(v.names[l], figHeadPx, colW)
		if panel == "buffers" && v.quic {
			note[i] = wrapText(quicBuffersNote(v, l), figNotePx, colW)
		}
	}

	title := libraryEntry(scenario.SummaryOf(f.s)).Title[l]
	sub := l.T("panel."+panel) + " · " + formatTime(now)
	var page Canvas  // the figure's own layer: background, titles, frames
	page.Reset(W, 0) // its height is known once the rows are laid out
	page.FillStyle(colorInk)
	page.Font("bold 16px system-ui, sans-serif")
	// The title wraps in the figure's width; bold runs about a tenth
	// wider than wrapText's estimate of regular text.
	y := figPad
	for _, s := range wrapText(title, figTitlePx*1.1, W-2*figPad) {
		page.Text(s, figPad, y, AlignLeft, BaselineTop)
		y += figTitleLine
	}
	page.FillStyle(colorAxis)
	page.Font(chartFont)
	page.Text(sub, figPad, y, AlignLeft, BaselineTop)
	y += 16 + 12
	// What the page shows between a panel's heading and its canvases: the
	// legend, and under the frame strip what its labels mean.
	y = drawLegend(&page, panelLegend(panel, f.views), l, figPad, y, W-2*figPad)
	if panel == "frames" {
		page.FillStyle(colorAxis)
		page.Font(fmt.Sprintf("%gpx system-ui, sans-serif", figNotePx))
		for _, s := range wrapText(frameLabelsText(l, labelsOf(f.views)), figNotePx, W-2*figPad) {
			page.Text(s, figPad, y+figNoteLine/2, AlignLeft, BaselineMiddle)
			y += figNoteLine
		}
		y += legendBelow
	}

	type placed struct{ x, y, w, h float64 }
	at := []placed{{0, 0, W, 0}}
	var views Canvas
	views.Reset(0, 0)
	var ls ladderScratch
	var bs bufferScratch
	win := ladderWindow(f.views, f.span)
	for row := 0; row*cols < n; row++ {
		lo, hi := row*cols, min(n, row*cols+cols)
		lines := 0
		for i := lo; i < hi; i++ {
			lines = max(lines, len(head[i]))
		}
		rowH := 0.0
		for i := lo; i < hi; i++ {
			x := figPad + float64(i-lo)*(colW+figGap)
			hl := lines
			if panel == "buffers" { // not aligned on the page
				hl = len(head[i])
			}
			page.FillStyle(colorInk)
			page.Font(fmt.Sprintf("bold %gpx system-ui, sans-serif", figHeadPx))
			for k, s := range head[i] {
				page.Text(s, x, y+float64(k)*figHeadLine+figHeadLine/2, AlignLeft, BaselineMiddle)
			}
			cy := y + float64(hl)*figHeadLine + figHeadGap
			// The canvas's 1 px border is inside its CSS height
			// (box-sizing: border-box), so it draws on h−2 pixels.
			page.StrokeStyle(colorBorder)
			page.LineWidth(1)
			page.StrokeRect(x+0.5, cy+0.5, colW-1, height-1)
			views.Target(len(at), colW-2, height-2)
			at = append(at, placed{x + 1, cy + 1, colW - 2, height - 2})
			f.plot(&views, panel, i, now, win, l, &ls, &bs)
			bottom := cy + height
			if len(note[i]) > 0 {
				page.FillStyle(colorAxis)
				page.Font(fmt.Sprintf("%gpx system-ui, sans-serif", figNotePx))
				for k, s := range note[i] {
					page.Text(s, x, bottom+figNoteGap+float64(k)*figNoteLine+figNoteLine/2, AlignLeft, BaselineMiddle)
				}
				bottom += figNoteGap + float64(len(note[i]))*figNoteLine
			}
			rowH = max(rowH, bottom-y)
		}
		y += rowH + figGap
	}
	H := math.Ceil(y - figGap + figPad)

	w := svgWriter{}
	w.b = append(w.b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<svg xmlns="http://www.w3.org/2000/svg" xml:lang="`...)
	w.b = append(w.b, l.HTMLLang()...)
	w.b = append(w.b, `" xml:space="preserve"`...)
	w.attr("width", W)
	w.attr("height", H)
	w.b = append(w.b, ` viewBox="0 0 `...)
	w.num(W)
	w.b = append(w.b, ' ')
	w.num(H)
	// stroke-miterlimit: the canvas's default, 10; SVG's is 4.
	w.b = append(w.b, `" stroke-miterlimit="10"><title>`...)
	w.esc(title + " · " + sub)
	w.b = append(w.b, `</title><rect width="100%" height="100%" fill="#ffffff"/>`...)
	place := func(i int) (float64, float64) { return at[i].x, at[i].y }
	page.H = H
	w.canvas(&page, place)
	w.canvas(&views, place)
	w.b = append(w.b, "</svg>\n"...)
	return w.b, nil
}

// panelHeight is the CSS height the page gives panel's canvases for f's
// runs, border included.
func (f *Figure) panelHeight(panel string) (float64, bool) {
	// The page's own sizing, of a page showing f's runs.
	layout := (&Page{views: f.views}).canvasLayout()
	switch panel {
	case "ladder":
		return ladderHeight, true
	case "lanes":
		return float64(layout.lanesHeight), true
	case "buffers":
		return float64(layout.buffersHeight), true
	case "frames":
		return frameStripH, true
	case "charts":
		return chartsHeight, true
	}
	return 0, false
}

// plot records run i's panel at time t on c, as Page.redraw does.
func (f *Figure) plot(c *Canvas, panel string, i int, t int64, win ladderFrame, l Lang, ls *ladderScratch, bs *bufferScratch) {
	v := f.views[i]
	switch panel {
	case "ladder":
		plotLadder(c, v, t, win, l, ls)
	case "lanes":
		plotLanes(c, v, t, f.span, l)
	case "buffers":
		plotBuffers(c, v, t, l, bs)
	case "frames":
		plotFrames(c, v, t, -1, l, nil)
	case "charts":
		plotCharts(c, v, t, f.span, f.charts, l)
	}
}

// wrapText breaks s into lines no wider than width in a px-pixel font, as
// a browser breaks a heading: at spaces, and between CJK characters. It
// estimates widths (textWidthAt), erring wide.
func wrapText(s string, px, width float64) []string {
	var lines []string
	line := ""
	var tok strings.Builder
	fits := func(t string) bool { return textWidthAt(strings.TrimRight(t, " "), px) <= width }
	add := func() {
		t := tok.String()
		tok.Reset()
		if t == "" {
			return
		}
		if line != "" && !fits(line+t) {
			lines = append(lines, strings.TrimRight(line, " "))
			line = ""
		}
		line += t
	}
	for _, r := range s {
		switch {
		case r >= 0x2E80:
			add()
			tok.WriteRune(r)
			add()
		case r == ' ':
			tok.WriteRune(r)
			add()
		default:
			tok.WriteRune(r)
		}
	}
	add()
	if line != "" {
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lines
}
