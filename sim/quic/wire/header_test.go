package wire

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// RFC 9001 Appendix A gives the cleartext headers of its sample packets.
const (
	// A.2: client Initial, DCID 8394c8f03e515708, packet number 2 on 4
	// bytes, Length 1182; the datagram is 1200 bytes.
	rfc9001ClientInitialHeader = "c300000001088394c8f03e5157080000449e00000002"
	// A.3: server Initial, SCID f067a5502a4262b5, packet number 1 on 2
	// bytes, Length 117.
	rfc9001ServerInitialHeader = "c1000000010008f067a5502a4262b50040750001"
	// A.4: Retry with token "token" (the Unused bits are set).
	rfc9001Retry = "ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba"
	// A.5: short header, packet number 654360564 sent on 3 bytes.
	rfc9001ShortHeader = "4200bff4"
)

func TestParseRFC9001ClientInitial(t *testing.T) {
	hdr := mustHex(t, rfc9001ClientInitialHeader)
	datagram := append(bytes.Clone(hdr), make([]byte, 1200-len(hdr))...)
	datagram[len(hdr)] = 0x06 // a CRYPTO frame's type, for show
	h, payload, n, err := ParsePacket(datagram, 0)
	if err != nil {
		t.Fatalf("ParsePacket: %v", err)
	}
	want := Header{
		Type: PacketInitial, Version: Version1,
		DestConnectionID: mustHex(t, "8394c8f03e515708"), SrcConnectionID: []byte{}, Token: []byte{},
		Length: 1182, PacketNumber: 2, PacketNumberLen: 4,
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("ParsePacket header = %+v; want %+v", h, want)
	}
	if n != 1200 || len(payload) != 1162 || payload[0] != 0x06 {
		t.Errorf("ParsePacket n = %d, len(payload) = %d; want 1200, 1162", n, len(payload))
	}
	// The sender side gives the same bytes and sizes.
	if got := LongHeaderLen(PacketInitial, 8, 0, 0, 4, 1162); got != len(hdr) {
		t.Errorf("LongHeaderLen(Initial, 8, 0, 0, 4, 1162) = %d; want %d", got, len(hdr))
	}
	if got := PacketLen(&want, 1162); got != MinInitialDatagramSize {
		t.Errorf("PacketLen(client Initial, 1162) = %d; want 1200", got)
	}
	if got := MaxPayloadLen(&want, MinInitialDatagramSize); got != 1162 {
		t.Errorf("MaxPayloadLen(client Initial, 1200) = %d; want 1162", got)
	}
	if got := AppendPacket(nil, &want, payload); !bytes.Equal(got[:len(hdr)], hdr) || len(got) != 1200 {
		t.Errorf("AppendPacket = %x... (%d bytes); want %x... (1200 bytes)", got[:len(hdr)], len(got), hdr)
	}
}

func TestParseRFC9001ServerInitial(t *testing.T) {
	hdr := mustHex(t, rfc9001ServerInitialHeader)
	pkt := append(bytes.Clone(hdr), make([]byte, 117-2)...)
	h, payload, n, err := ParsePacket(pkt, 0)
	if err != nil {
		t.Fatalf("ParsePacket: %v", err)
	}
	if h.Type != PacketInitial || !bytes.Equal(h.SrcConnectionID, mustHex(t, "f067a5502a4262b5")) ||
		h.Length != 117 || h.PacketNumber != 1 || h.PacketNumberLen != 2 || len(payload) != 99 || n != len(pkt) {
		t.Errorf("ParsePacket = %+v, %d payload bytes, n %d", h, len(payload), n)
	}
	if got := h.Append(nil); !bytes.Equal(got, hdr) {
		t.Errorf("Append = %x; want %x", got, hdr)
	}
	if got := h.Len(); got != len(hdr) {
		t.Errorf("Len() = %d; want %d", got, len(hdr))
	}
}

func TestParseRFC9001Retry(t *testing.T) {
	pkt := mustHex(t, rfc9001Retry)
	h, payload, n, err := ParsePacket(pkt, 0)
	if err != nil {
		t.Fatalf("ParsePacket: %v", err)
	}
	if h.Type != PacketRetry || string(h.Token) != "token" || payload != nil || n != len(pkt) ||
		!bytes.Equal(h.RetryIntegrityTag[:], mustHex(t, "04a265ba2eff4d829058fb3f0f2496ba")) {
		t.Errorf("ParsePacket(Retry) = %+v, %x, %d", h, payload, n)
	}
	// Append writes the Unused bits as zero.
	want := bytes.Clone(pkt)
	want[0] = 0xf0
	if got := AppendPacket(nil, &h, nil); !bytes.Equal(got, want) {
		t.Errorf("AppendPacket(Retry) = %x; want %x", got, want)
	}
	if got := PacketLen(&h, 0); got != len(pkt) {
		t.Errorf("PacketLen(Retry) = %d; want %d", got, len(pkt))
	}
}

func TestParseRFC9001ShortHeader(t *testing.T) {
	hdr := mustHex(t, rfc9001ShortHeader)
	h, n, err := ParseHeader(hdr, 0)
	if err != nil {
		t.Fatalf("ParseHeader: %v", err)
	}
	if h.Type != Packet1RTT || h.PacketNumberLen != 3 || h.PacketNumber != 0xbff4 || n != 4 || h.SpinBit || h.KeyPhase {
		t.Errorf("ParseHeader(%x) = %+v, %d", hdr, h, n)
	}
	if got := DecodePacketNumber(654360563, h.PacketNumber, 8*h.PacketNumberLen); got != 654360564 {
		t.Errorf("DecodePacketNumber = %d; want 654360564", got)
	}
	// Writing the full number gives the same truncated bytes.
	h.PacketNumber = 654360564
	if got := h.Append(nil); !bytes.Equal(got, hdr) {
		t.Errorf("Append = %x; want %x", got, hdr)
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	cid := func(n int) []byte { return bytes.Repeat([]byte{byte(n)}, n) }
	tests := []Header{
		{Type: PacketInitial, Version: Version1, DestConnectionID: cid(8), SrcConnectionID: cid(5), Token: []byte("tok"), Length: 1000, PacketNumber: 0x1234, PacketNumberLen: 2},
		{Type: Packet0RTT, Version: Version1, DestConnectionID: cid(20), SrcConnectionID: cid(0), Length: 70, PacketNumber: 7, PacketNumberLen: 1},
		{Type: PacketHandshake, Version: Version1, DestConnectionID: cid(1), SrcConnectionID: cid(20), Length: 20000, PacketNumber: 0xabcdef, PacketNumberLen: 3},
		{Type: PacketRetry, Version: Version1, DestConnectionID: cid(4), SrcConnectionID: cid(4), Token: []byte("retry-token"), RetryIntegrityTag: token16},
		{Type: Packet1RTT, DestConnectionID: cid(8), PacketNumber: 0x01020304, PacketNumberLen: 4, SpinBit: true, KeyPhase: true},
		{Type: Packet1RTT, DestConnectionID: cid(0), PacketNumber: 9, PacketNumberLen: 1},
	}
	for _, h := range tests {
		b := h.Append(nil)
		if len(b) != h.Len() {
			t.Errorf("%s: len(Append) = %d; Len() = %d", h.Type, len(b), h.Len())
		}
		got, n, err := ParseHeader(b, len(h.DestConnectionID))
		if err != nil || n != len(b) || !headersEqual(got, h) {
			t.Errorf("%s: ParseHeader(%x) = %+v, %d, %v; want %+v", h.Type, b, got, n, err, h)
		}
		// Every truncation fails cleanly (a Retry packet has no length of
		// its own, so only cuts into its fixed fields or tag fail).
		for i := 0; i < len(b); i++ {
			if _, _, err := ParseHeader(b[:i], len(h.DestConnectionID)); err == nil && h.Type != PacketRetry {
				t.Errorf("%s: ParseHeader(%x) succeeded", h.Type, b[:i])
			}
		}
	}
}

// headersEqual compares headers treating nil and empty byte slices alike.
func headersEqual(a, b Header) bool {
	return a.Type == b.Type && a.Version == b.Version &&
		bytes.Equal(a.DestConnectionID, b.DestConnectionID) && bytes.Equal(a.SrcConnectionID, b.SrcConnectionID) &&
		bytes.Equal(a.Token, b.Token) && a.Length == b.Length && a.PacketNumber == b.PacketNumber &&
		a.PacketNumberLen == b.PacketNumberLen && a.SpinBit == b.SpinBit && a.KeyPhase == b.KeyPhase &&
		a.RetryIntegrityTag == b.RetryIntegrityTag
}

func TestCoalescedPackets(t *testing.T) {
	dcid, scid := []byte{1, 2, 3, 4}, []byte{5, 6}
	initial := &Header{Type: PacketInitial, Version: Version1, DestConnectionID: dcid, SrcConnectionID: scid, PacketNumber: 0, PacketNumberLen: 1}
	handshake := &Header{Type: PacketHandshake, Version: Version1, DestConnectionID: dcid, SrcConnectionID: scid, PacketNumber: 0, PacketNumberLen: 1}
	short := &Header{Type: Packet1RTT, DestConnectionID: dcid, PacketNumber: 0, PacketNumberLen: 1}
	payloads := [][]byte{
		(&CryptoFrame{DataLen: 90}).Append(nil),
		(&CryptoFrame{DataLen: 900}).Append((&AckFrame{Ranges: []AckRange{{0, 0}}}).Append(nil)),
		(&StreamFrame{StreamID: 3, DataLen: 5}).Append(nil),
	}
	var datagram []byte
	hdrs := []*Header{initial, handshake, short}
	want := 0
	for i, h := range hdrs {
		datagram = AppendPacket(datagram, h, payloads[i])
		want += PacketLen(h, len(payloads[i]))
	}
	if len(datagram) != want {
		t.Errorf("datagram length %d; sum of PacketLen %d", len(datagram), want)
	}
	rest := datagram
	for i, h := range hdrs {
		got, payload, n, err := ParsePacket(rest, len(dcid))
		if err != nil {
			t.Fatalf("packet %d: ParsePacket: %v", i, err)
		}
		if got.Type != h.Type || !bytes.Equal(payload, payloads[i]) {
			t.Errorf("packet %d: %s with %d payload bytes; want %s with %d", i, got.Type, len(payload), h.Type, len(payloads[i]))
		}
		rest = rest[n:]
	}
	if len(rest) != 0 {
		t.Errorf("%d bytes left after the 1-RTT packet", len(rest))
	}
}

func TestParsePacketErrors(t *testing.T) {
	long := func(mod func(b []byte) []byte) []byte {
		h := &Header{Type: PacketHandshake, Version: Version1, DestConnectionID: []byte{1}, PacketNumberLen: 1}
		return mod(AppendPacket(nil, h, []byte{1, 1, 1}))
	}
	tests := []struct {
		name    string
		b       []byte
		dcidLen int
		want    error
		code    TransportErrorCode
	}{
		{"empty", nil, 0, ErrInvalidPacket, 0},
		{"fixed bit zero", mustHex(t, "0000"), 0, ErrInvalidPacket, 0},
		{"version 2", mustHex(t, "c06b3343cf0000"), 0, ErrUnsupportedVersion, 0},
		{"version negotiation", mustHex(t, "c000000000000000000001"), 0, ErrUnsupportedVersion, 0},
		{"dcid 21 bytes", mustHex(t, "c00000000115"+strings.Repeat("00", 30)), 0, ErrInvalidPacket, 0},
		{"length past end", long(func(b []byte) []byte { return b[:len(b)-1] }), 0, ErrInvalidPacket, 0},
		{"length too small for tag", long(func(b []byte) []byte { b[8] = 10; return b }), 0, ErrInvalidPacket, 0},
		{"long reserved bits", long(func(b []byte) []byte { b[0] |= 0x04; return b }), 0, nil, ProtocolViolation},
		{"short reserved bits", mustHex(t, "48"+"00"+"010101"+strings.Repeat("00", 16)), 0, nil, ProtocolViolation},
		{"short no tag", mustHex(t, "40"+"00"+"0101"), 0, ErrInvalidPacket, 0},
		{"short too small to sample", mustHex(t, "40"+"00"+"01"+strings.Repeat("00", 16)), 0, ErrInvalidPacket, 0},
		{"short dcid longer than packet", mustHex(t, "4000"), 8, ErrInvalidPacket, 0},
	}
	for _, tt := range tests {
		_, _, _, err := ParsePacket(tt.b, tt.dcidLen)
		if tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: ParsePacket(%x) err = %v; want %v", tt.name, tt.b, err, tt.want)
		}
		if tt.want == nil && !isCode(err, tt.code) {
			t.Errorf("%s: ParsePacket(%x) err = %v; want %s", tt.name, tt.b, err, tt.code)
		}
	}
}

// TestMaxPayloadLen checks MaxPayloadLen against PacketLen for every size
// across the Length field's varint boundaries.
func TestMaxPayloadLen(t *testing.T) {
	hdrs := []*Header{
		{Type: PacketInitial, Version: Version1, DestConnectionID: make([]byte, 8), SrcConnectionID: make([]byte, 8), Token: make([]byte, 30), PacketNumberLen: 4},
		{Type: PacketHandshake, Version: Version1, DestConnectionID: make([]byte, 20), PacketNumberLen: 1},
		{Type: Packet1RTT, DestConnectionID: make([]byte, 8), PacketNumberLen: 2},
	}
	for _, h := range hdrs {
		for size := 0; size < 17000; size++ {
			p := MaxPayloadLen(h, size)
			if p < 0 {
				if l := PacketLen(h, 0); l <= size {
					t.Fatalf("%s: MaxPayloadLen(%d) = %d but an empty payload makes %d", h.Type, size, p, l)
				}
				continue
			}
			if l := PacketLen(h, p); l > size {
				t.Fatalf("%s: MaxPayloadLen(%d) = %d makes %d bytes", h.Type, size, p, l)
			}
			if l := PacketLen(h, p+1); l <= size {
				t.Fatalf("%s: MaxPayloadLen(%d) = %d but %d bytes fit", h.Type, size, p, p+1)
			}
		}
	}
	if got, want := ShortHeaderLen(8, 2), hdrs[2].Len(); got != want {
		t.Errorf("ShortHeaderLen(8, 2) = %d; want %d", got, want)
	}
	if got := MinPayloadLen(1); got != 3 {
		t.Errorf("MinPayloadLen(1) = %d; want 3", got)
	}
	if got := MinPayloadLen(4); got != 0 {
		t.Errorf("MinPayloadLen(4) = %d; want 0", got)
	}
}

func TestPacketTypeNames(t *testing.T) {
	tests := []struct {
		pt    PacketType
		name  string
		space PacketNumberSpace
	}{
		{PacketInitial, "initial", SpaceInitial},
		{Packet0RTT, "0RTT", SpaceApplicationData},
		{PacketHandshake, "handshake", SpaceHandshake},
		{PacketRetry, "retry", SpaceInitial},
		{Packet1RTT, "1RTT", SpaceApplicationData},
	}
	for _, tt := range tests {
		if got := tt.pt.String(); got != tt.name {
			t.Errorf("PacketType(%d).String() = %q; want %q", tt.pt, got, tt.name)
		}
		if got := tt.pt.Space(); got != tt.space {
			t.Errorf("%s.Space() = %s; want %s", tt.pt, got, tt.space)
		}
	}
}

func FuzzParsePacket(f *testing.F) {
	f.Add(mustHex(f, rfc9001ServerInitialHeader+strings.Repeat("00", 115)), 0)
	f.Add(mustHex(f, rfc9001Retry), 0)
	f.Add(mustHex(f, rfc9001ShortHeader+strings.Repeat("01", 20)), 0)
	f.Add(mustHex(f, "4001020304050607080900"+strings.Repeat("01", 20)), 8)
	f.Fuzz(func(t *testing.T, b []byte, dcidLen int) {
		dcidLen &= 0x1f
		h, payload, n, err := ParsePacket(b, dcidLen)
		if err != nil {
			return
		}
		if n > len(b) {
			t.Fatalf("ParsePacket n = %d > %d", n, len(b))
		}
		enc := AppendPacket(nil, &h, payload)
		if len(enc) != PacketLen(&h, len(payload)) {
			t.Fatalf("len(AppendPacket) = %d; PacketLen = %d", len(enc), PacketLen(&h, len(payload)))
		}
		h2, payload2, n2, err := ParsePacket(enc, dcidLen)
		if err != nil || n2 != len(enc) || !bytes.Equal(payload2, payload) {
			t.Fatalf("re-parse: %v, n %d of %d", err, n2, len(enc))
		}
		h.Length, h2.Length = 0, 0 // re-encoding may shorten a non-minimal Length
		if !headersEqual(h, h2) {
			t.Fatalf("re-parse header %+v; want %+v", h2, h)
		}
	})
}
