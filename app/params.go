package app

import (
	"fmt"
	"strconv"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/units"
)

// Params are the settings the first page exposes. They are integers so that a
// setting read back from a slider, a URL or a saved file is exactly the value
// that was shown: a run is a pure function of them.
type Params struct {
	// LossPermille is the random loss rate on the server-to-client
	// direction, where the data goes, in tenths of a percent (0 to
	// MaxLossPermille).
	LossPermille int
	// RTTMillis is the round-trip propagation delay in milliseconds.
	RTTMillis int
	// Seed selects the run's random streams.
	Seed uint64
}

// Limits of the controls.
const (
	MaxLossPermille = 100 // 10 %
	MinRTTMillis    = 1
	MaxRTTMillis    = 500
)

// DefaultParams reads the defaults from the built-in bulk scenario, so that
// the page opens on the scenario the CLI runs.
func DefaultParams() Params {
	s := scenario.Bulk()
	return Params{
		LossPermille: clamp(int(s.Network.Down.Loss.Rate*1000+0.5), 0, MaxLossPermille),
		RTTMillis:    clamp(int(s.Network.RTT/time.Millisecond), MinRTTMillis, MaxRTTMillis),
		Seed:         s.Seed,
	}
}

// Clamped returns p with every field within the controls' limits.
func (p Params) Clamped() Params {
	p.LossPermille = clamp(p.LossPermille, 0, MaxLossPermille)
	p.RTTMillis = clamp(p.RTTMillis, MinRTTMillis, MaxRTTMillis)
	return p
}

// Scenario returns the bulk scenario with p applied.
func (p Params) Scenario() *scenario.Scenario {
	p = p.Clamped()
	s := scenario.Bulk()
	s.Seed = p.Seed
	s.Network.RTT = time.Duration(p.RTTMillis) * time.Millisecond
	loss := s.Network.Down.Loss
	loss.Rate = float64(p.LossPermille) / 1000
	switch {
	case p.LossPermille == 0:
		loss.Model = link.NoLoss
	case loss.Model == "" || loss.Model == link.NoLoss:
		loss.Model = link.Bernoulli
	}
	s.Network.Down.Loss = loss
	return s
}

// LossString formats the loss rate as a percentage, e.g. "1.5%".
func (p Params) LossString() string { return units.Percent(float64(p.LossPermille) / 1000) }

// RTTString formats the round-trip time, e.g. "80ms".
func (p Params) RTTString() string { return strconv.Itoa(p.RTTMillis) + "ms" }

// String summarises p for logs and tests.
func (p Params) String() string {
	return fmt.Sprintf("loss=%s rtt=%s seed=%d", p.LossString(), p.RTTString(), p.Seed)
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
