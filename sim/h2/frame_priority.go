package h2

import (
	"encoding/binary"
	"strconv"
)

// priorityParamLen is the size of the Exclusive, Stream Dependency and
// Weight fields in HEADERS and PRIORITY frames.
const priorityParamLen = 5

// PriorityParam holds the RFC 7540 priority fields that RFC 9113 keeps on
// the wire but deprecates (§5.3.2): the Exclusive bit, the 31-bit Stream
// Dependency and the 8-bit Weight. The Weight is the wire value; RFC 7540
// §5.3.2 adds one to it to get a weight between 1 and 256.
type PriorityParam struct {
	// Exclusive is the exclusive-dependency bit.
	Exclusive bool
	// StreamDependency is the stream this stream depends on (31 bits).
	StreamDependency uint32
	// Weight is the wire weight, one less than the RFC 7540 weight.
	Weight uint8
}

// append appends the 5-octet encoding of p.
func (p PriorityParam) append(dst []byte) []byte {
	v := p.StreamDependency & MaxStreamID
	if p.Exclusive {
		v |= 1 << 31
	}
	dst = binary.BigEndian.AppendUint32(dst, v)
	return append(dst, p.Weight)
}

// parsePriorityParam decodes the 5 octets of b.
func parsePriorityParam(b []byte) PriorityParam {
	v := binary.BigEndian.Uint32(b)
	return PriorityParam{
		Exclusive:        v&(1<<31) != 0,
		StreamDependency: v & MaxStreamID,
		Weight:           b[4],
	}
}

// fields returns p's fields for Frame.Fields.
func (p PriorityParam) fields() []Field {
	return []Field{
		{"Exclusive", strconv.FormatBool(p.Exclusive)},
		{"Stream Dependency", strconv.FormatUint(uint64(p.StreamDependency), 10)},
		{"Weight", strconv.Itoa(int(p.Weight)) + " (weight " + strconv.Itoa(int(p.Weight)+1) + ")"},
	}
}

// PriorityFrame is a PRIORITY frame (RFC 9113 §6.3), deprecated with the
// RFC 7540 priority scheme (§5.3.2) but still parsed: it may arrive on a
// stream in any state and changes no stream state.
//
//	PRIORITY Frame {
//	  Length (24) = 0x05,
//	  Type (8) = 0x02,
//	  Unused Flags (8),
//	  Reserved (1),
//	  Stream Identifier (31),
//	  Exclusive (1),
//	  Stream Dependency (31),
//	  Weight (8),
//	}
type PriorityFrame struct {
	// StreamID is the stream whose priority is given; never 0.
	StreamID uint32
	// PriorityParam holds the Exclusive, Stream Dependency and Weight
	// fields.
	PriorityParam
}

var _ Frame = (*PriorityFrame)(nil)

// PayloadLen implements Frame: always 5.
func (f *PriorityFrame) PayloadLen() int { return priorityParamLen }

// Header implements Frame.
func (f *PriorityFrame) Header() FrameHeader {
	return FrameHeader{Length: priorityParamLen, Type: FramePriority, StreamID: f.StreamID}
}

// Append implements Frame.
func (f *PriorityFrame) Append(dst []byte) []byte {
	dst = appendHeader(dst, FramePriority, 0, f.StreamID, priorityParamLen)
	return f.PriorityParam.append(dst)
}

// Fields implements Frame.
func (f *PriorityFrame) Fields() []Field {
	return append(headerFields(f.Header()), f.PriorityParam.fields()...)
}

// ParsePriorityFrame parses the payload of a PRIORITY frame with header h.
func ParsePriorityFrame(h FrameHeader, payload []byte) (PriorityFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return PriorityFrame{}, err
	}
	// §6.3: "If a PRIORITY frame is received with a stream identifier of
	// 0x00, the recipient MUST respond with a connection error (Section
	// 5.4.1) of type PROTOCOL_ERROR."
	if h.StreamID == 0 {
		return PriorityFrame{}, connErrorf(ErrCodeProtocol, "PRIORITY frame on stream 0")
	}
	// §6.3: "A PRIORITY frame with a length other than 5 octets MUST be
	// treated as a stream error (Section 5.4.2) of type FRAME_SIZE_ERROR."
	if len(payload) != priorityParamLen {
		return PriorityFrame{}, streamErrorf(h.StreamID, ErrCodeFrameSize, "PRIORITY payload is %d octets; want 5", len(payload))
	}
	return PriorityFrame{StreamID: h.StreamID, PriorityParam: parsePriorityParam(payload)}, nil
}
