package quic

import (
	"math"
	"sort"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// pftk is the Padhye–Firoiu–Towsley–Kurose throughput in bits per second
// (ORACLES.md): segments of mssBits, round trip rtt, loss rate p, b
// segments per acknowledgement, timeout t0 (all in seconds).
func pftk(mssBits, rtt, p, b, t0 float64) float64 {
	return mssBits / (rtt*math.Sqrt(2*b*p/3) + t0*math.Min(1, 3*math.Sqrt(3*b*p/8))*p*(1+32*p*p))
}

// bulkRun is one long download and what was measured of it.
type bulkRun struct {
	goodput float64 // bits per second after the warm-up
	b       float64 // data packets per acknowledgement
	pto     time.Duration
	lost    int64
}

func runBulk(t testing.TB, seed sim.Seed, p float64, dur, warmup time.Duration) bulkRun {
	pr := newPair(t, pairOpts{
		rtt: 100 * time.Millisecond, bw: 100 * units.Mbps, seed: seed, noKeep: true, maxTime: dur,
		down: link.Config{Loss: link.Loss{Model: link.Bernoulli, Rate: p, DataOnly: true}},
	})
	pr.requestResponse(t, 100, 100<<30)
	var late, data, acks int64
	pr.log.Observe(func(e *trace.Event) {
		switch {
		case e.Kind == trace.DataMoved && e.Side == trace.Client && e.At >= sim.At(warmup):
			late += e.Len
		case e.Kind == trace.PacketSent && e.Side == trace.Server && e.Len > 0 && e.Name == "1RTT":
			data++
		case e.Kind == trace.PacketSent && e.Side == trace.Client && e.Len == 0 && e.Name == "1RTT":
			acks++
		}
	})
	pr.start()
	pr.run()
	st := pr.server.SenderState()
	return bulkRun{
		goodput: float64(late) * 8 / (dur - warmup).Seconds(),
		b:       float64(data) / float64(acks),
		pto:     st.PTO,
		lost:    st.PacketsLost,
	}
}

// TestGoodputUnderLossMatchesPFTK compares a long download's steady-state
// goodput with the PFTK model on its textbook set-up: 100 Mbit/s, RTT
// 100 ms, Bernoulli loss on the server's data packets, the median of five
// seeds, the first 10 s excluded (slow start's overshoot).
//
// The model's b is the number of segments per acknowledgement, and it
// enters the formula because TCP's congestion avoidance grows by one
// segment per acknowledgement, so that b = 2 halves the growth. QUIC's
// NewReno counts bytes (RFC 9002 §7.3.3: one maximum datagram size per
// congestion window acknowledged), so its window grows by one datagram
// per round trip however many packets an ACK covers: the model applies
// with b = 1 although the receiver acknowledges every second packet (the
// measured packets per ACK are reported). T0 is the PTO.
func TestGoodputUnderLossMatchesPFTK(t *testing.T) {
	if testing.Short() {
		t.Skip("60 s flows")
	}
	const dur, warmup = 60 * time.Second, 10 * time.Second
	const payload = 1318 // stream bytes in a full 1350-byte datagram
	t.Logf("%6s %12s %12s %6s %12s %6s %8s %8s", "p", "goodput", "PFTK(b=1)", "ratio", "PFTK(b=2)", "b", "PTO", "lost")
	for _, p := range []float64{0.001, 0.005, 0.01, 0.02} {
		var runs []bulkRun
		for seed := sim.Seed(1); seed <= 5; seed++ {
			runs = append(runs, runBulk(t, seed, p, dur, warmup))
		}
		sort.Slice(runs, func(i, j int) bool { return runs[i].goodput < runs[j].goodput })
		m := runs[len(runs)/2]
		want := pftk(payload*8, 0.1, p, 1, m.pto.Seconds())
		want2 := pftk(payload*8, 0.1, p, 2, m.pto.Seconds())
		ratio := m.goodput / want
		t.Logf("%5.1f%% %10.0fbps %10.0fbps %6.3f %10.0fbps %6.2f %8v %8d", p*100, m.goodput, want, ratio, want2, m.b, m.pto.Round(time.Millisecond), m.lost)
		if ratio < 0.75 || ratio > 1.25 {
			t.Errorf("p=%v: median goodput %.0f bps is %.2f× PFTK's %.0f; want within ±25%%", p, m.goodput, ratio, want)
		}
		if m.b < 1.7 || m.b > 2.1 {
			t.Errorf("p=%v: %.2f data packets per ACK; want about 2 (RFC 9000 §13.2.2)", p, m.b)
		}
	}
}
