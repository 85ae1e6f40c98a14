package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"httpsim/sim/host"
	"httpsim/sim/pcap"
	"httpsim/sim/scenario"
)

// pcapLessons are the exports the pcap tests check: a cleartext HTTP/1.1
// lesson with loss both ways, and an HTTP/2 lesson with loss over TLS 1.3,
// TLS 1.2 and TLS 1.3 with 0-RTT.
var pcapLessons = []struct {
	name string
	args []string
	port uint16
	tls  string // the TLS version, "" for cleartext
}{
	{"h1 cleartext", []string{"--scenario", "keepalive", "--variant", "keepalive", "--loss", "5%", "--seed", "2"}, pcap.PortHTTP, ""},
	{"h2 TLS", []string{"--scenario", "h2-hol", "--loss", "2%", "--seed", "3"}, pcap.PortHTTPS, "1.3"},
	{"h2 TLS 1.2", []string{"--scenario", "h2-hol", "--tls", "1.2", "--loss", "2%", "--seed", "3"}, pcap.PortHTTPS, "1.2"},
	{"h2 TLS 1.3 0-RTT", []string{"--scenario", "h2-hol", "--0rtt", "--loss", "2%", "--seed", "3"}, pcap.PortHTTPS, "1.3"},
}

// exportPcapFile runs `httpsim export --format pcap ARGS --out FILE` and
// returns the file, and the same run made through exportRun with its trace
// (the file must be the capture of that run, byte for byte).
func exportPcapFile(t *testing.T, args []string) (string, []byte, *scenario.ProtocolRun) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "run.pcap")
	code, stdout, stderr := runCLI(append(append([]string{"export", "--format", "pcap"}, args...), "--out", out)...)
	if code != 0 || stderr != "" {
		t.Fatalf("export %v: exit %d, stderr %q", args, code, stderr)
	}
	if !strings.HasPrefix(stdout, "wrote "+out+": pcap, ") || !strings.Contains(stdout, " packets, ") {
		t.Errorf("export %v: stdout %q; want a line saying what was written", args, stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f := newScenarioFlags("httpsim export", "page")
	var variant string
	f.fs.StringVar(&variant, "variant", "", "")
	var errs bytes.Buffer
	if code, done := f.parse(args, &errs, &errs, ""); done {
		t.Fatalf("parse %v: exit %d, %s", args, code, errs.String())
	}
	var c *pcap.Capture
	_, res, code := f.exportRun(variant, "pcap", &errs, func(s *scenario.Scenario) host.Tap {
		c = pcap.ForScenario(s)
		return c.Tap
	})
	if res == nil {
		t.Fatalf("exportRun %v: exit %d, %s", args, code, errs.String())
	}
	if !bytes.Equal(c.Bytes(), b) {
		t.Fatalf("export %v wrote %d bytes; the same run captures %d others", args, len(b), len(c.Bytes()))
	}
	return out, b, res.Runs[0]
}

func TestExportPcap(t *testing.T) {
	for _, tt := range pcapLessons {
		_, b, run := exportPcapFile(t, tt.args)
		pkts, err := pcap.Match(b, run.Log.Events())
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(pkts) == 0 || pkts[0].TCP.DstPort != tt.port || pkts[0].TCP.SrcPort != pcap.FirstClientPort+uint16(pkts[0].Event.Conn) {
			t.Errorf("%s: %d packets, the first %d → %d; want client port %d+connection → %d", tt.name, len(pkts), pkts[0].TCP.SrcPort, pkts[0].TCP.DstPort, pcap.FirstClientPort, tt.port)
		}
	}
	// The migration lesson's client moves: the file is the capture of the
	// run, moves and all, and the summary names its addresses.
	exportPcapFile(t, []string{"--scenario", "migration", "--proto", "h2"})
	code, stdout, stderr := runCLI("export", "--format", "pcap", "--scenario", "migration", "--proto", "h2", "--out", filepath.Join(t.TempDir(), "m.pcap"))
	if code != 0 || !strings.Contains(stdout, "(client 192.0.2.10, 192.0.2.11 from 600ms, server 198.51.100.20:443)") {
		t.Errorf("migration: exit %d, stdout %q, stderr %q; want the client's two addresses", code, stdout, stderr)
	}
	// Standard output gets the same bytes, and nothing else.
	_, b, _ := exportPcapFile(t, pcapLessons[0].args)
	code, stdout, stderr = runCLI(append(append([]string{"export", "--format", "pcap"}, pcapLessons[0].args...), "--out", "-")...)
	if code != 0 || stdout != string(b) {
		t.Errorf("--out -: exit %d, stderr %q, %d bytes on stdout; want the file's %d", code, stderr, len(stdout), len(b))
	}
}

func TestExportPcapBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--scenario", "h3-hol", "--proto", "h3"},
			"httpsim export: --proto: h3 runs over QUIC; pcap export covers TCP runs (--proto h1 or h2), and --format qlog covers QUIC\n"},
		{[]string{"--scenario", "qpack", "--variant", "static"},
			"httpsim export: --variant: \"static\" runs h3, over QUIC; pcap export covers TCP runs (h1 or h2: a variant that runs them), and --format qlog covers QUIC\n"},
		{[]string{"--scenario", "handshakes", "--variant", "quic"},
			"httpsim export: --variant: \"quic\" runs h3, over QUIC; pcap export covers TCP runs (h1 or h2: a variant that runs them), and --format qlog covers QUIC\n"},
		{[]string{"--scenario", "h2-hol", "--panel", "ladder"}, "httpsim export: --panel: only with --format svg\n"},
		{[]string{"--scenario", "h2-hol", "--at", "1s"}, "httpsim export: --at: only with --format svg\n"},
		{[]string{"--scenario", "updates", "--variant", "websocket"},
			"httpsim export: --scenario: \"updates\" has the workload \"updates\"; pcap export needs a page scenario (HTTP over h1, h2 or h3)\n"},
	}
	for _, tt := range tests {
		args := append(append([]string{"export", "--format", "pcap"}, tt.args...), "--out", filepath.Join(t.TempDir(), "x.pcap"))
		code, stdout, stderr := runCLI(args...)
		if code != 2 || stdout != "" || stderr != tt.want {
			t.Errorf("export %v: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
	if code, _, stderr := runCLI("export", "--format", "pcapng", "--out", "x"); code != 2 || stderr != "httpsim export: --format: \"pcapng\" is not an export format (use qlog, svg or pcap)\n" {
		t.Errorf("export --format pcapng: exit %d, stderr %q", code, stderr)
	}
}
