package quic

import (
	"math/rand/v2"
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
		{"remove all", func(s *rangeSet) { s.add(0, 4); s.add(6, 10); s.remove(0, 10) }, rangeSet{}},
		{"remove in a gap", func(s *rangeSet) { s.add(0, 4); s.add(6, 10); s.remove(4, 6) }, rangeSet{{0, 4}, {6, 10}}},
		{"remove spans whole", func(s *rangeSet) { s.add(0, 2); s.add(4, 6); s.add(8, 10); s.add(12, 14); s.remove(3, 11) }, rangeSet{{0, 2}, {12, 14}}},
		{"remove trims both ends", func(s *rangeSet) { s.add(0, 4); s.add(6, 8); s.add(10, 14); s.remove(2, 12) }, rangeSet{{0, 2}, {12, 14}}},
		{"remove below all", func(s *rangeSet) { s.add(0, 4); s.add(6, 10); s.removeBelow(10) }, rangeSet{}},
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

// TestRangeSetModel checks add, remove and removeBelow against a set of
// 64 bits, over a seeded run of random operations.
func TestRangeSetModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s rangeSet
	var model uint64
	for i := 0; i < 20000; i++ {
		a, b := rng.Int64N(65), rng.Int64N(65)
		lo, hi := min(a, b), max(a, b)
		bits := uint64(0)
		for v := lo; v < hi; v++ {
			bits |= 1 << v
		}
		op := rng.IntN(5)
		switch op {
		case 0, 1:
			s.add(lo, hi)
			model |= bits
		case 2, 3:
			s.remove(lo, hi)
			model &^= bits
		default:
			s.removeBelow(lo)
			model &^= 1<<lo - 1
		}
		got := uint64(0)
		for k, x := range s {
			if x.start >= x.end || k > 0 && s[k-1].end >= x.start {
				t.Fatalf("op %d (%d, [%d, %d)): %v is not sorted, disjoint and non-adjacent", i, op, lo, hi, s)
			}
			for v := x.start; v < x.end; v++ {
				got |= 1 << v
			}
		}
		if got != model {
			t.Fatalf("op %d (%d, [%d, %d)): set %v = %064b; want %064b", i, op, lo, hi, s, got, model)
		}
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
