package quic

import (
	"slices"
	"testing"

	"httpsim/sim"
)

func TestRangeSet(t *testing.T) {
	tests := []struct {
		name string
		ops  func(s *rangeSet)
		want rangeSet
	}{
		{"append and merge", func(s *rangeSet) { s.add(0, 5); s.add(5, 8); s.add(10, 12) }, rangeSet{{0, 8}, {10, 12}}},
		{"fill a gap", func(s *rangeSet) { s.add(0, 2); s.add(6, 8); s.add(2, 6) }, rangeSet{{0, 8}}},
		{"insert before", func(s *rangeSet) { s.add(10, 12); s.add(0, 2); s.add(4, 6) }, rangeSet{{0, 2}, {4, 6}, {10, 12}}},
		{"cover several", func(s *rangeSet) { s.add(2, 3); s.add(5, 6); s.add(8, 9); s.add(1, 10) }, rangeSet{{1, 10}}},
		{"remove middle", func(s *rangeSet) { s.add(0, 10); s.remove(3, 5) }, rangeSet{{0, 3}, {5, 10}}},
		{"remove across", func(s *rangeSet) { s.add(0, 4); s.add(6, 10); s.remove(2, 8) }, rangeSet{{0, 2}, {8, 10}}},
		{"remove below", func(s *rangeSet) { s.add(0, 4); s.add(6, 10); s.removeBelow(7) }, rangeSet{{7, 10}}},
		{"empty add", func(s *rangeSet) { s.add(3, 3) }, nil},
	}
	for _, tt := range tests {
		var s rangeSet
		tt.ops(&s)
		if !slices.Equal(s, tt.want) {
			t.Errorf("%s: %v; want %v", tt.name, s, tt.want)
		}
	}
	s := rangeSet{{0, 3}, {5, 9}}
	for v, want := range map[int64]bool{0: true, 2: true, 3: false, 4: false, 5: true, 8: true, 9: false} {
		if s.contains(v) != want {
			t.Errorf("contains(%d) = %v; want %v", v, !want, want)
		}
	}
	if !s.covers(5, 9) || s.covers(2, 6) || s.size() != 7 || s.prefixEnd(0) != 3 || s.prefixEnd(4) != 4 {
		t.Errorf("covers/size/prefixEnd wrong on %v", s)
	}
}

func TestRecvBufDeliversInOrderWithArrivalTimes(t *testing.T) {
	r := newRecvBuf()
	type got struct {
		start, end int64
		arrived    int64
	}
	var out []got
	deliver := func(s, e int64, at sim.Time) { out = append(out, got{s, e, int64(at)}) }
	r.insert(1, 10, 20, deliver) // held
	r.insert(2, 30, 40, deliver) // held
	r.insert(3, 0, 10, deliver)  // fills the first hole
	r.insert(4, 15, 35, deliver) // overlaps: only 20-30 is new
	r.insert(5, 10, 15, deliver)
	if r.next != 40 || len(r.pieces) != 0 {
		t.Fatalf("next %d, %d pieces held; want 40 and none", r.next, len(r.pieces))
	}
	var total int64
	for i, g := range out {
		if i > 0 && out[i-1].end != g.start {
			t.Errorf("delivery %d starts at %d; want %d", i, g.start, out[i-1].end)
		}
		total += g.end - g.start
	}
	if total != 40 {
		t.Errorf("delivered %d bytes; want 40", total)
	}
	// Every byte keeps the time it first arrived.
	first := map[int64]int64{}
	for _, g := range out {
		for b := g.start; b < g.end; b++ {
			first[b] = g.arrived
		}
	}
	for b, at := range map[int64]int64{0: 3, 12: 1, 19: 1, 25: 4, 31: 2, 39: 2} {
		if first[b] != at {
			t.Errorf("byte %d arrived at %d; want %d", b, first[b], at)
		}
	}
}
