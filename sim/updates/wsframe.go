package updates

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Opcode is a WebSocket frame's opcode (RFC 6455 §5.2, §11.8).
type Opcode uint8

// Opcodes defined by RFC 6455 §5.2. 0x3–0x7 are reserved for further
// non-control frames and 0xB–0xF for further control frames.
const (
	OpContinuation Opcode = 0x0
	OpText         Opcode = 0x1
	OpBinary       Opcode = 0x2
	OpClose        Opcode = 0x8
	OpPing         Opcode = 0x9
	OpPong         Opcode = 0xA
)

// String names the opcode as RFC 6455 §11.8's registry does, in lower case.
func (o Opcode) String() string {
	switch o {
	case OpContinuation:
		return "continuation"
	case OpText:
		return "text"
	case OpBinary:
		return "binary"
	case OpClose:
		return "close"
	case OpPing:
		return "ping"
	case OpPong:
		return "pong"
	}
	return fmt.Sprintf("reserved(0x%X)", uint8(o))
}

// IsControl reports whether o is a control opcode: the most significant
// bit of the opcode is set (RFC 6455 §5.5).
func (o Opcode) IsControl() bool { return o&0x8 != 0 }

// defined reports whether RFC 6455 gives o a meaning.
func (o Opcode) defined() bool {
	switch o {
	case OpContinuation, OpText, OpBinary, OpClose, OpPing, OpPong:
		return true
	}
	return false
}

// CloseCode is a WebSocket status code, the first two bytes of a Close
// frame's body: why the endpoint closes, normally (1000) or failing the
// connection (RFC 6455 §5.5.1, §7.4.1).
type CloseCode uint16

// Status codes of RFC 6455 §7.4.1.
const (
	CloseNormal          CloseCode = 1000
	CloseGoingAway       CloseCode = 1001
	CloseProtocolError   CloseCode = 1002
	CloseUnsupportedData CloseCode = 1003
	CloseInvalidPayload  CloseCode = 1007
	ClosePolicyViolation CloseCode = 1008
	CloseMessageTooBig   CloseCode = 1009
	CloseMandatoryExt    CloseCode = 1010
	CloseInternalError   CloseCode = 1011

	// Codes an endpoint MUST NOT send (RFC 6455 §7.4.1): 1004 is
	// reserved; 1005 and 1006 stand, for the application, for a Close
	// with no status code and for a connection lost with no Close at
	// all; 1015 for a failed TLS handshake.
	CloseReserved     CloseCode = 1004
	CloseNoStatus     CloseCode = 1005
	CloseAbnormal     CloseCode = 1006
	CloseTLSHandshake CloseCode = 1015
)

// String names the status code as RFC 6455 §7.4.1 describes it.
func (c CloseCode) String() string {
	switch c {
	case CloseNormal:
		return "normal closure"
	case CloseGoingAway:
		return "going away"
	case CloseProtocolError:
		return "protocol error"
	case CloseUnsupportedData:
		return "unsupported data"
	case CloseInvalidPayload:
		return "invalid frame payload data"
	case ClosePolicyViolation:
		return "policy violation"
	case CloseMessageTooBig:
		return "message too big"
	case CloseMandatoryExt:
		return "mandatory extension"
	case CloseInternalError:
		return "internal error"
	case CloseReserved:
		return "reserved"
	case CloseNoStatus:
		return "no status received"
	case CloseAbnormal:
		return "abnormal closure"
	case CloseTLSHandshake:
		return "TLS handshake"
	}
	return fmt.Sprintf("status %d", uint16(c))
}

// FrameError is a frame that breaks RFC 6455: the receiver must fail the
// WebSocket connection (§7.1.7), closing with Code.
type FrameError struct {
	Code   CloseCode
	Reason string
}

// Error names the rule broken and the status code to close with.
func (e *FrameError) Error() string {
	return fmt.Sprintf("websocket: %s (%d %s)", e.Reason, uint16(e.Code), e.Code)
}

// Errors a frame parser returns. ErrShortFrame is not a violation: the bytes
// so far are a valid prefix and more are needed. The others are FrameErrors.
var (
	ErrShortFrame = errors.New("websocket: incomplete frame")

	// RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode
	// the length".
	ErrNonMinimalLength error = &FrameError{CloseProtocolError, "payload length not in its minimal encoding (RFC 6455 §5.2)"}
	// RFC 6455 §5.2: with the 64-bit form, "the most significant bit MUST
	// be 0".
	ErrLengthTooLarge error = &FrameError{CloseProtocolError, "64-bit payload length with its most significant bit set (RFC 6455 §5.2)"}
	// RFC 6455 §5.2: RSV1-3 "MUST be 0 unless an extension is negotiated";
	// none is here.
	ErrReservedBits error = &FrameError{CloseProtocolError, "reserved bits set with no extension negotiated (RFC 6455 §5.2)"}
	// RFC 6455 §5.2: a reserved opcode fails the connection.
	ErrReservedOpcode error = &FrameError{CloseProtocolError, "reserved opcode (RFC 6455 §5.2)"}
	// RFC 6455 §5.5: control frames carry at most 125 bytes and "MUST NOT
	// be fragmented".
	ErrControlTooLong     error = &FrameError{CloseProtocolError, "control frame payload longer than 125 bytes (RFC 6455 §5.5)"}
	ErrControlFragment    error = &FrameError{CloseProtocolError, "fragmented control frame (RFC 6455 §5.5)"}
	ErrUnmaskedFromClient error = &FrameError{CloseProtocolError, "unmasked frame from a client (RFC 6455 §5.1)"}
	ErrMaskedFromServer   error = &FrameError{CloseProtocolError, "masked frame from a server (RFC 6455 §5.1)"}
)

// FrameHeader is the fixed part of a WebSocket frame (RFC 6455 §5.2): the
// fields of the base framing protocol, named as the RFC names them.
type FrameHeader struct {
	FIN              bool
	RSV1, RSV2, RSV3 bool
	Opcode           Opcode
	// Mask says whether the payload is masked with MaskingKey (every
	// client-to-server frame, no server-to-client frame: §5.1).
	Mask          bool
	MaskingKey    [4]byte
	PayloadLength uint64
}

// Header length bounds (RFC 6455 §5.2): two bytes, an extended length of 2
// or 8 bytes, and a 4-byte masking key.
const (
	minHeaderLen = 2
	maxHeaderLen = 14
	// maxControlPayload is the control frames' payload limit (§5.5).
	maxControlPayload = 125
)

// Len is the number of bytes the header takes on the wire.
func (h FrameHeader) Len() int {
	n := minHeaderLen
	switch {
	case h.PayloadLength > 0xFFFF:
		n += 8
	case h.PayloadLength > 125:
		n += 2
	}
	if h.Mask {
		n += 4
	}
	return n
}

// AppendFrameHeader appends h in the wire format of RFC 6455 §5.2, with the
// payload length in its minimal encoding: 7 bits up to 125, 126 and 16 bits
// up to 65535, 127 and 64 bits above. h.PayloadLength must be below 2^63.
func AppendFrameHeader(dst []byte, h FrameHeader) []byte {
	b0 := byte(h.Opcode & 0x0F)
	if h.FIN {
		b0 |= 0x80
	}
	if h.RSV1 {
		b0 |= 0x40
	}
	if h.RSV2 {
		b0 |= 0x20
	}
	if h.RSV3 {
		b0 |= 0x10
	}
	var b1 byte
	if h.Mask {
		b1 = 0x80
	}
	switch n := h.PayloadLength; {
	case n <= 125:
		dst = append(dst, b0, b1|byte(n))
	case n <= 0xFFFF:
		dst = append(dst, b0, b1|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(n))
	default:
		dst = append(dst, b0, b1|127)
		dst = binary.BigEndian.AppendUint64(dst, n)
	}
	if h.Mask {
		dst = append(dst, h.MaskingKey[:]...)
	}
	return dst
}

// headerLen returns the length of a header whose second byte is b1 (the
// length code and the mask bit decide it).
func headerLen(b1 byte) int {
	n := minHeaderLen
	switch b1 & 0x7F {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if b1&0x80 != 0 {
		n += 4
	}
	return n
}

// ParseFrameHeader parses the frame header at the start of b and returns it
// with its length. It returns ErrShortFrame if b ends inside the header,
// and a FrameError for a header RFC 6455 forbids whatever the direction
// (which end may mask is for the receiver to check, see CheckMask).
func ParseFrameHeader(b []byte) (FrameHeader, int, error) {
	var h FrameHeader
	if len(b) < minHeaderLen {
		return h, 0, ErrShortFrame
	}
	n := headerLen(b[1])
	if len(b) < n {
		return h, 0, ErrShortFrame
	}
	h.FIN = b[0]&0x80 != 0
	h.RSV1 = b[0]&0x40 != 0
	h.RSV2 = b[0]&0x20 != 0
	h.RSV3 = b[0]&0x10 != 0
	h.Opcode = Opcode(b[0] & 0x0F)
	h.Mask = b[1]&0x80 != 0
	i := minHeaderLen
	switch l := b[1] & 0x7F; l {
	case 126:
		h.PayloadLength = uint64(binary.BigEndian.Uint16(b[i:]))
		i += 2
		if h.PayloadLength <= 125 {
			return h, 0, ErrNonMinimalLength
		}
	case 127:
		h.PayloadLength = binary.BigEndian.Uint64(b[i:])
		i += 8
		if h.PayloadLength>>63 != 0 {
			return h, 0, ErrLengthTooLarge
		}
		if h.PayloadLength <= 0xFFFF {
			return h, 0, ErrNonMinimalLength
		}
	default:
		h.PayloadLength = uint64(l)
	}
	if h.Mask {
		copy(h.MaskingKey[:], b[i:i+4])
	}
	switch {
	case h.RSV1 || h.RSV2 || h.RSV3:
		return h, 0, ErrReservedBits
	case !h.Opcode.defined():
		return h, 0, ErrReservedOpcode
	case h.Opcode.IsControl() && h.PayloadLength > maxControlPayload:
		return h, 0, ErrControlTooLong
	case h.Opcode.IsControl() && !h.FIN:
		return h, 0, ErrControlFragment
	}
	return h, n, nil
}

// CheckMask applies RFC 6455 §5.1: a server must fail the connection on an
// unmasked frame, a client on a masked one. fromClient says who sent h.
func CheckMask(h FrameHeader, fromClient bool) error {
	switch {
	case fromClient && !h.Mask:
		return ErrUnmaskedFromClient
	case !fromClient && h.Mask:
		return ErrMaskedFromServer
	}
	return nil
}

// MaskBytes XORs b in place with key, b being the payload bytes from offset
// pos on (RFC 6455 §5.3: octet i is XORed with key octet i mod 4). Masking
// and unmasking are the same operation. It returns the offset after b.
func MaskBytes(key [4]byte, pos uint64, b []byte) uint64 {
	for i := range b {
		b[i] ^= key[(pos+uint64(i))&3]
	}
	return pos + uint64(len(b))
}

// Frame is a whole frame: its header and its payload, unmasked.
type Frame struct {
	FrameHeader
	Payload []byte
}

// AppendFrame appends f's header (with PayloadLength set to len(f.Payload))
// and its payload, masked with f.MaskingKey if f.Mask.
func AppendFrame(dst []byte, f Frame) []byte {
	h := f.FrameHeader
	h.PayloadLength = uint64(len(f.Payload))
	dst = AppendFrameHeader(dst, h)
	start := len(dst)
	dst = append(dst, f.Payload...)
	if h.Mask {
		MaskBytes(h.MaskingKey, 0, dst[start:])
	}
	return dst
}

// ParseFrame parses the whole frame at the start of b: its header and its
// payload, unmasked into a new slice. It returns ErrShortFrame while b holds
// only part of the frame.
func ParseFrame(b []byte) (Frame, int, error) {
	h, n, err := ParseFrameHeader(b)
	if err != nil {
		return Frame{}, 0, err
	}
	if h.PayloadLength > uint64(len(b)-n) {
		return Frame{}, 0, ErrShortFrame
	}
	end := n + int(h.PayloadLength)
	p := append([]byte(nil), b[n:end]...)
	if h.Mask {
		MaskBytes(h.MaskingKey, 0, p)
	}
	return Frame{FrameHeader: h, Payload: p}, end, nil
}
