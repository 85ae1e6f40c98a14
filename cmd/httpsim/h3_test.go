package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRunAllProtocols: --proto all runs HTTP/1.1, HTTP/2 and HTTP/3 on the
// same network and seed and prints them side by side.
func TestRunAllProtocols(t *testing.T) {
	code, out, errOut := runCLI("run", "--scenario", "page", "--proto", "all", "--loss", "2%")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"\nh1: page load time", "\nh2: page load time", "\nh3: page load time", "h1          h2          h3", "HoL, summed over resources (ms)",
		// QUIC carries its own TLS 1.3 and sends UDP, not TCP.
		"TLS 1.3 over TCP, TLS 1.3 in QUIC", "= UDP/IP and QUIC ", "= TCP/IP "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	code, out, errOut = runCLI("run", "--scenario", "page", "--proto", "all", "--0rtt", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Runs []struct {
			Proto       string  `json:"proto"`
			PLT         float64 `json:"plt_ms"`
			Events      int64   `json:"events"`
			TraceEvents int64   `json:"trace_events"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Runs) != 3 || r.Runs[2].Proto != "h3" {
		t.Fatalf("JSON runs %+v (%v); want h1, h2, h3", r.Runs, err)
	}
	// The text's "trace events" are the JSON's trace_events, not its
	// events (the event loop's count).
	if x := r.Runs[0]; x.TraceEvents == 0 || x.TraceEvents == x.Events {
		t.Errorf("h1 run: %d trace events, %d loop events; want both, told apart", x.TraceEvents, x.Events)
	}
	// With 0-RTT, HTTP/3's page starts a round trip earlier than over TCP.
	if !(r.Runs[2].PLT < r.Runs[1].PLT) {
		t.Errorf("0-RTT page load: h2 %.1f ms, h3 %.1f ms; want h3 first", r.Runs[1].PLT, r.Runs[2].PLT)
	}
}

// TestRunMigration: --migrate-at and --new-rtt change the client's path;
// HTTP/2 reconnects (two connections), HTTP/3 migrates (one).
func TestRunMigration(t *testing.T) {
	code, out, errOut := runCLI("run", "--scenario", "migration", "--proto", "h2,h3", "--migrate-at", "500ms", "--new-rtt", "60ms", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Runs []struct {
			Proto string `json:"proto"`
			Conns int    `json:"connections"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Runs) != 2 {
		t.Fatalf("JSON: %v; %s", err, out)
	}
	if r.Runs[0].Conns != 2 || r.Runs[1].Conns != 1 {
		t.Errorf("connections: h2 %d, h3 %d; want 2 and 1", r.Runs[0].Conns, r.Runs[1].Conns)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--new-rtt", "60ms"}, "httpsim run: --new-rtt: needs --migrate-at (this scenario's path does not change)\n"},
		{[]string{"--migrate-at", "soon"}, "httpsim run: --migrate-at: \"soon\" is not a number\n"},
		{[]string{"--migrate-at", "1s", "--new-rtt", "30s"}, "httpsim run: --new-rtt: 30s is out of range (over 0, up to 20s; leave --new-rtt out to keep the old path's)\n"},
		{[]string{"--migrate-at", "1s", "--new-loss", "150%"}, "httpsim run: --new-loss: \"150%\" is out of range (0% to 99.9%)\n"},
		{[]string{"--migrate-at", "1s", "--new-loss", "0.5"}, "httpsim run: --new-loss: \"0.5\" has no unit: write a percentage, \"0.5%\", or \"50%\" for a fraction of 0.5\n"},
		{[]string{"--migrate-at", "1s", "--new-bw", "10"}, "httpsim run: --new-bw: \"10\" has no unit (use bps, Kbps, Mbps or Gbps)\n"},
		{[]string{"--proto", "h3", "--scheduler", "fifo"}, "httpsim run: --scheduler: \"fifo\" is not a scheduler (use seq, rr or urgency)\n"},
		{[]string{"--proto", "h3", "--cert-chain", "10B"}, "httpsim run: --cert-chain: 10 is out of range (100 bytes to 1MiB)\n"},
		{[]string{"--proto", "h4"}, "httpsim run: --proto[0]: \"h4\" is not a protocol (use h1, h2, h3)\n"},
	} {
		_, _, errOut := runCLI(append([]string{"run", "--scenario", "page"}, tt.args...)...)
		if errOut != tt.want {
			t.Errorf("%v: stderr %q; want %q", tt.args, errOut, tt.want)
		}
	}
}

// The header names a path change, and one after the page loaded as such;
// a lesson's own move takes --new-* without --migrate-at.
func TestRunNamesThePathChange(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--scenario", "migration", "--new-rtt", "60ms"}, "over 20Mbps, RTT 40ms (from 600ms: RTT 60ms, 8Mbps), "},
		{[]string{"--scenario", "page", "--migrate-at", "10s", "--new-bw", "1Mbps"}, "RTT 100ms (from 10s: 1Mbps, after the page loaded), "},
	} {
		code, out, errOut := runCLI(append([]string{"run"}, tt.args...)...)
		if code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("run %v = %d, %q; want a header with %q\n%s", tt.args, code, errOut, tt.want, out)
		}
	}
}
