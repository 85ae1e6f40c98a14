package tcp

import "httpsim/sim"

// txSeg is one segment the sender has sent and not yet seen cumulatively
// acknowledged. Offsets are positions in the sender's stream (0 is the first
// data byte); a FIN occupies one position after the data.
type txSeg struct {
	start, end int64
	sentAt     sim.Time // last transmission
	pn         int64    // packet number of the last transmission
	prevPN     int64    // packet number of the transmission before it (set once retransmitted)
	fin        bool
	sacked     bool // covered by a SACK block (RFC 6675 "SACKed")
	lost       bool // deemed lost (RFC 6675 IsLost, or after an RTO)
	retrans    bool // a retransmission is outstanding (not yet SACKed or ACKed)
	everRetx   bool // retransmitted at least once (Karn's algorithm)
}

func (s *txSeg) len() int64 { return s.end - s.start }

// span is a half-open range of stream offsets.
type span struct{ start, end int64 }

// scoreboard is the sender's record of outstanding segments, in the spirit
// of RFC 6675 §3. Counters are kept incrementally so that pipe (RFC 6675
// §4 SetPipe) costs O(1): pipe = out - sacked - lost + retrans, every byte
// counted once for its original transmission unless SACKed or deemed lost,
// and once more while a retransmission of it is outstanding.
type scoreboard struct {
	segs []txSeg // segs[head:] are outstanding, in order, contiguous
	head int

	outBytes, sackedBytes, lostBytes, retransBytes int64

	// sackedSpans is the union of SACK blocks above the cumulative ACK,
	// sorted and merged; it lets a block that is reported again and again
	// be skipped instead of rescanned.
	sackedSpans []span

	// lostMark: every segment starting below it has been checked for loss.
	lostMark int64
	// highRxt is RFC 6675's HighRxt: the highest offset retransmitted in
	// this recovery episode; retransmission candidates are searched above it.
	highRxt int64
}

func (b *scoreboard) empty() bool { return b.head == len(b.segs) }

func (b *scoreboard) pipe() int64 {
	return b.outBytes - b.sackedBytes - b.lostBytes + b.retransBytes
}

// highSacked is the end of the highest SACKed range, or -1.
func (b *scoreboard) highSacked() int64 {
	if len(b.sackedSpans) == 0 {
		return -1
	}
	return b.sackedSpans[len(b.sackedSpans)-1].end
}

func (b *scoreboard) add(s txSeg) {
	// Move the outstanding segments to the front when half the array is
	// acknowledged, or when it is full and anything is: appending would
	// otherwise grow an array whose front is unused.
	if b.head > 0 && (b.head >= len(b.segs)/2 && len(b.segs) >= 64 || len(b.segs) == cap(b.segs)) {
		n := copy(b.segs, b.segs[b.head:])
		b.segs = b.segs[:n]
		b.head = 0
	}
	if b.segs == nil {
		// Room for a little more than an initial window (RFC 6928: 10
		// segments) at once, rather than growing through 1, 2, 4 and 8.
		b.segs = make([]txSeg, 0, 16)
	}
	b.segs = append(b.segs, s)
	b.outBytes += s.len()
}

// find returns the index (into segs) of the outstanding segment containing
// off, or the index of the first segment after off.
func (b *scoreboard) find(off int64) int {
	lo, hi := b.head, len(b.segs)
	for lo < hi {
		m := (lo + hi) / 2
		if b.segs[m].end <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// ackTo removes the segments wholly below ack. It returns the newest segment
// acknowledged (for an RTT sample) and whether one was found.
func (b *scoreboard) ackTo(ack int64) (newest txSeg, ok bool) {
	for b.head < len(b.segs) && b.segs[b.head].end <= ack {
		s := b.segs[b.head]
		b.forget(&s)
		newest, ok = s, true
		b.segs[b.head] = txSeg{}
		b.head++
	}
	if b.head == len(b.segs) {
		b.segs = b.segs[:0]
		b.head = 0
	}
	// Drop SACKed spans now below the cumulative ACK.
	i := 0
	for i < len(b.sackedSpans) && b.sackedSpans[i].end <= ack {
		i++
	}
	b.sackedSpans = b.sackedSpans[i:]
	if len(b.sackedSpans) > 0 && b.sackedSpans[0].start < ack {
		b.sackedSpans[0].start = ack
	}
	if b.lostMark < ack {
		b.lostMark = ack
	}
	if b.highRxt < ack {
		b.highRxt = ack
	}
	return newest, ok
}

// forget removes s's contribution to the counters.
func (b *scoreboard) forget(s *txSeg) {
	n := s.len()
	b.outBytes -= n
	if s.sacked {
		b.sackedBytes -= n
	}
	if s.lost && !s.sacked {
		b.lostBytes -= n
	}
	if s.retrans && !s.sacked {
		b.retransBytes -= n
	}
}

// sack applies one SACK block [start, end) (clamped to outstanding data) and
// returns the number of bytes newly SACKed.
func (b *scoreboard) sack(start, end int64) int64 {
	if b.empty() {
		return 0
	}
	lo, hi := b.segs[b.head].start, b.segs[len(b.segs)-1].end
	start, end = max(start, lo), min(end, hi)
	if start >= end {
		return 0
	}
	var newly int64
	// Walk only the parts of [start, end) not already in sackedSpans.
	cur := start
	for _, sp := range b.sackedSpans {
		if sp.end <= cur {
			continue
		}
		if sp.start >= end {
			break
		}
		if sp.start > cur {
			newly += b.markSacked(cur, sp.start)
		}
		cur = max(cur, sp.end)
		if cur >= end {
			break
		}
	}
	if cur < end {
		newly += b.markSacked(cur, end)
	}
	if newly > 0 {
		b.addSpan(start, end)
	}
	return newly
}

// markSacked marks the segments wholly inside [start, end) as SACKed.
func (b *scoreboard) markSacked(start, end int64) int64 {
	var n int64
	for i := b.find(start); i < len(b.segs) && b.segs[i].start < end; i++ {
		s := &b.segs[i]
		if s.sacked || s.start < start || s.end > end {
			continue
		}
		if s.lost {
			b.lostBytes -= s.len()
		}
		if s.retrans {
			b.retransBytes -= s.len()
		}
		s.sacked = true
		b.sackedBytes += s.len()
		n += s.len()
	}
	return n
}

func (b *scoreboard) addSpan(start, end int64) {
	spans := b.sackedSpans
	i := 0
	for i < len(spans) && spans[i].end < start {
		i++
	}
	j := i
	for j < len(spans) && spans[j].start <= end {
		start = min(start, spans[j].start)
		end = max(end, spans[j].end)
		j++
	}
	// Replace spans[i:j] by the merged span, in place.
	if j == i {
		spans = append(spans, span{})
		copy(spans[i+1:], spans[i:])
	} else {
		spans = append(spans[:i+1], spans[j:]...)
	}
	spans[i] = span{start, end}
	b.sackedSpans = spans
}

// lossBoundary returns L such that RFC 6675 IsLost holds for every unSACKed
// segment starting below L: more than (DupThresh-1)*SMSS bytes are SACKed
// above it (RFC 6675 §4, IsLost). It returns -1 if nothing qualifies.
func (b *scoreboard) lossBoundary(dupThresh, mss int) int64 {
	need := int64(dupThresh-1)*int64(mss) + 1
	for i := len(b.sackedSpans) - 1; i >= 0; i-- {
		sp := b.sackedSpans[i]
		if sp.end-sp.start >= need {
			return sp.end - need
		}
		need -= sp.end - sp.start
	}
	return -1
}

// markLost marks as lost every unSACKed segment starting below limit that
// is not yet marked, calling fn for each with the packet number of the
// transmission written off; it returns the bytes newly lost.
func (b *scoreboard) markLost(limit int64, fn func(s *txSeg, pn int64)) int64 {
	if limit <= b.lostMark {
		return 0
	}
	var n int64
	for i := b.find(b.lostMark); i < len(b.segs) && b.segs[i].start < limit; i++ {
		s := &b.segs[i]
		if s.sacked || s.lost {
			continue
		}
		// A retransmission still outstanding (sent by NextSeg rule 3 or
		// the rescue of rule 4, RFC 6675, before the segment was deemed
		// lost) stays in the pipe: only the transmission before it is
		// written off.
		s.lost = true
		b.lostBytes += s.len()
		n += s.len()
		if fn != nil {
			pn := s.pn
			if s.retrans {
				pn = s.prevPN
			}
			fn(s, pn)
		}
	}
	b.lostMark = max(b.lostMark, limit)
	return n
}

// markAllLost is the scoreboard side of a retransmission timeout: every
// unSACKed outstanding segment is deemed lost and no retransmission is
// considered in flight any more (RFC 6675 §5.1; RFC 5681 §3.1). fn is
// called with the packet number of each transmission written off: a
// segment's last one, and the one before it too when that had not been
// deemed lost yet, so that every loss the sender declares is traced.
func (b *scoreboard) markAllLost(fn func(s *txSeg, pn int64)) {
	for i := b.head; i < len(b.segs); i++ {
		s := &b.segs[i]
		if s.sacked {
			continue
		}
		resent := s.retrans
		if s.retrans {
			s.retrans = false
			b.retransBytes -= s.len()
		}
		if !s.lost {
			s.lost = true
			b.lostBytes += s.len()
			if resent && fn != nil {
				fn(s, s.prevPN)
			}
		} else if !resent {
			continue // written off before, and not sent since
		}
		if fn != nil {
			fn(s, s.pn)
		}
	}
	if !b.empty() {
		b.lostMark = b.segs[len(b.segs)-1].end
		b.highRxt = b.segs[b.head].start
	}
}

// nextLost returns the index of the first lost, unSACKed segment not yet
// retransmitted at or above HighRxt (RFC 6675 NextSeg rule 1), or -1.
func (b *scoreboard) nextLost() int {
	for i := b.find(b.highRxt); i < len(b.segs) && b.segs[i].start < b.lostMark; i++ {
		s := &b.segs[i]
		if s.lost && !s.sacked && !s.retrans {
			return i
		}
	}
	return -1
}

// nextUnsackedBelowHighSack returns the index of the first unSACKed segment
// at or above HighRxt that is neither lost nor retransmitted and lies below
// the highest SACKed byte (RFC 6675 NextSeg rule 3), or -1.
func (b *scoreboard) nextUnsackedBelowHighSack() int {
	high := b.highSacked()
	for i := b.find(b.highRxt); i < len(b.segs) && b.segs[i].end <= high; i++ {
		s := &b.segs[i]
		if !s.sacked && !s.lost && !s.retrans {
			return i
		}
	}
	return -1
}

// split divides segs[i] at offset at, start < at < end, into two segments
// that keep its state (SACKed, lost, retransmitted, packet numbers); the
// FIN, if any, goes with the second. The counters do not change: the two
// hold the same bytes in the same states.
func (b *scoreboard) split(i int, at int64) {
	s := b.segs[i]
	if at <= s.start || at >= s.end {
		panic("tcp: scoreboard split outside the segment")
	}
	b.segs = append(b.segs, txSeg{})
	copy(b.segs[i+2:], b.segs[i+1:])
	first, second := s, s
	first.end, first.fin = at, false
	second.start = at
	b.segs[i], b.segs[i+1] = first, second
}

// markRetransmitted records that segs[i] was sent again at now as packet pn.
func (b *scoreboard) markRetransmitted(i int, now sim.Time, pn int64) {
	s := &b.segs[i]
	if !s.retrans {
		s.retrans = true
		b.retransBytes += s.len()
	}
	s.everRetx = true
	s.sentAt = now
	s.prevPN, s.pn = s.pn, pn
	if s.end > b.highRxt {
		b.highRxt = s.end
	}
}
