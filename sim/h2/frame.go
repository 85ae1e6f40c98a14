// Package h2 implements HTTP/2 (RFC 9113). This file and the other
// frame*.go files hold the frame layer: the 9-octet frame header, one codec
// per frame type (parse, append, length), the error codes and the rules the
// RFC puts on single frames. The layer is sans-IO: it reads from and appends
// to byte slices and never blocks.
package h2

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// Frame-size constants (RFC 9113 §4.1, §4.2, §6.5.2).
const (
	// FrameHeaderLen is the size of the fixed frame header (§4.1).
	FrameHeaderLen = 9
	// DefaultMaxFrameSize is the initial SETTINGS_MAX_FRAME_SIZE, 2^14
	// octets: every endpoint must accept payloads this large (§4.2).
	DefaultMaxFrameSize = 1 << 14
	// MaxFrameSizeLimit is the largest SETTINGS_MAX_FRAME_SIZE an endpoint
	// may advertise, 2^24-1 octets: the largest 24-bit Length (§4.2).
	MaxFrameSizeLimit = 1<<24 - 1
	// MaxStreamID is the largest stream identifier, 2^31-1 (§5.1.1).
	MaxStreamID = 1<<31 - 1
)

// ClientPreface is the 24 octets a client sends first on every HTTP/2
// connection, before its first SETTINGS frame (RFC 9113 §3.4).
const ClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// CheckClientPreface checks that b starts with the client connection
// preface (RFC 9113 §3.4). It returns the preface length when it does,
// ErrIncomplete when b is a strict prefix of it, and a connection error of
// type PROTOCOL_ERROR otherwise ("Clients and servers MUST treat an invalid
// connection preface as a connection error").
func CheckClientPreface(b []byte) (n int, err error) {
	m := min(len(b), len(ClientPreface))
	if string(b[:m]) != ClientPreface[:m] {
		return 0, connErrorf(ErrCodeProtocol, "invalid connection preface %q", b[:m])
	}
	if m < len(ClientPreface) {
		return 0, ErrIncomplete
	}
	return len(ClientPreface), nil
}

// FrameType is the 8-bit type of a frame (RFC 9113 §4.1, §6; RFC 9218
// §7.1). Types this package does not know are valid and must be ignored
// (§4.1, §5.5); ReadFrame returns them as *UnknownFrame.
type FrameType uint8

// The frame types of RFC 9113 §6 and the PRIORITY_UPDATE frame of RFC 9218.
const (
	FrameData           FrameType = 0x00 // DATA, §6.1
	FrameHeaders        FrameType = 0x01 // HEADERS, §6.2
	FramePriority       FrameType = 0x02 // PRIORITY (deprecated), §6.3
	FrameRSTStream      FrameType = 0x03 // RST_STREAM, §6.4
	FrameSettings       FrameType = 0x04 // SETTINGS, §6.5
	FramePushPromise    FrameType = 0x05 // PUSH_PROMISE, §6.6
	FramePing           FrameType = 0x06 // PING, §6.7
	FrameGoAway         FrameType = 0x07 // GOAWAY, §6.8
	FrameWindowUpdate   FrameType = 0x08 // WINDOW_UPDATE, §6.9
	FrameContinuation   FrameType = 0x09 // CONTINUATION, §6.10
	FramePriorityUpdate FrameType = 0x10 // PRIORITY_UPDATE, RFC 9218 §7.1
)

// String returns the RFC name of the type ("DATA", "PRIORITY_UPDATE"), or
// "UNKNOWN_0x…" for a type this package does not know.
func (t FrameType) String() string {
	switch t {
	case FrameData:
		return "DATA"
	case FrameHeaders:
		return "HEADERS"
	case FramePriority:
		return "PRIORITY"
	case FrameRSTStream:
		return "RST_STREAM"
	case FrameSettings:
		return "SETTINGS"
	case FramePushPromise:
		return "PUSH_PROMISE"
	case FramePing:
		return "PING"
	case FrameGoAway:
		return "GOAWAY"
	case FrameWindowUpdate:
		return "WINDOW_UPDATE"
	case FrameContinuation:
		return "CONTINUATION"
	case FramePriorityUpdate:
		return "PRIORITY_UPDATE"
	}
	return "UNKNOWN_0x" + strconv.FormatUint(uint64(t), 16)
}

// Known reports whether this package parses frames of type t; frames of
// any other type are extension frames, to be ignored (RFC 9113 §5.5).
func (t FrameType) Known() bool {
	return t <= FrameContinuation || t == FramePriorityUpdate
}

// DefinedFlags returns the flags that have a meaning for frames of type t
// (RFC 9113 §6). Other flags are unused: they "MUST be ignored on receipt
// and MUST be left unset (0x00) when sending" (§4.1), so parsing drops
// them. For unknown types every bit is returned, since their meaning is
// unknown and UnknownFrame keeps them.
func (t FrameType) DefinedFlags() Flags {
	switch t {
	case FrameData:
		return FlagEndStream | FlagPadded
	case FrameHeaders:
		return FlagEndStream | FlagEndHeaders | FlagPadded | FlagPriority
	case FrameSettings, FramePing:
		return FlagAck
	case FramePushPromise:
		return FlagEndHeaders | FlagPadded
	case FrameContinuation:
		return FlagEndHeaders
	}
	if t.Known() {
		return 0
	}
	return 0xff
}

// Flags is the 8-bit flags field of a frame header (RFC 9113 §4.1). The
// meaning of each bit depends on the frame type: 0x01 is END_STREAM on DATA
// and HEADERS but ACK on SETTINGS and PING.
type Flags uint8

// The flags of RFC 9113 §6.
const (
	// FlagEndStream (END_STREAM, 0x01) on DATA and HEADERS: the last frame
	// the sender will send on the stream (§6.1, §6.2).
	FlagEndStream Flags = 0x01
	// FlagAck (ACK, 0x01) on SETTINGS and PING: an acknowledgement
	// (§6.5, §6.7).
	FlagAck Flags = 0x01
	// FlagEndHeaders (END_HEADERS, 0x04) on HEADERS, PUSH_PROMISE and
	// CONTINUATION: this frame ends a field block (§6.2, §6.6, §6.10).
	FlagEndHeaders Flags = 0x04
	// FlagPadded (PADDED, 0x08) on DATA, HEADERS and PUSH_PROMISE: the Pad
	// Length field and the padding it describes are present.
	FlagPadded Flags = 0x08
	// FlagPriority (PRIORITY, 0x20) on HEADERS: the deprecated Exclusive,
	// Stream Dependency and Weight fields are present (§6.2).
	FlagPriority Flags = 0x20
)

// Has reports whether every flag in v is set in f.
func (f Flags) Has(v Flags) bool { return f&v == v }

// String returns the flags in hexadecimal ("0x25"); use Names for the
// names, which depend on the frame type.
func (f Flags) String() string { return "0x" + strconv.FormatUint(uint64(f), 16) }

// Names returns the names of the flags set in f as they apply to frames of
// type t, joined by "|" and lowest bit first ("END_STREAM|END_HEADERS"),
// with any bit that has no name for t shown in hexadecimal; "" when no
// flag is set.
func (f Flags) Names(t FrameType) string {
	var names []string
	for bit := Flags(1); bit != 0; bit <<= 1 {
		if f&bit == 0 {
			continue
		}
		names = append(names, flagName(t, bit))
	}
	return strings.Join(names, "|")
}

// flagName names one flag bit for frame type t.
func flagName(t FrameType, bit Flags) string {
	if t.Known() && t.DefinedFlags()&bit != 0 {
		switch bit {
		case FlagEndStream: // == FlagAck
			if t == FrameSettings || t == FramePing {
				return "ACK"
			}
			return "END_STREAM"
		case FlagEndHeaders:
			return "END_HEADERS"
		case FlagPadded:
			return "PADDED"
		case FlagPriority:
			return "PRIORITY"
		}
	}
	return bit.String()
}

// FrameHeader is the fixed 9-octet header that starts every frame (RFC
// 9113 §4.1):
//
//	HTTP Frame {
//	  Length (24),
//	  Type (8),
//	  Flags (8),
//	  Reserved (1),
//	  Stream Identifier (31),
//	  Frame Payload (..),
//	}
type FrameHeader struct {
	// Length is the payload length in octets, excluding the 9-octet
	// header: a 24-bit value.
	Length uint32
	// Type is the frame type.
	Type FrameType
	// Flags are the type-specific boolean flags.
	Flags Flags
	// Reserved is the reserved bit before the stream identifier. Its
	// "semantics ... are undefined, and the bit MUST remain unset (0x00)
	// when sending and MUST be ignored when receiving" (§4.1). It is kept
	// here only so that a frame can be shown as it was received; frame
	// parsers ignore it.
	Reserved bool
	// StreamID is the 31-bit stream identifier; 0 means the connection as
	// a whole (§4.1, §5.1.1).
	StreamID uint32
}

// ParseFrameHeader parses the 9-octet frame header at the start of b. It
// returns ErrIncomplete when b is shorter than FrameHeaderLen. It does not
// check the Length against SETTINGS_MAX_FRAME_SIZE; ReadFrame does.
func ParseFrameHeader(b []byte) (FrameHeader, error) {
	if len(b) < FrameHeaderLen {
		return FrameHeader{}, ErrIncomplete
	}
	sid := binary.BigEndian.Uint32(b[5:9])
	return FrameHeader{
		Length:   uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]),
		Type:     FrameType(b[3]),
		Flags:    Flags(b[4]),
		Reserved: sid&(1<<31) != 0,
		StreamID: sid & MaxStreamID,
	}, nil
}

// Append appends the 9-octet encoding of h to dst. It writes the fields as
// they are, Reserved included, so tests can build any header; the frame
// types' Append methods never set Reserved. A Length that does not fit in
// 24 bits is a programming error and panics.
func (h FrameHeader) Append(dst []byte) []byte {
	if h.Length > MaxFrameSizeLimit {
		panic(fmt.Sprintf("h2: frame length %d does not fit in 24 bits", h.Length))
	}
	sid := h.StreamID & MaxStreamID
	if h.Reserved {
		sid |= 1 << 31
	}
	return append(dst,
		byte(h.Length>>16), byte(h.Length>>8), byte(h.Length),
		byte(h.Type), byte(h.Flags),
		byte(sid>>24), byte(sid>>16), byte(sid>>8), byte(sid))
}

// String formats the header for logs:
// "HEADERS len=13 flags=END_STREAM|END_HEADERS stream=1".
func (h FrameHeader) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s len=%d", h.Type, h.Length)
	if h.Flags != 0 {
		fmt.Fprintf(&b, " flags=%s", h.Flags.Names(h.Type))
	}
	fmt.Fprintf(&b, " stream=%d", h.StreamID)
	if h.Reserved {
		b.WriteString(" R=1")
	}
	return b.String()
}

// appendHeader appends the header of a frame built by this package: the
// reserved bit unset and the stream identifier masked to 31 bits (§4.1).
func appendHeader(dst []byte, t FrameType, flags Flags, streamID uint32, length int) []byte {
	if length < 0 || length > MaxFrameSizeLimit {
		panic(fmt.Sprintf("h2: %s payload of %d octets does not fit in a frame", t, length))
	}
	return FrameHeader{Length: uint32(length), Type: t, Flags: flags, StreamID: streamID}.Append(dst)
}

// Frame is implemented by every frame type of this package (*DataFrame,
// *HeadersFrame, ..., *UnknownFrame).
type Frame interface {
	// Header returns the frame header Append would write: Length equals
	// PayloadLen, Flags are those the frame's fields imply, Reserved is
	// unset.
	Header() FrameHeader
	// PayloadLen returns the payload length in octets, excluding the
	// 9-octet header; it is the frame's Length field.
	PayloadLen() int
	// Append appends the whole frame, header and payload, to dst.
	Append(dst []byte) []byte
	// Fields returns the frame's header and payload fields, in wire order,
	// as name/value pairs for display (the UI's frame strip). Names are
	// the RFC's field names.
	Fields() []Field
}

// Field is one name/value pair of Frame.Fields.
type Field struct {
	Name  string
	Value string
}

// headerFields returns the fields of h for Frame.Fields.
func headerFields(h FrameHeader) []Field {
	flags := h.Flags.String()
	if names := h.Flags.Names(h.Type); names != "" {
		flags = names + " (" + flags + ")"
	}
	return []Field{
		{"Length", strconv.FormatUint(uint64(h.Length), 10)},
		{"Type", fmt.Sprintf("%s (0x%x)", h.Type, uint8(h.Type))},
		{"Flags", flags},
		{"Stream Identifier", strconv.FormatUint(uint64(h.StreamID), 10)},
	}
}

// octets describes a byte string for Frame.Fields: its length and, for
// short strings, its bytes in hexadecimal.
func octets(b []byte) string {
	const show = 32
	s := strconv.Itoa(len(b)) + " octets"
	if len(b) == 0 {
		return s
	}
	n := min(len(b), show)
	s += ": " + fmt.Sprintf("% x", b[:n])
	if n < len(b) {
		s += " …"
	}
	return s
}

// checkLength reports a mismatch between a header's Length and the payload
// handed to a parser, which happens when a caller truncates a frame.
func checkLength(h FrameHeader, payload []byte) error {
	if int64(len(payload)) != int64(h.Length) {
		return connErrorf(ErrCodeFrameSize, "%s payload has %d octets; header Length says %d", h.Type, len(payload), h.Length)
	}
	return nil
}

// itoa formats n in decimal.
func itoa(n int) string { return strconv.Itoa(n) }

// fmtHex formats n in lower-case hexadecimal without a prefix.
func fmtHex(n uint64) string { return strconv.FormatUint(n, 16) }
