package h2

// ContinuationFrame is a CONTINUATION frame (RFC 9113 §6.10): the next
// fragment of a field block begun by HEADERS or PUSH_PROMISE. FrameOrder
// checks that it follows one.
//
//	CONTINUATION Frame {
//	  Length (24),
//	  Type (8) = 0x09,
//	  Unused Flags (5), END_HEADERS Flag (1), Unused Flags (2),
//	  Reserved (1),
//	  Stream Identifier (31),
//	  Field Block Fragment (..),
//	}
type ContinuationFrame struct {
	// StreamID is the stream of the field block; never 0.
	StreamID uint32
	// EndHeaders is the END_HEADERS flag: this frame ends the field block.
	EndHeaders bool
	// FieldBlockFragment is the next part of the HPACK field block.
	// Parsing makes it alias the input.
	FieldBlockFragment []byte
}

var _ Frame = (*ContinuationFrame)(nil)

// PayloadLen implements Frame.
func (f *ContinuationFrame) PayloadLen() int { return len(f.FieldBlockFragment) }

// flags returns the flags the fields imply.
func (f *ContinuationFrame) flags() Flags {
	if f.EndHeaders {
		return FlagEndHeaders
	}
	return 0
}

// Header implements Frame.
func (f *ContinuationFrame) Header() FrameHeader {
	return FrameHeader{Length: uint32(f.PayloadLen()), Type: FrameContinuation, Flags: f.flags(), StreamID: f.StreamID}
}

// Append implements Frame.
func (f *ContinuationFrame) Append(dst []byte) []byte {
	dst = appendHeader(dst, FrameContinuation, f.flags(), f.StreamID, f.PayloadLen())
	return append(dst, f.FieldBlockFragment...)
}

// Fields implements Frame.
func (f *ContinuationFrame) Fields() []Field {
	return append(headerFields(f.Header()), Field{"Field Block Fragment", octets(f.FieldBlockFragment)})
}

// ParseContinuationFrame parses the payload of a CONTINUATION frame with
// header h. FieldBlockFragment aliases payload.
func ParseContinuationFrame(h FrameHeader, payload []byte) (ContinuationFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return ContinuationFrame{}, err
	}
	// §6.10: "If a CONTINUATION frame is received with a Stream Identifier
	// field of 0x00, the recipient MUST respond with a connection error
	// (Section 5.4.1) of type PROTOCOL_ERROR."
	if h.StreamID == 0 {
		return ContinuationFrame{}, connErrorf(ErrCodeProtocol, "CONTINUATION frame on stream 0")
	}
	return ContinuationFrame{
		StreamID:           h.StreamID,
		EndHeaders:         h.Flags.Has(FlagEndHeaders),
		FieldBlockFragment: payload,
	}, nil
}
