package wire

import (
	"encoding/binary"
	"reflect"
	"testing"
	"time"
)

func TestNewAckFrame(t *testing.T) {
	tests := []struct {
		name string
		in   []AckRange
		want []AckRange
	}{
		{"one", []AckRange{{3, 5}}, []AckRange{{3, 5}}},
		{"sorted", []AckRange{{10, 12}, {0, 3}}, []AckRange{{10, 12}, {0, 3}}},
		{"reversed", []AckRange{{0, 3}, {10, 12}}, []AckRange{{10, 12}, {0, 3}}},
		{"adjacent merge", []AckRange{{0, 3}, {4, 6}}, []AckRange{{0, 6}}},
		{"overlap merge", []AckRange{{0, 5}, {3, 8}, {20, 20}}, []AckRange{{20, 20}, {0, 8}}},
		{"contained", []AckRange{{0, 10}, {2, 3}}, []AckRange{{0, 10}}},
		{"gap of one", []AckRange{{0, 3}, {5, 6}}, []AckRange{{5, 6}, {0, 3}}},
		{"duplicates", []AckRange{{7, 7}, {7, 7}}, []AckRange{{7, 7}}},
	}
	for _, tt := range tests {
		in := append([]AckRange(nil), tt.in...)
		f := NewAckFrame(tt.in, 0)
		if !reflect.DeepEqual(f.Ranges, tt.want) {
			t.Errorf("%s: NewAckFrame(%v).Ranges = %v; want %v", tt.name, in, f.Ranges, tt.want)
		}
		if !reflect.DeepEqual(tt.in, in) {
			t.Errorf("%s: NewAckFrame modified its argument: %v", tt.name, tt.in)
		}
	}
}

func TestAckFrameQueries(t *testing.T) {
	f := NewAckFrame([]AckRange{{20, 25}, {10, 12}, {1, 1}}, 0)
	tests := []struct {
		pn   uint64
		want bool
	}{
		{0, false}, {1, true}, {2, false}, {9, false}, {10, true}, {12, true},
		{13, false}, {19, false}, {20, true}, {25, true}, {26, false},
	}
	for _, tt := range tests {
		if got := f.Acks(tt.pn); got != tt.want {
			t.Errorf("Acks(%d) = %v; want %v", tt.pn, got, tt.want)
		}
	}
	if got := f.LargestAcknowledged(); got != 25 {
		t.Errorf("LargestAcknowledged() = %d; want 25", got)
	}
	if got := f.SmallestAcknowledged(); got != 1 {
		t.Errorf("SmallestAcknowledged() = %d; want 1", got)
	}
	if got := f.Count(); got != 10 {
		t.Errorf("Count() = %d; want 10", got)
	}
}

func TestAckFrameTruncate(t *testing.T) {
	// 70 single-packet ranges: every other packet from 0 to 138.
	var ranges []AckRange
	for pn := uint64(0); pn < 140; pn += 2 {
		ranges = append(ranges, AckRange{pn, pn})
	}
	full := NewAckFrame(ranges, 0)
	// Largest 138 (2), delay (1), count 69 (2), first (1), 69 x (gap 0,
	// length 0) = 138.
	if got := full.Length(); got != 1+2+1+2+1+138 {
		t.Fatalf("Length() = %d; want 145", got)
	}
	tests := []struct {
		maxLen     int
		wantOK     bool
		wantRanges int
	}{
		{145, true, 70},
		{144, true, 69},
		{100, true, 48}, // 1+2+1+1+1 = 6 fixed with count < 64, + 2 per extra range: 6+2*47 = 100
		{71, true, 33},  // 6 + 2*32 = 70 (<=71)
		{6, true, 1},    // just the largest range
		{5, false, 70},  // nothing fits: unchanged
	}
	for _, tt := range tests {
		f := NewAckFrame(ranges, 0)
		ok := f.Truncate(tt.maxLen)
		if ok != tt.wantOK || len(f.Ranges) != tt.wantRanges {
			t.Errorf("Truncate(%d) = %v with %d ranges; want %v with %d", tt.maxLen, ok, len(f.Ranges), tt.wantOK, tt.wantRanges)
		}
		if ok && f.Length() > tt.maxLen {
			t.Errorf("Truncate(%d): Length() = %d", tt.maxLen, f.Length())
		}
		if ok && len(f.Ranges) < len(ranges) {
			// Dropping one range fewer would not have fitted.
			g := &AckFrame{Ranges: full.Ranges[:len(f.Ranges)+1]}
			if g.Length() <= tt.maxLen {
				t.Errorf("Truncate(%d) kept %d ranges but %d fit", tt.maxLen, len(f.Ranges), len(g.Ranges))
			}
		}
	}
}

func TestAckDelay(t *testing.T) {
	tests := []struct {
		d        time.Duration
		exponent uint8
		field    uint64
		back     time.Duration
	}{
		{25 * time.Millisecond, DefaultAckDelayExponent, 3125, 25 * time.Millisecond},
		{1001 * time.Microsecond, 3, 125, 1000 * time.Microsecond},
		{1 * time.Millisecond, 0, 1000, time.Millisecond},
		{-time.Second, 3, 0, 0},
		{time.Second, MaxAckDelayExponent, 0, 0},
	}
	for _, tt := range tests {
		if got := EncodeAckDelay(tt.d, tt.exponent); got != tt.field {
			t.Errorf("EncodeAckDelay(%v, %d) = %d; want %d", tt.d, tt.exponent, got, tt.field)
		}
		if got := DecodeAckDelay(tt.field, tt.exponent); got != tt.back {
			t.Errorf("DecodeAckDelay(%d, %d) = %v; want %v", tt.field, tt.exponent, got, tt.back)
		}
	}
	if got := DecodeAckDelay(MaxVarint, MaxAckDelayExponent); got <= 0 {
		t.Errorf("DecodeAckDelay(2^62-1, 20) = %v; want saturation at a positive duration", got)
	}
}

// ackRangesFromBytes turns fuzz input into ranges: each 4 bytes give a
// start (mod 4096) and a length (mod 16) so that ranges overlap often.
func ackRangesFromBytes(b []byte) []AckRange {
	var ranges []AckRange
	for len(b) >= 4 {
		start := uint64(binary.BigEndian.Uint16(b) % 4096)
		n := uint64(binary.BigEndian.Uint16(b[2:]) % 16)
		ranges = append(ranges, AckRange{start, start + n})
		b = b[4:]
	}
	return ranges
}

func FuzzAckFrame(f *testing.F) {
	f.Add([]byte{0, 1, 0, 3}, uint64(0), false, 100)
	f.Add([]byte{0, 10, 0, 2, 0, 0, 0, 0, 0, 5, 0, 1}, uint64(1000), true, 12)
	f.Add([]byte{15, 255, 0, 15, 0, 0, 0, 15, 8, 0, 0, 0, 8, 2, 0, 0}, uint64(1)<<40, false, 9)
	f.Fuzz(func(t *testing.T, b []byte, delay uint64, ecn bool, maxLen int) {
		ranges := ackRangesFromBytes(b)
		if len(ranges) == 0 {
			return
		}
		fr := NewAckFrame(ranges, delay&MaxVarint)
		if ecn {
			fr.ECN = &ECNCounts{ECT0: delay & 0xffff, ECT1: 1, ECNCE: delay >> 50}
		}
		if msg := validAckRanges(fr.Ranges); msg != "" {
			t.Fatalf("NewAckFrame(%v) gave invalid ranges %v: %s", ranges, fr.Ranges, msg)
		}
		// Acks agrees with the input set on every packet number in range.
		covered := make(map[uint64]bool)
		for _, r := range ranges {
			for pn := r.Smallest; pn <= r.Largest; pn++ {
				covered[pn] = true
			}
		}
		for pn := uint64(0); pn < 4096+16+2; pn++ {
			if fr.Acks(pn) != covered[pn] {
				t.Fatalf("Acks(%d) = %v; want %v (ranges %v)", pn, fr.Acks(pn), covered[pn], fr.Ranges)
			}
		}
		if fr.Count() != uint64(len(covered)) {
			t.Fatalf("Count() = %d; want %d", fr.Count(), len(covered))
		}
		// Round trip through the wire.
		enc := fr.Append(nil)
		if len(enc) != fr.Length() {
			t.Fatalf("len(Append) = %d; Length() = %d", len(enc), fr.Length())
		}
		got, n, err := ParseFrame(enc)
		if err != nil || n != len(enc) || !reflect.DeepEqual(got, fr) {
			t.Fatalf("ParseFrame(Append(%v)) = %v, %d, %v", fr, got, n, err)
		}
		// Truncation keeps the largest ranges and fits.
		maxLen %= 4096
		before := append([]AckRange(nil), fr.Ranges...)
		if fr.Truncate(maxLen) {
			if fr.Length() > maxLen {
				t.Fatalf("Truncate(%d): Length() = %d", maxLen, fr.Length())
			}
			if !reflect.DeepEqual(fr.Ranges, before[:len(fr.Ranges)]) {
				t.Fatalf("Truncate(%d) changed the kept ranges", maxLen)
			}
		} else if !reflect.DeepEqual(fr.Ranges, before) {
			t.Fatalf("failed Truncate(%d) changed the ranges", maxLen)
		}
	})
}
