package app

import (
	"testing"

	"httpsim/sim"
	"httpsim/sim/trace"
)

func TestSeriesFromEvents(t *testing.T) {
	ms := func(n int64) sim.Time { return sim.Time(n * 1_000_000) }
	events := []trace.Event{
		{At: ms(1), Kind: trace.MetricsUpdated, Side: trace.Client, Cwnd: 999},
		{At: ms(2), Kind: trace.MetricsUpdated, Side: trace.Server, Cwnd: 14600, Ssthresh: 1 << 30},
		{At: ms(3), Kind: trace.PacketSent, Side: trace.Server, Len: 1460},
		{At: ms(4), Kind: trace.PacketLost, Side: trace.Server},
		{At: ms(4), Kind: trace.PacketLost, Side: trace.Client},
		{At: ms(5), Kind: trace.MetricsUpdated, Side: trace.Server, Cwnd: 7300, Ssthresh: 7300},
		{At: ms(6), Kind: trace.MetricsUpdated, Side: trace.Server, Cwnd: 8000, Ssthresh: 0},
		{At: ms(9), Kind: trace.PacketReceived, Side: trace.Client},
	}
	s := seriesFromEvents(events)
	wantAt := []int64{2e6, 5e6, 6e6}
	wantCwnd := []int64{14600, 7300, 8000}
	wantSs := []int64{0, 7300, 0}
	if !equalInts(s.At, wantAt) || !equalInts(s.Cwnd, wantCwnd) || !equalInts(s.Ssthresh, wantSs) {
		t.Errorf("series = At %v Cwnd %v Ssthresh %v; want %v %v %v", s.At, s.Cwnd, s.Ssthresh, wantAt, wantCwnd, wantSs)
	}
	if !equalInts(s.Losses, []int64{4e6}) {
		t.Errorf("Losses = %v; want [4000000] (the server's only)", s.Losses)
	}
	if s.End != 9e6 {
		t.Errorf("End = %d; want 9000000 (the last event of any side)", s.End)
	}
	if s.Len() != 3 || s.MaxY() != 14600 {
		t.Errorf("Len, MaxY = %d, %d; want 3, 14600", s.Len(), s.MaxY())
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
