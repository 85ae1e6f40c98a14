package tcp

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/trace"
)

// stagedSource writes first bytes when the connection is established and
// later bytes at later, then closes.
type stagedSource struct {
	loop         *sim.Loop
	conn         *Conn
	first, later int64
	at           sim.Time
}

func (s *stagedSource) OnEstablished(now sim.Time) {
	s.conn.WriteFiller(now, s.first)
	s.loop.After(s.at, func(now sim.Time) {
		s.conn.WriteFiller(now, s.later)
		s.conn.Close(now)
	})
}
func (s *stagedSource) OnData(sim.Time, bytestream.Slice, Arrival) {}
func (s *stagedSource) OnPeerClose(sim.Time)                       {}

// TestPersistTimerRestartsAStalledSender builds the deadlocks the persist
// timer exists for: the server has data to send and nothing in flight, so
// no ACK will come, and the client's window update is lost. The client's
// receive buffer is 8 segments and its application reads by hand.
//
// With a window too small to use (540 bytes, under an MSS and under half
// the largest window offered), the sender's silly window avoidance holds
// the data back, and only the override timeout can send it (RFC 9293
// §3.8.6.2.1 rule 4, "The override timeout should be in the range 0.1 -
// 1.0 seconds"). Without it the transfer never finished.
//
// With a zero window, the sender must probe (RFC 9293 §3.8.6.1), also
// when the data was written after the window closed, with nothing in
// flight (the timer was armed only on an ACK).
func TestPersistTimerRestartsAStalledSender(t *testing.T) {
	type read struct {
		at time.Duration
		n  int64
	}
	tests := []struct {
		name         string
		first, later int64  // bytes written on establishment, and at 1 s
		reads        []read // the client's application reads
		// The client's window update at cut is lost (the path to the
		// server is down for 100 ms from then); observe is when the
		// server's persist deadline is read, after cut.
		cut, observe time.Duration
		timer        string // the timer that must restart the server
	}{
		{
			name: "window too small to use", first: 16 * 1460,
			// The first read opens 2000 bytes: one segment goes, and the
			// 540 bytes left are too few to send; the second read's
			// window update is lost.
			reads: []read{{time.Second, 2000}, {1200 * time.Millisecond, 16 * 1460}},
			cut:   1200 * time.Millisecond, observe: 1300 * time.Millisecond,
			timer: "sws_override",
		},
		{
			name: "written into a closed window", first: 8 * 1460, later: 4 * 1460,
			reads: []read{{1500 * time.Millisecond, 12 * 1460}},
			cut:   1500 * time.Millisecond, observe: 1100 * time.Millisecond,
			timer: "persist",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.RecvBuffer = 8 * 1460
			size := tt.first + tt.later
			p := newPair(t, pairOpts{cfg: cfg, size: size}) // its source writes size and closes
			if tt.later > 0 {
				p.server.SetHandler(&stagedSource{loop: p.loop, conn: p.server, first: tt.first, later: tt.later, at: sim.At(time.Second)})
			}
			p.client.SetAutoRead(false)
			for _, r := range tt.reads {
				p.loop.After(sim.At(r.at), func(now sim.Time) { p.client.Consume(now, r.n) })
			}
			p.loop.After(sim.At(tt.cut), func(sim.Time) { p.up.Cut() })
			p.loop.After(sim.At(tt.cut+100*time.Millisecond), func(sim.Time) { p.up.Restore() })
			var observed SenderState
			p.loop.After(sim.At(tt.observe), func(sim.Time) { observed = p.server.SenderState() })
			p.run()

			if p.sink.got != size {
				t.Fatalf("delivered %d of %d bytes: the sender stalled", p.sink.got, size)
			}
			// The deadline the snapshot showed is when the timer fired.
			var fired *trace.Event
			var lastIn sim.Time
			events := p.log.Events()
			for i := range events {
				e := &events[i]
				if e.Side != trace.Server {
					continue
				}
				if e.Kind == trace.PacketReceived && fired == nil {
					lastIn = e.At
				}
				if e.Kind == trace.LossTimerUpdated && e.Name == tt.timer && fired == nil {
					fired = e
					if tt.timer != "sws_override" {
						continue
					}
					// It sends into the usable window at once.
					if n := events[i+1]; n.Kind != trace.PacketSent || n.At != e.At || n.Len != int64(observed.SndWnd) {
						t.Errorf("after the override: %v at %v, %d bytes; want a segment of the %d-byte window at %v", n.Kind, n.At, n.Len, observed.SndWnd, e.At)
					}
				}
			}
			if fired == nil {
				t.Fatalf("no %q timer expired on the server", tt.timer)
			}
			if observed.PersistAt != fired.At || observed.SndNxt != observed.SndUna {
				t.Errorf("snapshot at %v: persist deadline %v, %d bytes in flight; want %v, none", tt.observe, observed.PersistAt, observed.SndNxt-observed.SndUna, fired.At)
			}
			if tt.timer == "sws_override" {
				if wait := fired.At.Sub(lastIn); wait < minSWSOverride || wait > maxSWSOverride {
					t.Errorf("override fired %v after the last ACK; want 0.1 to 1.0 s (RFC 9293 §3.8.6.2.1)", wait)
				}
			}
		})
	}
}
