package quic

import (
	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// finish encodes a built packet into p: its header and frames with the
// STREAM and CRYPTO data left out (Raw), and its exact size on the wire.
func (c *Conn) finish(b *building, p *Packet) {
	h := b.hdr
	h.SetPayloadLen(b.payload)
	n := h.Len()
	for _, f := range b.frames {
		n += wire.ElidedLength(f)
	}
	// Raw goes into the trace and Data onto the link: both outlive b.
	raw := h.Append(c.raws.take(n)[:0])
	for _, f := range b.frames {
		raw = wire.AppendElided(raw, f)
	}
	// Data goes onto the link and dies with the datagram: a recycled
	// packet's array is reused if it is long enough.
	data := p.Data[:0]
	if cap(data) >= len(b.data) && len(b.data) > 0 {
		data = append(data, b.data...)
	} else {
		data = c.dataRanges.copyOf(b.data)
	}
	// Every field, one by one: storing a Packet literal into a recycled
	// packet would copy it through a bulk write barrier while the collector
	// marks. TestFinishSetsEveryField keeps this in step with Packet.
	p.Type, p.PN, p.Raw, p.Data, p.DataLen = h.Type, h.PacketNumber, raw, data, b.dataLen
	p.Size, p.Flags = h.Len()+b.payload+wire.AEADTagSize, b.flags
	p.Stream, p.Seq, p.Ack, p.b = b.stream, b.seq, b.largestAck, b
	if b.space != wire.SpaceApplicationData {
		p.Flags |= trace.FlagHandshake
	}
	if b.probe {
		p.Flags |= trace.FlagProbe
	}
}

// sendDatagram records the datagram's packets with loss detection, traces
// them, and puts the datagram on the path.
func (c *Conn) sendDatagram(now sim.Time, d *Datagram) {
	sentHandshake := false
	for i, p := range d.Packets {
		b := p.b
		p.b = nil
		sp := &c.spaces[b.space]
		sp.nextPN++
		if b.largestAck >= 0 {
			sp.ack.onAckSent()
		}
		if b.ackEliciting {
			sp.ack.nonEliciting = 0
			if b.probe {
				sp.probes--
			}
			if b.beforeReduction {
				c.rec.sendBeforeReductionAt = sim.Never
			}
		} else if b.largestAck >= 0 {
			sp.ack.nonEliciting++
		}
		c.rec.onPacketSent(now, sentPacket{
			pn: p.PN, space: b.space, typ: p.Type, sent: now, size: p.Size,
			ackEliciting: b.ackEliciting, inFlight: b.inFlight, largestAck: b.largestAck,
			probe: b.probe, frames: c.sentFrames.copyOf(b.sent),
		})
		if b.space == wire.SpaceHandshake {
			sentHandshake = true
		}
		e := trace.Event{At: now, Kind: trace.PacketSent}
		p.describe(&e, d, i)
		if i > 0 {
			e.Flags |= trace.FlagCoalesced
		}
		c.log.Emit(e)
		c.stats.Packets++
		c.stats.Handshake += b.crypto - b.cryptoRe
		c.stats.RetransmittedHandshake += b.cryptoRe
		c.stats.Payload += b.streamNew
		c.stats.RetransmittedPayload += b.streamRe
		c.stats.Overhead += int64(p.Size) - b.crypto - b.streamNew - b.streamRe
		c.release(b)
	}
	c.stats.Datagrams++
	if !c.idleArmedBySend && c.rec.ackElicitingInFlight() {
		c.idleArmedBySend = true
		c.restartIdle(now)
	}
	c.stats.Bytes += int64(d.WireSize())
	c.stats.Overhead += DatagramOverhead
	if !c.path.validated {
		c.path.sent += int64(d.Size)
	}
	if c.ctrl.close != nil {
		c.ctrl.close = nil
	}
	if c.router != nil {
		c.router.SendTo(now, c.path.peer, d)
	} else {
		c.out.Send(now, d)
	}
	if sentHandshake && c.role == trace.Client && !c.hs.sentHandshake {
		// RFC 9001 §4.9.1: a client discards its Initial keys when it
		// first sends a Handshake packet.
		c.hs.sentHandshake = true
		c.discard(now, wire.SpaceInitial)
	}
}

// controlQueue holds connection-level frames waiting to be sent.
type controlQueue struct {
	handshakeDone bool
	ping          bool
	close         *wire.ConnectionCloseFrame
	// streamFlags: some stream has a MAX_STREAM_DATA, STREAM_DATA_BLOCKED,
	// RESET_STREAM or STOP_SENDING queued.
	streamFlags bool
}

// any reports whether a control frame is waiting.
func (q *controlQueue) any(c *Conn) bool {
	return q.handshakeDone || q.ping || q.streamFlags || c.cids.issueQueued || len(c.cids.retireQueued) > 0 ||
		c.path.challengeQueued || len(c.path.responses) > 0 || c.flow.maxQueued || c.flow.blockedQueued ||
		c.streams.maxQueued[0] || c.streams.maxQueued[1] || c.streams.streamsBlocked[0] || c.streams.streamsBlocked[1]
}

// tryAdd adds f if it fits, and reports whether it did.
func tryAdd(b *building, f wire.Frame, sf sentFrame) bool {
	if b.closed || f.Length() > b.room {
		return false
	}
	b.add(f, bytestream.Slice{}, &sf)
	return true
}

// packControl adds the connection's control frames to an application data
// packet of type typ.
func (c *Conn) packControl(now sim.Time, b *building, typ wire.PacketType) {
	c.rechallenge(now)
	if !c.ctrl.any(c) {
		return
	}
	oneRTT := typ == wire.Packet1RTT
	if c.ctrl.handshakeDone && oneRTT && tryAdd(b, &wire.HandshakeDoneFrame{}, sentFrame{kind: kindHandshakeDone}) {
		c.ctrl.handshakeDone = false
	}
	if c.cids.issueQueued && len(c.cids.local) > 1 {
		f := &wire.NewConnectionIDFrame{SequenceNumber: 1, ConnectionID: c.cids.local[1], StatelessResetToken: *resetToken(c.cids.local[1])}
		if tryAdd(b, f, sentFrame{kind: kindNewConnectionID, id: 1}) {
			c.cids.issueQueued = false
		}
	}
	for len(c.cids.retireQueued) > 0 {
		seq := c.cids.retireQueued[0]
		if !tryAdd(b, &wire.RetireConnectionIDFrame{SequenceNumber: seq}, sentFrame{kind: kindRetireConnectionID, id: seq}) {
			break
		}
		c.cids.retireQueued = c.cids.retireQueued[1:]
	}
	for len(c.path.responses) > 0 && oneRTT {
		if !tryAdd(b, &wire.PathResponseFrame{Data: c.path.responses[0]}, sentFrame{kind: kindPathResponse}) {
			break
		}
		c.path.responses = c.path.responses[1:]
		b.hasPath = true
	}
	if c.path.challengeQueued && tryAdd(b, &wire.PathChallengeFrame{Data: c.path.challenge}, sentFrame{kind: kindPathChallenge}) {
		c.path.challengeQueued = false
		c.path.challengeAt = now
		b.hasPath = true
	}
	if c.flow.maxQueued && tryAdd(b, &wire.MaxDataFrame{MaximumData: uint64(c.flow.max)}, sentFrame{kind: kindMaxData}) {
		c.flow.maxQueued = false
	}
	for d := 0; d < 2; d++ {
		dir := wire.Bidirectional
		if d == 1 {
			dir = wire.Unidirectional
		}
		if c.streams.maxQueued[d] && tryAdd(b, &wire.MaxStreamsFrame{Direction: dir, MaximumStreams: c.streams.localLimit[d]}, sentFrame{kind: kindMaxStreams, id: uint64(d)}) {
			c.streams.maxQueued[d] = false
		}
		if c.streams.streamsBlocked[d] && tryAdd(b, &wire.StreamsBlockedFrame{Direction: dir, MaximumStreams: c.streams.peerLimit[d]}, sentFrame{kind: kindStreamsBlocked, id: uint64(d)}) {
			c.streams.streamsBlocked[d] = false
		}
	}
	if c.flow.blockedQueued && tryAdd(b, &wire.DataBlockedFrame{MaximumData: uint64(c.flow.blockedAt)}, sentFrame{kind: kindDataBlocked}) {
		c.flow.blockedQueued = false
	}
	if c.ctrl.ping && tryAdd(b, &wire.PingFrame{}, sentFrame{kind: kindPing}) {
		c.ctrl.ping = false
	}
	if !c.ctrl.streamFlags {
		return
	}
	left := false
	for _, id := range c.streams.ids {
		s := c.streams.get(id)
		if r := s.recv; r != nil {
			if r.maxQueued && tryAdd(b, &wire.MaxStreamDataFrame{StreamID: id, MaximumStreamData: uint64(r.maxData)}, sentFrame{kind: kindMaxStreamData, id: id}) {
				r.maxQueued = false
			}
			if r.stopQueued && tryAdd(b, &wire.StopSendingFrame{StreamID: id, ApplicationProtocolErrorCode: r.stopCode}, sentFrame{kind: kindStopSending, id: id}) {
				r.stopQueued = false
			}
			left = left || r.maxQueued || r.stopQueued
		}
		if ss := s.send; ss != nil {
			if ss.resetQueued {
				f := &wire.ResetStreamFrame{StreamID: id, ApplicationProtocolErrorCode: ss.resetCode, FinalSize: uint64(ss.next)}
				if tryAdd(b, f, sentFrame{kind: kindResetStream, id: id}) {
					ss.resetQueued = false
				}
			}
			if ss.blockedQueued && tryAdd(b, &wire.StreamDataBlockedFrame{StreamID: id, MaximumStreamData: uint64(ss.blockedAt)}, sentFrame{kind: kindStreamDataBlocked, id: id}) {
				ss.blockedQueued = false
			}
			left = left || ss.resetQueued || ss.blockedQueued
		}
	}
	c.ctrl.streamFlags = left
}

// armLossTimer sets the loop's timer to the loss detection timer.
func (c *Conn) armLossTimer() {
	if c.closed {
		return
	}
	c.lossTimer.Set(c.rec.timerAt)
}

// armAckTimer sets the timer of a delayed acknowledgement.
func (c *Conn) armAckTimer() {
	a := &c.spaces[wire.SpaceApplicationData].ack
	if c.closed || !a.pending() {
		c.ackTimer.Stop()
		return
	}
	c.ackTimer.Set(a.ackAt)
}

// onLossTimer is the loss detection timer firing (RFC 9002 §6.2, A.9).
func (c *Conn) onLossTimer(now sim.Time) {
	if c.closed {
		return
	}
	count, dur := c.rec.ptoCount, c.rec.timerDur
	kind, space := c.rec.onTimeout(now, c)
	if kind != timeoutLoss {
		c.log.Emit(trace.Event{
			At: now, Kind: trace.LossTimerUpdated, Side: c.side, Conn: c.id, Stream: -1, PN: -1,
			Name: "pto", RTT: dur, Len: int64(count), Value: space.String(),
		})
		sp := &c.spaces[space]
		sp.probes = c.cfg.PTOProbes
		if kind == timeoutAntiDeadlock {
			sp.probes = 1
		}
		c.requeueForProbe(space)
		c.stats.PTOs++
		if kind != timeoutAntiDeadlock && space != wire.SpaceApplicationData {
			// RFC 9002 §6.2.4: with unacknowledged data in the Initial
			// and Handshake spaces, the sender SHOULD send ack-eliciting
			// packets in the other space with data in flight too,
			// coalesced: a server whose first flight was lost resent its
			// ServerHello on the Initial PTO, and its certificate only
			// 240 ms later, on the Handshake space's own timer. A space
			// with data queued and nothing in flight gets its probe too:
			// its lost data waits on the congestion window (buildPacket),
			// which the other space's packets fill, and those the peer
			// cannot acknowledge without it (a lost ServerHello behind a
			// window of certificate), so only a probe lets it through.
			for other := wire.SpaceInitial; other <= wire.SpaceHandshake; other++ {
				if other != space && c.canSend(other) && (c.rec.spaces[other].ackElicitingInFlight > 0 || c.pendingAtLeast(other, 1)) {
					c.spaces[other].probes = max(c.spaces[other].probes, 1)
					c.requeueForProbe(other)
				}
			}
		}
	}
	c.metricsNow(now)
	c.flush(now)
}

// requeueForProbe gives PTO probes something to carry when the space has
// nothing new: the frames of its oldest unacknowledged packets (RFC 9002
// §6.2.4), which stay in flight until acknowledged or declared lost.
func (c *Conn) requeueForProbe(space wire.PacketNumberSpace) {
	if c.pendingAtLeast(space, 1) {
		return
	}
	for _, p := range c.rec.oldestOutstanding(space, c.cfg.PTOProbes) {
		p.requeued = true
		for _, f := range p.frames {
			c.frameLost(p.space, f)
		}
	}
}
