package quic

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
)

// TestEveryLossPatternEnds runs many seeds of heavy random and bursty loss
// in both directions, through the handshake and the transfer.
func TestEveryLossPatternEnds(t *testing.T) {
	resumed := DefaultConfig()
	resumed.Resume, resumed.EarlyData = true, true
	big := DefaultConfig()
	big.CertChain = 9000
	small := DefaultConfig()
	small.InitialMaxStreamDataBidiLocal = 8000
	small.InitialMaxData = 20000
	small.InitialMaxStreamsBidi = 1
	rr := DefaultConfig()
	rr.Scheduler = SchedulerRoundRobin
	for _, tc := range []struct {
		name string
		cfg  Config
	}{{"first", DefaultConfig()}, {"0-RTT", resumed}, {"large chain", big}, {"small windows", small}, {"rr", rr}} {
		for _, loss := range []link.Loss{{Model: link.Bernoulli, Rate: 0.2}, {Model: link.Bernoulli, Rate: 0.5}, {Model: link.Burst, Rate: 0.2, MeanBurst: 8}} {
			done := 0
			for seed := sim.Seed(1); seed <= 60; seed++ {
				p := newPair(t, pairOpts{cfg: tc.cfg, seed: seed, noKeep: true, maxTime: 60 * time.Minute,
					up: link.Config{Loss: loss}, down: link.Config{Loss: loss}})
				twoResponses(t, p, 60000, nil)
				p.start()
				p.run()
				// Either both responses arrive, or the client gives up
				// after the idle timeout; never a stall with timers
				// pending forever, nor a loop run dry.
				if p.capp.finCount == 2 {
					done++
				}
				if p.capp.finCount != 2 && p.capp.closed != "idle_timeout" {
					t.Errorf("%s, loss %v, seed %d: %d of 2 responses after %v, closed %q %q", tc.name, loss, seed, p.capp.finCount, p.loop.Now(), p.capp.closed, p.sapp.closed)
				}
			}
			t.Logf("%-13s %-9s %3.0f%% (burst %v): %2d of 60 completed, the rest timed out idle", tc.name, loss.Model, loss.Rate*100, loss.MeanBurst, done)
		}
	}
}
