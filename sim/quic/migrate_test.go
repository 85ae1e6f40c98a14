package quic

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// slowStartTime is the textbook time to deliver size bytes from a cold
// start on a path of round-trip rtt and bandwidth bw, in datagrams of mds
// bytes with payload of payload bytes: the window starts at the initial
// window and doubles each round trip until it covers the bandwidth-delay
// product; the last byte arrives half a round trip after it is sent.
func slowStartTime(size int64, rtt time.Duration, bw units.Rate, mds, payload int) time.Duration {
	pkts := int((size + int64(payload) - 1) / int64(payload))
	tx := bw.TxTime(mds + DatagramOverhead)
	var t time.Duration
	cwnd, sent := InitialWindow(mds)/mds, 0
	for {
		w := min(cwnd, pkts-sent)
		if sent+w == pkts || time.Duration(w)*tx >= rtt {
			return t + time.Duration(pkts-sent)*tx + rtt/2
		}
		t += rtt
		sent += w
		cwnd *= 2
	}
}

func TestMigration(t *testing.T) {
	const (
		size    = 3 << 20
		oldRTT  = 100 * time.Millisecond
		newRTT  = 40 * time.Millisecond
		oldBW   = 20 * units.Mbps
		newBW   = 50 * units.Mbps
		moveAt  = 1500 * time.Millisecond
		newAddr = 1
	)
	p := newPair(t, pairOpts{rtt: oldRTT, bw: oldBW})
	p.requestResponse(t, 100, size)
	var delivered int64
	p.capp.onData = func(now sim.Time, id uint64, d bytestream.Slice, at tcp.Arrival) {
		if now <= sim.At(moveAt) {
			delivered += d.N
		}
	}
	var newUp, newDown *link.Link
	p.loop.After(sim.At(moveAt), func(now sim.Time) {
		// The client's network changes: the old path goes dark, a new
		// one with its own delay and bandwidth takes over.
		cfg := link.Config{Bandwidth: newBW, Delay: newRTT / 2, QueueBytes: 64 << 20}
		newUp = link.New(p.loop, p.log, "up2", cfg, 1, p.sh)
		newDown = link.New(p.loop, p.log, "down2", cfg, 1, p.ch)
		p.up.Cut()
		p.down.Cut()
		p.ch.SetLink(newUp)
		p.sh.SetRoute(newAddr, newDown)
		if err := p.client.Migrate(now, newAddr, nil); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
	})
	p.start()
	p.run()
	r := p.capp.rec(0)
	if r.fin < 0 || r.bytes != size {
		t.Fatalf("transfer incomplete: %d of %d bytes", r.bytes, size)
	}
	if delivered == 0 || delivered >= size {
		t.Fatalf("%d bytes delivered before the move; want a transfer in progress", delivered)
	}
	// No new handshake: no long-header packet after the move.
	frames := map[wire.FrameType][2]int{} // sent by client, server
	resetSeen := false
	for _, e := range p.log.Events() {
		if e.At < sim.At(moveAt) {
			continue
		}
		if e.Kind == trace.PacketSent {
			if e.Name != "1RTT" {
				t.Errorf("%v sent a %s packet after migrating", e.Side, e.Name)
			}
			_, fs, err := EventFrames(&e, 8)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				c := frames[f.Type()]
				c[e.Side]++
				frames[f.Type()] = c
			}
		}
		if e.Kind == trace.MetricsUpdated && e.Side == trace.Server && e.Cwnd == int64(InitialWindow(1350)) && e.SRTT == 333*time.Millisecond {
			resetSeen = true
		}
	}
	for _, ft := range []wire.FrameType{wire.FrameTypePathChallenge, wire.FrameTypePathResponse} {
		if c := frames[ft]; c[trace.Client] == 0 || c[trace.Server] == 0 {
			t.Errorf("%v frames after the move: client %d, server %d; want both to send some", ft, c[trace.Client], c[trace.Server])
		}
	}
	if frames[wire.FrameTypeRetireConnectionID][trace.Client] == 0 {
		t.Error("client did not retire its old connection ID")
	}
	if !resetSeen {
		t.Error("server's congestion controller and RTT estimator were not reset (RFC 9000 §9.4)")
	}
	var validated, migrated sim.Time = -1, -1
	for _, e := range p.events(trace.ConnectionStateUpdated, trace.Server) {
		switch e.Name {
		case "path_validated":
			validated = e.At
		case "migrated":
			migrated = e.At
		}
	}
	// The server learns of the move half a new round trip later, and has
	// the client's PATH_RESPONSE one new round trip after that.
	if d := migrated.Sub(sim.At(moveAt)); d < newRTT/2 || d > newRTT/2+2*time.Millisecond {
		t.Errorf("server saw the move %v after it; want about %v", d, newRTT/2)
	}
	if d := validated.Sub(migrated); d < newRTT || d > newRTT+2*time.Millisecond {
		t.Errorf("server validated the path %v after seeing the move; want about %v", d, newRTT)
	}
	// Round-trip arithmetic: the rest of the response cannot arrive
	// sooner than the new link can carry it one round trip after the
	// move, and takes no longer than a cold slow start on the new path
	// plus a few round trips for the probes and the anti-amplification
	// limit of the first one.
	rest := int64(size) - delivered
	lo := newRTT + newBW.TxTime(int(rest))
	hi := newRTT/2 + slowStartTime(rest, newRTT, newBW, 1350, 1300) + 3*newRTT
	got := r.fin.Sub(sim.At(moveAt))
	t.Logf("moved at %v with %d of %d bytes delivered; done %v later (bounds %v to %v); old path packets lost: %d",
		moveAt, delivered, size, got, lo, hi, p.server.Stats().PacketsLost)
	if got < lo || got > hi {
		t.Errorf("completion %v after the move; want between %v and %v", got, lo, hi)
	}
	if p.server.Stats().RetransmittedPayload == 0 {
		t.Error("nothing lost on the old path was retransmitted")
	}
}

func TestMigrationUnderLoss(t *testing.T) {
	// The move's probes, responses and retransmissions can be lost too.
	for seed := sim.Seed(1); seed <= 20; seed++ {
		loss := link.Loss{Model: link.Bernoulli, Rate: 0.05}
		p := newPair(t, pairOpts{seed: seed, noKeep: true, up: link.Config{Loss: loss}, down: link.Config{Loss: loss}})
		p.requestResponse(t, 100, 1<<20)
		p.loop.After(sim.At(800*time.Millisecond), func(now sim.Time) {
			cfg := link.Config{Bandwidth: 20 * units.Mbps, Delay: 30 * time.Millisecond, QueueBytes: 1 << 20, Loss: loss}
			up := link.New(p.loop, p.log, "up2", cfg, seed, p.sh)
			down := link.New(p.loop, p.log, "down2", cfg, seed, p.ch)
			p.up.Cut()
			p.down.Cut()
			p.ch.SetLink(up)
			p.sh.SetRoute(1, down)
			if err := p.client.Migrate(now, 1, nil); err != nil {
				t.Fatalf("seed %d: Migrate: %v", seed, err)
			}
		})
		p.start()
		p.run()
		if r := p.capp.rec(0); r.bytes != 1<<20 || r.fin < 0 {
			t.Errorf("seed %d: %d of %d bytes, closed %q", seed, r.bytes, 1<<20, p.capp.closed)
		}
		if !p.server.path.validated {
			t.Errorf("seed %d: the server never validated the new path", seed)
		}
	}
}

// dropFirstPathResponse is the client's way out after a move: it loses the
// first datagram that carries a PATH_RESPONSE.
type dropFirstPathResponse struct {
	out     *link.Link
	dropped bool
}

func (d *dropFirstPathResponse) Send(now sim.Time, p link.Packet) {
	if !d.dropped {
		for _, q := range p.(*Datagram).Packets {
			_, frames, _ := TraceFrames(q.Raw, q.DataLen, 8)
			for _, f := range frames {
				if _, ok := f.(*wire.PathResponseFrame); ok {
					d.dropped = true
					return
				}
			}
		}
	}
	d.out.Send(now, p)
}

// A PATH_RESPONSE is never sent twice (RFC 9000 §13.3): when the client's
// is lost, the server must challenge again. It used to wait for it, held to
// three times what it received (the anti-amplification limit), and trickled
// a packet per acknowledgement until the idle timeout ended the connection.
func TestLostPathResponseIsChallengedAgain(t *testing.T) {
	const (
		size    = 1 << 20
		moveAt  = 500 * time.Millisecond
		newAddr = 1
	)
	p := newPair(t, pairOpts{rtt: 100 * time.Millisecond, bw: 20 * units.Mbps})
	p.requestResponse(t, 100, size)
	filter := &dropFirstPathResponse{}
	p.loop.After(sim.At(moveAt), func(now sim.Time) {
		cfg := link.Config{Bandwidth: 20 * units.Mbps, Delay: 20 * time.Millisecond, QueueBytes: 1 << 20}
		filter.out = link.New(p.loop, p.log, "up2", cfg, 1, p.sh)
		newDown := link.New(p.loop, p.log, "down2", cfg, 1, p.ch)
		p.up.Cut()
		p.down.Cut()
		p.sh.SetRoute(newAddr, newDown)
		if err := p.client.Migrate(now, newAddr, filter); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
	})
	p.start()
	p.run()
	if !filter.dropped {
		t.Fatal("the client sent no PATH_RESPONSE after the move")
	}
	challenges := 0
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		if e.At < sim.At(moveAt) {
			continue
		}
		_, fs, err := EventFrames(&e, 8)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Type() == wire.FrameTypePathChallenge {
				challenges++
			}
		}
	}
	validated := sim.Time(-1)
	for _, e := range p.events(trace.ConnectionStateUpdated, trace.Server) {
		if e.Name == "path_validated" {
			validated = e.At
		}
	}
	r := p.capp.rec(0)
	t.Logf("%d PATH_CHALLENGEs from the server after the move; path validated at %v; response done at %v", challenges, validated, r.fin)
	if challenges < 2 || validated < 0 {
		t.Errorf("server sent %d PATH_CHALLENGEs and validated the path at %v; want a second challenge and a validated path", challenges, validated)
	}
	if r.fin < 0 || r.fin > sim.At(5*time.Second) {
		t.Errorf("response done at %v (bytes %d of %d); want it done within 5 s", r.fin, r.bytes, size)
	}
}

// On a new path slower than the probe timeout, the first PATH_CHALLENGE's
// response arrives after a second challenge has replaced it. It still
// validates the path (RFC 9000 §8.2.3: a response to a previous challenge
// does); a path that knew only its last challenge waited another round
// trip for the second one's.
func TestLateResponseToAnEarlierChallenge(t *testing.T) {
	const (
		moveAt  = 500 * time.Millisecond
		newRTT  = 1500 * time.Millisecond
		newAddr = 1
	)
	p := newPair(t, pairOpts{rtt: 100 * time.Millisecond, bw: 20 * units.Mbps})
	p.requestResponse(t, 100, 1<<20)
	p.loop.After(sim.At(moveAt), func(now sim.Time) {
		cfg := link.Config{Bandwidth: 20 * units.Mbps, Delay: newRTT / 2, QueueBytes: 4 << 20}
		up := link.New(p.loop, p.log, "up2", cfg, 1, p.sh)
		down := link.New(p.loop, p.log, "down2", cfg, 1, p.ch)
		p.up.Cut()
		p.down.Cut()
		p.ch.SetLink(up)
		p.sh.SetRoute(newAddr, down)
		if err := p.client.Migrate(now, newAddr, nil); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
	})
	p.start()
	p.run()
	validated := sim.Time(-1)
	for _, e := range p.events(trace.ConnectionStateUpdated, trace.Client) {
		if e.Name == "path_validated" && e.At > sim.At(moveAt) && validated < 0 {
			validated = e.At
		}
	}
	// The first challenge leaves at the move; its response is back one
	// new round trip later, plus serialisation.
	if d := validated.Sub(sim.At(moveAt)); validated < 0 || d > newRTT+50*time.Millisecond {
		t.Errorf("the client validated its new path %v after the move; want one round trip, about %v", d, newRTT)
	}
}
