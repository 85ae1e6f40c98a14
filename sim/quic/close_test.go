package quic

import (
	"slices"
	"testing"
	"time"

	"httpsim/sim"
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
