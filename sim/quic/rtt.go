package quic

import (
	"time"

	"httpsim/sim"
)

// rttEstimator keeps the RTT estimates of RFC 9002 §5: latest_rtt, min_rtt,
// smoothed_rtt and rttvar, with the peer's acknowledgement delay taken out
// of samples (§5.3).
type rttEstimator struct {
	latest, min, smoothed, rttvar time.Duration
	// firstSample is when the first sample was taken (RFC 9002 Appendix
	// A.3's first_rtt_sample); 0 before it. Persistent congestion only
	// considers packets sent after it (§7.6.2).
	firstSample sim.Time
	hasSample   bool
	fresh       bool // a sample came since the last metrics event
	initial     time.Duration
	// minStale: persistent congestion was declared, and the next sample
	// replaces min_rtt (RFC 9002 §5.2: the path may have changed).
	minStale bool
}

// reset returns to the state before any sample (RFC 9002 §5.3 and Appendix
// A.4: smoothed_rtt = kInitialRtt, rttvar = kInitialRtt/2), as at the start
// of a connection and on a new path (RFC 9000 §9.4).
func (r *rttEstimator) reset(initial time.Duration) {
	*r = rttEstimator{initial: initial, smoothed: initial, rttvar: initial / 2}
}

// update folds in a sample: latest is now minus the send time of the
// largest newly acknowledged packet; ackDelay the peer's reported delay,
// already capped at max_ack_delay once the handshake is confirmed (§5.3).
func (r *rttEstimator) update(now sim.Time, latest, ackDelay time.Duration) {
	if latest <= 0 {
		latest = 1 // a sample of zero would collapse the estimate
	}
	r.latest, r.fresh = latest, true
	if !r.hasSample {
		// §5.3: on the first sample, min_rtt = smoothed_rtt = latest_rtt,
		// rttvar = latest_rtt / 2; the ack delay is ignored.
		r.hasSample = true
		r.firstSample = now
		r.min = latest
		r.smoothed = latest
		r.rttvar = latest / 2
		return
	}
	// §5.2: min_rtt is the minimum over unadjusted samples, "set to the
	// newest RTT sample after persistent congestion is established".
	if r.minStale {
		r.min, r.minStale = latest, false
	} else {
		r.min = min(r.min, latest)
	}
	// §5.3: subtract the ack delay only if the result is not below min_rtt.
	adjusted := latest
	if latest >= r.min+ackDelay {
		adjusted = latest - ackDelay
	}
	d := r.smoothed - adjusted
	if d < 0 {
		d = -d
	}
	r.rttvar = (3*r.rttvar + d) / 4
	r.smoothed = (7*r.smoothed + adjusted) / 8
}

// pto returns the probe timeout without back-off (RFC 9002 §6.2.1):
// smoothed_rtt + max(4*rttvar, kGranularity) + max_ack_delay.
func (r *rttEstimator) pto(granularity, maxAckDelay time.Duration) time.Duration {
	return r.smoothed + max(4*r.rttvar, granularity) + maxAckDelay
}

// lossDelay is the time threshold of RFC 9002 §6.1.2: kTimeThreshold (9/8)
// times max(smoothed_rtt, latest_rtt), at least kGranularity.
func (r *rttEstimator) lossDelay(granularity time.Duration) time.Duration {
	d := max(r.smoothed, r.latest)
	d = d * 9 / 8
	return max(d, granularity)
}
