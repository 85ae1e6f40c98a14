package hpack

import "math/bits"

// MaxInt is the largest integer ReadInt accepts: 2^62-1, the range of QUIC's
// variable-length integers (RFC 9000 §16), which QPACK needs for stream IDs
// (RFC 9204 §4.4). HPACK's own integers are bounded far lower: the decoder
// rejects any above maxHPACKInt.
const MaxInt = 1<<62 - 1

// maxHPACKInt bounds the integers of an HPACK block. Every HPACK integer is
// an index, a string length or a table size, none of which can sensibly
// reach 2^32; RFC 7541 §5.1 lets a decoder reject integers beyond its
// implementation limits, and doing so early keeps a hostile block from
// making the decoder count past what it can hold.
const maxHPACKInt = 1<<32 - 1

// AppendInt appends v as an integer with an N-bit prefix, N = prefixBits
// (1..8), as RFC 7541 §5.1 defines it. The bits of first above the prefix
// carry the representation's pattern (e.g. 0x80 for an indexed field) and
// are copied into the first octet; its prefix bits are ignored.
func AppendInt(dst []byte, prefixBits uint8, first byte, v uint64) []byte {
	max := uint64(1)<<prefixBits - 1
	first &^= byte(max)
	if v < max {
		return append(dst, first|byte(v))
	}
	dst = append(dst, first|byte(max))
	v -= max
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// IntLen is the number of octets AppendInt writes for v with an N-bit prefix.
func IntLen(prefixBits uint8, v uint64) int {
	max := uint64(1)<<prefixBits - 1
	if v < max {
		return 1
	}
	n := 2
	for r := v - max; r >= 0x80; r >>= 7 {
		n++
	}
	return n
}

// ReadInt reads an integer with an N-bit prefix (N = prefixBits, 1..8) from
// the start of src, as RFC 7541 §5.1 defines it, and returns it with the
// number of octets it took. The bits of src[0] above the prefix are ignored.
// An integer cut short, larger than MaxInt, or with more continuation octets
// than MaxInt needs is a *DecodingError.
func ReadInt(src []byte, prefixBits uint8) (v uint64, n int, err error) {
	return readInt(src, prefixBits, MaxInt)
}

// readInt is ReadInt with a bound: values above limit, and encodings longer
// than the largest value below limit needs, are ReasonIntegerOverflow.
func readInt(src []byte, prefixBits uint8, limit uint64) (uint64, int, error) {
	if len(src) == 0 {
		return 0, 0, &DecodingError{Reason: ReasonIntegerTruncated}
	}
	max := uint64(1)<<prefixBits - 1
	v := uint64(src[0]) & max
	if v < max {
		return v, 1, nil
	}
	// Continuation octets carry 7 bits each; more than the limit needs
	// can only be zero padding, which no encoder has reason to send.
	maxCont := (bits.Len64(limit-max) + 6) / 7
	var shift uint
	for i := 1; i < len(src); i++ {
		if i > maxCont {
			return 0, 0, &DecodingError{Reason: ReasonIntegerOverflow, Limit: limit}
		}
		b := src[i]
		v += uint64(b&0x7f) << shift // shift ≤ 56 and v ≤ limit < 2^62: no wrap
		if v > limit {
			return 0, 0, &DecodingError{Reason: ReasonIntegerOverflow, Limit: limit}
		}
		if b&0x80 == 0 {
			return v, i + 1, nil
		}
		shift += 7
	}
	return 0, 0, &DecodingError{Reason: ReasonIntegerTruncated}
}
