package updates

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/tcp"
	"httpsim/sim/tls"
	"httpsim/sim/topo"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// net is the network of a test: the course's default path unless a test
// changes it.
type net struct {
	rtt   time.Duration
	bw    units.Rate
	loss  float64
	drop  []int // scripted drops on the down link
	tls   tls.Version
	keep  bool
	limit time.Duration
}

func defaultNet() net {
	return net{rtt: 100 * time.Millisecond, bw: 10 * units.Mbps, tls: tls.TLS13}
}

// outcome is a finished run with its trace.
type outcome struct {
	run *Run
	res Result
	log *trace.Log
}

// runUpdates runs cfg on n with seed to the end.
func runUpdates(t *testing.T, cfg Config, n net, seed sim.Seed) outcome {
	t.Helper()
	limit := n.limit
	if limit == 0 {
		limit = 24 * time.Hour
	}
	loop := sim.NewLoop(sim.Limits{MaxTime: sim.At(limit)})
	log := trace.NewLog(n.keep)
	mk := func(drop []int) link.Config {
		c := link.Config{Bandwidth: n.bw, Delay: n.rtt / 2, QueueBytes: 1 << 20, Drop: drop}
		if n.loss > 0 {
			c.Loss = link.Loss{Model: link.Bernoulli, Rate: n.loss}
		}
		return c
	}
	path := topo.NewPath(loop, log, seed, mk(nil), mk(n.drop))
	tlsCfg := tls.DefaultConfig()
	tlsCfg.Version = n.tls
	r, err := Start(loop, log, path, tcp.DefaultConfig(), tlsCfg, cfg, seed)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	loop.Run(0)
	return outcome{run: r, res: r.Result(), log: log}
}

// withMode returns the default configuration with mode m.
func withMode(m Mode) Config {
	c := DefaultConfig()
	c.Mode = m
	return c
}
