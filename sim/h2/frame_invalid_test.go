package h2

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// conn in invalidFrameTests means a connection error is wanted.
const conn = 0

// invalidFrameTests are frames that break a rule of RFC 9113 (or RFC 9218,
// RFC 8441), with the error code and scope a receiver must report: a
// connection error (stream == conn) or a stream error on stream.
var invalidFrameTests = []struct {
	name   string
	wire   string
	max    uint32 // SETTINGS_MAX_FRAME_SIZE; 0 means MaxFrameSizeLimit
	code   ErrCode
	stream uint32
}{
	// §4.2
	{"DATA over max frame size", "004001 00 00 00000001", DefaultMaxFrameSize, ErrCodeFrameSize, conn},
	{"SETTINGS over max frame size", "004006 04 00 00000000", DefaultMaxFrameSize, ErrCodeFrameSize, conn},
	// §6.1
	{"DATA on stream 0", "000001 00 00 00000000 61", 0, ErrCodeProtocol, conn},
	{"DATA PADDED without Pad Length", "000000 00 08 00000001", 0, ErrCodeFrameSize, conn},
	{"DATA padding longer than payload", "000003 00 08 00000001 03 0000", 0, ErrCodeProtocol, conn},
	{"DATA padding equal to payload", "000001 00 08 00000001 01", 0, ErrCodeProtocol, conn},
	{"DATA non-zero padding", "000003 00 08 00000001 01 61 01", 0, ErrCodeProtocol, conn},
	// §6.2
	{"HEADERS on stream 0", "000001 01 04 00000000 82", 0, ErrCodeProtocol, conn},
	{"HEADERS PADDED without Pad Length", "000000 01 0c 00000001", 0, ErrCodeFrameSize, conn},
	{"HEADERS PRIORITY fields short", "000004 01 24 00000001 00000000", 0, ErrCodeFrameSize, conn},
	{"HEADERS padding over priority fields", "000006 01 28 00000001 01 00000000 10", 0, ErrCodeProtocol, conn},
	{"HEADERS padding too long", "000004 01 08 00000001 04 8286 00", 0, ErrCodeProtocol, conn},
	{"HEADERS non-zero padding", "000003 01 08 00000001 01 82 ff", 0, ErrCodeProtocol, conn},
	// §6.3
	{"PRIORITY on stream 0", "000005 02 00 00000000 00000001 10", 0, ErrCodeProtocol, conn},
	{"PRIORITY length 4", "000004 02 00 00000003 00000001", 0, ErrCodeFrameSize, 3},
	{"PRIORITY length 6", "000006 02 00 00000003 00000001 10 00", 0, ErrCodeFrameSize, 3},
	// §6.4
	{"RST_STREAM on stream 0", "000004 03 00 00000000 00000008", 0, ErrCodeProtocol, conn},
	{"RST_STREAM length 3", "000003 03 00 00000001 000008", 0, ErrCodeFrameSize, conn},
	{"RST_STREAM length 5", "000005 03 00 00000001 00000008 00", 0, ErrCodeFrameSize, conn},
	// §6.5, §6.5.2
	{"SETTINGS on stream 1", "000000 04 00 00000001", 0, ErrCodeProtocol, conn},
	{"SETTINGS ACK with payload", "000006 04 01 00000000 0003 00000064", 0, ErrCodeFrameSize, conn},
	{"SETTINGS length 5", "000005 04 00 00000000 0003 000000", 0, ErrCodeFrameSize, conn},
	{"SETTINGS length 7", "000007 04 00 00000000 0003 00000064 00", 0, ErrCodeFrameSize, conn},
	{"SETTINGS_ENABLE_PUSH 2", "000006 04 00 00000000 0002 00000002", 0, ErrCodeProtocol, conn},
	{"SETTINGS_INITIAL_WINDOW_SIZE 2^31", "000006 04 00 00000000 0004 80000000", 0, ErrCodeFlowControl, conn},
	{"SETTINGS_MAX_FRAME_SIZE 2^14-1", "000006 04 00 00000000 0005 00003fff", 0, ErrCodeProtocol, conn},
	{"SETTINGS_MAX_FRAME_SIZE 2^24", "000006 04 00 00000000 0005 01000000", 0, ErrCodeProtocol, conn},
	{"SETTINGS_ENABLE_CONNECT_PROTOCOL 2", "000006 04 00 00000000 0008 00000002", 0, ErrCodeProtocol, conn},
	{"SETTINGS_NO_RFC7540_PRIORITIES 2", "000006 04 00 00000000 0009 00000002", 0, ErrCodeProtocol, conn},
	{"SETTINGS bad value after good", "00000c 04 00 00000000 0003 00000064 0004 ffffffff", 0, ErrCodeFlowControl, conn},
	// §6.6
	{"PUSH_PROMISE on stream 0", "000005 05 04 00000000 00000002 82", 0, ErrCodeProtocol, conn},
	{"PUSH_PROMISE Promised Stream ID short", "000003 05 04 00000001 000002", 0, ErrCodeFrameSize, conn},
	{"PUSH_PROMISE PADDED without Pad Length", "000000 05 08 00000001", 0, ErrCodeFrameSize, conn},
	{"PUSH_PROMISE padding too long", "000006 05 0c 00000001 02 00000002 82", 0, ErrCodeProtocol, conn},
	{"PUSH_PROMISE non-zero padding", "000007 05 0c 00000001 01 00000002 82 07", 0, ErrCodeProtocol, conn},
	{"PUSH_PROMISE promises stream 0", "000004 05 04 00000001 80000000", 0, ErrCodeProtocol, conn},
	// §6.7
	{"PING on stream 1", "000008 06 00 00000001 0000000000000000", 0, ErrCodeProtocol, conn},
	{"PING length 7", "000007 06 00 00000000 00000000000000", 0, ErrCodeFrameSize, conn},
	{"PING length 9", "000009 06 01 00000000 000000000000000000", 0, ErrCodeFrameSize, conn},
	// §6.8
	{"GOAWAY on stream 1", "000008 07 00 00000001 00000000 00000000", 0, ErrCodeProtocol, conn},
	{"GOAWAY length 7", "000007 07 00 00000000 00000000 000000", 0, ErrCodeFrameSize, conn},
	// §6.9
	{"WINDOW_UPDATE length 3", "000003 08 00 00000001 000001", 0, ErrCodeFrameSize, conn},
	{"WINDOW_UPDATE length 5", "000005 08 00 00000000 00000001 00", 0, ErrCodeFrameSize, conn},
	{"WINDOW_UPDATE 0 on connection", "000004 08 00 00000000 00000000", 0, ErrCodeProtocol, conn},
	{"WINDOW_UPDATE 0 on stream", "000004 08 00 00000005 00000000", 0, ErrCodeProtocol, 5},
	{"WINDOW_UPDATE 0 with reserved bit", "000004 08 00 00000005 80000000", 0, ErrCodeProtocol, 5},
	// §6.10
	{"CONTINUATION on stream 0", "000001 09 04 00000000 84", 0, ErrCodeProtocol, conn},
	// RFC 9218 §7.1
	{"PRIORITY_UPDATE on stream 1", "000004 10 00 00000001 00000001", 0, ErrCodeProtocol, conn},
	{"PRIORITY_UPDATE length 3", "000003 10 00 00000000 000001", 0, ErrCodeFrameSize, conn},
	{"PRIORITY_UPDATE for stream 0", "000005 10 00 00000000 00000000 69", 0, ErrCodeProtocol, conn},
	{"PRIORITY_UPDATE for stream 0 with R", "000004 10 00 00000000 80000000", 0, ErrCodeProtocol, conn},
}

// TestInvalidFrames reads frames that break a rule and checks the error
// code and its scope.
func TestInvalidFrames(t *testing.T) {
	tests := invalidFrameTests
	for _, tt := range tests {
		b := unhex(tt.wire)
		max := tt.max
		if max == 0 {
			max = MaxFrameSizeLimit
		}
		f, _, err := ReadFrame(b, max)
		if f != nil {
			t.Errorf("%s: ReadFrame(%x) frame = %+v; want nil", tt.name, b, f)
		}
		var ce ConnError
		var se StreamError
		switch {
		case errors.As(err, &ce):
			if tt.stream != conn || ce.Code != tt.code {
				t.Errorf("%s: ReadFrame(%x) = %v; want %v on stream %d", tt.name, b, err, tt.code, tt.stream)
			}
		case errors.As(err, &se):
			if tt.stream != se.StreamID || se.Code != tt.code {
				t.Errorf("%s: ReadFrame(%x) = %v; want %v on stream %d", tt.name, b, err, tt.code, tt.stream)
			}
		default:
			t.Errorf("%s: ReadFrame(%x) = %v; want %v on stream %d", tt.name, b, err, tt.code, tt.stream)
		}
	}
}

// TestIgnoredBits checks that what §4.1 says to ignore on receipt — the
// reserved bit, unused flags — and the reserved bits inside payloads are
// ignored: the frame reads as if they were unset, and re-appends without
// them.
func TestIgnoredBits(t *testing.T) {
	tests := []struct {
		name  string
		wire  string // with ignored bits set
		clean string // the same frame without them
	}{
		{"DATA R bit and unused flags", "000001 00 f6 80000001 61", "000001 00 00 00000001 61"},
		{"HEADERS unused flags", "000001 01 d2 00000001 82", "000001 01 00 00000001 82"},
		{"PRIORITY flags", "000005 02 ff 00000001 00000003 10", "000005 02 00 00000001 00000003 10"},
		{"RST_STREAM flags and R", "000004 03 01 80000001 00000000", "000004 03 00 00000001 00000000"},
		{"SETTINGS unused flags", "000000 04 fe 00000000", "000000 04 00 00000000"},
		{"SETTINGS unknown setting kept", "000006 04 00 00000000 ffff ffffffff", "000006 04 00 00000000 ffff ffffffff"},
		{"PUSH_PROMISE reserved bit of Promised Stream ID", "000004 05 04 00000001 80000002", "000004 05 04 00000001 00000002"},
		{"PING unused flags", "000008 06 fe 80000000 0102030405060708", "000008 06 00 00000000 0102030405060708"},
		{"GOAWAY reserved bit of Last-Stream-ID", "000008 07 00 00000000 80000003 00000000", "000008 07 00 00000000 00000003 00000000"},
		{"WINDOW_UPDATE reserved bit of increment", "000004 08 00 00000003 80000010", "000004 08 00 00000003 00000010"},
		{"CONTINUATION unused flags", "000001 09 fb 00000001 84", "000001 09 00 00000001 84"},
		{"PRIORITY_UPDATE reserved and flags", "000004 10 ff 80000000 80000005", "000004 10 00 00000000 00000005"},
		{"unknown type keeps flags, drops R", "000001 fe ff 80000007 00", "000001 fe ff 00000007 00"},
	}
	for _, tt := range tests {
		b, clean := unhex(tt.wire), unhex(tt.clean)
		f, _, err := ReadFrame(b, MaxFrameSizeLimit)
		if err != nil {
			t.Errorf("%s: ReadFrame(%x) = %v; want nil", tt.name, b, err)
			continue
		}
		g, _, err := ReadFrame(clean, MaxFrameSizeLimit)
		if err != nil {
			t.Errorf("%s: ReadFrame(%x) = %v; want nil", tt.name, clean, err)
			continue
		}
		if !reflect.DeepEqual(canon(f), canon(g)) {
			t.Errorf("%s: ReadFrame(%x) = %+v; want %+v", tt.name, b, f, g)
		}
		if got := f.Append(nil); !bytes.Equal(got, clean) {
			t.Errorf("%s: Append() = %x; want %x", tt.name, got, clean)
		}
	}
}
