package h2

import (
	"bytes"
	"testing"
)

// TestTruncations cuts every valid frame at every length. Each cut must
// fail cleanly: ReadFrame asks for more, and a parser handed a short
// payload reports a FRAME_SIZE_ERROR. A cut frame whose header is
// rewritten to the shorter length is a different frame: it must either
// be rejected with a protocol error or read back to the same octets.
func TestTruncations(t *testing.T) {
	for _, tt := range validFrames() {
		b := tt.f.Append(nil)
		h, err := ParseFrameHeader(b)
		if err != nil {
			t.Fatalf("%s: ParseFrameHeader(%x) = %v", tt.name, b, err)
		}
		for i := range len(b) {
			if f, n, err := ReadFrame(b[:i], MaxFrameSizeLimit); err != ErrIncomplete || f != nil || n != 0 {
				t.Errorf("%s: ReadFrame(first %d of %d octets) = %v, %d, %v; want nil, 0, ErrIncomplete", tt.name, i, len(b), f, n, err)
			}
		}
		payload := b[FrameHeaderLen:]
		for j := range len(payload) {
			f, err := ParseFrame(h, payload[:j])
			if code, conn, _ := ErrorCodeOf(err); f != nil || code != ErrCodeFrameSize || !conn {
				t.Errorf("%s: ParseFrame(%v, %d octets) = %v, %v; want FRAME_SIZE_ERROR", tt.name, h, j, f, err)
			}
			short := h
			short.Length = uint32(j)
			wire := append(short.Append(nil), payload[:j]...)
			f, n, err := ReadFrame(wire, MaxFrameSizeLimit)
			if err != nil {
				if _, _, ok := ErrorCodeOf(err); !ok || f != nil {
					t.Errorf("%s: ReadFrame(%x) = %v, %v; want a ConnError or StreamError", tt.name, wire, f, err)
				}
				continue
			}
			if n != len(wire) {
				t.Errorf("%s: ReadFrame(%x) n = %d; want %d", tt.name, wire, n, len(wire))
			}
			if got := f.Append(nil); !bytes.Equal(got, wire) {
				t.Errorf("%s: ReadFrame(%x).Append() = %x; want the same octets", tt.name, wire, got)
			}
		}
	}
}
