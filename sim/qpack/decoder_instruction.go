package qpack

import (
	"fmt"

	"httpsim/sim/hpack"
)

// DecoderInstructionType is one of the instructions of the decoder stream
// (RFC 9204 §4.4).
type DecoderInstructionType uint8

// The three decoder instructions (RFC 9204 §4.4.1-§4.4.3).
const (
	// SectionAcknowledgment: '1' StreamID(7+) (§4.4.1).
	SectionAcknowledgment DecoderInstructionType = iota + 1
	// StreamCancellation: '01' StreamID(6+) (§4.4.2).
	StreamCancellation
	// InsertCountIncrement: '00' Increment(6+) (§4.4.3).
	InsertCountIncrement
)

var decoderInstructionNames = [...]string{
	SectionAcknowledgment: "Section Acknowledgment",
	StreamCancellation:    "Stream Cancellation",
	InsertCountIncrement:  "Insert Count Increment",
}

// String names the instruction as RFC 9204 §4.4 does.
func (t DecoderInstructionType) String() string {
	if int(t) < len(decoderInstructionNames) && decoderInstructionNames[t] != "" {
		return decoderInstructionNames[t]
	}
	return fmt.Sprintf("DecoderInstructionType(%d)", uint8(t))
}

// DecoderInstruction is one decoder instruction (RFC 9204 §4.4).
type DecoderInstruction struct {
	Type DecoderInstructionType
	// StreamID is the stream of a Section Acknowledgment or Stream
	// Cancellation.
	StreamID uint64
	// Increment is the Increment of an Insert Count Increment.
	Increment uint64
}

// AppendDecoderInstruction appends the instruction in (RFC 9204 §4.4).
func AppendDecoderInstruction(dst []byte, in DecoderInstruction) []byte {
	switch in.Type {
	case SectionAcknowledgment:
		return hpack.AppendInt(dst, 7, 0x80, in.StreamID)
	case StreamCancellation:
		return hpack.AppendInt(dst, 6, 0x40, in.StreamID)
	case InsertCountIncrement:
		return hpack.AppendInt(dst, 6, 0x00, in.Increment)
	}
	panic(fmt.Sprintf("qpack: AppendDecoderInstruction of %v", in.Type))
}

// ParseDecoderInstruction parses the decoder instruction at the start of
// src and returns it with its length. If src holds only the start of an
// instruction it returns n == 0 and a nil error. An integer above 2^62-1 is
// an *Error with code ErrDecoderStreamError.
func ParseDecoderInstruction(src []byte) (in DecoderInstruction, n int, err error) {
	in, n, e := parseDecoderInstruction(src)
	if e != nil {
		if incomplete(e) {
			return DecoderInstruction{}, 0, nil
		}
		e.Code = ErrDecoderStreamError
		return in, 0, e
	}
	return in, n, nil
}

func parseDecoderInstruction(src []byte) (in DecoderInstruction, n int, err *Error) {
	if len(src) == 0 {
		return in, 0, &Error{Reason: ReasonIntegerTruncated}
	}
	b := src[0]
	switch {
	case b&0x80 != 0: // §4.4.1
		in.Type = SectionAcknowledgment
		in.StreamID, n, err = readInt(src, 0, 7)
	case b&0xc0 == 0x40: // §4.4.2
		in.Type = StreamCancellation
		in.StreamID, n, err = readInt(src, 0, 6)
	default: // §4.4.3
		in.Type = InsertCountIncrement
		in.Increment, n, err = readInt(src, 0, 6)
	}
	return in, n, err
}
