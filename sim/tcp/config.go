// Package tcp is httpsim's TCP: three-way handshake, segmentation, slow start
// and congestion avoidance (RFC 5681), NewReno fast recovery (RFC 6582),
// SACK-based loss recovery (RFC 2018, RFC 6675), the retransmission timer
// (RFC 6298), delayed acknowledgements, receive windows and flow control,
// and FIN. Sender and receiver are separate structs with RFC names; both
// export their state as plain snapshot structs for the UI.
//
// The receiver hands bytes to its application strictly in order and reports,
// for every range, when it arrived and when it was delivered: that is where
// head-of-line blocking is measured.
package tcp

import (
	"errors"
	"fmt"
	"time"
)

// Config holds one endpoint's TCP parameters.
type Config struct {
	// MSS is the sender maximum segment size in bytes: the payload of a
	// full-sized segment (default 1460: a 1500-byte Ethernet MTU minus 20
	// bytes of IPv4 and 20 of TCP header, RFC 9293 §3.7.1).
	MSS int `json:"mss"`
	// InitialWindow is the initial congestion window in segments (default
	// 10, RFC 6928).
	InitialWindow int `json:"initial_window"`
	// SACK enables selective acknowledgements (RFC 2018) and SACK-based
	// loss recovery (RFC 6675). Off, the sender uses NewReno (RFC 6582).
	// Both ends must enable it for it to be used (RFC 2018 §2).
	SACK bool `json:"sack"`
	// DelayedAck lets the receiver acknowledge every second full-sized
	// segment instead of every segment (RFC 5681 §4.2; RFC 1122 §4.2.3.2).
	DelayedAck bool `json:"delayed_ack"`
	// DelayedAckTimeout bounds how long an acknowledgement may be delayed
	// (RFC 5681 §4.2: less than 500 ms; default 40 ms, Linux's usual
	// minimum delayed-ACK timeout).
	DelayedAckTimeout time.Duration `json:"delayed_ack_timeout"`
	// MinRTO is the lower bound on the retransmission timeout. RFC 6298
	// §2.4 says 1 s (SHOULD); deployed stacks use less, and Linux's 200 ms
	// (TCP_RTO_MIN) is what students see in real captures, so it is the
	// default. Set 1s for the RFC's conservative bound.
	MinRTO time.Duration `json:"min_rto"`
	// MaxRTO is the upper bound after exponential back-off (RFC 6298 §2.5:
	// at least 60 s; default 60 s).
	MaxRTO time.Duration `json:"max_rto"`
	// InitialRTO is the timeout before any RTT sample (RFC 6298 §2.1: 1 s).
	InitialRTO time.Duration `json:"initial_rto"`
	// ClockGranularity is G in RFC 6298 §2 (default 1 ms).
	ClockGranularity time.Duration `json:"clock_granularity"`
	// RecvBuffer is the receive buffer in bytes; the advertised window is
	// the free space in it (default 4 MiB, with window scaling, RFC 7323).
	RecvBuffer int `json:"recv_buffer"`
	// DupThresh is the number of duplicate ACKs that triggers fast
	// retransmit (RFC 5681 §3.2 and RFC 6675 §2: 3).
	DupThresh int `json:"dup_thresh"`
	// ABCLimit is L of Appropriate Byte Counting in slow start (RFC 3465
	// §2.2), in segments: cwnd grows by min(bytes acked, L*MSS) per ACK.
	// 2 (the default) lets slow start double per RTT with delayed ACKs, as
	// the course texts describe; 1 is RFC 5681's conservative rule.
	ABCLimit int `json:"abc_limit"`
	// LimitedTransmit sends a new segment on each of the first two
	// duplicate ACKs (RFC 3042). On by default.
	LimitedTransmit bool `json:"limited_transmit"`
}

// DefaultConfig returns the defaults documented on Config's fields.
func DefaultConfig() Config {
	return Config{
		MSS:               1460,
		InitialWindow:     10,
		SACK:              true,
		DelayedAck:        true,
		DelayedAckTimeout: 40 * time.Millisecond,
		MinRTO:            200 * time.Millisecond,
		MaxRTO:            60 * time.Second,
		InitialRTO:        time.Second,
		ClockGranularity:  time.Millisecond,
		RecvBuffer:        4 << 20,
		DupThresh:         3,
		ABCLimit:          2,
		LimitedTransmit:   true,
	}
}

// Validate checks every field and names the first one out of range.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if c.MSS < 88 || c.MSS > 65495 {
		// RFC 9293 §3.7.1: IPv4 hosts must accept 536; we allow down to
		// 88 bytes so that tiny segments can be demonstrated.
		bad("mss: %d is out of range (88 to 65495 bytes)", c.MSS)
	}
	if c.InitialWindow < 1 || c.InitialWindow > 100 {
		bad("initial_window: %d is out of range (1 to 100 segments)", c.InitialWindow)
	}
	if c.DelayedAck && (c.DelayedAckTimeout <= 0 || c.DelayedAckTimeout >= 500*time.Millisecond) {
		bad("delayed_ack_timeout: %v is out of range (above 0, below 500ms, RFC 5681 §4.2)", c.DelayedAckTimeout)
	}
	if c.MinRTO < time.Millisecond || c.MinRTO > 60*time.Second {
		bad("min_rto: %v is out of range (1ms to 60s)", c.MinRTO)
	}
	if c.MaxRTO < c.MinRTO || c.MaxRTO > 10*time.Minute {
		bad("max_rto: %v is out of range (min_rto to 10m)", c.MaxRTO)
	}
	if c.InitialRTO < c.MinRTO || c.InitialRTO > c.MaxRTO {
		bad("initial_rto: %v is out of range (min_rto to max_rto)", c.InitialRTO)
	}
	if c.ClockGranularity < 0 || c.ClockGranularity > time.Second {
		bad("clock_granularity: %v is out of range (0 to 1s)", c.ClockGranularity)
	}
	if c.RecvBuffer < c.MSS || c.RecvBuffer > 1<<30 {
		bad("recv_buffer: %d is out of range (one MSS to 1GiB)", c.RecvBuffer)
	}
	if c.DupThresh < 1 || c.DupThresh > 100 {
		bad("dup_thresh: %d is out of range (1 to 100)", c.DupThresh)
	}
	if c.ABCLimit < 1 || c.ABCLimit > 100 {
		bad("abc_limit: %d is out of range (1 to 100 segments)", c.ABCLimit)
	}
	return errors.Join(errs...)
}
