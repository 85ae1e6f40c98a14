package quic

import (
	"math/rand/v2"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

// Handler is the application above a connection (HTTP/3). Stream data are
// handed up in order per stream and are valid only during the call: copy
// the real bytes you keep.
type Handler interface {
	// OnReady: the application may open streams and write. The client is
	// ready when the handshake completes, or at once with 0-RTT; the
	// server once it has sent its handshake flight (0.5-RTT data).
	OnReady(now sim.Time)
	// OnHandshakeDone: the handshake is confirmed (RFC 9001 §4.1.2).
	OnHandshakeDone(now sim.Time)
	// OnStreamOpened: the peer opened stream id.
	OnStreamOpened(now sim.Time, id uint64)
	// OnStreamData: the next in-order bytes of stream id, which reached
	// the transport at at.At and became in order at at.InOrder.
	OnStreamData(now sim.Time, id uint64, d bytestream.Slice, at tcp.Arrival)
	// OnStreamFin: every byte of stream id has been delivered and the
	// peer ended it.
	OnStreamFin(now sim.Time, id uint64)
	// OnStreamReset: the peer abandoned stream id (RESET_STREAM).
	OnStreamReset(now sim.Time, id uint64, code uint64)
}

// ClosedHandler is optionally implemented by a Handler that wants to know
// when the connection ends: the peer closed it, this end closed it, or it
// timed out idle (reason "closed", "idle_timeout").
type ClosedHandler interface {
	OnClosed(now sim.Time, reason string)
}

// HeldHandler is optionally implemented by a Handler that measures waits
// (sim/hol). Stream bytes held behind a hole when the connection stops
// (closed, timed out, aborted, or the run ends with it open) never become
// in order, and their wait, which lasted until then, would go uncounted:
// FlushHeld reports each range held, stream by stream in ID order, with
// when it arrived. A QUIC stream's bytes wait only for its own. OnStopped
// follows, once, for waits of the handler's own.
type HeldHandler interface {
	OnStreamHeld(now sim.Time, id uint64, n int64, arrived sim.Time)
	OnStopped(now sim.Time)
}

// Sender is where a connection puts its datagrams: the host's outgoing link.
type Sender interface {
	Send(now sim.Time, p link.Packet)
}

// Router is a Sender that reaches several addresses (a server whose client
// moved to another network): datagrams go to the address the connection
// currently uses for its peer.
type Router interface {
	SendTo(now sim.Time, addr int, p link.Packet)
}

// Conn is one end of a QUIC connection.
type Conn struct {
	id int32
	// role is which end of the protocol this is (Client or Server); side
	// is the vantage point its trace events carry, which differs for an
	// edge: a server to the browser, a client to the origin.
	role    trace.Side
	side    trace.Side
	cfg     Config
	loop    *sim.Loop
	log     *trace.Log
	out     Sender
	router  Router // out as a Router on a server (setOutput), else nil
	handler Handler
	rng     *rand.Rand

	spaces [wire.NumSpaces]pnSpace
	rec    *recovery
	hs     handshake
	cids   connIDs

	streams streamMap
	sched   Scheduler
	flow    connFlow
	ctrl    controlQueue
	path    pathState

	sendTimer *sim.Timer // packetizes at the end of the instant
	// paceTimer sends on after a burst of an initial window (burst).
	paceTimer *sim.Timer
	burst     burstLimit
	lossTimer *sim.Timer
	ackTimer  *sim.Timer
	idleTimer *sim.Timer
	// idleArmedBySend: the idle timer was restarted by sending an
	// ack-eliciting packet since the last packet received (RFC 9000 §10.1).
	idleArmedBySend bool

	buffered []*bufferedPacket // packets waiting for keys (RFC 9001 §5.7)
	// keyWait is how long the packet being processed waited for its keys
	// (0 for one processed as it arrived).
	keyWait time.Duration
	scratch []Ready
	free    []*building        // packets sent or discarded, reused by the packer
	rx      *wire.ElidedParser // frames received, reused packet after packet
	// Where the lists that outlive a packet are carved from: its Raw
	// bytes, its Data ranges, its sentPacket frame records.
	raws       slab[byte]
	dataRanges slab[bytestream.Slice]
	sentFrames slab[sentFrame]
	datagrams  datagramPool // datagrams sent and processed by the peer
	closed     bool
	// flushed: FlushHeld has run; the waits are all counted.
	flushed bool
	closing closingState
	stats   Stats
	metrics metricsSeen
}

// pnSpace is one packet number space (RFC 9000 §12.3) from this end: its
// packet numbers, acknowledgement state, and crypto stream.
type pnSpace struct {
	nextPN    uint64
	ack       ackState
	crypto    sendBuf
	cryptoIn  recvBuf
	hsIn      hsReader
	keys      bool // packets of this space can be sent and processed
	discarded bool
	probes    int // PTO probe packets owed (RFC 9002 §6.2.4)
}

// connFlow is connection-level flow control (RFC 9000 §4.1).
type connFlow struct {
	// Sending: the peer's MAX_DATA and the sum over streams of the
	// largest offset sent.
	peerMax, sent int64
	blockedAt     int64 // limit last announced in DATA_BLOCKED
	blockedQueued bool
	// Receiving: the limit advertised, the sum of largest offsets
	// received, and of bytes delivered to the application.
	max, received, consumed int64
	maxQueued               bool
}

// NewConn creates one end of connection id. Connection IDs and path
// challenges draw from rng.
func NewConn(id int32, side trace.Side, cfg Config, loop *sim.Loop, log *trace.Log, out Sender, rng *rand.Rand) *Conn {
	c := &Conn{id: id, role: side, side: side, cfg: cfg, loop: loop, log: log, out: out, rng: rng,
		raws:       newSlab[byte](512, 16<<10),
		dataRanges: newSlab[bytestream.Slice](32, 1024),
		sentFrames: newSlab[sentFrame](32, 1024),
	}
	c.setOutput(out)
	c.sched, _ = NewScheduler(cfg.Scheduler)
	if c.sched == nil {
		c.sched = &Urgency{}
	}
	c.rec = newRecovery(&c.cfg, side == trace.Server, NewNewReno(cfg.MaxDatagramSize))
	for i := range c.spaces {
		sp := &c.spaces[i]
		sp.ack.init()
		sp.crypto = newSendBuf()
		sp.cryptoIn = newRecvBuf()
	}
	c.spaces[wire.SpaceInitial].keys = true
	c.streams.initialLimit = [2]uint64{uint64(cfg.InitialMaxStreamsBidi), uint64(cfg.InitialMaxStreamsUni)}
	c.streams.localLimit = c.streams.initialLimit
	c.flow.max = cfg.InitialMaxData
	c.flow.blockedAt = -1
	c.path.validated = side == trace.Client
	c.hs.init(c)
	c.cids.init(c)
	c.sendTimer = loop.NewTimer(c.flush)
	c.paceTimer = loop.NewTimer(c.flush)
	c.lossTimer = loop.NewTimer(c.onLossTimer)
	c.ackTimer = loop.NewTimer(func(now sim.Time) { c.flush(now) })
	c.idleTimer = loop.NewTimer(c.onIdleTimeout)
	return c
}

// ID is the connection's number in the run.
func (c *Conn) ID() int32 { return c.id }

// Side is the endpoint this end belongs to, as its trace events name it.
func (c *Conn) Side() trace.Side { return c.side }

// SetTraceSide makes the end's trace events carry side, before it sends or
// receives anything: an edge's QUIC server end is trace.Edge. Its role
// (client or server) is the one NewConn gave it.
func (c *Conn) SetTraceSide(side trace.Side) { c.side = side }

// Config returns the connection's configuration.
func (c *Conn) Config() Config { return c.cfg }

// SetHandler attaches the application.
func (c *Conn) SetHandler(h Handler) { c.handler = h }

// SetOutput moves the connection to another outgoing path.
func (c *Conn) SetOutput(out Sender) { c.setOutput(out) }

// setOutput makes out the outgoing path. A server sends through it as a
// Router if it is one; the type assertion is made here, once, rather than
// for every datagram.
func (c *Conn) setOutput(out Sender) {
	c.out = out
	c.router = nil
	if r, ok := out.(Router); ok && c.role == trace.Server {
		c.router = r
	}
}

// InEarlyData reports whether the client's stream data written now goes
// in 0-RTT packets: its handshake has not completed (RFC 9001 §4.6.1), and
// the server has not rejected 0-RTT (§4.6.2).
func (c *Conn) InEarlyData() bool {
	return c.role == trace.Client && c.hs.early && !c.hs.complete
}

// CompletionHandler is implemented by handlers that hold requests back
// from 0-RTT data (RFC 8470 §4, which RFC 9114 §10.9 applies to HTTP/3):
// they are told when the handshake completes.
type CompletionHandler interface {
	OnHandshakeComplete(now sim.Time)
}

// HandshakeComplete reports whether the TLS handshake has completed here.
func (c *Conn) HandshakeComplete() bool { return c.hs.complete }

// HandshakeConfirmed reports whether the handshake is confirmed (RFC 9001
// §4.1.2).
func (c *Conn) HandshakeConfirmed() bool { return c.hs.confirmed }

// Closed reports whether the connection is closed.
func (c *Conn) Closed() bool { return c.closed }

// scheduleSend packetizes at the end of the current instant, so that the
// writes and frames of one instant share full packets.
func (c *Conn) scheduleSend() {
	if !c.closed && !c.sendTimer.IsSet() {
		c.sendTimer.Set(c.loop.Now())
	}
}

// StreamAllowedHandler is implemented by handlers that want to know when a
// stream they opened beyond the peer's stream limit may send: its data
// waited for the peer's MAX_STREAMS (RFC 9000 §4.6), or for its transport
// parameters.
type StreamAllowedHandler interface {
	OnStreamAllowed(now sim.Time, id uint64)
}

// OpenStream opens a stream of this end. Its data waits until the peer's
// stream limit allows it (RFC 9000 §4.6); STREAMS_BLOCKED tells the peer,
// StreamAllowed says whether it may send yet, and a StreamAllowedHandler
// is told when it may.
func (c *Conn) OpenStream(now sim.Time, bidi bool) (uint64, error) {
	if c.closed {
		return 0, ErrClosed
	}
	if !c.hs.ready {
		return 0, ErrNotReady
	}
	d := dirIndex(bidi)
	n := c.streams.nextLocal[d]
	c.streams.nextLocal[d]++
	id := StreamID(n, c.role == trace.Server, bidi)
	s := c.newStream(id)
	if !s.allowed {
		c.streams.streamsBlocked[d] = true
		c.scheduleSend()
	}
	return id, nil
}

// StreamAllowed reports whether stream id, opened by this end, is within
// the peer's stream limit: its data may be sent (RFC 9000 §4.6).
func (c *Conn) StreamAllowed(id uint64) bool {
	s := c.streams.get(id)
	return s != nil && s.allowed
}

// writable returns the sending half of stream id, if this end may write.
func (c *Conn) writable(id uint64) (*sendStream, error) {
	if c.closed {
		return nil, ErrClosed
	}
	s := c.streams.get(id)
	if s == nil || s.send == nil || s.send.finalSize >= 0 || s.send.reset {
		return nil, ErrUnknownStream
	}
	return s.send, nil
}

// Write queues real bytes on stream id.
func (c *Conn) Write(now sim.Time, id uint64, p []byte) error {
	s, err := c.writable(id)
	if err != nil {
		return err
	}
	s.buf.Write(p)
	c.scheduleSend()
	return nil
}

// WriteFiller queues n bytes whose content does not matter (a body).
func (c *Conn) WriteFiller(now sim.Time, id uint64, n int64) error {
	s, err := c.writable(id)
	if err != nil {
		return err
	}
	s.buf.WriteFiller(n)
	c.scheduleSend()
	return nil
}

// CloseStream ends stream id after the bytes written (a FIN).
func (c *Conn) CloseStream(now sim.Time, id uint64) error {
	s, err := c.writable(id)
	if err != nil {
		return err
	}
	s.close()
	c.scheduleSend()
	return nil
}

// ResetStream abandons the sending part of stream id (RESET_STREAM, RFC
// 9000 §19.4): nothing more of it is sent or retransmitted.
func (c *Conn) ResetStream(now sim.Time, id uint64, code uint64) error {
	st := c.streams.get(id)
	if c.closed || st == nil || st.send == nil || st.send.reset {
		return ErrUnknownStream
	}
	s := st.send
	s.reset, s.resetCode, s.resetQueued = true, code, true
	s.lost = nil
	s.finLost = false
	c.ctrl.streamFlags = true
	c.scheduleSend()
	return nil
}

// StopSending asks the peer to stop sending on stream id (STOP_SENDING,
// RFC 9000 §19.5).
func (c *Conn) StopSending(now sim.Time, id uint64, code uint64) error {
	st := c.streams.get(id)
	if c.closed || st == nil || st.recv == nil {
		return ErrUnknownStream
	}
	st.recv.stopQueued, st.recv.stopCode = true, code
	c.ctrl.streamFlags = true
	c.scheduleSend()
	return nil
}

// SetScheduler replaces the scheduler that picks which stream's data a
// packet carries next; call it before any stream has data. An HTTP/3
// client orders its own requests whatever order the server gives its
// responses.
func (c *Conn) SetScheduler(s Scheduler) { c.sched = s }

// SetPriority sets the RFC 9218 priority of stream id: urgency 0 (most
// urgent) to 7, and whether its data may be interleaved with others'.
func (c *Conn) SetPriority(id uint64, urgency int, incremental bool) {
	if s := c.streams.get(id); s != nil {
		s.urgency = min(max(urgency, 0), MaxUrgency)
		s.incremental = incremental
	}
}

// SetCritical makes stream id critical: for streams the peer needs in order
// to read the others. A packet takes critical streams' lost data first,
// then other streams' lost data, then critical streams' new data, and only
// then asks the scheduler. HTTP/3 marks its control stream and QPACK
// encoder and decoder streams so when it uses a dynamic table: a field
// section that refers to an entry cannot be decoded before the instruction
// inserting it arrives (RFC 9204 §2.1.2), so an insertion held back behind
// response bodies would block the very streams it serves. Nothing caps a
// critical stream's share: it is for small streams.
func (c *Conn) SetCritical(id uint64) {
	if s := c.streams.get(id); s != nil {
		s.critical = true
	}
}

// Unsent is the number of bytes written on stream id not yet sent once.
func (c *Conn) Unsent(id uint64) int64 {
	if s := c.streams.get(id); s != nil && s.send != nil {
		return s.send.unsent()
	}
	return 0
}

// Close closes the connection with an application error code
// (CONNECTION_CLOSE of type 0x1d, RFC 9000 §10.2): one packet is sent,
// then the connection stops, answering what the peer still sends with
// the same frame for a while (the closing state, §10.2.1).
func (c *Conn) Close(now sim.Time, code uint64, reason string) {
	if c.closed {
		return
	}
	c.ctrl.close = &wire.ConnectionCloseFrame{IsApplicationError: true, ErrorCode: code, ReasonPhrase: reason}
	c.enterClosing(now, false)
}

// LoseState closes the connection as a server that crashed or restarted
// would: it knows the connection no more, and answers each of the peer's
// packets with a Stateless Reset (RFC 9000 §10.3), which ends the
// connection as a CONNECTION_CLOSE does; modelled as one, carrying code,
// sent at once and then in answer for as long as the peer sends.
func (c *Conn) LoseState(now sim.Time, code uint64, reason string) {
	if c.closed {
		return
	}
	c.ctrl.close = &wire.ConnectionCloseFrame{IsApplicationError: true, ErrorCode: code, ReasonPhrase: reason}
	c.enterClosing(now, true)
}

// closeWithError closes the connection on a transport error.
func (c *Conn) closeWithError(now sim.Time, err *wire.TransportError) {
	if c.closed {
		return
	}
	c.ctrl.close = &wire.ConnectionCloseFrame{ErrorCode: uint64(err.Code), FrameType: err.FrameType, ReasonPhrase: err.Reason}
	c.enterClosing(now, false)
}

// enterClosing sends the CONNECTION_CLOSE in c.ctrl.close, stops the
// connection, and keeps the frame for the closing state (RFC 9000
// §10.2.1): "An endpoint in the closing state sends a packet containing a
// CONNECTION_CLOSE frame in response to any incoming packet that it
// attributes to the connection", for at least three times the PTO
// (§10.2). One lost close left a peer without an idle timeout waiting for
// ever. forever: answer for as long as the peer sends (LoseState).
func (c *Conn) enterClosing(now sim.Time, forever bool) {
	f := c.ctrl.close
	c.flush(now)
	until := now.Add(3 * c.rec.rtt.pto(c.cfg.Granularity, c.rec.maxAckDelay))
	if forever {
		until = sim.Never
	}
	c.closing = closingState{frame: f, until: until}
	c.stop(now, "closed")
}

// closingState is what a connection closed by this end keeps to answer
// the peer (RFC 9000 §10.2.1).
type closingState struct {
	frame *wire.ConnectionCloseFrame // nil: not closing (closed silently, or by the peer)
	until sim.Time
	seen  int // datagrams received while closing
}

// replyClosing answers datagram in, which arrived after this end closed,
// at the address it came from (the peer may have moved since). "An
// endpoint SHOULD limit the rate at which it generates packets in the
// closing state", for instance after a progressively increasing number of
// received packets (§10.2.1): the 1st, 2nd, 4th, 8th... A server that lost
// its state answers each one, as with a Stateless Reset, which is smaller
// than the packet it answers (§10.3), so no loop can follow.
func (c *Conn) replyClosing(now sim.Time, in *Datagram) {
	cs := &c.closing
	if cs.frame == nil || now >= cs.until {
		return
	}
	cs.seen++
	if cs.until != sim.Never && cs.seen&(cs.seen-1) != 0 {
		return
	}
	peer := c.path.peer
	if c.role == trace.Server {
		c.path.peer = in.Src
	}
	if !c.path.validated {
		// The anti-amplification limit counts what arrives while closing
		// too (RFC 9000 §8.1): a server whose credit the 0.5-RTT data had
		// spent could not send its close, nor ever answer.
		c.path.received += int64(in.Size)
	}
	c.ctrl.close = cs.frame // buildDatagram builds only the close then
	d := c.buildDatagram(now)
	c.ctrl.close = nil
	c.rec.ampLimited = false // nothing to resume: the connection is closed
	if d != nil {
		c.sendDatagram(now, d)
	}
	c.path.peer = peer
}

// Abort drops the connection silently (the host left the network), and
// answers nothing more.
func (c *Conn) Abort() {
	c.closing = closingState{}
	c.stop(c.loop.Now(), "")
}

// FlushHeld ends the waits of the stream bytes held behind holes at now,
// when the connection stops or the run does (see HeldHandler). Only the
// first call acts.
func (c *Conn) FlushHeld(now sim.Time) {
	if c.flushed {
		return
	}
	c.flushed = true
	h, ok := c.handler.(HeldHandler)
	if !ok {
		return
	}
	for _, id := range c.streams.ids {
		if s := c.streams.get(id); s != nil && s.recv != nil && !s.recv.reset {
			for _, p := range s.recv.pieces {
				h.OnStreamHeld(now, id, p.end-p.start, p.arrived)
			}
		}
	}
	h.OnStopped(now)
}

func (c *Conn) stop(now sim.Time, state string) {
	if c.closed {
		return
	}
	c.FlushHeld(now)
	c.closed = true
	c.sendTimer.Stop()
	c.paceTimer.Stop()
	c.lossTimer.Stop()
	c.ackTimer.Stop()
	c.idleTimer.Stop()
	if state != "" {
		c.traceState(now, state)
		if ch, ok := c.handler.(ClosedHandler); ok {
			ch.OnClosed(now, state)
		}
	}
}

// idleTimeout is the effective idle timeout (RFC 9000 §10.1): the smaller
// of the two ends' max_idle_timeout, at least three times the PTO.
func (c *Conn) idleTimeout() time.Duration {
	d := c.cfg.IdleTimeout
	if p := c.peerParams().MaxIdleTimeout; c.hs.peer != nil && p > 0 && (d == 0 || p < d) {
		d = p
	}
	if d == 0 {
		return 0
	}
	return max(d, 3*c.rec.rtt.pto(c.cfg.Granularity, c.rec.maxAckDelay))
}

// restartIdle restarts the idle timer: on every packet received, and on
// the first ack-eliciting packet sent after one (RFC 9000 §10.1).
func (c *Conn) restartIdle(now sim.Time) {
	if d := c.idleTimeout(); d > 0 && !c.closed {
		c.idleTimer.Set(now.Add(d))
	}
}

// onIdleTimeout closes the connection silently (RFC 9000 §10.1).
func (c *Conn) onIdleTimeout(now sim.Time) { c.stop(now, "idle_timeout") }

func (c *Conn) traceState(now sim.Time, name string) {
	c.log.Emit(trace.Event{At: now, Kind: trace.ConnectionStateUpdated, Side: c.side, Conn: c.id, Stream: -1, PN: -1, Name: name})
}

// peerParams returns the peer's transport parameters as known so far: its
// declared ones, the remembered ones of a resumed session before those
// arrive (RFC 9000 §7.4.1), or the defaults (nothing granted).
func (c *Conn) peerParams() *wire.TransportParameters {
	if c.hs.peer != nil {
		return c.hs.peer
	}
	return &c.hs.none
}
