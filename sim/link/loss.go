package link

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"httpsim/sim"
	"httpsim/sim/units"
)

// LossModel names a random loss process.
type LossModel string

const (
	// NoLoss loses nothing at random.
	NoLoss LossModel = "none"
	// Bernoulli loses each packet independently with probability Rate.
	Bernoulli LossModel = "bernoulli"
	// Burst is a Gilbert–Elliott two-state chain: a Good state that loses
	// nothing and a Bad state that loses every packet. Users set it by its
	// mean loss rate and mean burst length; the transition probabilities
	// follow (see newGilbertElliott).
	Burst LossModel = "burst"
)

// Loss configures random loss on one direction of a link.
type Loss struct {
	Model LossModel `json:"model"`
	// Rate is the long-run fraction of packets lost, 0 <= Rate <= MaxRate.
	Rate float64 `json:"rate"`
	// MeanBurst is the mean number of consecutive packets lost in a burst
	// (Burst only), at least 1. Silence counts too (see gilbertElliott):
	// a sender that waits out a burst does not meet it again.
	MeanBurst float64 `json:"mean_burst,omitempty"`
	// DataOnly exempts packets without payload (pure ACKs, SYNs) from random
	// loss, as in the textbook set-up for the PFTK and Mathis formulas.
	DataOnly bool `json:"data_only,omitempty"`
}

// Validate checks the loss settings; field names are those of the scenario
// format.
func (l Loss) Validate() error {
	var errs []error
	switch l.Model {
	case "":
		// A rate with no model would be shown and never applied. ("none"
		// with a rate says no loss on purpose: a variant's patch may turn
		// off the loss its base sets.)
		if l.Rate != 0 {
			errs = append(errs, fmt.Errorf("loss.rate: %s needs loss.model bernoulli or burst", units.Percent(l.Rate)))
		}
	case NoLoss:
	case Bernoulli, Burst:
		if !(l.Rate >= 0 && l.Rate <= MaxRate) {
			errs = append(errs, fmt.Errorf("loss.rate: %s is out of range (0%% to 99.9%%)", units.Percent(l.Rate)))
		}
	default:
		return fmt.Errorf("loss.model: %q is not a loss model (use none, bernoulli or burst)", l.Model)
	}
	// A mean burst under another model is left unused: a variant's patch
	// may switch its base's bursts to Bernoulli loss.
	switch {
	case l.Model == Burst && !(l.MeanBurst >= 1 && l.MeanBurst <= 1000):
		errs = append(errs, fmt.Errorf("loss.mean_burst: %v is out of range (1 to 1000 packets)", l.MeanBurst))
	case l.Model == Burst && l.Rate > MaxBurstRate(l.MeanBurst):
		// Bursts of B packets on average, one in every Good-to-Bad
		// transition, lose at most B of every B+1 packets: with p = 1
		// the chain leaves Good after one packet every time.
		errs = append(errs, fmt.Errorf("loss.rate: %s is more than bursts of %v packets allow (at most %s)",
			units.Percent(l.Rate), l.MeanBurst, units.Percent(MaxBurstRate(l.MeanBurst))))
	}
	return errors.Join(errs...)
}

// MaxRate is the highest loss rate a link takes: 99.9 %, so that a
// connection still gets through in the end.
const MaxRate = 0.999

// MaxBurstRate is the highest long-run loss rate the Burst model reaches
// with bursts of meanBurst packets on average: B/(B+1), where the chain
// goes Bad after every Good packet (see newGilbertElliott: p = rate·r/(1 −
// rate) must not exceed 1, with r = 1/B).
func MaxBurstRate(meanBurst float64) float64 { return meanBurst / (meanBurst + 1) }

// dropper decides, packet by packet, whether random loss takes a packet
// of size bytes that finishes serialising at now.
type dropper interface {
	drop(rng *rand.Rand, now sim.Time, size int) bool
}

type noLoss struct{}

func (noLoss) drop(*rand.Rand, sim.Time, int) bool { return false }

type bernoulli struct{ p float64 }

func (b bernoulli) drop(rng *rand.Rand, _ sim.Time, _ int) bool {
	return rng.Float64() < b.p
}

// burstIdleStep is how much silence on the link counts as one more step of
// the Gilbert–Elliott chain. It is a modelling choice: longer than the
// pauses between a window's flights on the paths the lessons use (up to an
// RTT of 100 ms), so a burst still takes consecutive packets of a flow as
// the textbook chain does; short enough that a sender waiting out a
// retransmission timeout (200 ms at least, then doubling) mostly meets a
// channel that has moved on.
const burstIdleStep = 100 * time.Millisecond

// gilbertElliott is the two-state burst loss chain. In the Bad state every
// packet is lost, in the Good state none, so a burst is a stay in Bad: its
// length is geometric with mean 1/r, where r = P(Bad→Good). The stationary
// probability of Bad, p/(p+r) with p = P(Good→Bad), is the mean loss rate.
//
// The chain steps once per packet, as in the textbook chain, and each
// burstIdleStep the link sat idle before a packet counts as one step more:
// a fade or a congested hop lasts a while whether or not packets cross it,
// so the state relaxes towards the stationary one while the sender is
// quiet. Packets back to back leave the link no idle time, whatever its
// rate, so they step once each. Stepping only per packet let a burst
// outlast any silence: a TCP segment retransmitted after each exponential
// backoff met the same burst up to ten times, and a page took six minutes.
type gilbertElliott struct {
	p, r float64    // P(Good→Bad), P(Bad→Good) per step
	bw   units.Rate // the link's: how long a packet keeps it busy
	last sim.Time   // when the previous packet finished serialising
	bad  bool
	init bool
}

func newGilbertElliott(rate, meanBurst float64) *gilbertElliott {
	r := 1 / meanBurst
	p := 0.0
	if rate > 0 {
		p = rate * r / (1 - rate)
	}
	if p > 1 {
		p = 1 // beyond MaxBurstRate, which Validate refuses
	}
	return &gilbertElliott{p: p, r: r}
}

func (g *gilbertElliott) drop(rng *rand.Rand, now sim.Time, size int) bool {
	steps := int64(1)
	// Idle: the time since the last packet, less this one's serialisation.
	if idle := now.Sub(g.last) - g.bw.TxTime(size); idle > 0 {
		steps += int64(idle / burstIdleStep)
	}
	g.last = now
	switch {
	case !g.init:
		// Start in the stationary distribution so that short runs are not
		// biased towards Good.
		g.init = true
		g.bad = rng.Float64() < g.p/(g.p+g.r)
	case steps == 1 && g.bad:
		g.bad = rng.Float64() >= g.r
	case steps == 1:
		g.bad = rng.Float64() < g.p
	default:
		g.bad = rng.Float64() < g.badAfter(steps)
	}
	return g.bad
}

// badAfter is the probability of Bad n steps after the current state. A
// two-state chain's n-step probabilities have a closed form: with
// π = p/(p+r) and λ = 1-p-r, P(Bad) = π + (1-π)λⁿ from Bad and π(1-λⁿ)
// from Good.
func (g *gilbertElliott) badAfter(n int64) float64 {
	pi := g.p / (g.p + g.r)
	lambdaN := powInt(1-g.p-g.r, n)
	if g.bad {
		// The conversion keeps the product rounded on its own: a fused
		// multiply-add (arm64, amd64 v3) would round once, and a native
		// run could then differ from the browser's (Go spec, "Floating-
		// point operators").
		return pi + float64((1-pi)*lambdaN)
	}
	return pi * (1 - lambdaN)
}

// powInt is x**n for n >= 0 by repeated squaring: multiplications only,
// so the result is the same on every platform (math.Pow calls math.Exp,
// which has an assembly version on some architectures).
func powInt(x float64, n int64) float64 {
	result := 1.0
	for n > 0 {
		if n&1 == 1 {
			result *= x
		}
		x *= x
		n >>= 1
	}
	return result
}

// newDropper returns the random loss process of l on a link of rate bw.
func newDropper(l Loss, bw units.Rate) dropper {
	switch l.Model {
	case Bernoulli:
		if l.Rate > 0 {
			return bernoulli{l.Rate}
		}
	case Burst:
		if l.Rate > 0 {
			g := newGilbertElliott(l.Rate, l.MeanBurst)
			g.bw = bw
			return g
		}
	}
	return noLoss{}
}
