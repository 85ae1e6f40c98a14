package scenario

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"httpsim/sim/tls"
	"httpsim/sim/units"
)

// TestRandomProtocolSettingsNeverBreak is TestRandomSettingsNeverBreak
// for the protocol controls: TLS versions, 0-RTT accepted or rejected, schedulers, HTTP/1.1's
// connections and pipelining, repeat visits, server resets and loss in
// both directions, at 800 random settings. It found a server that wrote
// its TLS session tickets after closing (0-RTT with HTTP/1.0), and HTTP/2
// requests never sent again after a reset during the handshake.
func TestRandomProtocolSettingsNeverBreak(t *testing.T) {
	forRandomLessons(t, 12, 800, func(i int, rng *rand.Rand, name string, s *Scenario) {
		rtt := []time.Duration{time.Millisecond, 20 * time.Millisecond, 100 * time.Millisecond, 300 * time.Millisecond}[rng.IntN(4)]
		bw := []units.Rate{units.Mbps, 10 * units.Mbps, 100 * units.Mbps}[rng.IntN(3)]
		loss := []float64{0, 0, 0, 0.01, 0.05}[rng.IntN(5)]
		upLoss := rng.IntN(3) == 0
		tv := []tls.Version{tls.None, tls.TLS12, tls.TLS13}[rng.IntN(3)]
		zero := tv == tls.TLS13 && rng.IntN(2) == 0
		sched := []string{"seq", "rr", "urgency"}[rng.IntN(3)]
		conns := []int{1, 2, 6}[rng.IntN(3)]
		pipe := rng.IntN(3) == 0
		repeat := rng.IntN(4) == 0
		var reset time.Duration
		if rng.IntN(5) == 0 {
			reset = time.Duration(rng.IntN(2000)+1) * time.Millisecond
		}
		seed := rng.Uint64N(1000) + 1
		// Drawn last, so that the settings above stay those the test
		// drew before rejection existed (for each draw that reaches it).
		reject := zero && rng.IntN(3) == 0
		runs := allRuns(s)
		for _, x := range runs {
			x.Network.RTT, x.Network.Bandwidth, x.Seed = rtt, bw, seed
			l := randomLoss(loss)
			x.Network.Down.Loss = l
			if upLoss {
				x.Network.Up.Loss = l
			}
			if x.Workload == WorkloadPage {
				x.TLS.Version = tv
				x.TLS.Resume, x.TLS.EarlyData, x.TLS.RejectEarlyData = zero, zero, reject
				x.H2.Scheduler, x.H3.Scheduler = sched, sched
				x.H1.MaxConns = conns
				x.H1.Pipelining = pipe
				if pipe && x.H1.MaxPipeline == 0 {
					x.H1.MaxPipeline = 6
				}
				x.Visit.Repeat = repeat
				if reset > 0 {
					x.Network.ServerResets = []time.Duration{reset}
				}
			}
		}
		what := fmt.Sprintf("%d %s rtt %v bw %v loss %v up %v tls %s 0rtt %v reject %v sched %s conns %d pipe %v repeat %v reset %v seed %d", i, name, rtt, bw, loss, upLoss, tv, zero, reject, sched, conns, pipe, repeat, reset, seed)
		// Without random loss every page loads, reset or not.
		checkRandomRun(t, what, s, loss == 0)
	})
}
