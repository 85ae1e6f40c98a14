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

// TestUploadWaitsAreMeasuredOverEveryProtocol: an upload's segments lost
// on the way up hold its later bytes in the server's reassembly buffer.
// HTTP/2's and HTTP/3's servers measured that wait; HTTP/1.1's did not, so
// the same losses cost HTTP/1.1 nothing in the summary.
func TestUploadWaitsAreMeasuredOverEveryProtocol(t *testing.T) {
	s, err := Builtin("get-vs-post")
	if err != nil {
		t.Fatal(err)
	}
	s.Protocols, s.Variants = []string{"h1", "h2", "h3"}, nil
	s.Network.Up.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.05}
	r, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range r.Runs {
		for _, x := range run.Resources {
			if x.URL == "/upload" && x.LossDelay+x.HOL == 0 {
				t.Errorf("%s: the 600 KB upload over 5%% upstream loss waited %v (HoL %v); want its lost segments' wait", run.Proto, x.LossDelay, x.HOL)
			}
		}
	}
}
