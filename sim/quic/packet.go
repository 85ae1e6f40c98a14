package quic

import (
	"httpsim/sim/bytestream"
	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// Header sizes of the datagram around QUIC packets (RFC 768, RFC 791).
const (
	UDPHeaderLen  = 8
	IPv4HeaderLen = 20
	// DatagramOverhead is what every datagram adds to its QUIC packets.
	DatagramOverhead = UDPHeaderLen + IPv4HeaderLen
)

// Datagram is a UDP datagram carrying one or more QUIC packets, coalesced
// as RFC 9000 §12.2 allows: long-header packets first, at most one
// short-header packet last. It is what links carry.
type Datagram struct {
	// Conn is the connection's number in the run, standing in for the
	// connection ID a real host demultiplexes on.
	Conn int32
	// From is the endpoint that sent it.
	From trace.Side
	// Src and Dst are the addresses of the sender and the receiver.
	Src, Dst int
	// Packets are the QUIC packets, in order.
	Packets []*Packet
	// Size is the UDP payload length: the packets' sizes added up.
	Size int

	pool *datagramPool // where the receiver hands it back (nil: nowhere)
	held bool          // the receiver kept a packet for later keys
}

// Packet is one QUIC packet in a datagram.
type Packet struct {
	Type wire.PacketType
	// PN is the full packet number (the header carries its truncation).
	PN uint64
	// Raw is the cleartext header and the frames, with the data of STREAM
	// and CRYPTO frames left out (see TraceFrames).
	Raw []byte
	// Data holds the data of the STREAM and CRYPTO frames, in frame order:
	// ranges of the sender's buffers.
	Data []bytestream.Slice
	// DataLen is the number of STREAM and CRYPTO data bytes.
	DataLen int64
	// Size is the packet's length on the wire: header, payload, AEAD tag.
	Size int
	// Flags: FlagRetransmit (carries data sent before), FlagACK (carries
	// an ACK frame), FlagFIN (ends a stream), FlagHandshake (Initial or
	// Handshake packet), FlagProbe (sent on a PTO).
	Flags trace.Flags
	// Stream and Seq are the stream ID and offset of the packet's first
	// STREAM frame (-1 and 0 if none); Ack the Largest Acknowledged of its
	// ACK frame (-1 if none).
	Stream   int64
	Seq, Ack int64

	b *building // until sent: the frames chosen, for loss detection
}

// WireSize implements link.Packet: the UDP payload plus UDP and IPv4 headers.
func (d *Datagram) WireSize() int { return d.Size + DatagramOverhead }

// HasPayload implements link.Packet: the datagram carries stream or
// handshake bytes.
func (d *Datagram) HasPayload() bool {
	for _, p := range d.Packets {
		if p.DataLen > 0 {
			return true
		}
	}
	return false
}

// ConnID implements host.Addressed.
func (d *Datagram) ConnID() int32 { return d.Conn }

var _ link.Recycler = (*Datagram)(nil)

// Recycle implements link.Recycler: the link dropped d, and it goes back to
// its sender's pool (see datagramPool).
func (d *Datagram) Recycle() {
	if d.pool != nil {
		d.pool.put(d)
	}
}

// Describe implements link.Packet with the identity of the datagram's first
// packet and the datagram's size on the wire.
func (d *Datagram) Describe(e *trace.Event) {
	if len(d.Packets) > 0 {
		d.Packets[0].describe(e, d, 0)
	}
	e.Size = int64(d.WireSize())
}

// describe fills e for the i-th packet of d. Size is the packet's length;
// the first packet of a datagram also counts the UDP and IPv4 headers, so
// that the sizes of a datagram's packets add up to its bytes on the wire.
// Len is the packet's STREAM and CRYPTO data bytes; Name its type.
func (p *Packet) describe(e *trace.Event, d *Datagram, i int) {
	e.Side = d.From
	e.Conn = d.Conn
	e.Stream = p.Stream
	e.PN = int64(p.PN)
	e.Seq = p.Seq
	e.Ack = p.Ack
	e.Len = p.DataLen
	e.Size = int64(p.Size)
	if i == 0 {
		e.Size += DatagramOverhead
	}
	e.Flags = p.Flags
	e.Name = p.Type.String()
	e.Raw = p.Raw
}
