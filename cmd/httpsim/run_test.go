package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = dispatch(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

func TestRunBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--loss", "150%"}, "httpsim run: --loss: 150% is out of range (0% to 99.9%)\n"},
		{[]string{"--rtt", "-5ms"}, "httpsim run: --rtt: -5ms is out of range (0 to 20s)\n"},
		{[]string{"--bw", "0"}, "httpsim run: --bw: 0bps is out of range (1bps to 100Gbps)\n"},
		{[]string{"--bw", "10Mbs"}, "httpsim run: --bw: unknown rate unit \"Mbs\" (use bps, Kbps, Mbps or Gbps)\n"},
		{[]string{"--scenario", "nosuch"}, "httpsim run: --scenario: \"nosuch\" is not a built-in scenario or a .json file (httpsim list shows the built-ins)\n"},
		{[]string{"--rtt", "100"}, "httpsim run: --rtt: \"100\" has no unit (use ms or s)\n"},
		// A bare loss meant a percentage to its author and ran as a
		// fraction (0.5: 50 %); a bare bandwidth ran in bits a second.
		{[]string{"--loss", "0.5"}, "httpsim run: --loss: \"0.5\" has no unit: write a percentage, \"0.5%\", or \"50%\" for a fraction of 0.5\n"},
		{[]string{"--loss", "2"}, "httpsim run: --loss: \"2\" has no unit: write a percentage, \"2%\"\n"},
		{[]string{"--bw", "10"}, "httpsim run: --bw: \"10\" has no unit (use bps, Kbps, Mbps or Gbps)\n"},
		{[]string{"--scenario", "h2-hol", "--tls-record", "100B"}, "httpsim run: --tls-record: 100 is out of range (256 to 16384 bytes)\n"},
		{[]string{"--scenario", "h2-hol", "--proto", "h3", "--tls-record", "2KB"}, "httpsim run: --tls-record: applies to TCP (HTTP/1.x and HTTP/2), which this run does not use (add it with --proto)\n"},
		// The flag package's "invalid boolean value \"maybe\" for -0rtt: parse error".
		{[]string{"--scenario", "page", "--0rtt=maybe"}, "httpsim run: --0rtt: \"maybe\" is not true or false (or give --0rtt alone for true)\n"},
		// "give a size or a duration" named no range.
		{[]string{"--size", "0"}, "httpsim run: --size: 0B is out of range (1B to 100GB, or 0 with --duration for a flow)\n"},
		{[]string{"--duration", "0s"}, "httpsim run: --size or --duration: give a size (1B to 100GB) or a duration (up to 24h)\n"},
		{[]string{"--size", "10XB"}, "httpsim run: --size: unknown size unit \"XB\" (use B, KB, MB or GB)\n"},
		{[]string{"--loss-model", "pareto"}, "httpsim run: --loss-model: \"pareto\" is not a loss model (use bernoulli or burst)\n"},
		{[]string{"--loss-model", "burst", "--loss", "1%", "--burst", "0.5"}, "httpsim run: --burst: 0.5 is out of range (1 to 1000 packets)\n"},
		// A negative burst read as "keep the scenario's", and NaN passed
		// every check: both ran the default burst without a word.
		{[]string{"--loss-model", "burst", "--loss", "1%", "--burst", "-3"}, "httpsim run: --burst: -3 is out of range (1 to 1000 packets)\n"},
		{[]string{"--loss-model", "burst", "--loss", "1%", "--burst", "NaN"}, "httpsim run: --burst: NaN is not a number (1 to 1000 packets)\n"},
		{[]string{"--drop", "3,x"}, "httpsim run: --drop: \"x\" is not a packet ordinal (a list like 7,12,30)\n"},
		{[]string{"--drop", "0"}, "httpsim run: --drop[0]: 0 is out of range (packet ordinals count from 1)\n"},
		{[]string{"--mss", "10"}, "httpsim run: --mss: 10 is out of range (88 to 65495 bytes)\n"},
		{[]string{"--delack", "maybe"}, "httpsim run: --delack: \"maybe\" is not on or off\n"},
		{[]string{"--min-rto", "0ms"}, "httpsim run: --min-rto: 0s is out of range (1ms to 60s)\n"},
		{[]string{"--seed", "-1"}, "httpsim run: --seed: -1 is out of range (0 to 18446744073709551615)\n"},
		// A flag for a protocol the run does not use changes nothing: it
		// is refused rather than ignored.
		{[]string{"--scenario", "page", "--proto", "h1", "--push"}, "httpsim run: --push: applies to HTTP/2, which this run does not use (add it with --proto)\n"},
		{[]string{"--scenario", "page", "--proto", "h3", "--http1.0"}, "httpsim run: --http1.0: applies to HTTP/1.x, which this run does not use (add it with --proto)\n"},
		{[]string{"--scenario", "page", "--proto", "h3", "--tls", "1.2"}, "httpsim run: --tls: applies to TCP (HTTP/1.x and HTTP/2), which this run does not use (add it with --proto)\n"},
		{[]string{"--scenario", "page", "--proto", "h3", "--no-sack"}, "httpsim run: --no-sack: applies to TCP (HTTP/1.x and HTTP/2), which this run does not use (add it with --proto)\n"},
		// An edge's HTTP/2 to its origin reads the HPACK table size, but
		// the origin pushes only to browsers.
		{[]string{"--scenario", "cache-location", "--proto", "h1", "--push"}, "httpsim run: --push: applies to HTTP/2, which this run does not use (add it with --proto)\n"},
		// A variant's own setting that a flag made impossible is named as
		// the variant's field: "--0rtt" blamed a flag never given.
		{[]string{"--scenario", "pipelining", "--http1.0"}, "httpsim run: variant \"pipelined\": h1.pipelining: HTTP/1.0 has no persistent connections to pipeline on (the variant's own setting, which a flag given conflicts with)\n"},
		// --reject-0rtt turns 0-RTT on unless --0rtt says otherwise; a
		// rejection with no early data is refused, naming the flag.
		{[]string{"--scenario", "page", "--proto", "h1", "--0rtt=false", "--reject-0rtt"}, "httpsim run: --reject-0rtt: a server can reject 0-RTT only if the client sends it: needs early_data (RFC 8446 §4.2.10)\n"},
		// --reject-0rtt turns 0-RTT on: its errors name it, not --0rtt.
		{[]string{"--scenario", "page", "--tls", "1.2", "--reject-0rtt"}, "httpsim run: --reject-0rtt: 0-RTT needs TLS 1.3 and a resumed session (RFC 8446 §2.3)\n"},
		{[]string{"--scenario", "handshakes", "--reject-0rtt"}, "httpsim run: variant \"http\": --reject-0rtt: plain HTTP (tls.version none) has no TLS session to resume; only HTTP/3's QUIC does, and no run uses h3\n"},
		// Not a number at all is told apart from a number out of range.
		{[]string{"--seed", "abc"}, "httpsim run: --seed: \"abc\" is not a whole number; want 0 to 18446744073709551615\n"},
		{[]string{"--scenario", "page", "--conns", "six"}, "httpsim run: --conns: \"six\" is not a whole number; want 1 to 64\n"},
		// A path change's 0 keeps the old path's value: --new-rtt 0 and
		// --new-bw 0 kept it without a word, where --bw 0 is refused.
		{[]string{"--scenario", "page", "--migrate-at", "1s", "--new-rtt", "0"}, "httpsim run: --new-rtt: 0 is out of range (over 0, up to 20s; leave --new-rtt out to keep the old path's)\n"},
		{[]string{"--scenario", "page", "--migrate-at", "1s", "--new-bw", "0"}, "httpsim run: --new-bw: 0 is out of range (1bps to 100Gbps; leave --new-bw out to keep the old path's)\n"},
		// Plain HTTP over TCP has no 0-RTT: it ran without, exit 0.
		{[]string{"--scenario", "page", "--proto", "h2", "--tls", "none", "--0rtt"}, "httpsim run: --0rtt: plain HTTP (tls.version none) has no TLS session to resume; only HTTP/3's QUIC does, and no run uses h3\n"},
		{[]string{"--scenario", "page", "--proto", "h1", "--tls", "none", "--reject-0rtt"}, "httpsim run: --reject-0rtt: plain HTTP (tls.version none) has no TLS session to resume; only HTTP/3's QUIC does, and no run uses h3\n"},
		// The flag package keeps the last of a flag given twice: it ran
		// at 2% without a word.
		{[]string{"--loss", "1%", "--loss=2%"}, "httpsim run: --loss: given twice; give it once\n"},
		{[]string{"--scenario", "page", "--push", "-push=false"}, "httpsim run: --push: given twice; give it once\n"},
		// The flag package's "parse error" named no range.
		{[]string{"--max-events", "1e9"}, "httpsim run: --max-events: \"1e9\" is not a whole number; want 0 for the default, up to 2000000000\n"},
		{[]string{"--nosuchflag"}, "httpsim run: flag provided but not defined: -nosuchflag\n"},
		// A file that never ends was read until memory ran out.
		{[]string{"--scenario", "/dev/zero"}, "httpsim run: --scenario: /dev/zero is larger than 4 MiB; a scenario file is at most that\n"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(append([]string{"run"}, tt.args...)...)
		if code == 0 || errOut != tt.want || out != "" {
			t.Errorf("httpsim run %s: exit %d, stderr %q, stdout %q; want non-zero exit and %q", strings.Join(tt.args, " "), code, errOut, out, tt.want)
		}
	}
}

func TestRunJSON(t *testing.T) {
	code, out, errOut := runCLI("run", "--scenario", "bulk", "--size", "1MB", "--loss", "1%", "--rtt", "100ms", "--bw", "100Mbps", "--seed", "7", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"scenario", "seed", "events", "trace_hash", "duration_ms", "completion_ms", "bytes_delivered", "goodput_bps", "segments_sent", "segments_lost", "retransmits"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if m["scenario"] != "bulk" || m["seed"].(float64) != 7 || m["bytes_delivered"].(float64) != 1e6 {
		t.Errorf("JSON scenario/seed/bytes = %v/%v/%v; want bulk/7/1000000", m["scenario"], m["seed"], m["bytes_delivered"])
	}
	// Same flags, same trace.
	_, again, _ := runCLI("run", "--scenario", "bulk", "--size", "1MB", "--loss", "1%", "--rtt", "100ms", "--bw", "100Mbps", "--seed", "7", "--json")
	if again != out {
		t.Error("the same run printed different JSON twice")
	}
}

func TestRunDurationFlow(t *testing.T) {
	code, out, errOut := runCLI("run", "--duration", "5s", "--bw", "10Mbps", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m struct {
		Status       string   `json:"status"`
		DurationMs   float64  `json:"duration_ms"`
		CompletionMs *float64 `json:"completion_ms"`
		GoodputBps   float64  `json:"goodput_bps"`
	}
	json.Unmarshal([]byte(out), &m)
	if m.Status != "time limit" || m.DurationMs != 5000 || m.CompletionMs != nil || m.GoodputBps < 5e6 {
		t.Errorf("duration flow: %+v; want a 5 s run, no completion, goodput near 10 Mbps", m)
	}
}

func TestRunText(t *testing.T) {
	code, out, _ := runCLI("run", "--size", "100KB")
	for _, want := range []string{"completion time", "goodput", "segments sent", "segments lost", "retransmitted", "events", "trace hash"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
}

// An updates run's JSON carries its latencies and requests.
func TestRunUpdatesJSON(t *testing.T) {
	_, out, _ := runCLI("run", "--scenario", "updates", "--json")
	var got struct {
		Runs []struct {
			Variant string `json:"variant"`
			Updates *struct {
				Delivered int `json:"delivered"`
				Latency   struct {
					Mean float64 `json:"mean_ms"`
				} `json:"latency"`
				Requests int64 `json:"requests"`
			} `json:"updates"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Runs) != 3 {
		t.Fatalf("%d runs; want short polling, long polling and WebSocket", len(got.Runs))
	}
	for _, r := range got.Runs {
		if r.Updates == nil || r.Updates.Delivered != 20 || r.Updates.Latency.Mean <= 0 || r.Updates.Requests == 0 {
			t.Errorf("%s: updates %+v; want 20 delivered with their latency and requests", r.Variant, r.Updates)
		}
	}
}

// An updates scenario prints its latencies, not an empty bulk transfer's
// summary (it used to say "goodput 0bps, delivered 0B").
func TestRunUpdates(t *testing.T) {
	code, out, errOut := runCLI("run", "--scenario", "updates")
	for _, want := range []string{"mean latency (ms)", "short-poll", "websocket", "requests"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// What the lesson's text leans on: "1 of the 9 polls comes back
	// empty", a mean raised by a retransmission and a median not.
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`\nmedian latency \(ms\) +2460\.0 +50\.3 +50\.2\*\n`),
		regexp.MustCompile(`\nempty answers \(204\) +1 +0\* +0\*\n`),
	} {
		if !want.MatchString(out) {
			t.Errorf("output lacks %v:\n%s", want, out)
		}
	}
	if strings.Contains(out, "goodput") || code != 0 {
		t.Errorf("exit %d, stderr %q; output:\n%s", code, errOut, out)
	}
}

// A scenario's variants are named in run's text and JSON, as compare's
// columns name them.
func TestRunNamesVariants(t *testing.T) {
	_, out, _ := runCLI("run", "--scenario", "redirects")
	for _, want := range []string{"\nbrowser-follows/h2: page load time", "\nproxy-follows/h2: page load time"} {
		if !strings.Contains(out, want) {
			t.Errorf("run redirects lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runCLI("run", "--scenario", "redirects", "--json")
	if !strings.Contains(out, `"variant":"browser-follows"`) && !strings.Contains(out, `"variant": "browser-follows"`) {
		t.Errorf("run --json redirects names no variant:\n%s", out)
	}
}

// The status column tells a strong cache hit (*) from a 304 (+).
func TestRunMarksCacheHits(t *testing.T) {
	_, out, _ := runCLI("run", "--scenario", "caching")
	for _, re := range []string{`/index.html +304\+ `, `/css/style1.css +200\* `} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("run caching: no line matching %q:\n%s", re, out)
		}
	}
}

// TestUsage: asked for (-h), the usage goes to standard output and exits
// 0; with no command, an error, it goes to standard error and exits 2 (it
// went to standard output).
func TestUsage(t *testing.T) {
	tests := []struct {
		args         []string
		code         int
		toOut, toErr bool
	}{
		{nil, 2, false, true},
		{[]string{"-h"}, 0, true, false},
		{[]string{"help"}, 0, true, false},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(tt.args...)
		const usage = "usage: httpsim COMMAND [flags]"
		if code != tt.code || strings.Contains(out, usage) != tt.toOut || strings.Contains(errOut, usage) != tt.toErr {
			t.Errorf("httpsim %v = exit %d, stdout %q, stderr %q; want exit %d, usage on stdout %v, on stderr %v", tt.args, code, out, errOut, tt.code, tt.toOut, tt.toErr)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errOut := runCLI("frobnicate")
	if code != 2 || !strings.HasPrefix(errOut, `httpsim: unknown command "frobnicate"`) {
		t.Errorf("exit %d, %q; want 2 and an unknown-command message", code, errOut)
	}
}

func TestRunScenarioFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"version": 1, "workload": {"kind": "bulk", "size": "200KB"}, "seed": 3}`), 0o644)
	code, out, errOut := runCLI("run", "--scenario", good, "--json")
	if code != 0 || !strings.Contains(out, `"bytes_delivered": 200000`) || !strings.Contains(out, `"seed": 3`) {
		t.Errorf("good file: exit %d, %s %s", code, out, errOut)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"version": 1, "workload": {"kind": "bulk"}, "network": {"rtt": "-1ms", "bandwidth": 5}}`), 0o644)
	code, _, errOut = runCLI("run", "--scenario", bad)
	want := "httpsim run: --scenario " + bad + `: network.bandwidth: found a number (5); want a rate such as "10Mbps"` + "\n"
	if code == 0 || errOut != want {
		t.Errorf("bad file: exit %d, stderr %q; want %q", code, errOut, want)
	}
}

// TestRunRefusesAnUnprintableName: a scenario file's name or title with a
// character a terminal acts on (U+202E turns the rest of the line around,
// ESC starts a control sequence) is refused, and the error names the
// character without printing it. (It used to be printed quoted; show
// printed a title raw.)
func TestRunRefusesAnUnprintableName(t *testing.T) {
	file := filepath.Join(t.TempDir(), "name.json")
	tests := []struct {
		doc, want string
		code      int
	}{
		{`{"version": 1, "name": "ab\u202ecd", "workload": {"kind": "bulk", "size": "20KB"}}`, "name: has a control character (U+202E, character 3); write plain text\n", 2},
		{`{"version": 1, "name": "x", "title": {"en": "\u001b[31mred"}, "workload": {"kind": "page"}, "protocols": ["h2", "h3"]}`, "title.en: has a control character (U+001B, character 1); write plain text\n", 2},
		{`{"version": 1, "name": "plain", "workload": {"kind": "bulk", "size": "20KB"}}`, "scenario plain: ", 0},
	}
	for _, tt := range tests {
		if err := os.WriteFile(file, []byte(tt.doc), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"run", "--scenario", file}, {"show", file}} {
			if args[0] == "show" && tt.code == 0 {
				continue
			}
			code, out, errOut := runCLI(args...)
			cmd := args[0]
			got := out
			if tt.code != 0 {
				got = errOut
			}
			if code != tt.code || !strings.Contains(got, tt.want) || strings.ContainsAny(out+errOut, "\u202e\x1b") {
				t.Errorf("%s %s = exit %d, %s%s; want %d, %q and neither U+202E nor ESC", cmd, tt.doc, code, errOut, out, tt.code, tt.want)
			}
		}
	}
}

// run --variant runs that variant alone: the table to go with a capture of
// it (export --variant).
func TestRunOneVariant(t *testing.T) {
	code, out, errOut := runCLI("run", "--scenario", "keepalive", "--variant", "keepalive")
	if code != 0 || !strings.Contains(out, "\nkeepalive/h1: page load time") || strings.Contains(out, "http10") {
		t.Errorf("run --variant keepalive = exit %d, %s%s; want the keepalive run alone", code, errOut, out)
	}
	code, _, errOut = runCLI("run", "--scenario", "keepalive", "--variant", "nope")
	if want := "httpsim run: --variant: \"nope\" is not a variant of \"keepalive\" (use http10, keepalive)\n"; code != 2 || errOut != want {
		t.Errorf("run --variant nope = exit %d, %q; want 2, %q", code, errOut, want)
	}
}

// A request sent again on a new connection is marked: its start is the
// first attempt's, its first byte the first any attempt received (the
// first attempt's here), its connection the retry's, which opened after the
// client moved (the migration lesson's HTTP/2 run).
func TestRunMarksRetriedRequests(t *testing.T) {
	code, out, errOut := runCLI("run", "--scenario", "migration")
	retried := regexp.MustCompile(`\n  /media/clip\.mp4 +200 +1r +125\.8 `)
	if code != 0 || !retried.MatchString(out) || !strings.Contains(out, "; r = sent again after its connection failed: conn is the last attempt's, start the first's, 1st byte the first that any attempt received)") {
		t.Errorf("run --scenario migration = exit %d, %s%s; want clip.mp4 on connection 1r and the mark explained", code, errOut, out)
	}
	if _, out, _ := runCLI("run", "--scenario", "h2-hol"); strings.Contains(out, "r = sent again") {
		t.Errorf("run --scenario h2-hol explains a mark no row has:\n%s", out)
	}
}

// --tls is TLS over TCP's, and a lesson's own resumption and 0-RTT go with
// the TLS that has them, as on the page: --tls none or 1.2 runs the
// handshakes lesson (its 0-RTT variants without 0-RTT, said in a note;
// its QUIC variants with QUIC's TLS 1.3 and 0-RTT), --tls none runs
// the caching lesson, whose visit an hour later resumes a session, and the
// compression lesson, whose Brotli variant is then served gzip.
func TestTLSFlagTakesTheLessonsResumption(t *testing.T) {
	tests := []struct {
		args  []string
		notes []string
		out   *regexp.Regexp
	}{
		{[]string{"compare", "--scenario", "handshakes", "--tls", "none"},
			[]string{`note: --tls none: variant "tls13-0rtt" runs without its session resumption and 0-RTT (plain HTTP has no TLS session)`},
			regexp.MustCompile(`\npage load time \(ms\) +200\.1 +200\.1 +200\.1 +200\.1 +200\.1 +200\.5 +100\.3\* +200\.4\n`)},
		{[]string{"compare", "--scenario", "handshakes", "--tls", "1.2"},
			[]string{`note: --tls 1.2: variant "tls13-0rtt" runs without its 0-RTT (only TLS 1.3 has it, RFC 8446 §2.3)`},
			regexp.MustCompile(`\npage load time \(ms\) +400\.6 +400\.6 +400\.6 +300\.2 +300\.2 +200\.5 +100\.3\* +200\.4\n`)},
		{[]string{"run", "--scenario", "caching", "--tls", "none"}, nil, regexp.MustCompile(`\nhour/h2: page load time `)},
		// Browsers offer br only over HTTPS: over plain HTTP the Brotli
		// variant is served gzip, and loads as the gzip one does.
		{[]string{"compare", "--scenario", "compression", "--tls", "none"},
			[]string{`note: --tls none: variant "br" is served gzip, not Brotli: browsers offer br only over HTTPS`},
			regexp.MustCompile(`\npage load time \(ms\) +2197\.3 +1457\.9\* +1457\.9\*\n`)},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(tt.args...)
		if code != 0 || !tt.out.MatchString(out) {
			t.Errorf("%v = exit %d, %s%s; want %v", tt.args, code, errOut, out, tt.out)
		}
		for _, n := range tt.notes {
			if !strings.Contains(errOut, n) {
				t.Errorf("%v: stderr %q; want %q", tt.args, errOut, n)
			}
		}
	}
}

// Through an edge, run says its byte counts cross both hops; straight to
// the origin, it does not.
func TestRunSaysBytesCrossBothHops(t *testing.T) {
	code, out, errOut := runCLI("run", "--scenario", "cache-location")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`\norigin/h2 \([^)]*\): [^\n]*\n  bytes on the wire \d`),
		regexp.MustCompile(`\nedge-miss/h2 \([^)]*\): [^\n]*\n  bytes on the wire \(both hops: browser to edge, edge to origin\) \d[^\n]*\n  header bytes \(both hops: browser to edge, edge to origin\) \d`),
		regexp.MustCompile(`\n\(\* = best of the row; through an edge, bytes on the wire and header bytes count both hops, browser to edge and edge to origin\)\n$`),
	} {
		if code != 0 || !want.MatchString(out) {
			t.Errorf("run --scenario cache-location = exit %d, %s%s; want %v", code, errOut, out, want)
		}
	}
}

// --0rtt asks every variant to resume; a visit later than a session ticket
// lives (the caching lesson's ten days) has nothing to resume: it keeps its
// full handshake, the same run as without the flag, with a note. The whole
// command was refused, for a field the user never wrote.
func TestZeroRTTFlagLeavesAnExpiredTicket(t *testing.T) {
	note := `note: --0rtt: variant "ten-days" visits 10 days after the first, later than a session ticket lives (7 days, RFC 8446 §4.6.1): it makes a full handshake`
	code, _, errOut := runCLI("compare", "--scenario", "caching", "--0rtt")
	if code != 0 || !strings.Contains(errOut, note) {
		t.Errorf("compare caching --0rtt: exit %d, %q; want 0 and %q", code, errOut, note)
	}
	hash := func(args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(append([]string{"run", "--scenario", "caching", "--variant", "ten-days", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("run %v: exit %d, %s", args, code, errOut)
		}
		var r struct {
			Runs []struct {
				TraceHash string `json:"trace_hash"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Runs) != 1 {
			t.Fatalf("run %v --json: %v", args, err)
		}
		return r.Runs[0].TraceHash
	}
	if with, without := hash("--0rtt"), hash(); with != without {
		t.Errorf("ten days later, --0rtt changed the run (trace %s, %s without)", with, without)
	}
	if with, without := hash("--reject-0rtt"), hash(); with != without {
		t.Errorf("ten days later, --reject-0rtt changed the run (trace %s, %s without)", with, without)
	}
	// Not a repeat visit after all: 0-RTT applies.
	if with, without := hash("--0rtt", "--repeat-visit=false"), hash("--repeat-visit=false"); with == without {
		t.Errorf("a first visit with --0rtt ran as without it (trace %s)", with)
	}

	dir := t.TempDir()
	old := filepath.Join(dir, "old.json")
	os.WriteFile(old, []byte(`{"version": 1, "workload": {"kind": "page", "visit": {"repeat": true, "age": "10d"}}}`), 0o644)
	first := filepath.Join(dir, "first.json")
	os.WriteFile(first, []byte(`{"version": 1, "workload": {"kind": "page", "visit": {"repeat": false, "age": "180h"}}}`), 0o644)
	for _, tt := range []struct {
		args      []string
		code      int
		want, not string
	}{
		// A scenario without variants says it too.
		{[]string{"run", "--scenario", old, "--reject-0rtt"}, 0, "note: --reject-0rtt: the repeat visit comes 10 days after the first, later than a session ticket lives (7 days, RFC 8446 §4.6.1): it makes a full handshake\n", ""},
		// --repeat-visit decides it, whatever the flags' order.
		{[]string{"run", "--scenario", first, "--0rtt", "--repeat-visit"}, 0, "note: --0rtt: the repeat visit comes 180 hours after the first", ""},
		// Where no ticket is involved the flags are refused as before:
		// TLS 1.2 has no 0-RTT, plain HTTP no session.
		{[]string{"run", "--scenario", old, "--0rtt", "--tls", "1.2"}, 2, "--0rtt: 0-RTT needs TLS 1.3 and a resumed session (RFC 8446 §2.3)", "ticket"},
		{[]string{"run", "--scenario", old, "--0rtt", "--tls", "none"}, 2, "--0rtt: plain HTTP (tls.version none) has no TLS session to resume", "ticket"},
		// Only the variant that runs is spoken of.
		{[]string{"run", "--scenario", "caching", "--variant", "hour", "--0rtt"}, 0, "", "ten-days"},
		{[]string{"run", "--scenario", "caching", "--variant", "first", "--tls", "none"}, 0, "", "hour"},
		// --0rtt=false is not --tls none, with --tls or without.
		{[]string{"compare", "--scenario", "caching", "--0rtt=false"}, 0, "", "--tls"},
		{[]string{"compare", "--scenario", "caching", "--0rtt=false", "--tls", "1.2"}, 0, "", "--tls none"},
		{[]string{"run", "--scenario", "handshakes", "--variant", "tls13-0rtt", "--0rtt=false", "--tls", "1.3"}, 0, "", "--tls none"},
		// What is wrong on any visit is refused on an old one too: the
		// expiry hid it.
		{[]string{"run", "--scenario", old, "--0rtt", "--proto", "h1,h3", "--tls", "1.2"}, 2, "--0rtt: 0-RTT needs TLS 1.3 and a resumed session (RFC 8446 §2.3)", "ticket"},
		{[]string{"run", "--scenario", old, "--0rtt=false", "--reject-0rtt"}, 2, "--reject-0rtt: a server can reject 0-RTT only if the client sends it", "ticket"},
		// export names only the variant it exports, and says, as run
		// does, that the flag set what that variant fixes itself.
		{[]string{"export", "--format", "svg", "--panel", "ladder", "--scenario", "caching", "--variant", "hour", "--0rtt", "--out", filepath.Join(dir, "hour.svg")}, 0,
			`note: --0rtt also set what variant "hour" fixes itself (tls.resume): it no longer differs there`, "ten-days"},
	} {
		code, _, errOut := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) || tt.not != "" && strings.Contains(errOut, tt.not) {
			t.Errorf("%v: exit %d, %q; want %d, %q and no %q", tt.args, code, errOut, tt.code, tt.want, tt.not)
		}
	}
}

// The header names the settings every run shares, and a run's line the
// ones its variant changed: the handshakes lesson's header said "TLS 1.3"
// above its TLS 1.2 and plain-HTTP runs, and loss-sweep's "loss 0%" above
// its 1 %, 2 % and bursty runs.
func TestRunLinesNameTheirVariantsSettings(t *testing.T) {
	tests := []struct {
		scenario string
		flags    []string
		want     []string
		not      []string
	}{
		{"handshakes", nil, []string{
			"scenario handshakes: 1 resource over 100Mbps, RTT 100ms, loss 0%, seed 1\n",
			"\nhttp/h1 (no TLS): ", "\ntls12/h1 (TLS 1.2): ", "\ntls13/h1 (TLS 1.3): ", "\ntls13-0rtt/h1 (TLS 1.3, 0-RTT): ",
			"\ntls13-0rtt-rejected/h1 (TLS 1.3, 0-RTT rejected): ", "\nquic/h3 (TLS 1.3 in QUIC): ", "\nquic-0rtt/h3 (TLS 1.3 in QUIC, 0-RTT): ",
		}, []string{"TLS 1.3 over TCP"}},
		{"loss-sweep", nil, []string{
			"scenario loss-sweep: 30 resources over 10Mbps, RTT 100ms, TLS 1.3 over TCP, TLS 1.3 in QUIC, seed 2\n",
			"\nno-loss/h2 (loss 0%): ", "\nrandom-1/h3 (loss 1%): ", "\nburst-2/h2 (loss 2% in bursts of 5 packets on average): ",
		}, nil},
		{"caching", nil, []string{"\nfirst/h2 (TLS 1.3): ", "\nhour/h2 (TLS 1.3, resumed): "}, nil},
		// The origin, past a bypassed edge, is as far as the edge's origin.
		// Through the edge, its leg to the origin is named too.
		{"cache-location", nil, []string{"scenario cache-location: 30 resources, loss 0%, seed 1\n",
			"\norigin/h2 (over 50Mbps, RTT 170ms, TLS 1.3): ", "\nedge-miss/h2 (over 50Mbps, RTT 20ms to the edge and 150ms on to the origin, TLS 1.3): "}, nil},
		// 0-RTT is the session's, over TCP and QUIC alike.
		{"page", []string{"--proto", "all", "--0rtt"}, []string{", loss 0%, TLS 1.3 over TCP, TLS 1.3 in QUIC, 0-RTT, seed 1\n"}, nil},
		{"page", []string{"--proto", "all", "--tls", "none"}, []string{", loss 0%, TCP without TLS, TLS 1.3 in QUIC, seed 1\n"}, nil},
		{"page", nil, []string{"scenario page: 30 resources over 10Mbps, RTT 100ms, loss 0%, TLS 1.3, seed 1\n", "\nh1: page load time"}, []string{"h1 ("}},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(append([]string{"run", "--scenario", tt.scenario}, tt.flags...)...)
		if code != 0 {
			t.Fatalf("run --scenario %s %v: exit %d: %s", tt.scenario, tt.flags, code, errOut)
		}
		for _, want := range tt.want {
			if !strings.Contains(out, want) {
				t.Errorf("run --scenario %s %v: output lacks %q", tt.scenario, tt.flags, want)
			}
		}
		for _, not := range tt.not {
			if strings.Contains(out, not) {
				t.Errorf("run --scenario %s %v: output has %q", tt.scenario, tt.flags, not)
			}
		}
	}
}

// A failed fetch is marked failed, with no status and no completion, and
// when and why it failed (a reset, said as such) are said under the table;
// a retried request whose first attempt got no byte shows its retry's first
// byte, as the legend says; and the columns stay in line whatever the URL's
// length (get-vs-post's /search URL is 107 characters), cut in the middle
// so that URLs differing at the end stay apart.
func TestRunTableFailedRetriedAligned(t *testing.T) {
	code, out, errOut := runCLI("run", "--scenario", "get-vs-post", "--variant", "reset")
	if code != 0 {
		t.Fatalf("run get-vs-post --variant reset = exit %d, %s", code, errOut)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`\n  /upload +failed +2 +308\.2 +509\.8 +- +- +0 `),
		regexp.MustCompile(`\n  failed: /upload at 650\.1 ms, connection reset by the server\n`),
		regexp.MustCompile(`\n  /search\?q=network\+s…f=homepage_searchbox +200 +4r +308\.2 +308\.2 +1303\.9 +1303\.9 `),
		regexp.MustCompile(`; failed = no response: when and why are said under its run's table; r = sent again after its connection failed: conn is the last attempt's, start the first's, 1st byte the first that any attempt received\)\n$`),
	} {
		if !want.MatchString(out) {
			t.Errorf("run get-vs-post --variant reset: no match for %v in\n%s", want, out)
		}
	}
	// Every row's status column ends where the header's does.
	end := -1
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  url ") {
			end = utf8.RuneCountInString(line[:strings.Index(line, "status")+len("status")])
			continue
		}
		if end < 0 || !strings.HasPrefix(line, "  /") {
			continue
		}
		r := []rune(line)
		if len(r) <= end || r[end] != ' ' || r[end-1] == ' ' {
			t.Errorf("row out of line with the header's status column (%d):\n%s", end, line)
		}
	}
	if end < 0 {
		t.Errorf("no table header in\n%s", out)
	}
}
