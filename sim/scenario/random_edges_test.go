package scenario

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"httpsim/sim/units"
	"httpsim/sim/web"
)

// TestRandomEdgeSettingsNeverBreak is TestRandomSettingsNeverBreak with
// CDN edges (caching or not, warm or cold, following redirects, bypassed,
// HTTP/1.1 or HTTP/2 to the origin, lossy or not), moves, server resets,
// repeat visits, chunked bodies and protocol sets, at 800 random settings.
// It found an edge's HTTP/1.1 requests to the origin missing from the byte
// split, requests with bodies that an edge forwarded over HTTP/1.1 without
// them (the origin waited for ever), and a reset server that never answered
// a client whose RST was lost.
func TestRandomEdgeSettingsNeverBreak(t *testing.T) {
	forRandomLessons(t, 13, 800, func(i int, rng *rand.Rand, name string, s *Scenario) {
		rtt := []time.Duration{time.Millisecond, 20 * time.Millisecond, 100 * time.Millisecond, 300 * time.Millisecond}[rng.IntN(4)]
		bw := []units.Rate{units.Mbps, 10 * units.Mbps, 100 * units.Mbps}[rng.IntN(3)]
		loss := []float64{0, 0, 0.01, 0.05}[rng.IntN(4)]
		edge := rng.IntN(2) == 0
		ecache, ewarm, efollow, ebypass := rng.IntN(2) == 0, rng.IntN(2) == 0, rng.IntN(2) == 0, rng.IntN(4) == 0
		eproto := []string{"h1", "h2"}[rng.IntN(2)]
		eloss := []float64{0, 0, 0.02}[rng.IntN(3)]
		var move, reset time.Duration
		if rng.IntN(4) == 0 {
			move = time.Duration(rng.IntN(1500)+1) * time.Millisecond
		}
		if rng.IntN(5) == 0 {
			reset = time.Duration(rng.IntN(1500)+1) * time.Millisecond
		}
		repeat := rng.IntN(4) == 0
		protos := [][]string{{"h1"}, {"h2"}, {"h3"}, {"h1", "h2", "h3"}}[rng.IntN(4)]
		qpack := []uint64{0, 4096}[rng.IntN(2)]
		seed := rng.Uint64N(1000) + 1
		chunked := rng.IntN(3) == 0
		runs := allRuns(s)
		for _, x := range runs {
			x.Network.RTT, x.Network.Bandwidth, x.Seed = rtt, bw, seed
			x.Network.Down.Loss = randomLoss(loss)
			if x.Workload != WorkloadPage {
				continue
			}
			if len(s.Variants) == 0 {
				x.Protocols = protos
			}
			x.H3.QPACKTableCapacity, x.H3.QPACKBlockedStreams = qpack, min(qpack, 16)
			x.Visit.Repeat = repeat
			if chunked {
				for j := range x.Page.Resources {
					x.Page.Resources[j].Chunked = x.Page.Resources[j].Chunked || j%2 == 0
				}
			}
			if edge {
				x.Network.Edge = &EdgeNetwork{EdgeConfig: web.EdgeConfig{Cache: ecache, Warm: ewarm, FollowRedirects: efollow},
					RTT: 50 * time.Millisecond, Bandwidth: units.Gbps, Protocol: eproto, Bypass: ebypass}
				x.Network.Edge.Loss = randomLoss(eloss)
			}
			if move > 0 {
				x.Network.PathChanges = []PathChange{{At: move}}
			}
			if reset > 0 {
				x.Network.ServerResets = []time.Duration{reset}
			}
		}
		what := fmt.Sprintf("%d %s rtt %v bw %v loss %v edge %v(%v %v %v %v %s %v) move %v reset %v repeat %v protos %v qpack %d chunked %v seed %d", i, name, rtt, bw, loss, edge, ecache, ewarm, efollow, ebypass, eproto, eloss, move, reset, repeat, protos, qpack, chunked, seed)
		checkRandomRun(t, what, s, loss == 0 && eloss == 0)
	})
}
