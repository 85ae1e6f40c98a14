package app

import (
	"cmp"
	"slices"
	"strings"
)

// The moment a lesson about head-of-line blocking is about: when the most
// bytes sat in the client's receive buffers, arrived but not yet delivered
// because an earlier byte was missing. A lesson whose scenario says so
// ("opens_at": "held") opens there when picked from the list
// (Page.onPick), and the timeline's "Most held back" button jumps there in
// any run, instead of leaving a student at the end of the run, where every
// buffer is empty, to find the loss and then the packets behind it.

// heldPeak is the moment a run held the most bytes behind holes.
type heldPeak struct {
	at    int64 // a whole microsecond, in ns, so the page can show it (State.TimeUS)
	bytes int64 // 0 if no byte ever waited
}

// heldDelta is a change, at a time, of the bytes held.
type heldDelta struct{ at, n int64 }

// heldEvent is a change in one receive buffer: bytes arriving (arrive), or
// a new in-order edge, the transport's (tcp) or, over TLS, the
// application's (opened).
type heldEvent struct {
	at, n int64
	kind  uint8
}

const (
	heldArrive = iota
	heldTCP
	heldOpened
)

// peakHeld works out v's peak: the earliest time at which the most bytes
// waited behind holes, summed over its connections (over QUIC, its
// streams). A buffer's bytes wait behind a hole while a byte is missing
// and later ones have arrived; they are then every byte received and not
// yet handed to the application, those of the TLS record the hole is in
// included, as the receive-buffer panel counts them ("… waiting behind a
// … hole"). A buffer with no hole holds none: its bytes wait, if at all,
// for the rest of a record still on its way. Times are rounded up to the
// microsecond first, as the page shows what happened at or before a whole
// microsecond (setTime), so a peak that lasted less than one is not one
// it could show.
func (v *runView) peakHeld(scratch []heldDelta) (heldPeak, []heldDelta) {
	d := scratch[:0]
	var ev []heldEvent
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
	slices.SortFunc(d, func(a, b heldDelta) int { return cmp.Compare(a.at, b.at) })
	var best heldPeak
	held := int64(0)
	for i, x := range d {
		held += x.n
		if i+1 < len(d) && d[i+1].at == x.at {
			continue
		}
		if held > best.bytes {
			best = heldPeak{at: x.at, bytes: held}
		}
	}
	return best, d
}

// heldDeltas appends to d the changes over time of the bytes one receive
// buffer held behind a hole (peakHeld), using ev as scratch.
func heldDeltas(recv []byteRange, tcp, opened *cumSeries, ev []heldEvent, d []heldDelta) ([]heldEvent, []heldDelta) {
	ev = ev[:0]
	for _, r := range recv {
		ev = append(ev, heldEvent{wholeMicro(r.at), r.b - r.a, heldArrive})
	}
	for i, at := range tcp.at {
		ev = append(ev, heldEvent{wholeMicro(at), tcp.sum[i], heldTCP})
	}
	if opened != nil {
		for i, at := range opened.at {
			ev = append(ev, heldEvent{wholeMicro(at), opened.sum[i], heldOpened})
		}
	}
	// Stable: each edge's steps stay in order at one time, the last the
	// edge then.
	slices.SortStableFunc(ev, func(a, b heldEvent) int { return cmp.Compare(a.at, b.at) })
	var arrived, edge, app, was int64
	for i, e := range ev {
		switch e.kind {
		case heldArrive:
			arrived += e.n
		case heldTCP:
			edge = e.n
		case heldOpened:
			app = e.n
		}
		// Every change at one time lands at once: bytes that arrive in
		// order are delivered as they arrive, and never wait.
		if i+1 < len(ev) && ev[i+1].at == e.at {
			continue
		}
		held := int64(0)
		if beyond := arrived - edge; beyond > 0 {
			held = beyond
			if opened != nil {
				held += edge - min(app, edge)
			}
		}
		if held != was {
			d = append(d, heldDelta{e.at, held - was})
			was = held
		}
	}
	return ev, d
}

// wholeMicro rounds t up to a whole microsecond.
func wholeMicro(t int64) int64 { return (t + 999) / 1000 * 1000 }

// peakOf returns the view whose buffers held the most bytes at once, and
// that peak; the first such view if several tie, and -1 if no view's
// buffers ever held a byte.
func peakOf(views []*runView) (int, heldPeak) {
	best, at := -1, heldPeak{}
	var scratch []heldDelta
	for i, v := range views {
		p, s := v.peakHeld(scratch)
		scratch = s
		if p.bytes > at.bytes {
			best, at = i, p
		}
	}
	return best, at
}

// peakNote says where the peak is, or that there is none.
func peakNote(views []*runView, i int, p heldPeak, l Lang) string {
	if i < 0 {
		return l.T("tl.peak.none")
	}
	name := strings.TrimSpace(views[i].names[l])
	return l.T("tl.peak.at", formatBytes(p.bytes), name, formatTime(p.at))
}
