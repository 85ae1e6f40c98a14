package web

import (
	"strings"
	"testing"

	"httpsim/sim"
)

func testPage() *Page {
	return &Page{Origin: "www.example.com", Compression: Compression{Encoding: "gzip"}, Resources: []Resource{
		{URL: "/", Type: HTML, Size: 1000, Parent: -1, NoCache: true, ETag: true},
		{URL: "/a.css", Type: CSS, Size: 1000, Parent: 0, MaxAge: 3600, LastModified: true},
		{URL: "/p.jpg", Type: Image, Size: 1000, Parent: 0},
		{URL: "/old", Type: HTML, Size: 100, Parent: 0, Status: 301, Location: "/"},
	}}
}

func TestOriginServe(t *testing.T) {
	o := NewOrigin(testPage())
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
		{"etag matches", get("/", Field{"if-none-match", etag(&testPage().Resources[0])}), 304, 0, "cache-control: no-cache"},
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
	b := &Browser{page: p, visit: Visit{Repeat: true, Age: 2 * 3600e9}} // visited 2 hours ago
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
		if got := b.cacheState(&p.Resources[tt.i]); got != tt.want {
			t.Errorf("%s: verdict %d; want %d (%s)", p.Resources[tt.i].URL, got, tt.want, tt.why)
		}
	}
	b.visit.Age = 10 * 60e9 // ten minutes ago: max-age 1h is still fresh
	if got := b.cacheState(&p.Resources[1]); got != cacheFresh {
		t.Errorf("/a.css ten minutes later: verdict %d; want fresh", got)
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
