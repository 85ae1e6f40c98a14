package h2

// UnknownFrame is a frame of a type this package does not know: an
// extension frame. "Implementations MUST ignore and discard frames of
// unknown types" (RFC 9113 §4.1) and "frames that have unknown or
// unsupported types" (§5.5); ReadFrame returns them so the connection can
// show and then drop them. Since their flags and payload mean nothing
// here, all of them are kept and Append re-creates the frame octet for
// octet (except the reserved bit, which §4.1 says to ignore).
type UnknownFrame struct {
	// Type is the frame type.
	Type FrameType
	// Flags are the frame's flags, uninterpreted.
	Flags Flags
	// StreamID is the stream identifier, uninterpreted.
	StreamID uint32
	// Payload is the frame payload. Parsing makes it alias the input.
	Payload []byte
}

var _ Frame = (*UnknownFrame)(nil)

// PayloadLen implements Frame.
func (f *UnknownFrame) PayloadLen() int { return len(f.Payload) }

// Header implements Frame.
func (f *UnknownFrame) Header() FrameHeader {
	return FrameHeader{Length: uint32(len(f.Payload)), Type: f.Type, Flags: f.Flags, StreamID: f.StreamID}
}

// Append implements Frame.
func (f *UnknownFrame) Append(dst []byte) []byte {
	dst = appendHeader(dst, f.Type, f.Flags, f.StreamID, len(f.Payload))
	return append(dst, f.Payload...)
}

// Fields implements Frame.
func (f *UnknownFrame) Fields() []Field {
	return append(headerFields(f.Header()), Field{"Frame Payload", octets(f.Payload)})
}

// ParseUnknownFrame wraps the payload of a frame of any type as an
// UnknownFrame; it fails only when payload and h.Length disagree. Any
// type may be wrapped, so a connection that ignores a known extension
// can use it too.
func ParseUnknownFrame(h FrameHeader, payload []byte) (UnknownFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return UnknownFrame{}, err
	}
	return UnknownFrame{Type: h.Type, Flags: h.Flags, StreamID: h.StreamID, Payload: payload}, nil
}
