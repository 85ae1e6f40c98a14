// Package trace is the one ordered log of a run: typed events that the UI, the
// CLI, the metrics and the exporters all read. Kinds are named after qlog's
// vocabulary (draft-ietf-quic-qlog-main-schema, -quic-events, -h3-events)
// where qlog has a name, so that exports are a mapping, not a rewrite.
package trace

import (
	"time"

	"httpsim/sim"
)

// Event is one thing that happened at one instant. It is a flat, copyable
// record: which fields mean something depends on Kind (see each Kind's
// comment); the others are zero. Flat records keep a long run cheap: emitting
// an event allocates nothing unless the log keeps it.
//
// The fields that hold pointers come first: the garbage collector's scan and
// the write barriers of a copy then stop after an event's first 40 bytes
// instead of running to its last word, which WebAssembly pays for on every
// kept event. Res shares a word with Flags. The trace hash fixes its own
// field order (hashInto), so this layout is free to change.
type Event struct {
	// Name and Value are kind-specific text: a drop reason and the link, a
	// frame type, a header field's name and value, a new state.
	Name  string
	Value string
	// Raw holds real wire bytes where the kind has them (a frame header and
	// its non-DATA payload, a header block).
	Raw []byte

	At   sim.Time
	Kind Kind
	// Side is the vantage point: the endpoint that observed the event, or the
	// network for what happens on a link.
	Side Side
	// Conn numbers the transport connection within the run (from 0); -1 if
	// the event belongs to none.
	Conn int32
	// Stream is the HTTP/2 or QUIC stream, or the HTTP/1.x request number on
	// its connection; -1 if none.
	Stream int64

	// PN identifies a packet: the QUIC packet number, or for TCP a counter of
	// segments sent by that side (so a retransmission has a new PN, as in
	// QUIC, while Seq repeats).
	PN int64
	// Seq is a byte offset: the TCP sequence number (relative to the ISN) or
	// the offset within a stream.
	Seq int64
	// Ack is the cumulative acknowledgement (TCP, relative) or largest
	// acknowledged packet number (QUIC).
	Ack int64
	// Len is a payload length in bytes.
	Len int64
	// Size is the length on the wire in bytes, every header included.
	Size int64
	// Flags carry TCP flags and event qualifiers.
	Flags Flags
	// Res is the page resource (its index) the event concerns, or -1; only
	// ResourceUpdated events set it.
	Res int32
	// Wnd is the receive window a packet advertises (TCP), in bytes.
	Wnd int64

	// Congestion and RTT state, for recovery:metrics_updated.
	Cwnd     int64
	Ssthresh int64
	InFlight int64
	RTT      time.Duration // latest sample
	SRTT     time.Duration
	RTTVar   time.Duration
	MinRTT   time.Duration

	// Arrived is when the bytes of a transport:data_moved event reached the
	// receiving transport; At - Arrived is how long they waited there. On
	// a QUIC transport:packet_received, it is set for a packet that came
	// before the keys to read it and was kept for them (RFC 9001 §5.7):
	// when it arrived, At being when it was read.
	Arrived sim.Time
}

// Side is the vantage point of an event.
type Side uint8

const (
	// Client is the browser (qlog vantage point "client").
	Client Side = iota
	// Server is the origin server.
	Server
	// Network is a link: drops and queueing happen here.
	Network
	// Edge is an intermediary (proxy or CDN edge) between client and origin.
	Edge
)

// String returns the qlog vantage point type.
func (s Side) String() string {
	switch s {
	case Client:
		return "client"
	case Server:
		return "server"
	case Network:
		return "network"
	case Edge:
		return "edge"
	}
	return "unknown"
}

// Flags qualify an event. The low bits are the TCP header flags.
type Flags uint32

const (
	FlagFIN Flags = 1 << iota
	FlagSYN
	FlagRST
	FlagPSH
	FlagACK
	// FlagRetransmit marks a packet that carries bytes sent before.
	FlagRetransmit
	// FlagSACK marks a TCP segment that carries SACK blocks.
	FlagSACK
	// FlagProbe marks a zero-window or tail-loss probe.
	FlagProbe
	// FlagHandshake marks a packet that belongs to a handshake flight.
	FlagHandshake
	// FlagRTTSample marks a recovery:metrics_updated event whose RTT is a
	// new sample: samples often repeat the last one to the nanosecond on
	// an idle simulated path, and the value alone cannot tell them apart.
	FlagRTTSample
	// FlagCoalesced marks a QUIC packet sent in the datagram of the one
	// before it (RFC 9000 §12.2): the IP packet is the datagram, and a
	// drop loses every packet in it.
	FlagCoalesced
)

// Has reports whether all of g are set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// TCPString renders the TCP flags the way tcpdump does, e.g. "S." or "P.".
func (f Flags) TCPString() string {
	var b []byte
	if f.Has(FlagSYN) {
		b = append(b, 'S')
	}
	if f.Has(FlagFIN) {
		b = append(b, 'F')
	}
	if f.Has(FlagRST) {
		b = append(b, 'R')
	}
	if f.Has(FlagPSH) {
		b = append(b, 'P')
	}
	if f.Has(FlagACK) {
		b = append(b, '.')
	}
	return string(b)
}
