package tcp

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/host"
	"httpsim/sim/link"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// pair is a client and a server connected by a symmetric path.
type pair struct {
	loop           *sim.Loop
	log            *trace.Log
	client, server *Conn
	up, down       *link.Link
	sink           *sink
	source         *source
}

type pairOpts struct {
	cfg       Config
	rtt       time.Duration
	bw        units.Rate
	down, up  link.Config // Loss, Drop, Outages are taken from these
	size      int64
	clientISS *Seq
}

func newPair(t *testing.T, o pairOpts) *pair {
	t.Helper()
	if o.rtt == 0 {
		o.rtt = 100 * time.Millisecond
	}
	if o.bw == 0 {
		o.bw = 10 * units.Mbps
	}
	p := &pair{loop: sim.NewLoop(sim.Limits{MaxTime: sim.At(10 * time.Minute)}), log: trace.NewLog(true)}
	mk := func(c link.Config) link.Config {
		c.Bandwidth = o.bw
		c.Delay = o.rtt / 2
		if c.QueueBytes == 0 {
			c.QueueBytes = 64 << 20
		}
		return c
	}
	ch, sh := host.New("client", nil), host.New("server", nil)
	p.up = link.New(p.loop, p.log, "up", mk(o.up), 1, sh)
	p.down = link.New(p.loop, p.log, "down", mk(o.down), 1, ch)
	ch.SetLink(p.up)
	sh.SetLink(p.down)
	seed := sim.Seed(1)
	p.client = NewConn(0, trace.Client, o.cfg, p.loop, p.log, ch, seed.Stream("c"))
	p.server = NewConn(0, trace.Server, o.cfg, p.loop, p.log, sh, seed.Stream("s"))
	if o.clientISS != nil {
		p.client.snd.iss = *o.clientISS
		p.server.snd.iss = *o.clientISS - 1000
	}
	ch.Attach(0, p.client)
	sh.Attach(0, p.server)
	p.sink = &sink{loop: p.loop, want: o.size}
	p.source = &source{conn: p.server, size: o.size}
	p.client.SetHandler(p.sink)
	p.server.SetHandler(p.source)
	p.server.Listen()
	p.loop.After(0, p.client.Connect)
	return p
}

func (p *pair) run() { p.loop.Run(0) }

// events returns the kept events of kind k seen from side.
func (p *pair) events(k trace.Kind, side trace.Side) []trace.Event {
	var out []trace.Event
	for _, e := range p.log.Events() {
		if e.Kind == k && e.Side == side {
			out = append(out, e)
		}
	}
	return out
}

type source struct {
	conn        *Conn
	size        int64
	established sim.Time
}

func (s *source) OnEstablished(now sim.Time) {
	s.established = now
	if s.size > 0 {
		s.conn.WriteFiller(now, s.size)
		s.conn.Close(now)
	}
}
func (s *source) OnData(sim.Time, bytestream.Slice, Arrival) {}
func (s *source) OnPeerClose(sim.Time)                       {}

type sink struct {
	loop        *sim.Loop
	want, got   int64
	done        sim.Time
	closed      sim.Time
	established sim.Time
	data        []byte
	keepBytes   bool
	// runOn: the peer's FIN does not stop the loop, so the last ACKs
	// reach the server.
	runOn bool
}

func (s *sink) OnEstablished(now sim.Time) { s.established = now }
func (s *sink) OnData(now sim.Time, d bytestream.Slice, _ Arrival) {
	s.got += d.N
	if s.keepBytes {
		s.data = append(s.data, d.Bytes()...)
	}
	if s.want > 0 && s.got >= s.want && s.done == 0 {
		s.done = now
	}
}
func (s *sink) OnPeerClose(now sim.Time) {
	s.closed = now
	if !s.runOn {
		s.loop.Stop()
	}
}
