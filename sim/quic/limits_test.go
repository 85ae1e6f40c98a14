package quic

import (
	"slices"
	"testing"

	"httpsim/sim"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

func TestStreamLimitQueuesStreams(t *testing.T) {
	// The server lets the client open 2 bidirectional streams at a time
	// (initial_max_streams_bidi); the client opens 6 at once. The rest
	// wait for MAX_STREAMS, which the server sends as streams finish
	// (RFC 9000 §4.6), and the client says STREAMS_BLOCKED.
	cfg := DefaultConfig()
	cfg.InitialMaxStreamsBidi = 2
	p := newPair(t, pairOpts{cfg: cfg})
	const n = 6
	p.capp.onReady = func(now sim.Time) {
		for i := 0; i < n; i++ {
			id, err := p.client.OpenStream(now, true)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := p.client.StreamAllowed(id), i < 2; got != want {
				t.Errorf("StreamAllowed(%d) = %v on opening; want %v", id, got, want)
			}
			p.client.Write(now, id, make([]byte, 30))
			p.client.CloseStream(now, id)
		}
	}
	p.sapp.onFin = func(now sim.Time, id uint64) {
		p.server.WriteFiller(now, id, 3000)
		p.server.CloseStream(now, id)
	}
	p.capp.stopAt = n
	p.start()
	p.run()
	if p.capp.finCount != n {
		t.Fatalf("%d of %d responses completed", p.capp.finCount, n)
	}
	counts := map[wire.FrameType]int{}
	for _, e := range p.log.Events() {
		if e.Kind != trace.PacketSent {
			continue
		}
		_, frames, _ := EventFrames(&e, 8)
		for _, f := range frames {
			counts[f.Type()]++
		}
	}
	if counts[wire.FrameTypeStreamsBlockedBidi] == 0 || counts[wire.FrameTypeMaxStreamsBidi] == 0 {
		t.Errorf("STREAMS_BLOCKED %d, MAX_STREAMS %d; want both", counts[wire.FrameTypeStreamsBlockedBidi], counts[wire.FrameTypeMaxStreamsBidi])
	}
	// The streams held are allowed in order, each once, when MAX_STREAMS
	// comes: after a response is done.
	if want := []uint64{8, 12, 16, 20}; !slices.Equal(p.capp.allowed, want) {
		t.Errorf("OnStreamAllowed for %v; want %v", p.capp.allowed, want)
	}
	if a, c := p.capp.rec(0).fin, p.capp.rec(8).allowedAt; c <= a {
		t.Errorf("stream 8 allowed at %v, stream 0 done at %v; want after", c, a)
	}
	// The third stream's request cannot leave before the first two are
	// done: its response comes at least a round trip after theirs.
	if a, c := p.capp.rec(0).fin, p.capp.rec(8).fin; c.Sub(a) < 90_000_000 {
		t.Errorf("stream 8 done at %v, stream 0 at %v; want stream 8 a round trip later", c, a)
	}
}

func TestResetAndClose(t *testing.T) {
	p := newPair(t, pairOpts{})
	var resetCode uint64
	p.capp.onReady = func(now sim.Time) {
		id, _ := p.client.OpenStream(now, true)
		p.client.Write(now, id, []byte("GET /big"))
		p.client.CloseStream(now, id)
	}
	p.sapp.onFin = func(now sim.Time, id uint64) {
		p.server.WriteFiller(now, id, 1<<20)
		p.server.CloseStream(now, id)
	}
	got := int64(0)
	stopped := false
	p.loop.After(sim.At(400_000_000), func(now sim.Time) {
		got = p.capp.rec(0).bytes
		// The client no longer wants the body: STOP_SENDING; the server
		// answers with RESET_STREAM (RFC 9000 §3.5).
		if err := p.client.StopSending(now, 0, 0x10c); err != nil {
			t.Fatal(err)
		}
		stopped = true
	})
	p.loop.After(sim.At(900_000_000), func(now sim.Time) { p.client.Close(now, 0, "bye") })
	p.start()
	p.run()
	if !stopped || got == 0 {
		t.Fatalf("no data before STOP_SENDING")
	}
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		_, frames, _ := EventFrames(&e, 8)
		for _, f := range frames {
			if r, ok := f.(*wire.ResetStreamFrame); ok {
				resetCode = r.ApplicationProtocolErrorCode
			}
		}
	}
	if resetCode != 0x10c {
		t.Errorf("RESET_STREAM code %#x; want 0x10c", resetCode)
	}
	if r := p.capp.rec(0); r.bytes >= 1<<20 {
		t.Errorf("client got %d bytes after stopping; want the stream cut short", r.bytes)
	}
	if !p.client.Closed() || !p.server.Closed() {
		t.Errorf("closed: client %v, server %v; want both after CONNECTION_CLOSE", p.client.Closed(), p.server.Closed())
	}
}
