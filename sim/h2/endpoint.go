package h2

import (
	"errors"
	"strings"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/hol"
	"httpsim/sim/hpack"
	"httpsim/sim/slab"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
)

// streamState is a stream's state (RFC 9113 §5.1), reduced to what the
// simulator distinguishes.
type streamState uint8

const (
	stateIdle streamState = iota
	stateReservedRemote
	stateReservedLocal
	stateOpen
	stateHalfClosedLocal  // we sent END_STREAM
	stateHalfClosedRemote // the peer sent END_STREAM
	stateClosed
)

// stream is one HTTP/2 stream.
type stream struct {
	id    uint32
	state streamState
	// Flow control (RFC 9113 §5.2, §6.9): what we may still send, and
	// what the peer has sent that we have consumed but not yet credited.
	sendWindow int64
	recvCredit int64
	// recvWindow is what the peer may still send on the stream: the
	// window we advertised, less DATA received (RFC 9113 §6.9.1).
	recvWindow int64
	// remoteEnd: the peer sent END_STREAM; rstSent, rstRecv: the stream
	// was reset by us, by the peer (RFC 9113 §5.1 tells these closed
	// states apart).
	remoteEnd, rstSent, rstRecv bool
	// counted: a peer-initiated stream that counts toward our
	// SETTINGS_MAX_CONCURRENT_STREAMS (open or half-closed, §5.1.2).
	counted bool
	// Sending a body: bytes left and whether END_STREAM goes with the last.
	bodyLeft    int64
	urgency     int
	incremental bool
}

// roleHandler is what differs between client and server.
type roleHandler interface {
	headers(now sim.Time, st *stream, fields []hpack.HeaderField, end bool, blockLen int)
	pushPromise(now sim.Time, parent *stream, promised uint32, fields []hpack.HeaderField, blockLen int)
	dataIn(now sim.Time, st *stream, n int64, at tcp.Arrival)
	endStream(now sim.Time, st *stream)
	reset(now sim.Time, st *stream, code ErrCode)
	goAway(now sim.Time, last uint32, code ErrCode)
	priorityUpdate(now sim.Time, id uint32, value string)
	// writable: flow-control windows opened or the transport drained.
	writable(now sim.Time)
	// broken: the connection failed (a protocol error, or the transport
	// closed under open streams).
	broken(now sim.Time, reason string)
}

// Stats count what HTTP/2 put on its connection, in both bucket senses of
// scenario.WireBytes: framing (frame headers, control frames, the preface)
// and header blocks count as headers; DATA payloads as bodies.
type Stats struct {
	Framing, HeaderBlocks, Bodies int64
	// HeaderUncompressed is the size the header fields sent would have as
	// HTTP/1.1 text lines ("name: value\r\n"), for comparison.
	HeaderUncompressed int64
}

// endpoint is one end of an HTTP/2 connection: framing, settings, HPACK,
// streams and flow control, shared by client and server.
type endpoint struct {
	client bool
	side   trace.Side
	cfg    Config
	tc     transport.Conn
	loop   *sim.Loop
	log    *trace.Log
	role   roleHandler

	rd      frameReader
	tracker *hol.Tracker

	local, peer Settings
	enc         *hpack.Encoder
	dec         *hpack.Decoder

	sendWindow int64 // connection-level send window
	recvCredit int64 // connection-level bytes consumed, not yet credited
	// recvWindow is the connection-level window the peer may still send
	// DATA into (RFC 9113 §6.9.1).
	recvWindow int64

	// lastPeer is the highest stream ID the peer has opened or reserved
	// (RFC 9113 §5.1.1), lastLocal the highest we have; streams above
	// them are idle. lastPeer is also the Last-Stream-ID of a GOAWAY for
	// a connection error (§6.8).
	lastPeer, lastLocal uint32
	// peerOpen counts the peer-initiated streams open or half-closed,
	// against SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2).
	peerOpen uint32
	// settingsAcked: the peer acknowledged our SETTINGS (§6.5.3).
	settingsAcked bool

	streams idTable[stream]

	// A header block being assembled from HEADERS or PUSH_PROMISE and
	// CONTINUATION frames (RFC 9113 §4.3).
	blockStream   uint32
	blockPromised uint32
	blockPush     bool
	blockEnd      bool
	block         []byte
	order         FrameOrder

	established bool // the transport is up and the preface is out
	goneAway    bool
	dead        bool
	stats       Stats

	// in is the frame reader's sink, kept here so that each delivery
	// does not allocate one.
	in sink
	// raw holds the wire bytes of traced frames (the trace keeps them);
	// frameBuf and blockBuf are scratch space for encoding a frame and a
	// header block, dead once the transport has copied them.
	raw      slab.Bytes
	frameBuf []byte
	blockBuf []byte
	// inFields holds the header list just decoded, outFields the one
	// being encoded; the roles copy what they keep.
	inFields, outFields []hpack.HeaderField
	// headersFrame is reused for each HEADERS frame written: it is dead
	// once encoded.
	headersFrame HeadersFrame
	// streamSlab is where new streams are carved from, several per
	// allocation.
	streamSlab []stream
}

func newEndpoint(client bool, cfg Config, tc transport.Conn, loop *sim.Loop, log *trace.Log, role roleHandler) *endpoint {
	// The transport knows which end it is: the browser's or the origin's,
	// or an edge's on either of its two connections.
	side := tc.TCP().Side()
	e := &endpoint{
		client: client, side: side, cfg: cfg, tc: tc, loop: loop, log: log, role: role,
		local: DefaultSettings(), peer: DefaultSettings(),
		sendWindow: 65535, // RFC 9113 §6.9.2: the connection window starts at 65,535
		recvWindow: 65535,
	}
	e.in.e = e
	e.local.HeaderTableSize = cfg.HeaderTableSize
	e.local.InitialWindowSize = cfg.StreamWindow
	e.local.EnablePush = cfg.Push
	e.local.NoRFC7540Priorities = true
	if !client {
		e.local.MaxConcurrentStreams = cfg.MaxConcurrentStreams
		e.rd.preface = len(ClientPreface)
	}
	e.rd.maxFrame = DefaultMaxFrameSize
	// Both HPACK contexts start at the protocol's 4096 (RFC 9113 §6.5.2);
	// SETTINGS change them.
	e.enc = hpack.NewEncoder(hpack.DefaultTableSize)
	if s, err := hpack.ParseStrategy(cfg.Strategy); err == nil {
		e.enc.SetStrategy(s)
	}
	e.dec = hpack.NewDecoder(hpack.DefaultTableSize)
	// Until the peer acknowledges our SETTINGS it may encode with the
	// protocol's 4096 (RFC 9113 §6.5.3: a sender cannot rely on a setting
	// before its ACK), so a smaller SETTINGS_HEADER_TABLE_SIZE applies
	// only then (onSettings). Applied at once, requests a client sent
	// before our SETTINGS reached it were COMPRESSION_ERRORs.
	e.dec.SetTableSizeLimit(max(cfg.HeaderTableSize, hpack.DefaultTableSize))
	e.dec.SetMaxHeaderListSize(256 << 10)
	e.tracker = hol.NewTracker(log, side, tc.ID())
	tc.SetHandler(e)
	if !client {
		tc.SetLowWater(cfg.LowWater)
	}
	return e
}

// start writes this side's connection preface (RFC 9113 §3.4): the client's
// magic string, then each side's SETTINGS, then a connection WINDOW_UPDATE
// raising the receive window to the configured size.
func (e *endpoint) start(now sim.Time) {
	if e.client {
		e.tc.Write(now, []byte(ClientPreface))
		e.stats.Framing += int64(len(ClientPreface))
	}
	settings := []Setting{
		{SettingHeaderTableSize, e.local.HeaderTableSize},
		{SettingInitialWindowSize, e.local.InitialWindowSize},
		{SettingNoRFC7540Priorities, 1},
	}
	if e.client {
		push := uint32(0)
		if e.cfg.Push {
			push = 1
		}
		settings = append(settings, Setting{SettingEnablePush, push}, Setting{SettingMaxHeaderListSize, 256 << 10})
	} else {
		settings = append(settings, Setting{SettingMaxConcurrentStreams, e.local.MaxConcurrentStreams})
	}
	e.writeFrame(now, &SettingsFrame{Settings: settings})
	if inc := int64(e.cfg.ConnWindow) - 65535; inc > 0 {
		e.writeFrame(now, &WindowUpdateFrame{StreamID: 0, WindowSizeIncrement: uint32(inc)})
		e.recvWindow += inc
	}
}

// streamSlabLen is how many streams one allocation makes room for.
const streamSlabLen = 16

// stream returns the stream with id, creating it if create.
func (e *endpoint) stream(id uint32, create bool) *stream {
	st := e.streams.get(id)
	if st == nil && create {
		if len(e.streamSlab) == 0 {
			e.streamSlab = make([]stream, streamSlabLen)
		}
		st = &e.streamSlab[0]
		e.streamSlab = e.streamSlab[1:]
		*st = stream{id: id, state: stateIdle, sendWindow: int64(e.peer.InitialWindowSize), recvWindow: e.initialRecvWindow(), urgency: 3}
		e.streams.set(id, st)
		if e.localID(id) {
			e.lastLocal = max(e.lastLocal, id)
		}
	}
	return st
}

// localID reports whether stream id is one this end initiates: odd for a
// client, even for a server (RFC 9113 §5.1.1).
func (e *endpoint) localID(id uint32) bool { return (id%2 == 1) == e.client }

// idle reports whether stream id is in the idle state: above every stream
// its initiator has opened or reserved (RFC 9113 §5.1.1: opening a stream
// implicitly closes the idle streams below it).
func (e *endpoint) idle(id uint32) bool {
	if e.localID(id) {
		return id > e.lastLocal
	}
	return id > e.lastPeer
}

// openPeer checks that the peer may open or reserve stream id, a new one
// (RFC 9113 §5.1.1: "Streams initiated by a client MUST use odd-numbered
// stream identifiers; those initiated by the server MUST use even-numbered
// stream identifiers"; "The identifier of a newly established stream MUST
// be numerically greater than all streams that the initiating endpoint has
// opened or reserved"; "An endpoint that receives an unexpected stream
// identifier MUST respond with a connection error (Section 5.4.1) of type
// PROTOCOL_ERROR"), and records it as the highest.
func (e *endpoint) openPeer(id uint32) error {
	if e.localID(id) || id <= e.lastPeer {
		return ConnError{Code: ErrCodeProtocol, Reason: "unexpected stream identifier from the peer (RFC 9113 §5.1.1)"}
	}
	e.lastPeer = id
	return nil
}

// initialRecvWindow is a new stream's receive window: our
// SETTINGS_INITIAL_WINDOW_SIZE once acknowledged; before that the peer may
// still use the protocol's 65,535 (RFC 9113 §6.5.3, §6.9.2), so the larger.
func (e *endpoint) initialRecvWindow() int64 {
	if e.settingsAcked {
		return int64(e.local.InitialWindowSize)
	}
	return max(int64(e.local.InitialWindowSize), 65535)
}

// setClosed moves st to the closed state (RFC 9113 §5.1): it no longer counts
// toward the concurrency limit, and sends no more DATA.
func (e *endpoint) setClosed(st *stream) {
	st.state = stateClosed
	st.bodyLeft = 0
	if st.counted {
		st.counted = false
		e.peerOpen--
	}
}

// traceFrame records a frame written or parsed.
func (e *endpoint) traceFrame(now sim.Time, k trace.Kind, h FrameHeader, raw []byte) {
	e.log.Emit(trace.Event{At: now, Kind: k, Side: e.side, Conn: e.tc.ID(), Stream: int64(h.StreamID), PN: -1,
		Name: h.Type.String(), Len: int64(h.Length) + FrameHeaderLen, Raw: raw})
}

// writeFrame writes a non-DATA frame.
func (e *endpoint) writeFrame(now sim.Time, f Frame) {
	if e.dead {
		// After GOAWAY and close, or an abort, nothing more goes out: a
		// stream failed when the connection broke would write after the
		// transport's FIN.
		return
	}
	b := f.Append(e.frameBuf[:0])
	e.frameBuf = b
	e.tc.Write(now, b)
	e.stats.Framing += int64(len(b))
	e.traceFrame(now, trace.FrameCreated, f.Header(), e.raw.Copy(b))
}

// writeHeaders encodes fields with HPACK and writes them as a HEADERS frame
// (or PUSH_PROMISE, if promised > 0) and as many CONTINUATION frames as the
// peer's SETTINGS_MAX_FRAME_SIZE requires (RFC 9113 §4.3, §6.2, §6.10).
func (e *endpoint) writeHeaders(now sim.Time, id uint32, fields []hpack.HeaderField, end bool, promised uint32) int {
	if e.dead {
		return 0 // see writeFrame
	}
	block := e.enc.Encode(e.blockBuf[:0], fields, nil)
	e.blockBuf = block
	for _, f := range fields {
		e.stats.HeaderUncompressed += int64(len(f.Name) + 2 + len(f.Value) + 2)
	}
	max := int(e.peer.MaxFrameSize)
	first := block
	if promised > 0 {
		max -= 4
	}
	if len(first) > max {
		first = first[:max]
	}
	rest := block[len(first):]
	var f Frame
	if promised > 0 {
		f = &PushPromiseFrame{StreamID: id, PromisedStreamID: promised, EndHeaders: len(rest) == 0, FieldBlockFragment: first}
	} else {
		e.headersFrame = HeadersFrame{StreamID: id, EndStream: end, EndHeaders: len(rest) == 0, FieldBlockFragment: first}
		f = &e.headersFrame
	}
	e.writeBlockFrame(now, f, len(first))
	for len(rest) > 0 {
		n := min(len(rest), int(e.peer.MaxFrameSize))
		e.writeBlockFrame(now, &ContinuationFrame{StreamID: id, EndHeaders: n == len(rest), FieldBlockFragment: rest[:n]}, n)
		rest = rest[n:]
	}
	return len(block)
}

func (e *endpoint) writeBlockFrame(now sim.Time, f Frame, blockLen int) {
	b := f.Append(e.frameBuf[:0])
	e.frameBuf = b
	e.tc.Write(now, b)
	e.stats.Framing += int64(len(b) - blockLen)
	e.stats.HeaderBlocks += int64(blockLen)
	e.traceFrame(now, trace.FrameCreated, f.Header(), e.raw.Copy(b))
}

// writeData writes a DATA frame of n filler bytes on st, within the windows.
func (e *endpoint) writeData(now sim.Time, st *stream, n int64, end bool) {
	if e.dead {
		return // see writeFrame
	}
	// The header goes to the trace as it is (the transport copies it).
	hdr := AppendDataHeader(e.raw.Take(FrameHeaderLen)[:0], st.id, int(n), end)
	e.tc.Write(now, hdr)
	if n > 0 {
		e.tc.WriteFiller(now, n)
	}
	st.sendWindow -= n
	e.sendWindow -= n
	st.bodyLeft -= n
	e.stats.Framing += int64(len(hdr))
	e.stats.Bodies += n
	h, _ := ParseFrameHeader(hdr)
	e.traceFrame(now, trace.FrameCreated, h, hdr)
	if end {
		e.closeLocal(st)
	}
}

// closeLocal notes that we sent END_STREAM on st.
func (e *endpoint) closeLocal(st *stream) {
	switch st.state {
	case stateHalfClosedRemote, stateReservedLocal:
		e.setClosed(st)
	default:
		st.state = stateHalfClosedLocal
	}
}

// closeRemote notes that the peer sent END_STREAM on st.
func (e *endpoint) closeRemote(st *stream) {
	st.remoteEnd = true
	if st.state == stateHalfClosedLocal || st.state == stateClosed {
		e.setClosed(st)
	} else {
		st.state = stateHalfClosedRemote
	}
}

// sendable is how many body bytes st may send now, within both windows.
// Nothing on a closed stream: "An endpoint MUST NOT send frames other than
// PRIORITY on a closed stream" (RFC 9113 §5.1).
func (e *endpoint) sendable(st *stream) int64 {
	if st.state == stateClosed {
		return 0
	}
	return max(0, min(st.bodyLeft, st.sendWindow, e.sendWindow))
}

// resetStream sends RST_STREAM and forgets the stream (RFC 9113 §6.4): it
// sends no more DATA (§5.1), and the role drops what it kept for it.
func (e *endpoint) resetStream(now sim.Time, id uint32, code ErrCode) {
	e.writeFrame(now, &RSTStreamFrame{StreamID: id, ErrorCode: code})
	// A stream the peer's END_STREAM closed may still be reset, for a
	// malformed message (§8.1.1): the role forgets it all the same.
	if st := e.streams.get(id); st != nil && !st.rstSent && !st.rstRecv {
		e.setClosed(st)
		st.rstSent = true
		e.role.reset(now, st, code)
	}
}

// credit consumes n received DATA bytes on st and sends WINDOW_UPDATE once
// half of a window has been consumed, for the stream and the connection
// (Chrome's policy; RFC 9113 §6.9 leaves it to the receiver).
func (e *endpoint) credit(now sim.Time, st *stream, n int64) {
	e.recvCredit += n
	if e.recvCredit >= int64(e.cfg.ConnWindow)/2 {
		e.writeFrame(now, &WindowUpdateFrame{StreamID: 0, WindowSizeIncrement: uint32(e.recvCredit)})
		e.recvWindow += e.recvCredit
		e.recvCredit = 0
	}
	if st == nil || st.state == stateClosed || st.state == stateHalfClosedRemote {
		return
	}
	st.recvCredit += n
	if st.recvCredit >= int64(e.local.InitialWindowSize)/2 {
		e.writeFrame(now, &WindowUpdateFrame{StreamID: st.id, WindowSizeIncrement: uint32(st.recvCredit)})
		st.recvWindow += st.recvCredit
		st.recvCredit = 0
	}
}

// OnHandshakeComplete implements transport.HandshakeHandler: a client's
// requests held out of early data go now.
func (e *endpoint) OnHandshakeComplete(now sim.Time) {
	if e.client && e.established {
		e.role.writable(now)
	}
}

// OnEstablished implements transport.Handler.
func (e *endpoint) OnEstablished(now sim.Time) {
	e.established = true
	e.start(now)
	e.role.writable(now)
}

// OnPeerClose implements transport.Handler.
func (e *endpoint) OnPeerClose(now sim.Time) {
	if !e.dead {
		e.dead = true
		e.role.broken(now, "connection closed by the peer")
	}
}

// OnWritable implements transport.WritableHandler.
func (e *endpoint) OnWritable(now sim.Time) {
	if !e.dead {
		e.role.writable(now)
	}
}

// OnData implements transport.Handler.
func (e *endpoint) OnData(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	if e.dead {
		return
	}
	e.in.now = now
	e.rd.feed(d, at, &e.in)
}

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

// connError ends the connection with GOAWAY (RFC 9113 §5.4.1).
func (e *endpoint) connError(now sim.Time, err error) {
	if e.dead {
		return
	}
	code := ErrCodeProtocol
	var ce ConnError
	if errors.As(err, &ce) {
		code = ce.Code
	}
	// §5.4.1: the GOAWAY's Last-Stream-ID is "the last peer-initiated
	// stream that was successfully processed"; §6.8: streams above it were
	// not acted on. A stream we opened or reset counts as processed.
	e.writeFrame(now, &GoAwayFrame{LastStreamID: e.lastPeer, ErrorCode: code, AdditionalDebugData: []byte(strings.TrimSpace(err.Error()))})
	e.dead = true
	e.tc.Close(now)
	e.role.broken(now, err.Error())
}

// Stats returns the endpoint's counters.
func (e *endpoint) Stats() Stats { return e.stats }
