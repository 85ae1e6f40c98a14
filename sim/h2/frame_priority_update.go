package h2

import (
	"encoding/binary"
	"strconv"
)

// prioritizedStreamIDLen is the length of the Prioritized Stream ID field.
const prioritizedStreamIDLen = 4

// PriorityUpdateFrame is the HTTP/2 PRIORITY_UPDATE frame of RFC 9218
// §7.1 (type 0x10): it changes the priority of a request stream. Its
// Priority Field Value is a Structured Fields Dictionary in the syntax of
// the Priority header field ("u=1, i"), RFC 9218 §4-5; this frame layer
// carries it uninterpreted.
//
//	HTTP/2 PRIORITY_UPDATE Frame {
//	  Length (24),
//	  Type (8) = 0x10,
//	  Unused Flags (8),
//	  Reserved (1),
//	  Stream Identifier (31) = 0,
//	  Reserved (1),
//	  Prioritized Stream ID (31),
//	  Priority Field Value (..),
//	}
type PriorityUpdateFrame struct {
	// PrioritizedStreamID is the request stream to reprioritize; never 0.
	PrioritizedStreamID uint32
	// PriorityFieldValue is the ASCII dictionary of priority parameters.
	PriorityFieldValue string
}

var _ Frame = (*PriorityUpdateFrame)(nil)

// PayloadLen implements Frame.
func (f *PriorityUpdateFrame) PayloadLen() int {
	return prioritizedStreamIDLen + len(f.PriorityFieldValue)
}

// Header implements Frame.
func (f *PriorityUpdateFrame) Header() FrameHeader {
	return FrameHeader{Length: uint32(f.PayloadLen()), Type: FramePriorityUpdate}
}

// Append implements Frame. The reserved bit before the Prioritized Stream
// ID is left unset.
func (f *PriorityUpdateFrame) Append(dst []byte) []byte {
	dst = appendHeader(dst, FramePriorityUpdate, 0, 0, f.PayloadLen())
	dst = binary.BigEndian.AppendUint32(dst, f.PrioritizedStreamID&MaxStreamID)
	return append(dst, f.PriorityFieldValue...)
}

// Fields implements Frame.
func (f *PriorityUpdateFrame) Fields() []Field {
	return append(headerFields(f.Header()),
		Field{"Prioritized Stream ID", strconv.FormatUint(uint64(f.PrioritizedStreamID), 10)},
		Field{"Priority Field Value", strconv.Quote(f.PriorityFieldValue)})
}

// ParsePriorityUpdateFrame parses the payload of a PRIORITY_UPDATE frame
// with header h. The rule that only clients send it (RFC 9218 §7.1) is
// for the connection to check.
func ParsePriorityUpdateFrame(h FrameHeader, payload []byte) (PriorityUpdateFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return PriorityUpdateFrame{}, err
	}
	// RFC 9218 §7.1: PRIORITY_UPDATE is sent on stream 0; one received on
	// any other stream is a connection error of type PROTOCOL_ERROR.
	if h.StreamID != 0 {
		return PriorityUpdateFrame{}, connErrorf(ErrCodeProtocol, "PRIORITY_UPDATE frame on stream %d; want 0", h.StreamID)
	}
	// RFC 9113 §4.2: too small for the mandatory Prioritized Stream ID; a
	// frame size error on stream 0 is a connection error.
	if len(payload) < prioritizedStreamIDLen {
		return PriorityUpdateFrame{}, connErrorf(ErrCodeFrameSize, "PRIORITY_UPDATE payload is %d octets; want at least 4", len(payload))
	}
	f := PriorityUpdateFrame{
		PrioritizedStreamID: binary.BigEndian.Uint32(payload) & MaxStreamID,
		PriorityFieldValue:  string(payload[prioritizedStreamIDLen:]),
	}
	// RFC 9218 §7.1: a PRIORITY_UPDATE whose Prioritized Stream ID is 0
	// (the connection, never a request stream) is a connection error of
	// type PROTOCOL_ERROR.
	if f.PrioritizedStreamID == 0 {
		return PriorityUpdateFrame{}, connErrorf(ErrCodeProtocol, "PRIORITY_UPDATE prioritizes stream 0")
	}
	return f, nil
}
