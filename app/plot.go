package app

import (
	"math"
	"strconv"
)

// stepPath returns the vertices of a step line through the samples (each
// value holds until the next sample, the last one until xEnd), with the
// samples that fall in one half-pixel column collapsed to at most four
// vertices: entry, minimum, maximum, exit.
func stepPath(at, v []int64, xOf, yOf func(int64) float64, xEnd float64) []float64 {
	var sq columnSqueezer
	prevY := 0.0
	for i := range at {
		x, y := xOf(at[i]), yOf(v[i])
		if i > 0 {
			sq.add(x, prevY)
		}
		sq.add(x, y)
		prevY = y
	}
	if len(at) > 0 {
		sq.add(xEnd, prevY)
	}
	return sq.finish()
}

// columnSqueezer collects polyline vertices, merging consecutive vertices in
// the same half-pixel column.
type columnSqueezer struct {
	out                      []float64
	has                      bool
	bin                      int64
	x, first, lo, hi, latest float64
}

func (q *columnSqueezer) add(x, y float64) {
	bin := int64(math.Floor(x * 2))
	if q.has && bin == q.bin {
		q.lo = min(q.lo, y)
		q.hi = max(q.hi, y)
		q.latest = y
		return
	}
	q.flush()
	q.has, q.bin = true, bin
	q.x, q.first, q.lo, q.hi, q.latest = x, y, y, y, y
}

func (q *columnSqueezer) flush() {
	if !q.has {
		return
	}
	q.out = append(q.out, q.x, q.first)
	// Visit the column's range in the direction that ends nearest the exit.
	a, b := q.lo, q.hi
	if math.Abs(q.latest-a) < math.Abs(q.latest-b) {
		a, b = b, a
	}
	for _, y := range [...]float64{a, b, q.latest} {
		if n := len(q.out); q.out[n-1] != y {
			q.out = append(q.out, q.x, y)
		}
	}
}

func (q *columnSqueezer) finish() []float64 {
	q.flush()
	q.has = false
	return q.out
}

// timeUnit picks the time axis unit for a run of end nanoseconds: ms for runs
// under two seconds, s otherwise. It returns nanoseconds per unit.
func timeUnit(end int64) (float64, string) {
	if end < 2e9 {
		return 1e6, "ms"
	}
	return 1e9, "s"
}

// niceAxis returns a tick step of 1, 2 or 5 times a power of ten that divides
// [0, maxV] into at most about n intervals, and the axis end: the first tick
// at or above maxV.
func niceAxis(maxV float64, n int) (step, end float64) {
	if !(maxV > 0) || math.IsInf(maxV, 0) {
		return 1, 1
	}
	raw := maxV / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, m := range [...]float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	end = math.Ceil(maxV/step-1e-9) * step
	return step, end
}

// formatTick prints tick value v with as many decimals as its step needs.
// The tick nearest zero prints as 0, never "-0": an axis starting at zero
// computes its first tick as math.Ceil of a tiny negative number, which is
// negative zero.
func formatTick(v, step float64) string {
	if math.Abs(v) < step/2 {
		v = 0
	}
	decimals := 0
	if step < 1 {
		decimals = int(math.Ceil(-math.Log10(step) - 1e-9))
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}
