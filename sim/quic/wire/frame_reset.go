package wire

// This file holds the frames that abort one direction of a stream:
// RESET_STREAM and STOP_SENDING.

// ResetStreamFrame is a RESET_STREAM frame: the sender abandons the sending
// part of a stream (RFC 9000 §19.4):
//
//	Type (i) = 0x04, Stream ID (i), Application Protocol Error Code (i),
//	Final Size (i)
type ResetStreamFrame struct {
	StreamID                     uint64
	ApplicationProtocolErrorCode uint64
	// FinalSize is the stream's final size in bytes (§4.5).
	FinalSize uint64
}

func parseResetStreamFrame(p *parser) *ResetStreamFrame {
	f := &ResetStreamFrame{
		StreamID:                     p.varint("Stream ID"),
		ApplicationProtocolErrorCode: p.varint("Application Protocol Error Code"),
		FinalSize:                    p.varint("Final Size"),
	}
	if p.err != nil {
		return nil
	}
	return f
}

// Type returns FrameTypeResetStream.
func (f *ResetStreamFrame) Type() FrameType { return FrameTypeResetStream }

// AckEliciting returns true.
func (f *ResetStreamFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *ResetStreamFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *ResetStreamFrame) Append(dst []byte) []byte {
	dst = append(dst, byte(FrameTypeResetStream))
	dst = AppendVarint(dst, f.StreamID)
	dst = AppendVarint(dst, f.ApplicationProtocolErrorCode)
	return AppendVarint(dst, f.FinalSize)
}

// Length returns the encoded length.
func (f *ResetStreamFrame) Length() int {
	return 1 + VarintLen(f.StreamID) + VarintLen(f.ApplicationProtocolErrorCode) + VarintLen(f.FinalSize)
}

// StopSendingFrame is a STOP_SENDING frame: the receiver asks the peer to
// stop sending on a stream (RFC 9000 §19.5):
//
//	Type (i) = 0x05, Stream ID (i), Application Protocol Error Code (i)
type StopSendingFrame struct {
	StreamID                     uint64
	ApplicationProtocolErrorCode uint64
}

func parseStopSendingFrame(p *parser) *StopSendingFrame {
	f := &StopSendingFrame{
		StreamID:                     p.varint("Stream ID"),
		ApplicationProtocolErrorCode: p.varint("Application Protocol Error Code"),
	}
	if p.err != nil {
		return nil
	}
	return f
}

// Type returns FrameTypeStopSending.
func (f *StopSendingFrame) Type() FrameType { return FrameTypeStopSending }

// AckEliciting returns true.
func (f *StopSendingFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *StopSendingFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *StopSendingFrame) Append(dst []byte) []byte {
	dst = append(dst, byte(FrameTypeStopSending))
	dst = AppendVarint(dst, f.StreamID)
	return AppendVarint(dst, f.ApplicationProtocolErrorCode)
}

// Length returns the encoded length.
func (f *StopSendingFrame) Length() int {
	return 1 + VarintLen(f.StreamID) + VarintLen(f.ApplicationProtocolErrorCode)
}
