package quic

import (
	"testing"
	"time"

	"httpsim/sim"
)

// TestImmediateAckOnlyForPacketsOutOfOrder checks RFC 9000 §13.2.1: a
// packet is acknowledged at once when it arrives out of order, that is
// below an ack-eliciting packet already received, or above one with
// packets missing in between; otherwise within max_ack_delay. Packets
// whose acknowledgement was itself acknowledged leave the receiver's set
// (§13.2.4) and are not missing: an in-order packet after them used to be
// taken for one past a gap.
func TestImmediateAckOnlyForPacketsOutOfOrder(t *testing.T) {
	const delay = 25 * time.Millisecond
	at := func(ms int) sim.Time { return sim.At(time.Duration(ms) * time.Millisecond) }
	type arrival struct {
		pn        int64
		eliciting bool
	}
	tests := []struct {
		name     string
		before   []arrival
		ackAcked int64 // the largest packet our acknowledged ACK covered; -1 if none
		pn       int64
		wantNow  bool
	}{
		{"in order", []arrival{{0, true}}, -1, 1, false},
		{"after a gap", []arrival{{0, true}}, -1, 2, true},
		{"below the largest", []arrival{{0, true}, {2, true}}, -1, 1, true},
		{"after ACK-only packets", []arrival{{0, true}, {1, false}, {2, false}}, -1, 3, false},
		{"after an acknowledged ACK", []arrival{{0, true}, {1, false}, {2, false}, {3, false}, {4, false}, {5, false}}, 5, 6, false},
		{"past a gap after an acknowledged ACK", []arrival{{0, true}, {1, false}, {2, false}}, 2, 5, true},
	}
	for _, tt := range tests {
		var a ackState
		a.init()
		for i, p := range tt.before {
			a.onPacket(at(i), at(i), p.pn, p.eliciting, false, 100, delay)
		}
		if tt.ackAcked >= 0 {
			a.onAckSent()
			a.onAckAcked(tt.ackAcked)
		}
		a.ackNow, a.unacked, a.ackAt = false, 0, sim.Never
		a.onPacket(at(10), at(10), tt.pn, true, false, 100, delay)
		if a.ackNow != tt.wantNow {
			t.Errorf("%s: packet %d acknowledged at once = %v; want %v (ACK due %v)", tt.name, tt.pn, a.ackNow, tt.wantNow, a.ackAt)
		}
		if !tt.wantNow && a.ackAt != at(10).Add(delay) {
			t.Errorf("%s: delayed ACK due %v; want %v", tt.name, a.ackAt, at(10).Add(delay))
		}
	}
}
