package h3

import (
	"fmt"

	"httpsim/sim/quic/wire"
)

// This file holds the frames of the control stream other than SETTINGS:
// CANCEL_PUSH, GOAWAY, MAX_PUSH_ID and PRIORITY_UPDATE.

// CancelPushFrame is a CANCEL_PUSH frame: a server push is not wanted, or
// will not be fulfilled (RFC 9114 §7.2.3).
type CancelPushFrame struct {
	PushID uint64
}

// Type returns FrameCancelPush.
func (f *CancelPushFrame) Type() FrameType { return FrameCancelPush }

// PayloadLen returns the payload length.
func (f *CancelPushFrame) PayloadLen() uint64 { return uint64(wire.VarintLen(f.PushID)) }

// Length returns the encoded length.
func (f *CancelPushFrame) Length() int { return frameLen(FrameCancelPush, f.PayloadLen()) }

// Append appends the encoded frame.
func (f *CancelPushFrame) Append(dst []byte) []byte {
	return wire.AppendVarint(AppendFrameHeader(dst, FrameCancelPush, f.PayloadLen()), f.PushID)
}

// Fields returns the push ID.
func (f *CancelPushFrame) Fields() []FrameField {
	return []FrameField{fieldUint("push_id", f.PushID)}
}

// GoawayFrame is a GOAWAY frame: graceful shutdown (RFC 9114 §7.2.6, §5.2).
type GoawayFrame struct {
	// ID is the Stream ID/Push ID field: from a server, the first client
	// bidirectional stream ID it will not process; from a client, a push
	// ID.
	ID uint64
}

// Type returns FrameGoaway.
func (f *GoawayFrame) Type() FrameType { return FrameGoaway }

// PayloadLen returns the payload length.
func (f *GoawayFrame) PayloadLen() uint64 { return uint64(wire.VarintLen(f.ID)) }

// Length returns the encoded length.
func (f *GoawayFrame) Length() int { return frameLen(FrameGoaway, f.PayloadLen()) }

// Append appends the encoded frame.
func (f *GoawayFrame) Append(dst []byte) []byte {
	return wire.AppendVarint(AppendFrameHeader(dst, FrameGoaway, f.PayloadLen()), f.ID)
}

// Fields returns the ID.
func (f *GoawayFrame) Fields() []FrameField { return []FrameField{fieldUint("id", f.ID)} }

// MaxPushIDFrame is a MAX_PUSH_ID frame: the largest push ID the client
// allows (RFC 9114 §7.2.7).
type MaxPushIDFrame struct {
	PushID uint64
}

// Type returns FrameMaxPushID.
func (f *MaxPushIDFrame) Type() FrameType { return FrameMaxPushID }

// PayloadLen returns the payload length.
func (f *MaxPushIDFrame) PayloadLen() uint64 { return uint64(wire.VarintLen(f.PushID)) }

// Length returns the encoded length.
func (f *MaxPushIDFrame) Length() int { return frameLen(FrameMaxPushID, f.PayloadLen()) }

// Append appends the encoded frame.
func (f *MaxPushIDFrame) Append(dst []byte) []byte {
	return wire.AppendVarint(AppendFrameHeader(dst, FrameMaxPushID, f.PayloadLen()), f.PushID)
}

// Fields returns the push ID.
func (f *MaxPushIDFrame) Fields() []FrameField {
	return []FrameField{fieldUint("push_id", f.PushID)}
}

// PriorityUpdateFrame is a PRIORITY_UPDATE frame: the client's new
// priority for a request stream (type 0xf0700) or a push (type 0xf0701)
// (RFC 9218 §7.2):
//
//	Type (i) = 0xf0700..0xf0701, Length (i),
//	Prioritized Element ID (i), Priority Field Value (..)
type PriorityUpdateFrame struct {
	// IsPush selects type 0xf0701: PrioritizedElementID is a push ID.
	IsPush bool
	// PrioritizedElementID is a request stream ID or a push ID.
	PrioritizedElementID uint64
	// PriorityFieldValue is an ASCII Priority header field value, such as
	// "u=1, i" (RFC 9218 §4, §5).
	PriorityFieldValue string
}

func parsePriorityUpdateFrame(t FrameType, payload []byte) (*PriorityUpdateFrame, error) {
	id, n, err := wire.ReadVarint(payload)
	if err != nil {
		return nil, connErr(ErrH3FrameError, "priority_update frame: truncated Prioritized Element ID")
	}
	return &PriorityUpdateFrame{
		IsPush:               t == FramePriorityUpdatePush,
		PrioritizedElementID: id,
		PriorityFieldValue:   string(payload[n:]),
	}, nil
}

// Type returns FramePriorityUpdatePush or FramePriorityUpdateRequest.
func (f *PriorityUpdateFrame) Type() FrameType {
	if f.IsPush {
		return FramePriorityUpdatePush
	}
	return FramePriorityUpdateRequest
}

// PayloadLen returns the payload length.
func (f *PriorityUpdateFrame) PayloadLen() uint64 {
	return uint64(wire.VarintLen(f.PrioritizedElementID) + len(f.PriorityFieldValue))
}

// Length returns the encoded length.
func (f *PriorityUpdateFrame) Length() int { return frameLen(f.Type(), f.PayloadLen()) }

// Append appends the encoded frame.
func (f *PriorityUpdateFrame) Append(dst []byte) []byte {
	dst = AppendFrameHeader(dst, f.Type(), f.PayloadLen())
	return append(wire.AppendVarint(dst, f.PrioritizedElementID), f.PriorityFieldValue...)
}

// Fields returns the element kind and ID and the priority field value.
func (f *PriorityUpdateFrame) Fields() []FrameField {
	kind := "request_stream"
	if f.IsPush {
		kind = "push_id"
	}
	return []FrameField{
		{Name: "prioritized_element_type", Value: kind},
		fieldUint("prioritized_element_id", f.PrioritizedElementID),
		{Name: "priority_field_value", Value: fmt.Sprintf("%q", f.PriorityFieldValue)},
	}
}
