package h2

import "fmt"

// pingLen is the fixed payload length of PING (RFC 9113 §6.7).
const pingLen = 8

// PingFrame is a PING frame (RFC 9113 §6.7): a round-trip probe. The
// receiver of a PING without ACK answers with a PING with ACK and the same
// Opaque Data.
//
//	PING Frame {
//	  Length (24) = 0x08,
//	  Type (8) = 0x06,
//	  Unused Flags (7), ACK Flag (1),
//	  Reserved (1),
//	  Stream Identifier (31) = 0,
//	  Opaque Data (64),
//	}
type PingFrame struct {
	// Ack is the ACK flag: this PING is a response.
	Ack bool
	// OpaqueData is echoed unchanged in the response.
	OpaqueData [8]byte
}

var _ Frame = (*PingFrame)(nil)

// PayloadLen implements Frame: always 8.
func (f *PingFrame) PayloadLen() int { return pingLen }

// flags returns the flags the fields imply.
func (f *PingFrame) flags() Flags {
	if f.Ack {
		return FlagAck
	}
	return 0
}

// Header implements Frame.
func (f *PingFrame) Header() FrameHeader {
	return FrameHeader{Length: pingLen, Type: FramePing, Flags: f.flags()}
}

// Append implements Frame.
func (f *PingFrame) Append(dst []byte) []byte {
	dst = appendHeader(dst, FramePing, f.flags(), 0, pingLen)
	return append(dst, f.OpaqueData[:]...)
}

// Fields implements Frame.
func (f *PingFrame) Fields() []Field {
	return append(headerFields(f.Header()), Field{"Opaque Data", fmt.Sprintf("% x", f.OpaqueData[:])})
}

// ParsePingFrame parses the payload of a PING frame with header h.
func ParsePingFrame(h FrameHeader, payload []byte) (PingFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return PingFrame{}, err
	}
	// §6.7: "If a PING frame is received with a Stream Identifier field
	// value other than 0x00, the recipient MUST respond with a connection
	// error (Section 5.4.1) of type PROTOCOL_ERROR."
	if h.StreamID != 0 {
		return PingFrame{}, connErrorf(ErrCodeProtocol, "PING frame on stream %d; want 0", h.StreamID)
	}
	// §6.7: "Receipt of a PING frame with a length field value other than
	// 8 MUST be treated as a connection error (Section 5.4.1) of type
	// FRAME_SIZE_ERROR."
	if len(payload) != pingLen {
		return PingFrame{}, connErrorf(ErrCodeFrameSize, "PING payload is %d octets; want 8", len(payload))
	}
	f := PingFrame{Ack: h.Flags.Has(FlagAck)}
	copy(f.OpaqueData[:], payload)
	return f, nil
}
