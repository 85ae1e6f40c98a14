package qpack

import (
	"fmt"

	"httpsim/sim/hpack"
)

// EncoderInstructionType is one of the instructions of the encoder stream
// (RFC 9204 §4.3).
type EncoderInstructionType uint8

// The four encoder instructions (RFC 9204 §4.3.1-§4.3.4).
const (
	// SetDynamicTableCapacity: '001' Capacity(5+) (§4.3.1).
	SetDynamicTableCapacity EncoderInstructionType = iota + 1
	// InsertWithNameReference: '1' T NameIndex(6+), value (§4.3.2).
	InsertWithNameReference
	// InsertWithLiteralName: '01' name (6-bit prefix string), value
	// (§4.3.3).
	InsertWithLiteralName
	// Duplicate: '000' Index(5+) (§4.3.4).
	Duplicate
)

var encoderInstructionNames = [...]string{
	SetDynamicTableCapacity: "Set Dynamic Table Capacity",
	InsertWithNameReference: "Insert with Name Reference",
	InsertWithLiteralName:   "Insert with Literal Name",
	Duplicate:               "Duplicate",
}

// String names the instruction as RFC 9204 §4.3 does.
func (t EncoderInstructionType) String() string {
	if int(t) < len(encoderInstructionNames) && encoderInstructionNames[t] != "" {
		return encoderInstructionNames[t]
	}
	return fmt.Sprintf("EncoderInstructionType(%d)", uint8(t))
}

// EncoderInstruction is one encoder instruction as it is on the wire (RFC
// 9204 §4.3), before any table lookup.
type EncoderInstruction struct {
	Type EncoderInstructionType
	// Capacity is the new dynamic table capacity (Set Dynamic Table
	// Capacity).
	Capacity uint64
	// Static is the 'T' bit of Insert with Name Reference: Index is a
	// static table index rather than a relative one.
	Static bool
	// Index is the name index of Insert with Name Reference (static, or
	// relative: 0 is the most recent insertion, §3.2.5) or the relative
	// index of the entry Duplicate copies.
	Index uint64
	// Name is the literal name of Insert with Literal Name; Value the value
	// of both inserts.
	Name, Value string
	// NameHuffman and ValueHuffman are the 'H' bits of the literals.
	NameHuffman, ValueHuffman bool
}

// AppendEncoderInstruction appends the instruction in (RFC 9204 §4.3).
func AppendEncoderInstruction(dst []byte, in EncoderInstruction) []byte {
	switch in.Type {
	case SetDynamicTableCapacity:
		return hpack.AppendInt(dst, 5, 0x20, in.Capacity)
	case InsertWithNameReference:
		var t byte
		if in.Static {
			t = 0x40
		}
		dst = hpack.AppendInt(dst, 6, 0x80|t, in.Index)
	case InsertWithLiteralName:
		dst = appendString(dst, 6, 0x40, in.Name, in.NameHuffman)
	case Duplicate:
		return hpack.AppendInt(dst, 5, 0x00, in.Index)
	default:
		panic(fmt.Sprintf("qpack: AppendEncoderInstruction of %v", in.Type))
	}
	return appendString(dst, 8, 0, in.Value, in.ValueHuffman)
}

// ParseEncoderInstruction parses the encoder instruction at the start of
// src and returns it with its length. If src holds only the start of an
// instruction it returns n == 0 and a nil error: more octets may complete
// it. A string literal that could not fit in a table of maxEntrySize octets
// is rejected as soon as its length is read (RFC 9204 §3.2.2: an entry
// larger than the capacity is an error), which bounds what a stream parser
// buffers; pass the dynamic table's capacity. Errors are *Error with code
// ErrEncoderStreamError.
func ParseEncoderInstruction(src []byte, maxEntrySize uint64) (in EncoderInstruction, n int, err error) {
	var lits literals
	in, n, _, e := parseEncoderInstruction(src, maxEntrySize, &lits)
	if e != nil {
		if incomplete(e) {
			return EncoderInstruction{}, 0, nil
		}
		e.Code = ErrEncoderStreamError
		return in, 0, e
	}
	return in, n, nil
}

// parseEncoderInstruction parses the instruction at the start of src. When
// src is too short it returns an incomplete error and, in need, how many
// octets src must hold before another attempt can get further.
func parseEncoderInstruction(src []byte, maxEntrySize uint64, lits *literals) (in EncoderInstruction, n, need int, err *Error) {
	if len(src) == 0 {
		return in, 0, 1, &Error{Reason: ReasonIntegerTruncated}
	}
	b := src[0]
	p := 0
	switch {
	case b&0x80 != 0: // §4.3.2
		in.Type, in.Static = InsertWithNameReference, b&0x40 != 0
		in.Index, p, err = readInt(src, 0, 6)
	case b&0xc0 == 0x40: // §4.3.3
		in.Type = InsertWithLiteralName
		in.Name, in.NameHuffman, p, need, err = readBoundedString(src, 0, 6, maxEntrySize, lits)
	case b&0xe0 == 0x20: // §4.3.1
		in.Type = SetDynamicTableCapacity
		in.Capacity, p, err = readInt(src, 0, 5)
		return in, p, len(src) + 1, err
	default: // §4.3.4
		in.Type = Duplicate
		in.Index, p, err = readInt(src, 0, 5)
		return in, p, len(src) + 1, err
	}
	if err != nil {
		if need == 0 {
			need = len(src) + 1
		}
		return in, p, need, err
	}
	in.Value, in.ValueHuffman, p, need, err = readBoundedString(src, p, 8, maxEntrySize, lits)
	return in, p, need, err
}

// readBoundedString reads a string literal that must fit in an entry of
// maxEntrySize octets, rejecting a longer one from its length alone. If the
// string is cut short, need is the length src must reach to hold it.
func readBoundedString(src []byte, pos int, prefixBits uint8, maxEntrySize uint64, lits *literals) (s string, huffman bool, next, need int, err *Error) {
	length, huffman, data, err := readStringHeader(src, pos, prefixBits)
	if err != nil {
		return "", false, pos, len(src) + 1, err
	}
	if tooLong(length, huffman, maxEntrySize) {
		return "", false, pos, 0, &Error{Reason: ReasonEntryTooLarge, Offset: uint64(pos), Value: length, Limit: maxEntrySize}
	}
	s, next, err = readStringData(src, pos, data, length, huffman, lits)
	if err != nil && err.Reason == ReasonStringTruncated {
		need = data + int(length)
	}
	return s, huffman, next, need, err
}

// tooLong reports whether a string literal of length octets on the wire
// must decode to more than max octets. No Huffman code is longer than 30
// bits (RFC 7541 Appendix B), so length coded octets decode to at least
// (8*length-7)/30 octets; the bound used leaves a little slack above that.
func tooLong(length uint64, huffman bool, max uint64) bool {
	if !huffman {
		return length > max
	}
	return length > max/8*30+30
}
