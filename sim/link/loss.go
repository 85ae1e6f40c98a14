package link

import (
	"errors"
	"fmt"
	"math/rand/v2"
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
	// Rate is the long-run fraction of packets lost, 0 <= Rate < 1.
	Rate float64 `json:"rate"`
	// MeanBurst is the mean number of consecutive packets lost in a burst
	// (Burst only), at least 1.
	MeanBurst float64 `json:"mean_burst,omitempty"`
	// DataOnly exempts packets without payload (pure ACKs, SYNs) from random
	// loss, as in the textbook set-up for the PFTK and Mathis formulas.
	DataOnly bool `json:"data_only,omitempty"`
}

// Validate checks the loss settings; field names are those of the scenario
// format.
func (l Loss) Validate() error {
	switch l.Model {
	case "", NoLoss:
		return nil
	case Bernoulli, Burst:
	default:
		return fmt.Errorf("loss.model: %q is not a loss model (use none, bernoulli or burst)", l.Model)
	}
	var errs []error
	if !(l.Rate >= 0 && l.Rate < 1) {
		errs = append(errs, fmt.Errorf("loss.rate: %v is out of range (0%% to 99.9%%)", l.Rate))
	}
	if l.Model == Burst && !(l.MeanBurst >= 1 && l.MeanBurst <= 1000) {
		errs = append(errs, fmt.Errorf("loss.mean_burst: %v is out of range (1 to 1000 packets)", l.MeanBurst))
	}
	return errors.Join(errs...)
}

// dropper decides, packet by packet, whether random loss takes a packet.
type dropper interface {
	drop(rng *rand.Rand) bool
}

type noLoss struct{}

func (noLoss) drop(*rand.Rand) bool { return false }

type bernoulli struct{ p float64 }

func (b bernoulli) drop(rng *rand.Rand) bool { return rng.Float64() < b.p }

// gilbertElliott is the two-state burst loss chain. In the Bad state every
// packet is lost, in the Good state none, so a burst is a stay in Bad: its
// length is geometric with mean 1/r, where r = P(Bad→Good). The stationary
// probability of Bad, p/(p+r) with p = P(Good→Bad), is the mean loss rate.
type gilbertElliott struct {
	p, r float64 // P(Good→Bad), P(Bad→Good) per packet
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
		p = 1
	}
	return &gilbertElliott{p: p, r: r}
}

func (g *gilbertElliott) drop(rng *rand.Rand) bool {
	if !g.init {
		// Start in the stationary distribution so that short runs are not
		// biased towards Good.
		g.init = true
		g.bad = rng.Float64() < g.p/(g.p+g.r)
	} else if g.bad {
		g.bad = rng.Float64() >= g.r
	} else {
		g.bad = rng.Float64() < g.p
	}
	return g.bad
}

func newDropper(l Loss) dropper {
	switch l.Model {
	case Bernoulli:
		if l.Rate > 0 {
			return bernoulli{l.Rate}
		}
	case Burst:
		if l.Rate > 0 {
			return newGilbertElliott(l.Rate, l.MeanBurst)
		}
	}
	return noLoss{}
}
