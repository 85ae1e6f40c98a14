package quic

import (
	"time"

	"httpsim/sim"
)

// burstLimit bounds what a connection sends in one instant. RFC 9002 §7.7:
// "Senders MUST either use pacing or limit such bursts. Senders SHOULD limit
// bursts to the initial congestion window." Without it, a window that grew
// while ACKs were held up (an outage on the way back) went out at once: 86
// packets, 8.6 initial windows, in one instant, and the sender's own queue
// then inflated its RTT samples.
type burstLimit struct {
	at    sim.Time // the instant of the burst under way
	bytes int      // sent in it
}

// burstSpent reports whether this instant's burst has used its initial
// window. If it has, the rest goes after the time the congestion window
// takes to send an initial window at its average rate (cwnd per smoothed
// RTT), which paces what is left at that rate.
func (c *Conn) burstSpent(now sim.Time) bool {
	if c.burst.at != now {
		c.burst.at, c.burst.bytes = now, 0
		return false
	}
	iw := InitialWindow(c.cfg.MaxDatagramSize)
	if c.burst.bytes < iw {
		return false
	}
	cwnd := max(c.rec.cc.Cwnd(), 1)
	gap := max(time.Duration(int64(iw)*int64(c.rec.rtt.smoothed)/int64(cwnd)), time.Microsecond)
	if !c.paceTimer.IsSet() {
		c.paceTimer.Set(now.Add(gap))
	}
	return true
}
