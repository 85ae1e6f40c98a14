package web

import (
	"strings"
	"testing"
	"time"

	"httpsim/sim"
)

func testPage() *Page {
	return &Page{Origin: "www.example.com", Compression: Compression{Encoding: "gzip"}, Resources: []Resource{
		{URL: "/", Type: HTML, Size: 1000, Parent: -1, NoCache: true, ETag: true},
		{URL: "/a.css", Type: CSS, Size: 1000, Parent: 0, MaxAge: 3600, LastModified: true},
		{URL: "/p.jpg", Type: Image, Size: 1000, Parent: 0},
		{URL: "/old", Type: HTML, Size: 100, Parent: 0, Status: 301, Location: "/"},
		{URL: "/gone.jpg", Type: Image, Size: 1000, Parent: 0, Status: 404},
	}}
}

func TestOriginServe(t *testing.T) {
	o := NewOrigin(testPage(), 0)
	get := func(path string, h ...Field) *Response {
		return o.Serve(0, &Request{Method: "GET", Scheme: "https", Authority: "www.example.com", Path: path,
			Header: append([]Field{{"accept-encoding", "gzip, deflate, br"}}, h...)})
	}
	tests := []struct {
		name      string
		resp      *Response
		status    int
		body      int64
		wantField string
	}{
		{"html compressed", get("/"), 200, 300, "content-encoding: gzip"},
		{"image not compressed", get("/p.jpg"), 200, 1000, "content-length: 1000"},
		{"unknown path", get("/nope"), 404, notFoundBody, "content-type: text/html; charset=utf-8"},
		{"redirect", get("/old"), 301, 30, "location: https://www.example.com/"},
		// An image's error page is a compressed HTML page, not an image.
		{"error page", get("/gone.jpg"), 404, 300, "content-type: text/html; charset=utf-8"},
		{"etag matches", get("/", Field{"if-none-match", etag(&testPage().Resources[0], "gzip")}), 304, 0, "cache-control: no-cache"},
		{"etag differs", get("/", Field{"if-none-match", `"other"`}), 200, 300, "etag: "},
		{"not modified since", get("/a.css", Field{"if-modified-since", httpDate(lastModified)}), 304, 0, "last-modified: "},
		{"modified since", get("/a.css", Field{"if-modified-since", httpDate(lastModified.Add(-3600e9))}), 200, 300, "cache-control: max-age=3600"},
	}
	for _, tt := range tests {
		r := tt.resp
		var fields []string
		for _, f := range r.Header {
			fields = append(fields, f.Name+": "+f.Value)
		}
		joined := strings.Join(fields, "\n")
		if r.Status != tt.status || (r.HasBody() && r.BodyLen != tt.body) || !strings.Contains(joined, tt.wantField) {
			t.Errorf("%s: status %d, body %d, fields\n%s\nwant %d, %d, a field %q", tt.name, r.Status, r.BodyLen, joined, tt.status, tt.body, tt.wantField)
		}
	}
	// No gzip when the client does not accept it.
	r := o.Serve(0, &Request{Method: "GET", Path: "/", Header: []Field{{"accept-encoding", "gzip;q=0, br"}}})
	if r.BodyLen != 1000 || r.Get("content-encoding") != "" {
		t.Errorf("gzip;q=0: body %d, coding %q; want uncompressed", r.BodyLen, r.Get("content-encoding"))
	}
	// Dates follow virtual time, not the wall clock.
	if d := o.Serve(sim.At(2e9), &Request{Method: "GET", Path: "/"}).Get("date"); d != "Thu, 26 Nov 2026 09:00:02 GMT" {
		t.Errorf("date at t=2s = %q", d)
	}
}

func TestCacheVerdicts(t *testing.T) {
	p := testPage()
	b := &Browser{page: p, visit: Visit{Repeat: true, Age: ageOf(2 * time.Hour)}}
	tests := []struct {
		i    int
		want cacheVerdict
		why  string
	}{
		{0, cacheStale, "no-cache with an ETag: revalidate every time"},
		{1, cacheStale, "max-age 1h, stored 2h ago, Last-Modified: a conditional request"},
		{2, cacheMiss, "no freshness information, no validator: fetch again"},
		{3, cacheFresh, "a permanent redirect is kept (heuristic freshness)"},
	}
	for _, tt := range tests {
		if got := b.cacheState(&p.Resources[tt.i], "GET"); got != tt.want {
			t.Errorf("%s: verdict %d; want %d (%s)", p.Resources[tt.i].URL, got, tt.want, tt.why)
		}
	}
}

func ageOf(d time.Duration) *time.Duration { return &d }

// A response with max-age is fresh while its lifetime exceeds its age (RFC
// 9111 §4.2): an age of 0 is a visit right after the first, not the default
// hour.
func TestCacheVerdictByAge(t *testing.T) {
	p := testPage() // /a.css: max-age 1h, Last-Modified
	tests := []struct {
		age  *time.Duration
		want cacheVerdict
	}{
		{nil, cacheStale}, // DefaultVisitAge, 1h: not fresh at exactly its lifetime
		{ageOf(0), cacheFresh},
		{ageOf(10 * time.Minute), cacheFresh},
		{ageOf(time.Hour - time.Nanosecond), cacheFresh},
		{ageOf(time.Hour), cacheStale},
	}
	for _, tt := range tests {
		b := &Browser{page: p, visit: Visit{Repeat: true, Age: tt.age}}
		if got := b.cacheState(&p.Resources[1], "GET"); got != tt.want {
			t.Errorf("/a.css %v after the first visit: verdict %d; want %d", b.visit.Since(), got, tt.want)
		}
	}
}

func TestCookieValue(t *testing.T) {
	for _, n := range []int{4, 20, 300} {
		v := CookieValue(n)
		if len(v) != n || !strings.HasPrefix(v, "sid=") || v != CookieValue(n) {
			t.Errorf("CookieValue(%d) = %q", n, v)
		}
	}
}

// The fields and framing RFC 9110 asks of particular statuses, and of
// representations that differ by content coding.
func TestOriginStatusRules(t *testing.T) {
	p := testPage()
	p.Resources = append(p.Resources,
		Resource{URL: "/ping", Type: JSON, Size: 300, Parent: 0, Status: 204},
		Resource{URL: "/reset", Type: HTML, Size: 300, Parent: 0, Status: 205},
		Resource{URL: "/gone", Type: HTML, Size: 300, Parent: 0, Status: 404, MaxAge: 600},
		Resource{URL: "/doc", Type: JSON, Size: 300, Parent: 0, Method: "PUT", ETag: true})
	o := NewOrigin(p, 0)
	serve := func(method, path, accept string, h ...Field) *Response {
		return o.Serve(0, &Request{Method: method, Scheme: "https", Authority: "www.example.com", Path: path,
			Header: append([]Field{{"accept-encoding", accept}}, h...)})
	}
	const gzip = "gzip, deflate, br"
	zipped, plain := serve("GET", "/", gzip), serve("GET", "/", "identity")
	tests := []struct {
		name       string
		resp       *Response
		status     int
		body       int64
		has, hasnt []string
	}{
		// §8.6, §15.3.5: a 204 has no content, so no Content-Length.
		{"204", serve("GET", "/ping", gzip), 204, 0, nil, []string{"content-length", "content-type", "content-encoding", "vary"}},
		// §15.3.6: no content in a 205; a length of 0 frames it (RFC 9112 §6.3).
		{"205", serve("GET", "/reset", gzip), 205, 0, []string{"content-length: 0"}, []string{"content-encoding"}},
		// §15.4.5: a 304 carries the Vary the 200 would have.
		{"304", serve("GET", "/", gzip, Field{"if-none-match", zipped.Get("etag")}), 304, 0, []string{"vary: Accept-Encoding", "etag: " + zipped.Get("etag")}, []string{"content-length"}},
		// §8.8.3.3: the identity body does not match the gzip body's tag.
		{"other representation", serve("GET", "/", "identity", Field{"if-none-match", zipped.Get("etag")}), 200, 1000, []string{"etag: " + plain.Get("etag")}, []string{"content-encoding"}},
		// RFC 9111 §3: a 404 may be stored with explicit freshness, so it is sent.
		{"404 max-age", serve("GET", "/gone", gzip), 404, 90, []string{"cache-control: max-age=600"}, nil},
		// RFC 9110 §13.1.2: a matching If-None-Match answers 304 only for GET and HEAD.
		{"PUT", serve("PUT", "/doc", gzip, Field{"if-none-match", etag(&p.Resources[7], "gzip")}), 200, 90, []string{"content-length: 90"}, nil},
	}
	for _, tt := range tests {
		r := tt.resp
		var fields []string
		for _, f := range r.Header {
			fields = append(fields, f.Name+": "+f.Value)
		}
		joined := strings.Join(fields, "\n") + "\n"
		ok := r.Status == tt.status && r.BodyLen == tt.body
		for _, f := range tt.has {
			ok = ok && strings.Contains(joined, f+"\n")
		}
		for _, f := range tt.hasnt {
			ok = ok && !strings.Contains(joined, f+":")
		}
		if !ok {
			t.Errorf("%s: status %d, body %d, fields\n%s\nwant %d, %d, with %q, without %q", tt.name, r.Status, r.BodyLen, joined, tt.status, tt.body, tt.has, tt.hasnt)
		}
	}
	if zipped.Get("etag") == plain.Get("etag") {
		t.Errorf("gzip and identity bodies share the tag %s; want one per representation", plain.Get("etag"))
	}
}

func TestAcceptsCoding(t *testing.T) {
	tests := []struct {
		accept string
		want   bool
	}{
		{"gzip, deflate, br", true},
		{"GZIP", true},
		{"x-gzip", true},
		{"gzip;q=0", false},
		{"gzip;Q=0", false},
		{"gzip; q=0.000", false},
		{"gzip;q=0.001", true},
		{"br", false},
		{"*", true},
		{"*;q=0", false},
		{"gzip;q=0, *", false},
		{"*;q=0, gzip;q=0.5", true},
		{"", false},
	}
	for _, tt := range tests {
		if got := acceptsCoding(tt.accept, "gzip"); got != tt.want {
			t.Errorf("acceptsCoding(%q, gzip) = %v; want %v", tt.accept, got, tt.want)
		}
	}
}

// A repeat visit's responses are dated when it happens (RFC 9110 §6.6.1:
// Date is when the message was generated): a 304 an hour after the first
// visit said the first visit's Date, so a student reading the headers
// found a stale copy 0 seconds old.
func TestOriginDatesARepeatVisit(t *testing.T) {
	tests := []struct {
		visit Visit
		at    sim.Time
		want  string
	}{
		{Visit{}, 0, "Thu, 26 Nov 2026 09:00:00 GMT"},
		{Visit{}, sim.At(1500 * time.Millisecond), "Thu, 26 Nov 2026 09:00:01 GMT"},
		{Visit{Repeat: true}, 0, "Thu, 26 Nov 2026 10:00:00 GMT"},
		{Visit{Repeat: true, Age: ageOf(10 * 24 * time.Hour)}, sim.At(2 * time.Second), "Sun, 06 Dec 2026 09:00:02 GMT"},
		{Visit{Repeat: true, Age: ageOf(0)}, 0, "Thu, 26 Nov 2026 09:00:00 GMT"},
	}
	for _, tt := range tests {
		o := NewOrigin(testPage(), tt.visit.Since())
		resp := o.Serve(tt.at, &Request{Method: "GET", Scheme: "https", Authority: "www.example.com", Path: "/"})
		if got := resp.Get("date"); got != tt.want {
			t.Errorf("%+v at %v: Date %q; want %q", tt.visit, tt.at, got, tt.want)
		}
	}
}

// An image's Content-Type follows its URL's extension (status-codes'
// /logo.png went out as image/jpeg); other types keep their type's.
func TestOriginContentType(t *testing.T) {
	tests := []struct {
		url  string
		typ  Type
		want string
	}{
		{"/logo.png", Image, "image/png"},
		{"/a/b.GIF?v=2", Image, "image/gif"},
		{"/photo.webp", Image, "image/webp"},
		{"/icon.svg", Image, "image/svg+xml"},
		{"/photo.jpg", Image, "image/jpeg"},
		{"/photo", Image, "image/jpeg"},
		{"/app.png.js", JS, "text/javascript"},
	}
	for _, tt := range tests {
		p := &Page{Origin: "www.example.com", Resources: []Resource{{URL: tt.url, Type: tt.typ, Size: 100, Parent: -1}}}
		resp := NewOrigin(p, 0).Serve(0, &Request{Method: "GET", Scheme: "https", Authority: "www.example.com", Path: tt.url})
		if got := resp.Get("content-type"); got != tt.want {
			t.Errorf("%s (%s): Content-Type %q; want %q", tt.url, tt.typ, got, tt.want)
		}
	}
}
