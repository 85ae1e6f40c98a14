package h2

import (
	"encoding/binary"
	"strconv"
)

// goAwayFixedLen is the length of the mandatory GOAWAY fields.
const goAwayFixedLen = 8

// GoAwayFrame is a GOAWAY frame (RFC 9113 §6.8): the sender will take no
// new streams above LastStreamID, and says why.
//
//	GOAWAY Frame {
//	  Length (24),
//	  Type (8) = 0x07,
//	  Unused Flags (8),
//	  Reserved (1),
//	  Stream Identifier (31) = 0,
//	  Reserved (1),
//	  Last-Stream-ID (31),
//	  Error Code (32),
//	  Additional Debug Data (..),
//	}
type GoAwayFrame struct {
	// LastStreamID is the highest-numbered peer-initiated stream the
	// sender might have processed (31 bits).
	LastStreamID uint32
	// ErrorCode says why the connection is closing (§7).
	ErrorCode ErrCode
	// AdditionalDebugData is opaque diagnostic data. Parsing makes it
	// alias the input.
	AdditionalDebugData []byte
}

var _ Frame = (*GoAwayFrame)(nil)

// PayloadLen implements Frame.
func (f *GoAwayFrame) PayloadLen() int { return goAwayFixedLen + len(f.AdditionalDebugData) }

// Header implements Frame.
func (f *GoAwayFrame) Header() FrameHeader {
	return FrameHeader{Length: uint32(f.PayloadLen()), Type: FrameGoAway}
}

// Append implements Frame. The reserved bit before Last-Stream-ID is left
// unset.
func (f *GoAwayFrame) Append(dst []byte) []byte {
	dst = appendHeader(dst, FrameGoAway, 0, 0, f.PayloadLen())
	dst = binary.BigEndian.AppendUint32(dst, f.LastStreamID&MaxStreamID)
	dst = binary.BigEndian.AppendUint32(dst, uint32(f.ErrorCode))
	return append(dst, f.AdditionalDebugData...)
}

// Fields implements Frame. The debug data is shown quoted, since it is
// usually text.
func (f *GoAwayFrame) Fields() []Field {
	return append(headerFields(f.Header()),
		Field{"Last-Stream-ID", strconv.FormatUint(uint64(f.LastStreamID), 10)},
		Field{"Error Code", errCodeField(f.ErrorCode)},
		Field{"Additional Debug Data", strconv.Quote(string(f.AdditionalDebugData))},
	)
}

// ParseGoAwayFrame parses the payload of a GOAWAY frame with header h. The
// reserved bit before Last-Stream-ID is ignored.
func ParseGoAwayFrame(h FrameHeader, payload []byte) (GoAwayFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return GoAwayFrame{}, err
	}
	// §6.8: "An endpoint MUST treat a GOAWAY frame with a stream
	// identifier other than 0x00 as a connection error (Section 5.4.1) of
	// type PROTOCOL_ERROR."
	if h.StreamID != 0 {
		return GoAwayFrame{}, connErrorf(ErrCodeProtocol, "GOAWAY frame on stream %d; want 0", h.StreamID)
	}
	// §4.2: a frame "too small to contain mandatory frame data" is a
	// FRAME_SIZE_ERROR, a connection error on stream 0.
	if len(payload) < goAwayFixedLen {
		return GoAwayFrame{}, connErrorf(ErrCodeFrameSize, "GOAWAY payload is %d octets; want at least 8", len(payload))
	}
	return GoAwayFrame{
		LastStreamID:        binary.BigEndian.Uint32(payload) & MaxStreamID,
		ErrorCode:           ErrCode(binary.BigEndian.Uint32(payload[4:])),
		AdditionalDebugData: payload[goAwayFixedLen:],
	}, nil
}
