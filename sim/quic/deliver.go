package quic

import (
	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/hol"
	"httpsim/sim/quic/wire"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

// onStreamFrame takes the data of a STREAM frame: reassembly per stream,
// in-order delivery, flow control (RFC 9000 §2.2, §4).
func (c *Conn) onStreamFrame(now sim.Time, f *wire.StreamFrame, data bytestream.Slice) {
	id := f.StreamID
	s, ok := c.streamFor(now, id, f.Type(), false)
	if !ok || s == nil {
		return
	}
	r := s.recv
	if r.reset {
		return
	}
	start := int64(f.Offset)
	end := start + int64(f.DataLen)
	// RFC 9000 §4.1: data beyond the advertised limits is a
	// FLOW_CONTROL_ERROR; §4.5: a changed final size a FINAL_SIZE_ERROR.
	if end > r.maxData {
		c.closeWithError(now, &wire.TransportError{Code: wire.FlowControlError, FrameType: f.Type(), Reason: "stream data beyond MAX_STREAM_DATA"})
		return
	}
	if end > r.highest {
		c.flow.received += end - r.highest
		if c.flow.received > c.flow.max {
			c.closeWithError(now, &wire.TransportError{Code: wire.FlowControlError, FrameType: f.Type(), Reason: "data beyond MAX_DATA"})
			return
		}
	}
	if c.keyWait > 0 && end > r.next {
		// The packet waited for its keys (retryBuffered): its stream
		// data was blocked by the handshake, not by loss of its own.
		hol.Emit(c.log, c.side, c.id, int64(id), end-max(start, r.next), now.Add(-c.keyWait), now, hol.CauseHandshake, "")
	}
	if f.Fin {
		if r.finalSize >= 0 && r.finalSize != end || end < r.highest {
			c.closeWithError(now, &wire.TransportError{Code: wire.FinalSizeError, FrameType: f.Type(), Reason: "final size changed"})
			return
		}
		r.finalSize = end
	}
	if data.Buf != nil {
		r.peer = data.Buf
	}
	r.insert(now, start, end, func(a, b int64, arrived sim.Time) { c.deliver(now, s, a, b, arrived) })
	if c.closed || c.streams.get(id) == nil {
		return
	}
	if r.finalSize >= 0 && r.next == r.finalSize && !r.finDelivered {
		r.finDelivered = true
		if c.handler != nil {
			c.handler.OnStreamFin(now, id)
		}
		if s.done() {
			c.retire(s)
		}
		return
	}
	// RFC 9000 §4.2: raise the limits as the application reads, once half
	// of the window is used, so that the sender never waits for credit.
	if r.finalSize < 0 && r.maxData-r.next < r.window/2 {
		r.maxData = r.next + r.window
		r.maxQueued = true
		c.ctrl.streamFlags = true
	}
}

// deliver hands [start, end) of stream s to the application.
func (c *Conn) deliver(now sim.Time, s *stream, start, end int64, arrived sim.Time) {
	c.log.Emit(trace.Event{
		At: now, Kind: trace.DataMoved, Side: c.side, Conn: c.id, Stream: int64(s.id), PN: -1,
		Seq: start, Len: end - start, Arrived: arrived,
	})
	c.flow.consumed += end - start
	if c.flow.max-c.flow.consumed < c.cfg.InitialMaxData/2 {
		c.flow.max = c.flow.consumed + c.cfg.InitialMaxData
		c.flow.maxQueued = true
	}
	if c.handler != nil {
		d := bytestream.Slice{Buf: s.recv.peer, Off: start, N: end - start}
		c.handler.OnStreamData(now, s.id, d, tcp.Arrival{At: arrived, InOrder: now})
	}
}

// onResetStream handles RESET_STREAM (RFC 9000 §19.4).
func (c *Conn) onResetStream(now sim.Time, f *wire.ResetStreamFrame) {
	s, ok := c.streamFor(now, f.StreamID, f.Type(), false)
	if !ok || s == nil {
		return
	}
	r := s.recv
	if r.reset || r.finDelivered {
		return
	}
	r.reset = true
	// The final size counts towards connection flow control (§4.5).
	if fs := int64(f.FinalSize); fs > r.highest {
		c.flow.received += fs - r.highest
		r.highest = fs
	}
	r.pieces = nil
	if c.handler != nil {
		c.handler.OnStreamReset(now, f.StreamID, f.ApplicationProtocolErrorCode)
	}
	if s.done() {
		c.retire(s)
	}
}
