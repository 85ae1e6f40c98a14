package updates

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// RFC 6455 §1.3: the key "dGhlIHNhbXBsZSBub25jZQ==" gives the accept value
// "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
func TestAcceptKey(t *testing.T) {
	tests := []struct{ key, want string }{
		{"dGhlIHNhbXBsZSBub25jZQ==", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="},
	}
	for _, tt := range tests {
		if got := AcceptKey(tt.key); got != tt.want {
			t.Errorf("AcceptKey(%q) = %q; want %q", tt.key, got, tt.want)
		}
	}
}

// The payload length's three encodings (RFC 6455 §5.2) at their edges.
func TestFrameHeaderLengths(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{
		{0, "81 00"},
		{125, "81 7d"},
		{126, "81 7e 00 7e"},
		{65535, "81 7e ff ff"},
		{65536, "81 7f 00 00 00 00 00 01 00 00"},
	}
	for _, tt := range tests {
		h := FrameHeader{FIN: true, Opcode: OpText, PayloadLength: tt.n}
		got := AppendFrameHeader(nil, h)
		want := unhex(t, tt.want)
		if !bytes.Equal(got, want) {
			t.Errorf("AppendFrameHeader(len %d) = % x; want % x", tt.n, got, want)
		}
		if h.Len() != len(want) {
			t.Errorf("Len(len %d) = %d; want %d", tt.n, h.Len(), len(want))
		}
		back, n, err := ParseFrameHeader(want)
		if err != nil || n != len(want) || back != h {
			t.Errorf("ParseFrameHeader(% x) = %+v, %d, %v; want %+v, %d, nil", want, back, n, err, h, len(want))
		}
		// The same with a mask: the mask bit and four key bytes follow.
		h.Mask, h.MaskingKey = true, [4]byte{1, 2, 3, 4}
		got = AppendFrameHeader(nil, h)
		want[1] |= 0x80
		want = append(want, 1, 2, 3, 4)
		if !bytes.Equal(got, want) || h.Len() != len(want) {
			t.Errorf("AppendFrameHeader(len %d, masked) = % x (Len %d); want % x", tt.n, got, h.Len(), want)
		}
	}
}

// The examples of RFC 6455 §5.7, byte for byte, both ways.
func TestRFC6455Examples(t *testing.T) {
	hello := []byte("Hello")
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	big := func(n int) []byte { return bytes.Repeat([]byte{0x5a}, n) }
	tests := []struct {
		name string
		wire string // the header, and the payload as the RFC shows it
		f    Frame
	}{
		{"unmasked text", "81 05 48 65 6c 6c 6f", Frame{FrameHeader{FIN: true, Opcode: OpText}, hello}},
		{"masked text", "81 85 37 fa 21 3d 7f 9f 4d 51 58", Frame{FrameHeader{FIN: true, Opcode: OpText, Mask: true, MaskingKey: key}, hello}},
		{"first fragment", "01 03 48 65 6c", Frame{FrameHeader{Opcode: OpText}, []byte("Hel")}},
		{"last fragment", "80 02 6c 6f", Frame{FrameHeader{FIN: true, Opcode: OpContinuation}, []byte("lo")}},
		{"unmasked ping", "89 05 48 65 6c 6c 6f", Frame{FrameHeader{FIN: true, Opcode: OpPing}, hello}},
		{"masked pong", "8a 85 37 fa 21 3d 7f 9f 4d 51 58", Frame{FrameHeader{FIN: true, Opcode: OpPong, Mask: true, MaskingKey: key}, hello}},
		{"256 bytes binary", "82 7e 01 00" + hex.EncodeToString(big(256)), Frame{FrameHeader{FIN: true, Opcode: OpBinary}, big(256)}},
		{"64 KiB binary", "82 7f 00 00 00 00 00 01 00 00" + hex.EncodeToString(big(65536)), Frame{FrameHeader{FIN: true, Opcode: OpBinary}, big(65536)}},
	}
	for _, tt := range tests {
		want := unhex(t, tt.wire)
		got := AppendFrame(nil, tt.f)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: AppendFrame = % x; want % x", tt.name, got[:min(len(got), 16)], want[:min(len(want), 16)])
		}
		f, n, err := ParseFrame(want)
		tt.f.PayloadLength = uint64(len(tt.f.Payload))
		if err != nil || n != len(want) || f.FrameHeader != tt.f.FrameHeader || !bytes.Equal(f.Payload, tt.f.Payload) {
			t.Errorf("%s: ParseFrame = %+v, %d, %v; want %+v, %d, nil", tt.name, f.FrameHeader, n, err, tt.f.FrameHeader, len(want))
		}
		// Every proper prefix is incomplete, never an error or a frame.
		for i := 0; i < len(want); i += 1 + i/8 {
			if _, _, err := ParseFrame(want[:i]); err != ErrShortFrame {
				t.Errorf("%s: ParseFrame(first %d bytes) error = %v; want ErrShortFrame", tt.name, i, err)
			}
		}
	}
}

// Masking is its own inverse, and masking in pieces (as bytes arrive)
// equals masking at once (RFC 6455 §5.3: the key index is the payload
// offset mod 4).
func TestMaskRoundTrip(t *testing.T) {
	key := [4]byte{0xde, 0xad, 0xbe, 0xef}
	orig := []byte(`{"ack":12345} and some more text to mask`)
	whole := bytes.Clone(orig)
	MaskBytes(key, 0, whole)
	if bytes.Equal(whole, orig) {
		t.Fatalf("MaskBytes left the payload unchanged")
	}
	for _, split := range []int{1, 2, 3, 5, 7, 13} {
		pieces := bytes.Clone(orig)
		var pos uint64
		for i := 0; i < len(pieces); i += split {
			pos = MaskBytes(key, pos, pieces[i:min(i+split, len(pieces))])
		}
		if !bytes.Equal(pieces, whole) || pos != uint64(len(orig)) {
			t.Errorf("MaskBytes in pieces of %d = % x (end %d); want % x (end %d)", split, pieces, pos, whole, len(orig))
		}
		MaskBytes(key, 0, pieces)
		if !bytes.Equal(pieces, orig) {
			t.Errorf("unmasking pieces of %d = %q; want %q", split, pieces, orig)
		}
	}
}

func TestParseFrameHeaderErrors(t *testing.T) {
	tests := []struct {
		name string
		wire string
		want error
	}{
		{"16-bit form for 125", "81 7e 00 7d", ErrNonMinimalLength},
		{"64-bit form for 65535", "81 7f 00 00 00 00 00 00 ff ff", ErrNonMinimalLength},
		{"64-bit form with MSB set", "82 7f 80 00 00 00 00 00 00 00", ErrLengthTooLarge},
		{"RSV1 without extension", "c1 00", ErrReservedBits},
		{"RSV3 without extension", "91 00", ErrReservedBits},
		{"reserved data opcode 0x3", "83 00", ErrReservedOpcode},
		{"reserved control opcode 0xB", "8b 00", ErrReservedOpcode},
		{"ping of 126 bytes", "89 7e 00 7e", ErrControlTooLong},
		{"fragmented close", "08 00", ErrControlFragment},
		{"empty", "", ErrShortFrame},
		{"one byte", "81", ErrShortFrame},
		{"extended length cut", "81 7e 01", ErrShortFrame},
		{"masking key cut", "81 85 37 fa", ErrShortFrame},
	}
	for _, tt := range tests {
		_, n, err := ParseFrameHeader(unhex(t, tt.wire))
		if !errors.Is(err, tt.want) || n != 0 {
			t.Errorf("%s: ParseFrameHeader(%s) = %d, %v; want 0, %v", tt.name, tt.wire, n, err, tt.want)
		}
		var fe *FrameError
		if tt.want != ErrShortFrame && (!errors.As(err, &fe) || fe.Code != CloseProtocolError) {
			t.Errorf("%s: error %v is not a FrameError with code 1002", tt.name, err)
		}
	}
}

// RFC 6455 §5.1: servers must not mask, clients must.
func TestCheckMask(t *testing.T) {
	tests := []struct {
		masked, fromClient bool
		want               error
	}{
		{true, true, nil},
		{false, false, nil},
		{false, true, ErrUnmaskedFromClient},
		{true, false, ErrMaskedFromServer},
	}
	for _, tt := range tests {
		if got := CheckMask(FrameHeader{Mask: tt.masked}, tt.fromClient); got != tt.want {
			t.Errorf("CheckMask(masked %v, from client %v) = %v; want %v", tt.masked, tt.fromClient, got, tt.want)
		}
	}
}

func TestOpcodeString(t *testing.T) {
	tests := []struct {
		op      Opcode
		want    string
		control bool
	}{
		{OpContinuation, "continuation", false},
		{OpText, "text", false},
		{OpBinary, "binary", false},
		{OpClose, "close", true},
		{OpPing, "ping", true},
		{OpPong, "pong", true},
		{Opcode(0x3), "reserved(0x3)", false},
		{Opcode(0xB), "reserved(0xB)", true},
	}
	for _, tt := range tests {
		if got := tt.op.String(); got != tt.want || tt.op.IsControl() != tt.control {
			t.Errorf("Opcode(%d) = %q, control %v; want %q, %v", tt.op, got, tt.op.IsControl(), tt.want, tt.control)
		}
	}
}
