package tcp

import "testing"

// A window set anew (a restart after idle) starts counting from nothing:
// bytes counted at the old, larger window grew the new one by three
// segments in its first round trip.
func TestSetCwndForgetsTheCount(t *testing.T) {
	c := DefaultConfig()
	r := NewNewReno(c)
	r.OnCongestion(8 * c.MSS) // ssthresh = cwnd = 4 segments
	r.SetCwnd(30 * c.MSS)
	for range 29 {
		r.OnAck(c.MSS, 30*c.MSS) // 29 segments counted toward the 30
	}
	r.SetCwnd(10 * c.MSS) // the restart window, above ssthresh
	for range 5 {
		r.OnAck(2*c.MSS, 10*c.MSS) // one window, two segments an ACK
	}
	if got := r.Cwnd(); got != 11*c.MSS {
		t.Errorf("cwnd after one window at the restart window = %d segments; want 11", got/c.MSS)
	}
}

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
