package app

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/trace"
)

// TestPlotsStayOnCanvas draws every view of every protocol of a lossy run at
// several sizes and times, walks each frame as draw.js would, and checks
// that every point lies on the canvas and that the labels a reader needs
// are there.
func TestPlotsStayOnCanvas(t *testing.T) {
	_, _, views := runViews(t, lossyParams())
	var span int64
	for _, v := range views {
		span = max(span, v.end)
	}
	var ls ladderScratch
	var bs bufferScratch
	type plot struct {
		name  string
		h     float64
		min   int // points a frame must have
		draw  func(c *Canvas, v *runView, tm int64)
		wants []string
	}
	plots := []plot{
		{"ladder", 440, 10, func(c *Canvas, v *runView, tm int64) {
			plotLadder(c, v, tm, ladderWindow([]*runView{v}, v.end), LangEN, &ls)
		}, []string{"client", "server"}},
		{"lanes", 440, 10, func(c *Canvas, v *runView, tm int64) { plotLanes(c, v, tm, span, LangEN) }, []string{"index.html", "photo01.jpg", LangEN.T("lanes.progress")}},
		{"buffers", 360, 1, func(c *Canvas, v *runView, tm int64) { plotBuffers(c, v, tm, LangEN, &bs) }, nil},
		{"frames", frameStripH, 10, func(c *Canvas, v *runView, tm int64) { plotFrames(c, v, tm, 2, LangEN, nil) }, []string{"server → client"}},
		{"charts", chartsHeight, 10, func(c *Canvas, v *runView, tm int64) { plotCharts(c, v, tm, span, chartScaleOf(views), LangEN) }, []string{colorCwnd, "RTT"}},
	}
	var c Canvas
	for _, v := range views {
		for _, p := range plots {
			for _, w := range []float64{320, 560, 1200} {
				for _, tm := range []int64{span / 10, span / 2, v.end} {
					c.Reset(w, p.h)
					p.draw(&c, v, tm)
					pts := points(t, &c)
					if len(pts) < p.min {
						t.Errorf("%s %s %vpx at %d: %d points; want a picture", v.proto, p.name, w, tm, len(pts))
					}
					for _, pt := range pts {
						if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || pt[0] < -1 || pt[0] > w+1 || pt[1] < -1 || pt[1] > p.h+1 {
							t.Errorf("%s %s %vpx at %d: point %v off the canvas", v.proto, p.name, w, tm, pt)
							break
						}
					}
					if tm == v.end {
						for _, s := range p.wants {
							if !strings.Contains(c.Strings(), s) {
								t.Errorf("%s %s: frame lacks %q", v.proto, p.name, s)
							}
						}
					}
				}
			}
		}
	}
	// Tiny canvases draw nothing but the clear.
	for _, p := range plots {
		c.Reset(30, 20)
		p.draw(&c, views[0], span)
		if c.Len() > 1 && p.name != "buffers" && p.name != "frames" {
			t.Errorf("%s on a 30×20 canvas recorded %d values; want only the clear", p.name, c.Len())
		}
	}
}

// TestLadderShowsLossesAndHandshakes checks the ladder's marks: crosses
// where packets were dropped, handshake labels at the start of a run.
func TestLadderShowsLossesAndHandshakes(t *testing.T) {
	_, _, views := runViews(t, lossyParams())
	var ls ladderScratch
	var c Canvas
	for _, v := range views {
		c.Reset(600, 440)
		plotLadder(&c, v, v.rtt*3, ladderWindow([]*runView{v}, v.end), LangEN, &ls)
		for _, label := range []string{"SYN", "SYN-ACK"} {
			if v.proto != "h3" && !strings.Contains(c.Strings(), label) {
				t.Errorf("%s ladder at 3 RTT lacks %q: %q", v.proto, label, c.Strings())
			}
		}
		if v.proto == "h3" && !strings.Contains(c.Strings(), "Initial") {
			t.Errorf("h3 ladder at 3 RTT lacks the Initial flight: %q", c.Strings())
		}
		if len(v.losses) == 0 {
			continue
		}
		loss := v.losses[0]
		c.Reset(600, 440)
		plotLadder(&c, v, loss+v.rtt/2, ladderWindow([]*runView{v}, v.end), LangEN, &ls)
		if len(ls.crosses) == 0 || !strings.Contains(c.Strings(), colorLost) {
			t.Errorf("%s ladder half a round trip after a loss: no cross in %s", v.proto, colorLost)
		}
	}
}

// A packet lost on the path is drawn halfway across, the cross where its
// line stops: the link decides a packet's fate as it leaves, and drawn at
// the drop's time the line lay flat across the diagram, its cross on the
// receiver's column. A packet refused by the sender's full queue gets its
// cross beside the sender's column. Only lost packets are dashed.
func TestLadderDrawsLossesWhereTheyHappen(t *testing.T) {
	_, _, lossy := runViews(t, lossyParams())
	full := DefaultParams() // its queues overflow without random loss too (httpsim compare)
	full.LossPermille = 0
	_, _, overfull := runViews(t, full)
	views := append(lossy, overfull...)
	var ls ladderScratch
	var c Canvas
	const width = 600.0
	xc, xs := 52.0+28, width-16-28 // the columns, as plotLadder places them
	var onPath, inQueue int
	for _, v := range views {
		oneWay := v.rtt / 2
		w := ladderWindow([]*runView{v}, v.end)
		for i := range v.packets {
			p := &v.packets[i]
			if !p.lost {
				continue
			}
			from, to := xc, xs
			if p.fromServer {
				from, to = xs, xc
			}
			at, wantX := p.sent+(p.end+oneWay-p.sent)/2, (xc+xs)/2 // on the path
			if p.queueFull {
				at, wantX = p.sent, from+(to-from)*0.06
				inQueue++
			} else {
				onPath++
			}
			c.Reset(width, 440)
			plotLadder(&c, v, at, w, LangEN, &ls)
			found := false
			for k := 0; k+1 < len(ls.crosses); k += 2 {
				found = found || math.Abs(ls.crosses[k]-wantX) < 1
			}
			if !found {
				t.Errorf("%s: packet lost at %v (queue full: %v), plotted at %v: crosses at %v; want one at x = %.0f", v.proto, time.Duration(p.end), p.queueFull, time.Duration(at), ls.crosses, wantX)
				return
			}
			if !p.queueFull {
				c.Reset(width, 440)
				plotLadder(&c, v, at-1, w, LangEN, &ls)
				y := 34 + float64(at-w.start(at-1))/float64(w.width)*(440-10-34) // where the cross will be
				for k := 0; k+1 < len(ls.crosses); k += 2 {
					if math.Abs(ls.crosses[k]-wantX) < 1 && math.Abs(ls.crosses[k+1]-y) < 0.01 {
						t.Errorf("%s: the cross of a packet lost on the path shows before the packet gets halfway", v.proto)
					}
				}
			}
			for _, st := range ls.order {
				if st.dash != 0 && st.color != colorLost {
					t.Errorf("%s: a %s line is dashed; only lost packets are", v.proto, st.color)
				}
			}
		}
	}
	if onPath == 0 || inQueue == 0 {
		t.Fatalf("%d packets lost on the path, %d to a full queue; the run should have both", onPath, inQueue)
	}
}

// A packet its receiver discards unread is not a loss: the rejected 0-RTT
// packets of the handshakes lesson reach the server and are drawn so, with
// a box where they arrived; no loss is marked on the timeline.
func TestLadderShowsDiscardedPackets(t *testing.T) {
	views := lessonViews(t, "handshakes")
	var rejected *runView
	for _, v := range views {
		if v.names[0] == "QUIC, 0-RTT rejected" {
			rejected = v
		}
	}
	if rejected == nil {
		t.Fatal("no QUIC, 0-RTT rejected run")
	}
	var discarded []*packet
	for i := range rejected.packets {
		p := &rejected.packets[i]
		if p.lost {
			t.Errorf("packet sent at %v by the %s marked lost; the run lost none", time.Duration(p.sent), map[bool]string{true: "server", false: "client"}[p.fromServer])
		}
		if p.discarded {
			discarded = append(discarded, p)
		}
	}
	if len(rejected.losses) != 0 {
		t.Errorf("losses at %v; want none", rejected.losses)
	}
	if len(discarded) == 0 || discarded[0].fromServer || discarded[0].space != "0RTT" {
		t.Fatalf("discarded packets %v; want the client's 0-RTT packets", discarded)
	}
	var ls ladderScratch
	var c Canvas
	c.Reset(600, 440)
	plotLadder(&c, rejected, discarded[0].end, ladderWindow(views, rejected.end), LangEN, &ls)
	if len(ls.boxes) == 0 || len(ls.crosses) != 0 {
		t.Errorf("at the 0-RTT packet's arrival: boxes %v, crosses %v; want a box and no cross", ls.boxes, ls.crosses)
	}
}

func TestFrameHit(t *testing.T) {
	_, _, views := runViews(t, DefaultParams())
	var c Canvas
	c.Reset(800, frameStripH)
	v := views[1]
	boxes := plotFrames(&c, v, v.end, -1, LangEN, nil)
	if len(boxes) == 0 {
		t.Fatal("no frame boxes drawn")
	}
	b := boxes[len(boxes)/2]
	if got := hitFrame(boxes, (b.x0+b.x1)/2, (b.y0+b.y1)/2); got != b.frame {
		t.Errorf("hitFrame at the middle of frame %d's box = %d", b.frame, got)
	}
	if got := hitFrame(boxes, -50, -50); got != -1 {
		t.Errorf("hitFrame off the strip = %d; want -1", got)
	}
}

// A strip too short for every frame says how many it leaves out, on each
// side, and the count is what it does not draw.
func TestFrameStripCountsWhatItHides(t *testing.T) {
	_, _, views := runViews(t, DefaultParams())
	v := views[1]
	n := framesUpTo(v.frames, v.end)
	first := slices.IndexFunc(v.frames, func(f frameRec) bool { return f.fromServer })
	var c Canvas
	for _, sel := range []int{-1, first} { // the end, scrolled back to the server's first frame
		c.Reset(400, frameStripH)
		boxes := plotFrames(&c, v, v.end, sel, LangEN, nil)
		var labels []string
		numbers := map[[2]float64]string{} // texts by where they are drawn
		eachOp(&c, func(op float64, a []float64) {
			if op == opText {
				if s := c.strs[int(a[0])]; strings.Contains(s, "→") {
					labels = append(labels, s)
				} else {
					numbers[[2]float64{a[1], a[2]}] = s
				}
			}
		})
		for dir, label := range labels {
			drawn, all := 0, 0
			for i := 0; i < n; i++ {
				if v.frames[i].fromServer == (dir == 0) {
					all++
				}
			}
			for _, b := range boxes {
				if v.frames[b.frame].fromServer == (dir == 0) {
					drawn++
				}
			}
			var before, after int
			switch {
			case strings.Contains(label, "earlier and"):
				fmt.Sscanf(label[strings.Index(label, "·"):], "· %d earlier and %d later", &before, &after)
			case strings.Contains(label, "earlier"):
				fmt.Sscanf(label[strings.Index(label, "·"):], "· %d earlier", &before)
			case strings.Contains(label, "later"):
				fmt.Sscanf(label[strings.Index(label, "·"):], "· %d later", &after)
			}
			if drawn+before+after != all || drawn == all {
				t.Errorf("selected %d, %q: %d of %d frames drawn; the label leaves out %d+%d", sel, label, drawn, all, before, after)
			}
			if sel == first && dir == 0 && (before != 0 || after == 0) {
				t.Errorf("scrolled to the server's first frame: %q; want only later frames left out", label)
			}
		}
		// Every box of a stream's frame names the stream: two-digit
		// streams' HEADERS too, whose boxes are narrow.
		for _, b := range boxes {
			f := v.frames[b.frame]
			at := [2]float64{(b.x0 + b.x1) / 2, (b.y0+b.y1)/2 + 6}
			if want := strconv.FormatInt(f.stream, 10); f.stream >= 0 && numbers[at] != want {
				t.Errorf("selected %d: the %s box of stream %d (%g px) is numbered %q", sel, f.abbrev, f.stream, b.x1-b.x0, numbers[at])
			}
		}
		if len(labels) != 2 {
			t.Errorf("selected %d: direction labels %q; want two", sel, labels)
		}
	}
}

// The receive buffers fit the height the page gives their canvas, at every
// moment: QUIC's five stream rows included, which once started below a line
// of text and ran past the bottom. The QUIC explanation is HTML beside the
// canvas, where it wraps.
func TestBuffersFitTheirCanvas(t *testing.T) {
	// Bursts of four at 3 %: five QUIC streams wait at once at times.
	p := lossyParams()
	p.Burst = 4
	_, _, views := runViews(t, p)
	var bs bufferScratch
	var c Canvas
	for _, v := range views {
		rows := v.bufferRows()
		if v.quic {
			rows = quicBufferRows
		}
		h := float64(buffersHeight(rows))
		most := 0
		for i := 0; i <= 400; i++ {
			tm := v.end * int64(i) / 400
			c.Reset(420, h)
			plotBuffers(&c, v, tm, LangEN, &bs)
			for _, pt := range points(t, &c) {
				if pt[1] < -1 || pt[1] > h+1 {
					t.Errorf("%s buffers at %d: point %v below the %v px canvas", v.proto, tm, pt, h)
					break
				}
			}
			most = max(most, strings.Count(c.Strings(), "stream "))
		}
		if v.quic && most != quicBufferRows {
			t.Errorf("%s: at most %d stream rows over the run; want the %d the panel has room for", v.proto, most, quicBufferRows)
		}
		if v.quic && strings.Contains(c.Strings(), "QUIC keeps") {
			t.Errorf("%s buffers canvas still carries the explanation", v.proto)
		}
	}
	page, _ := mountPage(t, "s=page&loss=30&sched=rr&proto=h2,h3&panels=buffers")
	html := app.HTMLString(page.Render())
	if n := strings.Count(html, "QUIC keeps one buffer per stream"); n != 1 {
		t.Errorf("the page shows the QUIC buffer note %d times; want once, beside HTTP/3's buffers", n)
	}
}

// Every frame in the strip is labelled with its type, for each protocol's
// naming (HTTP/2's DATA, HTTP/3's qlog "data", HTTP/1.x heads); the HTTP/3
// strip once showed "?" in every box.
func TestFrameStripLabelsEveryFrame(t *testing.T) {
	_, _, views := runViews(t, lossyParams())
	for _, v := range views {
		labels := map[string]bool{}
		for _, f := range v.frames {
			a := f.abbrev
			if a == "?" {
				t.Errorf("%s: frame %q has no label", v.proto, f.name)
				break
			}
			labels[a] = true
		}
		want := map[string][]string{"h1": {"req", "resp"}, "h2": {"H", "D", "S"}, "h3": {"H", "D", "S"}}[v.proto]
		for _, w := range want {
			if !labels[w] {
				t.Errorf("%s: no frame labelled %q among %v", v.proto, w, labels)
			}
		}
		// Stream 0 is numbered like the others: HTTP/3's first request
		// stream and HTTP/1.1's first request showed no number.
		for _, f := range v.frames {
			if f.stream == 0 && f.parsed >= 0 && frameWidth(f.n) >= 22 && v.proto != "h2" {
				var c Canvas
				c.Reset(1200, frameStripH)
				plotFrames(&c, v, f.created, -1, LangEN, nil)
				if !slices.Contains(strings.Split(c.Strings(), "\n"), "0") {
					t.Errorf("%s: the strip at %v names no stream 0: %q", v.proto, time.Duration(f.created), c.Strings())
				}
				break
			}
		}
	}
}

// HTTP/1.0 opens a connection per request: the buffers panel has as many
// rows as connections ever received at once, and at every moment shows
// each connection that is receiving (so none with bytes waiting is left
// out), then the most recently finished.
func TestBuffersShowTheConnectionsReceiving(t *testing.T) {
	s, err := scenario.Builtin("keepalive")
	if err != nil {
		t.Fatal(err)
	}
	p := ParamsFrom(s)
	p.LossPermille = 20
	_, _, views := runViews(t, p)
	v := views[0] // HTTP/1.0
	if len(v.conns) < 20 || v.bufferRows() >= len(v.conns)/2 {
		t.Fatalf("%s: %d connections, %d rows; want many connections and few rows", v.names[0], len(v.conns), v.bufferRows())
	}
	var bs bufferScratch
	for i := 0; i <= 300; i++ {
		tm := v.end * int64(i) / 300
		shown := v.buffersAt(tm, v.bufferRows(), nil)
		if len(shown) > v.bufferRows() {
			t.Fatalf("at %d: %d connections shown in %d rows", tm, len(shown), v.bufferRows())
		}
		for k := range v.conns {
			_, waiting := v.conns[k].buffered(tm, bs.ranges)
			if len(waiting) > 0 && !slices.Contains(shown, k) {
				t.Errorf("at %d: connection %d has bytes waiting but is not shown (%v)", tm, k, shown)
			}
		}
	}
	if shown := v.buffersAt(v.end, v.bufferRows(), nil); len(shown) != v.bufferRows() {
		t.Errorf("at the end: %v; want the %d connections that finished last", shown, v.bufferRows())
	}
}

// Ties among the most recently finished connections never push out one
// that is receiving, and never overfill the rows.
func TestBuffersAtTies(t *testing.T) {
	conn := func(first, last int64) connRecv {
		return connRecv{recv: []byteRange{{at: first, a: 0, b: 1}}, delivered: cumSeries{at: []int64{last}, sum: []int64{1}}}
	}
	v := &runView{conns: []connRecv{conn(0, 10), conn(0, 10), conn(0, 10), conn(0, 5), conn(20, 40), {}}}
	tests := []struct {
		t    int64
		rows int
		want []int
	}{
		{30, 2, []int{0, 4}},    // the receiving one, then the first of three tied
		{30, 3, []int{0, 1, 4}}, // two of the three tied
		{30, 5, []int{0, 1, 2, 3, 4}},
		{-1, 3, []int{}},  // before any byte
		{50, 1, []int{4}}, // the latest to finish
	}
	// All four receive at once from 0 to 5: four rows.
	if r := v.countBufferRows(); r != 4 {
		t.Errorf("countBufferRows = %d; want 4", r)
	}
	for _, tt := range tests {
		got := v.buffersAt(tt.t, tt.rows, nil)
		if !slices.Equal(got, tt.want) {
			t.Errorf("buffersAt(%d, %d) = %v; want %v", tt.t, tt.rows, got, tt.want)
		}
	}
}

// Side by side, ladders share one time window: the handshakes lesson's
// six runs end between 100 and 400 ms, and each drew its own length in the
// same height, so their round trips could not be compared.
func TestLadderWindowIsShared(t *testing.T) {
	views := lessonViews(t, "handshakes")
	var span, shortest int64 = 0, 1 << 62
	for _, v := range views {
		span, shortest = max(span, v.end), min(shortest, v.end)
	}
	f := ladderWindow(views, span)
	if f.width != span || shortest >= span {
		t.Errorf("window %v for runs of %v to %v; want the longest run's, %v", time.Duration(f.width), time.Duration(shortest), time.Duration(span), time.Duration(span))
	}
	// A window as long as the comparison shows it whole at every scrub
	// time: it started at 9/10 of its width before the scrub time, so at
	// the end the first flight (the SYN, the ClientHello) was off the top.
	for _, tm := range []int64{0, span / 2, span} {
		if got := f.start(tm); got != 0 {
			t.Errorf("at %v the window starts at %v; want 0", time.Duration(tm), time.Duration(got))
		}
	}
	var ls ladderScratch
	var c Canvas
	c.Reset(600, 440)
	plotLadder(&c, views[0], span, f, LangEN, &ls)
	if !strings.Contains(c.Strings(), "SYN") {
		t.Errorf("%s at the end: no SYN in %q", views[0].names[0], c.Strings())
	}
	// A longer comparison's window follows the scrub time, within the run.
	long := ladderFrame{width: 600, span: 10000}
	for _, tt := range []struct{ t, start int64 }{{0, 0}, {500, 0}, {1000, 460}, {9990, 9400}, {10000, 9400}} {
		if got := long.start(tt.t); got != tt.start {
			t.Errorf("%+v.start(%d) = %d; want %d", long, tt.t, got, tt.start)
		}
	}
}

// An "origin only" variant's ladder follows its own round trip, the
// slider's and the edge's long haul together: cache-location's window was
// six of the slider's 20 ms round trips, and no exchange with the origin,
// 170 ms away, fitted in it.
func TestViewRTTIsTheBrowsersPath(t *testing.T) {
	s, err := scenario.Builtin("cache-location")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Variants {
		want := v.Scenario.Network.RTT
		if e := v.Scenario.Network.Edge; e != nil && e.Bypass {
			want += e.RTT
		}
		if got := viewInputsOf(v.Scenario, "h2").rtt; got != want {
			t.Errorf("%s: view RTT %v; want %v", v.Name, got, want)
		}
	}
	views := lessonViews(t, "cache-location")
	if f := ladderWindow(views, 1<<62); f.width < ladderRTTs*170*int64(time.Millisecond) {
		t.Errorf("window %v; want at least %d round trips of the origin-only path's 170 ms", time.Duration(f.width), ladderRTTs)
	}
}

// The timeline's page-load labels stay on the canvas: in a 640 px embed the
// loss sweep's early loads were labelled "lo loss" and "oss in bursts of 5",
// cut at the left edge.
func TestScrubMarkLabelsStayOnTheCanvas(t *testing.T) {
	views := lessonViews(t, "loss-sweep")
	var span int64
	for _, v := range views {
		span = max(span, v.end)
	}
	var c Canvas
	c.Reset(640-2*scrubPad, 60)
	plotScrubMarks(&c, views, span, LangEN, scrubPad)
	checked := 0
	for i := 0; i+5 < len(c.ops); i++ {
		if c.ops[i] != opHaloText || c.ops[i+1] != math.Trunc(c.ops[i+1]) || int(c.ops[i+1]) >= len(c.strs) {
			continue
		}
		name, x, align := c.strs[int(c.ops[i+1])], c.ops[i+2], Align(c.ops[i+4])
		left := x
		if align == AlignRight {
			left = x - tinyTextWidth(name)
		}
		if left < 0 {
			t.Errorf("label %q starts at %.0f px; want on the canvas", name, left)
		}
		checked++
	}
	if checked != len(views) {
		t.Errorf("%d labels found; want one per run, %d", checked, len(views))
	}
}

// Over TLS, bytes wait for the rest of their record even with no loss: the
// buffers call that rest bytes on their way, and keep "hole" for bytes
// missing while later ones arrived. The h3-hol lesson's HTTP/2 run showed
// "waiting behind a 6.56 kB hole" before its one loss.
func TestBuffersTellARecordsRestFromAHole(t *testing.T) {
	for _, v := range lessonViews(t, "h3-hol") {
		if v.proto != "h2" {
			continue
		}
		if len(v.losses) == 0 {
			t.Fatal("the HTTP/2 run lost nothing")
		}
		var c Canvas
		var sc bufferScratch
		var record, hole bool
		for i := 0; i <= 400; i++ {
			tm := v.end * int64(i) / 400
			c.Reset(600, float64(buffersHeight(v.bufferRows())))
			plotBuffers(&c, v, tm, LangEN, &sc)
			if tm < v.losses[0] && strings.Contains(sc.said, "hole") {
				t.Fatalf("at %v, before the first loss at %v: %q", time.Duration(tm), time.Duration(v.losses[0]), sc.said)
			}
			record = record || strings.Contains(sc.said, "waiting for the rest of their TLS record")
			hole = hole || strings.Contains(sc.said, "hole")
		}
		if !record || !hole {
			t.Errorf("over the run: bytes waiting for their record's rest: %v; behind a hole: %v; want both", record, hole)
		}
		return
	}
	t.Fatal("no HTTP/2 run")
}

// whiteLines counts the points of the lines c strokes in white: the
// receive buffers' dividers.
func whiteLines(c *Canvas) int {
	white, n := false, 0
	eachOp(c, func(op float64, a []float64) {
		switch op {
		case opStrokeStyle:
			white = c.strs[int(a[0])] == colorWhite
		case opLines:
			if white {
				n += int(a[0])
			}
		}
	})
	return n
}

// Five colours serve every resource, so two streams' bytes side by side in
// a TCP receive buffer can share one (resources 1 and 6 in the h2-hol
// lesson): the bar parts them with a divider, and draws none elsewhere.
func TestBuffersDivideStreamsOfOneColour(t *testing.T) {
	for _, v := range lessonViews(t, "h2-hol") {
		if v.quic {
			continue
		}
		var c Canvas
		var sc bufferScratch
		var conns []int
		var ranges [][2]int64
		total := 0
		for i := 0; i <= 400; i++ {
			tm := v.end * int64(i) / 400
			c.Reset(600, float64(buffersHeight(v.bufferRows())))
			plotBuffers(&c, v, tm, LangEN, &sc)
			drawn := whiteLines(&c)
			// Where one stream's held bytes meet another's of one colour.
			want := 0
			conns = v.buffersAt(tm, v.bufferRows(), conns)
			for _, ci := range conns {
				cr := &v.conns[ci]
				_, ranges = cr.buffered(tm, ranges)
				for _, r := range ranges {
					prevSt, prevColor := int64(0), ""
					cr.bm.split(r[0], r[1]-r[0], func(st, a, _ int64) {
						row, ok := v.colourOf.get(cr.conn, st)
						if !ok {
							row = -1
						}
						color := streamColor(v.hue(row))
						if a > r[0] && st != prevSt && color == prevColor {
							want++
						}
						prevSt, prevColor = st, color
					})
				}
			}
			if drawn != want {
				t.Errorf("%s at %v: %d dividers drawn; want %d", v.proto, time.Duration(tm), drawn, want)
			}
			total += drawn
		}
		if total == 0 {
			t.Errorf("%s: no two streams of one colour met in a buffer over the run; the test's premise is gone", v.proto)
		}
		// A fact of the lesson, not of the rule: where it opens, photo1's
		// and photo6's bytes, the only two of its images that share a
		// colour, meet behind the hole.
		p, _ := peakOf([]*runView{v})
		c.Reset(600, float64(buffersHeight(v.bufferRows())))
		plotBuffers(&c, v, p.at, LangEN, &sc)
		if drawn := whiteLines(&c); drawn == 0 {
			t.Errorf("%s at its peak, %v: no divider between photo1's and photo6's bytes", v.proto, time.Duration(p.at))
		}
		return
	}
	t.Fatal("no TCP run")
}

// A ladder whose run ended before the shared window says when it ended
// instead of showing an empty diagram; one still running says nothing.
func TestLadderSaysWhenItsRunEnded(t *testing.T) {
	_, _, views := runViews(t, DefaultParams())
	var span int64
	for _, v := range views {
		span = max(span, v.end)
	}
	f := ladderWindow(views, span)
	var ls ladderScratch
	var c Canvas
	ended := 0
	for _, v := range views {
		c.Reset(600, 440)
		plotLadder(&c, v, span, f, LangEN, &ls)
		note := LangEN.T("ladder.ended", formatTime(v.end))
		if got, want := strings.Contains(c.Strings(), note), v.end < f.start(span); got != want {
			t.Errorf("%s (ended at %v) at %v: says %q: %v; want %v", v.proto, time.Duration(v.end), time.Duration(span), note, got, want)
		}
		if v.end < f.start(span) {
			ended++
		}
	}
	if ended == 0 {
		t.Fatal("no run ended before the window at the end time; the test's premise is gone")
	}
}

// The lost-first-flight lesson's ladders: the QUIC datagram the network
// dropped held the server's Initial (its ServerHello) and the packets
// coalesced with it, all drawn lost, and nothing else; the response that
// came before its keys is drawn arriving at once, then kept until it could
// be read. (The drop named the datagram's first packet number, 0, and the
// cross went to a 1-RTT packet 0 that arrived in another datagram.)
func TestLadderLostFirstFlight(t *testing.T) {
	for _, v := range lessonViews(t, "lost-first-flight") {
		var initial *packet
		var lost []*packet
		for i := range v.packets {
			p := &v.packets[i]
			if p.fromServer && p.label == "Initial" && initial == nil {
				initial = p
			}
			if p.lost {
				lost = append(lost, p)
			}
		}
		if !v.quic {
			if len(lost) != 1 || !lost[0].fromServer {
				t.Errorf("%s: %d packets lost; want the server's first data segment", v.names[0], len(lost))
			}
			continue
		}
		if initial == nil || !initial.lost {
			t.Fatalf("%s: the server's first Initial %+v; want it lost", v.names[0], initial)
		}
		for _, p := range lost {
			if !p.fromServer || p.sent != initial.sent {
				t.Errorf("%s: a %s packet sent at %v marked lost; only the server's first datagram was", v.names[0], p.space, time.Duration(p.sent))
			}
		}
		if len(lost) < 2 {
			t.Errorf("%s: %d packets lost; the first datagram coalesced the Initial with Handshake packets", v.names[0], len(lost))
		}
		held := 0
		for i := range v.packets {
			p := &v.packets[i]
			if p.heldUntil == 0 {
				continue
			}
			held++
			if p.end-p.sent > v.rtt || p.heldUntil <= p.end {
				t.Errorf("%s: a %s packet sent at %v arrived at %v, read at %v; want it there within a round trip, read later", v.names[0], p.space, time.Duration(p.sent), time.Duration(p.end), time.Duration(p.heldUntil))
			}
			// With the page's window, which scrolls past the arrival
			// while the packet still waits (the bar vanished then).
			var ls ladderScratch
			var c Canvas
			f := ladderWindow([]*runView{v}, v.end)
			for _, at := range []int64{(p.end + p.heldUntil) / 2, p.heldUntil - 1} {
				c.Reset(600, 440)
				plotLadder(&c, v, at, f, LangEN, &ls)
				if len(ls.held) == 0 {
					t.Errorf("%s: at %v, while a packet waits for its keys (%v to %v), no bar on the receiver's column", v.names[0], time.Duration(at), time.Duration(p.end), time.Duration(p.heldUntil))
				}
			}
		}
		if held == 0 {
			t.Errorf("%s: no packet kept for its keys; the lost ServerHello's keys held some", v.names[0])
		}
	}
	// Runs that keep no packet draw no bar, at any time: with the window
	// at 0, every packet that had arrived got one.
	for _, lesson := range []string{"handshakes", "lost-first-flight"} {
		views := lessonViews(t, lesson)
		var span int64
		for _, v := range views {
			span = max(span, v.end)
		}
		f := ladderWindow(views, span)
		for _, v := range views {
			kept := 0
			for i := range v.packets {
				if v.packets[i].heldUntil > 0 {
					kept++
				}
			}
			if kept > 0 {
				continue
			}
			var ls ladderScratch
			var c Canvas
			for _, at := range []int64{span / 3, span} {
				c.Reset(600, 440)
				plotLadder(&c, v, at, f, LangEN, &ls)
				if len(ls.held) != 0 {
					t.Errorf("%s %s at %v: %d bars for packets kept for keys; it kept none", lesson, v.names[0], time.Duration(at), len(ls.held)/4)
				}
			}
		}
	}
}

// Packets a path cut by a move drops are crossed out no sooner than the
// cut: drawn halfway from their drop time plus a flight, 58 of HTTP/2's
// were crossed 24 ms before the migration lesson's move.
func TestLadderCutPathCrossesAfterTheCut(t *testing.T) {
	s, err := scenario.Builtin("migration")
	if err != nil {
		t.Fatal(err)
	}
	move := int64(s.Network.PathChanges[0].At)
	cut := 0
	for _, v := range lessonViews(t, "migration") {
		for i := range v.packets {
			p := &v.packets[i]
			if !p.pathDown {
				continue
			}
			cut++
			if _, stop, _ := p.course(v.oneWayAt(p.sent)); stop < move {
				t.Errorf("%s: a packet cut by the move at %v is crossed at %v", v.names[0], time.Duration(move), time.Duration(stop))
				break
			}
		}
	}
	if cut == 0 {
		t.Fatal("no packet lost to the cut path")
	}
	// After the move, packets take the new path's delay: a lost one's line
	// heads for where it would have arrived on that path.
	for _, v := range lessonViews(t, "migration") {
		before, after := v.oneWayAt(move-1), v.oneWayAt(move)
		newRTT := int64(s.Network.PathChanges[0].RTT)
		if before != v.rtt/2 || newRTT == 0 || after != newRTT/2 {
			t.Errorf("%s: one-way delay %v before the move, %v after; want %v and %v", v.names[0], time.Duration(before), time.Duration(after), time.Duration(v.rtt/2), time.Duration(newRTT/2))
		}
	}
}

// After a move the server's packets cross a new link, "down-1": its drops
// are the server's losses too. They were matched as the client's, so none
// was drawn lost and each looked delivered.
func TestLadderLossesOnTheNewPath(t *testing.T) {
	s, err := scenario.Builtin("migration")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Variants {
		for i := range v.Scenario.Network.PathChanges {
			loss := scenario.LinkLoss{Loss: link.Loss{Model: link.Bernoulli, Rate: 0.05}}
			v.Scenario.Network.PathChanges[i].Down, v.Scenario.Network.PathChanges[i].Up = &loss, &loss
		}
	}
	for i := range s.Network.PathChanges {
		loss := scenario.LinkLoss{Loss: link.Loss{Model: link.Bernoulli, Rate: 0.05}}
		s.Network.PathChanges[i].Down, s.Network.PathChanges[i].Up = &loss, &loss
	}
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range buildViews(s, res, nil) {
		if v.quic {
			continue // a datagram's drop marks several packets
		}
		drops := map[bool]int{}
		for e := range res.Runs[k].Log.All() {
			if e.Kind == trace.PacketDropped && e.Side == trace.Network {
				drops[strings.HasPrefix(e.Value, "down")]++
			}
		}
		lost := map[bool]int{}
		for i := range v.packets {
			if v.packets[i].lost {
				lost[v.packets[i].fromServer]++
			}
		}
		if lost[true] != drops[true] || lost[false] != drops[false] {
			t.Errorf("%s: %d server and %d client packets drawn lost; the links dropped %d and %d", v.names[0], lost[true], lost[false], drops[true], drops[false])
		}
	}
}

// The h2-hol lesson tells students to look at the receive buffers half a
// round trip after the loss, when the packets behind the lost one reach the
// client; Shift+→ jumps to the loss. Just before then the buffers show no
// hole; just after, the other streams' bytes behind it.
func TestH2HOLLessonHoleHalfARoundTripAfterTheLoss(t *testing.T) {
	p, d := mountPage(t, "s=h2-hol&panels=buffers")
	p.setTime(p.ctx, 0)
	p.onKey(p.ctx, "nextloss", "")
	d.Consume()
	loss := p.now()
	if loss == 0 || len(p.views) != 1 || p.views[0].proto != "h2" {
		t.Fatalf("Shift+→ went to %d ns in %d views; want the HTTP/2 run's loss", loss, len(p.views))
	}
	v := p.views[0]
	half := v.rtt / 2
	var c Canvas
	var sc bufferScratch
	at := func(tm int64) string {
		c.Reset(600, float64(buffersHeight(v.bufferRows())))
		plotBuffers(&c, v, tm, LangEN, &sc)
		return sc.said
	}
	if said := at(loss + half*9/10); strings.Contains(said, "hole") {
		t.Errorf("0.45 RTT after the loss the buffers already say %q", said)
	}
	if said := at(loss + half*11/10); !strings.Contains(said, "hole (photo") {
		t.Errorf("0.55 RTT after the loss the buffers say %q; want bytes of other resources waiting behind a hole", said)
	}
}

// Runs side by side share their charts' axes, so that heights compare; a
// run without a sample says so instead of drawing axes scaled to nothing.
func TestChartsShareAxes(t *testing.T) {
	for _, lesson := range []string{"keepalive", "handshakes"} {
		views := lessonViews(t, lesson)
		sc := chartScaleOf(views)
		var span int64
		for _, v := range views {
			span = max(span, v.end)
		}
		tops := map[string]bool{}
		empty := 0
		for _, v := range views {
			var c Canvas
			c.Reset(600, chartsHeight)
			plotChartsBase(&c, v, span, sc, LangEN)
			var top, rtt string
			none := false
			eachOp(&c, func(op float64, a []float64) {
				if op == opText {
					switch s := c.strs[int(a[0])]; {
					case strings.HasSuffix(s, " kB"):
						top = s // ticks go up: the last is the top
					case strings.HasSuffix(s, " ms") && a[1] < chartLeft:
						rtt = s
					case s == LangEN.T("charts.none"):
						none = true
					}
				}
			})
			if v.series.Len() == 0 {
				empty++
				if !none || top != "" {
					t.Errorf("%s %s: no sample; drew the note %v and a top tick %q; want the note alone", lesson, v.names[LangEN], none, top)
				}
				continue
			}
			tops[top+" "+rtt] = true
		}
		if len(tops) != 1 {
			t.Errorf("%s: the runs' charts top out at %v; want one scale", lesson, tops)
		}
		if lesson == "handshakes" && empty == 0 {
			t.Errorf("handshakes: every run has a sample; the test of an empty chart shows nothing")
		}
	}
}

// The lanes' labels stay clear of each other: a head-of-line chip is as
// wide as its label ("own loss" ran past a fixed 44 px chip), and no time
// label runs into the progress column's heading.
func TestLanesLabelsFit(t *testing.T) {
	hol := lessonViews(t, "h2-hol")[0]
	hs := lessonViews(t, "handshakes")
	var span int64 // the handshakes lesson's runs share their time axis
	for _, v := range hs {
		span = max(span, v.end)
	}
	cases := []struct {
		v     *runView
		span  int64
		width float64
	}{
		{hol, hol.end, 400}, {hol, hol.end, 640}, {hol, hol.end, 1000},
		// A figure 1000 px wide has three columns of 318 px.
		{hs[len(hs)-1], span, 240}, {hs[len(hs)-1], span, 286}, {hs[len(hs)-1], span, 318}, {hs[0], span, 316},
	}
	for _, l := range []Lang{LangEN, LangZH} {
		for _, tc := range cases {
			v, width := tc.v, tc.width
			var c Canvas
			c.Reset(width, 440)
			plotLanesBase(&c, v, tc.span, l)
			type rect struct{ x, y, w, h float64 }
			var fills []rect
			fill := ""
			head := l.T("lanes.progress")
			headLeft := width - laneProgressW + (laneProgressW-7)/2 - tinyTextWidth(head)/2
			chips := 0
			eachOp(&c, func(op float64, a []float64) {
				switch op {
				case opFillStyle:
					fill = c.strs[int(a[0])]
				case opFillRect:
					if fill == colorWhite {
						fills = append(fills, rect{a[0], a[1], a[2], a[3]})
					}
				case opText:
					s, x, y := c.strs[int(a[0])], a[1], a[2]
					w := tinyTextWidth(s)
					if y < laneTop && s != head && x+w/2 >= headLeft-4 { // 4 px apart at least
						t.Errorf("%s %v px: time label %q at %v runs into %q (from %v)", l.Code(), width, s, x, head, headLeft)
					}
					for _, cause := range []string{"hol.transport", "hol.loss", "hol.http", "hol.qpack", "hol.handshake"} {
						if s != l.T(cause) {
							continue
						}
						chips++
						inside := false
						for _, r := range fills {
							inside = inside || x-w/2 >= r.x && x+w/2 <= r.x+r.w && y >= r.y && y <= r.y+r.h
						}
						if !inside {
							t.Errorf("%s %v px: %q (%v px) at %v,%v is not inside its chip", l.Code(), width, s, w, x, y)
						}
					}
				}
			})
			if v == hol && width == 1000 && chips == 0 {
				t.Errorf("%s: no head-of-line label in h2-hol's lanes at 1000 px", l.Code())
			}
		}
	}
}

// The charts tick the server's loss detections, a round trip or a timeout
// after the drop the ladder crosses: their legend says so, not "lost".
func TestChartsLegendNamesDetections(t *testing.T) {
	v := lessonViews(t, "h2-hol")[0]
	if len(v.losses) == 0 || len(v.series.Losses) == 0 || v.series.Losses[0] <= v.losses[0] {
		t.Fatalf("h2-hol: drops %v, detections %v; want the first detected after the first drop", v.losses, v.series.Losses)
	}
	keys := map[string]bool{}
	for _, it := range chartsLegend {
		keys[it.key] = true
	}
	if !keys["legend.detected"] || keys["legend.lost"] {
		t.Errorf("charts legend %v; want the detections named, not the drops", keys)
	}
}
