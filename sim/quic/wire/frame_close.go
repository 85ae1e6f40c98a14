package wire

// ConnectionCloseFrame is a CONNECTION_CLOSE frame (RFC 9000 §19.19):
//
//	Type (i) = 0x1c..0x1d, Error Code (i), [Frame Type (i)],
//	Reason Phrase Length (i), Reason Phrase (..)
//
// Type 0x1c reports a transport error and carries the type of the frame
// that caused it; type 0x1d reports an application error and has no Frame
// Type field.
type ConnectionCloseFrame struct {
	// IsApplicationError selects type 0x1d.
	IsApplicationError bool
	// ErrorCode is a TransportErrorCode for type 0x1c, and an application
	// protocol error code (for HTTP/3, RFC 9114 §8.1) for type 0x1d.
	ErrorCode uint64
	// FrameType is the Frame Type field of type 0x1c (0 when unknown); it
	// is not sent with type 0x1d.
	FrameType FrameType
	// ReasonPhrase explains the closure, for people; it should be UTF-8
	// but is not checked.
	ReasonPhrase string
}

func parseConnectionCloseFrame(p *parser) *ConnectionCloseFrame {
	f := &ConnectionCloseFrame{IsApplicationError: p.typ == FrameTypeConnectionCloseApp}
	f.ErrorCode = p.varint("Error Code")
	if !f.IsApplicationError {
		f.FrameType = FrameType(p.varint("Frame Type"))
	}
	f.ReasonPhrase = string(p.bytes(p.varint("Reason Phrase Length"), "Reason Phrase"))
	if p.err != nil {
		return nil
	}
	return f
}

// Type returns FrameTypeConnectionCloseApp for an application error and
// FrameTypeConnectionClose otherwise.
func (f *ConnectionCloseFrame) Type() FrameType {
	if f.IsApplicationError {
		return FrameTypeConnectionCloseApp
	}
	return FrameTypeConnectionClose
}

// AckEliciting returns false (RFC 9002 §2).
func (f *ConnectionCloseFrame) AckEliciting() bool { return false }

// InFlight returns false (RFC 9002 §2).
func (f *ConnectionCloseFrame) InFlight() bool { return false }

// Append appends the encoded frame.
func (f *ConnectionCloseFrame) Append(dst []byte) []byte {
	dst = AppendVarint(append(dst, byte(f.Type())), f.ErrorCode)
	if !f.IsApplicationError {
		dst = AppendVarint(dst, uint64(f.FrameType))
	}
	dst = AppendVarint(dst, uint64(len(f.ReasonPhrase)))
	return append(dst, f.ReasonPhrase...)
}

// Length returns the encoded length.
func (f *ConnectionCloseFrame) Length() int {
	n := 1 + VarintLen(f.ErrorCode) + VarintLen(uint64(len(f.ReasonPhrase))) + len(f.ReasonPhrase)
	if !f.IsApplicationError {
		n += VarintLen(uint64(f.FrameType))
	}
	return n
}

// TransportErrorCode returns ErrorCode as a transport error code; it is
// meaningful only when IsApplicationError is false.
func (f *ConnectionCloseFrame) TransportErrorCode() TransportErrorCode {
	return TransportErrorCode(f.ErrorCode)
}
