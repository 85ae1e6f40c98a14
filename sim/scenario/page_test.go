package scenario

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/tls"
	"httpsim/sim/trace"
	"httpsim/sim/units"
	"httpsim/sim/web"
)

// tinyPage is one small document and nothing else.
func tinyPage() *web.Page {
	return &web.Page{Origin: "www.example.com", Resources: []web.Resource{
		{URL: "/", Type: web.HTML, Size: 100, Parent: -1},
	}}
}

func runPage(t *testing.T, s *Scenario) *ProtocolRun {
	t.Helper()
	r, err := Run(s, Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Runs) != 1 {
		t.Fatalf("%d runs; want 1", len(r.Runs))
	}
	run := r.Runs[0]
	if run.PLT < 0 {
		t.Fatalf("page did not load: %s", run.Status)
	}
	return run
}

// TestFirstResponseByteRoundTrips checks ORACLES.md's table: the first byte
// of a tiny response arrives 2, 4, 3 and 2 round trips after the client
// starts to connect, for HTTP, HTTPS with TLS 1.2, TLS 1.3, and TLS 1.3 with
// 0-RTT early data. "Exactly, once serialization is accounted for": the
// excess over k·RTT is at most the time to serialise every packet sent
// before that byte arrived.
func TestFirstResponseByteRoundTrips(t *testing.T) {
	stacks := []struct {
		name string
		tls  tls.Config
		rtts int
	}{
		{"HTTP/1.1 over TCP", tls.Config{Version: tls.None}, 2},
		{"HTTPS TLS 1.2", tls.Config{Version: tls.TLS12, CertChain: 4000, MaxRecord: 16384}, 4},
		{"HTTPS TLS 1.3", tls.Config{Version: tls.TLS13, CertChain: 4000, MaxRecord: 16384}, 3},
		{"HTTPS TLS 1.3 0-RTT", tls.Config{Version: tls.TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true, EarlyData: true}, 2},
	}
	for _, rtt := range []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond} {
		for _, st := range stacks {
			s := Page()
			s.Page = tinyPage()
			s.TLS = st.tls
			s.Network.RTT = rtt
			s.Network.Bandwidth = 100 * units.Mbps
			checkFirstByte(t, runPage(t, s), s.Network.Bandwidth, rtt, st.rtts, st.name)
		}
	}
}

// checkFirstByte checks that the first byte of run's first response came k
// round trips of rtt after the start, plus at most the time to serialise
// every packet sent before it on a link of bandwidth bw.
func checkFirstByte(t *testing.T, run *ProtocolRun, bw units.Rate, rtt time.Duration, k int, name string) {
	t.Helper()
	first := run.Resources[0].FirstByte
	var serialisation time.Duration
	for _, e := range run.Log.Events() {
		if e.Kind == trace.PacketSent && e.At < first {
			serialisation += bw.TxTime(int(e.Size))
		}
	}
	want := time.Duration(k) * rtt
	excess := first.Since0() - want
	t.Logf("RTT %v %-24s first byte %v = %dR + %v (serialisation bound %v)", rtt, name, first.Since0(), k, excess, serialisation)
	if excess < 0 || excess > serialisation {
		t.Errorf("RTT %v, %s: first byte at %v; want %dR = %v plus at most %v of serialisation", rtt, name, first.Since0(), k, want, serialisation)
	}
}

// countSYNs counts the client's SYNs (one per TCP handshake).
func countSYNs(run *ProtocolRun) int {
	n := 0
	for _, e := range run.Log.Events() {
		if e.Kind == trace.PacketSent && e.Side == trace.Client && e.Flags.Has(trace.FlagSYN) && !e.Flags.Has(trace.FlagRetransmit) {
			n++
		}
	}
	return n
}

func TestHTTP10PaysAHandshakePerRequest(t *testing.T) {
	s := Page()
	s.H1.HTTP10 = true
	r10 := runPage(t, s)
	s = Page()
	r11 := runPage(t, s)
	requests := 0
	for _, x := range r10.Resources {
		if x.Requested {
			requests++
		}
	}
	t.Logf("HTTP/1.0: %d requests, %d connections, %d handshakes, PLT %v; HTTP/1.1: %d connections, %d handshakes, PLT %v",
		requests, r10.Connections, countSYNs(r10), r10.PLT, r11.Connections, countSYNs(r11), r11.PLT)
	if r10.Connections != requests || countSYNs(r10) != requests {
		t.Errorf("HTTP/1.0: %d connections and %d handshakes for %d requests; want one each per request", r10.Connections, countSYNs(r10), requests)
	}
	if r11.Connections != 6 || countSYNs(r11) != 6 {
		t.Errorf("HTTP/1.1 keep-alive: %d connections, %d handshakes; want the pool's 6, reused", r11.Connections, countSYNs(r11))
	}
	if r10.PLT <= r11.PLT {
		t.Errorf("HTTP/1.0 PLT %v; want slower than keep-alive's %v", r10.PLT, r11.PLT)
	}
}

// pipelinePage has a document that references two resources at once: A,
// which the server takes 500 ms to produce, and B, which takes 10 ms.
func pipelinePage(aTime time.Duration) *web.Page {
	return &web.Page{Origin: "www.example.com", Resources: []web.Resource{
		{URL: "/", Type: web.HTML, Size: 1000, Parent: -1},
		{URL: "/a.json", Type: JSONType, Size: 2000, Parent: 0, After: 0, ServerTime: aTime},
		{URL: "/b.json", Type: JSONType, Size: 2000, Parent: 0, After: 0, ServerTime: 10 * time.Millisecond},
	}}
}

// JSONType is web.JSON (named here to keep the table readable).
const JSONType = web.JSON

func TestPipeliningHeadOfLineBlocking(t *testing.T) {
	run := func(aTime time.Duration) *ProtocolRun {
		s := Page()
		s.Page = pipelinePage(aTime)
		s.H1.MaxConns = 1
		s.H1.Pipelining = true
		return runPage(t, s)
	}
	slow, fast := run(500*time.Millisecond), run(10*time.Millisecond)
	a, b := slow.Resources[1], slow.Resources[2]
	if a.Conn != b.Conn || b.Stream != a.Stream+1 {
		t.Fatalf("A on conn %d stream %d, B on conn %d stream %d; want both pipelined on one connection, A first", a.Conn, a.Stream, b.Conn, b.Stream)
	}
	delay := b.Done.Sub(fast.Resources[2].Done)
	t.Logf("B done at %v behind a slow A, %v behind a fast one: delayed %v; its HTTP-level HoL %v", b.Done, fast.Resources[2].Done, delay, b.HOL)
	if delay != 490*time.Millisecond {
		t.Errorf("B delayed by %v; want exactly the difference in server time, 490ms", delay)
	}
	if b.HOL != 490*time.Millisecond {
		t.Errorf("B's HoL time %v; want 490ms", b.HOL)
	}
	if a.HOL != 0 || fast.Resources[2].HOL != 0 {
		t.Errorf("A's HoL %v, B's with a fast A %v; want 0 and 0", a.HOL, fast.Resources[2].HOL)
	}
}

// A pipelined response waits behind a large one before it until that one's
// bytes have left (RFC 9112 §9.3.2), over TLS as over bare TCP: B, ready
// at once, waited behind A's 300 KB with no HoL counted, since A was
// handed to TCP at once. A itself, first in line, waits for nothing but its
// own window. B's wait ends when A's last byte is sent: at most A's
// completion less the one-way delay, at least that less the longest the
// drop-tail queue can hold it.
func TestPipelinedBehindALargeResponse(t *testing.T) {
	for _, v := range []tls.Version{tls.None, tls.TLS13} {
		t.Run(string(v), func(t *testing.T) {
			s := Page()
			s.TLS.Version = v
			s.Network.QueueBytes = 100_000
			s.H1.MaxConns, s.H1.Pipelining = 1, true
			s.Page = &web.Page{Origin: "www.example.com", Resources: []web.Resource{
				{URL: "/", Type: web.HTML, Size: 1000, Parent: -1},
				{URL: "/a.jpg", Type: web.Image, Size: 300_000, Parent: 0, After: 0},
				{URL: "/b.json", Type: JSONType, Size: 2000, Parent: 0, After: 0},
			}}
			run := runPage(t, s)
			a, b := run.Resources[1], run.Resources[2]
			if a.Conn != b.Conn || b.Stream != a.Stream+1 {
				t.Fatalf("A on conn %d stream %d, B on conn %d stream %d; want both pipelined on one connection, A first", a.Conn, a.Stream, b.Conn, b.Stream)
			}
			// B was ready when its request arrived, half an RTT after
			// it was sent.
			oneWay := s.Network.RTT / 2
			queue := s.Network.Bandwidth.TxTime(s.Network.QueueBytes)
			most := a.Done.Sub(b.Sent) - 2*oneWay
			least := most - queue - time.Millisecond
			t.Logf("A done at %v; B sent at %v, HoL %v (want %v..%v)", a.Done, b.Sent, b.HOL, least, most)
			if a.HOL != 0 {
				t.Errorf("A's HoL %v; want 0: nothing was ahead of it", a.HOL)
			}
			if b.HOL < least || b.HOL > most || b.HOLBy[web.HOLHTTP] != b.HOL {
				t.Errorf("B's HoL %v (HTTP-level %v); want all HTTP-level, between %v and %v", b.HOL, b.HOLBy[web.HOLHTTP], least, most)
			}
		})
	}
}

// RFC 9112 §9.3.2: nothing is pipelined behind a POST until its response
// arrives; the requests before it may be.
func TestNoPipeliningAfterAPost(t *testing.T) {
	s := Page()
	s.H1.MaxConns, s.H1.Pipelining = 1, true
	s.Page = &web.Page{Origin: "www.example.com", Resources: []web.Resource{
		{URL: "/", Type: web.HTML, Size: 2000, Parent: -1},
		{URL: "/a", Type: web.JSON, Size: 500, Parent: 0, After: web.AfterParent},
		{URL: "/post", Type: web.JSON, Size: 500, Parent: 0, After: web.AfterParent, Method: "POST", RequestBody: 1000, ServerTime: 100 * time.Millisecond},
		{URL: "/c", Type: web.JSON, Size: 500, Parent: 0, After: web.AfterParent},
	}}
	r := runPage(t, s).Resources
	a, post, c := r[1], r[2], r[3]
	if post.Sent != a.Sent {
		t.Errorf("the POST went at %v, the GET before it at %v; want both pipelined at once", post.Sent, a.Sent)
	}
	if c.Sent < post.FirstByte {
		t.Errorf("GET /c sent at %v, before the POST's response at %v; want it held until then", c.Sent, post.FirstByte)
	}
}

// RFC 9112 §9.3.2: after a connection fails, the requests retried on a new
// one are not pipelined until a response has completed there. At 700 ms the
// client moved and all six were sent at once on the new connection.
func TestNoPipeliningRightAfterAFailure(t *testing.T) {
	s := Page()
	s.H1.MaxConns, s.H1.Pipelining, s.H1.MaxPipeline = 1, true, 6
	s.Network.PathChanges = []PathChange{{At: 700 * time.Millisecond}}
	run := runPage(t, s)
	var requests []sim.Time
	var firstDone sim.Time = -1
	for _, e := range run.Log.Events() {
		switch {
		case e.Conn != 1 || e.Side != trace.Client:
		case e.Kind == trace.FrameCreated && e.Name == "request":
			requests = append(requests, e.At)
		case e.Kind == trace.FrameParsed && e.Name == "response" && firstDone < 0:
			firstDone = e.At
		}
	}
	if len(requests) < 2 || firstDone < 0 {
		t.Fatalf("connection 1: %d requests, first response at %v; want a retried pipeline", len(requests), firstDone)
	}
	if requests[1] < firstDone {
		t.Errorf("connection 1 sent its second request at %v, before any response had arrived there (%v); want one request until then", requests[1], firstDone)
	}
}

// firstFlights sums, over connections, the data segments each server end
// sent from its first response byte until the first ACK of that response
// came back: the first flight the connection's initial window allows.
func firstFlights(run *ProtocolRun) int {
	start := map[int32]sim.Time{}
	firstSeq := map[int32]int64{}
	done := map[int32]bool{}
	n := 0
	for _, e := range run.Log.Events() {
		if e.Side != trace.Server || done[e.Conn] {
			continue
		}
		switch e.Kind {
		case trace.FrameCreated:
			if _, ok := start[e.Conn]; !ok && e.Name == "response" {
				start[e.Conn] = e.At
			}
		case trace.PacketSent:
			if _, ok := start[e.Conn]; ok && e.Len > 0 {
				if _, ok := firstSeq[e.Conn]; !ok {
					firstSeq[e.Conn] = e.Seq
				}
				n++
			}
		case trace.PacketReceived:
			if f, ok := firstSeq[e.Conn]; ok && e.Ack > f {
				done[e.Conn] = true
			}
		}
	}
	return n
}

func TestSixConnectionsVersusOne(t *testing.T) {
	for _, v := range []tls.Version{tls.None, tls.TLS13} {
		s := Page()
		s.TLS.Version = v
		six := runPage(t, s)
		s = Page()
		s.TLS.Version = v
		s.H1.MaxConns = 1
		one := runPage(t, s)
		f6, f1 := firstFlights(six), firstFlights(one)
		iw := s.TCP.InitialWindow
		t.Logf("TLS %s: first flights carry %d segments on 6 connections (%.1f initial windows), %d on one; PLT %v versus %v",
			v, f6, float64(f6)/float64(iw), f1, six.PLT, one.PLT)
		if f6 < 4*iw || f1 > iw {
			t.Errorf("first flights: %d segments on 6 connections, %d on one; want about six initial windows (at least 4) against at most one", f6, f1)
		}
		if six.PLT >= one.PLT {
			t.Errorf("PLT with 6 connections %v; want faster than with one, %v", six.PLT, one.PLT)
		}
	}
}

func TestRepeatVisit(t *testing.T) {
	s := Page()
	first := runPage(t, s)
	s = Page()
	s.Visit = web.Visit{Repeat: true, Age: ptr(time.Hour)}
	again := runPage(t, s)
	page := s.Page
	fresh, revalidated := 0, 0
	for i, x := range again.Resources {
		res := page.Resources[i]
		switch {
		case res.MaxAge > int64(time.Hour/time.Second):
			// Fresh (max-age a week or a year, visited an hour ago):
			// RFC 9111 §4.2, no request at all.
			if x.Cache != "fresh" || x.Sent != sim.Never {
				t.Errorf("%s: cache %q, sent at %v; want served fresh with no request", x.URL, x.Cache, x.Sent)
			}
			fresh++
		default:
			// Stale with validators: a conditional request, 304, headers only.
			if x.Status != 304 || x.Cache != "revalidated" || x.BodyBytes != 0 || x.HeaderBytes == 0 {
				t.Errorf("%s: status %d, cache %q, %d header and %d body bytes; want 304 with headers only", x.URL, x.Status, x.Cache, x.HeaderBytes, x.BodyBytes)
			}
			revalidated++
		}
	}
	t.Logf("repeat visit: %d fresh from the cache, %d revalidated with 304; PLT %v against %v on the first visit; bytes on the wire %d against %d",
		fresh, revalidated, again.PLT, first.PLT, again.Wire.Total, first.Wire.Total)
	if fresh == 0 || revalidated == 0 || again.PLT >= first.PLT {
		t.Errorf("repeat visit: %d fresh, %d revalidated, PLT %v; want some of each and faster than %v", fresh, revalidated, again.PLT, first.PLT)
	}
}

// redirectPage reaches the document through a chain of two redirects: a
// permanent 301 and a temporary 302.
func redirectPage(chain bool) *web.Page {
	p := &web.Page{Origin: "www.example.com"}
	if chain {
		p.Resources = append(p.Resources,
			web.Resource{URL: "/old", Type: web.HTML, Size: 150, Parent: -1, Status: 301, Location: "/moved"},
			web.Resource{URL: "/moved", Type: web.HTML, Size: 150, Parent: -1, Status: 302, Location: "/index.html"})
	}
	doc := len(p.Resources)
	p.Resources = append(p.Resources,
		web.Resource{URL: "/index.html", Type: web.HTML, Size: 5000, Parent: -1},
		web.Resource{URL: "/app.css", Type: web.CSS, Size: 3000, Parent: doc, After: 500})
	return p
}

func TestRedirectChainCostsRoundTrips(t *testing.T) {
	plt := func(chain, repeat bool) time.Duration {
		s := Page()
		s.Page = redirectPage(chain)
		s.Visit.Repeat = repeat
		return runPage(t, s).PLT
	}
	rtt := Page().Network.RTT
	direct, chained := plt(false, false), plt(true, false)
	extra := chained - direct
	t.Logf("first visit: %v direct, %v through 301+302: %v extra (%.2f RTT)", direct, chained, extra, float64(extra)/float64(rtt))
	if d := extra - 2*rtt; d < 0 || d > 5*time.Millisecond {
		t.Errorf("a chain of 2 redirects cost %v; want 2 RTT (%v) plus serialisation", extra, 2*rtt)
	}
	// On the repeat visit the 301 is cached (permanent), the 302 is not:
	// one extra round trip instead of two.
	directAgain, chainedAgain := plt(false, true), plt(true, true)
	extra = chainedAgain - directAgain
	t.Logf("repeat visit: %v extra (%.2f RTT)", extra, float64(extra)/float64(rtt))
	if d := extra - rtt; d < 0 || d > 5*time.Millisecond {
		t.Errorf("repeat visit: the chain cost %v; want 1 RTT (%v): the cached 301 costs none", extra, rtt)
	}
}

func TestCompressionShrinksTextOnly(t *testing.T) {
	s := Page()
	zipped := runPage(t, s)
	s = Page()
	s.Page.Compression.Encoding = "none"
	plain := runPage(t, s)
	ratio := 0.30
	for i, res := range s.Page.Resources {
		z, p := zipped.Resources[i].BodyBytes, plain.Resources[i].BodyBytes
		if p != res.Size {
			t.Errorf("%s uncompressed: %d body bytes; want %d", res.URL, p, res.Size)
		}
		if res.Type.Text() {
			want := int64(math.Ceil(float64(res.Size) * ratio))
			if z != want {
				t.Errorf("%s with gzip: %d body bytes; want %d (ratio %.2f)", res.URL, z, want, ratio)
			}
		} else if z != res.Size {
			t.Errorf("%s (%s) with gzip: %d body bytes; want %d: images are not recompressed", res.URL, res.Type, z, res.Size)
		}
	}
	t.Logf("bytes on the wire: %d with gzip, %d without", zipped.Wire.Total, plain.Wire.Total)
}

func TestWireBytesAddUp(t *testing.T) {
	for _, v := range []tls.Version{tls.None, tls.TLS12, tls.TLS13} {
		s := Page()
		s.TLS.Version = v
		s.Network.Down.Loss.Model, s.Network.Down.Loss.Rate = "bernoulli", 0.02
		run := runPage(t, s)
		w := run.Wire
		if sum := w.TCPIP + w.TLS + w.Headers + w.Bodies + w.Retransmitted; sum != w.Total {
			t.Errorf("TLS %s: %d + %d + %d + %d + %d = %d; want the total %d", v, w.TCPIP, w.TLS, w.Headers, w.Bodies, w.Retransmitted, sum, w.Total)
		}
		if v == tls.None && w.TLS != 0 || v != tls.None && w.TLS == 0 {
			t.Errorf("TLS %s: %d TLS bytes", v, w.TLS)
		}
	}
	// HTTP/3: QUIC's counters split every byte it sent; the bodies are the
	// page's bytes exactly, whatever was lost.
	s := Page()
	s.Protocols = []string{"h3", "h2"}
	s.Network.Down.Loss.Model, s.Network.Down.Loss.Rate = "bernoulli", 0.02
	r, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	h3, h2 := r.Runs[0].Wire, r.Runs[1].Wire
	if sum := h3.TCPIP + h3.TLS + h3.Headers + h3.Bodies + h3.Retransmitted; sum != h3.Total || h3.Retransmitted == 0 || h3.TLS == 0 {
		t.Errorf("HTTP/3: %+v adds up to %d; want the total, with retransmissions and handshake bytes", h3, sum)
	}
	if h3.Bodies != h2.Bodies {
		t.Errorf("HTTP/3 sent %d body bytes, HTTP/2 %d; the same page should send the same bodies", h3.Bodies, h2.Bodies)
	}
}

func TestPageValidation(t *testing.T) {
	tests := []struct {
		mod  func(*Scenario)
		want string
	}{
		{func(s *Scenario) { s.H1.MaxConns = 0 }, "h1.max_conns: 0 is out of range (1 to 64)"},
		{func(s *Scenario) { s.Page.Resources[3].Size = -5 }, "workload.page.resources[3].size: -5 is out of range (0 to 16GiB)"},
		{func(s *Scenario) {
			s.Page.Resources[1].Parent = 2
			s.Page.Resources[2].Parent = 1
		}, "workload.page.resources[1].parent: discovery has a cycle through resources [1 2]"},
		{func(s *Scenario) { s.Page.Resources[4].Parent = 99 }, "workload.page.resources[4].parent: 99 is out of range (-1, or the index of another resource: 0 to 29)"},
		{func(s *Scenario) { s.Page.Resources[2].URL = s.Page.Resources[1].URL }, `workload.page.resources[2].url: "/css/style1.css" is also resources[1]'s URL`},
		{func(s *Scenario) { s.Protocols = []string{"h4"} }, `protocols[0]: "h4" is not a protocol (use ` + strings.Join(protocolNames, ", ") + `)`},
		{func(s *Scenario) { s.TLS.Version = "1.1" }, `tls.version: "1.1" is not a TLS version (use none, 1.2 or 1.3)`},
		{func(s *Scenario) { s.Page.Resources[5].Status = 700 }, "workload.page.resources[5].status: 700 is out of range (200 to 599)"},
		{func(s *Scenario) { s.Page.Resources[5].Status = 101 }, "workload.page.resources[5].status: 101 is out of range (200 to 599; a 1xx response is interim, RFC 9110 §15.2)"},
		{func(s *Scenario) {
			r := s.Page.Resources
			r[5].Status, r[5].Location = 307, r[6].URL
			r[6].Parent, r[6].Method = -1, "POST"
		}, "workload.page.resources[6].method: a redirect's target is requested with the method and body its redirect gives it (307 and 308 keep them, 303 asks with GET, 301 and 302 turn POST into GET; RFC 9110 §15.4); leave method and request_body unset"},
		{func(s *Scenario) { s.Page.Resources[5].RequestBody = 100 }, "workload.page.resources[5].request_body: a GET request carries no content (RFC 9110 §9.3.1, §9.3.2); use POST or PUT"},
		{func(s *Scenario) { s.Page.Resources[5].Status = 304 }, "workload.page.resources[5].status: 304 answers only a conditional request (RFC 9110 §15.4.5); give the resource etag or last_modified and make the visit a repeat one instead"},
		{func(s *Scenario) { s.Page.Resources[5].Status, s.Page.Resources[5].Location = 301, "/nowhere" }, `workload.page.resources[5].location: "/nowhere" is not the URL of a resource of the page`},
		// Pages that could not load: they used to "load", or never end.
		{func(s *Scenario) { s.Page.Resources[4].Parent = 4 }, "workload.page.resources[4].parent: 4 is this resource itself; want -1 or the index of another resource"},
		{func(s *Scenario) { s.Page.Resources[1].After = 32_001 }, `workload.page.resources[1].after: 32001 is past the end of its parent, resources[0], whose body is 32000 bytes; want 0 to 32000, or "end" for when the parent completes`},
		{func(s *Scenario) { s.Page.Resources[0].Lazy = true }, "workload.page.resources[0].lazy: the document is what the page load is; it cannot wait for the load event"},
		{func(s *Scenario) { s.Page.Resources[5].Status = 302 }, "workload.page.resources[5].location: missing; a 302 redirect needs the URL it points to (RFC 9110 §10.2.2)"},
		{func(s *Scenario) {
			s.Page.Resources[0].Status, s.Page.Resources[0].Location = 301, s.Page.Resources[0].URL
		},
			`workload.page.resources[0].location: the redirects from "/index.html" loop back to "/index.html"; want a chain that ends in a response`},
		{func(s *Scenario) {
			r := s.Page.Resources
			r[4].Status, r[4].Location = 302, r[5].URL
			r[5].Status, r[5].Location = 302, r[4].URL
		}, `workload.page.resources[4].location: the redirects from "/js/app1.js" loop back to "/js/app1.js"; want a chain that ends in a response`},
		{func(s *Scenario) {
			// 21 redirects in a row: the document, then 20 more.
			var chain []web.Resource
			for i := 0; i < 22; i++ {
				r := web.Resource{URL: fmt.Sprintf("/r%d", i), Type: web.HTML, Size: 100, Parent: -1, Status: 302, Location: fmt.Sprintf("/r%d", i+1)}
				if i == 21 {
					r.Status, r.Location = 0, ""
				}
				chain = append(chain, r)
			}
			s.Page.Resources = chain
		}, `workload.page.resources[0].location: the redirects from "/r0" go on for 21 hops, more than the 20 browsers follow (ERR_TOO_MANY_REDIRECTS); want a shorter chain`},
		{func(s *Scenario) {
			// A chain listed from its end, its start found last: the
			// document refers to /r22, which redirects to /r21, and so on
			// to /r1. A walk per resource that stopped at what earlier
			// walks had seen counted one hop and let it through.
			chain := []web.Resource{{URL: "/", Type: web.HTML, Size: 1000, Parent: -1}}
			for i := 1; i <= 22; i++ {
				r := web.Resource{URL: fmt.Sprintf("/r%d", i), Type: web.Image, Size: 100, Parent: -1, Status: 302, Location: fmt.Sprintf("/r%d", i-1)}
				if i == 1 {
					r.Status, r.Location = 0, ""
				}
				if i == 22 {
					r.Parent = 0
				}
				chain = append(chain, r)
			}
			s.Page.Resources = chain
		}, `workload.page.resources[22].location: the redirects from "/r22" go on for 21 hops, more than the 20 browsers follow (ERR_TOO_MANY_REDIRECTS); want a shorter chain`},
		{func(s *Scenario) { s.Protocols = []string{"h1", "h2", "h1"} }, `protocols[2]: "h1" is protocols[0] already; list each once`},
		{func(s *Scenario) { s.Page.Resources[7].Parent = -1 }, `workload.page.resources[7].parent: -1, but nothing redirects to "/js/app4.js", so it would never be fetched; want the index of the resource that refers to it`},
		// Bounded so that every request head fits what the servers take.
		{func(s *Scenario) { s.Page.Cookie = 64<<10 + 1 }, "workload.page.cookie: 65537 is out of range (0 to 65536 bytes)"},
		{func(s *Scenario) { s.Page.Resources[5].URL = "/" + strings.Repeat("a", 8000) },
			"workload.page.resources[5].url: 8001 bytes is out of range (1 to 8000: about the request-line length RFC 9112 §3 recommends every recipient support)"},
		{func(s *Scenario) { s.Page.Origin = strings.Repeat("a", 252) + ".com" },
			"workload.page.origin: 256 bytes is out of range (1 to 255: a domain name is at most 255 octets, RFC 1035 §2.3.4)"},
		// A location with a status that is not a redirect was ignored;
		// only its target's parent: -1 was refused, which did not say why.
		{func(s *Scenario) { s.Page.Resources[5].Location = s.Page.Resources[6].URL },
			`workload.page.resources[5].location: "/js/app3.js" with status 200, which sends no one there; a location needs status 301, 302, 303, 307 or 308 (a redirect the browser follows, RFC 9110 §15.4) or 300 (a preferred choice it does not follow, §15.4.1)`},
		{func(s *Scenario) { s.Page.Resources[5].Status, s.Page.Resources[5].Location = 404, "/x" },
			`workload.page.resources[5].location: "/x" with status 404, which sends no one there; a location needs status 301, 302, 303, 307 or 308 (a redirect the browser follows, RFC 9110 §15.4) or 300 (a preferred choice it does not follow, §15.4.1)`},
		{func(s *Scenario) {
			s.Page.Resources[5].Status, s.Page.Resources[5].Location = 300, "/x\r\nSet-Cookie: a=b"
		},
			`workload.page.resources[5].location: "/x\r\nSet-Cookie: a=b" is not a request path (it must start with /, in visible ASCII without spaces or #; RFC 9112 §3.2.1)`},
	}
	for _, tt := range tests {
		s := Page()
		tt.mod(s)
		if err := s.Validate(); err == nil || err.Error() != tt.want {
			t.Errorf("Validate() = %v; want %q", err, tt.want)
		}
	}
}

func TestChunkedResponse(t *testing.T) {
	run := func(chunked bool) *ProtocolRun {
		s := Page()
		s.Page = &web.Page{Origin: "www.example.com", Resources: []web.Resource{
			{URL: "/feed", Type: web.Other, Size: 50_000, Parent: -1, Chunked: chunked},
			{URL: "/app.js", Type: web.JS, Size: 4_000, Parent: 0, After: 30_000},
		}}
		return runPage(t, s)
	}
	plain, chunked := run(false), run(true)
	for i := range chunked.Resources {
		if chunked.Resources[i].BodyBytes != plain.Resources[i].BodyBytes || chunked.Resources[i].Status != 200 {
			t.Errorf("%s: %d body bytes chunked, %d with Content-Length", chunked.Resources[i].URL, chunked.Resources[i].BodyBytes, plain.Resources[i].BodyBytes)
		}
	}
	// 50000 bytes in 8192-byte chunks: 7 size lines and CRLFs, and the
	// last chunk: framing on the wire that Content-Length does not need.
	framing := chunked.Wire.Headers - plain.Wire.Headers
	t.Logf("chunked framing added %d bytes", framing)
	if framing < 7*(4+2+2) || framing > 100 {
		t.Errorf("chunked framing %d bytes; want 7 chunks' size lines and CRLFs plus the last chunk", framing)
	}
}

// A compressed document sent chunked, without Content-Length, yields its
// references as fast as one with it: the browser decodes as the bytes come.
// It counted compressed bytes as the document's, and found a reference at
// 60 KB of the document after 60 KB of gzip: at 600 ms rather than 260 ms.
func TestChunkedCompressedDocumentIsReadAsItDecodes(t *testing.T) {
	for _, proto := range []string{"h1", "h2", "h3"} {
		run := func(chunked bool) *ProtocolRun {
			s := Page()
			s.Protocols = []string{proto}
			s.Page = &web.Page{Origin: "www.example.com", Compression: web.Compression{Encoding: "gzip"}, Resources: []web.Resource{
				{URL: "/", Type: web.HTML, Size: 400_000, Parent: -1, Chunked: chunked},
				{URL: "/b.css", Type: web.CSS, Size: 4_000, Parent: 0, After: 60_000},
			}}
			return runPage(t, s)
		}
		plain, chunked := run(false), run(true)
		p, c := plain.Resources[1].Discovered, chunked.Resources[1].Discovered
		if d := c.Sub(p); d < -5*time.Millisecond || d > 5*time.Millisecond {
			t.Errorf("%s: /b.css found at %v with Content-Length, at %v chunked; want the same moment", proto, p, c)
		}
	}
}

// Every page run of the library splits its bytes on the wire exactly, also
// when connections die with data queued (get-vs-post's reset variant,
// migration): bytes never sent are counted nowhere.
func TestWireBytesAddUpAcrossTheLibrary(t *testing.T) {
	for _, name := range Names() {
		s, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(s, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range res.Runs {
			if r.Updates != nil {
				continue // its own counters (sim/updates)
			}
			w := r.Wire
			if sum := w.TCPIP + w.TLS + w.Headers + w.Bodies + w.Retransmitted; sum != w.Total || w.Bodies < 0 {
				t.Errorf("%s %s %s: %+v adds up to %d; want the total %d", name, r.Variant, r.Proto, w, sum, w.Total)
			}
		}
	}
	// And when a limit stops the run halfway: HTTP/3 counted the bytes it
	// wrote into streams (600 kB of bodies at 300 ms, of 51 kB sent).
	for _, proto := range []string{"h1", "h2", "h3"} {
		s := Page()
		s.Protocols = []string{proto}
		s.Limits.MaxTime = 300 * time.Millisecond
		res, err := Run(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		w := res.Runs[0].Wire
		if sum := w.TCPIP + w.TLS + w.Headers + w.Bodies + w.Retransmitted; sum != w.Total || w.Bodies < 0 || w.Headers < 0 {
			t.Errorf("%s stopped at 300 ms: %+v adds up to %d; want the total %d", proto, w, sum, w.Total)
		}
	}
}

// With a QPACK dynamic table, the trace says when the encoder's
// instructions reach each decoder (RFC 9204 §4.3), byte for byte what the
// peer's encoder wrote, so that a reader can replay the decoder's table.
func TestQPACKEncoderStreamInTheTrace(t *testing.T) {
	s := Page()
	s.Protocols = []string{"h3"}
	s.H3.QPACKTableCapacity, s.H3.QPACKBlockedStreams = 4096, 16
	s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.02}
	res, err := Run(s, Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	var written, read [2]int64 // by the encoder's side: client, server
	for e := range res.Runs[0].Log.All() {
		if e.Name != "qpack_encoder" {
			continue
		}
		switch e.Kind {
		case trace.FrameCreated:
			written[e.Side] += e.Len
		case trace.FrameParsed:
			read[1-e.Side] += e.Len
		}
	}
	if written[trace.Server] == 0 || written != read {
		t.Errorf("encoder stream bytes written %v, read by the peer %v; want equal and the server's non-zero", written, read)
	}
}

// Losses are told apart: at 0 % random loss every packet lost was dropped
// by a full queue (the senders' own slow start overflowing it), and with a
// queue too large to fill every loss is random.
func TestQueueDropsCounted(t *testing.T) {
	s := Page()
	s.Protocols = []string{"h2"}
	clean := runPage(t, s)
	if clean.PacketsLost == 0 || clean.PacketsLostQueue != clean.PacketsLost {
		t.Errorf("0%% loss: %d lost, %d to a full queue; want some, all to the queue", clean.PacketsLost, clean.PacketsLostQueue)
	}
	s = Page()
	s.Protocols = []string{"h2"}
	s.Network.QueueBytes = 64 << 20
	s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.02}
	lossy := runPage(t, s)
	if lossy.PacketsLost == 0 || lossy.PacketsLostQueue != 0 {
		t.Errorf("2%% loss, 64 MB queue: %d lost, %d to a full queue; want some, none to the queue", lossy.PacketsLost, lossy.PacketsLostQueue)
	}
}

// The head-of-line total splits by cause, as the lessons teach it: HTTP/2's
// waits are another stream's TCP loss and HTTP/3 has none, pipelined
// responses wait in the HTTP/1.1 queue, and with a QPACK dynamic table
// HTTP/3 streams wait for the encoder stream. Each cause's time is at most
// the total, which is at most their sum (a moment held back for two causes
// counts once in the total), per resource and per run.
func TestHOLByCause(t *testing.T) {
	lossy := func(s *Scenario) {
		p := s.Variants[indexOfVariant(s, "pipelined")].Scenario
		p.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.08}
		p.Network.Up.Loss = p.Network.Down.Loss
		s.Variants = []Variant{{Name: "pipelined-lossy", Scenario: p}}
	}
	tests := []struct {
		scenario string
		change   func(*Scenario) // nil: the lesson as built in
		run      string          // variant/proto, or proto
		want     []web.HOLCause  // the causes with time; the others have none
	}{
		{"h2-hol", nil, "h1", nil},
		{"h2-hol", nil, "h2", []web.HOLCause{web.HOLTransport}},
		{"h2-hol", nil, "h3", nil},
		{"pipelining", nil, "one-connection/h1", nil},
		{"pipelining", nil, "pipelined/h1", []web.HOLCause{web.HOLHTTP}},
		{"pipelining", lossy, "pipelined-lossy/h1", []web.HOLCause{web.HOLTransport, web.HOLHTTP}},
		{"qpack", nil, "static/h3", nil},
		{"qpack", nil, "dynamic/h3", []web.HOLCause{web.HOLQPACK}},
		{"lost-first-flight", nil, "tls13-0rtt/h1", []web.HOLCause{web.HOLTransport}},
		{"lost-first-flight", nil, "quic-0rtt/h3", []web.HOLCause{web.HOLHandshake}},
	}
	results := map[string]*Result{}
	for _, tt := range tests {
		key := tt.scenario
		if tt.change != nil {
			key += "+change"
		}
		res := results[key]
		if res == nil {
			s, err := Builtin(tt.scenario)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Variants) == 0 {
				s.Protocols = Protocols() // as httpsim compare runs it
			}
			if tt.change != nil {
				tt.change(s)
			}
			if res, err = Run(s, Options{}); err != nil {
				t.Fatal(err)
			}
			results[key] = res
		}
		var run *ProtocolRun
		for _, r := range res.Runs {
			if label := r.Proto; tt.run == label || tt.run == r.Variant+"/"+label {
				run = r
			}
		}
		if run == nil {
			t.Fatalf("%s: no run %s", tt.scenario, tt.run)
		}
		for c := range web.NumHOLCauses {
			if got, want := run.HOLBy[c] > 0, slices.Contains(tt.want, c); got != want {
				t.Errorf("%s %s: HoL by %s %v (total %v); want time: %v", tt.scenario, tt.run, c, run.HOLBy[c], run.HOL, want)
			}
		}
		checkHOLByCause(t, tt.scenario+" "+tt.run, run.HOL, run.HOLBy)
		for _, x := range run.Resources {
			checkHOLByCause(t, tt.scenario+" "+tt.run+" "+x.URL, x.HOL, x.HOLBy)
		}
	}
}

// checkHOLByCause checks that per-cause times bracket their merged total:
// each at least 0, the largest at most the total, the total at most their
// sum.
func checkHOLByCause(t *testing.T, what string, total time.Duration, by web.HOLByCause) {
	t.Helper()
	var most, sum time.Duration
	for c, d := range by {
		if d < 0 {
			t.Errorf("%s: HoL by %s %v; want at least 0", what, web.HOLCause(c), d)
		}
		most, sum = max(most, d), sum+d
	}
	if most > total || total > sum {
		t.Errorf("%s: HoL by cause %v, total %v; want the largest <= the total <= their sum", what, by, total)
	}
}

// The largest request heads validation allows load on every protocol, and
// through an edge that speaks HTTP/1.1 to the origin: a 64 KiB cookie (an
// HTTP/1.1 server answered it 400 and closed, so the page never loaded its
// subresources), an 8000-byte URL and a 255-byte origin, over TLS and
// without.
func TestLargestHeadsLoad(t *testing.T) {
	for _, tt := range []struct {
		proto, tls, edge string
	}{
		{"h1", "none", ""}, {"h1", "1.3", ""}, {"h2", "none", ""}, {"h2", "1.3", ""}, {"h3", "1.3", ""},
		{"h1", "none", "h1"}, {"h2", "1.3", "h1"}, {"h3", "1.3", "h2"},
	} {
		s := Page()
		if tt.edge != "" {
			s = edgeScenario(web.EdgeConfig{}, tt.proto)
			s.Network.Edge.Protocol = tt.edge
		}
		s.Protocols = []string{tt.proto}
		s.TLS.Version = tls.Version(tt.tls)
		s.Page.Cookie = web.MaxCookie
		s.Page.Origin = strings.Repeat("a", web.MaxOrigin-4) + ".com"
		s.Page.Resources[1].URL = "/" + strings.Repeat("b", web.MaxURL-1)
		s.Page.Resources[2].Parent = 1 // its Referer is that URL
		if err := s.Validate(); err != nil {
			t.Fatalf("%+v: %v", tt, err)
		}
		run := runPage(t, s)
		for _, x := range run.Resources {
			if x.Status != 200 || x.Unexpected || x.Failed != "" || x.Done == sim.Never {
				t.Errorf("%+v: %.40s: status %d (unexpected %v), failed %q", tt, x.URL, x.Status, x.Unexpected, x.Failed)
			}
		}
	}
}
