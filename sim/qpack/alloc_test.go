package qpack

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestSteadyStateAllocations checks that the common paths allocate
// nothing once buffers are warm: the simulator runs QPACK on every
// request. Encoding with the static table only, and decoding a section of
// indexed field lines (static or, once acknowledged, dynamic) and writing
// its acknowledgment, reuse the caller's buffers and the codec's own.
func TestSteadyStateAllocations(t *testing.T) {
	fields := []Field{hf(":method", "GET"), hf(":scheme", "https"), hf(":path", "/"), hf("accept", "*/*")}
	e := NewEncoder()
	d := NewDecoder(0, 0)
	var sec, es, ds []byte
	var out []Field
	var rec SectionRecord
	run := func() {
		sec, es = e.AppendFieldSection(sec[:0], es[:0], 0, fields, &rec)
		out, _, _ = d.AppendFieldSection(out[:0], 0, sec, &rec)
		ds = d.AppendDecoderStream(ds[:0], nil)
	}
	run()
	if got := testing.AllocsPerRun(100, run); got != 0 {
		t.Errorf("static-only round trip: %v allocations; want 0", got)
	}

	// A dynamic table holding the list, acknowledged: the decoder side of
	// an all-indexed section allocates nothing either.
	custom := []Field{hf(":authority", "www.example.com"), hf("user-agent", "sim/1.0"), hf("x-trace", "abc")}
	e = newTestEncoder(StrategyIndexAll, 4096, 16)
	d = NewDecoder(4096, 16)
	sec, es = e.EncodeFieldSection(0, custom, nil)
	if _, err := d.FeedEncoderStream(es, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.DecodeFieldSection(0, sec, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.FeedDecoderStream(d.AppendDecoderStream(nil, nil), nil); err != nil {
		t.Fatal(err)
	}
	sec, es = e.EncodeFieldSection(4, custom, nil)
	if len(es) != 0 {
		t.Fatalf("second encoding wrote %x on the encoder stream; want nothing", es)
	}
	decode := func() {
		out, _, _ = d.AppendFieldSection(out[:0], 4, sec, &rec)
		ds = d.AppendDecoderStream(ds[:0], nil)
	}
	decode()
	if got := testing.AllocsPerRun(100, decode); got != 0 {
		t.Errorf("decoding an indexed section: %v allocations; want 0", got)
	}
}

// TestLiteralStringsKept checks the decoder's string arena: the strings of
// literal field lines, Huffman-coded or not, stay intact while the decoder
// goes on decoding (across the arena's chunks, and past one too long for
// it), and cost far less than an allocation each.
func TestLiteralStringsKept(t *testing.T) {
	e := NewEncoder()
	d := NewDecoder(0, 0)
	var want, got [][]Field
	for i := 0; i < 200; i++ {
		fields := []Field{
			hf(":status", "200"),
			hf("etag", strings.Repeat("e", i%40)+"-"+strconv.Itoa(i)),
			hf("x-custom-"+strconv.Itoa(i), "v"+strconv.Itoa(i*7919)),
		}
		if i%50 == 0 {
			fields = append(fields, hf("x-long", strings.Repeat("L", arenaChunk)))
		}
		want = append(want, fields)
		sec, _ := e.EncodeFieldSection(uint64(4*i), fields, nil)
		out, _, err := d.DecodeFieldSection(uint64(4*i), sec, nil)
		if err != nil {
			t.Fatalf("section %d: %v", i, err)
		}
		got = append(got, out)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("section %d after all decoding = %q; want %q", i, got[i], want[i])
		}
	}

	fields := []Field{hf("x-a", "some literal value"), hf("x-b", "another literal value")}
	sec, _ := e.EncodeFieldSection(0, fields, nil)
	var out []Field
	if n := testing.AllocsPerRun(100, func() {
		out, _, _ = d.AppendFieldSection(out[:0], 0, sec, nil)
	}); n >= 1 {
		t.Errorf("decoding 4 literal strings: %v allocations; want less than 1", n)
	}
}
