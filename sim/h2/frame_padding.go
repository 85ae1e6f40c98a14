package h2

import "strconv"

// Padding is shared by DATA (RFC 9113 §6.1), HEADERS (§6.2) and
// PUSH_PROMISE (§6.6): when the PADDED flag is set the payload starts with
// an 8-bit Pad Length and ends with that many padding octets, which "MUST
// be set to zero when sending".

// zeros is the source of padding octets and of unmaterialised filler.
var zeros [256]byte

// appendZeros appends n zero octets to dst.
func appendZeros(dst []byte, n int) []byte {
	for n > 0 {
		k := min(n, len(zeros))
		dst = append(dst, zeros[:k]...)
		n -= k
	}
	return dst
}

// padOverhead returns the octets padding adds to a payload: the Pad Length
// field and the padding itself.
func padOverhead(padded bool, padLength uint8) int {
	if !padded {
		return 0
	}
	return 1 + int(padLength)
}

// splitPadded takes apart the payload of a DATA, HEADERS or PUSH_PROMISE
// frame: the Pad Length (when PADDED is set), then fixed octets of
// mandatory fields, then the content, then the padding. All three frame
// types' rules on padding are checked here:
//   - a payload too short for Pad Length or the fixed fields is a
//     FRAME_SIZE_ERROR (§4.2: "too small to contain mandatory frame data"),
//     treated as a connection error;
//   - "If the length of the padding is the length of the frame payload or
//     greater, the recipient MUST treat this as a connection error (Section
//     5.4.1) of type PROTOCOL_ERROR" (§6.1, §6.2, §6.6); padding that
//     would overlap the fixed fields counts as too long;
//   - a receiver "MAY treat non-zero padding as a connection error (Section
//     5.4.1) of type PROTOCOL_ERROR" (§6.1, §6.2, §6.6): we do, so that
//     every frame we accept re-encodes to the octets we received.
func splitPadded(h FrameHeader, payload []byte, fixed int) (padLength uint8, fixedPart, content []byte, err error) {
	rest := payload
	if h.Flags.Has(FlagPadded) {
		if len(rest) < 1 {
			return 0, nil, nil, connErrorf(ErrCodeFrameSize, "%s frame with PADDED set has no Pad Length field", h.Type)
		}
		padLength, rest = rest[0], rest[1:]
	}
	if len(rest) < fixed {
		return 0, nil, nil, connErrorf(ErrCodeFrameSize, "%s payload of %d octets is too short for its %d octets of mandatory fields", h.Type, h.Length, fixed+len(payload)-len(rest))
	}
	fixedPart, rest = rest[:fixed], rest[fixed:]
	if int(padLength) > len(rest) {
		return 0, nil, nil, connErrorf(ErrCodeProtocol, "%s Pad Length %d exceeds the %d octets left in the payload", h.Type, padLength, len(rest))
	}
	content, padding := rest[:len(rest)-int(padLength)], rest[len(rest)-int(padLength):]
	for _, c := range padding {
		if c != 0 {
			return 0, nil, nil, connErrorf(ErrCodeProtocol, "%s padding contains a non-zero octet", h.Type)
		}
	}
	return padLength, fixedPart, content, nil
}

// paddingFields returns the padding fields for Frame.Fields: the Pad
// Length first (when padded) and the Padding last, so callers splice the
// frame's own fields between them.
func paddingFields(padded bool, padLength uint8) (head, tail []Field) {
	if !padded {
		return nil, nil
	}
	n := strconv.Itoa(int(padLength))
	return []Field{{"Pad Length", n}}, []Field{{"Padding", n + " octets"}}
}
