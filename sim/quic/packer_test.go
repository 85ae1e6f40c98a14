package quic

import (
	"reflect"
	"testing"

	"httpsim/sim/bytestream"
	"httpsim/sim/quic/wire"
)

// TestSetHeaderSetsEveryField checks that setHeader, which assigns a
// header field by field, leaves a reused header as a literal would: every
// field of wire.Header is set, whatever the header held before.
func TestSetHeaderSetsEveryField(t *testing.T) {
	if n := reflect.TypeFor[wire.Header]().NumField(); n != 11 {
		t.Fatalf("wire.Header has %d fields; setHeader sets 11: update both", n)
	}
	tests := []struct {
		typ        wire.PacketType
		dcid, scid []byte
	}{
		{wire.PacketInitial, []byte{1, 2, 3, 4}, []byte{5, 6}},
		{wire.Packet1RTT, []byte{7, 8}, nil},
	}
	for _, tt := range tests {
		// Every field of the stale header is set to something else.
		h := wire.Header{
			Type: wire.PacketRetry, Version: 0xdead, DestConnectionID: []byte{9}, SrcConnectionID: []byte{9},
			Token: []byte{9}, Length: 99, PacketNumber: 99, PacketNumberLen: 4, SpinBit: true, KeyPhase: true,
			RetryIntegrityTag: [wire.RetryIntegrityTagLen]byte{9, 9, 9},
		}
		setHeader(&h, tt.typ, tt.dcid, tt.scid, 42, 2)
		want := wire.Header{Type: tt.typ, Version: wire.Version1, DestConnectionID: tt.dcid, SrcConnectionID: tt.scid, PacketNumber: 42, PacketNumberLen: 2}
		if !reflect.DeepEqual(h, want) {
			t.Errorf("setHeader(%v) = %+v; want %+v", tt.typ, h, want)
		}
	}
}

// TestFinishSetsEveryField checks that finish, which fills a recycled
// packet field by field, leaves it as it leaves a new one.
func TestFinishSetsEveryField(t *testing.T) {
	if n := reflect.TypeFor[Packet]().NumField(); n != 11 {
		t.Fatalf("Packet has %d fields; finish sets 11: update both", n)
	}
	build := func() (*Conn, *building) {
		c := &Conn{raws: newSlab[byte](64, 64), dataRanges: newSlab[bytestream.Slice](4, 4)}
		b := &building{packetState: packetState{space: wire.SpaceApplicationData, payload: 20, largestAck: -1, stream: 4, seq: 100}}
		setHeader(&b.hdr, wire.Packet1RTT, []byte{1, 2, 3, 4}, nil, 7, 1)
		b.frames = append(b.frames, &wire.PingFrame{})
		return c, b
	}
	c, b := build()
	got := &Packet{Type: wire.PacketRetry, PN: 99, Raw: []byte{9}, Data: []bytestream.Slice{{Off: 9}}, DataLen: 9,
		Size: 9, Flags: 9, Stream: 9, Seq: 9, Ack: 9, b: &building{}}
	c.finish(b, got)
	c, b = build()
	want := new(Packet)
	c.finish(b, want)
	want.b, got.b = nil, nil // each its own building
	if !reflect.DeepEqual(got, want) {
		t.Errorf("finish into a used packet = %+v; into a new one %+v", got, want)
	}
}
