package qpack

import (
	"fmt"

	"httpsim/sim/hpack"
)

// Field is a field line (RFC 9204 §1.1): a name and a value, and whether
// it is sensitive. It is hpack.HeaderField, so that HTTP/2 and HTTP/3 code
// (and the UI) handle header lists alike. Sensitive is QPACK's 'N' bit: the
// encoder sends a sensitive field as a literal with N set and never
// inserts it, and the decoder marks a field it received with N set, so that
// an intermediary re-encodes it the same way (§4.5.4, §7.1.3).
type Field = hpack.HeaderField

// EntryOverhead is the octets a dynamic table entry costs beyond its name
// and value (RFC 9204 §3.2.1, as RFC 7541 §4.1).
const EntryOverhead = hpack.EntryOverhead

// EntrySize is the size of a dynamic table entry: the length of its name
// and value in octets, without Huffman coding, plus 32 (RFC 9204 §3.2.1).
// The field section size of SETTINGS_MAX_FIELD_SECTION_SIZE is the sum of
// the same over a section's field lines (RFC 9114 §4.2.2).
func EntrySize(name, value string) int { return hpack.EntrySize(name, value) }

// Representation is how an encoded field section represents one field
// line (RFC 9204 §4.5).
type Representation uint8

// The five field line representations (RFC 9204 §4.5.2-§4.5.6).
const (
	// Indexed names a whole entry of the static table (T=1) or a dynamic
	// table entry below the Base, by relative index (T=0) (§4.5.2).
	Indexed Representation = iota + 1
	// IndexedPostBase names a dynamic table entry at or above the Base, by
	// post-Base index (§4.5.3).
	IndexedPostBase
	// LiteralNameRef is a literal value with the name of a static entry
	// (T=1) or of a dynamic entry below the Base (T=0) (§4.5.4).
	LiteralNameRef
	// LiteralPostBaseNameRef is a literal value with the name of a dynamic
	// entry at or above the Base (§4.5.5).
	LiteralPostBaseNameRef
	// LiteralName is a literal name and a literal value (§4.5.6).
	LiteralName
)

var representationNames = [...]string{
	Indexed:                "indexed field line",
	IndexedPostBase:        "indexed field line with post-base index",
	LiteralNameRef:         "literal field line with name reference",
	LiteralPostBaseNameRef: "literal field line with post-base name reference",
	LiteralName:            "literal field line with literal name",
}

// String names the representation as RFC 9204 §4.5 does, in lower case.
func (r Representation) String() string {
	if int(r) < len(representationNames) && representationNames[r] != "" {
		return representationNames[r]
	}
	return fmt.Sprintf("Representation(%d)", uint8(r))
}

// Literal reports whether the representation carries a literal value.
func (r Representation) Literal() bool { return r >= LiteralNameRef && r <= LiteralName }

// PostBase reports whether the representation uses a post-Base index.
func (r Representation) PostBase() bool { return r == IndexedPostBase || r == LiteralPostBaseNameRef }

// FieldLine is one field line representation as it is on the wire (RFC 9204
// §4.5.2-§4.5.6), before any table lookup.
type FieldLine struct {
	Rep Representation
	// Static is the 'T' bit of Indexed and LiteralNameRef: the index is
	// into the static table rather than a relative dynamic index.
	Static bool
	// Never is the 'N' bit of the literal representations: no
	// intermediary may index the field (§4.5.4).
	Never bool
	// Index is the static index, relative index or post-Base index the
	// representation carries; unused for LiteralName.
	Index uint64
	// Name is the literal name of LiteralName; Value the literal value of
	// the literal representations.
	Name, Value string
	// NameHuffman and ValueHuffman are the 'H' bits of the literals.
	NameHuffman, ValueHuffman bool
}

// AppendFieldLine appends the representation l (RFC 9204 §4.5.2-§4.5.6).
func AppendFieldLine(dst []byte, l FieldLine) []byte {
	var n byte
	if l.Never {
		n = 1
	}
	var t byte
	if l.Static {
		t = 1
	}
	switch l.Rep {
	case Indexed: // 1 T Index(6+)
		return hpack.AppendInt(dst, 6, 0x80|t<<6, l.Index)
	case IndexedPostBase: // 0001 Index(4+)
		return hpack.AppendInt(dst, 4, 0x10, l.Index)
	case LiteralNameRef: // 01 N T NameIndex(4+)
		dst = hpack.AppendInt(dst, 4, 0x40|n<<5|t<<4, l.Index)
	case LiteralPostBaseNameRef: // 0000 N NameIndex(3+)
		dst = hpack.AppendInt(dst, 3, n<<3, l.Index)
	case LiteralName: // 001 N H NameLen(3+)
		dst = appendString(dst, 4, 0x20|n<<4, l.Name, l.NameHuffman)
	default:
		panic(fmt.Sprintf("qpack: AppendFieldLine of %v", l.Rep))
	}
	return appendString(dst, 8, 0, l.Value, l.ValueHuffman)
}

// ParseFieldLine parses the field line representation at the start of src
// and returns it with its length. A representation cut short or with a
// malformed integer or string is an *Error with code
// ErrDecompressionFailed; table references are not checked.
func ParseFieldLine(src []byte) (FieldLine, int, error) {
	var lits literals
	l, n, err := parseFieldLine(src, 0, &lits)
	if err != nil {
		err.Code = ErrDecompressionFailed
		return l, 0, err
	}
	return l, n, nil
}

// parseFieldLine parses the representation at src[pos:] and returns the
// position after it; lits makes its strings.
func parseFieldLine(src []byte, pos int, lits *literals) (FieldLine, int, *Error) {
	var l FieldLine
	if pos >= len(src) {
		return l, pos, &Error{Reason: ReasonIntegerTruncated, Offset: uint64(pos)}
	}
	b := src[pos]
	var prefix uint8
	switch {
	case b&0x80 != 0: // §4.5.2
		l.Rep, l.Static, prefix = Indexed, b&0x40 != 0, 6
	case b&0xc0 == 0x40: // §4.5.4
		l.Rep, l.Never, l.Static, prefix = LiteralNameRef, b&0x20 != 0, b&0x10 != 0, 4
	case b&0xe0 == 0x20: // §4.5.6
		l.Rep, l.Never = LiteralName, b&0x10 != 0
	case b&0xf0 == 0x10: // §4.5.3
		l.Rep, prefix = IndexedPostBase, 4
	default: // 0000: §4.5.5
		l.Rep, l.Never, prefix = LiteralPostBaseNameRef, b&0x08 != 0, 3
	}
	p := pos
	var err *Error
	if l.Rep == LiteralName {
		l.Name, l.NameHuffman, p, err = readString(src, p, 4, lits)
	} else {
		l.Index, p, err = readInt(src, p, prefix)
	}
	if err != nil || !l.Rep.Literal() {
		return l, p, err
	}
	l.Value, l.ValueHuffman, p, err = readString(src, p, 8, lits)
	return l, p, err
}
