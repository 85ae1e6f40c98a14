package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
)

var token16 = [16]byte{0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa}

// frameTests are frames with hand-computed encodings (RFC 9000 §19), as
// ParseFrame returns them.
var frameTests = []struct {
	name  string
	frame Frame
	hex   string
}{
	{"padding x3", &PaddingFrame{Count: 3}, "000000"},
	{"ping", &PingFrame{}, "01"},
	// Largest 10, delay 32, ranges 8-10 and 5: First ACK Range 2, then
	// Gap = 8-5-2 = 1 and ACK Range Length 0 (§19.3.1).
	{"ack", &AckFrame{Ranges: []AckRange{{8, 10}, {5, 5}}, AckDelay: 32}, "020a2001020100"},
	{"ack one packet", &AckFrame{Ranges: []AckRange{{0, 0}}}, "0200000000"},
	{"ack ecn", &AckFrame{Ranges: []AckRange{{8, 10}, {5, 5}}, AckDelay: 32, ECN: &ECNCounts{ECT0: 1, ECT1: 0, ECNCE: 300}}, "030a200102010001" + "00" + "412c"},
	{"ack adjacent gap 0", &AckFrame{Ranges: []AckRange{{100, 100}, {0, 98}}}, "024064000100004062"},
	{"reset_stream", &ResetStreamFrame{StreamID: 8, ApplicationProtocolErrorCode: 0x10c, FinalSize: 65536}, "0408410c80010000"},
	{"stop_sending", &StopSendingFrame{StreamID: 8, ApplicationProtocolErrorCode: 0}, "050800"},
	{"crypto", &CryptoFrame{Offset: 0, DataLen: 3, Data: []byte{1, 2, 3}}, "060003010203"},
	{"crypto offset", &CryptoFrame{Offset: 1000, DataLen: 1, Data: []byte{9}}, "0643e80109"},
	{"new_token", &NewTokenFrame{Token: []byte{0xab, 0xcd}}, "0702abcd"},
	{"stream len fin", &StreamFrame{StreamID: 4, Fin: true, HasLength: true, DataLen: 2, Data: []byte("hi")}, "0b04026869"},
	{"stream off no len", &StreamFrame{StreamID: 1, Offset: 1000, DataLen: 3, Data: []byte("abc")}, "0c0143e8616263"},
	{"stream empty fin", &StreamFrame{StreamID: 0, Offset: 5, Fin: true, HasLength: true, Data: []byte{}}, "0f000500"},
	{"stream plain", &StreamFrame{StreamID: 2, DataLen: 1, Data: []byte{0x7f}}, "08027f"},
	{"max_data", &MaxDataFrame{MaximumData: 1 << 20}, "1080100000"},
	{"max_stream_data", &MaxStreamDataFrame{StreamID: 0, MaximumStreamData: 64}, "11004040"},
	{"max_streams bidi", &MaxStreamsFrame{Direction: Bidirectional, MaximumStreams: 100}, "124064"},
	{"max_streams uni", &MaxStreamsFrame{Direction: Unidirectional, MaximumStreams: 3}, "1303"},
	{"max_streams 2^60", &MaxStreamsFrame{MaximumStreams: MaxStreamCount}, "12d000000000000000"},
	{"data_blocked", &DataBlockedFrame{MaximumData: 16383}, "147fff"},
	{"stream_data_blocked", &StreamDataBlockedFrame{StreamID: 4, MaximumStreamData: 0}, "150400"},
	{"streams_blocked bidi", &StreamsBlockedFrame{Direction: Bidirectional, MaximumStreams: 1}, "1601"},
	{"streams_blocked uni", &StreamsBlockedFrame{Direction: Unidirectional, MaximumStreams: 16384}, "1780004000"},
	{"new_connection_id", &NewConnectionIDFrame{SequenceNumber: 1, RetirePriorTo: 0, ConnectionID: []byte{1, 2, 3, 4}, StatelessResetToken: token16}, "1801000401020304" + strings.Repeat("aa", 16)},
	{"retire_connection_id", &RetireConnectionIDFrame{SequenceNumber: 2}, "1902"},
	{"path_challenge", &PathChallengeFrame{Data: [8]byte{1, 2, 3, 4, 5, 6, 7, 8}}, "1a0102030405060708"},
	{"path_response", &PathResponseFrame{Data: [8]byte{1, 2, 3, 4, 5, 6, 7, 8}}, "1b0102030405060708"},
	{"connection_close transport", &ConnectionCloseFrame{ErrorCode: uint64(FrameEncodingError), FrameType: FrameTypeAck, ReasonPhrase: "bad"}, "1c070203626164"},
	{"connection_close application", &ConnectionCloseFrame{IsApplicationError: true, ErrorCode: 0x0101}, "1d410100"},
	{"handshake_done", &HandshakeDoneFrame{}, "1e"},
}

func TestFrameEncodings(t *testing.T) {
	for _, tt := range frameTests {
		want := mustHex(t, tt.hex)
		if got := tt.frame.Append(nil); !bytes.Equal(got, want) {
			t.Errorf("%s: Append = %x; want %x", tt.name, got, want)
		}
		if got := tt.frame.Length(); got != len(want) {
			t.Errorf("%s: Length() = %d; want %d", tt.name, got, len(want))
		}
		got, n, err := ParseFrame(want)
		if err != nil || n != len(want) || !reflect.DeepEqual(got, tt.frame) {
			t.Errorf("%s: ParseFrame(%x) = %#v, %d, %v; want %#v, %d, nil", tt.name, want, got, n, err, tt.frame, len(want))
		}
		if got != nil && got.Type() != FrameType(want[0]) {
			t.Errorf("%s: Type() = %#x; want %#x", tt.name, got.Type(), want[0])
		}
	}
}

// TestFrameFollowedByOthers checks that ParseFrame stops at the frame's end
// for every frame that carries its own length.
func TestFrameFollowedByOthers(t *testing.T) {
	for _, tt := range frameTests {
		if s, ok := tt.frame.(*StreamFrame); ok && !s.HasLength {
			continue // runs to the end of the packet
		}
		b := append(mustHex(t, tt.hex), 0x01) // a PING after it
		_, n, err := ParseFrame(b)
		if err != nil || n != len(b)-1 {
			t.Errorf("%s: ParseFrame(%x) n = %d, err = %v; want %d, nil", tt.name, b, n, err, len(b)-1)
		}
	}
}

// TestFrameTruncations checks that every truncation of every valid frame
// fails with FRAME_ENCODING_ERROR, except where a prefix is itself a valid
// frame (a shorter PADDING run, a STREAM frame without LEN bit whose data
// is cut short): then the whole prefix is consumed.
func TestFrameTruncations(t *testing.T) {
	for _, tt := range frameTests {
		b := mustHex(t, tt.hex)
		prefixMayParse := false
		switch f := tt.frame.(type) {
		case *PaddingFrame:
			prefixMayParse = true
		case *StreamFrame:
			prefixMayParse = !f.HasLength
		}
		for i := 0; i < len(b); i++ {
			prefix := bytes.Clone(b[:i])
			f, n, err := ParseFrame(prefix)
			if err == nil {
				if !prefixMayParse || n != i {
					t.Errorf("%s: ParseFrame(%x) = %v, %d, nil; want an error", tt.name, prefix, f, n)
				}
				continue
			}
			var te *TransportError
			if !errors.As(err, &te) || te.Code != FrameEncodingError {
				t.Errorf("%s: ParseFrame(%x) err = %v; want FRAME_ENCODING_ERROR", tt.name, prefix, err)
			}
		}
	}
}

func TestFrameErrors(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		code TransportErrorCode
	}{
		{"empty", "", FrameEncodingError},
		{"unknown type 0x1f", "1f", FrameEncodingError},
		{"unknown type DATAGRAM 0x30", "3000", FrameEncodingError},
		{"type not minimal", "4001", ProtocolViolation},
		{"ack first range below 0", "0205000006", FrameEncodingError},
		{"ack gap below 0", "02050001000400", FrameEncodingError},
		{"ack gap below 0 at 1", "02010001000000", FrameEncodingError},
		{"ack range length below 0", "020a0001000009", FrameEncodingError},
		{"ack huge range count", "020a00" + "bfffffff" + "00", FrameEncodingError},
		{"new_token empty", "0700", FrameEncodingError},
		{"new_connection_id length 0", "18010000" + strings.Repeat("aa", 16), FrameEncodingError},
		{"new_connection_id length 21", "18010015" + strings.Repeat("01", 21) + strings.Repeat("aa", 16), FrameEncodingError},
		{"new_connection_id retire > seq", "1801020401020304" + strings.Repeat("aa", 16), FrameEncodingError},
		{"max_streams above 2^60", "12d000000000000001", FrameEncodingError},
		{"streams_blocked above 2^60", "17d000000000000001", FrameEncodingError},
		{"stream beyond 2^62-1", "0e00ffffffffffffffff0178", FrameEncodingError},
		{"crypto beyond 2^62-1", "06ffffffffffffffff0178", FrameEncodingError},
		{"stream length past end", "0a0005abcd", FrameEncodingError},
		{"connection_close reason past end", "1c07000561", FrameEncodingError},
	}
	for _, tt := range tests {
		b := mustHex(t, tt.hex)
		_, _, err := ParseFrame(b)
		var te *TransportError
		if !errors.As(err, &te) || te.Code != tt.code {
			t.Errorf("%s: ParseFrame(%x) err = %v; want %s", tt.name, b, err, tt.code)
		}
	}
	if _, err := ParseFrames(nil); !isCode(err, ProtocolViolation) {
		t.Errorf("ParseFrames(empty) err = %v; want PROTOCOL_VIOLATION", err)
	}
}

func isCode(err error, code TransportErrorCode) bool {
	var te *TransportError
	return errors.As(err, &te) && te.Code == code
}

// TestStreamFiller checks that a STREAM frame with unmaterialised data has
// the exact length of the real one, that AppendHeader writes only the
// header, and that Append writes zeros in the data's place.
func TestStreamFiller(t *testing.T) {
	f := &StreamFrame{StreamID: 0, Offset: 0x12345, HasLength: true, DataLen: 1000}
	header := mustHex(t, "0e008001234543e8")
	if got := f.AppendHeader(nil); !bytes.Equal(got, header) {
		t.Errorf("AppendHeader = %x; want %x", got, header)
	}
	if got := f.HeaderLen(); got != len(header) {
		t.Errorf("HeaderLen() = %d; want %d", got, len(header))
	}
	if got := f.Length(); got != len(header)+1000 {
		t.Errorf("Length() = %d; want %d", got, len(header)+1000)
	}
	full := f.Append(nil)
	want := append(bytes.Clone(header), make([]byte, 1000)...)
	if !bytes.Equal(full, want) {
		t.Errorf("Append wrote %d bytes, not the header and 1000 zeros", len(full))
	}
	real := &StreamFrame{StreamID: 0, Offset: 0x12345, HasLength: true, DataLen: 1000, Data: bytes.Repeat([]byte{'x'}, 1000)}
	if real.Length() != f.Length() {
		t.Errorf("Length() with data = %d, filler = %d; want equal", real.Length(), f.Length())
	}
	parsed, _, err := ParseFrame(full)
	if err != nil {
		t.Fatalf("ParseFrame(filler frame): %v", err)
	}
	if s := parsed.(*StreamFrame); s.DataLen != 1000 || s.Offset != 0x12345 || !s.HasLength {
		t.Errorf("ParseFrame(filler frame) = %+v", s)
	}

	c := &CryptoFrame{Offset: 0, DataLen: 300}
	if got, want := c.AppendHeader(nil), mustHex(t, "0600412c"); !bytes.Equal(got, want) {
		t.Errorf("CryptoFrame.AppendHeader = %x; want %x", got, want)
	}
	if got := c.Length(); got != 4+300 || len(c.Append(nil)) != got {
		t.Errorf("CryptoFrame Length() = %d, len(Append) = %d; want 304", got, len(c.Append(nil)))
	}
}

func TestMaxDataLen(t *testing.T) {
	tests := []struct {
		streamID, offset uint64
		budget           int
		hasLength        bool
		want             int
		ok               bool
	}{
		{0, 0, 10, true, 7, true},  // 1 type + 1 id + 1 len + 7
		{0, 0, 10, false, 8, true}, // no Length field
		{0, 0, 2, true, 0, false},  // type + id leave no room for a Length field
		{0, 0, 3, true, 0, true},   // empty data fits
		{4, 0, 67, true, 63, true}, // 65 room: a 2-byte Length field would leave 63 too
		{4, 0, 68, true, 64, true}, // 66 room: 2-byte Length + 64
		{4, 1000, 1200, true, 1194, true},
	}
	for _, tt := range tests {
		got, ok := MaxStreamDataLen(tt.streamID, tt.offset, tt.budget, tt.hasLength)
		if got != tt.want || ok != tt.ok {
			t.Errorf("MaxStreamDataLen(%d, %d, %d, %v) = %d, %v; want %d, %v", tt.streamID, tt.offset, tt.budget, tt.hasLength, got, ok, tt.want, tt.ok)
		}
		if !ok {
			continue
		}
		f := &StreamFrame{StreamID: tt.streamID, Offset: tt.offset, HasLength: tt.hasLength, DataLen: got}
		if f.Length() > tt.budget {
			t.Errorf("frame with %d bytes is %d long; budget %d", got, f.Length(), tt.budget)
		}
		f.DataLen++
		if tt.hasLength && f.Length() <= tt.budget {
			t.Errorf("frame with %d bytes is %d long and still fits %d", f.DataLen, f.Length(), tt.budget)
		}
	}
	// Exhaustive check of the Length-field boundaries for CRYPTO frames.
	for budget := 0; budget < 20000; budget++ {
		n, ok := MaxCryptoDataLen(0, budget)
		if !ok {
			if budget >= 3 {
				t.Fatalf("MaxCryptoDataLen(0, %d) not ok", budget)
			}
			continue
		}
		if l := (&CryptoFrame{DataLen: n}).Length(); l > budget {
			t.Fatalf("MaxCryptoDataLen(0, %d) = %d: frame length %d", budget, n, l)
		}
		if l := (&CryptoFrame{DataLen: n + 1}).Length(); l <= budget {
			t.Fatalf("MaxCryptoDataLen(0, %d) = %d but %d bytes fit", budget, n, n+1)
		}
	}
}

func TestFrameTypeProperties(t *testing.T) {
	tests := []struct {
		t                      FrameType
		name                   string
		ackEliciting, inFlight bool
		pkts                   string // RFC 9000 Table 3 "Pkts": I, H, 0, 1
	}{
		{FrameTypePadding, "padding", false, true, "IH01"},
		{FrameTypePing, "ping", true, true, "IH01"},
		{FrameTypeAck, "ack", false, false, "IH1"},
		{FrameTypeAckECN, "ack", false, false, "IH1"},
		{FrameTypeResetStream, "reset_stream", true, true, "01"},
		{FrameTypeStopSending, "stop_sending", true, true, "01"},
		{FrameTypeCrypto, "crypto", true, true, "IH1"},
		{FrameTypeNewToken, "new_token", true, true, "1"},
		{0x08, "stream", true, true, "01"},
		{0x0f, "stream", true, true, "01"},
		{FrameTypeMaxData, "max_data", true, true, "01"},
		{FrameTypeMaxStreamData, "max_stream_data", true, true, "01"},
		{FrameTypeMaxStreamsBidi, "max_streams", true, true, "01"},
		{FrameTypeMaxStreamsUni, "max_streams", true, true, "01"},
		{FrameTypeDataBlocked, "data_blocked", true, true, "01"},
		{FrameTypeStreamDataBlocked, "stream_data_blocked", true, true, "01"},
		{FrameTypeStreamsBlockedBidi, "streams_blocked", true, true, "01"},
		{FrameTypeStreamsBlockedUni, "streams_blocked", true, true, "01"},
		{FrameTypeNewConnectionID, "new_connection_id", true, true, "01"},
		{FrameTypeRetireConnectionID, "retire_connection_id", true, true, "01"},
		{FrameTypePathChallenge, "path_challenge", true, true, "01"},
		{FrameTypePathResponse, "path_response", true, true, "1"},
		{FrameTypeConnectionClose, "connection_close", false, false, "IH01"},
		{FrameTypeConnectionCloseApp, "connection_close", false, false, "01"},
		{FrameTypeHandshakeDone, "handshake_done", true, true, "1"},
		{0x1f, "unknown", true, true, ""},
	}
	pkts := []struct {
		c  string
		pt PacketType
	}{{"I", PacketInitial}, {"H", PacketHandshake}, {"0", Packet0RTT}, {"1", Packet1RTT}}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.name {
			t.Errorf("FrameType(%#x).String() = %q; want %q", uint64(tt.t), got, tt.name)
		}
		if got := tt.t.AckEliciting(); got != tt.ackEliciting {
			t.Errorf("FrameType(%#x).AckEliciting() = %v; want %v", uint64(tt.t), got, tt.ackEliciting)
		}
		if got := tt.t.InFlight(); got != tt.inFlight && tt.t.Known() {
			t.Errorf("FrameType(%#x).InFlight() = %v; want %v", uint64(tt.t), got, tt.inFlight)
		}
		for _, p := range pkts {
			want := strings.Contains(tt.pkts, p.c)
			if got := tt.t.AllowedIn(p.pt); got != want {
				t.Errorf("FrameType(%#x).AllowedIn(%s) = %v; want %v", uint64(tt.t), p.pt, got, want)
			}
		}
		if err := CheckAllowedIn(tt.t, Packet0RTT); (err == nil) != strings.Contains(tt.pkts, "0") || (err != nil && !isCode(err, ProtocolViolation)) {
			t.Errorf("CheckAllowedIn(%#x, 0RTT) = %v", uint64(tt.t), err)
		}
		if tt.t.AllowedIn(PacketRetry) {
			t.Errorf("FrameType(%#x).AllowedIn(retry) = true", uint64(tt.t))
		}
	}
	// Each frame's methods agree with its type's.
	for _, tt := range frameTests {
		ft := tt.frame.Type()
		if tt.frame.AckEliciting() != ft.AckEliciting() || tt.frame.InFlight() != ft.InFlight() {
			t.Errorf("%s: AckEliciting/InFlight = %v/%v; type says %v/%v", tt.name,
				tt.frame.AckEliciting(), tt.frame.InFlight(), ft.AckEliciting(), ft.InFlight())
		}
	}
}

func TestPacketAckEliciting(t *testing.T) {
	ack := &AckFrame{Ranges: []AckRange{{1, 1}}}
	tests := []struct {
		frames                 []Frame
		ackEliciting, inFlight bool
	}{
		{[]Frame{ack}, false, false},
		{[]Frame{ack, &PaddingFrame{Count: 10}}, false, true},
		{[]Frame{ack, &PingFrame{}}, true, true},
		{[]Frame{&ConnectionCloseFrame{}}, false, false},
		{[]Frame{&StreamFrame{DataLen: 1}}, true, true},
	}
	for _, tt := range tests {
		if got := AckEliciting(tt.frames); got != tt.ackEliciting {
			t.Errorf("AckEliciting(%v) = %v; want %v", tt.frames, got, tt.ackEliciting)
		}
		if got := InFlight(tt.frames); got != tt.inFlight {
			t.Errorf("InFlight(%v) = %v; want %v", tt.frames, got, tt.inFlight)
		}
	}
}

func TestTransportErrorCodeString(t *testing.T) {
	tests := []struct {
		c    TransportErrorCode
		want string
	}{
		{NoError, "NO_ERROR"},
		{InternalError, "INTERNAL_ERROR"},
		{FrameEncodingError, "FRAME_ENCODING_ERROR"},
		{ProtocolViolation, "PROTOCOL_VIOLATION"},
		{NoViablePath, "NO_VIABLE_PATH"},
		{CryptoErrorCode(0x2a), "CRYPTO_ERROR(0x12a)"},
		{0x11, "TRANSPORT_ERROR(0x11)"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("TransportErrorCode(%#x).String() = %q; want %q", uint64(tt.c), got, tt.want)
		}
	}
}

// TestParseFramesPacket parses a realistic 1-RTT payload: ACK, then two
// STREAM frames with LEN, then a STREAM frame that runs to the end.
func TestParseFramesPacket(t *testing.T) {
	want := []Frame{
		&AckFrame{Ranges: []AckRange{{0, 7}}, AckDelay: 3},
		&StreamFrame{StreamID: 0, HasLength: true, DataLen: 2, Data: []byte("ab")},
		&StreamFrame{StreamID: 4, Offset: 7, Fin: true, HasLength: true, DataLen: 1, Data: []byte("c")},
		&StreamFrame{StreamID: 8, DataLen: 3, Data: []byte("def")},
	}
	b := AppendFrames(nil, want)
	if len(b) != FramesLength(want) {
		t.Errorf("len(AppendFrames) = %d; FramesLength = %d", len(b), FramesLength(want))
	}
	got, err := ParseFrames(b)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseFrames(%s) = %v, %v; want %v", hex.EncodeToString(b), got, err, want)
	}
}

// seedFrames returns the payload encodings used to seed the fuzzers.
func seedFrames(t testing.TB) [][]byte {
	var seeds [][]byte
	for _, tt := range frameTests {
		seeds = append(seeds, mustHex(t, tt.hex))
	}
	return seeds
}

func FuzzParseFrames(f *testing.F) {
	for _, s := range seedFrames(f) {
		f.Add(s)
	}
	f.Add(mustHex(f, "0100000002050001000400"))
	f.Fuzz(func(t *testing.T, b []byte) {
		frames, err := ParseFrames(b)
		if err != nil {
			var te *TransportError
			if !errors.As(err, &te) {
				t.Fatalf("ParseFrames(%x) error %v is not a *TransportError", b, err)
			}
			return
		}
		enc := AppendFrames(nil, frames)
		if len(enc) != FramesLength(frames) {
			t.Fatalf("len(AppendFrames) = %d; FramesLength = %d", len(enc), FramesLength(frames))
		}
		if len(enc) > len(b) {
			t.Fatalf("re-encoding of %x is longer: %x", b, enc)
		}
		again, err := ParseFrames(enc)
		if err != nil {
			t.Fatalf("ParseFrames(AppendFrames(ParseFrames(%x))) = %v", b, err)
		}
		if !reflect.DeepEqual(again, frames) {
			t.Fatalf("round trip of %x: %v; want %v", b, again, frames)
		}
	})
}
