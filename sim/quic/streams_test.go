package quic

import (
	"slices"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

func TestStreamIDs(t *testing.T) {
	tests := []struct {
		n            uint64
		server, bidi bool
		want         uint64
	}{
		{0, false, true, 0}, {0, true, true, 1}, {0, false, false, 2}, {0, true, false, 3},
		{1, false, true, 4}, {2, true, false, 11},
	}
	for _, tt := range tests {
		id := StreamID(tt.n, tt.server, tt.bidi)
		if id != tt.want || IsBidi(id) != tt.bidi || IsServerInitiated(id) != tt.server {
			t.Errorf("StreamID(%d, %v, %v) = %d; want %d (RFC 9000 §2.1)", tt.n, tt.server, tt.bidi, id, tt.want)
		}
	}
}

func TestSchedulers(t *testing.T) {
	ready := []Ready{{ID: 0, Urgency: 3}, {ID: 4, Urgency: 3, Incremental: true}, {ID: 8, Urgency: 1, Incremental: true}, {ID: 12, Urgency: 1, Incremental: true}}
	tests := []struct {
		name string
		s    Scheduler
		want []uint64 // the stream chosen for five packets in a row
	}{
		{"sequential", Sequential{}, []uint64{0, 0, 0, 0, 0}},
		{"round robin", &RoundRobin{}, []uint64{0, 4, 8, 12, 0}},
		// Urgency 1 first; both incremental: they alternate.
		{"urgency", &Urgency{}, []uint64{8, 12, 8, 12, 8}},
	}
	for _, tt := range tests {
		var got []uint64
		for i := 0; i < 5; i++ {
			id := ready[tt.s.Next(ready)].ID
			got = append(got, id)
			tt.s.Packed(id)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v; want %v", tt.name, got, tt.want)
		}
	}
	// Non-incremental streams of the best urgency go one at a time.
	u := &Urgency{}
	r := []Ready{{ID: 0, Urgency: 2, Incremental: true}, {ID: 4, Urgency: 2}, {ID: 8, Urgency: 2}}
	if got := r[u.Next(r)].ID; got != 4 {
		t.Errorf("urgency with a non-incremental stream: %d; want 4", got)
	}
}

// twoResponses opens two streams at once and has the server answer each
// with size bytes.
func twoResponses(t *testing.T, p *pair, size int64, prio func(id uint64)) {
	p.capp.onReady = func(now sim.Time) {
		for i := 0; i < 2; i++ {
			id, _ := p.client.OpenStream(now, true)
			p.client.Write(now, id, make([]byte, 50))
			p.client.CloseStream(now, id)
		}
	}
	p.sapp.onFin = func(now sim.Time, id uint64) {
		if prio != nil {
			prio(id)
		}
		p.server.WriteFiller(now, id, size)
		p.server.CloseStream(now, id)
	}
	p.capp.stopAt = 2
}

func TestSchedulingOrder(t *testing.T) {
	tests := []struct {
		sched string
		prio  func(s *Conn) func(uint64)
		// firstDone is the stream that completes first; interleaved
		// whether the other stream's bytes arrive before it completes.
		firstDone   uint64
		interleaved bool
	}{
		{SchedulerSequential, nil, 0, false},
		{SchedulerRoundRobin, nil, 0, true},
		// Stream 4 is more urgent: it goes first, though opened later.
		{SchedulerUrgency, func(s *Conn) func(uint64) {
			return func(id uint64) {
				if id == 4 {
					s.SetPriority(id, 0, false)
				}
			}
		}, 4, false},
		{SchedulerUrgency, func(s *Conn) func(uint64) {
			return func(id uint64) { s.SetPriority(id, 3, true) }
		}, 0, true},
	}
	for _, tt := range tests {
		cfg := DefaultConfig()
		cfg.Scheduler = tt.sched
		p := newPair(t, pairOpts{cfg: cfg, bw: 10 * units.Mbps})
		var prio func(uint64)
		if tt.prio != nil {
			prio = tt.prio(p.server)
		}
		twoResponses(t, p, 200000, prio)
		p.start()
		p.run()
		a, b := p.capp.rec(0), p.capp.rec(4)
		if a.fin < 0 || b.fin < 0 {
			t.Fatalf("%s: streams did not complete", tt.sched)
		}
		first, other := a, b
		if tt.firstDone == 4 {
			first, other = b, a
		}
		if first.fin >= other.fin {
			t.Errorf("%s: stream %d completed at %v, the other at %v; want it first", tt.sched, tt.firstDone, first.fin, other.fin)
		}
		if got := other.first < first.fin; got != tt.interleaved {
			t.Errorf("%s: other stream's first byte at %v, first stream done at %v: interleaved %v; want %v", tt.sched, other.first, first.fin, got, tt.interleaved)
		}
	}
}

// carrying returns the ordinals (from 1, counting datagrams with payload
// as the link's scripted loss does) of the server's datagrams that carry
// data of stream id only.
func carrying(r *recorder, id uint64) []int {
	var out []int
	n := 0
	for _, d := range r.grams {
		if !d.HasPayload() {
			continue
		}
		n++
		only, some := true, false
		for _, q := range d.Packets {
			_, frames, _ := TraceFrames(q.Raw, q.DataLen, 8)
			for _, f := range frames {
				switch f := f.(type) {
				case *wire.StreamFrame:
					some = some || f.StreamID == id
					only = only && f.StreamID == id
				case *wire.CryptoFrame:
					only = false
				}
			}
		}
		if only && some {
			out = append(out, n)
		}
	}
	return out
}

func TestLossDelaysOnlyItsStream(t *testing.T) {
	// Two responses interleaved packet by packet. A packet carrying only
	// stream 0 is lost: stream 0 waits for its retransmission, stream 4's
	// bytes are delivered as they arrive (no cross-stream head-of-line
	// blocking, the point of QUIC's streams).
	cfg := DefaultConfig()
	cfg.Scheduler = SchedulerRoundRobin
	clean := newPair(t, pairOpts{cfg: cfg})
	twoResponses(t, clean, 100000, nil)
	rec := &recorder{out: clean.sh}
	clean.server.SetOutput(rec)
	clean.start()
	clean.run()
	ords := carrying(rec, 0)
	if len(ords) < 8 {
		t.Fatalf("only %d packets carry stream 0 alone", len(ords))
	}
	drop := ords[5]

	p := newPair(t, pairOpts{cfg: cfg, down: link.Config{Drop: []int{drop}}})
	twoResponses(t, p, 100000, nil)
	p.start()
	p.run()
	if p.down.Stats().DroppedScript != 1 {
		t.Fatalf("scripted drops %d; want 1", p.down.Stats().DroppedScript)
	}
	a, b := p.capp.rec(0), p.capp.rec(4)
	waited := time.Duration(0)
	for _, at := range a.arrivals {
		waited = max(waited, at.InOrder.Sub(at.At))
	}
	if waited < 50*time.Millisecond {
		t.Errorf("stream 0 waited at most %v for a hole; want about a round trip", waited)
	}
	for _, at := range b.arrivals {
		if at.At != at.InOrder {
			t.Errorf("stream 4: bytes that arrived at %v were delivered at %v; want on arrival", at.At, at.InOrder)
		}
	}
	for _, e := range p.events(trace.DataMoved, trace.Client) {
		if e.Stream == 4 && e.Arrived != e.At {
			t.Errorf("data_moved of stream 4 at %v arrived %v", e.At, e.Arrived)
		}
	}
	if b.fin >= a.fin {
		t.Errorf("stream 4 done at %v, stream 0 at %v; want stream 4 unaffected and first", b.fin, a.fin)
	}
	if got := p.server.Stats().RetransmittedPayload; got == 0 {
		t.Error("no stream data retransmitted")
	}
}

func TestStreamFlowControlThrottles(t *testing.T) {
	// A 16 KiB stream window on a 100 Mbit/s, 100 ms path (BDP 1.25 MB).
	// The receiver raises the limit to what it has read plus the window
	// once less than half the window is left (RFC 9000 §4.2, Chrome's
	// policy): each update grants the sender about half a window, plus
	// the overshoot of the packet that crossed the threshold, and the
	// next update needs those bytes to arrive, a round trip later. After
	// the first window the stream moves between W/2 and W/2 + one packet
	// per round trip: (size - W) / (W/2 + packet) to (size - W) / (W/2)
	// round trips, plus one for the first window.
	const w = 16 << 10
	const size = 400000
	const payload = 1318
	const rtt = 100 * time.Millisecond
	cfg := DefaultConfig()
	cfg.InitialMaxStreamDataBidiLocal = w
	p := newPair(t, pairOpts{cfg: cfg, rtt: rtt, bw: 100 * units.Mbps})
	p.requestResponse(t, 100, size)
	p.start()
	p.run()
	r := p.capp.rec(0)
	if r.fin < 0 {
		t.Fatal("response did not complete")
	}
	d := r.fin.Sub(r.first)
	rounds := func(x float64) time.Duration { return time.Duration(x * float64(rtt)) }
	lo := rounds(float64(size-w) / (w/2 + payload))
	hi := rounds(float64(size-w)/(w/2) + 1)
	t.Logf("window %d: %d bytes in %v (bounds %v to %v)", w, size, d, lo, hi)
	if d < lo || d > hi {
		t.Errorf("window %d: transfer took %v; want between %v and %v", w, d, lo, hi)
	}
	// The sender said it was blocked, and the receiver raised the limit.
	var blocked, raised int
	for _, e := range p.log.Events() {
		if e.Kind != trace.PacketSent {
			continue
		}
		_, frames, err := EventFrames(&e, 8)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range frames {
			switch f.Type() {
			case wire.FrameTypeStreamDataBlocked:
				blocked++
			case wire.FrameTypeMaxStreamData:
				raised++
			}
		}
	}
	if blocked == 0 || raised < size/w {
		t.Errorf("STREAM_DATA_BLOCKED %d, MAX_STREAM_DATA %d; want some, and at least %d", blocked, raised, size/w)
	}
	// With the default 6 MiB window the same transfer is limited by slow
	// start only.
	fast := newPair(t, pairOpts{rtt: rtt, bw: 100 * units.Mbps})
	fast.requestResponse(t, 100, size)
	fast.start()
	fast.run()
	if fd := fast.capp.rec(0).fin.Sub(fast.capp.rec(0).first); fd*3 > d {
		t.Errorf("default window: %v; want much faster than %v", fd, d)
	}
}

func TestTraceFramesAccountForEveryByte(t *testing.T) {
	p := newPair(t, pairOpts{down: link.Config{Loss: link.Loss{Model: link.Bernoulli, Rate: 0.03}}, up: link.Config{Loss: link.Loss{Model: link.Bernoulli, Rate: 0.03}}})
	twoResponses(t, p, 300000, nil)
	p.start()
	p.run()
	if p.capp.finCount != 2 {
		t.Fatalf("%d responses completed; want 2", p.capp.finCount)
	}
	n := 0
	for _, e := range p.log.Events() {
		if e.Kind != trace.PacketSent && e.Kind != trace.PacketReceived {
			continue
		}
		h, frames, err := EventFrames(&e, 8)
		if err != nil {
			t.Fatalf("%v pn %d: %v", e.Kind, e.PN, err)
		}
		if h.Type.String() != e.Name {
			t.Errorf("pn %d: header type %v; event says %s", e.PN, h.Type, e.Name)
		}
		// The packet's size on the wire is its header, its frames (data
		// included) and the AEAD tag; the first packet of a datagram also
		// counts the UDP and IP headers.
		size := h.Len() + wire.FramesLength(frames) + wire.AEADTagSize
		if d := e.Size - int64(size); d != 0 && d != DatagramOverhead {
			t.Errorf("%v pn %d (%s): event size %d; frames make %d", e.Kind, e.PN, e.Name, e.Size, size)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no packets")
	}
	for _, c := range []*Conn{p.client, p.server} {
		s := c.Stats()
		if s.Bytes != s.Overhead+s.Handshake+s.RetransmittedHandshake+s.Payload+s.RetransmittedPayload {
			t.Errorf("%v: %d bytes != overhead %d + handshake %d (%d again) + payload %d + retransmitted %d", c.side, s.Bytes, s.Overhead, s.Handshake, s.RetransmittedHandshake, s.Payload, s.RetransmittedPayload)
		}
	}
	up, down := p.up.Stats(), p.down.Stats()
	if cs, ss := p.client.Stats(), p.server.Stats(); cs.Bytes != up.Bytes || ss.Bytes != down.Bytes {
		t.Errorf("bytes sent %d and %d; the links carried %d and %d", cs.Bytes, ss.Bytes, up.Bytes, down.Bytes)
	}
}

// A critical stream's new data goes first whatever the scheduler; without
// critical streams the scheduler chooses.
func TestNextStreamCritical(t *testing.T) {
	scheds := []Scheduler{Sequential{}, &RoundRobin{}, &Urgency{}}
	ready := []Ready{{ID: 0, Urgency: 0}, {ID: 4, Urgency: 3}, {ID: 7, Urgency: 7, Critical: true}, {ID: 11, Urgency: 3, Critical: true}}
	for _, s := range scheds {
		if got := ready[nextStream(s, ready)].ID; got != 7 {
			t.Errorf("%T with critical streams 7 and 11: %d; want 7", s, got)
		}
		if got, want := ready[nextStream(s, ready[:2])].ID, ready[s.Next(ready[:2])].ID; got != want {
			t.Errorf("%T without critical streams: %d; want the scheduler's %d", s, got, want)
		}
	}
}

// responseThenSmallStream scripts a request on stream 0 answered with
// 300 kB, and right after the answer is written, 20 bytes on a new
// unidirectional server stream (critical if asked), whose ID it stores in
// uni.
func responseThenSmallStream(p *pair, critical bool, uni *uint64) {
	p.capp.onReady = func(now sim.Time) {
		id, _ := p.client.OpenStream(now, true)
		p.client.Write(now, id, make([]byte, 50))
		p.client.CloseStream(now, id)
	}
	p.sapp.onFin = func(now sim.Time, id uint64) {
		p.server.WriteFiller(now, id, 300000)
		p.server.CloseStream(now, id)
		*uni, _ = p.server.OpenStream(now, false)
		if critical {
			p.server.SetCritical(*uni)
		}
		p.server.Write(now, *uni, make([]byte, 20))
		p.server.CloseStream(now, *uni)
	}
	p.capp.stopAt = 2
}

// With the sequential scheduler a later, higher-numbered stream waits for
// a long response to end, unless it is critical: then its bytes go out
// before the rest of the response, as HTTP/3's QPACK encoder stream must.
func TestCriticalStreamGoesFirst(t *testing.T) {
	for _, critical := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Scheduler = SchedulerSequential
		p := newPair(t, pairOpts{cfg: cfg, bw: 10 * units.Mbps})
		var uni uint64
		responseThenSmallStream(p, critical, &uni)
		p.start()
		p.run()
		resp, u := p.capp.rec(0), p.capp.rec(uni)
		if resp.fin < 0 || u.fin < 0 {
			t.Fatalf("critical %v: streams did not complete", critical)
		}
		if early := u.fin < resp.first+sim.Time(50*time.Millisecond); early != critical {
			t.Errorf("critical %v: the small stream ended at %v, the response began at %v and ended at %v", critical, u.fin, resp.first, resp.fin)
		}
	}
}

// A critical stream's lost bytes are sent again before other streams'
// (packLost): when a burst of losses takes them with a stretch of a long
// response, they arrive with the first retransmission, not after the
// response's lost bytes.
func TestCriticalStreamRetransmittedFirst(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Scheduler = SchedulerSequential
	// Which datagram carries the critical stream's bytes?
	clean := newPair(t, pairOpts{cfg: cfg, bw: 10 * units.Mbps})
	var uni uint64
	responseThenSmallStream(clean, true, &uni)
	rec := &recorder{out: clean.sh}
	clean.server.SetOutput(rec)
	clean.start()
	clean.run()
	first := 0
	n := 0
	for _, d := range rec.grams {
		if !d.HasPayload() {
			continue
		}
		n++
		for _, q := range d.Packets {
			_, frames, _ := TraceFrames(q.Raw, q.DataLen, 8)
			for _, f := range frames {
				if f, ok := f.(*wire.StreamFrame); ok && f.StreamID == uni && first == 0 {
					first = n
				}
			}
		}
	}
	if first == 0 {
		t.Fatal("no datagram carried the critical stream")
	}
	// Lose it and the four after it, which carry the response.
	p := newPair(t, pairOpts{cfg: cfg, bw: 10 * units.Mbps, down: link.Config{Drop: []int{first, first + 1, first + 2, first + 3, first + 4}}})
	responseThenSmallStream(p, true, &uni)
	p.start()
	p.run()
	resp, u := p.capp.rec(0), p.capp.rec(uni)
	if resp.fin < 0 || u.fin < 0 {
		t.Fatal("streams did not complete")
	}
	// The response's bytes behind the hole arrived first and waited; its
	// lost bytes arrived later, sent again, and were delivered at once.
	waiting := sim.Never
	for _, at := range resp.arrivals {
		if at.InOrder.Sub(at.At) > 10*time.Millisecond {
			waiting = min(waiting, at.At)
		}
	}
	resent := sim.Never
	for _, at := range resp.arrivals {
		if at.At > waiting && at.InOrder == at.At {
			resent = min(resent, at.At)
		}
	}
	if waiting == sim.Never || resent == sim.Never {
		t.Fatal("the response lost nothing")
	}
	if u.fin > resent {
		t.Errorf("the critical stream ended at %v, after the response's first bytes sent again (%v); want it sent again first", u.fin, resent)
	}
}
