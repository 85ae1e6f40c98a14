package h2

import (
	"encoding/binary"
	"strconv"
)

// windowUpdateLen is the fixed payload length of WINDOW_UPDATE (RFC 9113
// §6.9).
const windowUpdateLen = 4

// MaxWindowSize is the largest flow-control window and the largest window
// increment, 2^31-1 octets (RFC 9113 §6.9, §6.9.1).
const MaxWindowSize = 1<<31 - 1

// WindowUpdateFrame is a WINDOW_UPDATE frame (RFC 9113 §6.9): flow-control
// credit for one stream, or for the whole connection when StreamID is 0.
//
//	WINDOW_UPDATE Frame {
//	  Length (24) = 0x04,
//	  Type (8) = 0x08,
//	  Unused Flags (8),
//	  Reserved (1),
//	  Stream Identifier (31),
//	  Reserved (1),
//	  Window Size Increment (31),
//	}
type WindowUpdateFrame struct {
	// StreamID is the stream credited, or 0 for the connection.
	StreamID uint32
	// WindowSizeIncrement is the credit in octets, 1 to 2^31-1.
	WindowSizeIncrement uint32
}

var _ Frame = (*WindowUpdateFrame)(nil)

// PayloadLen implements Frame: always 4.
func (f *WindowUpdateFrame) PayloadLen() int { return windowUpdateLen }

// Header implements Frame.
func (f *WindowUpdateFrame) Header() FrameHeader {
	return FrameHeader{Length: windowUpdateLen, Type: FrameWindowUpdate, StreamID: f.StreamID}
}

// Append implements Frame. The reserved bit before the increment is left
// unset.
func (f *WindowUpdateFrame) Append(dst []byte) []byte {
	dst = appendHeader(dst, FrameWindowUpdate, 0, f.StreamID, windowUpdateLen)
	return binary.BigEndian.AppendUint32(dst, f.WindowSizeIncrement&MaxWindowSize)
}

// Fields implements Frame.
func (f *WindowUpdateFrame) Fields() []Field {
	return append(headerFields(f.Header()),
		Field{"Window Size Increment", strconv.FormatUint(uint64(f.WindowSizeIncrement), 10)})
}

// ParseWindowUpdateFrame parses the payload of a WINDOW_UPDATE frame with
// header h. The reserved bit before the increment is ignored.
func ParseWindowUpdateFrame(h FrameHeader, payload []byte) (WindowUpdateFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return WindowUpdateFrame{}, err
	}
	// §6.9: "A WINDOW_UPDATE frame with a length other than 4 octets MUST
	// be treated as a connection error (Section 5.4.1) of type
	// FRAME_SIZE_ERROR."
	if len(payload) != windowUpdateLen {
		return WindowUpdateFrame{}, connErrorf(ErrCodeFrameSize, "WINDOW_UPDATE payload is %d octets; want 4", len(payload))
	}
	inc := binary.BigEndian.Uint32(payload) & MaxWindowSize
	// §6.9: "A receiver MUST treat the receipt of a WINDOW_UPDATE frame
	// with a flow-control window increment of 0 as a stream error
	// (Section 5.4.2) of type PROTOCOL_ERROR; errors on the connection
	// flow-control window MUST be treated as a connection error (Section
	// 5.4.1)."
	if inc == 0 {
		if h.StreamID == 0 {
			return WindowUpdateFrame{}, connErrorf(ErrCodeProtocol, "WINDOW_UPDATE with increment 0 on the connection")
		}
		return WindowUpdateFrame{}, streamErrorf(h.StreamID, ErrCodeProtocol, "WINDOW_UPDATE with increment 0")
	}
	return WindowUpdateFrame{StreamID: h.StreamID, WindowSizeIncrement: inc}, nil
}
