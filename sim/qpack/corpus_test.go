package qpack

import (
	"fmt"
	"testing"

	"httpsim/sim/hpack"
)

// corpusCase is a way to run the raw-data stories through an encoder and
// a decoder: a strategy, the settings, and how late each stream's octets
// arrive (in header lists).
type corpusCase struct {
	name                                      string
	strategy                                  Strategy
	capacity, blocked                         uint64
	lagEncoder, lagSection, lagDecoder        int
	piece                                     int
	wantNoEncoderStream, wantSomeBlocking     bool
	wantNoBlocking, wantFewerOctetsThanStatic bool
}

var corpusCases = []corpusCase{
	{name: "static-only", strategy: StrategyStaticOnly, capacity: 0, wantNoEncoderStream: true, wantNoBlocking: true},
	{name: "static-only, peer allows a table", strategy: StrategyStaticOnly, capacity: 4096, blocked: 100,
		lagSection: 0, lagEncoder: 3, wantNoEncoderStream: true, wantNoBlocking: true},
	{name: "dynamic, in order", strategy: StrategyDynamic, capacity: 4096, blocked: 16, wantFewerOctetsThanStatic: true},
	{name: "index-all, in order", strategy: StrategyIndexAll, capacity: 4096, blocked: 16, wantFewerOctetsThanStatic: true},
	// Acknowledgments come late: entries stay pinned, insertions must
	// not evict them, and non-blocking references wait.
	{name: "dynamic, late acks", strategy: StrategyDynamic, capacity: 4096, blocked: 16, lagDecoder: 5, wantFewerOctetsThanStatic: true},
	{name: "dynamic, small table, late acks", strategy: StrategyDynamic, capacity: 256, blocked: 16, lagDecoder: 3},
	// Sections arrive late, after the encoder stream: any eviction of an
	// entry an unacknowledged section references would fail its decoding.
	{name: "index-all, small table, late sections", strategy: StrategyIndexAll, capacity: 512, blocked: 16, lagSection: 4, lagDecoder: 1},
	// The encoder stream arrives late, in 7-octet pieces: sections block
	// and unblock, within the limit.
	{name: "dynamic, late encoder stream", strategy: StrategyDynamic, capacity: 4096, blocked: 4, lagEncoder: 3, piece: 7, wantSomeBlocking: true},
	{name: "index-all, late encoder stream, one blocked stream", strategy: StrategyIndexAll, capacity: 1024, blocked: 1, lagEncoder: 2, lagDecoder: 1, piece: 1, wantSomeBlocking: true},
	// With no blocked streams allowed the encoder never risks blocking,
	// however late its stream.
	{name: "dynamic, non-blocking, late encoder stream", strategy: StrategyDynamic, capacity: 4096, blocked: 0, lagEncoder: 3, lagDecoder: 2, wantNoBlocking: true, wantFewerOctetsThanStatic: true},
}

// TestCorpusRoundTrip encodes each raw-data story's header lists as
// consecutive requests on one connection, delivers the streams with the
// delays of each case, decodes, and compares; the connSim checks the
// records, the blocking limits and the final tables along the way.
func TestCorpusRoundTrip(t *testing.T) {
	stories := loadStories(t)
	static := 0
	for _, cc := range corpusCases {
		t.Run(cc.name, func(t *testing.T) {
			var sections, encoder, decoder, blocked int
			for _, s := range stories {
				c := newConnSim(t, cc.strategy, cc.capacity, cc.blocked)
				c.lagEncoder, c.lagSection, c.lagDecoder, c.piece = cc.lagEncoder, cc.lagSection, cc.lagDecoder, cc.piece
				for _, fields := range s.lists {
					c.send(fields)
				}
				c.finish()
				sections += c.sectionOctets
				encoder += c.encoderOctets
				decoder += c.decoderOctets
				blocked += c.blocked
			}
			total := sections + encoder
			if cc.name == "static-only" {
				static = total
			}
			t.Logf("sections %d + encoder stream %d = %d octets; decoder stream %d; %d sections blocked", sections, encoder, total, decoder, blocked)
			if cc.wantNoEncoderStream && (encoder != 0 || decoder != 0) {
				t.Errorf("encoder stream %d octets, decoder stream %d; want none", encoder, decoder)
			}
			if cc.wantNoBlocking && blocked != 0 {
				t.Errorf("%d sections blocked; want none", blocked)
			}
			if cc.wantSomeBlocking && blocked == 0 {
				t.Errorf("no section blocked; the case means to exercise blocking")
			}
			if cc.wantFewerOctetsThanStatic && (static == 0 || total >= static) {
				t.Errorf("%d octets; want fewer than static-only's %d", total, static)
			}
		})
	}
}

// TestCorpusCompression reports the octets each strategy sends over
// raw-data, beside HPACK's default strategy for the same lists, and checks
// that the dynamic strategy comes within 10% of HPACK (QPACK pays for its
// two-octet prefix and its instructions, and for sending literals while
// insertions are unacknowledged). Acknowledgments return before the next
// request, as on a connection where requests are a round trip apart.
func TestCorpusCompression(t *testing.T) {
	stories := loadStories(t)
	hpackTotal := 0
	for _, s := range stories {
		e := hpack.NewEncoder(hpack.DefaultTableSize)
		for _, fields := range s.lists {
			hpackTotal += len(e.Encode(nil, fields, nil))
		}
	}
	totals := map[string]int{}
	for _, blocked := range []uint64{0, 16} {
		for _, strategy := range []Strategy{StrategyStaticOnly, StrategyDynamic, StrategyIndexAll} {
			name := fmt.Sprintf("%v/blocked=%d", strategy, blocked)
			for _, s := range stories {
				c := newConnSim(t, strategy, 4096, blocked)
				for _, fields := range s.lists {
					c.send(fields)
				}
				c.finish()
				totals[name] += c.sectionOctets + c.encoderOctets
			}
			t.Logf("%-22s %7d octets (%.3f of HPACK's %d)", name, totals[name], float64(totals[name])/float64(hpackTotal), hpackTotal)
		}
	}
	if d := totals["dynamic/blocked=16"]; float64(d) > 1.10*float64(hpackTotal) {
		t.Errorf("dynamic strategy: %d octets; want within 10%% of HPACK's %d", d, hpackTotal)
	}
	if d, s := totals["dynamic/blocked=0"], totals["static-only/blocked=0"]; d >= s {
		t.Errorf("dynamic strategy without blocking: %d octets; want fewer than static-only's %d", d, s)
	}
}

// TestBlockedSectionsUnblockInOrder sends every section before any of the
// encoder stream it needs: each blocks, then, as the encoder stream
// arrives one octet at a time, they are decoded in the order of their
// Required Insert Counts, each exactly once.
func TestBlockedSectionsUnblockInOrder(t *testing.T) {
	lists := [][]Field{
		{hf(":method", "GET"), hf(":authority", "a.example"), hf("user-agent", "sim/1")},
		{hf(":method", "GET"), hf(":authority", "a.example"), hf("x-one", "1")},
		{hf(":method", "GET"), hf(":authority", "b.example"), hf("x-two", "2")},
		{hf(":method", "GET"), hf(":authority", "a.example"), hf("user-agent", "sim/1")},
		{hf(":method", "GET"), hf("x-three", "3"), hf(":authority", "b.example")},
	}
	e := NewEncoder()
	e.SetStrategy(StrategyIndexAll)
	e.SetPeerSettings(4096, uint64(len(lists)))
	d := NewDecoder(4096, uint64(len(lists)))
	var encoderStream []byte
	ric := map[uint64]uint64{}
	for i, fields := range lists {
		id := uint64(4 * i)
		var rec SectionRecord
		sec, es := e.EncodeFieldSection(id, fields, &rec)
		encoderStream = append(encoderStream, es...)
		ric[id] = rec.RequiredInsertCount
		got, blocked, err := d.DecodeFieldSection(id, sec, nil)
		if err != nil || !blocked || got != nil {
			t.Fatalf("stream %d: DecodeFieldSection = %v, %v, %v; want blocked", id, got, blocked, err)
		}
	}
	if n := d.BlockedStreams(); n != len(lists) {
		t.Fatalf("BlockedStreams() = %d; want %d", n, len(lists))
	}
	var order []uint64
	for i := range encoderStream {
		unblocked, err := d.FeedEncoderStream(encoderStream[i:i+1], nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range unblocked {
			if u.Record.RequiredInsertCount != d.InsertCount() {
				t.Errorf("stream %d unblocked at Insert Count %d; its Required Insert Count is %d", u.StreamID, d.InsertCount(), u.Record.RequiredInsertCount)
			}
			if want := lists[u.StreamID/4]; !equalFields(u.Fields, want) {
				t.Errorf("stream %d decoded %v; want %v", u.StreamID, u.Fields, want)
			}
			order = append(order, u.StreamID)
		}
	}
	// Stream 12 repeats stream 0's list: it references the same entries
	// and unblocks with it, after it in arrival order.
	want := []uint64{0, 12, 4, 8, 16}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("unblocked streams %v (Required Insert Counts %v); want %v", order, ric, want)
	}
	// The decoder acknowledges the five sections, which covers every
	// insertion: no Insert Count Increment.
	var rec DecoderStreamRecord
	d.AppendDecoderStream(nil, &rec)
	if len(rec.Instructions) != len(lists) || rec.KnownReceivedCount != d.InsertCount() {
		t.Errorf("decoder stream %+v; want %d Section Acknowledgments", rec.Instructions, len(lists))
	}
	for i, in := range rec.Instructions {
		if in.Instruction.Type != SectionAcknowledgment || in.Instruction.StreamID != want[i] {
			t.Errorf("decoder instruction %d = %+v; want Section Acknowledgment of stream %d", i, in.Instruction, want[i])
		}
	}
}

// TestBlockedSectionsOnOneStream has two sections on one stream (a header
// section and a trailer section) held behind a blocked one: the second
// waits for the first even if it could be decoded, and both count as one
// blocked stream.
func TestBlockedSectionsOnOneStream(t *testing.T) {
	e := NewEncoder()
	e.SetStrategy(StrategyIndexAll)
	e.SetPeerSettings(4096, 1)
	d := NewDecoder(4096, 1)
	headers := []Field{hf(":status", "200"), hf("x-a", "1")}
	trailers := []Field{hf("x-checksum", "abc")}
	sec1, es1 := e.EncodeFieldSection(0, headers, nil)
	e.SetStrategy(StrategyStaticOnly)
	sec2, _ := e.EncodeFieldSection(0, trailers, nil)
	for _, sec := range [][]byte{sec1, sec2} {
		if _, blocked, err := d.DecodeFieldSection(0, sec, nil); err != nil || !blocked {
			t.Fatalf("DecodeFieldSection(%x) = %v, %v; want blocked", sec, blocked, err)
		}
	}
	if n := d.BlockedStreams(); n != 1 {
		t.Errorf("BlockedStreams() = %d; want 1", n)
	}
	unblocked, err := d.FeedEncoderStream(es1, nil)
	if err != nil || len(unblocked) != 2 {
		t.Fatalf("FeedEncoderStream = %v, %v; want both sections", unblocked, err)
	}
	if !equalFields(unblocked[0].Fields, headers) || !equalFields(unblocked[1].Fields, trailers) {
		t.Errorf("unblocked %v, %v; want %v, %v", unblocked[0].Fields, unblocked[1].Fields, headers, trailers)
	}
}
