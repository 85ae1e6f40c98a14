package h2

import "encoding/binary"

// rstStreamLen is the fixed payload length of RST_STREAM (RFC 9113 §6.4).
const rstStreamLen = 4

// RSTStreamFrame is a RST_STREAM frame (RFC 9113 §6.4): it ends a stream
// at once, with an error code saying why.
//
//	RST_STREAM Frame {
//	  Length (24) = 0x04,
//	  Type (8) = 0x03,
//	  Unused Flags (8),
//	  Reserved (1),
//	  Stream Identifier (31),
//	  Error Code (32),
//	}
type RSTStreamFrame struct {
	// StreamID is the stream to end; never 0.
	StreamID uint32
	// ErrorCode says why the stream ends (§7).
	ErrorCode ErrCode
}

var _ Frame = (*RSTStreamFrame)(nil)

// PayloadLen implements Frame: always 4.
func (f *RSTStreamFrame) PayloadLen() int { return rstStreamLen }

// Header implements Frame.
func (f *RSTStreamFrame) Header() FrameHeader {
	return FrameHeader{Length: rstStreamLen, Type: FrameRSTStream, StreamID: f.StreamID}
}

// Append implements Frame.
func (f *RSTStreamFrame) Append(dst []byte) []byte {
	dst = appendHeader(dst, FrameRSTStream, 0, f.StreamID, rstStreamLen)
	return binary.BigEndian.AppendUint32(dst, uint32(f.ErrorCode))
}

// Fields implements Frame.
func (f *RSTStreamFrame) Fields() []Field {
	return append(headerFields(f.Header()), Field{"Error Code", errCodeField(f.ErrorCode)})
}

// errCodeField formats an error code for Frame.Fields: "CANCEL (0x8)".
func errCodeField(c ErrCode) string {
	return c.String() + " (0x" + fmtHex(uint64(c)) + ")"
}

// ParseRSTStreamFrame parses the payload of a RST_STREAM frame with header
// h.
func ParseRSTStreamFrame(h FrameHeader, payload []byte) (RSTStreamFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return RSTStreamFrame{}, err
	}
	// §6.4: "If a RST_STREAM frame is received with a stream identifier of
	// 0x00, the recipient MUST treat this as a connection error (Section
	// 5.4.1) of type PROTOCOL_ERROR."
	if h.StreamID == 0 {
		return RSTStreamFrame{}, connErrorf(ErrCodeProtocol, "RST_STREAM frame on stream 0")
	}
	// §6.4: "A RST_STREAM frame with a length other than 4 octets MUST be
	// treated as a connection error (Section 5.4.1) of type
	// FRAME_SIZE_ERROR."
	if len(payload) != rstStreamLen {
		return RSTStreamFrame{}, connErrorf(ErrCodeFrameSize, "RST_STREAM payload is %d octets; want 4", len(payload))
	}
	return RSTStreamFrame{StreamID: h.StreamID, ErrorCode: ErrCode(binary.BigEndian.Uint32(payload))}, nil
}
