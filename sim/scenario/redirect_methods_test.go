package scenario

import (
	"strings"
	"testing"
	"time"

	"httpsim/sim/trace"
	"httpsim/sim/web"
)

// requestLines returns the request lines and Location fields the browser
// and the origin wrote over HTTP/1.1, in order, with each request's
// Content-Length.
func h1Heads(t *testing.T, s *Scenario) (requests, locations []string) {
	t.Helper()
	run := runPage(t, s)
	for e := range run.Log.All() {
		if e.Kind != trace.FrameCreated {
			continue
		}
		head := string(e.Raw)
		first, _, _ := strings.Cut(head, "\r\n")
		switch e.Name {
		case "request":
			if _, v, ok := strings.Cut(head, "\r\nContent-Length: "); ok {
				n, _, _ := strings.Cut(v, "\r\n")
				first += " body=" + n
			}
			requests = append(requests, first)
		case "response":
			if _, v, ok := strings.Cut(head, "\r\nLocation: "); ok {
				loc, _, _ := strings.Cut(v, "\r\n")
				locations = append(locations, loc)
			}
		}
	}
	return requests, locations
}

// A redirect's status says how its target is requested (RFC 9110 §15.4),
// and its Location carries the scheme the request came with (RFC 9112
// §3.3): the browser used the target's own settings and the origin always
// wrote http://.
func TestRedirectMethods(t *testing.T) {
	s := Page()
	s.Protocols = []string{"h1"}
	s.Page = &web.Page{Origin: "www.example.com", Resources: []web.Resource{
		{URL: "/", Type: web.HTML, Size: 5000, Parent: -1},
		{URL: "/form", Type: web.HTML, Size: 100, Parent: 0, Method: "POST", RequestBody: 2000, Status: 303, Location: "/result"},
		{URL: "/result", Type: web.HTML, Size: 1000, Parent: -1},
		{URL: "/api", Type: web.JSON, Size: 100, Parent: 0, Method: "POST", RequestBody: 3000, Status: 307, Location: "/api2"},
		{URL: "/api2", Type: web.JSON, Size: 1000, Parent: -1},
		{URL: "/put", Type: web.JSON, Size: 100, Parent: 0, Method: "PUT", RequestBody: 1000, Status: 308, Location: "/put2"},
		{URL: "/put2", Type: web.JSON, Size: 1000, Parent: -1},
		{URL: "/old", Type: web.JSON, Size: 100, Parent: 0, Method: "POST", RequestBody: 1000, Status: 302, Location: "/new"},
		{URL: "/new", Type: web.JSON, Size: 1000, Parent: -1},
	}}
	requests, locations := h1Heads(t, s)
	want := map[string]bool{
		"POST /form HTTP/1.1 body=2000": true, "GET /result HTTP/1.1": true, // 303: GET
		"POST /api HTTP/1.1 body=3000": true, "POST /api2 HTTP/1.1 body=3000": true, // 307 keeps both
		"PUT /put HTTP/1.1 body=1000": true, "PUT /put2 HTTP/1.1 body=1000": true, // 308 too
		"POST /old HTTP/1.1 body=1000": true, "GET /new HTTP/1.1": true, // 302: POST becomes GET
		"GET / HTTP/1.1": true,
	}
	for _, r := range requests {
		if !want[r] {
			t.Errorf("request %q; want one of %v", r, want)
		}
		delete(want, r)
	}
	for r := range want {
		t.Errorf("no request %q", r)
	}
	for _, l := range locations {
		if !strings.HasPrefix(l, "https://www.example.com/") {
			t.Errorf("Location: %s over TLS; want https://", l)
		}
	}
	if len(locations) != 4 {
		t.Errorf("%d Location fields; want 4", len(locations))
	}
}

// A retried revalidation is still a revalidation: the retry carries the
// stored validator and gets a 304, not the whole body again.
func TestRetriedRevalidationKeepsItsValidator(t *testing.T) {
	s := Page()
	s.Protocols = []string{"h1"}
	s.Visit = web.Visit{Repeat: true}
	s.Page = &web.Page{Origin: "www.example.com", Resources: []web.Resource{
		{URL: "/", Type: web.HTML, Size: 5000, Parent: -1, NoCache: true, ETag: true, ServerTime: 200 * time.Millisecond},
	}}
	s.Network.ServerResets = []time.Duration{350 * time.Millisecond} // while the server thinks
	requests, _ := h1Heads(t, s)
	run := runPage(t, s)
	if len(requests) != 2 || run.Resources[0].Status != 304 || run.Resources[0].Retries != 1 {
		t.Errorf("requests %q, status %d after %d retries; want two requests, the retry answered 304", requests, run.Resources[0].Status, run.Resources[0].Retries)
	}
}

// RFC 9111 §3 with RFC 9110 §9.3.4: a PUT's response is not reused on a
// later visit, whatever its max-age.
func TestPutIsNotCached(t *testing.T) {
	s := Page()
	s.Protocols = []string{"h1"}
	s.Visit = web.Visit{Repeat: true}
	s.Page = &web.Page{Origin: "www.example.com", Resources: []web.Resource{
		{URL: "/", Type: web.HTML, Size: 5000, Parent: -1, MaxAge: 86400},
		{URL: "/doc", Type: web.JSON, Size: 500, Parent: 0, Method: "PUT", RequestBody: 300, MaxAge: 86400, ETag: true},
	}}
	requests, _ := h1Heads(t, s)
	if len(requests) != 1 || requests[0] != "PUT /doc HTTP/1.1 body=300" {
		t.Errorf("repeat visit: requests %q; want the PUT alone, unconditional (the page is fresh)", requests)
	}
}
