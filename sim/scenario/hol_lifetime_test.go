package scenario

import (
	"testing"

	"httpsim/sim"
	"httpsim/sim/link"
)

// TestHOLWithinEachResourcesLifetime: a resource's head-of-line blocking
// and loss delay are the waiting that delayed it, between its request and
// its completion. A pushed response's bytes can wait before the browser
// asks for them: one showed 124 ms of HoL over a lifetime of none.
func TestHOLWithinEachResourcesLifetime(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		s, err := Builtin("push")
		if err != nil {
			t.Fatal(err)
		}
		s.Seed = seed
		l := link.Loss{Model: link.Burst, Rate: 0.03, MeanBurst: 3}
		all := []*Scenario{s}
		for _, v := range s.Variants {
			all = append(all, v.Scenario)
		}
		for _, x := range all {
			x.Seed = seed
			x.Network.Down.Loss, x.Network.Up.Loss = l, l
		}
		r, err := Run(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, run := range r.Runs {
			for _, x := range run.Resources {
				if !x.Requested || x.Done == sim.Never || x.Sent == sim.Never {
					continue
				}
				life := x.Done.Sub(x.Sent)
				if x.HOL > life || x.LossDelay > life {
					t.Errorf("seed %d, %s %s: HoL %v, loss delay %v over a lifetime of %v (sent %v, done %v)", seed, run.Variant, x.URL, x.HOL, x.LossDelay, life, x.Sent, x.Done)
				}
			}
		}
	}
}
