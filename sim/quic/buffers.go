package quic

import (
	"httpsim/sim"
	"httpsim/sim/bytestream"
)

// sendBuf is the sending half of a byte stream (an application stream or a
// crypto stream): the bytes written, what has been sent, acknowledged and
// declared lost. Packets refer to ranges of buf; lost ranges are sent again
// in new packets (RFC 9000 §13.3: "Application data sent in STREAM frames
// is retransmitted in new STREAM frames").
type sendBuf struct {
	buf bytestream.Buffer
	// next is the offset of the first byte never sent.
	next int64
	// acked holds the ranges acknowledged.
	acked rangeSet
	// lost holds ranges sent, then declared lost (or queued again for a
	// probe), not yet sent again and not acknowledged.
	lost rangeSet
	// finalSize is the stream's length once the FIN is written, else -1.
	finalSize int64
	finSent   bool
	finAcked  bool
	finLost   bool
}

func newSendBuf() sendBuf { return sendBuf{finalSize: -1} }

// written is the number of bytes written so far.
func (s *sendBuf) written() int64 { return s.buf.Len() }

// unsent is the number of written bytes never sent.
func (s *sendBuf) unsent() int64 { return s.buf.Len() - s.next }

// hasLost reports whether something must be sent again.
func (s *sendBuf) hasLost() bool { return !s.lost.empty() || s.finLost }

// hasNew reports whether new bytes or a FIN are waiting.
func (s *sendBuf) hasNew() bool {
	return s.next < s.buf.Len() || (s.finalSize >= 0 && !s.finSent)
}

// close records the FIN after the bytes written so far.
func (s *sendBuf) close() {
	if s.finalSize < 0 {
		s.finalSize = s.buf.Len()
	}
}

// slice refers to n bytes at off.
func (s *sendBuf) slice(off, n int64) bytestream.Slice {
	return bytestream.Slice{Buf: &s.buf, Off: off, N: n}
}

// firstLost returns the first lost range, at most n bytes of it, and
// whether it ends at the final size with the FIN to be resent.
func (s *sendBuf) firstLost(n int64) (off, length int64, fin bool) {
	if s.lost.empty() {
		return s.finalSize, 0, s.finLost
	}
	sp := s.lost[0]
	length = min(sp.end-sp.start, n)
	return sp.start, length, s.finLost && sp.start+length == s.finalSize
}

// sentAgain records that [off, off+n) (and the FIN, if fin) went out again.
func (s *sendBuf) sentAgain(off, n int64, fin bool) {
	s.lost.remove(off, off+n)
	if fin {
		s.finLost = false
	}
}

// sentNew records that the n bytes at next (and the FIN, if fin) went out.
func (s *sendBuf) sentNew(n int64, fin bool) {
	s.next += n
	if fin {
		s.finSent = true
	}
}

// onAcked records the acknowledgement of [off, off+n) and the FIN.
func (s *sendBuf) onAcked(off, n int64, fin bool) {
	s.acked.add(off, off+n)
	s.lost.remove(off, off+n)
	if fin {
		s.finAcked = true
		s.finLost = false
	}
	// The acknowledged prefix is no longer needed: every byte of it has
	// reached the peer, which delivers in order (RFC 9000 §2.2).
	if len(s.acked) > 0 && s.acked[0].start == 0 {
		s.buf.Discard(s.acked[0].end)
	}
}

// onLost queues the unacknowledged part of [off, off+n) (and the FIN) to be
// sent again.
func (s *sendBuf) onLost(off, n int64, fin bool) {
	if n > 0 {
		s.lost.add(off, off+n)
		for _, a := range s.acked {
			if a.end > off && a.start < off+n {
				s.lost.remove(a.start, a.end)
			}
		}
	}
	if fin && !s.finAcked {
		s.finLost = true
	}
}

// allAcked reports whether every byte and the FIN are acknowledged.
func (s *sendBuf) allAcked() bool {
	return s.finalSize >= 0 && s.finAcked && (s.finalSize == 0 || s.acked.covers(0, s.finalSize))
}

// piece is a range of a stream held above a hole, with the time it arrived.
type piece struct {
	start, end int64
	arrived    sim.Time
}

// recvBuf reassembles a byte stream (RFC 9000 §2.2): it delivers bytes in
// order, and for every range says when it arrived and when it became in
// order. Holes in one stream hold back that stream only.
type recvBuf struct {
	peer *bytestream.Buffer // the sender's buffer, read through references
	// next is the offset of the first byte not yet delivered.
	next int64
	// pieces are ranges above next held out of order: sorted, disjoint.
	pieces []piece
	// highest is one past the largest offset received (flow control counts
	// it, RFC 9000 §4.1).
	highest   int64
	finalSize int64 // -1 until known
}

func newRecvBuf() recvBuf { return recvBuf{finalSize: -1} }

// held is the number of bytes held above a hole.
func (r *recvBuf) held() int64 {
	var n int64
	for _, p := range r.pieces {
		n += p.end - p.start
	}
	return n
}

// insert takes [start, end), arrived at now, and calls deliver for each
// range that becomes in order, in order, with the time it arrived.
func (r *recvBuf) insert(now sim.Time, start, end int64, deliver func(start, end int64, arrived sim.Time)) {
	r.highest = max(r.highest, end)
	start = max(start, r.next)
	if start >= end {
		return
	}
	if start == r.next && (len(r.pieces) == 0 || r.pieces[0].start >= end) {
		// The common case: the next bytes, nothing held in the way.
		r.next = end
		deliver(start, end, now)
		r.pull(deliver)
		return
	}
	r.hold(start, end, now)
	r.pull(deliver)
}

// hold records the parts of [start, end) not already held.
func (r *recvBuf) hold(start, end int64, now sim.Time) {
	n := len(r.pieces)
	if n == 0 || r.pieces[n-1].end <= start {
		if n > 0 && r.pieces[n-1].end == start && r.pieces[n-1].arrived == now {
			r.pieces[n-1].end = end
			return
		}
		r.pieces = append(r.pieces, piece{start, end, now})
		return
	}
	var out []piece
	cur := start
	for _, p := range r.pieces {
		if p.end <= cur || p.start >= end {
			out = append(out, p)
			continue
		}
		if p.start > cur {
			out = append(out, piece{cur, p.start, now})
		}
		out = append(out, p)
		cur = max(cur, p.end)
	}
	if cur < end {
		out = append(out, piece{cur, end, now})
	}
	// Restore order: the new pieces were appended around the old ones.
	sortPieces(out)
	r.pieces = out
}

func sortPieces(p []piece) {
	for i := 1; i < len(p); i++ {
		for j := i; j > 0 && p[j].start < p[j-1].start; j-- {
			p[j], p[j-1] = p[j-1], p[j]
		}
	}
}

// pull delivers held pieces that have become in order.
func (r *recvBuf) pull(deliver func(start, end int64, arrived sim.Time)) {
	k := 0
	for k < len(r.pieces) && r.pieces[k].start <= r.next {
		p := r.pieces[k]
		if p.end > r.next {
			s := r.next
			r.next = p.end
			deliver(s, p.end, p.arrived)
		}
		k++
	}
	if k > 0 {
		r.pieces = append(r.pieces[:0], r.pieces[k:]...)
	}
}
