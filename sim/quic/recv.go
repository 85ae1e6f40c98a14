package quic

import (
	"errors"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// maxBuffered bounds the packets kept while their keys are not yet
// available (RFC 9001 §5.7 lets an endpoint buffer or drop them).
const maxBuffered = 64

// bufferedPacket is a packet that arrived before its keys.
type bufferedPacket struct {
	d  *Datagram
	p  *Packet
	at sim.Time // when it arrived
}

// Receive implements host.Endpoint: a datagram arrived. Once processed, it
// goes back to its sender's pool (see datagramPool), unless a packet of it
// waits for keys.
func (c *Conn) Receive(now sim.Time, lp link.Packet) {
	d, ok := lp.(*Datagram)
	if !ok {
		return
	}
	c.receive(now, d)
	if d.pool != nil && !d.held {
		d.pool.put(d)
	}
}

// receive processes the packets of d.
func (c *Conn) receive(now sim.Time, d *Datagram) {
	if c.closed {
		c.replyClosing(now, d)
		return
	}
	c.stats.DatagramsReceived++
	c.stats.BytesReceived += int64(d.WireSize())
	server := c.role == trace.Server
	fromPeer := !server || d.Src == c.path.peer
	if fromPeer && !c.path.validated {
		c.path.received += int64(d.Size)
	}
	migrate := false
	for _, p := range d.Packets {
		nonProbing, newest := c.receivePacket(now, d, p)
		if c.closed {
			return
		}
		// RFC 9000 §9.3: a non-probing packet from a new address, with
		// the largest packet number yet, means the peer moved there.
		if server && !fromPeer && c.hs.confirmed && nonProbing && newest {
			migrate = true
		}
	}
	if migrate {
		c.onPeerMigrated(now, d.Src, d.Size)
	}
	// RFC 9002 Appendix A.6: a server blocked by the anti-amplification
	// limit may send again once more bytes arrive; if its timer has
	// passed meanwhile, it fires now.
	if c.rec.ampLimited && c.ampCredit() != 0 {
		c.rec.ampLimited = false
		c.rec.setTimer(now)
		if c.rec.timerAt <= now {
			c.onLossTimer(now)
		}
	}
	c.armLossTimer()
	c.scheduleSend()
}

// keysFor reports whether a packet of type t can be processed now, and if
// not whether it should be kept for later.
func (c *Conn) keysFor(t wire.PacketType) (ok, keep bool) {
	space := t.Space()
	sp := &c.spaces[space]
	if sp.discarded {
		return false, false
	}
	switch t {
	case wire.PacketInitial, wire.PacketHandshake:
		return sp.keys, true
	case wire.Packet0RTT:
		if c.role == trace.Client {
			return false, false
		}
		if c.hs.serverFlightSent && !c.hs.zeroRTTRecv {
			return false, false // 0-RTT not accepted
		}
		return c.hs.zeroRTTRecv, true
	case wire.Packet1RTT:
		return c.hs.oneRTTRecv, true
	}
	return false, false
}

// retryBuffered processes the packets kept for keys that may now exist.
func (c *Conn) retryBuffered(now sim.Time) {
	if len(c.buffered) == 0 {
		return
	}
	pending := c.buffered
	c.buffered = nil
	for _, bp := range pending {
		if c.closed {
			return
		}
		// The time it waited for keys is the receiver's own delay, not
		// the path's: it goes into the ACK Delay the peer is told (RFC
		// 9000 §13.2.5) and out of RTT samples its ACKs give (RFC 9002
		// §5.3). A server whose first flight was lost took a 1.1 s sample
		// on a 100 ms path, and kept a PTO above a second.
		c.keyWait = now.Sub(bp.at)
		c.receivePacket(now, bp.d, bp.p)
		c.keyWait = 0
	}
}

// receivePacket processes one packet. It reports whether the packet was
// non-probing (RFC 9000 §9.1) and the largest of its space so far.
func (c *Conn) receivePacket(now sim.Time, d *Datagram, p *Packet) (nonProbing, newest bool) {
	hdr, hn, err := wire.ParseHeader(p.Raw, len(c.cids.local[0]))
	if err != nil {
		c.drop(now, d, p, "header_parse_error")
		return false, false
	}
	ok, keep := c.keysFor(hdr.Type)
	if !ok {
		if keep && len(c.buffered) < maxBuffered {
			// A packet retried before its keys came keeps its first
			// arrival (keyWait is the wait so far): it lost it, and its
			// wait went uncounted.
			c.buffered = append(c.buffered, &bufferedPacket{d, p, now.Add(-c.keyWait)})
			d.held = true
			return false, false
		}
		c.drop(now, d, p, "key_unavailable")
		return false, false
	}
	space := hdr.Type.Space()
	sp := &c.spaces[space]
	largest := wire.NoPacketNumber
	if sp.ack.largest >= 0 {
		largest = uint64(sp.ack.largest)
	}
	pn := int64(wire.DecodePacketNumber(largest, hdr.PacketNumber, hdr.PacketNumberLen*8))
	if sp.ack.isDuplicate(pn) {
		c.drop(now, d, p, "duplicate")
		return false, false
	}
	if hdr.Type.IsLong() {
		c.cids.learnPeer(hdr.SrcConnectionID)
		if c.role == trace.Server && c.cids.odcid == nil {
			c.cids.odcid = append([]byte(nil), hdr.DestConnectionID...)
		}
	}
	e := trace.Event{At: now, Kind: trace.PacketReceived}
	idx := 0
	for i, q := range d.Packets {
		if q == p {
			idx = i
		}
	}
	p.describe(&e, d, idx)
	e.Side = c.side
	if c.keyWait > 0 {
		e.Arrived = now.Add(-c.keyWait) // kept for its keys since
	}
	c.log.Emit(e)
	c.stats.PacketsReceived++

	// Frames are parsed into c.rx, reused packet after packet. A packet
	// processed from within one of these frames (one that was waiting for
	// the keys a CRYPTO frame just gave, retryBuffered) gets its own.
	rx := c.rx
	if rx == nil {
		rx = new(wire.ElidedParser)
	}
	c.rx = nil
	ackEliciting, nonProbing, ok := c.receiveFrames(now, space, hdr.Type, p, p.Raw[hn:], rx)
	c.rx = rx
	if !ok || c.closed {
		return false, false
	}
	if space == wire.SpaceHandshake && c.role == trace.Server {
		// RFC 9001 §4.9.1: the server discards Initial keys when it
		// first processes a Handshake packet; RFC 9000 §8.1: which also
		// validates the client's address.
		c.discard(now, wire.SpaceInitial)
		if !c.path.validated {
			c.path.validated = true
			c.rec.ampLimited = false
			c.rec.setTimer(now)
		}
	}
	// RFC 9000 §10.1: "An endpoint restarts its idle timer when a packet
	// from its peer is received and processed successfully": not one it
	// could not parse, had no keys for, or had seen before.
	c.restartIdle(now)
	c.idleArmedBySend = false
	if !sp.discarded {
		sp.ack.onPacket(now, now.Add(-c.keyWait), pn, ackEliciting, space != wire.SpaceApplicationData, c.cfg.AckElicitingThreshold, c.cfg.MaxAckDelay)
	}
	return nonProbing, pn == sp.ack.largest
}

// receiveFrames processes the frames of packet p (of space and type typ),
// whose encoded frames are rest, parsing them with rx. It reports whether
// the packet was ack-eliciting and non-probing (RFC 9000 §9.1), and false
// if a frame was in error and closed the connection.
func (c *Conn) receiveFrames(now sim.Time, space wire.PacketNumberSpace, typ wire.PacketType, p *Packet, rest []byte, rx *wire.ElidedParser) (ackEliciting, nonProbing, ok bool) {
	open := p.DataLen
	di := 0
	for len(rest) > 0 && !c.closed {
		f, n, err := rx.Parse(rest, int(open))
		if err == nil {
			err = wire.CheckAllowedIn(f.Type(), typ)
		}
		if err != nil {
			var te *wire.TransportError
			if !errors.As(err, &te) {
				te = &wire.TransportError{Code: wire.ProtocolViolation, Reason: err.Error()}
			}
			c.closeWithError(now, te)
			return false, false, false
		}
		rest = rest[n:]
		var data bytestream.Slice
		switch f.(type) {
		case *wire.StreamFrame, *wire.CryptoFrame:
			if di >= len(p.Data) {
				c.closeWithError(now, &wire.TransportError{Code: wire.InternalError, Reason: "frame data missing"})
				return false, false, false
			}
			data = p.Data[di]
			di++
			open -= data.N
		}
		ackEliciting = ackEliciting || f.AckEliciting()
		switch f.Type() {
		case wire.FrameTypePathChallenge, wire.FrameTypePathResponse, wire.FrameTypeNewConnectionID, wire.FrameTypePadding:
			// probing frames (RFC 9000 §9.1)
		default:
			nonProbing = true
		}
		c.onFrame(now, space, f, data)
	}
	return ackEliciting, nonProbing, true
}

// drop traces a packet this end could not process.
func (c *Conn) drop(now sim.Time, d *Datagram, p *Packet, reason string) {
	e := trace.Event{At: now, Kind: trace.PacketDropped}
	p.describe(&e, d, 1)
	e.Side = c.side
	e.Name = reason
	c.log.Emit(e)
}

// onFrame processes one frame of a packet of space.
func (c *Conn) onFrame(now sim.Time, space wire.PacketNumberSpace, f wire.Frame, data bytestream.Slice) {
	switch f := f.(type) {
	case *wire.AckFrame:
		c.onAckFrame(now, space, f)
	case *wire.CryptoFrame:
		sp := &c.spaces[space]
		if data.Buf != nil {
			sp.cryptoIn.peer = data.Buf
		}
		off := int64(f.Offset)
		sp.cryptoIn.insert(now, off, off+int64(f.DataLen), func(s, e int64, _ sim.Time) {
			c.onCryptoData(now, space, bytestream.Slice{Buf: sp.cryptoIn.peer, Off: s, N: e - s})
		})
	case *wire.StreamFrame:
		c.onStreamFrame(now, f, data)
	case *wire.MaxDataFrame:
		if int64(f.MaximumData) > c.flow.peerMax {
			c.flow.peerMax = int64(f.MaximumData)
			c.scheduleSend()
		}
	case *wire.MaxStreamDataFrame:
		if s, _ := c.streamFor(now, f.StreamID, f.Type(), true); s != nil && int64(f.MaximumStreamData) > s.send.maxData {
			s.send.maxData = int64(f.MaximumStreamData)
			c.scheduleSend()
		}
	case *wire.MaxStreamsFrame:
		d := dirIndex(f.Direction == wire.Bidirectional)
		if f.MaximumStreams > c.streams.peerLimit[d] {
			c.streams.peerLimit[d] = f.MaximumStreams
			c.allowStreams(now)
		}
	case *wire.NewConnectionIDFrame:
		c.cids.addPeer(f.SequenceNumber, f.ConnectionID)
	case *wire.PathChallengeFrame:
		if len(c.path.responses) < 4 {
			c.path.responses = append(c.path.responses, f.Data)
		}
	case *wire.PathResponseFrame:
		c.onPathResponse(now, f.Data)
	case *wire.HandshakeDoneFrame:
		if c.role == trace.Client {
			c.confirm(now)
		}
	case *wire.ResetStreamFrame:
		c.onResetStream(now, f)
	case *wire.StreamDataBlockedFrame:
		// Informational (RFC 9000 §19.13), but it opens the stream and
		// its stream state is checked like STREAM's.
		c.streamFor(now, f.StreamID, f.Type(), false)
	case *wire.StopSendingFrame:
		// RFC 9000 §3.5: answer with RESET_STREAM.
		if s, _ := c.streamFor(now, f.StreamID, f.Type(), true); s != nil && !s.send.reset {
			c.ResetStream(now, f.StreamID, f.ApplicationProtocolErrorCode)
		}
	case *wire.ConnectionCloseFrame:
		// RFC 9000 §10.2.2: the peer closed; drain silently.
		c.stop(now, "closed")
	}
}

// onAckFrame hands an ACK frame to loss detection.
func (c *Conn) onAckFrame(now sim.Time, space wire.PacketNumberSpace, f *wire.AckFrame) {
	var delay = f.AckDelayDuration(c.peerParams().AckDelayExponent)
	if space == wire.SpaceInitial {
		delay = 0 // RFC 9002 §5.3: Initial ACKs are not delayed
	}
	if space == wire.SpaceHandshake && c.role == trace.Client {
		// The server has processed a Handshake packet, so it has
		// validated our address (RFC 9002 Appendix A.6).
		c.rec.addressValidatedByPeer = true
	}
	newly, sampled := c.rec.onAck(now, space, f.Ranges, delay, c.keyWait, c)
	if newly || sampled {
		c.metricsMaybe(now, sampled)
	}
}

// onAcked implements lossHandler: p reached the peer.
func (c *Conn) onAcked(now sim.Time, p *sentPacket) {
	if p.largestAck >= 0 {
		c.spaces[p.space].ack.onAckAcked(p.largestAck)
	}
	if p.path == c.rec.path && p.inFlight {
		c.metrics.lastAckedSent = max(c.metrics.lastAckedSent, p.sent)
	}
	if c.role == trace.Client && p.typ == wire.Packet1RTT && c.hs.complete {
		// RFC 9001 §4.1.2: a client may take an acknowledgement of a
		// 1-RTT packet as confirmation.
		c.confirm(now)
	}
	for _, f := range p.frames {
		switch f.kind {
		case kindStream:
			s := c.streams.get(f.id)
			if s == nil || s.send == nil {
				continue
			}
			s.send.onAcked(f.off, int64(f.n), f.fin)
			if s.done() {
				c.retire(s)
			}
		case kindCrypto:
			if sp := &c.spaces[p.space]; !sp.discarded {
				sp.crypto.onAcked(f.off, int64(f.n), false)
			}
		case kindResetStream:
			if s := c.streams.get(f.id); s != nil && s.send != nil {
				s.send.resetAcked = true
				if s.done() {
					c.retire(s)
				}
			}
		}
	}
}

// onLost implements lossHandler: p was declared lost.
func (c *Conn) onLost(now sim.Time, p *sentPacket, trigger string) {
	c.stats.PacketsLost++
	c.log.Emit(trace.Event{
		At: now, Kind: trace.PacketLost, Side: c.side, Conn: c.id, Stream: -1,
		PN: int64(p.pn), Size: int64(p.size), Name: trigger, Value: p.typ.String(),
	})
	if p.requeued {
		return // a probe carries its frames (requeueForProbe)
	}
	for _, f := range p.frames {
		c.frameLost(p.space, f)
	}
}

// frameLost queues again what a lost frame carried, if it is still needed
// (RFC 9000 §13.3).
func (c *Conn) frameLost(space wire.PacketNumberSpace, f sentFrame) {
	switch f.kind {
	case kindStream:
		if s := c.streams.get(f.id); s != nil && s.send != nil && !s.send.reset {
			s.send.onLost(f.off, int64(f.n), f.fin)
			c.streams.lostQueued = true
			c.scheduleSend()
		}
	case kindCrypto:
		if sp := &c.spaces[space]; !sp.discarded {
			sp.crypto.onLost(f.off, int64(f.n), false)
			c.scheduleSend()
		}
	case kindHandshakeDone:
		c.ctrl.handshakeDone = true
	case kindNewConnectionID:
		c.cids.issueQueued = true
	case kindRetireConnectionID:
		c.cids.retireQueued = append(c.cids.retireQueued, f.id)
	case kindPathChallenge:
		if c.path.challengePending {
			c.startChallenge() // new data (RFC 9000 §8.2.1)
		}
	case kindMaxData:
		c.flow.maxQueued = true // with the current value
	case kindMaxStreams:
		c.streams.maxQueued[f.id] = true
	case kindStreamsBlocked:
		d := int(f.id)
		c.streams.streamsBlocked[d] = c.streams.nextLocal[d] > c.streams.peerLimit[d]
	case kindDataBlocked:
		c.flow.blockedQueued = c.flow.sent >= c.flow.peerMax
	case kindMaxStreamData:
		if s := c.streams.get(f.id); s != nil && s.recv != nil && s.recv.finalSize < 0 && !s.recv.reset {
			s.recv.maxQueued = true
			c.ctrl.streamFlags = true
		}
	case kindStreamDataBlocked:
		if s := c.streams.get(f.id); s != nil && s.send != nil && s.send.next >= s.send.maxData {
			s.send.blockedQueued = true
			c.ctrl.streamFlags = true
		}
	case kindResetStream:
		if s := c.streams.get(f.id); s != nil && s.send != nil && !s.send.resetAcked {
			s.send.resetQueued = true
			c.ctrl.streamFlags = true
		}
	case kindStopSending:
		if s := c.streams.get(f.id); s != nil && s.recv != nil && !s.recv.reset && !s.recv.finDelivered {
			s.recv.stopQueued = true
			c.ctrl.streamFlags = true
		}
	}
	c.scheduleSend()
}
