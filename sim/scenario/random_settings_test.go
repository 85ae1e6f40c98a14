package scenario

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/units"
)

// Every lesson, run at random settings a teacher's sliders reach (round
// trips of 1 ms to 1 s, 1 Mbit/s to 1 Gbit/s, random or bursty loss up to
// 8 %, moves to another network), runs to its end without a panic, splits
// its bytes on the wire exactly, and, without loss or a move, loads its
// page. The review of this stop found crashes and stalls only such
// combinations reach (a move during the handshake, a small HPACK table
// after a move, a burst outlasting every back-off).
func TestRandomSettingsNeverBreak(t *testing.T) {
	forRandomLessons(t, 11, 400, func(i int, rng *rand.Rand, name string, s *Scenario) {
		rtt := []time.Duration{time.Millisecond, 20 * time.Millisecond, 100 * time.Millisecond, 300 * time.Millisecond, time.Second}[rng.IntN(5)]
		bw := []units.Rate{units.Mbps, 5 * units.Mbps, 20 * units.Mbps, 100 * units.Mbps, units.Gbps}[rng.IntN(5)]
		loss := []float64{0, 0, 0.005, 0.01, 0.03, 0.08}[rng.IntN(6)]
		burst := rng.IntN(2) == 0
		var move time.Duration
		if rng.IntN(4) == 0 {
			move = []time.Duration{50, 200, 500, 1500}[rng.IntN(4)] * time.Millisecond
		}
		seed := rng.Uint64N(1000) + 1
		runs := allRuns(s)
		hpackTable := []uint32{0, 100, 4096}[rng.IntN(3)]
		qpackTable := []uint64{0, 4096}[rng.IntN(2)]
		for _, x := range runs {
			x.Network.RTT, x.Network.Bandwidth, x.Seed = rtt, bw, seed
			if x.Workload == WorkloadPage {
				x.H2.HeaderTableSize = hpackTable
				x.H3.QPACKTableCapacity, x.H3.QPACKBlockedStreams = qpackTable, min(qpackTable, 16)
			}
			l := randomLoss(loss)
			if loss > 0 && burst {
				l = link.Loss{Model: link.Burst, Rate: loss, MeanBurst: 5}
			}
			x.Network.Down.Loss = l
			if move > 0 && x.Workload == WorkloadPage {
				x.Network.PathChanges = []PathChange{{At: move}}
			}
		}
		what := fmt.Sprintf("%d %s rtt %v bw %v loss %s burst %v move %v hpack %d qpack %d seed %d", i, name, rtt, bw, units.Percent(loss), burst, move, hpackTable, qpackTable, seed)
		checkRandomRun(t, what, s, loss == 0 && s.Workload == WorkloadPage)
	})
}
