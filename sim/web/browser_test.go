package web

import (
	"testing"

	"httpsim/sim"
	"httpsim/sim/trace"
)

// scriptedFetcher answers the browser's requests from an Origin at once,
// keeps what it was asked, and fails the request for failPath after its
// headers, which carry extra.
type scriptedFetcher struct {
	o        *Origin
	reqs     []*Request
	failPath string
	extra    []Field
}

func (f *scriptedFetcher) Fetch(now sim.Time, req *Request, x Exchange) {
	f.reqs = append(f.reqs, req)
	resp := f.o.Serve(now, req)
	if req.Path == f.failPath {
		x.Headers(now, &Response{Status: 200, Header: append(append([]Field(nil), resp.Header...), f.extra...), BodyLen: resp.BodyLen})
		x.Failed(now, "reset")
		return
	}
	x.Headers(now, resp)
	if resp.HasBody() && req.Method != "HEAD" {
		x.Body(now, resp.BodyLen, now)
	}
	x.Done(now)
}

// asked returns the request f received for path, or nil.
func (f *scriptedFetcher) asked(path string) *Request {
	for _, r := range f.reqs {
		if r.Path == path {
			return r
		}
	}
	return nil
}

func load(p *Page, f *scriptedFetcher, v Visit) *Browser {
	b := NewBrowser(sim.NewLoop(sim.Limits{}), trace.NewLog(false), p, "https", f, v)
	b.Start(0)
	return b
}

// TestReferer checks RFC 9110 §10.1.3 (Referer is "the URI reference for
// the resource from which the target URI was obtained"): a style sheet's
// font names the style sheet, the document's resources name the document
// the redirects led to, and the navigation's own redirects send none, as
// the navigation does. Every request used to name the first URL, /promo.
func TestReferer(t *testing.T) {
	p := &Page{Origin: "www.example.com", Resources: []Resource{
		{URL: "/promo", Type: HTML, Size: 300, Parent: -1, Status: 301, Location: "/spring/index.html"},
		{URL: "/spring/index.html", Type: HTML, Size: 9000, Parent: -1},
		{URL: "/spring/offer.css", Type: CSS, Size: 4000, Parent: 1},
		{URL: "/spring/offer.woff2", Type: Font, Size: 20000, Parent: 2, After: AfterParent},
		{URL: "/logo.png", Type: Image, Size: 300, Parent: 1, Status: 302, Location: "/img/logo.png"},
		{URL: "/img/logo.png", Type: Image, Size: 5000, Parent: -1},
	}}
	f := &scriptedFetcher{o: NewOrigin(p, 0)}
	load(p, f, Visit{})
	want := map[string]string{
		"/promo":              "",
		"/spring/index.html":  "",
		"/spring/offer.css":   "https://www.example.com/spring/index.html",
		"/spring/offer.woff2": "https://www.example.com/spring/offer.css",
		"/logo.png":           "https://www.example.com/spring/index.html",
		"/img/logo.png":       "https://www.example.com/spring/index.html",
	}
	for path, ref := range want {
		r := f.asked(path)
		if r == nil {
			t.Errorf("%s never requested", path)
			continue
		}
		if got := r.Get("referer"); got != ref {
			t.Errorf("%s: Referer %q; want %q", path, got, ref)
		}
	}
}

// TestRepeatVisitRules: a revalidation carries both validators the stored
// response had (RFC 9111 §4.3.1: the cache "MUST send the relevant entity
// tags" and "SHOULD send the Last-Modified value (using
// If-Modified-Since)"); a fresh stored 404 style sheet references nothing,
// as on the first visit, so its font is not fetched.
func TestRepeatVisitRules(t *testing.T) {
	p := &Page{Origin: "www.example.com", Resources: []Resource{
		{URL: "/", Type: HTML, Size: 5000, Parent: -1, NoCache: true, ETag: true},
		{URL: "/a.jpg", Type: Image, Size: 9000, Parent: 0, MaxAge: 60, ETag: true, LastModified: true},
		{URL: "/theme.css", Type: CSS, Size: 300, Parent: 0, Status: 404, MaxAge: 86400},
		{URL: "/theme.woff2", Type: Font, Size: 20000, Parent: 2, After: AfterParent},
	}}
	for _, repeat := range []bool{false, true} {
		f := &scriptedFetcher{o: NewOrigin(p, 0)}
		b := load(p, f, Visit{Repeat: repeat})
		if r := b.Resources()[3]; r.Requested {
			t.Errorf("repeat %v: the font of a 404 style sheet was requested", repeat)
		}
		if !repeat {
			continue
		}
		r := f.asked("/a.jpg")
		if r == nil || r.Get("if-none-match") == "" || r.Get("if-modified-since") == "" {
			t.Errorf("revalidating /a.jpg: %v; want If-None-Match and If-Modified-Since", r)
		}
	}
}

// TestFailedRequestFailsWhatItsRedirectLedTo: when an intermediary
// followed a redirect and said so with Content-Location, the browser
// counts the target as fetched through that request; if the request then
// fails for good (a POST is not retried), so does the target, and the
// page still loads. It used to wait for the target for ever.
func TestFailedRequestFailsWhatItsRedirectLedTo(t *testing.T) {
	p := &Page{Origin: "www.example.com", Resources: []Resource{
		{URL: "/", Type: HTML, Size: 5000, Parent: -1},
		{URL: "/f", Type: HTML, Size: 100, Parent: 0, Method: "POST", RequestBody: 2000, Status: 303, Location: "/done"},
		{URL: "/done", Type: HTML, Size: 3000, Parent: -1},
	}}
	f := &scriptedFetcher{o: NewOrigin(p, 0), failPath: "/f", extra: []Field{{"content-location", "/done"}}}
	b := load(p, f, Visit{})
	if _, ok := b.Loaded(); !ok {
		t.Fatalf("the page never loaded: %+v", b.Resources())
	}
	if done := b.Resources()[2]; done.Failed == "" || done.Done == sim.Never {
		t.Errorf("/done: failed %q, done %v; want failed with /f", done.Failed, done.Done)
	}
}

// Chrome offers br only over HTTPS ("gzip, deflate" over plain HTTP), and
// an origin set up for Brotli answers a client without br with gzip: the
// browser advertised br everywhere, so cleartext runs got Brotli.
func TestAcceptEncodingByScheme(t *testing.T) {
	tests := []struct {
		scheme, encoding string
		accept, coding   string
		body             int64 // the stylesheet's 10000 bytes, coded
	}{
		{"https", "br", "gzip, deflate, br", "br", 2500},
		{"http", "br", "gzip, deflate", "gzip", 3000},
		{"https", "gzip", "gzip, deflate, br", "gzip", 3000},
		{"http", "gzip", "gzip, deflate", "gzip", 3000},
		{"http", "none", "gzip, deflate", "", 10000},
	}
	for _, tt := range tests {
		p := &Page{Origin: "www.example.com", Compression: Compression{Encoding: tt.encoding}, Resources: []Resource{
			{URL: "/", Type: HTML, Size: 1000, Parent: -1},
			{URL: "/a.css", Type: CSS, Size: 10000, Parent: 0},
		}}
		f := &scriptedFetcher{o: NewOrigin(p, 0)}
		b := NewBrowser(sim.NewLoop(sim.Limits{}), trace.NewLog(false), p, tt.scheme, f, Visit{})
		b.Start(0)
		req := f.asked("/a.css")
		if req == nil {
			t.Fatalf("%s, %s page: /a.css not requested", tt.scheme, tt.encoding)
		}
		resp := f.o.Serve(0, req)
		if got := req.Get("accept-encoding"); got != tt.accept {
			t.Errorf("%s: Accept-Encoding %q; want %q", tt.scheme, got, tt.accept)
		}
		if got := resp.Get("content-encoding"); got != tt.coding || resp.BodyLen != tt.body {
			t.Errorf("%s, %s page: Content-Encoding %q, %d bytes; want %q, %d", tt.scheme, tt.encoding, got, resp.BodyLen, tt.coding, tt.body)
		}
	}
}

// statusFetcher answers as an origin would, but path with status (a
// simulated server's own error) and no body.
type statusFetcher struct {
	scriptedFetcher
	path   string
	status int
}

func (f *statusFetcher) Fetch(now sim.Time, req *Request, x Exchange) {
	if req.Path != f.path {
		f.scriptedFetcher.Fetch(now, req, x)
		return
	}
	x.Headers(now, &Response{Status: f.status, Header: []Field{{"content-length", "0"}}})
	x.Done(now)
}

// A response with a status the page does not declare (an HTTP/1.1
// server's 431, an edge's 502) is marked: the page did not load as the
// scenario says. A 304 to a conditional request, and through an edge that
// follows redirects the status at the end of the chain, are expected.
func TestUnexpectedStatus(t *testing.T) {
	p := &Page{Origin: "www.example.com", Resources: []Resource{
		{URL: "/", Type: HTML, Size: 1000, Parent: -1},
		{URL: "/a.css", Type: CSS, Size: 1000, Parent: 0, ETag: true},
		{URL: "/old.png", Type: Image, Size: 100, Parent: 0, Status: 301, Location: "/new.png"},
		{URL: "/new.png", Type: Image, Size: 1000, Parent: -1},
		{URL: "/gone.png", Type: Image, Size: 100, Parent: 0, Status: 404},
	}}
	tests := []struct {
		path   string
		status int
		visit  Visit
		hidden bool
		want   bool
	}{
		{"/a.css", 431, Visit{}, false, true},
		{"/a.css", 502, Visit{}, false, true},
		{"/a.css", 200, Visit{}, false, false},
		{"/a.css", 304, Visit{Repeat: true}, false, false}, // revalidated
		{"/a.css", 304, Visit{}, false, true},              // not asked for
		{"/gone.png", 404, Visit{}, false, false},
		{"/gone.png", 200, Visit{}, false, true},
		{"/old.png", 301, Visit{}, false, false},
		{"/old.png", 200, Visit{}, true, false}, // the edge followed the 301
		{"/old.png", 200, Visit{}, false, true},
	}
	for _, tt := range tests {
		f := &statusFetcher{scriptedFetcher: scriptedFetcher{o: NewOrigin(p, 0)}, path: tt.path, status: tt.status}
		b := NewBrowser(sim.NewLoop(sim.Limits{}), trace.NewLog(false), p, "https", f, tt.visit)
		b.HiddenRedirects = tt.hidden
		b.Start(0)
		for _, r := range b.Resources() {
			want := tt.want && r.URL == tt.path
			if r.Unexpected != want {
				t.Errorf("%s answered %d (repeat %v, hidden redirects %v): %s (status %d) unexpected %v; want %v", tt.path, tt.status, tt.visit.Repeat, tt.hidden, r.URL, r.Status, r.Unexpected, want)
			}
		}
	}
}
