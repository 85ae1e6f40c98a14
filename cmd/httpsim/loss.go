package main

import (
	"fmt"
	"math"
	"strconv"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
)

// setLoss gives s the random loss run and sweep ask for, by the same rules
// for both: rate replaces the scenario's loss rate (rate < 0: keep it);
// model replaces its model ("": keep it, Bernoulli if it has none); burst
// replaces its mean burst (burst < 0: keep it, 5 packets if it has none).
// A bulk transfer loses data packets server to client (the textbook
// set-up of the throughput formulas); a page, and an updates workload,
// lose any packet in either direction.
func setLoss(s *scenario.Scenario, rate float64, model string, burst float64) error {
	l := s.Network.Down.Loss
	switch model {
	case "":
		if l.Model == "" || l.Model == link.NoLoss {
			l.Model = link.Bernoulli
		}
	case "bernoulli":
		l.Model = link.Bernoulli
	case "burst":
		l.Model = link.Burst
	default:
		return fmt.Errorf("--loss-model: %q is not a loss model (use bernoulli or burst)", model)
	}
	if burst >= 0 && l.Model != link.Burst {
		return fmt.Errorf("--burst: needs --loss-model burst")
	}
	switch {
	case l.Model != link.Burst:
		l.MeanBurst = 0
	case burst >= 0:
		l.MeanBurst = burst
	case l.MeanBurst == 0:
		l.MeanBurst = 5
	}
	if rate >= 0 {
		l.Rate = rate
	} else if l.Rate == 0 {
		// A model or a burst length with nothing to lose would quietly
		// run without loss.
		return fmt.Errorf("--loss-model, --burst: %q has no loss to shape; give --loss too", s.Name)
	}
	if l.Rate == 0 {
		l.Model, l.MeanBurst = link.NoLoss, 0
	}
	if s.Workload != scenario.WorkloadBulk {
		l.DataOnly = false
		s.Network.Down.Loss, s.Network.Up.Loss = l, l
		return nil
	}
	s.Network.Down.Loss = l
	return nil
}

// parseBurst reads a mean burst length, in packets; checkBurst checks it.
func parseBurst(text string) (float64, error) {
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number of packets", text)
	}
	return v, nil
}

// checkBurst refuses a mean burst length out of link's range (1 to 1000
// packets). setLoss reads a negative length as "keep the scenario's", and
// NaN fails every comparison, so --burst -3 and --burst NaN were dropped
// without a word.
func checkBurst(text string, v float64) error {
	if math.IsNaN(v) {
		return fmt.Errorf("--burst: %s is not a number (1 to 1000 packets)", text)
	}
	if !(v >= 1 && v <= 1000) {
		return fmt.Errorf("--burst: %s is out of range (1 to 1000 packets)", text)
	}
	return nil
}
