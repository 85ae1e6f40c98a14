package tcp

import (
	"slices"
	"testing"
)

// board returns a scoreboard with n outstanding 100-byte segments.
func board(n int) *scoreboard {
	b := &scoreboard{}
	for i := 0; i < n; i++ {
		b.add(txSeg{start: int64(i * 100), end: int64(i*100 + 100), pn: int64(i)})
	}
	return b
}

func TestScoreboardSACKAndPipe(t *testing.T) {
	b := board(10)
	if got := b.pipe(); got != 1000 {
		t.Fatalf("pipe = %d; want 1000", got)
	}
	// Segment 2 is lost; 3..6 are SACKed in two reports, one repeated.
	if n := b.sack(300, 500); n != 200 {
		t.Errorf("sack(300,500) = %d; want 200 newly SACKed", n)
	}
	if n := b.sack(300, 700); n != 200 {
		t.Errorf("sack(300,700) = %d; want 200 (only 500..700 is new)", n)
	}
	if n := b.sack(300, 700); n != 0 {
		t.Errorf("repeated sack(300,700) = %d; want 0", n)
	}
	// RFC 6675 IsLost with DupThresh 3 and SMSS 100: more than 200 bytes
	// SACKed above. 300..700 is SACKed, so everything below 700-201 = 499
	// that is not SACKed (segments 0, 1, 2) is lost.
	l := b.lossBoundary(3, 100)
	if l != 499 {
		t.Errorf("lossBoundary = %d; want 499", l)
	}
	var lost []int64
	b.markLost(l, func(s *txSeg, pn int64) { lost = append(lost, pn) })
	if len(lost) != 3 || lost[0] != 0 || lost[2] != 2 {
		t.Errorf("marked lost %v; want [0 1 2]", lost)
	}
	// pipe = 1000 out - 400 SACKed - 300 lost = 300 (segments 7..9).
	if got := b.pipe(); got != 300 {
		t.Errorf("pipe = %d; want 300", got)
	}
	i := b.nextLost()
	if i < 0 || b.segs[i].pn != 0 {
		t.Fatalf("nextLost = %d; want segment 0", i)
	}
	b.markRetransmitted(i, 0, 100)
	if got := b.pipe(); got != 400 {
		t.Errorf("pipe after one retransmission = %d; want 400", got)
	}
	if j := b.nextLost(); j < 0 || b.segs[j].pn != 1 {
		t.Errorf("nextLost after retransmitting 0 = %d; want segment 1", j)
	}
	// A cumulative ACK of 0..200 removes two segments and their counts.
	b.ackTo(200)
	if got := b.pipe(); got != 300+0 {
		t.Errorf("pipe after ACK to 200 = %d; want 300", got)
	}
	if b.outBytes != 800 || b.sackedBytes != 400 || b.lostBytes != 100 || b.retransBytes != 0 {
		t.Errorf("counters out=%d sacked=%d lost=%d retrans=%d; want 800 400 100 0", b.outBytes, b.sackedBytes, b.lostBytes, b.retransBytes)
	}
}

func TestScoreboardRTO(t *testing.T) {
	b := board(5)
	b.sack(300, 400)
	var lost []int64
	b.markAllLost(func(s *txSeg, pn int64) { lost = append(lost, pn) })
	if len(lost) != 4 {
		t.Errorf("RTO marked %v lost; want the 4 unSACKed segments", lost)
	}
	if got := b.pipe(); got != 0 {
		t.Errorf("pipe after RTO = %d; want 0", got)
	}
}

// A second timeout writes off the retransmission the first one sent: the
// sender declares that transmission (its packet number) lost too, or a
// qlog would show a retransmission appearing from nowhere.
func TestScoreboardRTOWritesOffARetransmission(t *testing.T) {
	b := board(3)
	var lost []int64
	record := func(s *txSeg, pn int64) { lost = append(lost, pn) }
	b.markAllLost(record)
	b.markRetransmitted(b.nextLost(), 0, 10) // segment 0 resent as packet 10
	lost = nil
	b.markAllLost(record)
	if len(lost) != 1 || lost[0] != 10 {
		t.Errorf("second RTO declared %v lost; want [10], the retransmission (segments 1 and 2 were written off by the first and not sent since)", lost)
	}
	if b.lostBytes != 300 || b.retransBytes != 0 {
		t.Errorf("counters lost=%d retrans=%d; want 300 0", b.lostBytes, b.retransBytes)
	}
}

// A segment resent before it was deemed lost (a rescue retransmission,
// RFC 6675 NextSeg rule 4) and then found lost by SACK: the transmission
// written off is the one before the retransmission, still outstanding.
func TestScoreboardLossBehindARescue(t *testing.T) {
	b := board(4)
	b.markRetransmitted(0, 0, 10) // segment 0 resent as packet 10, not deemed lost
	var lost []int64
	b.markLost(100, func(s *txSeg, pn int64) { lost = append(lost, pn) })
	if len(lost) != 1 || lost[0] != 0 {
		t.Errorf("markLost declared %v lost; want [0], the original (packet 10 is in flight)", lost)
	}
	// A timeout then writes off the rescue too.
	lost = nil
	b.markAllLost(func(s *txSeg, pn int64) { lost = append(lost, pn) })
	if want := []int64{10, 1, 2, 3}; !slices.Equal(lost, want) {
		t.Errorf("RTO declared %v lost; want %v", lost, want)
	}
	// A timeout with a rescue outstanding writes off both transmissions.
	b = board(2)
	b.markRetransmitted(1, 0, 10)
	lost = nil
	b.markAllLost(func(s *txSeg, pn int64) { lost = append(lost, pn) })
	if want := []int64{0, 1, 10}; !slices.Equal(lost, want) {
		t.Errorf("RTO with a rescue outstanding declared %v lost; want %v", lost, want)
	}
}

// TestScoreboardSplit: a lost segment cut in two before it is sent again
// (a retransmission that must make room for SACK options) leaves two lost
// segments, the counters unchanged, and the FIN with the second.
func TestScoreboardSplit(t *testing.T) {
	b := board(3)
	b.segs[2].end++ // segment 2 carries the FIN
	b.segs[2].fin = true
	b.markAllLost(nil)
	out, lost, pipe := b.outBytes, b.lostBytes, b.pipe()
	b.split(1, 140)
	b.split(3, 260)
	var got []txSeg
	for _, s := range b.segs[b.head:] {
		got = append(got, txSeg{start: s.start, end: s.end, fin: s.fin, lost: s.lost, pn: s.pn})
	}
	want := []txSeg{
		{start: 0, end: 100, lost: true, pn: 0},
		{start: 100, end: 140, lost: true, pn: 1},
		{start: 140, end: 200, lost: true, pn: 1},
		{start: 200, end: 260, lost: true, pn: 2},
		{start: 260, end: 301, lost: true, fin: true, pn: 2},
	}
	if !slices.Equal(got, want) {
		t.Errorf("segments after split = %+v; want %+v", got, want)
	}
	if b.outBytes != out || b.lostBytes != lost || b.pipe() != pipe {
		t.Errorf("out %d, lost %d, pipe %d after split; want %d, %d, %d", b.outBytes, b.lostBytes, b.pipe(), out, lost, pipe)
	}
	if i := b.nextLost(); i != b.head {
		t.Fatalf("nextLost = %d; want %d", i, b.head)
	}
	b.markRetransmitted(1, 0, 10)
	if j := b.nextLost(); j < 0 || b.segs[j].start != 140 {
		t.Errorf("nextLost after resending [100,140) = segment %d; want the one at 140", j)
	}
}
