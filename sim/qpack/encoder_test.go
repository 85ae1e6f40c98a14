package qpack

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestEncoderDecoderStreamObligations feeds decoder streams that break the
// rules of RFC 9204 §4.4 to an encoder that has sent B.2, and checks the
// reason, the offset and that the error is QPACK_DECODER_STREAM_ERROR.
func TestEncoderDecoderStreamObligations(t *testing.T) {
	tests := []struct {
		name    string
		sendB2  bool // encode B.2's section on stream 4 first: two insertions
		stream  string
		reason  Reason
		offset  uint64
		wantVal uint64
	}{
		{"acknowledgment of an unknown stream", true, "88", ReasonUnexpectedSectionAck, 0, 8},
		{"acknowledgment with nothing sent", false, "80", ReasonUnexpectedSectionAck, 0, 0},
		{"second acknowledgment of a stream", true, "84 84", ReasonUnexpectedSectionAck, 1, 4},
		{"increment of zero", true, "00", ReasonIncrementZero, 0, 0},
		{"increment with nothing inserted", false, "01", ReasonIncrementTooLarge, 0, 1},
		{"increment past the insertions", true, "03", ReasonIncrementTooLarge, 0, 3},
		{"increment past the insertions after an acknowledgment", true, "84 01", ReasonIncrementTooLarge, 1, 1},
		{"stream ID above 2^62", false, "ff ffff ffff ffff ffff ff7f", ReasonIntegerOverflow, 0, 0},
	}
	for _, tt := range tests {
		stream := dehex(t, tt.stream)
		for _, piece := range []int{len(stream), 1} {
			e := NewEncoder()
			e.SetHuffman(HuffmanNever)
			e.SetStrategy(StrategyIndexAll)
			e.SetPeerSettings(rfcCapacity, rfcBlocked)
			if tt.sendB2 {
				e.EncodeFieldSection(4, rfcSteps[1].fields, nil)
			}
			var err error
			for i := 0; i < len(stream) && err == nil; i += piece {
				err = e.FeedDecoderStream(stream[i:min(i+piece, len(stream))], nil)
			}
			var qe *Error
			if !errors.As(err, &qe) || qe.Reason != tt.reason || qe.Offset != tt.offset || qe.Value != tt.wantVal {
				t.Errorf("%s (pieces of %d): FeedDecoderStream(%x) error %v; want %v at byte %d", tt.name, piece, stream, err, tt.reason, tt.offset)
				continue
			}
			if !errors.Is(err, ErrDecoderStreamError) || qe.Code != ErrDecoderStreamError || !strings.Contains(err.Error(), "QPACK_DECODER_STREAM_ERROR") {
				t.Errorf("%s: error %v is not QPACK_DECODER_STREAM_ERROR", tt.name, err)
			}
		}
	}
	// Stream Cancellation of a stream the encoder knows nothing of is fine.
	e := NewEncoder()
	if err := e.OnDecoderInstruction(DecoderInstruction{Type: StreamCancellation, StreamID: 12}); err != nil {
		t.Errorf("Stream Cancellation of an unknown stream: %v; want no error", err)
	}
}

// newTestEncoder is an encoder that sends strings as they are, with the
// peer settings given.
func newTestEncoder(s Strategy, capacity, blocked uint64) *Encoder {
	e := NewEncoder()
	e.SetStrategy(s)
	e.SetHuffman(HuffmanNever)
	e.SetPeerSettings(capacity, blocked)
	return e
}

// TestEncoderKeepsReferencedEntries checks §2.1.1: an entry that an
// unacknowledged section references, or whose insertion is not
// acknowledged, is not evicted; the encoder sends a literal instead of
// inserting, and inserts again once the acknowledgment frees the room.
func TestEncoderKeepsReferencedEntries(t *testing.T) {
	e := newTestEncoder(StrategyIndexAll, 100, 1)
	a := []Field{hf("x-a", strings.Repeat("a", 30))} // 65 octets: one fits in 100
	b := []Field{hf("x-b", strings.Repeat("b", 30))}
	secA, esA := e.EncodeFieldSection(0, a, nil)
	if len(esA) == 0 || !bytes.Equal(secA[:2], dehex(t, "0280")) {
		t.Fatalf("section A = %x, encoder stream %x; want an insertion and Required Insert Count 1", secA, esA)
	}
	var rec SectionRecord
	_, esB := e.EncodeFieldSection(4, b, &rec)
	if len(esB) != 0 || rec.RequiredInsertCount != 0 || rec.Fields[0].Rep != LiteralName {
		t.Fatalf("section B: encoder stream %x, Required Insert Count %d, %v; want a literal: A's entry cannot be evicted", esB, rec.RequiredInsertCount, rec.Fields[0].Rep)
	}
	// The acknowledgment of A makes its entry evictable.
	if err := e.FeedDecoderStream([]byte{0x80}, nil); err != nil {
		t.Fatal(err)
	}
	var tab []TableEntry
	if tab = e.AppendTable(tab); len(tab) != 1 || tab[0].Refs != 0 || !tab[0].Acknowledged {
		t.Fatalf("table after the acknowledgment %+v; want A's entry, acknowledged and unreferenced", tab)
	}
	_, esC := e.EncodeFieldSection(8, b, &rec)
	if len(esC) == 0 || len(rec.EncoderStream.Evicted) != 1 || rec.EncoderStream.Evicted[0].Index != 0 || rec.Fields[0].Rep != IndexedPostBase {
		t.Fatalf("section C: encoder stream %x, record %+v; want B inserted, A evicted", esC, rec)
	}
}

// TestEncoderBlockedStreamLimit checks §2.1.2: with one blocked stream
// allowed, a second stream does not reference unacknowledged entries
// while the first may be blocked, and the encoder counts blocked streams
// down as acknowledgments arrive.
func TestEncoderBlockedStreamLimit(t *testing.T) {
	e := newTestEncoder(StrategyIndexAll, 4096, 1)
	var rec SectionRecord
	e.EncodeFieldSection(0, []Field{hf("x-a", "1")}, &rec)
	if !rec.Blocked || e.BlockedStreams() != 1 {
		t.Fatalf("stream 0: Blocked %v, BlockedStreams %d; want true, 1", rec.Blocked, e.BlockedStreams())
	}
	// Stream 4 inserts its field but may not reference it, nor stream 0's.
	e.EncodeFieldSection(4, []Field{hf("x-b", "2"), hf("x-a", "1")}, &rec)
	if rec.Blocked || rec.RequiredInsertCount != 0 || e.BlockedStreams() != 1 || len(rec.EncoderStream.Inserted) != 1 {
		t.Fatalf("stream 4: record %+v; want no reference, one insertion", rec)
	}
	// Stream 0 may go on referencing unacknowledged entries: it already
	// counts as blocked.
	e.EncodeFieldSection(0, []Field{hf("x-b", "2")}, &rec)
	if !rec.Blocked || rec.RequiredInsertCount != 2 || e.BlockedStreams() != 1 {
		t.Fatalf("stream 0 again: record %+v; want a reference to entry 1, still one blocked stream", rec)
	}
	// An Insert Count Increment acknowledges both entries.
	if err := e.FeedDecoderStream([]byte{0x02}, nil); err != nil {
		t.Fatal(err)
	}
	if e.BlockedStreams() != 0 || e.KnownReceivedCount() != 2 {
		t.Fatalf("after the increment: BlockedStreams %d, Known Received Count %d; want 0, 2", e.BlockedStreams(), e.KnownReceivedCount())
	}
	e.EncodeFieldSection(8, []Field{hf("x-b", "2"), hf("x-a", "1")}, &rec)
	if rec.Blocked || rec.RequiredInsertCount != 2 || rec.Fields[0].Rep != Indexed || rec.Fields[1].Rep != Indexed {
		t.Fatalf("stream 8: record %+v; want both fields indexed, not blocking", rec)
	}
	// Both sections of stream 0 and the one of stream 8 hold references
	// until acknowledged or cancelled.
	tab := e.AppendTable(nil)
	if tab[0].Refs != 2 || tab[1].Refs != 2 {
		t.Errorf("references %d, %d; want 2, 2", tab[0].Refs, tab[1].Refs)
	}
	if err := e.FeedDecoderStream(dehex(t, "40 88"), nil); err != nil {
		t.Fatal(err)
	}
	tab = e.AppendTable(tab[:0])
	if tab[0].Refs != 0 || tab[1].Refs != 0 {
		t.Errorf("after cancelling stream 0 and acknowledging 8: references %d, %d; want 0, 0", tab[0].Refs, tab[1].Refs)
	}
}

// TestEncoderNonBlocking checks that with SETTINGS_QPACK_BLOCKED_STREAMS 0
// no section references an unacknowledged entry, and that a field is
// inserted the second time it is sent, then referenced once acknowledged.
func TestEncoderNonBlocking(t *testing.T) {
	e := newTestEncoder(StrategyDynamic, 4096, 0)
	fields := []Field{hf("x-token", "abc")}
	var rec SectionRecord
	for i, want := range []struct {
		inserted int
		rep      Representation
	}{{0, LiteralName}, {1, LiteralName}, {0, Indexed}} {
		_, es := e.EncodeFieldSection(uint64(4*i), fields, &rec)
		if rec.Blocked || len(rec.EncoderStream.Inserted) != want.inserted || rec.Fields[0].Rep != want.rep {
			t.Fatalf("section %d: encoder stream %x, record %+v; want %d insertions, %v", i, es, rec, want.inserted, want.rep)
		}
		if len(rec.EncoderStream.Inserted) > 0 {
			if err := e.FeedDecoderStream([]byte{0x01}, nil); err != nil { // Insert Count Increment
				t.Fatal(err)
			}
		}
	}
}

// TestEncoderSensitive checks §7.1.3: sensitive fields are literals with
// the 'N' bit, never inserted, whatever the strategy.
func TestEncoderSensitive(t *testing.T) {
	e := newTestEncoder(StrategyIndexAll, 4096, 16)
	fields := []Field{
		hf("authorization", ""), // a static entry, but sensitive all the same
		hf("cookie", "id=1"),
		{Name: "x-secret", Value: "s3cr3t", Sensitive: true},
		hf("x-public", "p"),
	}
	var rec SectionRecord
	_, es := e.EncodeFieldSection(0, fields, &rec)
	want := []FieldRecord{
		{Rep: LiteralNameRef, Static: true, Never: true, Index: 84},
		{Rep: LiteralNameRef, Static: true, Never: true, Index: 5},
		{Rep: LiteralName, Never: true},
		{Rep: IndexedPostBase, Index: 0},
	}
	for i, w := range want {
		g := rec.Fields[i]
		if g.Rep != w.Rep || g.Static != w.Static || g.Never != w.Never || g.Index != w.Index {
			t.Errorf("field %v: %v static=%v never=%v index %d; want %v static=%v never=%v index %d", fields[i], g.Rep, g.Static, g.Never, g.Index, w.Rep, w.Static, w.Never, w.Index)
		}
	}
	if len(rec.EncoderStream.Inserted) != 1 || rec.EncoderStream.Inserted[0].Name != "x-public" {
		t.Errorf("inserted %+v (encoder stream %x); want x-public only", rec.EncoderStream.Inserted, es)
	}
}

// TestEncoderStaticOnlyWritesNothing checks that the default strategy
// sends no encoder instruction, whatever the peer allows (§3.2.3 forbids
// it anyway when the peer allows no table).
func TestEncoderStaticOnlyWritesNothing(t *testing.T) {
	for _, capacity := range []uint64{0, 4096} {
		e := NewEncoder()
		e.SetPeerSettings(capacity, 100)
		var rec SectionRecord
		sec, es := e.EncodeFieldSection(0, rfcSteps[6].fields, &rec)
		if len(es) != 0 || rec.RequiredInsertCount != 0 || rec.Blocked || e.InsertCount() != 0 {
			t.Errorf("capacity %d: encoder stream %x, record %+v; want nothing", capacity, es, rec)
		}
		// :authority=www.example.com is a static name with a Huffman value.
		if want := dehex(t, "0000 508c f1e3 c2e5 f23a 6ba0 ab90 f4ff c1 2f01 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"); !bytes.Equal(sec, want) {
			t.Errorf("capacity %d: section %x; want %x", capacity, sec, want)
		}
	}
}

// TestEncoderExplicitOperations checks Insert, Duplicate and SetCapacity
// and the rules that forbid them.
func TestEncoderExplicitOperations(t *testing.T) {
	e := NewEncoder()
	if _, err := e.Insert(nil, hf("a", "b"), nil); !errors.Is(err, ErrInsertNotAllowed) {
		t.Errorf("Insert with no peer table: %v; want ErrInsertNotAllowed", err)
	}
	e = newTestEncoder(StrategyStaticOnly, 100, 0)
	if _, err := e.Insert(nil, hf("x", strings.Repeat("v", 70)), nil); !errors.Is(err, ErrInsertNotAllowed) {
		t.Errorf("Insert of an entry larger than the capacity: %v; want ErrInsertNotAllowed", err)
	}
	var rec EncoderStreamRecord
	es, err := e.Insert(nil, hf("x", strings.Repeat("v", 40)), &rec) // 73 octets
	if err != nil || !bytes.Equal(es[:2], dehex(t, "3f45")) || rec.InsertCount != 1 || rec.Capacity != 100 || len(rec.Instructions) != 2 {
		t.Fatalf("Insert = %x, %v, record %+v; want capacity 100, then the insertion", es, err, rec)
	}
	if _, err := e.Duplicate(nil, 0, nil); !errors.Is(err, ErrInsertNotAllowed) {
		t.Errorf("Duplicate that would evict an unacknowledged entry: %v; want ErrInsertNotAllowed", err)
	}
	if _, err := e.Duplicate(nil, 5, nil); !errors.Is(err, ErrInsertNotAllowed) {
		t.Errorf("Duplicate of a missing entry: %v; want ErrInsertNotAllowed", err)
	}
	// A smaller capacity waits until the entry is acknowledged.
	e.SetCapacity(50)
	if es, err := e.Insert(nil, hf("y", ""), nil); !errors.Is(err, ErrInsertNotAllowed) || len(es) != 0 {
		t.Errorf("Insert while the reduction waits = %x, %v; want nothing written, ErrInsertNotAllowed", es, err)
	}
	if err := e.FeedDecoderStream([]byte{0x01}, nil); err != nil {
		t.Fatal(err)
	}
	es, err = e.Insert(nil, hf("y", ""), &rec)
	if err != nil || !bytes.Equal(es, dehex(t, "3f13 417900")) || e.Capacity() != 50 || e.TableLen() != 1 || len(rec.Evicted) != 1 || rec.Evicted[0].Index != 0 {
		t.Errorf("Insert after the acknowledgment = %x, %v, record %+v; want capacity 50 evicting entry 0, then the insertion", es, err, rec)
	}
	if _, err := e.Duplicate(nil, 0, nil); !errors.Is(err, ErrInsertNotAllowed) {
		t.Errorf("Duplicate of an evicted entry: %v; want ErrInsertNotAllowed", err)
	}
	// The copy of entry 1 needs its room: only once it is acknowledged.
	if _, err := e.Duplicate(nil, 1, nil); !errors.Is(err, ErrInsertNotAllowed) {
		t.Errorf("Duplicate that would evict its unacknowledged original: %v; want ErrInsertNotAllowed", err)
	}
	if err := e.FeedDecoderStream([]byte{0x01}, nil); err != nil {
		t.Fatal(err)
	}
	es, err = e.Duplicate(nil, 1, &rec)
	if tab := e.AppendTable(nil); err != nil || !bytes.Equal(es, []byte{0x00}) || len(tab) != 1 || tab[0].Index != 2 || tab[0].Name != "y" {
		t.Errorf("Duplicate(1) = %x, %v, table %+v; want 00, the copy replacing the original", es, err, tab)
	}
}

// TestEncoderDrainingDuplicate checks §2.1.1.1: a reference to an entry in
// the draining part of the table becomes a Duplicate and a reference to
// the copy.
func TestEncoderDrainingDuplicate(t *testing.T) {
	e := newTestEncoder(StrategyIndexAll, 256, 1)
	old := hf("x-a", strings.Repeat("a", 60)) // 95 octets
	for _, f := range []Field{old, hf("x-b", strings.Repeat("b", 60)), hf("x-c", strings.Repeat("c", 10))} {
		if _, err := e.Insert(nil, f, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.FeedDecoderStream([]byte{0x03}, nil); err != nil {
		t.Fatal(err)
	}
	// 235 of 256 octets used: to keep 32 free the oldest entry drains.
	tab := e.AppendTable(nil)
	if !tab[0].Draining || tab[1].Draining || tab[2].Draining {
		t.Fatalf("table %+v; want the oldest entry draining", tab)
	}
	var rec SectionRecord
	sec, es := e.EncodeFieldSection(0, []Field{old}, &rec)
	if !bytes.Equal(es, []byte{0x02}) || !bytes.Equal(sec, dehex(t, "0580 10")) || rec.Fields[0].Absolute != 3 {
		t.Errorf("section %x, encoder stream %x, record %+v; want Duplicate (relative 2) and a post-Base reference to it", sec, es, rec.Fields)
	}
	if len(rec.EncoderStream.Evicted) != 1 || rec.EncoderStream.Evicted[0].Index != 0 {
		t.Errorf("evicted %+v; want the original entry", rec.EncoderStream.Evicted)
	}
}
