package pcap

import (
	"bytes"
	"testing"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/host"
	"httpsim/sim/ipv4"
	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/tcp"
	"httpsim/sim/tls"
	"httpsim/sim/trace"
)

// lessonRun is a library lesson's variant with loss both ways.
func lessonRun(t *testing.T, name, variant string, loss float64, seed uint64) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Variants {
		if v.Name == variant {
			s = v.Scenario
		}
	}
	if len(s.Variants) > 0 {
		t.Fatalf("lesson %s has no variant %q", name, variant)
	}
	s.Seed = seed
	if loss > 0 {
		l := link.Loss{Model: link.Bernoulli, Rate: loss}
		s.Network.Down.Loss, s.Network.Up.Loss = l, l
	}
	return s
}

// captureRun runs s with a capture on the client host.
func captureRun(t *testing.T, s *scenario.Scenario) (*Capture, *scenario.ProtocolRun) {
	t.Helper()
	port := uint16(PortHTTPS)
	if s.TLS.Version == tls.None {
		port = PortHTTP
	}
	c := NewCapture(port)
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true, ClientTap: c.Tap})
	if err != nil {
		t.Fatal(err)
	}
	return c, res.Runs[0]
}

// TestCaptureMatchesTrace checks captures of lessons with loss against
// their traces (see Match).
func TestCaptureMatchesTrace(t *testing.T) {
	tests := []struct {
		name, lesson, variant string
		loss                  float64
		seed                  uint64
		port                  uint16
		unclaimed             bool // the server resets connections the client has closed
	}{
		{"h1 cleartext, six connections, 3% loss", "pipelining", "six-connections", 0.03, 4, PortHTTP, false},
		{"h1 cleartext keep-alive, 5% loss", "keepalive", "keepalive", 0.05, 2, PortHTTP, false},
		{"h2 over TLS 1.3, scripted drop", "h2-hol", "", 0, 1, PortHTTPS, false},
		{"h2 over TLS 1.3, 2% loss", "h2-hol", "", 0.02, 3, PortHTTPS, false},
		{"h1 over TLS 1.3, a server that resets", "get-vs-post", "reset", 0, 1, PortHTTPS, true},
	}
	for _, tt := range tests {
		s := lessonRun(t, tt.lesson, tt.variant, tt.loss, tt.seed)
		c, run := captureRun(t, s)
		pkts, err := Match(c.Bytes(), run.Log.Events())
		if err != nil {
			t.Fatalf("%s: Match = %v", tt.name, err)
		}
		var wire int64
		retx, unclaimed := 0, 0
		for i, p := range pkts {
			wire += int64(p.TCP.TotalLen)
			if p.Unclaimed {
				if unclaimed++; p.TCP.Flags&0x04 == 0 || p.TCP.Src != ServerAddr || p.TCP.SrcPort != tt.port {
					t.Errorf("%s: record %d, unclaimed, is %+v; want a reset from the server", tt.name, i, p.TCP)
				}
				continue
			}
			from, to, sport, dport := ClientAddr, ServerAddr, p.TCP.SrcPort, p.TCP.DstPort
			if p.Event.Kind == trace.PacketReceived {
				from, to, sport, dport = ServerAddr, ClientAddr, dport, sport
				if p.Event.Flags.Has(trace.FlagRetransmit) {
					retx++
				}
			}
			if p.TCP.Src != from || p.TCP.Dst != to || dport != tt.port || int32(sport) != FirstClientPort+p.Event.Conn {
				t.Errorf("%s: record %d: %v:%d → %v:%d; want client port %d and server port %d (%s)", tt.name, i, p.TCP.Src, p.TCP.SrcPort, p.TCP.Dst, p.TCP.DstPort, FirstClientPort+p.Event.Conn, tt.port, p.Event.Kind)
			}
			if p.TCP.TTL != 64 || !p.TCP.DontFragment {
				t.Errorf("%s: record %d: TTL %d, DF %v; want 64, true", tt.name, i, p.TCP.TTL, p.TCP.DontFragment)
			}
		}
		if c.Packets != int64(len(pkts)) || c.WireBytes != wire || c.Skipped != 0 {
			t.Errorf("%s: Packets, WireBytes, Skipped = %d, %d, %d; want %d, %d, 0", tt.name, c.Packets, c.WireBytes, c.Skipped, len(pkts), wire)
		}
		if (unclaimed > 0) != tt.unclaimed {
			t.Errorf("%s: %d unclaimed resets; want some: %v", tt.name, unclaimed, tt.unclaimed)
		}
		if tt.loss > 0 && retx == 0 {
			t.Errorf("%s: no retransmission reached the client; the test needs some", tt.name)
		}
		t.Logf("%s: %d packets, %d bytes, %d retransmissions received, %d bytes recalled", tt.name, c.Packets, c.WireBytes, retx, c.Recalled)
	}
}

// A duplicate that arrives after the server discarded its bytes is written
// with the bytes the capture saw when they first arrived.
func TestCaptureRecallsDiscardedBytes(t *testing.T) {
	var stream bytestream.Buffer
	stream.Write([]byte("HTTP/1.1 200 OK\r\n"))
	stream.WriteFiller(5)
	stream.Write([]byte("x"))
	c := NewCapture(PortHTTP)
	synAck := &tcp.Segment{}
	synAck.Conn, synAck.Seq, synAck.Flags = 2, 0xfffffffe, trace.FlagSYN|trace.FlagACK
	data := func(off, n int64) *tcp.Segment {
		s := &tcp.Segment{Data: bytestream.Slice{Buf: &stream, Off: off, N: n}}
		s.Conn, s.Seq, s.Flags = 2, synAck.Seq.Add(1+off), trace.FlagACK
		return s
	}
	c.Tap(0, synAck, host.Received)
	c.Tap(1, data(0, 12), host.Received)
	c.Tap(2, data(12, 11), host.Received)
	stream.Discard(20)
	c.Tap(3, data(4, 19), host.Received) // a duplicate, 16 bytes discarded
	f, err := Read(c.Bytes())
	if err != nil || len(f.Records) != 4 {
		t.Fatalf("Read(capture) = %d records, %v; want 4", len(f.Records), err)
	}
	p, err := DecodeTCP(f.Records[3].Data)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(p.Payload), "/1.1 200 OK\r\n\x00\x00\x00\x00\x00x"; got != want || c.Recalled != 16 {
		t.Errorf("duplicate payload = %q, Recalled %d; want %q, 16", got, c.Recalled, want)
	}
	if p.DstPort != FirstClientPort+2 || p.SrcPort != PortHTTP || !p.TCPChecksumOK {
		t.Errorf("duplicate: ports %d → %d, checksum ok %v; want %d → %d, true", p.SrcPort, p.DstPort, p.TCPChecksumOK, PortHTTP, FirstClientPort+2)
	}
}

// Match notices a capture that disagrees with its trace (time to the
// nanosecond, sequence numbers, payload bytes, record count).
func TestMatchRejects(t *testing.T) {
	c, run := captureRun(t, lessonRun(t, "pipelining", "six-connections", 0.03, 4))
	good := c.Bytes()
	first := FileHeaderLen + RecordHeaderLen // the first record's packet
	tests := []struct {
		name   string
		change func(b []byte) []byte
	}{
		{"a record fewer", func(b []byte) []byte { return b[:len(b)-RecordHeaderLen-40] }},
		{"a sequence number", func(b []byte) []byte { b[first+20+7]++; return b }},
		{"a timestamp", func(b []byte) []byte { b[FileHeaderLen+4]++; return b }},
		{"a payload byte", func(b []byte) []byte { b[len(b)-1]++; return b }},
	}
	for _, tt := range tests {
		b := tt.change(append([]byte(nil), good...))
		if _, err := Match(b, run.Log.Events()); err == nil {
			t.Errorf("Match(capture with %s changed) = nil; want an error", tt.name)
		}
	}
	// A reset the trace lost on a live connection is not Unclaimed:
	// only one for a connection the client had closed or seen reset.
	c, run = captureRun(t, lessonRun(t, "get-vs-post", "reset", 0, 1))
	var events []trace.Event
	for _, e := range run.Log.Events() {
		if !(e.Kind == trace.PacketReceived && e.Side == trace.Client && e.Flags.Has(trace.FlagRST)) {
			events = append(events, e)
		}
	}
	if len(events) == len(run.Log.Events()) {
		t.Fatal("the reset lesson's client took no reset")
	}
	if _, err := Match(c.Bytes(), events); err == nil {
		t.Errorf("Match(the reset lesson, its client's resets left out of the trace) = nil; want an error")
	}
}

// After the client moves to another network (the migration lesson), its
// packets carry its new address: the connection HTTP/2 opens again comes
// from another address than the first, as the lesson says TCP needs. It
// was the same address, which contradicted the lesson.
func TestCaptureClientMovesAddress(t *testing.T) {
	s := lessonRun(t, "migration", "", 0, 1)
	s.Protocols = []string{"h2"}
	if len(s.Network.PathChanges) != 1 {
		t.Fatalf("the migration lesson has %d path changes; want 1", len(s.Network.PathChanges))
	}
	move := sim.Time(s.Network.PathChanges[0].At)
	port := uint16(PortHTTPS)
	c := NewCapture(port)
	c.Moves = []sim.Time{move}
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true, ClientTap: c.Tap})
	if err != nil {
		t.Fatal(err)
	}
	pkts, err := Match(c.Bytes(), res.Runs[0].Log.Events())
	if err != nil {
		t.Fatal(err)
	}
	moved := ipv4.Addr{192, 0, 2, 11}
	var syns []ipv4.Addr
	for i, p := range pkts {
		client := p.TCP.Src
		if p.Event.Kind == trace.PacketReceived || p.Unclaimed {
			client = p.TCP.Dst
		}
		if want := map[bool]ipv4.Addr{false: ClientAddr, true: moved}[p.Record.At >= move]; client != want {
			t.Errorf("record %d at %v: client %v; want %v", i, p.Record.At, client, want)
		}
		if p.TCP.Flags&0x12 == 0x02 {
			syns = append(syns, client)
		}
	}
	if len(syns) != 2 || syns[0] != ClientAddr || syns[1] != moved {
		t.Errorf("SYNs from %v; want one from %v, then one from %v", syns, ClientAddr, moved)
	}
}

// The ClientHello names the origin's host without its port, and no name
// for an IP address (RFC 6066 §3): "www.example.com:8443" went into
// server_name whole.
func TestCaptureServerName(t *testing.T) {
	for _, tt := range []struct{ origin, want, not string }{
		{"www.example.com:8443", "www.example.com", "www.example.com:8443"},
		{"192.0.2.7:8443", "", "192.0.2.7"},
		{"[2001:db8::7]", "", "2001:db8::7"},
	} {
		s := lessonRun(t, "h2-hol", "", 0, 1)
		s.Page.Origin = tt.origin
		c, _ := captureRun(t, s)
		b := c.Bytes()
		if tt.want != "" && !bytes.Contains(b, []byte(tt.want)) || bytes.Contains(b, []byte(tt.not)) {
			t.Errorf("origin %s: the capture has %q: %v, %q: %v; want %v and false", tt.origin, tt.want, bytes.Contains(b, []byte(tt.want)), tt.not, bytes.Contains(b, []byte(tt.not)), tt.want != "")
		}
	}
}
