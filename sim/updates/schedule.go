package updates

import (
	"math"
	"time"

	"httpsim/sim"
)

// Schedule returns the times at which the server generates its events:
// EventTimes if set, otherwise a Poisson process that starts at Start, with
// exponential gaps of mean MeanGap drawn from the seed's substream
// "updates/events".
func (c Config) Schedule(seed sim.Seed) []sim.Time {
	if len(c.EventTimes) > 0 {
		out := make([]sim.Time, len(c.EventTimes))
		for i, d := range c.EventTimes {
			out[i] = sim.At(d)
		}
		return out
	}
	rng := seed.Stream("updates/events")
	out := make([]sim.Time, c.Events)
	t := sim.At(c.Start)
	for i := range out {
		// Inverse transform: -ln(U) is exponential with mean 1 for U
		// uniform in (0, 1]; Float64 is in [0, 1), so use 1-Float64.
		x := -ln(1 - rng.Float64())
		t = t.Add(time.Duration(float64(c.MeanGap) * x))
		out[i] = t
	}
	return out
}

// ln is the natural logarithm of x > 0 computed with IEEE-754 basic
// operations only, so that it gives the same bits on every platform: Go's
// math.Log runs an assembly routine on amd64 and pure Go in WebAssembly, and
// the two may differ in the last bit, which would move an event by a
// nanosecond and change the trace. Explicit float64 conversions stop the
// compiler from fusing a multiply and an add (the Go spec allows fusion
// otherwise, and arm64 does it).
//
// x = m·2^e with m in [√½, √2); ln m = 2·atanh(s) with s = (m-1)/(m+1),
// |s| < 0.172, summed as 2(s + s³/3 + s⁵/5 + ...) until the terms vanish.
func ln(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) {
		// Not reached from Schedule (its argument is in (0, 1]).
		return math.NaN()
	}
	m, e := math.Frexp(x) // exact
	if m < math.Sqrt2/2 {
		m *= 2 // exact
		e--
	}
	s := (m - 1) / (m + 1)
	s2 := s * s
	sum, term := 0.0, s
	for k := 1; k < 60; k += 2 {
		q := term / float64(k)
		if q == 0 {
			break
		}
		sum = float64(sum + q)
		term = float64(term * s2)
	}
	return float64(float64(e)*math.Ln2) + float64(2*sum)
}
