package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"httpsim/sim"
)

// originFetcher answers an edge's requests from an Origin at once, and
// keeps what it was asked.
type originFetcher struct {
	o    *Origin
	reqs []*Request
}

func (f *originFetcher) Fetch(now sim.Time, req *Request, x Exchange) {
	f.reqs = append(f.reqs, req)
	resp := f.o.Serve(now, req)
	x.Headers(now, resp)
	if resp.HasBody() && req.Method != "HEAD" {
		x.Body(now, resp.BodyLen, now)
	}
	x.Done(now)
}

// ask sends req to e and returns its answer, which the test's edge gives
// at once.
func ask(e *Edge, now sim.Time, req *Request) *Response {
	var got *Response
	e.ServeAsync(now, req, func(_ sim.Time, r *Response) { got = r })
	return got
}

func fieldCount(h []Field, name string) int {
	n := 0
	for _, f := range h {
		if f.Name == name {
			n++
		}
	}
	return n
}

// What a shared cache must do (RFC 9111) and what an intermediary that
// follows redirects must send (RFC 9110 §15.4).
func TestEdgeCacheRules(t *testing.T) {
	p := &Page{Origin: "www.example.com", Compression: Compression{Encoding: "gzip"}, Resources: []Resource{
		{URL: "/", Type: HTML, Size: 10000, Parent: -1, MaxAge: 3600, ETag: true},
		{URL: "/form", Type: HTML, Size: 100, Parent: 0, Method: "POST", RequestBody: 2000, Status: 303, Location: "/done"},
		{URL: "/done", Type: HTML, Size: 500, Parent: -1},
	}}
	for i := 3; i < 12; i++ { // a chain of 8 redirects, /r3 to /r11
		r := Resource{URL: fmt.Sprintf("/r%d", i), Type: Image, Size: 100, Parent: -1, Status: 302, Location: fmt.Sprintf("/r%d", i+1)}
		if i == 3 {
			r.Parent = 0
		}
		if i == 11 {
			r.Status, r.Location = 0, ""
		}
		p.Resources = append(p.Resources, r)
	}
	f := &originFetcher{o: NewOrigin(p)}
	e := NewEdge(EdgeConfig{Cache: true, FollowRedirects: true}, p, f, f.o)
	get := func(accept string, h ...Field) *Request {
		return &Request{Method: "GET", Scheme: "https", Authority: p.Origin, Path: "/", Header: append([]Field{{"accept-encoding", accept}}, h...)}
	}
	second := sim.At(time.Second)

	miss := ask(e, 0, get(browserAcceptEncoding))
	hit := ask(e, second, get(browserAcceptEncoding))
	if n := fieldCount(hit.Header, "x-cache"); n != 1 || hit.Get("x-cache") != "HIT" || miss.Get("x-cache") != "MISS" {
		t.Errorf("a miss then a hit: X-Cache %q then %q, %d fields on the hit; want MISS, then one HIT", miss.Get("x-cache"), hit.Get("x-cache"), n)
	}
	// RFC 9111 §4.1: the stored gzip body does not answer a request that
	// does not accept gzip.
	if plain := ask(e, second, get("identity")); plain.Get("content-encoding") != "" || plain.Get("x-cache") != "MISS" {
		t.Errorf("identity after a gzip fill: coding %q, X-Cache %q; want the origin's identity body, MISS", plain.Get("content-encoding"), plain.Get("x-cache"))
	}
	// RFC 9110 §15.4.5: the edge's 304 carries what the 200 would have.
	nm := ask(e, second, get(browserAcceptEncoding, Field{"if-none-match", miss.Get("etag")}))
	for _, name := range []string{"date", "cache-control", "etag", "vary"} {
		if nm.Status != 304 || nm.Get(name) == "" {
			t.Errorf("the edge's 304: status %d, no %s in %v", nm.Status, name, nm.Header)
		}
	}

	// RFC 9110 §15.4.4: after a 303 the edge asks for the result with GET,
	// without the POST's body.
	f.reqs = nil
	post := &Request{Method: "POST", Scheme: "https", Authority: p.Origin, Path: "/form", Body: 2000,
		Header: []Field{{"content-type", "application/x-www-form-urlencoded"}, {"content-length", "2000"}}}
	done := ask(e, 0, post)
	if len(f.reqs) != 2 {
		t.Fatalf("POST /form through the edge: %d requests to the origin; want 2", len(f.reqs))
	}
	if r := f.reqs[1]; r.Method != "GET" || r.Body != 0 || r.Get("content-length") != "" || r.Path != "/done" || done.Status != 200 {
		t.Errorf("after the 303: %s %s, body %d, content-length %q, answer %d; want GET /done with no body, 200", r.Method, r.Path, r.Body, r.Get("content-length"), done.Status)
	}
	// The whole chain is followed, as far as a browser would go.
	chain := ask(e, 0, &Request{Method: "GET", Scheme: "https", Authority: p.Origin, Path: "/r3"})
	if chain.Status != 200 || chain.Get("content-location") != "/r11" {
		t.Errorf("a chain of 8 redirects: %d, Content-Location %q; want 200 from /r11", chain.Status, chain.Get("content-location"))
	}
}

// TestEdgeVia checks RFC 9110 §7.6.3: the edge adds Via to what it
// forwards, each naming the HTTP version it received the message in: the
// browser's HTTP/2 request goes on with "2 edge", the origin's HTTP/1.1
// response with "1.1 edge" (it said 1.1 for both, and nothing on responses).
func TestEdgeVia(t *testing.T) {
	p := &Page{Origin: "www.example.com", Resources: []Resource{{URL: "/", Type: HTML, Size: 1000, Parent: -1}}}
	f := &originFetcher{o: NewOrigin(p)}
	e := NewEdge(EdgeConfig{}, p, f, f.o)
	e.SetProtocols("2", "1.1")
	resp := ask(e, 0, &Request{Method: "GET", Scheme: "https", Authority: p.Origin, Path: "/"})
	if len(f.reqs) != 1 {
		t.Fatalf("%d requests forwarded; want 1", len(f.reqs))
	}
	if got := f.reqs[0].Get("via"); got != "2 edge" {
		t.Errorf("forwarded request's Via = %q; want %q", got, "2 edge")
	}
	if got := resp.Get("via"); got != "1.1 edge" {
		t.Errorf("forwarded response's Via = %q; want %q", got, "1.1 edge")
	}
}

// hopFetcher answers as an HTTP/1.1 origin's parsed response reads: with
// its connection's fields among the end-to-end ones.
type hopFetcher struct{ originFetcher }

func (f *hopFetcher) Fetch(now sim.Time, req *Request, x Exchange) {
	f.reqs = append(f.reqs, req)
	resp := *f.o.Serve(now, req)
	resp.Header = append(append([]Field(nil), resp.Header...),
		Field{"transfer-encoding", "chunked"}, Field{"connection", "keep-alive, x-hop"}, Field{"x-hop", "1"}, Field{"keep-alive", "timeout=5"})
	x.Headers(now, &resp)
	x.Body(now, resp.BodyLen, now)
	x.Done(now)
}

// TestEdgeDropsHopByHopFields checks RFC 9110 §7.6.1: the edge forwards
// neither the Connection field, nor the fields it names, nor Keep-Alive,
// TE, Transfer-Encoding or Upgrade, in either direction. An HTTP/1.1
// request's "Connection: keep-alive" went on to the origin next to the
// one the edge's own writer adds; a chunked response went on with both
// Transfer-Encoding and the Content-Length the edge gives it.
func TestEdgeDropsHopByHopFields(t *testing.T) {
	p := &Page{Origin: "www.example.com", Resources: []Resource{{URL: "/", Type: HTML, Size: 9000, Parent: -1, Chunked: true}}}
	f := &hopFetcher{originFetcher{o: NewOrigin(p)}}
	e := NewEdge(EdgeConfig{Cache: true}, p, f, f.o)
	hop := []string{"connection", "keep-alive", "te", "transfer-encoding", "upgrade", "x-hop", "x-Other"}
	req := &Request{Method: "GET", Scheme: "https", Authority: p.Origin, Path: "/", Header: []Field{
		{"accept", "*/*"}, {"connection", "keep-alive"}, {"connection", "X-Other"}, {"x-other", "1"}, {"te", "trailers"}, {"upgrade", "websocket"}}}
	resp := ask(e, 0, req)
	for _, name := range hop {
		if v := f.reqs[0].Get(strings.ToLower(name)); v != "" {
			t.Errorf("forwarded request: %s: %q; want no such field", name, v)
		}
		if v := resp.Get(strings.ToLower(name)); v != "" {
			t.Errorf("forwarded response: %s: %q; want no such field", name, v)
		}
	}
	if f.reqs[0].Get("accept") != "*/*" || resp.Get("content-length") != "9000" || resp.Chunked {
		t.Errorf("forwarded: Accept %q, Content-Length %q, chunked %v; want */*, 9000 and a body with a length",
			f.reqs[0].Get("accept"), resp.Get("content-length"), resp.Chunked)
	}
}

// TestEdgeAnswersIfModifiedSince checks RFC 9111 §4.3.2: without
// If-None-Match, a cache evaluates If-Modified-Since against the stored
// response's Last-Modified (or its Date when it has none). The edge sent
// the whole body again to a browser revalidating by date.
func TestEdgeAnswersIfModifiedSince(t *testing.T) {
	p := &Page{Origin: "www.example.com", Resources: []Resource{
		{URL: "/", Type: HTML, Size: 5000, Parent: -1, MaxAge: 3600, LastModified: true},
		{URL: "/b", Type: HTML, Size: 5000, Parent: -1, MaxAge: 3600},
	}}
	f := &originFetcher{o: NewOrigin(p)}
	e := NewEdge(EdgeConfig{Cache: true}, p, f, f.o)
	get := func(path, ims string) *Request {
		return &Request{Method: "GET", Scheme: "https", Authority: p.Origin, Path: path, Header: []Field{{"if-modified-since", ims}}}
	}
	first := ask(e, 0, get("/", ""))
	second := sim.At(time.Second)
	tests := []struct {
		path, ims string
		want      int
	}{
		{"/", first.Get("last-modified"), 304},
		{"/", httpDate(lastModified.Add(-time.Hour)), 200},
		{"/", "yesterday", 200},
		{"/b", httpDate(epoch), 304}, // by the stored Date
	}
	ask(e, 0, get("/b", ""))
	for _, tt := range tests {
		if got := ask(e, second, get(tt.path, tt.ims)); got.Status != tt.want || got.Get("x-cache") != "HIT" {
			t.Errorf("%s If-Modified-Since %q: %d (%s); want %d from the cache", tt.path, tt.ims, got.Status, got.Get("x-cache"), tt.want)
		}
	}
}
