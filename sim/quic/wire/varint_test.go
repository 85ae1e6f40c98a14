package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// TestReadVarintRFC9000A1 checks the sample decodings of RFC 9000
// Appendix A.1.
func TestReadVarintRFC9000A1(t *testing.T) {
	tests := []struct {
		hex  string
		want uint64
	}{
		{"c2197c5eff14e88c", 151288809941952652},
		{"9d7f3e7d", 494878333},
		{"7bbd", 15293},
		{"25", 37},
		{"4025", 37}, // non-minimal, legal on receipt
	}
	for _, tt := range tests {
		b := mustHex(t, tt.hex)
		v, n, err := ReadVarint(b)
		if err != nil || v != tt.want || n != len(b) {
			t.Errorf("ReadVarint(%s) = %d, %d, %v; want %d, %d, nil", tt.hex, v, n, err, tt.want, len(b))
		}
	}
}

func TestAppendVarint(t *testing.T) {
	tests := []struct {
		v    uint64
		want string
	}{
		{0, "00"},
		{37, "25"},
		{63, "3f"},
		{64, "4040"},
		{15293, "7bbd"},
		{16383, "7fff"},
		{16384, "80004000"},
		{494878333, "9d7f3e7d"},
		{1073741823, "bfffffff"},
		{1073741824, "c000000040000000"},
		{151288809941952652, "c2197c5eff14e88c"},
		{MaxVarint, "ffffffffffffffff"},
	}
	for _, tt := range tests {
		got := hex.EncodeToString(AppendVarint(nil, tt.v))
		if got != tt.want {
			t.Errorf("AppendVarint(%d) = %s; want %s", tt.v, got, tt.want)
		}
		if n := VarintLen(tt.v); n != len(tt.want)/2 {
			t.Errorf("VarintLen(%d) = %d; want %d", tt.v, n, len(tt.want)/2)
		}
	}
}

func TestAppendVarintWithLen(t *testing.T) {
	tests := []struct {
		v    uint64
		n    int
		want string
	}{
		{37, 1, "25"},
		{37, 2, "4025"},
		{37, 4, "80000025"},
		{37, 8, "c000000000000025"},
		{15293, 4, "80003bbd"},
	}
	for _, tt := range tests {
		got := hex.EncodeToString(AppendVarintWithLen(nil, tt.v, tt.n))
		if got != tt.want {
			t.Errorf("AppendVarintWithLen(%d, %d) = %s; want %s", tt.v, tt.n, got, tt.want)
		}
	}
}

func TestVarintPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"VarintLen(2^62)", func() { VarintLen(MaxVarint + 1) }},
		{"AppendVarint(2^62)", func() { AppendVarint(nil, MaxVarint+1) }},
		{"AppendVarintWithLen(64, 1)", func() { AppendVarintWithLen(nil, 64, 1) }},
		{"AppendVarintWithLen(1, 3)", func() { AppendVarintWithLen(nil, 1, 3) }},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", tt.name)
				}
			}()
			tt.f()
		}()
	}
}

func TestReadVarintTruncated(t *testing.T) {
	for _, full := range []string{"25", "7bbd", "9d7f3e7d", "c2197c5eff14e88c"} {
		b := mustHex(t, full)
		for i := 0; i < len(b); i++ {
			if _, _, err := ReadVarint(b[:i]); !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("ReadVarint(%x) err = %v; want io.ErrUnexpectedEOF", b[:i], err)
			}
		}
	}
}

func FuzzVarint(f *testing.F) {
	f.Add(uint64(0), []byte{0x25})
	f.Add(uint64(15293), []byte{0x7b, 0xbd})
	f.Add(uint64(494878333), []byte{0x9d, 0x7f, 0x3e, 0x7d})
	f.Add(uint64(151288809941952652), []byte{0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c})
	f.Add(uint64(1<<62), []byte{0x40})
	f.Fuzz(func(t *testing.T, v uint64, b []byte) {
		// Decoding arbitrary bytes never panics, and re-encoding the value
		// with the length it had gives the same bytes.
		if got, n, err := ReadVarint(b); err == nil {
			if n > len(b) || n != VarintEncodedLen(b[0]) {
				t.Fatalf("ReadVarint(%x) n = %d", b, n)
			}
			if re := AppendVarintWithLen(nil, got, n); !bytes.Equal(re, b[:n]) {
				t.Fatalf("AppendVarintWithLen(%d, %d) = %x; want %x", got, n, re, b[:n])
			}
		}
		v &= MaxVarint
		enc := AppendVarint(nil, v)
		if len(enc) != VarintLen(v) {
			t.Fatalf("len(AppendVarint(%d)) = %d; want %d", v, len(enc), VarintLen(v))
		}
		for _, n := range []int{1, 2, 4, 8} {
			if n < VarintLen(v) {
				continue
			}
			got, m, err := ReadVarint(AppendVarintWithLen(nil, v, n))
			if err != nil || got != v || m != n {
				t.Fatalf("ReadVarint(AppendVarintWithLen(%d, %d)) = %d, %d, %v", v, n, got, m, err)
			}
		}
	})
}
