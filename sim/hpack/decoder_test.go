package hpack

import (
	"errors"
	"fmt"
	"testing"
)

// TestDecoderObligations feeds blocks that break each rule a decoder must
// enforce and checks the reason and the offset reported.
func TestDecoderObligations(t *testing.T) {
	const prime = "41 0f 7777 772e 6578 616d 706c 652e 636f 6d" // :authority: www.example.com, 57 octets in the table
	tests := []struct {
		name   string
		prime  string // a block decoded first
		limit  uint32 // SETTINGS_HEADER_TABLE_SIZE after NewDecoder(4096) and prime; 0 = unchanged
		hex    string
		reason Reason
		offset int
	}{
		{"indexed field with index 0", "", 0, "82 80", ReasonIndexZero, 1},
		{"index past the static table, empty dynamic table", "", 0, "be", ReasonIndexOutOfRange, 0},
		{"index past the dynamic table", "", 0, "41 01 61 bf", ReasonIndexOutOfRange, 3},
		{"literal name index past the tables", "", 0, "7e 01 61", ReasonIndexOutOfRange, 0},
		{"never-indexed name index past the tables", "", 0, "1f 30 01 61", ReasonIndexOutOfRange, 0},
		{"huge index", "", 0, "ff ff ff ff ff 07", ReasonIndexOutOfRange, 0},
		{"size update above the limit", "", 0, "3f e2 1f", ReasonSizeUpdateTooLarge, 0},      // 4097
		{"size update above a lowered limit", "", 100, "3f 46", ReasonSizeUpdateTooLarge, 0}, // 101
		{"second size update above the limit", "", 0, "20 3f e2 1f", ReasonSizeUpdateTooLarge, 1},
		{"size update after an indexed field", "", 0, "82 20", ReasonSizeUpdateAfterField, 1},
		{"size update after a literal", "", 0, "00 01 61 01 62 3f 01", ReasonSizeUpdateAfterField, 5},
		{"no size update after the limit fell below the table's size", prime, 56, "82", ReasonSizeUpdateMissing, 0},
		{"empty block after the limit fell below the table's size", prime, 56, "", ReasonSizeUpdateMissing, 0},
		{"size update above the lowered limit", prime, 56, "3f 1a", ReasonSizeUpdateTooLarge, 0}, // 57
		{"Huffman value containing EOS", "", 0, "00 01 61 84 ff ff ff ff", ReasonHuffmanEOS, 7},
		{"Huffman name containing EOS", "", 0, "00 84 ff ff ff ff 01 61", ReasonHuffmanEOS, 5},
		{"Huffman padding longer than 7 bits", "", 0, "00 01 61 82 1f ff", ReasonHuffmanPaddingTooLong, 5},
		{"Huffman padding a whole octet", "", 0, "00 01 61 81 ff", ReasonHuffmanPaddingTooLong, 4},
		{"Huffman padding not all ones", "", 0, "00 01 61 81 00", ReasonHuffmanPaddingNotEOS, 4},
		{"index integer above 2^32-1", "", 0, "ff 80 80 80 80 10", ReasonIntegerOverflow, 0},
		{"index integer with six continuation octets", "", 0, "ff 80 80 80 80 80 00", ReasonIntegerOverflow, 0},
		{"string length above 2^32-1", "", 0, "00 7f 80 80 80 80 10", ReasonIntegerOverflow, 1},
		{"size update above 2^32-1", "", 0, "3f 80 80 80 80 10", ReasonIntegerOverflow, 0},
		{"truncated index", "", 0, "82 ff", ReasonIntegerTruncated, 1},
		{"truncated index continuation", "", 0, "ff 80", ReasonIntegerTruncated, 0},
		{"truncated size update", "", 0, "3f", ReasonIntegerTruncated, 0},
		{"literal without its name", "", 0, "00", ReasonIntegerTruncated, 1},
		{"literal without its value", "", 0, "40 01 61", ReasonIntegerTruncated, 3},
		{"name index without its value", "", 0, "04", ReasonIntegerTruncated, 1},
		{"truncated name", "", 0, "00 05 61 62", ReasonStringTruncated, 1},
		{"truncated value", "", 0, "04 03 61", ReasonStringTruncated, 1},
		{"truncated Huffman value", "", 0, "44 8c f1 e3", ReasonStringTruncated, 1},
		{"truncated value length", "", 0, "00 01 61 7f", ReasonIntegerTruncated, 3},
	}
	for _, tt := range tests {
		d := NewDecoder(DefaultTableSize)
		if _, err := d.Decode(nil, dehex(t, tt.prime), nil); err != nil {
			t.Fatalf("%s: prime: %v", tt.name, err)
		}
		if tt.limit != 0 {
			d.SetTableSizeLimit(tt.limit)
		}
		got, err := d.Decode(nil, dehex(t, tt.hex), nil)
		var de *DecodingError
		if !errors.As(err, &de) || de.Reason != tt.reason || de.Offset != tt.offset {
			t.Errorf("%s: Decode(%s) = %v, error %v; want %v at byte %d", tt.name, tt.hex, got, err, tt.reason, tt.offset)
			continue
		}
		if !errors.Is(err, ErrCompression) || errors.Is(err, ErrHeaderListTooLarge) {
			t.Errorf("%s: error %v should match ErrCompression only", tt.name, err)
		}
		if len(got) != 0 {
			t.Errorf("%s: Decode returned %v with its error; want nothing", tt.name, got)
		}
	}
}

// TestDecoderAccepts is the other side of the obligations: blocks at the
// edge of each rule that a decoder must accept.
func TestDecoderAccepts(t *testing.T) {
	tests := []struct {
		name  string
		limit uint32
		hex   string
		want  []HeaderField
		max   int // MaxTableSize after
	}{
		{"size update to the limit", 0, "3f e1 1f 82", []HeaderField{hf(":method", "GET")}, 4096},
		{"two size updates: minimum then final", 0, "20 3f e1 1f 82", []HeaderField{hf(":method", "GET")}, 4096},
		{"size update after the limit fell", 100, "3f 45 82", []HeaderField{hf(":method", "GET")}, 100},
		{"size update to 0", 0, "20", nil, 0},
		{"last static index", 0, "bd", []HeaderField{hf("www-authenticate", "")}, 4096},
		{"empty Huffman string", 0, "00 80 80", []HeaderField{hf("", "")}, 4096},
		{"never indexed keeps its flag", 0, "10 01 61 01 62", []HeaderField{{Name: "a", Value: "b", Sensitive: true}}, 4096},
		{"integer padded with zero continuation octets", 0, "ff 80 80 80 80 00 86", nil, 0},
	}
	for _, tt := range tests {
		d := NewDecoder(DefaultTableSize)
		if tt.limit != 0 {
			d.SetTableSizeLimit(tt.limit)
		}
		got, err := d.Decode(nil, dehex(t, tt.hex), nil)
		if tt.name == "integer padded with zero continuation octets" {
			// 127 + 0: index 127 is out of range, but the encoding itself
			// (four zero continuation octets, five in all) must not be
			// refused as an overflow.
			var de *DecodingError
			if !errors.As(err, &de) || de.Reason != ReasonIndexOutOfRange || de.Value != 127 {
				t.Errorf("%s: Decode(%s) error %v; want index 127 out of range", tt.name, tt.hex, err)
			}
			continue
		}
		if err != nil || !equalFields(got, tt.want) || d.MaxTableSize() != tt.max {
			t.Errorf("%s: Decode(%s) = %v, %v, max size %d; want %v, nil, %d", tt.name, tt.hex, got, err, d.MaxTableSize(), tt.want, tt.max)
		}
	}
}

// TestDecoderSizeUpdateDue checks when a block must start with a dynamic
// table size update and how large it may be. The rule compares the
// SETTINGS_HEADER_TABLE_SIZE limit with the table's maximum size, not with
// the octets its entries hold (RFC 9113 §4.3.1), and the first update must
// reach the smallest limit set since the last block (RFC 7541 §4.2).
func TestDecoderSizeUpdateDue(t *testing.T) {
	const prime = "41 0f 7777 772e 6578 616d 706c 652e 636f 6d" // :authority: www.example.com, 57 octets in the table
	tests := []struct {
		name   string
		prime  string   // a block decoded before the limits change
		limits []uint32 // SetTableSizeLimit calls after NewDecoder(4096) and prime, in order
		blocks []string // decoded in order; all but the last must be accepted
		reason Reason   // the last block's error; 0 = accepted
		want   uint64   // the error's Limit, or MaxTableSize after an accepted block
	}{
		{"limit below the maximum, empty table, no update", "", []uint32{100}, []string{"82"}, ReasonSizeUpdateMissing, 100},
		{"limit below the maximum, entries within it, no update", prime, []uint32{100}, []string{"82"}, ReasonSizeUpdateMissing, 100},
		{"limit below the entries, no update", prime, []uint32{56}, []string{"be"}, ReasonSizeUpdateMissing, 56},
		{"limit below the maximum, empty block", "", []uint32{100}, []string{""}, ReasonSizeUpdateMissing, 100},
		{"limit below the maximum, update to it", prime, []uint32{100}, []string{"3f 45 be"}, 0, 100},
		{"limit below the maximum, update above it", "", []uint32{100}, []string{"3f 46"}, ReasonSizeUpdateTooLarge, 100}, // 101
		{"update owed once only", "", []uint32{100}, []string{"3f 45 82", "82"}, 0, 100},
		{"limit lowered and restored, no update", "", []uint32{100, 4096}, []string{"82"}, ReasonSizeUpdateMissing, 100},
		{"limit lowered and restored, update to the final limit only", "", []uint32{100, 4096}, []string{"3f e1 1f 82"}, ReasonSizeUpdateTooLarge, 100},
		{"limit lowered and restored, minimum then final", "", []uint32{100, 4096}, []string{"3f 45 3f e1 1f 82"}, 0, 4096},
		{"limit lowered twice, update to the first", "", []uint32{100, 50}, []string{"3f 45 82"}, ReasonSizeUpdateTooLarge, 50},
		{"limit lowered twice, update to the smallest", "", []uint32{100, 50, 80}, []string{"3f 13 3f 31 82"}, 0, 80},
		{"limit equal to the maximum, no update", prime, []uint32{4096}, []string{"be"}, 0, 4096},
		{"limit raised, no update", prime, []uint32{8192}, []string{"be"}, 0, 4096},
		{"limit raised, update to it", "", []uint32{8192}, []string{"3f e1 3f 82"}, 0, 8192},
		{"limit raised, update above it", "", []uint32{8192}, []string{"3f e2 3f"}, ReasonSizeUpdateTooLarge, 8192}, // 8193
		{"limit raised, update, then a block without one", "", []uint32{8192}, []string{"3f e1 3f", "82"}, 0, 8192},
	}
	for _, tt := range tests {
		d := NewDecoder(DefaultTableSize)
		if _, err := d.Decode(nil, dehex(t, tt.prime), nil); err != nil {
			t.Fatalf("%s: prime: %v", tt.name, err)
		}
		for _, n := range tt.limits {
			d.SetTableSizeLimit(n)
		}
		last := len(tt.blocks) - 1
		for _, b := range tt.blocks[:last] {
			if _, err := d.Decode(nil, dehex(t, b), nil); err != nil {
				t.Fatalf("%s: Decode(%s) error %v; want nil", tt.name, b, err)
			}
		}
		_, err := d.Decode(nil, dehex(t, tt.blocks[last]), nil)
		if tt.reason == 0 {
			if err != nil || uint64(d.MaxTableSize()) != tt.want {
				t.Errorf("%s: Decode(%s) error %v, max size %d; want nil, %d", tt.name, tt.blocks[last], err, d.MaxTableSize(), tt.want)
			}
			continue
		}
		var de *DecodingError
		if !errors.As(err, &de) || de.Reason != tt.reason || de.Offset != 0 || de.Limit != tt.want {
			t.Errorf("%s: Decode(%s) error %v; want %v at byte 0, limit %d", tt.name, tt.blocks[last], err, tt.reason, tt.want)
		}
	}
}

// TestDecodeTruncations cuts every RFC example block at every octet: a cut
// between representations is a shorter valid block, any other cut is an
// error.
func TestDecodeTruncations(t *testing.T) {
	for _, seq := range rfcSequences {
		for bi, blk := range seq.blocks {
			wire := dehex(t, blk.wire)
			// Replay the blocks before this one to set up the table.
			prime := func() *Decoder {
				d := NewDecoder(seq.tableSize)
				for _, b := range seq.blocks[:bi] {
					if _, err := d.Decode(nil, dehex(t, b.wire), nil); err != nil {
						t.Fatal(err)
					}
				}
				return d
			}
			var rec BlockRecord
			if _, err := prime().Decode(nil, wire, &rec); err != nil {
				t.Fatal(err)
			}
			boundary := map[int]int{0: 0} // offset -> fields before it
			for i, f := range rec.Fields {
				boundary[f.Offset+f.WireLen] = i + 1
			}
			for cut := 0; cut < len(wire); cut++ {
				got, err := prime().Decode(nil, wire[:cut], nil)
				what := fmt.Sprintf("%s block %d cut at %d", seq.name, bi+1, cut)
				if n, ok := boundary[cut]; ok {
					if err != nil || !equalFields(got, blk.fields[:n]) {
						t.Errorf("%s: Decode = %v, %v; want %v", what, got, err, blk.fields[:n])
					}
					continue
				}
				var de *DecodingError
				if !errors.As(err, &de) {
					t.Errorf("%s: Decode = %v, %v; want a truncation error", what, got, err)
					continue
				}
				switch de.Reason {
				case ReasonIntegerTruncated, ReasonStringTruncated:
				default:
					t.Errorf("%s: error %v; want a truncation", what, err)
				}
			}
		}
	}
}

// TestHeaderListSize checks the SETTINGS_MAX_HEADER_LIST_SIZE bound: the
// over-large list is refused, but the table stays in step with the encoder.
func TestHeaderListSize(t *testing.T) {
	c3 := rfcSequences[4]
	if c3.name != "C.3" {
		t.Fatalf("sequence 4 is %s; want C.3", c3.name)
	}
	// req1's list size: 7+3+32 + 7+4+32 + 5+1+32 + 10+15+32 = 180.
	tests := []struct {
		max  uint32
		fail bool
	}{
		{180, false},
		{179, true},
		{0, true},
	}
	for _, tt := range tests {
		d := NewDecoder(DefaultTableSize)
		d.SetMaxHeaderListSize(tt.max)
		got, err := d.Decode(nil, dehex(t, c3.blocks[0].wire), nil)
		if !tt.fail {
			if err != nil || !equalFields(got, req1) {
				t.Errorf("max %d: Decode = %v, %v; want %v", tt.max, got, err, req1)
			}
			continue
		}
		var de *DecodingError
		if !errors.As(err, &de) || de.Reason != ReasonHeaderListTooLarge || de.Value != 180 || de.Limit != uint64(tt.max) || len(got) != 0 {
			t.Errorf("max %d: Decode = %v, %v; want header list too large (180)", tt.max, got, err)
			continue
		}
		if !errors.Is(err, ErrHeaderListTooLarge) || errors.Is(err, ErrCompression) {
			t.Errorf("max %d: error %v should match ErrHeaderListTooLarge only", tt.max, err)
		}
		// The table took the :authority entry all the same, so the next
		// block, which refers to it, decodes.
		d.SetMaxHeaderListSize(DefaultMaxHeaderListSize)
		got, err = d.Decode(nil, dehex(t, c3.blocks[1].wire), nil)
		if err != nil || !equalFields(got, req2) {
			t.Errorf("max %d: next block = %v, %v; want %v", tt.max, got, err, req2)
		}
	}
}

func TestDecodingErrorMessage(t *testing.T) {
	d := NewDecoder(DefaultTableSize)
	_, err := d.Decode(nil, dehex(t, "82 86 84 41 01 61 c6"), nil)
	want := "hpack: at byte 6: index 70 is past the end of the dynamic table (last index 62) (RFC 7541 §2.3.3): COMPRESSION_ERROR"
	if err == nil || err.Error() != want {
		t.Errorf("Decode error = %v; want %s", err, want)
	}
}
