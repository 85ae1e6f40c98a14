package wire

import "testing"

// onePacketPayload is a typical 1-RTT payload: an ACK with a few ranges and
// three STREAM frames.
func onePacketPayload() []byte {
	frames := []Frame{
		NewAckFrame([]AckRange{{90, 100}, {70, 80}, {10, 60}}, 250),
		&StreamFrame{StreamID: 0, Offset: 123456, HasLength: true, DataLen: 400, Data: make([]byte, 400)},
		&StreamFrame{StreamID: 4, Offset: 999, HasLength: true, DataLen: 300, Data: make([]byte, 300)},
		&StreamFrame{StreamID: 8, Offset: 70000, DataLen: 400, Data: make([]byte, 400)},
	}
	return AppendFrames(nil, frames)
}

func BenchmarkParseFrames(b *testing.B) {
	p := onePacketPayload()
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseFrames(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildPacket assembles a full-size 1-RTT packet carrying one
// STREAM frame of filler, the simulator's common case.
func BenchmarkBuildPacket(b *testing.B) {
	h := &Header{Type: Packet1RTT, DestConnectionID: make([]byte, 8), PacketNumber: 1000, PacketNumberLen: 2}
	buf := make([]byte, 0, 1500)
	b.ReportAllocs()
	for b.Loop() {
		max := MaxPayloadLen(h, 1200)
		n, _ := MaxStreamDataLen(4, 1<<20, max, false)
		f := StreamFrame{StreamID: 4, Offset: 1 << 20, DataLen: n}
		payload := f.Append(buf[:0])
		if PacketLen(h, len(payload)) != 1200 {
			b.Fatal("packet is not 1200 bytes")
		}
	}
}

// BenchmarkAckFrame builds, encodes and parses an ACK frame with 32 ranges.
func BenchmarkAckFrame(b *testing.B) {
	var ranges []AckRange
	for i := uint64(0); i < 32; i++ {
		ranges = append(ranges, AckRange{i * 10, i*10 + 7})
	}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		f := NewAckFrame(ranges, 100)
		enc := f.Append(buf[:0])
		if _, _, err := ParseFrame(enc); err != nil {
			b.Fatal(err)
		}
	}
}
