package quic

import (
	"slices"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// TestCloseBeforeConfirmationInEveryPacketType checks RFC 9000 §10.2.3: a
// server that closes before the handshake is confirmed, when the client
// may not read 1-RTT packets yet, sends its CONNECTION_CLOSE in Initial,
// Handshake and 1-RTT packets. Once confirmed, 1-RTT alone does.
func TestCloseBeforeConfirmationInEveryPacketType(t *testing.T) {
	tests := []struct {
		name    string
		at      time.Duration // when the server closes (RTT 100 ms)
		want    []string      // the packet types it sends then
		confirm bool
	}{
		// The server sent its first flight at 50 ms; the client's
		// Finished reaches it at 150 ms.
		{"before confirmation", 60 * time.Millisecond, []string{wire.PacketInitial.String(), wire.PacketHandshake.String(), wire.Packet1RTT.String()}, false},
		{"after confirmation", 400 * time.Millisecond, []string{wire.Packet1RTT.String()}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPair(t, pairOpts{})
			p.requestResponse(t, 100, 1<<20)
			p.capp.stopAt = 0
			at := sim.At(tt.at)
			p.loop.After(at, func(now sim.Time) {
				if p.server.hs.confirmed != tt.confirm {
					t.Fatalf("confirmed = %v at %v; want %v", p.server.hs.confirmed, now, tt.confirm)
				}
				p.server.Close(now, 0x100, "bye")
			})
			p.start()
			p.run()
			var got []string
			for _, e := range p.events(trace.PacketSent, trace.Server) {
				if e.At == at {
					got = append(got, e.Name)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("packets sent on closing = %v; want %v", got, tt.want)
			}
			if p.capp.closed != "closed" {
				t.Errorf("client closed %q; want the server's close to reach it", p.capp.closed)
			}
		})
	}
}

// TestClosingStateAnswersThePeer checks RFC 9000 §10.2.1: an endpoint that
// closed answers the peer's packets with its CONNECTION_CLOSE again. The
// server loses its state (LoseState, a crash answered with Stateless
// Resets) while the connection is idle, and the one close it sends at once
// is lost. When the client sends its next request, the answer tells it of
// the close within a round trip, not its 30 s idle timeout.
func TestClosingStateAnswersThePeer(t *testing.T) {
	const crash, ask = 400 * time.Millisecond, 600 * time.Millisecond
	// The server's link is down as it crashes: its close is lost.
	p := newPair(t, pairOpts{down: link.Config{Outages: []link.Outage{{From: crash, To: crash + 50*time.Millisecond}}}})
	p.requestResponse(t, 100, 1000)
	p.capp.stopAt = 0
	p.loop.After(sim.At(crash), func(now sim.Time) { p.server.LoseState(now, 0x102, "crash") })
	p.loop.After(sim.At(ask), func(now sim.Time) {
		id, err := p.client.OpenStream(now, true)
		if err != nil {
			t.Fatalf("OpenStream: %v", err)
		}
		p.client.Write(now, id, make([]byte, 100))
		p.client.CloseStream(now, id)
	})
	p.start()
	p.run()
	var closedAt sim.Time = -1
	for _, e := range p.events(trace.ConnectionStateUpdated, trace.Client) {
		if e.Name == "closed" || e.Name == "idle_timeout" {
			closedAt = e.At
			if e.Name != "closed" {
				t.Errorf("the client ended by %s at %v; want the server's answer", e.Name, e.At)
			}
		}
	}
	if closedAt < sim.At(ask) || closedAt > sim.At(ask+200*time.Millisecond) {
		t.Errorf("the client learned of the close at %v; want a round trip after its request at %v", closedAt, ask)
	}
}
