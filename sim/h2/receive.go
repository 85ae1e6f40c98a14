package h2

import (
	"errors"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/hpack"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

// The receiving side of an endpoint: frames parsed from the byte stream,
// checked against the stream states, flow control and settings the peer
// must respect (RFC 9113 §5.1, §6.5, §6.9), and header blocks assembled.

// OnRecordEnd implements tcp.RecordEndHandler.
func (e *endpoint) OnRecordEnd(sim.Time) { e.tracker.Flush() }

var _ tcp.RecordEndHandler = (*endpoint)(nil)

// OnData implements transport.Handler.
func (e *endpoint) OnData(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	if e.dead {
		return
	}
	e.in.now = now
	e.rd.feed(d, at, &e.in)
}

// OnHeld implements tcp.HeldHandler: bytes held behind a hole when the
// connection stopped are read into frames to learn whose they are, and
// their wait until then is measured; nothing else is done with them.
func (e *endpoint) OnHeld(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	e.rd.feed(d, at, heldSink{e})
}

// OnStopped implements tcp.HeldHandler: waits for a TLS record's end are
// counted at the stop.
func (e *endpoint) OnStopped(sim.Time) { e.tracker.Flush() }

var _ tcp.HeldHandler = (*endpoint)(nil)

// heldSink measures the bytes of frames read at the connection's stop.
type heldSink struct{ e *endpoint }

func (s heldSink) bytes(id uint32, n int64, at tcp.Arrival) { s.e.tracker.Deliver(int64(id), n, at) }
func (heldSink) frame(FrameHeader, []byte)                  {}
func (heldSink) dataStart(FrameHeader)                      {}
func (heldSink) data(FrameHeader, int64, tcp.Arrival)       {}
func (heldSink) dataEnd(FrameHeader)                        {}
func (heldSink) fail(error)                                 {}

// sink adapts the frame reader's callbacks to the endpoint at one instant.
type sink struct {
	e   *endpoint
	now sim.Time
}

func (s *sink) bytes(id uint32, n int64, at tcp.Arrival) { s.e.tracker.Deliver(int64(id), n, at) }

func (s *sink) fail(err error) { s.e.connError(s.now, err) }

func (s *sink) dataStart(h FrameHeader) {
	e := s.e
	if err := e.order.Check(h); err != nil {
		e.connError(s.now, err)
		return
	}
	e.traceFrame(s.now, trace.FrameParsed, h, h.Append(e.raw.Take(FrameHeaderLen)[:0]))
	// §5.1 idle: "Receiving any frame other than HEADERS or PRIORITY on a
	// stream in this state MUST be treated as a connection error (Section
	// 5.4.1) of type PROTOCOL_ERROR."
	if e.idle(h.StreamID) {
		e.connError(s.now, ConnError{Code: ErrCodeProtocol, Reason: "DATA on an idle stream (RFC 9113 §5.1)"})
		return
	}
	// §6.9.1: "A sender MUST NOT send a flow-controlled frame with a
	// length that exceeds the space available in either of the
	// flow-control windows advertised by the receiver." The whole payload
	// counts (§6.1). What a receiver does about it we could not confirm in
	// the RFC's text; like x/net's, this one makes it a connection error
	// of type FLOW_CONTROL_ERROR.
	n := int64(h.Length)
	st := e.streams.get(h.StreamID)
	if n > e.recvWindow || (st != nil && st.state != stateClosed && n > st.recvWindow) {
		e.connError(s.now, ConnError{Code: ErrCodeFlowControl, Reason: "DATA beyond the advertised flow-control window (RFC 9113 §6.9.1)"})
		return
	}
	e.recvWindow -= n
	if st == nil {
		return
	}
	st.recvWindow -= n
	// §5.1 half-closed (remote): "If an endpoint receives additional
	// frames, other than WINDOW_UPDATE, PRIORITY, or RST_STREAM, for a
	// stream that is in this state, it MUST respond with a stream error
	// (Section 5.4.2) of type STREAM_CLOSED." §5.1 closed: the same after
	// the peer's RST_STREAM; after ours, frames are ignored.
	if (st.remoteEnd && st.state != stateClosed) || st.rstRecv {
		e.resetStream(s.now, st.id, ErrCodeStreamClosed)
	}
}

func (s *sink) data(h FrameHeader, n int64, at tcp.Arrival) {
	e := s.e
	st := e.streams.get(h.StreamID)
	if st != nil && st.state != stateClosed {
		e.role.dataIn(s.now, st, n, at)
	}
}

func (s *sink) dataEnd(h FrameHeader) {
	e := s.e
	st := e.streams.get(h.StreamID)
	// The whole payload, padding included, counts against flow control
	// (RFC 9113 §6.1); the browser consumes it at once.
	if h.Flags.Has(FlagEndStream) && st != nil && st.state != stateClosed {
		e.closeRemote(st)
		e.role.endStream(s.now, st)
	}
	e.credit(s.now, st, int64(h.Length))
}

func (s *sink) frame(h FrameHeader, payload []byte) {
	e, now := s.e, s.now
	raw := e.raw.Take(FrameHeaderLen + len(payload))
	h.Append(raw[:0])
	copy(raw[FrameHeaderLen:], payload)
	e.traceFrame(now, trace.FrameParsed, h, raw)
	if err := e.order.Check(h); err != nil {
		e.connError(now, err)
		return
	}
	// Each type is parsed into a value of its own type, not a Frame:
	// boxing one in the interface would allocate it.
	switch h.Type {
	case FrameSettings:
		f, err := ParseSettingsFrame(h, payload)
		if s.failed(err) {
			return
		}
		e.onSettings(now, &f)
	case FrameHeaders:
		f, err := ParseHeadersFrame(h, payload)
		if s.failed(err) {
			return
		}
		e.startBlock(h.StreamID, 0, false, f.EndStream)
		e.addBlock(now, f.FieldBlockFragment, f.EndHeaders)
	case FramePushPromise:
		f, err := ParsePushPromiseFrame(h, payload)
		if s.failed(err) {
			return
		}
		e.startBlock(h.StreamID, f.PromisedStreamID, true, false)
		e.addBlock(now, f.FieldBlockFragment, f.EndHeaders)
	case FrameContinuation:
		f, err := ParseContinuationFrame(h, payload)
		if s.failed(err) {
			return
		}
		e.addBlock(now, f.FieldBlockFragment, f.EndHeaders)
	case FrameWindowUpdate:
		f, err := ParseWindowUpdateFrame(h, payload)
		if s.failed(err) {
			return
		}
		// §6.9.1: "A sender MUST NOT allow a flow-control window to exceed
		// 2^31-1 octets. If a sender receives a WINDOW_UPDATE that causes a
		// flow-control window to exceed this maximum, it MUST terminate
		// either the stream or the connection, as appropriate. For
		// streams, the sender sends a RST_STREAM with an error code of
		// FLOW_CONTROL_ERROR; for the connection, a GOAWAY frame with an
		// error code of FLOW_CONTROL_ERROR is sent."
		if f.StreamID == 0 {
			e.sendWindow += int64(f.WindowSizeIncrement)
			if e.sendWindow > MaxWindowSize {
				e.connError(now, ConnError{Code: ErrCodeFlowControl, Reason: "WINDOW_UPDATE takes the connection window above 2^31-1 (RFC 9113 §6.9.1)"})
				return
			}
		} else if st := e.streams.get(f.StreamID); st != nil {
			st.sendWindow += int64(f.WindowSizeIncrement)
			if st.sendWindow > MaxWindowSize && st.state != stateClosed {
				e.resetStream(now, st.id, ErrCodeFlowControl)
			}
		} else if e.idle(f.StreamID) {
			// §6.9 and §5.1 idle: WINDOW_UPDATE on an idle stream is a
			// connection error of type PROTOCOL_ERROR.
			e.connError(now, ConnError{Code: ErrCodeProtocol, Reason: "WINDOW_UPDATE on an idle stream (RFC 9113 §5.1)"})
			return
		}
		e.role.writable(now)
	case FramePing:
		f, err := ParsePingFrame(h, payload)
		if s.failed(err) {
			return
		}
		if !f.Ack {
			e.writeFrame(now, &PingFrame{Ack: true, OpaqueData: f.OpaqueData})
		}
	case FrameRSTStream:
		f, err := ParseRSTStreamFrame(h, payload)
		if s.failed(err) {
			return
		}
		// §6.4: "If a RST_STREAM frame identifying an idle stream is
		// received, the recipient MUST treat this as a connection error
		// (Section 5.4.1) of type PROTOCOL_ERROR."
		if e.idle(f.StreamID) {
			e.connError(now, ConnError{Code: ErrCodeProtocol, Reason: "RST_STREAM on an idle stream (RFC 9113 §6.4)"})
			return
		}
		if st := e.streams.get(f.StreamID); st != nil && st.state != stateClosed {
			// §5.1: no more frames on the stream, DATA included.
			e.setClosed(st)
			st.rstRecv = true
			e.role.reset(now, st, f.ErrorCode)
		}
	case FrameGoAway:
		f, err := ParseGoAwayFrame(h, payload)
		if s.failed(err) {
			return
		}
		e.goneAway = true
		e.role.goAway(now, f.LastStreamID, f.ErrorCode)
	case FramePriorityUpdate:
		f, err := ParsePriorityUpdateFrame(h, payload)
		if s.failed(err) {
			return
		}
		e.role.priorityUpdate(now, f.PrioritizedStreamID, f.PriorityFieldValue)
	default:
		// Checked, then ignored (PRIORITY, unknown types).
		_, err := ParseFrame(h, payload)
		s.failed(err)
	}
}

// failed handles a frame's parse error, if any (RFC 9113 §5.4): a stream
// error resets the stream, anything else ends the connection.
func (s *sink) failed(err error) bool {
	if err == nil {
		return false
	}
	var se StreamError
	if errors.As(err, &se) {
		s.e.resetStream(s.now, se.StreamID, se.Code)
	} else {
		s.e.connError(s.now, err)
	}
	return true
}

// onSettings applies the peer's SETTINGS and acknowledges them (§6.5.3).
func (e *endpoint) onSettings(now sim.Time, f *SettingsFrame) {
	if f.Ack {
		e.dec.SetTableSizeLimit(e.local.HeaderTableSize)
		if !e.settingsAcked {
			// Our SETTINGS_INITIAL_WINDOW_SIZE now holds for the peer
			// (§6.9.2: a change adjusts every stream's window by the
			// difference; streams opened before counted on the larger).
			e.settingsAcked = true
			if d := int64(e.local.InitialWindowSize) - max(int64(e.local.InitialWindowSize), 65535); d != 0 {
				e.streams.each(func(_ uint32, st *stream) { st.recvWindow += d })
			}
		}
		return
	}
	oldWindow := e.peer.InitialWindowSize
	for _, st := range f.Settings {
		if err := e.peer.Apply(st); err != nil {
			e.connError(now, err)
			return
		}
		// §6.5.2: "A client MUST treat receipt of a SETTINGS frame with
		// SETTINGS_ENABLE_PUSH set to 1 as a connection error (Section
		// 5.4.1) of type PROTOCOL_ERROR."
		if e.client && st.ID == SettingEnablePush && st.Value == 1 {
			e.connError(now, ConnError{Code: ErrCodeProtocol, Reason: "SETTINGS_ENABLE_PUSH=1 from a server (RFC 9113 §6.5.2)"})
			return
		}
	}
	// §6.9.2: a new initial window adjusts every open stream by the
	// difference; "An endpoint MUST treat a change to
	// SETTINGS_INITIAL_WINDOW_SIZE that causes any flow-control window to
	// exceed the maximum size as a connection error (Section 5.4.1) of
	// type FLOW_CONTROL_ERROR."
	if d := int64(e.peer.InitialWindowSize) - int64(oldWindow); d != 0 {
		over := false
		e.streams.each(func(_ uint32, st *stream) {
			st.sendWindow += d
			over = over || (st.sendWindow > MaxWindowSize && st.state != stateClosed)
		})
		if over {
			e.connError(now, ConnError{Code: ErrCodeFlowControl, Reason: "SETTINGS_INITIAL_WINDOW_SIZE takes a stream window above 2^31-1 (RFC 9113 §6.9.2)"})
			return
		}
	}
	// The encoder then uses all the table the peer's decoder allows, as
	// Chromium's does (RFC 7541 §4.2 lets it choose any size up to the
	// limit): a larger SETTINGS_HEADER_TABLE_SIZE takes effect, with a
	// dynamic table size update at the start of the next block.
	e.enc.SetTableSizeLimit(e.peer.HeaderTableSize)
	e.enc.SetMaxTableSize(e.peer.HeaderTableSize)
	e.writeFrame(now, &SettingsFrame{Ack: true})
	e.role.writable(now)
}

func (e *endpoint) startBlock(id, promised uint32, push, end bool) {
	e.blockStream, e.blockPromised, e.blockPush, e.blockEnd = id, promised, push, end
	e.block = e.block[:0]
}

// addBlock collects a field block fragment and decodes the whole block when
// END_HEADERS arrives (RFC 9113 §4.3: decoding errors are connection
// errors of type COMPRESSION_ERROR).
func (e *endpoint) addBlock(now sim.Time, frag []byte, endHeaders bool) {
	e.block = append(e.block, frag...)
	if !endHeaders {
		return
	}
	fields, err := e.dec.Decode(e.inFields[:0], e.block, nil)
	e.inFields = fields
	if err != nil && !errors.Is(err, hpack.ErrHeaderListTooLarge) {
		e.connError(now, ConnError{Code: ErrCodeCompression, Reason: err.Error()})
		return
	}
	blockLen := len(e.block)
	if e.blockPush {
		parent := e.stream(e.blockStream, false)
		e.role.pushPromise(now, parent, e.blockPromised, fields, blockLen)
		return
	}
	st := e.streams.get(e.blockStream)
	switch {
	case st == nil:
		// A new stream: only a client's HEADERS opens one (RFC 9113
		// §8.1); a server's streams start with PUSH_PROMISE (§8.4), and
		// openPeer applies §5.1.1.
		if e.client {
			e.connError(now, ConnError{Code: ErrCodeProtocol, Reason: "HEADERS on a stream the client did not open (RFC 9113 §5.1.1, §8.4)"})
			return
		}
		if err := e.openPeer(e.blockStream); err != nil {
			e.connError(now, err)
			return
		}
		st = e.stream(e.blockStream, true)
		// §5.1.2: "An endpoint that receives a HEADERS frame that causes
		// its advertised concurrent stream limit to be exceeded MUST
		// treat this as a stream error (Section 5.4.2) of type
		// PROTOCOL_ERROR or REFUSED_STREAM." REFUSED_STREAM tells the
		// client it may retry (§8.7).
		if e.peerOpen >= e.local.MaxConcurrentStreams {
			e.resetStream(now, st.id, ErrCodeRefusedStream)
			return
		}
		st.state = stateOpen
		st.counted = true
		e.peerOpen++
	case st.state == stateClosed && st.rstSent && !st.rstRecv:
		// §5.1 closed: "An endpoint MUST ignore frames that it receives
		// on closed streams after it has sent a RST_STREAM frame." (The
		// block is decoded all the same: the HPACK context is shared.)
		return
	case st.remoteEnd || st.rstRecv:
		// §5.1 half-closed (remote) and closed: frames other than
		// WINDOW_UPDATE, PRIORITY and RST_STREAM are a stream error of
		// type STREAM_CLOSED.
		e.resetStream(now, st.id, ErrCodeStreamClosed)
		return
	case st.state == stateReservedLocal:
		// §5.1 reserved (local): "Receiving any type of frame other than
		// RST_STREAM, PRIORITY, or WINDOW_UPDATE on a stream in this
		// state MUST be treated as a connection error (Section 5.4.1) of
		// type PROTOCOL_ERROR."
		e.connError(now, ConnError{Code: ErrCodeProtocol, Reason: "HEADERS on a stream in the reserved (local) state (RFC 9113 §5.1)"})
		return
	case st.state == stateReservedRemote:
		st.state = stateHalfClosedLocal
	}
	if e.blockEnd {
		e.closeRemote(st)
	}
	e.role.headers(now, st, fields, e.blockEnd, blockLen)
}
