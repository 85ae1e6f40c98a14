package quic

import (
	"time"

	"httpsim/sim"
	"httpsim/sim/quic/wire"
)

// maxAckRanges bounds the ranges an ACK frame reports: the most recent ones
// are kept (RFC 9000 §13.2.4 lets a receiver limit them).
const maxAckRanges = 32

// maxNonElicitingAcks is how many ACK-only packets in a row an endpoint
// sends before it bundles a PING, so that the peer acknowledges and the
// range list can be pruned (RFC 9000 §13.2.4: "send a PING ... occasionally";
// quic-go uses 19 and so does this).
const maxNonElicitingAcks = 19

// ackState is the receiving side of a packet number space: which packets
// arrived, and when an acknowledgement is owed (RFC 9000 §13.2).
type ackState struct {
	received  rangeSet // packet numbers received, at or above floor
	largest   int64    // largest packet number received, -1 if none
	largestAt sim.Time // when it arrived, for the ACK Delay field
	// floor: packets below it are no longer acknowledged, because the
	// peer has seen an ACK frame covering them acknowledged (§13.2.4).
	floor int64
	// largestEliciting is the largest ack-eliciting packet received.
	largestEliciting int64
	// unacked counts ack-eliciting packets received since the last ACK
	// frame was sent.
	unacked int
	ackNow  bool     // an ACK is due at the next opportunity
	ackAt   sim.Time // a delayed ACK is due then; Never if none
	// nonEliciting counts ACK-only packets sent in a row.
	nonEliciting int
}

func (a *ackState) init() {
	a.largest, a.largestEliciting = -1, -1
	a.ackAt = sim.Never
}

// isDuplicate reports whether pn was received already (or lies below the
// floor, and so is treated as such).
func (a *ackState) isDuplicate(pn int64) bool {
	return pn < a.floor || a.received.contains(pn)
}

// onPacket records packet pn. immediate asks for an acknowledgement without
// delay (Initial and Handshake packets, RFC 9000 §13.2.1).
func (a *ackState) onPacket(now, arrived sim.Time, pn int64, ackEliciting, immediate bool, threshold int, maxAckDelay time.Duration) {
	// §13.2.1: acknowledge at once a packet that arrives out of order: one
	// below an ack-eliciting packet already received, or one above with
	// packets missing in between.
	outOfOrder := false
	if ackEliciting && a.largestEliciting >= 0 {
		if pn < a.largestEliciting {
			outOfOrder = true
		} else if !a.received.covers(max(a.largestEliciting+1, a.floor), pn) {
			// Packets below floor count as received: they left the set
			// when their acknowledgement was acknowledged, not missing.
			outOfOrder = true
		}
	}
	a.received.add(pn, pn+1)
	if len(a.received) > maxAckRanges {
		a.floor = a.received[len(a.received)-maxAckRanges].start
		a.received.removeBelow(a.floor)
	}
	if pn > a.largest {
		a.largest, a.largestAt = pn, arrived
	}
	if !ackEliciting {
		// §13.2.1: non-ack-eliciting packets are acknowledged only
		// along with ack-eliciting ones.
		return
	}
	a.largestEliciting = max(a.largestEliciting, pn)
	a.unacked++
	switch {
	case immediate || outOfOrder || a.unacked >= threshold:
		// §13.2.2: "after receiving at least two ack-eliciting packets".
		a.ackNow = true
	case a.ackAt == sim.Never:
		// §13.2.1: otherwise within max_ack_delay.
		a.ackAt = now.Add(maxAckDelay)
	}
}

// due reports whether an ACK frame must be sent now, alone if need be.
func (a *ackState) due(now sim.Time) bool {
	return a.unacked > 0 && (a.ackNow || a.ackAt <= now)
}

// pending reports whether an ACK frame would say something new: it rides
// along in any packet sent in the space.
func (a *ackState) pending() bool { return a.unacked > 0 }

// frame builds the ACK frame to send now in f, reusing its Ranges array,
// and returns f (nil if there is nothing to acknowledge). ackDelay is
// reported in the application data space only (Initial and Handshake ACKs
// report 0, as their delay is not used, RFC 9002 §5.3).
func (a *ackState) frame(now sim.Time, withDelay bool, f *wire.AckFrame) *wire.AckFrame {
	if len(a.received) == 0 {
		return nil
	}
	ranges := f.Ranges[:0]
	for i := len(a.received) - 1; i >= 0; i-- {
		s := a.received[i]
		ranges = append(ranges, wire.AckRange{Smallest: uint64(s.start), Largest: uint64(s.end - 1)})
	}
	var delay uint64
	if withDelay {
		delay = wire.EncodeAckDelay(now.Sub(a.largestAt), wire.DefaultAckDelayExponent)
	}
	f.Ranges, f.AckDelay, f.ECN = ranges, delay, nil
	return f
}

// onAckSent records that an ACK frame went out.
func (a *ackState) onAckSent() {
	a.unacked = 0
	a.ackNow = false
	a.ackAt = sim.Never
}

// onAckAcked records that the peer received an ACK frame whose largest
// acknowledged was largest: nothing up to there needs acknowledging again
// (RFC 9000 §13.2.4).
func (a *ackState) onAckAcked(largest int64) {
	if largest+1 > a.floor {
		a.floor = largest + 1
		a.received.removeBelow(a.floor)
	}
}
