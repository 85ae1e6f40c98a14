package h3

import (
	"fmt"
	"slices"

	"httpsim/sim/quic/wire"
)

// This file holds the frames of an HTTP message on a request or push
// stream: DATA, HEADERS and PUSH_PROMISE.

// DataFrame is a DATA frame: a piece of an HTTP message's content
// (RFC 9114 §7.2.1).
//
// The content may be filler: DataLen is always the payload's length, and
// Data is either nil (the bytes are not materialised) or exactly DataLen
// bytes. Length counts the payload either way; AppendHeader writes only the
// Type and Length fields; Append writes Data, or DataLen zero bytes.
type DataFrame struct {
	// DataLen is the payload length in bytes.
	DataLen uint64
	// Data is the payload, or nil for filler.
	Data []byte
}

// Type returns FrameData.
func (f *DataFrame) Type() FrameType { return FrameData }

// PayloadLen returns DataLen.
func (f *DataFrame) PayloadLen() uint64 { return f.DataLen }

// HeaderLen returns the length of the Type and Length fields.
func (f *DataFrame) HeaderLen() int { return FrameHeaderLen(FrameData, f.DataLen) }

// Length returns the encoded length, payload included.
func (f *DataFrame) Length() int { return frameLen(FrameData, f.DataLen) }

// AppendHeader appends the Type and Length fields only. It panics if Data
// is not nil and not DataLen bytes long.
func (f *DataFrame) AppendHeader(dst []byte) []byte {
	if f.Data != nil && uint64(len(f.Data)) != f.DataLen {
		panic(fmt.Sprintf("h3: DATA frame with DataLen %d and %d bytes of Data", f.DataLen, len(f.Data)))
	}
	return AppendFrameHeader(dst, FrameData, f.DataLen)
}

// Append appends the whole frame: header, then Data or DataLen zero bytes.
func (f *DataFrame) Append(dst []byte) []byte {
	dst = f.AppendHeader(dst)
	if f.Data != nil {
		return append(dst, f.Data...)
	}
	return appendZeros(dst, f.DataLen)
}

// Fields returns the payload length.
func (f *DataFrame) Fields() []FrameField {
	return []FrameField{fieldUint("length", f.DataLen)}
}

// HeadersFrame is a HEADERS frame: a QPACK-encoded field section
// (RFC 9114 §7.2.2, RFC 9204).
type HeadersFrame struct {
	// EncodedFieldSection is the QPACK field section, undecoded.
	EncodedFieldSection []byte
}

// Type returns FrameHeaders.
func (f *HeadersFrame) Type() FrameType { return FrameHeaders }

// PayloadLen returns the length of the field section.
func (f *HeadersFrame) PayloadLen() uint64 { return uint64(len(f.EncodedFieldSection)) }

// Length returns the encoded length.
func (f *HeadersFrame) Length() int { return frameLen(FrameHeaders, f.PayloadLen()) }

// Append appends the encoded frame.
func (f *HeadersFrame) Append(dst []byte) []byte {
	return append(AppendFrameHeader(dst, FrameHeaders, f.PayloadLen()), f.EncodedFieldSection...)
}

// Fields returns the field section's length; decoding it needs the
// connection's QPACK state.
func (f *HeadersFrame) Fields() []FrameField {
	return []FrameField{fieldUint("length", f.PayloadLen())}
}

// PushPromiseFrame is a PUSH_PROMISE frame: the request header section of
// a server push (RFC 9114 §7.2.5).
type PushPromiseFrame struct {
	PushID uint64
	// EncodedFieldSection is the QPACK field section of the promised
	// request, undecoded.
	EncodedFieldSection []byte
}

func parsePushPromiseFrame(payload []byte) (*PushPromiseFrame, error) {
	id, n, err := wire.ReadVarint(payload)
	if err != nil {
		return nil, connErr(ErrH3FrameError, "push_promise frame: truncated Push ID")
	}
	return &PushPromiseFrame{PushID: id, EncodedFieldSection: payload[n:]}, nil
}

// Type returns FramePushPromise.
func (f *PushPromiseFrame) Type() FrameType { return FramePushPromise }

// PayloadLen returns the payload length.
func (f *PushPromiseFrame) PayloadLen() uint64 {
	return uint64(wire.VarintLen(f.PushID) + len(f.EncodedFieldSection))
}

// Length returns the encoded length.
func (f *PushPromiseFrame) Length() int { return frameLen(FramePushPromise, f.PayloadLen()) }

// Append appends the encoded frame.
func (f *PushPromiseFrame) Append(dst []byte) []byte {
	dst = AppendFrameHeader(dst, FramePushPromise, f.PayloadLen())
	return append(wire.AppendVarint(dst, f.PushID), f.EncodedFieldSection...)
}

// Fields returns the push ID and the field section's length.
func (f *PushPromiseFrame) Fields() []FrameField {
	return []FrameField{fieldUint("push_id", f.PushID), fieldUint("length", uint64(len(f.EncodedFieldSection)))}
}

// UnknownFrame is a frame of a type this package does not interpret:
// reserved types (0x1f*N+0x21, §7.2.8) and extensions. Receivers ignore it
// (§9). FrameReader skips its payload by count and leaves Payload nil.
type UnknownFrame struct {
	// FrameType is the frame's type.
	FrameType FrameType
	// PayloadLength is the payload's length.
	PayloadLength uint64
	// Payload is the payload, or nil when it was skipped (then Append
	// writes PayloadLength zero bytes).
	Payload []byte
}

// Type returns the frame's type.
func (f *UnknownFrame) Type() FrameType { return f.FrameType }

// PayloadLen returns PayloadLength.
func (f *UnknownFrame) PayloadLen() uint64 { return f.PayloadLength }

// Length returns the encoded length.
func (f *UnknownFrame) Length() int { return frameLen(f.FrameType, f.PayloadLength) }

// Append appends the encoded frame. It panics if Payload is not nil and
// not PayloadLength bytes long.
func (f *UnknownFrame) Append(dst []byte) []byte {
	if f.Payload != nil && uint64(len(f.Payload)) != f.PayloadLength {
		panic(fmt.Sprintf("h3: frame with PayloadLength %d and %d bytes of Payload", f.PayloadLength, len(f.Payload)))
	}
	dst = AppendFrameHeader(dst, f.FrameType, f.PayloadLength)
	if f.Payload != nil {
		return append(dst, f.Payload...)
	}
	return appendZeros(dst, f.PayloadLength)
}

// Fields returns the frame type's value and the payload length.
func (f *UnknownFrame) Fields() []FrameField {
	return []FrameField{
		{Name: "frame_type_value", Value: fmt.Sprintf("%#x", uint64(f.FrameType))},
		fieldUint("length", f.PayloadLength),
	}
}

// appendZeros appends n zero bytes: the filler standing for unmaterialised
// payload.
func appendZeros(dst []byte, n uint64) []byte {
	if n == 0 {
		return dst
	}
	dst = slices.Grow(dst, int(n))
	l := len(dst)
	dst = dst[:l+int(n)]
	clear(dst[l:])
	return dst
}
