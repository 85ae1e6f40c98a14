package tcp

// Controller is the congestion-control policy: it owns cwnd and ssthresh
// and is told about acknowledgements and congestion signals. Loss detection
// and recovery (which segments to retransmit, when) live in the sender; the
// controller only decides how large the window is.
type Controller interface {
	// Cwnd and Ssthresh in bytes.
	Cwnd() int
	Ssthresh() int
	// OnAck is called for an ACK that acknowledges acked new bytes outside
	// recovery. flight is the FlightSize before the ACK.
	OnAck(acked, flight int)
	// OnCongestion is called once when fast retransmit enters recovery;
	// flight is the FlightSize at that moment.
	OnCongestion(flight int)
	// OnRecoveryExit is called when recovery ends with a full ACK; flight
	// is the FlightSize after it.
	OnRecoveryExit(flight int)
	// OnTimeout is called when the retransmission timer expires; first
	// is false when the segment had already been retransmitted by the timer
	// (RFC 5681 §3.1: ssthresh is then held constant); inRecovery says
	// fast recovery was under way, its reduction already made.
	OnTimeout(flight int, first, inRecovery bool)
	// SetCwnd overrides cwnd: NewReno's window inflation and deflation
	// during fast recovery (RFC 5681 §3.2 steps 3 and 4, RFC 6582 §3.2
	// step 3) and RFC 6675's recovery use it.
	SetCwnd(cwnd int)
	// InSlowStart reports whether cwnd < ssthresh.
	InSlowStart() bool
}

// NewReno is RFC 5681 congestion control: slow start with Appropriate Byte
// Counting (RFC 3465), linear growth in congestion avoidance by byte
// counting, halving on a loss event, one segment after a timeout.
type NewReno struct {
	mss, abcLimit  int
	cwnd, ssthresh int
	// bytesAcked counts, in congestion avoidance, the bytes acknowledged
	// since cwnd last grew (RFC 5681 §3.1's byte counting).
	bytesAcked int
}

var _ Controller = (*NewReno)(nil)

// NewNewReno returns a controller with the initial window of c.
func NewNewReno(c Config) *NewReno {
	r := new(NewReno)
	r.init(c)
	return r
}

// init sets r to the initial state for c.
func (r *NewReno) init(c Config) {
	*r = NewReno{
		mss:      c.MSS,
		abcLimit: c.ABCLimit,
		// RFC 6928 §2: IW = min(10*MSS, max(2*MSS, 14600)) generalised
		// to InitialWindow segments.
		cwnd: initialWindow(c),
		// RFC 5681 §3.1: the initial ssthresh SHOULD be arbitrarily high.
		ssthresh: 1 << 30,
	}
}

func initialWindow(c Config) int {
	iw := c.InitialWindow * c.MSS
	if c.InitialWindow == 10 {
		// RFC 6928 §2 caps the 10-segment window at 14600 bytes for
		// MSS above 1460, and floors it at 2 segments.
		iw = min(10*c.MSS, max(2*c.MSS, 14600))
	}
	return iw
}

// Cwnd implements Controller.
func (r *NewReno) Cwnd() int { return r.cwnd }

// Ssthresh implements Controller.
func (r *NewReno) Ssthresh() int { return r.ssthresh }

// InSlowStart implements Controller.
func (r *NewReno) InSlowStart() bool { return r.cwnd < r.ssthresh }

// SetCwnd implements Controller.
func (r *NewReno) SetCwnd(cwnd int) {
	if cwnd < r.mss {
		cwnd = r.mss
	}
	r.cwnd = cwnd
	// Bytes counted toward the old window are no credit at the new one
	// (an idle restart's smaller window grew several segments in its first
	// round trip; RFC 5681 §3.1: no more than SMSS a round trip).
	r.bytesAcked = 0
}

// OnAck implements Controller.
func (r *NewReno) OnAck(acked, flight int) {
	if acked <= 0 {
		return
	}
	if r.cwnd < r.ssthresh {
		// Slow start, RFC 5681 §3.1 with RFC 3465 §2.2 byte counting:
		// cwnd += min(N, L*SMSS), but not past ssthresh, where
		// congestion avoidance takes over (as Linux's tcp_slow_start
		// does; RFC 5681 leaves the crossing ACK to the implementation).
		r.cwnd = min(r.cwnd+min(acked, r.abcLimit*r.mss), max(r.ssthresh, r.cwnd))
		return
	}
	// Congestion avoidance by byte counting, RFC 5681 §3.1: "The
	// RECOMMENDED way to increase cwnd during congestion avoidance is to
	// count the number of bytes that have been acknowledged by ACKs for
	// new data. [...] When the number of bytes acknowledged reaches cwnd,
	// then cwnd can be incremented by up to SMSS bytes." One segment a
	// round trip, delayed ACKs or not, as Linux and QUIC (RFC 9002 §7.3.3)
	// grow; equation (3), once per ACK, grew half that with delayed ACKs.
	r.bytesAcked += acked
	if r.bytesAcked >= r.cwnd {
		r.bytesAcked -= r.cwnd
		r.cwnd += r.mss
	}
}

// lossThreshold is RFC 5681 equation (4): ssthresh = max(FlightSize/2, 2*SMSS).
func (r *NewReno) lossThreshold(flight int) int {
	return max(flight/2, 2*r.mss)
}

// OnCongestion implements Controller.
func (r *NewReno) OnCongestion(flight int) {
	r.ssthresh = r.lossThreshold(flight)
	r.cwnd = r.ssthresh
	r.bytesAcked = 0
}

// OnRecoveryExit implements Controller: RFC 6582 §3.2 step 3 ("Full
// acknowledgments"), option (1): cwnd = min(ssthresh, max(FlightSize,
// SMSS) + SMSS), which avoids a burst when little is in flight.
func (r *NewReno) OnRecoveryExit(flight int) {
	r.cwnd = min(r.ssthresh, max(flight, r.mss)+r.mss)
}

// OnTimeout implements Controller: RFC 5681 §3.1, equation (4) and the loss
// window of one segment.
//
// In fast recovery ssthresh is already halved for this window of loss,
// and FlightSize counts what recovery sent since: equation (4) alone could
// raise it back to the window before the loss (a lost retransmission took
// it from 15 segments to 20.5). ssthresh is "no more than" equation (4),
// so it keeps the lower of the two: one reduction per window (RFC 6582
// §3.2 step 2: no second fast retransmit, and no second ssthresh
// reduction, before the ACK covers "recover"), as Linux does.
func (r *NewReno) OnTimeout(flight int, first, inRecovery bool) {
	if first {
		t := r.lossThreshold(flight)
		if inRecovery {
			t = min(t, r.ssthresh)
		}
		r.ssthresh = t
	}
	r.cwnd = r.mss
	r.bytesAcked = 0
}
