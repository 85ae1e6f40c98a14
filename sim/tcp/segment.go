package tcp

import (
	"httpsim/sim/bytestream"
	"httpsim/sim/ipv4"
	"httpsim/sim/trace"
)

// Header sizes (RFC 791, RFC 9293 §3.1).
const (
	IPv4HeaderLen = ipv4.HeaderLen
	TCPHeaderLen  = 20
	// synOptionsLen: MSS (4), SACK-permitted (2), window scale (3) and
	// padding, as a SYN without timestamps carries them (RFC 9293 §3.2,
	// RFC 2018 §2, RFC 7323 §2.2): 12 bytes.
	synOptionsLen = 12
	// MaxSACKBlocks: 40 option bytes hold at most 4 blocks (RFC 2018 §3:
	// "a SACK option that specifies n blocks will have a length of 8*n+2
	// bytes, so the 40 bytes available for TCP options can specify a
	// maximum of 4 blocks"; 3 with timestamps, which this TCP does not
	// send).
	MaxSACKBlocks = 4
)

// sackOptionLen is the length of a SACK option of n blocks: kind, length
// and 8 bytes a block (RFC 2018 §3), after two NOPs that align it to 32
// bits; 0 without blocks.
func sackOptionLen(n int) int {
	if n == 0 {
		return 0
	}
	return 4 + 8*n
}

// Block is a SACK block [Left, Right) in sequence space (RFC 2018 §3).
type Block struct {
	Left, Right Seq
}

// Segment is a TCP segment on the wire. Its payload is not copied: Data
// refers to the range of the sender's byte stream that it carries.
type Segment struct {
	header
	// Data is the payload: a range of the sender's stream.
	Data bytestream.Slice
	// pool is where the receiving end hands the segment back once
	// processed (see recycle); nil for a segment made outside a pool.
	pool *SegmentPool
}

// header is the part of a Segment that holds no pointers, kept apart so
// that a reused segment is cleared with one plain memory clear: clearing a
// struct with pointers while the collector runs goes through the runtime's
// bulk write barrier, a measurable cost in WebAssembly.
type header struct {
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
	// Retransmit marks a segment whose payload was sent before.
	Retransmit bool
	// sackPermitted is the SACK-permitted option of a SYN (RFC 2018 §2).
	sackPermitted bool
	// wscale is the sender's window scale shift (RFC 7323 §2) and mss
	// the MSS option of a SYN (RFC 9293 §3.7.1): what the segment's bytes
	// say on the wire (AppendWire), not what the simulator acts on.
	wscale uint8
	mss    uint16
	// relSeq and relAck are Seq and Ack relative to the initial sequence
	// numbers, as Wireshark shows them (the SYN is 0, the first data byte 1).
	relSeq, relAck int64
}

// SegmentPool holds segments for reuse: the ones the receiving end has
// finished with, and a slab new ones are carved from, several per
// allocation. A page load sends thousands of segments, and allocating each
// one was much of the garbage a run made (in WebAssembly the collector is a
// large share of the CPU time). The connections of one run may share a pool
// (see Conn.SetSegmentPool): then the segments a run allocates are as many
// as are ever in flight at once, not the sum of each connection's peak.
// A pool belongs to one run; it is not safe for concurrent use.
type SegmentPool struct {
	free     []*Segment
	slab     []Segment
	slabSize int // length of the last slab made
}

// Segment slab sizes: the first slab of a pool is small, later ones double
// up to maxSegSlab.
const (
	minSegSlab = 8
	maxSegSlab = 64
)

// get returns a cleared segment, reused if one is free.
func (p *SegmentPool) get() *Segment {
	if n := len(p.free); n > 0 {
		seg := p.free[n-1]
		p.free = p.free[:n-1]
		return seg
	}
	if len(p.slab) == 0 {
		p.slabSize = min(max(2*p.slabSize, minSegSlab), maxSegSlab)
		p.slab = make([]Segment, p.slabSize)
	}
	seg := &p.slab[0]
	p.slab = p.slab[1:]
	seg.pool = p
	return seg
}

// recycle hands a segment that has been processed back to its pool. Nothing
// keeps a segment once Receive returns: trace events copy its fields
// (Describe), and its payload is a range of the sender's stream, not memory
// of its own. Segments the network drops are left to the collector.
func (seg *Segment) recycle() {
	p := seg.pool
	if p == nil {
		return
	}
	seg.header = header{}
	seg.Data = bytestream.Slice{}
	if p.free == nil {
		p.free = make([]*Segment, 0, maxSegSlab)
	}
	p.free = append(p.free, seg)
}

// Len is the payload length in bytes.
func (s *Segment) Len() int { return int(s.Data.N) }

// WireSize implements link.Packet: IPv4 and TCP headers, options, payload.
func (s *Segment) WireSize() int {
	return IPv4HeaderLen + TCPHeaderLen + s.optionsLen() + int(s.Data.N)
}

// optionsLen is the length of the segment's TCP options: a SYN's (MSS,
// SACK-permitted, window scale), else its SACK blocks.
func (s *Segment) optionsLen() int {
	switch {
	case s.Flags.Has(trace.FlagSYN):
		return synOptionsLen
	}
	return sackOptionLen(s.NSACK)
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
