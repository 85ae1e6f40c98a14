package scenario

import (
	"math/rand/v2"
	"testing"

	"httpsim/sim/link"
	"httpsim/sim/updates"
)

// forRandomLessons draws n lessons at random from the library with a
// generator seeded by stream, and hands each to each with the generator,
// which draws the lesson's settings: the loop the random-settings tests
// share. They run several hundred lessons, so -short skips them.
func forRandomLessons(t *testing.T, stream uint64, n int, each func(i int, rng *rand.Rand, name string, s *Scenario)) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs several hundred lessons")
	}
	rng := rand.New(rand.NewPCG(2026, stream))
	names := Names()
	for i := range n {
		name := names[rng.IntN(len(names))]
		s, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		each(i, rng, name, s)
	}
}

// randomLoss is independent loss at rate, or none at 0.
func randomLoss(rate float64) link.Loss {
	if rate == 0 {
		return link.Loss{Model: link.NoLoss}
	}
	return link.Loss{Model: link.Bernoulli, Rate: rate}
}

// allRuns is s and its variants: what a random setting is applied to.
func allRuns(s *Scenario) []*Scenario {
	runs := []*Scenario{s}
	for _, v := range s.Variants {
		runs = append(runs, v.Scenario)
	}
	return runs
}

// checkRandomRun runs s at a random setting, named by what, and checks
// what every run must do: no panic, bytes on the wire split exactly, a
// WebSocket that delivered its updates closed, and, when there is no
// random loss, every page loaded (well within the 10-minute limit: the
// slowest, a 3 MB video at 1 Mbit/s, takes under a minute). A setting a
// lesson's own limits refuse is skipped.
func checkRandomRun(t *testing.T, what string, s *Scenario, lossless bool) {
	t.Helper()
	if err := s.Validate(); err != nil {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: panic %v", what, r)
		}
	}()
	res, err := Run(s, Options{})
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	// Without loss, resets or moves, nothing may fail: a failure is a
	// protocol error between the simulator's own endpoints.
	calm := lossless
	for _, x := range allRuns(s) {
		calm = calm && len(x.Network.ServerResets) == 0 && len(x.Network.PathChanges) == 0
	}
	for _, r := range res.Runs {
		if u := r.Updates; u != nil {
			// A WebSocket that delivered every update closes (RFC 6455
			// §7.1.2) before a limit stops it: the close does not stall.
			if u.Mode == updates.WebSocket && u.Status == "delivered" && !u.Closed {
				t.Errorf("%s %s: every update delivered at %.0f ms, and the WebSocket not closed by %.0f ms", what, r.Variant, u.DoneMs, u.EndMs)
			}
			continue
		}
		w := r.Wire
		if sum := w.TCPIP + w.TLS + w.Headers + w.Bodies + w.Retransmitted; sum != w.Total || w.Bodies < 0 || w.Headers < 0 {
			t.Errorf("%s %s/%s: bytes %+v add up to %d, not %d", what, r.Variant, r.Proto, w, sum, w.Total)
		}
		if lossless && r.PLT < 0 {
			t.Errorf("%s %s/%s: no loss, and the page never loaded (%s)", what, r.Variant, r.Proto, r.Status)
		}
		for _, x := range r.Resources {
			if calm && x.Failed != "" {
				t.Errorf("%s %s/%s: no loss, and %s failed: %s", what, r.Variant, r.Proto, x.URL, x.Failed)
			}
			// Whatever the loss, a resource gets the status the page
			// declares; an edge's 502 comes only from a failure.
			if x.Unexpected && (calm || x.Status != 502) {
				t.Errorf("%s %s/%s: %s answered %d, a status the page does not declare", what, r.Variant, r.Proto, x.URL, x.Status)
			}
		}
	}
}
