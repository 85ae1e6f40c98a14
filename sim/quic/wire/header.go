package wire

import "fmt"

// Sizes and constants of QUIC version 1 packets.
const (
	// Version1 is QUIC version 1's version number (RFC 9000 §15).
	Version1 uint32 = 0x00000001
	// MaxConnectionIDLen is the longest connection ID in version 1, 20 bytes
	// (RFC 9000 §17.2).
	MaxConnectionIDLen = 20
	// AEADTagSize is the length of the authentication tag that packet
	// protection appends to every packet payload: 16 bytes for
	// AEAD_AES_128_GCM, which all Initial packets use (RFC 9001 §5.3, §5.2).
	// This package writes that many filler bytes in its place.
	AEADTagSize = 16
	// RetryIntegrityTagLen is the length of a Retry packet's integrity tag
	// (RFC 9001 §5.8).
	RetryIntegrityTagLen = 16
	// MinInitialDatagramSize is the size to which a client pads every UDP
	// datagram carrying an Initial packet, and the smallest maximum datagram
	// size every QUIC path must support (RFC 9000 §14.1, §14).
	MinInitialDatagramSize = 1200
	// MinPacketNumberAndPayload is the least number of bytes of packet
	// number and plaintext payload together: header protection samples 16
	// bytes starting 4 bytes after the packet number's start, and the AEAD
	// tag provides 16 of the 20 needed (RFC 9001 §5.4.2).
	MinPacketNumberAndPayload = 4
)

// PacketType is the type of a QUIC version 1 packet (RFC 9000 §17).
type PacketType uint8

// Packet types. The first four are long-header packets whose Long Packet
// Type bits are their values (RFC 9000 §17.2, Table 5).
const (
	PacketInitial   PacketType = 0x0
	Packet0RTT      PacketType = 0x1
	PacketHandshake PacketType = 0x2
	PacketRetry     PacketType = 0x3
	// Packet1RTT is the short-header packet (RFC 9000 §17.3.1).
	Packet1RTT PacketType = 0x4
)

var packetTypeNames = [...]string{
	PacketInitial:   "initial",
	Packet0RTT:      "0RTT",
	PacketHandshake: "handshake",
	PacketRetry:     "retry",
	Packet1RTT:      "1RTT",
}

// String returns qlog's packet_type name ("initial", "0RTT", "handshake",
// "retry", "1RTT").
func (t PacketType) String() string {
	if int(t) < len(packetTypeNames) {
		return packetTypeNames[t]
	}
	return "unknown"
}

// IsLong reports whether packets of type t have a long header.
func (t PacketType) IsLong() bool { return t <= PacketRetry }

// PacketNumberSpace is one of the three packet number spaces (RFC 9000
// §12.3).
type PacketNumberSpace uint8

// Packet number spaces.
const (
	SpaceInitial PacketNumberSpace = iota
	SpaceHandshake
	SpaceApplicationData
	// NumSpaces counts the packet number spaces.
	NumSpaces
)

// String returns qlog's packet number space name.
func (s PacketNumberSpace) String() string {
	switch s {
	case SpaceInitial:
		return "initial"
	case SpaceHandshake:
		return "handshake"
	case SpaceApplicationData:
		return "application_data"
	}
	return "unknown"
}

// Space returns the packet number space of packets of type t: 0-RTT and
// 1-RTT packets share the application data space (RFC 9000 §12.3). Retry
// packets have no packet number; their space is reported as Initial, the
// exchange they belong to.
func (t PacketType) Space() PacketNumberSpace {
	switch t {
	case PacketHandshake:
		return SpaceHandshake
	case Packet0RTT, Packet1RTT:
		return SpaceApplicationData
	}
	return SpaceInitial
}

// Header is a QUIC version 1 packet header in cleartext, that is after
// removing header protection (RFC 9000 §17). Which fields are present
// depends on Type:
//
//	Initial:    Version, DCID, SCID, Token, Length, Packet Number
//	0-RTT:      Version, DCID, SCID, Length, Packet Number
//	Handshake:  Version, DCID, SCID, Length, Packet Number
//	Retry:      Version, DCID, SCID, Retry Token, Retry Integrity Tag
//	1-RTT:      Spin Bit, Key Phase, DCID, Packet Number
type Header struct {
	// Type is the packet type.
	Type PacketType
	// Version is the long header's version; this package parses only
	// Version1.
	Version uint32
	// DestConnectionID is the Destination Connection ID, 0 to 20 bytes.
	// Its length is not on the wire in a short header: the receiver knows it.
	DestConnectionID []byte
	// SrcConnectionID is the long header's Source Connection ID.
	SrcConnectionID []byte
	// Token is the Initial packet's Token, or the Retry packet's Retry
	// Token (RFC 9000 §17.2.2, §17.2.5).
	Token []byte
	// Length is the long header's Length field: the length of the packet
	// number plus the protected payload, AEAD tag included (RFC 9000
	// §17.2). Not present in Retry and 1-RTT packets. AppendPacket sets it.
	Length uint64
	// PacketNumber is the Packet Number field. Append writes its low
	// PacketNumberLen bytes, so the full number may be given; ParseHeader
	// returns the truncated value, which DecodePacketNumber expands.
	PacketNumber uint64
	// PacketNumberLen is the packet number's encoded length, 1 to 4
	// (RFC 9000 §17.1); not present in Retry packets.
	PacketNumberLen int
	// SpinBit is the 1-RTT packet's latency spin bit (RFC 9000 §17.4).
	SpinBit bool
	// KeyPhase is the 1-RTT packet's key phase bit (RFC 9001 §6).
	KeyPhase bool
	// RetryIntegrityTag is the Retry packet's integrity tag, carried as
	// is: no AEAD is computed (RFC 9001 §5.8).
	RetryIntegrityTag [RetryIntegrityTagLen]byte
}

// Len returns the encoded length of the header through the packet number;
// for a Retry packet, the length of the whole packet.
func (h *Header) Len() int {
	if !h.Type.IsLong() {
		return 1 + len(h.DestConnectionID) + h.PacketNumberLen
	}
	n := 1 + 4 + 1 + len(h.DestConnectionID) + 1 + len(h.SrcConnectionID)
	switch h.Type {
	case PacketRetry:
		return n + len(h.Token) + RetryIntegrityTagLen
	case PacketInitial:
		n += VarintLen(uint64(len(h.Token))) + len(h.Token)
	}
	return n + VarintLen(h.Length) + h.PacketNumberLen
}

// Append appends the encoded header to dst: for a Retry packet the whole
// packet, for the others everything up to and including the packet number.
// The reserved bits are zero and header protection is not applied. It
// panics if a connection ID is longer than MaxConnectionIDLen or the packet
// number length is not 1 to 4.
func (h *Header) Append(dst []byte) []byte {
	if len(h.DestConnectionID) > MaxConnectionIDLen || len(h.SrcConnectionID) > MaxConnectionIDLen {
		panic("wire: connection ID longer than 20 bytes")
	}
	pnBits := byte(h.PacketNumberLen-1) & 0x03
	if !h.Type.IsLong() {
		// RFC 9000 §17.3.1: Header Form 0, Fixed Bit 1, Spin Bit, Reserved
		// Bits (2), Key Phase, Packet Number Length (2).
		first := byte(0x40) | pnBits
		if h.SpinBit {
			first |= 0x20
		}
		if h.KeyPhase {
			first |= 0x04
		}
		dst = append(dst, first)
		dst = append(dst, h.DestConnectionID...)
		return AppendPacketNumber(dst, h.PacketNumber, h.PacketNumberLen)
	}
	// RFC 9000 §17.2: Header Form 1, Fixed Bit 1, Long Packet Type (2),
	// Type-Specific Bits (4): Reserved Bits (2) and Packet Number Length
	// (2), or Unused (4) for Retry.
	first := byte(0xc0) | byte(h.Type)<<4
	if h.Type != PacketRetry {
		first |= pnBits
	}
	dst = append(dst, first,
		byte(h.Version>>24), byte(h.Version>>16), byte(h.Version>>8), byte(h.Version))
	dst = append(dst, byte(len(h.DestConnectionID)))
	dst = append(dst, h.DestConnectionID...)
	dst = append(dst, byte(len(h.SrcConnectionID)))
	dst = append(dst, h.SrcConnectionID...)
	switch h.Type {
	case PacketRetry:
		dst = append(dst, h.Token...)
		return append(dst, h.RetryIntegrityTag[:]...)
	case PacketInitial:
		dst = AppendVarint(dst, uint64(len(h.Token)))
		dst = append(dst, h.Token...)
	}
	dst = AppendVarint(dst, h.Length)
	return AppendPacketNumber(dst, h.PacketNumber, h.PacketNumberLen)
}

// TypeOf is the type of the packet whose header starts with first: a
// short header's is 1-RTT, a long header's is in its Long Packet Type
// bits (RFC 9000 §17.2, §17.3.1).
func TypeOf(first byte) PacketType {
	if first&0x80 == 0 {
		return Packet1RTT
	}
	return PacketType(first >> 4 & 0x03)
}

// ParseHeader parses the packet header at the start of b and returns it
// with its encoded length (through the packet number; for Retry, the whole
// of b). shortDCIDLen is the length of the connection IDs this endpoint
// issued, which a short header does not carry (RFC 9000 §17.3.1).
//
// Packets that cannot be parsed give an error wrapping ErrInvalidPacket or
// ErrUnsupportedVersion; the receiver drops them. Non-zero reserved bits
// give a *TransportError with PROTOCOL_VIOLATION (RFC 9000 §17.2, §17.3.1).
// The Length field is not checked against b; ParsePacket does that.
func ParseHeader(b []byte, shortDCIDLen int) (Header, int, error) {
	var h Header
	if len(b) == 0 {
		return h, 0, fmt.Errorf("%w: empty", ErrInvalidPacket)
	}
	first := b[0]
	if first&0x40 == 0 {
		// RFC 9000 §17.2, §17.3.1: packets with a zero Fixed Bit are not
		// valid in this version and are discarded.
		return h, 0, fmt.Errorf("%w: fixed bit is zero", ErrInvalidPacket)
	}
	if first&0x80 == 0 {
		return parseShortHeader(b, shortDCIDLen)
	}
	r := headerReader{b: b, off: 1}
	verBytes := r.take(4)
	if verBytes == nil {
		return h, 0, fmt.Errorf("%w: truncated version", ErrInvalidPacket)
	}
	h.Version = uint32(verBytes[0])<<24 | uint32(verBytes[1])<<16 | uint32(verBytes[2])<<8 | uint32(verBytes[3])
	if h.Version != Version1 {
		return h, 0, fmt.Errorf("%w: %#08x", ErrUnsupportedVersion, h.Version)
	}
	h.Type = TypeOf(first)
	h.DestConnectionID = r.connID()
	h.SrcConnectionID = r.connID()
	if r.err != "" {
		return Header{}, 0, fmt.Errorf("%w: %s", ErrInvalidPacket, r.err)
	}
	if h.Type == PacketRetry {
		// RFC 9000 §17.2.5: the Retry Token runs to the last 16 bytes, the
		// Retry Integrity Tag.
		rest := len(b) - r.off
		if rest < RetryIntegrityTagLen {
			return Header{}, 0, fmt.Errorf("%w: truncated retry integrity tag", ErrInvalidPacket)
		}
		h.Token = r.take(uint64(rest - RetryIntegrityTagLen))
		copy(h.RetryIntegrityTag[:], r.take(RetryIntegrityTagLen))
		return h, r.off, nil
	}
	if h.Type == PacketInitial {
		h.Token = r.take(r.varint())
	}
	h.Length = r.varint()
	h.PacketNumberLen = int(first&0x03) + 1
	pn := r.take(uint64(h.PacketNumberLen))
	if r.err != "" {
		return Header{}, 0, fmt.Errorf("%w: %s", ErrInvalidPacket, r.err)
	}
	h.PacketNumber = readPacketNumber(pn)
	if first&0x0c != 0 {
		// RFC 9000 §17.2: non-zero reserved bits after removing protection
		// are a PROTOCOL_VIOLATION.
		return Header{}, 0, &TransportError{Code: ProtocolViolation, Reason: "long header reserved bits are not zero"}
	}
	return h, r.off, nil
}

func parseShortHeader(b []byte, dcidLen int) (Header, int, error) {
	first := b[0]
	h := Header{
		Type:            Packet1RTT,
		SpinBit:         first&0x20 != 0,
		KeyPhase:        first&0x04 != 0,
		PacketNumberLen: int(first&0x03) + 1,
	}
	if dcidLen < 0 || dcidLen > MaxConnectionIDLen {
		return Header{}, 0, fmt.Errorf("%w: connection ID length %d", ErrInvalidPacket, dcidLen)
	}
	r := headerReader{b: b, off: 1}
	h.DestConnectionID = r.take(uint64(dcidLen))
	pn := r.take(uint64(h.PacketNumberLen))
	if r.err != "" {
		return Header{}, 0, fmt.Errorf("%w: %s", ErrInvalidPacket, r.err)
	}
	h.PacketNumber = readPacketNumber(pn)
	if first&0x18 != 0 {
		// RFC 9000 §17.3.1: non-zero reserved bits are a PROTOCOL_VIOLATION.
		return Header{}, 0, &TransportError{Code: ProtocolViolation, Reason: "short header reserved bits are not zero"}
	}
	return h, r.off, nil
}

func readPacketNumber(b []byte) uint64 {
	var pn uint64
	for _, c := range b {
		pn = pn<<8 | uint64(c)
	}
	return pn
}

// headerReader reads header fields; its first error sticks.
type headerReader struct {
	b   []byte
	off int
	err string
}

func (r *headerReader) take(n uint64) []byte {
	if r.err != "" {
		return nil
	}
	if n > uint64(len(r.b)-r.off) {
		r.err = "truncated header"
		return nil
	}
	end := r.off + int(n)
	s := r.b[r.off:end:end]
	r.off = end
	return s
}

func (r *headerReader) varint() uint64 {
	if r.err != "" {
		return 0
	}
	v, n, err := ReadVarint(r.b[r.off:])
	if err != nil {
		r.err = "truncated header"
		return 0
	}
	r.off += n
	return v
}

// connID reads a length-prefixed connection ID of a long header.
func (r *headerReader) connID() []byte {
	l := r.take(1)
	if l == nil {
		return nil
	}
	if l[0] > MaxConnectionIDLen {
		// RFC 9000 §17.2: a version 1 connection ID longer than 20 bytes
		// means the packet is dropped.
		r.err = fmt.Sprintf("connection ID length %d exceeds 20", l[0])
		return nil
	}
	return r.take(uint64(l[0]))
}
