package h3

import (
	"fmt"
	"math"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/h1"
	"httpsim/sim/hol"
	"httpsim/sim/qpack"
	"httpsim/sim/quic"
	"httpsim/sim/quic/wire"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

// Config is an HTTP/3 endpoint's behaviour; the scenario gives the same one
// to client and server.
type Config struct {
	// QPACKTableCapacity is SETTINGS_QPACK_MAX_TABLE_CAPACITY: the dynamic
	// table each decoder allows (0, the default: static table only, so no
	// stream can wait for the encoder stream — RFC 9204 §2.1.2).
	QPACKTableCapacity uint64 `json:"qpack_table_capacity"`
	// QPACKBlockedStreams is SETTINGS_QPACK_BLOCKED_STREAMS: how many
	// streams may wait for encoder-stream updates (default 16 when the
	// dynamic table is on).
	QPACKBlockedStreams uint64 `json:"qpack_blocked_streams"`
	// Scheduler decides which stream's data goes into the next packet:
	// "seq", "rr" or "urgency" (RFC 9218), as for HTTP/2.
	Scheduler string `json:"scheduler"`
}

// DefaultConfig is static-only QPACK and the RFC 9218 scheduler.
func DefaultConfig() Config { return Config{Scheduler: "urgency"} }

// Validate names the first bad field.
func (c Config) Validate() error {
	switch c.Scheduler {
	case "seq", "rr", "urgency":
	default:
		return fmt.Errorf("scheduler: %q is not a scheduler (use seq, rr or urgency)", c.Scheduler)
	}
	if c.QPACKTableCapacity > 1<<20 {
		return fmt.Errorf("qpack_table_capacity: %d is out of range (0 to 1048576)", c.QPACKTableCapacity)
	}
	if c.QPACKBlockedStreams > 1000 {
		return fmt.Errorf("qpack_blocked_streams: %d is out of range (0 to 1000)", c.QPACKBlockedStreams)
	}
	return nil
}

// QUICScheduler is the sim/quic name of the scheduler.
func (c Config) QUICScheduler() string {
	switch c.Scheduler {
	case "seq":
		return "sequential"
	case "rr":
		return "round_robin"
	}
	return "urgency"
}

// Stats count what HTTP/3 wrote: frame headers, field sections, control
// and QPACK streams (headers); DATA payloads (bodies).
type Stats struct {
	Framing, HeaderBlocks, Bodies, QPACKStreams int64
	// HeaderUncompressed is the header sections as HTTP/1.1 heads
	// (h1.TextLen), for comparison.
	HeaderUncompressed int64
}

// streamIn reads one stream the peer sends on.
type streamIn struct {
	id      uint64
	uni     bool
	typeBuf []byte // a unidirectional stream's type, being read
	typed   bool
	kind    StreamKind
	// msg is where a request stream's message is (msgStart...), for the
	// order of its frames (RFC 9114 §4.1). done: reading was abandoned
	// (the peer reset the stream, or this end refused it); nothing more
	// of it is read. (They sit in what would be padding.)
	msg uint8
	// final: the message's final header section has been read; the next
	// HEADERS frame is the trailers.
	final  bool
	done   bool
	qpack  StreamType // for QPACK streams
	reader *FrameReader
	// readerStore is a request stream's reader, allocated with the stream.
	readerStore FrameReader
	tracker     *hol.Tracker
	// A field section the QPACK decoder blocked, and when it arrived.
	blockedAt sim.Time
	blocked   bool
	// finPending: the stream ended while its field section was blocked;
	// the end is reported once the section is decoded.
	finPending bool
	blockedLen int // the blocked field section's length
	// blockedIn is the delivery whose bytes completed the blocked
	// section, and blockedN the bytes of the stream it held back then:
	// its HEADERS frame and what came after it, still in the reader.
	blockedIn tcp.Arrival
	blockedN  int64
	// held are the deliveries QUIC made while the section was blocked,
	// kept out of the reader until it is decoded: they waited for the
	// encoder stream too (RFC 9204 §2.1.2), each from when it came, and
	// are read as they came, each with its own arrival. heldBytes holds
	// their real bytes.
	held      []heldData
	heldBytes []byte
}

// heldData is one delivery of a blocked stream's bytes: real bytes
// heldBytes[off:off+n], or n bytes of filler, in parts (last ends it).
type heldData struct {
	off, n int64
	filler bool
	last   bool
	at     tcp.Arrival
	// since is when it began waiting for the encoder stream: when QUIC
	// delivered it, or when a section it came behind was decoded and
	// another blocked.
	since sim.Time
}

// roleHandler is what differs between client and server.
type roleHandler interface {
	// ready: the connection can carry requests (after the handshake, or at
	// once with 0-RTT).
	ready(now sim.Time)
	// headers reports whether the section was the message's final header
	// section (a request, or a response not interim): a HEADERS frame
	// after it carries the trailers (RFC 9114 §4.1).
	headers(now sim.Time, id uint64, fields []qpack.Field, sectionLen int) (final bool)
	data(now sim.Time, id uint64, n int64, at tcp.Arrival)
	fin(now sim.Time, id uint64)
	// reset: the peer reset stream id with an application error code.
	reset(now sim.Time, id uint64, code ErrorCode)
	settings(now sim.Time)
	goAway(now sim.Time, id uint64)
	// streamAllowed: stream id, which waited for the peer's stream limit,
	// may send (quic.StreamAllowedHandler).
	streamAllowed(now sim.Time, id uint64)
	priorityUpdate(now sim.Time, id uint64, value string)
	// closed: the QUIC connection ended (closed by either end, timed out,
	// or aborted).
	closed(now sim.Time, reason string)
}

// endpoint is one end of an HTTP/3 connection: the unidirectional control
// and QPACK streams, request streams' framing, and QPACK.
type endpoint struct {
	cfg  Config
	conn *quic.Conn
	log  *trace.Log
	side trace.Side
	role roleHandler

	enc *qpack.Encoder
	dec *qpack.Decoder

	control, encStream, decStream uint64
	open                          bool
	streams                       streamTable
	stats                         Stats
	peerSettings                  bool
	server                        bool // this end is the server

	// What the peer has done that later frames are checked against
	// (endpoint_rules.go): its control stream and QPACK streams (a bit
	// per QPACK stream type) opened, the last GOAWAY's ID, the largest
	// MAX_PUSH_ID. failed: this end closed the connection on an error.
	peerControl             bool
	peerQPACK               uint8
	goawaySeen, maxPushSeen bool
	goawayID, maxPushID     uint64
	failed                  bool

	// Scratch reused section after section: nothing keeps them past the
	// call that fills them (the roles copy fields into web messages; a
	// HEADERS frame copies its section).
	fields  []qpack.Field // a decoded field section
	section []byte        // an encoded field section, before it is framed
	// Trackers of request streams whose data has all been delivered,
	// and readers of request streams whose end the role has been told
	// of, for the next streams to reuse.
	spareTrackers []*hol.Tracker
	spareStreams  []*streamIn
}

// streamTable finds the reader of a stream by its ID. A stream ID's two low
// bits are its type and the rest its number, and each type's numbers are
// opened in order (RFC 9000 §2.1, §3.2), so a slice per type indexed by
// number stays dense: no hashing, which is slow in WebAssembly.
type streamTable struct {
	byType [4][]*streamIn
}

// get returns the reader of stream id, or nil.
func (t *streamTable) get(id uint64) *streamIn {
	if l := t.byType[id&3]; id>>2 < uint64(len(l)) {
		return l[id>>2]
	}
	return nil
}

// put makes s the reader of stream id.
func (t *streamTable) put(id uint64, s *streamIn) {
	l := &t.byType[id&3]
	for uint64(len(*l)) <= id>>2 {
		*l = append(*l, nil)
	}
	(*l)[id>>2] = s
}

func newEndpoint(cfg Config, conn *quic.Conn, log *trace.Log, side trace.Side, role roleHandler) *endpoint {
	e := &endpoint{cfg: cfg, conn: conn, log: log, side: side, role: role}
	_, e.server = role.(*Server)
	e.enc = qpack.NewEncoder()
	e.dec = qpack.NewDecoder(cfg.QPACKTableCapacity, cfg.QPACKBlockedStreams)
	// The endpoint does not send SETTINGS_MAX_FIELD_SECTION_SIZE, whose
	// default is unlimited (RFC 9114 §7.2.4.1): the decoder's own bound
	// must not refuse what the peer was allowed to send. A page with a
	// 64 KB cookie never loaded over HTTP/3. (Scenario validation bounds
	// the fields: a cookie is at most 64 KiB.)
	e.dec.SetMaxFieldSectionSize(math.MaxUint64)
	conn.SetHandler(e)
	return e
}

// start opens this side's control stream with its SETTINGS (RFC 9114
// §6.2.1) and, with a dynamic table, its QPACK encoder and decoder streams
// (RFC 9204 §4.2).
func (e *endpoint) start(now sim.Time) {
	if e.open {
		return
	}
	e.open = true
	var err error
	if e.control, err = e.conn.OpenStream(now, false); err != nil {
		return
	}
	b := AppendStreamType(nil, StreamTypeControl)
	settings := &SettingsFrame{Settings: []Setting{
		{ID: SettingQPACKMaxTableCapacity, Value: e.cfg.QPACKTableCapacity},
		{ID: SettingQPACKBlockedStreams, Value: e.cfg.QPACKBlockedStreams},
	}}
	e.conn.Write(now, e.control, settings.Append(b))
	e.stats.Framing += int64(len(b) + settings.Length())
	e.traceFrame(now, trace.FrameCreated, e.control, settings.Type(), settings.Length(), settings.Append(nil))
	if e.cfg.QPACKTableCapacity > 0 {
		e.encStream, _ = e.conn.OpenStream(now, false)
		e.conn.Write(now, e.encStream, AppendStreamType(nil, StreamTypeQPACKEncoder))
		e.decStream, _ = e.conn.OpenStream(now, false)
		e.conn.Write(now, e.decStream, AppendStreamType(nil, StreamTypeQPACKDecoder))
		// Instructions go out before request and response data: a field
		// section can wait for an insertion (RFC 9204 §2.1.2), never the
		// other way round. So does the control stream, which RFC 9114
		// §6.2.1 also calls critical: its SETTINGS say whether the peer
		// may use a dynamic table at all (RFC 9204 §3.2.3), and a peer that
		// reads an insertion before them must encode its own requests
		// with the static table. Without a dynamic table neither matters,
		// and the streams keep the scheduler's order.
		e.conn.SetCritical(e.control)
		e.conn.SetCritical(e.encStream)
		e.conn.SetCritical(e.decStream)
		e.stats.QPACKStreams += 2
		e.enc.SetStrategy(qpack.StrategyDynamic)
	}
}

// traceFrame traces a frame of type t and length n (its payload counted
// even if raw leaves it out). It takes the frame's type and length rather
// than the frame, so that frames built to be sent need not be boxed.
func (e *endpoint) traceFrame(now sim.Time, k trace.Kind, id uint64, t FrameType, n int, raw []byte) {
	e.log.Emit(trace.Event{At: now, Kind: k, Side: e.side, Conn: e.conn.ID(), Stream: int64(id), PN: -1,
		Name: t.String(), Len: int64(n), Raw: raw})
}

// writeHeaders encodes fields with QPACK and writes a HEADERS frame on id;
// encoder instructions go first on the encoder stream.
func (e *endpoint) writeHeaders(now sim.Time, id uint64, fields []qpack.Field) int {
	section, encoder := e.enc.AppendFieldSection(e.section[:0], nil, id, fields, nil)
	e.section = section
	if len(encoder) > 0 {
		e.conn.Write(now, e.encStream, encoder)
		e.stats.QPACKStreams += int64(len(encoder))
		e.log.Emit(trace.Event{At: now, Kind: trace.FrameCreated, Side: e.side, Conn: e.conn.ID(), Stream: int64(e.encStream), PN: -1,
			Name: "qpack_encoder", Len: int64(len(encoder)), Raw: encoder})
	}
	e.stats.HeaderUncompressed += h1.HeadEndLen
	for _, f := range fields {
		e.stats.HeaderUncompressed += h1.TextLen(f.Name, f.Value)
	}
	f := HeadersFrame{EncodedFieldSection: section}
	b := f.Append(make([]byte, 0, f.Length())) // kept by the trace
	e.conn.Write(now, id, b)
	e.stats.Framing += int64(len(b) - len(section))
	e.stats.HeaderBlocks += int64(len(section))
	e.traceFrame(now, trace.FrameCreated, id, f.Type(), f.Length(), b)
	return len(section)
}

// writeData writes a DATA frame of n filler bytes on id.
func (e *endpoint) writeData(now sim.Time, id uint64, n int64) {
	f := DataFrame{DataLen: uint64(n)}
	hdr := f.AppendHeader(make([]byte, 0, f.HeaderLen())) // kept by the trace
	e.conn.Write(now, id, hdr)
	e.conn.WriteFiller(now, id, n)
	e.stats.Framing += int64(len(hdr))
	e.stats.Bodies += n
	e.traceFrame(now, trace.FrameCreated, id, f.Type(), f.Length(), hdr)
}

// OnReady implements quic.Handler.
func (e *endpoint) OnReady(now sim.Time) {
	e.start(now)
	e.role.ready(now)
}

// OnHandshakeDone implements quic.Handler.
func (e *endpoint) OnHandshakeDone(sim.Time) {}

// OnHandshakeComplete implements quic.CompletionHandler: a client's
// requests held out of 0-RTT data go now.
func (e *endpoint) OnHandshakeComplete(now sim.Time) {
	if cc, ok := e.role.(*clientConn); ok {
		cc.send(now)
	}
}

var _ quic.StreamAllowedHandler = (*endpoint)(nil)

// OnStreamAllowed implements quic.StreamAllowedHandler: a stream of ours
// that waited for the peer's MAX_STREAMS may send.
func (e *endpoint) OnStreamAllowed(now sim.Time, id uint64) { e.role.streamAllowed(now, id) }

// OnStreamOpened implements quic.Handler.
func (e *endpoint) OnStreamOpened(now sim.Time, id uint64) { e.in(id) }

// in returns the reader of stream id, creating it.
func (e *endpoint) in(id uint64) *streamIn {
	s := e.streams.get(id)
	if s == nil {
		if k := len(e.spareStreams); k > 0 {
			s = e.spareStreams[k-1]
			e.spareStreams = e.spareStreams[:k-1]
			spare := s.readerStore.sparePayload // the reader's memory stays
			*s = streamIn{id: id, uni: !quic.IsBidi(id)}
			s.readerStore.sparePayload = spare
		} else {
			s = &streamIn{id: id, uni: !quic.IsBidi(id)}
		}
		if !s.uni {
			s.typed, s.kind = true, StreamRequest
			s.readerStore.reset(StreamRequest)
			s.readerStore.reuseFrames() // frames handles each before the next
			s.reader = &s.readerStore
			if k := len(e.spareTrackers); k > 0 {
				s.tracker = e.spareTrackers[k-1]
				e.spareTrackers = e.spareTrackers[:k-1]
				s.tracker.Reset(e.log, e.side, e.conn.ID())
			} else {
				s.tracker = hol.NewTracker(e.log, e.side, e.conn.ID())
			}
		}
		e.streams.put(id, s)
	}
	return s
}

// finished hands the role the end of request stream s, whose data has all
// been delivered and read; s is then done with, and its reader is kept for
// a stream to come.
func (e *endpoint) finished(now sim.Time, s *streamIn) {
	e.role.fin(now, s.id)
	if e.streams.get(s.id) == s {
		e.streams.put(s.id, nil)
		e.spareStreams = append(e.spareStreams, s)
	}
}

// OnStreamData implements quic.Handler: frames of request and control
// streams, instructions of QPACK streams.
func (e *endpoint) OnStreamData(now sim.Time, id uint64, d bytestream.Slice, at tcp.Arrival) {
	s := e.in(id)
	if s.tracker != nil {
		s.tracker.Deliver(int64(id), d.N, at)
	}
	if e.failed || s.done {
		return
	}
	var rel int64
	if !s.typed {
		// A unidirectional stream starts with its type (RFC 9114 §6.2).
		for rel < d.N && !s.typed {
			var b [1]byte
			d.ReadAt(b[:], rel)
			rel++
			s.typeBuf = append(s.typeBuf, b[0])
			if len(s.typeBuf) == wire.VarintEncodedLen(s.typeBuf[0]) {
				t, _, err := ParseStreamType(s.typeBuf)
				if err != nil {
					e.fail(now, errStreamType)
					return
				}
				s.typed = true
				if err := e.typed(s, t); err != nil {
					e.fail(now, err)
					return
				}
			}
		}
		if rel == d.N {
			return
		}
		d = d.Sub(rel, d.N-rel)
	}
	if s.reader == nil {
		e.qpackStream(now, s, d)
		return
	}
	if s.blocked {
		s.hold(now, d, at)
		return
	}
	s.feed(d)
	e.frames(now, s, at)
}

// feed hands d to the stream's frame reader.
func (s *streamIn) feed(d bytestream.Slice) {
	d.Each(func(real []byte, filler int64) {
		if real != nil {
			s.reader.Feed(real)
		} else {
			s.reader.FeedFiller(uint64(filler))
		}
	})
}

// hold keeps d, delivered at now, until the stream's blocked field section
// is decoded.
func (s *streamIn) hold(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	first := len(s.held)
	d.Each(func(real []byte, filler int64) {
		h := heldData{off: int64(len(s.heldBytes)), n: filler, filler: real == nil, at: at, since: now}
		if real != nil {
			h.n = int64(len(real))
			s.heldBytes = append(s.heldBytes, real...)
		}
		s.held = append(s.held, h)
	})
	if len(s.held) > first {
		s.held[len(s.held)-1].last = true
	}
}

// blockedWaits counts the wait for the encoder stream (RFC 9204 §2.1.2) of
// every byte of stream st its blocked field section holds back, until now:
// the bytes read when it blocked (its HEADERS frame and what came with it)
// from then, and each delivery held back since from when it came. Both the
// section's decoding (unblock) and the connection's stop (OnStopped) end
// the wait here.
func (e *endpoint) blockedWaits(now sim.Time, st *streamIn) {
	id := int64(st.id)
	hol.Emit(e.log, e.side, e.conn.ID(), id, st.blockedN, st.blockedAt, now, hol.CauseQPACK, "encoder stream")
	var n int64
	for i := range st.held {
		h := &st.held[i]
		n += h.n
		if h.last {
			hol.Emit(e.log, e.side, e.conn.ID(), id, n, h.since, now, hol.CauseQPACK, "encoder stream")
			n = 0
		}
		h.since = now
	}
}

// unblock reads stream s on once its blocked field section, fields, is
// decoded: first what the reader held, then the deliveries held back, each
// as it came, once their waits are counted (blockedWaits).
func (e *endpoint) unblock(now sim.Time, st *streamIn, fields []qpack.Field) {
	e.blockedWaits(now, st)
	st.blocked = false
	if st.msg != msgTrailers && e.role.headers(now, st.id, fields, st.blockedLen) {
		st.final = true
	}
	e.frames(now, st, st.blockedIn)
	i := 0
	for i < len(st.held) && !st.blocked && !e.failed && !st.done {
		for {
			h := st.held[i]
			i++
			if h.filler {
				st.reader.FeedFiller(uint64(h.n))
			} else {
				st.reader.Feed(st.heldBytes[h.off : h.off+h.n])
			}
			if h.last {
				break
			}
		}
		e.frames(now, st, st.held[i-1].at)
	}
	if i > len(st.held) {
		return // abandoned meanwhile: what it kept went with it
	}
	st.held = st.held[:copy(st.held, st.held[i:])]
	if len(st.held) == 0 {
		st.heldBytes = st.heldBytes[:0]
	}
}

// frames handles whatever complete frames the stream's reader holds.
func (e *endpoint) frames(now sim.Time, s *streamIn, at tcp.Arrival) {
	for !s.blocked && !s.done {
		before := s.reader.DataRead()
		f, ok, err := s.reader.Next()
		if err != nil || !ok {
			if n := int64(s.reader.DataRead() - before); n > 0 {
				e.role.data(now, s.id, n, at)
			}
			if err != nil {
				e.fail(now, err) // RFC 9114 §7.1, §7.2
			}
			return
		}
		if n := int64(s.reader.DataRead() - before); n > 0 {
			e.role.data(now, s.id, n, at)
		}
		if s.kind == StreamRequest {
			if t := f.Type(); t == FrameData || t == FrameHeaders {
				if err := s.message(t); err != nil {
					e.fail(now, err)
					return
				}
			}
		} else if err := e.controlFrame(f); err != nil {
			e.fail(now, err)
			return
		}
		switch f := f.(type) {
		case *DataFrame:
			e.traceFrame(now, trace.FrameParsed, s.id, f.Type(), f.Length(), f.AppendHeader(make([]byte, 0, f.HeaderLen())))
		case *HeadersFrame:
			e.traceFrame(now, trace.FrameParsed, s.id, f.Type(), f.Length(), f.Append(make([]byte, 0, f.Length())))
			fields, blocked, err := e.dec.AppendFieldSection(e.fields[:0], s.id, f.EncodedFieldSection, nil)
			e.fields = fields
			if err != nil {
				// RFC 9204 §2.2.3: "If the decoder encounters a reference
				// in a field line representation to a dynamic table
				// entry that has already been evicted or that has an
				// absolute index greater than or equal to the declared
				// Required Insert Count, it MUST treat this as a
				// connection error of type QPACK_DECOMPRESSION_FAILED";
				// §6 likewise for any section it cannot interpret.
				e.fail(now, err)
				return
			}
			if blocked {
				// RFC 9204 §2.2.1: the stream waits for the encoder
				// stream; its bytes are held back (QPACK head-of-line):
				// the frame, what came with it, and what comes next.
				s.blocked, s.blockedAt, s.blockedLen = true, now, len(f.EncodedFieldSection)
				s.blockedIn, s.blockedN = at, int64(f.Length())+int64(s.reader.Buffered())
				return
			}
			e.acknowledge(now)
			if s.msg != msgTrailers && e.role.headers(now, s.id, fields, len(f.EncodedFieldSection)) {
				s.final = true
			}
		case *SettingsFrame:
			e.traceFrame(now, trace.FrameParsed, s.id, f.Type(), f.Length(), f.Append(nil))
			capacity, _ := f.Get(SettingQPACKMaxTableCapacity)
			blocked, _ := f.Get(SettingQPACKBlockedStreams)
			e.enc.SetPeerSettings(capacity, blocked)
			e.peerSettings = true
			e.role.settings(now)
		case *GoawayFrame:
			e.traceFrame(now, trace.FrameParsed, s.id, f.Type(), f.Length(), f.Append(nil))
			e.role.goAway(now, f.ID)
		case *PriorityUpdateFrame:
			e.traceFrame(now, trace.FrameParsed, s.id, f.Type(), f.Length(), f.Append(nil))
			e.role.priorityUpdate(now, f.PrioritizedElementID, f.PriorityFieldValue)
		case *PushPromiseFrame:
			e.fail(now, e.pushPromise())
			return
		}
	}
}

// qpackStream takes QPACK instructions from the peer.
func (e *endpoint) qpackStream(now sim.Time, s *streamIn, d bytestream.Slice) {
	b := d.Bytes()
	switch s.qpack {
	case StreamTypeQPACKEncoder:
		if len(b) > 0 {
			// The encoder's instructions reach this decoder: its dynamic
			// table grows now, not when they were written (RFC 9204
			// §4.3), which is what a reader of the trace needs to
			// replay it. The bytes are in the sender's qpack_encoder
			// events.
			e.log.Emit(trace.Event{At: now, Kind: trace.FrameParsed, Side: e.side, Conn: e.conn.ID(), Stream: int64(s.id), PN: -1,
				Name: "qpack_encoder", Len: int64(len(b))})
		}
		sections, err := e.dec.FeedEncoderStream(b, nil)
		// The sections decoded before an error are handed on; the
		// error then closes the connection (RFC 9204 §6).
		for _, sec := range sections {
			if e.failed {
				return
			}
			st := e.streams.get(sec.StreamID)
			if st == nil || st.done || sec.Err != nil {
				continue
			}
			e.unblock(now, st, sec.Fields)
			if !st.blocked && st.finPending && !e.failed {
				st.finPending = false
				e.end(now, st)
			}
		}
		if err != nil {
			e.fail(now, err)
			return
		}
		e.acknowledge(now)
	case StreamTypeQPACKDecoder:
		if err := e.enc.FeedDecoderStream(b, nil); err != nil {
			e.fail(now, err)
		}
	}
}

// acknowledge sends pending decoder-stream instructions (Section
// Acknowledgment, Insert Count Increment; RFC 9204 §4.4).
func (e *endpoint) acknowledge(now sim.Time) {
	if e.cfg.QPACKTableCapacity == 0 {
		return
	}
	if b := e.dec.AppendDecoderStream(nil, nil); len(b) > 0 {
		e.conn.Write(now, e.decStream, b)
		e.stats.QPACKStreams += int64(len(b))
	}
}

// OnStreamFin implements quic.Handler.
func (e *endpoint) OnStreamFin(now sim.Time, id uint64) {
	s := e.streams.get(id)
	if s == nil || e.failed {
		return
	}
	if s.critical() {
		e.fail(now, errClosedCritical)
		return
	}
	if !s.uni {
		// QUIC delivers no data after the end of a stream: its
		// tracker has seen all it will see.
		if s.tracker != nil {
			e.spareTrackers = append(e.spareTrackers, s.tracker)
			s.tracker = nil
		}
		if s.done {
			return
		}
		if s.blocked {
			s.finPending = true
			return
		}
		e.end(now, s)
	}
}

// end hands the role the end of request stream s, all of whose frames have
// been read: "When a stream terminates cleanly, if the last frame on the
// stream was truncated, this MUST be treated as a connection error of type
// H3_FRAME_ERROR" (RFC 9114 §7.1).
func (e *endpoint) end(now sim.Time, s *streamIn) {
	if err := s.reader.Close(); err != nil {
		e.fail(now, err)
		return
	}
	e.finished(now, s)
}

// OnStreamHeld implements quic.HeldHandler: a request stream's bytes held
// behind a hole when the connection stopped waited for their own stream's
// lost bytes until then, as QUIC streams wait for nothing else.
func (e *endpoint) OnStreamHeld(now sim.Time, id uint64, n int64, arrived sim.Time) {
	if s := e.streams.get(id); s != nil && s.tracker != nil && arrived < now {
		hol.Emit(e.log, e.side, e.conn.ID(), int64(id), n, arrived, now, hol.CauseLoss, "")
	}
}

// OnStopped implements quic.HeldHandler: what a field section still
// blocked on the encoder stream when the connection stopped held back
// waited until then, as it would have until its decoding (blockedWaits).
func (e *endpoint) OnStopped(now sim.Time) {
	for t := range e.streams.byType {
		for _, s := range e.streams.byType[t] {
			if s != nil && s.blocked && !s.done && s.blockedAt < now {
				e.blockedWaits(now, s)
			}
		}
	}
}

var _ quic.HeldHandler = (*endpoint)(nil)

// OnClosed implements quic.ClosedHandler.
func (e *endpoint) OnClosed(now sim.Time, reason string) { e.role.closed(now, reason) }

// OnStreamReset implements quic.Handler.
func (e *endpoint) OnStreamReset(now sim.Time, id uint64, code uint64) {
	if e.failed {
		return
	}
	if s := e.streams.get(id); s != nil {
		if s.critical() {
			e.fail(now, errClosedCritical)
			return
		}
		if !s.uni {
			e.abandon(now, s)
		}
	}
	e.role.reset(now, id, ErrorCode(code))
}
