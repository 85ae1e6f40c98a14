package hpack

import (
	"bytes"
	"fmt"
	"testing"
)

// updates returns the size updates n... as the encoder must write them.
func updates(sizes ...int) []byte {
	var b []byte
	for _, s := range sizes {
		b = AppendInt(b, 5, 0x20, uint64(s))
	}
	return b
}

// TestEncoderSizeUpdates checks when and how the encoder announces a
// change of the dynamic table's maximum size (RFC 7541 §4.2, §6.3).
func TestEncoderSizeUpdates(t *testing.T) {
	tests := []struct {
		name        string
		change      func(e *Encoder)
		wantUpdates []int
		wantMax     int
		wantLen     int // table entries after encoding req1 on top of req1
	}{
		{"no change", func(e *Encoder) {}, nil, 4096, 1},
		{"same size again", func(e *Encoder) { e.SetMaxTableSize(4096) }, nil, 4096, 1},
		{"reduced", func(e *Encoder) { e.SetMaxTableSize(1000) }, []int{1000}, 1000, 1},
		{"reduced twice", func(e *Encoder) { e.SetMaxTableSize(1000); e.SetMaxTableSize(500) }, []int{500}, 500, 1},
		{"reduced then raised: minimum then final", func(e *Encoder) { e.SetMaxTableSize(0); e.SetMaxTableSize(4096) }, []int{0, 4096}, 4096, 1},
		{"reduced, raised, reduced", func(e *Encoder) { e.SetMaxTableSize(100); e.SetMaxTableSize(3000); e.SetMaxTableSize(2000) }, []int{100, 2000}, 2000, 1},
		{"above the limit: clamped, unchanged", func(e *Encoder) { e.SetMaxTableSize(10000) }, nil, 4096, 1},
		{"peer lowers its limit", func(e *Encoder) { e.SetTableSizeLimit(256) }, []int{256}, 256, 1},
		{"peer lowers its limit to 0", func(e *Encoder) { e.SetTableSizeLimit(0) }, []int{0}, 0, 0},
		{"peer raises its limit: no change", func(e *Encoder) { e.SetTableSizeLimit(65536) }, nil, 4096, 1},
		{"peer raises its limit, encoder uses it", func(e *Encoder) { e.SetTableSizeLimit(65536); e.SetMaxTableSize(65536) }, []int{65536}, 65536, 1},
		{"pending raise cut by a lower limit", func(e *Encoder) { e.SetTableSizeLimit(65536); e.SetMaxTableSize(65536); e.SetTableSizeLimit(1024) }, []int{1024}, 1024, 1},
	}
	for _, tt := range tests {
		e := NewEncoder(DefaultTableSize)
		e.SetStrategy(StrategyIndexAll)
		d := NewDecoder(DefaultTableSize)
		d.SetTableSizeLimit(65536)
		first := e.Encode(nil, req1, nil)
		if _, err := d.Decode(nil, first, nil); err != nil {
			t.Fatal(err)
		}
		tt.change(e)
		var rec BlockRecord
		block := e.Encode(nil, req1, &rec)
		want := updates(tt.wantUpdates...)
		if !bytes.HasPrefix(block, want) || len(block) > len(want) && block[len(want)]&0xe0 == 0x20 {
			t.Errorf("%s: block %x; want it to start with exactly the updates %x", tt.name, block, want)
		}
		if fmt.Sprint(rec.SizeUpdates) != fmt.Sprint(tt.wantUpdates) && len(rec.SizeUpdates)+len(tt.wantUpdates) > 0 {
			t.Errorf("%s: recorded updates %v; want %v", tt.name, rec.SizeUpdates, tt.wantUpdates)
		}
		if e.MaxTableSize() != tt.wantMax || rec.MaxTableSize != tt.wantMax || e.TableLen() != tt.wantLen {
			t.Errorf("%s: max size %d (recorded %d), %d entries; want %d, %d", tt.name, e.MaxTableSize(), rec.MaxTableSize, e.TableLen(), tt.wantMax, tt.wantLen)
		}
		got, err := d.Decode(nil, block, nil)
		if err != nil || !equalFields(got, req1) {
			t.Errorf("%s: Decode = %v, %v; want %v", tt.name, got, err, req1)
		}
		if d.MaxTableSize() != e.MaxTableSize() || d.TableSize() != e.TableSize() {
			t.Errorf("%s: decoder table %d/%d; encoder %d/%d", tt.name, d.TableSize(), d.MaxTableSize(), e.TableSize(), e.MaxTableSize())
		}
	}
}

// TestEncoderLimitAgreesWithDecoder lowers SETTINGS_HEADER_TABLE_SIZE on
// both ends, as an HTTP/2 connection would: the decoder then insists on a
// size update, and the encoder must send one (RFC 9113 §4.3.1).
func TestEncoderLimitAgreesWithDecoder(t *testing.T) {
	e := NewEncoder(DefaultTableSize)
	d := NewDecoder(DefaultTableSize)
	for i, limit := range []uint32{4096, 100, 100, 3000, 0, 4096} {
		e.SetTableSizeLimit(limit)
		d.SetTableSizeLimit(limit)
		for _, fields := range [][]HeaderField{req1, req2, req3} {
			got, err := d.Decode(nil, e.Encode(nil, fields, nil), nil)
			if err != nil || !equalFields(got, fields) {
				t.Fatalf("step %d (limit %d): Decode = %v, %v; want %v", i, limit, got, err, fields)
			}
		}
	}
}

// TestEncoderRepresentations checks the strategies' choices field by field.
func TestEncoderRepresentations(t *testing.T) {
	long := string(bytes.Repeat([]byte("x"), 3100))
	tests := []struct {
		strategy Strategy
		field    HeaderField
		want     Representation
		index    int
	}{
		{StrategyDefault, hf(":method", "GET"), Indexed, 2},
		{StrategyDefault, hf(":authority", "example.com"), LiteralIncremental, 1},
		{StrategyDefault, hf(":path", "/style.css"), LiteralWithoutIndexing, 4},
		{StrategyDefault, hf(":path", "/search?q=hpack"), LiteralWithoutIndexing, 4},
		{StrategyDefault, hf("content-length", "1234"), LiteralWithoutIndexing, 28},
		{StrategyDefault, hf("date", "Mon, 21 Oct 2013 20:13:21 GMT"), LiteralIncremental, 33},
		{StrategyDefault, hf("x-long", long), LiteralWithoutIndexing, 0},
		{StrategyDefault, hf("authorization", "Basic dXNlcjpwYXNz"), LiteralNeverIndexed, 23},
		{StrategyDefault, hf("cookie", "id=12345"), LiteralNeverIndexed, 32},
		{StrategyDefault, hf("cookie", "session=0123456789abcdef0123"), LiteralIncremental, 32},
		{StrategyDefault, HeaderField{Name: "x-secret", Value: "s", Sensitive: true}, LiteralNeverIndexed, 0},
		{StrategyIndexAll, hf(":path", "/style.css"), LiteralIncremental, 4},
		{StrategyIndexAll, hf("content-length", "1234"), LiteralIncremental, 28},
		{StrategyIndexAll, hf("x-long", long), LiteralIncremental, 0},
		{StrategyIndexAll, hf("proxy-authorization", "x"), LiteralNeverIndexed, 49},
		{StrategyNeverIndex, hf(":authority", "example.com"), LiteralWithoutIndexing, 1},
		{StrategyNeverIndex, hf(":status", "200"), Indexed, 8},
		{StrategyNeverIndex, hf("cookie", "a=b"), LiteralNeverIndexed, 32},
	}
	for _, tt := range tests {
		e := NewEncoder(DefaultTableSize)
		e.SetStrategy(tt.strategy)
		var rec BlockRecord
		block := e.Encode(nil, []HeaderField{tt.field}, &rec)
		fr := rec.Fields[0]
		if fr.Rep != tt.want || fr.Index != tt.index || fr.WireLen != len(block) {
			t.Errorf("%v: encode %s = %v index %d (%d octets); want %v index %d (%d octets)",
				tt.strategy, tt.field.Name, fr.Rep, fr.Index, fr.WireLen, tt.want, tt.index, len(block))
		}
		inserted := tt.want == LiteralIncremental && tt.field.Size() <= DefaultTableSize
		if (len(rec.Inserted) == 1) != inserted {
			t.Errorf("%v: encode %s inserted %v; want inserted=%v", tt.strategy, tt.field.Name, rec.Inserted, inserted)
		}
		// Exact repeats are indexed from the dynamic table if inserted.
		if inserted {
			block = e.Encode(nil, []HeaderField{tt.field}, &rec)
			if want := []byte{0x80 | byte(StaticTableLen+1)}; !bytes.Equal(block, want) {
				t.Errorf("%v: repeat of %s = %x; want %x", tt.strategy, tt.field.Name, block, want)
			}
		}
	}
}

// TestEncoderHuffmanPolicy checks HuffmanShorter against the other two.
func TestEncoderHuffmanPolicy(t *testing.T) {
	tests := []struct {
		value  string
		policy HuffmanPolicy
		huff   bool
	}{
		{"www.example.com", HuffmanShorter, true},
		{"307", HuffmanShorter, false}, // 3 octets either way
		{"307", HuffmanAlways, true},
		{"www.example.com", HuffmanNever, false},
		{"\x00\x01", HuffmanShorter, false}, // 13+23 bits: longer coded
	}
	for _, tt := range tests {
		e := NewEncoder(DefaultTableSize)
		e.SetHuffman(tt.policy)
		var rec BlockRecord
		block := e.Encode(nil, []HeaderField{hf("x-v", tt.value)}, &rec)
		if rec.Fields[0].ValueHuffman != tt.huff {
			t.Errorf("%v: value %q Huffman-coded = %v; want %v", tt.policy, tt.value, rec.Fields[0].ValueHuffman, tt.huff)
		}
		got, err := NewDecoder(DefaultTableSize).Decode(nil, block, nil)
		if err != nil || len(got) != 1 || got[0].Value != tt.value {
			t.Errorf("%v: Decode = %v, %v; want value %q", tt.policy, got, err, tt.value)
		}
	}
}

func TestParseNames(t *testing.T) {
	for _, s := range []Strategy{StrategyDefault, StrategyIndexAll, StrategyNeverIndex} {
		if got, err := ParseStrategy(s.String()); err != nil || got != s {
			t.Errorf("ParseStrategy(%q) = %v, %v; want %v", s.String(), got, err, s)
		}
	}
	if _, err := ParseStrategy("fast"); err == nil {
		t.Errorf("ParseStrategy(\"fast\") succeeded; want an error")
	}
	for _, p := range []HuffmanPolicy{HuffmanShorter, HuffmanAlways, HuffmanNever} {
		if got, err := ParseHuffmanPolicy(p.String()); err != nil || got != p {
			t.Errorf("ParseHuffmanPolicy(%q) = %v, %v; want %v", p.String(), got, err, p)
		}
	}
}
