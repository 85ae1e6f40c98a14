package quic

import (
	"time"

	"httpsim/sim"
	"httpsim/sim/trace"
)

// Stats count what a connection sent and received. The bytes sent split
// exactly: Bytes = Overhead + Handshake + RetransmittedHandshake + Payload +
// RetransmittedPayload + EarlyRejected.
type Stats struct {
	// Datagrams and Packets sent (packets coalesced in a datagram count
	// one each).
	Datagrams, Packets int64
	// Bytes is every byte sent on the wire, UDP and IPv4 headers included.
	Bytes int64
	// Overhead is everything that is not stream or handshake data: UDP and
	// IPv4 headers, QUIC headers and AEAD tags, frame headers, ACK and
	// control frames, PADDING.
	Overhead int64
	// Handshake is CRYPTO frame data (TLS messages) sent for the first
	// time; RetransmittedHandshake is CRYPTO data sent again after a loss
	// or for a probe, as TCP counts a handshake segment it sends again.
	Handshake, RetransmittedHandshake int64
	// Payload is STREAM data sent for the first time.
	Payload int64
	// RetransmittedPayload is STREAM data sent again after a loss or for a
	// probe.
	RetransmittedPayload int64
	// EarlyRejected is STREAM data a client sent in 0-RTT packets that
	// the server rejected (RFC 9001 §4.6.2). It is sent again in 1-RTT
	// packets, counted in Payload then.
	EarlyRejected int64
	// PacketsLost counts packets declared lost; PTOs probe timeouts.
	PacketsLost, PTOs int64
	// DatagramsReceived, PacketsReceived and BytesReceived count what
	// arrived (BytesReceived on the wire).
	DatagramsReceived, PacketsReceived, BytesReceived int64
}

// Stats returns the counters so far.
func (c *Conn) Stats() Stats { return c.stats }

// CongestionState is the sender's phase, named as qlog names them.
type CongestionState string

// Congestion states.
const (
	SlowStart           CongestionState = "slow_start"
	CongestionAvoidance CongestionState = "congestion_avoidance"
	Recovery            CongestionState = "recovery"
)

// SenderState is a snapshot of loss detection and congestion control.
type SenderState struct {
	Cwnd, Ssthresh int
	BytesInFlight  int
	State          CongestionState
	LatestRTT      time.Duration
	SmoothedRTT    time.Duration
	RTTVar         time.Duration
	MinRTT         time.Duration
	// PTO is the probe timeout now in force (backed off, with
	// max_ack_delay once the handshake is confirmed).
	PTO      time.Duration
	PTOCount int
	// LargestAcked per packet number space (-1 if none).
	LargestAcked [3]int64
	// PacketsLost, PTOs, CongestionEvents and PersistentCongestion count
	// since the start.
	PacketsLost, PTOs, CongestionEvents, PersistentCongestion int64
	// PathValidated: the peer's address is validated (no
	// anti-amplification limit). AmplificationCredit is what may still be
	// sent before it is, or -1.
	PathValidated       bool
	AmplificationCredit int64
	// MaxDatagramSize is the largest datagram allowed now.
	MaxDatagramSize int
}

// SenderState returns a snapshot of the sending side.
func (c *Conn) SenderState() SenderState {
	r := c.rec
	pto := r.ptoDuration()
	if c.hs.confirmed {
		pto += r.maxAckDelay << min(r.ptoCount, 30)
	}
	st := SenderState{
		Cwnd: r.cc.Cwnd(), Ssthresh: r.cc.Ssthresh(), BytesInFlight: r.bytesInFlight,
		State:     c.metrics.state,
		LatestRTT: r.rtt.latest, SmoothedRTT: r.rtt.smoothed, RTTVar: r.rtt.rttvar, MinRTT: r.rtt.min,
		PTO: pto, PTOCount: r.ptoCount,
		PacketsLost: r.lost, PTOs: r.ptos, CongestionEvents: r.congestionEvents, PersistentCongestion: r.persistent,
		PathValidated: c.path.validated, AmplificationCredit: c.ampCredit(), MaxDatagramSize: c.datagramLimit(),
	}
	for i := range st.LargestAcked {
		st.LargestAcked[i] = r.spaces[i].largestAcked
	}
	if st.State == "" {
		st.State = SlowStart
	}
	return st
}

// StreamState is a snapshot of one stream.
type StreamState struct {
	ID uint64
	// Sending half (zero if none): bytes written, sent once, acknowledged
	// contiguously from 0, waiting to be sent again; the peer's limit.
	Written, Sent, Acked, Lost, MaxData int64
	FinSent, FinAcked                   bool
	// Receiving half: bytes delivered, held above holes, the limit
	// advertised, and whether the FIN was delivered.
	Delivered, Held, RecvMaxData int64
	FinReceived                  bool
	Urgency                      int
	Incremental                  bool
}

// StreamState returns a snapshot of stream id, if it is open.
func (c *Conn) StreamState(id uint64) (StreamState, bool) {
	s := c.streams.get(id)
	if s == nil {
		return StreamState{}, false
	}
	st := StreamState{ID: id, Urgency: s.urgency, Incremental: s.incremental}
	if ss := s.send; ss != nil {
		st.Written, st.Sent, st.Lost, st.MaxData = ss.written(), ss.next, ss.lost.size(), ss.maxData
		st.Acked = ss.acked.prefixEnd(0)
		st.FinSent, st.FinAcked = ss.finSent, ss.finAcked
	}
	if r := s.recv; r != nil {
		st.Delivered, st.Held, st.RecvMaxData, st.FinReceived = r.next, r.held(), r.maxData, r.finDelivered
	}
	return st, true
}

// Streams lists the open streams in ID order.
func (c *Conn) Streams() []uint64 { return append([]uint64(nil), c.streams.ids...) }

// metricsSeen remembers what the last metrics event said, to emit events
// only on change.
type metricsSeen struct {
	cwnd, ssthresh int
	state          CongestionState
	lastAckedSent  sim.Time
}

// metricsMaybe emits recovery:metrics_updated after an RTT sample or a
// change of window, and recovery:congestion_state_updated on a change of
// phase.
func (c *Conn) metricsMaybe(now sim.Time, sampled bool) {
	cc := c.rec.cc
	if sampled || cc.Cwnd() != c.metrics.cwnd || cc.Ssthresh() != c.metrics.ssthresh {
		c.metricsNow(now)
		return
	}
	c.congestionState(now)
}

// metricsNow emits recovery:metrics_updated.
func (c *Conn) metricsNow(now sim.Time) {
	r := c.rec
	c.metrics.cwnd, c.metrics.ssthresh = r.cc.Cwnd(), r.cc.Ssthresh()
	var flags trace.Flags
	if r.rtt.fresh {
		flags, r.rtt.fresh = trace.FlagRTTSample, false
	}
	c.log.Emit(trace.Event{
		At: now, Kind: trace.MetricsUpdated, Side: c.side, Conn: c.id, Stream: -1, PN: -1, Flags: flags,
		Cwnd: int64(r.cc.Cwnd()), Ssthresh: int64(min(r.cc.Ssthresh(), 1<<40)), InFlight: int64(r.bytesInFlight),
		RTT: r.rtt.latest, SRTT: r.rtt.smoothed, RTTVar: r.rtt.rttvar, MinRTT: r.rtt.min,
	})
	c.congestionState(now)
}

// congestionState traces a change of phase: recovery from a congestion
// event until a packet sent after it is acknowledged (RFC 9002 §7.3.2).
func (c *Conn) congestionState(now sim.Time) {
	cc := c.rec.cc
	st := CongestionAvoidance
	switch {
	case c.rec.congestionEvents > 0 && cc.InRecovery(c.metrics.lastAckedSent):
		st = Recovery
	case cc.InSlowStart():
		st = SlowStart
	}
	if st == c.metrics.state || c.metrics.state == "" && st == SlowStart {
		c.metrics.state = st
		return
	}
	c.metrics.state = st
	c.log.Emit(trace.Event{At: now, Kind: trace.CongestionStateUpdated, Side: c.side, Conn: c.id, Stream: -1, PN: -1, Name: string(st)})
}
