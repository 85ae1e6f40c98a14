// Package h3 is HTTP/3 (RFC 9114). The frame*.go files are its framing
// layer: frame types and codecs (§7), settings (§7.2.4), unidirectional
// stream types (§6.2), error codes (§8.1), and a streaming FrameReader for
// a stream's bytes as the QUIC transport delivers them, in pieces.
package h3

import (
	"fmt"
	"io"

	"httpsim/sim/quic/wire"
)

// FrameType is an HTTP/3 frame type (RFC 9114 §7.2, §11.2.1).
type FrameType uint64

// HTTP/3 frame types.
const (
	FrameData        FrameType = 0x00 // §7.2.1
	FrameHeaders     FrameType = 0x01 // §7.2.2
	FrameCancelPush  FrameType = 0x03 // §7.2.3
	FrameSettings    FrameType = 0x04 // §7.2.4
	FramePushPromise FrameType = 0x05 // §7.2.5
	FrameGoaway      FrameType = 0x07 // §7.2.6
	FrameMaxPushID   FrameType = 0x0d // §7.2.7
	// FramePriorityUpdateRequest and FramePriorityUpdatePush are RFC 9218
	// §7.2's PRIORITY_UPDATE for a request stream and for a push.
	FramePriorityUpdateRequest FrameType = 0xf0700
	FramePriorityUpdatePush    FrameType = 0xf0701
)

// String returns qlog's HTTP/3 frame_type name ("data", "headers",
// "cancel_push", "settings", "push_promise", "goaway", "max_push_id",
// "priority_update"), "reserved" for the reserved types (0x1f*N+0x21, and
// HTTP/2's 0x02, 0x06, 0x08, 0x09), and "unknown" otherwise.
func (t FrameType) String() string {
	switch t {
	case FrameData:
		return "data"
	case FrameHeaders:
		return "headers"
	case FrameCancelPush:
		return "cancel_push"
	case FrameSettings:
		return "settings"
	case FramePushPromise:
		return "push_promise"
	case FrameGoaway:
		return "goaway"
	case FrameMaxPushID:
		return "max_push_id"
	case FramePriorityUpdateRequest, FramePriorityUpdatePush:
		return "priority_update"
	}
	if t.IsReserved() || t.IsHTTP2Reserved() {
		return "reserved"
	}
	return "unknown"
}

// IsReserved reports whether t is a reserved ("grease") frame type
// 0x1f*N+0x21, which has no meaning and is skipped on receipt (§7.2.8).
func (t FrameType) IsReserved() bool { return isReserved(uint64(t)) }

// IsHTTP2Reserved reports whether t is one of HTTP/2's frame types with no
// HTTP/3 counterpart (PRIORITY 0x02, PING 0x06, WINDOW_UPDATE 0x08,
// CONTINUATION 0x09), whose receipt is a connection error of type
// H3_FRAME_UNEXPECTED (§7.2.8, §11.2.1).
func (t FrameType) IsHTTP2Reserved() bool {
	switch t {
	case 0x02, 0x06, 0x08, 0x09:
		return true
	}
	return false
}

// Known reports whether this package parses frames of type t into a
// frame of their own; frames of other types are UnknownFrames.
func (t FrameType) Known() bool {
	switch t {
	case FrameData, FrameHeaders, FrameCancelPush, FrameSettings, FramePushPromise,
		FrameGoaway, FrameMaxPushID, FramePriorityUpdateRequest, FramePriorityUpdatePush:
		return true
	}
	return false
}

// A Frame is one HTTP/3 frame: Type (i), Length (i), Frame Payload (..)
// (RFC 9114 §7.1). Append writes exactly Length() bytes, and ParseFrame of
// them gives back an equal Frame.
type Frame interface {
	// Type returns the frame type.
	Type() FrameType
	// PayloadLen returns the value of the Length field.
	PayloadLen() uint64
	// Length returns the encoded length of the whole frame: Type and
	// Length fields and payload.
	Length() int
	// Append appends the encoded frame to dst.
	Append(dst []byte) []byte
	// Fields returns the frame's fields, in order, as name/value strings
	// for display. Names follow qlog's HTTP/3 event fields.
	Fields() []FrameField
}

// Every frame type implements Frame.
var (
	_ Frame = (*DataFrame)(nil)
	_ Frame = (*HeadersFrame)(nil)
	_ Frame = (*CancelPushFrame)(nil)
	_ Frame = (*SettingsFrame)(nil)
	_ Frame = (*PushPromiseFrame)(nil)
	_ Frame = (*GoawayFrame)(nil)
	_ Frame = (*MaxPushIDFrame)(nil)
	_ Frame = (*PriorityUpdateFrame)(nil)
	_ Frame = (*UnknownFrame)(nil)
)

// FrameField is one named field of a frame, formatted for display.
type FrameField struct {
	Name, Value string
}

// FrameHeaderLen returns the length of the Type and Length fields of a
// frame of type t with a payload of payloadLen bytes.
func FrameHeaderLen(t FrameType, payloadLen uint64) int {
	return wire.VarintLen(uint64(t)) + wire.VarintLen(payloadLen)
}

// AppendFrameHeader appends a frame's Type and Length fields (§7.1).
func AppendFrameHeader(dst []byte, t FrameType, payloadLen uint64) []byte {
	return wire.AppendVarint(wire.AppendVarint(dst, uint64(t)), payloadLen)
}

// frameLen returns the whole length of a frame of type t with a payload of
// payloadLen bytes.
func frameLen(t FrameType, payloadLen uint64) int {
	return FrameHeaderLen(t, payloadLen) + int(payloadLen)
}

// ParseFrame parses the complete frame at the start of b and returns it
// with its encoded length. DATA payloads, field sections and unknown
// payloads alias b.
//
// If b ends before the frame does, it returns io.ErrUnexpectedEOF: the rest
// may still arrive (at the end of a stream it is H3_FRAME_ERROR, §7.1).
// Malformed frames give a *ConnectionError: H3_FRAME_ERROR for bad layout,
// H3_FRAME_UNEXPECTED for HTTP/2's reserved frame types, H3_SETTINGS_ERROR
// for bad settings. ParseFrame does not know the stream the frame came on;
// see AllowedOn and FrameReader.
func ParseFrame(b []byte) (Frame, int, error) {
	t, l, hn, err := parseFrameHeader(b)
	if err != nil {
		return nil, 0, err
	}
	if err := checkFrameType(t); err != nil {
		return nil, 0, err
	}
	if l > uint64(len(b)-hn) {
		return nil, 0, io.ErrUnexpectedEOF
	}
	end := hn + int(l)
	f, err := parsePayload(t, b[hn:end:end])
	if err != nil {
		return nil, 0, err
	}
	return f, end, nil
}

// parseFrameHeader reads the Type and Length fields at the start of b.
func parseFrameHeader(b []byte) (t FrameType, length uint64, n int, err error) {
	v, n1, err := wire.ReadVarint(b)
	if err != nil {
		return 0, 0, 0, err
	}
	l, n2, err := wire.ReadVarint(b[n1:])
	if err != nil {
		return 0, 0, 0, err
	}
	return FrameType(v), l, n1 + n2, nil
}

// checkFrameType rejects frame types that may not be received at all.
func checkFrameType(t FrameType) error {
	if t.IsHTTP2Reserved() {
		return connErr(ErrH3FrameUnexpected, "HTTP/2 frame type %#x", uint64(t))
	}
	return nil
}

// parsePayload parses the payload of a frame of type t. The frame may alias
// payload.
func parsePayload(t FrameType, payload []byte) (Frame, error) {
	switch t {
	case FrameData:
		return &DataFrame{DataLen: uint64(len(payload)), Data: payload}, nil
	case FrameHeaders:
		return &HeadersFrame{EncodedFieldSection: payload}, nil
	case FrameCancelPush:
		v, err := parseSingleVarint(t, payload)
		return &CancelPushFrame{PushID: v}, err
	case FrameSettings:
		return parseSettingsFrame(payload)
	case FramePushPromise:
		return parsePushPromiseFrame(payload)
	case FrameGoaway:
		v, err := parseSingleVarint(t, payload)
		return &GoawayFrame{ID: v}, err
	case FrameMaxPushID:
		v, err := parseSingleVarint(t, payload)
		return &MaxPushIDFrame{PushID: v}, err
	case FramePriorityUpdateRequest, FramePriorityUpdatePush:
		return parsePriorityUpdateFrame(t, payload)
	}
	return &UnknownFrame{FrameType: t, PayloadLength: uint64(len(payload)), Payload: payload}, nil
}

// parseSingleVarint parses a payload that is exactly one variable-length
// integer; anything else is H3_FRAME_ERROR (§7.1, §7.2.3, §7.2.6, §7.2.7).
func parseSingleVarint(t FrameType, payload []byte) (uint64, error) {
	v, n, err := wire.ReadVarint(payload)
	if err != nil {
		return 0, connErr(ErrH3FrameError, "%s frame: truncated payload", t)
	}
	if n != len(payload) {
		return 0, connErr(ErrH3FrameError, "%s frame: %d bytes after the field", t, len(payload)-n)
	}
	return v, nil
}

func fieldUint(name string, v uint64) FrameField {
	return FrameField{Name: name, Value: fmt.Sprint(v)}
}
