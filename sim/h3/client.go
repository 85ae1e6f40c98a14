package h3

import (
	"httpsim/sim"
	"httpsim/sim/qpack"
	"httpsim/sim/quic"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/web"
)

// Dialer opens a new QUIC connection to the origin and starts it.
type Dialer func(now sim.Time) *quic.Conn

// Client is a browser's HTTP/3 connection to one origin: each request is a
// bidirectional QUIC stream (RFC 9114 §4.1).
type Client struct {
	cfg  Config
	log  *trace.Log
	dial Dialer

	conn   *clientConn
	queue  []clientReq
	opened int
	eps    []*endpoint
}

type clientReq struct {
	req *web.Request
	x   web.Exchange
}

var _ web.Fetcher = (*Client)(nil)

// NewClient returns a client that connects on the first Fetch.
func NewClient(cfg Config, log *trace.Log, dial Dialer) *Client {
	return &Client{cfg: cfg, log: log, dial: dial}
}

// Opened is the number of connections opened.
func (c *Client) Opened() int { return c.opened }

// Stats sums the client ends' counters.
func (c *Client) Stats() Stats { return sumStats(c.eps) }

func sumStats(eps []*endpoint) Stats {
	var s Stats
	for _, e := range eps {
		s.Framing += e.stats.Framing
		s.HeaderBlocks += e.stats.HeaderBlocks
		s.Bodies += e.stats.Bodies
		s.QPACKStreams += e.stats.QPACKStreams
		s.HeaderUncompressed += e.stats.HeaderUncompressed
	}
	return s
}

// Fetch implements web.Fetcher.
func (c *Client) Fetch(now sim.Time, req *web.Request, x web.Exchange) {
	c.queue = append(c.queue, clientReq{req, x})
	if c.conn == nil || c.conn.dead {
		c.connect(now)
		return
	}
	c.conn.send(now)
}

func (c *Client) connect(now sim.Time) {
	qc := c.dial(now)
	// The scheduler setting orders a server's responses, as for HTTP/2;
	// the browser sends its requests by their urgency whatever it is (RFC
	// 9218 §10: the client's own order is its choice). With "seq" an
	// upload held every later request to its last byte.
	qc.SetScheduler(&quic.Urgency{})
	cc := &clientConn{c: c, streams: map[uint64]*clientStream{}}
	cc.ep = newEndpoint(c.cfg, qc, c.log, qc.Side(), cc)
	c.conn = cc
	c.eps = append(c.eps, cc.ep)
	c.opened++
}

// Migrate moves the client's connection to a new network where its address
// is addr (its host already sends into the new path). HTTP/3 goes on over
// the same connection (RFC 9000 §9). A connection that cannot migrate — its
// handshake is not yet confirmed (§9: a client MUST NOT migrate before) —
// is abandoned instead: its requests fail and the browser retries them on a
// new connection. Migrate reports whether the connection moved.
func (c *Client) Migrate(now sim.Time, addr int) bool {
	cc := c.conn
	if cc == nil || cc.dead {
		return false
	}
	if err := cc.ep.conn.Migrate(now, addr, nil); err == nil {
		return true
	}
	c.Abandon(now)
	return false
}

// Abandon drops the current connection silently (the client's network went
// away): outstanding requests fail and may be retried on a new connection.
func (c *Client) Abandon(now sim.Time) {
	if cc := c.conn; cc != nil && !cc.dead {
		cc.ep.conn.Abort()
		cc.closed(now, "network changed")
	}
}

// clientConn is the client's side of one connection.
type clientConn struct {
	c       *Client
	ep      *endpoint
	streams map[uint64]*clientStream
	dead    bool
	isReady bool
	fields  []qpack.Field // scratch for a request's fields
}

type clientStream struct {
	r    clientReq
	resp *web.Response
}

// appendRequestFields appends the request's fields for HTTP/3: the
// pseudo-header fields (RFC 9114 §4.3.1), the rest, and RFC 9218's
// Priority.
func appendRequestFields(fields []qpack.Field, req *web.Request) []qpack.Field {
	req.Fields(func(name, value string) { fields = append(fields, qpack.Field{Name: name, Value: value}) })
	return fields
}

// send writes queued requests once the connection is ready.
func (cc *clientConn) send(now sim.Time) {
	if !cc.isReady || cc.dead {
		return
	}
	c := cc.c
	early := cc.ep.conn.InEarlyData()
	for i := 0; i < len(c.queue); {
		r := c.queue[i]
		if early && !web.Safe(r.req.Method) {
			// RFC 8470 §4: an unsafe request never goes as 0-RTT
			// data; it waits for the handshake (OnHandshakeComplete),
			// and the safe ones behind it go now.
			i++
			continue
		}
		// OpenStream does not fail at the server's stream limit: the
		// stream opens and its data waits for MAX_STREAMS (RFC 9000
		// §4.6). It fails only before the handshake (send is not
		// called then) or once the connection is closed, and closed
		// moves the queue to a new connection.
		id, err := cc.ep.conn.OpenStream(now, true)
		if err != nil {
			return
		}
		// Shift rather than reslice, so that the queue's array is
		// reused by the requests that come next.
		n := copy(c.queue[i:], c.queue[i+1:]) + i
		c.queue[n] = clientReq{}
		c.queue = c.queue[:n]
		cc.streams[id] = &clientStream{r: r}
		cc.ep.in(id)
		// How the client orders its own streams is its choice (RFC
		// 9218 §10: it "MAY use priority values to make local
		// processing or scheduling choices about the requests it
		// initiates"; the Priority field still says r.req's). A
		// request body goes after every other request's HEADERS, a
		// few bytes each, and in turn with other bodies: sent to
		// completion in stream order, or ahead of less urgent
		// requests, an upload held every request made after it (an
		// image's, urgency 4, behind a JSON POST's 3) until its last
		// byte.
		if r.req.Body > 0 {
			cc.ep.conn.SetPriority(id, quic.MaxUrgency, true)
		} else {
			cc.ep.conn.SetPriority(id, r.req.Urgency, r.req.Incremental)
		}
		cc.fields = appendRequestFields(cc.fields[:0], r.req)
		cc.ep.writeHeaders(now, id, cc.fields)
		if r.req.Body > 0 {
			cc.ep.writeData(now, id, r.req.Body)
		}
		cc.ep.conn.CloseStream(now, id)
		// A request beyond the server's stream limit is sent when
		// MAX_STREAMS lets its stream send (streamAllowed), not when
		// it was written.
		if cc.ep.conn.StreamAllowed(id) {
			r.x.Sent(now, cc.ep.conn.ID(), int64(id))
		}
	}
}

// streamAllowed: request stream id, held by the server's stream limit, may
// now send.
func (cc *clientConn) streamAllowed(now sim.Time, id uint64) {
	if cs := cc.streams[id]; cs != nil {
		cs.r.x.Sent(now, cc.ep.conn.ID(), int64(id))
	}
}

func (cc *clientConn) ready(now sim.Time) {
	cc.isReady = true
	cc.send(now)
}

func (cc *clientConn) settings(sim.Time) {}

func (cc *clientConn) headers(now sim.Time, id uint64, fields []qpack.Field, sectionLen int) bool {
	cs := cc.streams[id]
	if cs == nil {
		return true
	}
	resp := web.DecodeResponse(sectionLen, len(fields), func(i int) (string, string) { return fields[i].Name, fields[i].Value })
	if resp.Interim() {
		return false // interim response (RFC 9114 §4.1)
	}
	resp.Complete()
	cs.resp = resp
	cs.r.x.Headers(now, resp)
	return true
}

func (cc *clientConn) data(now sim.Time, id uint64, n int64, at tcp.Arrival) {
	if cs := cc.streams[id]; cs != nil && cs.resp != nil {
		cs.r.x.Body(now, n, at.At)
	}
}

func (cc *clientConn) fin(now sim.Time, id uint64) {
	cs := cc.streams[id]
	if cs == nil {
		return
	}
	delete(cc.streams, id)
	if cs.resp == nil {
		cs.r.x.Failed(now, "stream ended without a response")
		return
	}
	cs.r.x.Done(now)
}

func (cc *clientConn) reset(now sim.Time, id uint64, code ErrorCode) {
	if cs := cc.streams[id]; cs != nil {
		delete(cc.streams, id)
		if code == ErrH3RequestRejected {
			// RFC 9114 §4.1.1: "When the server cancels a request
			// without performing any application processing, the
			// request is considered 'rejected'", signalled with
			// H3_REQUEST_REJECTED; the client may send it again,
			// whatever its method.
			cs.r.x.Refused(now, "stream reset: "+code.String())
			return
		}
		cs.r.x.Failed(now, "stream reset: "+code.String())
	}
}

// goAway: requests above id were not processed (RFC 9114 §5.2): they fail
// and the browser retries them on a new connection.
func (cc *clientConn) goAway(now sim.Time, id uint64) {
	cc.dead = true
	var ids []uint64
	for sid := range cc.streams {
		if sid >= id {
			ids = append(ids, sid)
		}
	}
	sortIDs(ids)
	for _, sid := range ids {
		cs := cc.streams[sid]
		delete(cc.streams, sid)
		cs.r.x.Refused(now, "GOAWAY")
	}
	if c := cc.c; c.conn == cc && len(c.queue) > 0 {
		c.connect(now)
	}
}

func (cc *clientConn) priorityUpdate(sim.Time, uint64, string) {}

// closed: the connection is gone; every request on it fails (the browser
// retries the idempotent ones), and requests still queued go to a new
// connection. A connection a GOAWAY made dead may still have requests
// below the GOAWAY's ID outstanding (RFC 9114 §5.2); they fail too.
func (cc *clientConn) closed(now sim.Time, reason string) {
	cc.dead = true
	var ids []uint64
	for sid := range cc.streams {
		ids = append(ids, sid)
	}
	sortIDs(ids)
	for _, sid := range ids {
		cs := cc.streams[sid]
		delete(cc.streams, sid)
		cs.r.x.Failed(now, "connection "+reason)
	}
	if c := cc.c; c.conn == cc && len(c.queue) > 0 {
		c.connect(now)
	}
}

func sortIDs(ids []uint64) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && ids[j] < ids[j-1]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}
