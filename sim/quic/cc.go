package quic

import "httpsim/sim"

// Controller is the congestion-control policy (RFC 9002 §7). Loss detection
// decides which packets are acknowledged or lost and keeps bytes_in_flight;
// the controller only decides the size of the congestion window from what
// it is told.
type Controller interface {
	// Cwnd is congestion_window in bytes.
	Cwnd() int
	// Ssthresh is the slow start threshold in bytes.
	Ssthresh() int
	// InSlowStart reports whether cwnd < ssthresh.
	InSlowStart() bool
	// InRecovery reports whether a packet sent at sentTime was sent before
	// the current recovery period began (RFC 9002 §7.3.2): its loss is not
	// a new congestion event, its acknowledgement grows nothing.
	InRecovery(sentTime sim.Time) bool
	// OnAck is told of one newly acknowledged in-flight packet of size
	// bytes sent at sentTime. limited reports that the sender was not
	// using the window (RFC 9002 §7.8): the window must not grow.
	OnAck(sentTime sim.Time, bytes int, limited bool)
	// OnCongestionEvent is told of a loss whose newest lost packet was
	// sent at sentTime, at time now (RFC 9002 §7.3.2, Appendix B.6).
	OnCongestionEvent(now, sentTime sim.Time)
	// OnPersistentCongestion collapses the window (RFC 9002 §7.6.2).
	OnPersistentCongestion()
	// Reset returns to the initial state, as on a new path (RFC 9000
	// §9.4). Loss detection tells the controller nothing more about
	// packets sent on the old path.
	Reset()
}

// NewReno is RFC 9002's congestion controller (§7.3, Appendix B): slow
// start, congestion avoidance adding one maximum datagram size per
// congestion window acknowledged, a halving once per recovery period, and a
// collapse to the minimum window on persistent congestion.
type NewReno struct {
	mds           int // max_datagram_size
	cwnd          int
	ssthresh      int
	recoveryStart sim.Time // congestion_recovery_start_time; -1 if none
	ackedInCA     int      // bytes acknowledged towards the next increase in CA
}

var _ Controller = (*NewReno)(nil)

// Constants of RFC 9002 §7.2 and Appendix B.1.
const (
	// kInitialWindowFloor: the initial window is max(14720, 2*mds) bytes
	// capped at 10*mds (§7.2).
	kInitialWindowFloor = 14720
	// kLossReductionFactor is 0.5 (§7.3.2, Appendix B.1): expressed as a
	// fraction in code.
	kLossReductionNum, kLossReductionDen = 1, 2
)

// NewNewReno returns a controller for a maximum datagram size of mds.
func NewNewReno(mds int) *NewReno {
	r := &NewReno{mds: mds}
	r.Reset()
	return r
}

// InitialWindow is kInitialWindow (RFC 9002 §7.2):
// min(10*max_datagram_size, max(14720, 2*max_datagram_size)).
func InitialWindow(mds int) int { return min(10*mds, max(kInitialWindowFloor, 2*mds)) }

// MinimumWindow is kMinimumWindow (RFC 9002 §7.2): 2*max_datagram_size.
func MinimumWindow(mds int) int { return 2 * mds }

// Cwnd implements Controller.
func (r *NewReno) Cwnd() int { return r.cwnd }

// Ssthresh implements Controller.
func (r *NewReno) Ssthresh() int { return r.ssthresh }

// InSlowStart implements Controller.
func (r *NewReno) InSlowStart() bool { return r.cwnd < r.ssthresh }

// InRecovery implements Controller (RFC 9002 Appendix B.4:
// InCongestionRecovery(sent_time) = sent_time <= recovery_start_time).
func (r *NewReno) InRecovery(sentTime sim.Time) bool {
	return r.recoveryStart >= 0 && sentTime <= r.recoveryStart
}

// OnAck implements Controller (RFC 9002 Appendix B.5).
func (r *NewReno) OnAck(sentTime sim.Time, bytes int, limited bool) {
	// §7.3.2: no growth for packets sent before recovery began; §7.8: no
	// growth while application- or flow-control-limited.
	if r.InRecovery(sentTime) || limited {
		return
	}
	if r.cwnd < r.ssthresh {
		// §7.3.1: slow start adds the bytes acknowledged.
		r.cwnd += bytes
		return
	}
	// §7.3.3: congestion avoidance adds one maximum datagram size per
	// congestion window acknowledged; counting bytes keeps the growth
	// exact however the acknowledgements are spread.
	r.ackedInCA += bytes
	if r.ackedInCA >= r.cwnd {
		r.ackedInCA -= r.cwnd
		r.cwnd += r.mds
	}
}

// OnCongestionEvent implements Controller (RFC 9002 Appendix B.6).
func (r *NewReno) OnCongestionEvent(now, sentTime sim.Time) {
	// §7.3.2: one reduction per round: losses of packets sent before the
	// current recovery period started do not reduce again.
	if r.InRecovery(sentTime) {
		return
	}
	r.recoveryStart = now
	r.ssthresh = r.cwnd * kLossReductionNum / kLossReductionDen
	r.cwnd = max(r.ssthresh, MinimumWindow(r.mds))
	r.ackedInCA = 0
}

// OnPersistentCongestion implements Controller (RFC 9002 §7.6.2, Appendix
// B.8): the window collapses to kMinimumWindow and the recovery period
// ends.
func (r *NewReno) OnPersistentCongestion() {
	r.cwnd = MinimumWindow(r.mds)
	r.recoveryStart = -1
	r.ackedInCA = 0
}

// Reset implements Controller (RFC 9002 Appendix B.3 initial state).
func (r *NewReno) Reset() {
	r.cwnd = InitialWindow(r.mds)
	r.ssthresh = 1 << 62 // infinite (Appendix B.3)
	r.recoveryStart = -1
	r.ackedInCA = 0
}
