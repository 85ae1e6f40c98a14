package h2

import "testing"

func TestFrameOrder(t *testing.T) {
	hdr := func(typ FrameType, flags Flags, stream uint32) FrameHeader {
		return FrameHeader{Type: typ, Flags: flags, StreamID: stream}
	}
	tests := []struct {
		name   string
		frames []FrameHeader
		bad    int // index of the first frame Check must reject; -1 for none
		open   []uint32
	}{
		{"HEADERS with END_HEADERS, then anything",
			[]FrameHeader{hdr(FrameHeaders, FlagEndHeaders, 1), hdr(FramePing, 0, 0), hdr(FrameData, 0, 1)},
			-1, []uint32{0, 0, 0}},
		{"HEADERS, CONTINUATION, CONTINUATION with END_HEADERS",
			[]FrameHeader{hdr(FrameHeaders, FlagEndStream, 1), hdr(FrameContinuation, 0, 1),
				hdr(FrameContinuation, FlagEndHeaders, 1), hdr(FrameData, 0, 1)},
			-1, []uint32{1, 1, 0, 0}},
		{"PUSH_PROMISE then CONTINUATION",
			[]FrameHeader{hdr(FramePushPromise, 0, 3), hdr(FrameContinuation, FlagEndHeaders, 3)},
			-1, []uint32{3, 0}},
		{"DATA inside a field block (§6.2)",
			[]FrameHeader{hdr(FrameHeaders, 0, 1), hdr(FrameData, 0, 1)}, 1, []uint32{1}},
		{"CONTINUATION of another stream (§6.10)",
			[]FrameHeader{hdr(FrameHeaders, 0, 1), hdr(FrameContinuation, FlagEndHeaders, 3)}, 1, []uint32{1}},
		{"PRIORITY inside a field block (§6.3)",
			[]FrameHeader{hdr(FrameHeaders, 0, 1), hdr(FramePriority, 0, 1)}, 1, []uint32{1}},
		{"extension frame inside a field block (§5.5)",
			[]FrameHeader{hdr(FramePushPromise, FlagPadded, 1), hdr(0xfa, 0, 0)}, 1, []uint32{1}},
		{"CONTINUATION with nothing open (§6.10)",
			[]FrameHeader{hdr(FrameContinuation, FlagEndHeaders, 1)}, 0, nil},
		{"CONTINUATION after the block ended",
			[]FrameHeader{hdr(FrameHeaders, FlagEndHeaders, 1), hdr(FrameContinuation, FlagEndHeaders, 1)}, 1, []uint32{0}},
	}
	for _, tt := range tests {
		var o FrameOrder
		for i, h := range tt.frames {
			err := o.Check(h)
			if i == tt.bad {
				if code, conn, _ := ErrorCodeOf(err); code != ErrCodeProtocol || !conn {
					t.Errorf("%s: Check(%v) = %v; want a PROTOCOL_ERROR connection error", tt.name, h, err)
				}
				break
			}
			if err != nil {
				t.Errorf("%s: Check(%v) = %v; want nil", tt.name, h, err)
				break
			}
			if got := o.Open(); got != tt.open[i] {
				t.Errorf("%s: after Check(%v) Open() = %d; want %d", tt.name, h, got, tt.open[i])
			}
		}
	}
}
