package tcp

import (
	"encoding/binary"
	"encoding/hex"
	"testing"

	"httpsim/sim/bytestream"
	"httpsim/sim/ipv4"
	"httpsim/sim/trace"
)

func TestWindowShift(t *testing.T) {
	tests := []struct {
		buf  int
		want uint8
	}{
		{1460, 0},
		{65535, 0},
		{65536, 1},
		{64 << 10 << 1, 2},
		{4 << 20, 7}, // the default buffer: Linux's usual shift
		{1 << 30, maxWindowShift},
		{1 << 40, maxWindowShift},
	}
	for _, tt := range tests {
		if got := WindowShift(tt.buf); got != tt.want {
			t.Errorf("WindowShift(%d) = %d; want %d", tt.buf, got, tt.want)
		}
	}
}

var wireEnds = Endpoints{Src: ipv4.Addr{192, 0, 2, 10}, Dst: ipv4.Addr{198, 51, 100, 20}, SrcPort: 49152, DstPort: 443}

func TestAppendWire(t *testing.T) {
	var stream bytestream.Buffer
	stream.Write([]byte("GET / HTTP/1.1\r\n"))
	stream.WriteFiller(8)
	stream.Write([]byte("end"))
	tests := []struct {
		name  string
		seg   Segment
		flags byte
		wnd   uint16
		opts  string // hex
		data  string // hex
	}{
		{name: "syn",
			seg:   Segment{header: header{Seq: 0xfffffff0, Flags: trace.FlagSYN, Wnd: 4 << 20, sackPermitted: true, wscale: 7, mss: 1460}},
			flags: 0x02, wnd: 0xffff, opts: "020405b4" + "01010402" + "01030307"},
		{name: "syn-ack without sack",
			seg:   Segment{header: header{Seq: 7, Ack: 0xfffffff1, Flags: trace.FlagSYN | trace.FlagACK, Wnd: 30000, wscale: 0, mss: 536}},
			flags: 0x12, wnd: 30000, opts: "02040218" + "01010101" + "01030300"},
		{name: "ack with sack",
			seg: Segment{header: header{Seq: 100, Ack: 200, Flags: trace.FlagACK, Wnd: 100000, wscale: 7,
				SACK: [MaxSACKBlocks]Block{{300, 400}, {0xffffff00, 0x10}}, NSACK: 2}},
			flags: 0x10, wnd: 781, opts: "0101" + "0512" + "0000012c00000190" + "ffffff0000000010"},
		{name: "data with filler",
			seg: Segment{header: header{Seq: 1, Ack: 2, Flags: trace.FlagACK | trace.FlagPSH | trace.FlagRetransmit, Wnd: 128, wscale: 7},
				Data: bytestream.Slice{Buf: &stream, Off: 4, N: 23}},
			flags: 0x18, wnd: 1, data: hex.EncodeToString([]byte("/ HTTP/1.1\r\n")) + "0000000000000000" + hex.EncodeToString([]byte("end"))},
		{name: "fin",
			seg:   Segment{header: header{Seq: 1, Ack: 2, Flags: trace.FlagFIN | trace.FlagACK, Wnd: 127, wscale: 7}},
			flags: 0x11, wnd: 0},
		{name: "rst without ack",
			seg:   Segment{header: header{Seq: 9, Ack: 5, Flags: trace.FlagRST, Wnd: 0}},
			flags: 0x04, wnd: 0},
		{name: "zero-window probe",
			seg:   Segment{header: header{Seq: 9, Ack: 5, Flags: trace.FlagACK | trace.FlagProbe, Wnd: 1 << 20, wscale: 7}},
			flags: 0x10, wnd: 8192},
	}
	for _, tt := range tests {
		s := &tt.seg
		b := AppendWire([]byte{0xee}, s, wireEnds, nil)
		if b[0] != 0xee {
			t.Fatalf("AppendWire(%s) changed the bytes before it", tt.name)
		}
		b = b[1:]
		if len(b) != s.WireSize() {
			t.Errorf("AppendWire(%s) = %d bytes; want %d (WireSize)", tt.name, len(b), s.WireSize())
			continue
		}
		ip, seg := b[:ipv4.HeaderLen], b[ipv4.HeaderLen:]
		if c := ipv4.Checksum(ip); c != 0 {
			t.Errorf("AppendWire(%s): IPv4 header sums to %#04x; want 0", tt.name, c)
		}
		if got := binary.BigEndian.Uint16(ip[2:]); int(got) != s.WireSize() {
			t.Errorf("AppendWire(%s): IPv4 total length = %d; want %d", tt.name, got, s.WireSize())
		}
		if c := ipv4.Fold(ipv4.Sum(ipv4.PseudoHeaderSum(wireEnds.Src, wireEnds.Dst, ipv4.ProtoTCP, len(seg)), seg)); c != 0 {
			t.Errorf("AppendWire(%s): TCP checksum with pseudo-header sums to %#04x; want 0", tt.name, c)
		}
		wantAck := uint32(s.Ack)
		if !s.Flags.Has(trace.FlagACK) {
			wantAck = 0
		}
		off := int(seg[12]>>4) * 4
		got := struct {
			sport, dport uint16
			seq, ack     uint32
			flags        byte
			wnd          uint16
			opts, data   string
		}{binary.BigEndian.Uint16(seg), binary.BigEndian.Uint16(seg[2:]), binary.BigEndian.Uint32(seg[4:]),
			binary.BigEndian.Uint32(seg[8:]), seg[13], binary.BigEndian.Uint16(seg[14:]),
			hex.EncodeToString(seg[TCPHeaderLen:off]), hex.EncodeToString(seg[off:])}
		if got.sport != 49152 || got.dport != 443 || got.seq != uint32(s.Seq) || got.ack != wantAck {
			t.Errorf("AppendWire(%s): ports %d→%d seq %d ack %d; want 49152→443 seq %d ack %d", tt.name, got.sport, got.dport, got.seq, got.ack, uint32(s.Seq), wantAck)
		}
		if got.flags != tt.flags || got.wnd != tt.wnd {
			t.Errorf("AppendWire(%s): flags %#02x window %d; want %#02x %d", tt.name, got.flags, got.wnd, tt.flags, tt.wnd)
		}
		if got.opts != tt.opts || got.data != tt.data {
			t.Errorf("AppendWire(%s): options %q data %q; want %q %q", tt.name, got.opts, got.data, tt.opts, tt.data)
		}
	}
}

// A duplicate whose bytes the sender discarded (they were acknowledged)
// keeps its length: the part no longer held is zeros, or what past writes
// there, and the checksum covers what past wrote.
func TestAppendWireUnheld(t *testing.T) {
	var stream bytestream.Buffer
	stream.Write([]byte("abcdefgh"))
	stream.Write([]byte("ijkl"))
	stream.Discard(6)
	// past writes the offset of each byte as a lower-case letter.
	past := func(dst []byte, off int64) {
		for i := range dst {
			dst[i] = 'a' + byte(off) + byte(i)
		}
	}
	tests := []struct {
		off, n int64
		past   bool
		data   string
	}{
		{0, 4, false, "\x00\x00\x00\x00"},
		{4, 6, false, "\x00\x00ghij"},
		{6, 6, false, "ghijkl"},
		{0, 4, true, "abcd"},
		{4, 6, true, "efghij"},
		{6, 6, true, "ghijkl"},
	}
	for _, tt := range tests {
		s := &Segment{header: header{Flags: trace.FlagACK}, Data: bytestream.Slice{Buf: &stream, Off: tt.off, N: tt.n}}
		var b []byte
		if tt.past {
			b = AppendWire(nil, s, wireEnds, past)
		} else {
			b = AppendWire(nil, s, wireEnds, nil)
		}
		seg := b[ipv4.HeaderLen:]
		if got := string(seg[TCPHeaderLen:]); len(b) != s.WireSize() || got != tt.data {
			t.Errorf("AppendWire([%d,+%d), past %v) = %d bytes %q; want %d bytes %q", tt.off, tt.n, tt.past, len(b), got, s.WireSize(), tt.data)
		}
		if c := ipv4.Fold(ipv4.Sum(ipv4.PseudoHeaderSum(wireEnds.Src, wireEnds.Dst, ipv4.ProtoTCP, len(seg)), seg)); c != 0 {
			t.Errorf("AppendWire([%d,+%d), past %v): TCP checksum sums to %#04x; want 0", tt.off, tt.n, tt.past, c)
		}
	}
}
