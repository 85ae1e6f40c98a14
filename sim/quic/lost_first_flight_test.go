package quic

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/trace"
)

// The server's first datagram (its Initial with the ServerHello, and the
// first Handshake packet) is lost on a 100 ms path. Three rules of RFC 9000
// and RFC 9002 meet there:
//   - the server's Initial PTO probe brings its Handshake data along (RFC
//     9002 §6.2.4), so the client completes at about 999 ms + 2 RTT; the
//     certificate came 240 ms later, on the Handshake space's own timer;
//   - the time the client held the server's Handshake packets for want of
//     keys is ACK delay, not path: the server's RTT stays near 100 ms (its
//     first sample was 1.1 s, and its PTO above a second after);
//   - a server's ack-eliciting Initial goes in a datagram of at least 1200
//     bytes (RFC 9000 §14.1): its probe went out in 357.
func TestLostFirstServerFlight(t *testing.T) {
	p := newPair(t, pairOpts{down: link.Config{Drop: []int{1}}})
	p.requestResponse(t, 100, 100)
	p.start()
	p.run()
	var done sim.Time = -1
	for _, e := range p.log.Events() {
		if e.Side == trace.Client && e.Kind == trace.ConnectionStateUpdated && e.Name == "handshake_complete" && done < 0 {
			done = e.At
		}
	}
	if d := done.Sub(sim.At(999 * time.Millisecond)); done < 0 || d < 100*time.Millisecond || d > 110*time.Millisecond {
		t.Errorf("client handshake complete at %v; want about 1.1 s (the PTO at 999 ms, then a round trip)", done)
	}
	if srtt := p.server.rec.rtt.smoothed; srtt > 120*time.Millisecond {
		t.Errorf("server smoothed RTT %v on a 100 ms path; want the keys' wait left out", srtt)
	}
	// Datagram sizes: packets of one datagram are sent at one instant, in
	// order; an Initial starts a datagram.
	type dgram struct {
		at        sim.Time
		size      int64
		eliciting bool
	}
	var ds []dgram
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		if e.Name == "initial" {
			// Ack-eliciting: CRYPTO data, or a probe (a PING).
			ds = append(ds, dgram{e.At, e.Size - 28, e.Len > 0 || e.Flags.Has(trace.FlagProbe)})
		} else if n := len(ds); n > 0 && ds[n-1].at == e.At && e.Name == "handshake" {
			ds[n-1].size += e.Size // the datagram's UDP and IP headers count once, with its first packet
		}
	}
	for _, d := range ds {
		if d.eliciting && d.size < 1200 {
			t.Errorf("server Initial datagram of %d bytes at %v; want at least 1200", d.size, d.at)
		}
	}
}
