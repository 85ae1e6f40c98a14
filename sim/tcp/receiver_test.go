package tcp

import (
	"math/rand/v2"
	"slices"
	"testing"

	"httpsim/sim"
)

// insertModel is receiver.insert as it was first written, building a new
// array: the new bytes of [start, end) become pieces of their own, merged
// with the held ones in order.
func insertModel(ooo []piece, start, end int64, now sim.Time, retx bool) (out []piece, added int64) {
	i := len(ooo)
	for i > 0 && ooo[i-1].end > start {
		i--
	}
	var add []piece
	cur := start
	j := i
	for ; j < len(ooo) && ooo[j].start < end; j++ {
		p := ooo[j]
		if p.start > cur {
			add = append(add, piece{cur, p.start, now, retx})
		}
		cur = max(cur, p.end)
	}
	if cur < end {
		add = append(add, piece{cur, end, now, retx})
	}
	merged := append([]piece(nil), ooo[:i]...)
	a, k := 0, i
	for a < len(add) || k < j {
		if k >= j || (a < len(add) && add[a].start < ooo[k].start) {
			merged = append(merged, add[a])
			added += add[a].end - add[a].start
			a++
		} else {
			merged = append(merged, ooo[k])
			k++
		}
	}
	return append(merged, ooo[j:]...), added
}

// Merging in place holds the same pieces, with the same arrival times, as
// the model, over random overlapping inserts.
func TestReceiverInsertMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		var r receiver
		var model []piece
		var modelBytes int64
		for step := range 1 + rng.IntN(30) {
			start := 1 + rng.Int64N(400)
			end := start + 1 + rng.Int64N(80)
			now := sim.Time(step + 1)
			retx := rng.IntN(2) == 0
			r.insert(start, end, now, retx)
			var added int64
			model, added = insertModel(model, start, end, now, retx)
			modelBytes += added
			if !slices.Equal(r.ooo, model) || r.oooBytes != modelBytes {
				t.Fatalf("round %d step %d: insert(%d, %d) holds %v (%d bytes); want %v (%d bytes)",
					round, step, start, end, r.ooo, r.oooBytes, model, modelBytes)
			}
		}
	}
}
