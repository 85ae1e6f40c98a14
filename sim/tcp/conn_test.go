package tcp

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

func TestHandshakeTiming(t *testing.T) {
	p := newPair(t, pairOpts{cfg: DefaultConfig(), size: 1000, rtt: 100 * time.Millisecond, bw: units.Gbps})
	p.run()
	// The client is established when the SYN-ACK returns (1 RTT), the
	// server when the third segment arrives (1.5 RTT); one small response
	// then reaches the client at 2 RTT. Serialisation at 1 Gbps adds
	// under 0.1 ms.
	near := func(got sim.Time, want time.Duration) bool {
		d := got.Sub(sim.At(want))
		return d >= 0 && d < 100*time.Microsecond
	}
	if !near(p.sink.established, 100*time.Millisecond) {
		t.Errorf("client established at %v; want about 100ms", p.sink.established)
	}
	if !near(p.source.established, 150*time.Millisecond) {
		t.Errorf("server established at %v; want about 150ms", p.source.established)
	}
	if !near(p.sink.done, 200*time.Millisecond) {
		t.Errorf("response delivered at %v; want about 200ms", p.sink.done)
	}
	if p.sink.closed == 0 {
		t.Error("FIN not delivered")
	}
	syn := p.events(trace.PacketSent, trace.Client)[0]
	if !syn.Flags.Has(trace.FlagSYN) || syn.Size != 52 || syn.Seq != 0 {
		t.Errorf("first client packet = flags %s size %d seq %d; want S, 52 bytes, seq 0", syn.Flags.TCPString(), syn.Size, syn.Seq)
	}
}

func TestLostSYNIsRetransmittedAfterInitialRTO(t *testing.T) {
	cfg := DefaultConfig()
	p := newPair(t, pairOpts{cfg: cfg, size: 1000, up: link.Config{Outages: []link.Outage{{From: 0, To: time.Millisecond}}}})
	p.run()
	sent := p.events(trace.PacketSent, trace.Client)
	if !sent[0].Flags.Has(trace.FlagSYN) || !sent[1].Flags.Has(trace.FlagSYN) {
		t.Fatalf("first two client packets: %s, %s; want two SYNs", sent[0].Flags.TCPString(), sent[1].Flags.TCPString())
	}
	if got := sent[1].At.Sub(sent[0].At); got != cfg.InitialRTO {
		t.Errorf("SYN retransmitted after %v; want the initial RTO %v (RFC 6298 §2.1)", got, cfg.InitialRTO)
	}
	// RFC 6298 §5.7: with no RTT sample, data starts with an RTO of 3 s.
	if got := p.client.SenderState().RTO; got != 3*time.Second {
		t.Errorf("client RTO after a lost SYN = %v; want 3s", got)
	}
	if p.sink.done == 0 {
		t.Error("transfer did not complete")
	}
}

func TestDelayedAcks(t *testing.T) {
	for _, delack := range []bool{true, false} {
		cfg := DefaultConfig()
		cfg.DelayedAck = delack
		p := newPair(t, pairOpts{cfg: cfg, size: 200 * 1460})
		p.run()
		acks := 0
		for _, e := range p.events(trace.PacketSent, trace.Client) {
			if e.Len == 0 && !e.Flags.Has(trace.FlagSYN) {
				acks++
			}
		}
		// 200 data segments (and a FIN): every segment ACKed without
		// delayed ACKs, about every second one with them.
		if delack && (acks < 95 || acks > 115) {
			t.Errorf("delayed ACKs: %d ACKs for 200 segments; want about 100", acks)
		}
		if !delack && (acks < 200 || acks > 203) {
			t.Errorf("no delayed ACKs: %d ACKs for 200 segments; want about 201", acks)
		}
	}
}

// retransmissions returns the server's retransmitted data segments.
func retransmissions(p *pair) []trace.Event {
	var out []trace.Event
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		if e.Flags.Has(trace.FlagRetransmit) {
			out = append(out, e)
		}
	}
	return out
}

func TestFastRetransmit(t *testing.T) {
	tests := []struct {
		name string
		sack bool
		drop []int
	}{
		{"newreno one loss", false, []int{30}},
		{"sack one loss", true, []int{30}},
		{"newreno three losses in a window", false, []int{30, 33, 36}},
		{"sack three losses in a window", true, []int{30, 33, 36}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.SACK = tt.sack
			p := newPair(t, pairOpts{cfg: cfg, size: 300 * 1460, down: link.Config{Drop: tt.drop}})
			p.run()
			st := p.server.SenderState()
			if p.sink.got != 300*1460 {
				t.Fatalf("delivered %d bytes; want %d", p.sink.got, 300*1460)
			}
			if st.Timeouts != 0 {
				t.Errorf("timeouts = %d; want 0 (fast retransmit should recover)", st.Timeouts)
			}
			if st.FastRecoveries != 1 {
				t.Errorf("fast recoveries = %d; want 1 (one loss event)", st.FastRecoveries)
			}
			if got := len(retransmissions(p)); got != len(tt.drop) {
				t.Errorf("retransmissions = %d; want %d", got, len(tt.drop))
			}
			lost := p.events(trace.PacketLost, trace.Server)
			if len(lost) != len(tt.drop) {
				t.Errorf("packets declared lost = %d; want %d", len(lost), len(tt.drop))
			}
		})
	}
}

func TestRecoveryHalvesWindow(t *testing.T) {
	cfg := DefaultConfig()
	p := newPair(t, pairOpts{cfg: cfg, size: 400 * 1460, down: link.Config{Drop: []int{100}}})
	var cwndBefore, ssthresh int64
	inRecovery := false
	p.log.Observe(func(e *trace.Event) {
		if e.Side != trace.Server {
			return
		}
		if e.Kind == trace.CongestionStateUpdated && e.Name == "recovery" {
			inRecovery = true
		}
		if e.Kind == trace.MetricsUpdated {
			if !inRecovery {
				cwndBefore = e.Cwnd
			} else if ssthresh == 0 {
				ssthresh = e.Ssthresh
			}
		}
	})
	p.run()
	// RFC 5681 §3.2: ssthresh = max(FlightSize/2, 2*SMSS), and FlightSize
	// was cwnd when the loss was found (the sender was window-limited).
	if ssthresh == 0 || cwndBefore == 0 {
		t.Fatal("no recovery observed")
	}
	if d := ssthresh - cwndBefore/2; d < -1460 || d > 1460 {
		t.Errorf("ssthresh = %d after cwnd %d; want about half (±1 MSS)", ssthresh, cwndBefore)
	}
}

func TestRTOBacksOffDuringOutage(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MinRTO = time.Second
	outage := link.Outage{From: 1 * time.Second, To: 4 * time.Second}
	p := newPair(t, pairOpts{cfg: cfg, size: 4 << 20, down: link.Config{Outages: []link.Outage{outage}}})
	p.run()
	var fires []sim.Time
	for _, e := range p.events(trace.LossTimerUpdated, trace.Server) {
		if e.Name == "rto" {
			fires = append(fires, e.At)
		}
	}
	if len(fires) < 2 {
		t.Fatalf("RTO fired %d times; want at least 2 during a 3 s outage", len(fires))
	}
	// RFC 6298 §5.5: each expiry doubles the timeout.
	for i := 2; i < len(fires); i++ {
		prev, cur := fires[i-1].Sub(fires[i-2]), fires[i].Sub(fires[i-1])
		if cur != 2*prev {
			t.Errorf("RTO interval %d = %v after %v; want double", i, cur, prev)
		}
	}
	if p.sink.got != 4<<20 {
		t.Fatalf("delivered %d bytes; want %d", p.sink.got, 4<<20)
	}
	if p.sink.done < sim.At(outage.To) {
		t.Errorf("completed at %v; want after the outage ends at %v", p.sink.done, outage.To)
	}
	t.Logf("RTO fired at %v; completed at %v", fires, p.sink.done)
}

func TestFlowControlZeroWindow(t *testing.T) {
	cfg := DefaultConfig()
	cfg.RecvBuffer = 16 * 1460
	p := newPair(t, pairOpts{cfg: cfg, size: 64 * 1460})
	p.client.SetAutoRead(false)
	// The application reads 8 segments' worth every 500 ms: the window
	// closes, the sender probes, and each read reopens it.
	var read *sim.Timer
	read = p.loop.NewTimer(func(now sim.Time) {
		p.client.Consume(now, 8*1460)
		if p.sink.done == 0 {
			read.Set(now.Add(500 * time.Millisecond))
		}
	})
	read.Set(sim.At(500 * time.Millisecond))
	p.run()
	if p.sink.got != 64*1460 {
		t.Fatalf("delivered %d; want %d", p.sink.got, 64*1460)
	}
	// The sender never sends beyond the right edge of the window it has
	// been offered (RFC 9293 §3.8.6), and the window did close.
	var edge int64
	zero := 0
	for _, e := range p.log.Events() {
		switch {
		case e.Kind == trace.PacketReceived && e.Side == trace.Server && e.Flags.Has(trace.FlagACK):
			edge = max(edge, e.Ack-1+e.Wnd)
			if e.Wnd == 0 {
				zero++
			}
		case e.Kind == trace.PacketSent && e.Side == trace.Server && e.Len > 0:
			if end := e.Seq - 1 + e.Len; end > edge {
				t.Errorf("server sent up to %d at %v beyond the offered edge %d", end, e.At, edge)
			}
		}
	}
	if zero == 0 {
		t.Error("the receiver never advertised a zero window")
	}
	if st := p.client.ReceiverState(); st.Window > cfg.RecvBuffer {
		t.Errorf("window %d exceeds the buffer %d", st.Window, cfg.RecvBuffer)
	}
	// 64 segments through a 16-segment buffer read 8 at a time every
	// 500 ms: at least (64-16)/8 = 6 reads before the last byte, so at
	// least 3 s.
	if p.sink.done < sim.At(3*time.Second) {
		t.Errorf("completed at %v; want no earlier than 3s (flow control)", p.sink.done)
	}
}

func TestSequenceNumbersWrap(t *testing.T) {
	iss := Seq(0xffffffff - 5000)
	p := newPair(t, pairOpts{cfg: DefaultConfig(), size: 100 * 1460, clientISS: &iss, down: link.Config{Drop: []int{3}}})
	p.sink.keepBytes = true
	p.run()
	if p.sink.got != 100*1460 || p.sink.closed == 0 {
		t.Errorf("delivered %d bytes, closed=%v; want %d and a FIN across the 2^32 wrap", p.sink.got, p.sink.closed != 0, 100*1460)
	}
}

func TestDeliveryRecordsArrivalBehindAHole(t *testing.T) {
	// Drop the 5th data segment: the segments after it arrive on time but
	// wait in the reassembly buffer until the retransmission fills the hole.
	p := newPair(t, pairOpts{cfg: DefaultConfig(), size: 20 * 1460, down: link.Config{Drop: []int{5}}})
	p.run()
	var waited, onTime int
	var filler sim.Time
	for _, e := range p.events(trace.DataMoved, trace.Client) {
		switch {
		case e.Arrived < e.At:
			waited++
			if filler == 0 || e.At != filler {
				t.Errorf("bytes [%d,%d) delivered at %v; want at the retransmission's arrival %v", e.Seq, e.Seq+e.Len, e.At, filler)
			}
		case e.Seq == 4*1460:
			filler = e.At // the retransmitted segment: delivered on arrival
		default:
			onTime++
		}
	}
	if filler == 0 || waited == 0 {
		t.Fatalf("hole filled at %v, %d ranges waited; want a fill and waiting ranges", filler, waited)
	}
	t.Logf("%d ranges delivered on arrival, %d waited for the hole filled at %v", onTime, waited, filler)
}

func TestLostWindowUpdateIsRecoveredByProbe(t *testing.T) {
	cfg := DefaultConfig()
	cfg.RecvBuffer = 8 * 1460
	// The client sends ACKs only; with delayed ACKs off, count them: the
	// window update after the first read is lost, so only the persist
	// timer's probe can reopen the window.
	p := newPair(t, pairOpts{cfg: cfg, size: 16 * 1460})
	p.client.SetAutoRead(false)
	p.loop.After(sim.At(time.Second), func(now sim.Time) {
		p.up.Cut() // the window update is lost
		p.client.Consume(now, 8*1460)
	})
	p.loop.After(sim.At(1100*time.Millisecond), func(now sim.Time) { p.up.Restore() })
	p.run()
	probes := 0
	for _, e := range p.events(trace.LossTimerUpdated, trace.Server) {
		if e.Name == "persist" {
			probes++
		}
	}
	if probes == 0 {
		t.Error("no zero-window probe was sent")
	}
	if p.sink.got < 16*1460-8*1460 {
		t.Errorf("delivered %d bytes; want at least %d after the probe reopened the window", p.sink.got, 8*1460)
	}
}

func TestResetAbortsBothEnds(t *testing.T) {
	p := newPair(t, pairOpts{cfg: DefaultConfig(), size: 1 << 20})
	p.loop.After(sim.At(400*time.Millisecond), func(now sim.Time) { p.server.Reset(now) })
	p.run()
	if p.sink.closed == 0 || p.sink.got >= 1<<20 {
		t.Errorf("client saw the close at %v after %d bytes; want an early close", p.sink.closed, p.sink.got)
	}
	if p.client.State() != Closed || p.server.State() != Closed {
		t.Errorf("states %s, %s; want both closed", p.client.State(), p.server.State())
	}
	rst := 0
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		if e.Flags.Has(trace.FlagRST) {
			rst++
		}
	}
	if rst != 1 {
		t.Errorf("%d RST segments; want 1", rst)
	}
}

// A dropped connection says so once in the trace, then sends and traces
// nothing more: no RST, no retransmission of what was in flight.
func TestDropEndsSilently(t *testing.T) {
	p := newPair(t, pairOpts{cfg: DefaultConfig(), size: 1 << 20})
	const at = 400 * time.Millisecond
	p.loop.After(sim.At(at), func(now sim.Time) {
		p.server.Drop(now)
		p.server.Drop(now)
	})
	p.run()
	var dropped int
	for _, e := range p.events(trace.ConnectionStateUpdated, trace.Server) {
		if e.Name == "dropped" {
			dropped++
		}
	}
	if dropped != 1 || p.server.State() != Closed {
		t.Errorf("%d dropped states, state %s; want 1, closed", dropped, p.server.State())
	}
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		if e.At > sim.At(at) || e.Flags.Has(trace.FlagRST) {
			t.Errorf("the server sent %+v after it dropped the connection", e)
			break
		}
	}
}

// TestMetricsFollowBytesInFlight: every ACK that changes the bytes in
// flight is reported, so the charts read the flight the sender has. A
// small, application-limited transfer neither grows the window nor times
// every segment: its last report used to leave bytes in flight after all
// were acknowledged.
func TestMetricsFollowBytesInFlight(t *testing.T) {
	for _, size := range []int64{3 * 1460, 40 * 1460} {
		p := newPair(t, pairOpts{cfg: DefaultConfig(), size: size})
		p.sink.runOn = true
		p.run()
		m := p.events(trace.MetricsUpdated, trace.Server)
		if len(m) == 0 {
			t.Fatalf("%d bytes: no metrics", size)
		}
		if last := m[len(m)-1]; last.InFlight != 0 {
			t.Errorf("%d bytes: last report at %v says %d bytes in flight; want 0 once all are acknowledged", size, last.At, last.InFlight)
		}
	}
}

// A SYN's window is not scaled (RFC 7323 §2.2): the 4 MiB buffer offers
// 65,535 bytes in the SYN and SYN-ACK, the whole buffer, scaled, after.
func TestSYNWindowIsUnscaled(t *testing.T) {
	p := newPair(t, pairOpts{cfg: DefaultConfig(), size: 100 * 1460})
	p.run()
	var syns, later int
	for _, side := range []trace.Side{trace.Client, trace.Server} {
		for _, e := range p.events(trace.PacketSent, side) {
			switch {
			case e.Flags.Has(trace.FlagSYN):
				syns++
				if e.Wnd != 0xffff {
					t.Errorf("%v's SYN offers %d bytes; want 65535, unscaled", side, e.Wnd)
				}
			case e.Wnd > 0xffff:
				later++
			}
		}
	}
	if syns != 2 || later == 0 {
		t.Errorf("%d SYNs, %d later segments offering more than 65535 bytes; want 2 and some", syns, later)
	}
}
