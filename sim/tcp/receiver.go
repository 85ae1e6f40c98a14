package tcp

import (
	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/trace"
)

// piece is a range of the peer's stream held out of order, with the time it
// arrived. Pieces are disjoint and sorted.
type piece struct {
	start, end int64
	arrived    sim.Time
	retx       bool // came in a retransmitted segment
}

// receiver is the receiving half of a connection: reassembly, in-order
// delivery, acknowledgements and the advertised window.
type receiver struct {
	c *Conn

	irs    Seq   // initial receive sequence number (RFC 9293 IRS)
	rcvNxt int64 // next expected stream offset (RCV.NXT - IRS - 1)
	peer   *bytestream.Buffer

	ooo      []piece // out-of-order data above rcvNxt
	oooBytes int64
	// sackOrder lists SACK blocks most recent first (RFC 2018 §4: the
	// first block reports the most recently received segment).
	sackOrder []span

	finAt      int64 // offset of the peer's FIN, or -1 until it is seen
	finDone    bool  // FIN consumed (all data before it delivered)
	unread     int64 // delivered bytes the application has not consumed
	autoRead   bool
	advertised int   // window last advertised
	rightEdge  int64 // RCV.NXT + RCV.WND as last advertised

	unackedBytes int64 // bytes received in order since the last ACK sent
	delack       sim.Timer
	ackNow       bool // an immediate ACK is owed
	received     int64
	// delivering: in-order bytes are being handed to the handler (see
	// Conn.FlushHeld).
	delivering bool
}

func (r *receiver) init(c *Conn) {
	r.c = c
	r.finAt = -1
	r.autoRead = true
	c.loop.InitTimer(&r.delack, c.sendAck)
}

// window is the window to advertise: the free space in the receive buffer
// (RFC 9293 §3.8.6.2), but never so little that the right edge of the window
// moves left (RFC 9293 §3.8.6.2.2 and RFC 1122 §4.2.2.16: a receiver should
// not shrink the window). Out-of-order data therefore leaves the advertised
// window unchanged, so the duplicate ACKs it triggers count as duplicates
// (RFC 5681 §2 requires an unchanged window).
func (r *receiver) window() int {
	w := int64(r.c.cfg.RecvBuffer) - r.oooBytes - r.unread
	if edge := r.rightEdge - r.rcvNxt; w < edge {
		w = edge
	}
	if w < 0 {
		return 0
	}
	return int(w)
}

// advertise records the window sent in an ACK.
func (r *receiver) advertise(w int) {
	r.advertised = w
	r.rightEdge = max(r.rightEdge, r.rcvNxt+int64(w))
}

// ackSeq is the acknowledgement number to send: RCV.NXT on the wire.
func (r *receiver) ackSeq() Seq {
	a := r.irs.Add(1 + r.rcvNxt)
	if r.finDone {
		a = a.Add(1)
	}
	return a
}

// relAck is ackSeq relative to the IRS, for the trace.
func (r *receiver) relAck() int64 {
	a := 1 + r.rcvNxt
	if r.finDone {
		a++
	}
	return a
}

// onSegment takes the payload and FIN of an arriving segment.
func (r *receiver) onSegment(now sim.Time, seg *Segment) {
	if seg.Data.N == 0 && !seg.Flags.Has(trace.FlagFIN) {
		return
	}
	if r.peer == nil && seg.Data.Buf != nil {
		r.peer = seg.Data.Buf
	}
	// Unwrap the 32-bit sequence number around RCV.NXT.
	start := r.rcvNxt + seg.Seq.Sub(r.irs.Add(1+r.rcvNxt))
	end := start + seg.Data.N
	if seg.Flags.Has(trace.FlagFIN) && r.finAt < 0 {
		r.finAt = end
	}
	// Data beyond the window is not accepted (RFC 9293 §3.10.7.4); a
	// zero-window probe lands here and is answered with an ACK.
	if limit := r.rcvNxt + int64(r.window()); end > limit && start >= r.rcvNxt {
		end = max(start, limit)
	}
	r.received += end - start
	hadHoles := len(r.ooo) > 0
	switch {
	case end <= r.rcvNxt && !(seg.Flags.Has(trace.FlagFIN) && !r.finDone):
		// Entirely old: a duplicate. ACK at once (RFC 5681 §4.2 asks for
		// an immediate ACK on out-of-order segments; RFC 9293 for old ones).
		r.ackNow = true
	case start > r.rcvNxt:
		// Out of order: hold it and send a duplicate ACK at once with a
		// SACK block for it (RFC 5681 §4.2, RFC 2018 §4).
		r.insert(start, end, now, seg.Retransmit)
		r.ackNow = true
	default:
		r.delivering = true
		if end > r.rcvNxt {
			r.deliver(now, r.rcvNxt, end, now, seg.Retransmit)
		}
		r.pullInOrder(now)
		r.delivering = false
		if r.c.state == Closed {
			// The handler aborted the connection inside OnData: the
			// delivery stopped there, and what it did not hand up is
			// flushed now, with the bytes still held.
			if r.c.flushDue {
				r.c.flushDue = false
				r.c.FlushHeld(now)
			}
			return
		}
		if hadHoles {
			// RFC 5681 §4.2: fill of a gap -> immediate ACK.
			r.ackNow = true
		}
		r.unackedBytes += seg.Data.N
	}
	if r.finAt >= 0 && !r.finDone && r.rcvNxt == r.finAt {
		r.finDone = true
		r.ackNow = true
		r.c.peerClosed(now)
	}
	// RFC 5681 §4.2 / RFC 1122 §4.2.3.2: an ACK for at least every second
	// full-sized segment (here, as in Linux, as soon as more than one MSS
	// is unacknowledged); otherwise within the delayed-ACK timeout.
	if r.ackNow || !r.c.cfg.DelayedAck || r.unackedBytes > int64(r.c.cfg.MSS) {
		r.c.sendAck(now)
		return
	}
	if !r.delack.IsSet() {
		r.delack.Set(now.Add(r.c.cfg.DelayedAckTimeout))
	}
}

// insert records [start, end) as held out of order, keeping the earliest
// arrival for bytes already held.
func (r *receiver) insert(start, end int64, now sim.Time, retx bool) {
	n := len(r.ooo)
	if n == 0 || r.ooo[n-1].end <= start {
		// The common case: the next segment after a hole.
		r.ooo = append(r.ooo, piece{start, end, now, retx})
		r.oooBytes += end - start
		r.addBlock(start, end)
		return
	}
	// Find the first piece that ends after start (i) and the first that
	// starts at or after end (j): the new bytes are the gaps before each
	// of ooo[i:j] and after the last. Pieces keep their own arrival times,
	// so the gaps become pieces of their own, merged in place.
	i := n
	for i > 0 && r.ooo[i-1].end > start {
		i--
	}
	j, gaps, cur := i, 0, start
	for ; j < n && r.ooo[j].start < end; j++ {
		if r.ooo[j].start > cur {
			gaps++
		}
		cur = r.ooo[j].end // ooo[i].end > start, and pieces are in order
	}
	if cur < end {
		gaps++
	}
	if gaps > 0 {
		r.ooo = append(r.ooo, make([]piece, gaps)...)
		copy(r.ooo[j+gaps:], r.ooo[j:n])
		// Fill ooo[i:j+gaps] from the back; w-1 is the next slot to
		// write, never below the piece read next.
		w := j + gaps
		if cur < end {
			w--
			r.ooo[w] = piece{cur, end, now, retx}
			r.oooBytes += end - cur
		}
		for k := j - 1; k >= i; k-- {
			p := r.ooo[k]
			w--
			r.ooo[w] = p
			lo := start
			if k > i {
				lo = r.ooo[k-1].end
			}
			if p.start > lo {
				w--
				r.ooo[w] = piece{lo, p.start, now, retx}
				r.oooBytes += p.start - lo
			}
		}
	}
	r.addBlock(start, end)
}

// addBlock merges [start, end) into the SACK blocks and moves the block that
// now contains it to the front of the report order (RFC 2018 §4: the first
// block reports the most recently received segment; the others repeat the
// most recently reported blocks).
func (r *receiver) addBlock(start, end int64) {
	// Compact in place: the blocks kept are written over the ones read.
	order := r.sackOrder[:0]
	for _, b := range r.sackOrder {
		if b.end < start || b.start > end {
			order = append(order, b)
			continue
		}
		start, end = min(start, b.start), max(end, b.end)
	}
	order = append(order, span{})
	copy(order[1:], order)
	order[0] = span{start, end}
	r.sackOrder = order
}

// pullInOrder delivers held pieces that have become contiguous.
func (r *receiver) pullInOrder(now sim.Time) {
	n := 0
	for n < len(r.ooo) && r.ooo[n].start <= r.rcvNxt {
		if r.c.state == Closed {
			break // aborted inside OnData: the rest is flushed (FlushHeld)
		}
		p := r.ooo[n]
		r.oooBytes -= p.end - p.start
		if p.end > r.rcvNxt {
			r.deliver(now, max(p.start, r.rcvNxt), p.end, p.arrived, p.retx)
		}
		n++
	}
	if n > 0 {
		r.ooo = append(r.ooo[:0], r.ooo[n:]...)
		keep := r.sackOrder[:0]
		for _, b := range r.sackOrder {
			if b.end > r.rcvNxt {
				keep = append(keep, b)
			}
		}
		r.sackOrder = keep
	}
}

// deliver hands [start, end) to the application. The bytes arrived at
// arrived; delivery at now. Both are recorded: the difference is the time
// they waited for a hole before them (head-of-line blocking).
func (r *receiver) deliver(now sim.Time, start, end int64, arrived sim.Time, retx bool) {
	r.rcvNxt = end
	if !r.autoRead {
		r.unread += end - start
	}
	r.c.log.Emit(trace.Event{
		At: now, Kind: trace.DataMoved, Side: r.c.side, Conn: r.c.id, Stream: -1,
		Seq: start, Len: end - start, Arrived: arrived, PN: -1,
	})
	if r.c.handler != nil {
		var d bytestream.Slice
		if r.peer != nil {
			d = bytestream.Slice{Buf: r.peer, Off: start, N: end - start}
		} else {
			d = bytestream.Slice{Off: start, N: end - start}
		}
		r.c.handler.OnData(now, d, Arrival{At: arrived, InOrder: now, Retransmitted: retx})
	}
}

// sackBlocks fills seg with up to MaxSACKBlocks blocks, most recent first.
func (r *receiver) sackBlocks(seg *Segment) {
	n := r.sackCount()
	for i, s := range r.sackOrder[:n] {
		seg.SACK[i] = Block{Left: r.irs.Add(1 + s.start), Right: r.irs.Add(1 + s.end)}
	}
	seg.NSACK = n
}

// sackCount is the number of SACK blocks the next segment will carry.
func (r *receiver) sackCount() int {
	if !r.c.sackOK {
		return 0
	}
	return min(len(r.sackOrder), MaxSACKBlocks)
}

// consume is the application reading n delivered bytes (manual reading).
func (r *receiver) consume(now sim.Time, n int64) {
	if n > r.unread {
		n = r.unread
	}
	before := r.advertised
	r.unread -= n
	// Receiver-side silly window avoidance (RFC 9293 §3.8.6.2.2): announce
	// a larger window only once it has grown by min(buffer/2, MSS).
	if r.window()-before >= min(r.c.cfg.RecvBuffer/2, r.c.cfg.MSS) {
		r.c.sendAck(now)
	}
}

// ReceiverState is a snapshot of the receiving half of a connection.
type ReceiverState struct {
	RcvNxt      int64   // next expected stream offset
	Window      int     // free receive buffer in bytes
	OutOfOrder  int64   // bytes held above a hole
	Holes       []Range // missing ranges below the highest byte held
	Held        []Range // ranges held out of order
	FinReceived bool
}

// Range is a half-open range of stream offsets.
type Range struct{ Start, End int64 }

func (r *receiver) snapshot() ReceiverState {
	st := ReceiverState{RcvNxt: r.rcvNxt, Window: r.window(), OutOfOrder: r.oooBytes, FinReceived: r.finDone}
	prev := r.rcvNxt
	for _, p := range r.ooo {
		if p.start > prev {
			st.Holes = append(st.Holes, Range{prev, p.start})
		}
		st.Held = append(st.Held, Range{p.start, p.end})
		prev = p.end
	}
	return st
}
