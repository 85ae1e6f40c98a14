package hpack

import (
	"bytes"
	"fmt"
	"testing"
)

// The examples of RFC 7541 Appendix C, copied from the RFC: each block's
// header list, its hex dump, and the dynamic table after it.

// rfcEntry is a row of an RFC "Dynamic Table (after decoding)" listing.
type rfcEntry struct {
	size        int
	name, value string
}

type rfcBlock struct {
	fields    []HeaderField
	wire      string
	table     []rfcEntry // newest first, as the RFC lists them
	tableSize int
}

type rfcSequence struct {
	name      string
	tableSize uint32
	strategy  Strategy
	huffman   HuffmanPolicy
	blocks    []rfcBlock
}

func hf(name, value string) HeaderField { return HeaderField{Name: name, Value: value} }

var (
	req1 = []HeaderField{hf(":method", "GET"), hf(":scheme", "http"), hf(":path", "/"), hf(":authority", "www.example.com")}
	req2 = append(append([]HeaderField(nil), req1...), hf("cache-control", "no-cache"))
	req3 = []HeaderField{hf(":method", "GET"), hf(":scheme", "https"), hf(":path", "/index.html"), hf(":authority", "www.example.com"), hf("custom-key", "custom-value")}

	reqTable1 = []rfcEntry{{57, ":authority", "www.example.com"}}
	reqTable2 = []rfcEntry{{53, "cache-control", "no-cache"}, {57, ":authority", "www.example.com"}}
	reqTable3 = []rfcEntry{{54, "custom-key", "custom-value"}, {53, "cache-control", "no-cache"}, {57, ":authority", "www.example.com"}}

	resp1 = []HeaderField{hf(":status", "302"), hf("cache-control", "private"), hf("date", "Mon, 21 Oct 2013 20:13:21 GMT"), hf("location", "https://www.example.com")}
	resp2 = []HeaderField{hf(":status", "307"), hf("cache-control", "private"), hf("date", "Mon, 21 Oct 2013 20:13:21 GMT"), hf("location", "https://www.example.com")}
	resp3 = []HeaderField{hf(":status", "200"), hf("cache-control", "private"), hf("date", "Mon, 21 Oct 2013 20:13:22 GMT"), hf("location", "https://www.example.com"), hf("content-encoding", "gzip"), hf("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")}

	respTable1 = []rfcEntry{{63, "location", "https://www.example.com"}, {65, "date", "Mon, 21 Oct 2013 20:13:21 GMT"}, {52, "cache-control", "private"}, {42, ":status", "302"}}
	respTable2 = []rfcEntry{{42, ":status", "307"}, {63, "location", "https://www.example.com"}, {65, "date", "Mon, 21 Oct 2013 20:13:21 GMT"}, {52, "cache-control", "private"}}
	respTable3 = []rfcEntry{{98, "set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"}, {52, "content-encoding", "gzip"}, {65, "date", "Mon, 21 Oct 2013 20:13:22 GMT"}}
)

var rfcSequences = []rfcSequence{
	{name: "C.2.1", tableSize: 4096, strategy: StrategyIndexAll, huffman: HuffmanNever, blocks: []rfcBlock{{
		fields:    []HeaderField{hf("custom-key", "custom-header")},
		wire:      "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
		table:     []rfcEntry{{55, "custom-key", "custom-header"}},
		tableSize: 55,
	}}},
	{name: "C.2.2", tableSize: 4096, strategy: StrategyNeverIndex, huffman: HuffmanNever, blocks: []rfcBlock{{
		fields: []HeaderField{hf(":path", "/sample/path")},
		wire:   "040c 2f73 616d 706c 652f 7061 7468",
	}}},
	{name: "C.2.3", tableSize: 4096, strategy: StrategyIndexAll, huffman: HuffmanNever, blocks: []rfcBlock{{
		fields: []HeaderField{{Name: "password", Value: "secret", Sensitive: true}},
		wire:   "1008 7061 7373 776f 7264 0673 6563 7265 74",
	}}},
	{name: "C.2.4", tableSize: 4096, strategy: StrategyIndexAll, huffman: HuffmanNever, blocks: []rfcBlock{{
		fields: []HeaderField{hf(":method", "GET")},
		wire:   "82",
	}}},
	{name: "C.3", tableSize: 4096, strategy: StrategyIndexAll, huffman: HuffmanNever, blocks: []rfcBlock{
		{req1, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", reqTable1, 57},
		{req2, "8286 84be 5808 6e6f 2d63 6163 6865", reqTable2, 110},
		{req3, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", reqTable3, 164},
	}},
	{name: "C.4", tableSize: 4096, strategy: StrategyIndexAll, huffman: HuffmanAlways, blocks: []rfcBlock{
		{req1, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", reqTable1, 57},
		{req2, "8286 84be 5886 a8eb 1064 9cbf", reqTable2, 110},
		{req3, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", reqTable3, 164},
	}},
	{name: "C.5", tableSize: 256, strategy: StrategyIndexAll, huffman: HuffmanNever, blocks: []rfcBlock{
		{resp1, `4803 3330 3258 0770 7269 7661 7465 611d
			4d6f 6e2c 2032 3120 4f63 7420 3230 3133
			2032 303a 3133 3a32 3120 474d 546e 1768
			7474 7073 3a2f 2f77 7777 2e65 7861 6d70
			6c65 2e63 6f6d`, respTable1, 222},
		{resp2, "4803 3330 37c1 c0bf", respTable2, 222},
		{resp3, `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420
			3230 3133 2032 303a 3133 3a32 3220 474d
			54c0 5a04 677a 6970 7738 666f 6f3d 4153
			444a 4b48 514b 425a 584f 5157 454f 5049
			5541 5851 5745 4f49 553b 206d 6178 2d61
			6765 3d33 3630 303b 2076 6572 7369 6f6e
			3d31`, respTable3, 215},
	}},
	{name: "C.6", tableSize: 256, strategy: StrategyIndexAll, huffman: HuffmanAlways, blocks: []rfcBlock{
		{resp1, `4882 6402 5885 aec3 771a 4b61 96d0 7abe
			9410 54d4 44a8 2005 9504 0b81 66e0 82a6
			2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8
			e9ae 82ae 43d3`, respTable1, 222},
		{resp2, "4883 640e ffc1 c0bf", respTable2, 222},
		{resp3, `88c1 6196 d07a be94 1054 d444 a820 0595
			040b 8166 e084 a62d 1bff c05a 839b d9ab
			77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b
			3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
			9587 3160 65c0 03ed 4ee5 b106 3d50 07`, respTable3, 215},
	}},
}

// checkTable compares a table snapshot with an RFC listing.
func checkTable(t *testing.T, what string, got []TableEntry, size int, want []rfcEntry, wantSize int) {
	t.Helper()
	if size != wantSize {
		t.Errorf("%s: table size = %d; want %d", what, size, wantSize)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: table has %d entries %v; want %d %v", what, len(got), got, len(want), want)
	}
	for i, w := range want {
		g := got[i]
		if g.Index != StaticTableLen+1+i || g.Name != w.name || g.Value != w.value || g.Size != w.size {
			t.Errorf("%s: entry %d = [%d] (s = %d) %s: %s; want [%d] (s = %d) %s: %s",
				what, i, g.Index, g.Size, g.Name, g.Value, StaticTableLen+1+i, w.size, w.name, w.value)
		}
	}
}

func TestDecodeRFCExamples(t *testing.T) {
	for _, seq := range rfcSequences {
		d := NewDecoder(seq.tableSize)
		for i, blk := range seq.blocks {
			what := fmt.Sprintf("%s block %d", seq.name, i+1)
			var rec BlockRecord
			got, err := d.Decode(nil, dehex(t, blk.wire), &rec)
			if err != nil {
				t.Fatalf("%s: Decode: %v", what, err)
			}
			if !equalFields(got, blk.fields) {
				t.Errorf("%s: Decode = %v; want %v", what, got, blk.fields)
			}
			checkTable(t, what, d.AppendTable(nil), d.TableSize(), blk.table, blk.tableSize)
			if rec.TableSize != blk.tableSize || rec.WireLen != len(dehex(t, blk.wire)) {
				t.Errorf("%s: record table size %d, wire length %d; want %d, %d", what, rec.TableSize, rec.WireLen, blk.tableSize, len(dehex(t, blk.wire)))
			}
		}
	}
}

func TestEncodeRFCExamples(t *testing.T) {
	for _, seq := range rfcSequences {
		e := NewEncoder(seq.tableSize)
		e.SetStrategy(seq.strategy)
		e.SetHuffman(seq.huffman)
		for i, blk := range seq.blocks {
			what := fmt.Sprintf("%s block %d", seq.name, i+1)
			got := e.Encode(nil, blk.fields, nil)
			if want := dehex(t, blk.wire); !bytes.Equal(got, want) {
				t.Errorf("%s: Encode = %x; want %x", what, got, want)
			}
			checkTable(t, what, e.AppendTable(nil), e.TableSize(), blk.table, blk.tableSize)
		}
	}
}

// TestRFCEvictions checks the evictions RFC 7541 C.5.2 and C.5.3 narrate,
// as both ends record them.
func TestRFCEvictions(t *testing.T) {
	seq := rfcSequences[6] // C.5
	if seq.name != "C.5" {
		t.Fatalf("sequence 6 is %s; want C.5", seq.name)
	}
	want := [][]string{
		nil,
		{":status: 302"},
		{"cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT", "location: https://www.example.com", ":status: 307"},
	}
	wantInserted := []int{4, 1, 3}
	d := NewDecoder(seq.tableSize)
	e := NewEncoder(seq.tableSize)
	e.SetStrategy(StrategyIndexAll)
	e.SetHuffman(HuffmanNever)
	for i, blk := range seq.blocks {
		var drec, erec BlockRecord
		if _, err := d.Decode(nil, dehex(t, blk.wire), &drec); err != nil {
			t.Fatal(err)
		}
		e.Encode(nil, blk.fields, &erec)
		for _, rec := range []*BlockRecord{&drec, &erec} {
			var got []string
			for _, ev := range rec.Evicted {
				got = append(got, ev.Name+": "+ev.Value)
			}
			if fmt.Sprint(got) != fmt.Sprint(want[i]) {
				t.Errorf("C.5 block %d: evicted %q; want %q", i+1, got, want[i])
			}
			if len(rec.Inserted) != wantInserted[i] {
				t.Errorf("C.5 block %d: %d inserted; want %d", i+1, len(rec.Inserted), wantInserted[i])
			}
		}
	}
}
