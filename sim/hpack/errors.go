package hpack

import (
	"errors"
	"fmt"
)

// ErrCompression is matched (errors.Is) by every error that breaks the
// compression context. RFC 7541 §3 calls them decoding errors; RFC 9113 §4.3
// makes a decoding error a connection error of type COMPRESSION_ERROR, and
// RFC 9204 §2.2 has QPACK's decoder signal its own failures in the same way.
var ErrCompression = errors.New("COMPRESSION_ERROR")

// ErrHeaderListTooLarge is matched by a DecodingError whose header list
// exceeds the decoder's SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 §6.5.2). It is
// not a compression error: the decoder processed the whole block, so the
// dynamic table stays in step with the encoder and only the message is lost
// (RFC 9113 §10.5.1 answers it with a 431 status or a stream error).
var ErrHeaderListTooLarge = errors.New("header list too large")

// Reason says which obligation of the decoder a block broke.
type Reason uint8

// The reasons a decoder rejects a block, named after the rule they break.
const (
	// ReasonIntegerTruncated: the input ends inside an integer (RFC 7541 §5.1).
	ReasonIntegerTruncated Reason = iota + 1
	// ReasonIntegerOverflow: an integer exceeds the implementation limit, or
	// uses more continuation octets than that limit needs (RFC 7541 §5.1).
	ReasonIntegerOverflow
	// ReasonStringTruncated: a string literal is longer than the rest of the
	// block (RFC 7541 §5.2).
	ReasonStringTruncated
	// ReasonHuffmanEOS: a Huffman-coded string contains EOS (RFC 7541 §5.2).
	ReasonHuffmanEOS
	// ReasonHuffmanPaddingTooLong: Huffman padding is longer than 7 bits
	// (RFC 7541 §5.2).
	ReasonHuffmanPaddingTooLong
	// ReasonHuffmanPaddingNotEOS: Huffman padding is not the most significant
	// bits of the EOS code, i.e. not all ones (RFC 7541 §5.2).
	ReasonHuffmanPaddingNotEOS
	// ReasonIndexZero: an indexed header field uses index 0 (RFC 7541 §6.1).
	ReasonIndexZero
	// ReasonIndexOutOfRange: an index points past the end of the dynamic
	// table (RFC 7541 §2.3.3).
	ReasonIndexOutOfRange
	// ReasonSizeUpdateTooLarge: a dynamic table size update exceeds the limit
	// set by SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §6.3).
	ReasonSizeUpdateTooLarge
	// ReasonSizeUpdateAfterField: a dynamic table size update follows a
	// header field representation in the block (RFC 7541 §4.2).
	ReasonSizeUpdateAfterField
	// ReasonSizeUpdateMissing: the limit fell below the table's maximum
	// size, and the next block does not start with a size update bringing
	// it within the limit (RFC 7541 §4.2, RFC 9113 §4.3.1).
	ReasonSizeUpdateMissing
	// ReasonHeaderListTooLarge: the decoded header list exceeds
	// SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 §6.5.2). Not a compression error.
	ReasonHeaderListTooLarge
)

var reasonNames = [...]string{
	ReasonIntegerTruncated:      "integer truncated",
	ReasonIntegerOverflow:       "integer overflow",
	ReasonStringTruncated:       "string truncated",
	ReasonHuffmanEOS:            "Huffman EOS",
	ReasonHuffmanPaddingTooLong: "Huffman padding too long",
	ReasonHuffmanPaddingNotEOS:  "Huffman padding not EOS",
	ReasonIndexZero:             "index zero",
	ReasonIndexOutOfRange:       "index out of range",
	ReasonSizeUpdateTooLarge:    "size update too large",
	ReasonSizeUpdateAfterField:  "size update after field",
	ReasonSizeUpdateMissing:     "size update missing",
	ReasonHeaderListTooLarge:    "header list too large",
}

var reasonSections = [...]string{
	ReasonIntegerTruncated:      "RFC 7541 §5.1",
	ReasonIntegerOverflow:       "RFC 7541 §5.1",
	ReasonStringTruncated:       "RFC 7541 §5.2",
	ReasonHuffmanEOS:            "RFC 7541 §5.2",
	ReasonHuffmanPaddingTooLong: "RFC 7541 §5.2",
	ReasonHuffmanPaddingNotEOS:  "RFC 7541 §5.2",
	ReasonIndexZero:             "RFC 7541 §6.1",
	ReasonIndexOutOfRange:       "RFC 7541 §2.3.3",
	ReasonSizeUpdateTooLarge:    "RFC 7541 §6.3",
	ReasonSizeUpdateAfterField:  "RFC 7541 §4.2",
	ReasonSizeUpdateMissing:     "RFC 9113 §4.3.1",
	ReasonHeaderListTooLarge:    "RFC 9113 §6.5.2",
}

// String names the reason, e.g. "index out of range".
func (r Reason) String() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Section is the RFC section that states the rule, e.g. "RFC 7541 §2.3.3".
func (r Reason) Section() string {
	if int(r) < len(reasonSections) {
		return reasonSections[r]
	}
	return ""
}

// DecodingError reports a block the decoder rejected. It matches
// ErrCompression with errors.Is, except for ReasonHeaderListTooLarge, which
// matches ErrHeaderListTooLarge.
type DecodingError struct {
	// Reason is the rule the input broke.
	Reason Reason
	// Offset is the position in the input (the header block, or the buffer
	// given to ReadInt or DecodeHuffman) of the octet where the fault was
	// found: the start of the representation, integer or string at fault,
	// or, for Huffman faults, the octet where decoding failed.
	Offset int
	// Value is the offending number where there is one: the index, the
	// table size, the header list size.
	Value uint64
	// Limit is the bound Value broke: the largest valid index, the
	// SETTINGS_HEADER_TABLE_SIZE or SETTINGS_MAX_HEADER_LIST_SIZE in force.
	Limit uint64
}

// Error formats the error as "hpack: at byte N: <Explain()>".
func (e *DecodingError) Error() string {
	return fmt.Sprintf("hpack: at byte %d: %s", e.Offset, e.Explain())
}

// Explain describes the fault, cites the RFC section and names the HTTP/2
// error code, e.g. "index 70 is past the end of the dynamic table
// (RFC 7541 §2.3.3): COMPRESSION_ERROR".
func (e *DecodingError) Explain() string {
	var what string
	switch e.Reason {
	case ReasonIntegerTruncated:
		what = "the input ends inside an integer"
	case ReasonIntegerOverflow:
		what = fmt.Sprintf("integer exceeds the implementation limit %d", e.Limit)
	case ReasonStringTruncated:
		what = fmt.Sprintf("string literal of %d octets is longer than the %d octets left", e.Value, e.Limit)
	case ReasonHuffmanEOS:
		what = "Huffman-coded string contains the EOS symbol"
	case ReasonHuffmanPaddingTooLong:
		what = fmt.Sprintf("Huffman padding of %d bits is longer than 7 bits", e.Value)
	case ReasonHuffmanPaddingNotEOS:
		what = "Huffman padding is not a prefix of the EOS code (all ones)"
	case ReasonIndexZero:
		what = "index 0 is not used"
	case ReasonIndexOutOfRange:
		what = fmt.Sprintf("index %d is past the end of the dynamic table (last index %d)", e.Value, e.Limit)
	case ReasonSizeUpdateTooLarge:
		what = fmt.Sprintf("dynamic table size update to %d exceeds SETTINGS_HEADER_TABLE_SIZE %d", e.Value, e.Limit)
	case ReasonSizeUpdateAfterField:
		what = "dynamic table size update after a header field"
	case ReasonSizeUpdateMissing:
		what = fmt.Sprintf("SETTINGS_HEADER_TABLE_SIZE fell to %d, below the dynamic table's maximum size %d, and the block does not start with a dynamic table size update", e.Limit, e.Value)
	case ReasonHeaderListTooLarge:
		return fmt.Sprintf("header list size %d exceeds SETTINGS_MAX_HEADER_LIST_SIZE %d (%s)", e.Value, e.Limit, e.Reason.Section())
	default:
		what = e.Reason.String()
	}
	return fmt.Sprintf("%s (%s): %s", what, e.Reason.Section(), ErrCompression)
}

// Is reports whether target is ErrCompression (or ErrHeaderListTooLarge,
// for ReasonHeaderListTooLarge).
func (e *DecodingError) Is(target error) bool {
	if e.Reason == ReasonHeaderListTooLarge {
		return target == ErrHeaderListTooLarge
	}
	return target == ErrCompression
}
