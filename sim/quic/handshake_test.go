package quic

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

func TestInitialResentAfterFirstPTO(t *testing.T) {
	// The client's first datagram is lost: with no RTT sample the Initial
	// space's PTO is kInitialRtt + 4*kInitialRtt/2 = 999 ms (RFC 9002
	// §6.2.2), and the probe carries the ClientHello again.
	p := newPair(t, pairOpts{up: link.Config{Drop: []int{1}}})
	p.requestResponse(t, 100, 100)
	p.start()
	p.run()
	var initials []trace.Event
	for _, e := range p.events(trace.PacketSent, trace.Client) {
		if e.Name == "initial" {
			initials = append(initials, e)
		}
	}
	if len(initials) < 2 {
		t.Fatalf("client sent %d Initial packets; want the original and a probe", len(initials))
	}
	first, probe := initials[0], initials[1]
	if got := probe.At.Sub(first.At); got != 999*time.Millisecond {
		t.Errorf("Initial re-sent %v after the first; want 999ms", got)
	}
	if !probe.Flags.Has(trace.FlagProbe|trace.FlagRetransmit) || probe.Len != first.Len || probe.Size != 1228 {
		t.Errorf("probe: flags %#x, %d bytes of CRYPTO, %d on the wire; want a retransmitting probe of %d bytes in 1228", probe.Flags, probe.Len, probe.Size, first.Len)
	}
	timers := p.events(trace.LossTimerUpdated, trace.Client)
	if len(timers) == 0 || timers[0].RTT != 999*time.Millisecond || timers[0].Name != "pto" {
		t.Errorf("loss timer events %v; want a pto of 999ms", timers)
	}
	if p.capp.rec(0).fin < 0 {
		t.Error("the exchange did not complete after the probe")
	}
}

// firstByte runs a tiny request and response and returns when the first
// response byte arrived, with the serialization time of every packet sent
// before it (the tolerance of the round-trip arithmetic).
func firstByte(t *testing.T, cfg Config, rtt time.Duration, bw units.Rate) (first sim.Time, serialization time.Duration, p *pair) {
	p = newPair(t, pairOpts{cfg: cfg, rtt: rtt, bw: bw})
	p.requestResponse(t, 100, 100)
	p.start()
	p.run()
	first = p.capp.rec(0).first
	if first < 0 {
		t.Fatalf("no response byte arrived")
	}
	for _, e := range p.log.Events() {
		if e.Kind == trace.PacketSent && e.At < first {
			serialization += bw.TxTime(int(e.Size))
		}
	}
	return first, serialization, p
}

func TestFirstResponseByteRoundTrips(t *testing.T) {
	// ORACLES.md: HTTP/3 over QUIC takes 2 RTT to the first response byte
	// of a tiny request on a first connection, 1 RTT with 0-RTT.
	resumed := DefaultConfig()
	resumed.Resume, resumed.EarlyData = true, true
	stacks := []struct {
		name string
		cfg  Config
		rtts int
	}{
		{"first connection", DefaultConfig(), 2},
		{"0-RTT resumption", resumed, 1},
	}
	for _, rtt := range []time.Duration{20 * time.Millisecond, 100 * time.Millisecond, 300 * time.Millisecond} {
		for _, st := range stacks {
			bw := 100 * units.Mbps
			first, ser, p := firstByte(t, st.cfg, rtt, bw)
			want := time.Duration(st.rtts) * rtt
			excess := first.Since0() - want
			t.Logf("RTT %v %-17s first byte %v = %dR + %v (serialization bound %v)", rtt, st.name, first.Since0(), st.rtts, excess, ser)
			if excess < 0 || excess > ser {
				t.Errorf("RTT %v, %s: first byte at %v; want %dR = %v plus at most %v", rtt, st.name, first.Since0(), st.rtts, want, ser)
			}
			if st.cfg.EarlyData {
				zero := 0
				for _, e := range p.events(trace.PacketSent, trace.Client) {
					if e.Name == "0RTT" && e.Len > 0 {
						zero++
					}
				}
				if zero == 0 {
					t.Errorf("RTT %v: no 0-RTT packet carried the request", rtt)
				}
			}
		}
	}
}

func TestAmplificationLimit(t *testing.T) {
	// RFC 9000 §8.1: until it validates the client's address, the server
	// sends at most three times what it received. A 2500-byte chain fits
	// in 3 * 1200 bytes; a 6000-byte one does not, so the server waits for
	// the client's next datagram (its ACK, at 1.5 RTT), and the first
	// response byte comes a round trip later.
	const rtt = 100 * time.Millisecond
	tests := []struct {
		chain int
		rtts  int
	}{
		{2500, 2},
		{6000, 3},
		{12000, 3},
	}
	for _, tt := range tests {
		cfg := DefaultConfig()
		cfg.CertChain = tt.chain
		p := newPair(t, pairOpts{cfg: cfg, rtt: rtt, bw: 100 * units.Mbps})
		p.requestResponse(t, 100, 100)
		violations := 0
		stalled := false
		p.log.Observe(func(e *trace.Event) {
			s := p.server
			if !s.path.validated && s.path.sent > amplificationFactor*s.path.received {
				violations++
			}
			if s.rec.ampLimited && !s.path.validated {
				stalled = true
			}
		})
		p.start()
		p.run()
		if violations > 0 {
			t.Errorf("chain %d: %d events saw the server past 3x the bytes received", tt.chain, violations)
		}
		if stalled != (tt.rtts == 3) {
			t.Errorf("chain %d: server stalled by the limit = %v; want %v", tt.chain, stalled, tt.rtts == 3)
		}
		first := p.capp.rec(0).first
		want := time.Duration(tt.rtts) * rtt
		if d := first.Since0() - want; d < 0 || d > 10*time.Millisecond {
			t.Errorf("chain %d: first response byte at %v; want about %v", tt.chain, first.Since0(), want)
		}
		// The server's handshake bytes all went out, and were counted.
		hs := p.server.Stats().Handshake
		if hs < int64(tt.chain) {
			t.Errorf("chain %d: server sent %d handshake bytes; want at least the chain", tt.chain, hs)
		}
	}
}

// recorder passes datagrams on and keeps copies of them as they were sent:
// the datagrams themselves are recycled once their receiver is done.
type recorder struct {
	out   Router
	grams []*Datagram
}

func (r *recorder) Send(now sim.Time, p link.Packet) { r.SendTo(now, 0, p) }
func (r *recorder) SendTo(now sim.Time, addr int, p link.Packet) {
	r.grams = append(r.grams, copyDatagram(p.(*Datagram)))
	r.out.SendTo(now, addr, p)
}

// copyDatagram returns a deep copy of d that shares no memory with it.
func copyDatagram(d *Datagram) *Datagram {
	cp := &Datagram{Conn: d.Conn, From: d.From, Src: d.Src, Dst: d.Dst, Size: d.Size}
	for _, p := range d.Packets {
		q := *p
		q.Raw = append([]byte(nil), p.Raw...)
		q.Data = append([]bytestream.Slice(nil), p.Data...)
		q.b = nil
		cp.Packets = append(cp.Packets, &q)
	}
	return cp
}

func TestHandshakeSpacesAndPadding(t *testing.T) {
	p := newPair(t, pairOpts{})
	p.requestResponse(t, 100, 100)
	cr, sr := &recorder{out: p.ch}, &recorder{out: p.sh}
	p.client.SetOutput(cr)
	p.server.SetOutput(sr)
	p.start()
	p.run()
	// RFC 9000 §14.1: every client datagram with an Initial is padded to
	// 1200 bytes of UDP payload; so is every server datagram with an
	// ack-eliciting Initial.
	for _, r := range []*recorder{cr, sr} {
		for _, d := range r.grams {
			initial, eliciting := false, false
			for _, q := range d.Packets {
				if q.Type == wire.PacketInitial {
					initial = true
					eliciting = eliciting || q.DataLen > 0
				}
			}
			if initial && (d.From == trace.Client || eliciting) && d.Size < wire.MinInitialDatagramSize {
				t.Errorf("%v datagram with an Initial: %d bytes of UDP payload; want at least 1200", d.From, d.Size)
			}
			sum := 0
			for _, q := range d.Packets {
				sum += q.Size
			}
			if sum != d.Size || d.WireSize() != d.Size+28 {
				t.Errorf("%v datagram: packets add up to %d, size %d, on the wire %d", d.From, sum, d.Size, d.WireSize())
			}
		}
	}
	// The client's first datagram is exactly 1200 bytes: one padded Initial.
	if d := cr.grams[0]; d.Size != 1200 || len(d.Packets) != 1 {
		t.Errorf("client's first datagram: %d bytes in %d packets; want one Initial of 1200", d.Size, len(d.Packets))
	}
	// RFC 9001 §4.9: Initial keys are gone once Handshake packets flow,
	// Handshake keys once the handshake is confirmed.
	for _, c := range []*Conn{p.client, p.server} {
		if !c.spaces[wire.SpaceInitial].discarded || !c.spaces[wire.SpaceHandshake].discarded {
			t.Errorf("%v: Initial discarded %v, Handshake discarded %v; want both", c.side, c.spaces[wire.SpaceInitial].discarded, c.spaces[wire.SpaceHandshake].discarded)
		}
		if !c.HandshakeConfirmed() {
			t.Errorf("%v: handshake not confirmed", c.side)
		}
	}
	// HANDSHAKE_DONE went from server to client in a 1-RTT packet.
	found := false
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		_, frames, err := EventFrames(&e, 8)
		if err != nil {
			t.Fatalf("EventFrames(server pn %d): %v", e.PN, err)
		}
		for _, f := range frames {
			if f.Type() == wire.FrameTypeHandshakeDone {
				found = e.Name == "1RTT"
			}
		}
	}
	if !found {
		t.Error("no HANDSHAKE_DONE in a server 1-RTT packet")
	}
}
