package scenario

import (
	"testing"

	"httpsim/sim"
	"httpsim/sim/trace"
)

// TestNoUnsafeRequestInEarlyData checks RFC 8470 §4: clients "MUST NOT
// send unsafe methods (or methods whose safety is not known) in early
// data". With 0-RTT, the get-vs-post lesson's GETs still go as early data,
// but its POSTs (one with a 600 KB upload, which all went as 0-RTT data)
// wait until the connection's handshake completes.
func TestNoUnsafeRequestInEarlyData(t *testing.T) {
	for _, tt := range []struct {
		proto  string
		http10 bool
		// postPage: the document itself is a POST (a form sent), the
		// first request on a connection in early data.
		postPage bool
	}{{"h1", false, false}, {"h1", true, false}, {"h2", false, false}, {"h3", false, false}, {"h1", false, true}, {"h2", false, true}, {"h3", false, true}} {
		s, err := Builtin("get-vs-post")
		if err != nil {
			t.Fatal(err)
		}
		s.Protocols, s.Variants = []string{tt.proto}, nil
		s.TLS.Resume, s.TLS.EarlyData = true, true
		s.H1.HTTP10 = tt.http10
		wantPosts := 2
		if tt.postPage {
			s.Page.Resources[0].Method, s.Page.Resources[0].RequestBody = "POST", 2000
			wantPosts = 3
		}
		run := runPage(t, s)
		complete := map[int32]sim.Time{} // when each connection's client completed its handshake
		for _, e := range run.Log.Events() {
			if _, seen := complete[e.Conn]; !seen && e.Kind == trace.ConnectionStateUpdated && e.Side == trace.Client && e.Name == "handshake_complete" {
				complete[e.Conn] = e.At
			}
		}
		early, posts := 0, 0
		for _, e := range run.Log.Events() {
			if e.Kind != trace.ResourceUpdated || e.Name != "request_sent" {
				continue
			}
			at, ok := complete[e.Conn]
			inEarly := !ok || e.At < at
			method := s.Page.Resources[e.Res].Method
			switch {
			case method == "":
				if inEarly {
					early++
				}
			case method == "POST":
				posts++
				if inEarly {
					t.Errorf("%s (HTTP/1.0 %v): %s %s sent at %v on connection %d, before its handshake completed at %v", tt.proto, tt.http10, method, e.Value, e.At, e.Conn, at)
				}
			}
		}
		if (early == 0) != tt.postPage || posts != wantPosts {
			t.Errorf("%s (HTTP/1.0 %v, POST page %v): %d GETs in early data, %d POSTs sent; want some (none after a POST page) and %d", tt.proto, tt.http10, tt.postPage, early, posts, wantPosts)
		}
	}
}
