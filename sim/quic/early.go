package quic

import (
	"httpsim/sim"
	"httpsim/sim/quic/wire"
)

// rejectEarlyData is the client learning, from EncryptedExtensions without
// an early_data extension, that the server rejected its 0-RTT (RFC 9001
// §4.6.2). The server processed none of its 0-RTT packets and will
// acknowledge none, so they are taken out of loss detection and out of
// bytes in flight, without a congestion response: RFC 9002 §6.4, "When
// 0-RTT is rejected, recovery state for all in-flight 0-RTT packets is
// discarded", and the sender "MUST remove them from the count of bytes in
// flight". Their loss says nothing about the path.
//
// RFC 9001 §4.6.2: "When 0-RTT is rejected, all connection characteristics
// that the client assumed might be incorrect ... The client therefore MUST
// reset the state of all streams, including application state bound to
// those streams." The model resets every stream the client opened to offset
// 0, keeping what was written on it, and sends it all again in 1-RTT
// packets: the same streams with the same IDs carry the same bytes, as if
// HTTP/3 had opened them afresh and written the same control stream, QPACK
// streams and requests. That is byte for byte what a client starting over
// sends, since nothing the server sent has been read yet (its 1-RTT packets
// wait for keys the client's Finished brings), and the server remembered
// parameters equal to those it now declares. The server holds no state for
// those streams: it read none of their bytes, so no receive buffer or
// head-of-line tracker there ever saw them.
func (c *Conn) rejectEarlyData(now sim.Time) {
	c.hs.early = false
	c.traceState(now, "early_data_rejected")
	ls := &c.rec.spaces[wire.SpaceApplicationData]
	kept := ls.sent.kept()
	for i := range kept {
		p := &kept[i]
		if p.typ != wire.Packet0RTT || p.state != pktOutstanding {
			continue
		}
		c.rec.release(p)
		p.state = pktDone
		for _, f := range p.frames {
			if f.kind == kindStream {
				// Sent, never received: they are sent again, and count
				// with retransmissions, not as the stream's payload.
				c.stats.Payload -= int64(f.n)
				c.stats.EarlyRejected += int64(f.n)
				continue
			}
			// Control frames (MAX_STREAMS, STREAMS_BLOCKED...) go
			// again if still needed, as after a loss.
			c.frameLost(wire.SpaceApplicationData, f)
		}
	}
	ls.sent.trim()
	c.rec.setTimer(now)
	c.flow.sent = 0
	c.flow.blockedAt = -1
	c.streams.lostQueued = false
	for _, id := range c.streams.ids {
		s := c.streams.get(id)
		if s.send == nil || IsServerInitiated(id) {
			continue
		}
		ss := s.send
		if ss.buf.Start() != 0 {
			// Nothing of it was acknowledged, so nothing was discarded.
			panic("quic: a 0-RTT stream lost bytes before its rejection")
		}
		ss.next, ss.acked, ss.lost = 0, nil, nil
		ss.finSent, ss.finAcked, ss.finLost = false, false, false
		ss.blockedAt = -1
		c.streams.makeSendable(id)
	}
	c.metricsNow(now)
	c.scheduleSend()
}
