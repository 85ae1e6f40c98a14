package h1

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/hol"
	"httpsim/sim/slab"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
	"httpsim/sim/web"
)

// Config is a browser's HTTP/1.x behaviour towards one origin.
type Config struct {
	// MaxConns is the number of connections the pool may open to the
	// origin at once (browsers: 6).
	MaxConns int `json:"max_conns"`
	// Pipelining sends requests on a busy connection without waiting for
	// the responses before them (RFC 9112 §9.3.2); responses still come
	// back in request order.
	Pipelining bool `json:"pipelining"`
	// MaxPipeline is how many requests may be outstanding on one
	// connection when pipelining (default 6).
	MaxPipeline int `json:"max_pipeline,omitempty"`
	// HTTP10 speaks HTTP/1.0: one request per connection, closed by the
	// server after the response.
	HTTP10 bool `json:"http10"`
}

// DefaultConfig is a browser's: six persistent connections, no pipelining.
func DefaultConfig() Config { return Config{MaxConns: 6, MaxPipeline: 6} }

// Validate names the first bad field.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if c.MaxConns < 1 || c.MaxConns > 64 {
		bad("max_conns: %d is out of range (1 to 64)", c.MaxConns)
	}
	if c.Pipelining && (c.MaxPipeline < 1 || c.MaxPipeline > 100) {
		bad("max_pipeline: %d is out of range (1 to 100)", c.MaxPipeline)
	}
	if c.Pipelining && c.HTTP10 {
		bad("pipelining: HTTP/1.0 has no persistent connections to pipeline on")
	}
	return errors.Join(errs...)
}

// Dialer opens a new connection to the origin and starts connecting it; the
// pool attaches its handler before the connection can become established.
type Dialer func(now sim.Time) transport.Conn

// Pool is a browser's connection pool for one origin: it queues requests by
// priority and hands each to the first connection that can take it, opening
// connections up to MaxConns as demand requires.
type Pool struct {
	cfg  Config
	log  *trace.Log
	dial Dialer

	queue []*pending
	conns []*clientConn
	seq   int
	// retryFrom is the number of connections there were when one last
	// failed: its retried requests go on connections opened since.
	retryFrom int
	// Stats
	opened int

	// raw holds the heads the trace keeps; headBuf is scratch space for
	// writing one.
	raw     slab.Bytes
	headBuf []byte
}

type pending struct {
	req *web.Request
	x   web.Exchange
	seq int
	// minConn: a retried request goes only on connections opened after
	// the failure (index in the pool's list at least this).
	minConn int
}

var _ web.Fetcher = (*Pool)(nil)

// NewPool returns an empty pool.
func NewPool(cfg Config, log *trace.Log, dial Dialer) *Pool {
	if cfg.MaxPipeline == 0 {
		cfg.MaxPipeline = 6
	}
	return &Pool{cfg: cfg, log: log, dial: dial}
}

// Opened is the number of connections the pool has opened.
func (p *Pool) Opened() int { return p.opened }

// Conns returns the pool's connections, open or closed, in opening order.
func (p *Pool) Conns() []transport.Conn {
	out := make([]transport.Conn, len(p.conns))
	for i, c := range p.conns {
		out[i] = c.tc
	}
	return out
}

// Fetch implements web.Fetcher.
func (p *Pool) Fetch(now sim.Time, req *web.Request, x web.Exchange) {
	p.seq++
	r := &pending{req: req, x: x, seq: p.seq}
	if req.Retry {
		// Not len(p.conns): the first retries of a failure open new
		// connections, and the next ones would then wait for a
		// connection after those, which a pool at its limit (one
		// connection, pipelined) never opens.
		r.minConn = p.retryFrom
	}
	p.queue = append(p.queue, r)
	// Chrome's scheduler: higher priority first, then discovery order.
	slices.SortFunc(p.queue, func(a, b *pending) int {
		if c := cmp.Compare(a.req.Urgency, b.req.Urgency); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	p.dispatch(now)
}

// dispatch gives queued requests to connections and opens new ones.
func (p *Pool) dispatch(now sim.Time) {
	// held counts unsafe requests kept out of early data: they wait for a
	// handshake under way, not for a new connection.
	held := 0
	for i := 0; i < len(p.queue); {
		r := p.queue[i]
		safe := web.Safe(r.req.Method)
		c := p.pick(r.minConn, safe)
		if c == nil {
			if !safe && p.pick(r.minConn, true) != nil {
				// RFC 8470 §4: an unsafe request never goes as
				// early data; the safe ones behind it may.
				held++
				i++
				continue
			}
			break
		}
		p.queue = slices.Delete(p.queue, i, i+1) // shifts, so appends reuse the array
		c.send(now, r)
	}
	connecting, live := held, 0
	for _, c := range p.conns {
		if c.closed {
			continue
		}
		live++
		if !c.ready {
			connecting++
		}
	}
	for len(p.queue) > connecting && live < p.cfg.MaxConns {
		p.open(now)
		connecting++
		live++
	}
}

// pick returns the connection the next request should go on: an idle one
// first, then (pipelining) the least loaded one with room. An unsafe
// request (safe false) takes none still sending early data.
func (p *Pool) pick(minConn int, safe bool) *clientConn {
	var best *clientConn
	for _, c := range p.conns[minConn:] {
		if !c.ready || c.closed || c.closing || !safe && c.inEarlyData() {
			continue
		}
		n := len(c.inflight)
		if p.cfg.HTTP10 && c.sent > 0 {
			continue // HTTP/1.0: one request per connection
		}
		if n == 0 {
			return c
		}
		if p.cfg.Pipelining && n < p.cfg.MaxPipeline && (best == nil || n < len(best.inflight)) && !c.awaitsUnsafe() && (!c.retry || c.recvd > 0) {
			best = c
		}
	}
	return best
}

// awaitsUnsafe reports whether a non-idempotent request on c still waits
// for its response: nothing is pipelined behind it until its final status
// arrives (RFC 9112 §9.3.2), since a failure would leave the requests after
// it unsafe to retry.
func (c *clientConn) awaitsUnsafe() bool {
	for _, r := range c.inflight {
		if !web.Idempotent(r.req.Method) {
			return true
		}
	}
	return false
}

func (p *Pool) open(now sim.Time) {
	tc := p.dial(now)
	c := &clientConn{pool: p, tc: tc, tracker: hol.NewTracker(p.log, tc.TCP().Side(), tc.ID()), retry: p.retryFrom > 0}
	tc.SetHandler(c)
	p.conns = append(p.conns, c)
	p.opened++
}

// clientConn is one connection of the pool.
type clientConn struct {
	pool    *Pool
	tc      transport.Conn
	ready   bool
	closing bool // the server said Connection: close, or HTTP/1.0
	closed  bool
	sent    int64 // requests sent (the next one's number)

	inflight []*pending // sent, waiting for their responses, in order
	recvd    int64      // responses completed (the current one's number)
	// retry: the connection was opened after another failed, to retry
	// its requests, and pipelines only once a response has completed on
	// it (RFC 9112 §9.3.2: "a client MUST NOT pipeline immediately after
	// connection establishment", since the first request may have caused
	// the failure and would lose the others again).
	retry bool

	head    headReader
	resp    *web.Response
	headLen int
	body    *bodyReader // &bodyBuf while a response body is read, else nil
	bodyBuf bodyReader
	tracker *hol.Tracker
	held    heldRead
}

func (c *clientConn) send(now sim.Time, r *pending) {
	p := c.pool
	if p.headBuf == nil {
		p.headBuf = make([]byte, 0, headBufSize)
	}
	head := appendRequestHead(p.headBuf[:0], r.req, p.cfg.HTTP10)
	p.headBuf = head
	c.tc.Write(now, head)
	if r.req.Body > 0 {
		c.tc.WriteFiller(now, r.req.Body)
	}
	stream := c.sent
	c.sent++
	c.inflight = append(c.inflight, r)
	c.pool.log.Emit(trace.Event{At: now, Kind: trace.FrameCreated, Side: c.tc.TCP().Side(), Conn: c.tc.ID(), Stream: stream,
		PN: -1, Name: "request", Len: int64(len(head)) + r.req.Body, Raw: p.raw.Copy(head)})
	r.x.Sent(now, c.tc.ID(), stream)
}

// OnEstablished implements transport.Handler.
func (c *clientConn) OnEstablished(now sim.Time) {
	c.ready = true
	c.pool.dispatch(now)
}

// OnRecordEnd implements tcp.RecordEndHandler.
func (c *clientConn) OnRecordEnd(sim.Time) { c.tracker.Flush() }

var _ tcp.RecordEndHandler = (*clientConn)(nil)

// OnHandshakeComplete implements transport.HandshakeHandler: requests held
// out of early data may go.
func (c *clientConn) OnHandshakeComplete(now sim.Time) { c.pool.dispatch(now) }

// inEarlyData reports whether what c writes now goes as 0-RTT early data.
func (c *clientConn) inEarlyData() bool {
	e, ok := c.tc.(transport.EarlyDataConn)
	return ok && e.InEarlyData()
}

// OnData implements transport.Handler: parse responses in order.
func (c *clientConn) OnData(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	var rel int64
	for rel < d.N {
		if len(c.inflight) == 0 {
			// Bytes with no request outstanding: a protocol error;
			// drop the connection (RFC 9112 §9.3.2 would discard).
			c.fail(now, "unexpected bytes from the server")
			return
		}
		cur := c.inflight[0]
		if c.resp == nil {
			n, head, err := c.readHead(d, rel)
			c.tracker.Deliver(c.recvd, int64(n), at)
			rel += int64(n)
			if err != nil {
				c.fail(now, err.Error())
				return
			}
			if head == nil {
				continue
			}
			if !c.startResponse(now, cur, head) {
				return
			}
			continue
		}
		consumed, data, err := c.body.feed(d, rel)
		c.tracker.Deliver(c.recvd, consumed, at)
		rel += consumed
		if err != nil {
			c.fail(now, err.Error())
			return
		}
		if data > 0 {
			cur.x.Body(now, data, at.At)
		}
		if c.body.done {
			c.finishResponse(now)
		}
	}
}

func (c *clientConn) readHead(d bytestream.Slice, rel int64) (int, []byte, error) {
	n, head, err := c.head.feedFrom(d, rel)
	c.headLen += n
	return n, head, err
}

// startResponse takes a parsed head and prepares for the body (RFC 9112
// §6.3 message body length).
func (c *clientConn) startResponse(now sim.Time, cur *pending, head []byte) bool {
	resp, http10, err := parseResponseHead(head)
	if err != nil {
		c.fail(now, err.Error())
		return false
	}
	if resp.Status >= 100 && resp.Status < 200 {
		// Interim response: the real one follows (RFC 9110 §15.2).
		c.headLen = 0
		return true
	}
	cl, _ := contentLength(resp.Header)
	mode, length, err := responseFraming(cur.req.Method, resp)
	if err != nil {
		c.fail(now, err.Error())
		return false
	}
	c.body = c.bodyBuf.reset(mode, length)
	resp.WireHeaderLen = c.headLen
	c.resp = resp
	c.pool.log.Emit(trace.Event{At: now, Kind: trace.FrameParsed, Side: c.tc.TCP().Side(), Conn: c.tc.ID(), Stream: c.recvd,
		PN: -1, Name: "response", Len: int64(c.headLen), Raw: c.pool.raw.Copy(head)})
	if http10 || c.pool.cfg.HTTP10 || web.HasToken(resp.Header, "connection", "close") {
		c.closing = true
	}
	resp.BodyLen = cl
	cur.x.Headers(now, resp)
	if c.body.done {
		c.finishResponse(now)
	}
	return true
}

// responseFraming says how the body of a response to method is delimited
// (RFC 9112 §6.3).
func responseFraming(method string, resp *web.Response) (bodyMode, int64, error) {
	cl, clErr := contentLength(resp.Header)
	switch {
	case method == "HEAD" || !resp.HasBody():
		return bodyNone, 0, nil
	case chunkedLast(resp.Header):
		return bodyChunked, 0, nil
	case fieldValue(resp.Header, "transfer-encoding") != "":
		// Another coding last: the body runs to the close, whatever
		// Content-Length says (RFC 9112 §6.3, items 3 and 4).
		return bodyUntilClose, 0, nil
	case clErr != nil:
		// An invalid Content-Length is an unrecoverable error (RFC
		// 9112 §6.3 item 5), not a body read to the close.
		return bodyNone, 0, clErr
	case cl >= 0:
		return bodyLength, cl, nil
	}
	return bodyUntilClose, 0, nil
}

// OnHeld implements tcp.HeldHandler: bytes held behind a hole when the
// connection stopped are read into responses, without acting on them, to
// learn which response each is and count its wait until then.
func (c *clientConn) OnHeld(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	h := &c.held
	if !h.started {
		*h = heldRead{started: true, inBody: c.resp != nil}
	}
	var rel int64
	for rel < d.N && h.k < len(c.inflight) {
		stream := c.recvd + int64(h.k)
		if !h.inBody {
			n, head, err := c.head.feedFrom(d, rel)
			c.tracker.Deliver(stream, int64(n), at)
			rel += int64(n)
			if err != nil {
				h.k = len(c.inflight) // unreadable: nothing more is known
				return
			}
			if head == nil {
				continue
			}
			resp, _, err := parseResponseHead(head)
			if err != nil {
				h.k = len(c.inflight)
				return
			}
			if resp.Status >= 100 && resp.Status < 200 {
				continue // interim: the response follows
			}
			mode, length, err := responseFraming(c.inflight[h.k].req.Method, resp)
			if err != nil {
				h.k = len(c.inflight)
				return
			}
			c.body = c.bodyBuf.reset(mode, length)
			h.inBody = true
		} else {
			n, _, err := c.body.feed(d, rel)
			c.tracker.Deliver(stream, n, at)
			rel += n
			if err != nil {
				h.k = len(c.inflight)
				return
			}
		}
		if c.body.done {
			h.k++
			h.inBody = false
		}
	}
}

// OnStopped implements tcp.HeldHandler: waits for a TLS record's end are
// counted at the stop.
func (c *clientConn) OnStopped(sim.Time) { c.tracker.Flush() }

var _ tcp.HeldHandler = (*clientConn)(nil)

// heldRead is where reading the bytes held at a connection's stop has got
// to: the response (k after the one being read then), and whether in its
// body.
type heldRead struct {
	started bool
	k       int
	inBody  bool
}

func (c *clientConn) finishResponse(now sim.Time) {
	cur := c.inflight[0]
	c.inflight = slices.Delete(c.inflight, 0, 1)
	c.resp, c.body, c.headLen = nil, nil, 0
	c.recvd++
	cur.x.Done(now)
	if c.closing && len(c.inflight) == 0 {
		c.closed = true
		c.tc.Close(now)
	}
	c.pool.dispatch(now)
}

// OnPeerClose implements transport.Handler.
func (c *clientConn) OnPeerClose(now sim.Time) {
	// Closed before the close-delimited body is finished (RFC 9112 §6.3
	// item 8): finishing it dispatches the queue, and nothing may go on
	// a connection the server has closed.
	c.closed = true
	if c.body != nil && c.body.mode == bodyUntilClose {
		c.finishResponse(now)
	}
	if len(c.inflight) > 0 {
		c.fail(now, "connection closed by the server")
		return
	}
	c.pool.dispatch(now)
}

// OnReset implements tcp.ResetHandler: the server reset the connection (RFC
// 9293 §3.10.7). Unlike a close it ends no body: a response read to the
// close is incomplete (RFC 9112 §8), and fails with the others.
func (c *clientConn) OnReset(now sim.Time) {
	c.closed = true
	if len(c.inflight) > 0 {
		c.fail(now, "connection reset by the server")
		return
	}
	c.pool.dispatch(now)
}

var _ tcp.ResetHandler = (*clientConn)(nil)

// fail ends the connection and fails its outstanding requests (the browser
// decides which to retry).
func (c *clientConn) fail(now sim.Time, reason string) {
	c.closed = true
	c.pool.retryFrom = len(c.pool.conns)
	c.tc.Abort()
	in := c.inflight
	c.inflight = nil
	for _, r := range in {
		r.x.Failed(now, reason)
	}
	c.pool.dispatch(now)
}

// Abandon fails every connection of the pool (the client's network went
// away): outstanding requests fail and may be retried on new connections.
func (p *Pool) Abandon(now sim.Time) {
	for _, c := range p.conns {
		if !c.closed {
			c.fail(now, "network changed")
		}
	}
}
