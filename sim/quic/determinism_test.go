package quic

import (
	"testing"

	"httpsim/sim"
	"httpsim/sim/link"
)

func TestSameSeedSameTrace(t *testing.T) {
	run := func(seed sim.Seed) (string, int64) {
		p := newPair(t, pairOpts{seed: seed, noKeep: true,
			down: link.Config{Loss: link.Loss{Model: link.Bernoulli, Rate: 0.02}},
			up:   link.Config{Loss: link.Loss{Model: link.Bernoulli, Rate: 0.02}}})
		twoResponses(t, p, 500000, nil)
		p.start()
		p.run()
		if p.capp.finCount != 2 {
			t.Fatalf("seed %d: %d responses completed; want 2", seed, p.capp.finCount)
		}
		return p.log.HashString(), p.log.Len()
	}
	a, na := run(7)
	b, nb := run(7)
	c, _ := run(8)
	if a != b || na != nb {
		t.Errorf("seed 7 twice: %s (%d events) and %s (%d); want identical", a, na, b, nb)
	}
	if a == c {
		t.Errorf("seeds 7 and 8 gave the same trace %s", a)
	}
}
