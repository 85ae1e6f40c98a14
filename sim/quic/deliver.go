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
	start := int64(f.Offset)
	end := start + int64(f.DataLen)
	if !c.finalSizeOK(now, r, end, f.Fin, f.Type()) || r.reset {
		return
	}
	if !c.withinLimits(now, r, end, f.Type()) {
		return
	}
	if c.keyWait > 0 && end > r.next {
		// The packet waited for its keys (retryBuffered): its stream
		// data was blocked by the handshake, not by loss of its own.
		hol.Emit(c.log, c.side, c.id, int64(id), end-max(start, r.next), now.Add(-c.keyWait), now, hol.CauseHandshake, "")
	}
	if f.Fin {
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

// withinLimits applies RFC 9000 §4.1 to a STREAM or RESET_STREAM frame of
// type ft that puts the data of receiving part r up to end: beyond the
// stream's or the connection's advertised limit it is a FLOW_CONTROL_ERROR,
// which closes the connection and returns false. Otherwise the bytes past
// the highest received so far count towards the connection's limit.
func (c *Conn) withinLimits(now sim.Time, r *recvStream, end int64, ft wire.FrameType) bool {
	reason := ""
	if end > r.maxData {
		reason = "data beyond MAX_STREAM_DATA"
	} else if end > r.highest {
		c.flow.received += end - r.highest
		if c.flow.received > c.flow.max {
			reason = "data beyond MAX_DATA"
		}
	}
	if reason == "" {
		return true
	}
	c.closeWithError(now, &wire.TransportError{Code: wire.FlowControlError, FrameType: ft, Reason: reason})
	return false
}

// finalSizeOK applies RFC 9000 §4.5 to a STREAM or RESET_STREAM frame of
// type ft that puts the data of receiving part r up to end, and says that
// end is its final size if fin: "Once a final size for a stream is known,
// it cannot change", nor can it be below data already received, and "A
// receiver SHOULD treat receipt of data at or beyond the final size as an
// error of type FINAL_SIZE_ERROR". If the frame breaks one of these, it
// closes the connection with that error and returns false.
func (c *Conn) finalSizeOK(now sim.Time, r *recvStream, end int64, fin bool, ft wire.FrameType) bool {
	var reason string
	switch {
	case fin && r.finalSize >= 0 && end != r.finalSize:
		reason = "final size changed"
	case r.finalSize >= 0 && end > r.finalSize:
		reason = "data beyond the final size"
	case fin && end < r.highest:
		reason = "final size below data received"
	default:
		return true
	}
	c.closeWithError(now, &wire.TransportError{Code: wire.FinalSizeError, FrameType: ft, Reason: reason})
	return false
}

// deliver hands [start, end) of stream s to the application.
func (c *Conn) deliver(now sim.Time, s *stream, start, end int64, arrived sim.Time) {
	c.log.Emit(trace.Event{
		At: now, Kind: trace.DataMoved, Side: c.side, Conn: c.id, Stream: int64(s.id), PN: -1,
		Seq: start, Len: end - start, Arrived: arrived,
	})
	c.consume(end - start)
	if c.handler != nil {
		d := bytestream.Slice{Buf: s.recv.peer, Off: start, N: end - start}
		c.handler.OnStreamData(now, s.id, d, tcp.Arrival{At: arrived, InOrder: now})
	}
}

// consume counts n more bytes as read by the application, and raises the
// connection's limit once half of the window is used (RFC 9000 §4.2).
func (c *Conn) consume(n int64) {
	c.flow.consumed += n
	if c.flow.max-c.flow.consumed < c.cfg.InitialMaxData/2 {
		c.flow.max = c.flow.consumed + c.cfg.InitialMaxData
		c.flow.maxQueued = true
	}
}

// onResetStream handles RESET_STREAM (RFC 9000 §19.4).
func (c *Conn) onResetStream(now sim.Time, f *wire.ResetStreamFrame) {
	s, ok := c.streamFor(now, f.StreamID, f.Type(), false)
	if !ok || s == nil {
		return
	}
	r := s.recv
	fs := int64(f.FinalSize)
	if !c.finalSizeOK(now, r, fs, true, f.Type()) || r.reset || r.finDelivered {
		return
	}
	// §4.5: the final size counts towards connection flow control.
	if !c.withinLimits(now, r, fs, f.Type()) {
		return
	}
	r.highest = max(r.highest, fs)
	r.reset = true
	r.finalSize = fs
	r.pieces = nil
	// §4.5: "The final size is the amount of flow control credit that
	// is consumed by a stream": the sender counts all of it against
	// MAX_DATA, and no more of the stream will be read, so what was not
	// read is consumed now. Otherwise the bytes lost before the reset,
	// never sent again, would shrink the connection's credit for good.
	c.consume(fs - r.next)
	if c.handler != nil {
		c.handler.OnStreamReset(now, f.StreamID, f.ApplicationProtocolErrorCode)
	}
	if s.done() {
		c.retire(s)
	}
}
