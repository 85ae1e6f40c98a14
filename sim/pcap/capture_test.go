package pcap

import (
	"testing"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/host"
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

// TestCaptureMatchesTrace checks each record of a capture against the
// trace event of the same packet: the client's packet_sent and
// packet_received events, in order, are the records, with the same time,
// connection (port), relative sequence and acknowledgement numbers, flags,
// payload length, window, and the IPv4 total length the link carried.
func TestCaptureMatchesTrace(t *testing.T) {
	tests := []struct {
		name, lesson, variant string
		loss                  float64
		seed                  uint64
		port                  uint16
	}{
		{"h1 cleartext, six connections, 3% loss", "pipelining", "six-connections", 0.03, 4, PortHTTP},
		{"h1 cleartext keep-alive, 5% loss", "keepalive", "keepalive", 0.05, 2, PortHTTP},
		{"h2 over TLS 1.3, scripted drop", "h2-hol", "", 0, 1, PortHTTPS},
		{"h2 over TLS 1.3, 2% loss", "h2-hol", "", 0.02, 3, PortHTTPS},
	}
	for _, tt := range tests {
		s := lessonRun(t, tt.lesson, tt.variant, tt.loss, tt.seed)
		c, run := captureRun(t, s)
		f, err := Read(c.Bytes())
		if err != nil {
			t.Fatalf("%s: Read(capture) = %v", tt.name, err)
		}
		var evs []trace.Event
		retx := 0
		for _, e := range run.Log.Events() {
			if (e.Kind == trace.PacketSent || e.Kind == trace.PacketReceived) && e.Side == trace.Client {
				evs = append(evs, e)
				if e.Kind == trace.PacketReceived && e.Flags.Has(trace.FlagRetransmit) {
					retx++
				}
			}
		}
		if len(f.Records) != len(evs) || c.Packets != int64(len(evs)) {
			t.Errorf("%s: %d records (Packets %d); want %d (the client's packet_sent and packet_received events)", tt.name, len(f.Records), c.Packets, len(evs))
		}
		if tt.loss > 0 && retx == 0 {
			t.Errorf("%s: no retransmission reached the client; the test needs some", tt.name)
		}
		// Initial sequence numbers by connection: the client's and the
		// server's, from their SYNs.
		isn := map[[2]int32]uint32{}
		streams := map[[2]int32]*image{}
		wire := int64(0)
		for i := 0; i < min(len(f.Records), len(evs)); i++ {
			r, e := f.Records[i], evs[i]
			p, err := DecodeTCP(r.Data)
			if err != nil {
				t.Fatalf("%s: record %d: %v", tt.name, i, err)
			}
			wire += int64(p.TotalLen)
			sent := e.Kind == trace.PacketSent
			port, from, to := p.SrcPort, ClientAddr, ServerAddr
			if !sent {
				port, from, to = p.DstPort, ServerAddr, ClientAddr
			}
			if other := p.DstPort + p.SrcPort - port; other != tt.port || p.Src != from || p.Dst != to {
				t.Errorf("%s: record %d: %v:%d → %v:%d; want %s with server port %d", tt.name, i, p.Src, p.SrcPort, p.Dst, p.DstPort, e.Kind, tt.port)
			}
			conn := int32(port) - FirstClientPort
			dir := int32(0)
			if !sent {
				dir = 1
			}
			if p.Flags&0x02 != 0 {
				isn[[2]int32{conn, dir}] = p.Seq
			}
			got := struct {
				at         sim.Time
				conn       int32
				seq, ack   int64
				flags      byte
				len, total int
			}{r.At, conn, int64(p.Seq - isn[[2]int32{conn, dir}]), int64(p.Ack - isn[[2]int32{conn, 1 - dir}]), p.Flags, len(p.Payload), p.TotalLen}
			want := got
			want.at, want.conn, want.seq, want.ack = e.At, e.Conn, e.Seq, e.Ack
			want.flags, want.len, want.total = byte(e.Flags&0x1f), int(e.Len), int(e.Size)
			if p.Flags&0x10 == 0 {
				want.ack = got.ack // no ACK flag: the field is zero
			}
			if got != want {
				t.Errorf("%s: record %d = %+v; want %+v (%s)", tt.name, i, got, want, e.Kind)
			}
			if !p.IPChecksumOK || !p.TCPChecksumOK || p.TTL != 64 || !p.DontFragment || len(r.Data) != r.OrigLen {
				t.Errorf("%s: record %d: checksums ok %v/%v, TTL %d, DF %v, %d of %d bytes", tt.name, i, p.IPChecksumOK, p.TCPChecksumOK, p.TTL, p.DontFragment, len(r.Data), r.OrigLen)
			}
			if len(p.Payload) > 0 {
				k := [2]int32{conn, dir}
				if streams[k] == nil {
					streams[k] = &image{}
				}
				if at, ok := streams[k].put(int64(p.Seq-isn[k])-1, p.Payload); !ok {
					t.Errorf("%s: record %d: payload byte at offset %d differs from an earlier record's (%s)", tt.name, i, at, e.Kind)
				}
			}
			shift := tcp.WindowShift(s.TCP.RecvBuffer)
			if p.Flags&0x02 != 0 {
				shift = 0
			}
			if w := int(e.Wnd) >> shift; int(p.Window) != min(w, 0xffff) {
				t.Errorf("%s: record %d: window field %d; want %d (%d bytes >> %d)", tt.name, i, p.Window, min(w, 0xffff), e.Wnd, shift)
			}
		}
		if wire != c.WireBytes {
			t.Errorf("%s: WireBytes = %d; want %d (the records' total lengths)", tt.name, c.WireBytes, wire)
		}
		if c.Skipped != 0 {
			t.Errorf("%s: Skipped = %d; want 0", tt.name, c.Skipped)
		}
		t.Logf("%s: %d packets, %d bytes, %d retransmissions received, %d bytes recalled", tt.name, c.Packets, c.WireBytes, retx, c.Recalled)
	}
}

// image is a byte stream as the records show it, to check that every
// record carrying a byte says the same of it.
type image struct {
	b     []byte
	known []bool
}

// put records p at offset off and reports the first offset where an
// earlier record said otherwise.
func (m *image) put(off int64, p []byte) (int64, bool) {
	for int64(len(m.b)) < off+int64(len(p)) {
		m.b, m.known = append(m.b, 0), append(m.known, false)
	}
	for i, x := range p {
		j := off + int64(i)
		if m.known[j] && m.b[j] != x {
			return j, false
		}
		m.b[j], m.known[j] = x, true
	}
	return 0, true
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
