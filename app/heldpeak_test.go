package app

import (
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
)

// heldAt counts the bytes v's receive buffers held behind holes at t, as
// the receive-buffer panel says it ("… waiting behind a … hole").
func heldAt(v *runView, t int64) int64 {
	var n int64
	count := func(edge int64, ranges [][2]int64) {
		if g := gapsIn(edge, ranges); g.missing > 0 {
			n += g.stuck
		}
	}
	if v.quic {
		for i := range v.streams {
			count(v.streams[i].buffered(t, nil))
		}
		return n
	}
	for i := range v.conns {
		count(v.conns[i].buffered(t, nil))
	}
	return n
}

// The peak is the earliest whole microsecond at which the receive buffers,
// read as the panel reads them, held the most bytes: checked against every
// microsecond at which a byte arrived or was delivered.
func TestPeakHeldIsTheBuffersMost(t *testing.T) {
	for _, name := range []string{"", "h2-hol", "h3-hol", "loss-sweep", "lost-first-flight", "keepalive"} {
		t.Run(name, func(t *testing.T) {
			var views []*runView
			if name == "" { // the default comparison: six HTTP/1.1 connections, 2 % loss
				_, _, views = runViews(t, DefaultParams())
			} else {
				views = lessonViews(t, name)
			}
			any := false
			for vi, v := range views {
				p, _ := v.peakHeld(nil)
				var times []int64
				add := func(recv []byteRange, delivered *cumSeries) {
					for _, r := range recv {
						times = append(times, wholeMicro(r.at))
					}
					for _, at := range delivered.at {
						times = append(times, wholeMicro(at))
					}
				}
				for i := range v.conns {
					add(v.conns[i].recv, &v.conns[i].delivered)
					add(nil, &v.conns[i].opened)
				}
				for i := range v.streams {
					add(v.streams[i].recv, &v.streams[i].delivered)
				}
				var most, when int64
				for _, at := range times {
					if h := heldAt(v, at); h > most || (h == most && h > 0 && at < when) {
						most, when = h, at
					}
				}
				if p.bytes != most || (most > 0 && p.at != when) {
					t.Errorf("view %d (%s): peak %d bytes at %d ns; the buffers held %d at most, first at %d", vi, v.proto, p.bytes, p.at, most, when)
				}
				any = any || most > 0
			}
			if any != (name != "keepalive") {
				t.Errorf("a view held bytes behind a hole: %v; want %v (keepalive loses no packet, the others do)", any, !any)
			}
		})
	}
}

// In the HTTP/2 lesson the peak comes after the lost packet and holds
// other images' bytes; with no loss, no byte ever waits.
func TestPeakOf(t *testing.T) {
	views := lessonViews(t, "h2-hol")
	i, p := peakOf(views)
	if i != 0 || p.bytes < 10_000 {
		t.Fatalf("peakOf(h2-hol) = view %d, %d bytes; want view 0 holding some images' bytes", i, p.bytes)
	}
	v := views[0]
	if len(v.losses) == 0 || p.at <= v.losses[0] || p.at >= v.end {
		t.Errorf("peak at %d ns; want after the loss at %v and before the end at %d", p.at, v.losses, v.end)
	}
	if got, want := peakNote(views, i, p, LangEN), "Most held back: "+formatBytes(p.bytes)+" waiting behind holes in the receive buffers of HTTP/2, at "+formatTime(p.at)+"."; got != want {
		t.Errorf("peakNote = %q; want %q", got, want)
	}

	clean := lessonViews(t, "six-vs-one")
	if i, p := peakOf(clean); i != -1 || p.bytes != 0 {
		t.Errorf("peakOf(no loss) = view %d, %d bytes; want -1, 0", i, p.bytes)
	}
	if got := peakNote(clean, -1, heldPeak{}, LangZH); got != "本次运行中没有字节在空洞后等待。" {
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
	i, peak := peakOf(p.views)
	if i != 0 || peak.bytes == 0 {
		t.Fatalf("h2-hol's peak: view %d, %d bytes", i, peak.bytes)
	}
	if p.st.TimeUS != peak.at/1000 || p.now() != peak.at {
		t.Errorf("h2-hol opened at %d µs; want its peak, %d ns", p.st.TimeUS, peak.at)
	}
	if got := heldAt(p.views[0], p.now()); got != peak.bytes {
		t.Errorf("the receive buffer holds %d bytes where the lesson opens; want %d", got, peak.bytes)
	}
	if q := p.st.Query(); q.Get("t") != formatFixed(peak.at/1000, 3) {
		t.Errorf("the address's t = %q; want the peak's time", q.Get("t"))
	}
	if got, want := p.timelineProps().Peak, peakNote(p.views, i, peak, LangEN); got != want || want == "" {
		t.Errorf("the timeline says %q; want %q", got, want)
	}

	// From the start, the button comes back to it.
	p.setTime(p.ctx, 0)
	p.jumpToPeak(p.ctx)
	if p.now() != peak.at {
		t.Errorf("after the button, t = %d ns; want the peak, %d", p.now(), peak.at)
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
		{scenario.OpensAt{Held: true}, TimeEnd, true},
		{scenario.OpensAt{At: 600 * time.Millisecond}, 600_000, false},
	}
	for _, tt := range tests {
		if got, peak := openingTime(tt.in); got != tt.timeUS || peak != tt.atPeak {
			t.Errorf("openingTime(%+v) = %d, %v; want %d, %v", tt.in, got, peak, tt.timeUS, tt.atPeak)
		}
	}
}
