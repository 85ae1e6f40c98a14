package hpack

import "fmt"

// HeaderField is a name-value pair (RFC 7541 §1.3).
type HeaderField struct {
	Name, Value string
	// Sensitive marks a field that must not enter any dynamic table: the
	// encoder sends it as a literal never indexed, and the decoder sets it
	// for a field it received that way, so that an intermediary re-encodes
	// it the same way (RFC 7541 §6.2.3, §7.1.3).
	Sensitive bool
}

// EntryOverhead is the octets a table entry costs beyond its name and value,
// an estimate of the overhead of storing it (RFC 7541 §4.1).
const EntryOverhead = 32

// EntrySize is the size of a table entry with this name and value: the
// length of each in octets plus 32 (RFC 7541 §4.1). The header list size of
// SETTINGS_MAX_HEADER_LIST_SIZE is the sum of the same (RFC 9113 §6.5.2).
func EntrySize(name, value string) int {
	return len(name) + len(value) + EntryOverhead
}

// Size is the field's entry size (RFC 7541 §4.1).
func (f HeaderField) Size() int { return EntrySize(f.Name, f.Value) }

// String formats the field as "name: value", as RFC 7541 Appendix C does.
func (f HeaderField) String() string { return f.Name + ": " + f.Value }

// Representation is how a header block represents one field (RFC 7541 §6).
type Representation uint8

// The four field representations, plus the dynamic table size update, which
// is not a field but shares the block.
const (
	// Indexed names an entry of the static or dynamic table (§6.1).
	Indexed Representation = iota + 1
	// LiteralIncremental is a literal added to the dynamic table: "literal
	// header field with incremental indexing" (§6.2.1).
	LiteralIncremental
	// LiteralWithoutIndexing is a literal left out of the dynamic table
	// (§6.2.2).
	LiteralWithoutIndexing
	// LiteralNeverIndexed is a literal that no encoder on the path may
	// index (§6.2.3).
	LiteralNeverIndexed
)

var representationNames = [...]string{
	Indexed:                "indexed",
	LiteralIncremental:     "literal with incremental indexing",
	LiteralWithoutIndexing: "literal without indexing",
	LiteralNeverIndexed:    "literal never indexed",
}

// String names the representation as RFC 7541 §6 does.
func (r Representation) String() string {
	if int(r) < len(representationNames) && representationNames[r] != "" {
		return representationNames[r]
	}
	return fmt.Sprintf("Representation(%d)", uint8(r))
}

// prefix returns the bit pattern of the representation's first octet and
// the size of the integer prefix that follows it (RFC 7541 §6.1, §6.2).
func (r Representation) prefix() (pattern byte, bits uint8) {
	switch r {
	case Indexed:
		return 0x80, 7
	case LiteralIncremental:
		return 0x40, 6
	case LiteralNeverIndexed:
		return 0x10, 4
	default:
		return 0x00, 4
	}
}
