package hol

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

func ms(n int) sim.Time { return sim.At(time.Duration(n) * time.Millisecond) }

func TestTrackerAttributesWaits(t *testing.T) {
	log := trace.NewLog(true)
	tr := NewTracker(log, trace.Client, 0)
	// Stream 1's segment is lost at 10 ms; stream 3 and stream 1 bytes
	// arrive behind it at 20 and 30 ms; the retransmission arrives at 110.
	tr.Deliver(1, 100, tcp.Arrival{At: ms(5), InOrder: ms(5)})      // in order
	tr.Deliver(1, 1000, tcp.Arrival{At: ms(110), InOrder: ms(110)}) // the filler
	tr.Deliver(3, 1000, tcp.Arrival{At: ms(20), InOrder: ms(110)})  // waited for stream 1
	tr.Deliver(1, 1000, tcp.Arrival{At: ms(30), InOrder: ms(110)})  // waited for itself
	got := log.Events()
	if len(got) != 2 {
		t.Fatalf("%d events; want 2", len(got))
	}
	if e := got[0]; e.Stream != 3 || e.Name != CauseTransport || e.Value != "1" || e.Arrived != ms(20) || e.At != ms(110) {
		t.Errorf("stream 3: %+v; want transport HoL behind stream 1 from 20 to 110 ms", e)
	}
	if e := got[1]; e.Stream != 1 || e.Name != CauseLoss || e.Arrived != ms(30) {
		t.Errorf("stream 1: %+v; want own loss delay from 30 ms", e)
	}
	var a Accumulator
	for i := range got {
		a.Add(&got[i])
	}
	if tot := a.Totals(0, 3, CauseTransport); tot.Time != int64(90*time.Millisecond) || tot.ByteNs != 1000*float64(90*time.Millisecond) {
		t.Errorf("stream 3 totals %+v; want 90 ms and 90000 byte-ms", tot)
	}
}

func TestTrackerSplitsAtEachFill(t *testing.T) {
	log := trace.NewLog(true)
	tr := NewTracker(log, trace.Client, 0)
	// Two holes: stream 5's bytes fill the first at 100 ms, stream 7's
	// the second at 200 ms. A stream 9 range that arrived at 50 ms waited
	// 50 ms for stream 5 and then 100 ms for stream 7.
	tr.Deliver(5, 500, tcp.Arrival{At: ms(100), InOrder: ms(100)})
	tr.Deliver(7, 500, tcp.Arrival{At: ms(200), InOrder: ms(200)})
	tr.Deliver(9, 500, tcp.Arrival{At: ms(50), InOrder: ms(200)})
	ev := log.Events()
	if len(ev) != 2 {
		t.Fatalf("%d events; want 2", len(ev))
	}
	if ev[0].Value != "7" || ev[0].Arrived != ms(100) || ev[0].At != ms(200) {
		t.Errorf("newest part %+v; want behind 7 from 100 to 200 ms", ev[0])
	}
	if ev[1].Value != "5" || ev[1].Arrived != ms(50) || ev[1].At != ms(100) {
		t.Errorf("older part %+v; want behind 5 from 50 to 100 ms", ev[1])
	}
}

func TestUnionOfIntervals(t *testing.T) {
	var a Accumulator
	for _, iv := range [][2]int{{10, 20}, {15, 30}, {40, 50}} {
		e := trace.Event{Kind: trace.HOLBlocked, Conn: 1, Stream: 2, Name: CauseLoss, Arrived: ms(iv[0]), At: ms(iv[1]), Len: 1}
		a.Add(&e)
	}
	tot := a.Totals(1, 2, CauseLoss)
	if tot.Time != int64(30*time.Millisecond) || len(tot.Intervals) != 2 {
		t.Errorf("union %+v; want 30 ms in 2 intervals", tot)
	}
}

// TestTrackerBurstOverSeveralStreams: one burst lost a segment of stream 1
// and, behind it, one of stream 3. Stream 3's later bytes waited for both
// retransmissions; its own arrived last, so it would have waited as long
// had stream 1 lost nothing (as over QUIC): all of it is its own loss.
// When stream 1's retransmission comes last instead, stream 3 waited for
// itself until its own, then for stream 1.
func TestTrackerBurstOverSeveralStreams(t *testing.T) {
	tests := []struct {
		name       string
		fill1, own int // when stream 1's and stream 3's retransmissions arrive
		want       []trace.Event
	}{
		{"own retransmission last", 100, 101, []trace.Event{
			{Stream: 3, Name: CauseLoss, Arrived: ms(20), At: ms(101)},
		}},
		{"the other stream's last", 101, 100, []trace.Event{
			{Stream: 3, Name: CauseTransport, Value: "1", Arrived: ms(100), At: ms(101)},
			{Stream: 3, Name: CauseLoss, Arrived: ms(20), At: ms(100)},
		}},
	}
	for _, tt := range tests {
		log := trace.NewLog(true)
		tr := NewTracker(log, trace.Client, 0)
		first, second := [2]int64{1, int64(tt.fill1)}, [2]int64{3, int64(tt.own)}
		if tt.own < tt.fill1 {
			first, second = second, first
		}
		tr.Deliver(first[0], 1000, tcp.Arrival{At: ms(int(first[1])), InOrder: ms(int(first[1]))})
		tr.Deliver(second[0], 1000, tcp.Arrival{At: ms(int(second[1])), InOrder: ms(int(second[1]))})
		tr.Deliver(3, 1000, tcp.Arrival{At: ms(20), InOrder: ms(101)})
		got := log.Events()
		if len(got) != len(tt.want) {
			t.Fatalf("%s: %d events %+v; want %d", tt.name, len(got), got, len(tt.want))
		}
		for i, w := range tt.want {
			if g := got[i]; g.Stream != w.Stream || g.Name != w.Name || g.Value != w.Value || g.Arrived != w.Arrived || g.At != w.At {
				t.Errorf("%s: event %d = stream %d %s %q %v→%v; want stream %d %s %q %v→%v", tt.name, i, g.Stream, g.Name, g.Value, g.Arrived, g.At, w.Stream, w.Name, w.Value, w.Arrived, w.At)
			}
		}
	}
}

// TestTrackerHoleOfNoStream: bytes that waited for a hole no stream's
// bytes filled (a lost segment holding only TLS framing or a session
// ticket) waited for the connection, not for their own retransmission.
func TestTrackerHoleOfNoStream(t *testing.T) {
	log := trace.NewLog(true)
	tr := NewTracker(log, trace.Client, 0)
	tr.Deliver(1, 100, tcp.Arrival{At: ms(10), InOrder: ms(10)})
	tr.Deliver(1, 100, tcp.Arrival{At: ms(20), InOrder: ms(100)})
	got := log.Events()
	if len(got) != 1 || got[0].Name != CauseTransport || got[0].Value != "" || got[0].Arrived != ms(20) || got[0].At != ms(100) {
		t.Errorf("events %+v; want one: transport blocking by no stream, 20 to 100 ms", got)
	}
}

// TestTrackerRangesHeldByTheirRecord: TLS hands a record's bytes up in
// order, so bytes before a hole inside the record come before the bytes
// that repaired it. They wait for the record's end to learn whose bytes
// filled it (none, if the hole held only TLS framing).
func TestTrackerRangesHeldByTheirRecord(t *testing.T) {
	log := trace.NewLog(true)
	tr := NewTracker(log, trace.Client, 0)
	held := tcp.Arrival{At: ms(10), InOrder: ms(50), HeldByRecord: true}
	tr.Deliver(3, 100, held)                                                         // stream 3, before the hole
	tr.Deliver(5, 100, tcp.Arrival{At: ms(12), InOrder: ms(50), HeldByRecord: true}) // stream 5, before it too
	if n := len(log.Events()); n != 0 {
		t.Fatalf("%d events before the repairing bytes; want none yet", n)
	}
	tr.Deliver(3, 100, tcp.Arrival{At: ms(50), InOrder: ms(50)}) // the retransmission: stream 3's
	tr.Flush()                                                   // the record's end
	got := log.Events()
	if len(got) != 2 || got[0].Stream != 3 || got[0].Name != CauseLoss || got[1].Stream != 5 || got[1].Name != CauseTransport || got[1].Value != "3" {
		t.Fatalf("events %+v; want stream 3's own loss and stream 5 blocked by 3", got)
	}
	// A record whose hole held only TLS framing: no fill, the record ends.
	tr.Deliver(5, 100, tcp.Arrival{At: ms(60), InOrder: ms(90), HeldByRecord: true})
	tr.Flush()
	got = log.Events()
	if len(got) != 3 || got[2].Name != CauseTransport || got[2].Value != "" || got[2].At != ms(90) {
		t.Errorf("after the record's end: %+v; want transport blocking by no stream until 90 ms", got[2:])
	}
}

// TestTrackerRecordRepairedBySeveralStreams: a retransmitted segment that
// carried two streams' bytes repairs a record; the held ranges are
// attributed at the record's end, when the fill has both owners (they
// were charged to the first owner alone). A record with two holes: each
// retransmission keeps its own time, so a range waited for its own
// stream's repair, then for the other's.
func TestTrackerRecordRepairedBySeveralStreams(t *testing.T) {
	type ev struct {
		stream   int64
		cause    string
		blockers string
		from, to int
	}
	check := func(name string, log *trace.Log, want []ev) {
		t.Helper()
		got := log.Events()
		if len(got) != len(want) {
			t.Fatalf("%s: %d events %+v; want %d", name, len(got), got, len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.Stream != w.stream || g.Name != w.cause || g.Value != w.blockers || g.Arrived != ms(w.from) || g.At != ms(w.to) {
				t.Errorf("%s: event %d = stream %d %s %q %v→%v; want stream %d %s %q %v→%v", name, i, g.Stream, g.Name, g.Value, g.Arrived, g.At, w.stream, w.cause, w.blockers, ms(w.from), ms(w.to))
			}
		}
	}

	log := trace.NewLog(true)
	tr := NewTracker(log, trace.Client, 0)
	tr.Deliver(1, 100, tcp.Arrival{At: ms(10), InOrder: ms(50), HeldByRecord: true})
	tr.Deliver(2, 100, tcp.Arrival{At: ms(50), InOrder: ms(50), Retransmitted: true})
	tr.Deliver(1, 100, tcp.Arrival{At: ms(50), InOrder: ms(50), Retransmitted: true})
	tr.Deliver(1, 100, tcp.Arrival{At: ms(20), InOrder: ms(50)})
	tr.Flush()
	check("one repair of two streams", log, []ev{{1, CauseLoss, "", 20, 50}, {1, CauseLoss, "", 10, 50}})

	log = trace.NewLog(true)
	tr = NewTracker(log, trace.Client, 0)
	tr.Deliver(1, 100, tcp.Arrival{At: ms(10), InOrder: ms(50), HeldByRecord: true})  // before hole 1
	tr.Deliver(1, 100, tcp.Arrival{At: ms(40), InOrder: ms(40), Retransmitted: true}) // hole 1, stream 1's
	tr.Deliver(2, 100, tcp.Arrival{At: ms(15), InOrder: ms(50), HeldByRecord: true})  // between the holes
	tr.Deliver(2, 100, tcp.Arrival{At: ms(50), InOrder: ms(50), Retransmitted: true}) // hole 2, stream 2's
	tr.Flush()
	check("two holes", log, []ev{{1, CauseTransport, "2", 40, 50}, {1, CauseLoss, "", 10, 40}, {2, CauseLoss, "", 15, 50}})
}

// TestTrackerRecordWaitStartsAtItsEnd: TLS holds a record's bytes before a
// hole inside it until the hole is repaired, but no byte of a record is
// usable before its end arrives, loss or not: the hole holds them back only
// from HeldFrom, when the record would have been complete. Bytes that
// waited in TCP for an earlier hole waited for it from their arrival.
// Stream 2's retransmission fills the earlier hole; stream 1's, at 50 ms,
// the hole inside the record.
func TestTrackerRecordWaitStartsAtItsEnd(t *testing.T) {
	type ev struct {
		cause, blockers string
		from, to        int
	}
	tests := []struct {
		name                     string
		earlier                  int // when the earlier hole was filled
		at, tcpInOrder, heldFrom int
		want                     []ev
	}{
		{"in order in TCP, the record complete at 40", 5, 10, 10, 40, []ev{{CauseLoss, "", 40, 50}}},
		{"in order in TCP, the record complete after the repair", 5, 10, 10, 60, nil},
		{"behind the earlier hole until after the record was complete", 45, 10, 45, 45, []ev{{CauseLoss, "", 10, 50}}},
		{"behind the earlier hole, then waiting for the record's end", 20, 10, 20, 40, []ev{{CauseTransport, "2", 10, 20}, {CauseLoss, "", 40, 50}}},
	}
	for _, tt := range tests {
		log := trace.NewLog(true)
		tr := NewTracker(log, trace.Client, 0)
		tr.Deliver(2, 100, tcp.Arrival{At: ms(tt.earlier), InOrder: ms(tt.earlier), Retransmitted: true})
		tr.Deliver(1, 100, tcp.Arrival{At: ms(tt.at), InOrder: ms(50), HeldByRecord: true, TCPInOrder: ms(tt.tcpInOrder), HeldFrom: ms(tt.heldFrom)})
		tr.Deliver(1, 100, tcp.Arrival{At: ms(50), InOrder: ms(50), Retransmitted: true})
		tr.Flush()
		got := log.Events()
		if len(got) != len(tt.want) {
			t.Errorf("%s: %d events %+v; want %d", tt.name, len(got), got, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if g := got[i]; g.Stream != 1 || g.Name != w.cause || g.Value != w.blockers || g.Arrived != ms(w.from) || g.At != ms(w.to) {
				t.Errorf("%s: event %d = stream %d %s %q %v→%v; want stream 1 %s %q %v→%v", tt.name, i, g.Stream, g.Name, g.Value, g.Arrived, g.At, w.cause, w.blockers, ms(w.from), ms(w.to))
			}
		}
	}
}

// TestTrackerOwnRetransmissionHeldByAnEarlierHole: stream 1's segment is
// lost (hole A), then stream 3's (hole B). B's retransmission arrives at
// 200 ms; A's, itself lost once, at 300. B's retransmission filled B when
// it arrived, though A kept it from being in order until 300: stream 3's
// bytes behind B waited for their own loss until 200, then for stream 1's
// (it was all stream 1's: losing another stream's retransmission erased
// a stream's own loss). Stream 5's bytes behind B waited for stream 3's
// until 200; stream 3's before B, for stream 1's only.
func TestTrackerOwnRetransmissionHeldByAnEarlierHole(t *testing.T) {
	log := trace.NewLog(true)
	tr := NewTracker(log, trace.Client, 0)
	tr.Deliver(1, 1000, tcp.Arrival{At: ms(300), InOrder: ms(300), Retransmitted: true}) // A's repair
	tr.Deliver(3, 1000, tcp.Arrival{At: ms(110), InOrder: ms(300)})                      // before B
	tr.Deliver(3, 1000, tcp.Arrival{At: ms(200), InOrder: ms(300), Retransmitted: true}) // B's repair, held by A
	tr.Deliver(3, 1000, tcp.Arrival{At: ms(150), InOrder: ms(300)})                      // behind B
	tr.Deliver(5, 1000, tcp.Arrival{At: ms(160), InOrder: ms(300)})                      // behind B
	type ev struct {
		stream          int64
		cause, blockers string
		from, to        int
	}
	want := []ev{
		{3, CauseTransport, "1", 110, 300},
		{3, CauseTransport, "1", 200, 300},
		{3, CauseTransport, "1", 200, 300},
		{3, CauseLoss, "", 150, 200},
		{5, CauseTransport, "1", 200, 300},
		{5, CauseTransport, "3", 160, 200},
	}
	got := log.Events()
	if len(got) != len(want) {
		t.Fatalf("%d events %+v; want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if g := got[i]; g.Stream != w.stream || g.Name != w.cause || g.Value != w.blockers || g.Arrived != ms(w.from) || g.At != ms(w.to) {
			t.Errorf("event %d = stream %d %s %q %v→%v; want stream %d %s %q %v→%v", i, g.Stream, g.Name, g.Value, g.Arrived, g.At, w.stream, w.cause, w.blockers, ms(w.from), ms(w.to))
		}
	}
}
