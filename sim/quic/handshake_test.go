package quic

import (
	"bytes"
	"fmt"
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
	rejected := resumed
	rejected.RejectEarlyData = true
	stacks := []struct {
		name string
		cfg  Config
		rtts int
	}{
		{"first connection", DefaultConfig(), 2},
		{"0-RTT resumption", resumed, 1},
		// RFC 9001 §4.6.2: a rejected 0-RTT costs what a resumption
		// without it does; the request goes again after the handshake.
		{"0-RTT rejected", rejected, 2},
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

// TestZeroRTTRejected checks a server that rejects 0-RTT (RFC 9001 §4.6.2):
// it processes and acknowledges none of the client's 0-RTT packets; the
// client, told by EncryptedExtensions, takes them out of bytes in flight
// with no congestion response (RFC 9002 §6.4) and sends every stream's data
// again from offset 0 in 1-RTT packets, which the server's application gets
// once, in order, after the handshake.
func TestZeroRTTRejected(t *testing.T) {
	const rtt = 100 * time.Millisecond
	cfg := DefaultConfig()
	cfg.Resume, cfg.EarlyData, cfg.RejectEarlyData = true, true, true
	p := newPair(t, pairOpts{cfg: cfg, rtt: rtt, bw: 100 * units.Mbps})
	// Three requests of 3000 bytes and a unidirectional stream of 500,
	// all written at once as 0-RTT data; distinct real bytes, so that
	// the server's copy can be compared.
	written := map[uint64][]byte{}
	p.capp.onReady = func(now sim.Time) {
		for i := range 4 {
			id, err := p.client.OpenStream(now, i < 3)
			if err != nil {
				t.Fatalf("OpenStream: %v", err)
			}
			n := 3000
			if i == 3 {
				n = 500
			}
			b := make([]byte, n)
			for k := range b {
				b[k] = byte(k*7 + i)
			}
			written[id] = b
			p.client.Write(now, id, b)
			p.client.CloseStream(now, id)
		}
	}
	p.sapp.keep = true
	p.sapp.onFin = func(now sim.Time, id uint64) {
		if IsBidi(id) {
			p.server.WriteFiller(now, id, 100)
			p.server.CloseStream(now, id)
		}
	}
	p.capp.stopAt = 3
	zeroPNs := map[int64]bool{}
	var zeroBytes int64
	srv := &p.server.spaces[wire.SpaceApplicationData].ack
	acked0RTT := false
	p.log.Observe(func(e *trace.Event) {
		switch {
		case e.Kind == trace.PacketSent && e.Side == trace.Client && e.Name == "0RTT":
			zeroPNs[e.PN] = true
			zeroBytes += e.Len
		case e.Kind == trace.PacketSent && e.Side == trace.Server:
			// Every ACK the server builds comes from this set.
			for pn := range zeroPNs {
				if srv.received.contains(pn) {
					acked0RTT = true
				}
			}
		}
	})
	p.start()
	p.run()

	if len(zeroPNs) == 0 {
		t.Fatal("the client sent no 0-RTT packet")
	}
	if acked0RTT {
		t.Error("the server recorded a 0-RTT packet for acknowledgement")
	}
	for _, e := range p.events(trace.PacketReceived, trace.Server) {
		if e.Name == "0RTT" {
			t.Errorf("the server processed 0-RTT packet %d", e.PN)
		}
	}
	dropped := 0
	for _, e := range p.events(trace.PacketDropped, trace.Server) {
		if zeroPNs[e.PN] && e.Name == "key_unavailable" {
			dropped++
		}
	}
	if dropped != len(zeroPNs) {
		t.Errorf("server dropped %d of %d 0-RTT packets", dropped, len(zeroPNs))
	}
	var states []string
	for _, e := range p.log.Events() {
		if e.Kind == trace.ConnectionStateUpdated && len(e.Name) > 10 && e.Name[:10] == "early_data" {
			states = append(states, e.Side.String()+":"+e.Name)
		}
	}
	if got, want := fmt.Sprint(states), "[client:early_data_sent server:early_data_rejected client:early_data_rejected]"; got != want {
		t.Errorf("early data states %s; want %s", got, want)
	}

	// Every stream's bytes reached the server's application once, whole,
	// in order (the app panics on a gap), after the client's Finished
	// reached the server: 1.5 RTT.
	for id, b := range written {
		r := p.sapp.rec(id)
		if r.bytes != int64(len(b)) || !bytes.Equal(r.data, b) {
			t.Errorf("stream %d: server got %d bytes; want the %d written, once", id, r.bytes, len(b))
		}
		if r.fin < 0 {
			t.Errorf("stream %d: no FIN at the server", id)
		}
		if r.first < sim.At(3*rtt/2) {
			t.Errorf("stream %d: first byte at the server at %v; want after the handshake, 1.5 RTT", id, r.first)
		}
	}
	for id := uint64(0); id < 12; id += 4 {
		if p.capp.rec(id).fin < 0 {
			t.Errorf("stream %d: no response", id)
		}
	}

	// Bytes in flight are those of the outstanding packets, the 0-RTT
	// ones no longer among them; no congestion response.
	r := p.client.rec
	inFlight := 0
	for sp := range r.spaces {
		for _, q := range r.spaces[sp].sent.kept() {
			if q.state == pktOutstanding && q.inFlight && q.path == r.path {
				inFlight += q.size
			}
			if q.state == pktOutstanding && q.typ == wire.Packet0RTT {
				t.Errorf("0-RTT packet %d still outstanding", q.pn)
			}
		}
	}
	if r.bytesInFlight != inFlight {
		t.Errorf("bytes in flight %d; the outstanding packets hold %d", r.bytesInFlight, inFlight)
	}
	st := p.client.Stats()
	if r.congestionEvents != 0 || st.PacketsLost != 0 || r.cc.Ssthresh() < 1<<40 {
		t.Errorf("congestion events %d, packets lost %d, ssthresh %d; want no congestion response", r.congestionEvents, st.PacketsLost, r.cc.Ssthresh())
	}
	if st.EarlyRejected != zeroBytes || st.EarlyRejected != 3*3000+500 {
		t.Errorf("EarlyRejected %d; want the %d bytes of the 0-RTT packets, all that was written", st.EarlyRejected, zeroBytes)
	}
	if st.Payload != 3*3000+500 {
		t.Errorf("Payload %d; want every byte written once more, in 1-RTT packets", st.Payload)
	}
	if sum := st.Overhead + st.Handshake + st.RetransmittedHandshake + st.Payload + st.RetransmittedPayload + st.EarlyRejected; sum != st.Bytes {
		t.Errorf("stats %+v add up to %d, not %d", st, sum, st.Bytes)
	}
}
