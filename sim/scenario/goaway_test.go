package scenario

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/web"
)

// A request the server did not process may be sent again whatever its
// method (RFC 9113 §8.7; RFC 9114 §4.1.1, §5.2): a POST that crosses a
// GOAWAY, above the last stream the server will answer, goes again on a
// new connection and completes. It failed: the browser retried only
// idempotent requests, as after a connection that died.
func TestUnprocessedPostIsRetriedAfterGoAway(t *testing.T) {
	for _, proto := range []string{"h2", "h3"} {
		s := Page()
		s.Protocols = []string{proto}
		s.Page = &web.Page{Origin: "shop.example.com", Resources: []web.Resource{
			{URL: "/", Type: web.HTML, Size: 12_000, Parent: -1},
			{URL: "/a.css", Type: web.CSS, Size: 4_000, Parent: 0, After: 500},
			{URL: "/order", Type: web.JSON, Size: 300, Parent: 0, After: 500, Method: "POST", RequestBody: 2_000},
		}}
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		r := newPageRun(s, Options{}, proto)
		// The server has the document's request; the requests the
		// document leads to cross the GOAWAY on the way.
		goAway := func(now sim.Time) {
			if proto == "h2" {
				r.h2s[0].GoAway(now)
			} else {
				r.h3s[0].GoAway(now)
			}
		}
		r.loop.After(sim.At(goAwayAt[proto]), goAway)
		for r.loop.Run(1_000_000) == sim.Running {
		}
		run := r.finish()
		order := run.Resources[2]
		if run.PLT < 0 || order.Status != 200 || order.Retries == 0 || run.Connections != 2 {
			t.Errorf("%s: page loaded at %v; POST status %d, %d retries (%q), %d connections; want it sent again on a second connection and answered",
				proto, run.PLT, order.Status, order.Retries, order.Failed, run.Connections)
		}
	}
}

var goAwayAt = map[string]time.Duration{"h2": 320 * time.Millisecond, "h3": 215 * time.Millisecond}
