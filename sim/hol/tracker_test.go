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
