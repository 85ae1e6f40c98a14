package h3

import (
	"fmt"

	"httpsim/sim/quic/wire"
)

// StreamType is the type that opens an HTTP/3 unidirectional stream
// (RFC 9114 §6.2, §11.2.4; RFC 9204 §4.2).
type StreamType uint64

// Unidirectional stream types.
const (
	StreamTypeControl      StreamType = 0x00 // RFC 9114 §6.2.1
	StreamTypePush         StreamType = 0x01 // RFC 9114 §6.2.2; a Push ID follows
	StreamTypeQPACKEncoder StreamType = 0x02 // RFC 9204 §4.2
	StreamTypeQPACKDecoder StreamType = 0x03 // RFC 9204 §4.2
)

// String returns qlog's stream type name ("control", "push",
// "qpack_encode", "qpack_decode"), "reserved" for 0x1f*N+0x21 (§6.2.3), and
// "unknown" otherwise.
func (t StreamType) String() string {
	switch t {
	case StreamTypeControl:
		return "control"
	case StreamTypePush:
		return "push"
	case StreamTypeQPACKEncoder:
		return "qpack_encode"
	case StreamTypeQPACKDecoder:
		return "qpack_decode"
	}
	if isReserved(uint64(t)) {
		return "reserved"
	}
	return "unknown"
}

// Kind returns the kind of frame-carrying stream a stream of type t is,
// and false for stream types that carry no HTTP/3 frames (QPACK streams
// carry QPACK instructions; reserved and unknown types are to be ignored,
// RFC 9114 §6.2, §9).
func (t StreamType) Kind() (StreamKind, bool) {
	switch t {
	case StreamTypeControl:
		return StreamControl, true
	case StreamTypePush:
		return StreamPush, true
	}
	return 0, false
}

// ParseStreamType reads the stream type at the start of a unidirectional
// stream (RFC 9114 §6.2). It returns io.ErrUnexpectedEOF until all of the
// type's bytes (1 to 8) have arrived.
func ParseStreamType(b []byte) (StreamType, int, error) {
	v, n, err := wire.ReadVarint(b)
	return StreamType(v), n, err
}

// AppendStreamType appends the stream type that opens a unidirectional
// stream.
func AppendStreamType(dst []byte, t StreamType) []byte { return wire.AppendVarint(dst, uint64(t)) }

// StreamKind is a kind of stream that carries HTTP/3 frames (RFC 9114 §7,
// Table 1).
type StreamKind uint8

// Stream kinds.
const (
	// StreamRequest is a bidirectional request stream (§6.1).
	StreamRequest StreamKind = iota
	// StreamControl is a control stream (§6.2.1).
	StreamControl
	// StreamPush is a push stream, after its Push ID (§6.2.2).
	StreamPush
)

// String returns "request", "control" or "push".
func (k StreamKind) String() string {
	switch k {
	case StreamRequest:
		return "request"
	case StreamControl:
		return "control"
	case StreamPush:
		return "push"
	}
	return fmt.Sprintf("StreamKind(%d)", uint8(k))
}

// AllowedOn reports whether a frame of type t may be received on a stream
// of kind s (RFC 9114 §7.2, Table 1; RFC 9218 §7.2 for PRIORITY_UPDATE).
// Reserved and unknown frame types are allowed everywhere (§7.2.8, §9);
// HTTP/2's reserved types nowhere. Which side may send a frame
// (PUSH_PROMISE only servers, MAX_PUSH_ID only clients) and in which order
// (§4.1, SETTINGS first and once, §6.2.1) are checked elsewhere.
func AllowedOn(t FrameType, s StreamKind) bool {
	switch t {
	case FrameData, FrameHeaders:
		return s == StreamRequest || s == StreamPush
	case FramePushPromise:
		return s == StreamRequest
	case FrameCancelPush, FrameSettings, FrameGoaway, FrameMaxPushID,
		FramePriorityUpdateRequest, FramePriorityUpdatePush:
		return s == StreamControl
	}
	return !t.IsHTTP2Reserved()
}

// CheckAllowedOn returns nil if a frame of type t may be received on a
// stream of kind s, and otherwise the connection error the receiver must
// raise: H3_FRAME_UNEXPECTED (RFC 9114 §7.2).
func CheckAllowedOn(t FrameType, s StreamKind) error {
	if AllowedOn(t, s) {
		return nil
	}
	return connErr(ErrH3FrameUnexpected, "%s frame (%#x) on a %s stream", t, uint64(t), s)
}
