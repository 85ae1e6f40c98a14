package scenario

import (
	"time"

	"httpsim/sim"
	"httpsim/sim/h1"
	"httpsim/sim/h2"
	"httpsim/sim/tcp"
	"httpsim/sim/tls"
	"httpsim/sim/topo"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
	"httpsim/sim/web"
)

// ProtocolRun is one protocol's load of a page.
type ProtocolRun struct {
	Proto string
	// Status says how the run ended ("finished" once the page loaded).
	Status string
	// PLT is the page load time: from navigation to the last resource's
	// completion; -1 if the page did not finish loading.
	PLT         time.Duration
	Events      int64
	TraceEvents int64
	TraceHash   string
	// Totals over every connection, both directions.
	PacketsSent, PacketsLost, Retransmits int64
	Wire                                  WireBytes
	// Connections is the number of transport connections opened.
	Connections int
	// HeaderBytes is the size of the header sections on the wire (HTTP/1.x
	// text, HPACK or QPACK blocks), both directions; HeaderUncompressed
	// the same fields as HTTP/1.1 text lines.
	HeaderBytes, HeaderUncompressed int64
	// HOL is the sum over resources of their head-of-line time (other
	// streams or requests in the way); LossDelay of their own-loss delay.
	HOL, LossDelay time.Duration
	Resources      []web.ResourceState
	Log            *trace.Log
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
	proto string
	loop  *sim.Loop
	log   *trace.Log
	path  *topo.Path

	origin  *web.Origin
	browser *web.Browser
	pool    *h1.Pool
	servers []*h1.Server
	h2c     *h2.Client
	h2s     []*h2.Server
	tlsEnds []*tls.Conn

	sent, lost, rtx   int64
	wire, tcpip, rtxB int64
	reqHeads, bodies  int64
}

func newPageRun(s *Scenario, opt Options, proto string) *pageRun {
	r := &pageRun{s: s, proto: proto, loop: sim.NewLoop(s.limits()), log: trace.NewLog(opt.KeepTrace)}
	r.path = topo.NewPath(r.loop, r.log, sim.Seed(s.Seed), s.Network.linkConfig(s.Network.Up), s.Network.linkConfig(s.Network.Down))
	r.log.Observe(r.count)
	r.origin = web.NewOrigin(s.Page)
	scheme := "https"
	if s.TLS.Version == tls.None {
		scheme = "http"
	}
	var fetcher web.Fetcher
	switch proto {
	case "h1":
		r.pool = h1.NewPool(s.H1, r.log, r.dialH1)
		fetcher = r.pool
	case "h2":
		r.origin.PushEnabled = s.H2.Push
		r.h2c = h2.NewClient(s.H2, r.loop, r.log, r.dialH2)
		fetcher = r.h2c
	}
	r.browser = web.NewBrowser(r.loop, r.log, s.Page, scheme, fetcher, s.Visit)
	if r.h2c != nil {
		r.h2c.SetCache(r.browser)
	}
	r.browser.OnLoad = func(sim.Time) { r.loop.Stop() }
	r.loop.After(0, r.browser.Start)
	return r
}

// dialH1 opens a connection for the HTTP/1.x pool and puts an HTTP/1.x
// server on its far end.
func (r *pageRun) dialH1(now sim.Time) transport.Conn {
	client, server := r.dialTLS(now)
	r.servers = append(r.servers, h1.NewServer(server, r.origin, r.loop, r.log))
	return client
}

// dialTLS opens a TCP connection, with TLS on it unless the scenario says
// plain HTTP, and returns both ends.
func (r *pageRun) dialTLS(now sim.Time) (client, server transport.Conn) {
	tc, ts := r.path.NewTCP(r.s.TCP)
	client, server = tc, ts
	if r.s.TLS.Version != tls.None {
		c := tls.NewClient(tc, r.s.TLS, r.loop, r.log)
		s := tls.NewServer(ts, r.s.TLS, r.loop, r.log)
		r.tlsEnds = append(r.tlsEnds, c, s)
		client, server = c, s
	}
	r.loop.After(now, tc.Connect)
	return client, server
}

// dialH2 opens the HTTP/2 connection (h2 over TLS, or h2c with prior
// knowledge over plain TCP, RFC 9113 §3.3).
func (r *pageRun) dialH2(now sim.Time) transport.Conn {
	client, server := r.dialTLS(now)
	srv, err := h2.NewServer(r.s.H2, server, r.origin, r.loop, r.log)
	if err != nil {
		panic(err) // the scenario was validated
	}
	r.h2s = append(r.h2s, srv)
	return client
}

func (r *pageRun) count(e *trace.Event) {
	switch e.Kind {
	case trace.PacketSent:
		r.sent++
		r.wire += e.Size
		r.tcpip += e.Size - e.Len
		if e.Flags.Has(trace.FlagRetransmit) {
			r.rtx++
			r.rtxB += e.Len
		}
	case trace.PacketDropped:
		r.lost++
	case trace.FrameCreated:
		if e.Side == trace.Client && e.Name == "request" {
			r.reqHeads += int64(len(e.Raw))
			r.bodies += e.Len - int64(len(e.Raw))
		}
	}
}

func (r *pageRun) progress() float64 {
	res := r.browser.Resources()
	done, all := 0, 0
	for _, x := range res {
		if x.Requested {
			all++
			if x.Done != sim.Never {
				done++
			}
		}
	}
	if all == 0 {
		return 0
	}
	return float64(done) / float64(all)
}

func (r *pageRun) finish() *ProtocolRun {
	run := &ProtocolRun{
		Proto:       r.proto,
		Status:      r.loop.Status().String(),
		PLT:         -1,
		Events:      r.loop.Events(),
		TraceEvents: r.log.Len(),
		TraceHash:   r.log.HashString(),
		PacketsSent: r.sent,
		PacketsLost: r.lost,
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
	}
	w := WireBytes{Total: r.wire, TCPIP: r.tcpip, Retransmitted: r.rtxB, Headers: r.reqHeads, Bodies: r.bodies}
	for _, t := range r.tlsEnds {
		w.TLS += t.Stats().Overhead()
	}
	for _, s := range r.servers {
		w.Headers += s.HeaderBytes + s.Framing
		w.Bodies += s.BodyBytes
		run.HeaderBytes += s.HeaderBytes
	}
	if r.pool != nil {
		run.HeaderBytes += r.reqHeads
		run.HeaderUncompressed = run.HeaderBytes
	}
	run.Wire = w
	if r.pool != nil {
		run.Connections = r.pool.Opened()
	}
	if r.h2c != nil {
		run.Connections = r.h2c.Opened()
		cs := r.h2c.Stats()
		w.Headers = cs.Framing + cs.HeaderBlocks
		w.Bodies = cs.Bodies
		run.HeaderBytes += cs.HeaderBlocks
		run.HeaderUncompressed += cs.HeaderUncompressed
		for _, s := range r.h2s {
			ss := s.Stats()
			w.Headers += ss.Framing + ss.HeaderBlocks
			w.Bodies += ss.Bodies
			run.HeaderBytes += ss.HeaderBlocks
			run.HeaderUncompressed += ss.HeaderUncompressed
		}
		run.Wire = w
	}
	return run
}

var _ tcp.Handler = (*h1.Server)(nil)
