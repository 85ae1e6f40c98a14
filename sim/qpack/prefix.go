package qpack

import "httpsim/sim/hpack"

// MaxEntries is the most entries a dynamic table of the given maximum
// capacity can hold: floor(MaxTableCapacity / 32), since the smallest entry
// (empty name and value) has size 32 (RFC 9204 §4.5.1.1). MaxTableCapacity
// is the decoder's SETTINGS_QPACK_MAX_TABLE_CAPACITY (§3.2.3).
func MaxEntries(maxTableCapacity uint64) uint64 { return maxTableCapacity / EntryOverhead }

// EncodeRequiredInsertCount is the encoder's transformation of a Required
// Insert Count before it goes on the wire (RFC 9204 §4.5.1.1): 0 stays 0,
// anything else becomes (ReqInsertCount mod (2 * MaxEntries)) + 1, which
// keeps the prefix short on long-lived connections. maxEntries must not be
// 0 unless ric is.
func EncodeRequiredInsertCount(ric, maxEntries uint64) uint64 {
	if ric == 0 {
		return 0
	}
	return ric%(2*maxEntries) + 1
}

// DecodeRequiredInsertCount reconstructs the Required Insert Count from its
// encoded form, given MaxEntries and the decoder's Insert Count (the total
// number of insertions into its dynamic table), with the algorithm of RFC
// 9204 §4.5.1.1. An encoded value no conformant encoder could have produced
// is an *Error with ReasonRequiredInsertCountInvalid.
func DecodeRequiredInsertCount(encoded, maxEntries, totalInserts uint64) (uint64, error) {
	ric, err := decodeRIC(encoded, maxEntries, totalInserts)
	if err != nil {
		err.Code = ErrDecompressionFailed
		return 0, err
	}
	return ric, nil
}

func decodeRIC(encoded, maxEntries, totalInserts uint64) (uint64, *Error) {
	if encoded == 0 {
		return 0, nil
	}
	bad := func() *Error {
		return &Error{Reason: ReasonRequiredInsertCountInvalid, Value: encoded, Limit: maxEntries}
	}
	fullRange := 2 * maxEntries
	if encoded > fullRange {
		return 0, bad()
	}
	maxValue := totalInserts + maxEntries
	// maxWrapped is the largest possible value of ReqInsertCount that is
	// 0 mod 2*MaxEntries.
	maxWrapped := maxValue / fullRange * fullRange
	ric := maxWrapped + encoded - 1
	// If ric exceeds maxValue, the encoder's value must have wrapped one
	// fewer time.
	if ric > maxValue {
		if ric <= fullRange {
			return 0, bad()
		}
		ric -= fullRange
	}
	// A Required Insert Count of 0 must be encoded as 0.
	if ric == 0 {
		return 0, bad()
	}
	return ric, nil
}

// SectionPrefix is the prefix of an encoded field section (RFC 9204
// §4.5.1): the Required Insert Count as encoded by
// EncodeRequiredInsertCount, then the Base as a Sign bit and a Delta Base.
type SectionPrefix struct {
	// EncodedInsertCount is the Required Insert Count as on the wire, an
	// 8-bit prefix integer (§4.5.1.1).
	EncodedInsertCount uint64
	// Sign is the 'S' bit: set when the Base is less than the Required
	// Insert Count (§4.5.1.2).
	Sign bool
	// DeltaBase is the Base's distance from the Required Insert Count, a
	// 7-bit prefix integer (§4.5.1.2).
	DeltaBase uint64
}

// NewSectionPrefix returns the prefix for a section with Required Insert
// Count ric and the given Base (RFC 9204 §4.5.1.2). A section that does not
// reference the dynamic table (ric 0) gets Delta Base 0 whatever the Base,
// "one of the most efficient encodings".
func NewSectionPrefix(ric, base, maxEntries uint64) SectionPrefix {
	if ric == 0 {
		return SectionPrefix{}
	}
	p := SectionPrefix{EncodedInsertCount: EncodeRequiredInsertCount(ric, maxEntries)}
	if base >= ric {
		p.DeltaBase = base - ric
	} else {
		p.Sign, p.DeltaBase = true, ric-base-1
	}
	return p
}

// Base computes the Base from the Required Insert Count (RFC 9204
// §4.5.1.2); ok is false if the Sign bit is set and the Base would be
// negative, which makes the section invalid.
func (p SectionPrefix) Base(ric uint64) (base uint64, ok bool) {
	if !p.Sign {
		return ric + p.DeltaBase, true
	}
	if ric <= p.DeltaBase {
		return 0, false
	}
	return ric - p.DeltaBase - 1, true
}

// AppendSectionPrefix appends the encoded field section prefix p (RFC 9204
// §4.5.1, Figure 12).
func AppendSectionPrefix(dst []byte, p SectionPrefix) []byte {
	dst = hpack.AppendInt(dst, 8, 0, p.EncodedInsertCount)
	var s byte
	if p.Sign {
		s = 0x80
	}
	return hpack.AppendInt(dst, 7, s, p.DeltaBase)
}

// ParseSectionPrefix parses the prefix at the start of an encoded field
// section and returns it with its length. A prefix cut short or with an
// integer above 2^62-1 is an *Error with code ErrDecompressionFailed.
func ParseSectionPrefix(src []byte) (SectionPrefix, int, error) {
	p, n, err := parseSectionPrefix(src)
	if err != nil {
		err.Code = ErrDecompressionFailed
		return p, 0, err
	}
	return p, n, nil
}

func parseSectionPrefix(src []byte) (SectionPrefix, int, *Error) {
	var p SectionPrefix
	var err *Error
	var pos int
	if p.EncodedInsertCount, pos, err = readInt(src, 0, 8); err != nil {
		return p, 0, err
	}
	if pos >= len(src) {
		return p, 0, &Error{Reason: ReasonIntegerTruncated, Offset: uint64(pos)}
	}
	p.Sign = src[pos]&0x80 != 0
	if p.DeltaBase, pos, err = readInt(src, pos, 7); err != nil {
		return p, 0, err
	}
	return p, pos, nil
}
