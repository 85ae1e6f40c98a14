package updates

import (
	"fmt"
	"math/rand/v2"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/h1"
	"httpsim/sim/hol"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
)

// client is the page: it polls, or opens a WebSocket, and records when
// each event is wholly in hand.
type client struct {
	r    *Run
	conn transport.Conn

	// HTTP exchanges: one at a time on the one connection.
	head      h1.HeadReader
	inBody    bool
	bodyLeft  int64
	lastAt    sim.Time // latest arrival of the current response's bytes
	sent      int64    // requests sent (the next one's number)
	recvd     int64    // responses completed (the current one's number)
	waiting   bool     // a request is outstanding
	pollDue   bool     // a short poll fell due while waiting
	pollTimer *sim.Timer
	tracker   *hol.Tracker

	// WebSocket.
	key        string
	ws         bool
	frames     frameReader
	textFrames int64
	maskRng    *rand.Rand
	// The closing handshake (RFC 6455 §7.1.2): a Close sent, a Close
	// received, this side of the TCP connection closed.
	closeSent, closeRcvd, tcpClosed bool
}

func newClient(r *Run, conn transport.Conn, seed sim.Seed) *client {
	c := &client{r: r, conn: conn}
	c.pollTimer = r.loop.NewTimer(c.onPollTimer)
	c.tracker = hol.NewTracker(r.log, trace.Client, conn.ID())
	c.frames = frameReader{fromClient: false, keep: maxControlPayload, streamOf: c.frameStream, tracker: c.tracker}
	if r.cfg.Mode == WebSocket {
		c.key = newKey(seed.Stream("updates/ws/key"))
		// RFC 6455 §5.3: a fresh, unpredictable masking key per frame;
		// here reproducible from the seed.
		c.maskRng = seed.Stream("updates/ws/mask")
	}
	conn.SetHandler(c)
	return c
}

// OnEstablished implements transport.Handler: the connection (and TLS, if
// any) is up. Short polls start their clock now.
func (c *client) OnEstablished(now sim.Time) {
	switch c.r.cfg.Mode {
	case ShortPoll:
		c.poll(now)
		c.pollTimer.Set(now.Add(c.r.cfg.PollInterval))
	case LongPoll:
		c.poll(now)
	case WebSocket:
		head := upgradeRequest(c.r.cfg, c.r.scheme, c.key)
		c.send(now, head, "ws_upgrade")
	}
}

// OnPeerClose implements transport.Handler. Over a WebSocket the server
// closes the TCP connection first, after the Close frames (RFC 6455
// §7.1.1: the client SHOULD wait for it to); the page then closes its
// side. A server's FIN without a Close (§7.1.5: closed abnormally, 1006)
// is answered the same way.
func (c *client) OnPeerClose(now sim.Time) {
	if c.r.cfg.Mode != WebSocket || c.tcpClosed || c.r.err != nil {
		return
	}
	c.tcpClosed = true
	c.conn.Close(now)
}

// onPollTimer fires every PollInterval from the first poll, as setInterval
// would.
func (c *client) onPollTimer(now sim.Time) {
	c.poll(now)
	c.pollTimer.Set(now.Add(c.r.cfg.PollInterval))
}

// poll sends a poll, or, if one is still outstanding (the connection is
// busy: browsers do not pipeline), as soon as its answer is in.
func (c *client) poll(now sim.Time) {
	if c.r.done || c.r.err != nil {
		return
	}
	if c.waiting {
		c.pollDue = true
		return
	}
	c.send(now, pollRequest(c.r.cfg, c.r.scheme, c.r.count), "request")
}

func (c *client) send(now sim.Time, head []byte, name string) {
	c.conn.Write(now, head)
	c.waiting = true
	c.r.st.requests++
	c.r.st.httpHeaders += int64(len(head))
	c.r.log.Emit(trace.Event{At: now, Kind: trace.FrameCreated, Side: trace.Client, Conn: c.conn.ID(), Stream: c.sent,
		PN: -1, Name: name, Len: int64(len(head)), Raw: head})
	c.sent++
}

// OnRecordEnd implements tcp.RecordEndHandler: ranges a TLS record held
// are attributed once all of it has been read.
func (c *client) OnRecordEnd(sim.Time) { c.tracker.Flush() }

var _ tcp.RecordEndHandler = (*client)(nil)

// OnData implements transport.Handler: responses, then (after the
// upgrade) frames.
func (c *client) OnData(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	var rel int64
	for rel < d.N && c.r.err == nil {
		if c.ws {
			if err := c.frames.feed(d.Sub(rel, d.N-rel), at, func(f *wsFrame) error { return c.onFrame(now, f) }); err != nil {
				c.r.fail(now, trace.Client, c.conn.ID(), err)
			}
			return
		}
		if !c.waiting {
			c.r.fail(now, trace.Client, c.conn.ID(), fmt.Errorf("%d bytes with no request outstanding (RFC 9112 §9.3)", d.N-rel))
			return
		}
		c.lastAt = sim.MaxTime(c.lastAt, at.At)
		if c.inBody {
			k := min(c.bodyLeft, d.N-rel)
			rel += k
			c.bodyLeft -= k
			c.tracker.Deliver(c.recvd, k, at)
			if c.bodyLeft == 0 {
				c.complete(now)
			}
			continue
		}
		buf := make([]byte, min(d.N-rel, 4096))
		d.ReadAt(buf, rel)
		n, head, err := c.head.Feed(buf)
		rel += int64(n)
		c.tracker.Deliver(c.recvd, int64(n), at)
		if err != nil {
			c.r.fail(now, trace.Client, c.conn.ID(), err)
			return
		}
		if head != nil {
			c.onHead(now, head)
		}
	}
}

// onHead handles a response head: the 101 that opens the WebSocket, or a
// poll's answer whose body (if any) follows.
func (c *client) onHead(now sim.Time, head []byte) {
	r := c.r
	name := "response"
	if r.cfg.Mode == WebSocket {
		name = "ws_upgrade"
	}
	r.log.Emit(trace.Event{At: now, Kind: trace.FrameParsed, Side: trace.Client, Conn: c.conn.ID(), Stream: c.recvd,
		PN: -1, Name: name, Len: int64(len(head)), Raw: append([]byte(nil), head...)})
	resp, _, err := h1.ParseResponseHead(head)
	if err != nil {
		r.fail(now, trace.Client, c.conn.ID(), err)
		return
	}
	if r.cfg.Mode == WebSocket {
		if err := checkUpgradeResponse(resp, c.key); err != nil {
			r.fail(now, trace.Client, c.conn.ID(), err)
			return
		}
		c.ws, c.waiting, c.lastAt = true, false, 0
		c.recvd++
		return
	}
	switch resp.Status {
	case 204:
		c.complete(now)
	case 200:
		n := resp.ContentLength()
		if n < 0 {
			r.fail(now, trace.Client, c.conn.ID(), fmt.Errorf("poll answer without Content-Length"))
			return
		}
		c.inBody, c.bodyLeft = n > 0, n
		if n == 0 {
			c.complete(now)
		}
	default:
		r.fail(now, trace.Client, c.conn.ID(), fmt.Errorf("poll answered %d", resp.Status))
	}
}

// complete ends a poll's answer: its events are in hand. A long poll asks
// again at once (RFC 6202 §2.1); a short poll that fell due meanwhile goes
// now.
func (c *client) complete(now sim.Time) {
	r := c.r
	b := r.batches[c.recvd]
	for i := b[0]; i < b[1]; i++ {
		r.deliver(now, i, c.lastAt, c.recvd, c.conn.ID())
	}
	c.recvd++
	c.waiting, c.inBody, c.lastAt = false, false, 0
	switch {
	case r.cfg.Mode == LongPoll:
		c.poll(now)
	case c.pollDue:
		c.pollDue = false
		c.poll(now)
	}
}

// frameStream names the event a server frame carries: text frames are the
// events, in order.
func (c *client) frameStream(h FrameHeader) int64 {
	if h.Opcode == OpText {
		return c.textFrames
	}
	return -1
}

// onFrame handles a frame from the server: an event, a Ping to answer, or
// the server's Close.
func (c *client) onFrame(now sim.Time, f *wsFrame) error {
	r := c.r
	if c.closeRcvd {
		// RFC 6455 §1.4: after receiving a Close, "a peer discards any
		// further data received".
		return nil
	}
	r.traceFrameParsed(now, trace.Client, c.conn.ID(), f)
	switch f.Opcode {
	case OpText:
		i := c.textFrames
		c.textFrames++
		if i >= int64(len(r.times)) {
			return &FrameError{ClosePolicyViolation, fmt.Sprintf("event %d of %d", i, len(r.times))}
		}
		r.deliver(now, int(i), f.lastAt, -1, c.conn.ID())
		if r.cfg.Ack && !c.closeSent {
			c.sendMasked(now, OpText, ackPayload(i), i)
		}
		if r.done {
			// Every event is in: the page closes the WebSocket, the
			// closing handshake of RFC 6455 §7.1.2, with 1000 (normal
			// closure: "the purpose for which the connection was
			// established has been fulfilled", §7.4.1).
			c.sendClose(now, AppendClosePayload(nil, CloseNormal, ""))
		}
	case OpPing:
		// RFC 6455 §5.5.2: answer a Ping with a Pong carrying the same
		// application data, as browsers do by themselves, "unless it
		// already received a Close frame" (so also after sending one).
		c.sendMasked(now, OpPong, f.payload, -1)
	case OpClose:
		code, _, err := ParseClosePayload(f.payload)
		if err != nil {
			return err
		}
		c.closeRcvd = true
		// RFC 6455 §5.5.1: an endpoint that receives a Close and has
		// not sent one answers with one, echoing the status code. Then
		// (§7.1.1) the page waits for the server to close the TCP
		// connection (OnPeerClose).
		c.sendClose(now, echoClose(code))
	}
	return nil
}

// sendClose sends the page's Close frame, once, masked as every client
// frame (RFC 6455 §5.3); no data frame may follow it (§5.5.1).
func (c *client) sendClose(now sim.Time, body []byte) {
	if c.closeSent {
		return
	}
	c.closeSent = true
	c.sendMasked(now, OpClose, body, -1)
}

// sendMasked writes a client frame: masked with a fresh key (RFC 6455 §5.3).
func (c *client) sendMasked(now sim.Time, op Opcode, payload []byte, stream int64) {
	h := FrameHeader{FIN: true, Opcode: op, Mask: true}
	k := c.maskRng.Uint32()
	h.MaskingKey = [4]byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}
	c.r.writeFrame(now, c.conn, trace.Client, h, payload, 0, stream)
}
