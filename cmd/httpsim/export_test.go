package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportWritesQlog(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run.qlog")
	code, stdout, stderr := runCLI("export", "--format", "qlog", "--scenario", "page", "--proto", "h3", "--loss", "2%", "--seed", "3", "--out", out)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(stdout, "wrote "+out+": qlog 0.3, h3, client ") {
		t.Errorf("stdout %q; want a line saying what was written", stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		QlogVersion string `json:"qlog_version"`
		Title       string `json:"title"`
		Traces      []struct {
			VantagePoint struct {
				Type string `json:"type"`
			} `json:"vantage_point"`
			Events []struct {
				Name string `json:"name"`
			} `json:"events"`
		} `json:"traces"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s is not JSON: %v", out, err)
	}
	if f.QlogVersion != "0.3" || len(f.Traces) != 2 || f.Traces[0].VantagePoint.Type != "client" || f.Traces[1].VantagePoint.Type != "server" {
		t.Fatalf("qlog_version %q, %d traces; want 0.3 and a client and a server trace", f.QlogVersion, len(f.Traces))
	}
	if want := "httpsim: Loading a web page, h3, seed 3"; f.Title != want {
		t.Errorf("title %q; want %q", f.Title, want)
	}
	names := map[string]bool{}
	for _, tr := range f.Traces {
		for _, e := range tr.Events {
			names[e.Name] = true
		}
	}
	for _, n := range []string{"transport:packet_sent", "transport:packet_received", "recovery:metrics_updated", "recovery:packet_lost", "http:frame_created", "http:frame_parsed", "connectivity:connection_state_updated"} {
		if !names[n] {
			t.Errorf("no %s event", n)
		}
	}
}

func TestExportDeterministic(t *testing.T) {
	dir := t.TempDir()
	args := []string{"export", "--scenario", "page", "--proto", "h3", "--loss", "2%", "--seed", "5"}
	var files [2][]byte
	for i := range files {
		out := filepath.Join(dir, []string{"a.qlog", "b.qlog"}[i])
		if code, _, stderr := runCLI(append(args, "--out", out)...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		files[i] = b
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Errorf("the same command wrote different files (%d and %d bytes)", len(files[0]), len(files[1]))
	}
	// --out - writes the same bytes to standard output, and nothing else.
	code, stdout, stderr := runCLI(append(args, "--out", "-")...)
	if code != 0 || stdout != string(files[0]) {
		t.Errorf("--out -: exit %d, stderr %q, %d bytes on stdout; want the file's %d", code, stderr, len(stdout), len(files[0]))
	}
}

func TestExportBadInput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.qlog")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "pcapng", "--proto", "h2", "--out", out}, "httpsim export: --format: \"pcapng\" is not an export format (use qlog, svg or pcap)\n"},
		{[]string{"--proto", "h3"}, "httpsim export: --out: missing: name the file to write (--out run.qlog, or --out - for standard output)\n"},
		{[]string{"--proto", "h1,h3", "--out", out}, "httpsim export: --proto: export takes one protocol (h1, h2 or h3), not \"h1,h3\"\n"},
		{[]string{"--proto", "all", "--out", out}, "httpsim export: --proto: export takes one protocol (h1, h2 or h3), not \"h1,h2,h3\"\n"},
		{[]string{"--proto", "h4", "--out", out}, "httpsim export: --proto: \"h4\" is not a protocol (use h1, h2 or h3)\n"},
		{[]string{"--scenario", "h3-hol", "--out", out}, "httpsim export: --proto: scenario \"h3-hol\" runs h2,h3; export takes one protocol (h1, h2 or h3)\n"},
		{[]string{"--scenario", "handshakes", "--out", out}, "httpsim export: --variant: scenario \"handshakes\" has variants; export one (http, tls12, tls13, tls13-0rtt, tls13-0rtt-rejected, quic, quic-0rtt, quic-0rtt-rejected)\n"},
		{[]string{"--scenario", "handshakes", "--variant", "quic-0rtt", "--proto", "h1", "--out", out}, "httpsim export: --proto: variant \"quic-0rtt\" runs h3, not h1; export it over one of those\n"},
		{[]string{"--scenario", "handshakes", "--variant", "quick", "--out", out}, "httpsim export: --variant: scenario \"handshakes\" has no variant \"quick\" (http, tls12, tls13, tls13-0rtt, tls13-0rtt-rejected, quic, quic-0rtt, quic-0rtt-rejected)\n"},
		{[]string{"--proto", "h3", "--variant", "quic", "--out", out}, "httpsim export: --variant: scenario \"page\" has no variants\n"},
		{[]string{"--scenario", "bulk", "--out", out}, "httpsim export: --scenario: \"bulk\" has the workload \"bulk\"; qlog export needs a page scenario (HTTP over h1, h2 or h3)\n"},
		{[]string{"--proto", "h3", "--loss", "150%", "--out", out}, "httpsim export: --loss: 150% is out of range (0% to 99.9%)\n"},
		{[]string{"--proto", "h3", "--nosuchflag"}, "httpsim export: flag provided but not defined: -nosuchflag\n"},
		// An export keeps about 2.4 KB an event: run's ceiling of two
		// billion got it killed for want of memory.
		{[]string{"--proto", "h3", "--max-events", "2000000000", "--out", out}, "httpsim export: --max-events: 2000000000 is out of range (0 for the default 250000, up to 1000000, about 2.4 GB of memory)\n"},
		{[]string{"--proto", "h3", "--max-events", "1000001", "--out", out}, "httpsim export: --max-events: 1000001 is out of range (0 for the default 250000, up to 1000000, about 2.4 GB of memory)\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(append([]string{"export"}, tt.args...)...)
		if code == 0 || stderr != tt.want || stdout != "" {
			t.Errorf("httpsim export %s: exit %d, stderr %q, stdout %q; want non-zero exit and %q", strings.Join(tt.args, " "), code, stderr, stdout, tt.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed export wrote %s", out)
	}
	// A file that cannot be created is named in the error.
	bad := filepath.Join(t.TempDir(), "no", "such", "dir.qlog")
	code, _, stderr := runCLI("export", "--proto", "h3", "--max-time", "200ms", "--out", bad)
	if code == 0 || !strings.Contains(stderr, "httpsim export: --out "+bad+": ") {
		t.Errorf("export to %s: exit %d, stderr %q; want an error naming --out", bad, code, stderr)
	}
}
