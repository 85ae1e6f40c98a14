package h2

import (
	"httpsim/sim"
	"httpsim/sim/hpack"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
	"httpsim/sim/web"
	"slices"
	"sort"
)

// Dialer opens a new connection to the origin and starts connecting it.
type Dialer func(now sim.Time) transport.Conn

// CacheChecker tells the client whether the browser's cache already holds a
// fresh copy of a path, so that a pushed copy of it can be refused.
type CacheChecker interface {
	Fresh(path string) bool
}

// Client is a browser's HTTP/2 connection to one origin: every request is a
// stream on it (RFC 9113 §8.1).
type Client struct {
	cfg   Config
	loop  *sim.Loop
	log   *trace.Log
	dial  Dialer
	cache CacheChecker

	conn   *clientConn
	queue  []*clientReq // waiting for the connection or for a free stream
	opened int
	eps    []*endpoint
	// pushes holds promised responses by path until the browser asks.
	pushes map[string]*pushed
	asked  map[string]bool
}

type clientReq struct {
	req *web.Request
	x   web.Exchange
}

// pushed is a promised response (RFC 9113 §8.4).
type pushed struct {
	id       uint32
	conn     int32
	resp     *web.Response
	body     []pushedBody
	done     bool
	x        web.Exchange
	canceled bool
}

type pushedBody struct {
	n       int64
	arrived sim.Time
}

var _ web.Fetcher = (*Client)(nil)

// NewClient returns a client that opens its connection on the first Fetch.
func NewClient(cfg Config, loop *sim.Loop, log *trace.Log, dial Dialer) *Client {
	return &Client{cfg: cfg, loop: loop, log: log, dial: dial, pushes: map[string]*pushed{}, asked: map[string]bool{}}
}

// SetCache lets the client refuse pushes of what the browser has fresh.
func (c *Client) SetCache(cc CacheChecker) { c.cache = cc }

// Opened is the number of connections opened.
func (c *Client) Opened() int { return c.opened }

// Stats sums the client ends' counters.
func (c *Client) Stats() Stats {
	var s Stats
	for _, e := range c.eps {
		s.Framing += e.stats.Framing
		s.HeaderBlocks += e.stats.HeaderBlocks
		s.Bodies += e.stats.Bodies
		s.HeaderUncompressed += e.stats.HeaderUncompressed
	}
	return s
}

// Fetch implements web.Fetcher.
func (c *Client) Fetch(now sim.Time, req *web.Request, x web.Exchange) {
	c.asked[req.Path] = true
	if p := c.pushes[req.Path]; p != nil && !p.canceled && p.x == nil {
		c.adopt(now, p, x)
		return
	}
	c.queue = append(c.queue, &clientReq{req, x})
	if c.conn == nil || c.conn.ep.dead || c.conn.ep.goneAway {
		c.connect(now)
		return
	}
	c.conn.writable(now)
}

func (c *Client) connect(now sim.Time) {
	tc := c.dial(now)
	cc := &clientConn{c: c, nextID: 1}
	c.loop.InitTimer(&cc.pump, cc.pumpBodies)
	cc.early, _ = tc.(transport.EarlyDataConn)
	cc.ep = newEndpoint(true, c.cfg, tc, c.loop, c.log, cc)
	c.conn = cc
	c.eps = append(c.eps, cc.ep)
	c.opened++
}

// adopt hands a pushed response to the exchange that asked for its path,
// replaying what has arrived so far.
func (c *Client) adopt(now sim.Time, p *pushed, x web.Exchange) {
	p.x = x
	x.Sent(now, p.conn, int64(p.id))
	if p.resp != nil {
		x.Headers(now, p.resp)
	}
	for _, b := range p.body {
		x.Body(now, b.n, b.arrived)
	}
	if p.done {
		x.Done(now)
	}
}

// Abandon fails the connection's streams (the client's network went away);
// the browser retries what it may, on a new connection.
func (c *Client) Abandon(now sim.Time) {
	cc := c.conn
	if cc != nil && !cc.ep.dead {
		cc.ep.dead = true
		cc.ep.tc.Abort()
		// broken fails the streams and hands requests still queued
		// (behind a handshake that will never finish) to a new connection.
		cc.broken(now, "network changed")
	}
}

// clientConn is the client's side of one connection.
type clientConn struct {
	c       *Client
	early   transport.EarlyDataConn // the connection, if it can carry early data
	ep      *endpoint
	streams idTable[clientStream]
	active  int
	nextID  uint32
	// pump sends request bodies once the requests made at this instant
	// have their HEADERS written (pumpBodies); uploading says some stream
	// may have body left to send, so that the transport's OnWritable, on
	// every segment the client receives, sets no timer otherwise.
	pump      sim.Timer
	uploading bool
}

type clientStream struct {
	req  *clientReq
	resp *web.Response
	push *pushed
}

// requestFields are the request's header fields for HTTP/2: the pseudo-
// header fields first (RFC 9113 §8.3.1), then the rest, with RFC 9218's
// Priority field. They go into the endpoint's scratch list, valid until its
// next use.
func (e *endpoint) requestFields(req *web.Request) []hpack.HeaderField {
	fields := e.outFields[:0]
	req.Fields(func(name, value string) { fields = append(fields, hpack.HeaderField{Name: name, Value: value}) })
	e.outFields = fields
	return fields
}

// writable sends queued requests while streams are available.
func (cc *clientConn) writable(now sim.Time) {
	if !cc.ep.established {
		return // the preface must go first, in OnEstablished
	}
	c := cc.c
	early := cc.early != nil && cc.early.InEarlyData()
	for i := 0; i < len(c.queue) && c.conn == cc && !cc.ep.dead && !cc.ep.goneAway && uint32(cc.active) < cc.ep.peer.MaxConcurrentStreams; {
		r := c.queue[i]
		if early && !web.Safe(r.req.Method) {
			// RFC 8470 §4: an unsafe request never goes as early
			// data; it waits for the handshake (OnHandshakeComplete),
			// and the safe ones behind it go now.
			i++
			continue
		}
		c.queue = slices.Delete(c.queue, i, i+1) // shifts, so appends reuse the array
		cc.send(now, r)
	}
	// Bodies go after every request made at this instant has its
	// HEADERS out: an upload and a GET found together wrote the upload's
	// first 16 KB between the two, and the GET's HEADERS, in the next TLS
	// record past the initial window, waited a round trip.
	if cc.uploading {
		cc.pump.Set(now)
	}
}

func (cc *clientConn) send(now sim.Time, r *clientReq) {
	id := cc.nextID
	cc.nextID += 2
	st := cc.ep.stream(id, true)
	st.state = stateOpen
	cc.streams.set(id, &clientStream{req: r})
	cc.active++
	cc.ep.writeHeaders(now, id, cc.ep.requestFields(r.req), r.req.Body == 0, 0)
	if r.req.Body == 0 {
		cc.ep.closeLocal(st)
	} else {
		st.bodyLeft = r.req.Body
		cc.uploading = true
	}
	r.x.Sent(now, cc.ep.tc.ID(), int64(id))
}

// pumpBodies sends request bodies (uploads) within flow control, oldest
// stream first; none on a closed stream (RFC 9113 §5.1: reset, or failed
// by GOAWAY). Like the server's DATA, only while the transport holds no
// more than the low-water mark unsent, then again when it drains
// (writable): a request made during an upload has its HEADERS go out
// after at most that much of the body and one frame, as a browser reads
// an upload in chunks, not behind all of it (a 600 KB upload held a small
// GET back half a second).
func (cc *clientConn) pumpBodies(now sim.Time) {
	if cc.ep.dead {
		// The connection died after the pump was set for this instant:
		// nothing goes on it (its streams are closed by then).
		return
	}
	left := false
	for id := uint32(1); id < cc.nextID; id += 2 {
		st := cc.ep.streams.get(id)
		for st != nil && st.bodyLeft > 0 && st.state != stateClosed && cc.ep.tc.Unsent() <= cc.ep.cfg.LowWater {
			n := min(cc.ep.sendable(st), int64(cc.ep.peer.MaxFrameSize))
			if n <= 0 {
				break
			}
			cc.ep.writeData(now, st, n, n == st.bodyLeft)
		}
		left = left || st != nil && st.bodyLeft > 0 && st.state != stateClosed
	}
	cc.uploading = left
}

func (cc *clientConn) headers(now sim.Time, st *stream, fields []hpack.HeaderField, end bool, blockLen int) {
	cs := cc.streams.get(st.id)
	if cs == nil {
		return
	}
	if cs.resp != nil {
		// After the final response, a block is its trailers (RFC 9113
		// §8.1), which must end the stream: without END_STREAM the
		// response is malformed (§8.1.1), a stream error of type
		// PROTOCOL_ERROR.
		if !end {
			cc.ep.resetStream(now, st.id, ErrCodeProtocol)
			return
		}
		cc.endStream(now, st)
		return
	}
	resp := web.NewDecodedResponse(blockLen)
	for _, f := range fields {
		resp.AddField(f.Name, f.Value)
	}
	// §8.3.2: "For HTTP/2 responses, a single :status pseudo-header field
	// is defined that carries the HTTP status code field"; "This
	// pseudo-header field MUST be included in all responses, including
	// interim responses; otherwise, the response is malformed (Section
	// 8.1.1)": a stream error of type PROTOCOL_ERROR.
	if resp.Status == 0 {
		cc.ep.resetStream(now, st.id, ErrCodeProtocol)
		return
	}
	if resp.Interim() {
		return // interim response (RFC 9113 §8.1)
	}
	resp.Complete()
	cs.resp = resp
	if cs.push != nil {
		cs.push.resp = resp
		if cs.push.x != nil {
			cs.push.x.Headers(now, resp)
		}
	} else {
		cs.req.x.Headers(now, resp)
	}
	if end {
		cc.endStream(now, st)
	}
}

func (cc *clientConn) pushPromise(now sim.Time, parent *stream, promised uint32, fields []hpack.HeaderField, blockLen int) {
	c, ep := cc.c, cc.ep
	// §6.6: "An endpoint that has set this setting [SETTINGS_ENABLE_PUSH
	// to 0] and has received acknowledgment MUST treat the receipt of a
	// PUSH_PROMISE frame as a connection error (Section 5.4.1) of type
	// PROTOCOL_ERROR." (Also §6.5.2.)
	if !ep.local.EnablePush && ep.settingsAcked {
		ep.connError(now, ConnError{Code: ErrCodeProtocol, Reason: "PUSH_PROMISE after SETTINGS_ENABLE_PUSH=0 (RFC 9113 §6.6)"})
		return
	}
	// §6.6: "PUSH_PROMISE frames MUST only be sent on a peer-initiated
	// stream that is in either the "open" or "half-closed (remote)"
	// state": open or half-closed (local) as the client sees it. §5.1
	// closed: one may still arrive after we reset the parent, and
	// reserves its stream all the same; we then refuse it.
	parentReset := parent != nil && parent.rstSent && !parent.rstRecv
	if parent == nil || !ep.localID(parent.id) ||
		(parent.state != stateOpen && parent.state != stateHalfClosedLocal && !parentReset) {
		ep.connError(now, ConnError{Code: ErrCodeProtocol, Reason: "PUSH_PROMISE on a stream that is not open (RFC 9113 §6.6)"})
		return
	}
	// §5.1.1: the promised stream is a new server-initiated one, even
	// and above every stream the server opened or reserved before.
	if err := ep.openPeer(promised); err != nil {
		ep.connError(now, err)
		return
	}
	path := ""
	for _, f := range fields {
		if f.Name == ":path" {
			path = f.Value
		}
	}
	st := ep.stream(promised, true)
	st.state = stateReservedRemote
	if parentReset {
		ep.resetStream(now, promised, ErrCodeCancel)
		return
	}
	p := &pushed{id: promised, conn: ep.tc.ID()}
	// RFC 9113 §8.4.2: a client refuses a push it does not want with
	// RST_STREAM CANCEL: here, a resource the cache holds fresh, or one
	// already requested.
	if (c.cache != nil && c.cache.Fresh(path)) || c.asked[path] {
		p.canceled = true
		cc.ep.resetStream(now, promised, ErrCodeCancel)
		return
	}
	c.pushes[path] = p
	cc.streams.set(promised, &clientStream{push: p})
}

func (cc *clientConn) dataIn(now sim.Time, st *stream, n int64, at tcp.Arrival) {
	cs := cc.streams.get(st.id)
	if cs == nil {
		return
	}
	if cs.push != nil {
		cs.push.body = append(cs.push.body, pushedBody{n, at.At})
		if cs.push.x != nil {
			cs.push.x.Body(now, n, at.At)
		}
		return
	}
	cs.req.x.Body(now, n, at.At)
}

func (cc *clientConn) endStream(now sim.Time, st *stream) {
	cs := cc.streams.get(st.id)
	if cs == nil {
		return
	}
	cc.streams.remove(st.id)
	if cs.push != nil {
		cs.push.done = true
		if cs.push.x != nil {
			cs.push.x.Done(now)
		}
		return
	}
	cc.active--
	cs.req.x.Done(now)
	cc.writable(now)
}

func (cc *clientConn) reset(now sim.Time, st *stream, code ErrCode) {
	cs := cc.streams.get(st.id)
	if cs == nil {
		return
	}
	cc.streams.remove(st.id)
	if cs.push != nil {
		cs.push.canceled = true
		if cs.push.x != nil {
			cs.push.x.Failed(now, "pushed stream reset: "+code.String())
		}
		return
	}
	cc.active--
	if code == ErrCodeRefusedStream {
		// RFC 9113 §8.7: "The REFUSED_STREAM error code can be
		// included in a RST_STREAM frame to indicate that the stream is
		// being closed prior to any processing having occurred."
		cs.req.x.Refused(now, "stream refused: "+code.String())
		return
	}
	cs.req.x.Failed(now, "stream reset: "+code.String())
}

// goAway: streams above last were not processed and may be retried on a new
// connection (RFC 9113 §6.8).
func (cc *clientConn) goAway(now sim.Time, last uint32, _ ErrCode) {
	cc.failStreams(now, func(id uint32) bool { return id > last && id%2 == 1 }, "GOAWAY", true)
	// Requests still queued go to a new connection, unless the retries
	// above have opened one already (a second, then a third, opened).
	if c := cc.c; c.conn == cc && len(c.queue) > 0 {
		c.connect(now)
	}
}

// priorityUpdate: RFC 9218 §7.1: "A client MUST treat receipt of a
// PRIORITY_UPDATE frame as a connection error of type PROTOCOL_ERROR."
func (cc *clientConn) priorityUpdate(now sim.Time, _ uint32, _ string) {
	cc.ep.connError(now, ConnError{Code: ErrCodeProtocol, Reason: "PRIORITY_UPDATE from a server (RFC 9218 §7.1)"})
}

func (cc *clientConn) broken(now sim.Time, reason string) {
	cc.failStreams(now, func(uint32) bool { return true }, reason, false)
	// Pushed streams die with the connection too: one the browser took
	// up fails (and is requested again, a GET), one it has not is never
	// taken up, or the browser would wait on it for ever.
	var pushed []uint32
	cc.streams.each(func(id uint32, cs *clientStream) {
		if cs.push != nil {
			pushed = append(pushed, id)
		}
	})
	// each visits in no set order: fail them in stream order, so that the
	// browser asks again in the same order on every run.
	sort.Slice(pushed, func(i, j int) bool { return pushed[i] < pushed[j] })
	for _, id := range pushed {
		p := cc.streams.get(id).push
		cc.streams.remove(id)
		if p.done || p.canceled {
			continue
		}
		p.canceled = true
		if p.x != nil {
			p.x.Failed(now, reason)
		}
	}
	// Requests still queued for this connection (it broke before they
	// could go, during its handshake) go to a new one, unless the retries
	// above have opened one already.
	if c := cc.c; c.conn == cc && len(c.queue) > 0 {
		c.connect(now)
	}
}

// failStreams fails the matching open streams, in stream order;
// unprocessed says the server did not process them (a GOAWAY's).
func (cc *clientConn) failStreams(now sim.Time, match func(uint32) bool, reason string, unprocessed bool) {
	var ids []uint32
	for id := uint32(1); id < cc.nextID; id += 2 {
		if cs := cc.streams.get(id); cs != nil && match(id) {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		// The stream sends nothing more (an upload stops): the server
		// did not process it, or the connection is gone (RFC 9113 §6.8).
		if st := cc.ep.streams.get(id); st != nil {
			cc.ep.setClosed(st)
		}
		cs := cc.streams.get(id)
		cc.streams.remove(id)
		cc.active--
		if unprocessed {
			cs.req.x.Refused(now, reason)
		} else {
			cs.req.x.Failed(now, reason)
		}
	}
}
