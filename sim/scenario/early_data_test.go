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

// TestEarlyDataRejectedPage loads whole pages with 0-RTT that the server
// rejects (RFC 8446 §4.2.10, RFC 9001 §4.6.2) over each protocol: every
// connection's early data is refused and sent again after the handshake,
// and every resource arrives as it does when 0-RTT is accepted (status,
// header and body sizes), later. HTTP/2's HPACK and HTTP/3's QPACK dynamic
// table see the same bytes once, so their state stays in step; POSTs held
// out of early data follow the replayed requests.
func TestEarlyDataRejectedPage(t *testing.T) {
	tests := []struct {
		lesson, variant, proto string
		http10                 bool
	}{
		{"six-vs-one", "", "h1", false},
		{"six-vs-one", "", "h1", true},
		{"six-vs-one", "", "h2", false},
		{"six-vs-one", "", "h3", false},
		{"get-vs-post", "", "h1", false},
		{"get-vs-post", "", "h2", false},
		{"get-vs-post", "", "h3", false},
		{"qpack", "dynamic", "h3", false},
	}
	for _, tt := range tests {
		name := tt.lesson + "/" + tt.variant + "/" + tt.proto
		if tt.http10 {
			name += "/http1.0"
		}
		t.Run(name, func(t *testing.T) {
			load := func(reject bool) *ProtocolRun {
				s, err := Builtin(tt.lesson)
				if err != nil {
					t.Fatal(err)
				}
				if tt.variant != "" {
					s = s.Variants[indexOfVariant(s, tt.variant)].Scenario
				}
				s.Protocols, s.Variants = []string{tt.proto}, nil
				s.Network.Down, s.Network.Up = LinkLoss{}, LinkLoss{}
				s.TLS.Version = "1.3"
				s.TLS.Resume, s.TLS.EarlyData, s.TLS.RejectEarlyData = true, true, reject
				s.H1.HTTP10 = tt.http10
				if err := s.Validate(); err != nil {
					t.Fatal(err)
				}
				return runPage(t, s)
			}
			accepted, rejected := load(false), load(true)
			if len(rejected.Resources) != len(accepted.Resources) {
				t.Fatalf("%d resources; want %d", len(rejected.Resources), len(accepted.Resources))
			}
			for i, r := range rejected.Resources {
				a := accepted.Resources[i]
				// Header sections over HTTP/2 and HTTP/3 depend on the
				// order the responses were encoded in (HPACK and QPACK
				// tables), which the later handshake changes.
				sameHead := r.HeaderBytes == a.HeaderBytes || tt.proto != "h1"
				if r.Failed != "" || r.Status != a.Status || r.BodyBytes != a.BodyBytes || !sameHead || r.Done == sim.Never {
					t.Errorf("%s: status %d, %d+%d bytes, failed %q; with 0-RTT accepted %d, %d+%d", r.URL, r.Status, r.HeaderBytes, r.BodyBytes, r.Failed, a.Status, a.HeaderBytes, a.BodyBytes)
				}
			}
			states := map[string]int{}
			for _, e := range rejected.Log.Events() {
				if e.Kind == trace.ConnectionStateUpdated && (e.Side == trace.Client || e.Side == trace.Server) {
					states[e.Side.String()+":"+e.Name]++
				}
			}
			sent := states["client:early_data_sent"]
			if sent == 0 || states["client:early_data_rejected"] != sent || states["server:early_data_rejected"] != sent || states["server:early_data_accepted"] != 0 {
				t.Errorf("early data states %v; want every connection's 0-RTT rejected, seen by both ends", states)
			}
			w := rejected.Wire
			if sum := w.TCPIP + w.TLS + w.Headers + w.Bodies + w.Retransmitted; sum != w.Total {
				t.Errorf("bytes %+v add up to %d, not %d", w, sum, w.Total)
			}
			if w.Retransmitted <= accepted.Wire.Retransmitted {
				t.Errorf("no loss: %d bytes sent again, %d with 0-RTT accepted; want the rejected early data counted as sent again", w.Retransmitted, accepted.Wire.Retransmitted)
			}
			if rejected.PLT <= accepted.PLT {
				t.Errorf("page loaded in %v with 0-RTT rejected, %v accepted; want later", rejected.PLT, accepted.PLT)
			}
		})
	}
}
