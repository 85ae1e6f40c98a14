package tcp

import "time"

// rttEstimator computes the retransmission timeout of RFC 6298 §2.
type rttEstimator struct {
	srtt, rttvar time.Duration
	latest       time.Duration
	minRTT       time.Duration
	hasSample    bool
	fresh        bool          // a sample came since the last metrics event
	rto          time.Duration // before back-off
	backoff      int           // number of doublings in force (§5.5)

	min, max, g time.Duration
}

func newRTTEstimator(c Config) rttEstimator {
	return rttEstimator{rto: c.InitialRTO, min: c.MinRTO, max: c.MaxRTO, g: c.ClockGranularity}
}

// sample folds in one RTT measurement r (RFC 6298 §2.2 and §2.3).
func (e *rttEstimator) sample(r time.Duration) {
	if r <= 0 {
		r = 1 // a zero sample would make SRTT zero; keep it positive
	}
	e.latest, e.fresh = r, true
	if !e.hasSample || r < e.minRTT {
		e.minRTT = r
	}
	if !e.hasSample {
		// §2.2: SRTT <- R, RTTVAR <- R/2.
		e.srtt = r
		e.rttvar = r / 2
		e.hasSample = true
	} else {
		// §2.3 with alpha = 1/8 and beta = 1/4; RTTVAR first, using the
		// old SRTT.
		d := e.srtt - r
		if d < 0 {
			d = -d
		}
		e.rttvar = (3*e.rttvar + d) / 4
		e.srtt = (7*e.srtt + r) / 8
	}
	// RTO <- SRTT + max(G, K*RTTVAR) with K = 4, then §2.4 and §2.5 bounds.
	k := 4 * e.rttvar
	if k < e.g {
		k = e.g
	}
	e.rto = e.clamp(e.srtt + k)
	// A new sample after a back-off collapses it (§5.7 keeps the backed-off
	// value only until a new measurement).
	e.backoff = 0
}

func (e *rttEstimator) clamp(d time.Duration) time.Duration {
	if d < e.min {
		d = e.min
	}
	if d > e.max {
		d = e.max
	}
	return d
}

// timeout is the current RTO with back-off applied (§5.5).
func (e *rttEstimator) timeout() time.Duration {
	d := e.rto
	for i := 0; i < e.backoff && d < e.max; i++ {
		d *= 2
	}
	return e.clamp(d)
}

// backOff doubles the timeout after an expiry (§5.5).
func (e *rttEstimator) backOff() {
	if e.timeout() < e.max {
		e.backoff++
	}
}
