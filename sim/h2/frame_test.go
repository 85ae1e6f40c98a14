package h2

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestFrameHeaderParseAppend(t *testing.T) {
	tests := []struct {
		wire string
		want FrameHeader
	}{
		{"000000 00 00 00000000", FrameHeader{}},
		{"00000d 01 25 00000001", FrameHeader{Length: 13, Type: FrameHeaders, Flags: 0x25, StreamID: 1}},
		{"ffffff ff ff ffffffff", FrameHeader{Length: MaxFrameSizeLimit, Type: 0xff, Flags: 0xff, Reserved: true, StreamID: MaxStreamID}},
		{"012345 04 01 80000000", FrameHeader{Length: 0x012345, Type: FrameSettings, Flags: FlagAck, Reserved: true}},
		{"004000 10 00 00010000", FrameHeader{Length: 1 << 14, Type: FramePriorityUpdate, StreamID: 1 << 16}},
	}
	for _, tt := range tests {
		b := unhex(tt.wire)
		got, err := ParseFrameHeader(b)
		if err != nil || got != tt.want {
			t.Errorf("ParseFrameHeader(%s) = %+v, %v; want %+v", tt.wire, got, err, tt.want)
		}
		if enc := tt.want.Append(nil); !bytes.Equal(enc, b) {
			t.Errorf("%+v.Append() = %x; want %x", tt.want, enc, b)
		}
		for i := range FrameHeaderLen {
			if _, err := ParseFrameHeader(b[:i]); err != ErrIncomplete {
				t.Errorf("ParseFrameHeader(%x) error = %v; want ErrIncomplete", b[:i], err)
			}
		}
	}
}

func TestFrameHeaderAppendPanicsOnHugeLength(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("FrameHeader{Length: 1<<24}.Append did not panic")
		}
	}()
	FrameHeader{Length: 1 << 24}.Append(nil)
}

func TestAppendMasksStreamID(t *testing.T) {
	// §4.1: the reserved bit "MUST remain unset (0x00) when sending".
	f := &RSTStreamFrame{StreamID: 1<<31 | 5, ErrorCode: ErrCodeCancel}
	got := f.Append(nil)
	want := unhex("000004 03 00 00000005 00000008")
	if !bytes.Equal(got, want) {
		t.Errorf("Append(stream 1<<31|5) = %x; want %x", got, want)
	}
}

func TestFrameTypeString(t *testing.T) {
	tests := []struct {
		t    FrameType
		want string
	}{
		{FrameData, "DATA"}, {FrameHeaders, "HEADERS"}, {FramePriority, "PRIORITY"},
		{FrameRSTStream, "RST_STREAM"}, {FrameSettings, "SETTINGS"}, {FramePushPromise, "PUSH_PROMISE"},
		{FramePing, "PING"}, {FrameGoAway, "GOAWAY"}, {FrameWindowUpdate, "WINDOW_UPDATE"},
		{FrameContinuation, "CONTINUATION"}, {FramePriorityUpdate, "PRIORITY_UPDATE"},
		{0x0a, "UNKNOWN_0xa"}, {0xff, "UNKNOWN_0xff"},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("FrameType(%d).String() = %q; want %q", uint8(tt.t), got, tt.want)
		}
		if got, want := tt.t.Known(), !strings.HasPrefix(tt.want, "UNKNOWN"); got != want {
			t.Errorf("FrameType(%d).Known() = %v; want %v", uint8(tt.t), got, want)
		}
	}
}

func TestFlagsNames(t *testing.T) {
	tests := []struct {
		t    FrameType
		f    Flags
		want string
	}{
		{FrameData, FlagEndStream | FlagPadded, "END_STREAM|PADDED"},
		{FrameHeaders, 0x2d, "END_STREAM|END_HEADERS|PADDED|PRIORITY"},
		{FrameSettings, FlagAck, "ACK"},
		{FramePing, FlagAck | 0x80, "ACK|0x80"},
		{FrameData, FlagEndHeaders, "0x4"},
		{FrameGoAway, 0, ""},
		{0xfa, 0x05, "0x1|0x4"},
	}
	for _, tt := range tests {
		if got := tt.f.Names(tt.t); got != tt.want {
			t.Errorf("Flags(%#x).Names(%s) = %q; want %q", uint8(tt.f), tt.t, got, tt.want)
		}
	}
}

func TestErrCodeString(t *testing.T) {
	want := []string{"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
		"SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL",
		"COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY",
		"HTTP_1_1_REQUIRED"}
	for code, w := range want {
		if got := ErrCode(code).String(); got != w {
			t.Errorf("ErrCode(%d).String() = %q; want %q", code, got, w)
		}
	}
	if got := ErrCode(0xe).String(); got != "UNKNOWN_ERROR_0xe" {
		t.Errorf("ErrCode(0xe).String() = %q; want UNKNOWN_ERROR_0xe", got)
	}
}

func TestErrorCodeOf(t *testing.T) {
	tests := []struct {
		err      error
		code     ErrCode
		conn, ok bool
	}{
		{ConnError{Code: ErrCodeFrameSize}, ErrCodeFrameSize, true, true},
		{fmt.Errorf("wrapped: %w", StreamError{StreamID: 3, Code: ErrCodeProtocol}), ErrCodeProtocol, false, true},
		{ErrIncomplete, 0, false, false},
	}
	for _, tt := range tests {
		code, conn, ok := ErrorCodeOf(tt.err)
		if code != tt.code || conn != tt.conn || ok != tt.ok {
			t.Errorf("ErrorCodeOf(%v) = %v, %v, %v; want %v, %v, %v", tt.err, code, conn, ok, tt.code, tt.conn, tt.ok)
		}
	}
}

func TestCheckClientPreface(t *testing.T) {
	full := []byte(ClientPreface + "\x00\x00\x00\x04")
	if got := fmt.Sprintf("%x", ClientPreface); got != "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a" {
		t.Errorf("ClientPreface = %s; want the octets of RFC 9113 §3.4", got)
	}
	tests := []struct {
		in      []byte
		n       int
		wantErr error
	}{
		{full, 24, nil},
		{full[:24], 24, nil},
		{full[:23], 0, ErrIncomplete},
		{nil, 0, ErrIncomplete},
		{[]byte("PRI * HTTP/1.1\r\n"), 0, ConnError{}},
		{[]byte("GET / HTTP/1.1\r\n\r\n"), 0, ConnError{}},
	}
	for _, tt := range tests {
		n, err := CheckClientPreface(tt.in)
		if n != tt.n {
			t.Errorf("CheckClientPreface(%q) n = %d; want %d", tt.in, n, tt.n)
		}
		switch want := tt.wantErr.(type) {
		case nil:
			if err != nil {
				t.Errorf("CheckClientPreface(%q) = %v; want nil", tt.in, err)
			}
		case ConnError:
			if code, conn, _ := ErrorCodeOf(err); !conn || code != ErrCodeProtocol {
				t.Errorf("CheckClientPreface(%q) = %v; want PROTOCOL_ERROR connection error", tt.in, err)
			}
		default:
			if err != want {
				t.Errorf("CheckClientPreface(%q) = %v; want %v", tt.in, err, want)
			}
		}
	}
}

// TestRoundTrip appends every valid frame, compares the octets with the
// hand-computed ones, reads them back and compares the frames.
func TestRoundTrip(t *testing.T) {
	for _, tt := range validFrames() {
		b := tt.f.Append(nil)
		if tt.wire != "" {
			if want := unhex(tt.wire); !bytes.Equal(b, want) {
				t.Errorf("%s: Append() = %x; want %x", tt.name, b, want)
			}
		}
		if got, want := tt.f.PayloadLen(), len(b)-FrameHeaderLen; got != want {
			t.Errorf("%s: PayloadLen() = %d; want %d", tt.name, got, want)
		}
		if got, want := tt.f.Header().Append(nil), b[:FrameHeaderLen]; !bytes.Equal(got, want) {
			t.Errorf("%s: Header().Append() = %x; want %x", tt.name, got, want)
		}
		// Appending to a non-empty slice keeps what was there.
		if got := tt.f.Append([]byte("pre")); !bytes.Equal(got, append([]byte("pre"), b...)) {
			t.Errorf("%s: Append(pre) = %x; want pre+%x", tt.name, got, b)
		}
		input := append(bytes.Clone(b), "trailing"...)
		f, n, err := ReadFrame(input, MaxFrameSizeLimit)
		if err != nil || n != len(b) {
			t.Errorf("%s: ReadFrame(%x) = _, %d, %v; want _, %d, nil", tt.name, b, n, err, len(b))
			continue
		}
		if got, want := canon(f), canon(tt.f); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ReadFrame(%x) = %+v; want %+v", tt.name, b, got, want)
		}
		if got := f.Append(nil); !bytes.Equal(got, b) {
			t.Errorf("%s: re-Append() = %x; want %x", tt.name, got, b)
		}
	}
}

func TestFields(t *testing.T) {
	tests := []struct {
		f    Frame
		want []Field
	}{
		{&HeadersFrame{StreamID: 5, EndHeaders: true, Padded: true, PadLength: 1, HasPriority: true,
			Priority: PriorityParam{Exclusive: true, StreamDependency: 3, Weight: 15}, FieldBlockFragment: unhex("82")},
			[]Field{
				{"Length", "8"}, {"Type", "HEADERS (0x1)"}, {"Flags", "END_HEADERS|PADDED|PRIORITY (0x2c)"},
				{"Stream Identifier", "5"}, {"Pad Length", "1"}, {"Exclusive", "true"},
				{"Stream Dependency", "3"}, {"Weight", "15 (weight 16)"},
				{"Field Block Fragment", "1 octets: 82"}, {"Padding", "1 octets"},
			}},
		{&DataFrame{StreamID: 1, DataLen: 1000, EndStream: true},
			[]Field{{"Length", "1000"}, {"Type", "DATA (0x0)"}, {"Flags", "END_STREAM (0x1)"},
				{"Stream Identifier", "1"}, {"Data", "1000 octets (filler)"}}},
		{&SettingsFrame{Settings: []Setting{{SettingMaxFrameSize, 32768}, {0x4d44, 1}}},
			[]Field{{"Length", "12"}, {"Type", "SETTINGS (0x4)"}, {"Flags", "0x0"}, {"Stream Identifier", "0"},
				{"SETTINGS_MAX_FRAME_SIZE", "32768"}, {"SETTINGS_UNKNOWN_0x4d44", "1"}}},
		{&GoAwayFrame{LastStreamID: 7, ErrorCode: ErrCodeEnhanceYourCalm, AdditionalDebugData: []byte("calm")},
			[]Field{{"Length", "12"}, {"Type", "GOAWAY (0x7)"}, {"Flags", "0x0"}, {"Stream Identifier", "0"},
				{"Last-Stream-ID", "7"}, {"Error Code", "ENHANCE_YOUR_CALM (0xb)"},
				{"Additional Debug Data", `"calm"`}}},
		{&PriorityUpdateFrame{PrioritizedStreamID: 3, PriorityFieldValue: "u=0"},
			[]Field{{"Length", "7"}, {"Type", "PRIORITY_UPDATE (0x10)"}, {"Flags", "0x0"}, {"Stream Identifier", "0"},
				{"Prioritized Stream ID", "3"}, {"Priority Field Value", `"u=0"`}}},
	}
	for _, tt := range tests {
		if got := tt.f.Fields(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%T.Fields() = %q; want %q", tt.f, got, tt.want)
		}
	}
	// Every frame's Fields starts with the four header fields.
	for _, tt := range validFrames() {
		fields := tt.f.Fields()
		if len(fields) < 4 || fields[0].Name != "Length" || fields[3].Name != "Stream Identifier" {
			t.Errorf("%s: Fields() = %q; want the header fields first", tt.name, fields)
		}
	}
}

func TestReadFrameIncompleteAndOversized(t *testing.T) {
	b := (&DataFrame{StreamID: 1, Data: make([]byte, 100)}).Append(nil)
	if _, n, err := ReadFrame(b[:50], DefaultMaxFrameSize); err != ErrIncomplete || n != 0 {
		t.Errorf("ReadFrame(half a frame) = _, %d, %v; want _, 0, ErrIncomplete", n, err)
	}
	// §4.2: the size error is reported as soon as the header is in.
	big := (&DataFrame{StreamID: 1, DataLen: DefaultMaxFrameSize + 1}).Append(nil)
	_, n, err := ReadFrame(big[:FrameHeaderLen], DefaultMaxFrameSize)
	if code, conn, _ := ErrorCodeOf(err); code != ErrCodeFrameSize || !conn || n != 0 {
		t.Errorf("ReadFrame(oversized header) = _, %d, %v; want FRAME_SIZE_ERROR connection error", n, err)
	}
	if _, _, err := ReadFrame(big, DefaultMaxFrameSize+1); err != nil {
		t.Errorf("ReadFrame(frame of exactly max size) = %v; want nil", err)
	}
}

func TestReadFrameStreamErrorSkipsFrame(t *testing.T) {
	// After a stream error the caller resumes after the bad frame.
	bad := unhex("000004 08 00 00000003 00000000") // WINDOW_UPDATE increment 0 on stream 3
	good := (&PingFrame{}).Append(nil)
	_, n, err := ReadFrame(append(bad, good...), DefaultMaxFrameSize)
	var se StreamError
	if !errors.As(err, &se) || se.StreamID != 3 || se.Code != ErrCodeProtocol || n != len(bad) {
		t.Fatalf("ReadFrame(bad WINDOW_UPDATE) = _, %d, %v; want stream 3 PROTOCOL_ERROR, n=%d", n, err, len(bad))
	}
	if _, _, err := ReadFrame(append(bad, good...)[n:], DefaultMaxFrameSize); err != nil {
		t.Errorf("ReadFrame(after the bad frame) = %v; want nil", err)
	}
}

func TestDataHeaderHelpers(t *testing.T) {
	// AppendDataHeader writes what DataFrame.Append writes before the data.
	got := AppendDataHeader(nil, 3, 1000, true)
	want := (&DataFrame{StreamID: 3, EndStream: true, DataLen: 1000}).Append(nil)[:FrameHeaderLen]
	if !bytes.Equal(got, want) {
		t.Errorf("AppendDataHeader(3, 1000, true) = %x; want %x", got, want)
	}
	tests := []struct {
		f DataFrame
	}{
		{DataFrame{StreamID: 1, DataLen: 16384}},
		{DataFrame{StreamID: 1, EndStream: true}},
		{DataFrame{StreamID: 7, Padded: true, PadLength: 9, DataLen: 77}},
		{DataFrame{StreamID: 7, Padded: true, EndStream: true}},
	}
	for _, tt := range tests {
		wire := tt.f.Append(nil)
		head := tt.f.AppendHeader(nil)
		if !bytes.HasPrefix(wire, head) {
			t.Errorf("AppendHeader(%+v) = %x; want a prefix of %x", tt.f, head, wire)
		}
		h, _ := ParseFrameHeader(wire)
		if got, want := DataPrefixLen(h), len(head)-FrameHeaderLen; got != want {
			t.Errorf("DataPrefixLen(%v) = %d; want %d", h, got, want)
		}
		got, err := ParseDataHeader(h, wire[FrameHeaderLen:len(head)])
		if err != nil || !reflect.DeepEqual(got, tt.f) {
			t.Errorf("ParseDataHeader(%v) = %+v, %v; want %+v", h, got, err, tt.f)
		}
		if DataPrefixLen(h) > 0 {
			if _, err := ParseDataHeader(h, nil); err != ErrIncomplete {
				t.Errorf("ParseDataHeader(%v, nil) = %v; want ErrIncomplete", h, err)
			}
		}
	}
}
