package wire

import (
	"math"
	"slices"
	"time"
)

// This file builds ACK frames from what a receiver has seen and answers
// questions about them; frame_ack.go holds the codec.

// Ack delay exponent bounds (RFC 9000 §18.2, ack_delay_exponent).
const (
	// DefaultAckDelayExponent is ack_delay_exponent's default, 3: the ACK
	// Delay field counts units of 8 microseconds.
	DefaultAckDelayExponent = 3
	// MaxAckDelayExponent is the largest valid ack_delay_exponent, 20.
	MaxAckDelayExponent = 20
)

// NewAckFrame returns an ACK frame acknowledging the packet numbers in
// ranges, which may come in any order and may overlap or touch: they are
// sorted largest first and merged, so the result is always encodable. The
// ranges slice is not modified. ackDelay is the raw ACK Delay field (see
// EncodeAckDelay). It panics if ranges is empty, if a range has Smallest >
// Largest, or if a packet number exceeds MaxVarint.
func NewAckFrame(ranges []AckRange, ackDelay uint64) *AckFrame {
	if len(ranges) == 0 {
		panic("wire: NewAckFrame with no ranges")
	}
	sorted := slices.Clone(ranges)
	for _, r := range sorted {
		if r.Smallest > r.Largest || r.Largest > MaxVarint {
			panic("wire: NewAckFrame with an invalid range")
		}
	}
	slices.SortFunc(sorted, func(a, b AckRange) int {
		switch {
		case a.Largest > b.Largest:
			return -1
		case a.Largest < b.Largest:
			return 1
		}
		return 0
	})
	merged := sorted[:1]
	for _, r := range sorted[1:] {
		last := &merged[len(merged)-1]
		// r.Largest <= last.Largest. Merge when r reaches last or touches it
		// (no missing packet number in between).
		if r.Largest+1 >= last.Smallest {
			last.Smallest = min(last.Smallest, r.Smallest)
			continue
		}
		merged = append(merged, r)
	}
	return &AckFrame{Ranges: merged, AckDelay: ackDelay}
}

// LargestAcknowledged returns the largest packet number acknowledged.
func (f *AckFrame) LargestAcknowledged() uint64 { return f.Ranges[0].Largest }

// SmallestAcknowledged returns the smallest packet number acknowledged.
func (f *AckFrame) SmallestAcknowledged() uint64 { return f.Ranges[len(f.Ranges)-1].Smallest }

// Acks reports whether the frame acknowledges packet number pn.
func (f *AckFrame) Acks(pn uint64) bool {
	// Ranges are descending: find the first range whose Smallest <= pn.
	i, _ := slices.BinarySearchFunc(f.Ranges, pn, func(r AckRange, pn uint64) int {
		if r.Smallest > pn {
			return -1
		}
		return 1
	})
	return i < len(f.Ranges) && f.Ranges[i].Largest >= pn
}

// Count returns how many packet numbers the frame acknowledges.
func (f *AckFrame) Count() uint64 {
	var n uint64
	for _, r := range f.Ranges {
		n += r.Len()
	}
	return n
}

// Truncate drops the smallest ranges until the frame's Length is at most
// maxLen, keeping the most recent information as RFC 9000 §13.2.4 advises.
// It reports false, leaving the frame unchanged, when even the largest range
// alone does not fit.
func (f *AckFrame) Truncate(maxLen int) bool {
	n := f.Length()
	if n <= maxLen {
		return true
	}
	keep := len(f.Ranges)
	for keep > 1 && n > maxLen {
		n -= f.rangeLen(keep - 1)
		keep--
		// The ACK Range Count field may shrink by a byte or more.
		n += VarintLen(uint64(keep-1)) - VarintLen(uint64(keep))
	}
	if n > maxLen {
		return false
	}
	f.Ranges = f.Ranges[:keep:keep]
	return true
}

// EncodeAckDelay converts an ack delay to the ACK Delay field: microseconds
// divided by 2^exponent, rounded down (RFC 9000 §19.3, §18.2). Negative
// delays encode as 0; delays too large for the field saturate at MaxVarint.
func EncodeAckDelay(d time.Duration, exponent uint8) uint64 {
	if d <= 0 {
		return 0
	}
	v := uint64(d/time.Microsecond) >> exponent
	return min(v, MaxVarint)
}

// AckDelayDuration decodes the ACK Delay field with the sender's
// ack_delay_exponent (RFC 9000 §19.3, §18.2), saturating at the largest
// time.Duration.
func (f *AckFrame) AckDelayDuration(exponent uint8) time.Duration {
	return DecodeAckDelay(f.AckDelay, exponent)
}

// DecodeAckDelay decodes an ACK Delay field value with the sender's
// ack_delay_exponent, saturating at the largest time.Duration.
func DecodeAckDelay(field uint64, exponent uint8) time.Duration {
	const maxMicros = math.MaxInt64 / int64(time.Microsecond)
	if exponent >= 63 || field > uint64(maxMicros)>>exponent {
		if field == 0 {
			return 0
		}
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(field<<exponent) * time.Microsecond
}
