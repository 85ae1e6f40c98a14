package wire

// This file holds the connection ID management frames: NEW_CONNECTION_ID
// and RETIRE_CONNECTION_ID (RFC 9000 §5.1).

// StatelessResetTokenLen is the length of a stateless reset token
// (RFC 9000 §10.3, §19.15).
const StatelessResetTokenLen = 16

// NewConnectionIDFrame is a NEW_CONNECTION_ID frame: an alternative
// connection ID the peer may use (RFC 9000 §19.15):
//
//	Type (i) = 0x18, Sequence Number (i), Retire Prior To (i),
//	Length (8), Connection ID (8..160), Stateless Reset Token (128)
type NewConnectionIDFrame struct {
	SequenceNumber uint64
	// RetirePriorTo asks the peer to retire connection IDs with a lower
	// sequence number; it is at most SequenceNumber.
	RetirePriorTo uint64
	// ConnectionID is 1 to 20 bytes long.
	ConnectionID        []byte
	StatelessResetToken [StatelessResetTokenLen]byte
}

func parseNewConnectionIDFrame(p *parser) *NewConnectionIDFrame {
	f := &NewConnectionIDFrame{
		SequenceNumber: p.varint("Sequence Number"),
		RetirePriorTo:  p.varint("Retire Prior To"),
	}
	var l uint64
	if b := p.bytes(1, "Length"); b != nil {
		l = uint64(b[0])
	}
	if p.err == nil && (l < 1 || l > MaxConnectionIDLen) {
		// §19.15: lengths outside 1..20 are a FRAME_ENCODING_ERROR.
		p.fail("connection ID length %d outside 1..20", l)
	}
	f.ConnectionID = p.bytes(l, "Connection ID")
	copy(f.StatelessResetToken[:], p.bytes(StatelessResetTokenLen, "Stateless Reset Token"))
	if p.err == nil && f.RetirePriorTo > f.SequenceNumber {
		// §19.15: Retire Prior To above Sequence Number is a
		// FRAME_ENCODING_ERROR.
		p.fail("Retire Prior To %d exceeds Sequence Number %d", f.RetirePriorTo, f.SequenceNumber)
	}
	if p.err != nil {
		return nil
	}
	return f
}

// Type returns FrameTypeNewConnectionID.
func (f *NewConnectionIDFrame) Type() FrameType { return FrameTypeNewConnectionID }

// AckEliciting returns true.
func (f *NewConnectionIDFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *NewConnectionIDFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *NewConnectionIDFrame) Append(dst []byte) []byte {
	dst = append(dst, byte(FrameTypeNewConnectionID))
	dst = AppendVarint(dst, f.SequenceNumber)
	dst = AppendVarint(dst, f.RetirePriorTo)
	dst = append(dst, byte(len(f.ConnectionID)))
	dst = append(dst, f.ConnectionID...)
	return append(dst, f.StatelessResetToken[:]...)
}

// Length returns the encoded length.
func (f *NewConnectionIDFrame) Length() int {
	return 1 + VarintLen(f.SequenceNumber) + VarintLen(f.RetirePriorTo) + 1 +
		len(f.ConnectionID) + StatelessResetTokenLen
}

// RetireConnectionIDFrame is a RETIRE_CONNECTION_ID frame: the sender will
// no longer use the connection ID with this sequence number (RFC 9000
// §19.16).
type RetireConnectionIDFrame struct {
	SequenceNumber uint64
}

// Type returns FrameTypeRetireConnectionID.
func (f *RetireConnectionIDFrame) Type() FrameType { return FrameTypeRetireConnectionID }

// AckEliciting returns true.
func (f *RetireConnectionIDFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *RetireConnectionIDFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *RetireConnectionIDFrame) Append(dst []byte) []byte {
	return AppendVarint(append(dst, byte(FrameTypeRetireConnectionID)), f.SequenceNumber)
}

// Length returns the encoded length.
func (f *RetireConnectionIDFrame) Length() int { return 1 + VarintLen(f.SequenceNumber) }
