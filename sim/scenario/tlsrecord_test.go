package scenario

import (
	"strings"
	"testing"
	"time"
)

// A server sealing 16 KB records (the most RFC 8446 §5.1 allows, and a
// common server default) sends a first record larger than its first flight
// of ten segments (RFC 6928): the browser can read none of it until its end
// comes a round trip later (RFC 8446 §5.2: a record is decrypted whole).
// Records that fit the flight save that round trip. The cache-location
// lesson's origin run, 170 ms round trip: request to first byte of a
// stylesheet is two round trips with 16 KB records, one with 1400-byte
// ones.
func TestTLSRecordsLargerThanTheFirstFlightCostARoundTrip(t *testing.T) {
	const rtt = 170 * time.Millisecond
	tests := []struct {
		record int
		trips  int
	}{{16384, 2}, {1400, 1}}
	for _, tt := range tests {
		s, err := Builtin("cache-location")
		if err != nil {
			t.Fatal(err)
		}
		for i := range s.Variants {
			s.Variants[i].Scenario.TLS.MaxRecord = tt.record
		}
		res, err := Run(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, run := range res.Runs {
			if run.Variant != "origin" {
				continue
			}
			for _, r := range run.Resources {
				if r.URL != "/css/style1.css" {
					continue
				}
				found = true
				wait := time.Duration(r.FirstByte - r.Sent)
				if lo, hi := time.Duration(tt.trips)*rtt, time.Duration(tt.trips)*rtt+20*time.Millisecond; wait < lo || wait > hi {
					t.Errorf("records of %d bytes: style1.css's first byte %v after its request; want %d round trips (%v to %v)", tt.record, wait, tt.trips, lo, hi)
				}
			}
		}
		if !found {
			t.Fatalf("records of %d bytes: no origin run of /css/style1.css", tt.record)
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
