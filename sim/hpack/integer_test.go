package hpack

import (
	"bytes"
	"errors"
	"testing"
)

// RFC 7541 Appendix C.1.
func TestAppendIntRFC(t *testing.T) {
	tests := []struct {
		name   string
		prefix uint8
		first  byte
		v      uint64
		want   []byte
	}{
		{"C.1.1 10 in 5 bits", 5, 0xe0, 10, []byte{0xea}},
		{"C.1.2 1337 in 5 bits", 5, 0x00, 1337, []byte{0x1f, 0x9a, 0x0a}},
		{"C.1.3 42 in 8 bits", 8, 0x00, 42, []byte{0x2a}},
		{"prefix bits of first ignored", 5, 0xff, 10, []byte{0xea}},
		{"exactly the prefix maximum", 5, 0, 31, []byte{0x1f, 0x00}},
		{"one byte of continuation max", 5, 0, 31 + 127, []byte{0x1f, 0x7f}},
		{"MaxInt", 8, 0, MaxInt, []byte{0xff, 0x80, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f}},
	}
	for _, tt := range tests {
		if got := AppendInt(nil, tt.prefix, tt.first, tt.v); !bytes.Equal(got, tt.want) {
			t.Errorf("%s: AppendInt(%d, %#x, %d) = %x; want %x", tt.name, tt.prefix, tt.first, tt.v, got, tt.want)
		}
		if got := IntLen(tt.prefix, tt.v); got != len(tt.want) {
			t.Errorf("%s: IntLen(%d, %d) = %d; want %d", tt.name, tt.prefix, tt.v, got, len(tt.want))
		}
		v, n, err := ReadInt(append(tt.want, 0xaa), tt.prefix)
		if err != nil || v != tt.v || n != len(tt.want) {
			t.Errorf("%s: ReadInt(%x) = %d, %d, %v; want %d, %d, nil", tt.name, tt.want, v, n, err, tt.v, len(tt.want))
		}
	}
}

func TestReadIntErrors(t *testing.T) {
	cont := func(n int) []byte { // 31 then n zero continuation octets and a last one
		b := []byte{0x1f}
		for i := 0; i < n; i++ {
			b = append(b, 0x80)
		}
		return append(b, 0x00)
	}
	tests := []struct {
		name   string
		src    []byte
		prefix uint8
		limit  uint64
		want   Reason
	}{
		{"empty", nil, 5, MaxInt, ReasonIntegerTruncated},
		{"prefix full, nothing after", []byte{0x1f}, 5, MaxInt, ReasonIntegerTruncated},
		{"continuation bit on last octet", []byte{0x1f, 0x9a}, 5, MaxInt, ReasonIntegerTruncated},
		{"above MaxInt", []byte{0xff, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f}, 8, MaxInt, ReasonIntegerOverflow},
		{"ten continuation octets", cont(9), 5, MaxInt, ReasonIntegerOverflow},
		{"nine continuation octets are enough for MaxInt", cont(8), 5, MaxInt, 0},
		{"above 2^32-1 in HPACK", []byte{0x7f, 0x80, 0x80, 0x80, 0x80, 0x10}, 7, maxHPACKInt, ReasonIntegerOverflow},
		{"2^32-1 in HPACK", AppendInt(nil, 7, 0, maxHPACKInt), 7, maxHPACKInt, 0},
		{"six continuation octets in HPACK", cont(5), 5, maxHPACKInt, ReasonIntegerOverflow},
		{"five continuation octets in HPACK", cont(4), 5, maxHPACKInt, 0},
	}
	for _, tt := range tests {
		_, _, err := readInt(tt.src, tt.prefix, tt.limit)
		var de *DecodingError
		switch {
		case tt.want == 0 && err != nil:
			t.Errorf("%s: readInt(%x) error %v; want none", tt.name, tt.src, err)
		case tt.want != 0 && (!errors.As(err, &de) || de.Reason != tt.want):
			t.Errorf("%s: readInt(%x) error %v; want %v", tt.name, tt.src, err, tt.want)
		case tt.want != 0 && !errors.Is(err, ErrCompression):
			t.Errorf("%s: readInt(%x) error %v does not match ErrCompression", tt.name, tt.src, err)
		}
	}
}

func FuzzInt(f *testing.F) {
	f.Add(uint8(5), byte(0xe0), uint64(1337))
	f.Add(uint8(8), byte(0), uint64(MaxInt))
	f.Add(uint8(1), byte(0xfe), uint64(0))
	f.Add(uint8(7), byte(0x80), uint64(127))
	f.Fuzz(func(t *testing.T, prefix uint8, first byte, v uint64) {
		prefix = prefix%8 + 1
		v %= MaxInt + 1
		b := AppendInt(nil, prefix, first, v)
		if len(b) != IntLen(prefix, v) {
			t.Fatalf("AppendInt(%d, %d) wrote %d octets; IntLen = %d", prefix, v, len(b), IntLen(prefix, v))
		}
		mask := byte(1)<<prefix - 1
		if b[0]&^mask != first&^mask {
			t.Fatalf("AppendInt(%d, %#x, %d) first octet %#x lost the pattern", prefix, first, v, b[0])
		}
		got, n, err := ReadInt(b, prefix)
		if err != nil || got != v || n != len(b) {
			t.Fatalf("ReadInt(AppendInt(%d, %d)) = %d, %d, %v; want %d, %d", prefix, v, got, n, err, v, len(b))
		}
	})
}
