package updates

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/tcp"
	"httpsim/sim/tls"
	"httpsim/sim/trace"
)

// closeBody returns a traced Close frame's status code, unmasked from its
// Raw bytes (header and body as on the wire), or -1 for none.
func closeBody(t *testing.T, e trace.Event) (code int, masked bool) {
	t.Helper()
	f, n, err := ParseFrame(e.Raw)
	if err != nil || n != len(e.Raw) || f.Opcode != OpClose {
		t.Fatalf("traced Close % x: %+v, %d, %v; want a whole Close frame", e.Raw, f.FrameHeader, n, err)
	}
	if len(f.Payload) < 2 {
		return -1, f.Mask
	}
	return int(binary.BigEndian.Uint16(f.Payload)), f.Mask
}

// The closing handshake (RFC 6455 §7.1.2) once every event is in: the page
// sends a masked Close with 1000 (§5.5.1, §5.3, §7.4.1), the server answers
// with an unmasked Close echoing 1000 and closes the TCP connection first
// (§7.1.1), and the page closes its side when the server's FIN reaches
// it. The run ends when the page's FIN is acknowledged; the events'
// latencies and the completion time are the last event's, as before.
// With loss the Close frames and FINs may be lost and sent again; the
// handshake still completes.
func TestClosingHandshake(t *testing.T) {
	type run struct {
		loss float64
		tls  tls.Version
		ack  bool
		ping time.Duration
		seed sim.Seed
	}
	var runs []run
	for _, v := range []tls.Version{tls.TLS13, tls.TLS12, tls.None} {
		runs = append(runs, run{tls: v, seed: 1}, run{tls: v, ack: true, ping: 300 * time.Millisecond, seed: 2})
	}
	for seed := sim.Seed(1); seed <= 12; seed++ {
		runs = append(runs, run{loss: 0.05 + 0.05*float64(seed%2), tls: tls.TLS13, ack: seed%3 == 0, ping: time.Duration(seed%4) * 200 * time.Millisecond, seed: seed})
	}
	lostClose := 0
	for _, tt := range runs {
		cfg := withMode(WebSocket)
		cfg.Events = 10
		cfg.Ack, cfg.PingInterval = tt.ack, tt.ping
		n := defaultNet()
		n.tls, n.loss, n.keep = tt.tls, tt.loss, true
		o := runUpdates(t, cfg, n, tt.seed)
		r := o.res
		name := func() string {
			return fmt.Sprintf("TLS %v, loss %.0f%%, ack %v, ping %v, seed %d", tt.tls, 100*tt.loss, tt.ack, tt.ping, tt.seed)
		}
		if r.Status != "delivered" || !r.Closed || r.Error != "" {
			t.Errorf("%s: status %s, closed %v (%s); want delivered and closed", name(), r.Status, r.Closed, r.Error)
			continue
		}
		last := 0.0
		for _, e := range r.PerEvent {
			last = max(last, e.DeliveredMs)
		}
		if r.DoneMs != last || r.EndMs <= r.DoneMs {
			t.Errorf("%s: done %.3f ms, end %.3f; want done at the last event's delivery %.3f, the end after it", name(), r.DoneMs, r.EndMs, last)
		}
		if tt.loss == 0 {
			// Close to the server, Close and FIN back, FIN to the
			// server, its ACK back: two round trips.
			if got := r.EndMs - r.DoneMs; math.Abs(got-2*ms(rtt)) > 2 {
				t.Errorf("%s: the close took %.3f ms; want 2 RTT, %.0f", name(), got, 2*ms(rtt))
			}
		}

		// The Close frames, in order.
		cc := closes(o.log, trace.FrameCreated, trace.Client)
		sp := closes(o.log, trace.FrameParsed, trace.Server)
		sc := closes(o.log, trace.FrameCreated, trace.Server)
		cp := closes(o.log, trace.FrameParsed, trace.Client)
		if len(cc) != 1 || len(sp) != 1 || len(sc) != 1 || len(cp) != 1 {
			t.Errorf("%s: Close frames: page wrote %d, server read %d, server wrote %d, page read %d; want one each", name(), len(cc), len(sp), len(sc), len(cp))
			continue
		}
		if code, masked := closeBody(t, cc[0]); code != 1000 || !masked || cc[0].At.Ms() != r.DoneMs {
			t.Errorf("%s: the page's Close: status %d, masked %v, at %.3f ms; want 1000, masked, at completion %.3f", name(), code, masked, cc[0].At.Ms(), r.DoneMs)
		}
		if code, masked := closeBody(t, sc[0]); code != 1000 || masked || sc[0].At != sp[0].At {
			t.Errorf("%s: the server's Close: status %d, masked %v, at %v; want 1000, unmasked, when the page's arrived (%v)", name(), code, masked, sc[0].At, sp[0].At)
		}
		for _, p := range []trace.Event{sp[0], cp[0]} {
			if p.Raw == nil || (p.Side == trace.Server && !bytes.Equal(p.Raw, cc[0].Raw)) || (p.Side == trace.Client && !bytes.Equal(p.Raw, sc[0].Raw)) {
				t.Errorf("%s: %s read Close % x; want the bytes written", name(), p.Side, p.Raw)
			}
		}
		if !(cc[0].At < sp[0].At && sc[0].At < cp[0].At) {
			t.Errorf("%s: page's Close written %v, read %v; server's written %v, read %v; want that order", name(), cc[0].At, sp[0].At, sc[0].At, cp[0].At)
		}
		// Nothing but Pongs and the Close (no data frame) after the
		// page's Close; nothing at all after the server's (§5.5.1).
		for _, side := range []trace.Side{trace.Client, trace.Server} {
			after := false
			for _, e := range frames(o.log, trace.FrameCreated, side, "ws_frame") {
				if after && (side == trace.Server || e.Value != "pong") {
					t.Errorf("%s: the %s wrote a %s frame at %v, after its Close", name(), side, e.Value, e.At)
				}
				after = after || e.Value == "close"
			}
		}

		// The FINs: the server's first, after its Close; the page's
		// after the server's reached it.
		var serverFIN, clientFIN, peerClosed sim.Time = -1, -1, -1
		for _, e := range o.log.Events() {
			switch {
			case e.Kind == trace.PacketSent && e.Flags.Has(trace.FlagFIN) && e.Side == trace.Server && serverFIN < 0:
				serverFIN = e.At
			case e.Kind == trace.PacketSent && e.Flags.Has(trace.FlagFIN) && e.Side == trace.Client && clientFIN < 0:
				clientFIN = e.At
			case e.Kind == trace.ConnectionStateUpdated && e.Name == "peer_closed" && e.Side == trace.Client && peerClosed < 0:
				peerClosed = e.At
			case e.Kind == trace.PacketDropped && e.At > cc[0].At:
				lostClose++
			}
		}
		if serverFIN < sc[0].At || clientFIN < peerClosed || peerClosed <= serverFIN || clientFIN <= serverFIN {
			t.Errorf("%s: server's FIN at %v (its Close %v), page's at %v (server's FIN in %v); want the server's first", name(), serverFIN, sc[0].At, clientFIN, peerClosed)
		}
		if last := o.log.Events()[o.log.Len()-1]; last.At.Ms() != r.EndMs {
			t.Errorf("%s: the trace ends at %v; want the run's end %.3f ms", name(), last.At, r.EndMs)
		}
	}
	if lostClose == 0 {
		t.Errorf("no packet was lost during a close; want the lossy runs to lose some")
	}
}

// closes returns the trace's Close frames of kind k on side.
func closes(log *trace.Log, k trace.Kind, side trace.Side) []trace.Event {
	var out []trace.Event
	for _, e := range frames(log, k, side, "ws_frame") {
		if e.Value == "close" {
			out = append(out, e)
		}
	}
	return out
}

// A time limit that falls during the close still stops the run: every
// event delivered (and said so), the close unfinished.
func TestTimeLimitDuringClose(t *testing.T) {
	cfg := withMode(WebSocket)
	cfg.EventTimes, cfg.Events = []time.Duration{time.Second}, 0
	cfg.TimeLimit = 1100 * time.Millisecond // the event is in at 1.05 s
	r := runUpdates(t, cfg, defaultNet(), 1).res
	if r.Status != "delivered" || r.Closed || r.EndMs != 1100 || math.Abs(r.DoneMs-1050) > 1 {
		t.Errorf("status %s, closed %v, done %.3f ms, end %.3f; want delivered, not closed, 1050, 1100", r.Status, r.Closed, r.DoneMs, r.EndMs)
	}
}

// fakeConn is a transport.Conn that keeps what is written to it, for
// driving one end by hand.
type fakeConn struct {
	out    []byte
	closed bool
}

func (f *fakeConn) ID() int32                       { return 0 }
func (f *fakeConn) SetHandler(tcp.Handler)          {}
func (f *fakeConn) Write(_ sim.Time, p []byte)      { f.out = append(f.out, p...) }
func (f *fakeConn) WriteFiller(_ sim.Time, n int64) { f.out = append(f.out, make([]byte, n)...) }
func (f *fakeConn) Close(sim.Time)                  { f.closed = true }
func (f *fakeConn) Abort()                          {}
func (f *fakeConn) Unsent() int64                   { return 0 }
func (f *fakeConn) SetLowWater(int64)               {}
func (f *fakeConn) TCP() *tcp.Conn                  { return nil }
func (f *fakeConn) feed(h tcp.Handler, wire []byte) { // the peer's bytes, in order
	var b bytestream.Buffer
	b.Write(wire)
	h.OnData(0, bytestream.Slice{Buf: &b, N: b.Len()}, tcp.Arrival{})
}

// Close frames are checked as bytes by both receivers (RFC 6455 §5.5,
// §5.5.1, §7.4): a body that is empty or starts with a status code an
// endpoint may send, a reason in UTF-8, at most 125 bytes, not fragmented.
// A good Close is answered with a Close echoing its code (the server then
// closes the TCP connection, §7.1.1); a bad one fails the connection with
// the FrameError's code (the server says so in its Close, §7.1.7).
func TestCloseFrames(t *testing.T) {
	code := func(c uint16, reason ...byte) []byte { return append(binary.BigEndian.AppendUint16(nil, c), reason...) }
	tests := []struct {
		name     string
		body     []byte
		fragment bool // FIN clear
		want     CloseCode
		err      error
	}{
		{"empty body", nil, false, CloseNoStatus, nil},
		{"1000 normal closure", code(1000), false, CloseNormal, nil},
		{"1000 with a reason", code(1000, []byte("bye ✓")...), false, CloseNormal, nil},
		{"1001 going away", code(1001), false, CloseGoingAway, nil},
		{"1002 protocol error", code(1002), false, CloseProtocolError, nil},
		{"1003 unsupported data", code(1003), false, CloseUnsupportedData, nil},
		{"1007 invalid payload", code(1007), false, CloseInvalidPayload, nil},
		{"1008 policy violation", code(1008), false, ClosePolicyViolation, nil},
		{"1009 message too big", code(1009), false, CloseMessageTooBig, nil},
		{"1010 mandatory extension", code(1010), false, CloseMandatoryExt, nil},
		{"1011 internal error", code(1011), false, CloseInternalError, nil},
		{"3000 registered", code(3000), false, 3000, nil},
		{"4999 private", code(4999), false, 4999, nil},
		{"125 bytes", code(1000, bytes.Repeat([]byte("a"), 123)...), false, CloseNormal, nil},
		{"one byte", []byte{0x03}, false, 0, ErrCloseBodyShort},
		{"0", code(0), false, 0, ErrCloseCodeInvalid},
		{"999", code(999), false, 0, ErrCloseCodeInvalid},
		{"1004 reserved", code(1004), false, 0, ErrCloseCodeInvalid},
		{"1005 no status", code(1005), false, 0, ErrCloseCodeInvalid},
		{"1006 abnormal", code(1006), false, 0, ErrCloseCodeInvalid},
		{"1012 not in RFC 6455", code(1012), false, 0, ErrCloseCodeInvalid},
		{"1015 TLS handshake", code(1015), false, 0, ErrCloseCodeInvalid},
		{"2000 extensions", code(2000), false, 0, ErrCloseCodeInvalid},
		{"2999 extensions", code(2999), false, 0, ErrCloseCodeInvalid},
		{"5000", code(5000), false, 0, ErrCloseCodeInvalid},
		{"65535", code(65535), false, 0, ErrCloseCodeInvalid},
		{"reason not UTF-8", code(1000, 0xff, 0xfe), false, 0, ErrCloseReasonUTF8},
		{"reason cut inside a character", code(1000, []byte("✓")[:2]...), false, 0, ErrCloseReasonUTF8},
		{"126 bytes", code(1000, bytes.Repeat([]byte("a"), 124)...), false, 0, ErrControlTooLong},
		{"fragmented", code(1000), true, 0, ErrControlFragment},
	}
	for _, tt := range tests {
		if !tt.fragment {
			got, _, err := ParseClosePayload(tt.body)
			if err != tt.err || err == nil && got != tt.want {
				t.Errorf("%s: ParseClosePayload(% x) = %d, %v; want %d, %v", tt.name, tt.body, got, err, tt.want, tt.err)
			}
		}
		// The same as a frame, from the page to the server (masked) and
		// from the server to the page.
		for _, fromClient := range []bool{true, false} {
			f := Frame{FrameHeader{FIN: !tt.fragment, Opcode: OpClose, Mask: fromClient, MaskingKey: [4]byte{0x37, 0xfa, 0x21, 0x3d}}, tt.body}
			r := &Run{cfg: withMode(WebSocket), loop: sim.NewLoop(sim.Limits{}), log: trace.NewLog(false)}
			conn := &fakeConn{}
			var h tcp.Handler
			if fromClient {
				s := newServer(r, conn)
				s.ws, h = true, s
			} else {
				c := newClient(r, conn, 1)
				c.ws, h = true, c
			}
			conn.feed(h, AppendFrame(nil, f))
			var fe *FrameError
			if tt.err != nil {
				// 1002, protocol error; 1007 for a reason that is
				// not UTF-8 (§7.4.1, §8.1).
				want := CloseProtocolError
				if tt.err == ErrCloseReasonUTF8 {
					want = CloseInvalidPayload
				}
				if !errors.Is(r.err, tt.err) || !errors.As(r.err, &fe) || fe.Code != want {
					t.Errorf("%s, from client %v: run error %v; want %v, code %d", tt.name, fromClient, r.err, tt.err, want)
					continue
				}
			}
			if tt.err != nil && !fromClient {
				// The page fails the run and stops (it sends no
				// Close, which §7.1.7 only recommends).
				if len(conn.out) != 0 || conn.closed {
					t.Errorf("%s: the page answered a bad Close with % x, closed %v; want nothing", tt.name, conn.out, conn.closed)
				}
				continue
			}
			answer, n, perr := ParseFrame(conn.out)
			if perr != nil || n != len(conn.out) || answer.Opcode != OpClose || answer.Mask != !fromClient {
				t.Errorf("%s, from client %v: answered % x; want one Close frame, masked %v", tt.name, fromClient, conn.out, !fromClient)
				continue
			}
			if tt.err != nil {
				// The server fails the connection with a Close
				// saying why (§7.1.7), and closes.
				if !bytes.Equal(answer.Payload, code(uint16(fe.Code))) || !conn.closed {
					t.Errorf("%s: the server answered Close % x, closed %v; want status %d, closed", tt.name, answer.Payload, conn.closed, fe.Code)
				}
				continue
			}
			if r.err != nil || !bytes.Equal(answer.Payload, echoClose(tt.want)) || conn.closed != fromClient {
				t.Errorf("%s, from client %v: error %v, answered Close % x, closed TCP %v; want none, % x, %v", tt.name, fromClient, r.err, answer.Payload, conn.closed, echoClose(tt.want), fromClient)
			}
		}
	}
}
