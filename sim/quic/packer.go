package quic

import (
	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// minPacketRoom is the least payload room worth building a packet for.
const minPacketRoom = 8

// building is a packet being assembled: frames chosen so far, with the
// records loss detection keeps of them.
type building struct {
	frameStore
	hdr wire.Header // set field by field: see setHeader
	packetState
}

// packetState is the rest of a building: what it records of one packet
// besides its frames and header. A reused building gets a fresh one in one
// store, while its frameStore is emptied in place, keeping its arrays. It
// holds no pointers, so that the store is a plain copy: copying a struct
// with pointers while the garbage collector marks goes through a bulk write
// barrier, slow in WebAssembly.
type packetState struct {
	space wire.PacketNumberSpace
	// payload is the frames' encoded length; room what is left of the
	// payload budget.
	payload, room int
	ackEliciting  bool
	inFlight      bool
	closed        bool // a STREAM frame without Length ends the packet
	largestAck    int64
	probe         bool
	// beforeReduction: the congestion window did not limit this packet,
	// the one a new recovery period allows (recovery.sendBeforeReductionAt).
	beforeReduction bool
	hasPath         bool // carries PATH_CHALLENGE or PATH_RESPONSE

	// crypto counts every CRYPTO byte, cryptoRe those sent again.
	dataLen, crypto, cryptoRe, streamNew, streamRe int64
	flags                                          trace.Flags
	stream, seq                                    int64
	lastStream                                     int64
}

// frameStore is what a building's frames are made of. It stays with the
// building when the building is reused (Conn.free): by then the packet is
// encoded (Packet.Raw) and its records copied out (Packet.Data,
// sentPacket.frames), and nothing refers to its frames any more.
type frameStore struct {
	// frames and data: the frames, and the data of STREAM and CRYPTO ones.
	frames []wire.Frame
	data   []bytestream.Slice
	sent   []sentFrame
	// The frames that a packet carries by the dozen, and its ACK frame,
	// whose Ranges array is reused too.
	streams  framePool[wire.StreamFrame]
	cryptos  framePool[wire.CryptoFrame]
	paddings framePool[wire.PaddingFrame]
	ack      wire.AckFrame
}

// reset empties the store, keeping its arrays. The emptied parts of frames
// and data are not cleared: the next packet's overwrite them, and until then
// they keep alive only what this connection holds anyway (clearing memory
// with pointers while the collector marks costs a bulk write barrier). The
// ACK frame is reset field by field for the same reason.
func (s *frameStore) reset() {
	s.frames = s.frames[:0]
	s.data = s.data[:0]
	s.sent = s.sent[:0]
	s.streams.reset()
	s.cryptos.reset()
	s.paddings.reset()
	s.ack.Ranges = s.ack.Ranges[:0]
	s.ack.AckDelay = 0
	s.ack.ECN = nil
}

// padding returns a PADDING frame of n bytes.
func (s *frameStore) padding(n int) *wire.PaddingFrame {
	f := s.paddings.get()
	f.Count = n
	return f
}

// add appends a frame; data is its STREAM or CRYPTO data (zero otherwise).
func (b *building) add(f wire.Frame, data bytestream.Slice, sf *sentFrame) {
	n := f.Length()
	b.frames = append(b.frames, f)
	b.payload += n
	b.room -= n
	if f.AckEliciting() {
		b.ackEliciting = true
	}
	if f.InFlight() {
		b.inFlight = true
	}
	if data.N > 0 || f.Type().IsStream() || f.Type() == wire.FrameTypeCrypto {
		b.data = append(b.data, data)
		b.dataLen += data.N
	}
	if sf != nil {
		b.sent = append(b.sent, *sf)
	}
}

// size is the packet's length on the wire: header (its Length field sized
// for the payload), payload and AEAD tag.
func (b *building) size() int { return wire.PacketLen(&b.hdr, b.payload) }

// packetType is the type of the next packet of space.
func (c *Conn) packetType(space wire.PacketNumberSpace) wire.PacketType {
	switch space {
	case wire.SpaceInitial:
		return wire.PacketInitial
	case wire.SpaceHandshake:
		return wire.PacketHandshake
	}
	if c.role == trace.Client && !c.hs.complete {
		return wire.Packet0RTT
	}
	return wire.Packet1RTT
}

// canSend reports whether this end has keys to send packets of space.
func (c *Conn) canSend(space wire.PacketNumberSpace) bool {
	sp := &c.spaces[space]
	if space != wire.SpaceApplicationData {
		return sp.keys && !sp.discarded
	}
	if c.role == trace.Client {
		// No more 0-RTT once the server rejected it (RFC 9001 §4.6.2).
		return c.hs.oneRTTSend || (c.hs.early && !c.hs.complete)
	}
	return c.hs.oneRTTSend
}

// flush sends everything there is to send and the windows allow, in as
// few datagrams as possible.
func (c *Conn) flush(now sim.Time) {
	for !c.closed && !c.burstSpent(now) {
		d := c.buildDatagram(now)
		if d == nil {
			break
		}
		c.sendDatagram(now, d)
		c.burst.bytes += d.Size
	}
	c.armLossTimer()
	c.armAckTimer()
}

// datagramLimit is the largest UDP payload allowed now: 1200 bytes until
// the handshake is confirmed (RFC 9000 §14), the configured size after.
func (c *Conn) datagramLimit() int {
	if c.hs.confirmed {
		return c.cfg.MaxDatagramSize
	}
	return wire.MinInitialDatagramSize
}

// buildDatagram assembles the next datagram, or returns nil if there is
// nothing to send now.
func (c *Conn) buildDatagram(now sim.Time) *Datagram {
	limit := c.datagramLimit()
	if credit := c.ampCredit(); credit >= 0 {
		if credit < 64 {
			// RFC 9000 §8.1: the server may not send more until the
			// client's address is validated or more bytes arrive; RFC
			// 9002 §6.2.2.1: meanwhile its PTO timer is not armed.
			if !c.rec.ampLimited {
				c.rec.ampLimited = true
				c.rec.setTimer(now)
			}
			return nil
		}
		limit = min(limit, int(credit))
	}
	var spaces [wire.NumSpaces]*building
	pkts := spaces[:0]
	used := 0
	for space := wire.SpaceInitial; space < wire.NumSpaces; space++ {
		if !c.canSend(space) {
			continue
		}
		if space == wire.SpaceInitial && c.role == trace.Server && limit < wire.MinInitialDatagramSize && c.initialElicits() {
			// A server pads an ack-eliciting Initial to 1200 bytes (RFC
			// 9000 §14.1), which the anti-amplification credit left does
			// not allow: its Initial waits for the client's next bytes
			// (the client's PTO sends them, RFC 9002 §6.2.2.1). It went
			// out in a 357-byte datagram. An Initial with only an ACK or
			// a CONNECTION_CLOSE needs no padding and goes now.
			continue
		}
		b := c.buildPacket(now, space, limit-used)
		if b == nil {
			continue
		}
		pkts = append(pkts, b)
		used += b.size()
	}
	if len(pkts) == 0 {
		return nil
	}
	// Padding (RFC 9000 §14.1): a client pads every datagram carrying an
	// Initial packet, a server those carrying an ack-eliciting Initial
	// packet; §8.2.1-2: datagrams carrying PATH_CHALLENGE or
	// PATH_RESPONSE too, within the anti-amplification limit.
	pad := false
	for _, b := range pkts {
		if b.space == wire.SpaceInitial && (c.role == trace.Client || b.ackEliciting) || b.hasPath {
			pad = true
		}
	}
	if pad {
		c.pad(pkts[len(pkts)-1], min(wire.MinInitialDatagramSize, limit)-used)
	}
	d := c.datagrams.get(len(pkts))
	d.Conn, d.From, d.Src, d.Dst = c.id, c.side, c.path.local, c.path.peer
	if c.role == trace.Client {
		d.Dst = 0
	}
	for i, b := range pkts {
		c.finish(b, d.Packets[i])
		d.Size += d.Packets[i].Size
	}
	return d
}

// datagramPool recycles the datagrams a connection sends: a page load sends
// hundreds, and allocating each was the largest share of a run's
// allocations. A datagram is dead once its receiver has processed it (a link
// or host keeps no reference to a packet it delivered, see link.Receiver),
// and Conn.Receive hands it back to its sender's pool then, unless it kept a
// packet for keys it did not have yet. A link that drops a datagram hands it
// back too (Datagram.Recycle). One delivered to something other than a Conn
// is left to the garbage collector.
type datagramPool struct {
	one  []*Datagram // layouts of one packet
	many []*Datagram // layouts of wire.NumSpaces packets
}

// get returns a datagram of n empty packets, n <= wire.NumSpaces: a recycled
// one if there is one, else a new one in one allocation. Most datagrams carry
// one packet, and get a layout of their own. Its packets keep the Data
// arrays they had, for finish to reuse.
func (pool *datagramPool) get(n int) *Datagram {
	free := &pool.many
	if n == 1 {
		free = &pool.one
	}
	var d *Datagram
	if k := len(*free); k > 0 {
		d = (*free)[k-1]
		(*free)[k-1] = nil
		*free = (*free)[:k-1]
		// Field by field rather than a Datagram literal: see finish.
		d.Conn, d.From, d.Src, d.Dst, d.Size, d.held = 0, 0, 0, 0, 0, false
		d.Packets = d.Packets[:n]
	} else {
		d = newDatagram(n)
	}
	d.pool = pool
	return d
}

// put takes d back. The caller must hold the only reference to it.
func (pool *datagramPool) put(d *Datagram) {
	if cap(d.Packets) == 1 {
		pool.one = append(pool.one, d)
	} else {
		pool.many = append(pool.many, d)
	}
}

// newDatagram returns a datagram of n empty packets, n <= wire.NumSpaces,
// in one allocation. Most datagrams carry one packet, and get a layout of
// their own.
func newDatagram(n int) *Datagram {
	if n == 1 {
		one := new(struct {
			d   Datagram
			ptr [1]*Packet
			p   Packet
		})
		one.ptr[0] = &one.p
		one.d.Packets = one.ptr[:]
		return &one.d
	}
	all := new(struct {
		d   Datagram
		ptr [wire.NumSpaces]*Packet
		p   [wire.NumSpaces]Packet
	})
	for i := range all.ptr {
		all.ptr[i] = &all.p[i]
	}
	all.d.Packets = all.ptr[:n]
	return &all.d
}

// pad grows b by n bytes of PADDING (if n > 0), after any frame.
func (c *Conn) pad(b *building, n int) {
	if n <= 0 {
		return
	}
	before := b.size()
	if k := len(b.frames); k > 0 {
		if sf, ok := b.frames[k-1].(*wire.StreamFrame); ok && !sf.HasLength {
			// PADDING now follows it: it needs a Length field.
			sf.HasLength = true
			b.payload += wire.VarintLen(uint64(sf.DataLen))
		}
	}
	target := before + n
	pf := b.padding(0)
	// The Length field of a long header may grow with the payload: settle
	// on the count that reaches the target (or one byte past it, where the
	// field's width changes).
	for i := 0; i < 4; i++ {
		diff := target - b.size()
		if diff == 0 || pf.Count+diff < 0 {
			break
		}
		pf.Count += diff
		b.payload += diff
	}
	if pf.Count > 0 {
		b.frames = append(b.frames, pf)
		b.inFlight = true
	}
}

// newBuilding returns an empty packet of space, reusing one that was sent
// or discarded: most attempts find nothing worth sending (an ACK not yet
// due, a full congestion window), and allocating for each of them, and for
// the frames of each packet sent, was the packer's largest cost.
func (c *Conn) newBuilding(space wire.PacketNumberSpace) *building {
	st := packetState{space: space, largestAck: -1, stream: -1, lastStream: -1}
	n := len(c.free)
	if n == 0 {
		return &building{packetState: st}
	}
	b := c.free[n-1]
	c.free = c.free[:n-1]
	b.frameStore.reset()
	b.packetState = st
	return b
}

// setHeader makes h the header of a packet of type typ (version 1, no
// token), as assigning a wire.Header literal would, but one field at a
// time: the pointers are stored singly rather than through a bulk write
// barrier over the whole struct. TestSetHeaderSetsEveryField keeps it in
// step with wire.Header.
func setHeader(h *wire.Header, typ wire.PacketType, dcid, scid []byte, pn uint64, pnLen int) {
	h.Type = typ
	h.Version = wire.Version1
	h.DestConnectionID = dcid
	h.SrcConnectionID = scid
	h.Token = nil
	h.Length = 0
	h.PacketNumber = pn
	h.PacketNumberLen = pnLen
	h.SpinBit = false
	h.KeyPhase = false
	h.RetryIntegrityTag = [wire.RetryIntegrityTagLen]byte{}
}

// release keeps b, which was sent or will not be, for the next packet.
// At most one building per packet number space is out at a time, so the
// free list stays that short.
func (c *Conn) release(b *building) *building {
	c.free = append(c.free, b)
	return nil
}

// buildPacket chooses the frames of a packet of space within room bytes
// (the whole packet), or returns nil if nothing is worth sending.
func (c *Conn) buildPacket(now sim.Time, space wire.PacketNumberSpace, room int) *building {
	if c.nothingToSend(now, space) {
		return nil
	}
	sp := &c.spaces[space]
	typ := c.packetType(space)
	largestAcked := wire.NoPacketNumber
	if la := c.rec.spaces[space].largestAcked; la >= 0 {
		largestAcked = uint64(la)
	}
	b := c.newBuilding(space)
	var scid []byte
	if typ.IsLong() {
		scid = c.cids.local[0]
	}
	setHeader(&b.hdr, typ, c.cids.dcid(), scid, sp.nextPN, wire.EncodePacketNumberLength(sp.nextPN, largestAcked))
	b.room = wire.MaxPayloadLen(&b.hdr, room)
	if b.room < minPacketRoom {
		return c.release(b)
	}
	b.probe = sp.probes > 0
	if c.ctrl.close != nil && (space == wire.SpaceApplicationData || !c.hs.confirmed || !c.canSend(wire.SpaceApplicationData)) {
		// RFC 9000 §10.2.3: before the handshake is confirmed the peer
		// may be unable to read 1-RTT packets, so the CONNECTION_CLOSE
		// goes in every packet type this end has keys for (a server's
		// Initial included), coalesced in one datagram.
		return c.closePacket(b)
	}

	// ACK first: it is due, or rides along with anything else sent.
	ackDue := sp.ack.due(now)
	if sp.ack.pending() && typ != wire.Packet0RTT {
		if f := sp.ack.frame(now, space != wire.SpaceInitial, &b.ack); f != nil {
			f.Truncate(b.room)
			if f.Length() <= b.room {
				b.add(f, bytestream.Slice{}, nil)
				b.largestAck = int64(f.LargestAcknowledged())
				b.flags |= trace.FlagACK
			}
		}
	}

	// Room for ack-eliciting frames: the congestion window's, unless this
	// is a probe (RFC 9002 §7: "An endpoint MUST NOT send a packet if it
	// would cause bytes_in_flight ... to be larger than the congestion
	// window, unless the packet is sent on a PTO timer expiration"). Every
	// space is held to it: a server's handshake flight with a large
	// certificate chain goes a window at a time, as over TCP.
	//
	// Initial and Handshake packets leave the Application Data space's
	// bytes out, though: a server's 0.5-RTT data can fill the window with
	// packets the client cannot acknowledge before it has the whole
	// handshake flight, and if part of that flight is lost, nothing would
	// ever let it through (no PTO for application data before the
	// handshake is confirmed, RFC 9002 §6.2.1, and none for the handshake
	// space with nothing of it in flight). bytes_in_flight can so pass the
	// window, by the handshake's bytes, only while 0.5-RTT or 0-RTT data
	// is in flight beside them.
	ae := b.room
	if !b.probe && space == wire.SpaceApplicationData && c.rec.sendBeforeReductionAt == now {
		b.beforeReduction = true
	} else if !b.probe {
		overhead := b.size() // header, tag and the ACK frame so far
		inFlight := c.rec.bytesInFlight
		if space != wire.SpaceApplicationData {
			inFlight -= c.rec.appInFlight
		}
		window := c.rec.cc.Cwnd() - inFlight - overhead
		if window < ae {
			// Not a full packet's worth: send only if everything
			// pending fits, rather than a runt followed by more.
			if window <= 0 || c.pendingAtLeast(space, window+1) {
				if c.pendingAtLeast(space, 1) {
					c.rec.cwndLimited = true
				}
				ae = 0
			} else {
				ae = window
			}
		}
	}
	if ae > 0 {
		budget := b.room - ae // kept back from what ack-eliciting frames may use
		b.room -= budget
		if space == wire.SpaceApplicationData {
			c.packControl(now, b, typ)
		}
		c.packCrypto(b, space)
		if space == wire.SpaceApplicationData {
			c.packStreams(b)
		}
		if (b.probe || (c.ctrl.ping && space == wire.SpaceApplicationData)) && !b.ackEliciting && b.room >= 1 && !b.closed {
			b.add(&wire.PingFrame{}, bytestream.Slice{}, &sentFrame{kind: kindPing})
		}
		if space == wire.SpaceApplicationData && !b.ackEliciting && b.largestAck >= 0 &&
			sp.ack.nonEliciting >= maxNonElicitingAcks && b.room >= 1 && !b.closed {
			// RFC 9000 §13.2.4: an occasional PING so that the peer
			// acknowledges, and the range list can be pruned.
			b.add(&wire.PingFrame{}, bytestream.Slice{}, &sentFrame{kind: kindPing})
		}
		b.room += budget
	}
	if len(b.frames) == 0 || !b.ackEliciting && !ackDue {
		// Only an ACK that is not yet due: keep it for later.
		return c.release(b)
	}
	if b.lastStream >= 0 {
		c.sched.Packed(uint64(b.lastStream))
	}
	if min := wire.MinPayloadLen(b.hdr.PacketNumberLen); b.payload < min {
		// RFC 9001 §5.4.2: enough bytes for the header protection sample.
		b.frames = append(b.frames, b.padding(min-b.payload))
		b.payload = min
	}
	return b
}

// initialElicits reports whether an Initial packet built now would be
// ack-eliciting: it would carry CRYPTO data or a probe's PING, not only an
// ACK or a CONNECTION_CLOSE (closePacket puts nothing else beside it).
func (c *Conn) initialElicits() bool {
	sp := &c.spaces[wire.SpaceInitial]
	cs := &sp.crypto
	return c.ctrl.close == nil && (sp.probes > 0 || !cs.lost.empty() || cs.next < cs.buf.Len())
}

// nothingToSend reports that a packet of space would carry at most an ACK
// frame that is not yet due, which buildPacket keeps for later: it would
// build the packet and throw it away, changing nothing. On a page load half
// the packets built were such (an endpoint with nothing to send, acking
// every other packet), so this says so without building. Every condition
// under which buildPacket could add an ack-eliciting frame, or change any
// state while looking for one, makes it false.
func (c *Conn) nothingToSend(now sim.Time, space wire.PacketNumberSpace) bool {
	sp := &c.spaces[space]
	if sp.ack.due(now) || sp.probes > 0 || c.ctrl.close != nil {
		return false
	}
	if cs := &sp.crypto; !cs.lost.empty() || cs.next < cs.buf.Len() {
		return false // packCrypto
	}
	if space != wire.SpaceApplicationData {
		return true
	}
	if c.ctrl.any(c) || c.streams.lostQueued {
		return false // packControl, packLost
	}
	if sp.ack.pending() && sp.ack.nonEliciting >= maxNonElicitingAcks {
		return false // the PING that makes the peer acknowledge
	}
	for _, id := range c.streams.sendable {
		// What readyStreams would list, or queue a BLOCKED frame for.
		if s := c.streams.get(id); s != nil && !s.send.reset && !s.send.finSent && s.allowed && s.send.hasNew() {
			return false
		}
	}
	return true
}

// closePacket fills b with the CONNECTION_CLOSE frame alone.
func (c *Conn) closePacket(b *building) *building {
	f := c.ctrl.close
	if b.hdr.Type != wire.Packet1RTT && f.IsApplicationError {
		// RFC 9000 §10.2.3: outside 1-RTT packets an application close
		// becomes a transport APPLICATION_ERROR.
		f = &wire.ConnectionCloseFrame{ErrorCode: uint64(wire.ApplicationError)}
	}
	if f.Length() > b.room {
		return c.release(b)
	}
	b.add(f, bytestream.Slice{}, nil)
	if mp := wire.MinPayloadLen(b.hdr.PacketNumberLen); b.payload < mp {
		b.frames = append(b.frames, b.padding(mp-b.payload))
		b.payload = mp
	}
	return b
}

// pendingAtLeast reports whether space has at least n bytes of
// ack-eliciting frames waiting to be sent (counting data bytes, and a
// little for each frame's header).
func (c *Conn) pendingAtLeast(space wire.PacketNumberSpace, n int) bool {
	total := int64(0)
	cs := &c.spaces[space].crypto
	total += cs.lost.size() + cs.unsent()
	if space == wire.SpaceApplicationData {
		if c.ctrl.any(c) {
			total += 16
		}
		connCredit := max(0, c.flow.peerMax-c.flow.sent)
		// Without lost data queued, only the sendable streams can add
		// anything.
		ids := c.streams.sendable
		if c.streams.lostQueued {
			ids = c.streams.ids
		}
		for _, id := range ids {
			if total >= int64(n) {
				return true
			}
			s := c.streams.get(id)
			if s == nil || s.send == nil || s.send.reset || !s.allowed {
				continue
			}
			total += s.send.lost.size()
			if s.send.hasLost() || s.send.hasNew() {
				total += 8
			}
			credit := min(max(0, s.send.maxData-s.send.next), connCredit)
			total += min(s.send.unsent(), credit)
		}
	}
	return total >= int64(n)
}

// packCrypto adds CRYPTO frames: data declared lost first, then new data.
func (c *Conn) packCrypto(b *building, space wire.PacketNumberSpace) {
	cs := &c.spaces[space].crypto
	for b.room > 4 && !b.closed {
		var off, avail int64
		again := !cs.lost.empty()
		switch {
		case again:
			off, avail = cs.lost[0].start, cs.lost[0].end-cs.lost[0].start
		case cs.next < cs.buf.Len():
			off, avail = cs.next, cs.buf.Len()-cs.next
		default:
			return
		}
		max, ok := wire.MaxCryptoDataLen(uint64(off), b.room)
		if !ok || max <= 0 {
			return
		}
		n := min(avail, int64(max))
		f := b.cryptos.get()
		f.Offset, f.DataLen = uint64(off), int(n)
		b.add(f, cs.slice(off, n), &sentFrame{kind: kindCrypto, off: off, n: int32(n)})
		b.crypto += n
		if again {
			cs.sentAgain(off, n, false)
			b.cryptoRe += n
			b.flags |= trace.FlagRetransmit
		} else {
			cs.sentNew(n, false)
		}
	}
}

// fitStream returns how many of avail bytes of stream id at off fit in room
// and whether the frame needs a Length field: a frame that fills the
// packet goes without (RFC 9000 §19.8), as real stacks send it.
func fitStream(id uint64, off, avail int64, room int) (int64, bool, bool) {
	if n, ok := wire.MaxStreamDataLen(id, uint64(off), room, false); ok && n > 0 && int64(n) <= avail {
		return int64(n), false, true
	}
	n, ok := wire.MaxStreamDataLen(id, uint64(off), room, true)
	if !ok {
		return 0, true, false
	}
	return min(avail, int64(n)), true, true
}

// addStream adds a STREAM frame of stream s.
func (c *Conn) addStream(b *building, s *stream, off, n int64, fin, hasLength, again bool) {
	f := b.streams.get() // zeroed: its Data is nil
	f.StreamID, f.Offset, f.Fin, f.HasLength, f.DataLen = s.id, uint64(off), fin, hasLength, int(n)
	b.add(f, s.send.slice(off, n), &sentFrame{kind: kindStream, id: s.id, off: off, n: int32(n), fin: fin})
	if !hasLength {
		b.closed = true
	}
	if b.stream < 0 {
		b.stream, b.seq = int64(s.id), off
	}
	b.lastStream = int64(s.id)
	if fin {
		b.flags |= trace.FlagFIN
	}
	if again {
		b.streamRe += n
		b.flags |= trace.FlagRetransmit
	} else {
		b.streamNew += n
	}
}

// packStreams adds STREAM frames: lost data first, in stream order, then
// new data of critical streams, then new data in the order the scheduler
// chooses.
func (c *Conn) packStreams(b *building) {
	if c.streams.lostQueued {
		c.packLost(b)
	}
	for b.room > 2 && !b.closed {
		ready := c.readyStreams()
		if len(ready) == 0 {
			return
		}
		s := c.streams.get(ready[nextStream(c.sched, ready)].ID)
		ss := s.send
		credit := min(ss.maxData-ss.next, c.flow.peerMax-c.flow.sent)
		avail := min(ss.unsent(), max(credit, 0))
		fin := ss.finalSize >= 0 && !ss.finSent && ss.next+avail == ss.finalSize
		n, hasLength, ok := fitStream(s.id, ss.next, avail, b.room)
		if !ok || n == 0 && !fin {
			return
		}
		fin = fin && n == avail
		c.addStream(b, s, ss.next, n, fin, hasLength, false)
		ss.sentNew(n, fin)
		c.flow.sent += n
	}
}

// packLost adds STREAM frames for data and FINs declared lost, critical
// streams' first, then in stream ID order, and clears lostQueued if it
// leaves none to send again.
func (c *Conn) packLost(b *building) {
	left := false
	for pass := range 2 {
		for _, id := range c.streams.ids {
			if b.room <= 2 || b.closed {
				return
			}
			s := c.streams.get(id)
			if s.critical != (pass == 0) || s.send == nil || s.send.reset || !s.send.hasLost() {
				continue
			}
			if c.packLostOf(b, s) {
				left = true
			}
		}
	}
	c.streams.lostQueued = left
}

// packLostOf adds stream s's lost data and FIN while they fit, and reports
// whether any is left to send again.
func (c *Conn) packLostOf(b *building, s *stream) bool {
	for s.send.hasLost() && b.room > 2 && !b.closed {
		off, avail, fin := s.send.firstLost(1 << 62)
		n, hasLength, ok := fitStream(s.id, off, avail, b.room)
		if !ok || n == 0 && !(fin && avail == 0) {
			break
		}
		fin = fin && off+n == s.send.finalSize
		c.addStream(b, s, off, n, fin, hasLength, true)
		s.send.sentAgain(off, n, fin)
	}
	return s.send.hasLost()
}

// readyStreams lists the streams with new data and the credit to send some
// of it (or a FIN to send), in stream ID order. Streams blocked by flow
// control queue a STREAM_DATA_BLOCKED or DATA_BLOCKED (RFC 9000 §4.1).
func (c *Conn) readyStreams() []Ready {
	ready := c.scratch[:0]
	connCredit := c.flow.peerMax - c.flow.sent
	// Streams that have sent their FIN, been reset or retired leave the
	// sendable list for good.
	ids := c.streams.sendable
	keep := 0
	for i, id := range ids {
		s := c.streams.get(id)
		if s == nil || s.send.reset || s.send.finSent {
			continue
		}
		if keep != i {
			ids[keep] = id
		}
		keep++
		ss := s.send
		if !s.allowed || !ss.hasNew() {
			continue
		}
		if ss.unsent() == 0 {
			ready = append(ready, Ready{ID: id, Urgency: s.urgency, Incremental: s.incremental, Critical: s.critical})
			continue
		}
		if ss.next >= ss.maxData {
			if ss.blockedAt != ss.maxData {
				ss.blockedAt, ss.blockedQueued = ss.maxData, true
				c.ctrl.streamFlags = true
			}
			continue
		}
		if connCredit <= 0 {
			if c.flow.blockedAt != c.flow.peerMax {
				c.flow.blockedAt, c.flow.blockedQueued = c.flow.peerMax, true
			}
			continue
		}
		ready = append(ready, Ready{ID: id, Urgency: s.urgency, Incremental: s.incremental, Critical: s.critical})
	}
	c.streams.sendable = ids[:keep]
	c.scratch = ready
	return ready
}

// nextStream returns the index in ready of the stream to send from next:
// the first critical one, or the scheduler's choice.
func nextStream(sched Scheduler, ready []Ready) int {
	for i, r := range ready {
		if r.Critical {
			return i
		}
	}
	return sched.Next(ready)
}
