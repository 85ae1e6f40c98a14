package scenario

import (
	"strings"
	"testing"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/tls"
	"httpsim/sim/trace"
	"httpsim/sim/units"
	"httpsim/sim/web"
)

// edgeScenario: the browser is 20 ms from the edge, the edge 150 ms from
// the origin.
func edgeScenario(cfg web.EdgeConfig, proto string) *Scenario {
	s := Page()
	s.Protocols = []string{proto}
	s.Network.RTT = 20 * time.Millisecond
	s.Network.Bandwidth = 50 * units.Mbps
	s.Network.Edge = &EdgeNetwork{EdgeConfig: cfg, RTT: 150 * time.Millisecond, Bandwidth: units.Gbps, Protocol: "h2",
		Loss: link.Loss{Model: link.NoLoss}}
	return s
}

func TestEdgeHitAndMiss(t *testing.T) {
	for _, proto := range []string{"h1", "h2"} {
		miss := runPage(t, edgeScenario(web.EdgeConfig{Cache: true}, proto))
		hit := runPage(t, edgeScenario(web.EdgeConfig{Cache: true, Warm: true}, proto))
		direct := Page()
		direct.Protocols = []string{proto}
		direct.Network.RTT = 170 * time.Millisecond
		direct.Network.Bandwidth = 50 * units.Mbps
		origin := runPage(t, direct)
		t.Logf("%s: PLT %v from a warm edge (%d hits), %v through a cold edge (%d misses), %v straight to the origin",
			proto, hit.PLT, hit.EdgeHits, miss.PLT, miss.EdgeMisses, origin.PLT)
		// The document is no-cache: the edge always revalidates it with
		// the origin (RFC 9111 §4.3.1). Every other cacheable resource a
		// warm edge holds is a hit.
		if hit.EdgeMisses != 0 || hit.EdgeRevalidated != 1 || hit.EdgeHits != len(hit.Resources)-1 {
			t.Errorf("%s warm edge: %d hits, %d misses, %d revalidated; want every resource but the no-cache document from the edge, and that revalidated",
				proto, hit.EdgeHits, hit.EdgeMisses, hit.EdgeRevalidated)
		}
		if miss.EdgeHits != 0 || miss.EdgeMisses != len(miss.Resources) {
			t.Errorf("%s cold edge: %d hits, %d misses; want all misses", proto, miss.EdgeHits, miss.EdgeMisses)
		}
		if !(hit.PLT < miss.PLT) {
			t.Errorf("%s: warm edge %v not faster than cold %v", proto, hit.PLT, miss.PLT)
		}
	}
}

// TestEdgeMissCostsAnOriginRoundTrip: with the edge already connected to
// the origin, a hit costs one browser–edge round trip and a miss adds one
// edge–origin round trip (150 ms) for a small response.
func TestEdgeMissCostsAnOriginRoundTrip(t *testing.T) {
	page := func() *web.Page {
		return &web.Page{Origin: "www.example.com", Resources: []web.Resource{
			{URL: "/", Type: web.HTML, Size: 5000, Parent: -1, NoCache: true, ETag: true},
			{URL: "/logo.png", Type: web.Image, Size: 4000, Parent: 0, After: 1000, MaxAge: 86400},
		}}
	}
	run := func(warm bool) web.ResourceState {
		s := edgeScenario(web.EdgeConfig{Cache: true, Warm: warm}, "h2")
		s.Page = page()
		return runPage(t, s).Resources[1]
	}
	miss, hit := run(false), run(true)
	d := miss.Done.Sub(miss.Sent) - hit.Done.Sub(hit.Sent)
	t.Logf("logo.png: %v on a hit (%s), %v on a miss (%s): %v more", hit.Done.Sub(hit.Sent), hit.Edge, miss.Done.Sub(miss.Sent), miss.Edge, d)
	if hit.Edge != "HIT" || miss.Edge != "MISS" {
		t.Errorf("X-Cache %q and %q; want HIT and MISS", hit.Edge, miss.Edge)
	}
	if d < 150*time.Millisecond || d > 155*time.Millisecond {
		t.Errorf("a miss took %v more than a hit; want one edge–origin RTT (150ms) plus serialisation", d)
	}
}

func TestEdgeFollowsRedirects(t *testing.T) {
	run := func(follow bool) *ProtocolRun {
		s := edgeScenario(web.EdgeConfig{FollowRedirects: follow}, "h2")
		s.Page = redirectPage(true)
		return runPage(t, s)
	}
	client, proxy := run(false), run(true)
	saw := func(run *ProtocolRun) int {
		n := 0
		for _, x := range run.Resources {
			if x.Requested && x.Status >= 300 && x.Status < 400 {
				n++
			}
		}
		return n
	}
	t.Logf("client follows: PLT %v, %d redirects seen; edge follows: PLT %v, %d seen", client.PLT, saw(client), proxy.PLT, saw(proxy))
	if saw(client) != 2 || saw(proxy) != 0 {
		t.Errorf("redirects seen by the browser: %d and %d; want 2 when it follows them, none when the edge does", saw(client), saw(proxy))
	}
	// The browser saves two round trips to the edge (20 ms each); the
	// edge pays the origin round trips either way.
	if d := client.PLT - proxy.PLT; d < 30*time.Millisecond || d > 60*time.Millisecond {
		t.Errorf("the edge following redirects saved %v; want about two client–edge round trips (40ms)", d)
	}
	// The body the edge fetched counts once, on the resource it is
	// (Content-Location); the redirecting URL's row keeps its header
	// section. Both rows counted it.
	aliases := 0
	for _, x := range proxy.Resources {
		if x.Requested && strings.HasPrefix(x.Cache, "via ") {
			aliases++
			via := proxy.Resources[indexOfURL(proxy, strings.TrimPrefix(x.Cache, "via "))]
			if via.BodyBytes != 0 || x.BodyBytes == 0 || x.HeaderBytes != 0 {
				t.Errorf("%s (headers %d, body %d) answered through %s (headers %d, body %d); want the body on %s alone", x.URL, x.HeaderBytes, x.BodyBytes, via.URL, via.HeaderBytes, via.BodyBytes, x.URL)
			}
		}
	}
	if aliases != 1 {
		t.Errorf("%d resources answered through a redirecting URL; want 1", aliases)
	}
}

func indexOfURL(run *ProtocolRun, url string) int {
	for i, x := range run.Resources {
		if x.URL == url {
			return i
		}
	}
	return -1
}

// A bypassed edge is the origin reached directly across both legs: the
// same run, trace hash and all, as a scenario without an edge whose round
// trip is the sum and whose bandwidth is the smaller. The run follows the
// access path's round trip, as the round-trip slider changes it.
func TestEdgeBypass(t *testing.T) {
	for _, rtt := range []time.Duration{20 * time.Millisecond, 150 * time.Millisecond} {
		bypassed := edgeScenario(web.EdgeConfig{Cache: true, Warm: true}, "h2")
		bypassed.Network.RTT = rtt
		bypassed.Network.Edge.Bypass = true
		direct := edgeScenario(web.EdgeConfig{}, "h2")
		direct.Network.Edge = nil
		direct.Network.RTT = rtt + bypassed.Network.Edge.RTT
		direct.Network.Bandwidth = min(bypassed.Network.Bandwidth, bypassed.Network.Edge.Bandwidth)
		a, b := runPage(t, bypassed), runPage(t, direct)
		if a.TraceHash != b.TraceHash || a.PLT != b.PLT || a.EdgeHits+a.EdgeMisses != 0 {
			t.Errorf("RTT %v: bypassed edge PLT %v hash %s (edge answers %d); want the direct run's %v %s and none",
				rtt, a.PLT, a.TraceHash, a.EdgeHits+a.EdgeMisses, b.PLT, b.TraceHash)
		}
	}
	// After a move to another network too: the origin stays the edge's
	// 150 ms beyond it (it used to come as close as the new network).
	move := PathChange{At: 300 * time.Millisecond, RTT: 30 * time.Millisecond, Bandwidth: 20 * units.Mbps}
	bypassed := edgeScenario(web.EdgeConfig{}, "h2")
	bypassed.Network.Edge.Bypass = true
	bypassed.Network.PathChanges = []PathChange{move}
	direct := edgeScenario(web.EdgeConfig{}, "h2")
	direct.Network.Edge = nil
	direct.Network.RTT += bypassed.Network.Edge.RTT
	move.RTT += bypassed.Network.Edge.RTT
	direct.Network.PathChanges = []PathChange{move}
	if a, b := runPage(t, bypassed), runPage(t, direct); a.TraceHash != b.TraceHash {
		t.Errorf("moving at 300 ms: bypassed edge PLT %v hash %s; want the direct run's %v %s", a.PLT, a.TraceHash, b.PLT, b.TraceHash)
	}
	// The document says so too.
	doc := []byte(`{"version": 1, "name": "x", "network": {"rtt": "20ms", "edge": {"rtt": "150ms", "bypass": true}}, "workload": {"kind": "page"}}`)
	s, err := Decode(doc)
	if err != nil {
		t.Fatal(err)
	}
	if s.Network.HasEdge() || s.Network.Edge == nil || !s.Network.Edge.Bypass {
		t.Errorf("decoded edge %+v; want one that is bypassed", s.Network.Edge)
	}
}

// Every event of a run through an edge names its end: the browser (Client)
// and the edge on the browser's connections, the edge and the origin
// (Server) on the edge's. The HTTP and TLS layers used to call every
// connecting end the client, so the edge's requests to the origin counted
// as the browser's; and a QUIC end took its role from that name, so that
// HTTP/3 to an edge failed every request.
func TestEdgeSides(t *testing.T) {
	for _, proto := range []string{"h1", "h2", "h3"} {
		run := runPage(t, edgeScenario(web.EdgeConfig{Cache: true, Warm: true}, proto))
		if run.EdgeHits == 0 {
			t.Errorf("%s: no edge hits", proto)
		}
		for _, x := range run.Resources {
			if x.Failed != "" {
				t.Errorf("%s: %s failed: %s", proto, x.URL, x.Failed)
			}
		}
		sides := map[int32]map[trace.Side]bool{}
		for _, e := range run.Log.Events() {
			if e.Conn < 0 || e.Side == trace.Network {
				continue
			}
			if sides[e.Conn] == nil {
				sides[e.Conn] = map[trace.Side]bool{}
			}
			sides[e.Conn][e.Side] = true
		}
		for conn, s := range sides {
			browsers := len(s) == 2 && s[trace.Client] && s[trace.Edge]
			origins := len(s) == 2 && s[trace.Edge] && s[trace.Server]
			if !browsers && !origins {
				t.Errorf("%s: connection %d has events from %v; want the browser and the edge, or the edge and the origin", proto, conn, s)
			}
		}
	}
}

// On a repeat visit through an edge that follows redirects, the browser's
// cache holds under the first URL what came back for it: the final page,
// never the 301 the browser did not see. It used to answer the first URL
// with a cached 301, and the rest of the chain from the network.
func TestHiddenRedirectsOnARepeatVisit(t *testing.T) {
	for _, tt := range []struct {
		name   string
		maxAge int64 // of the final page
		want   string
	}{
		{"final page stale", 0, "revalidated"},
		{"final page fresh", 3600 * 24, "fresh"},
	} {
		s := edgeScenario(web.EdgeConfig{FollowRedirects: true}, "h2")
		s.Page = redirectPage(true)
		for i := range s.Page.Resources {
			r := &s.Page.Resources[i]
			r.MaxAge = 3600 * 24 * 365 // every response cacheable...
			if r.URL == "/index.html" {
				r.MaxAge, r.ETag = tt.maxAge, true // ...but the page, as the case says
			}
		}
		s.Visit.Repeat = true
		run := runPage(t, s)
		first, page, css := run.Resources[0], run.Resources[2], run.Resources[3]
		if first.Status == 301 || first.Cache != tt.want || !page.Requested || !css.Requested {
			t.Errorf("%s: %s %d (%q), page requested %v, stylesheet requested %v; want %s, and the page and its stylesheet loaded",
				tt.name, first.URL, first.Status, first.Cache, page.Requested, css.Requested, tt.want)
		}
		if tt.want == "fresh" && run.PacketsSent > 0 {
			t.Errorf("%s: %d packets sent; want everything from the cache", tt.name, run.PacketsSent)
		}
	}
}

// An edge forwarding requests with bodies from HTTP/2 to an HTTP/1.1
// origin sends the bodies: it did not know their size (HTTP/2 carries it
// in DATA frames and content-length), promised 140 bytes in the head and
// sent none, and the origin waited for ever.
func TestEdgeForwardsRequestBodies(t *testing.T) {
	s, err := Builtin("rpc")
	if err != nil {
		t.Fatal(err)
	}
	s = s.Variants[indexOfVariant(s, "rpc-h2")].Scenario
	s.Network.Edge = &EdgeNetwork{RTT: 50 * time.Millisecond, Bandwidth: units.Gbps, Protocol: "h1", Loss: link.Loss{Model: link.NoLoss}}
	run := runPage(t, s)
	t.Logf("50 RPCs over HTTP/2 to an edge, HTTP/1.1 to the origin: PLT %v", run.PLT)
}

// A server that reset its connections answers whatever still arrives on
// them with another RST (RFC 9293 §3.10.7.1). Here its first RST is lost
// (bursty loss), and the browser used to retransmit into silence until the
// 10-minute limit; it now learns of the reset and connects again.
func TestResetAnswersLateSegments(t *testing.T) {
	s, err := Builtin("loss-sweep")
	if err != nil {
		t.Fatal(err)
	}
	s = s.Variants[indexOfVariant(s, "burst-2")].Scenario
	s.Protocols = []string{"h2"}
	s.Network.RTT, s.Network.Bandwidth, s.Seed = 300*time.Millisecond, 100*units.Mbps, 103
	s.Visit.Repeat = true
	s.Network.PathChanges = []PathChange{{At: 718 * time.Millisecond}}
	s.Network.ServerResets = []time.Duration{1452 * time.Millisecond}
	run := runPage(t, s)
	if run.PLT > 10*time.Second {
		t.Errorf("PLT %v; want the page within seconds of the reset", run.PLT)
	}
}

// TestEdgeRelaysChunkedResponses: an origin's chunked response reaches
// the browser through an HTTP/1.1 edge with a Content-Length and without
// the origin's Transfer-Encoding, which is hop by hop (RFC 9110 §7.6.1):
// with both fields, the HTTP/1.1 browser read the unchunked body as chunks
// and the page never loaded (RFC 9112 §6.2: "A sender MUST NOT send a
// Content-Length header field in any message that contains a
// Transfer-Encoding header field"). Over HTTP/2 and HTTP/3 the field
// would make the message malformed (RFC 9113 §8.2.2).
func TestEdgeRelaysChunkedResponses(t *testing.T) {
	for _, proto := range []string{"h1", "h2", "h3"} {
		for _, cfg := range []web.EdgeConfig{{}, {Cache: true}} {
			s := edgeScenario(cfg, proto)
			s.Network.Edge.Protocol = "h1"
			s.Page = &web.Page{Origin: "www.example.com", Resources: []web.Resource{
				{URL: "/", Type: web.HTML, Size: 9000, Parent: -1, Chunked: true},
				{URL: "/app.js", Type: web.JS, Size: 30000, Parent: 0, MaxAge: 3600, Chunked: true},
			}}
			run := runPage(t, s)
			for _, x := range run.Resources {
				if x.Status != 200 || x.Done < 0 {
					t.Errorf("%s through an HTTP/1.1 edge (cache %v): %s ended with %d at %v", proto, cfg.Cache, x.URL, x.Status, x.Done)
				}
			}
		}
	}
}

// TestHTTP3KeepsBrotliWithoutTLS: with TLS off over TCP, HTTP/3 still
// runs TLS 1.3 in QUIC, so its browser is on https and offers br: the
// compression lesson's Brotli page comes as Brotli over HTTP/3 and as gzip
// over HTTP/2. The scheme was taken from TLS.Version for every protocol.
func TestHTTP3KeepsBrotliWithoutTLS(t *testing.T) {
	lesson, _ := Builtin("compression")
	bodies := func(version tls.Version) (h2, h3 int64) {
		s := lesson.Variants[indexOfVariant(lesson, "br")].Scenario
		s.TLS.Version = version
		s.Protocols = []string{"h2", "h3"}
		res, err := Run(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return runOf(t, res, "", "h2").Wire.Bodies, runOf(t, res, "", "h3").Wire.Bodies
	}
	clearH2, clearH3 := bodies(tls.None)
	tlsH2, tlsH3 := bodies(tls.TLS13)
	if clearH3 != tlsH3 || clearH2 <= tlsH2 {
		t.Errorf("bodies without TLS: h2 %d, h3 %d; with TLS 1.3: h2 %d, h3 %d; want HTTP/3's the same (Brotli) and HTTP/2's larger (gzip)", clearH2, clearH3, tlsH2, tlsH3)
	}
}
