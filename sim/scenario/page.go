package scenario

import (
	"time"

	"httpsim/sim"
	"httpsim/sim/h1"
	"httpsim/sim/h2"
	"httpsim/sim/h3"
	"httpsim/sim/link"
	"httpsim/sim/quic"
	"httpsim/sim/tcp"
	"httpsim/sim/tls"
	"httpsim/sim/topo"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
	"httpsim/sim/updates"
	"httpsim/sim/web"
)

// ProtocolRun is one protocol's load of a page.
type ProtocolRun struct {
	Proto string
	// Variant names the scenario variant run, if the scenario has any.
	Variant string
	// Updates is the result of an updates workload (Proto is its mode).
	Updates *updates.Result
	// Status says how the run ended ("finished" once the page loaded).
	Status string
	// PLT is the page load time: from navigation to the last resource's
	// completion; -1 if the page did not finish loading.
	PLT         time.Duration
	Events      int64
	TraceEvents int64
	TraceHash   string
	// Totals over every connection, both directions. QUIC's packets are
	// its datagrams, the IP packets as TCP's segments are: the link drops
	// a datagram whole, with every QUIC packet coalesced in it (RFC 9000
	// §12.2), so sent and lost count alike.
	PacketsSent, PacketsLost, Retransmits int64
	// PacketsLostQueue is the part of PacketsLost that a full drop-tail
	// queue dropped: the congestion a sender's own slow start causes, lost
	// even with no random loss at all.
	PacketsLostQueue int64
	Wire             WireBytes
	// Connections is the number of transport connections opened.
	Connections int
	// EdgeHits, EdgeMisses and EdgeRevalidated count how an edge answered
	// (with an edge): EdgeRevalidated from a stale stored response the
	// origin confirmed with a 304 (web.Edge.Revalidated).
	EdgeHits, EdgeMisses, EdgeRevalidated int
	// HeaderBytes is the size of the header sections on the wire (HTTP/1.x
	// text, HPACK or QPACK blocks, and QPACK's encoder and decoder
	// streams), both directions; HeaderUncompressed the same sections as
	// HTTP/1.1 heads (h1.TextLen).
	HeaderBytes, HeaderUncompressed int64
	// HOL is the sum over resources of their head-of-line time (other
	// streams or requests in the way); LossDelay of their own-loss delay.
	HOL, LossDelay time.Duration
	// HOLBy is the sum over resources of their head-of-line time by
	// cause (web.ResourceState.HOLBy): the causes can add up to more
	// than HOL, where a resource was held back for two at once.
	HOLBy     web.HOLByCause
	Resources []web.ResourceState
	Log       *trace.Log
	// Key is the load's run key, set when Options.Reuse was given ("" for
	// a load that has none).
	Key string
}

// WireBytes splits the bytes on the wire by what they carried. Total equals
// TCPIP + TLS + Headers + Bodies + Retransmitted.
type WireBytes struct {
	// Total is every byte of every packet sent, headers included.
	Total int64
	// TCPIP is IP and TCP (or UDP and QUIC) headers and options.
	TCPIP int64
	// TLS is handshakes and record framing.
	TLS int64
	// Headers is HTTP header sections (and HTTP/1.1 chunk framing).
	Headers int64
	// Bodies is request and response bodies as sent (after compression).
	Bodies int64
	// Retransmitted is payload sent again.
	Retransmitted int64
}

// pageRun is one protocol's run of a page scenario.
type pageRun struct {
	s     *Scenario
	net   Network // the client's network now, as the scenario says it (path changes alter it; direct() is the browser's path)
	proto string
	loop  *sim.Loop
	log   *trace.Log
	path  *topo.Path

	origin  *web.Origin
	browser *web.Browser
	pool    *h1.Pool   // the browser's HTTP/1.x pool
	pools   []*h1.Pool // every HTTP/1.x pool (the browser's, an edge's)
	servers []*h1.Server
	h2c     *h2.Client   // the browser's HTTP/2 client
	h2cs    []*h2.Client // every HTTP/2 client
	h2s     []*h2.Server
	h3c     *h3.Client // the browser's HTTP/3 client
	h3s     []*h3.Server
	quics   []*quic.Conn // both ends of every QUIC connection
	isQUIC  []bool       // by connection ID
	edge    *web.Edge
	// serverConns are the server ends of the browser's TCP connections.
	serverConns []*tcp.Conn
	tlsEnds     []*tls.Conn
	// sessions are the TLS clients' session caches, by the path their
	// connections take (the browser's, an edge's to its origin).
	sessions map[*topo.Path]*sessionCache

	sent, lost, rtx   int64
	lostQueue         int64
	wire, tcpip, rtxB int64
	reqHeads, bodies  int64
	// rtxInDatagram: the QUIC datagram being traced has counted its
	// retransmission (count).
	rtxInDatagram bool
	// ends are both ends of every TCP (or TLS over TCP) connection of the
	// run as the HTTP layers see them, in the order they were opened.
	ends []transport.Conn
}

func newPageRun(s *Scenario, opt Options, proto string) *pageRun {
	r := &pageRun{s: s, net: s.Network, proto: proto, loop: sim.NewLoop(s.limits()), log: trace.NewLog(opt.KeepTrace)}
	net := topo.NewNet(r.loop, r.log, sim.Seed(s.Seed))
	r.log.Observe(r.count)
	r.origin = web.NewOrigin(s.Page, s.Visit.Since())
	// HTTP/3 is https whatever TLS.Version says of TCP: QUIC always
	// carries TLS 1.3 (RFC 9001), so its browser offers br too.
	scheme := "https"
	if s.TLS.Version == tls.None && proto != "h3" {
		scheme = "http"
	}
	// The browser talks to the origin, or to an edge in front of it.
	var front web.Handler = r.origin
	d := r.net.direct()
	r.path = net.Path("client", "server", "up", "down", d.linkConfig(d.Up), d.linkConfig(d.Down))
	r.path.Client.SetTap(opt.ClientTap)
	if e := s.Network.activeEdge(); e != nil {
		r.path.ServerSide = trace.Edge
		back := net.Path("edge", "origin", "origin-up", "origin-down", e.linkConfig(s.Network), e.linkConfig(s.Network))
		back.ClientSide = trace.Edge
		var toOrigin web.Fetcher
		if e.Protocol == "h2" {
			c := h2.NewClient(s.H2, r.loop, r.log, func(now sim.Time) transport.Conn { return r.dialH2(now, back, r.origin) })
			r.h2cs = append(r.h2cs, c)
			toOrigin = c
		} else {
			p := h1.NewPool(h1.DefaultConfig(), r.log, func(now sim.Time) transport.Conn { return r.dialH1(now, back, r.origin) })
			r.pools = append(r.pools, p)
			toOrigin = p
		}
		r.edge = web.NewEdge(e.EdgeConfig, s.Page, scheme, toOrigin, r.origin)
		r.edge.SetProtocols(httpVersion(proto, s.H1.HTTP10), httpVersion(e.Protocol, false))
		front = r.edge
	}
	var fetcher web.Fetcher
	switch proto {
	case "h1":
		r.pool = h1.NewPool(s.H1, r.log, func(now sim.Time) transport.Conn { return r.dialH1(now, r.path, front) })
		r.pools = append(r.pools, r.pool)
		fetcher = r.pool
	case "h2":
		r.origin.PushEnabled = s.H2.Push && !s.Network.HasEdge()
		r.h2c = h2.NewClient(s.H2, r.loop, r.log, func(now sim.Time) transport.Conn { return r.dialH2(now, r.path, front) })
		r.h2cs = append(r.h2cs, r.h2c)
		fetcher = r.h2c
	case "h3":
		r.h3c = h3.NewClient(s.H3, r.log, func(now sim.Time) *quic.Conn { return r.dialH3(now, r.path, front) })
		fetcher = r.h3c
	}
	r.browser = web.NewBrowser(r.loop, r.log, s.Page, scheme, fetcher, s.Visit)
	if e := s.Network.activeEdge(); e != nil {
		r.browser.HiddenRedirects = e.FollowRedirects
	}
	if r.h2c != nil {
		r.h2c.SetCache(r.browser)
	}
	r.browser.OnLoad = func(sim.Time) { r.loop.Stop() }
	r.loop.After(0, r.browser.Start)
	for _, at := range s.Network.ServerResets {
		r.loop.After(sim.At(at), r.resetServer)
	}
	for i, pc := range s.Network.PathChanges {
		r.loop.After(sim.At(pc.At), func(now sim.Time) { r.changePath(now, i, pc) })
	}
	return r
}

// httpVersion is the HTTP version a protocol speaks, as Via names it
// (RFC 9110 §7.6.3).
func httpVersion(proto string, http10 bool) string {
	switch {
	case proto == "h2":
		return "2"
	case proto == "h3":
		return "3"
	case http10:
		return "1.0"
	}
	return "1.1"
}

// dialH1 opens a connection on path for an HTTP/1.x pool and puts an
// HTTP/1.x server answering with handler on its far end.
func (r *pageRun) dialH1(now sim.Time, path *topo.Path, handler web.Handler) transport.Conn {
	client, server := r.dialTLS(now, path, "http/1.1")
	srv := h1.NewServer(server, handler, r.loop, r.log)
	srv.TLS = r.s.TLS.Version != tls.None
	r.servers = append(r.servers, srv)
	return client
}

// dialTLS opens a TCP connection on path, with TLS on it unless the
// scenario says plain HTTP, and returns both ends. The ClientHello names
// the page's origin and offers alpn, the protocol the connection speaks;
// the server acknowledges the name and selects alpn.
func (r *pageRun) dialTLS(now sim.Time, path *topo.Path, alpn string) (client, server transport.Conn) {
	tc, ts := path.NewTCP(r.s.TCP)
	if path == r.path {
		r.serverConns = append(r.serverConns, ts)
	}
	client, server = tc, ts
	if r.s.TLS.Version != tls.None {
		cfg := r.s.TLS
		cache := r.sessions[path]
		if cache == nil {
			cache = new(sessionCache)
			if r.sessions == nil {
				r.sessions = map[*topo.Path]*sessionCache{}
			}
			r.sessions[path] = cache
		}
		if !cfg.Resume {
			cfg.Resume = cache.take(cfg.Version)
		}
		name := web.ServerName(r.s.Page.Origin)
		c := tls.NewClient(tc, cfg, r.loop, r.log)
		c.Hello(name, alpn)
		s := tls.NewServer(ts, cfg, r.loop, r.log)
		s.Hello(name, alpn) // the server selects the one protocol offered
		cache.conns = append(cache.conns, c)
		r.tlsEnds = append(r.tlsEnds, c, s)
		client, server = c, s
	}
	r.ends = append(r.ends, client, server)
	r.loop.After(now, tc.Connect)
	return client, server
}

// dialH2 opens an HTTP/2 connection on path (h2 over TLS, or h2c with
// prior knowledge over plain TCP, RFC 9113 §3.3).
func (r *pageRun) dialH2(now sim.Time, path *topo.Path, handler web.Handler) transport.Conn {
	client, server := r.dialTLS(now, path, "h2")
	srv, err := h2.NewServer(r.s.H2, server, handler, r.loop, r.log)
	if err != nil {
		panic(err) // the scenario was validated
	}
	r.h2s = append(r.h2s, srv)
	return client
}

func (r *pageRun) count(e *trace.Event) {
	switch e.Kind {
	case trace.PacketSent:
		if r.quicConn(e.Conn) {
			// A datagram's packets are traced one after the other: it
			// counts one retransmission if any of them carries one, as
			// it counts one packet (h3Totals).
			if !e.Flags.Has(trace.FlagCoalesced) {
				r.rtxInDatagram = false
			}
			if e.Flags.Has(trace.FlagRetransmit) && !r.rtxInDatagram {
				r.rtx++
				r.rtxInDatagram = true
			}
			return // bytes from QUIC's counters (h3Totals)
		}
		r.sent++
		r.wire += e.Size
		r.tcpip += e.Size - e.Len
		if e.Flags.Has(trace.FlagRetransmit) {
			r.rtx++
			r.rtxB += e.Len
		}
	case trace.PacketDropped:
		// Losses in the network, not packets an endpoint discarded.
		if e.Side == trace.Network {
			r.lost++
			if e.Name == link.DropQueueFull {
				r.lostQueue++
			}
		}
	case trace.FrameCreated:
		// Requests from the browser, and from an edge to its origin.
		if (e.Side == trace.Client || e.Side == trace.Edge) && e.Name == "request" {
			r.reqHeads += int64(len(e.Raw))
			r.bodies += e.Len - int64(len(e.Raw))
		}
	}
}

func (r *pageRun) engine() *sim.Loop    { return r.loop }
func (r *pageRun) traceLog() *trace.Log { return r.log }

func (r *pageRun) progress() float64 {
	all, done := r.browser.Counts()
	if all == 0 {
		return 0
	}
	return float64(done) / float64(all)
}

func (r *pageRun) finish() *ProtocolRun {
	r.flushHeld()
	run := &ProtocolRun{
		Proto:       r.proto,
		Status:      r.loop.Status().String(),
		PLT:         -1,
		Events:      r.loop.Events(),
		TraceEvents: r.log.Len(),
		TraceHash:   r.log.HashString(),
		PacketsSent: r.sent,
		PacketsLost: r.lost, PacketsLostQueue: r.lostQueue,
		Retransmits: r.rtx,
		Resources:   r.browser.Resources(),
		Log:         r.log,
	}
	if at, ok := r.browser.Loaded(); ok {
		run.PLT = at.Since0()
		run.Status = sim.Finished.String()
	}
	for _, x := range run.Resources {
		run.HOL += x.HOL
		run.LossDelay += x.LossDelay
		for c, d := range x.HOLBy {
			run.HOLBy[c] += d
		}
	}
	w := WireBytes{Total: r.wire, TCPIP: r.tcpip, Retransmitted: r.rtxB, Headers: r.reqHeads, Bodies: r.bodies}
	for _, t := range r.tlsEnds {
		st := t.Stats()
		w.TLS += st.Overhead()
		// Early data the server rejected is sent again after the
		// handshake (RFC 8446 §4.2.10): the first copy was wasted.
		// Only a client counts it.
		w.Retransmitted += st.EarlyRejected
	}
	for _, s := range r.servers {
		w.Headers += s.HeaderBytes + s.Framing
		w.Bodies += s.BodyBytes
		run.HeaderBytes += s.HeaderBytes
	}
	if len(r.pools) > 0 {
		run.HeaderBytes += r.reqHeads
		run.HeaderUncompressed = run.HeaderBytes
	}
	run.Wire = w
	if r.pool != nil {
		run.Connections = r.pool.Opened()
	}
	if r.h2c != nil {
		run.Connections = r.h2c.Opened()
	}
	if r.h3c != nil {
		run.Connections = r.h3c.Opened()
		r.h3Totals(run, &w)
	}
	for _, c := range r.h2cs {
		cs := c.Stats()
		w.Headers += cs.Framing + cs.HeaderBlocks
		w.Bodies += cs.Bodies
		run.HeaderBytes += cs.HeaderBlocks
		run.HeaderUncompressed += cs.HeaderUncompressed
	}
	for _, s := range r.h2s {
		ss := s.Stats()
		w.Headers += ss.Framing + ss.HeaderBlocks
		w.Bodies += ss.Bodies
		run.HeaderBytes += ss.HeaderBlocks
		run.HeaderUncompressed += ss.HeaderUncompressed
	}
	// Bytes written but never sent once (a connection reset or cut with
	// data queued: the upload of get-vs-post's reset variant; a frame
	// still in TLS's buffer when the page finished loading) never reached
	// the wire. They are taken out of the bodies, where nearly all of them
	// are (a queued response or request is mostly body), so that the parts
	// still add up to the bytes on the wire; when the bodies are not
	// enough (requests queued with large header sections, an HPACK table
	// of 0), from the headers, then TLS. The TLS record overhead and frame
	// headers among them otherwise stay counted as TLS and headers: tens
	// of bytes per 16 KB record, a few hundred at most in the library.
	var unsent int64
	for _, c := range r.ends {
		unsent += c.Unsent()
	}
	takeUnsent(unsent, &w.Bodies, &w.Headers, &w.TLS)
	run.Wire = w
	if r.edge != nil {
		run.EdgeHits, run.EdgeMisses, run.EdgeRevalidated = r.edge.Hits, r.edge.Misses, r.edge.Revalidated
	}
	return run
}

// flushHeld ends, when the run stops, the waits of the bytes still held
// behind holes on the connections still open (those that died counted
// theirs then): a run stopped by its time limit at the limit, where its
// bytes were still waiting. In a run that finished nothing is held.
func (r *pageRun) flushHeld() {
	at := r.loop.Now()
	if r.loop.Status() == sim.TimeLimit {
		at = max(at, r.loop.Limits().MaxTime)
	}
	for _, c := range r.ends {
		c.TCP().FlushHeld(at)
	}
	for _, c := range r.quics {
		c.FlushHeld(at)
	}
}

var _ tcp.Handler = (*h1.Server)(nil)

// takeUnsent takes n bytes written but never sent out of the byte counts
// parts, in order, leaving none below 0.
func takeUnsent(n int64, parts ...*int64) {
	for _, part := range parts {
		cut := min(n, max(*part, 0))
		*part -= cut
		n -= cut
	}
}
