package wire

import (
	"math/rand/v2"
	"testing"
)

func TestDecodePacketNumber(t *testing.T) {
	tests := []struct {
		largest, truncated uint64
		nbits              int
		want               uint64
	}{
		// RFC 9000 Appendix A.3's example.
		{0xa82f30ea, 0x9b32, 16, 0xa82f9b32},
		// RFC 9000 §17.1's example: 0xac5c02 sent as 0x5c02 after 0xabe8b3
		// was acknowledged.
		{0xabe8b3, 0x5c02, 16, 0xac5c02},
		// The first packet of a space.
		{NoPacketNumber, 0, 8, 0},
		{NoPacketNumber, 5, 8, 5},
		// Wrap forward and backward around the window.
		{0xff, 0x01, 8, 0x101},
		{0x101, 0xff, 8, 0xff},
		// Near 2^62 no candidate above the largest packet number is chosen.
		{MaxPacketNumber - 1, 0xff, 8, MaxPacketNumber},
	}
	for _, tt := range tests {
		if got := DecodePacketNumber(tt.largest, tt.truncated, tt.nbits); got != tt.want {
			t.Errorf("DecodePacketNumber(%#x, %#x, %d) = %#x; want %#x", tt.largest, tt.truncated, tt.nbits, got, tt.want)
		}
	}
}

func TestEncodePacketNumberLength(t *testing.T) {
	tests := []struct {
		full, largestAcked uint64
		want               int
	}{
		// RFC 9000 §17.1 / Appendix A.2's example: 29,519 packets in flight
		// need 16 bits.
		{0xac5c02, 0xabe8b3, 2},
		// §17.1: in the same state 0xace8fe needs the 24-bit encoding.
		{0xace8fe, 0xabe8b3, 3},
		{0, NoPacketNumber, 1},
		{127, NoPacketNumber, 1}, // 128 unacked: 8 bits cover twice that
		{128, NoPacketNumber, 2},
		{10, 9, 1},
		{1 << 15, 0, 2},
		{1<<15 + 1, 0, 3},
		{1 << 40, 0, 4},
	}
	for _, tt := range tests {
		if got := EncodePacketNumberLength(tt.full, tt.largestAcked); got != tt.want {
			t.Errorf("EncodePacketNumberLength(%#x, %#x) = %d; want %d", tt.full, tt.largestAcked, got, tt.want)
		}
	}
}

// TestPacketNumberRoundTrip checks that a receiver whose largest received
// packet is at least the sender's largest acknowledged one recovers every
// packet number encoded with EncodePacketNumberLength (RFC 9000 §17.1).
func TestPacketNumberRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		acked := r.Uint64N(1 << 40)
		full := acked + 1 + r.Uint64N(1<<uint(r.IntN(31)))
		// The receiver has seen something between acked and full-1.
		largest := acked + r.Uint64N(full-acked)
		n := EncodePacketNumberLength(full, acked)
		trunc := full & (1<<(8*n) - 1)
		enc := AppendPacketNumber(nil, full, n)
		if got := readPacketNumber(enc); got != trunc {
			t.Fatalf("AppendPacketNumber(%#x, %d) = %x", full, n, enc)
		}
		if got := DecodePacketNumber(largest, trunc, 8*n); got != full {
			t.Fatalf("DecodePacketNumber(%#x, %#x, %d) = %#x; want %#x (acked %#x)", largest, trunc, 8*n, got, full, acked)
		}
	}
}
