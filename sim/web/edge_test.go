package web

import (
	"fmt"
	"slices"
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
	f := &originFetcher{o: NewOrigin(p, 0)}
	e := NewEdge(EdgeConfig{Cache: true, FollowRedirects: true}, p, "https", f, f.o)
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
	f := &originFetcher{o: NewOrigin(p, 0)}
	e := NewEdge(EdgeConfig{}, p, "https", f, f.o)
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
	f := &hopFetcher{originFetcher{o: NewOrigin(p, 0)}}
	e := NewEdge(EdgeConfig{Cache: true}, p, "https", f, f.o)
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
	f := &originFetcher{o: NewOrigin(p, 0)}
	e := NewEdge(EdgeConfig{Cache: true}, p, "https", f, f.o)
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

// TestEdgeRevalidates checks RFC 9111 §4.3: a stale stored response with a
// validator is revalidated, not fetched again. The edge asks the origin
// with its own validators (§4.3.1), in place of the browser's; a 304
// freshens the stored response (§4.3.4), which answers the browser; a 200
// is a miss, stored anew (§4.3.3). Without a validator a stale response
// is a plain miss. The edge re-downloaded every stale or no-cache body.
func TestEdgeRevalidates(t *testing.T) {
	page := func(size int64) *Page {
		return &Page{Origin: "www.example.com", Compression: Compression{Encoding: "gzip"}, Resources: []Resource{
			{URL: "/", Type: HTML, Size: size, Parent: -1, MaxAge: 60, ETag: true, LastModified: true},
			{URL: "/nc", Type: Image, Size: size, Parent: 0, NoCache: true, ETag: true},
			{URL: "/lm", Type: Image, Size: size, Parent: 0, MaxAge: 60, LastModified: true},
			{URL: "/none", Type: Image, Size: size, Parent: 0, MaxAge: 60},
		}}
	}
	p := page(10000)
	docTag, ncTag := etag(&p.Resources[0], "gzip"), etag(&p.Resources[1], "")
	tests := []struct {
		name, path          string
		browser             []Field // the browser's own preconditions
		changed             bool    // the origin's representation changed after the edge stored it
		inm, ims            string  // the origin's preconditions
		status              int     // the browser's answer
		xcache              string
		after               string // X-Cache of a plain request a second later
		revalidated, misses int
	}{
		{"stale, ETag", "/", nil, false, docTag, lastModifiedText, 200, "REVALIDATED", "HIT", 1, 1},
		{"browser's INM matches", "/", []Field{{"if-none-match", docTag}}, false, docTag, lastModifiedText, 304, "REVALIDATED", "HIT", 1, 1},
		{"browser's INM stale", "/", []Field{{"if-none-match", `"old"`}, {"if-modified-since", httpDate(epoch)}}, false, docTag, lastModifiedText, 200, "REVALIDATED", "HIT", 1, 1},
		{"no-cache", "/nc", nil, false, ncTag, "", 200, "REVALIDATED", "REVALIDATED", 1, 1},
		{"Last-Modified only", "/lm", nil, false, "", lastModifiedText, 200, "REVALIDATED", "HIT", 1, 1},
		{"changed at the origin", "/", nil, true, docTag, lastModifiedText, 200, "MISS", "HIT", 0, 2},
		{"no validator", "/none", nil, false, "", "", 200, "MISS", "HIT", 0, 2},
	}
	later := sim.At(61 * time.Second) // past max-age=60
	for _, tt := range tests {
		f := &originFetcher{o: NewOrigin(p, 0)}
		e := NewEdge(EdgeConfig{Cache: true}, p, "https", f, f.o)
		get := func(h ...Field) *Request {
			return &Request{Method: "GET", Scheme: "https", Authority: p.Origin, Path: tt.path,
				Header: append([]Field{{"accept-encoding", browserAcceptEncoding}}, h...)}
		}
		first := ask(e, 0, get())
		if tt.changed {
			f.o = NewOrigin(page(12000), 0)
		}
		got := ask(e, later, get(tt.browser...))
		sent := f.reqs[len(f.reqs)-1]
		if len(f.reqs) != 2 || sent.Get("if-none-match") != tt.inm || sent.Get("if-modified-since") != tt.ims ||
			fieldCount(sent.Header, "if-none-match") > 1 || fieldCount(sent.Header, "if-modified-since") > 1 {
			t.Errorf("%s: %d requests to the origin, the last with If-None-Match %q, If-Modified-Since %q; want 2, with %q and %q",
				tt.name, len(f.reqs), sent.Get("if-none-match"), sent.Get("if-modified-since"), tt.inm, tt.ims)
		}
		if got.Status != tt.status || got.Get("x-cache") != tt.xcache || fieldCount(got.Header, "x-cache") != 1 {
			t.Errorf("%s: the browser got %d, X-Cache %q; want %d, %q", tt.name, got.Status, got.Get("x-cache"), tt.status, tt.xcache)
		}
		wantBody := first.BodyLen
		if tt.changed {
			wantBody = f.o.Serve(later, get()).BodyLen
		}
		if tt.status == 200 && (got.BodyLen != wantBody || got.ContentLength() != wantBody) {
			t.Errorf("%s: the browser got a body of %d (Content-Length %d); want %d", tt.name, got.BodyLen, got.ContentLength(), wantBody)
		}
		// Freshened (§4.3.4): the 304's Date is the stored one, Age counts
		// from it.
		if tt.xcache == "REVALIDATED" && (got.Get("date") != httpDate(epoch.Add(61*time.Second)) || got.Get("age") != "0") {
			t.Errorf("%s: Date %q, Age %q; want the origin's 304's date and 0", tt.name, got.Get("date"), got.Get("age"))
		}
		if e.Revalidated != tt.revalidated || e.Misses != tt.misses || e.Hits != 0 {
			t.Errorf("%s: %d revalidated, %d misses, %d hits; want %d, %d, 0", tt.name, e.Revalidated, e.Misses, e.Hits, tt.revalidated, tt.misses)
		}
		next := ask(e, later.Add(time.Second), get())
		if next.Get("x-cache") != tt.after || next.BodyLen != wantBody {
			t.Errorf("%s: a second later X-Cache %q, body %d; want %q, %d", tt.name, next.Get("x-cache"), next.BodyLen, tt.after, wantBody)
		}
	}
}

// A 304's fields replace every stored line of their name (RFC 9111 §4.3.4
// by way of §3.2), however many lines either side has; Content-Length and
// the fields the 304 does not carry stay as stored.
func TestEdgeFreshenReplacesEveryLine(t *testing.T) {
	e := &Edge{}
	entry := &edgeEntry{resp: &Response{Status: 200, Header: []Field{
		{"cache-control", "max-age=60"}, {"content-length", "100"}, {"cache-control", "public"}, {"etag", `"a"`},
	}}}
	e.freshen(sim.At(time.Second), entry, &Response{Status: 304, Header: []Field{
		{"cache-control", "max-age=600"}, {"cache-control", "must-revalidate"}, {"content-length", "0"},
	}})
	want := []Field{{"content-length", "100"}, {"etag", `"a"`}, {"cache-control", "max-age=600"}, {"cache-control", "must-revalidate"}}
	if !slices.Equal(entry.resp.Header, want) || entry.lifetime != 600*time.Second {
		t.Errorf("freshened header %v, lifetime %v; want %v, 10m0s", entry.resp.Header, entry.lifetime, want)
	}
}

// refusingFetcher refuses its first refusals requests unprocessed (an
// origin's REFUSED_STREAM or GOAWAY), then answers as the origin.
type refusingFetcher struct {
	originFetcher
	refusals int
}

func (f *refusingFetcher) Fetch(now sim.Time, req *Request, x Exchange) {
	if f.refusals > 0 {
		f.refusals--
		f.reqs = append(f.reqs, req)
		x.Refused(now, "REFUSED_STREAM")
		return
	}
	f.originFetcher.Fetch(now, req, x)
}

// An edge sends a request the origin refused unprocessed again, a POST
// too (RFC 9113 §8.7), up to three times; then it answers 502.
func TestEdgeRetriesRefusedRequests(t *testing.T) {
	p := &Page{Origin: "www.example.com", Resources: []Resource{{URL: "/order", Type: JSON, Size: 300, Parent: -1, Method: "POST", RequestBody: 100}}}
	for _, tt := range []struct {
		refusals, status, asked int
	}{
		{0, 200, 1}, {2, 200, 3}, {3, 200, 4}, {4, 502, 4},
	} {
		f := &refusingFetcher{originFetcher{o: NewOrigin(p, 0)}, tt.refusals}
		e := NewEdge(EdgeConfig{}, p, "https", f, f.o)
		resp := ask(e, 0, &Request{Method: "POST", Scheme: "https", Authority: p.Origin, Path: "/order", Body: 100})
		if resp == nil || resp.Status != tt.status || len(f.reqs) != tt.asked {
			t.Errorf("%d refusals: answer %v after %d requests to the origin; want %d after %d", tt.refusals, resp, len(f.reqs), tt.status, tt.asked)
		}
	}
}

// The edge answers a chunked origin response with a Content-Length, having
// it all; but a HEAD response has no content to count, and RFC 9110 §8.6
// forbids a Content-Length in it other than the one a GET would have
// carried: the edge sent "Content-Length: 0" for a chunked resource.
func TestEdgeHeadLength(t *testing.T) {
	p := &Page{Origin: "www.example.com", Resources: []Resource{
		{URL: "/", Type: HTML, Size: 10000, Parent: -1},
		{URL: "/chunked", Type: JSON, Size: 10000, Parent: 0, Chunked: true},
	}}
	tests := []struct {
		method, path string
		want         string // Content-Length, "" for none
	}{
		{"GET", "/", "10000"},
		{"HEAD", "/", "10000"}, // the origin's own, which a GET carries too
		{"GET", "/chunked", "10000"},
		{"HEAD", "/chunked", ""},
	}
	for _, tt := range tests {
		f := &originFetcher{o: NewOrigin(p, 0)}
		e := NewEdge(EdgeConfig{Cache: true}, p, "https", f, f.o)
		resp := ask(e, 0, &Request{Method: tt.method, Scheme: "https", Authority: p.Origin, Path: tt.path})
		if got := resp.Get("content-length"); got != tt.want || fieldCount(resp.Header, "content-length") > 1 || resp.Chunked {
			t.Errorf("%s %s through the edge: Content-Length %q (%d fields), chunked %v; want %q, not chunked", tt.method, tt.path, got, fieldCount(resp.Header, "content-length"), resp.Chunked, tt.want)
		}
	}
}

// A warm edge holds what browsers like the one to come fetched: over plain
// HTTP they take gzip, not br, so a Brotli page's warm copies are gzip and
// the browser's request hits them.
func TestEdgeWarmByScheme(t *testing.T) {
	p := &Page{Origin: "www.example.com", Compression: Compression{Encoding: "br"}, Resources: []Resource{
		{URL: "/", Type: HTML, Size: 10000, Parent: -1, MaxAge: 3600},
	}}
	for _, tt := range []struct{ scheme, coding string }{{"https", "br"}, {"http", "gzip"}} {
		f := &originFetcher{o: NewOrigin(p, 0)}
		e := NewEdge(EdgeConfig{Cache: true, Warm: true}, p, tt.scheme, f, f.o)
		resp := ask(e, 0, &Request{Method: "GET", Scheme: tt.scheme, Authority: p.Origin, Path: "/",
			Header: []Field{{"accept-encoding", AcceptEncoding(tt.scheme)}}})
		if resp.Get("x-cache") != "HIT" || resp.Get("content-encoding") != tt.coding {
			t.Errorf("%s: X-Cache %q, Content-Encoding %q; want HIT, %s", tt.scheme, resp.Get("x-cache"), resp.Get("content-encoding"), tt.coding)
		}
	}
}
