package scenario

import (
	"time"

	"httpsim/sim"
	"httpsim/sim/topo"
	"httpsim/sim/trace"
	"httpsim/sim/updates"
)

// updatesRun is one delivery mode of an updates workload.
type updatesRun struct {
	s    *Scenario
	loop *sim.Loop
	log  *trace.Log
	run  *updates.Run
}

func newUpdatesRun(s *Scenario, opt Options) *updatesRun {
	r := &updatesRun{s: s, loop: sim.NewLoop(s.limits()), log: trace.NewLog(opt.KeepTrace)}
	path := topo.NewPath(r.loop, r.log, sim.Seed(s.Seed), s.Network.linkConfig(s.Network.Up), s.Network.linkConfig(s.Network.Down))
	run, err := updates.Start(r.loop, r.log, path, s.TCP, s.TLS, s.Updates, sim.Seed(s.Seed))
	if err != nil {
		panic(err) // the scenario was validated
	}
	r.run = run
	return r
}

func (r *updatesRun) engine() *sim.Loop    { return r.loop }
func (r *updatesRun) traceLog() *trace.Log { return r.log }
func (r *updatesRun) progress() float64    { return r.run.Progress() }

func (r *updatesRun) finish() *ProtocolRun {
	res := r.run.Result()
	run := &ProtocolRun{
		Proto: string(r.s.Updates.Mode), Status: res.Status, PLT: -1,
		Events: r.loop.Events(), TraceEvents: r.log.Len(), TraceHash: r.log.HashString(),
		PacketsSent: res.Packets, PacketsLost: res.PacketsLost, Retransmits: res.Retransmits,
		Connections: res.Connections, HeaderBytes: res.Wire.HTTPHeaders, HeaderUncompressed: res.Wire.HTTPHeaders,
		Wire: WireBytes{Total: res.Wire.Total, TCPIP: res.Wire.TCPIP, TLS: res.Wire.TLS,
			Headers: res.Wire.HTTPHeaders + res.Wire.WSFraming, Bodies: res.Wire.Payload, Retransmitted: res.Wire.Retransmitted},
		Updates: &res, Log: r.log,
	}
	for _, e := range res.PerEvent {
		// An update whose bytes had all arrived, held back behind an
		// earlier update's lost segment: the run's head-of-line total,
		// as a page's resources give theirs.
		run.HOL += time.Duration(e.HOLMs * float64(time.Millisecond))
	}
	if res.Status == "delivered" {
		// The last update's arrival, not the end of the run (a
		// WebSocket's closing handshake follows it).
		run.Status = sim.Finished.String()
		run.PLT = time.Duration(res.DoneMs * float64(time.Millisecond))
	}
	return run
}
