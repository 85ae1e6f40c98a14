package tcp

import "testing"

// Congestion avoidance grows cwnd by one segment per window acknowledged,
// whatever each ACK covers (RFC 5681 §3.1's recommended byte counting):
// with delayed ACKs, two segments an ACK, equation (3)'s one increase per
// ACK grew half a segment per round trip, half QUIC's growth on the same
// path (RFC 9002 §7.3.3).
func TestCongestionAvoidanceGrowsOneSegmentPerRoundTrip(t *testing.T) {
	c := DefaultConfig()
	for _, perAck := range []int{1, 2, 3} {
		r := NewNewReno(c)
		r.OnCongestion(40 * c.MSS) // ssthresh = cwnd = 20 segments
		for rtt := 1; rtt <= 10; rtt++ {
			start := r.Cwnd()
			for acked := 0; acked < start; acked += perAck * c.MSS {
				r.OnAck(perAck*c.MSS, start)
			}
			if got := r.Cwnd() - start; got != c.MSS {
				t.Errorf("%d segments per ACK, round trip %d: cwnd %d → %d; want one MSS more", perAck, rtt, start, r.Cwnd())
				break
			}
		}
	}
}
