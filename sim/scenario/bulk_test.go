package scenario

import (
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// slowStartCompletion is the textbook estimate of a loss-free transfer: the
// server starts sending when the handshake's third segment arrives (1.5 RTT),
// sends IW segments, and doubles each round trip until the window covers the
// bandwidth-delay product; from then on the link is the limit. The last
// byte arrives half an RTT after it is serialised.
func slowStartCompletion(size units.Size, rtt time.Duration, bw units.Rate, mss, iw int) time.Duration {
	segs := (int(size) + mss - 1) / mss
	tx := bw.TxTime(mss + 40)
	t := rtt + rtt/2
	cwnd, sent := iw, 0
	for {
		w := min(cwnd, segs-sent)
		if sent+w == segs {
			return t + time.Duration(w)*tx + rtt/2
		}
		if time.Duration(w)*tx >= rtt {
			return t + time.Duration(segs-sent)*tx + rtt/2
		}
		t += rtt
		sent += w
		cwnd *= 2
	}
}

func TestZeroLossCompletionMatchesSlowStart(t *testing.T) {
	for _, bw := range []units.Rate{100 * units.Mbps, 10 * units.Mbps} {
		for _, size := range []units.Size{14600, 100 * units.KB, units.MB, 10 * units.MB} {
			s := Bulk()
			s.Bulk.Size = size
			s.Network.Bandwidth = bw
			s.Network.RTT = 100 * time.Millisecond
			// A queue deep enough that slow start never overflows it:
			// this test is about zero loss.
			s.Network.QueueBytes = 64 << 20
			r, err := Run(s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := slowStartCompletion(size, s.Network.RTT, bw, s.TCP.MSS, s.TCP.InitialWindow)
			t.Logf("%8v at %7v: completion %v, slow-start model %v", size, bw, r.Completion, want)
			if r.SegmentsLost != 0 {
				t.Errorf("%v at %v: %d segments lost; want 0", size, bw, r.SegmentsLost)
			}
			if d := r.Completion - want; d < -s.Network.RTT || d > s.Network.RTT {
				t.Errorf("%v at %v: completion %v; want %v ± one RTT", size, bw, r.Completion, want)
			}
		}
	}
}

// lossyBulk is the bulk transfer at 100 Mbps over rtt with random loss p
// on the server's data packets, seeded.
func lossyBulk(seed uint64, rtt time.Duration, p float64) *Scenario {
	s := Bulk()
	s.Seed = seed
	s.Network.Bandwidth = 100 * units.Mbps
	s.Network.RTT = rtt
	s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: p, DataOnly: true}
	return s
}

// pftk is the Padhye–Firoiu–Towsley–Kurose throughput, in bits per second.
func pftk(mssBits, rtt, p, b, t0 float64) float64 {
	return mssBits / (rtt*math.Sqrt(2*b*p/3) + t0*math.Min(1, 3*math.Sqrt(3*b*p/8))*p*(1+32*p*p))
}

// TestGoodputUnderLossMatchesPFTK checks steady-state goodput against the
// PFTK model (ORACLES.md) on its textbook set-up: RTT 100 ms, 100 Mbps,
// MSS 1448, delayed ACKs, minimum RTO 1 s, Bernoulli loss on data packets.
//
// The model's b, segments per ACK, enters it because classic congestion
// avoidance grows one segment per ACK (RFC 5681 equation (3)), so that
// delayed ACKs (b = 2) halve the growth. This TCP counts bytes instead, as
// RFC 5681 §3.1 recommends and Linux and QUIC do: one segment per round
// trip whatever an ACK covers, so the model applies with b = 1 although
// the receiver delays its ACKs (the measured segments per ACK are
// reported). With equation (3) goodput sat at b = 2's PFTK, a √2 below
// QUIC's on the same path.
//
// Two more choices make the set-up match the model's assumptions:
//   - Delayed ACKs with the classic 200 ms timer (RFC 1122, BSD, ns-3),
//     longer than the gap between flights, so ACKs cover two segments, as
//     the model's timeout term expects of a delayed-ACK receiver.
//   - "Steady state" excludes the first 10 s: slow start's overshoot at
//     low loss rates otherwise dominates a 60 s average.
func TestGoodputUnderLossMatchesPFTK(t *testing.T) {
	if testing.Short() {
		t.Skip("60 s flows")
	}
	const warmup = 10 * time.Second
	t.Logf("%6s %12s %12s %6s %10s %6s", "p", "goodput", "PFTK", "ratio", "timeouts", "b")
	for _, p := range []float64{0.001, 0.005, 0.01, 0.02} {
		var runs []float64
		var bs []float64
		timeouts := int64(0)
		for seed := uint64(1); seed <= 5; seed++ {
			s := lossyBulk(seed, 100*time.Millisecond, p)
			s.Bulk = BulkWorkload{Duration: 60 * time.Second}
			s.TCP.MSS = 1448
			s.TCP.DelayedAck = true
			s.TCP.DelayedAckTimeout = 200 * time.Millisecond
			s.TCP.MinRTO = time.Second
			r, err := Start(s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var late, data, acks int64
			r.Log().Observe(func(e *trace.Event) {
				switch {
				case e.Kind == trace.DataMoved && e.Side == trace.Client && e.At >= sim.At(warmup):
					late += e.Len
				case e.Kind == trace.PacketSent && e.Side == trace.Server && e.Len > 0:
					data++
				case e.Kind == trace.PacketSent && e.Side == trace.Client && e.Len == 0:
					acks++
				}
			})
			r.Step(0)
			res := r.Result()
			timeouts += res.Timeouts
			runs = append(runs, float64(late)*8/(60*time.Second-warmup).Seconds())
			bs = append(bs, float64(data)/float64(acks))
		}
		sort.Float64s(runs)
		sort.Float64s(bs)
		median := runs[len(runs)/2]
		want := pftk(1448*8, 0.1, p, 1, 1)
		ratio := median / want
		t.Logf("%5.1f%% %10.0fbps %10.0fbps %6.3f %10d %6.2f", p*100, median, want, ratio, timeouts, bs[len(bs)/2])
		if ratio < 0.75 || ratio > 1.25 {
			t.Errorf("p=%v: median goodput %.0f bps is %.2f× PFTK's %.0f; want within ±25%%", p, median, ratio, want)
		}
	}
}

// On a long path a settled RTT leaves RTTVAR all but zero and the RTO the
// RTT and a millisecond (200 ms being the floor): a timer left from the
// last cumulative ACK expired before a fast retransmission could be
// acknowledged, and the whole window went again after a timeout. At
// 300 ms, 0.2 % loss, 29 lost segments took 226 retransmissions and 16
// timeouts; with the timer re-armed when SACK recovery resends the first
// unacknowledged segment (RFC 6675 §6), each loss costs one.
func TestLongPathLossesNeedNoTimeouts(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		s := lossyBulk(seed, 300*time.Millisecond, 0.002)
		s.Bulk = BulkWorkload{Size: 20 * units.MB}
		res, err := Run(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Timeouts != 0 || res.Retransmits != res.SegmentsLost {
			t.Errorf("seed %d: %d segments lost, %d retransmitted, %d timeouts; want each loss sent again once, no timeout", seed, res.SegmentsLost, res.Retransmits, res.Timeouts)
		}
	}
}

func TestBurstLossGivesFewerLossEvents(t *testing.T) {
	// Ten 60 s flows per model, so that a few hundred bursts are measured.
	run := func(l link.Loss) (s link.Stats) {
		for seed := uint64(1); seed <= 10; seed++ {
			sc := Bulk()
			sc.Seed = seed
			sc.Bulk = BulkWorkload{Duration: 60 * time.Second}
			sc.Network.Bandwidth = 100 * units.Mbps
			sc.Network.Down.Loss = l
			r, err := Run(sc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			s.Considered += r.Down.Considered
			s.DroppedLoss += r.Down.DroppedLoss
			s.LossEvents += r.Down.LossEvents
		}
		return s
	}
	bern := run(link.Loss{Model: link.Bernoulli, Rate: 0.02, DataOnly: true})
	burst := run(link.Loss{Model: link.Burst, Rate: 0.02, MeanBurst: 5, DataOnly: true})
	mean := float64(burst.DroppedLoss) / float64(burst.LossEvents)
	t.Logf("Bernoulli: %d of %d data packets lost in %d events; burst: %d of %d lost in %d events (mean burst %.2f)",
		bern.DroppedLoss, bern.Considered, bern.LossEvents, burst.DroppedLoss, burst.Considered, burst.LossEvents, mean)
	if burst.LossEvents >= bern.LossEvents {
		t.Errorf("burst loss events %d; want fewer than Bernoulli's %d", burst.LossEvents, bern.LossEvents)
	}
	if math.Abs(mean-5)/5 > 0.2 {
		t.Errorf("measured mean burst %.2f; want 5 ± 20%%", mean)
	}
	if rate := float64(burst.DroppedLoss) / float64(burst.Considered); math.Abs(rate-0.02)/0.02 > 0.25 {
		t.Errorf("measured burst loss rate %.4f; want 0.02 ± 25%%", rate)
	}
}

func TestSameSeedSameTrace(t *testing.T) {
	mk := func(seed uint64) *Scenario {
		s := Bulk()
		s.Seed = seed
		s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.01, DataOnly: true}
		return s
	}
	a, _ := Run(mk(7), Options{})
	b, _ := Run(mk(7), Options{KeepTrace: true})
	c, _ := Run(mk(8), Options{})
	if a.TraceHash != b.TraceHash || a.TraceEvents != b.TraceEvents {
		t.Errorf("seed 7 twice: %s (%d events) and %s (%d); want identical", a.TraceHash, a.TraceEvents, b.TraceHash, b.TraceEvents)
	}
	if a.TraceHash == c.TraceHash {
		t.Errorf("seeds 7 and 8 gave the same trace %s", a.TraceHash)
	}
	drops := func(seed uint64) string {
		r, _ := Run(mk(seed), Options{KeepTrace: true})
		var b strings.Builder
		for _, e := range r.Log.Events() {
			if e.Kind == trace.PacketDropped {
				b.WriteString(e.At.String())
			}
		}
		return b.String()
	}
	if drops(7) == drops(8) {
		t.Error("seeds 7 and 8 lost the same packets")
	}
}

func TestLimitsStopTheRun(t *testing.T) {
	s := Bulk()
	s.Bulk.Size = 100 * units.MB
	s.Limits.MaxEvents = 1000
	r, _ := Run(s, Options{})
	if r.Status != "event limit" || r.Events != 1000 || r.Completion != -1 {
		t.Errorf("status %q after %d events, completion %v; want event limit after 1000, none", r.Status, r.Events, r.Completion)
	}
	s = Bulk()
	s.Bulk.Size = 100 * units.MB
	s.Limits.MaxTime = 2 * time.Second
	r, _ = Run(s, Options{})
	if r.Status != "time limit" || r.Duration != 2*time.Second {
		t.Errorf("status %q at %v; want time limit at 2s", r.Status, r.Duration)
	}
}

func TestStepInSlices(t *testing.T) {
	s := Bulk()
	whole, _ := Run(s, Options{})
	r, _ := Start(Bulk(), Options{})
	slices := 0
	for !r.Step(100) {
		slices++
		if p := r.Progress(); p < 0 || p > 1 {
			t.Fatalf("Progress = %v; want within [0,1]", p)
		}
	}
	if got := r.Result(); got.TraceHash != whole.TraceHash {
		t.Errorf("sliced run hash %s; want %s as in one go", got.TraceHash, whole.TraceHash)
	}
	if slices < 10 {
		t.Errorf("only %d slices of 100 events; want many", slices)
	}
}

// A transport a run does not use puts no floor under the queue: a run of
// HTTP/3 alone was refused for TCP's segment size.
func TestQueueFloorOfTheTransportsUsed(t *testing.T) {
	s := Page()
	s.Protocols, s.TCP.MSS, s.Network.QueueBytes = []string{"h3"}, 9000, 1500
	if err := s.Validate(); err != nil {
		t.Errorf("HTTP/3 alone, tcp.mss 9000, queue 1500 B: %v; want valid", err)
	}
}

func TestValidateNamesTheField(t *testing.T) {
	tests := []struct {
		mod  func(*Scenario)
		want string
	}{
		{func(s *Scenario) { s.Network.RTT = -time.Millisecond }, "network.rtt: -1ms is out of range (0 to 20s)"},
		{func(s *Scenario) { s.Network.Bandwidth = 0 }, "network.bandwidth: 0bps is out of range (1bps to 100Gbps)"},
		{func(s *Scenario) { s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 1.5} }, "network.down.loss.rate: 150% is out of range (0% to 99.9%)"},
		{func(s *Scenario) { s.TCP.MSS = 10 }, "tcp.mss: 10 is out of range (88 to 65495 bytes)"},
		// A queue no segment fits in dropped every one, for ever.
		{func(s *Scenario) { s.TCP.MSS, s.Network.QueueBytes = 9000, 1500 }, "network.queue: 1.5KB is smaller than one full segment (tcp.mss 9000 + 40 bytes of headers)"},
		{func(s *Scenario) {
			*s = *Page()
			s.Protocols, s.QUIC.MaxDatagramSize, s.Network.QueueBytes = []string{"h3"}, 9000, 1500
		}, "network.queue: 1.5KB is smaller than one full datagram (quic.max_datagram_size 9000 + 28 bytes of headers)"},
		{func(s *Scenario) { s.Network.Down.Loss = link.Loss{Rate: 0.05} }, "network.down.loss.rate: 5% needs loss.model bernoulli or burst"},
		{func(s *Scenario) { s.Bulk = BulkWorkload{} }, "workload: give a size (1B to 100GB) or a duration (up to 24h)"},
		// Both: the duration used to be ignored without a word.
		{func(s *Scenario) { s.Bulk.Duration = 10 * time.Second }, "workload.duration: 10s with a size of 1MB: a transfer ends when its size is delivered; give the size or the duration, not both"},
		{func(s *Scenario) { s.Bulk.Size = -1 }, "workload.size: -1B is out of range (1B to 100GB)"},
	}
	for _, tt := range tests {
		s := Bulk()
		tt.mod(s)
		_, err := Start(s, Options{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("Start() error = %v; want %q", err, tt.want)
		}
	}
}

// A page comparison stepped with a budget takes one call per budget's worth
// of events, whatever the number of protocols: a protocol's end does not cut
// a call short (the page yields to the browser once per call).
func TestStepBudgetSpansProtocols(t *testing.T) {
	s := Page()
	s.Protocols = Protocols()
	whole, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Runs) < 3 {
		t.Fatalf("%d runs; want one per protocol", len(whole.Runs))
	}
	for _, budget := range []int64{whole.Events + 1, 5000, 777} {
		r, _ := Start(s, Options{})
		calls := 1
		for !r.Step(budget) {
			calls++
		}
		if want := int((whole.Events + budget - 1) / budget); calls > want {
			t.Errorf("budget %d: %d calls for %d events; want at most %d", budget, calls, whole.Events, want)
		}
		if got := r.Result(); got.TraceHash != whole.TraceHash {
			t.Errorf("budget %d: hash %s; want %s as in one go", budget, got.TraceHash, whole.TraceHash)
		}
	}
}

// At 1 bps the server's SYN-ACK is still being serialised when its timer
// fires, again and again, backing off. The back-off stops at MaxRTO: it
// used to double past what a duration holds, and the negative timeout
// fired at once, forever at one instant, so the run hung.
func TestHandshakeBackoffAtOneBitPerSecond(t *testing.T) {
	s := Bulk()
	s.Network.Bandwidth = units.Bps
	s.Limits.MaxTime = 2 * time.Hour
	r, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "time limit" || r.Duration != 2*time.Hour || r.Events > 10_000 {
		t.Errorf("1 bps: %s at %v after %d events; want the 2 h time limit, reached in a few hundred events", r.Status, r.Duration, r.Events)
	}
}
