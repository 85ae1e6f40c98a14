package h2

import (
	"encoding/binary"
	"strconv"
)

// promisedStreamIDLen is the length of the Promised Stream ID field.
const promisedStreamIDLen = 4

// PushPromiseFrame is a PUSH_PROMISE frame (RFC 9113 §6.6): the server
// reserves PromisedStreamID for a response it will push, and sends the
// promised request's field block.
//
//	PUSH_PROMISE Frame {
//	  Length (24),
//	  Type (8) = 0x05,
//	  Unused Flags (4), PADDED Flag (1), END_HEADERS Flag (1),
//	  Unused Flags (2),
//	  Reserved (1),
//	  Stream Identifier (31),
//	  [Pad Length (8)],
//	  Reserved (1),
//	  Promised Stream ID (31),
//	  Field Block Fragment (..),
//	  Padding (..2040),
//	}
type PushPromiseFrame struct {
	// StreamID is the peer-initiated stream the promise is made on; never
	// 0.
	StreamID uint32
	// EndHeaders is the END_HEADERS flag: no CONTINUATION follows.
	EndHeaders bool
	// Padded is the PADDED flag: a Pad Length field (possibly 0) is
	// present.
	Padded bool
	// PadLength is the number of padding octets, when Padded.
	PadLength uint8
	// PromisedStreamID is the stream reserved for the push (31 bits).
	PromisedStreamID uint32
	// FieldBlockFragment is the (first part of the) promised request's
	// HPACK field block. Parsing makes it alias the input.
	FieldBlockFragment []byte
}

var _ Frame = (*PushPromiseFrame)(nil)

// PayloadLen implements Frame.
func (f *PushPromiseFrame) PayloadLen() int {
	return promisedStreamIDLen + len(f.FieldBlockFragment) + padOverhead(f.Padded, f.PadLength)
}

// flags returns the flags the fields imply.
func (f *PushPromiseFrame) flags() Flags {
	var fl Flags
	if f.EndHeaders {
		fl |= FlagEndHeaders
	}
	if f.Padded {
		fl |= FlagPadded
	}
	return fl
}

// Header implements Frame.
func (f *PushPromiseFrame) Header() FrameHeader {
	return FrameHeader{Length: uint32(f.PayloadLen()), Type: FramePushPromise, Flags: f.flags(), StreamID: f.StreamID}
}

// Append implements Frame. The reserved bit before Promised Stream ID is
// left unset.
func (f *PushPromiseFrame) Append(dst []byte) []byte {
	dst = appendHeader(dst, FramePushPromise, f.flags(), f.StreamID, f.PayloadLen())
	if f.Padded {
		dst = append(dst, f.PadLength)
	}
	dst = binary.BigEndian.AppendUint32(dst, f.PromisedStreamID&MaxStreamID)
	dst = append(dst, f.FieldBlockFragment...)
	if f.Padded {
		dst = appendZeros(dst, int(f.PadLength))
	}
	return dst
}

// Fields implements Frame.
func (f *PushPromiseFrame) Fields() []Field {
	fields := headerFields(f.Header())
	head, tail := paddingFields(f.Padded, f.PadLength)
	fields = append(fields, head...)
	fields = append(fields,
		Field{"Promised Stream ID", strconv.FormatUint(uint64(f.PromisedStreamID), 10)},
		Field{"Field Block Fragment", octets(f.FieldBlockFragment)})
	return append(fields, tail...)
}

// ParsePushPromiseFrame parses the payload of a PUSH_PROMISE frame with
// header h. FieldBlockFragment aliases payload. Whether the promised
// stream is a legal new server stream (even, above those already used,
// §5.1.1) and whether push is enabled (§6.5.2) are for the connection to
// check.
func ParsePushPromiseFrame(h FrameHeader, payload []byte) (PushPromiseFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return PushPromiseFrame{}, err
	}
	// §6.6: "If the Stream Identifier field specifies the value 0x00, a
	// recipient MUST respond with a connection error (Section 5.4.1) of
	// type PROTOCOL_ERROR."
	if h.StreamID == 0 {
		return PushPromiseFrame{}, connErrorf(ErrCodeProtocol, "PUSH_PROMISE frame on stream 0")
	}
	padLength, promised, frag, err := splitPadded(h, payload, promisedStreamIDLen)
	if err != nil {
		return PushPromiseFrame{}, err
	}
	f := PushPromiseFrame{
		StreamID:           h.StreamID,
		EndHeaders:         h.Flags.Has(FlagEndHeaders),
		Padded:             h.Flags.Has(FlagPadded),
		PadLength:          padLength,
		PromisedStreamID:   binary.BigEndian.Uint32(promised) & MaxStreamID,
		FieldBlockFragment: frag,
	}
	// §6.6: "A receiver MUST treat the receipt of a PUSH_PROMISE that
	// promises an illegal stream identifier (Section 5.1.1) as a
	// connection error (Section 5.4.1) of type PROTOCOL_ERROR"; stream 0
	// is never legal ("the stream identifier of zero cannot be used to
	// establish a new stream", §5.1.1).
	if f.PromisedStreamID == 0 {
		return PushPromiseFrame{}, connErrorf(ErrCodeProtocol, "PUSH_PROMISE promises stream 0")
	}
	return f, nil
}
