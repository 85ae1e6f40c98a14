package scenario

import (
	"strings"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/trace"
	"httpsim/sim/web"
)

// A server sealing 16 KB records (the most RFC 8446 §5.1 allows, and a
// common server default) sends a first record larger than its first flight
// of ten segments (RFC 6928): the browser can read none of it until its end
// comes a round trip later (RFC 8446 §5.2: a record is decrypted whole).
// What the lessons say of it, in round trips from request to first byte:
//   - cache-location, origin (HTTP/2 over TLS, 170 ms): every resource two
//     with 16 KB records; with 1400-byte ones the stylesheets and scripts,
//     sent first, one, and the rest still two;
//   - h3-hol: over HTTP/2 every image two; with
//     1400-byte records the first image one, the others still two, being
//     behind its 16 KB DATA frame; over HTTP/3 every image one.
func TestTLSRecordsLargerThanTheFirstFlightCostARoundTrip(t *testing.T) {
	type want func(r web.ResourceState, proto string, first bool) int // round trips
	tests := []struct {
		lesson, variant string
		record          int
		trips           want
	}{
		{"cache-location", "origin", 16384, func(web.ResourceState, string, bool) int { return 2 }},
		{"cache-location", "origin", 1400, func(r web.ResourceState, _ string, _ bool) int {
			if r.Type == web.CSS || r.Type == web.JS {
				return 1
			}
			return 2
		}},
		{"h3-hol", "", 16384, func(_ web.ResourceState, proto string, _ bool) int {
			if proto == "h3" {
				return 1
			}
			return 2
		}},
		{"h3-hol", "", 1400, func(_ web.ResourceState, proto string, first bool) int {
			if proto == "h3" || first {
				return 1
			}
			return 2
		}},
	}
	for _, tt := range tests {
		s, err := Builtin(tt.lesson)
		if err != nil {
			t.Fatal(err)
		}
		s.TLS.MaxRecord = tt.record
		for i := range s.Variants {
			s.Variants[i].Scenario.TLS.MaxRecord = tt.record
		}
		res, err := Run(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, run := range res.Runs {
			if tt.variant != "" && run.Variant != tt.variant {
				continue
			}
			rtt := s.Network.RTT
			if s.Network.Edge != nil && tt.variant == "origin" {
				rtt += s.Network.Edge.RTT // the origin sits beyond the edge
			}
			first := true
			for _, r := range run.Resources {
				if r.URL == s.Page.Resources[0].URL || !r.Requested {
					continue // the document: its request waited for nothing
				}
				checked++
				n := tt.trips(r, run.Proto, first)
				first = false
				wait := time.Duration(r.FirstByte - r.Sent)
				// A second wave's next flight may already be on its
				// way when it is requested: a few ms under two.
				if lo, hi := time.Duration(n)*rtt-5*time.Millisecond, time.Duration(n)*rtt+20*time.Millisecond; wait < lo || wait > hi {
					t.Errorf("%s %s over %s, records of %d bytes: %s's first byte %v after its request; want %d round trips of %v", tt.lesson, tt.variant, run.Proto, tt.record, r.URL, wait, n, rtt)
				}
			}
		}
		if checked == 0 {
			t.Fatalf("%s %s: no resource checked", tt.lesson, tt.variant)
		}
	}
}

// tls.max_record is read, checked against RFC 8446 §5.1's bound, and
// written back.
func TestTLSMaxRecordField(t *testing.T) {
	s, err := Decode([]byte(`{"version": 1, "workload": {"kind": "page"}, "tls": {"max_record": "1400B"}}`))
	if err != nil || s.TLS.MaxRecord != 1400 {
		t.Fatalf("max_record 1400B: %v, %v; want 1400", s.TLS.MaxRecord, err)
	}
	doc, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(doc)
	if err != nil || back.TLS.MaxRecord != 1400 {
		t.Errorf("encoded and decoded again: %v, %v; want 1400", back.TLS.MaxRecord, err)
	}
	_, err = Decode([]byte(`{"version": 1, "workload": {"kind": "page"}, "tls": {"max_record": "20KB"}}`))
	if want := "tls.max_record: 20000 is out of range (256 to 16384 bytes)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("max_record 20KB: %v; want %q", err, want)
	}
}

// TestRecordHeldByAHoleCountsFromItsEnd: no byte of a TLS record is usable
// before its last arrives, loss or not, so the bytes a hole inside a record
// holds back wait for it only from when the record would have been
// complete without the loss (README: a record waiting only for its
// sender's window is not counted). In h2-hol without its scripted drop,
// the first image's first 16 KB record spans the server's first two
// flights: losing the 19th data packet, in the second, opens the record
// later by the time its repair took, and that is the image's own-loss
// delay (it was counted from the first flight's arrival, a round trip
// more). Losing the lesson's 120th, inside one flight, the victim waits
// from when the first bytes behind the hole arrived, not from when the
// record's bytes before it did.
func TestRecordHeldByAHoleCountsFromItsEnd(t *testing.T) {
	lesson := func(drop int) *ProtocolRun {
		t.Helper()
		s, err := Builtin("h2-hol")
		if err != nil {
			t.Fatal(err)
		}
		s.Network.Down.Drop = nil
		if drop > 0 {
			s.Network.Down.Drop = []int{drop}
		}
		return runPage(t, s)
	}
	clean := lesson(0)
	tests := []struct {
		drop int
		url  string
		// opensLate: the record holding the hole was the victim's
		// first, so its first byte came as much later as it waited.
		opensLate bool
	}{
		{19, "/img/photo1.jpg", true},
		{120, "/img/photo4.jpg", false},
	}
	for _, tt := range tests {
		run := lesson(tt.drop)
		v, ok := victim(run)
		if !ok || v.URL != tt.url {
			t.Fatalf("drop %d: the victim is %q; want %s", tt.drop, v.URL, tt.url)
		}
		_, filled := repair(run)
		behind := sim.Never
		for _, e := range run.Log.Events() {
			if e.Kind == trace.DataMoved && e.Side == trace.Client && e.Conn == v.Conn && e.At == filled && e.Arrived < e.At {
				behind = min(behind, e.Arrived)
			}
		}
		if want := filled.Sub(behind); v.LossDelay != want {
			t.Errorf("drop %d: %s own-loss delay %v; want %v, from %v, when the first bytes behind the hole arrived, to the repair at %v", tt.drop, v.URL, v.LossDelay, want, behind, filled)
		}
		if !tt.opensLate {
			continue
		}
		for _, c := range clean.Resources {
			if c.URL != v.URL {
				continue
			}
			if late := v.FirstByte.Sub(c.FirstByte); v.LossDelay != late {
				t.Errorf("drop %d: %s own-loss delay %v; want %v, how much later its first record opened than without the loss (%v, not %v)", tt.drop, v.URL, v.LossDelay, late, v.FirstByte, c.FirstByte)
			}
		}
	}
}
