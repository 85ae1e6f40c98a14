package hpack

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	xhpack "golang.org/x/net/http2/hpack"
)

// TestHuffmanTableMatchesXNet checks the generated code of every octet
// against the encoder of golang.org/x/net/http2/hpack: eight copies of a
// symbol fill a whole number of octets, so both encoders must write exactly
// the code, eight times, with no padding. EOS, which no encoder writes,
// pads every string x/net codes whose length is not a multiple of 8; its
// full code is checked against Appendix B below.
func TestHuffmanTableMatchesXNet(t *testing.T) {
	for sym := 0; sym < 256; sym++ {
		s := strings.Repeat(string([]byte{byte(sym)}), 8)
		want := xhpack.AppendHuffmanString(nil, s)
		if got := AppendHuffman(nil, s); !bytes.Equal(got, want) {
			t.Errorf("AppendHuffman(8 × %#x) = %x; x/net writes %x", sym, got, want)
		}
		if int(huffmanCodeLen[sym]) != len(want) {
			t.Errorf("code length of %#x = %d; x/net's is %d", sym, huffmanCodeLen[sym], len(want))
		}
		one := string([]byte{byte(sym)})
		if got, want := AppendHuffman(nil, one), xhpack.AppendHuffmanString(nil, one); !bytes.Equal(got, want) {
			t.Errorf("AppendHuffman(%#x) = %x; x/net writes %x (EOS padding)", sym, got, want)
		}
		if got, want := HuffmanLen(one), int(xhpack.HuffmanEncodeLength(one)); got != want {
			t.Errorf("HuffmanLen(%#x) = %d; x/net says %d", sym, got, want)
		}
	}
}

// A few rows of RFC 7541 Appendix B, read off the RFC.
func TestHuffmanTableAppendixB(t *testing.T) {
	tests := []struct {
		sym  int
		code uint32
		len  uint8
	}{
		{0, 0x1ff8, 13},
		{'0', 0x0, 5},
		{' ', 0x14, 6},
		{'/', 0x18, 6},
		{'a', 0x3, 5},
		{'~', 0x1ffd, 13},
		{'\\', 0x7fff0, 19},
		{10, 0x3ffffffc, 30},
		{255, 0x3ffffee, 26},
		{eosSymbol, 0x3fffffff, 30},
	}
	for _, tt := range tests {
		if huffmanCodes[tt.sym] != tt.code || huffmanCodeLen[tt.sym] != tt.len {
			t.Errorf("code of %d = %#x [%d]; want %#x [%d]", tt.sym, huffmanCodes[tt.sym], huffmanCodeLen[tt.sym], tt.code, tt.len)
		}
	}
}

func TestHuffmanRFCStrings(t *testing.T) {
	// Huffman-coded literals of RFC 7541 Appendix C.4 and C.6.
	tests := []struct {
		s, hex string
	}{
		{"www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"},
		{"no-cache", "a8eb 1064 9cbf"},
		{"custom-key", "25a8 49e9 5ba9 7d7f"},
		{"custom-value", "25a8 49e9 5bb8 e8b4 bf"},
		{"302", "6402"},
		{"307", "640e ff"},
		{"private", "aec3 771a 4b"},
		{"Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"},
		{"https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"},
		{"gzip", "9bd9 ab"},
		{"foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1", "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"},
		{"", ""},
	}
	for _, tt := range tests {
		want := dehex(t, tt.hex)
		if got := AppendHuffman(nil, tt.s); !bytes.Equal(got, want) {
			t.Errorf("AppendHuffman(%q) = %x; want %x", tt.s, got, want)
		}
		if got := HuffmanLen(tt.s); got != len(want) {
			t.Errorf("HuffmanLen(%q) = %d; want %d", tt.s, got, len(want))
		}
		got, err := DecodeHuffman(nil, want)
		if err != nil || string(got) != tt.s {
			t.Errorf("DecodeHuffman(%x) = %q, %v; want %q", want, got, err, tt.s)
		}
	}
}

func TestDecodeHuffmanErrors(t *testing.T) {
	tests := []struct {
		name   string
		hex    string
		reason Reason
		offset int
	}{
		{"EOS alone (30 ones, 2 padding)", "ffff ffff", ReasonHuffmanEOS, 3},
		{"EOS after a symbol", "1fff ffff ff", ReasonHuffmanEOS, 4}, // 'a' 00011, then 35 ones
		{"a whole octet of padding", "ff", ReasonHuffmanPaddingTooLong, 0},
		{"'a' then 11 bits of padding", "1fff", ReasonHuffmanPaddingTooLong, 1},
		{"padding of zeros", "00", ReasonHuffmanPaddingNotEOS, 0}, // '0' 00000 then 000
		{"padding 101", "1d", ReasonHuffmanPaddingNotEOS, 0},      // 'a' 00011 then 101
		{"cut inside a long code", "fffe", ReasonHuffmanPaddingNotEOS, 1},
	}
	for _, tt := range tests {
		_, err := DecodeHuffman(nil, dehex(t, tt.hex))
		var de *DecodingError
		if !errors.As(err, &de) || de.Reason != tt.reason || de.Offset != tt.offset {
			t.Errorf("%s: DecodeHuffman(%s) error %v; want %v at %d", tt.name, tt.hex, err, tt.reason, tt.offset)
			continue
		}
		if !errors.Is(err, ErrCompression) {
			t.Errorf("%s: error %v does not match ErrCompression", tt.name, err)
		}
	}
	// Seven bits of padding are allowed: '0' (00000) + 1 1 1.
	if got, err := DecodeHuffman(nil, []byte{0x07}); err != nil || string(got) != "0" {
		t.Errorf("DecodeHuffman(07) = %q, %v; want \"0\", nil", got, err)
	}
}

func FuzzHuffman(f *testing.F) {
	f.Add("www.example.com")
	f.Add("")
	f.Add("\x00\xff\n\r\x16")
	f.Add("foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")
	f.Fuzz(func(t *testing.T, s string) {
		enc := AppendHuffman(nil, s)
		if len(enc) != HuffmanLen(s) {
			t.Fatalf("AppendHuffman(%q) wrote %d octets; HuffmanLen = %d", s, len(enc), HuffmanLen(s))
		}
		if want := xhpack.AppendHuffmanString(nil, s); !bytes.Equal(enc, want) {
			t.Fatalf("AppendHuffman(%q) = %x; x/net writes %x", s, enc, want)
		}
		dec, err := DecodeHuffman(nil, enc)
		if err != nil || string(dec) != s {
			t.Fatalf("DecodeHuffman(AppendHuffman(%q)) = %q, %v", s, dec, err)
		}
		// Decoding arbitrary octets must agree with x/net on what is valid
		// (x/net's decoder is as strict about padding and EOS).
		raw := []byte(s)
		mine, err1 := DecodeHuffman(nil, raw)
		theirs, err2 := xhpack.HuffmanDecodeToString(raw)
		if (err1 == nil) != (err2 == nil) || err1 == nil && string(mine) != theirs {
			t.Fatalf("DecodeHuffman(%x) = %q, %v; x/net: %q, %v", raw, mine, err1, theirs, err2)
		}
	})
}
