package qpack

import (
	"errors"
	"fmt"
)

// ErrorCode is a QPACK error code (RFC 9204 §6), carried like every HTTP/3
// error code in QUIC's CONNECTION_CLOSE and RESET_STREAM frames (RFC 9114
// §8). The values are those of h3.ErrorCode; qpack does not import sim/h3
// so that the HTTP/3 endpoint can import qpack.
//
// An ErrorCode is itself an error, so errors.Is(err, ErrDecompressionFailed)
// tells which of the three failures an *Error is.
type ErrorCode uint64

// The QPACK error codes (RFC 9204 §6, §8.3).
const (
	// ErrDecompressionFailed: the decoder failed to interpret an encoded
	// field section and cannot continue decoding it.
	ErrDecompressionFailed ErrorCode = 0x0200
	// ErrEncoderStreamError: the decoder failed to interpret an encoder
	// instruction received on the encoder stream.
	ErrEncoderStreamError ErrorCode = 0x0201
	// ErrDecoderStreamError: the encoder failed to interpret a decoder
	// instruction received on the decoder stream.
	ErrDecoderStreamError ErrorCode = 0x0202
)

// String returns the RFC's name of the code, e.g.
// "QPACK_DECOMPRESSION_FAILED".
func (c ErrorCode) String() string {
	switch c {
	case ErrDecompressionFailed:
		return "QPACK_DECOMPRESSION_FAILED"
	case ErrEncoderStreamError:
		return "QPACK_ENCODER_STREAM_ERROR"
	case ErrDecoderStreamError:
		return "QPACK_DECODER_STREAM_ERROR"
	}
	return fmt.Sprintf("ErrorCode(%#x)", uint64(c))
}

// Error returns the code's name, so that the codes can be errors.Is targets.
func (c ErrorCode) Error() string { return c.String() }

// ErrFieldSectionTooLarge is matched by an *Error whose decoded field
// section exceeds the decoder's SETTINGS_MAX_FIELD_SECTION_SIZE (RFC 9114
// §4.2.2). It is not a QPACK error: the section was decoded to the end and
// acknowledged, so the tables stay in step and only the message is lost
// (the endpoint answers it as RFC 9114 §4.2.2 allows, e.g. with a 431).
var ErrFieldSectionTooLarge = errors.New("field section too large")

// ErrInsertNotAllowed is returned by the encoder's explicit table
// operations (Encoder.Insert, Encoder.Duplicate) when the rules of RFC 9204
// forbid the insertion: the peer allows no dynamic table (§3.2.3), the
// entry is larger than the capacity (§3.2.2), or making room would evict
// an entry that is not evictable (§2.1.1).
var ErrInsertNotAllowed = errors.New("qpack: insertion not allowed")

// Reason says which rule of RFC 9204 an input broke.
type Reason uint8

// The reasons a decoder or encoder rejects its peer's input, named after
// the rule they break.
const (
	// ReasonIntegerTruncated: the input ends inside an integer (§4.1.1).
	ReasonIntegerTruncated Reason = iota + 1
	// ReasonIntegerOverflow: an integer exceeds 2^62-1, the largest a QPACK
	// implementation must decode, or uses more octets than that needs
	// (§4.1.1, §7.4).
	ReasonIntegerOverflow
	// ReasonStringTruncated: a string literal is longer than the rest of
	// the field section (§4.1.2).
	ReasonStringTruncated
	// ReasonHuffmanEOS: a Huffman-coded string contains EOS (§4.1.2,
	// RFC 7541 §5.2).
	ReasonHuffmanEOS
	// ReasonHuffmanPaddingTooLong: Huffman padding longer than 7 bits
	// (§4.1.2, RFC 7541 §5.2).
	ReasonHuffmanPaddingTooLong
	// ReasonHuffmanPaddingNotEOS: Huffman padding that is not a prefix of
	// the EOS code (§4.1.2, RFC 7541 §5.2).
	ReasonHuffmanPaddingNotEOS
	// ReasonStaticIndexInvalid: a static table index of 99 or more (§3.1).
	ReasonStaticIndexInvalid
	// ReasonDynamicIndexInvalid: a relative index that points below
	// absolute index 0, i.e. at or past the Base in a field line or past
	// the Insert Count on the encoder stream (§3.2.5).
	ReasonDynamicIndexInvalid
	// ReasonEntryEvicted: a reference to a dynamic table entry that has
	// already been evicted (§2.2.3).
	ReasonEntryEvicted
	// ReasonIndexNotBelowRequiredInsertCount: a field line references an
	// entry whose absolute index is not less than the section's Required
	// Insert Count (§2.2.3).
	ReasonIndexNotBelowRequiredInsertCount
	// ReasonRequiredInsertCountInvalid: an Encoded Required Insert Count
	// that no conformant encoder could have produced (§4.5.1.1).
	ReasonRequiredInsertCountInvalid
	// ReasonRequiredInsertCountUnused: the Required Insert Count is larger
	// than one more than the largest absolute index the section references
	// (§2.2.1 lets the decoder treat this as an error; this one does).
	ReasonRequiredInsertCountUnused
	// ReasonBaseNegative: the Sign bit is 1 and Delta Base is not less
	// than the Required Insert Count (§4.5.1.2).
	ReasonBaseNegative
	// ReasonTooManyBlockedStreams: a field section would block more
	// streams than SETTINGS_QPACK_BLOCKED_STREAMS allows (§2.1.2).
	ReasonTooManyBlockedStreams
	// ReasonCapacityExceedsLimit: Set Dynamic Table Capacity above
	// SETTINGS_QPACK_MAX_TABLE_CAPACITY (§4.3.1).
	ReasonCapacityExceedsLimit
	// ReasonEntryTooLarge: an inserted entry larger than the dynamic
	// table's capacity (§3.2.2).
	ReasonEntryTooLarge
	// ReasonUnexpectedSectionAck: a Section Acknowledgment for a stream
	// with no unacknowledged field section that references the dynamic
	// table (§4.4.1).
	ReasonUnexpectedSectionAck
	// ReasonIncrementZero: an Insert Count Increment of 0 (§4.4.3).
	ReasonIncrementZero
	// ReasonIncrementTooLarge: an Insert Count Increment that raises the
	// Known Received Count past the insertions sent (§4.4.3).
	ReasonIncrementTooLarge
	// ReasonFieldSectionTooLarge: the decoded field section exceeds
	// SETTINGS_MAX_FIELD_SECTION_SIZE (RFC 9114 §4.2.2). Not a QPACK error.
	ReasonFieldSectionTooLarge
)

var reasonNames = [...]string{
	ReasonIntegerTruncated:                 "integer truncated",
	ReasonIntegerOverflow:                  "integer overflow",
	ReasonStringTruncated:                  "string truncated",
	ReasonHuffmanEOS:                       "Huffman EOS",
	ReasonHuffmanPaddingTooLong:            "Huffman padding too long",
	ReasonHuffmanPaddingNotEOS:             "Huffman padding not EOS",
	ReasonStaticIndexInvalid:               "static index invalid",
	ReasonDynamicIndexInvalid:              "dynamic index invalid",
	ReasonEntryEvicted:                     "entry evicted",
	ReasonIndexNotBelowRequiredInsertCount: "index not below Required Insert Count",
	ReasonRequiredInsertCountInvalid:       "Required Insert Count invalid",
	ReasonRequiredInsertCountUnused:        "Required Insert Count larger than needed",
	ReasonBaseNegative:                     "Base negative",
	ReasonTooManyBlockedStreams:            "too many blocked streams",
	ReasonCapacityExceedsLimit:             "capacity exceeds limit",
	ReasonEntryTooLarge:                    "entry too large",
	ReasonUnexpectedSectionAck:             "unexpected Section Acknowledgment",
	ReasonIncrementZero:                    "Insert Count Increment of zero",
	ReasonIncrementTooLarge:                "Insert Count Increment too large",
	ReasonFieldSectionTooLarge:             "field section too large",
}

var reasonSections = [...]string{
	ReasonIntegerTruncated:                 "RFC 9204 §4.1.1",
	ReasonIntegerOverflow:                  "RFC 9204 §4.1.1",
	ReasonStringTruncated:                  "RFC 9204 §4.1.2",
	ReasonHuffmanEOS:                       "RFC 7541 §5.2",
	ReasonHuffmanPaddingTooLong:            "RFC 7541 §5.2",
	ReasonHuffmanPaddingNotEOS:             "RFC 7541 §5.2",
	ReasonStaticIndexInvalid:               "RFC 9204 §3.1",
	ReasonDynamicIndexInvalid:              "RFC 9204 §3.2.5",
	ReasonEntryEvicted:                     "RFC 9204 §2.2.3",
	ReasonIndexNotBelowRequiredInsertCount: "RFC 9204 §2.2.3",
	ReasonRequiredInsertCountInvalid:       "RFC 9204 §4.5.1.1",
	ReasonRequiredInsertCountUnused:        "RFC 9204 §2.2.1",
	ReasonBaseNegative:                     "RFC 9204 §4.5.1.2",
	ReasonTooManyBlockedStreams:            "RFC 9204 §2.1.2",
	ReasonCapacityExceedsLimit:             "RFC 9204 §4.3.1",
	ReasonEntryTooLarge:                    "RFC 9204 §3.2.2",
	ReasonUnexpectedSectionAck:             "RFC 9204 §4.4.1",
	ReasonIncrementZero:                    "RFC 9204 §4.4.3",
	ReasonIncrementTooLarge:                "RFC 9204 §4.4.3",
	ReasonFieldSectionTooLarge:             "RFC 9114 §4.2.2",
}

// String names the reason, e.g. "entry evicted".
func (r Reason) String() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Section is the RFC section that states the rule, e.g. "RFC 9204 §2.2.3".
func (r Reason) Section() string {
	if int(r) < len(reasonSections) {
		return reasonSections[r]
	}
	return ""
}

// Error reports input that broke a rule of RFC 9204: a field section, an
// encoder instruction or a decoder instruction. Code says which of QPACK's
// three errors it is; it matches that code with errors.Is. An Error with
// ReasonFieldSectionTooLarge has Code 0 and matches ErrFieldSectionTooLarge.
type Error struct {
	// Code is the QPACK error code the endpoint closes the connection with
	// (RFC 9204 §6; §7.4 allows a stream error for a field section).
	Code ErrorCode
	// Reason is the rule the input broke.
	Reason Reason
	// Offset is where the fault was found: an offset into the field
	// section, or into the encoder or decoder stream counted from the
	// stream's first instruction octet.
	Offset uint64
	// Value is the offending number where there is one: the index, the
	// capacity, the increment, the stream ID, the section size.
	Value uint64
	// Limit is the bound Value broke, where there is one: the largest valid
	// index, the Insert Count, SETTINGS_QPACK_MAX_TABLE_CAPACITY, the table
	// capacity, SETTINGS_QPACK_BLOCKED_STREAMS.
	Limit uint64
}

// Error formats the error as "qpack: CODE at byte N: <Explain()>".
func (e *Error) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("qpack: at byte %d: %s", e.Offset, e.Explain())
	}
	return fmt.Sprintf("qpack: %s at byte %d: %s", e.Code, e.Offset, e.Explain())
}

// Explain describes the fault and cites the RFC section, e.g. "reference
// to absolute index 3, which has been evicted (RFC 9204 §2.2.3)".
func (e *Error) Explain() string {
	var what string
	switch e.Reason {
	case ReasonIntegerTruncated:
		what = "the input ends inside an integer"
	case ReasonIntegerOverflow:
		what = "integer exceeds 2^62-1"
	case ReasonStringTruncated:
		what = fmt.Sprintf("string literal of %d octets is longer than the %d octets left", e.Value, e.Limit)
	case ReasonHuffmanEOS:
		what = "Huffman-coded string contains the EOS symbol"
	case ReasonHuffmanPaddingTooLong:
		what = fmt.Sprintf("Huffman padding of %d bits is longer than 7 bits", e.Value)
	case ReasonHuffmanPaddingNotEOS:
		what = "Huffman padding is not a prefix of the EOS code (all ones)"
	case ReasonStaticIndexInvalid:
		what = fmt.Sprintf("static table index %d is past the last entry %d", e.Value, e.Limit)
	case ReasonDynamicIndexInvalid:
		what = fmt.Sprintf("relative index %d points below absolute index 0 (at most %d entries precede it)", e.Value, e.Limit)
	case ReasonEntryEvicted:
		what = fmt.Sprintf("reference to absolute index %d, which has been evicted (oldest entry %d)", e.Value, e.Limit)
	case ReasonIndexNotBelowRequiredInsertCount:
		what = fmt.Sprintf("reference to absolute index %d, not below the Required Insert Count %d", e.Value, e.Limit)
	case ReasonRequiredInsertCountInvalid:
		what = fmt.Sprintf("Encoded Required Insert Count %d cannot come from a conformant encoder (MaxEntries %d)", e.Value, e.Limit)
	case ReasonRequiredInsertCountUnused:
		what = fmt.Sprintf("Required Insert Count %d, but the largest absolute index referenced needs %d", e.Value, e.Limit)
	case ReasonBaseNegative:
		what = fmt.Sprintf("Sign bit 1 with Delta Base %d and Required Insert Count %d makes the Base negative", e.Value, e.Limit)
	case ReasonTooManyBlockedStreams:
		what = fmt.Sprintf("stream %d would be blocked, beyond SETTINGS_QPACK_BLOCKED_STREAMS %d", e.Value, e.Limit)
	case ReasonCapacityExceedsLimit:
		what = fmt.Sprintf("dynamic table capacity %d exceeds SETTINGS_QPACK_MAX_TABLE_CAPACITY %d", e.Value, e.Limit)
	case ReasonEntryTooLarge:
		what = fmt.Sprintf("entry of %d octets is larger than the dynamic table capacity %d", e.Value, e.Limit)
	case ReasonUnexpectedSectionAck:
		what = fmt.Sprintf("Section Acknowledgment for stream %d, which has no unacknowledged field section", e.Value)
	case ReasonIncrementZero:
		what = "Insert Count Increment of 0"
	case ReasonIncrementTooLarge:
		what = fmt.Sprintf("Insert Count Increment %d raises the Known Received Count past the %d insertions sent", e.Value, e.Limit)
	case ReasonFieldSectionTooLarge:
		what = fmt.Sprintf("field section size %d exceeds SETTINGS_MAX_FIELD_SECTION_SIZE %d", e.Value, e.Limit)
	default:
		what = e.Reason.String()
	}
	return fmt.Sprintf("%s (%s)", what, e.Reason.Section())
}

// Is reports whether target is e's Code (or ErrFieldSectionTooLarge, for
// ReasonFieldSectionTooLarge).
func (e *Error) Is(target error) bool {
	if e.Reason == ReasonFieldSectionTooLarge {
		return target == ErrFieldSectionTooLarge
	}
	c, ok := target.(ErrorCode)
	return ok && c == e.Code
}

// incomplete reports whether err only says that the input ended too soon:
// on a stream, more octets may complete the instruction.
func incomplete(err *Error) bool {
	return err.Reason == ReasonIntegerTruncated || err.Reason == ReasonStringTruncated
}

// Both are errors.
var (
	_ error = (*Error)(nil)
	_ error = ErrorCode(0)
)
