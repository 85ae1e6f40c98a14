package scenario

import (
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/host"
	"httpsim/sim/link"
	"httpsim/sim/tcp"
	"httpsim/sim/topo"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// Options are choices about a run that do not change what happens in it.
type Options struct {
	// KeepTrace keeps every event in the result's log; otherwise only the
	// hash and counters are kept, so long runs use constant memory.
	KeepTrace bool
	// Reuse, if set, is offered each page load's run key (see runKeys)
	// before the load runs. A run it returns, from an earlier result with
	// the same key, the same protocol and the same KeepTrace, takes the
	// load's place in the result unrun; nil runs the load. Every run of a
	// result made with Reuse carries its key.
	Reuse func(key string) *ProtocolRun
	// ClientTap, if set, sees every packet each page load's client host
	// (the browser's machine) sends or is delivered, as a capture there
	// would (host.Tap): the pcap exporter's capture point. It observes
	// only: a run's trace and hash are the same with or without it. A
	// load that Reuse answers is not run, so the tap sees nothing of it.
	ClientTap host.Tap
}

// Result is what a run produced.
type Result struct {
	Scenario string
	Seed     uint64
	// Status says how the run ended: "finished", "time limit" or
	// "event limit".
	Status string
	// Events is the number of events the engine fired.
	Events int64
	// TraceEvents is the number of trace events, TraceHash their digest.
	TraceEvents int64
	TraceHash   string
	// Duration is the simulated time at the end of the run.
	Duration time.Duration
	// Completion is when the last byte reached the client's application,
	// or -1 if the transfer did not complete.
	Completion     time.Duration
	BytesDelivered int64
	// Goodput is the application bytes delivered per second of the
	// transfer (up to completion, or over the whole run).
	Goodput units.Rate
	// SegmentsSent counts the server's segments with payload,
	// retransmissions included; SegmentsLost those the network dropped;
	// Retransmits the server's retransmissions.
	SegmentsSent, SegmentsLost, Retransmits int64
	// Timeouts and FastRecoveries count the server's loss recoveries.
	Timeouts, FastRecoveries int64
	// Down is the server-to-client link's counters.
	Down link.Stats
	// Log is the trace (its events kept if Options.KeepTrace); for a page
	// scenario, the first protocol's.
	Log *trace.Log
	// Runs holds one entry per protocol of a page scenario.
	Runs []*ProtocolRun
}

// Runner is a run in progress. The CLI runs it in one go; the browser runs it
// in slices so that the page never stops responding. A page scenario with
// several protocols runs them one after the other, each on a fresh network
// with the same seed.
type Runner struct {
	s      *Scenario
	opt    Options
	bulk   *bulkRun
	jobs   []job
	cur    int
	page   protocolRun // the job running or last run; nil if every job was reused
	key    string      // the running job's run key (with Options.Reuse)
	keys   runKeys
	runs   []*ProtocolRun
	done   bool
	result *Result
}

// Start validates s and builds its run without firing any event.
func Start(s *Scenario, opt Options) (*Runner, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	r := &Runner{s: s, opt: opt}
	if s.Workload == WorkloadBulk {
		r.bulk = newBulkRun(s, opt)
		return r, nil
	}
	r.jobs = s.jobs()
	r.done = !r.next()
	return r, nil
}

// next starts the job at r.cur, or the first after it that Options.Reuse
// does not answer; it reports false when no job is left to run.
func (r *Runner) next() bool {
	for ; r.cur < len(r.jobs); r.cur++ {
		j := r.jobs[r.cur]
		if r.opt.Reuse != nil {
			r.key = r.keys.key(j)
			if prev := r.reusable(j); prev != nil {
				run := *prev
				run.Variant = j.variant
				r.runs = append(r.runs, &run)
				continue
			}
		}
		r.page = newProtocolRun(j, r.opt)
		return true
	}
	return false
}

// reusable returns the run Options.Reuse offers for job j, if it may stand
// for j: same key, same protocol, events kept alike.
func (r *Runner) reusable(j job) *ProtocolRun {
	if r.key == "" {
		return nil
	}
	prev := r.opt.Reuse(r.key)
	if prev == nil || prev.Key != r.key || prev.Proto != j.proto || prev.Log == nil || prev.Log.Keeps() != r.opt.KeepTrace {
		return nil
	}
	return prev
}

// protocolRun is one job in progress: a page load or an updates run.
type protocolRun interface {
	engine() *sim.Loop
	traceLog() *trace.Log
	progress() float64
	finish() *ProtocolRun
}

func newProtocolRun(j job, opt Options) protocolRun {
	if j.s.Workload == WorkloadUpdates {
		return newUpdatesRun(j.s, opt)
	}
	return newPageRun(j.s, opt, j.proto)
}

// job is one page load to run: a scenario (or one of its variants) over one
// protocol.
type job struct {
	s       *Scenario
	proto   string
	variant string
}

// jobs lists the page loads a scenario asks for: each variant's protocols,
// or the scenario's own.
func (s *Scenario) jobs() []job {
	var out []job
	if s.Workload == WorkloadUpdates {
		if len(s.Variants) == 0 {
			return []job{{s: s, proto: string(s.Updates.Mode)}}
		}
		for _, v := range s.Variants {
			out = append(out, job{s: v.Scenario, proto: string(v.Scenario.Updates.Mode), variant: v.Name})
		}
		return out
	}
	if len(s.Variants) == 0 {
		for _, p := range s.Protocols {
			out = append(out, job{s: s, proto: p})
		}
		return out
	}
	for _, v := range s.Variants {
		for _, p := range v.Scenario.Protocols {
			out = append(out, job{s: v.Scenario, proto: p, variant: v.Name})
		}
	}
	return out
}

// limits returns the engine limits of s.
func (s *Scenario) limits() sim.Limits {
	limits := sim.Limits{MaxTime: sim.At(s.Limits.MaxTime), MaxEvents: s.Limits.MaxEvents}
	if limits.MaxTime == 0 {
		limits.MaxTime = sim.At(DefaultMaxTime)
	}
	if limits.MaxEvents == 0 {
		limits.MaxEvents = DefaultMaxEvents
	}
	return limits
}

// Step fires at most budget events (budget <= 0: all) and reports whether
// the run has ended.
func (r *Runner) Step(budget int64) bool {
	if r.done {
		return true
	}
	if r.bulk != nil {
		if r.bulk.loop.Run(budget) == sim.Running {
			return false
		}
		r.done = true
		return true
	}
	// One budget covers the whole call, across protocols: a caller that
	// yields between calls (the page) yields once per budget, not also
	// after every protocol.
	limited := budget > 0
	for {
		engine := r.page.engine()
		before := engine.Events()
		st := engine.Run(budget)
		if st == sim.Running {
			return false
		}
		if limited {
			budget -= engine.Events() - before
		}
		run := r.page.finish()
		run.Variant = r.jobs[r.cur].variant
		run.Key = r.key
		r.runs = append(r.runs, run)
		r.cur++
		if !r.next() {
			r.done = true
			return true
		}
		if limited && budget <= 0 {
			return false
		}
	}
}

// Progress estimates how far the run has got, from 0 to 1.
func (r *Runner) Progress() float64 {
	if r.done {
		return 1
	}
	if r.bulk != nil {
		return r.bulk.progress()
	}
	return (float64(r.cur) + r.page.progress()) / float64(len(r.jobs))
}

// Now is the simulated time reached so far in the current run.
func (r *Runner) Now() sim.Time {
	if r.bulk != nil {
		return r.bulk.loop.Now()
	}
	if r.page == nil {
		return 0 // every load was reused
	}
	return r.page.engine().Now()
}

// Log is the trace of the current run (the bulk transfer, or the protocol
// being run): tests and probes observe it. It is nil if Options.Reuse
// supplied every load.
func (r *Runner) Log() *trace.Log {
	if r.bulk != nil {
		return r.bulk.log
	}
	if r.page == nil {
		return nil
	}
	return r.page.traceLog()
}

// Server returns the bulk scenario's server connection, for probes and tests.
func (r *Runner) Server() *tcp.Conn { return r.bulk.server }

// Client returns the bulk scenario's client connection.
func (r *Runner) Client() *tcp.Conn { return r.bulk.client }

// Result returns the result; call it once Step has reported the end.
func (r *Runner) Result() *Result {
	if r.result != nil {
		return r.result
	}
	if r.bulk != nil {
		r.result = r.bulk.result()
		return r.result
	}
	res := &Result{Scenario: r.s.Name, Seed: r.s.Seed, Status: sim.Finished.String(), Completion: -1, Runs: r.runs}
	for _, run := range r.runs {
		res.Events += run.Events
		res.TraceEvents += run.TraceEvents
		if run.Status != sim.Finished.String() {
			res.Status = run.Status
		}
	}
	if len(r.runs) > 0 {
		res.TraceHash = r.runs[0].TraceHash
		res.Log = r.runs[0].Log
	}
	r.result = res
	return res
}

// Run runs s to its end.
func Run(s *Scenario, opt Options) (*Result, error) {
	r, err := Start(s, opt)
	if err != nil {
		return nil, err
	}
	r.Step(0)
	return r.Result(), nil
}

// bulkRun is the bulk scenario: one TCP transfer.
type bulkRun struct {
	s    *Scenario
	loop *sim.Loop
	log  *trace.Log

	client, server *tcp.Conn
	up, down       *link.Link
	sink           *bulkSink

	segsSent, segsLost int64
}

func newBulkRun(s *Scenario, opt Options) *bulkRun {
	limits := s.limits()
	if s.Bulk.Size == 0 && s.Bulk.Duration > 0 && sim.At(s.Bulk.Duration) < limits.MaxTime {
		limits.MaxTime = sim.At(s.Bulk.Duration)
	}
	r := &bulkRun{s: s, loop: sim.NewLoop(limits), log: trace.NewLog(opt.KeepTrace)}
	path := topo.NewPath(r.loop, r.log, sim.Seed(s.Seed), s.Network.linkConfig(s.Network.Up), s.Network.linkConfig(s.Network.Down))
	r.up, r.down = path.Up, path.Down
	r.client, r.server = path.NewTCP(s.TCP)
	r.sink = &bulkSink{loop: r.loop, want: int64(s.Bulk.Size), completion: -1}
	r.client.SetHandler(r.sink)
	r.server.SetHandler(&bulkSource{conn: r.server, size: int64(s.Bulk.Size)})
	r.log.Observe(r.count)
	r.loop.After(0, r.client.Connect)
	return r
}

func (r *bulkRun) count(e *trace.Event) {
	switch e.Kind {
	case trace.PacketSent:
		if e.Side == trace.Server && e.Len > 0 {
			r.segsSent++
		}
	case trace.PacketDropped:
		if e.Value == "down" {
			r.segsLost++
		}
	}
}

func (r *bulkRun) progress() float64 {
	if r.s.Bulk.Size > 0 {
		return float64(r.sink.got) / float64(r.s.Bulk.Size)
	}
	return float64(r.loop.Now()) / float64(r.loop.Limits().MaxTime)
}

func (r *bulkRun) result() *Result {
	st := r.server.SenderState()
	res := &Result{
		Scenario:       r.s.Name,
		Seed:           r.s.Seed,
		Status:         r.loop.Status().String(),
		Events:         r.loop.Events(),
		TraceEvents:    r.log.Len(),
		TraceHash:      r.log.HashString(),
		Duration:       r.loop.Now().Since0(),
		Completion:     -1,
		BytesDelivered: r.sink.got,
		SegmentsSent:   r.segsSent,
		SegmentsLost:   r.segsLost,
		Retransmits:    st.Retransmits,
		Timeouts:       st.Timeouts,
		FastRecoveries: st.FastRecoveries,
		Down:           r.down.Stats(),
		Log:            r.log,
	}
	span := res.Duration
	if r.sink.completion >= 0 {
		res.Completion = r.sink.completion.Since0()
		span = res.Completion
		res.Status = sim.Finished.String()
	}
	if span > 0 {
		res.Goodput = units.Rate(float64(res.BytesDelivered) * 8 / span.Seconds())
	}
	return res
}

// bulkSource is the server of the bulk scenario: once connected, it writes
// its whole response (or an endless one) and closes.
type bulkSource struct {
	conn *tcp.Conn
	size int64
}

func (b *bulkSource) OnEstablished(now sim.Time) {
	if b.size > 0 {
		b.conn.WriteFiller(now, b.size)
		b.conn.Close(now)
		return
	}
	// A flow that runs for the scenario's duration: more than the path can
	// carry in that time.
	b.conn.WriteFiller(now, 1<<50)
}

func (b *bulkSource) OnData(sim.Time, bytestream.Slice, tcp.Arrival) {}
func (b *bulkSource) OnPeerClose(sim.Time)                           {}

// bulkSink is the client: it counts what arrives and ends the run when the
// whole transfer has been delivered.
type bulkSink struct {
	loop       *sim.Loop
	want, got  int64
	completion sim.Time
}

func (b *bulkSink) OnEstablished(sim.Time) {}

func (b *bulkSink) OnData(now sim.Time, d bytestream.Slice, _ tcp.Arrival) {
	b.got += d.N
	if b.want > 0 && b.got >= b.want && b.completion < 0 {
		b.completion = now
		b.loop.Stop()
	}
}

func (b *bulkSink) OnPeerClose(sim.Time) {}
