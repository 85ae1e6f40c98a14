package h2

// HeadersFrame is a HEADERS frame (RFC 9113 §6.2): it opens a stream and
// carries a field block fragment (an HPACK block, or its first part when
// CONTINUATION frames follow).
//
//	HEADERS Frame {
//	  Length (24),
//	  Type (8) = 0x01,
//	  Unused Flags (2), PRIORITY Flag (1), Unused Flag (1),
//	  PADDED Flag (1), END_HEADERS Flag (1), Unused Flag (1),
//	  END_STREAM Flag (1),
//	  Reserved (1),
//	  Stream Identifier (31),
//	  [Pad Length (8)],
//	  [Exclusive (1)],
//	  [Stream Dependency (31)],
//	  [Weight (8)],
//	  Field Block Fragment (..),
//	  Padding (..2040),
//	}
type HeadersFrame struct {
	// StreamID is the stream the field block belongs to; never 0.
	StreamID uint32
	// EndStream is the END_STREAM flag: the field block is the last the
	// sender will send on the stream (CONTINUATION frames may still
	// follow).
	EndStream bool
	// EndHeaders is the END_HEADERS flag: this frame holds the whole field
	// block; no CONTINUATION follows.
	EndHeaders bool
	// Padded is the PADDED flag: a Pad Length field (possibly 0) is
	// present.
	Padded bool
	// PadLength is the number of padding octets, when Padded.
	PadLength uint8
	// HasPriority is the PRIORITY flag: the deprecated Priority fields are
	// present (§5.3.2).
	HasPriority bool
	// Priority holds the Exclusive, Stream Dependency and Weight fields,
	// when HasPriority.
	Priority PriorityParam
	// FieldBlockFragment is the (part of the) HPACK field block. Parsing
	// makes it alias the input.
	FieldBlockFragment []byte
}

var _ Frame = (*HeadersFrame)(nil)

// PayloadLen implements Frame.
func (f *HeadersFrame) PayloadLen() int {
	n := len(f.FieldBlockFragment) + padOverhead(f.Padded, f.PadLength)
	if f.HasPriority {
		n += priorityParamLen
	}
	return n
}

// flags returns the flags the fields imply.
func (f *HeadersFrame) flags() Flags {
	var fl Flags
	if f.EndStream {
		fl |= FlagEndStream
	}
	if f.EndHeaders {
		fl |= FlagEndHeaders
	}
	if f.Padded {
		fl |= FlagPadded
	}
	if f.HasPriority {
		fl |= FlagPriority
	}
	return fl
}

// Header implements Frame.
func (f *HeadersFrame) Header() FrameHeader {
	return FrameHeader{Length: uint32(f.PayloadLen()), Type: FrameHeaders, Flags: f.flags(), StreamID: f.StreamID}
}

// AppendHeader appends everything that precedes the Field Block Fragment:
// the frame header, the Pad Length and the priority fields. The caller
// then writes len(FieldBlockFragment) octets and, when Padded, PadLength
// zero octets.
func (f *HeadersFrame) AppendHeader(dst []byte) []byte {
	dst = appendHeader(dst, FrameHeaders, f.flags(), f.StreamID, f.PayloadLen())
	if f.Padded {
		dst = append(dst, f.PadLength)
	}
	if f.HasPriority {
		dst = f.Priority.append(dst)
	}
	return dst
}

// Append implements Frame.
func (f *HeadersFrame) Append(dst []byte) []byte {
	dst = f.AppendHeader(dst)
	dst = append(dst, f.FieldBlockFragment...)
	if f.Padded {
		dst = appendZeros(dst, int(f.PadLength))
	}
	return dst
}

// Fields implements Frame.
func (f *HeadersFrame) Fields() []Field {
	fields := headerFields(f.Header())
	head, tail := paddingFields(f.Padded, f.PadLength)
	fields = append(fields, head...)
	if f.HasPriority {
		fields = append(fields, f.Priority.fields()...)
	}
	fields = append(fields, Field{"Field Block Fragment", octets(f.FieldBlockFragment)})
	return append(fields, tail...)
}

// ParseHeadersFrame parses the payload of a HEADERS frame with header h.
// FieldBlockFragment aliases payload.
func ParseHeadersFrame(h FrameHeader, payload []byte) (HeadersFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return HeadersFrame{}, err
	}
	// §6.2: "If a HEADERS frame is received whose Stream Identifier field
	// is 0x00, the recipient MUST respond with a connection error (Section
	// 5.4.1) of type PROTOCOL_ERROR."
	if h.StreamID == 0 {
		return HeadersFrame{}, connErrorf(ErrCodeProtocol, "HEADERS frame on stream 0")
	}
	fixed := 0
	if h.Flags.Has(FlagPriority) {
		fixed = priorityParamLen
	}
	// Size and padding errors in a frame that carries a field block are
	// connection errors (§4.2); splitPadded makes them so.
	padLength, prio, frag, err := splitPadded(h, payload, fixed)
	if err != nil {
		return HeadersFrame{}, err
	}
	f := HeadersFrame{
		StreamID:           h.StreamID,
		EndStream:          h.Flags.Has(FlagEndStream),
		EndHeaders:         h.Flags.Has(FlagEndHeaders),
		Padded:             h.Flags.Has(FlagPadded),
		PadLength:          padLength,
		HasPriority:        h.Flags.Has(FlagPriority),
		FieldBlockFragment: frag,
	}
	if f.HasPriority {
		f.Priority = parsePriorityParam(prio)
	}
	return f, nil
}
