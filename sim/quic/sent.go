package quic

import (
	"httpsim/sim"
	"httpsim/sim/quic/wire"
)

// frameKind names what a sent packet carried that matters once the packet
// is acknowledged or lost: data to retransmit, limits to re-announce.
type frameKind uint8

const (
	kindStream frameKind = iota
	kindCrypto
	kindMaxData
	kindMaxStreamData
	kindMaxStreams
	kindStreamsBlocked
	kindDataBlocked
	kindStreamDataBlocked
	kindHandshakeDone
	kindNewConnectionID
	kindRetireConnectionID
	kindPathChallenge
	kindPathResponse
	kindResetStream
	kindStopSending
	kindPing
)

// sentFrame records one frame of a sent packet. QUIC retransmits frames,
// never packets (RFC 9000 §13.3): on loss, each frame's information is sent
// again in a new packet if it is still needed.
//
// Every packet sent keeps a few of these until it is acknowledged or lost:
// the one-byte fields come last, which makes the record 32 bytes, not 40.
type sentFrame struct {
	// id is the stream ID (STREAM, MAX_STREAM_DATA, STREAM_DATA_BLOCKED,
	// RESET_STREAM, STOP_SENDING), the sequence number (NEW_ and
	// RETIRE_CONNECTION_ID), or the direction (MAX_STREAMS).
	id uint64
	// off and n are the range of stream or crypto bytes carried; n is
	// at most a packet's payload, so 32 bits keep the record at 24 bytes.
	off  int64
	n    int32
	kind frameKind
	fin  bool
}

// pktState is where a sent packet stands in loss detection.
type pktState uint8

const (
	pktOutstanding pktState = iota
	pktAcked
	pktLost
	pktDone // not tracked: carried nothing that needs an acknowledgement
)

// sentPacket is RFC 9002 Appendix A.1.1's record of a sent packet.
//
// The one-byte fields come last, so that the struct is 72 bytes rather than
// 88: a connection keeps a log of them per space, grown to its peak.
type sentPacket struct {
	pn   uint64
	sent sim.Time // time_sent
	size int      // sent_bytes: the QUIC packet, UDP and IP excluded
	// path is the path generation the packet was sent on; after a
	// migration, packets of an old path no longer count towards
	// bytes_in_flight or the congestion controller (RFC 9000 §9.4).
	path int
	// largestAck is the Largest Acknowledged of the ACK frame it carried,
	// or -1: once it is acknowledged the peer knows of every packet up to
	// there, and they need not be acknowledged again (RFC 9000 §13.2.4).
	largestAck   int64
	frames       []sentFrame
	space        wire.PacketNumberSpace
	typ          wire.PacketType
	ackEliciting bool
	inFlight     bool
	probe        bool
	// requeued: its frames were queued again for a PTO probe to carry
	// (Conn.requeueForProbe). The probe's packet holds them from then
	// on: declared lost later, this one queues nothing again, or the
	// same bytes went out a third time for one loss, and a second probe
	// takes the probe's packet's frames, not these.
	requeued bool
	state    pktState
}

// sentLog is a packet number space's sent packets in packet number order,
// without gaps: every packet sent is recorded, so the packet number p lives
// at index p - first. Packets at the head that are no longer outstanding
// are dropped.
type sentLog struct {
	pkts  []sentPacket
	head  int    // index of the oldest kept packet
	first uint64 // packet number at index head
	next  uint64 // packet number of the next packet to be added
}

func (l *sentLog) add(p sentPacket) {
	if len(l.pkts) == l.head {
		l.first = p.pn
	}
	if p.pn != l.next && len(l.pkts) > l.head {
		panic("quic: packet numbers must be sent in order")
	}
	l.next = p.pn + 1
	l.pkts = append(l.pkts, p)
}

// get returns the packet numbered pn, or nil if it is no longer kept.
func (l *sentLog) get(pn uint64) *sentPacket {
	if pn < l.first || pn >= l.next || len(l.pkts) == l.head {
		return nil
	}
	return &l.pkts[l.head+int(pn-l.first)]
}

// kept returns the packets still kept, oldest first.
func (l *sentLog) kept() []sentPacket { return l.pkts[l.head:] }

// trim drops the packets at the head that are no longer outstanding.
func (l *sentLog) trim() {
	for l.head < len(l.pkts) && l.pkts[l.head].state != pktOutstanding {
		l.pkts[l.head].frames = nil // the only pointer
		l.head++
		l.first++
	}
	if l.head == len(l.pkts) {
		l.pkts = l.pkts[:0]
		l.head = 0
		l.first = l.next
		return
	}
	if l.head > 64 && l.head > len(l.pkts)/2 {
		n := copy(l.pkts, l.pkts[l.head:])
		clear(l.pkts[n:])
		l.pkts = l.pkts[:n]
		l.head = 0
	}
}
