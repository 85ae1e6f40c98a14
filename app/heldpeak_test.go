package app

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
)

// heldAt counts, by brute force, the bytes v's receive buffers held behind
// holes at t by heldSeries' rule: as the panel counts a buffer's bytes
// ("… waiting behind a … hole"), over the connections (or streams) still
// receiving then. It checks the sweep; TestPeakNoteIsThePanels checks the
// note against the rows the panel draws.
func heldAt(v *runView, t int64) int64 {
	var n int64
	count := func(last int64, edge int64, ranges [][2]int64) {
		if g := gapsIn(edge, ranges); g.missing > 0 && t <= wholeMicro(last) {
			n += g.stuck
		}
	}
	if v.quic {
		for i := range v.streams {
			s := &v.streams[i]
			last := int64(0)
			for _, r := range s.recv {
				last = max(last, r.at)
			}
			if k := len(s.delivered.at); k > 0 {
				last = max(last, s.delivered.at[k-1])
			}
			edge, ranges := s.buffered(t, nil)
			count(last, edge, ranges)
		}
		return n
	}
	for i := range v.conns {
		c := &v.conns[i]
		if _, last, ok := c.span(); ok {
			edge, ranges := c.buffered(t, nil)
			count(last, edge, ranges)
		}
	}
	return n
}

// candidateTimes are the microseconds at which v's buffers change, and
// those just before.
func candidateTimes(v *runView) []int64 {
	var times []int64
	add := func(recv []byteRange, series ...*cumSeries) {
		for _, r := range recv {
			times = append(times, wholeMicro(r.at), wholeMicro(r.at)-1000, wholeMicro(r.at)+1000)
		}
		for _, s := range series {
			for _, at := range s.at {
				times = append(times, wholeMicro(at), wholeMicro(at)-1000, wholeMicro(at)+1000)
			}
		}
	}
	for i := range v.conns {
		add(v.conns[i].recv, &v.conns[i].delivered, &v.conns[i].opened)
	}
	for i := range v.streams {
		add(v.streams[i].recv, &v.streams[i].delivered)
	}
	slices.Sort(times)
	return slices.Compact(times)
}

// In one run, the peak is the last microsecond of the first stretch in
// which the receive buffers held the most bytes (heldAt's rule): checked
// against every microsecond at which they change, and the one before.
func TestPeakIsTheBuffersMost(t *testing.T) {
	for _, name := range []string{"", "h2-hol", "h3-hol", "loss-sweep", "lost-first-flight", "migration", "keepalive"} {
		t.Run(name, func(t *testing.T) {
			var views []*runView
			if name == "" { // the default comparison: six HTTP/1.1 connections, 2 % loss
				_, _, views = runViews(t, DefaultParams())
			} else {
				views = lessonViews(t, name)
			}
			held := false
			for vi, v := range views {
				p, ok := peakOf([]*runView{v})
				times := candidateTimes(v)
				var most, when int64
				for k, at := range times {
					h := heldAt(v, at)
					switch {
					case h > most:
						most, when = h, at
					case h == most && h > 0 && when == times[k-1]:
						when = at // the stretch goes on
					}
				}
				if ok != (most > 0) || ok && (p.bytes[0] != most || p.at != when) {
					t.Errorf("view %d (%s): peak %v, %d bytes at %d ns; the buffers held %d at most, last at %d of the first stretch", vi, v.proto, ok, p.bytes, p.at, most, when)
				}
				held = held || most > 0
			}
			if held != (name != "keepalive") {
				t.Errorf("a view held bytes behind a hole: %v; want %v (keepalive loses no packet, the others do)", held, !held)
			}
		})
	}
}

// A connection that died with bytes behind a hole holds them no longer:
// in the migration lesson, HTTP/2's first connection ends at the move.
func TestPeakForgetsADeadConnection(t *testing.T) {
	views := lessonViews(t, "migration")
	p, ok := peakOf(views[:1])
	if !ok || views[0].proto != "h2" || p.bytes[0] != heldAt(views[0], p.at) {
		t.Fatalf("migration's HTTP/2 peak %v %d bytes; the panel's rows hold %d", ok, p.bytes, heldAt(views[0], p.at))
	}
	c := &views[0].conns[0]
	_, last, _ := c.span()
	if edge, ranges := c.buffered(c.recv[len(c.recv)-1].at, nil); gapsIn(edge, ranges).missing == 0 || p.at <= last {
		t.Errorf("the first connection ends at %d ns with %v behind a hole; want bytes stuck, and the peak (%d) after", last, gapsIn(edge, ranges), p.at)
	}
}

// Runs side by side open where each shows its blocking: in h3-hol, HTTP/2's
// buffer holds bytes behind its hole and HTTP/3's lost stream its own,
// before HTTP/3 is done. The note names each run's bytes.
func TestPeakOfRunsSideBySide(t *testing.T) {
	views := lessonViews(t, "h3-hol")
	p, ok := peakOf(views)
	if !ok || len(views) != 2 || views[0].proto != "h2" || views[1].proto != "h3" {
		t.Fatalf("h3-hol: %v, %d views", ok, len(views))
	}
	for i, v := range views {
		if got := heldAt(v, p.at); got != p.bytes[i] || got == 0 {
			t.Errorf("%s holds %d bytes at %d ns; the peak says %d, and want some", v.proto, got, p.at, p.bytes[i])
		}
	}
	if p.at >= views[1].end {
		t.Errorf("the peak, %d ns, is after HTTP/3's end, %d", p.at, views[1].end)
	}
	want := "Most held back at " + formatTime(p.at) + ": " + formatBytes(p.bytes[0]) + " waiting behind holes in the receive buffers of HTTP/2, " + formatBytes(p.bytes[1]) + " in those of HTTP/3."
	if got := peakNote(views, p, ok, LangEN); got != want {
		t.Errorf("peakNote = %q; want %q", got, want)
	}
	// One run alone: its own most, just before the hole fills.
	one, _ := peakOf(lessonViews(t, "h2-hol"))
	if v := lessonViews(t, "h2-hol")[0]; len(v.losses) == 0 || one.at <= v.losses[0] || heldAt(v, one.at+1000) >= one.bytes[0] {
		t.Errorf("h2-hol's peak at %d ns holding %d; want after the loss at %v, the last microsecond before the buffer empties", one.at, one.bytes, v.losses)
	}

	clean := lessonViews(t, "six-vs-one")
	if p, ok := peakOf(clean); ok {
		t.Errorf("peakOf(no loss) = %+v; want none", p)
	}
	if got := peakNote(clean, heldPeak{}, false, LangZH); got != "本次运行中没有字节在空洞后等待。" {
		t.Errorf("peakNote(none, zh) = %q", got)
	}
}

// A lesson whose scenario opens at the peak does so once it has run, and
// the address says so; one that does not opens at the end. The button
// finds the peak again from anywhere, and says when there is none.
func TestPickedLessonOpensAtItsPeak(t *testing.T) {
	p, d := mountPage(t, "")
	waitPage(t, d, func() bool { return !p.running && p.has })
	p.onPick(p.ctx, app.Action{Value: "h2-hol"})
	waitPage(t, d, func() bool { return !p.running && p.ran.Scenario == "h2-hol" })
	peak, ok := peakOf(p.views)
	if !ok {
		t.Fatalf("h2-hol's peak: none")
	}
	if p.st.TimeUS != peak.at/1000 || p.now() != peak.at {
		t.Errorf("h2-hol opened at %d µs; want its peak, %d ns", p.st.TimeUS, peak.at)
	}
	if got := heldAt(p.views[0], p.now()); got != peak.bytes[0] {
		t.Errorf("the receive buffer holds %d bytes where the lesson opens; want %d", got, peak.bytes)
	}
	if q := p.st.Query(); q.Get("t") != formatFixed(peak.at/1000, 3) {
		t.Errorf("the address's t = %q; want the peak's time", q.Get("t"))
	}
	if got, want := p.timelineProps().Peak, peakNote(p.views, peak, ok, LangEN); got != want || want == "" {
		t.Errorf("the timeline says %q; want %q", got, want)
	}

	// From the start, the button comes back to it.
	p.setTime(p.ctx, 0)
	p.jumpToPeak(p.ctx)
	if p.now() != peak.at {
		t.Errorf("after the button, t = %d ns; want the peak, %d", p.now(), peak.at)
	}

	// A time the user picks while the lesson runs is kept.
	p.onPick(p.ctx, app.Action{Value: "h3-hol"})
	p.setTime(p.ctx, 0)
	waitPage(t, d, func() bool { return !p.running && p.ran.Scenario == "h3-hol" })
	if p.st.TimeUS != 0 {
		t.Errorf("scrubbed to 0 while h3-hol ran, then at %d µs; want 0", p.st.TimeUS)
	}

	// A lesson that says nothing opens at the end, and says nothing of a
	// peak; the button then says no byte waited, and stays put.
	p.onPick(p.ctx, app.Action{Value: "six-vs-one"})
	waitPage(t, d, func() bool { return !p.running && p.ran.Scenario == "six-vs-one" })
	if p.st.TimeUS != TimeEnd || p.timelineProps().Peak != "" {
		t.Errorf("six-vs-one opened at %d µs, saying %q; want the end, and nothing", p.st.TimeUS, p.timelineProps().Peak)
	}
	p.setTime(p.ctx, 300_000_000)
	p.jumpToPeak(p.ctx)
	if p.now() != 300_000_000 || p.timelineProps().Peak != LangEN.T("tl.peak.none") {
		t.Errorf("the button without a peak: t = %d ns, saying %q; want 300 ms and %q", p.now(), p.timelineProps().Peak, LangEN.T("tl.peak.none"))
	}
}

func TestOpeningTime(t *testing.T) {
	tests := []struct {
		in     scenario.OpensAt
		timeUS int64
		atPeak bool
	}{
		{scenario.OpensAt{}, TimeEnd, false},
		{scenario.OpensAt{Kind: scenario.OpensAtHeld}, TimeEnd, true},
		{scenario.OpensAt{Kind: scenario.OpensAtTime, At: 600 * time.Millisecond}, 600_000, false},
		{scenario.OpensAt{Kind: scenario.OpensAtTime}, 0, false},
	}
	for _, tt := range tests {
		if got, peak := openingTime(tt.in); got != tt.timeUS || peak != tt.atPeak {
			t.Errorf("openingTime(%+v) = %d, %v; want %d, %v", tt.in, got, peak, tt.timeUS, tt.atPeak)
		}
	}
}

// The QUIC buffers panel has five rows; streams beyond them are counted,
// so that the panel accounts for the bytes "Most held back" says. The
// QPACK encoder stream is named, and the note under the panel says how
// its hole holds back other streams.
func TestQUICBuffersAccountForEveryStream(t *testing.T) {
	p := DefaultParams()
	p.LossPermille, p.Burst = 50, 8
	_, _, views := runViews(t, p)
	v := views[2]
	if !v.quic {
		t.Fatalf("view 2 is %s; want HTTP/3", v.proto)
	}
	var c Canvas
	var bs bufferScratch
	found := false
	for _, at := range candidateTimes(v) {
		streams, hidden, hiddenBytes := 0, 0, int64(0)
		for i := range v.streams {
			if edge, ranges := v.streams[i].buffered(at, nil); len(ranges) > 0 {
				streams++
				if streams > quicBufferRows {
					hidden++
					hiddenBytes += gapsIn(edge, ranges).stuck
				}
			}
		}
		if hidden == 0 {
			continue
		}
		found = true
		c.Reset(600, float64(buffersHeight(quicBufferRows)))
		plotBuffers(&c, v, at, LangEN, &bs)
		want := fmt.Sprintf("+%d more streams: %s waiting.", hidden, formatBytes(hiddenBytes))
		if hidden == 1 {
			want = fmt.Sprintf("+1 more stream: %s waiting.", formatBytes(hiddenBytes))
		}
		if !strings.Contains(bs.said, want) {
			t.Errorf("at %d ns, %d streams hold bytes; the panel says %q, want %q in it", at, streams, bs.said, want)
		}
		break
	}
	if !found {
		t.Fatalf("no moment with more than %d streams holding bytes; the test needs one", quicBufferRows)
	}

	qp := lessonViews(t, "qpack")
	peak, ok := peakOf(qp)
	dyn := qp[1]
	if !ok || peak.bytes[1] == 0 || dyn.qpackCapacity == 0 {
		t.Fatalf("qpack's dynamic-table run holds %v bytes at its peak (capacity %d); want some", peak.bytes, dyn.qpackCapacity)
	}
	c.Reset(600, float64(buffersHeight(quicBufferRows)))
	plotBuffers(&c, dyn, peak.at, LangEN, &bs)
	if !strings.Contains(bs.said, "· QPACK encoder:") {
		t.Errorf("qpack's buffers at the peak say %q; want the encoder stream named", bs.said)
	}
	// With a table but no stream allowed to wait (RFC 9204 §2.1.2), or no
	// table, no stream waits for the encoder stream.
	if len(qp) != 3 || qp[2].qpackCapacity == 0 || qp[2].qpackBlocked != 0 {
		t.Fatalf("qpack's third run: capacity %d, blocked streams %d; want a table and none", qp[2].qpackCapacity, qp[2].qpackBlocked)
	}
	if quicBuffersNote(dyn, LangEN) != LangEN.T("buf.quic.qpack") || quicBuffersNote(qp[0], LangEN) != LangEN.T("buf.quic") || quicBuffersNote(qp[2], LangEN) != LangEN.T("buf.quic") {
		t.Errorf("the QUIC buffers' notes: %q, %q and %q", quicBuffersNote(qp[0], LangEN), quicBuffersNote(dyn, LangEN), quicBuffersNote(qp[2], LangEN))
	}
}

// The note states what the panel shows at the peak: the bytes behind holes
// in the rows it draws (over TCP, the connections buffersAt picks, one that
// stopped receiving among them while a row is spare), in every lesson, the
// default comparison, and a lossy page whose last connection's resent
// segments never arrived (the review's case: the panel drew it).
func TestPeakNoteIsThePanels(t *testing.T) {
	type run struct {
		name  string
		views []*runView
	}
	var runs []run
	for _, name := range scenario.Names() {
		runs = append(runs, run{name, lessonViews(t, name)})
	}
	lossy := DefaultParams()
	lossy.LossPermille, lossy.Burst, lossy.Seed = 150, 5, 4
	for _, p := range []Params{DefaultParams(), lossy} {
		_, _, views := runViews(t, p)
		runs = append(runs, run{fmt.Sprintf("page loss %d‰ burst %d seed %d", p.LossPermille, p.Burst, p.Seed), views})
	}
	var c Canvas
	var bs bufferScratch
	for _, r := range runs {
		p, ok := peakOf(r.views)
		if !ok {
			continue
		}
		for i, v := range r.views {
			c.Reset(600, float64(buffersHeight(max(v.bufferRows(), quicBufferRows))))
			plotBuffers(&c, v, p.at, LangEN, &bs)
			var drawn int64
			if v.quic {
				for k := range v.streams {
					if g := gapsIn(v.streams[k].buffered(p.at, nil)); g.missing > 0 {
						drawn += g.stuck
					}
				}
			} else {
				for _, k := range bs.conns {
					if g := gapsIn(v.conns[k].buffered(p.at, nil)); g.missing > 0 {
						drawn += g.stuck
					}
				}
			}
			if p.bytes[i] != drawn {
				t.Errorf("%s, %s at %d ns: the note says %d bytes; the panel's rows hold %d", r.name, v.proto, p.at, p.bytes[i], drawn)
			}
		}
	}
}

// A link copied at the peak opens saying so: the line beside the button
// is shared with the time. A link at another time says nothing of it.
func TestLinkAtThePeakSaysSo(t *testing.T) {
	p, d := mountPage(t, "s=h2-hol")
	waitPage(t, d, func() bool { return !p.running && p.has })
	peak, ok := peakOf(p.views)
	if !ok {
		t.Fatal("h2-hol's peak: none")
	}
	for _, tt := range []struct {
		us   int64
		note bool
	}{{peak.at / 1000, true}, {peak.at/1000 - 1, false}} {
		p, d := mountPage(t, "s=h2-hol&t="+formatFixed(tt.us, 3))
		waitPage(t, d, func() bool { return !p.running && p.has })
		got := p.timelineProps().Peak
		if want := peakNote(p.views, peak, ok, LangEN); tt.note && got != want {
			t.Errorf("t=%d µs, the peak's: the timeline says %q; want %q", tt.us, got, want)
		}
		if !tt.note && got != "" {
			t.Errorf("t=%d µs, not the peak's: the timeline says %q; want nothing", tt.us, got)
		}
		if p.st.TimeUS != tt.us {
			t.Errorf("t=%d µs in the link; the page is at %d µs", tt.us, p.st.TimeUS)
		}
	}
	// A link with the same settings and the peak's time, opened on the
	// page (history, or a link in the lesson's text): no run, the line.
	p, d = mountPage(t, "s=h2-hol&t=0")
	waitPage(t, d, func() bool { return !p.running && p.has })
	u, err := url.Parse("https://example.org/course/httpsim/?s=h2-hol&t=" + formatFixed(peak.at/1000, 3))
	if err != nil {
		t.Fatal(err)
	}
	d.Nav(u)
	d.Consume()
	if got, want := p.timelineProps().Peak, peakNote(p.views, peak, ok, LangEN); got != want || p.running {
		t.Errorf("after a link to the peak with the same settings, the timeline says %q (running %v); want %q", got, p.running, want)
	}
}
