package updates

import (
	"encoding/binary"
	"strconv"
	"unicode/utf8"
)

// The body of a Close frame (RFC 6455 §5.5.1): empty, or a status code in
// two bytes of network byte order followed by an optional reason in UTF-8.
// The frame is a control frame, so the body is at most 125 bytes (§5.5).

// Errors ParseClosePayload returns. Each is a FrameError: the receiver
// fails the connection (§7.1.7) with its code.
var (
	// RFC 6455 §5.5.1: "If there is a body, the first two bytes of the
	// body MUST be a 2-byte unsigned integer".
	ErrCloseBodyShort error = &FrameError{CloseProtocolError, "close frame body of one byte: a body starts with a 2-byte status code (RFC 6455 §5.5.1)"}
	// RFC 6455 §7.4.1, §7.4.2: a status code no endpoint may send (0-999,
	// 1004-1006, 1015, the unassigned rest of 1000-2999, 5000 and above).
	ErrCloseCodeInvalid error = &FrameError{CloseProtocolError, "close frame with a status code no endpoint may send (RFC 6455 §7.4)"}
	// RFC 6455 §5.5.1: the reason is UTF-8; §8.1: on bytes that are not,
	// the endpoint MUST fail the connection, with 1007 (§7.4.1).
	ErrCloseReasonUTF8 error = &FrameError{CloseInvalidPayload, "close reason is not UTF-8 (RFC 6455 §5.5.1, §8.1)"}
)

// Sendable reports whether c may be sent in a Close frame (RFC 6455 §7.4):
// 1000-1003 and 1007-1011, defined by §7.4.1; 3000-4999, for libraries,
// frameworks and applications (§7.4.2). 1004 is reserved and 1005, 1006
// and 1015 MUST NOT be sent (§7.4.1); the rest of 1000-2999 is for future
// revisions and extensions, none of which this endpoint knows, and 0-999
// is not used (§7.4.2). (1012-1014 were registered with IANA after RFC
// 6455; this endpoint keeps to the RFC.)
func (c CloseCode) Sendable() bool {
	switch {
	case c >= CloseNormal && c <= CloseUnsupportedData:
		return true
	case c >= CloseInvalidPayload && c <= CloseInternalError:
		return true
	case c >= 3000 && c <= 4999:
		return true
	}
	return false
}

// AppendClosePayload appends a Close frame's body: code in network byte
// order, then reason (RFC 6455 §5.5.1). code must be sendable, and the
// body at most 125 bytes; breaking either is the caller's bug.
func AppendClosePayload(dst []byte, code CloseCode, reason string) []byte {
	if !code.Sendable() || 2+len(reason) > maxControlPayload {
		panic("websocket: close body with status " + code.String() + " and a reason of " + strconv.Itoa(len(reason)) + " bytes")
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(code))
	return append(dst, reason...)
}

// ParseClosePayload reads a Close frame's body, unmasked. An empty body
// has no status code: the application sees 1005 (RFC 6455 §7.1.5), which
// ParseClosePayload returns with no error. A body longer than a control
// frame may carry, of one byte, with a status code no endpoint may send or
// with a reason not in UTF-8 is a FrameError.
func ParseClosePayload(p []byte) (CloseCode, string, error) {
	switch {
	case len(p) > maxControlPayload:
		return 0, "", ErrControlTooLong
	case len(p) == 0:
		return CloseNoStatus, "", nil
	case len(p) == 1:
		return 0, "", ErrCloseBodyShort
	}
	code := CloseCode(binary.BigEndian.Uint16(p))
	if !code.Sendable() {
		return code, "", ErrCloseCodeInvalid
	}
	if !utf8.Valid(p[2:]) {
		return code, "", ErrCloseReasonUTF8
	}
	return code, string(p[2:]), nil
}

// echoClose is the body of the Close an endpoint sends in answer to one
// with code: the same status code, as endpoints typically echo it (RFC 6455
// §5.5.1), or no body if the Close had none (1005 must not be sent,
// §7.4.1).
func echoClose(code CloseCode) []byte {
	if code == CloseNoStatus {
		return nil
	}
	return AppendClosePayload(nil, code, "")
}
