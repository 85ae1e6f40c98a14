package quic

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// TestIdleTimerIgnoresPacketsNotProcessed checks RFC 9000 §10.1: the idle
// timer restarts when a packet from the peer is "received and processed
// successfully". Datagrams the client cannot parse, arriving every 300 ms
// after the exchange, must not keep the connection open.
func TestIdleTimerIgnoresPacketsNotProcessed(t *testing.T) {
	cfg := DefaultConfig()
	cfg.IdleTimeout = 2 * time.Second
	p := newPair(t, pairOpts{cfg: cfg})
	p.requestResponse(t, 100, 1000)
	p.capp.stopAt = 0
	var done sim.Time = -1
	garbage := func(now sim.Time) {
		// A short header whose packet number is cut off: unparseable.
		d := &Datagram{From: trace.Server, Packets: []*Packet{{Type: wire.Packet1RTT, Raw: []byte{0x40}, Size: 1}}, Size: 1}
		p.client.Receive(now, d)
	}
	p.capp.onFin = func(now sim.Time, id uint64) {
		done = now
		for i := 1; i <= 40; i++ {
			p.loop.After(now.Add(time.Duration(i)*300*time.Millisecond), garbage)
		}
	}
	p.start()
	p.run()
	if done < 0 {
		t.Fatal("the response did not finish")
	}

	var closedAt sim.Time = -1
	for _, e := range p.events(trace.ConnectionStateUpdated, trace.Client) {
		if e.Name == "idle_timeout" {
			closedAt = e.At
		}
	}
	if closedAt < 0 {
		t.Fatalf("the client never timed out idle (closed %q)", p.capp.closed)
	}
	// The timer was last restarted by a packet processed before done (or
	// by the ACK sent after it); the unparseable ones must not move it.
	if limit := done.Add(cfg.IdleTimeout + time.Second); closedAt > limit {
		t.Errorf("idle timeout at %v; want by %v (exchange done at %v, timeout %v)", closedAt, limit, done, cfg.IdleTimeout)
	}
}
