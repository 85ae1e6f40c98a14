package quic

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/host"
	"httpsim/sim/link"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// pair is a client and a server joined by a symmetric path.
type pair struct {
	loop           *sim.Loop
	log            *trace.Log
	client, server *Conn
	ch, sh         *host.Host
	up, down       *link.Link
	capp, sapp     *app
}

type pairOpts struct {
	cfg      Config
	rtt      time.Duration
	bw       units.Rate
	up, down link.Config // Loss, Drop, Outages, QueueBytes are taken from these
	seed     sim.Seed
	noKeep   bool
	maxTime  time.Duration
}

func newPair(t testing.TB, o pairOpts) *pair {
	t.Helper()
	if o.cfg.MaxDatagramSize == 0 {
		o.cfg = DefaultConfig()
	}
	if err := o.cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if o.rtt == 0 {
		o.rtt = 100 * time.Millisecond
	}
	if o.bw == 0 {
		o.bw = 10 * units.Mbps
	}
	if o.seed == 0 {
		o.seed = 1
	}
	if o.maxTime == 0 {
		o.maxTime = 10 * time.Minute
	}
	p := &pair{loop: sim.NewLoop(sim.Limits{MaxTime: sim.At(o.maxTime)}), log: trace.NewLog(!o.noKeep)}
	mk := func(c link.Config) link.Config {
		c.Bandwidth = o.bw
		c.Delay = o.rtt / 2
		if c.QueueBytes == 0 {
			c.QueueBytes = 64 << 20
		}
		return c
	}
	p.ch, p.sh = host.New("client", nil), host.New("server", nil)
	p.up = link.New(p.loop, p.log, "up", mk(o.up), o.seed, p.sh)
	p.down = link.New(p.loop, p.log, "down", mk(o.down), o.seed, p.ch)
	p.ch.SetLink(p.up)
	p.sh.SetLink(p.down)
	p.client = NewConn(0, trace.Client, o.cfg, p.loop, p.log, p.ch, o.seed.Stream("quic/0/client"))
	p.server = NewConn(0, trace.Server, o.cfg, p.loop, p.log, p.sh, o.seed.Stream("quic/0/server"))
	p.ch.Attach(0, p.client)
	p.sh.Attach(0, p.server)
	p.capp = newApp(p.client)
	p.sapp = newApp(p.server)
	return p
}

func (p *pair) start() { p.loop.After(0, p.client.Connect) }

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

// streamRecord is what an app saw of one stream.
type streamRecord struct {
	bytes    int64
	first    sim.Time // first byte delivered
	fin      sim.Time
	arrivals []tcp.Arrival
	ranges   [][2]int64
	data     []byte
	// allowedAt: when the peer's stream limit let the stream send, -1 if
	// it never held it.
	allowedAt sim.Time
}

// app is a scriptable application: hooks run on the events it cares about,
// and it records every stream.
type app struct {
	c        *Conn
	ready    sim.Time
	hsDone   sim.Time
	opened   []uint64
	allowed  []uint64 // streams the peer's stream limit held, as allowed
	streams  map[uint64]*streamRecord
	keep     bool
	onReady  func(now sim.Time)
	onFin    func(now sim.Time, id uint64)
	onData   func(now sim.Time, id uint64, d bytestream.Slice, at tcp.Arrival)
	finCount int
	stopAt   int    // stop the loop after this many FINs (0: never)
	closed   string // why the connection ended, if it did
}

func newApp(c *Conn) *app {
	a := &app{c: c, streams: map[uint64]*streamRecord{}, ready: -1, hsDone: -1}
	c.SetHandler(a)
	return a
}

func (a *app) rec(id uint64) *streamRecord {
	r := a.streams[id]
	if r == nil {
		r = &streamRecord{first: -1, fin: -1, allowedAt: -1}
		a.streams[id] = r
	}
	return r
}

func (a *app) OnReady(now sim.Time) {
	a.ready = now
	if a.onReady != nil {
		a.onReady(now)
	}
}
func (a *app) OnHandshakeDone(now sim.Time)           { a.hsDone = now }
func (a *app) OnStreamOpened(now sim.Time, id uint64) { a.opened = append(a.opened, id) }
func (a *app) OnStreamAllowed(now sim.Time, id uint64) {
	if !a.c.StreamAllowed(id) {
		panic("OnStreamAllowed for a stream not allowed")
	}
	a.allowed = append(a.allowed, id)
	a.rec(id).allowedAt = now
}
func (a *app) OnStreamData(now sim.Time, id uint64, d bytestream.Slice, at tcp.Arrival) {
	r := a.rec(id)
	if r.first < 0 {
		r.first = now
	}
	if len(r.ranges) > 0 && r.ranges[len(r.ranges)-1][1] != d.Off {
		panic("out-of-order delivery")
	}
	r.bytes += d.N
	r.arrivals = append(r.arrivals, at)
	r.ranges = append(r.ranges, [2]int64{d.Off, d.Off + d.N})
	if a.keep {
		r.data = append(r.data, d.Bytes()...)
	}
	if a.onData != nil {
		a.onData(now, id, d, at)
	}
}
func (a *app) OnStreamFin(now sim.Time, id uint64) {
	a.rec(id).fin = now
	a.finCount++
	if a.onFin != nil {
		a.onFin(now, id)
	}
	if a.stopAt > 0 && a.finCount >= a.stopAt {
		a.c.loop.Stop()
	}
}
func (a *app) OnStreamReset(now sim.Time, id uint64, code uint64) {}
func (a *app) OnClosed(now sim.Time, reason string)               { a.closed = reason }

// requestResponse scripts a client that sends one request of reqSize bytes
// on a new bidirectional stream when ready, and a server that answers each
// finished request with respSize bytes.
func (p *pair) requestResponse(t testing.TB, reqSize, respSize int64) {
	p.capp.onReady = func(now sim.Time) {
		id, err := p.client.OpenStream(now, true)
		if err != nil {
			t.Fatalf("OpenStream: %v", err)
		}
		p.client.Write(now, id, make([]byte, reqSize))
		p.client.CloseStream(now, id)
	}
	p.sapp.onFin = func(now sim.Time, id uint64) {
		p.server.WriteFiller(now, id, respSize)
		p.server.CloseStream(now, id)
	}
	p.capp.stopAt = 1
}
