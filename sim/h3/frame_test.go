package h3

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"reflect"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// frameTests are frames with hand-computed encodings (RFC 9114 §7.2,
// RFC 9218 §7.2), as ParseFrame returns them.
var frameTests = []struct {
	name  string
	frame Frame
	hex   string
}{
	{"data", &DataFrame{DataLen: 3, Data: []byte("abc")}, "0003616263"},
	{"data empty", &DataFrame{DataLen: 0, Data: []byte{}}, "0000"},
	// QPACK: Required Insert Count 0, Base 0, :method GET (static 17),
	// :scheme https (static 23).
	{"headers", &HeadersFrame{EncodedFieldSection: []byte{0x00, 0x00, 0xd1, 0xd7}}, "01040000d1d7"},
	{"cancel_push", &CancelPushFrame{PushID: 3}, "030103"},
	// QPACK_MAX_TABLE_CAPACITY 4096 (2-byte varint 0x5000), QPACK_BLOCKED_STREAMS 16.
	{"settings", &SettingsFrame{Settings: []Setting{{SettingQPACKMaxTableCapacity, 4096}, {SettingQPACKBlockedStreams, 16}}}, "0405015000" + "0710"},
	{"settings grease", &SettingsFrame{Settings: []Setting{{0x21, 7}, {SettingH3Datagram, 1}, {SettingEnableConnectProtocol, 0}}}, "0406210733010800"},
	{"settings empty", &SettingsFrame{}, "0400"},
	{"push_promise", &PushPromiseFrame{PushID: 2, EncodedFieldSection: []byte{0, 0}}, "0503020000"},
	{"goaway", &GoawayFrame{ID: 4}, "070104"},
	{"goaway 2^30", &GoawayFrame{ID: 1 << 30}, "0708c000000040000000"},
	{"max_push_id", &MaxPushIDFrame{PushID: 10}, "0d010a"},
	// Type 0xf0700 is a 4-byte varint.
	{"priority_update request", &PriorityUpdateFrame{PrioritizedElementID: 4, PriorityFieldValue: "u=1"}, "800f070004" + "04753d31"},
	{"priority_update push", &PriorityUpdateFrame{IsPush: true, PrioritizedElementID: 1, PriorityFieldValue: "i"}, "800f0701020169"},
	{"reserved 0x21", &UnknownFrame{FrameType: 0x21, PayloadLength: 1, Payload: []byte("x")}, "210178"},
	{"reserved 0x40 empty", &UnknownFrame{FrameType: 0x40, PayloadLength: 0, Payload: []byte{}}, "404000"},
	{"unknown extension", &UnknownFrame{FrameType: 0x2f, PayloadLength: 2, Payload: []byte{1, 2}}, "2f020102"},
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
		if got, want := tt.frame.PayloadLen(), uint64(len(want)-FrameHeaderLen(tt.frame.Type(), tt.frame.PayloadLen())); got != want {
			t.Errorf("%s: PayloadLen() = %d; want %d", tt.name, got, want)
		}
		got, n, err := ParseFrame(want)
		if err != nil || n != len(want) || !reflect.DeepEqual(got, tt.frame) {
			t.Errorf("%s: ParseFrame(%x) = %#v, %d, %v; want %#v, %d, nil", tt.name, want, got, n, err, tt.frame, len(want))
		}
	}
}

// TestFrameTruncations checks that every truncation of every valid frame
// asks for more bytes (io.ErrUnexpectedEOF), and that a stream ending
// there is an H3_FRAME_ERROR.
func TestFrameTruncations(t *testing.T) {
	for _, tt := range frameTests {
		b := mustHex(t, tt.hex)
		for i := 0; i < len(b); i++ {
			prefix := bytes.Clone(b[:i])
			if f, n, err := ParseFrame(prefix); !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("%s: ParseFrame(%x) = %v, %d, %v; want io.ErrUnexpectedEOF", tt.name, prefix, f, n, err)
			}
			r := NewFrameReader(kindFor(tt.frame.Type()))
			if tt.frame.Type() != FrameSettings && r.Kind() == StreamControl {
				r.Feed(mustHex(t, "0400")) // SETTINGS first
				r.Next()
			}
			r.Feed(prefix)
			for {
				f, ok, err := r.Next()
				if err != nil {
					t.Fatalf("%s: Next after %x: %v", tt.name, prefix, err)
				}
				if !ok {
					break
				}
				// DATA and unknown frames come out before their payload.
				if _, isData := f.(*DataFrame); !isData {
					if _, isUnknown := f.(*UnknownFrame); !isUnknown {
						t.Errorf("%s: Next after %x = %v", tt.name, prefix, f)
					}
				}
			}
			if i > 0 && !isH3Code(r.Close(), ErrH3FrameError) {
				t.Errorf("%s: Close after %x = %v; want H3_FRAME_ERROR", tt.name, prefix, r.Close())
			}
		}
	}
}

// kindFor returns a stream kind on which frames of type t are allowed.
func kindFor(t FrameType) StreamKind {
	if AllowedOn(t, StreamRequest) {
		return StreamRequest
	}
	return StreamControl
}

func isH3Code(err error, code ErrorCode) bool {
	var ce *ConnectionError
	return errors.As(err, &ce) && ce.Code == code
}

func TestFrameErrors(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		code ErrorCode
	}{
		{"HTTP/2 PRIORITY", "0200", ErrH3FrameUnexpected},
		{"HTTP/2 PING", "060800000000" + "00000000", ErrH3FrameUnexpected},
		{"HTTP/2 WINDOW_UPDATE", "0800", ErrH3FrameUnexpected},
		{"HTTP/2 CONTINUATION", "0900", ErrH3FrameUnexpected},
		{"cancel_push empty", "0300", ErrH3FrameError},
		{"cancel_push extra byte", "03020300", ErrH3FrameError},
		{"cancel_push short varint", "030140", ErrH3FrameError},
		{"goaway extra byte", "07020400", ErrH3FrameError},
		{"max_push_id empty", "0d00", ErrH3FrameError},
		{"settings truncated identifier", "040140", ErrH3FrameError},
		{"settings truncated value", "04020140", ErrH3FrameError},
		{"settings missing value", "040101", ErrH3FrameError},
		{"settings HTTP/2 ENABLE_PUSH", "04020200", ErrH3SettingsError},
		{"settings HTTP/2 MAX_CONCURRENT_STREAMS", "04020332", ErrH3SettingsError},
		{"settings HTTP/2 INITIAL_WINDOW_SIZE", "04020401", ErrH3SettingsError},
		{"settings HTTP/2 MAX_FRAME_SIZE", "04020501", ErrH3SettingsError},
		{"settings duplicate", "040401000100", ErrH3SettingsError},
		{"settings duplicate apart", "0406010007000105", ErrH3SettingsError},
		{"settings H3_DATAGRAM 2", "04023302", ErrH3SettingsError},
		{"settings ENABLE_CONNECT_PROTOCOL 2", "04020802", ErrH3SettingsError},
		{"push_promise empty", "0500", ErrH3FrameError},
		{"priority_update empty", "800f070000", ErrH3FrameError},
	}
	for _, tt := range tests {
		b := mustHex(t, tt.hex)
		if _, _, err := ParseFrame(b); !isH3Code(err, tt.code) {
			t.Errorf("%s: ParseFrame(%x) err = %v; want %s", tt.name, b, err, tt.code)
		}
	}
}

func TestDataFiller(t *testing.T) {
	f := &DataFrame{DataLen: 1000}
	header := mustHex(t, "0043e8")
	if got := f.AppendHeader(nil); !bytes.Equal(got, header) {
		t.Errorf("AppendHeader = %x; want %x", got, header)
	}
	if got := f.HeaderLen(); got != 3 {
		t.Errorf("HeaderLen() = %d; want 3", got)
	}
	if got := f.Length(); got != 1003 {
		t.Errorf("Length() = %d; want 1003", got)
	}
	if got := f.Append(nil); len(got) != 1003 || !bytes.Equal(got[:3], header) || bytes.ContainsFunc(got[3:], func(r rune) bool { return r != 0 }) {
		t.Errorf("Append wrote %d bytes; want the header and 1000 zeros", len(got))
	}
	real := &DataFrame{DataLen: 1000, Data: bytes.Repeat([]byte{'x'}, 1000)}
	if real.Length() != f.Length() {
		t.Errorf("Length() with data = %d, filler = %d; want equal", real.Length(), f.Length())
	}
}

func TestAllowedOn(t *testing.T) {
	tests := []struct {
		t                      FrameType
		control, request, push bool
	}{
		// RFC 9114 §7.2, Table 1.
		{FrameData, false, true, true},
		{FrameHeaders, false, true, true},
		{FrameCancelPush, true, false, false},
		{FrameSettings, true, false, false},
		{FramePushPromise, false, true, false},
		{FrameGoaway, true, false, false},
		{FrameMaxPushID, true, false, false},
		{0x21, true, true, true},    // reserved
		{0x5e, true, true, true},    // reserved, N=1: 0x1f+0x21... is 0x40; 0x5e is unknown
		{0x02, false, false, false}, // HTTP/2 PRIORITY
		{0x09, false, false, false}, // HTTP/2 CONTINUATION
		// RFC 9218 §7.2: PRIORITY_UPDATE only on the control stream.
		{FramePriorityUpdateRequest, true, false, false},
		{FramePriorityUpdatePush, true, false, false},
	}
	for _, tt := range tests {
		for _, k := range []struct {
			kind StreamKind
			want bool
		}{{StreamControl, tt.control}, {StreamRequest, tt.request}, {StreamPush, tt.push}} {
			if got := AllowedOn(tt.t, k.kind); got != k.want {
				t.Errorf("AllowedOn(%s %#x, %s) = %v; want %v", tt.t, uint64(tt.t), k.kind, got, k.want)
			}
			err := CheckAllowedOn(tt.t, k.kind)
			if k.want != (err == nil) || (err != nil && !isH3Code(err, ErrH3FrameUnexpected)) {
				t.Errorf("CheckAllowedOn(%s %#x, %s) = %v", tt.t, uint64(tt.t), k.kind, err)
			}
		}
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{FrameData.String(), "data"},
		{FrameHeaders.String(), "headers"},
		{FrameCancelPush.String(), "cancel_push"},
		{FrameSettings.String(), "settings"},
		{FramePushPromise.String(), "push_promise"},
		{FrameGoaway.String(), "goaway"},
		{FrameMaxPushID.String(), "max_push_id"},
		{FramePriorityUpdateRequest.String(), "priority_update"},
		{FramePriorityUpdatePush.String(), "priority_update"},
		{FrameType(0x21).String(), "reserved"},
		{FrameType(0x1f*1000 + 0x21).String(), "reserved"},
		{FrameType(0x02).String(), "reserved"},
		{FrameType(0x2f).String(), "unknown"},
		{SettingQPACKMaxTableCapacity.String(), "SETTINGS_QPACK_MAX_TABLE_CAPACITY"},
		{SettingMaxFieldSectionSize.String(), "SETTINGS_MAX_FIELD_SECTION_SIZE"},
		{SettingQPACKBlockedStreams.String(), "SETTINGS_QPACK_BLOCKED_STREAMS"},
		{SettingEnableConnectProtocol.String(), "SETTINGS_ENABLE_CONNECT_PROTOCOL"},
		{SettingH3Datagram.String(), "SETTINGS_H3_DATAGRAM"},
		{SettingID(0x03).String(), "reserved"},
		{SettingID(0x40).String(), "reserved"},
		{SettingID(0x99).String(), "unknown(0x99)"},
		{StreamTypeControl.String(), "control"},
		{StreamTypePush.String(), "push"},
		{StreamTypeQPACKEncoder.String(), "qpack_encode"},
		{StreamTypeQPACKDecoder.String(), "qpack_decode"},
		{StreamType(0x21).String(), "reserved"},
		{StreamType(0x04).String(), "unknown"},
		{ErrH3NoError.String(), "H3_NO_ERROR"},
		{ErrH3GeneralProtocolError.String(), "H3_GENERAL_PROTOCOL_ERROR"},
		{ErrH3FrameUnexpected.String(), "H3_FRAME_UNEXPECTED"},
		{ErrH3FrameError.String(), "H3_FRAME_ERROR"},
		{ErrH3SettingsError.String(), "H3_SETTINGS_ERROR"},
		{ErrH3MissingSettings.String(), "H3_MISSING_SETTINGS"},
		{ErrH3VersionFallback.String(), "H3_VERSION_FALLBACK"},
		{ErrQPACKDecompressionFailed.String(), "QPACK_DECOMPRESSION_FAILED"},
		{ErrQPACKEncoderStreamError.String(), "QPACK_ENCODER_STREAM_ERROR"},
		{ErrQPACKDecoderStreamError.String(), "QPACK_DECODER_STREAM_ERROR"},
		{ErrorCode(0x21).String(), "H3_RESERVED(0x21)"},
		{ErrorCode(0x111).String(), "H3_UNKNOWN(0x111)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q; want %q", tt.got, tt.want)
		}
	}
}

func TestStreamType(t *testing.T) {
	b := AppendStreamType(nil, StreamTypeQPACKEncoder)
	if !bytes.Equal(b, []byte{0x02}) {
		t.Errorf("AppendStreamType(qpack_encode) = %x; want 02", b)
	}
	if st, n, err := ParseStreamType([]byte{0x40, 0x21, 0xff}); st != 0x21 || n != 2 || err != nil {
		t.Errorf("ParseStreamType(4021ff) = %s, %d, %v; want reserved, 2, nil", st, n, err)
	}
	if _, _, err := ParseStreamType([]byte{0x40}); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("ParseStreamType(40) err = %v; want io.ErrUnexpectedEOF", err)
	}
	tests := []struct {
		t    StreamType
		kind StreamKind
		ok   bool
	}{
		{StreamTypeControl, StreamControl, true},
		{StreamTypePush, StreamPush, true},
		{StreamTypeQPACKEncoder, 0, false},
		{StreamTypeQPACKDecoder, 0, false},
		{0x21, 0, false},
	}
	for _, tt := range tests {
		if k, ok := tt.t.Kind(); k != tt.kind || ok != tt.ok {
			t.Errorf("%s.Kind() = %s, %v; want %s, %v", tt.t, k, ok, tt.kind, tt.ok)
		}
	}
}

func TestFields(t *testing.T) {
	tests := []struct {
		f    Frame
		want []FrameField
	}{
		{&DataFrame{DataLen: 1000}, []FrameField{{"length", "1000"}}},
		{&HeadersFrame{EncodedFieldSection: []byte{0, 0, 0xd1}}, []FrameField{{"length", "3"}}},
		{&SettingsFrame{Settings: []Setting{{SettingQPACKMaxTableCapacity, 4096}, {0x21, 9}}},
			[]FrameField{{"SETTINGS_QPACK_MAX_TABLE_CAPACITY", "4096"}, {"reserved", "9"}}},
		{&GoawayFrame{ID: 8}, []FrameField{{"id", "8"}}},
		{&CancelPushFrame{PushID: 1}, []FrameField{{"push_id", "1"}}},
		{&MaxPushIDFrame{PushID: 2}, []FrameField{{"push_id", "2"}}},
		{&PushPromiseFrame{PushID: 3, EncodedFieldSection: []byte{0, 0}}, []FrameField{{"push_id", "3"}, {"length", "2"}}},
		{&PriorityUpdateFrame{PrioritizedElementID: 4, PriorityFieldValue: "u=1, i"},
			[]FrameField{{"prioritized_element_type", "request_stream"}, {"prioritized_element_id", "4"}, {"priority_field_value", `"u=1, i"`}}},
		{&UnknownFrame{FrameType: 0x21, PayloadLength: 5}, []FrameField{{"frame_type_value", "0x21"}, {"length", "5"}}},
	}
	for _, tt := range tests {
		if got := tt.f.Fields(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s.Fields() = %v; want %v", tt.f.Type(), got, tt.want)
		}
	}
	if v, ok := tests[2].f.(*SettingsFrame).Get(SettingQPACKMaxTableCapacity); v != 4096 || !ok {
		t.Errorf("Get(QPACK_MAX_TABLE_CAPACITY) = %d, %v; want 4096, true", v, ok)
	}
	if _, ok := tests[2].f.(*SettingsFrame).Get(SettingMaxFieldSectionSize); ok {
		t.Errorf("Get(MAX_FIELD_SECTION_SIZE) found a value that is not there")
	}
}

func FuzzParseFrame(f *testing.F) {
	for _, tt := range frameTests {
		f.Add(mustHex(f, tt.hex))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, n, err := ParseFrame(b)
		if err != nil {
			var ce *ConnectionError
			if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.As(err, &ce) {
				t.Fatalf("ParseFrame(%x) error %v is neither io.ErrUnexpectedEOF nor a *ConnectionError", b, err)
			}
			return
		}
		enc := fr.Append(nil)
		if len(enc) != fr.Length() || len(enc) > n {
			t.Fatalf("ParseFrame(%x) read %d bytes; Append wrote %d, Length() %d", b, n, len(enc), fr.Length())
		}
		again, m, err := ParseFrame(enc)
		if err != nil || m != len(enc) || !reflect.DeepEqual(again, fr) {
			t.Fatalf("re-parse of %x = %v, %d, %v; want %v", enc, again, m, err, fr)
		}
	})
}
