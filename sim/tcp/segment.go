package tcp

import (
	"httpsim/sim/bytestream"
	"httpsim/sim/trace"
)

// Header sizes (RFC 791, RFC 9293 §3.1).
const (
	IPv4HeaderLen = 20
	TCPHeaderLen  = 20
	// synOptionsLen: MSS (4), SACK-permitted (2), window scale (3) and
	// padding, as a SYN without timestamps carries them (RFC 9293 §3.2,
	// RFC 2018 §2, RFC 7323 §2.2): 12 bytes.
	synOptionsLen = 12
	// MaxSACKBlocks: 40 option bytes hold at most 4 blocks (RFC 2018 §3).
	MaxSACKBlocks = 4
)

// Block is a SACK block [Left, Right) in sequence space (RFC 2018 §3).
type Block struct {
	Left, Right Seq
}

// Segment is a TCP segment on the wire. Its payload is not copied: Data
// refers to the range of the sender's byte stream that it carries.
type Segment struct {
	Conn  int32
	From  trace.Side
	PN    int64 // the sender's count of segments sent, for the trace
	Seq   Seq
	Ack   Seq
	Flags trace.Flags
	// Wnd is the advertised receive window in bytes (window scaling is
	// implicit: RFC 7323 shifts, the simulator keeps the exact byte count).
	Wnd   int
	SACK  [MaxSACKBlocks]Block
	NSACK int
	// Data is the payload: a range of the sender's stream.
	Data bytestream.Slice
	// Retransmit marks a segment whose payload was sent before.
	Retransmit bool
	// sackPermitted is the SACK-permitted option of a SYN (RFC 2018 §2).
	sackPermitted bool
	// relSeq and relAck are Seq and Ack relative to the initial sequence
	// numbers, as Wireshark shows them (the SYN is 0, the first data byte 1).
	relSeq, relAck int64
	// owner is the connection that sent the segment; the receiving end
	// hands the segment back to it once processed (see Conn.recycle).
	owner *Conn
}

// Len is the payload length in bytes.
func (s *Segment) Len() int { return int(s.Data.N) }

// WireSize implements link.Packet: IPv4 and TCP headers, options, payload.
func (s *Segment) WireSize() int {
	n := IPv4HeaderLen + TCPHeaderLen + int(s.Data.N)
	if s.Flags.Has(trace.FlagSYN) {
		n += synOptionsLen
	}
	if s.NSACK > 0 {
		// Two NOPs for alignment, kind and length, 8 bytes per block.
		n += 4 + 8*s.NSACK
	}
	return n
}

// HasPayload implements link.Packet: the segment carries data bytes. SYNs and
// a bare FIN do not, so scripted loss counts data segments only.
func (s *Segment) HasPayload() bool { return s.Data.N > 0 }

// ConnID implements host.Addressed.
func (s *Segment) ConnID() int32 { return s.Conn }

// Describe implements link.Packet.
func (s *Segment) Describe(e *trace.Event) {
	e.Side = s.From
	e.Conn = s.Conn
	e.Stream = -1
	e.PN = s.PN
	e.Seq = s.relSeq
	e.Ack = s.relAck
	e.Len = s.Data.N
	e.Size = int64(s.WireSize())
	e.Flags = s.Flags
	e.Wnd = int64(s.Wnd)
	if s.Retransmit {
		e.Flags |= trace.FlagRetransmit
	}
	if s.NSACK > 0 {
		e.Flags |= trace.FlagSACK
	}
}
