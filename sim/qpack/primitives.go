package qpack

import (
	"strings"

	"httpsim/sim/hpack"
)

// QPACK's primitives are HPACK's: prefixed integers (RFC 9204 §4.1.1,
// RFC 7541 §5.1) and string literals with optional Huffman coding (§4.1.2,
// RFC 7541 §5.2). What QPACK adds is string literals that start mid-octet:
// an "N-bit prefix string literal" has its H flag at bit N-1 of the first
// octet and its length as an (N-1)-bit prefix integer.

// readInt reads the prefixed integer at src[pos:] and returns it with the
// position after it. hpack.ReadInt already bounds it to 2^62-1 (§4.1.1:
// a decoder must handle integers up to 62 bits long).
func readInt(src []byte, pos int, prefixBits uint8) (uint64, int, *Error) {
	v, n, err := hpack.ReadInt(src[pos:], prefixBits)
	if err != nil {
		reason := ReasonIntegerTruncated
		if de, ok := err.(*hpack.DecodingError); ok && de.Reason == hpack.ReasonIntegerOverflow {
			reason = ReasonIntegerOverflow
		}
		return 0, pos, &Error{Reason: reason, Offset: uint64(pos)}
	}
	return v, pos + n, nil
}

// readStringHeader reads the H flag and length of the N-bit prefix string
// literal at src[pos:] (N = prefixBits) and returns the position of its
// data.
func readStringHeader(src []byte, pos int, prefixBits uint8) (length uint64, huffman bool, data int, err *Error) {
	if pos >= len(src) {
		return 0, false, pos, &Error{Reason: ReasonIntegerTruncated, Offset: uint64(pos)}
	}
	huffman = src[pos]&(1<<(prefixBits-1)) != 0
	length, data, err = readInt(src, pos, prefixBits-1)
	return length, huffman, data, err
}

// literals makes the strings of the string literals a parser reads.
type literals struct {
	huff []byte // Huffman-decoded octets, reused
	// arena, if set, holds the octets of the strings made so far: the
	// strings are slices of it, and each costs no allocation of its own.
	// A decoder makes thousands of short strings in a run, and keeps them
	// (in fields, in its table), so the chunks are rarely wasted.
	arena *strings.Builder
}

// arenaChunk is the size of an arena's chunks; strings longer than a
// quarter of it get allocations of their own.
const arenaChunk = 2048

// pooled makes l carve its strings from an arena.
func (l *literals) pooled() { l.arena = new(strings.Builder) }

// str returns b as a string.
func (l *literals) str(b []byte) string {
	a := l.arena
	if a == nil || len(b) == 0 || len(b) > arenaChunk/4 {
		return string(b)
	}
	if a.Cap()-a.Len() < len(b) {
		// A new chunk; the strings of the old one keep it alive. A
		// Builder never writes over octets it has returned in String.
		a.Reset()
		a.Grow(arenaChunk)
	}
	start := a.Len()
	a.Write(b)
	return a.String()[start:]
}

// readStringData takes the length octets of string data at src[data:],
// Huffman-decoding them first if huffman is set, and returns the string
// (made by lits) and the position after it. start is where the literal
// began, for the error of a string cut short.
func readStringData(src []byte, start, data int, length uint64, huffman bool, lits *literals) (string, int, *Error) {
	if left := uint64(len(src) - data); length > left {
		return "", start, &Error{Reason: ReasonStringTruncated, Offset: uint64(start), Value: length, Limit: left}
	}
	end := data + int(length)
	raw := src[data:end]
	if !huffman {
		return lits.str(raw), end, nil
	}
	var err error
	lits.huff, err = hpack.DecodeHuffman(lits.huff[:0], raw)
	if err != nil {
		e := &Error{Reason: ReasonHuffmanEOS, Offset: uint64(data)}
		if de, ok := err.(*hpack.DecodingError); ok {
			e.Offset += uint64(de.Offset)
			e.Value = de.Value
			switch de.Reason {
			case hpack.ReasonHuffmanPaddingTooLong:
				e.Reason = ReasonHuffmanPaddingTooLong
			case hpack.ReasonHuffmanPaddingNotEOS:
				e.Reason = ReasonHuffmanPaddingNotEOS
			}
		}
		return "", start, e
	}
	return lits.str(lits.huff), end, nil
}

// readString reads a whole N-bit prefix string literal at src[pos:].
func readString(src []byte, pos int, prefixBits uint8, lits *literals) (s string, huffman bool, next int, err *Error) {
	length, huffman, data, err := readStringHeader(src, pos, prefixBits)
	if err != nil {
		return "", false, pos, err
	}
	s, next, err = readStringData(src, pos, data, length, huffman, lits)
	return s, huffman, next, err
}

// appendString appends s as an N-bit prefix string literal (N =
// prefixBits), Huffman-coded if huffman is set. The bits of first above the
// prefix carry the instruction's pattern.
func appendString(dst []byte, prefixBits uint8, first byte, s string, huffman bool) []byte {
	h := byte(1) << (prefixBits - 1)
	first &^= h<<1 - 1
	if huffman {
		dst = hpack.AppendInt(dst, prefixBits-1, first|h, uint64(hpack.HuffmanLen(s)))
		return hpack.AppendHuffman(dst, s)
	}
	dst = hpack.AppendInt(dst, prefixBits-1, first, uint64(len(s)))
	return append(dst, s...)
}
