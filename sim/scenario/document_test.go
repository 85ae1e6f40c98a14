package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/units"
	"httpsim/sim/web"
)

func TestDocumentRoundTrip(t *testing.T) {
	mods := map[string]func() *Scenario{
		"bulk": Bulk,
		"page": Page,
		"flow": func() *Scenario {
			s := Bulk()
			s.Bulk = BulkWorkload{Duration: 60 * time.Second}
			s.Network.Bandwidth = 1234567
			s.Network.Down.Loss = link.Loss{Model: link.Burst, Rate: 0.0123456, MeanBurst: 3.5, DataOnly: true}
			s.Network.Down.Outages = []link.Outage{{From: time.Second, To: 2500 * time.Millisecond}}
			s.Network.Up.Drop = []int{3, 9}
			s.TCP.SACK = false
			return s
		},
		"page-h2-push": func() *Scenario {
			s := Page()
			s.Protocols = []string{"h1", "h2"}
			s.H2.Push = true
			s.H2.Scheduler = "rr"
			s.Page.Resources[1].Push = true
			s.Page.Resources[3].Chunked = true
			s.Visit.Repeat = true
			s.Visit.Age = ptr(90 * time.Minute)
			s.Title = Text{EN: "A title", ZH: "标题"}
			s.Controls = []Control{{Param: "loss", Min: "0%", Max: "10%", Step: "0.5%"}}
			return s
		},
		"updates": func() *Scenario {
			s := Updates()
			s.Updates.Mode = "long_poll"
			s.Updates.EventTimes = []time.Duration{time.Second, 1500 * time.Millisecond}
			s.Updates.Events = 2
			s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.01}
			return s
		},
		"page-edge": func() *Scenario {
			s := edgeScenario(web.EdgeConfig{Cache: true, Warm: true, FollowRedirects: true}, "h1")
			s.Network.Edge.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.01}
			return s
		},
	}
	for name, mk := range mods {
		s := mk()
		b, err := Encode(s)
		if err != nil {
			t.Fatalf("%s: Encode: %v", name, err)
		}
		back, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: Decode(Encode(s)): %v\n%s", name, err, b)
		}
		again, _ := Encode(back)
		if !bytes.Equal(b, again) {
			t.Errorf("%s: encode → decode → encode changed the document:\n%s\n---\n%s", name, b, again)
		}
		r1, err1 := Run(s, Options{})
		r2, err2 := Run(back, Options{})
		if err1 != nil || err2 != nil || r1.TraceHash != r2.TraceHash {
			t.Errorf("%s: the decoded scenario runs differently: %v %v, %s vs %s", name, err1, err2, r1.TraceHash, r2.TraceHash)
		}
	}
}

func TestDecodeMinimalDocument(t *testing.T) {
	s, err := Decode([]byte(`{"version": 1, "workload": {"kind": "bulk", "size": "2MB"},
		"network": {"rtt": "40ms", "bandwidth": "50Mbps", "down": {"loss": {"model": "bernoulli", "rate": "1%"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Bulk.Size != 2*units.MB || s.Network.RTT != 40*time.Millisecond || s.Network.Bandwidth != 50*units.Mbps ||
		s.Network.Down.Loss.Rate != 0.01 || s.TCP.MSS != 1460 {
		t.Errorf("decoded %+v", s)
	}
}

// TestDecodeReportsEveryProblem is the table of broken scenario files, each
// with the exact messages expected.
func TestDecodeReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"not JSON", `{"version": 1,`, []string{"line 1, column 15: not valid JSON: unexpected end of JSON input"}},
		// It ran with U+FFFD in the name.
		{"not UTF-8", "{\"version\": 1,\n \"name\": \"caf\xe9\", \"workload\": {\"kind\": \"bulk\"}}", []string{"line 2, column 14: the byte 0xe9 is not UTF-8 text; a scenario file is UTF-8"}},
		{"not an object", `[1, 2]`, []string{"the document is a list; want a JSON object"}},
		{"no version", `{"workload": {"kind": "bulk"}}`, []string{"version: missing; want 1"}},
		{"newer version", `{"version": 7, "workload": {"kind": "bulk"}}`,
			[]string{"version: this file is version 7, newer than this httpsim understands (version 1); please update httpsim to open it"}},
		{"unknown and mistyped fields", `{"version": 1, "colour": "red", "seed": "seven",
			"network": {"rtt": 100, "bandwith": "10Mbps"}, "workload": {"kind": "bulk"}}`, []string{
			"colour: unknown field (the fields here are version, name, title, explanation, seed, network, tcp, tls, protocols, h1, h2, h3, quic, workload, controls, opens_at, variants, limits)",
			"network.bandwith: unknown field (the fields here are rtt, bandwidth, queue, down, up, edge, server_resets, path_changes)",
			`network.rtt: found a number (100); want a duration such as "100ms"`,
			`seed: found a string ("seven"); want a whole number, 0 or more`,
		}},
		{"units and ranges", `{"version": 1, "workload": {"kind": "bulk", "size": "10XB"},
			"network": {"rtt": "-5ms", "bandwidth": "0bps", "down": {"loss": {"model": "bernoulli", "rate": "150%"}}},
			"tcp": {"mss": 10}}`, []string{
			// Every problem, the ranges of the fields that did convert too.
			`workload.size: unknown size unit "XB" (use B, KB, MB or GB); want a size such as "30KB"`,
			"network.rtt: -5ms is out of range (0 to 20s)",
			"network.bandwidth: 0bps is out of range (1bps to 100Gbps)",
			"network.down.loss.rate: 150% is out of range (0% to 99.9%)",
			"tcp.mss: 10 is out of range (88 to 65495 bytes)",
		}},
		{"a duration that did not convert", `{"version": 1, "workload": {"kind": "bulk", "duration": "abc"}}`, []string{
			// Not also "workload: give a size or a duration".
			`workload.duration: "abc" is not a number; want a duration such as "100ms"`,
		}},
		{"a problem named at the parent of a field that did not convert", `{"version": 1, "workload": {"kind": "bulk", "size": "1MB"}, "network": {"edge": {"rtt": "abc"}}}`, []string{
			// Both: the edge's problem is not the rtt's.
			`network.edge.rtt: "abc" is not a number; want a duration such as "100ms"`,
			"network.edge: an edge serves page workloads only",
		}},
		{"ranges", `{"version": 1, "workload": {"kind": "bulk", "size": "1MB"},
			"network": {"rtt": "-5ms", "bandwidth": "0bps", "down": {"loss": {"model": "bernoulli", "rate": "150%"}}},
			"tcp": {"mss": 10}}`, []string{
			"network.rtt: -5ms is out of range (0 to 20s)",
			"network.bandwidth: 0bps is out of range (1bps to 100Gbps)",
			"network.down.loss.rate: 150% is out of range (0% to 99.9%)",
			"tcp.mss: 10 is out of range (88 to 65495 bytes)",
		}},
		{"page problems", `{"version": 1, "protocols": ["h1", "spdy"], "h1": {"max_conns": 0},
			"workload": {"kind": "page", "page": {"origin": "example.com", "resources": [
				{"url": "/", "type": "html", "size": "10KB"},
				{"url": "/a", "type": "gif", "size": "1KB", "parent": 2},
				{"url": "/b", "type": "css", "size": "1KB", "parent": 1}]}}}`, []string{
			`workload.page.resources[1].type: "gif" is not a resource type (use html, css, js, img, font, json, rpc or other)`,
			"workload.page.resources[1].parent: discovery has a cycle through resources [1 2]",
			`protocols[1]: "spdy" is not a protocol (use h1, h2, h3)`,
			"h1.max_conns: 0 is out of range (1 to 64)",
		}},
		{"http/3 and path changes", `{"version": 1, "protocols": ["h3"], "h3": {"scheduler": "fifo", "qpack_table_capacity": -1},
			"quic": {"cert_chain": "50B", "max_datagram_size": 900},
			"network": {"path_changes": [{"at": "2s", "rtt": "60ms"}, {"at": "soon"}]},
			"workload": {"kind": "page"}}`, []string{
			`network.path_changes[1].at: "soon" is not a number; want a duration such as "100ms"`,
			"h3.qpack_table_capacity: -1 is out of range (0 to 1048576)",
			// Not "at: 0s is out of range": it has its problem already.
			`h3.scheduler: "fifo" is not a scheduler (use seq, rr or urgency)`,
			"quic.max_datagram_size: 900 is out of range (1200 to 65527 bytes, RFC 9000 §14, §18.2)",
		}},
		{"http/3 and path changes, ranges", `{"version": 1, "protocols": ["h3"], "h3": {"scheduler": "fifo"},
			"quic": {"cert_chain": "50B", "max_datagram_size": 900},
			"network": {"path_changes": [{"at": "2s", "rtt": "60ms"}, {"at": "1s", "rtt": "30s"}]},
			"workload": {"kind": "page"}}`, []string{
			"network.path_changes[1].at: 1s is not after the previous change (2s); list changes in time order",
			"network.path_changes[1].rtt: 30s is out of range (0 to 20s)",
			`h3.scheduler: "fifo" is not a scheduler (use seq, rr or urgency)`,
			"quic.max_datagram_size: 900 is out of range (1200 to 65527 bytes, RFC 9000 §14, §18.2)",
		}},
		{"wrong workload", `{"version": 1, "workload": {"kind": "video"}}`, []string{`workload.kind: found "video"; want "bulk", "page" or "updates"`}},
		// An unreadable time is said once, not again as a window from 1s
		// to 0s; the next window keeps its place.
		{"outage times", `{"version": 1, "network": {"down": {"outages": [{"from": "1s", "to": "2000000h"}, {"from": "3s", "to": "2s"}]}}, "workload": {"kind": "bulk", "size": "20KB"}}`, []string{
			`network.down.outages[0].to: duration "2000000h" is too large; want a duration such as "100ms"`,
			"network.down.outages[1]: from 3s to 2s is not a window (need 0 <= from < to)",
		}},
		{"bad control", `{"version": 1, "workload": {"kind": "page"}, "controls": [{"param": "colour"}]}`,
			[]string{`controls[0].param: found "colour"; want one of ` + strings.Join(ControlParams, ", ")}},
		// Two sliders for one setting; a slider of 99.9 billion steps; a
		// packet dropped "three times".
		{"controls twice, tiny steps, drops twice", `{"version": 1, "workload": {"kind": "page"}, "network": {"down": {"drop": [1, 1, 2]}},
			"controls": [{"param": "rtt"}, {"param": "rtt"}, {"param": "loss", "min": "0%", "max": "99%", "step": "1e-9%"}, {"param": "bandwidth", "min": "1Mbps", "max": "2Mbps", "step": "50bps"},
				{"param": "seed", "step": "1"}, {"param": "burst", "step": "0.001"}, {"param": "size", "min": "1KB", "max": "10KB", "step": "1B"}]}`, []string{
			`controls[1].param: "rtt" is controls[0]'s already; give each setting one control`,
			"controls[2].step: 1e-9% makes more than 10000 steps from 0% to 99%; want a larger step",
			"controls[3].step: 50bps makes more than 10000 steps from 1Mbps to 2Mbps; want a larger step",
			"network.down.drop[1]: packet 1 is drop[0] already; list each once",
		}},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.doc))
		if err == nil {
			t.Errorf("%s: Decode accepted it", tt.name)
			continue
		}
		got := Problems(err)
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s: problems\n  %s\nwant\n  %s", tt.name, strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
		}
	}
}

// A page without an origin takes the built-in page's, as the format's
// rules say of every field left out (it used to be "" is not a host name).
func TestDecodePageWithoutOrigin(t *testing.T) {
	s, err := Decode([]byte(`{"version": 1, "workload": {"kind": "page", "page": {"resources": [{"url": "/", "type": "html", "size": "1KB", "parent": -1}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := Page().Page.Origin; s.Page.Origin != want {
		t.Errorf("origin %q; want the built-in page's, %q", s.Page.Origin, want)
	}
}

// A 0-RTT setting HTTP/3 takes from the TLS block is reported once, under
// its own path: it was also reported as quic.reject_early_data and
// quic.early_data, fields a document cannot have.
func TestZeroRTTProblemsReportedOnce(t *testing.T) {
	tests := []struct{ doc, want string }{
		{`{"version": 1, "workload": {"kind": "page"}, "protocols": ["h3"], "tls": {"reject_early_data": true}}`,
			`tls.reject_early_data: a server can reject 0-RTT only if the client sends it: needs early_data (RFC 8446 §4.2.10)`},
		{`{"version": 1, "workload": {"kind": "page"}, "protocols": ["h3"], "tls": {"early_data": true}}`,
			`tls.early_data: 0-RTT needs TLS 1.3 and a resumed session (RFC 8446 §2.3)`},
		// Without TLS over TCP, HTTP/3 still reads them: QUIC's rules.
		{`{"version": 1, "workload": {"kind": "page"}, "protocols": ["h3"], "tls": {"version": "none", "early_data": true}}`,
			`tls.early_data: 0-RTT needs a resumed session (RFC 9001 §4.6)`},
		{`{"version": 1, "workload": {"kind": "page"}, "protocols": ["h3"], "tls": {"version": "none", "reject_early_data": true}}`,
			`tls.reject_early_data: a server can reject 0-RTT only if the client sends it: needs early_data (RFC 9001 §4.6.2)`},
		// Over TCP alone, plain HTTP has nothing to resume: they were
		// ignored without a word.
		{`{"version": 1, "workload": {"kind": "page"}, "protocols": ["h2"], "tls": {"version": "none", "resume": true, "early_data": true}}`,
			`tls.early_data: plain HTTP (tls.version none) has no TLS session to resume; only HTTP/3's QUIC does, and no run uses h3`},
		{`{"version": 1, "workload": {"kind": "page"}, "protocols": ["h1"], "tls": {"version": "none", "resume": true}}`,
			`tls.resume: plain HTTP (tls.version none) has no TLS session to resume; only HTTP/3's QUIC does, and no run uses h3`},
		{`{"version": 1, "workload": {"kind": "updates", "mode": "websocket", "events": 5}, "tls": {"version": "none", "resume": true, "early_data": true}}`,
			`tls.early_data: plain HTTP (tls.version none) has no TLS session to resume; only HTTP/3's QUIC does, and no run uses h3`},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.doc))
		if got := Problems(err); len(got) != 1 || got[0] != tt.want {
			t.Errorf("Decode(%s) problems %q; want %q", tt.doc, got, tt.want)
		}
	}
}

// A repeat visit more than seven days after the first cannot resume the
// first visit's TLS 1.3 session (RFC 8446 §4.6.1): a scenario asking for
// it is refused, naming both fields. Seven days is still a resumption,
// HTTP/3's ticket is TLS 1.3's, and TLS 1.2's session IDs have no limit.
func TestTicketLifetime(t *testing.T) {
	const refused = `tls.resume: the repeat visit comes 10d after the first (workload.visit.age), but a TLS 1.3 session ticket lives at most 7 days (RFC 8446 §4.6.1); leave tls.resume out for the full handshake a browser makes then`
	tests := []struct {
		protocols, tls, age string
		want                string
	}{
		{`["h2"]`, `{"resume": true}`, "10d", refused},
		{`["h1", "h2"]`, `{"resume": true, "early_data": true}`, "10d", refused},
		{`["h3"]`, `{"version": "none", "resume": true}`, "10d", refused},
		{`["h3"]`, `{"version": "1.2", "resume": true}`, "10d", refused},
		{`["h2"]`, `{"resume": true}`, "7d", ""},
		{`["h2"]`, `{"resume": true}`, "10081m", strings.Replace(refused, "10d", "10081m", 1)},
		{`["h2"]`, `{"version": "1.2", "resume": true}`, "10d", ""},
		// Over TLS 1.2 beside HTTP/3, only HTTP/3's run cannot resume,
		// and the message says so.
		{`["h1", "h3"]`, `{"version": "1.2", "resume": true}`, "10d", strings.Replace(refused, "(RFC 8446 §4.6.1)", "(RFC 8446 §4.6.1), and HTTP/3's QUIC would resume with one (without h3 among the protocols, the TLS 1.2 runs over TCP could resume)", 1)},
		{`["h2"]`, `{}`, "10d", ""},
	}
	for _, tt := range tests {
		doc := `{"version": 1, "protocols": ` + tt.protocols + `, "tls": ` + tt.tls + `, "workload": {"kind": "page", "visit": {"repeat": true, "age": "` + tt.age + `"}}}`
		_, err := Decode([]byte(doc))
		if got := strings.Join(Problems(err), "\n"); got != tt.want {
			t.Errorf("Decode(%s) problems %q; want %q", doc, got, tt.want)
		}
	}
}

// A variant changes settings, never the kind of workload, and has a name
// of its own: a variant that turned a page into a bulk transfer made
// compare panic, and one that turned updates into a page a nil pointer.
func TestVariantsKeepTheWorkload(t *testing.T) {
	tests := []struct{ doc, want string }{
		{`{"version": 1, "workload": {"kind": "page"}, "variants": [{"name": "b", "patch": {"workload": {"kind": "bulk"}}}]}`,
			`variants[0] (b).patch: makes the workload bulk; want the document's, page (a variant changes settings, not the kind of workload)`},
		{`{"version": 1, "workload": {"kind": "updates", "mode": "websocket", "events": 5}, "variants": [{"name": "p", "patch": {"workload": {"kind": "page", "mode": null, "events": null}}}]}`,
			`variants[0] (p).patch: makes the workload page; want the document's, updates (a variant changes settings, not the kind of workload)`},
		{`{"version": 1, "workload": {"kind": "page"}, "variants": [{"name": "x", "patch": {}}, {"name": "x", "patch": {"seed": 2}}]}`,
			`variants[1].name: "x" is variants[0]'s name too; want a name of its own`},
		// Nested variants were decoded level after level: 16 of 16 of 16
		// of 16 in a 2 MB file took gigabytes.
		{`{"version": 1, "workload": {"kind": "page"}, "variants": [{"name": "a", "patch": {"variants": [{"name": "b", "patch": {"seed": 2}}]}}]}`,
			`variants[0].patch.variants: a variant cannot have variants of its own; list every variant in the document's variants`},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.doc))
		if got := Problems(err); len(got) != 1 || got[0] != tt.want {
			t.Errorf("Decode(%s) problems %q; want %q", tt.doc, got, tt.want)
		}
	}
	// A scenario built in Go is held to the same rule.
	s := Page()
	other := Bulk()
	s.Variants = []Variant{{Name: "b", Scenario: other}}
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), `variants[0]: "b" is a bulk workload; want the scenario's, page`) {
		t.Errorf("Validate() = %v; want the variant's workload named", err)
	}
}

func TestVariants(t *testing.T) {
	doc := `{"version": 1, "name": "keepalive",
		"workload": {"kind": "page"},
		"protocols": ["h1"],
		"variants": [
			{"name": "http10", "label": {"en": "HTTP/1.0", "zh": "HTTP/1.0 短连接"}, "patch": {"h1": {"http10": true}}},
			{"name": "keepalive", "patch": {"h1": {"max_conns": 6}}},
			{"name": "bad", "patch": {"h1": {"max_conns": 0}, "network": {"rtt": "fast"}}}
		]}`
	_, err := Decode([]byte(doc))
	want := []string{
		`variants[2] (bad): network.rtt: "fast" is not a number; want a duration such as "100ms"`,
		"variants[2] (bad): h1.max_conns: 0 is out of range (1 to 64)",
	}
	if got := Problems(err); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems %q; want %q", got, want)
	}
	doc = strings.Replace(doc, `,
			{"name": "bad", "patch": {"h1": {"max_conns": 0}, "network": {"rtt": "fast"}}}`, "", 1)
	s, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Variants) != 2 || !s.Variants[0].Scenario.H1.HTTP10 || s.Variants[1].Scenario.H1.HTTP10 || s.Variants[0].Label.ZH != "HTTP/1.0 短连接" {
		t.Fatalf("variants %+v", s.Variants)
	}
	r, err := Run(s, Options{})
	if err != nil || len(r.Runs) != 2 || r.Runs[0].Variant != "http10" || r.Runs[1].Variant != "keepalive" {
		t.Fatalf("runs %v %+v", err, r)
	}
	if r.Runs[0].Connections <= r.Runs[1].Connections {
		t.Errorf("HTTP/1.0 opened %d connections, keep-alive %d", r.Runs[0].Connections, r.Runs[1].Connections)
	}
	b, _ := Encode(s)
	back, err := Decode(b)
	if err != nil || len(back.Variants) != 2 {
		t.Fatalf("variants lost in the round trip: %v", err)
	}
}

// TestEncodeKeepsEveryBuiltin: every built-in scenario, exported with Encode
// and read back with Decode, runs to exactly the same traces — variants
// included — so an exported or saved scenario is the scenario.
func TestEncodeKeepsEveryBuiltin(t *testing.T) {
	for _, name := range Names() {
		s, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Encode(s)
		if err != nil {
			t.Errorf("%s: Encode: %v", name, err)
			continue
		}
		back, err := Decode(b)
		if err != nil {
			t.Errorf("%s: Decode(Encode(s)):\n%s", name, strings.Join(Problems(err), "\n"))
			continue
		}
		r1, err1 := Run(s, Options{})
		r2, err2 := Run(back, Options{})
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", name, err1, err2)
		}
		if r1.TraceHash != r2.TraceHash || len(r1.Runs) != len(r2.Runs) {
			t.Errorf("%s: the re-read scenario runs differently", name)
			continue
		}
		for i := range r1.Runs {
			if r1.Runs[i].TraceHash != r2.Runs[i].TraceHash {
				t.Errorf("%s: run %s/%s differs after Encode and Decode", name, r1.Runs[i].Variant, r1.Runs[i].Proto)
			}
		}
	}
}

// Seeds are 64-bit: one above 2^53 survives a variant's merge patch
// exactly, and one at 2^64-1 is a whole number (they went through float64,
// rounded, and from 2^63 were refused as not whole).
func TestDecodeKeepsLargeSeeds(t *testing.T) {
	s, err := Decode([]byte(`{"version": 1, "seed": 18446744073709551615, "workload": {"kind": "page"},
		"variants": [{"name": "a", "patch": {"tls": {"version": "1.2"}}}, {"name": "b", "patch": {"seed": 9007199254740993}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Seed != 1<<64-1 || s.Variants[0].Scenario.Seed != 1<<64-1 || s.Variants[1].Scenario.Seed != 1<<53+1 {
		t.Errorf("seeds %d, %d, %d; want 18446744073709551615 twice, then 9007199254740993", s.Seed, s.Variants[0].Scenario.Seed, s.Variants[1].Scenario.Seed)
	}
	for doc, want := range map[string]string{
		`{"version": 1, "seed": 1.5, "workload": {"kind": "page"}}`:                  "seed: found a number (1.5); want a whole number, 0 or more",
		`{"version": 1, "seed": 18446744073709551616, "workload": {"kind": "page"}}`: "seed: found a number (18446744073709551616); want a whole number, 0 or more",
		`{"version": 1.5, "workload": {"kind": "page"}}`:                             "version: found a number (1.5); want a whole number, 1",
	} {
		if _, err := Decode([]byte(doc)); err == nil || err.Error() != want {
			t.Errorf("Decode(%s) = %v; want %q", doc, err, want)
		}
	}
}

// An updates workload's fields that contradicted each other without the
// user writing the contradiction, or that a limit overrode in silence.
func TestDecodeUpdatesTimes(t *testing.T) {
	tests := []struct{ doc, want string }{
		// The count is the list's when the document gives none.
		{`{"version": 1, "workload": {"kind": "updates", "event_times": ["1s", "2s"]}}`, ""},
		{`{"version": 1, "workload": {"kind": "updates", "event_times": []}}`, "workload.event_times: an empty list; give at least one time, or leave event_times out for times drawn at random"},
	}
	for _, tt := range tests {
		s, err := Decode([]byte(tt.doc))
		if err == nil {
			err = s.Validate()
		}
		if got := fmt.Sprint(err); (tt.want == "" && err != nil) || (tt.want != "" && got != tt.want) {
			t.Errorf("%s: %v; want %q", tt.doc, err, tt.want)
		}
	}
	// A time limit past the default limit of simulated time (20 minutes)
	// runs to its end: the run stopped at 20 minutes, with nothing
	// delivered, and said only "time limit".
	s, err := Decode([]byte(`{"version": 1, "workload": {"kind": "updates", "event_times": ["25m"], "time_limit": "30m"}}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Runs[0]; r.Updates.Delivered != 1 {
		t.Errorf("an event at 25 minutes with a 30-minute time limit: %s, %d delivered; want it delivered", r.Status, r.Updates.Delivered)
	}
}

// A problem validation finds in a page whose entries repeat names the
// entry the user wrote, not its place in the expanded list; a max_age
// that is not whole seconds is refused, not cut to none.
func TestDecodeNamesTheEntryWritten(t *testing.T) {
	_, err := Decode([]byte(`{"version": 1, "workload": {"kind": "page", "page": {"resources": [
		{"url": "/", "type": "html", "size": "5KB", "parent": -1},
		{"url": "/i%d.jpg", "type": "img", "size": "1KB", "repeat": 5, "status": 700},
		{"url": "/a", "type": "css", "size": "1KB", "status": 99},
		{"url": "/b", "type": "css", "size": "1KB", "max_age": "500ms"}]}}}`))
	want := []string{
		"workload.page.resources[3].max_age: 500ms is not a whole number of seconds (Cache-Control: max-age counts seconds, RFC 9111 §5.2.2.1; no_cache asks for revalidation every time)",
		"workload.page.resources[1].status (copy 1 of 5): 700 is out of range (200 to 599)",
	}
	got := Problems(err)
	if len(got) != 7 || got[0] != want[0] || got[1] != want[1] || got[6] != "workload.page.resources[2].status: 99 is out of range (200 to 599)" {
		t.Errorf("problems:\n%s\nwant the first two\n%s\nthen copies 2 to 5, then resources[2]'s status", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDecodeRefusesSmallFilesThatExpandHugely: a file of a few kilobytes
// must not take gigabytes. Repeats are counted before they are expanded
// (1,000 entries of 1,000 copies allocated a gigabyte before the page's
// limit refused them), and variants, each a whole scenario decoded and
// run, are at most MaxVariants.
func TestDecodeRefusesSmallFilesThatExpandHugely(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"version": 1, "workload": {"kind": "page", "page": {"resources": [{"url": "/"}`)
	for i := range 1000 {
		fmt.Fprintf(&b, `, {"url": "/a%d-%%d", "repeat": 1000}`, i)
	}
	b.WriteString(`]}}}`)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Decode([]byte(b.String()))
	runtime.ReadMemStats(&after)
	want := "workload.page.resources: 1000001 resources once repeats are expanded is out of range (1 to 2000)"
	if got := Problems(err); len(got) == 0 || got[0] != want {
		t.Errorf("1,000 entries of 1,000 copies: problems %q; want first %q", got, want)
	}
	if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 64 {
		t.Errorf("decoding a %d kB file allocated %d MB; want the repeats refused before they are made", b.Len()>>10, mb)
	}

	b.Reset()
	b.WriteString(`{"version": 1, "workload": {"kind": "page"}, "variants": [`)
	for i := range MaxVariants + 1 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"name": "v%d", "patch": {"seed": %d}}`, i, i+1)
	}
	b.WriteString(`]}`)
	_, err = Decode([]byte(b.String()))
	if want := "variants: 17 variants is out of range (at most 16)"; err == nil || err.Error() != want {
		t.Errorf("17 variants: %v; want %q", err, want)
	}
}

// A syntax error's line and column point at the character it is about, in
// characters: "hello world" was said to go wrong at column 2.
func TestSyntaxErrorAt(t *testing.T) {
	tests := []struct {
		in        string
		line, col int
	}{
		{"hello world", 1, 1},
		{`{"a": x}`, 1, 7},
		{"{\n  \"a\": x}", 2, 8},
		{`{"名字": x}`, 1, 8},
		{`{"a": 1} x`, 1, 10},
		{`{"a":`, 1, 6},
		{"{\n", 2, 1},
	}
	for _, tt := range tests {
		var v any
		err := json.Unmarshal([]byte(tt.in), &v)
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%q: %v; want a syntax error", tt.in, err)
		}
		if line, col := SyntaxErrorAt([]byte(tt.in), se); line != tt.line || col != tt.col {
			t.Errorf("SyntaxErrorAt(%q, %q) = %d, %d; want %d, %d", tt.in, se, line, col, tt.line, tt.col)
		}
	}
}

// A control's range is checked, each problem at its JSON path: a slider
// from 10% down to 0% in steps of 0 was taken.
func TestDecodeChecksControlRanges(t *testing.T) {
	tests := []struct{ controls, want string }{
		{`{"param": "loss", "min": "10%", "max": "0%", "step": "0"}`,
			"controls[0].step: 0 is not a step; want more than 0\ncontrols[0].max: 0% is below min, 10%"},
		{`{"param": "rtt", "min": "5ms", "max": "30s", "step": "5ms"}`, "controls[0].max: 30s is out of range (0 to 20s)"},
		{`{"param": "loss", "max": "100%"}`, "controls[0].max: 100% is out of range (0% to 99.9%)"},
		{`{"param": "bandwidth", "min": "fast"}`, `controls[0].min: "fast" is not a value of bandwidth (1bps to 100Gbps)`},
		{`{"param": "burst", "min": "0", "max": "10"}`, "controls[0].min: 0 is out of range (1 to 1000 packets)"},
		{`{"param": "seed"}, {"param": "conns", "min": "1", "max": "65", "step": "1"}`, "controls[1].max: 65 is out of range (1 to 64)"},
		{`{"param": "scheduler", "step": "1"}`, "controls[0].step: the scheduler control has no range; leave min, max and step out"},
		{`{"param": "loss", "min": "0%", "max": "99.9%", "step": "0.1%"}, {"param": "rtt", "min": "10ms", "max": "10ms"}`, ""},
	}
	for _, tt := range tests {
		doc := `{"version": 1, "workload": {"kind": "page"}, "controls": [` + tt.controls + `]}`
		_, err := Decode([]byte(doc))
		if got := strings.Join(Problems(err), "\n"); got != tt.want {
			t.Errorf("Decode(controls %s) problems %q; want %q", tt.controls, got, tt.want)
		}
	}
}

// Where the page's timeline opens: the end, the moment the most bytes
// were held back, or a time; anything else names the field and what it
// takes. It writes back as it was read, and the end not at all.
func TestDecodeOpensAt(t *testing.T) {
	tests := []struct {
		in   string
		want OpensAt
		back string
		err  string
	}{
		{`"end"`, OpensAt{}, "", ""},
		{`"held"`, OpensAt{Kind: OpensAtHeld}, `"held"`, ""},
		{`"600ms"`, OpensAt{Kind: OpensAtTime, At: 600 * time.Millisecond}, `"600ms"`, ""},
		{`"0s"`, OpensAt{Kind: OpensAtTime}, `"0s"`, ""}, // the start, not the end
		{`"soon"`, OpensAt{}, "", `opens_at: found "soon"; want "end", "held" or a duration such as "600ms"`},
		{`"25h"`, OpensAt{Kind: OpensAtTime, At: 25 * time.Hour}, "", "opens_at: 25h0m0s is out of range (0 to 24h)"},
		{`"-1s"`, OpensAt{}, "", "opens_at: -1s is out of range (0 to 24h)"},
		{`3`, OpensAt{}, "", `opens_at: found a number (3); want "end", "held" or a duration such as "600ms"`},
	}
	for _, tt := range tests {
		doc := `{"version": 1, "workload": {"kind": "page"}, "opens_at": ` + tt.in + `}`
		s, err := Decode([]byte(doc))
		if got := strings.Join(Problems(err), "\n"); got != tt.err {
			t.Errorf("Decode(opens_at %s) problems %q; want %q", tt.in, got, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		if s.OpensAt != tt.want {
			t.Errorf("Decode(opens_at %s).OpensAt = %+v; want %+v", tt.in, s.OpensAt, tt.want)
		}
		back, _ := json.Marshal(s.Document().OpensAt)
		if s.Document().OpensAt == nil {
			back = nil
		}
		if string(back) != tt.back {
			t.Errorf("Decode(opens_at %s) writes back %s; want %s", tt.in, back, tt.back)
		}
	}
}

// A document without a workload is told every kind there is: "updates"
// was left out.
func TestDecodeMissingWorkload(t *testing.T) {
	_, err := Decode([]byte(`{"version": 1}`))
	want := `workload: missing; want an object with "kind": "bulk", "page" or "updates"`
	if got := Problems(err); len(got) != 1 || got[0] != want {
		t.Errorf("Decode({\"version\": 1}) problems %q; want %q", got, want)
	}
}

// Text and names that a page request or a terminal would carry as they are
// must be what HTTP and a terminal take: a control character in a URL or
// an origin ran without a word, and an escape sequence in a title reached
// the terminal through httpsim show.
func TestDecodeRefusesControlCharacters(t *testing.T) {
	page := func(origin, url string) string {
		return `{"version": 1, "workload": {"kind": "page", "page": {"origin": "` + origin + `", "resources": [{"url": "` + url + `", "type": "html", "size": "1KB", "parent": -1}]}}}`
	}
	const badURL = `is not a request path (it must start with /, in visible ASCII without spaces or #; RFC 9112 §3.2.1)`
	const badOrigin = `is not a host with an optional :port of 1 to 65535 (RFC 3986 §3.2.2: a name of letters, digits and -._~!$&'()*+,;= or %-escapes, or an IP literal in brackets)`
	tests := []struct{ doc, want string }{
		{page("a.example", `/a\u0000b`), `workload.page.resources[0].url: "/a\x00b" ` + badURL},
		{page("a.example", `/a\tb`), `workload.page.resources[0].url: "/a\tb" ` + badURL},
		{page("a.example", `/\u001b[2J`), `workload.page.resources[0].url: "/\x1b[2J" ` + badURL},
		{page("a.example", `/a?b#c`), `workload.page.resources[0].url: "/a?b#c" ` + badURL},
		{page("a.example", `/é`), `workload.page.resources[0].url: "/é" ` + badURL},
		{page("a\\tb", `/`), `workload.page.origin: "a\tb" ` + badOrigin},
		{page("a:99999", `/`), `workload.page.origin: "a:99999" ` + badOrigin},
		{page("a:0", `/`), `workload.page.origin: "a:0" ` + badOrigin},
		{page("a:", `/`), `workload.page.origin: "a:" ` + badOrigin},
		{page("a%2", `/`), `workload.page.origin: "a%2" ` + badOrigin},
		{page("[::1", `/`), `workload.page.origin: "[::1" ` + badOrigin},
		{page("[::1]:", `/`), `workload.page.origin: "[::1]:" ` + badOrigin},
		{page("[example.com]", `/`), `workload.page.origin: "[example.com]" ` + badOrigin},
		// RFC 3986's IPv6address: "::" once, one to four hex digits a
		// group; no zone; an IPvFuture has a version and an address.
		{page("[:]", `/`), `workload.page.origin: "[:]" ` + badOrigin},
		{page("[1::2::3]", `/`), `workload.page.origin: "[1::2::3]" ` + badOrigin},
		{page("[12345::]", `/`), `workload.page.origin: "[12345::]" ` + badOrigin},
		{page("[fe80::1%eth0]", `/`), `workload.page.origin: "[fe80::1%eth0]" ` + badOrigin},
		{page("[v.x]", `/`), `workload.page.origin: "[v.x]" ` + badOrigin},
		{page("[192.0.2.1]", `/`), `workload.page.origin: "[192.0.2.1]" ` + badOrigin},
		{page("a%zz", `/`), `workload.page.origin: "a%zz" ` + badOrigin},
		{`{"version": 1, "title": {"en": "\u001b]0;pwned\u0007"}, "workload": {"kind": "page"}}`,
			`title.en: has a control character (U+001B, character 1); write plain text`},
		{`{"version": 1, "name": "a\u202eb", "workload": {"kind": "page"}}`,
			`name: has a control character (U+202E, character 2); write plain text`},
		{`{"version": 1, "name": "a\u2028b", "workload": {"kind": "page"}}`,
			`name: has a control character (U+2028, character 2); write plain text`},
		{`{"version": 1, "workload": {"kind": "page"}, "variants": [{"name": "a\u001b[31m", "patch": {}}]}`,
			`variants[0].name: has a control character (U+001B, character 2); write plain text`},
		{`{"version": 1, "workload": {"kind": "page"}, "variants": [{"name": "a", "label": {"zh": "\u202e"}, "patch": {}}]}`,
			`variants[0].label.zh: has a control character (U+202E, character 1); write plain text`},
		{`{"version": 1, "explanation": {"zh": "第一段。\n第二段\u0007"}, "workload": {"kind": "page"}}`,
			`explanation.zh: has a control character (U+0007, character 9); write plain text`},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.doc))
		if got := Problems(err); len(got) != 1 || got[0] != tt.want {
			t.Errorf("Decode(%s) problems %q; want %q", tt.doc, got, tt.want)
		}
	}
	// What stays allowed: a port, a query, percent-encoding, paragraphs.
	for _, doc := range []string{
		page("cdn-1.example.com:8443", `/a/b.js?v=2&x=%20y`),
		// What RFC 3986 allows in a host, and a port's leading zero.
		page("[::1]:8443", `/`),
		page("[2001:db8::192.0.2.1]", `/`),
		page("a_b.example", `/`),
		page("www.example.com:08443", `/`),
		page("192.0.2.1", `/`),
		page("[v1.x:y]", `/`),
		page("a:000080", `/`),
		page("a%41b", `/`),
		`{"version": 1, "explanation": {"en": "One.\n\nTwo."}, "workload": {"kind": "page"}}`,
	} {
		if _, err := Decode([]byte(doc)); err != nil {
			t.Errorf("Decode(%s): %v", doc, err)
		}
	}
}

// A member given twice, at any depth, is refused with its path: the last
// one was taken without a word ({"size": "1MB", "size": "2MB"} ran 2 MB).
func TestDecodeRefusesDuplicateMembers(t *testing.T) {
	tests := []struct{ doc, want string }{
		{`{"version": 1, "workload": {"kind": "bulk", "size": "1MB", "size": "2MB"}}`, "workload.size: given twice in one object; give it once"},
		{`{"version": 1, "version": 1, "workload": {"kind": "page"}}`, "version: given twice in one object; give it once"},
		{`{"version": 1, "workload": {"kind": "page", "page": {"resources": [{"url": "/", "type": "html", "size": "1KB", "parent": -1, "parent": 0}]}}}`,
			"workload.page.resources[0].parent: given twice in one object; give it once"},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.doc))
		if got := Problems(err); len(got) != 1 || got[0] != tt.want {
			t.Errorf("Decode(%s) problems %q; want %q", tt.doc, got, tt.want)
		}
	}
	// The same name in two objects is no repeat.
	if _, err := Decode([]byte(`{"version": 1, "network": {"down": {"loss": {"model": "bernoulli", "rate": "1%"}}, "up": {"loss": {"model": "bernoulli", "rate": "1%"}}}, "workload": {"kind": "page"}}`)); err != nil {
		t.Errorf("one name in two objects: %v", err)
	}
}

// Validate checks a variant's name and labels too, for scenarios built in
// Go (Decode checks a document's where it attaches its variants).
func TestValidateVariantTexts(t *testing.T) {
	s := Page()
	v := Page()
	s.Variants = []Variant{{Name: "a\u001bb", Label: Text{EN: "ok", ZH: "x\u202ey"}, Scenario: v}}
	got := Problems(s.Validate())
	want := []string{
		"variants[0].name: has a control character (U+001B, character 2); write plain text",
		"variants[0].label.zh: has a control character (U+202E, character 2); write plain text",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Validate problems %q; want %q", got, want)
	}
}

// A loss rate is written as a percentage that reads back to the very same
// fraction, where f×100 rounds too (0.07×100 is 7.000000000000001): the
// decoder refuses a plain fraction.
func TestFractionStringReadsBack(t *testing.T) {
	fs := []float64{0, 0.02, 0.07, 0.1 + 0.2, 1e-7, 0.999, 0.123456789012345678, 5e-324, 0.5}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		fs = append(fs, r.Float64()*0.999)
	}
	for _, f := range fs {
		s := *fractionString(f)
		if !strings.HasSuffix(s, "%") {
			t.Fatalf("fractionString(%v) = %q; want a percentage", f, s)
		}
		if back, err := units.ParsePercent(s); err != nil || back != f {
			t.Fatalf("ParsePercent(fractionString(%v) = %q) = %v, %v; want %v", f, s, back, err, f)
		}
	}
}

// A decoding error repeats at most 40 characters (units.Cut) of a member name
// or a value of the document, as one line: a 400 KB field name or rtt
// was repeated whole.
func TestDecodeErrorsShortenTheDocument(t *testing.T) {
	big := strings.Repeat("k", 400000)
	cut := units.Cut(strings.Repeat("k", 400))
	tests := []struct {
		name, doc, want string
	}{
		{"unknown field", `{"version": 1, "workload": {"kind": "page"}, "` + big + `": 1}`, cut + ": unknown field"},
		{"unknown field with a line break", `{"version": 1, "workload": {"kind": "page"}, "a\nb": 1}`, "a\ufffdb: unknown field"},
		{"rtt", `{"version": 1, "workload": {"kind": "page"}, "network": {"rtt": "` + big + `"}}`, `network.rtt: "` + cut + `" is not a number`},
		{"a string for a number", `{"version": 1, "workload": {"kind": "page"}, "seed": "` + big + `"}`, `seed: found a string ("` + cut + `")`},
		{"a member twice", `{"version": 1, "workload": {"kind": "page"}, "` + big + `": 1, "` + big + `": 1}`, cut + ": given twice"},
		{"workload kind", `{"version": 1, "workload": {"kind": "` + big + `"}}`, `workload.kind: found "` + cut + `"`},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) || len(err.Error()) > 1000 || strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("Decode(%s) = %.300v; want one short line with %q", tt.name, err, tt.want)
		}
	}
}

// A file keeps its meaning: versions before this one wrote a rate whose
// percentage did not read back exactly as a plain fraction ("0.007"),
// and such a file still opens, at that rate.
func TestPlainFractionStillReads(t *testing.T) {
	s, err := Decode([]byte(`{"version": 1, "workload": {"kind": "bulk", "size": "1MB"},
		"network": {"down": {"loss": {"model": "bernoulli", "rate": "0.007"}}}}`))
	if err != nil {
		t.Fatalf("Decode of a plain fraction: %v; want it read", err)
	}
	if got := s.Network.Down.Loss.Rate; got != 0.007 {
		t.Errorf("rate %v; want 0.007", got)
	}
}

// workload.visit.age "0s" is a repeat visit right after the first, not the
// default hour: with it, a response with max-age is fresh (RFC 9111 §4.2),
// and the document says so again when written back.
func TestVisitAgeZero(t *testing.T) {
	tests := []struct {
		visit   string
		since   time.Duration
		written string // workload.visit.age as Encode writes it, "" for none
	}{
		{`{"repeat": true}`, web.DefaultVisitAge, ""},
		{`{"repeat": true, "age": "0s"}`, 0, "0s"},
		{`{"repeat": true, "age": "0ms"}`, 0, "0s"},
		{`{"repeat": true, "age": "90m"}`, 90 * time.Minute, "90m"},
		{`{"repeat": false, "age": "0s"}`, 0, "0s"},
	}
	for _, tt := range tests {
		doc := `{"version": 1, "protocols": ["h1"], "tls": {"version": "none"}, "workload": {"kind": "page", "visit": ` + tt.visit + `}}`
		s, err := Decode([]byte(doc))
		if err != nil {
			t.Fatalf("Decode(%s): %v", doc, err)
		}
		if got := s.Visit.Since(); got != tt.since {
			t.Errorf("visit %s: Since() = %v; want %v", tt.visit, got, tt.since)
		}
		written := ""
		if a := s.Document().Workload.Visit.Age; a != nil {
			written = *a
		}
		if written != tt.written {
			t.Errorf("visit %s: written back with age %q; want %q", tt.visit, written, tt.written)
		}
	}
	// The page's stylesheets have max-age: right after the first visit
	// they come from the cache, not from a request.
	s := Page()
	s.Visit = web.Visit{Repeat: true, Age: ptr(time.Duration(0))}
	again := runPage(t, s)
	fresh := 0
	for _, r := range again.Resources {
		if r.Cache == "fresh" {
			fresh++
		}
	}
	if want := len(again.Resources) - 1; fresh < want {
		t.Errorf("repeat visit 0s after the first: %d of %d resources fresh from the cache; want all but the document", fresh, len(again.Resources))
	}
}
