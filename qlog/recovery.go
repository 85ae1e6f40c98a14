package qlog

import (
	"time"

	"httpsim/sim/trace"
)

// This file maps loss detection and congestion control to the recovery
// events of draft-ietf-quic-qlog-quic-events-02 §3.4. TCP runs use the same
// events: qvis's congestion graph reads them whatever the transport.

// metricsUpdated is §3.4.2's RecoveryMetricsUpdated, RTTs in milliseconds.
// RTT fields are left out until the first RTT sample, and ssthresh while it
// is still "arbitrarily high" (RFC 5681 §3.1, RFC 9002 Appendix B.3).
type metricsUpdated struct {
	MinRTT           *float64 `json:"min_rtt,omitempty"`
	SmoothedRTT      *float64 `json:"smoothed_rtt,omitempty"`
	LatestRTT        *float64 `json:"latest_rtt,omitempty"`
	RTTVariance      *float64 `json:"rtt_variance,omitempty"`
	CongestionWindow int64    `json:"congestion_window"`
	BytesInFlight    int64    `json:"bytes_in_flight"`
	Ssthresh         *int64   `json:"ssthresh,omitempty"`
}

// unboundedSsthresh is where a trace's ssthresh means "not yet set": TCP
// starts it at 1<<30 and QUIC at 1<<62 (capped at 1<<40 in the trace).
const unboundedSsthresh = 1 << 30

func metrics(e *trace.Event) metricsUpdated {
	m := metricsUpdated{CongestionWindow: e.Cwnd, BytesInFlight: e.InFlight}
	if e.RTT > 0 {
		m.LatestRTT = msPtr(e.RTT)
		m.MinRTT = msPtr(e.MinRTT)
	}
	if e.SRTT > 0 {
		m.SmoothedRTT = msPtr(e.SRTT)
		m.RTTVariance = msPtr(e.RTTVar)
	}
	if e.Ssthresh > 0 && e.Ssthresh < unboundedSsthresh {
		ss := e.Ssthresh
		m.Ssthresh = &ss
	}
	return m
}

func msPtr(d time.Duration) *float64 {
	v := ms(d)
	return &v
}

// congestionStateUpdated is §3.4.3's RecoveryCongestionStateUpdated; the
// state names are the draft's for NewReno ("slow_start",
// "congestion_avoidance", "application_limited", "recovery").
type congestionStateUpdated struct {
	Old string `json:"old,omitempty"`
	New string `json:"new"`
}

// lossTimerUpdated is §3.4.4's RecoveryLossTimerUpdated for a timer that
// expired. QUIC's timer is "pto" in its packet number space; TCP's are
// "rto", "persist" and "sws_override", which the draft's enum does not
// have.
type lossTimerUpdated struct {
	TimerType         string `json:"timer_type"`
	PacketNumberSpace string `json:"packet_number_space,omitempty"`
	EventType         string `json:"event_type"`
}

func lossTimer(e *trace.Event) lossTimerUpdated {
	return lossTimerUpdated{TimerType: e.Name, PacketNumberSpace: e.Value, EventType: "expired"}
}

// packetLost is §3.4.5's RecoveryPacketLost: the header holds the packet
// type and number (and for TCP the sequence number, in qvis's dialect).
type packetLost struct {
	Header  lostHeader `json:"header"`
	Raw     *rawInfo   `json:"raw,omitempty"`
	Trigger string     `json:"trigger,omitempty"`
}

type lostHeader struct {
	PacketType     string `json:"packet_type,omitempty"`
	PacketNumber   int64  `json:"packet_number"`
	SequenceNumber *int64 `json:"sequence_number,omitempty"`
}

// quicLost maps a QUIC PacketLost event: Value is the packet type, Name the
// rule that declared it (RFC 9002 §6.1.1 packet threshold, which the draft
// calls "reordering_threshold", and §6.1.2 time threshold).
func quicLost(e *trace.Event) packetLost {
	l := packetLost{Header: lostHeader{PacketType: e.Value, PacketNumber: e.PN}}
	switch e.Name {
	case "packet_threshold":
		l.Trigger = "reordering_threshold"
	case "time_threshold":
		l.Trigger = "time_threshold"
	case "pto":
		l.Trigger = "pto_expired"
	}
	return l
}

// tcpLost maps a TCP PacketLost event: segment PN carried [Seq, Seq+Len)
// (raw.payload_length); the trigger is the simulator's ("dupack", "sack",
// "rto"), which the draft's QUIC triggers do not cover.
func tcpLost(e *trace.Event) packetLost {
	seq := e.Seq
	return packetLost{
		Header:  lostHeader{PacketNumber: e.PN, SequenceNumber: &seq},
		Raw:     &rawInfo{PayloadLength: e.Len},
		Trigger: e.Name,
	}
}
