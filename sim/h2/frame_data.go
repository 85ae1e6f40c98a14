package h2

// DataFrame is a DATA frame (RFC 9113 §6.1): a piece of a stream's message
// content.
//
//	DATA Frame {
//	  Length (24),
//	  Type (8) = 0x00,
//	  Unused Flags (4), PADDED Flag (1), Unused Flags (2), END_STREAM Flag (1),
//	  Reserved (1),
//	  Stream Identifier (31),
//	  [Pad Length (8)],
//	  Data (..),
//	  Padding (..2040),
//	}
//
// The simulator's bodies are often sized filler rather than real bytes: a
// DataFrame whose Data is nil stands for DataLen octets that are not
// materialised. Append writes them as zeros; a sender that streams its
// filler itself writes the header with AppendHeader or AppendDataHeader.
type DataFrame struct {
	// StreamID is the stream the data belongs to; never 0 (§6.1).
	StreamID uint32
	// EndStream is the END_STREAM flag: the last frame the sender will
	// send on the stream.
	EndStream bool
	// Padded is the PADDED flag: a Pad Length field (possibly 0) is
	// present.
	Padded bool
	// PadLength is the number of padding octets, when Padded.
	PadLength uint8
	// Data is the application data. Nil means filler: DataLen octets whose
	// contents are not materialised.
	Data []byte
	// DataLen is the length of the Data field when Data is nil; it is
	// ignored otherwise. Parsing sets it to len(Data).
	DataLen int
}

var _ Frame = (*DataFrame)(nil)

// DataLength returns the length of the Data field: len(Data), or DataLen
// when Data is nil (filler).
func (f *DataFrame) DataLength() int {
	if f.Data != nil {
		return len(f.Data)
	}
	return f.DataLen
}

// PayloadLen implements Frame. The whole payload, padding included, counts
// against flow control (§6.1: "The entire DATA frame payload is included
// in flow control, including the Pad Length and Padding fields").
func (f *DataFrame) PayloadLen() int {
	return f.DataLength() + padOverhead(f.Padded, f.PadLength)
}

// flags returns the flags the fields imply.
func (f *DataFrame) flags() Flags {
	var fl Flags
	if f.EndStream {
		fl |= FlagEndStream
	}
	if f.Padded {
		fl |= FlagPadded
	}
	return fl
}

// Header implements Frame.
func (f *DataFrame) Header() FrameHeader {
	return FrameHeader{Length: uint32(f.PayloadLen()), Type: FrameData, Flags: f.flags(), StreamID: f.StreamID}
}

// AppendHeader appends the frame header and, when Padded, the Pad Length
// field: everything that precedes the Data field. The caller then writes
// DataLength() octets of data and, when Padded, PadLength zero octets.
func (f *DataFrame) AppendHeader(dst []byte) []byte {
	dst = appendHeader(dst, FrameData, f.flags(), f.StreamID, f.PayloadLen())
	if f.Padded {
		dst = append(dst, f.PadLength)
	}
	return dst
}

// Append implements Frame. Filler data (Data nil) is written as zeros.
func (f *DataFrame) Append(dst []byte) []byte {
	dst = f.AppendHeader(dst)
	if f.Data != nil {
		dst = append(dst, f.Data...)
	} else {
		dst = appendZeros(dst, f.DataLen)
	}
	if f.Padded {
		dst = appendZeros(dst, int(f.PadLength))
	}
	return dst
}

// Fields implements Frame.
func (f *DataFrame) Fields() []Field {
	fields := headerFields(f.Header())
	head, tail := paddingFields(f.Padded, f.PadLength)
	fields = append(fields, head...)
	data := octets(f.Data)
	if f.Data == nil {
		data = itoa(f.DataLen) + " octets (filler)"
	}
	fields = append(fields, Field{"Data", data})
	return append(fields, tail...)
}

// AppendDataHeader appends the 9-octet header of an unpadded DATA frame
// carrying dataLen octets on streamID, for a sender that writes (or
// merely counts) the data itself. It is the hot path of a simulated
// response body.
func AppendDataHeader(dst []byte, streamID uint32, dataLen int, endStream bool) []byte {
	var fl Flags
	if endStream {
		fl = FlagEndStream
	}
	return appendHeader(dst, FrameData, fl, streamID, dataLen)
}

// checkDataHeader applies the rules on a DATA frame that need only its
// header.
func checkDataHeader(h FrameHeader) error {
	// §6.1: "If a DATA frame is received whose Stream Identifier field is
	// 0x00, the recipient MUST respond with a connection error (Section
	// 5.4.1) of type PROTOCOL_ERROR."
	if h.StreamID == 0 {
		return connErrorf(ErrCodeProtocol, "DATA frame on stream 0")
	}
	// §4.2: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a
	// frame ... is too small to contain mandatory frame data": with PADDED
	// set, the Pad Length field (§6.1). The header alone tells, so the
	// frame is refused when it arrives, not when its payload is complete.
	if h.Flags.Has(FlagPadded) && h.Length == 0 {
		return connErrorf(ErrCodeFrameSize, "DATA frame with PADDED set has no Pad Length field")
	}
	return nil
}

// ParseDataFrame parses the payload of a DATA frame with header h. Data
// aliases payload.
func ParseDataFrame(h FrameHeader, payload []byte) (DataFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return DataFrame{}, err
	}
	if err := checkDataHeader(h); err != nil {
		return DataFrame{}, err
	}
	padLength, _, data, err := splitPadded(h, payload, 0)
	if err != nil {
		return DataFrame{}, err
	}
	return DataFrame{
		StreamID:  h.StreamID,
		EndStream: h.Flags.Has(FlagEndStream),
		Padded:    h.Flags.Has(FlagPadded),
		PadLength: padLength,
		Data:      data,
		DataLen:   len(data),
	}, nil
}

// DataPrefixLen returns how many payload octets ParseDataHeader needs for
// a DATA frame with header h: 1 (the Pad Length) when PADDED is set and
// the payload is not empty, else 0.
func DataPrefixLen(h FrameHeader) int {
	if h.Flags.Has(FlagPadded) && h.Length > 0 {
		return 1
	}
	return 0
}

// ParseDataHeader checks a DATA frame from its header and the first
// DataPrefixLen(h) octets of its payload, without the data: it returns a
// DataFrame whose Data is nil and whose DataLen is the length of the Data
// field. It is for a receiver whose transport delivers byte counts rather
// than bytes. It returns ErrIncomplete when prefix is too short. Unlike
// ParseDataFrame it cannot check that the padding octets are zero.
func ParseDataHeader(h FrameHeader, prefix []byte) (DataFrame, error) {
	if err := checkDataHeader(h); err != nil {
		return DataFrame{}, err
	}
	f := DataFrame{
		StreamID:  h.StreamID,
		EndStream: h.Flags.Has(FlagEndStream),
		Padded:    h.Flags.Has(FlagPadded),
		DataLen:   int(h.Length),
	}
	if !f.Padded {
		return f, nil
	}
	if h.Length == 0 {
		return DataFrame{}, connErrorf(ErrCodeFrameSize, "DATA frame with PADDED set has no Pad Length field")
	}
	if len(prefix) < 1 {
		return DataFrame{}, ErrIncomplete
	}
	f.PadLength = prefix[0]
	f.DataLen = int(h.Length) - 1 - int(f.PadLength)
	if f.DataLen < 0 {
		// §6.1, as in splitPadded.
		return DataFrame{}, connErrorf(ErrCodeProtocol, "DATA Pad Length %d exceeds the %d octets left in the payload", f.PadLength, h.Length-1)
	}
	return f, nil
}
