package h2

import (
	"errors"
	"strings"

	"httpsim/sim"
	"httpsim/sim/h1"
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
	// HeaderUncompressed is the size the header sections sent would have
	// as HTTP/1.1 heads (h1.TextLen: start and Host lines for the
	// pseudo-headers, field lines, the blank line), for comparison.
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
	if client {
		// The largest frame the server may send it, advertised in
		// its SETTINGS when above the initial 2^14 (RFC 9113 §6.5.2):
		// Config.MaxFrameSize did nothing without it.
		e.rd.maxFrame = cfg.MaxFrameSize
	}
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
	tc.SetLowWater(cfg.LowWater)
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
		if e.cfg.MaxFrameSize > DefaultMaxFrameSize {
			settings = append(settings, Setting{SettingMaxFrameSize, e.cfg.MaxFrameSize})
		}
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
	e.stats.HeaderUncompressed += h1.HeadEndLen
	for _, f := range fields {
		e.stats.HeaderUncompressed += h1.TextLen(f.Name, f.Value)
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

// OnReset implements tcp.ResetHandler: the peer reset the connection (RFC
// 9293 §3.10.7).
func (e *endpoint) OnReset(now sim.Time) {
	if !e.dead {
		e.dead = true
		e.role.broken(now, "connection reset by the peer")
	}
}

var _ tcp.ResetHandler = (*endpoint)(nil)

// OnWritable implements transport.WritableHandler.
func (e *endpoint) OnWritable(now sim.Time) {
	if !e.dead {
		e.role.writable(now)
	}
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
