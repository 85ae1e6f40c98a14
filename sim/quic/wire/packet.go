package wire

import "fmt"

// This file assembles and splits whole packets: header, payload of frames,
// and the AEADTagSize filler bytes standing for the authentication tag.
// Several long-header packets, optionally followed by one short-header
// packet, may be coalesced in one UDP datagram (RFC 9000 §12.2).

// SetPayloadLen sets the Length field of a long-header packet (other than
// Retry) for a plaintext payload of payloadLen bytes: packet number,
// payload and AEAD tag (RFC 9000 §17.2). Other packet types have no Length
// field and are left alone.
func (h *Header) SetPayloadLen(payloadLen int) {
	if h.Type.IsLong() && h.Type != PacketRetry {
		h.Length = uint64(h.PacketNumberLen + payloadLen + AEADTagSize)
	}
}

// PacketLen returns the exact size on the wire of a packet with header h
// and a plaintext payload of payloadLen bytes, AEAD tag included. The
// Length field is computed from payloadLen; h is not modified. For Retry
// packets payloadLen is ignored.
func PacketLen(h *Header, payloadLen int) int {
	if h.Type == PacketRetry {
		return h.Len()
	}
	hh := *h
	hh.SetPayloadLen(payloadLen)
	return hh.Len() + payloadLen + AEADTagSize
}

// LongHeaderLen returns the length of an Initial, 0-RTT or Handshake packet
// header through the packet number, for the given connection ID, token and
// packet number lengths and a plaintext payload of payloadLen bytes (which
// sets the size of the Length field). tokenLen counts only for Initial.
func LongHeaderLen(t PacketType, dcidLen, scidLen, tokenLen, pnLen, payloadLen int) int {
	n := 1 + 4 + 1 + dcidLen + 1 + scidLen
	if t == PacketInitial {
		n += VarintLen(uint64(tokenLen)) + tokenLen
	}
	return n + VarintLen(uint64(pnLen+payloadLen+AEADTagSize)) + pnLen
}

// ShortHeaderLen returns the length of a 1-RTT packet header through the
// packet number (RFC 9000 §17.3.1).
func ShortHeaderLen(dcidLen, pnLen int) int { return 1 + dcidLen + pnLen }

// MinPayloadLen returns the least plaintext payload length for a packet
// whose packet number is pnLen bytes long, so that header protection has
// enough bytes to sample (RFC 9001 §5.4.2): 3 bytes of frames with a 1-byte
// packet number, 2 with 2 bytes, none with 4.
func MinPayloadLen(pnLen int) int { return max(0, MinPacketNumberAndPayload-pnLen) }

// MaxPayloadLen returns the largest plaintext payload that fits in a packet
// of at most size bytes with header h (its Length field sized to match),
// or -1 if not even an empty payload fits.
func MaxPayloadLen(h *Header, size int) int {
	if !h.Type.IsLong() {
		return max(-1, size-h.Len()-AEADTagSize)
	}
	if h.Type == PacketRetry {
		return -1
	}
	fixed := h.Len() - VarintLen(h.Length) // header without the Length field
	// For each width of the Length field, the largest payload is whatever
	// room is left, capped by the largest Length that width can encode.
	best := -1
	for _, w := range [...]int{1, 2, 4, 8} {
		p := min(size-fixed-w-AEADTagSize, maxVarintOfLen(w)-h.PacketNumberLen-AEADTagSize)
		best = max(best, p)
	}
	if best < 0 {
		return -1
	}
	return best
}

// AppendPacket appends a whole packet: header (with the Length field set
// for payload), payload, and AEADTagSize zero bytes in place of the
// authentication tag. For a Retry packet, payload must be empty and the
// header alone is written. h is not modified. The caller pads payload to
// at least MinPayloadLen(h.PacketNumberLen) bytes, with PADDING frames.
func AppendPacket(dst []byte, h *Header, payload []byte) []byte {
	if h.Type == PacketRetry {
		if len(payload) != 0 {
			panic("wire: Retry packet with a payload")
		}
		return h.Append(dst)
	}
	hh := *h
	hh.SetPayloadLen(len(payload))
	dst = hh.Append(dst)
	dst = append(dst, payload...)
	return appendZeros(dst, AEADTagSize)
}

// ParsePacket parses the packet at the start of datagram and returns its
// header, its plaintext payload (the frames, without the AEAD tag; nil for
// Retry) and the packet's length n; datagram[n:] holds any coalesced
// packets that follow (RFC 9000 §12.2). A short-header packet runs to the
// end of the datagram. shortDCIDLen is as for ParseHeader.
//
// Errors are those of ParseHeader, and ErrInvalidPacket when the Length
// field runs past the datagram or the packet is too short to carry a
// header protection sample (RFC 9001 §5.4.2).
func ParsePacket(datagram []byte, shortDCIDLen int) (h Header, payload []byte, n int, err error) {
	h, hn, err := ParseHeader(datagram, shortDCIDLen)
	if err != nil {
		return Header{}, nil, 0, err
	}
	if h.Type == PacketRetry {
		return h, nil, hn, nil
	}
	end := len(datagram)
	if h.Type.IsLong() {
		pnStart := hn - h.PacketNumberLen
		if h.Length > uint64(len(datagram)-pnStart) {
			return Header{}, nil, 0, fmt.Errorf("%w: Length %d runs past the datagram", ErrInvalidPacket, h.Length)
		}
		end = pnStart + int(h.Length)
	}
	if end-hn < AEADTagSize {
		return Header{}, nil, 0, fmt.Errorf("%w: no room for the AEAD tag", ErrInvalidPacket)
	}
	payload = datagram[hn : end-AEADTagSize : end-AEADTagSize]
	if h.PacketNumberLen+len(payload) < MinPacketNumberAndPayload {
		return Header{}, nil, 0, fmt.Errorf("%w: too short for a header protection sample", ErrInvalidPacket)
	}
	return h, payload, end, nil
}
