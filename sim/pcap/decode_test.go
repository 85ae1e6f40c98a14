package pcap

import (
	"errors"
	"testing"

	"httpsim/sim/bytestream"
	"httpsim/sim/ipv4"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

// wirePacket is a data segment with a SACK block, as a capture writes it.
func wirePacket() []byte {
	var stream bytestream.Buffer
	stream.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	s := &tcp.Segment{Data: bytestream.Slice{Buf: &stream, N: 18}}
	s.Seq, s.Ack, s.Flags, s.Wnd = 1000, 2000, trace.FlagACK|trace.FlagPSH, 4096
	s.SACK[0], s.NSACK = tcp.Block{Left: 3000, Right: 4000}, 1
	e := tcp.Endpoints{Src: ClientAddr, Dst: ServerAddr, SrcPort: 49153, DstPort: PortHTTP}
	return tcp.AppendWire(nil, s, e, nil)
}

func TestDecodeTCP(t *testing.T) {
	b := wirePacket()
	p, err := DecodeTCP(b)
	if err != nil {
		t.Fatal(err)
	}
	got := struct {
		src, dst             ipv4.Addr
		sport, dport         uint16
		total                int
		seq, ack             uint32
		flags                byte
		wnd                  uint16
		opts, payload        string
		ttl                  uint8
		df, ipSumOK, tcpSumO bool
	}{p.Src, p.Dst, p.SrcPort, p.DstPort, p.TotalLen, p.Seq, p.Ack, p.Flags, p.Window, string(p.Options), string(p.Payload), p.TTL, p.DontFragment, p.IPChecksumOK, p.TCPChecksumOK}
	want := got
	want.src, want.dst, want.sport, want.dport, want.total = ClientAddr, ServerAddr, 49153, PortHTTP, len(b)
	want.seq, want.ack, want.flags, want.wnd = 1000, 2000, 0x18, 4096 // a shift of 0
	want.opts = "\x01\x01\x05\x0a\x00\x00\x0b\xb8\x00\x00\x0f\xa0"
	want.payload, want.ttl, want.df, want.ipSumOK, want.tcpSumO = "GET / HTTP/1.1\r\n\r\n", 64, true, true, true
	if got != want {
		t.Errorf("DecodeTCP(wirePacket()) = %+v; want %+v", got, want)
	}
	// A flipped payload bit breaks the TCP checksum, not the IP one.
	b[len(b)-1] ^= 1
	if p, _ := DecodeTCP(b); !p.IPChecksumOK || p.TCPChecksumOK {
		t.Errorf("DecodeTCP(flipped payload) checksums ok = %v, %v; want true, false", p.IPChecksumOK, p.TCPChecksumOK)
	}
}

// Every truncation of a packet fails cleanly: the IPv4 total length says
// more than is there.
func TestDecodeTCPTruncated(t *testing.T) {
	b := wirePacket()
	for n := 0; n < len(b); n++ {
		if _, err := DecodeTCP(b[:n]); !errors.Is(err, ErrNotTCP) {
			t.Errorf("DecodeTCP(%d of %d bytes) = %v; want ErrNotTCP", n, len(b), err)
		}
	}
}

func FuzzDecodeTCP(f *testing.F) {
	f.Add(wirePacket())
	f.Add([]byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodeTCP(b)
		if err != nil {
			return
		}
		if p.TotalLen > len(b) || 20+len(p.Options)+len(p.Payload)+ipv4.HeaderLen > p.TotalLen {
			t.Fatalf("DecodeTCP: total length %d, %d option and %d payload bytes in %d bytes", p.TotalLen, len(p.Options), len(p.Payload), len(b))
		}
	})
}
