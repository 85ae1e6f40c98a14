package app

import (
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
	"httpsim/static"
)

// cvdModels simulate the three dichromacies at full severity: Machado,
// Oliveira and Fernandes, "A Physiologically-based Model for Simulation of
// Color Vision Deficiency", IEEE TVCG 15(6), 2009, Table 1 (severity 1.0),
// applied to linear sRGB (the matrices Chromium's DevTools use).
var cvdModels = []struct {
	name string
	m    [3][3]float64
}{
	{"normal vision", [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}},
	{"protanopia", [3][3]float64{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}},
	{"deuteranopia", [3][3]float64{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}},
	{"tritanopia", [3][3]float64{{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}},
}

// minCVDDistance is the smallest CIEDE2000 colour difference (ΔE00) two
// colours that name different things may have under any model. A ΔE00 of
// about 1 is just noticeable; 10 is told apart at a glance on thin lines.
// The palette's closest pair is 10.9 apart (orange and reddish purple,
// tritanopia); the old ACK grey #9aa1a9 was 2.6 from reddish purple under
// deuteranopia. (CIE 1976's ΔE*ab overstates differences between saturated
// colours: the same pairs were 16.1 apart and more.)
const minCVDDistance = 10

// rgbBytes returns the channels of "#rrggbb" or "#rrggbbaa", alpha 255
// if there is none.
func rgbBytes(t *testing.T, hex string) (rgba [4]float64) {
	t.Helper()
	if (len(hex) != 7 && len(hex) != 9) || hex[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb or #rrggbbaa", hex)
	}
	rgba[3] = 255
	for i := 0; 1+2*i < len(hex); i++ {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		rgba[i] = float64(v)
	}
	return rgba
}

// linearRGB decodes "#rrggbb" to linear RGB (IEC 61966-2-1).
func linearRGB(t *testing.T, hex string) [3]float64 {
	t.Helper()
	b := rgbBytes(t, hex)
	var lin [3]float64
	for i := range lin {
		c := b[i] / 255
		if c <= 0.04045 {
			lin[i] = c / 12.92
		} else {
			lin[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return lin
}

// contrast is WCAG 2's contrast ratio of two opaque colours.
func contrast(t *testing.T, a, b string) float64 {
	t.Helper()
	lum := func(hex string) float64 {
		l := linearRGB(t, hex[:7])
		return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
	}
	la, lb := lum(a), lum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// over composites colour fg (perhaps translucent) over the opaque bg as a
// canvas does, in sRGB, and returns the opaque result.
func over(t *testing.T, fg, bg string) string {
	f, b := rgbBytes(t, fg), rgbBytes(t, bg)
	a := f[3] / 255
	const digits = "0123456789abcdef"
	out := []byte("#")
	for i := range 3 {
		v := uint8(math.Round(f[i]*a + b[i]*(1-a)))
		out = append(out, digits[v>>4], digits[v&15])
	}
	return string(out)
}

// textContrasts walks a recorded canvas as draw.js does and calls fn for
// each text drawn with its colour and the colour under its anchor: the
// rectangles filled there before it, on the white canvas (a halo text's
// background is its white halo).
func textContrasts(t *testing.T, c *Canvas, fn func(text, fg, bg string)) {
	t.Helper()
	type rect struct {
		x, y, w, h float64
		color      string
	}
	var rects []rect
	fill := "#000000"
	f := c.ops
	for i := 0; i < len(f); {
		op := f[i]
		i++
		switch op {
		case opPolyline, opFillPoly:
			i += 1 + 2*int(f[i])
		case opLines:
			i += 1 + 4*int(f[i])
		case opDash:
			i += 1 + int(f[i])
		case opTarget:
			rects = rects[:0]
			i += 3
		default:
			switch op {
			case opClear:
				rects = rects[:0]
			case opFillStyle:
				fill = c.strs[int(f[i])]
			case opFillRect:
				rects = append(rects, rect{f[i], f[i+1], f[i+2], f[i+3], fill})
			case opText, opHaloText:
				x, y, bg := f[i+1], f[i+2], colorWhite
				for _, r := range rects {
					if op == opText && x >= r.x && x <= r.x+r.w && y >= r.y && y <= r.y+r.h {
						bg = over(t, r.color, bg)
					}
				}
				fn(c.strs[int(f[i])], fill, bg)
			}
			k, ok := opArity[op]
			if !ok {
				t.Fatalf("unknown opcode %v at %d", op, i-1)
			}
			i += k
		}
	}
}

// Text on the canvases reaches WCAG AA's 4.5:1 against what it is drawn
// on, in every plot of runs that show every kind of label: the lanes'
// head-of-line chips (white on QPACK's reddish purple was 3.06:1) and the
// frame strip's labels (ink on blue frames, 3.19:1) among them.
func TestCanvasTextContrast(t *testing.T) {
	// Text on a box filled with a row's colour, whatever the run.
	for r := -1; r < len(streamColors); r++ {
		if got := contrast(t, streamInk(r), streamColor(r)); got < 4.5 {
			t.Errorf("streamInk(%d) %s on streamColor(%d) %s: %.2f:1; want ≥ 4.5:1", r, streamInk(r), r, streamColor(r), got)
		}
	}
	// Runs with every head-of-line cause: another stream's loss and an
	// own loss, an HTTP/1.1 queue, QPACK, and QUIC's handshake keys (0-RTT
	// data that arrived before them).
	keys := DefaultParams()
	keys.Protos, keys.TLS, keys.ZeroRTT, keys.LossPermille, keys.Seed = "h3", "1.3", true, 150, 1
	_, _, lossy := runViews(t, lossyParams())
	_, _, early := runViews(t, keys)
	seen, chips := map[string]bool{}, map[string]bool{}
	var c Canvas
	var ls ladderScratch
	var bs bufferScratch
	for _, views := range [][]*runView{lossy, lessonViews(t, "pipelining"), lessonViews(t, "qpack"), early} {
		var span int64
		for _, v := range views {
			span = max(span, v.end)
		}
		check := func(what string) {
			textContrasts(t, &c, func(text, fg, bg string) {
				key := fg + " on " + bg
				if r := contrast(t, fg, bg); r < 4.5 && !seen[key] {
					t.Errorf("%s: %q in %s: %.2f:1; want ≥ 4.5:1", what, text, key, r)
				}
				seen[key] = true
			})
		}
		c.Reset(1000, 60)
		plotScrubMarks(&c, views, span, LangEN, scrubPad)
		check("scrub marks")
		for _, v := range views {
			for _, tm := range []int64{span / 4, span / 2, v.end} {
				c.Reset(1200, 440)
				plotLadder(&c, v, tm, ladderWindow(views, span), LangEN, &ls)
				check(v.proto + " ladder")
				// Wide enough for the head-of-line chips to show.
				for _, w := range []float64{1200, 8000} {
					c.Reset(w, float64(lanesHeight(len(v.rows))))
					plotLanes(&c, v, tm, span, LangEN)
					check(v.proto + " lanes")
					for _, st := range holStyles {
						if slices.Contains(c.strs, LangEN.T(st.key)) {
							chips[st.key] = true
						}
					}
				}
				c.Reset(1200, 360)
				plotBuffers(&c, v, tm, LangEN, &bs)
				check(v.proto + " buffers")
				c.Reset(1200, frameStripH)
				plotFrames(&c, v, tm, 3, LangEN, nil)
				check(v.proto + " frames")
				c.Reset(1200, chartsHeight)
				plotCharts(&c, v, tm, span, chartScaleOf([]*runView{v}), LangEN)
				check(v.proto + " charts")
			}
		}
	}
	for _, st := range holStyles {
		if !chips[st.key] {
			t.Errorf("no lane showed a %q chip: its contrast went unchecked", LangEN.T(st.key))
		}
	}
}

// labUnder returns the CIELAB (D65) coordinates of "#rrggbb" as seen with
// the model m.
func labUnder(t *testing.T, hex string, m [3][3]float64) [3]float64 {
	t.Helper()
	if len(hex) < 7 || hex[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	lin := linearRGB(t, hex)
	var s [3]float64
	for i := range s {
		s[i] = min(1, max(0, m[i][0]*lin[0]+m[i][1]*lin[1]+m[i][2]*lin[2]))
	}
	x := (0.4124*s[0] + 0.3576*s[1] + 0.1805*s[2]) / 0.95047
	y := 0.2126*s[0] + 0.7152*s[1] + 0.0722*s[2]
	z := (0.0193*s[0] + 0.1192*s[1] + 0.9505*s[2]) / 1.08883
	f := func(v float64) float64 {
		if v > 216.0/24389 {
			return math.Cbrt(v)
		}
		return (24389.0/27*v + 16) / 116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

// deltaE2000 is the CIEDE2000 colour difference of two CIELAB colours
// (Sharma, Wu and Dalal, "The CIEDE2000 Color-Difference Formula",
// Color Research & Application 30(1), 2005, equations 1 to 17).
func deltaE2000(p, q [3]float64) float64 {
	const deg = math.Pi / 180
	cm := (math.Hypot(p[1], p[2]) + math.Hypot(q[1], q[2])) / 2
	g := 0.5 * (1 - math.Sqrt(math.Pow(cm, 7)/(math.Pow(cm, 7)+math.Pow(25, 7))))
	a1, a2 := (1+g)*p[1], (1+g)*q[1]
	c1, c2 := math.Hypot(a1, p[2]), math.Hypot(a2, q[2])
	hue := func(b, a float64) float64 {
		if a == 0 && b == 0 {
			return 0
		}
		return math.Mod(math.Atan2(b, a)/deg+360, 360)
	}
	h1, h2 := hue(p[2], a1), hue(q[2], a2)
	dh, hm := 0.0, h1+h2
	if c1*c2 != 0 {
		dh = h2 - h1
		switch {
		case dh > 180:
			dh -= 360
		case dh < -180:
			dh += 360
		}
		switch {
		case math.Abs(h1-h2) <= 180:
			hm /= 2
		case hm < 360:
			hm = (hm + 360) / 2
		default:
			hm = (hm - 360) / 2
		}
	}
	dL, dC := q[0]-p[0], c2-c1
	dH := 2 * math.Sqrt(c1*c2) * math.Sin(dh/2*deg)
	lm, cmp := (p[0]+q[0])/2, (c1+c2)/2
	tt := 1 - 0.17*math.Cos((hm-30)*deg) + 0.24*math.Cos(2*hm*deg) + 0.32*math.Cos((3*hm+6)*deg) - 0.20*math.Cos((4*hm-63)*deg)
	rc := 2 * math.Sqrt(math.Pow(cmp, 7)/(math.Pow(cmp, 7)+math.Pow(25, 7)))
	rt := -math.Sin(60*math.Exp(-math.Pow((hm-275)/25, 2))*deg) * rc
	sl := 1 + 0.015*(lm-50)*(lm-50)/math.Sqrt(20+(lm-50)*(lm-50))
	sc, sh := 1+0.045*cmp, 1+0.015*cmp*tt
	return math.Sqrt((dL/sl)*(dL/sl) + (dC/sc)*(dC/sc) + (dH/sh)*(dH/sh) + rt*(dC/sc)*(dH/sh))
}

// The formula against the published test data (Sharma et al., Table 1).
func TestDeltaE2000(t *testing.T) {
	tests := []struct {
		p, q [3]float64
		want float64
	}{
		{[3]float64{50, 2.6772, -79.7751}, [3]float64{50, 0, -82.7485}, 2.0425},
		{[3]float64{50, -1.3802, -84.2814}, [3]float64{50, 0, -82.7485}, 1.0000},
		{[3]float64{50, 2.5, 0}, [3]float64{50, 0, -2.5}, 4.3065},
		{[3]float64{50, 2.5, 0}, [3]float64{73, 25, -18}, 27.1492},
		{[3]float64{60.2574, -34.0099, 36.2677}, [3]float64{60.4626, -34.1751, 39.4387}, 1.2644},
		{[3]float64{22.7233, 20.0904, -46.6940}, [3]float64{23.0331, 14.9730, -42.5619}, 2.0373},
		{[3]float64{90.9257, -0.5406, -0.9208}, [3]float64{88.6381, -0.8985, -0.7239}, 1.5381},
	}
	for _, tt := range tests {
		if got := deltaE2000(tt.p, tt.q); math.Abs(got-tt.want) > 1e-4 {
			t.Errorf("deltaE2000(%v, %v) = %.4f; want %.4f", tt.p, tt.q, got, tt.want)
		}
	}
}

// The colours that tell things apart stay apart for colour-blind readers
// (issue 7, item 8): the streams' colours, the loss colour and the ACK and
// control grey (the ladder and the frame strip draw them side by side),
// the head-of-line causes, and the chart's series.
func TestColoursSurviveColourBlindness(t *testing.T) {
	var hol []string
	for _, s := range holStyles {
		hol = append(hol, s.color)
	}
	groups := []struct {
		what    string
		colours []string
	}{
		{"streams, losses and control", append(streamColors[:], colorLost, colorControl, colorHandshake)},
		{"head-of-line causes", hol},
		{"chart series", []string{colorCwnd, colorInFlight, colorSsthresh, colorSRTT}},
	}
	for _, g := range groups {
		for _, model := range cvdModels {
			for i, a := range g.colours {
				for _, b := range g.colours[i+1:] {
					if d := deltaE2000(labUnder(t, a, model.m), labUnder(t, b, model.m)); d < minCVDDistance {
						t.Errorf("%s, %s: %s and %s are ΔE00 %.1f apart; want ≥ %d", g.what, model.name, a, b, d, minCVDDistance)
					}
				}
			}
		}
	}
	// ACKs are thin lines on white: WCAG's 3:1 for graphics.
	if r := contrast(t, colorControl, colorWhite); r < 3 {
		t.Errorf("colorControl %s on white: %.2f:1; want ≥ 3:1", colorControl, r)
	}
}

// Lost and blocked bytes are told by pattern too, not by colour alone: each
// head-of-line cause has its own hatch, and turns through the stream
// palette their own dashes.
func TestStatesHavePatterns(t *testing.T) {
	seen := map[Hatch]string{}
	for cause, s := range holStyles {
		if other, dup := seen[s.hatch]; dup {
			t.Errorf("causes %q and %q share hatch %d", cause, other, s.hatch)
		}
		seen[s.hatch] = cause
	}
	// The four causes ARCHITECTURE.md names.
	for _, cause := range []string{"transport", "loss", "http", "qpack"} {
		if _, ok := holStyles[cause]; !ok {
			t.Errorf("head-of-line cause %q has no style", cause)
		}
	}
}

// The lanes' legend names every head-of-line cause with its own colour and
// hatch, as the lanes draw it.
func TestLanesLegendMatchesTheStyles(t *testing.T) {
	hatchKind := map[Hatch]string{HatchDiagonal: "hatch", HatchBackward: "hatchb", HatchHorizontal: "hatchh", HatchVertical: "hatchv", HatchCross: "hatchx"}
	for cause, st := range holStyles {
		found := false
		for _, it := range lanesLegend {
			if it.key == "legend.hol."+cause {
				found = true
				if it.color != st.color || it.kind != hatchKind[st.hatch] {
					t.Errorf("legend for %s: %s %s; want %s %s", cause, it.color, it.kind, st.color, hatchKind[st.hatch])
				}
			}
		}
		if !found {
			t.Errorf("the lanes' legend has no entry for the %s cause", cause)
		}
	}
}

// Held-back bytes are drawn in their resource's colour (plotBuffers), so
// the buffers' legend shows them in every stream colour, on the page and in
// a figure: one colour read as "only these bytes are held back".
func TestHeldBackLegendShowsEveryStreamColour(t *testing.T) {
	var it legendItem
	for _, x := range buffersLegend {
		if x.key == "legend.stuck" {
			it = x
		}
	}
	if it.kind != "streams" {
		t.Fatalf("legend.stuck swatch %q %q; want the \"streams\" kind", it.color, it.kind)
	}
	var c Canvas
	c.Reset(100, 20)
	drawSwatch(&c, it, 0, 0)
	var fills []string
	eachOp(&c, func(op float64, a []float64) {
		if op == opFillStyle {
			fills = append(fills, c.strs[int(a[0])])
		}
	})
	html := app.HTMLString(legend(LangEN, buffersLegend))
	for _, col := range streamColors {
		if !slices.Contains(fills, col) {
			t.Errorf("the figure's swatch fills %v; want %s among them", fills, col)
		}
		if !strings.Contains(html, col) {
			t.Errorf("the page's legend has no %s: %s", col, html)
		}
	}
	tests := []struct {
		l    Lang
		want string
	}{
		{LangEN, "colour = its resource"},
		{LangZH, "颜色 = 其资源"},
	}
	for _, tt := range tests {
		if s := tt.l.T("legend.stuck"); !strings.Contains(s, tt.want) {
			t.Errorf("%s legend.stuck = %q; want it to say %q", tt.l.Code(), s, tt.want)
		}
	}
}

// The ladder's legend draws a retransmission and a loss as the ladder does
// (plotLadder): a retransmission's thick line in its resource's colour, not
// in the ink of the handshakes, from an ink dot; a loss's dashes with its ×.
func TestLadderLegendDrawsWhatTheLadderDraws(t *testing.T) {
	// What the h2-hol lesson's ladder draws for its retransmissions.
	const rtxWidth = 2.6 // plotLadder's st.width for FlagRetransmit
	v := lessonViews(t, "h2-hol")[0]
	f := ladderWindow([]*runView{v}, v.end)
	var ls ladderScratch
	var c Canvas
	rtxLines, dots := map[string]bool{}, map[string]bool{}
	for i := 0; i <= 200; i++ {
		c.Reset(600, ladderHeight)
		plotLadder(&c, v, v.end*int64(i)/200, f, LangEN, &ls)
		var stroke, fill string
		var width float64
		eachOp(&c, func(op float64, a []float64) {
			switch op {
			case opStrokeStyle:
				stroke = c.strs[int(a[0])]
			case opFillStyle:
				fill = c.strs[int(a[0])]
			case opLineWidth:
				width = a[0]
			case opLines:
				if width == rtxWidth {
					rtxLines[stroke] = true
				}
			case opFillCircle:
				dots[fill] = true
			}
		})
	}
	if len(rtxLines) == 0 || len(dots) == 0 {
		t.Fatalf("h2-hol's ladder drew no retransmission (lines %v, dots %v); the test's premise is gone", rtxLines, dots)
	}
	for col := range rtxLines {
		if col != colorLost && !slices.Contains(streamColors[:], col) {
			t.Errorf("the ladder drew a retransmission in %s; want a stream colour (or, lost, %s)", col, colorLost)
		}
	}

	items := map[string]legendItem{}
	for _, it := range ladderLegend {
		items[it.key] = it
	}
	rtx := items["legend.rtx"]
	if rtx.kind != "rtx" || !slices.Contains(streamColors[:], rtx.color) || rtx.color == colorHandshake {
		t.Errorf("legend.rtx swatch %s %q; want kind \"rtx\" in a stream colour, not the handshakes' %s", rtx.color, rtx.kind, colorHandshake)
	}
	// The figure's swatches (drawSwatch), op by op.
	swatch := func(it legendItem) (fills, strokes, dotFills []string) {
		c.Reset(100, 20)
		drawSwatch(&c, it, 0, 0)
		var fill string
		eachOp(&c, func(op float64, a []float64) {
			switch op {
			case opFillStyle:
				fill = c.strs[int(a[0])]
			case opFillRect:
				fills = append(fills, fill)
			case opStrokeStyle:
				strokes = append(strokes, c.strs[int(a[0])])
			case opFillCircle:
				dotFills = append(dotFills, fill)
			}
		})
		return
	}
	fills, _, dotFills := swatch(rtx)
	if !slices.Contains(fills, rtx.color) || len(dotFills) != 1 || !dots[dotFills[0]] {
		t.Errorf("the rtx swatch fills %v and dots %v; want a bar in %s and one dot in the ladder's %v", fills, dotFills, rtx.color, dots)
	}
	if _, strokes, _ := swatch(items["legend.lost"]); !slices.Contains(strokes, colorLost) {
		t.Errorf("the lost swatch strokes %v; want its × in %s", strokes, colorLost)
	}
	// The page's swatches: the stylesheet draws each kind.
	css, err := fs.ReadFile(static.FS, "httpsim.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range ladderLegend {
		if !strings.Contains(string(css), ".hs-swatch-"+it.kind+" {") {
			t.Errorf("httpsim.css has no .hs-swatch-%s for %s", it.kind, it.key)
		}
	}
}

func TestTimeAxisTicks(t *testing.T) {
	tests := []struct {
		t0, t1 int64
		want   string
	}{
		{0, 3_500_000_000, "0s 1s 2s 3s"},
		{0, 450_000_000, "0ms 100ms 200ms 300ms 400ms"},
		{1_000_000_000, 3_000_000_000, "1.0s 1.5s 2.0s 2.5s 3.0s"},
	}
	for _, tt := range tests {
		var got []string
		timeAxis{t0: tt.t0, t1: tt.t1, p0: 0, p1: 500}.ticks(6, func(_ float64, label string) { got = append(got, label) })
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("ticks(%d..%d) = %q; want %q", tt.t0, tt.t1, s, tt.want)
		}
	}
}

// TestTimeAxisTicksLeaveRoomForLabels checks that a short axis (a view of
// three side by side) gets fewer ticks, so that labels do not crowd.
func TestTimeAxisTicksLeaveRoomForLabels(t *testing.T) {
	for _, w := range []float64{100, 130, 170, 250, 400, 800} {
		for _, span := range []int64{450_000_000, 3_500_000_000, 9_700_000_000, 61_000_000_000} {
			var pos []float64
			timeAxis{t0: 0, t1: span, p0: 0, p1: w}.ticks(6, func(p float64, _ string) { pos = append(pos, p) })
			if len(pos) < 2 {
				t.Errorf("%vpx, span %d: %d ticks; want at least 2", w, span, len(pos))
			}
			for i := 1; i < len(pos); i++ {
				if gap := pos[i] - pos[i-1]; gap < minTickGap-0.01 {
					t.Errorf("%vpx, span %d: ticks %.0fpx apart; want at least %.0f", w, span, gap, minTickGap)
					break
				}
			}
		}
	}
}

// The lanes' legend names the head-of-line causes some lane of the runs
// shown waited for, and no other: h2-hol's lanes wait behind another
// stream's loss and for their own; pipelining's behind the HTTP/1.1 queue;
// qpack's for its encoder stream alone.
func TestLanesLegendNamesTheCausesShown(t *testing.T) {
	for _, tt := range []struct {
		lesson string
		want   []string
	}{
		{"h2-hol", []string{"loss", "transport"}},
		{"pipelining", []string{"http"}},
		{"qpack", []string{"qpack"}},
		{"six-vs-one", nil},
	} {
		var got []string
		for _, it := range lanesLegendFor(lessonViews(t, tt.lesson)) {
			if cause, ok := strings.CutPrefix(it.key, "legend.hol."); ok {
				got = append(got, cause)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: the lanes' legend names causes %q; want %q", tt.lesson, got, tt.want)
		}
	}
	// Every other entry stays.
	if n := len(lanesLegendFor(nil)); n != len(lanesLegend)-len(holCauseNames) {
		t.Errorf("with no cause, the legend has %d entries; want %d", n, len(lanesLegend)-len(holCauseNames))
	}
}

// The ladder's legend explains losses, retransmissions and QUIC's packets
// discarded or kept for their keys only where a run shown has them.
func TestLadderLegendNamesTheMarksShown(t *testing.T) {
	for _, tt := range []struct {
		lesson string
		want   []string
	}{
		{"six-vs-one", nil},
		{"h2-hol", []string{"legend.lost", "legend.rtx"}},
		{"handshakes", []string{"legend.discarded"}},
		{"lost-first-flight", []string{"legend.discarded", "legend.held", "legend.lost", "legend.rtx"}},
	} {
		var got []string
		for _, it := range ladderLegendFor(lessonViews(t, tt.lesson)) {
			if ladderMarkOf(it.key) != 0 {
				got = append(got, it.key)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: the ladder's legend explains %q; want %q", tt.lesson, got, tt.want)
		}
	}
	if n := len(ladderLegendFor(nil)); n != len(ladderLegend)-4 {
		t.Errorf("with no marks, the legend has %d entries; want %d", n, len(ladderLegend)-4)
	}
}

// Every cause the lanes' legend names is drawn, a wait shorter than a
// pixel as a tick: in the migration lesson at 5 % loss in bursts (seed 2),
// HTTP/2's video waits 1.5 ms behind another stream's loss in a 29 s run,
// a fifteenth of a pixel, and the legend named a cause the lanes did not
// show.
func TestLanesDrawEveryCauseTheLegendNames(t *testing.T) {
	s, _ := scenario.Builtin("migration")
	p := ParamsFrom(s)
	p.LossPermille, p.Burst, p.Seed = 50, 5, 2
	_, _, views := runViews(t, p)
	var span int64
	for _, v := range views {
		span = max(span, v.end)
	}
	want := map[string]bool{}
	for _, it := range lanesLegendFor(views) {
		if cause, ok := strings.CutPrefix(it.key, "legend.hol."); ok {
			want[cause] = true
		}
	}
	got := map[string]bool{}
	var c Canvas
	for _, v := range views {
		c.Reset(600, float64(lanesHeight(len(v.rows))))
		plotLanes(&c, v, span, span, LangEN)
		stroke := ""
		eachOp(&c, func(op float64, a []float64) {
			switch op {
			case opStrokeStyle:
				stroke = c.strs[int(a[0])]
			case opHatch:
				for cause, st := range holStyles {
					if st.color == stroke && float64(st.hatch) == a[5] {
						got[cause] = true
					}
				}
			}
		})
	}
	for cause := range want {
		if !got[cause] {
			t.Errorf("the legend names %s; the lanes hatch no wait of it", cause)
		}
	}
	if !want["transport"] {
		t.Errorf("the legend names %v; the test needs HTTP/2's short wait behind another stream's loss", want)
	}
}

// A wait's white ground never covers another wait's hatch: in qpack at
// 20 % loss (seed 2), an own-loss wait drawn over the only QPACK one left
// it a faint ghost under the legend that names it.
func TestLanesGroundsNeverCoverAHatch(t *testing.T) {
	s, _ := scenario.Builtin("qpack")
	p := ParamsFrom(s)
	p.LossPermille, p.Seed = 200, 2
	_, _, views := runViews(t, p)
	var c Canvas
	for _, v := range views {
		c.Reset(600, float64(lanesHeight(len(v.rows))))
		plotLanes(&c, v, v.end, v.end, LangEN)
		fill := ""
		var hatches [][4]float64
		eachOp(&c, func(op float64, a []float64) {
			switch op {
			case opFillStyle:
				fill = c.strs[int(a[0])]
			case opHatch:
				hatches = append(hatches, [4]float64{a[0], a[1], a[2], a[3]})
			case opFillRect:
				if fill != "#ffffffcc" {
					return
				}
				for _, h := range hatches {
					if a[0] < h[0]+h[2] && h[0] < a[0]+a[2] && a[1] < h[1]+h[3] && h[1] < a[1]+a[3] {
						t.Errorf("%s: a wait's ground at x=%.1f covers a hatch drawn before it at x=%.1f", v.proto, a[0], h[0])
						return
					}
				}
			}
		})
	}
}
