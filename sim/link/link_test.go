package link

import (
	"math"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

type testPacket struct {
	id      int64
	size    int
	payload bool
}

func (p *testPacket) WireSize() int    { return p.size }
func (p *testPacket) HasPayload() bool { return p.payload }
func (p *testPacket) Describe(e *trace.Event) {
	e.PN = p.id
	e.Size = int64(p.size)
}

type sink struct {
	got []sim.Time
	ids []int64
}

func (s *sink) Receive(now sim.Time, p Packet) {
	s.got = append(s.got, now)
	s.ids = append(s.ids, p.(*testPacket).id)
}

func baseConfig() Config {
	return Config{Bandwidth: 10 * units.Mbps, Delay: 50 * time.Millisecond, QueueBytes: 1 << 20}
}

func TestSerialisationAndPropagation(t *testing.T) {
	loop := sim.NewLoop(sim.Limits{})
	var s sink
	l := New(loop, trace.NewLog(false), "down", baseConfig(), 1, &s)
	loop.After(0, func(now sim.Time) {
		l.Send(now, &testPacket{id: 1, size: 1500, payload: true})
		l.Send(now, &testPacket{id: 2, size: 1500, payload: true})
	})
	loop.Run(0)
	// 1500 bytes at 10 Mbps take 1.2 ms; then 50 ms of propagation. The
	// second packet waits for the first to finish serialising.
	want := []sim.Time{sim.At(51200 * time.Microsecond), sim.At(52400 * time.Microsecond)}
	if len(s.got) != 2 || s.got[0] != want[0] || s.got[1] != want[1] {
		t.Errorf("arrivals = %v; want %v", s.got, want)
	}
}

func TestDropTail(t *testing.T) {
	loop := sim.NewLoop(sim.Limits{})
	var s sink
	cfg := baseConfig()
	cfg.QueueBytes = 3000
	log := trace.NewLog(true)
	l := New(loop, log, "down", cfg, 1, &s)
	loop.After(0, func(now sim.Time) {
		for i := int64(1); i <= 5; i++ {
			l.Send(now, &testPacket{id: i, size: 1500, payload: true})
		}
	})
	loop.Run(0)
	if len(s.ids) != 2 || s.ids[0] != 1 || s.ids[1] != 2 {
		t.Errorf("delivered %v; want [1 2]", s.ids)
	}
	if st := l.Stats(); st.DroppedQueue != 3 {
		t.Errorf("DroppedQueue = %d; want 3", st.DroppedQueue)
	}
	for _, e := range log.Events() {
		if e.Kind != trace.PacketDropped || e.Name != "queue_full" || e.Value != "down" || e.Side != trace.Network {
			t.Errorf("event %+v; want a queue_full drop on down by the network", e)
		}
	}
}

// offer sends n packets spaced so the queue never fills, every other one a
// pure ACK if mixed, and returns the link.
func offer(t *testing.T, cfg Config, seed sim.Seed, n int, mixed bool) (*Link, *trace.Log) {
	t.Helper()
	loop := sim.NewLoop(sim.Limits{})
	log := trace.NewLog(true)
	var s sink
	l := New(loop, log, "down", cfg, seed, &s)
	gap := cfg.Bandwidth.TxTime(1500) + time.Microsecond
	var i int64
	var tick *sim.Timer
	tick = loop.NewTimer(func(now sim.Time) {
		i++
		l.Send(now, &testPacket{id: i, size: 1500, payload: !mixed || i%2 == 1})
		if i < int64(n) {
			tick.Set(now.Add(gap))
		}
	})
	tick.Set(0)
	loop.Run(0)
	return l, log
}

// A burst is a stretch of time: silence lets the chain move on, one step
// per burstIdleStep, so packets far apart meet a channel that has mostly
// forgotten the last loss. The chain used to step per packet only, and a
// loss was then followed by another four times in five, however long the
// sender waited.
func TestBurstEndsWhileIdle(t *testing.T) {
	const n = 200000
	cfg := baseConfig()
	cfg.Loss = Loss{Model: Burst, Rate: 0.02, MeanBurst: 5}
	// The textbook chain's n-step probability of Bad from Bad.
	r := 1 / cfg.Loss.MeanBurst
	p := cfg.Loss.Rate * r / (1 - cfg.Loss.Rate)
	pi := p / (p + r)
	for _, gap := range []time.Duration{time.Second, 5 * time.Second} {
		// The link is idle for the gap less the packet's own time.
		steps := 1 + int((gap-cfg.Bandwidth.TxTime(1500))/burstIdleStep)
		want := pi + (1-pi)*math.Pow(1-p-r, float64(steps))
		loop := sim.NewLoop(sim.Limits{})
		var s sink
		l := New(loop, trace.NewLog(false), "down", cfg, 4, &s)
		var i int64
		var tick *sim.Timer
		tick = loop.NewTimer(func(now sim.Time) {
			i++
			l.Send(now, &testPacket{id: i, size: 1500, payload: true})
			if i < n {
				tick.Set(now.Add(gap)) // like a retransmission timer
			}
		})
		tick.Set(0)
		loop.Run(0)
		st := l.Stats()
		rate := float64(st.DroppedLoss) / n
		again := 1 - float64(st.LossEvents)/float64(st.DroppedLoss) // P(lost | previous lost)
		t.Logf("one packet every %v: rate %.4f, P(lost after a loss) %.4f, chain predicts %.4f", gap, rate, again, want)
		if math.Abs(rate-0.02)/0.02 > 0.1 {
			t.Errorf("%v apart: loss rate = %.4f; want 0.02 ± 10%%", gap, rate)
		}
		// About 4,000 losses: the standard error of P(lost after a
		// loss) is under 0.005. Stepping per packet gives 0.8.
		if math.Abs(again-want) > 0.015 {
			t.Errorf("%v apart: P(lost after a loss) = %.4f; want %.4f ± 0.015", gap, again, want)
		}
	}
}

// The n-step probabilities agree with stepping the chain n times.
func TestGilbertElliottBadAfter(t *testing.T) {
	g := newGilbertElliott(0.05, 4)
	for _, start := range []bool{false, true} {
		bad := 0.0 // P(Bad) after k single steps
		if start {
			bad = 1
		}
		for k := int64(1); k <= 64; k++ {
			bad = bad*(1-g.r) + (1-bad)*g.p
			g.bad = start
			if got := g.badAfter(k); math.Abs(got-bad) > 1e-12 {
				t.Errorf("badAfter(%d) from bad=%v = %.15f; want %.15f", k, start, got, bad)
			}
		}
	}
}

func TestBernoulliRate(t *testing.T) {
	cfg := baseConfig()
	cfg.Loss = Loss{Model: Bernoulli, Rate: 0.05}
	l, _ := offer(t, cfg, 3, 100000, false)
	st := l.Stats()
	rate := float64(st.DroppedLoss) / float64(st.Packets)
	// 100000 draws: the standard error is 0.07%; 0.3% is over 4 of them.
	if math.Abs(rate-0.05) > 0.003 {
		t.Errorf("loss rate = %.4f; want 0.05 ± 0.003", rate)
	}
}

// Packets back to back lose in bursts of the mean length asked for, on a
// fast link and on one slow enough that a full-size packet takes longer
// than the chain's idle step (it once counted as idle time there, and
// halved the bursts below 120 kbit/s).
func TestBurstLoss(t *testing.T) {
	const n = 200000
	for _, bw := range []units.Rate{10 * units.Mbps, 100 * units.Kbps} {
		bern := baseConfig()
		bern.Bandwidth = bw
		bern.Loss = Loss{Model: Bernoulli, Rate: 0.02}
		burst := bern
		burst.Loss = Loss{Model: Burst, Rate: 0.02, MeanBurst: 5}
		lb, _ := offer(t, bern, 9, n, false)
		lg, _ := offer(t, burst, 9, n, false)
		sb, sg := lb.Stats(), lg.Stats()
		rate := float64(sg.DroppedLoss) / n
		meanBurst := float64(sg.DroppedLoss) / float64(sg.LossEvents)
		t.Logf("%v: bernoulli: %d lost in %d events; burst: %d lost in %d events, mean burst %.2f, rate %.4f",
			bw, sb.DroppedLoss, sb.LossEvents, sg.DroppedLoss, sg.LossEvents, meanBurst, rate)
		if sg.LossEvents >= sb.LossEvents {
			t.Errorf("%v: burst loss events = %d; want fewer than Bernoulli's %d", bw, sg.LossEvents, sb.LossEvents)
		}
		if math.Abs(meanBurst-5)/5 > 0.2 {
			t.Errorf("%v: mean burst = %.2f; want 5 ± 20%%", bw, meanBurst)
		}
		if math.Abs(rate-0.02)/0.02 > 0.2 {
			t.Errorf("%v: burst loss rate = %.4f; want 0.02 ± 20%%", bw, rate)
		}
	}
}

func TestDataOnlySparesAcks(t *testing.T) {
	cfg := baseConfig()
	cfg.Loss = Loss{Model: Bernoulli, Rate: 0.5, DataOnly: true}
	_, log := offer(t, cfg, 5, 2000, true)
	lost := 0
	for _, e := range log.Events() {
		if e.Kind == trace.PacketDropped {
			lost++
			if e.PN%2 == 0 {
				t.Fatalf("pure ACK %d was lost with DataOnly", e.PN)
			}
		}
	}
	if lost < 400 || lost > 600 {
		t.Errorf("lost %d of 1000 data packets at 50%%; want about 500", lost)
	}
}

func TestScriptedDrop(t *testing.T) {
	cfg := baseConfig()
	cfg.Drop = []int{7, 3}
	_, log := offer(t, cfg, 1, 30, true) // odd ids carry payload
	var got []int64
	for _, e := range log.Events() {
		if e.Kind == trace.PacketDropped {
			if e.Name != "scripted" {
				t.Errorf("drop reason %q; want scripted", e.Name)
			}
			got = append(got, e.PN)
		}
	}
	// Payload packets are ids 1, 3, 5, ...: the 3rd is id 5, the 7th id 13.
	if len(got) != 2 || got[0] != 5 || got[1] != 13 {
		t.Errorf("dropped ids %v; want [5 13]", got)
	}
}

// A cut link's drops say so: they were traced as an "outage", the name of a
// scripted window in a path that stays, in the migration lesson.
func TestCutLinkDropsArePathDown(t *testing.T) {
	cfg := baseConfig()
	loop := sim.NewLoop(sim.Limits{})
	log := trace.NewLog(true)
	var s sink
	l := New(loop, log, "down", cfg, 1, &s)
	gap := cfg.Bandwidth.TxTime(1500) + time.Microsecond
	for i := range 20 {
		loop.After(sim.At(time.Duration(i)*gap), func(now sim.Time) {
			l.Send(now, &testPacket{id: int64(i + 1), size: 1500, payload: true})
		})
	}
	// Cut while packets are in flight (the path's delay is longer than
	// the ten sends before it) and before the last ten are sent.
	loop.After(sim.At(10*gap), func(sim.Time) { l.Cut() })
	loop.Run(0)
	dropped := 0
	for _, e := range log.Events() {
		if e.Kind == trace.PacketDropped {
			dropped++
			if e.Name != DropPathDown {
				t.Errorf("packet %d dropped as %q; want %q", e.PN, e.Name, DropPathDown)
			}
		}
	}
	if st := l.Stats(); dropped != 20 || st.Delivered != 0 || st.DroppedOutage != 20 {
		t.Errorf("%d drops traced, stats %+v; want all 20 lost on the cut path", dropped, st)
	}
}

func TestOutage(t *testing.T) {
	cfg := baseConfig()
	cfg.Outages = []Outage{{From: 10 * time.Millisecond, To: 20 * time.Millisecond}}
	l, log := offer(t, cfg, 1, 40, false)
	gap := cfg.Bandwidth.TxTime(1500) + time.Microsecond
	for _, e := range log.Events() {
		if e.Kind != trace.PacketDropped || e.Name != "outage" {
			t.Fatalf("unexpected event %+v", e)
		}
		if e.At < sim.At(10*time.Millisecond) || e.At >= sim.At(20*time.Millisecond) {
			t.Errorf("outage drop at %v; want within [10ms, 20ms)", e.At)
		}
	}
	want := int64(0)
	for i := 0; i < 40; i++ {
		done := time.Duration(i)*gap + cfg.Bandwidth.TxTime(1500)
		if done >= 10*time.Millisecond && done < 20*time.Millisecond {
			want++
		}
	}
	if l.Stats().DroppedOutage != want || want == 0 {
		t.Errorf("DroppedOutage = %d; want %d", l.Stats().DroppedOutage, want)
	}
}

func TestLossIsDeterministicPerSeed(t *testing.T) {
	cfg := baseConfig()
	cfg.Loss = Loss{Model: Burst, Rate: 0.05, MeanBurst: 3}
	pattern := func(seed sim.Seed) string {
		_, log := offer(t, cfg, seed, 3000, false)
		b := make([]byte, 3001)
		for i := range b {
			b[i] = '.'
		}
		for _, e := range log.Events() {
			b[e.PN] = 'x'
		}
		return string(b)
	}
	a, b, c := pattern(11), pattern(11), pattern(12)
	if a != b {
		t.Error("the same seed gave different loss patterns")
	}
	if a == c {
		t.Error("different seeds gave the same loss pattern")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"zero bandwidth", func(c *Config) { c.Bandwidth = 0 }, "bandwidth: 0bps is out of range (1bps to 100Gbps)"},
		{"negative delay", func(c *Config) { c.Delay = -time.Millisecond }, "delay: -1ms is out of range (0 to 10s)"},
		{"tiny queue", func(c *Config) { c.QueueBytes = 100 }, "queue_bytes: 100 is out of range (1500 to 1GiB)"},
		{"loss 150%", func(c *Config) { c.Loss = Loss{Model: Bernoulli, Rate: 1.5} }, "loss.rate: 150% is out of range (0% to 99.9%)"},
		{"unknown model", func(c *Config) { c.Loss = Loss{Model: "pareto"} }, `loss.model: "pareto" is not a loss model (use none, bernoulli or burst)`},
		{"burst below 1", func(c *Config) { c.Loss = Loss{Model: Burst, Rate: 0.01, MeanBurst: 0.5} }, "loss.mean_burst: 0.5 is out of range (1 to 1000 packets)"},
		{"loss 99.95%", func(c *Config) { c.Loss = Loss{Model: Bernoulli, Rate: 0.9995} }, "loss.rate: 99.95% is out of range (0% to 99.9%)"},
		// A rate with no model used to be accepted, shown, and never applied.
		{"rate without a model", func(c *Config) { c.Loss = Loss{Rate: 0.05} }, "loss.rate: 5% needs loss.model bernoulli or burst"},
		// Bursts of B packets lose at most B/(B+1): 90 % with bursts of
		// one packet measured 50 %.
		{"burst rate unreachable", func(c *Config) { c.Loss = Loss{Model: Burst, Rate: 0.9, MeanBurst: 1} }, "loss.rate: 90% is more than bursts of 1 packets allow (at most 50%)"},
		{"drop 0", func(c *Config) { c.Drop = []int{3, 0} }, "drop[1]: 0 is out of range (packet ordinals count from 1)"},
		// The first of each problem only: 100,000 zeros gave 100,000
		// lines; a zero twice is out of range, not also a repeat.
		{"drops out of range and repeated", func(c *Config) { c.Drop = []int{0, 0, -1, 2, 2, 2} },
			"drop[0]: 0 is out of range (packet ordinals count from 1)\ndrop[4]: packet 2 is drop[3] already; list each once"},
		{"backwards outage", func(c *Config) { c.Outages = []Outage{{From: time.Second, To: time.Second}} }, "outages[0]: from 1s to 1s is not a window (need 0 <= from < to)"},
	}
	for _, tt := range tests {
		c := baseConfig()
		tt.mod(&c)
		err := c.Validate()
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: Validate() = %v; want %q", tt.name, err, tt.want)
		}
	}
	if err := baseConfig().Validate(); err != nil {
		t.Errorf("base config: Validate() = %v; want nil", err)
	}
}

// recyclable counts the times the link hands it back.
type recyclable struct {
	testPacket
	recycled int
}

func (p *recyclable) Recycle() { p.recycled++ }

func TestDroppedPacketsAreRecycled(t *testing.T) {
	loop := sim.NewLoop(sim.Limits{})
	var got []Packet
	cfg := baseConfig()
	cfg.QueueBytes = 3000
	l := New(loop, trace.NewLog(true), "down", cfg, 1, receiverFunc(func(_ sim.Time, p Packet) { got = append(got, p) }))
	var sent []*recyclable
	loop.After(0, func(now sim.Time) {
		for i := int64(1); i <= 4; i++ {
			p := &recyclable{testPacket: testPacket{id: i, size: 1500, payload: true}}
			sent = append(sent, p)
			l.Send(now, p)
		}
	})
	loop.Run(0)
	if len(got) != 2 {
		t.Fatalf("delivered %d packets; want 2", len(got))
	}
	for i, p := range sent {
		want := 0
		if i >= 2 {
			want = 1 // dropped: the queue holds two
		}
		if p.recycled != want {
			t.Errorf("packet %d recycled %d times; want %d", p.id, p.recycled, want)
		}
	}
}

type receiverFunc func(now sim.Time, p Packet)

func (f receiverFunc) Receive(now sim.Time, p Packet) { f(now, p) }
