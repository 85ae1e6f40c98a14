package app

import (
	"cmp"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The moment a lesson about head-of-line blocking is about: when the most
// bytes sat in the client's receive buffers, arrived but not yet delivered
// because an earlier byte was missing. A lesson whose scenario says so
// ("opens_at": "held") opens there when picked from the list
// (Page.onPick), and the timeline's "Most held back" button jumps there in
// any run, instead of leaving a student at the end of the run, where every
// buffer is empty, to find the loss and then the packets behind it.

// heldPeak is the moment the runs held the most bytes behind holes.
type heldPeak struct {
	at    int64   // a whole microsecond, in ns, so the page can show it (State.TimeUS)
	bytes []int64 // each view's bytes held then
}

// heldDelta is a change, at a time, of the bytes held.
type heldDelta struct{ at, n int64 }

// heldEvent is a change in one receive buffer: bytes arriving (arrive), or
// a new in-order edge, the transport's (edge: TCP's, or a QUIC stream's)
// or, over TLS, the application's (opened).
type heldEvent struct {
	at, n int64
	kind  uint8
}

const (
	heldArrive = iota
	heldEdge
	heldOpened
)

// heldSeries returns how the bytes v held behind holes changed over
// time, summed over its connections (over QUIC, its streams), one change
// per time, in time order. A buffer's bytes wait behind a hole while a
// byte is missing and later ones have arrived; they are then every byte
// received and not yet handed to the application, those of the TLS record
// the hole is in included, as the receive-buffer panel counts them ("…
// waiting behind a … hole"). A buffer with no hole holds none: its bytes
// wait, if at all, for the rest of a record still on its way. A buffer
// holds nothing once its connection stops receiving, on purpose: one that
// died with bytes behind a hole (at a move) does not hold them for ever in
// choosing the moment, though the panel may show it while it has a row to
// spare, and the note states the panel's bytes (panelHeld). Their wait
// ends there too: the lanes and the tables count it up to the death
// (tcp.Conn.FlushHeld). Times are
// rounded up to the microsecond first, as the
// page shows what happened at or before a whole microsecond (setTime), so
// a moment shorter than one is not one it could show.
func (v *runView) heldSeries(ev []heldEvent) ([]heldEvent, []heldDelta) {
	var d []heldDelta
	if v.quic {
		for i := range v.streams {
			ev, d = heldDeltas(v.streams[i].recv, &v.streams[i].delivered, nil, ev, d)
		}
	} else {
		for i := range v.conns {
			c := &v.conns[i]
			var opened *cumSeries
			if c.tls {
				opened = &c.opened
			}
			ev, d = heldDeltas(c.recv, &c.delivered, opened, ev, d)
		}
	}
	slices.SortStableFunc(d, func(a, b heldDelta) int { return cmp.Compare(a.at, b.at) })
	// One change per time, and none where the changes at a time cancel:
	// nothing the panel shows changed there.
	w := 0
	for _, x := range d {
		if w > 0 && d[w-1].at == x.at {
			d[w-1].n += x.n
			continue
		}
		if w > 0 && d[w-1].n == 0 {
			w--
		}
		d[w] = x
		w++
	}
	if w > 0 && d[w-1].n == 0 {
		w--
	}
	return ev, d[:w]
}

// heldDeltas appends to d the changes over time of the bytes one receive
// buffer held behind a hole (heldSeries), using ev as scratch.
func heldDeltas(recv []byteRange, edge, opened *cumSeries, ev []heldEvent, d []heldDelta) ([]heldEvent, []heldDelta) {
	ev = ev[:0]
	for _, r := range recv {
		ev = append(ev, heldEvent{wholeMicro(r.at), r.b - r.a, heldArrive})
	}
	for i, at := range edge.at {
		ev = append(ev, heldEvent{wholeMicro(at), edge.sum[i], heldEdge})
	}
	if opened != nil {
		for i, at := range opened.at {
			ev = append(ev, heldEvent{wholeMicro(at), opened.sum[i], heldOpened})
		}
	}
	if len(ev) == 0 {
		return ev, d
	}
	// Stable: each edge's steps stay in order at one time, the last the
	// edge then.
	slices.SortStableFunc(ev, func(a, b heldEvent) int { return cmp.Compare(a.at, b.at) })
	var arrived, inOrder, app, was int64
	for i, e := range ev {
		switch e.kind {
		case heldArrive:
			arrived += e.n
		case heldEdge:
			inOrder = e.n
		case heldOpened:
			app = e.n
		}
		// Every change at one time lands at once: bytes that arrive in
		// order are delivered as they arrive, and never wait.
		if i+1 < len(ev) && ev[i+1].at == e.at {
			continue
		}
		held := int64(0)
		if beyond := arrived - inOrder; beyond > 0 {
			held = beyond
			if opened != nil {
				held += inOrder - min(app, inOrder)
			}
		}
		if held != was {
			d = append(d, heldDelta{e.at, held - was})
			was = held
		}
	}
	if was != 0 {
		// It stopped receiving with bytes behind a hole.
		d = append(d, heldDelta{ev[len(ev)-1].at + 1000, -was})
	}
	return ev, d
}

// peakOf finds the moment the runs held the most bytes behind holes, and
// whether any run ever held one. With one run, it is the last microsecond
// of the first stretch in which it held the most: where bytes pile up
// behind a loss until its retransmission arrives, just before it does.
// Runs side by side each count for their bytes held as a share of their
// own most, summed: the moment is where they show the most of their
// blocking together. By its bytes alone, the run that holds the most would
// choose, perhaps after the others had ended (HTTP/3 is done before
// HTTP/2's retransmission arrives in the h3-hol lesson).
func peakOf(views []*runView) (heldPeak, bool) {
	n := len(views)
	series := make([][]heldDelta, n)
	most := make([]int64, n)
	var ev []heldEvent
	some := false
	for i, v := range views {
		ev, series[i] = v.heldSeries(ev)
		held := int64(0)
		for _, x := range series[i] {
			held += x.n
			most[i] = max(most[i], held)
		}
		some = some || most[i] > 0
	}
	if !some {
		return heldPeak{}, false
	}
	// Walk every run's changes in time order, keeping each run's bytes
	// held; the share is summed afresh at each time, in view order, so
	// that equal holdings give equal sums.
	held := make([]int64, n)
	next := make([]int, n)
	best := heldPeak{bytes: make([]int64, n)}
	bestShare, inBest := -1.0, false
	for {
		t := int64(-1)
		for i := range views {
			if next[i] < len(series[i]) && (t < 0 || series[i][next[i]].at < t) {
				t = series[i][next[i]].at
			}
		}
		if t < 0 {
			for i, v := range views {
				best.bytes[i] = v.panelHeld(best.at)
			}
			return best, true
		}
		if inBest {
			// The stretch at the most ends here: show its last
			// microsecond.
			best.at, inBest = t-1000, false
		}
		for i := range views {
			if next[i] < len(series[i]) && series[i][next[i]].at == t {
				held[i] += series[i][next[i]].n
				next[i]++
			}
		}
		share := 0.0
		for i := range views {
			if most[i] > 0 {
				share += float64(held[i]) / float64(most[i])
			}
		}
		// Equal holdings give equal sums, but two different holdings
		// with equal shares may sum a unit in the last place apart: a
		// later stretch must be clearly more to be chosen.
		if share > bestShare*(1+1e-12) {
			bestShare, inBest = share, true
			best.at = t
		}
	}
}

// panelHeld is what the receive-buffer panel says waits behind holes at
// t: over TCP, in the connections it shows (buffersAt); over QUIC, in every
// stream, those beyond its rows counted in its "+N more". The note states
// these, so that it never disagrees with the panel beside it, though the
// moment is chosen by heldSeries' rule, which differs where a connection
// stopped receiving with bytes behind a hole: the panel shows it while it
// has a row to spare.
func (v *runView) panelHeld(t int64) int64 {
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
	for _, i := range v.buffersAt(t, v.bufferRows(), nil) {
		count(v.conns[i].buffered(t, nil))
	}
	return n
}

// peakNote says where the peak is, or that there is none: the bytes each
// run held then, for the runs that held any.
func peakNote(views []*runView, p heldPeak, ok bool, l Lang) string {
	if !ok {
		return l.T("tl.peak.none")
	}
	var parts []string
	for i, v := range views {
		if i < len(p.bytes) && p.bytes[i] > 0 {
			key := "tl.peak.run"
			if len(parts) > 0 {
				key = "tl.peak.more"
			}
			parts = append(parts, l.T(key, formatBytes(p.bytes[i]), strings.TrimSpace(v.names[l])))
		}
	}
	return l.T("tl.peak.at", formatTime(p.at), strings.Join(parts, l.T("tl.sep")))
}

// findPeak finds the moment the views held the most bytes behind holes,
// and has the timeline say where it is.
func (c *Page) findPeak() { c.showPeak(peakOf(c.views)) }

// showPeak has the timeline say where the peak is.
func (c *Page) showPeak(at heldPeak, ok bool) {
	c.peak.at, c.peak.ok = at, ok
	c.peak.shown, c.peak.note = true, ""
}

// noteLinkAtPeak has the timeline say where the peak is if the time shown,
// a link's, is the peak's: a teacher who pressed "Most held back" and
// copied the link shares the line beside the button too.
func (c *Page) noteLinkAtPeak() {
	if !c.has || c.errText != "" || c.st.TimeUS == TimeEnd {
		return
	}
	if at, ok := peakOf(c.views); ok && at.at/1000 == c.st.TimeUS {
		c.showPeak(at, ok)
	}
}

// jumpToPeak moves to that moment, if any byte ever waited.
func (c *Page) jumpToPeak(ctx app.Context) {
	if !c.has {
		return
	}
	c.stopPlay()
	c.findPeak()
	if c.peak.ok {
		c.setTime(ctx, c.peak.at.at)
		return
	}
	c.refreshTimeDependents()
}
