package main

import (
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"httpsim/sim/pcap"
	"httpsim/sim/trace"
)

// tshark returns the path of tshark, or skips the test without it; with
// HTTPSIM_TSHARK=1 (make unit, which installs it) a missing tshark fails.
func tshark(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("HTTPSIM_TSHARK") == "1" {
			t.Fatalf("tshark is missing and HTTPSIM_TSHARK=1 asks for it (Debian: apt-get install tshark; make tshark)")
		}
		t.Skip("tshark is not installed: Wireshark's view of the pcap export is not checked (make unit installs it)")
	}
	return path
}

// frames runs tshark on file with a display filter and returns the frame
// numbers (from 1) it shows, or, with fields, the fields of each frame
// joined by "|", several values of one field by "^".
func frames(t *testing.T, bin, file, filter string, fields ...string) []string {
	t.Helper()
	return tsharkRows(t, bin, []string{"-r", file, "-n", "-Y", filter}, fields...)
}

// tsharkRows runs tshark with args and prints fields (see frames).
func tsharkRows(t *testing.T, bin string, args []string, fields ...string) []string {
	t.Helper()
	args = append(args, "-T", "fields", "-E", "occurrence=a", "-E", "separator=|", "-E", "aggregator=^")
	if len(fields) == 0 {
		fields = []string{"frame.number"}
	}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir()) // no user preferences
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %s: %v", strings.Join(args, " "), err)
	}
	var rows []string
	for _, line := range strings.Split(string(out), "\n") {
		if line != "" {
			rows = append(rows, line)
		}
	}
	return rows
}

// Wireshark's tallies of the exports agree with the simulator's: the HTTP
// requests, the segments it marks as retransmissions, the SACK blocks, the
// window scale; and it finds nothing wrong with the TCP, IP and HTTP
// layers beyond what zeros for bodies and handshake contents explain.
func TestExportPcapTshark(t *testing.T) {
	bin := tshark(t)
	// Warnings Wireshark has reason to give about these captures. Loss:
	// a segment after a lost one ("previous segment not captured"), and
	// a retransmission filling the gap soon after ("out-of-order").
	// Zeros: a body written as filler does not gunzip ("decompression
	// failed"). The hellos are whole structures (sim/tls/hello.go):
	// Wireshark said "vector length 0" of a ClientHello of zeros.
	allowed := []string{
		"Previous segment(s) not captured (common at capture start)",
		"This frame is a (suspected) out-of-order segment",
		"Decompression failed",
	}
	for _, tt := range pcapLessons {
		file, b, run := exportPcapFile(t, tt.args)
		pkts, err := pcap.Match(b, run.Log.Events())
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if n := len(frames(t, bin, file, "tcp")); n != len(pkts) {
			t.Errorf("%s: tshark shows %d TCP frames; want %d", tt.name, n, len(pkts))
		}

		// The segments Wireshark marks are those behind their sender's
		// highest sequence number, all of them retransmissions.
		marked := frames(t, bin, file, "tcp.analysis.retransmission || tcp.analysis.fast_retransmission || tcp.analysis.spurious_retransmission || tcp.analysis.out_of_order")
		var behind []string
		retx := [2]int{}
		for i, p := range pkts {
			if p.Behind {
				behind = append(behind, strconv.Itoa(i+1))
				if !p.Event.Flags.Has(trace.FlagRetransmit) {
					t.Errorf("%s: frame %d is behind its sender's sequence numbers but no retransmission in the trace", tt.name, i+1)
				}
			}
			if p.Event.Flags.Has(trace.FlagRetransmit) {
				if p.Event.Kind == trace.PacketSent {
					retx[0]++
					if !p.Behind {
						t.Errorf("%s: frame %d: the client's retransmission is not behind what it sent", tt.name, i+1)
					}
				} else {
					retx[1]++
				}
			}
		}
		if !slices.Equal(marked, behind) {
			t.Errorf("%s: tshark marks frames %v as retransmissions or out of order; want %v", tt.name, marked, behind)
		}
		t.Logf("%s: %d frames; tshark marks %d as retransmitted or out of order; the trace's retransmissions: %d sent, %d received", tt.name, len(pkts), len(marked), retx[0], retx[1])
		if retx[1] == 0 {
			t.Errorf("%s: no retransmission reached the client; the test needs some", tt.name)
		}

		// TLS: Wireshark reads the hellos, and the version the server
		// chose: TLS 1.3 by its supported_versions (RFC 8446 §4.2.1),
		// TLS 1.2 by the ServerHello's version.
		if tt.tls != "" {
			hellos := frames(t, bin, file, "tls.handshake.type == 1 || tls.handshake.type == 2", "tls.handshake.type", "tls.handshake.extensions.supported_version", "tls.handshake.ciphersuite")
			want := []string{"1|0x0304|0x1301", "2|0x0304|0x1301"}
			if tt.tls == "1.2" {
				// Its ServerHello shares a record with the Certificate,
				// ServerKeyExchange and ServerHelloDone (11, 12, 14).
				want = []string{"1||0xc02f", "2^11^12^14||0xc02f"}
			}
			if len(hellos) < 2 || hellos[0] != want[0] || hellos[1] != want[1] {
				t.Errorf("%s: tshark reads the hellos as %q; want %q", tt.name, hellos, want)
			}
			// A TLS 1.2 server returns the protocol it selected in its
			// ServerHello (RFC 7301 §3.1, RFC 9113 §3.2); a TLS 1.3
			// one in EncryptedExtensions, encrypted.
			if tt.tls == "1.2" {
				if alpn := frames(t, bin, file, "tls.handshake.type == 2", "tls.handshake.extensions_alpn_str"); len(alpn) == 0 || alpn[0] != "h2" {
					t.Errorf("%s: tshark reads the ServerHello's ALPN as %q; want h2", tt.name, alpn)
				}
				// The key exchanges are RFC 8422's structures: named
				// curve x25519 with a 32-byte key, signed with
				// rsa_pkcs1_sha256 in 256 bytes; the client's key.
				ske := frames(t, bin, file, "tls.handshake.type == 12", "tls.handshake.server_curve_type", "tls.handshake.server_named_curve", "tls.handshake.server_point_len", "tls.handshake.sig_hash_alg", "tls.handshake.sig_len")
				if len(ske) == 0 || ske[0] != "0x03|0x001d|32|0x0401|256" {
					t.Errorf("%s: tshark reads the ServerKeyExchange as %q; want 0x03|0x001d|32|0x0401|256", tt.name, ske)
				}
				if cke := frames(t, bin, file, "tls.handshake.type == 16", "tls.handshake.client_point_len"); len(cke) == 0 || cke[0] != "32" {
					t.Errorf("%s: tshark reads the ClientKeyExchange's key length as %q; want 32", tt.name, cke)
				}
				// The certificates are X.509 Wireshark reads: a leaf
				// for the origin, issued by the intermediate after it.
				certs := frames(t, bin, file, "tls.handshake.type == 11", "x509ce.dNSName", "x509sat.uTF8String", "x509ce.cA")
				want := "photos.example.com|" + strings.Join([]string{
					"httpsim (simulated, not a real CA)", "httpsim Intermediate CA", "httpsim (simulated, not a real CA)", "photos.example.com",
					"httpsim (simulated, not a real CA)", "httpsim Root CA", "httpsim (simulated, not a real CA)", "httpsim Intermediate CA"}, "^") + "|1"
				if len(certs) == 0 || certs[0] != want {
					t.Errorf("%s: tshark reads the certificates as %q; want %q", tt.name, certs, want)
				}
			}
			// Each end of each connection sends a change_cipher_spec:
			// TLS 1.2's, or over TLS 1.3 the dummy of middlebox
			// compatibility mode, which the ClientHello's session ID
			// asks for (RFC 8446 Appendix D.4).
			ccs := map[string]bool{}
			for _, row := range frames(t, bin, file, "tls.record.content_type == 20", "tcp.stream", "tcp.srcport") {
				stream, port, _ := strings.Cut(row, "|")
				ccs[stream+map[bool]string{true: " server", false: " client"}[port == "443"]] = true
			}
			for _, s := range frames(t, bin, file, "tls.handshake.type == 2", "tcp.stream") {
				if !ccs[s+" server"] || !ccs[s+" client"] {
					t.Errorf("%s: TCP stream %s: change_cipher_spec records %v; want one from each end", tt.name, s, ccs)
				}
			}
			// The ClientHello names the lesson's origin and offers h2.
			if names := frames(t, bin, file, "tls.handshake.type == 1", "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str"); len(names) == 0 || names[0] != "photos.example.com|h2" {
				t.Errorf("%s: tshark reads the ClientHello's server name and ALPN as %q; want photos.example.com|h2", tt.name, names)
			}
		}

		// SACK blocks, and the window scale of every non-SYN segment.
		sacks := 0
		for _, p := range pkts {
			if p.Event.Flags.Has(trace.FlagSACK) {
				sacks++
			}
		}
		if n := len(frames(t, bin, file, "tcp.options.sack_le")); n != sacks || sacks == 0 {
			t.Errorf("%s: tshark finds SACK blocks in %d frames; want %d (and some)", tt.name, n, sacks)
		}
		if n := len(frames(t, bin, file, "tcp.flags.syn == 0 && tcp.window_size_scalefactor != 128")); n != 0 {
			t.Errorf("%s: %d frames without a window scale of 128 (the 4 MiB buffer's shift 7)", tt.name, n)
		}

		// HTTP/1.1 in cleartext: every request the client wrote, and
		// every response the server wrote once Wireshark reassembles
		// segments that arrive after a gap (its preference
		// tcp.reassemble_out_of_order, off by default in 4.0: without
		// it, a response whose head follows a lost segment is missed).
		if tt.port == pcap.PortHTTP {
			heads := [2]int{}
			for _, e := range run.Log.Events() {
				if e.Kind == trace.FrameCreated && e.Side == trace.Client {
					heads[0]++
				} else if e.Kind == trace.FrameCreated && e.Side == trace.Server {
					heads[1]++
				}
			}
			if n := len(frames(t, bin, file, "http.request")); n != heads[0] || heads[0] == 0 {
				t.Errorf("%s: tshark finds %d HTTP requests; want %d (and some)", tt.name, n, heads[0])
			}
			args := []string{"-r", file, "-n", "-o", "tcp.reassemble_out_of_order:TRUE", "-Y", "http.response"}
			if n := len(tsharkRows(t, bin, args, "frame.number")); n != heads[1] {
				t.Errorf("%s: tshark finds %d HTTP responses; want %d", tt.name, n, heads[1])
			}
		}

		// Nothing worse than the warnings above, and nothing malformed
		// but media bodies of zeros (a JPEG dissector's note). Read with
		// segments after a gap reassembled, as for the responses above:
		// by default Wireshark hands TLS the bytes after a hole, mid-record,
		// and a TLS 1.2 capture with a loss there reads "Ignored Unknown
		// Record" for every segment until the retransmission.
		expert := []string{"-r", file, "-n", "-o", "tcp.reassemble_out_of_order:TRUE", "-Y", "_ws.expert.severity >= 0x00600000"}
		for _, row := range tsharkRows(t, bin, expert, "frame.number", "_ws.expert.severity", "_ws.expert.message") {
			f := strings.Split(row, "|")
			if len(f) != 3 {
				t.Fatalf("%s: tshark row %q; want three fields", tt.name, row)
			}
			sev, msg := strings.Split(f[1], "^"), strings.Split(f[2], "^")
			for i := range sev {
				if s, _ := strconv.Atoi(sev[i]); s >= 0x00600000 && (i >= len(msg) || !slices.Contains(allowed, msg[i])) {
					t.Errorf("%s: frame %s: tshark says %q (severity %#x)", tt.name, f[0], f[2], s)
				}
			}
		}
		for _, row := range frames(t, bin, file, "_ws.malformed", "frame.number", "_ws.expert.message") {
			if !strings.Contains(row, "HTTP body subdissector failed, trying heuristic subdissector") {
				t.Errorf("%s: tshark finds a malformed frame: %s", tt.name, row)
			}
		}
	}
}
