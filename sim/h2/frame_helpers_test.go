package h2

import (
	"bytes"
	"encoding/hex"
	"strings"
)

// unhex decodes hexadecimal with spaces and newlines, for hand-written
// frames.
func unhex(s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic(err)
	}
	return b
}

// canon returns a copy of f in a canonical form for comparison: empty byte
// slices are nil, filler DATA is materialised as zeros and DataLen is
// len(Data). Two frames are equal when their canonical forms are
// reflect.DeepEqual.
func canon(f Frame) Frame {
	nilIfEmpty := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		return bytes.Clone(b)
	}
	switch f := f.(type) {
	case *DataFrame:
		c := *f
		if c.Data == nil {
			c.Data = make([]byte, c.DataLen)
		}
		c.Data = nilIfEmpty(c.Data)
		c.DataLen = len(c.Data)
		return &c
	case *HeadersFrame:
		c := *f
		c.FieldBlockFragment = nilIfEmpty(c.FieldBlockFragment)
		return &c
	case *PushPromiseFrame:
		c := *f
		c.FieldBlockFragment = nilIfEmpty(c.FieldBlockFragment)
		return &c
	case *ContinuationFrame:
		c := *f
		c.FieldBlockFragment = nilIfEmpty(c.FieldBlockFragment)
		return &c
	case *GoAwayFrame:
		c := *f
		c.AdditionalDebugData = nilIfEmpty(c.AdditionalDebugData)
		return &c
	case *UnknownFrame:
		c := *f
		c.Payload = nilIfEmpty(c.Payload)
		return &c
	case *SettingsFrame:
		c := *f
		if len(c.Settings) == 0 {
			c.Settings = nil
		}
		return &c
	}
	return f
}

// validFrame is a valid frame with, for some, its encoding computed by
// hand from the RFC 9113 figures.
type validFrame struct {
	name string
	f    Frame
	wire string // hexadecimal; "" when not hand-computed
}

// validFrames returns one or more valid frames of every type this package
// knows, plus an unknown one. Every field that can be set is set in at
// least one of them.
func validFrames() []validFrame {
	return []validFrame{
		{"DATA", &DataFrame{StreamID: 1, EndStream: true, Data: []byte("hello")},
			"000005 00 01 00000001 68656c6c6f"},
		{"DATA padded", &DataFrame{StreamID: 3, Padded: true, PadLength: 2, Data: []byte("hi")},
			"000005 00 08 00000003 02 6869 0000"},
		{"DATA padded zero pad", &DataFrame{StreamID: 3, EndStream: true, Padded: true, Data: []byte("x")},
			"000002 00 09 00000003 00 78"},
		{"DATA empty END_STREAM", &DataFrame{StreamID: 0x7fffffff, EndStream: true},
			"000000 00 01 7fffffff"},
		{"DATA filler", &DataFrame{StreamID: 5, DataLen: 300}, ""},
		{"DATA all padding", &DataFrame{StreamID: 5, Padded: true, PadLength: 255}, ""},
		{"HEADERS", &HeadersFrame{StreamID: 1, EndStream: true, EndHeaders: true, FieldBlockFragment: unhex("828684")},
			"000003 01 05 00000001 828684"},
		{"HEADERS padded priority", &HeadersFrame{StreamID: 5, EndHeaders: true, Padded: true, PadLength: 1,
			HasPriority: true, Priority: PriorityParam{Exclusive: true, StreamDependency: 3, Weight: 15},
			FieldBlockFragment: unhex("82")},
			"000008 01 2c 00000005 01 80000003 0f 82 00"},
		{"HEADERS priority only", &HeadersFrame{StreamID: 7, HasPriority: true,
			Priority: PriorityParam{StreamDependency: 0x7fffffff, Weight: 255}, FieldBlockFragment: unhex("8286")}, ""},
		{"HEADERS empty fragment", &HeadersFrame{StreamID: 9}, "000000 01 00 00000009"},
		{"PRIORITY", &PriorityFrame{StreamID: 7, PriorityParam: PriorityParam{StreamDependency: 1, Weight: 255}},
			"000005 02 00 00000007 00000001 ff"},
		{"PRIORITY exclusive", &PriorityFrame{StreamID: 3, PriorityParam: PriorityParam{Exclusive: true, Weight: 0}},
			"000005 02 00 00000003 80000000 00"},
		{"RST_STREAM", &RSTStreamFrame{StreamID: 1, ErrorCode: ErrCodeCancel},
			"000004 03 00 00000001 00000008"},
		{"RST_STREAM unknown code", &RSTStreamFrame{StreamID: 2, ErrorCode: 0xdeadbeef}, ""},
		{"SETTINGS", &SettingsFrame{Settings: []Setting{{SettingMaxConcurrentStreams, 100}, {SettingInitialWindowSize, 65535}}},
			"00000c 04 00 00000000 0003 00000064 0004 0000ffff"},
		{"SETTINGS empty", &SettingsFrame{}, "000000 04 00 00000000"},
		{"SETTINGS ACK", &SettingsFrame{Ack: true}, "000000 04 01 00000000"},
		{"SETTINGS all", &SettingsFrame{Settings: []Setting{
			{SettingHeaderTableSize, 0}, {SettingEnablePush, 0}, {SettingMaxConcurrentStreams, 0},
			{SettingInitialWindowSize, MaxWindowSize}, {SettingMaxFrameSize, MaxFrameSizeLimit},
			{SettingMaxHeaderListSize, 0xffffffff}, {SettingEnableConnectProtocol, 1},
			{SettingNoRFC7540Priorities, 1}, {0x4d44, 0xffffffff}, {SettingMaxFrameSize, DefaultMaxFrameSize},
		}}, ""},
		{"PUSH_PROMISE", &PushPromiseFrame{StreamID: 1, EndHeaders: true, PromisedStreamID: 2, FieldBlockFragment: unhex("82")},
			"000005 05 04 00000001 00000002 82"},
		{"PUSH_PROMISE padded", &PushPromiseFrame{StreamID: 3, Padded: true, PadLength: 3, PromisedStreamID: 0x7ffffffe,
			FieldBlockFragment: unhex("8287")}, "00000a 05 08 00000003 03 7ffffffe 8287 000000"},
		{"PING", &PingFrame{Ack: true, OpaqueData: [8]byte{1, 2, 3, 4, 5, 6, 7, 8}},
			"000008 06 01 00000000 0102030405060708"},
		{"PING request", &PingFrame{OpaqueData: [8]byte{0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0}}, ""},
		{"GOAWAY", &GoAwayFrame{LastStreamID: 5, ErrorCode: ErrCodeProtocol, AdditionalDebugData: []byte("x")},
			"000009 07 00 00000000 00000005 00000001 78"},
		{"GOAWAY graceful", &GoAwayFrame{LastStreamID: MaxStreamID}, "000008 07 00 00000000 7fffffff 00000000"},
		{"WINDOW_UPDATE connection", &WindowUpdateFrame{WindowSizeIncrement: 983041},
			"000004 08 00 00000000 000f0001"},
		{"WINDOW_UPDATE stream max", &WindowUpdateFrame{StreamID: 1, WindowSizeIncrement: MaxWindowSize},
			"000004 08 00 00000001 7fffffff"},
		{"CONTINUATION", &ContinuationFrame{StreamID: 1, EndHeaders: true, FieldBlockFragment: unhex("84")},
			"000001 09 04 00000001 84"},
		{"CONTINUATION more", &ContinuationFrame{StreamID: 3, FieldBlockFragment: unhex("418aa0e41d139d09b8f01e07")}, ""},
		{"PRIORITY_UPDATE", &PriorityUpdateFrame{PrioritizedStreamID: 1, PriorityFieldValue: "u=1"},
			"000007 10 00 00000000 00000001 753d31"},
		{"PRIORITY_UPDATE incremental", &PriorityUpdateFrame{PrioritizedStreamID: 11, PriorityFieldValue: "u=5, i"}, ""},
		{"PRIORITY_UPDATE empty value", &PriorityUpdateFrame{PrioritizedStreamID: 3}, ""},
		{"unknown", &UnknownFrame{Type: 0xfa, Flags: 0xff, StreamID: 9, Payload: []byte("ab")},
			"000002 fa ff 00000009 6162"},
		{"unknown ALTSVC", &UnknownFrame{Type: 0x0a, StreamID: 0, Payload: unhex("000568322e6f7267")}, ""},
		{"unknown empty", &UnknownFrame{Type: 0x11, Flags: 0x01, StreamID: 0}, ""},
	}
}
