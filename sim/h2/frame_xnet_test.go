package h2

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/http2"
)

// Differential tests against golang.org/x/net/http2's Framer, a widely
// deployed HTTP/2 frame codec: what we write it reads identically, and
// what it writes we read identically and re-encode octet for octet.

// readXNet reads the first frame of b with x/net's Framer and converts it
// to this package's types. AllowIllegalReads turns off the Framer's
// CONTINUATION sequencing check (FrameOrder's job here), so that single
// frames can be compared.
func readXNet(b []byte, maxFrameSize uint32) (Frame, error) {
	fr := http2.NewFramer(nil, bytes.NewReader(b))
	fr.AllowIllegalReads = true
	fr.SetMaxReadFrameSize(maxFrameSize)
	xf, err := fr.ReadFrame()
	if err != nil {
		return nil, err
	}
	return fromXNet(xf), nil
}

// fromXNet converts a frame read by x/net to this package's type. x/net
// hides the pad length; it is what remains of the Length.
func fromXNet(xf http2.Frame) Frame {
	h := xf.Header()
	padded := h.Flags.Has(http2.FlagDataPadded) // 0x08 on all three padded types
	padLen := func(rest int) uint8 {
		if !padded {
			return 0
		}
		return uint8(int(h.Length) - 1 - rest)
	}
	switch xf := xf.(type) {
	case *http2.DataFrame:
		return &DataFrame{StreamID: h.StreamID, EndStream: xf.StreamEnded(), Padded: padded,
			PadLength: padLen(len(xf.Data())), Data: bytes.Clone(xf.Data())}
	case *http2.HeadersFrame:
		frag := xf.HeaderBlockFragment()
		f := &HeadersFrame{StreamID: h.StreamID, EndStream: xf.StreamEnded(), EndHeaders: xf.HeadersEnded(),
			Padded: padded, HasPriority: xf.HasPriority(), FieldBlockFragment: bytes.Clone(frag)}
		rest := len(frag)
		if f.HasPriority {
			rest += priorityParamLen
			f.Priority = PriorityParam{Exclusive: xf.Priority.Exclusive, StreamDependency: xf.Priority.StreamDep, Weight: xf.Priority.Weight}
		}
		f.PadLength = padLen(rest)
		return f
	case *http2.PriorityFrame:
		return &PriorityFrame{StreamID: h.StreamID, PriorityParam: PriorityParam{
			Exclusive: xf.Exclusive, StreamDependency: xf.StreamDep, Weight: xf.Weight}}
	case *http2.RSTStreamFrame:
		return &RSTStreamFrame{StreamID: h.StreamID, ErrorCode: ErrCode(xf.ErrCode)}
	case *http2.SettingsFrame:
		f := &SettingsFrame{Ack: xf.IsAck()}
		xf.ForeachSetting(func(s http2.Setting) error {
			f.Settings = append(f.Settings, Setting{SettingID(s.ID), s.Val})
			return nil
		})
		return f
	case *http2.PushPromiseFrame:
		frag := xf.HeaderBlockFragment()
		return &PushPromiseFrame{StreamID: h.StreamID, EndHeaders: xf.HeadersEnded(), Padded: padded,
			PadLength: padLen(4 + len(frag)), PromisedStreamID: xf.PromiseID, FieldBlockFragment: bytes.Clone(frag)}
	case *http2.PingFrame:
		return &PingFrame{Ack: xf.IsAck(), OpaqueData: xf.Data}
	case *http2.GoAwayFrame:
		return &GoAwayFrame{LastStreamID: xf.LastStreamID, ErrorCode: ErrCode(xf.ErrCode),
			AdditionalDebugData: bytes.Clone(xf.DebugData())}
	case *http2.WindowUpdateFrame:
		return &WindowUpdateFrame{StreamID: h.StreamID, WindowSizeIncrement: xf.Increment}
	case *http2.ContinuationFrame:
		return &ContinuationFrame{StreamID: h.StreamID, EndHeaders: xf.HeadersEnded(),
			FieldBlockFragment: bytes.Clone(xf.HeaderBlockFragment())}
	case *http2.PriorityUpdateFrame:
		return &PriorityUpdateFrame{PrioritizedStreamID: xf.PrioritizedStreamID, PriorityFieldValue: xf.Priority}
	case *http2.UnknownFrame:
		return &UnknownFrame{Type: FrameType(h.Type), Flags: Flags(h.Flags), StreamID: h.StreamID,
			Payload: bytes.Clone(xf.Payload())}
	}
	panic("fromXNet: unexpected frame type " + h.Type.String())
}

// TestXNetReadsOurFrames: every frame we write, x/net's Framer reads with
// the same fields.
func TestXNetReadsOurFrames(t *testing.T) {
	for _, tt := range validFrames() {
		b := tt.f.Append(nil)
		got, err := readXNet(b, MaxFrameSizeLimit)
		if err != nil {
			t.Errorf("%s: x/net ReadFrame(%x) = %v; want nil", tt.name, b, err)
			continue
		}
		if !reflect.DeepEqual(canon(got), canon(tt.f)) {
			t.Errorf("%s: x/net ReadFrame(%x) = %+v; want %+v", tt.name, b, canon(got), canon(tt.f))
		}
	}
}

// TestWeReadXNetFrames: every frame x/net's Framer writes, we read with
// the fields it was written with and re-append to the same octets.
func TestWeReadXNetFrames(t *testing.T) {
	data8 := [8]byte{0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3}
	tests := []struct {
		name  string
		write func(*http2.Framer) error
		want  Frame
	}{
		{"WriteData", func(fr *http2.Framer) error { return fr.WriteData(1, true, []byte("hello")) },
			&DataFrame{StreamID: 1, EndStream: true, Data: []byte("hello")}},
		{"WriteData empty", func(fr *http2.Framer) error { return fr.WriteData(3, false, nil) },
			&DataFrame{StreamID: 3}},
		{"WriteDataPadded", func(fr *http2.Framer) error {
			return fr.WriteDataPadded(5, false, []byte("padded body"), make([]byte, 7))
		}, &DataFrame{StreamID: 5, Padded: true, PadLength: 7, Data: []byte("padded body")}},
		{"WriteDataPadded zero pad", func(fr *http2.Framer) error { return fr.WriteDataPadded(5, true, nil, []byte{}) },
			&DataFrame{StreamID: 5, EndStream: true, Padded: true}},
		{"WriteDataPadded 255", func(fr *http2.Framer) error {
			return fr.WriteDataPadded(MaxStreamID, true, []byte{1}, make([]byte, 255))
		}, &DataFrame{StreamID: MaxStreamID, EndStream: true, Padded: true, PadLength: 255, Data: []byte{1}}},
		{"WriteHeaders", func(fr *http2.Framer) error {
			return fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: unhex("828684"), EndStream: true, EndHeaders: true})
		}, &HeadersFrame{StreamID: 1, EndStream: true, EndHeaders: true, FieldBlockFragment: unhex("828684")}},
		{"WriteHeaders padded priority", func(fr *http2.Framer) error {
			return fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 3, BlockFragment: unhex("8287"), EndHeaders: true,
				PadLength: 9, Priority: http2.PriorityParam{StreamDep: 1, Exclusive: true, Weight: 200}})
		}, &HeadersFrame{StreamID: 3, EndHeaders: true, Padded: true, PadLength: 9, HasPriority: true,
			Priority: PriorityParam{Exclusive: true, StreamDependency: 1, Weight: 200}, FieldBlockFragment: unhex("8287")}},
		{"WriteHeaders priority weight only", func(fr *http2.Framer) error {
			return fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 7, BlockFragment: unhex("82"),
				Priority: http2.PriorityParam{Weight: 255}})
		}, &HeadersFrame{StreamID: 7, HasPriority: true, Priority: PriorityParam{Weight: 255}, FieldBlockFragment: unhex("82")}},
		{"WriteHeaders padded only", func(fr *http2.Framer) error {
			return fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 9, BlockFragment: unhex("88"), PadLength: 1, EndHeaders: true})
		}, &HeadersFrame{StreamID: 9, EndHeaders: true, Padded: true, PadLength: 1, FieldBlockFragment: unhex("88")}},
		{"WritePriority", func(fr *http2.Framer) error {
			return fr.WritePriority(5, http2.PriorityParam{StreamDep: 3, Weight: 15})
		}, &PriorityFrame{StreamID: 5, PriorityParam: PriorityParam{StreamDependency: 3, Weight: 15}}},
		{"WritePriority exclusive", func(fr *http2.Framer) error {
			return fr.WritePriority(5, http2.PriorityParam{StreamDep: MaxStreamID, Exclusive: true, Weight: 0})
		}, &PriorityFrame{StreamID: 5, PriorityParam: PriorityParam{Exclusive: true, StreamDependency: MaxStreamID}}},
		{"WriteRSTStream", func(fr *http2.Framer) error { return fr.WriteRSTStream(7, http2.ErrCodeRefusedStream) },
			&RSTStreamFrame{StreamID: 7, ErrorCode: ErrCodeRefusedStream}},
		{"WriteSettings", func(fr *http2.Framer) error {
			return fr.WriteSettings(
				http2.Setting{ID: http2.SettingHeaderTableSize, Val: 65536},
				http2.Setting{ID: http2.SettingEnablePush, Val: 0},
				http2.Setting{ID: http2.SettingMaxConcurrentStreams, Val: 1000},
				http2.Setting{ID: http2.SettingInitialWindowSize, Val: 6291456},
				http2.Setting{ID: http2.SettingMaxFrameSize, Val: 16777215},
				http2.Setting{ID: http2.SettingMaxHeaderListSize, Val: 262144},
				http2.Setting{ID: 0x8, Val: 1},
				http2.Setting{ID: 0x9, Val: 1},
				http2.Setting{ID: 0xabcd, Val: 42},
			)
		}, &SettingsFrame{Settings: []Setting{
			{SettingHeaderTableSize, 65536}, {SettingEnablePush, 0}, {SettingMaxConcurrentStreams, 1000},
			{SettingInitialWindowSize, 6291456}, {SettingMaxFrameSize, 16777215}, {SettingMaxHeaderListSize, 262144},
			{SettingEnableConnectProtocol, 1}, {SettingNoRFC7540Priorities, 1}, {0xabcd, 42},
		}}},
		{"WriteSettings empty", func(fr *http2.Framer) error { return fr.WriteSettings() }, &SettingsFrame{}},
		{"WriteSettingsAck", func(fr *http2.Framer) error { return fr.WriteSettingsAck() }, &SettingsFrame{Ack: true}},
		{"WritePushPromise", func(fr *http2.Framer) error {
			return fr.WritePushPromise(http2.PushPromiseParam{StreamID: 1, PromiseID: 2, BlockFragment: unhex("8287"), EndHeaders: true})
		}, &PushPromiseFrame{StreamID: 1, EndHeaders: true, PromisedStreamID: 2, FieldBlockFragment: unhex("8287")}},
		{"WritePushPromise padded", func(fr *http2.Framer) error {
			return fr.WritePushPromise(http2.PushPromiseParam{StreamID: 3, PromiseID: 4, BlockFragment: unhex("82"), PadLength: 5})
		}, &PushPromiseFrame{StreamID: 3, Padded: true, PadLength: 5, PromisedStreamID: 4, FieldBlockFragment: unhex("82")}},
		{"WritePing", func(fr *http2.Framer) error { return fr.WritePing(false, data8) }, &PingFrame{OpaqueData: data8}},
		{"WritePing ack", func(fr *http2.Framer) error { return fr.WritePing(true, data8) }, &PingFrame{Ack: true, OpaqueData: data8}},
		{"WriteGoAway", func(fr *http2.Framer) error {
			return fr.WriteGoAway(3, http2.ErrCodeEnhanceYourCalm, []byte("slow down"))
		}, &GoAwayFrame{LastStreamID: 3, ErrorCode: ErrCodeEnhanceYourCalm, AdditionalDebugData: []byte("slow down")}},
		{"WriteGoAway no debug", func(fr *http2.Framer) error { return fr.WriteGoAway(0, http2.ErrCodeNo, nil) },
			&GoAwayFrame{}},
		{"WriteWindowUpdate connection", func(fr *http2.Framer) error { return fr.WriteWindowUpdate(0, 1) },
			&WindowUpdateFrame{WindowSizeIncrement: 1}},
		{"WriteWindowUpdate stream", func(fr *http2.Framer) error { return fr.WriteWindowUpdate(3, MaxWindowSize) },
			&WindowUpdateFrame{StreamID: 3, WindowSizeIncrement: MaxWindowSize}},
		{"WriteContinuation", func(fr *http2.Framer) error { return fr.WriteContinuation(1, false, unhex("4188")) },
			&ContinuationFrame{StreamID: 1, FieldBlockFragment: unhex("4188")}},
		{"WriteContinuation end", func(fr *http2.Framer) error { return fr.WriteContinuation(1, true, unhex("84")) },
			&ContinuationFrame{StreamID: 1, EndHeaders: true, FieldBlockFragment: unhex("84")}},
		{"WritePriorityUpdate", func(fr *http2.Framer) error { return fr.WritePriorityUpdate(5, "u=2, i") },
			&PriorityUpdateFrame{PrioritizedStreamID: 5, PriorityFieldValue: "u=2, i"}},
		{"WriteRawFrame PRIORITY_UPDATE", func(fr *http2.Framer) error {
			return fr.WriteRawFrame(http2.FrameType(0x10), 0, 0, append(unhex("00000007"), "u=0"...))
		}, &PriorityUpdateFrame{PrioritizedStreamID: 7, PriorityFieldValue: "u=0"}},
		{"WriteRawFrame unknown", func(fr *http2.Framer) error {
			return fr.WriteRawFrame(http2.FrameType(0xfa), 0xff, 9, []byte("ab"))
		}, &UnknownFrame{Type: 0xfa, Flags: 0xff, StreamID: 9, Payload: []byte("ab")}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := tt.write(http2.NewFramer(&buf, nil)); err != nil {
			t.Fatalf("%s: x/net write: %v", tt.name, err)
		}
		b := buf.Bytes()
		f, n, err := ReadFrame(b, MaxFrameSizeLimit)
		if err != nil || n != len(b) {
			t.Errorf("%s: ReadFrame(%x) = _, %d, %v; want _, %d, nil", tt.name, b, n, err, len(b))
			continue
		}
		if !reflect.DeepEqual(canon(f), canon(tt.want)) {
			t.Errorf("%s: ReadFrame(%x) = %+v; want %+v", tt.name, b, canon(f), canon(tt.want))
		}
		if got := f.Append(nil); !bytes.Equal(got, b) {
			t.Errorf("%s: re-Append() = %x; want x/net's %x", tt.name, got, b)
		}
		if got := tt.want.Append(nil); !bytes.Equal(got, b) {
			t.Errorf("%s: Append(%+v) = %x; want x/net's %x", tt.name, tt.want, got, b)
		}
	}
}

// stricterThanXNet lists the rules we apply that x/net's Framer leaves to
// its caller (or skips): the reasons of our errors that x/net's ReadFrame
// accepts. Any other disagreement is a bug on one side.
var stricterThanXNet = []string{
	"padding contains a non-zero octet", // §6.1 etc.: MAY reject; x/net does not check
	"want 0 or 1",                       // §6.5.2 ENABLE_PUSH, RFC 8441, RFC 9218: x/net checks in its server
	"outside [2^14, 2^24-1]",            // §6.5.2 MAX_FRAME_SIZE: x/net checks in its server
	"PUSH_PROMISE promises stream 0",    // §6.6: x/net checks in its client
	"exceeds 2^31-1",                    // §6.5.2: x/net checks only the first SETTINGS_INITIAL_WINDOW_SIZE
}

// compareWithXNet reads b with both codecs and reports disagreement:
// when we accept, x/net must accept with the same fields; when x/net
// rejects, we must reject; when we reject and x/net accepts, our reason
// must be one of stricterThanXNet.
func compareWithXNet(t *testing.T, b []byte, maxFrameSize uint32) {
	t.Helper()
	ours, _, err := ReadFrame(b, maxFrameSize)
	theirs, xerr := readXNet(b, maxFrameSize)
	if err == ErrIncomplete {
		// x/net reads from an io.Reader and sees EOF.
		if xerr == nil {
			t.Errorf("ReadFrame(%x) = ErrIncomplete but x/net read %+v", b, theirs)
		}
		return
	}
	switch {
	case err == nil && xerr == nil:
		if !reflect.DeepEqual(canon(ours), canon(theirs)) {
			t.Errorf("ReadFrame(%x) = %+v; x/net reads %+v", b, canon(ours), canon(theirs))
		}
	case err == nil:
		t.Errorf("ReadFrame(%x) = %+v, nil; x/net rejects it: %v", b, ours, xerr)
	case xerr == nil:
		var ce ConnError
		if !errors.As(err, &ce) || !containsAny(ce.Reason, stricterThanXNet) {
			t.Errorf("ReadFrame(%x) = %v; x/net accepts it as %+v", b, err, theirs)
		}
	}
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestXNetAgreesOnInvalidFrames runs the invalid-frame table through both
// codecs.
func TestXNetAgreesOnInvalidFrames(t *testing.T) {
	for _, tt := range invalidFrameTests {
		max := tt.max
		if max == 0 {
			max = MaxFrameSizeLimit
		}
		t.Run(tt.name, func(t *testing.T) { compareWithXNet(t, unhex(tt.wire), max) })
	}
}
