package qpack

import (
	"bytes"
	"fmt"
	"testing"
)

// The examples of RFC 9204 Appendix B, copied from the RFC: the octets of
// the encoder stream, the field sections and the decoder stream, and the
// encoder's dynamic table after each step. They run in both directions:
// an Encoder must write the same octets, and a Decoder must read them
// into the same tables and answer with the same decoder stream.

// rfcRow is a row of an RFC table listing: "Abs Ref Name Value".
type rfcRow struct {
	abs         uint64
	ref         int
	name, value string
}

// rfcState is a table listing: its rows, the Known Received Count (the
// rows above the "acknowledged" line, and the entries evicted before
// them) and the Size line.
type rfcState struct {
	rows  []rfcRow
	known uint64
	size  int
}

// rfcStep is one exchange of Appendix B.
type rfcStep struct {
	name string
	// What the encoder does: encode fields on stream (section), insert
	// or duplicate (the encoder stream alone), or read the decoder
	// stream.
	stream    uint64
	fields    []Field
	strategy  Strategy
	insert    *Field
	duplicate *uint64
	// The octets of the step, per stream.
	encoderStream, section, decoderStream string
	// cancel: the decoder cancels the stream instead of decoding it; the
	// section arrives before the encoder stream octets it needs (B.4).
	cancel bool
	state  rfcState
}

func ptr[T any](v T) *T { return &v }

var (
	rowAuthority = rfcRow{0, 0, ":authority", "www.example.com"}
	rowPath      = rfcRow{1, 0, ":path", "/sample/path"}
	rowCustom    = rfcRow{2, 0, "custom-key", "custom-value"}
	rowDup       = rfcRow{3, 0, ":authority", "www.example.com"}
	rowCustom2   = rfcRow{4, 0, "custom-key", "custom-value2"}
)

func withRef(r rfcRow, ref int) rfcRow { r.ref = ref; return r }

var rfcSteps = []rfcStep{
	{
		name: "B.1", stream: 0, strategy: StrategyStaticOnly,
		fields:  []Field{hf(":path", "/index.html")},
		section: "0000 510b 2f69 6e64 6578 2e68 746d 6c",
		state:   rfcState{size: 0},
	},
	{
		name: "B.2 section", stream: 4, strategy: StrategyIndexAll,
		fields:        []Field{hf(":authority", "www.example.com"), hf(":path", "/sample/path")},
		encoderStream: "3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468",
		section:       "0381 10 11",
		state:         rfcState{rows: []rfcRow{withRef(rowAuthority, 1), withRef(rowPath, 1)}, known: 0, size: 106},
	},
	{
		name: "B.2 acknowledgment", decoderStream: "84",
		state: rfcState{rows: []rfcRow{rowAuthority, rowPath}, known: 2, size: 106},
	},
	{
		name: "B.3 insert", insert: ptr(hf("custom-key", "custom-value")),
		encoderStream: "4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565",
		state:         rfcState{rows: []rfcRow{rowAuthority, rowPath, rowCustom}, known: 2, size: 160},
	},
	{
		name: "B.3 increment", decoderStream: "01",
		state: rfcState{rows: []rfcRow{rowAuthority, rowPath, rowCustom}, known: 3, size: 160},
	},
	{
		name: "B.4 duplicate", duplicate: ptr(uint64(0)),
		encoderStream: "02",
		state:         rfcState{rows: []rfcRow{rowAuthority, rowPath, rowCustom, rowDup}, known: 3, size: 217},
	},
	{
		name: "B.4 section", stream: 8, strategy: StrategyIndexAll, cancel: true,
		fields:  []Field{hf(":authority", "www.example.com"), hf(":path", "/"), hf("custom-key", "custom-value")},
		section: "0500 80 c1 81",
		state:   rfcState{rows: []rfcRow{rowAuthority, rowPath, withRef(rowCustom, 1), withRef(rowDup, 1)}, known: 3, size: 217},
	},
	{
		name: "B.4 cancellation", decoderStream: "48",
		state: rfcState{rows: []rfcRow{rowAuthority, rowPath, rowCustom, rowDup}, known: 3, size: 217},
	},
	{
		name: "B.5 insert", insert: ptr(hf("custom-key", "custom-value2")),
		encoderStream: "810d 6375 7374 6f6d 2d76 616c 7565 32",
		state:         rfcState{rows: []rfcRow{rowPath, rowCustom, rowDup, rowCustom2}, known: 3, size: 215},
	},
}

// rfcCapacity and rfcBlocked are the settings of the examples: Set Dynamic
// Table Capacity=220, and at least one stream may block (B.2).
const rfcCapacity, rfcBlocked = 220, 1

// checkEncoderState compares the encoder's table with an RFC listing.
func checkEncoderState(t *testing.T, step string, e *Encoder, want rfcState) {
	t.Helper()
	got := e.AppendTable(nil)
	if len(got) != len(want.rows) {
		t.Fatalf("%s: encoder table %v; want %v", step, got, want.rows)
	}
	for i, w := range want.rows {
		g := got[i]
		if g.Index != w.abs || g.Refs != w.ref || g.Name != w.name || g.Value != w.value || g.Size != EntrySize(w.name, w.value) {
			t.Errorf("%s: encoder entry %d = %+v; want %+v", step, i, g, w)
		}
		if g.Acknowledged != (w.abs < want.known) {
			t.Errorf("%s: encoder entry %d acknowledged = %v; want %v", step, w.abs, g.Acknowledged, !g.Acknowledged)
		}
	}
	if e.TableSize() != want.size || e.KnownReceivedCount() != want.known {
		t.Errorf("%s: encoder table size %d, Known Received Count %d; want %d, %d", step, e.TableSize(), e.KnownReceivedCount(), want.size, want.known)
	}
}

// checkDecoderState compares the decoder's table with an RFC listing.
func checkDecoderState(t *testing.T, step string, d *Decoder, want rfcState) {
	t.Helper()
	got := d.AppendTable(nil)
	if len(got) != len(want.rows) {
		t.Fatalf("%s: decoder table %v; want %v", step, got, want.rows)
	}
	for i, w := range want.rows {
		g := got[i]
		if g.Index != w.abs || g.Name != w.name || g.Value != w.value || g.Size != EntrySize(w.name, w.value) {
			t.Errorf("%s: decoder entry %d = %+v; want %+v", step, i, g, w)
		}
	}
	if d.TableSize() != want.size {
		t.Errorf("%s: decoder table size %d; want %d", step, d.TableSize(), want.size)
	}
}

// TestRFCExamplesEncode has an Encoder go through Appendix B and checks
// every octet it writes and its table after every step.
func TestRFCExamplesEncode(t *testing.T) {
	e := NewEncoder()
	e.SetHuffman(HuffmanNever)
	e.SetPeerSettings(rfcCapacity, rfcBlocked)
	for _, s := range rfcSteps {
		var es, sec []byte
		switch {
		case s.decoderStream != "":
			var rec DecoderStreamRecord
			if err := e.FeedDecoderStream(dehex(t, s.decoderStream), &rec); err != nil {
				t.Fatalf("%s: FeedDecoderStream: %v", s.name, err)
			}
			if rec.WireLen != len(dehex(t, s.decoderStream)) || rec.KnownReceivedCount != s.state.known {
				t.Errorf("%s: decoder stream record %+v; want %d octets, Known Received Count %d", s.name, rec, len(dehex(t, s.decoderStream)), s.state.known)
			}
		case s.insert != nil:
			var err error
			if es, err = e.Insert(nil, *s.insert, nil); err != nil {
				t.Fatalf("%s: Insert: %v", s.name, err)
			}
		case s.duplicate != nil:
			var err error
			if es, err = e.Duplicate(nil, *s.duplicate, nil); err != nil {
				t.Fatalf("%s: Duplicate: %v", s.name, err)
			}
		default:
			e.SetStrategy(s.strategy)
			var rec SectionRecord
			sec, es = e.EncodeFieldSection(s.stream, s.fields, &rec)
			if want := dehex(t, s.section); !bytes.Equal(sec, want) {
				t.Errorf("%s: section = %x; want %x", s.name, sec, want)
			}
			if rec.WireLen != len(sec) || len(rec.Fields) != len(s.fields) || rec.EncoderStream.WireLen != len(es) {
				t.Errorf("%s: record says %d octets, %d fields, %d encoder-stream octets; have %d, %d, %d",
					s.name, rec.WireLen, len(rec.Fields), rec.EncoderStream.WireLen, len(sec), len(s.fields), len(es))
			}
		}
		if want := dehex(t, s.encoderStream); !bytes.Equal(es, want) {
			t.Errorf("%s: encoder stream = %x; want %x", s.name, es, want)
		}
		checkEncoderState(t, s.name, e, s.state)
	}
}

// rfcStepNamed returns the step of rfcSteps with this name.
func rfcStepNamed(t *testing.T, name string) rfcStep {
	t.Helper()
	for _, s := range rfcSteps {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("no step %s", name)
	return rfcStep{}
}

// TestRFCExamplesDecode has a Decoder go through Appendix B: it reads the
// encoder stream and the sections, checks the fields and its table after
// every step, and must write the RFC's decoder stream where the RFC shows
// one, and nothing before.
func TestRFCExamplesDecode(t *testing.T) {
	d := NewDecoder(rfcCapacity, rfcBlocked)
	feed := func(s rfcStep) {
		t.Helper()
		if unblocked, err := d.FeedEncoderStream(dehex(t, s.encoderStream), nil); err != nil || len(unblocked) != 0 {
			t.Fatalf("%s: FeedEncoderStream = %v, %v; want nothing unblocked", s.name, unblocked, err)
		}
	}
	decode := func(s rfcStep) {
		t.Helper()
		got, blocked, err := d.DecodeFieldSection(s.stream, dehex(t, s.section), nil)
		if err != nil || blocked || !equalFields(got, s.fields) {
			t.Fatalf("%s: DecodeFieldSection = %v, %v, %v; want %v", s.name, got, blocked, err, s.fields)
		}
	}
	decoderStream := func(step, want string) {
		t.Helper()
		if got := d.AppendDecoderStream(nil, nil); !bytes.Equal(got, dehex(t, want)) {
			t.Errorf("%s: decoder stream = %x; want %q", step, got, want)
		}
	}

	b1 := rfcStepNamed(t, "B.1")
	decode(b1)
	decoderStream(b1.name, "")
	checkDecoderState(t, b1.name, d, b1.state)

	b2 := rfcStepNamed(t, "B.2 section")
	feed(b2)
	decode(b2)
	checkDecoderState(t, b2.name, d, b2.state)
	decoderStream(b2.name, rfcStepNamed(t, "B.2 acknowledgment").decoderStream)

	b3 := rfcStepNamed(t, "B.3 insert")
	feed(b3)
	checkDecoderState(t, b3.name, d, b3.state)
	decoderStream(b3.name, rfcStepNamed(t, "B.3 increment").decoderStream)

	// B.4: the packet with the Duplicate is delayed; the section arrives
	// first, blocks, and the decoder cancels the stream.
	b4 := rfcStepNamed(t, "B.4 section")
	var rec SectionRecord
	got, blocked, err := d.DecodeFieldSection(b4.stream, dehex(t, b4.section), &rec)
	if err != nil || !blocked || got != nil || !rec.Blocked || rec.RequiredInsertCount != 4 || rec.Base != 4 {
		t.Fatalf("%s: DecodeFieldSection = %v, %v, %v, record %+v; want blocked with Required Insert Count 4, Base 4", b4.name, got, blocked, err, rec)
	}
	d.CancelStream(b4.stream)
	decoderStream(b4.name, rfcStepNamed(t, "B.4 cancellation").decoderStream)
	dup := rfcStepNamed(t, "B.4 duplicate")
	feed(dup)
	checkDecoderState(t, dup.name, d, dup.state)

	b5 := rfcStepNamed(t, "B.5 insert")
	feed(b5)
	checkDecoderState(t, b5.name, d, b5.state)
	// The insertions of B.4 and B.5 are not acknowledged yet.
	decoderStream("after B.5", "02")
}

// TestRFCExampleUnblock is B.4 without the cancellation: the encoder
// stream octets arrive after the section, which is then decoded and
// acknowledged.
func TestRFCExampleUnblock(t *testing.T) {
	d := NewDecoder(rfcCapacity, rfcBlocked)
	for _, es := range []string{rfcSteps[1].encoderStream, rfcSteps[3].encoderStream} {
		if _, err := d.FeedEncoderStream(dehex(t, es), nil); err != nil {
			t.Fatal(err)
		}
	}
	d.AppendDecoderStream(nil, nil) // acknowledge the insertions
	step := rfcSteps[6]
	if got, blocked, err := d.DecodeFieldSection(8, dehex(t, step.section), nil); err != nil || !blocked || got != nil {
		t.Fatalf("DecodeFieldSection = %v, %v, %v; want blocked", got, blocked, err)
	}
	if n := d.BlockedStreams(); n != 1 {
		t.Errorf("BlockedStreams() = %d; want 1", n)
	}
	if got := d.AppendDecoderStream(nil, nil); len(got) != 0 {
		t.Errorf("decoder stream while blocked = %x; want nothing", got)
	}
	unblocked, err := d.FeedEncoderStream(dehex(t, rfcSteps[5].encoderStream), nil)
	if err != nil || len(unblocked) != 1 {
		t.Fatalf("FeedEncoderStream(02) = %v, %v; want one section", unblocked, err)
	}
	u := unblocked[0]
	if u.StreamID != 8 || u.Err != nil || !equalFields(u.Fields, step.fields) || !u.Record.Blocked || u.Record.RequiredInsertCount != 4 {
		t.Errorf("unblocked = %+v; want stream 8 with %v", u, step.fields)
	}
	wantAbs := []uint64{3, 0, 2}
	for i, f := range u.Record.Fields {
		if f.Dynamic() != (i != 1) || f.Dynamic() && f.Absolute != wantAbs[i] {
			t.Errorf("field %d record %+v; want absolute index %d", i, f, wantAbs[i])
		}
	}
	// Section Acknowledgment (stream=8) covers the duplicate: no increment.
	if got, want := d.AppendDecoderStream(nil, nil), []byte{0x88}; !bytes.Equal(got, want) {
		t.Errorf("decoder stream = %x; want %x", got, want)
	}
	if n := d.BlockedStreams(); n != 0 {
		t.Errorf("BlockedStreams() = %d; want 0", n)
	}
}

// TestRFCRequiredInsertCountExample is the example of §4.5.1.1: with a
// 100-octet table, the Required Insert Count is encoded modulo 6, and with
// 10 insertions an encoded 4 means 9. And §4.5.1.2's: Required Insert
// Count 9, Sign 1, Delta Base 2 make the Base 6.
func TestRFCRequiredInsertCountExample(t *testing.T) {
	maxEntries := MaxEntries(100)
	if maxEntries != 3 {
		t.Fatalf("MaxEntries(100) = %d; want 3", maxEntries)
	}
	if got, err := DecodeRequiredInsertCount(4, maxEntries, 10); err != nil || got != 9 {
		t.Errorf("DecodeRequiredInsertCount(4, 3, 10) = %d, %v; want 9", got, err)
	}
	if got := EncodeRequiredInsertCount(9, maxEntries); got != 4 {
		t.Errorf("EncodeRequiredInsertCount(9, 3) = %d; want 4", got)
	}
	if base, ok := (SectionPrefix{Sign: true, DeltaBase: 2}).Base(9); !ok || base != 6 {
		t.Errorf("Base(9) with S=1, Delta Base 2 = %d, %v; want 6", base, ok)
	}
}

// TestRFCExamplesRecords checks what the records of B.2 say: the
// representations, indexes and the instructions on the encoder stream.
func TestRFCExamplesRecords(t *testing.T) {
	e := NewEncoder()
	e.SetHuffman(HuffmanNever)
	e.SetPeerSettings(rfcCapacity, rfcBlocked)
	e.SetStrategy(StrategyIndexAll)
	var rec SectionRecord
	e.EncodeFieldSection(4, rfcSteps[1].fields, &rec)
	got := fmt.Sprintf("RIC=%d Base=%d S=%v Delta=%d prefix=%d blocked=%v", rec.RequiredInsertCount, rec.Base, rec.Prefix.Sign, rec.Prefix.DeltaBase, rec.PrefixLen, rec.Blocked)
	if want := "RIC=2 Base=0 S=true Delta=1 prefix=2 blocked=true"; got != want {
		t.Errorf("prefix record %s; want %s", got, want)
	}
	wantFields := []FieldRecord{
		{Name: ":authority", Value: "www.example.com", Rep: IndexedPostBase, Index: 0, Absolute: 0, Offset: 2, WireLen: 1},
		{Name: ":path", Value: "/sample/path", Rep: IndexedPostBase, Index: 1, Absolute: 1, Offset: 3, WireLen: 1},
	}
	for i, w := range wantFields {
		if rec.Fields[i] != w {
			t.Errorf("field %d record %+v; want %+v", i, rec.Fields[i], w)
		}
	}
	es := rec.EncoderStream
	types := []EncoderInstructionType{SetDynamicTableCapacity, InsertWithNameReference, InsertWithNameReference}
	offsets := []uint64{0, 3, 20}
	if len(es.Instructions) != len(types) {
		t.Fatalf("encoder stream record %+v; want %v", es.Instructions, types)
	}
	for i, in := range es.Instructions {
		if in.Instruction.Type != types[i] || in.Offset != offsets[i] {
			t.Errorf("instruction %d = %v at %d; want %v at %d", i, in.Instruction.Type, in.Offset, types[i], offsets[i])
		}
	}
	if len(es.Inserted) != 2 || es.Inserted[1].Index != 1 || es.InsertCount != 2 || es.Capacity != 220 || es.TableSize != 106 {
		t.Errorf("encoder stream record %+v; want two insertions into a 220-octet table", es)
	}
}
