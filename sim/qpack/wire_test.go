package qpack

import (
	"bytes"
	"errors"
	"testing"
)

// TestFieldLineWire checks each representation's octets (RFC 9204
// §4.5.2-§4.5.6), some from Appendix B, the rest worked out from the
// figures, and that parsing gives back the representation.
func TestFieldLineWire(t *testing.T) {
	tests := []struct {
		line FieldLine
		hex  string
	}{
		{FieldLine{Rep: LiteralNameRef, Static: true, Index: 1, Value: "/index.html"}, "510b 2f69 6e64 6578 2e68 746d 6c"}, // B.1
		{FieldLine{Rep: IndexedPostBase, Index: 0}, "10"},                                                                  // B.2
		{FieldLine{Rep: IndexedPostBase, Index: 1}, "11"},                                                                  // B.2
		{FieldLine{Rep: Indexed, Index: 0}, "80"},                                                                          // B.4
		{FieldLine{Rep: Indexed, Static: true, Index: 1}, "c1"},                                                            // B.4
		{FieldLine{Rep: Indexed, Index: 1}, "81"},                                                                          // B.4
		{FieldLine{Rep: Indexed, Static: true, Index: 62}, "fe"},
		{FieldLine{Rep: Indexed, Static: true, Index: 63}, "ff 00"},
		{FieldLine{Rep: Indexed, Static: true, Index: 98}, "ff 23"},
		{FieldLine{Rep: IndexedPostBase, Index: 15}, "1f 00"},
		{FieldLine{Rep: LiteralNameRef, Never: true, Static: true, Index: 1, Value: "a"}, "71 01 61"},
		{FieldLine{Rep: LiteralNameRef, Never: true, Index: 2, Value: "a"}, "62 01 61"},
		{FieldLine{Rep: LiteralNameRef, Static: true, Index: 15, Value: ""}, "5f 00 00"},
		{FieldLine{Rep: LiteralPostBaseNameRef, Index: 2, Value: "a"}, "02 01 61"},
		{FieldLine{Rep: LiteralPostBaseNameRef, Never: true, Index: 7, Value: "a"}, "0f 00 01 61"},
		{FieldLine{Rep: LiteralName, Name: "ab", Value: "c"}, "22 6162 01 63"},
		{FieldLine{Rep: LiteralName, Never: true, Name: "ab", Value: "c"}, "32 6162 01 63"},
		{FieldLine{Rep: LiteralName, Name: "abcdefg", Value: ""}, "27 00 61626364656667 00"},
		// "www.example.com" Huffman-coded (RFC 7541 Appendix C.4.1).
		{FieldLine{Rep: LiteralNameRef, Static: true, Index: 0, Value: "www.example.com", ValueHuffman: true}, "50 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"},
		{FieldLine{Rep: LiteralName, Name: "www.example.com", NameHuffman: true, Value: "", ValueHuffman: true}, "2f 05 f1e3 c2e5 f23a 6ba0 ab90 f4ff 80"},
	}
	for _, tt := range tests {
		want := dehex(t, tt.hex)
		if got := AppendFieldLine(nil, tt.line); !bytes.Equal(got, want) {
			t.Errorf("AppendFieldLine(%+v) = %x; want %x", tt.line, got, want)
		}
		got, n, err := ParseFieldLine(append(want, 0xc1)) // followed by another line
		if err != nil || n != len(want) || got != tt.line {
			t.Errorf("ParseFieldLine(%x) = %+v, %d, %v; want %+v, %d", want, got, n, err, tt.line, len(want))
		}
		// Every truncation fails cleanly, as an incomplete input.
		for i := range want {
			_, _, err := ParseFieldLine(want[:i])
			var qe *Error
			if !errors.As(err, &qe) || !incomplete(qe) || !errors.Is(err, ErrDecompressionFailed) {
				t.Errorf("ParseFieldLine(%x) error %v; want a truncation", want[:i], err)
			}
		}
	}
}

// TestSectionPrefixWire checks the prefix (RFC 9204 §4.5.1) and the Base
// it implies (§4.5.1.2).
func TestSectionPrefixWire(t *testing.T) {
	tests := []struct {
		ric, base, maxEntries uint64
		hex                   string
		prefix                SectionPrefix
	}{
		{0, 0, 6, "0000", SectionPrefix{}},
		{0, 17, 6, "0000", SectionPrefix{}}, // Base is free without references
		{2, 0, 6, "0381", SectionPrefix{3, true, 1}},
		{4, 4, 6, "0500", SectionPrefix{5, false, 0}},
		{9, 6, 3, "0482", SectionPrefix{4, true, 2}},
		{10, 300, 128, "0b 7f a3 01", SectionPrefix{11, false, 290}},
		{300, 300, 128, "2d 00", SectionPrefix{45, false, 0}},
	}
	for _, tt := range tests {
		p := NewSectionPrefix(tt.ric, tt.base, tt.maxEntries)
		if p != tt.prefix {
			t.Errorf("NewSectionPrefix(%d, %d, %d) = %+v; want %+v", tt.ric, tt.base, tt.maxEntries, p, tt.prefix)
		}
		want := dehex(t, tt.hex)
		if got := AppendSectionPrefix(nil, p); !bytes.Equal(got, want) {
			t.Errorf("AppendSectionPrefix(%+v) = %x; want %x", p, got, want)
		}
		got, n, err := ParseSectionPrefix(want)
		if err != nil || n != len(want) || got != p {
			t.Errorf("ParseSectionPrefix(%x) = %+v, %d, %v; want %+v", want, got, n, err, p)
		}
		if tt.ric > 0 {
			if base, ok := p.Base(tt.ric); !ok || base != tt.base {
				t.Errorf("%+v.Base(%d) = %d, %v; want %d", p, tt.ric, base, ok, tt.base)
			}
		}
		for i := range want {
			if _, _, err := ParseSectionPrefix(want[:i]); !errors.Is(err, ErrDecompressionFailed) {
				t.Errorf("ParseSectionPrefix(%x) error %v; want QPACK_DECOMPRESSION_FAILED", want[:i], err)
			}
		}
	}
	if _, ok := (SectionPrefix{Sign: true, DeltaBase: 2}).Base(2); ok {
		t.Errorf("Base(2) with S=1 and Delta Base 2 is valid; want negative (§4.5.1.2)")
	}
}

// TestRequiredInsertCountRoundTrip checks that every Required Insert
// Count a conformant encoder can send decodes back, whatever the decoder's
// Insert Count within the window §4.5.1.1 allows: the encoder's count is
// at most MaxEntries ahead of the decoder's (entries it has not sent
// cannot be referenced) and, for a decodable section, the decoder's is at
// most MaxEntries ahead of it (the referenced entry is still in the
// table).
func TestRequiredInsertCountRoundTrip(t *testing.T) {
	for _, maxEntries := range []uint64{1, 3, 6, 128} {
		for inserts := uint64(0); inserts < 5*maxEntries+10; inserts++ {
			lo := uint64(1)
			if inserts > maxEntries {
				lo = inserts - maxEntries + 1
			}
			for ric := lo; ric <= inserts+maxEntries; ric++ {
				enc := EncodeRequiredInsertCount(ric, maxEntries)
				if enc == 0 || enc > 2*maxEntries {
					t.Fatalf("EncodeRequiredInsertCount(%d, %d) = %d; want 1..%d", ric, maxEntries, enc, 2*maxEntries)
				}
				got, err := DecodeRequiredInsertCount(enc, maxEntries, inserts)
				if err != nil || got != ric {
					t.Fatalf("DecodeRequiredInsertCount(%d, %d, %d) = %d, %v; want %d", enc, maxEntries, inserts, got, err, ric)
				}
			}
		}
	}
}

// TestEncoderInstructionWire checks each encoder instruction's octets
// (RFC 9204 §4.3), from Appendix B where it has them, and parsing back.
func TestEncoderInstructionWire(t *testing.T) {
	tests := []struct {
		in  EncoderInstruction
		hex string
	}{
		{EncoderInstruction{Type: SetDynamicTableCapacity, Capacity: 220}, "3fbd01"},
		{EncoderInstruction{Type: InsertWithNameReference, Static: true, Index: 0, Value: "www.example.com"}, "c00f 7777 772e 6578 616d 706c 652e 636f 6d"},
		{EncoderInstruction{Type: InsertWithNameReference, Static: true, Index: 1, Value: "/sample/path"}, "c10c 2f73 616d 706c 652f 7061 7468"},
		{EncoderInstruction{Type: InsertWithLiteralName, Name: "custom-key", Value: "custom-value"}, "4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565"},
		{EncoderInstruction{Type: Duplicate, Index: 2}, "02"},
		{EncoderInstruction{Type: InsertWithNameReference, Index: 1, Value: "custom-value2"}, "810d 6375 7374 6f6d 2d76 616c 7565 32"},
		{EncoderInstruction{Type: SetDynamicTableCapacity, Capacity: 0}, "20"},
		{EncoderInstruction{Type: Duplicate, Index: 31}, "1f 00"},
		{EncoderInstruction{Type: InsertWithLiteralName, Name: "www.example.com", NameHuffman: true, Value: "a"}, "6c f1e3 c2e5 f23a 6ba0 ab90 f4ff 01 61"},
		{EncoderInstruction{Type: InsertWithNameReference, Static: true, Index: 98, Value: "www.example.com", ValueHuffman: true}, "ff 23 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"},
	}
	for _, tt := range tests {
		want := dehex(t, tt.hex)
		if got := AppendEncoderInstruction(nil, tt.in); !bytes.Equal(got, want) {
			t.Errorf("AppendEncoderInstruction(%+v) = %x; want %x", tt.in, got, want)
		}
		got, n, err := ParseEncoderInstruction(append(want, 0x20), 4096)
		if err != nil || n != len(want) || got != tt.in {
			t.Errorf("ParseEncoderInstruction(%x) = %+v, %d, %v; want %+v, %d", want, got, n, err, tt.in, len(want))
		}
		for i := range want {
			if got, n, err := ParseEncoderInstruction(want[:i], 4096); err != nil || n != 0 {
				t.Errorf("ParseEncoderInstruction(%x) = %+v, %d, %v; want incomplete", want[:i], got, n, err)
			}
		}
	}
}

// TestDecoderInstructionWire checks each decoder instruction's octets
// (RFC 9204 §4.4), from Appendix B where it has them, and parsing back.
func TestDecoderInstructionWire(t *testing.T) {
	const maxVarint = 1<<62 - 1 // QUIC's largest stream ID
	tests := []struct {
		in  DecoderInstruction
		hex string
	}{
		{DecoderInstruction{Type: SectionAcknowledgment, StreamID: 4}, "84"},
		{DecoderInstruction{Type: InsertCountIncrement, Increment: 1}, "01"},
		{DecoderInstruction{Type: StreamCancellation, StreamID: 8}, "48"},
		{DecoderInstruction{Type: SectionAcknowledgment, StreamID: 127}, "ff 00"},
		{DecoderInstruction{Type: StreamCancellation, StreamID: 63}, "7f 00"},
		{DecoderInstruction{Type: InsertCountIncrement, Increment: 64}, "3f 01"},
		{DecoderInstruction{Type: SectionAcknowledgment, StreamID: maxVarint}, "ff 80 ff ff ff ff ff ff ff 3f"},
	}
	for _, tt := range tests {
		want := dehex(t, tt.hex)
		if got := AppendDecoderInstruction(nil, tt.in); !bytes.Equal(got, want) {
			t.Errorf("AppendDecoderInstruction(%+v) = %x; want %x", tt.in, got, want)
		}
		got, n, err := ParseDecoderInstruction(append(want, 0x01))
		if err != nil || n != len(want) || got != tt.in {
			t.Errorf("ParseDecoderInstruction(%x) = %+v, %d, %v; want %+v, %d", want, got, n, err, tt.in, len(want))
		}
		for i := range want {
			if got, n, err := ParseDecoderInstruction(want[:i]); err != nil || n != 0 {
				t.Errorf("ParseDecoderInstruction(%x) = %+v, %d, %v; want incomplete", want[:i], got, n, err)
			}
		}
	}
	if _, _, err := ParseDecoderInstruction(dehex(t, "ff 81 ff ff ff ff ff ff ff 3f")); !errors.Is(err, ErrDecoderStreamError) {
		t.Errorf("ParseDecoderInstruction(2^62+127) error %v; want QPACK_DECODER_STREAM_ERROR", err)
	}
}

// appendixBEncoderStream is the whole encoder stream of Appendix B.
const appendixBEncoderStream = "3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468" +
	"4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565" + "02" + "810d 6375 7374 6f6d 2d76 616c 7565 32"

// TestStreamParsersInPieces feeds Appendix B's encoder and decoder
// streams to the parsers in pieces of every size from one octet up: they
// must hand out the same instructions at the same offsets.
func TestStreamParsersInPieces(t *testing.T) {
	es := dehex(t, appendixBEncoderStream)
	type encIn struct {
		in  EncoderInstruction
		off uint64
	}
	var whole []encIn
	{
		var p EncoderStreamParser
		p.MaxEntrySize = 4096
		p.Write(es)
		for {
			in, off, _, ok, err := p.Next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			whole = append(whole, encIn{in, off})
		}
		if len(whole) != 6 || p.Buffered() != 0 || p.Offset() != uint64(len(es)) {
			t.Fatalf("parsed %d instructions, %d octets left, offset %d; want 6, 0, %d", len(whole), p.Buffered(), p.Offset(), len(es))
		}
	}
	for size := 1; size <= len(es); size++ {
		var p EncoderStreamParser
		p.MaxEntrySize = 4096
		var got []encIn
		for i := 0; i < len(es); i += size {
			p.Write(es[i:min(i+size, len(es))])
			for {
				in, off, _, ok, err := p.Next()
				if err != nil {
					t.Fatalf("pieces of %d: %v", size, err)
				}
				if !ok {
					break
				}
				got = append(got, encIn{in, off})
			}
		}
		if len(got) != len(whole) {
			t.Fatalf("pieces of %d: %d instructions; want %d", size, len(got), len(whole))
		}
		for i := range got {
			if got[i] != whole[i] {
				t.Errorf("pieces of %d: instruction %d = %+v; want %+v", size, i, got[i], whole[i])
			}
		}
	}

	ds := dehex(t, "84 01 48 ff 80 ff ff ff ff ff ff ff 3f 3f 01")
	want := []DecoderInstruction{
		{Type: SectionAcknowledgment, StreamID: 4}, {Type: InsertCountIncrement, Increment: 1},
		{Type: StreamCancellation, StreamID: 8}, {Type: SectionAcknowledgment, StreamID: 1<<62 - 1},
		{Type: InsertCountIncrement, Increment: 64},
	}
	for size := 1; size <= len(ds); size++ {
		var p DecoderStreamParser
		var got []DecoderInstruction
		for i := 0; i < len(ds); i += size {
			p.Write(ds[i:min(i+size, len(ds))])
			for {
				in, _, _, ok, err := p.Next()
				if err != nil {
					t.Fatalf("pieces of %d: %v", size, err)
				}
				if !ok {
					break
				}
				got = append(got, in)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("pieces of %d: %v; want %v", size, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("pieces of %d: instruction %d = %+v; want %+v", size, i, got[i], want[i])
			}
		}
	}
}

// TestStringNames checks the String methods of the enums.
func TestStringNames(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{ErrDecompressionFailed.String(), "QPACK_DECOMPRESSION_FAILED"},
		{ErrEncoderStreamError.String(), "QPACK_ENCODER_STREAM_ERROR"},
		{ErrDecoderStreamError.String(), "QPACK_DECODER_STREAM_ERROR"},
		{ErrorCode(0x100).String(), "ErrorCode(0x100)"},
		{IndexedPostBase.String(), "indexed field line with post-base index"},
		{LiteralPostBaseNameRef.String(), "literal field line with post-base name reference"},
		{Representation(9).String(), "Representation(9)"},
		{Duplicate.String(), "Duplicate"},
		{InsertCountIncrement.String(), "Insert Count Increment"},
		{StrategyDynamic.String(), "dynamic"},
		{ReasonEntryEvicted.Section(), "RFC 9204 §2.2.3"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q; want %q", tt.got, tt.want)
		}
	}
	for _, name := range []string{"static-only", "dynamic", "index-all"} {
		if s, err := ParseStrategy(name); err != nil || s.String() != name {
			t.Errorf("ParseStrategy(%q) = %v, %v", name, s, err)
		}
	}
	if _, err := ParseStrategy("dynamics"); err == nil {
		t.Errorf("ParseStrategy(%q) succeeded; want an error", "dynamics")
	}
	for r := ReasonIntegerTruncated; r <= ReasonFieldSectionTooLarge; r++ {
		if r.Section() == "" || (&Error{Reason: r}).Explain() == "" {
			t.Errorf("reason %v has no section or explanation", r)
		}
	}
}
