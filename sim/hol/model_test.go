package hol

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"httpsim/sim"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

// modelTracker is the tracker as first written: each fill holds its further
// owners in a slice of its own. TestTrackerMatchesModel checks the tracker
// against it.
type modelTracker struct {
	log   *trace.Log
	fills []modelFill
}

type modelFill struct {
	at     sim.Time
	first  int64
	others []int64
}

func (f *modelFill) owns(stream int64) bool {
	if f.first == stream {
		return true
	}
	for _, s := range f.others {
		if s == stream {
			return true
		}
	}
	return false
}

func (t *modelTracker) deliver(stream, n int64, at tcp.Arrival) {
	if n <= 0 {
		return
	}
	if at.At >= at.InOrder {
		t.fill(stream, at.InOrder)
		return
	}
	if at.Retransmitted {
		t.fill(stream, at.At)
	}
	// The stream's own last fill in (At, InOrder] ends its own loss.
	own := -1
	for i := range t.fills {
		if f := &t.fills[i]; f.at > at.At && f.at <= at.InOrder && f.owns(stream) {
			own = i
		}
	}
	end := at.InOrder
	for i := len(t.fills) - 1; i > own && end > at.At; i-- {
		f := t.fills[i]
		if f.at > end {
			continue
		}
		if f.at <= at.At {
			break // a fill before the range arrived explains none of its wait
		}
		if f.at < end {
			// No stream's bytes became in order at end: the hole
			// closed then held bytes of none.
			t.blocked(stream, n, f.at, end, nil)
			end = f.at
		}
		start := at.At
		if i > 0 && t.fills[i-1].at > start {
			start = t.fills[i-1].at
		}
		t.blocked(stream, n, start, end, &f)
		end = start
	}
	if own >= 0 && end > t.fills[own].at {
		t.blocked(stream, n, t.fills[own].at, end, nil)
		end = t.fills[own].at
	}
	if end > at.At {
		if own >= 0 {
			Emit(t.log, trace.Client, 0, stream, n, at.At, end, CauseLoss, "")
		} else {
			t.blocked(stream, n, at.At, end, nil)
		}
	}
}

// fill adds stream as an owner of the fill at at, in time order.
func (t *modelTracker) fill(stream int64, at sim.Time) {
	i := 0
	for i < len(t.fills) && t.fills[i].at < at {
		i++
	}
	if i < len(t.fills) && t.fills[i].at == at {
		if f := &t.fills[i]; !f.owns(stream) {
			f.others = append(f.others, stream)
		}
		return
	}
	if len(t.fills) == maxFills {
		if i == 0 {
			return
		}
		t.fills = t.fills[1:]
		i--
	}
	t.fills = append(t.fills[:i], append([]modelFill{{at: at, first: stream}}, t.fills[i:]...)...)
}

func (t *modelTracker) blocked(stream, n int64, from, to sim.Time, f *modelFill) {
	if f == nil {
		Emit(t.log, trace.Client, 0, stream, n, from, to, CauseTransport, "")
		return
	}
	if f.owns(stream) {
		Emit(t.log, trace.Client, 0, stream, n, from, to, CauseLoss, "")
		return
	}
	blockers := strconv.FormatInt(f.first, 10)
	for _, s := range f.others {
		blockers += "," + strconv.FormatInt(s, 10)
	}
	Emit(t.log, trace.Client, 0, stream, n, from, to, CauseTransport, blockers)
}

// TestTrackerMatchesModel feeds the tracker and the model the same random
// deliveries, long enough to cut the history many times, with several
// owners per fill, fills inserted before the newest (retransmissions held
// back by an earlier hole), and compares the events they emit.
func TestTrackerMatchesModel(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0))
		got, want := trace.NewLog(true), trace.NewLog(true)
		tr := NewTracker(got, trace.Client, 0)
		if seed%2 == 0 {
			// A reused tracker behaves as a new one.
			tr.Deliver(1, 10, tcp.Arrival{At: ms(1), InOrder: ms(1)})
			tr.Reset(got, trace.Client, 0)
		}
		m := &modelTracker{log: want}
		now := 0
		for i := 0; i < 3000; i++ {
			now += rng.IntN(3) // same instants repeat: fills with several owners
			stream := int64(rng.IntN(6))
			n := int64(rng.IntN(100))
			at := tcp.Arrival{At: ms(now), InOrder: ms(now)}
			if rng.IntN(4) == 0 {
				at.At = ms(max(0, now-rng.IntN(200)))
				// A retransmission an earlier hole held back
				// filled its own hole when it arrived.
				at.Retransmitted = rng.IntN(3) == 0
			}
			tr.Deliver(stream, n, at)
			m.deliver(stream, n, at)
		}
		g, w := got.Events(), want.Events()
		if len(g) != len(w) {
			t.Fatalf("seed %d: %d events; want %d", seed, len(g), len(w))
		}
		for i := range g {
			if !reflect.DeepEqual(g[i], w[i]) {
				t.Fatalf("seed %d: event %d = %+v; want %+v", seed, i, g[i], w[i])
			}
		}
		several := false
		for _, e := range w {
			several = several || strings.Contains(e.Value, ",")
		}
		if !several {
			t.Fatalf("seed %d: no wait behind a fill of several streams", seed)
		}
	}
}
