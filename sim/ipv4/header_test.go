package ipv4

import (
	"encoding/hex"
	"testing"
)

func TestChecksum(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want uint16
	}{
		// RFC 1071 §3's example: the bytes 00 01 f2 03 f4 f5 f6 f7 sum
		// to ddf2; the checksum is its complement.
		{"rfc1071", "0001f203f4f5f6f7", ^uint16(0xddf2)},
		// An odd length is padded with a zero octet (RFC 1071 §4.1).
		{"odd", "0001f203f4f5f6f7ab", ^uint16(0xddf2 + 0xab00 - 0xffff)},
		{"empty", "", 0xffff},
		// A carry out of the top is added back in (end-around carry).
		{"carry", "ffff0001", ^uint16(0x0001)},
	}
	for _, tt := range tests {
		b, _ := hex.DecodeString(tt.in)
		if got := Checksum(b); got != tt.want {
			t.Errorf("Checksum(%s) = %#04x; want %#04x", tt.in, got, tt.want)
		}
	}
}

func TestAppendHeader(t *testing.T) {
	tests := []struct {
		name string
		h    Header
		want string
	}{
		// The worked example of an IPv4 header checksum that textbooks
		// and Wikipedia use: a UDP datagram 192.168.0.1 → 192.168.0.199.
		{"udp", Header{TotalLen: 0x73, DontFragment: true, TTL: 64, Protocol: ProtoUDP,
			Src: Addr{192, 168, 0, 1}, Dst: Addr{192, 168, 0, 199}},
			"450000730000400040 11b861c0a80001c0a800c7"},
		{"tcp", Header{TotalLen: 40, ID: 0x1234, TTL: DefaultTTL, Protocol: ProtoTCP,
			Src: Addr{192, 0, 2, 10}, Dst: Addr{198, 51, 100, 20}},
			"4500002812340000 4006 0000 c000020a c6336414"},
	}
	for _, tt := range tests {
		got := AppendHeader([]byte{0xee}, tt.h)
		if got[0] != 0xee || len(got) != 1+HeaderLen {
			t.Fatalf("AppendHeader(%s) wrote %d bytes after the prefix; want %d", tt.name, len(got)-1, HeaderLen)
		}
		got = got[1:]
		if c := Checksum(got); c != 0 {
			t.Errorf("Checksum(AppendHeader(%s)) = %#04x; want 0", tt.name, c)
		}
		want := clean(tt.want)
		if tt.name == "tcp" {
			// The expected checksum is computed, not typed: the fields
			// above with the checksum field zero.
			b, _ := hex.DecodeString(want)
			c := Checksum(b)
			b[10], b[11] = byte(c>>8), byte(c)
			want = hex.EncodeToString(b)
		}
		if h := hex.EncodeToString(got); h != want {
			t.Errorf("AppendHeader(%s) = %s; want %s", tt.name, h, want)
		}
	}
}

func TestPseudoHeaderSum(t *testing.T) {
	src, dst := Addr{192, 0, 2, 10}, Addr{198, 51, 100, 20}
	// The same twelve bytes summed as data (RFC 9293 §3.1's layout).
	b := []byte{192, 0, 2, 10, 198, 51, 100, 20, 0, ProtoTCP, 0x05, 0xdc}
	if got, want := Fold(PseudoHeaderSum(src, dst, ProtoTCP, 1500)), Checksum(b); got != want {
		t.Errorf("Fold(PseudoHeaderSum(%v, %v, 6, 1500)) = %#04x; want %#04x", src, dst, got, want)
	}
}

func TestAddrString(t *testing.T) {
	tests := []struct {
		a    Addr
		want string
	}{
		{Addr{192, 0, 2, 10}, "192.0.2.10"},
		{Addr{0, 0, 0, 0}, "0.0.0.0"},
		{Addr{255, 100, 9, 10}, "255.100.9.10"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("Addr%v.String() = %q; want %q", [4]byte(tt.a), got, tt.want)
		}
	}
}

// clean drops the spaces that group the expected hex for reading.
func clean(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			b = append(b, s[i])
		}
	}
	return string(b)
}
