package app

import (
	"math"
	"sort"

	"httpsim/sim/trace"
)

// The ladder (space-time) diagram: the client's column on the left, the
// server's on the right, time running down, every packet a slanted line from
// the column that sent it, drawn as far as it had travelled at the scrub
// time. The window shows the last few round trips before the scrub time.

// ladderRTTs is how many round-trip times the ladder's window spans.
const ladderRTTs = 6

// ladderHeight is the ladder canvas's CSS height, border included, which
// static/httpsim.css gives .hs-cv-ladder (figure_test.go checks the two
// agree).
const ladderHeight = 440

// ladderFrame is the window of simulated time that ladders side by side
// show: width long, within the comparison's span.
type ladderFrame struct{ width, span int64 }

// start is where the window starts for scrub time t: with t near its
// bottom, but never before the run's start or past its end (unless t is),
// so that a comparison shorter than the window shows whole, first flight
// included.
func (f ladderFrame) start(t int64) int64 {
	return max(0, min(t-f.width*9/10, max(f.span, t)-f.width))
}

// ladderWindow returns the window the ladders of views show side by side:
// one for all, the longest of their ladderRTTs round trips, at most span
// (the comparison's end). Each run's own length made the handshakes
// lesson's ladders 100 to 400 ms tall, the same height on the page, and its
// round trips could not be counted across.
func ladderWindow(views []*runView, span int64) ladderFrame {
	var w int64
	for _, v := range views {
		w = max(w, ladderRTTs*v.rtt)
	}
	if w <= 0 {
		w = 600e6
	}
	if span > 0 && w > span {
		w = span
	}
	return ladderFrame{width: max(w, 1e6), span: span}
}

// ladderStyle groups packets drawn alike, so that each group is one path.
type ladderStyle struct {
	color string
	dash  int // index into dashPatterns
	width float64
}

// dashPatterns are the ladder's dash patterns: none, and a lost packet's,
// the only dashed line, so that a loss is told by its pattern too.
var dashPatterns = [...][]float64{nil, {4, 3}}

const dashLost = 1

// ladderScratch holds a ladder's buffers between frames.
type ladderScratch struct {
	groups  map[ladderStyle][]float64
	order   []ladderStyle
	crosses []float64
	dots    []float64
	boxes   []float64 // where packets arrived that their receiver discarded
	held    []float64 // segments down the receiver's column: packets kept for their keys
}

func (s *ladderScratch) seg(st ladderStyle, x1, y1, x2, y2 float64) {
	if s.groups == nil {
		s.groups = map[ladderStyle][]float64{}
	}
	g := s.groups[st]
	if len(g) == 0 {
		s.order = append(s.order, st) // first use in this frame
	}
	s.groups[st] = append(g, x1, y1, x2, y2)
}

func (s *ladderScratch) reset() {
	for k := range s.groups {
		s.groups[k] = s.groups[k][:0]
	}
	s.order = s.order[:0]
	s.crosses = s.crosses[:0]
	s.dots = s.dots[:0]
	s.boxes = s.boxes[:0]
	s.held = s.held[:0]
}

// plotLadder records the ladder of v at time t on c, which Target or Reset
// has sized, in the window f (ladderWindow).
func plotLadder(c *Canvas, v *runView, t int64, f ladderFrame, lang Lang, sc *ladderScratch) {
	c.Clear()
	const top, bottom, left, right = 34.0, 10.0, 52.0, 16.0
	if c.W-left-right < 80 || c.H-top-bottom < 60 {
		return
	}
	xc, xs := left+28, c.W-right-28 // the client's and the server's columns
	t0 := f.start(t)
	ax := timeAxis{t0: t0, t1: t0 + f.width, p0: top, p1: c.H - bottom}

	// Grid and time ticks.
	c.Font(smallFont)
	c.FillStyle(colorAxis)
	c.StrokeStyle(colorGrid)
	c.LineWidth(1)
	var grid []float64
	ax.ticks(6, func(y float64, label string) {
		y = math.Round(y) + 0.5
		grid = append(grid, left, y, c.W-right, y)
		c.Text(label, left-6, y, AlignRight, BaselineMiddle)
	})
	c.Lines(grid)

	// Columns.
	c.StrokeStyle(colorInk)
	c.LineWidth(2)
	c.Lines([]float64{xc, top - 4, xc, c.H - bottom, xs, top - 4, xs, c.H - bottom})
	c.Font(chartFont)
	c.FillStyle(colorInk)
	c.Text(lang.T("ladder.client"), xc, 4, AlignCenter, BaselineTop)
	server := "ladder.server"
	if v.edge {
		server = "ladder.edge" // the browser's connection ends at the edge
	}
	c.Text(lang.T(server), xs, 4, AlignCenter, BaselineTop)

	// Packets sent from the window's start, less the longest flight, up
	// to t.
	sc.reset()
	reach := v.flightReach()
	from := sort.Search(len(v.packets), func(i int) bool { return v.packets[i].sent >= t0-reach-1 })
	var labels []ladderLabel
	for i := from; i < len(v.packets); i++ {
		p := &v.packets[i]
		if p.sent > t {
			break
		}
		end, stop, beside := p.course(v.oneWayAt(p.sent))
		x1, x2 := xc, xs
		if p.fromServer {
			x1, x2 = xs, xc
		}
		if p.heldUntil > 0 && p.heldUntil >= t0 && p.end < t {
			// Kept at the receiver until its keys came: a bar down the
			// receiver's column, from its arrival to its reading, drawn
			// while the window shows any of it.
			sc.held = append(sc.held, x2, math.Max(ax.pos(p.end), top), x2, ax.pos(min(p.heldUntil, t)))
		}
		if stop < t0 {
			continue
		}
		shown := min(stop, t)
		frac := 1.0
		switch {
		case beside:
			frac = 0.06 // beside the column, not on it
		case end > p.sent:
			frac = float64(shown-p.sent) / float64(end-p.sent)
		}
		ya, yb := ax.pos(p.sent), ax.pos(shown)
		xb := x1 + (x2-x1)*frac
		xa := x1
		if ya < top { // clip at the window's top edge
			f := (top - ya) / (yb - ya)
			xa, ya = x1+(xb-x1)*f, top
		}
		st := ladderStyle{color: streamColor(v.hue(p.row)), width: 1.2}
		switch {
		case p.n == 0 && p.label == "":
			st = ladderStyle{color: colorControl, width: 0.7}
		case p.label != "" || p.handshake:
			st = ladderStyle{color: colorHandshake, width: 1.4}
		case p.row < 0:
			st = ladderStyle{color: colorControl, width: 1.2}
		}
		if p.flags.Has(trace.FlagRetransmit) {
			st.width = 2.6
			sc.dots = append(sc.dots, x1, ax.pos(p.sent))
		}
		if p.lost {
			st = ladderStyle{color: colorLost, dash: dashLost, width: st.width}
			if stop <= t {
				sc.crosses = append(sc.crosses, xb, yb)
			}
		}
		if p.discarded && p.end <= t {
			sc.boxes = append(sc.boxes, xb, yb)
		}
		sc.seg(st, xa, ya, xb, yb)
		if p.label != "" && p.sent >= t0 {
			labels = append(labels, ladderLabel{y: ax.pos(p.sent), text: p.label, server: p.fromServer})
		}
	}
	for _, st := range sc.order {
		c.StrokeStyle(st.color)
		c.LineWidth(st.width)
		c.Dash(dashPatterns[st.dash]...)
		c.Lines(sc.groups[st])
	}
	c.Dash()

	// Retransmissions start with a dot; losses end with a cross.
	if len(sc.dots) > 0 {
		c.FillStyle(colorInk)
		for i := 0; i+1 < len(sc.dots); i += 2 {
			c.FillCircle(sc.dots[i], sc.dots[i+1], 2.6)
		}
	}
	if len(sc.held) > 0 {
		c.StrokeStyle(holStyles["handshake"].color)
		c.LineWidth(4)
		c.Lines(sc.held)
	}
	if len(sc.boxes) > 0 {
		c.StrokeStyle(colorInk)
		c.LineWidth(1.5)
		for i := 0; i+1 < len(sc.boxes); i += 2 {
			c.StrokeRect(sc.boxes[i]-4, sc.boxes[i+1]-4, 8, 8)
		}
	}
	if len(sc.crosses) > 0 {
		var x []float64
		for i := 0; i+1 < len(sc.crosses); i += 2 {
			px, py := sc.crosses[i], sc.crosses[i+1]
			x = append(x, px-5, py-5, px+5, py+5, px-5, py+5, px+5, py-5)
		}
		c.StrokeStyle(colorLost)
		c.LineWidth(2.2)
		c.Lines(x)
	}

	// Handshake labels beside the column that sent the flight, skipping
	// those that would overlap the one above.
	c.Font(tinyFont)
	c.FillStyle(colorInk)
	lastY := [2]float64{-100, -100}
	for _, l := range labels {
		side := 0
		x, a := xc+4, AlignLeft
		if l.server {
			side, x, a = 1, xs-4, AlignRight
		}
		if l.y-lastY[side] < 11 {
			continue
		}
		lastY[side] = l.y
		c.Text(l.text, x, l.y, a, BaselineBottom)
	}

	// A run that ended before the window, beside a longer one: say so,
	// rather than leave an empty diagram (the default comparison's
	// HTTP/1.1 run, 2.07 s long, at its end time of 3.46 s).
	if v.end < t0 {
		c.Font(chartFont)
		c.FillStyle(colorAxis)
		c.HaloText(lang.T("ladder.ended", formatTime(v.end)), (xc+xs)/2, (top+c.H-bottom)/2, AlignCenter, BaselineMiddle)
	}

	// The scrub time.
	y := math.Round(ax.pos(t)) + 0.5
	c.StrokeStyle(colorCursor)
	c.LineWidth(1)
	c.Dash(3, 3)
	c.Lines([]float64{left, y, c.W - right, y})
	c.Dash()
}

// course is where a packet's line goes: from the sender towards where and
// when it arrives (end), or would have, as far as stop, when a lost one's
// cross appears; beside: the cross stands by the sender's column at stop,
// not along the line. oneWay is the path's propagation delay.
func (p *packet) course(oneWay int64) (end, stop int64, beside bool) {
	switch {
	case p.end == inFlightForever:
		return p.sent + oneWay, p.sent + oneWay, false
	case !p.lost:
		return p.end, p.end, false
	case p.queueFull:
		// Dropped as it joined the sender's full queue, at the sending
		// time.
		return p.sent + oneWay, p.sent, true
	case p.pathDown && p.end-p.sent < oneWay/2:
		// Dropped by a path cut by a move, as it left, onto the dead path.
		return p.end + oneWay, p.end, true
	case p.pathDown:
		// Dropped by a path cut by a move while in flight: the link drops
		// it when it would have arrived, so the line goes across and the
		// cross stands at its end, no sooner than the cut.
		return p.end, p.end, false
	}
	// Lost on the path. The link decides a packet's fate as it finishes
	// sending it, after its wait in the queue (sim/link), so the drop's
	// time is when it would have started across: drawn to it, the line lay
	// flat across the diagram. It goes towards where it would have arrived,
	// one propagation delay later, and stops halfway, as a packet lost on
	// its way is drawn, the cross there.
	end = p.end + oneWay
	return end, p.sent + (end-p.sent)/2, false
}

type ladderLabel struct {
	y      float64
	text   string
	server bool
}
