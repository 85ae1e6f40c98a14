package tcp

import (
	"math/rand/v2"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/link"
	"httpsim/sim/trace"
)

// State is the connection state (RFC 9293 §3.3.2), reduced to what the
// simulator distinguishes. The closing states are not among them: the
// FINs and their ACKs go as RFC 9293 §3.6 has them, but a close shows in
// the trace as "peer_closed", with no FIN-WAIT, CLOSE-WAIT, LAST-ACK or
// TIME-WAIT (and no 2·MSL wait) in between.
type State string

const (
	Closed      State = "closed"
	Listen      State = "listen"
	SynSent     State = "syn_sent"
	SynReceived State = "syn_received"
	Established State = "established"
)

// Handler is the application above a connection.
type Handler interface {
	// OnEstablished: the three-way handshake completed.
	OnEstablished(now sim.Time)
	// OnData: the next in-order bytes of the peer's stream are available.
	// The slice is valid during the call only.
	OnData(now sim.Time, d bytestream.Slice, at Arrival)
	// OnPeerClose: the peer's FIN arrived after all its data.
	OnPeerClose(now sim.Time)
}

// Arrival says when delivered bytes reached the receiving transport and when
// they became in order there. InOrder-At is the time they waited in the
// reassembly buffer for a hole before them: head-of-line blocking. A layer
// above TCP may deliver them later still: TLS hands a record on when all of
// it has arrived, and when a loss held the record back, its bytes' InOrder
// becomes that moment.
type Arrival struct {
	At, InOrder sim.Time
	// Retransmitted: the bytes came in a retransmitted segment, their
	// first transmission lost (or late). A TLS record holding such bytes
	// was held back by the loss as a whole.
	Retransmitted bool
	// HeldByRecord: TLS raised InOrder to when a hole inside the bytes'
	// record was repaired (or the bytes waited, and their record holds a
	// retransmission); the bytes that repaired it come later in the same
	// record, so the receiver learns whose they were, and when they
	// arrived, only then.
	HeldByRecord bool
	// HeldFrom, with HeldByRecord, is when the hole inside the record
	// began to hold the bytes back: when the record would have been
	// complete had none of it been lost (the latest arrival of its bytes
	// that came in first transmissions), or when TCP delivered them if
	// that was later. No byte of a record is usable before it is
	// complete, loss or not, so the wait the hole caused starts there,
	// not at At.
	HeldFrom sim.Time
	// TCPInOrder, with HeldByRecord, is when TCP delivered the bytes
	// (InOrder before TLS raised it): bytes that arrived after an earlier
	// hole waited in TCP for it from At until then.
	TCPInOrder sim.Time
}

// RecordEndHandler is implemented by a Handler above TLS that measures
// waits (see sim/hol): it is told when the pieces of a record have all
// been handed up.
type RecordEndHandler interface {
	OnRecordEnd(now sim.Time)
}

// WritableHandler is optionally implemented by a Handler that writes just in
// time (an HTTP/2 scheduler): OnWritable is called after an ACK when the bytes
// written but not yet sent have fallen to the low-water mark or below.
type WritableHandler interface {
	OnWritable(now sim.Time)
}

// SentHandler is optionally implemented by a Handler that measures how long
// written bytes waited behind the bytes written before them (an HTTP/1.1
// server's pipelined responses): while WatchSent is on, OnSent is called
// after a send that took new bytes out of the send buffer for the first
// time, and Conn.Sent says how far they now reach. OnSent must not write:
// it runs inside the sender's loop.
type SentHandler interface {
	OnSent(now sim.Time)
}

// HeldHandler is optionally implemented by a Handler that measures waits
// (sim/hol). Bytes held behind a hole when the connection stops (aborted,
// reset, dropped, or the run ends with it open) never become in order, and
// their wait, which lasted until then, would go uncounted. FlushHeld hands
// them up through OnHeld, in stream order, as they would have been
// delivered had the holes been filled at the stop: each hole's bytes, read
// from the sender's stream, as arriving then (Retransmitted), and each range
// held with when it arrived. Whose bytes filled the holes says what the
// held ones waited for, as with a real repair. OnStopped follows, once,
// with or without held bytes, for waits of the handler's own. Neither may
// act on the bytes: the connection is over.
type HeldHandler interface {
	OnHeld(now sim.Time, d bytestream.Slice, at Arrival)
	OnStopped(now sim.Time)
}

// Sender is where a connection puts its segments: the host's outgoing link.
type Sender interface {
	Send(now sim.Time, p link.Packet)
}

// Conn is one end of a TCP connection.
type Conn struct {
	id      int32
	side    trace.Side
	cfg     Config
	loop    *sim.Loop
	log     *trace.Log
	out     Sender
	handler Handler
	// writable is handler as a WritableHandler, or nil: asserted once in
	// SetHandler instead of on every segment (an interface assertion is a
	// lookup in the runtime's itab table).
	writable WritableHandler
	// sent is handler as a SentHandler while WatchSent is on, else nil.
	sent SentHandler
	// watchSent: WatchSent is on (kept apart from sent so that the
	// handler may be set before or after).
	watchSent bool

	state  State
	sackOK bool // both ends offered SACK
	// wscale is the window scale shift this end announces on its SYN and
	// applies to the windows it writes on the wire (RFC 7323 §2); only an
	// export of the segments reads it (see AppendWire).
	wscale uint8
	pn     int64
	// reset: this end reset the connection (Reset), and answers what
	// still arrives with RST; an aborted one (a host gone) answers nothing.
	reset bool
	// flushed: FlushHeld has run; the waits are all counted.
	flushed bool
	// flushDue: FlushHeld was asked for while the receiver was handing
	// bytes to the handler (an Abort from inside OnData); it runs once
	// that delivery has returned (receiver.onSegment).
	flushDue   bool
	synTimer   sim.Timer
	synSentAt  sim.Time
	synBackoff int
	// synResends counts the SYN (or SYN-ACK) sent again; Karn's rule
	// takes no RTT sample from a handshake that needed one.
	synResends int
	sendTimer  sim.Timer

	snd sender
	rcv receiver

	lowWater int64
	segsIn   int64

	// segs is where this end's segments come from: its own pool, or one
	// shared with the other connections of the run.
	segs    *SegmentPool
	ownSegs SegmentPool
}

// NewConn creates one end of connection id. Its initial sequence number is
// drawn from rng (RFC 9293 §3.4.1 asks for unpredictable ISNs; here they are
// reproducible from the seed, and they exercise the wrap-around arithmetic).
func NewConn(id int32, side trace.Side, cfg Config, loop *sim.Loop, log *trace.Log, out Sender, rng *rand.Rand) *Conn {
	c := &Conn{id: id, side: side, cfg: cfg, loop: loop, log: log, out: out, state: Closed, lowWater: -1}
	c.segs = &c.ownSegs
	c.snd.init(c)
	c.rcv.init(c)
	c.snd.iss = Seq(rng.Uint32())
	c.wscale = WindowShift(cfg.RecvBuffer)
	loop.InitTimer(&c.synTimer, c.onHandshakeTimeout)
	loop.InitTimer(&c.sendTimer, c.snd.trySend)
	return c
}

// ID is the connection number.
func (c *Conn) ID() int32 { return c.id }

// Side is the endpoint this end belongs to.
func (c *Conn) Side() trace.Side { return c.side }

// SetHandler attaches the application.
func (c *Conn) SetHandler(h Handler) {
	c.handler = h
	c.writable, _ = h.(WritableHandler)
	c.sent = nil
	if c.watchSent {
		c.sent, _ = h.(SentHandler)
	}
}

// WatchSent turns the handler's OnSent calls on or off (off by default:
// only a handler that measures waits in the send buffer needs them).
func (c *Conn) WatchSent(on bool) {
	c.watchSent = on
	c.sent = nil
	if on {
		c.sent, _ = c.handler.(SentHandler)
	}
}

// Sent is the number of written bytes sent at least once: the stream offset
// SND.NXT has reached, without the FIN. Bytes past it wait in the send
// buffer, for the windows or for the end of the instant they were written
// in (see scheduleSend).
func (c *Conn) Sent() int64 { return min(c.snd.sndNxt, c.snd.buf.Len()) }

// SetOutput moves the connection to another outgoing path.
func (c *Conn) SetOutput(out Sender) { c.out = out }

// State is the connection state.
func (c *Conn) State() State { return c.state }

func (c *Conn) established() bool { return c.state == Established }

// Listen makes this end wait for a SYN (passive open).
func (c *Conn) Listen() { c.state = Listen }

// Connect starts the three-way handshake (active open, RFC 9293 §3.5).
func (c *Conn) Connect(now sim.Time) {
	c.state = SynSent
	c.traceState(now, "syn_sent")
	c.sendSYN(now)
}

// Write queues real bytes for sending.
func (c *Conn) Write(now sim.Time, p []byte) {
	if c.snd.finQueued {
		panic("tcp: write after close")
	}
	c.snd.buf.Write(p)
	c.scheduleSend(now)
}

// WriteFiller queues n bytes whose content does not matter (a body).
func (c *Conn) WriteFiller(now sim.Time, n int64) {
	if c.snd.finQueued {
		panic("tcp: write after close")
	}
	c.snd.buf.WriteFiller(n)
	c.scheduleSend(now)
}

// Close queues a FIN after the data written so far (half-close, RFC 9293
// §3.6).
func (c *Conn) Close(now sim.Time) {
	if c.snd.finQueued {
		return
	}
	c.snd.finQueued = true
	c.snd.dataEnd = c.snd.buf.Len()
	c.scheduleSend(now)
}

// scheduleSend sends what was written at the end of the current instant, so
// that writes made together (a record header, its payload and its tag; HTTP
// headers and the body after them) leave in full segments rather than one
// segment per write, as a kernel's send buffer and autocorking have it.
func (c *Conn) scheduleSend(now sim.Time) {
	if !c.sendTimer.IsSet() {
		c.sendTimer.Set(now)
	}
}

// Abort stops the connection without a word to the peer: its timers stop
// and it ignores what arrives (a host that left the network). Bytes held
// behind a hole waited until now (FlushHeld). Called from inside OnData,
// it stops the delivery: the handler gets no more of it, and the bytes it
// did not get are flushed, with the held ones, once OnData has returned.
func (c *Conn) Abort() {
	c.FlushHeld(c.loop.Now())
	c.state = Closed
	c.snd.rto.Stop()
	c.snd.persist.Stop()
	c.rcv.delack.Stop()
	c.synTimer.Stop()
	c.sendTimer.Stop()
}

// FlushHeld ends the waits of the bytes held behind holes at now, when the
// connection stops or the run does (see HeldHandler). Only the first call
// acts. Asked for while the receiver is delivering bytes to the handler, it
// runs after the delivery returns: the handler's OnHeld never runs inside
// its own OnData, nor the layers' above it inside theirs.
func (c *Conn) FlushHeld(now sim.Time) {
	if c.flushed {
		return
	}
	if c.rcv.delivering {
		c.flushDue = true
		return
	}
	c.flushed = true
	h, ok := c.handler.(HeldHandler)
	if !ok {
		return
	}
	r := &c.rcv
	pos := r.rcvNxt
	for _, p := range r.ooo {
		if r.peer == nil {
			break // no bytes to read (a test's segments without a stream)
		}
		if p.end <= pos {
			continue // delivered before a stop inside the delivery
		}
		if p.start > pos {
			h.OnHeld(now, bytestream.Slice{Buf: r.peer, Off: pos, N: p.start - pos}, Arrival{At: now, InOrder: now, Retransmitted: true})
		}
		from := max(p.start, pos)
		h.OnHeld(now, bytestream.Slice{Buf: r.peer, Off: from, N: p.end - from}, Arrival{At: p.arrived, InOrder: now, Retransmitted: p.retx})
		pos = p.end
	}
	h.OnStopped(now)
}

// Drop aborts the connection, as Abort does, and traces its end as
// "dropped": the host forgot it (its peer's address went away), so that
// nothing of it is counted as in flight afterwards.
func (c *Conn) Drop(now sim.Time) {
	if c.state == Closed {
		return
	}
	c.traceState(now, "dropped")
	c.Abort()
}

// Reset aborts the connection with a RST segment (RFC 9293 §3.5.2): the peer
// learns at once that the connection is gone, and anything unsent is lost.
func (c *Conn) Reset(now sim.Time) {
	if c.state == Closed {
		return
	}
	c.sendRST(now)
	c.traceState(now, "reset")
	c.Abort()
	c.reset = true
}

// sendRST sends a reset: Reset's, and the one a segment arriving for a
// connection this end reset gets (RFC 9293 §3.10.7.1), the same since
// nothing was sent after it.
func (c *Conn) sendRST(now sim.Time) {
	seg := c.newSegment()
	seg.Seq, seg.Flags = c.snd.wire(c.snd.sndNxt), trace.FlagRST|trace.FlagACK
	seg.relSeq = c.snd.sndNxt + 1
	c.fillAck(seg)
	c.emitAndSend(now, seg)
}

// ResetHandler is optionally implemented by a Handler that wants to know a
// connection was reset rather than closed; others get OnPeerClose.
type ResetHandler interface {
	OnReset(now sim.Time)
}

// Unsent is the number of bytes written but not yet sent once.
func (c *Conn) Unsent() int64 { return c.snd.unsent() }

// Written is the number of bytes the application has written.
func (c *Conn) Written() int64 { return c.snd.buf.Len() }

// Acked is the number of written bytes the peer has acknowledged.
func (c *Conn) Acked() int64 { return min(c.snd.sndUna, c.snd.buf.Len()) }

// SetLowWater asks for OnWritable calls whenever the unsent bytes are at or
// below n after an ACK (like Linux's TCP_NOTSENT_LOWAT). n < 0 disables it.
func (c *Conn) SetLowWater(n int64) { c.lowWater = n }

// SetAutoRead chooses whether delivered bytes count as read at once (the
// default) or only when the application calls Consume, so that a slow
// reader shrinks the advertised window (flow control).
func (c *Conn) SetAutoRead(on bool) { c.rcv.autoRead = on }

// Consume tells the receiver the application has read n delivered bytes.
func (c *Conn) Consume(now sim.Time, n int64) { c.rcv.consume(now, n) }

// SenderState returns a snapshot of the sending half.
func (c *Conn) SenderState() SenderState { return c.snd.snapshot() }

// ReceiverState returns a snapshot of the receiving half.
func (c *Conn) ReceiverState() ReceiverState { return c.rcv.snapshot() }

// SetSegmentPool makes the connection take its segments from p, shared
// with other connections of the same run. Call it before the connection
// sends anything.
func (c *Conn) SetSegmentPool(p *SegmentPool) { c.segs = p }

// newSegment returns a cleared segment, reused if one is free.
func (c *Conn) newSegment() *Segment { return c.segs.get() }

// Receive implements host.Endpoint.
func (c *Conn) Receive(now sim.Time, p link.Packet) {
	seg, ok := p.(*Segment)
	if !ok {
		return
	}
	c.receive(now, seg)
	seg.recycle()
}

func (c *Conn) receive(now sim.Time, seg *Segment) {
	if c.state == Closed {
		if c.reset && !seg.Flags.Has(trace.FlagRST) {
			// A connection this end reset answers whatever still comes
			// with another RST (RFC 9293 §3.10.7.1), so that a peer whose
			// first RST was lost learns it all the same.
			c.sendRST(now)
		}
		return
	}
	c.segsIn++
	e := trace.Event{At: now, Kind: trace.PacketReceived}
	seg.Describe(&e)
	e.Side = c.side
	c.log.Emit(e)

	if seg.Flags.Has(trace.FlagRST) {
		// RFC 9293 §3.10.7: a reset in the window aborts the connection
		// (RFC 5961's stricter check is not needed: no one here spoofs).
		if c.state != Listen {
			c.traceState(now, "reset_by_peer")
			c.Abort()
			if rh, ok := c.handler.(ResetHandler); ok {
				rh.OnReset(now)
			} else if c.handler != nil {
				c.handler.OnPeerClose(now)
			}
		}
		return
	}
	switch c.state {
	case Listen:
		if seg.Flags.Has(trace.FlagSYN) && !seg.Flags.Has(trace.FlagACK) {
			c.rcv.irs = seg.Seq
			c.sackOK = c.cfg.SACK && seg.sackPermitted
			c.state = SynReceived
			c.traceState(now, "syn_received")
			c.sendSYN(now)
		}
		return
	case SynSent:
		if seg.Flags.Has(trace.FlagSYN | trace.FlagACK) {
			if seg.Ack != c.snd.iss.Add(1) {
				return
			}
			c.rcv.irs = seg.Seq
			c.sackOK = c.cfg.SACK && seg.sackPermitted
			c.handshakeDone(now, seg)
			c.sendAck(now) // the third segment of the handshake
			if c.handler != nil {
				c.handler.OnEstablished(now)
			}
			c.snd.trySend(now)
		}
		return
	case SynReceived:
		if seg.Flags.Has(trace.FlagSYN) && !seg.Flags.Has(trace.FlagACK) {
			// Our SYN-ACK was lost: the client sent its SYN again. Unless
			// our timer has just sent it again, at this very instant.
			if c.synSentAt != now {
				c.sendSYN(now)
			}
			return
		}
		if !seg.Flags.Has(trace.FlagACK) || seg.Ack != c.snd.iss.Add(1) {
			return
		}
		c.handshakeDone(now, seg)
		if c.handler != nil {
			c.handler.OnEstablished(now)
		}
		// The ACK may carry data already: fall through.
	}
	if seg.Flags.Has(trace.FlagSYN) {
		// A retransmitted SYN-ACK: our ACK was lost; repeat it.
		c.sendAck(now)
		return
	}
	if seg.Flags.Has(trace.FlagProbe) && seg.Data.N == 0 {
		c.sendAck(now)
	}
	if seg.Flags.Has(trace.FlagACK) {
		c.snd.onAck(now, seg)
	}
	if c.state == Closed {
		return // aborted by a handler while the ACK was processed
	}
	c.rcv.onSegment(now, seg)
	if c.state == Closed {
		return // aborted by the handler during the delivery
	}
	if c.writable != nil && c.lowWater >= 0 && c.snd.unsent() <= c.lowWater && !c.snd.finQueued {
		c.writable.OnWritable(now)
	}
}

func (c *Conn) handshakeDone(now sim.Time, seg *Segment) {
	c.synTimer.Stop()
	c.state = Established
	if c.synResends == 0 {
		// The handshake gives the first RTT sample (RFC 6298 §3 allows
		// it; Karn's rule excludes a retransmitted SYN).
		c.snd.rtt.sample(now.Sub(c.synSentAt))
	} else if !c.snd.rtt.hasSample {
		// RFC 6298 §5.7: after a lost SYN, start data with RTO 3 s.
		c.snd.rtt.rto = c.snd.rtt.clamp(3 * c.cfg.InitialRTO)
	}
	if c.synResends >= 2 {
		// RFC 5681 §3.1: after a lost SYN or SYN-ACK the initial window
		// is one segment. RFC 6928 §2 recommends keeping the larger one
		// "unless there have been more than one SYN or SYN/ACK
		// retransmissions" (one may come from a slow path, not loss), as
		// Linux does.
		c.snd.cc.SetCwnd(c.snd.mss())
	}
	c.snd.sndWnd = seg.Wnd
	c.snd.maxWnd = seg.Wnd
	c.traceState(now, "established")
	c.snd.metrics(now)
}

func (c *Conn) traceState(now sim.Time, name string) {
	c.log.Emit(trace.Event{At: now, Kind: trace.ConnectionStateUpdated, Side: c.side, Conn: c.id, Stream: -1, PN: -1, Name: name})
}

// sendSYN sends a SYN (client) or SYN-ACK (server) and arms its timer.
func (c *Conn) sendSYN(now sim.Time) {
	seg := c.newSegment()
	seg.Seq, seg.Flags, seg.sackPermitted = c.snd.iss, trace.FlagSYN, c.cfg.SACK
	seg.mss = uint16(c.cfg.MSS)
	seg.relSeq = 0
	if c.state == SynReceived {
		seg.Flags |= trace.FlagACK
		seg.Ack = c.rcv.irs.Add(1)
		seg.relAck = 1
	}
	// RFC 7323 §2.2: "The window field in a segment where the SYN bit is
	// set (i.e., a <SYN> or <SYN,ACK>) MUST NOT be scaled": it offers at
	// most 65,535 bytes, and the peer may send no more until a scaled
	// window arrives (a 4 MiB buffer's offer went whole into sndWnd).
	seg.Wnd = min(c.rcv.window(), 0xffff)
	if c.synBackoff > 0 || c.state == SynReceived && c.synTimer.IsSet() {
		c.synResends++
		seg.Retransmit = true
	}
	c.synSentAt = now
	c.emitAndSend(now, seg)
	// Doubling stops at MaxRTO: past about 33 doublings a duration in
	// nanoseconds overflows, and a negative timeout fired at once, over
	// and over at one instant (a 1 bps link hung the run).
	d := c.cfg.InitialRTO
	for i := 0; i < c.synBackoff && d < c.cfg.MaxRTO; i++ {
		d *= 2
	}
	c.synTimer.Set(now.Add(min(d, c.cfg.MaxRTO)))
}

// onHandshakeTimeout retransmits the SYN or SYN-ACK with back-off (RFC 6298
// §5.5 applies to SYNs too).
func (c *Conn) onHandshakeTimeout(now sim.Time) {
	if c.state != SynSent && c.state != SynReceived {
		return
	}
	c.synBackoff++
	c.log.Emit(trace.Event{At: now, Kind: trace.LossTimerUpdated, Side: c.side, Conn: c.id, Stream: -1, PN: -1, Name: "rto", Len: int64(c.synBackoff)})
	c.sendSYN(now)
}

// transmitData sends the bytes [start, end) of the stream (or the FIN at
// end, if fin) with the current ACK, and returns the segment's PN.
func (c *Conn) transmitData(now sim.Time, start, end int64, fin, retransmit bool) int64 {
	dataEnd := end
	if fin {
		dataEnd = min(end, c.snd.dataEnd)
	}
	seg := c.newSegment()
	seg.Seq, seg.Flags, seg.Retransmit = c.snd.wire(start), trace.FlagACK, retransmit
	seg.relSeq = start + 1
	if dataEnd > start {
		seg.Data = bytestream.Slice{Buf: &c.snd.buf, Off: start, N: dataEnd - start}
		seg.Flags |= trace.FlagPSH
	}
	if fin {
		seg.Flags |= trace.FlagFIN
	}
	c.fillAck(seg)
	return c.emitAndSend(now, seg)
}

// sendAck sends a segment with no data: an acknowledgement, a window update
// or a duplicate ACK with SACK blocks.
func (c *Conn) sendAck(now sim.Time) {
	if c.state != Established && c.state != SynSent {
		return
	}
	seg := c.newSegment()
	seg.Seq, seg.Flags = c.snd.wire(c.snd.sndNxt), trace.FlagACK
	seg.relSeq = c.snd.sndNxt + 1
	c.fillAck(seg)
	c.emitAndSend(now, seg)
}

// sendProbe sends a zero-window probe (see sender.onPersist).
func (c *Conn) sendProbe(now sim.Time) {
	seg := c.newSegment()
	seg.Seq, seg.Flags = c.snd.wire(c.snd.sndUna-1), trace.FlagACK|trace.FlagProbe
	seg.relSeq = c.snd.sndUna
	c.fillAck(seg)
	c.emitAndSend(now, seg)
}

// fillAck stamps the receiver's side onto an outgoing segment: ACK number,
// window and SACK blocks. Any pending delayed ACK rides along.
func (c *Conn) fillAck(seg *Segment) {
	seg.Ack = c.rcv.ackSeq()
	seg.relAck = c.rcv.relAck()
	seg.Wnd = c.rcv.window()
	c.rcv.advertise(seg.Wnd)
	c.rcv.sackBlocks(seg)
	c.rcv.unackedBytes = 0
	c.rcv.ackNow = false
	c.rcv.delack.Stop()
}

// emitAndSend traces and sends seg, and returns its PN. The segment is no
// longer ours once sent: the peer may recycle it.
func (c *Conn) emitAndSend(now sim.Time, seg *Segment) int64 {
	seg.Conn = c.id
	seg.From = c.side
	seg.PN = c.pn
	seg.wscale = c.wscale
	c.pn++
	e := trace.Event{At: now, Kind: trace.PacketSent}
	seg.Describe(&e)
	c.log.Emit(e)
	c.out.Send(now, seg)
	return e.PN
}

// peerClosed is called by the receiver when the FIN has been consumed.
func (c *Conn) peerClosed(now sim.Time) {
	c.traceState(now, "peer_closed")
	if c.handler != nil {
		c.handler.OnPeerClose(now)
	}
}

// FinAcked reports whether our FIN has been acknowledged.
func (c *Conn) FinAcked() bool { return c.snd.finAcked }

// PeerClosed reports whether the peer's FIN has been consumed.
func (c *Conn) PeerClosed() bool { return c.rcv.finDone }

// TCP returns c itself: a TCP connection is the bottom of its own stack.
func (c *Conn) TCP() *Conn { return c }
