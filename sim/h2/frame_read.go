package h2

// ParseFrame parses the payload of a frame with header h into the frame
// type h.Type names, applying the rules RFC 9113 puts on a single frame.
// Frames of unknown type become *UnknownFrame. Byte-slice fields of the
// result alias payload. len(payload) must equal h.Length; a shorter or
// longer payload is reported as a FRAME_SIZE_ERROR.
func ParseFrame(h FrameHeader, payload []byte) (Frame, error) {
	switch h.Type {
	case FrameData:
		f, err := ParseDataFrame(h, payload)
		return ok(&f, err)
	case FrameHeaders:
		f, err := ParseHeadersFrame(h, payload)
		return ok(&f, err)
	case FramePriority:
		f, err := ParsePriorityFrame(h, payload)
		return ok(&f, err)
	case FrameRSTStream:
		f, err := ParseRSTStreamFrame(h, payload)
		return ok(&f, err)
	case FrameSettings:
		f, err := ParseSettingsFrame(h, payload)
		return ok(&f, err)
	case FramePushPromise:
		f, err := ParsePushPromiseFrame(h, payload)
		return ok(&f, err)
	case FramePing:
		f, err := ParsePingFrame(h, payload)
		return ok(&f, err)
	case FrameGoAway:
		f, err := ParseGoAwayFrame(h, payload)
		return ok(&f, err)
	case FrameWindowUpdate:
		f, err := ParseWindowUpdateFrame(h, payload)
		return ok(&f, err)
	case FrameContinuation:
		f, err := ParseContinuationFrame(h, payload)
		return ok(&f, err)
	case FramePriorityUpdate:
		f, err := ParsePriorityUpdateFrame(h, payload)
		return ok(&f, err)
	}
	f, err := ParseUnknownFrame(h, payload)
	return ok(&f, err)
}

// ok returns f, or a nil Frame (not a typed nil) when err is set.
func ok(f Frame, err error) (Frame, error) {
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ReadFrame reads the frame at the start of b, for a receiver whose
// SETTINGS_MAX_FRAME_SIZE is maxFrameSize. It returns the frame and its
// size on the wire (header included).
//
//   - When b holds only part of the frame it returns ErrIncomplete and
//     n = 0: read more and call again.
//   - A Length above maxFrameSize is a FRAME_SIZE_ERROR (§4.2) and is
//     reported as soon as the header is in, with n = 0. §4.2 requires a
//     connection error only for frames that can change connection state;
//     we treat every oversized frame as one, as §5.4.1 permits.
//   - Any other error is a ConnError or a StreamError from the frame's
//     parser, with n the frame's size: after a StreamError the connection
//     resets the stream and carries on with b[n:].
//
// Byte-slice fields of the frame alias b. ReadFrame keeps no state: the
// CONTINUATION sequencing rules are FrameOrder's.
func ReadFrame(b []byte, maxFrameSize uint32) (f Frame, n int, err error) {
	h, err := ParseFrameHeader(b)
	if err != nil {
		return nil, 0, err
	}
	// §4.2: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a
	// frame exceeds the size defined in SETTINGS_MAX_FRAME_SIZE."
	if h.Length > maxFrameSize {
		return nil, 0, connErrorf(ErrCodeFrameSize, "%s frame of %d octets exceeds SETTINGS_MAX_FRAME_SIZE %d", h.Type, h.Length, maxFrameSize)
	}
	n = FrameHeaderLen + int(h.Length)
	if len(b) < n {
		return nil, 0, ErrIncomplete
	}
	f, err = ParseFrame(h, b[FrameHeaderLen:n])
	return f, n, err
}
