package wire

import (
	"fmt"
	"io"
)

// MaxVarint is the largest value a variable-length integer can carry,
// 2^62-1 (RFC 9000 §16).
const MaxVarint = 1<<62 - 1

// VarintLen returns the number of bytes of the shortest encoding of v: 1, 2,
// 4 or 8 (RFC 9000 §16, Table 4). It panics if v exceeds MaxVarint.
func VarintLen(v uint64) int {
	switch {
	case v <= 63:
		return 1
	case v <= 16383:
		return 2
	case v <= 1073741823:
		return 4
	case v <= MaxVarint:
		return 8
	}
	panic(fmt.Sprintf("wire: varint %d exceeds 2^62-1", v))
}

// VarintEncodedLen returns the length in bytes of the variable-length
// integer whose first byte is first: the two most significant bits give its
// base-2 logarithm (RFC 9000 §16).
func VarintEncodedLen(first byte) int { return 1 << (first >> 6) }

// AppendVarint appends the shortest encoding of v to dst (RFC 9000 §16). It
// panics if v exceeds MaxVarint.
func AppendVarint(dst []byte, v uint64) []byte {
	return AppendVarintWithLen(dst, v, VarintLen(v))
}

// AppendVarintWithLen appends v encoded on exactly n bytes (1, 2, 4 or 8).
// Encodings longer than necessary are legal on receipt except where a field
// demands the shortest form (frame types, RFC 9000 §12.4); tests use this to
// produce them, and senders to reserve room for a Length field. It panics if
// n is not 1, 2, 4 or 8, or if v does not fit in n bytes.
func AppendVarintWithLen(dst []byte, v uint64, n int) []byte {
	var prefix byte
	switch n {
	case 1:
		prefix = 0x00
	case 2:
		prefix = 0x40
	case 4:
		prefix = 0x80
	case 8:
		prefix = 0xc0
	default:
		panic(fmt.Sprintf("wire: varint length %d is not 1, 2, 4 or 8", n))
	}
	if v > MaxVarint || VarintLen(v) > n {
		panic(fmt.Sprintf("wire: varint %d does not fit in %d bytes", v, n))
	}
	for i := n - 1; i >= 0; i-- {
		b := byte(v >> (8 * i))
		if i == n-1 {
			b |= prefix
		}
		dst = append(dst, b)
	}
	return dst
}

// ReadVarint decodes the variable-length integer at the start of b and
// returns its value and its encoded length n. Non-minimal encodings are
// accepted (RFC 9000 §16); compare n with VarintLen(v) to detect them. If b
// is shorter than the encoding, it returns io.ErrUnexpectedEOF.
func ReadVarint(b []byte) (v uint64, n int, err error) {
	if len(b) == 0 {
		return 0, 0, io.ErrUnexpectedEOF
	}
	n = VarintEncodedLen(b[0])
	if len(b) < n {
		return 0, 0, io.ErrUnexpectedEOF
	}
	v = uint64(b[0] & 0x3f)
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return v, n, nil
}
