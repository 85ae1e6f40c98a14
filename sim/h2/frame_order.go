package h2

// FrameOrder checks the one rule of the frame layer that spans frames: a
// field block travels as a contiguous sequence, a HEADERS or PUSH_PROMISE
// frame without END_HEADERS followed only by CONTINUATION frames of the
// same stream, the last with END_HEADERS (RFC 9113 §4.3). The zero value
// is ready: no field block open.
type FrameOrder struct {
	// open is the stream whose field block awaits CONTINUATION; 0 if none
	// (a field block is never on stream 0).
	open uint32
}

// Check applies the rule to the next received frame header and records
// its effect. Every violation is a connection error of type
// PROTOCOL_ERROR:
//   - §6.2, §6.6, §6.10: after a frame without END_HEADERS, "A receiver
//     MUST treat the receipt of any other type of frame or a frame on a
//     different stream as a connection error (Section 5.4.1) of type
//     PROTOCOL_ERROR"; §5.5 says the same of extension frames;
//   - §6.10: "A CONTINUATION frame MUST be preceded by a HEADERS,
//     PUSH_PROMISE or CONTINUATION frame without the END_HEADERS flag
//     set."
func (o *FrameOrder) Check(h FrameHeader) error {
	if o.open != 0 {
		if h.Type != FrameContinuation {
			return connErrorf(ErrCodeProtocol, "%s frame on stream %d inside the field block of stream %d", h.Type, h.StreamID, o.open)
		}
		if h.StreamID != o.open {
			return connErrorf(ErrCodeProtocol, "CONTINUATION on stream %d inside the field block of stream %d", h.StreamID, o.open)
		}
	} else if h.Type == FrameContinuation {
		return connErrorf(ErrCodeProtocol, "CONTINUATION on stream %d with no field block open", h.StreamID)
	}
	switch h.Type {
	case FrameHeaders, FramePushPromise, FrameContinuation:
		if h.Flags.Has(FlagEndHeaders) {
			o.open = 0
		} else {
			o.open = h.StreamID
		}
	}
	return nil
}

// Open returns the stream whose field block awaits a CONTINUATION frame,
// or 0 when none does.
func (o *FrameOrder) Open() uint32 { return o.open }
