// Package hol measures head-of-line blocking at a receiver: for every range
// of a stream that waited in the transport's reassembly buffer, how long it
// waited and for whose bytes. ARCHITECTURE.md calls this the point of the
// whole program.
//
// The rule: a byte that waits does so because the earliest hole before it is
// still open. Each time a hole is (partly) filled, the bytes that fill it are
// delivered first, and everything that was waiting behind them either follows
// at once or goes on waiting for the next hole. So the waiting of a range
// that arrived at a and was delivered at d splits at every delivery between a
// and d, and each part is blocked by the streams whose bytes were delivered at
// the end of that part: the hole's owners. If the range's own stream is among
// them, it waited for its own retransmission ("loss"); otherwise for another
// stream's ("transport": cross-stream head-of-line blocking).
package hol

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"httpsim/sim"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

// Causes, as trace.HOLBlocked names them.
const (
	CauseHTTP      = "http"
	CauseTransport = "transport"
	CauseLoss      = "loss"
	CauseQPACK     = "qpack"
	// CauseHandshake: QUIC stream data that arrived before the keys to
	// read it, waiting for the handshake (a lost Initial or Handshake
	// packet) rather than for any stream.
	CauseHandshake = "handshake"
)

// fill is one instant a hole was filled and the streams whose bytes filled
// it: bytes that became in order then without having waited, or a
// retransmission that arrived then behind an earlier hole still open. Nearly
// every fill has one owner, held inline; further ones are the tracker's
// others[lo:hi]. A fill holds no pointers, so the history is memory the
// garbage collector need not scan.
type fill struct {
	at     sim.Time
	first  int64
	lo, hi int32
}

// maxFills bounds the history kept; a range that waited through more hole
// fills than this has its earliest part attributed to the oldest one kept.
const maxFills = 512

// firstFills is the history's first capacity.
const firstFills = 8

// Tracker follows one connection's in-order deliveries.
type Tracker struct {
	log  *trace.Log
	side trace.Side
	conn int32

	// fills are in time order.
	fills []fill
	// others holds the owners of the fills after their first, fill after
	// fill: each fill's are a run, the runs in the order of the fills,
	// from others[0] to its end.
	others []int64
	// held are ranges a TLS record held back for a hole that bytes later
	// in the same record repaired (tcp.Arrival.HeldByRecord): they wait
	// for that fill, or for the record's end (Flush).
	held []heldRange
}

type heldRange struct {
	stream, n int64
	at        tcp.Arrival
}

// owns reports whether stream is among f's owners.
func (t *Tracker) owns(f *fill, stream int64) bool {
	if f.first == stream {
		return true
	}
	for _, s := range t.others[f.lo:f.hi] {
		if s == stream {
			return true
		}
	}
	return false
}

// NewTracker returns a tracker that emits trace.HOLBlocked events for
// connection conn as seen from side.
func NewTracker(log *trace.Log, side trace.Side, conn int32) *Tracker {
	return &Tracker{log: log, side: side, conn: conn}
}

// Reset makes t a new tracker for connection conn as seen from side, as
// NewTracker would return, keeping the storage of its history: a receiver
// with a tracker per stream reuses a finished stream's for the next one.
func (t *Tracker) Reset(log *trace.Log, side trace.Side, conn int32) {
	*t = Tracker{log: log, side: side, conn: conn, fills: t.fills[:0], others: t.others[:0], held: t.held[:0]}
}

// Deliver records that n bytes of stream were delivered in order, having
// reached the transport at at.At and become in order at at.InOrder. Calls
// must follow the byte order of the connection.
func (t *Tracker) Deliver(stream int64, n int64, at tcp.Arrival) {
	if n <= 0 {
		return
	}
	if at.At >= at.InOrder {
		t.fill(stream, at.InOrder)
		return
	}
	if at.Retransmitted {
		// A retransmission that an earlier hole, another stream's,
		// still held back filled its own hole when it arrived: bytes
		// behind it waited for their own stream's loss until then, and
		// for the earlier hole's after.
		t.fill(stream, at.At)
	}
	if at.HeldByRecord {
		// Whose bytes repaired the record is known at its end (Flush).
		t.held = append(t.held, heldRange{stream, n, at})
		return
	}
	t.waited(stream, n, at.At, at.InOrder)
}

// Flush attributes the ranges held for the fills within their record, at
// the record's end (tcp.RecordEndHandler): by then the bytes that repaired
// it have all been delivered, a retransmitted segment's several streams
// included. A record whose hole held no stream's bytes has no such fill.
func (t *Tracker) Flush() {
	held := t.held
	t.held = t.held[:0]
	for _, h := range held {
		t.waitedInRecord(h.stream, h.n, h.at)
	}
}

// waitedInRecord attributes the wait of a range its TLS record held back
// for a hole inside it: from at.HeldFrom, when the record would have been
// complete without the loss, until at.InOrder. A range that had waited in
// TCP for an earlier hole (from at.At until at.TCPInOrder) waited for that
// too: one wait when the two meet, two when the range spent the time
// between waiting for the rest of its record.
func (t *Tracker) waitedInRecord(stream, n int64, at tcp.Arrival) {
	if at.TCPInOrder > at.At {
		if at.TCPInOrder >= at.HeldFrom {
			t.waited(stream, n, at.At, at.InOrder)
			return
		}
		t.waited(stream, n, at.At, at.TCPInOrder)
	}
	if at.HeldFrom < at.InOrder {
		t.waited(stream, n, max(at.At, at.HeldFrom), at.InOrder)
	}
}

// waited attributes the wait of a range from from to to: in TCP, from its
// arrival until it became in order.
func (t *Tracker) waited(stream int64, n int64, from, to sim.Time) {
	// If its own stream's bytes filled a hole in between, it would have
	// waited until the last such fill even had no other stream lost
	// anything (as over QUIC): that much is its own loss. A burst that
	// hit several streams was counted as other streams' fault almost
	// whole.
	own := -1
	for i := len(t.fills) - 1; i >= 0 && t.fills[i].at > from; i-- {
		if t.fills[i].at <= to && t.owns(&t.fills[i], stream) {
			own = i
			break
		}
	}
	// The rest is split at every fill after that, newest first.
	end := to
	for i := len(t.fills) - 1; i > own && end > from; i-- {
		f := t.fills[i]
		if f.at > end {
			continue
		}
		if f.at <= from {
			break // a fill before the range arrived explains none of its wait
		}
		if f.at < end {
			// No stream's bytes became in order at end: the hole
			// closed then held bytes of none.
			t.blocked(stream, n, f.at, end, nil)
			end = f.at
		}
		// This part began at the previous fill (or at arrival). If the
		// history was cut, the oldest fill kept takes the rest.
		start := from
		if i > 0 && t.fills[i-1].at > start {
			start = t.fills[i-1].at
		}
		t.blocked(stream, n, start, end, &f)
		end = start
	}
	if own >= 0 && end > t.fills[own].at {
		t.blocked(stream, n, t.fills[own].at, end, nil)
		end = t.fills[own].at
	}
	if end > from {
		if own >= 0 {
			Emit(t.log, t.side, t.conn, stream, n, from, end, CauseLoss, "")
		} else {
			t.blocked(stream, n, from, end, nil)
		}
	}
}

// fill notes that bytes of stream filled a hole at at. Nearly always at
// is the newest instant yet; a retransmission held back by an earlier hole
// arrived before that hole's own fill.
func (t *Tracker) fill(stream int64, at sim.Time) {
	k := len(t.fills)
	i := k
	for i > 0 && t.fills[i-1].at > at {
		i--
	}
	if i > 0 && t.fills[i-1].at == at {
		f := &t.fills[i-1]
		if t.owns(f, stream) {
			return
		}
		if i == k {
			t.others = append(t.others, stream)
			f.hi = int32(len(t.others))
			return
		}
		// A fill before the newest gains an owner: the runs after its
		// move up one.
		t.others = slices.Insert(t.others, int(f.hi), stream)
		f.hi++
		for j := i; j < k; j++ {
			t.fills[j].lo++
			t.fills[j].hi++
		}
		return
	}
	if t.fills == nil {
		// Most streams see a few fills: start with room for some
		// rather than growing through 1, 2 and 4.
		t.fills = make([]fill, 0, firstFills)
	}
	if k == maxFills {
		if i == 0 {
			return // older than the history kept
		}
		// The oldest fill's owners go with it: they begin others.
		drop := t.fills[0].hi
		copy(t.fills, t.fills[1:])
		t.fills = t.fills[:maxFills-1]
		if drop > 0 {
			t.others = t.others[:copy(t.others, t.others[drop:])]
			for j := range t.fills {
				t.fills[j].lo -= drop
				t.fills[j].hi -= drop
			}
		}
		i--
	}
	n := int32(len(t.others))
	if i < len(t.fills) {
		n = t.fills[i].lo
	}
	t.fills = slices.Insert(t.fills, i, fill{at: at, first: stream, lo: n, hi: n})
}

// blocked emits the waiting of a part that ended at fill f, or that no fill
// explains (f == nil): a hole of bytes that belong to no stream (a TLS
// record's header and tag, a session ticket) or older than the history
// kept. The stream lost nothing of its own there, so that counts as
// transport blocking with no stream named, not as its own loss.
func (t *Tracker) blocked(stream, n int64, from, to sim.Time, f *fill) {
	if f == nil {
		Emit(t.log, t.side, t.conn, stream, n, from, to, CauseTransport, "")
		return
	}
	if t.owns(f, stream) {
		Emit(t.log, t.side, t.conn, stream, n, from, to, CauseLoss, "")
		return
	}
	blockers := strconv.FormatInt(f.first, 10)
	if others := t.others[f.lo:f.hi]; len(others) > 0 {
		b := []byte(blockers)
		for _, s := range others {
			b = strconv.AppendInt(append(b, ','), s, 10)
		}
		blockers = string(b)
	}
	Emit(t.log, t.side, t.conn, stream, n, from, to, CauseTransport, blockers)
}

// Emit records that n bytes of stream waited from from to to for cause.
func Emit(log *trace.Log, side trace.Side, conn int32, stream, n int64, from, to sim.Time, cause, blockers string) {
	log.Emit(trace.Event{
		At: to, Kind: trace.HOLBlocked, Side: side, Conn: conn, Stream: stream, PN: -1,
		Len: n, Arrived: from, Name: cause, Value: blockers,
	})
}

// Interval is a span of time during which a stream had bytes held back.
type Interval struct {
	From, To sim.Time
}

// Totals sums the head-of-line blocking of one stream.
type Totals struct {
	// Time is the length of the union of the blocking intervals: how long
	// the stream had some bytes held back.
	Time int64 // nanoseconds
	// ByteNs is the sum over held-back bytes of how long each waited.
	ByteNs float64
	// Intervals are the merged intervals.
	Intervals []Interval
}

// Accumulator sums HOLBlocked events per (connection, stream, cause).
type Accumulator struct {
	by   map[key]int // index into accs
	accs []acc
}

type key struct {
	conn   int32
	stream int64
	cause  string
}

// acc holds a key's intervals, each with the bytes held back over it, in
// one slice: one growth per append, not two.
type acc []heldBack

type heldBack struct {
	Interval
	bytes int64
}

// Add folds in one trace.HOLBlocked event.
func (a *Accumulator) Add(e *trace.Event) {
	if a.by == nil {
		a.by = map[key]int{}
	}
	k := key{e.Conn, e.Stream, e.Name}
	i, ok := a.by[k]
	if !ok {
		i = len(a.accs)
		a.accs = append(a.accs, acc{})
		a.by[k] = i
	}
	a.accs[i] = append(a.accs[i], heldBack{Interval{e.Arrived, e.At}, e.Len})
}

// Totals returns the totals for one stream of one connection and cause.
func (a *Accumulator) Totals(conn int32, stream int64, cause string) Totals {
	return a.TotalsOf(conn, stream, cause)
}

// TotalsOf returns the totals for one stream of one connection over several
// causes together (the union of their intervals).
func (a *Accumulator) TotalsOf(conn int32, stream int64, causes ...string) Totals {
	return a.TotalsWithin(conn, stream, sim.Time(math.MinInt64), sim.Never, causes...)
}

// TotalsWithin is TotalsOf counting only the waiting between from and to:
// a resource's own lifetime. A pushed stream's bytes can wait before the
// browser asks for them, which did not delay the resource; one showed
// 124 ms of HoL over a lifetime of none.
func (a *Accumulator) TotalsWithin(conn int32, stream int64, from, to sim.Time, causes ...string) Totals {
	return a.TotalsAcross([]Stream{{conn, stream}}, from, to, causes...)
}

// Stream names one stream of one connection.
type Stream struct {
	Conn   int32
	Stream int64
}

// TotalsAcross is TotalsWithin over several streams together (the union of
// their intervals): a request sent again after its connection died waited
// on each connection it was sent on.
func (a *Accumulator) TotalsAcross(streams []Stream, from, to sim.Time, causes ...string) Totals {
	var iv []Interval
	var byteNs float64
	for _, st := range streams {
		for _, c := range causes {
			if i, ok := a.by[key{st.Conn, st.Stream, c}]; ok {
				for _, h := range a.accs[i] {
					v := h.Interval
					v.From, v.To = max(v.From, from), min(v.To, to)
					if v.To > v.From {
						iv = append(iv, v)
						byteNs += float64(h.bytes) * float64(v.To-v.From)
					}
				}
			}
		}
	}
	if iv == nil {
		return Totals{}
	}
	slices.SortFunc(iv, func(a, b Interval) int {
		if c := cmp.Compare(a.From, b.From); c != 0 {
			return c
		}
		return cmp.Compare(a.To, b.To)
	})
	// Merge in place: iv is this call's own, and the merged list never
	// runs ahead of the sorted one.
	merged := iv[:0]
	var total int64
	for _, v := range iv {
		if k := len(merged); k > 0 && v.From <= merged[k-1].To {
			if v.To > merged[k-1].To {
				total += int64(v.To - merged[k-1].To)
				merged[k-1].To = v.To
			}
			continue
		}
		merged = append(merged, v)
		total += int64(v.To - v.From)
	}
	return Totals{Time: total, ByteNs: byteNs, Intervals: merged}
}
