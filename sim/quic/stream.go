package quic

import (
	"errors"
	"slices"

	"httpsim/sim"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// Stream ID layout (RFC 9000 §2.1): the two low bits say who opened the
// stream and whether it is bidirectional.
const (
	streamServerBit = 0x1 // initiated by the server
	streamUniBit    = 0x2 // unidirectional
)

// StreamID returns the ID of the n-th (from 0) stream of its type opened by
// the client or the server, bidirectional or not (RFC 9000 §2.1).
func StreamID(n uint64, server, bidi bool) uint64 {
	id := n << 2
	if server {
		id |= streamServerBit
	}
	if !bidi {
		id |= streamUniBit
	}
	return id
}

// IsBidi reports whether stream id is bidirectional.
func IsBidi(id uint64) bool { return id&streamUniBit == 0 }

// IsServerInitiated reports whether the server opened stream id.
func IsServerInitiated(id uint64) bool { return id&streamServerBit != 0 }

// Errors of the application API.
var (
	// ErrUnknownStream: no such stream, or not one this end can write.
	ErrUnknownStream = errors.New("quic: unknown stream or not writable here")
	// ErrClosed: the connection is closed.
	ErrClosed = errors.New("quic: connection closed")
	// ErrNotReady: the handshake does not yet allow this.
	ErrNotReady = errors.New("quic: not ready")
)

// sendStream is the sending part of a stream (RFC 9000 §3.1).
type sendStream struct {
	sendBuf
	// maxData is the peer's limit on this stream's offsets
	// (MAX_STREAM_DATA, RFC 9000 §4.1).
	maxData int64
	// blockedAt is the limit last announced in STREAM_DATA_BLOCKED, -1.
	blockedAt     int64
	blockedQueued bool
	// Reset (RFC 9000 §3.1 "Reset Sent"): RESET_STREAM queued or sent.
	reset       bool
	resetCode   uint64
	resetQueued bool
	resetAcked  bool
}

// recvStream is the receiving part of a stream (RFC 9000 §3.2).
type recvStream struct {
	recvBuf
	// maxData is the limit advertised to the peer; window the size it
	// keeps ahead of what the application has read.
	maxData, window int64
	maxQueued       bool // a MAX_STREAM_DATA is waiting to be sent
	finDelivered    bool
	reset           bool
	stopQueued      bool // STOP_SENDING waiting to be sent
	stopCode        uint64
}

// stream is one QUIC stream.
type stream struct {
	id          uint64
	send        *sendStream // nil for the peer's unidirectional streams
	recv        *recvStream // nil for our unidirectional streams
	urgency     int
	incremental bool
	// critical: new data goes before any other stream's (SetCritical).
	critical bool
	// allowed: the peer's MAX_STREAMS lets this stream be used; until then
	// its data waits (RFC 9000 §4.6).
	allowed bool
	// sendStore and recvStore are what send and recv point to, allocated
	// with the stream: most streams are bidirectional and need both.
	sendStore sendStream
	recvStore recvStream
}

// done reports whether both halves are finished, so the stream's credit
// can be returned to the peer (RFC 9000 §3.3, §4.6).
func (s *stream) done() bool {
	sendDone := s.send == nil || s.send.allAcked() || (s.send.reset && s.send.resetAcked)
	recvDone := s.recv == nil || s.recv.finDelivered || s.recv.reset
	return sendDone && recvDone
}

// streamMap holds a connection's streams and the limits on opening them.
type streamMap struct {
	// byType[t][n] is stream n of type t: a stream ID's two low bits are
	// its type and the rest its number (RFC 9000 §2.1), and each type's
	// numbers are opened in order (§3.2), so the slices stay dense and a
	// lookup is two index operations — the hottest path of the packer.
	byType [4][]*stream
	// ids lists the open streams in increasing ID order.
	ids []uint64
	// sendable lists, in increasing ID order, the open streams that may
	// still have new data or a FIN to send: every open stream with a send
	// half that is not reset and has not sent its FIN, and perhaps some
	// that since have (or were retired), which the packer drops as it
	// meets them. Packing scans it instead of ids: on a page, most open
	// streams have sent all they will.
	sendable []uint64
	// lostQueued is false only if no open stream's send half (not reset)
	// has data or a FIN to send again: set whenever a stream's loss is
	// queued, cleared by a packing pass that finds none left.
	lostQueued bool

	// nextLocal[0] and [1] count the bidirectional and unidirectional
	// streams this end opened; peerLimit the peer's MAX_STREAMS for them.
	nextLocal [2]uint64
	peerLimit [2]uint64
	// streamsBlocked[d]: STREAMS_BLOCKED queued for the limit in peerLimit.
	streamsBlocked [2]bool
	// nextPeer counts the streams the peer opened; localLimit is the limit
	// this end granted; closedPeer counts the peer's finished streams;
	// initialLimit is the configured limit.
	nextPeer     [2]uint64
	localLimit   [2]uint64
	closedPeer   [2]uint64
	initialLimit [2]uint64
	maxQueued    [2]bool
}

func dirIndex(bidi bool) int {
	if bidi {
		return 0
	}
	return 1
}

func (m *streamMap) get(id uint64) *stream {
	if l := m.byType[id&3]; id>>2 < uint64(len(l)) {
		return l[id>>2]
	}
	return nil
}

func (m *streamMap) insert(s *stream) {
	t, n := s.id&3, s.id>>2
	for uint64(len(m.byType[t])) <= n {
		m.byType[t] = append(m.byType[t], nil)
	}
	m.byType[t][n] = s
	i, _ := slices.BinarySearch(m.ids, s.id)
	m.ids = slices.Insert(m.ids, i, s.id)
	if s.send != nil {
		i, _ := slices.BinarySearch(m.sendable, s.id)
		m.sendable = slices.Insert(m.sendable, i, s.id)
	}
}

// makeSendable puts stream id back on the sendable list, if it left it.
func (m *streamMap) makeSendable(id uint64) {
	if i, ok := slices.BinarySearch(m.sendable, id); !ok {
		m.sendable = slices.Insert(m.sendable, i, id)
	}
}

func (m *streamMap) remove(id uint64) {
	if l := m.byType[id&3]; id>>2 < uint64(len(l)) {
		l[id>>2] = nil
	}
	if i, ok := slices.BinarySearch(m.ids, id); ok {
		m.ids = slices.Delete(m.ids, i, i+1)
	}
}

// newStream creates stream id with the flow-control limits of this
// connection: what we grant the peer on it, and what the peer granted us.
func (c *Conn) newStream(id uint64) *stream {
	s := &stream{id: id, urgency: DefaultUrgency}
	local := IsServerInitiated(id) == (c.role == trace.Server)
	bidi := IsBidi(id)
	peer := c.peerParams()
	if bidi || local {
		s.sendStore = sendStream{sendBuf: newSendBuf(), blockedAt: -1}
		s.send = &s.sendStore
		switch {
		case !bidi:
			s.send.maxData = int64(peer.InitialMaxStreamDataUni)
		case local:
			// The peer's limit for a stream we opened is its
			// "bidi_remote" one (RFC 9000 §18.2).
			s.send.maxData = int64(peer.InitialMaxStreamDataBidiRemote)
		default:
			s.send.maxData = int64(peer.InitialMaxStreamDataBidiLocal)
		}
	}
	if bidi || !local {
		w := c.cfg.InitialMaxStreamDataUni
		switch {
		case bidi && local:
			w = c.cfg.InitialMaxStreamDataBidiLocal
		case bidi:
			w = c.cfg.InitialMaxStreamDataBidiRemote
		}
		s.recvStore = recvStream{recvBuf: newRecvBuf(), maxData: w, window: w}
		s.recv = &s.recvStore
	}
	s.allowed = !local
	if local {
		d := dirIndex(bidi)
		s.allowed = id>>2 < c.streams.peerLimit[d]
	}
	c.streams.insert(s)
	return s
}

// streamFor returns the stream that a frame of type ft received for stream
// id refers to, opening the peer's streams up to id (RFC 9000 §3.2: "the
// first STREAM, STREAM_DATA_BLOCKED, or RESET_STREAM frame", and for a
// bidirectional stream "a MAX_STREAM_DATA or STOP_SENDING frame", creates
// it, and "streams of the same type with lower-numbered stream IDs" too).
// sendPart says whether the frame is about this end's sending part
// (STOP_SENDING, MAX_STREAM_DATA) or its receiving part (STREAM,
// RESET_STREAM, STREAM_DATA_BLOCKED). It returns nil for a stream finished
// and forgotten. A frame that no stream state allows is a connection error:
// the connection is closed and ok is false.
func (c *Conn) streamFor(now sim.Time, id uint64, ft wire.FrameType, sendPart bool) (s *stream, ok bool) {
	local := IsServerInitiated(id) == (c.role == trace.Server)
	if !IsBidi(id) && local != sendPart {
		// RFC 9000 §19.4, §19.8, §19.13: RESET_STREAM, STREAM and
		// STREAM_DATA_BLOCKED for a send-only stream; §19.5, §19.10:
		// STOP_SENDING and MAX_STREAM_DATA for a receive-only one.
		reason := "frame for a send-only stream"
		if sendPart {
			reason = "frame for a receive-only stream"
		}
		c.closeWithError(now, &wire.TransportError{Code: wire.StreamStateError, FrameType: ft, Reason: reason})
		return nil, false
	}
	if s := c.streams.get(id); s != nil {
		return s, true
	}
	d := dirIndex(IsBidi(id))
	n := id >> 2
	if local {
		if n >= c.streams.nextLocal[d] {
			// RFC 9000 §19.5, §19.8, §19.10: a frame for "a locally
			// initiated stream that has not yet been created" is a
			// STREAM_STATE_ERROR (RESET_STREAM and
			// STREAM_DATA_BLOCKED too: the peer cannot know of it).
			c.closeWithError(now, &wire.TransportError{Code: wire.StreamStateError, FrameType: ft, Reason: "frame for a stream not yet opened"})
			return nil, false
		}
		return nil, true // ours, finished and forgotten: a late frame
	}
	if n < c.streams.nextPeer[d] {
		return nil, true // finished and forgotten
	}
	if n >= c.streams.localLimit[d] {
		// RFC 9000 §4.6: "An endpoint that receives a frame with a
		// stream ID exceeding the limit it has sent MUST treat this as
		// a connection error of type STREAM_LIMIT_ERROR".
		c.closeWithError(now, &wire.TransportError{Code: wire.StreamLimitError, FrameType: ft, Reason: "stream ID beyond MAX_STREAMS"})
		return nil, false
	}
	first := c.streams.nextPeer[d]
	c.streams.nextPeer[d] = n + 1
	for k := first; k <= n; k++ {
		c.newStream(k<<2 | id&3)
	}
	if c.handler != nil {
		for k := first; k <= n && !c.closed; k++ {
			c.handler.OnStreamOpened(now, k<<2|id&3)
		}
	}
	if c.closed {
		return nil, false
	}
	return c.streams.get(id), true
}

// retire forgets a finished stream; for the peer's streams the credit goes
// back to the peer with MAX_STREAMS once half of it is used (RFC 9000 §4.6).
func (c *Conn) retire(s *stream) {
	c.streams.remove(s.id)
	local := IsServerInitiated(s.id) == (c.role == trace.Server)
	if local {
		return
	}
	d := dirIndex(IsBidi(s.id))
	sm := &c.streams
	sm.closedPeer[d]++
	if sm.localLimit[d]-sm.nextPeer[d] < sm.initialLimit[d]/2+1 {
		sm.localLimit[d] = sm.closedPeer[d] + sm.initialLimit[d]
		sm.maxQueued[d] = true
		c.scheduleSend()
	}
}
