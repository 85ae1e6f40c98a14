package quic

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// lossLog records what loss detection concluded.
type lossLog struct {
	acked    []uint64
	lost     []uint64
	triggers []string
}

func (l *lossLog) onAcked(now sim.Time, p *sentPacket) { l.acked = append(l.acked, p.pn) }
func (l *lossLog) onLost(now sim.Time, p *sentPacket, trigger string) {
	l.lost = append(l.lost, p.pn)
	l.triggers = append(l.triggers, trigger)
}

// lossTest drives loss detection by hand, as x/net/quic's loss tests do.
type lossTest struct {
	t   *testing.T
	cfg Config
	r   *recovery
	log lossLog
	cc  *NewReno
}

func newLossTest(t *testing.T, confirmed bool) *lossTest {
	lt := &lossTest{t: t, cfg: DefaultConfig()}
	lt.cc = NewNewReno(lt.cfg.MaxDatagramSize)
	lt.r = newRecovery(&lt.cfg, false, lt.cc)
	lt.r.handshakeConfirmed = confirmed
	lt.r.addressValidatedByPeer = confirmed
	lt.r.hasHandshakeKeys = true
	return lt
}

func ms(x float64) sim.Time { return sim.Time(x * float64(time.Millisecond)) }

func (lt *lossTest) send(space wire.PacketNumberSpace, pn uint64, at sim.Time) {
	lt.r.onPacketSent(at, sentPacket{pn: pn, space: space, sent: at, size: 1200, ackEliciting: true, inFlight: true, largestAck: -1})
}

func (lt *lossTest) ack(space wire.PacketNumberSpace, at sim.Time, delay time.Duration, ranges ...wire.AckRange) {
	f := wire.NewAckFrame(ranges, 0)
	lt.r.onAck(at, space, f.Ranges, delay, 0, &lt.log)
}

func TestPacketAndTimeThresholds(t *testing.T) {
	app := wire.SpaceApplicationData
	tests := []struct {
		name string
		// packets 0..n-1 are sent at sentAt[i]; an ACK for acked arrives
		// at ackAt.
		sentAt  []sim.Time
		acked   []wire.AckRange
		ackAt   sim.Time
		lost    []uint64
		trigger string
		// timer: the loss detection timer after the ACK.
		timer sim.Time
	}{
		{
			// §6.1.1: packet 0 is lost once packet 3 (0 + kPacketThreshold)
			// is acknowledged.
			name:   "packet threshold",
			sentAt: []sim.Time{0, ms(1), ms(2), ms(3)}, acked: []wire.AckRange{{Smallest: 1, Largest: 3}}, ackAt: ms(100),
			lost: []uint64{0}, trigger: "packet_threshold",
		},
		{
			// Packet 2 acknowledged: 2 < 0+3, and packet 0 was sent 100 ms
			// ago, less than 9/8 of the RTT of 100 ms: not lost yet. Its
			// time threshold runs out at 0 + 112.5 ms.
			name:   "below both thresholds",
			sentAt: []sim.Time{0, ms(1), ms(2)}, acked: []wire.AckRange{{Smallest: 1, Largest: 2}}, ackAt: ms(102),
			timer: ms(112.5),
		},
		{
			// §6.1.2: a packet sent more than 9/8 RTT before the newest
			// acknowledgement is lost by the time threshold.
			name:   "time threshold",
			sentAt: []sim.Time{0, ms(50)}, acked: []wire.AckRange{{Smallest: 1, Largest: 1}}, ackAt: ms(150),
			lost: []uint64{0}, trigger: "time_threshold",
		},
	}
	for _, tt := range tests {
		lt := newLossTest(t, true)
		for i, at := range tt.sentAt {
			lt.send(app, uint64(i), at)
		}
		lt.ack(app, tt.ackAt, 0, tt.acked...)
		if !slices.Equal(lt.log.lost, tt.lost) {
			t.Errorf("%s: lost = %v; want %v", tt.name, lt.log.lost, tt.lost)
		}
		for _, tr := range lt.log.triggers {
			if tr != tt.trigger {
				t.Errorf("%s: trigger %q; want %q", tt.name, tr, tt.trigger)
			}
		}
		if tt.timer != 0 && lt.r.timerAt != tt.timer {
			t.Errorf("%s: loss timer at %v; want %v", tt.name, lt.r.timerAt, tt.timer)
		}
	}
}

func TestTimeThresholdFiresExactly(t *testing.T) {
	app := wire.SpaceApplicationData
	lt := newLossTest(t, true)
	lt.send(app, 0, 0)
	lt.send(app, 1, ms(1))
	lt.send(app, 2, ms(2))
	lt.ack(app, ms(100), 0, wire.AckRange{Smallest: 2, Largest: 2})
	// latest_rtt = 98 ms (first sample: smoothed_rtt = 98 ms too), so the
	// loss delay is 9/8 * 98 = 110.25 ms: packet 0 is lost at 110.25 ms,
	// packet 1 at 111.25 ms.
	want := ms(110.25)
	if lt.r.timerAt != want {
		t.Fatalf("timer at %v; want %v", lt.r.timerAt, want)
	}
	kind, _ := lt.r.onTimeout(want, &lt.log)
	if kind != timeoutLoss || !slices.Equal(lt.log.lost, []uint64{0}) {
		t.Fatalf("at %v: kind %v, lost %v; want a time-threshold loss of [0]", want, kind, lt.log.lost)
	}
	if lt.r.timerAt != ms(111.25) {
		t.Errorf("next timer at %v; want 111.25ms for packet 1", lt.r.timerAt)
	}
}

func TestFirstPTOAndBackoff(t *testing.T) {
	// RFC 9002 §6.2.2: before an RTT sample, smoothed_rtt = 333 ms and
	// rttvar = 166.5 ms, so a handshake space's PTO (no max_ack_delay) is
	// 333 + 4*166.5 = 999 ms; each expiry doubles it (§6.2.1).
	lt := newLossTest(t, false)
	lt.r.hasHandshakeKeys = false
	lt.send(wire.SpaceInitial, 0, 0)
	want := []sim.Time{ms(999), ms(999 + 1998), ms(999 + 1998 + 3996), ms(999 + 1998 + 3996 + 7992)}
	for i, w := range want {
		if lt.r.timerAt != w {
			t.Fatalf("PTO %d at %v; want %v", i+1, lt.r.timerAt, w)
		}
		kind, space := lt.r.onTimeout(w, &lt.log)
		if kind != timeoutPTO || space != wire.SpaceInitial {
			t.Fatalf("PTO %d: %v in %v; want a PTO in the Initial space", i+1, kind, space)
		}
		if lt.r.ptoCount != i+1 {
			t.Errorf("pto_count = %d; want %d", lt.r.ptoCount, i+1)
		}
		lt.send(wire.SpaceInitial, uint64(i+1), w) // the probe
	}
	// An acknowledgement resets the back-off (§6.2.1) once the client
	// knows the server validated its address.
	lt.r.addressValidatedByPeer = true
	lt.ack(wire.SpaceInitial, want[3]+ms(100), 0, wire.AckRange{Smallest: 4, Largest: 4})
	if lt.r.ptoCount != 0 {
		t.Errorf("pto_count after an ACK = %d; want 0", lt.r.ptoCount)
	}
}

func TestApplicationPTOIncludesMaxAckDelay(t *testing.T) {
	app := wire.SpaceApplicationData
	lt := newLossTest(t, true)
	lt.send(app, 0, 0)
	lt.ack(app, ms(100), 0, wire.AckRange{Smallest: 0, Largest: 0})
	lt.send(app, 1, ms(100))
	// smoothed_rtt 100, rttvar 50: PTO = 100 + 200 + 25 (max_ack_delay).
	if want := ms(100 + 325); lt.r.timerAt != want {
		t.Errorf("PTO at %v; want %v", lt.r.timerAt, want)
	}
	// §6.2.1: not armed for application data before confirmation.
	lt2 := newLossTest(t, false)
	lt2.r.addressValidatedByPeer = true
	lt2.send(app, 0, 0)
	if lt2.r.timerAt != sim.Never {
		t.Errorf("unconfirmed: PTO at %v; want none for application data", lt2.r.timerAt)
	}
}

func TestAckDelayAdjustsRTT(t *testing.T) {
	app := wire.SpaceApplicationData
	lt := newLossTest(t, true)
	lt.send(app, 0, 0)
	lt.ack(app, ms(100), 0, wire.AckRange{Smallest: 0, Largest: 0}) // min_rtt 100
	lt.send(app, 1, ms(200))
	// latest_rtt 140 with ack_delay 20: adjusted 120 (>= min_rtt).
	lt.ack(app, ms(340), 20*time.Millisecond, wire.AckRange{Smallest: 1, Largest: 1})
	want := (7*100*time.Millisecond + 120*time.Millisecond) / 8
	if lt.r.rtt.smoothed != want {
		t.Errorf("smoothed_rtt = %v; want %v", lt.r.rtt.smoothed, want)
	}
	// An ack delay above max_ack_delay is capped once confirmed (§5.3).
	lt.send(app, 2, ms(400))
	before := lt.r.rtt.smoothed
	lt.ack(app, ms(560), 60*time.Millisecond, wire.AckRange{Smallest: 2, Largest: 2})
	adjusted := 160*time.Millisecond - 25*time.Millisecond
	if want := (7*before + adjusted) / 8; lt.r.rtt.smoothed != want {
		t.Errorf("smoothed_rtt with capped delay = %v; want %v", lt.r.rtt.smoothed, want)
	}
	if lt.r.rtt.min != 100*time.Millisecond {
		t.Errorf("min_rtt = %v; want 100ms", lt.r.rtt.min)
	}
}

func TestPersistentCongestion(t *testing.T) {
	app := wire.SpaceApplicationData
	tests := []struct {
		name    string
		sentAt  []float64 // ms, packets 1..n after packet 0
		extra   []wire.AckRange
		persist bool
	}{
		// After the samples of 100 ms, smoothed_rtt is 100 and rttvar 37.5:
		// the duration is (100 + 4*37.5 + 25) * 3 = 825 ms. Packets 1 and
		// 3, both lost, are 1100 ms apart.
		{"lost across 1100 ms", []float64{200, 700, 1300}, nil, true},
		{"lost across 800 ms", []float64{200, 600, 1000}, nil, false},
		// An acknowledged packet between them breaks the period.
		{"acknowledged in between", []float64{200, 700, 1200, 1300}, []wire.AckRange{{Smallest: 3, Largest: 3}}, false},
	}
	for _, tt := range tests {
		lt := newLossTest(t, true)
		lt.send(app, 0, 0)
		lt.ack(app, ms(100), 0, wire.AckRange{Smallest: 0, Largest: 0})
		n := uint64(len(tt.sentAt))
		for i, at := range tt.sentAt {
			lt.send(app, uint64(i+1), ms(at))
		}
		last := ms(tt.sentAt[len(tt.sentAt)-1] + 100)
		lt.send(app, n+1, last)
		ranges := append([]wire.AckRange{{Smallest: n + 1, Largest: n + 1}}, tt.extra...)
		lt.ack(app, last+ms(100), 0, ranges...)
		// After the collapse the acknowledged packet, sent after it, grows
		// the window by its size in slow start (Appendix A.7 processes
		// losses before acknowledgements).
		got := lt.cc.Cwnd() == MinimumWindow(lt.cfg.MaxDatagramSize)+1200
		if got != tt.persist || (lt.r.persistent > 0) != tt.persist {
			t.Errorf("%s: cwnd %d (persistent %d); want persistent congestion %v (window %d)",
				tt.name, lt.cc.Cwnd(), lt.r.persistent, tt.persist, MinimumWindow(lt.cfg.MaxDatagramSize))
		}
		// §5.2: after persistent congestion the next sample is min_rtt,
		// though longer than the 100 ms before (the path may have changed).
		lt.send(app, n+2, last+ms(200))
		lt.ack(app, last+ms(350), 0, wire.AckRange{Smallest: n + 2, Largest: n + 2})
		if want := map[bool]time.Duration{true: 150 * time.Millisecond, false: 100 * time.Millisecond}[tt.persist]; lt.r.rtt.min != want {
			t.Errorf("%s: min_rtt %v after a 150 ms sample; want %v", tt.name, lt.r.rtt.min, want)
		}
	}
}

func TestNewRenoOneReductionPerRound(t *testing.T) {
	mds := 1350
	cc := NewNewReno(mds)
	if cc.Cwnd() != InitialWindow(mds) || InitialWindow(mds) != 13500 {
		t.Fatalf("initial window %d; want min(10*1350, max(14720, 2700)) = 13500", cc.Cwnd())
	}
	if got := InitialWindow(1200); got != 12000 {
		t.Errorf("InitialWindow(1200) = %d; want 12000", got)
	}
	if got := InitialWindow(1500); got != 14720 {
		t.Errorf("InitialWindow(1500) = %d; want 14720", got)
	}
	// Grow the window in slow start to 40000 bytes.
	cc.OnAck(0, 40000-cc.Cwnd(), false)
	steps := []struct {
		now, sent sim.Time
		want      int
	}{
		{ms(1000), ms(900), 20000},  // a loss: halve (kLossReductionFactor 0.5)
		{ms(1050), ms(950), 20000},  // sent before recovery began: no second cut
		{ms(1060), ms(1000), 20000}, // sent at the start itself: still the same round
		{ms(1200), ms(1100), 10000}, // sent after recovery began: a new round
		{ms(1300), ms(1250), 5000},
		{ms(1400), ms(1350), 2700}, // never below kMinimumWindow
		{ms(1500), ms(1450), 2700},
	}
	for i, s := range steps {
		cc.OnCongestionEvent(s.now, s.sent)
		if cc.Cwnd() != s.want {
			t.Errorf("step %d: OnCongestionEvent(%v, sent %v): cwnd %d; want %d", i, s.now, s.sent, cc.Cwnd(), s.want)
		}
	}
	// Acknowledgements of packets sent before the last recovery started
	// do not grow the window (§7.3.2).
	cc.OnAck(ms(1400), 5000, false)
	if cc.Cwnd() != 2700 {
		t.Errorf("ack of a packet sent in recovery grew cwnd to %d", cc.Cwnd())
	}
	// Congestion avoidance: one datagram per window acknowledged.
	cc.OnAck(ms(1600), 2700, false)
	if cc.Cwnd() != 2700+mds {
		t.Errorf("after a window acknowledged in congestion avoidance: cwnd %d; want %d", cc.Cwnd(), 2700+mds)
	}
	// Application-limited: no growth (§7.8).
	cc.OnAck(ms(1700), 100000, true)
	if cc.Cwnd() != 2700+mds {
		t.Errorf("application-limited ack grew cwnd to %d", cc.Cwnd())
	}
	cc.OnPersistentCongestion()
	if cc.Cwnd() != MinimumWindow(mds) {
		t.Errorf("after persistent congestion cwnd %d; want %d", cc.Cwnd(), MinimumWindow(mds))
	}
}

func TestDiscardSpaceRemovesBytesInFlight(t *testing.T) {
	lt := newLossTest(t, false)
	lt.send(wire.SpaceInitial, 0, 0)
	lt.send(wire.SpaceHandshake, 0, 0)
	if lt.r.bytesInFlight != 2400 {
		t.Fatalf("bytes_in_flight %d; want 2400", lt.r.bytesInFlight)
	}
	lt.r.discardSpace(ms(10), wire.SpaceInitial)
	if lt.r.bytesInFlight != 1200 || lt.r.spaces[wire.SpaceInitial].ackElicitingInFlight != 0 {
		t.Errorf("after discarding Initial: bytes_in_flight %d; want 1200 (RFC 9002 §6.4)", lt.r.bytesInFlight)
	}
}

// RFC 9002 §7.3.2: when a loss starts a recovery period, one packet may go
// out before the halved window applies, and it carries the lost data. The
// retransmission then leaves the moment the loss is declared, as TCP's fast
// retransmit does, instead of after a window's worth of acknowledgements.
func TestOnePacketBeforeReduction(t *testing.T) {
	p := newPair(t, pairOpts{down: link.Config{Drop: []int{30}}})
	p.requestResponse(t, 100, 400_000)
	p.start()
	p.run()
	lost := p.events(trace.PacketLost, trace.Server)
	if len(lost) != 1 {
		t.Fatalf("%d packets declared lost; want the one dropped", len(lost))
	}
	declared := lost[0].At
	var resent, others []trace.Event
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		switch {
		case e.At != declared:
		case e.Flags&trace.FlagRetransmit != 0:
			resent = append(resent, e)
		case e.Len > 0:
			others = append(others, e)
		}
	}
	if len(resent) != 1 || len(others) != 0 {
		t.Errorf("at %v, when the loss was declared: %d retransmissions and %d other data packets sent; want exactly one retransmission", declared, len(resent), len(others))
	}
	if p.capp.rec(0).fin < 0 {
		t.Error("the response did not complete")
	}
	// The allowance is for that instant only: spent, it does not wait for
	// a later packet (a control frame some time after, say).
	if at := p.server.rec.sendBeforeReductionAt; at != sim.Never {
		t.Errorf("one packet before reduction still allowed at %v after the run", at)
	}
}

// A PTO probe that resends a packet's data takes it over: when that packet
// is declared lost later, its data is not queued a third time (the probe's
// own loss would queue it). With the server's second and third datagrams
// dropped, the Handshake probe resent CRYPTO bytes 2165–2929, and the
// loss of the packet first carrying them, declared 100 ms later, sent
// them once more, 0.8 ms before the probe's acknowledgement came.
func TestProbedDataIsNotResentOnLoss(t *testing.T) {
	p := newPair(t, pairOpts{down: link.Config{Drop: []int{2, 3}}})
	p.requestResponse(t, 100, 1000)
	p.start()
	p.run()
	if p.capp.rec(0).fin < 0 {
		t.Fatal("the response did not complete")
	}
	type key struct {
		space  string
		stream int64 // -1: the CRYPTO stream
	}
	sent := map[key]map[uint64]int{}
	probes := 0
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		if e.Flags.Has(trace.FlagProbe) {
			probes++
		}
		_, frames, err := EventFrames(&e, 8)
		if err != nil {
			t.Fatalf("EventFrames(server pn %d): %v", e.PN, err)
		}
		for _, f := range frames {
			var k key
			var off uint64
			var n int
			switch f := f.(type) {
			case *wire.CryptoFrame:
				k, off, n = key{e.Name, -1}, f.Offset, f.DataLen
			case *wire.StreamFrame:
				k, off, n = key{e.Name, int64(f.StreamID)}, f.Offset, f.DataLen
			default:
				continue
			}
			if sent[k] == nil {
				sent[k] = map[uint64]int{}
			}
			for b := off; b < off+uint64(n); b++ {
				sent[k][b]++
			}
		}
	}
	if probes == 0 {
		t.Fatal("no probe sent: the test no longer exercises a PTO")
	}
	var thrice []string // in order, so that a failure reads the same each run
	for k, bytes := range sent {
		for off, n := range bytes {
			if n > 2 {
				thrice = append(thrice, fmt.Sprintf("%s stream %d byte %06d sent %d times", k.space, k.stream, off, n))
			}
		}
	}
	if len(thrice) > 0 {
		slices.Sort(thrice)
		t.Fatalf("%s, and %d more bytes, for one loss; want each at most twice", thrice[0], len(thrice)-1)
	}
}

// Every loss of one or two of the first packets, with certificate chains
// that fill the congestion window, 0-RTT and a probe a PTO, at a short
// and a long round trip: the response completes. A server's Initial
// packets lost behind a window of Handshake packets the client could not
// read without them deadlocked until the idle timeout: the ServerHello's
// resend waited on the window, and no probe went to the Initial space,
// which had nothing in flight (a review found 20 such runs in 6,516).
func TestEveryEarlyLossCompletes(t *testing.T) {
	configs := []struct {
		name string
		set  func(*Config)
		req  int64
	}{
		{"default", func(*Config) {}, 100},
		{"40 kB chain", func(c *Config) { c.CertChain = 40000 }, 100},
		{"200 kB chain", func(c *Config) { c.CertChain = 200000 }, 100},
		{"0-RTT", func(c *Config) { c.Resume, c.EarlyData = true, true }, 30000},
		{"0-RTT rejected", func(c *Config) { c.Resume, c.EarlyData, c.RejectEarlyData = true, true, true }, 30000},
		{"one probe, 20 kB chain", func(c *Config) { c.PTOProbes, c.CertChain = 1, 20000 }, 100},
	}
	type drops struct{ up, down []int }
	patterns := []drops{{}}
	const first = 10
	for i := 1; i <= first; i++ {
		patterns = append(patterns, drops{down: []int{i}}, drops{up: []int{i}})
		for j := i + 1; j <= first; j++ {
			patterns = append(patterns, drops{down: []int{i, j}}, drops{up: []int{i}, down: []int{j}})
		}
	}
	for _, cfg := range configs {
		for _, d := range patterns {
			for _, rtt := range []time.Duration{20 * time.Millisecond, 200 * time.Millisecond} {
				c := DefaultConfig()
				cfg.set(&c)
				p := newPair(t, pairOpts{cfg: c, rtt: rtt, up: link.Config{Drop: d.up}, down: link.Config{Drop: d.down}, noKeep: true, maxTime: 2 * time.Minute})
				p.requestResponse(t, cfg.req, 300_000)
				p.start()
				p.run()
				if r := p.capp.rec(0); r.fin < 0 || r.bytes != 300_000 {
					t.Fatalf("%s, RTT %v, dropped up %v down %v: %d of 300000 bytes, closed %q; want the whole response",
						cfg.name, rtt, d.up, d.down, r.bytes, p.capp.closed)
				}
			}
		}
	}
}
