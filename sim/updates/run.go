package updates

import (
	"errors"
	"fmt"
	"strconv"

	"httpsim/sim"
	"httpsim/sim/tcp"
	"httpsim/sim/tls"
	"httpsim/sim/topo"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
)

// Run is one run of the updates workload: a page and its server on the two
// ends of one TCP (+TLS) connection, the server generating events, the
// page receiving them by the configured mode.
type Run struct {
	cfg    Config
	loop   *sim.Loop
	log    *trace.Log
	scheme string

	client  *client
	server  *server
	tlsEnds []*tls.Conn

	// Per event: when the server generated it, when the page had all of
	// it, the latest arrival of its bytes at the client's transport, and
	// the HTTP response that carried it (-1 over WebSocket).
	times     []sim.Time
	delivered []sim.Time
	lastAt    []sim.Time
	carrier   []int64
	count     int // events delivered

	// batches[k] is the range of events [from, to) that the k-th response
	// carried (polling). The server records it when it writes the
	// response and the client reads it when the response is complete: the
	// body is filler, so this stands in for the event IDs in the JSON.
	batches [][2]int

	stopTimer *sim.Timer
	done      bool // every event delivered
	timedOut  bool
	doneAt    sim.Time
	err       error

	// The end of a WebSocket run: once every event is in, the page starts
	// the closing handshake (RFC 6455 §7.1.2), and the run ends when the
	// TCP connection is closed at both ends (§7.1.1): the page has closed
	// its side after the server's FIN and its own FIN has been
	// acknowledged. closeCheck looks, after each segment the page
	// receives once it has closed, whether that one acknowledged it.
	closed     bool
	closeCheck *sim.Timer

	st counters
}

// counters are what the run counts as it goes.
type counters struct {
	requests, responses, empty, timeouts int64
	frames                               int64
	httpHeaders, wsFraming, payload      int64
	packets, lost, rtx                   int64
	wire, tcpip, rtxBytes                int64
}

// Start builds the workload on path: one TCP connection (with TLS on it
// unless tlsCfg.Version is tls.None), the server on path.Server, the page on
// path.Client. It schedules the connection's start at time 0 and the
// events at their times; the caller then runs the loop. The run calls
// loop.Stop once every event has been delivered (over a WebSocket, once
// the closing handshake that follows has closed the connection), when
// cfg.TimeLimit passes, or if either end fails.
func Start(loop *sim.Loop, log *trace.Log, path *topo.Path, tcpCfg tcp.Config, tlsCfg tls.Config, cfg Config, seed sim.Seed) (*Run, error) {
	if err := errors.Join(cfg.Validate(), tcpCfg.Validate(), tlsCfg.Validate()); err != nil {
		return nil, err
	}
	r := &Run{cfg: cfg, loop: loop, log: log, scheme: "https"}
	r.times = cfg.Schedule(seed)
	n := len(r.times)
	r.delivered = make([]sim.Time, n)
	r.lastAt = make([]sim.Time, n)
	r.carrier = make([]int64, n)
	for i := range r.delivered {
		r.delivered[i] = sim.Never
		r.carrier[i] = -1
	}

	tc, ts := path.NewTCP(tcpCfg)
	var cc, sc transport.Conn = tc, ts
	if tlsCfg.Version == tls.None {
		r.scheme = "http"
	} else {
		c := tls.NewClient(tc, tlsCfg, loop, log)
		s := tls.NewServer(ts, tlsCfg, loop, log)
		// Polling and WebSocket both speak HTTP/1.1 (RFC 6455 §4.1).
		c.Hello(origin, "http/1.1")
		s.Hello(origin, "http/1.1")
		r.tlsEnds = []*tls.Conn{c, s}
		cc, sc = c, s
	}
	r.server = newServer(r, sc)
	r.client = newClient(r, cc, seed)
	r.closeCheck = loop.NewTimer(r.checkClosed)
	log.Observe(r.observe)

	loop.After(0, tc.Connect)
	r.server.eventTimer.Set(r.times[0])
	r.stopTimer = loop.After(sim.At(cfg.TimeLimit), func(sim.Time) {
		r.timedOut = true
		loop.Stop()
	})
	return r, nil
}

// Done reports whether every event has reached the page.
func (r *Run) Done() bool { return r.done }

// Err is why the run failed (a malformed handshake or frame), or nil.
func (r *Run) Err() error { return r.err }

// Progress is the fraction of the events delivered so far.
func (r *Run) Progress() float64 { return float64(r.count) / float64(len(r.times)) }

// deliver records that event i is wholly at the page.
func (r *Run) deliver(now sim.Time, i int, lastAt sim.Time, carrier int64, conn int32) {
	if r.delivered[i] != sim.Never {
		return
	}
	r.delivered[i], r.lastAt[i], r.carrier[i] = now, lastAt, carrier
	r.count++
	r.log.Emit(trace.Event{At: now, Kind: trace.FrameParsed, Side: trace.Client, Conn: conn, Stream: int64(i),
		PN: -1, Name: "event", Len: int64(r.cfg.EventSize), Arrived: r.times[i]})
	if r.count == len(r.times) {
		r.done, r.doneAt = true, now
		if r.cfg.Mode == WebSocket {
			// The page now closes the WebSocket (client.onFrame); the
			// time limit still bounds the close.
			return
		}
		r.stopTimer.Stop()
		r.loop.Stop()
	}
}

// checkClosed ends the run once the page's FIN has been acknowledged: the
// TCP connection is closed at both ends (the server, which closed first,
// waits out TIME-WAIT, RFC 9293 §3.6, which the run does not model).
func (r *Run) checkClosed(now sim.Time) {
	// Closed means the closing handshake (Close frames both ways), not a
	// connection that ended without one (RFC 6455 §7.1.5's 1006).
	if r.closed || r.err != nil || !r.client.closeSent || !r.client.closeRcvd || !r.client.conn.TCP().FinAcked() {
		return
	}
	r.closed = true
	r.stopTimer.Stop()
	r.loop.Stop()
}

// fail ends the run: an end broke a protocol rule the other must enforce.
func (r *Run) fail(now sim.Time, side trace.Side, conn int32, err error) {
	if r.err != nil {
		return
	}
	r.err = fmt.Errorf("%s at %v: %w", side, now, err)
	r.log.Emit(trace.Event{At: now, Kind: trace.ConnectionStateUpdated, Side: side, Conn: conn, Stream: -1, PN: -1,
		Name: "failed", Value: err.Error()})
	r.loop.Stop()
}

// observe counts packets on the wire from the trace, as sim/scenario does.
func (r *Run) observe(e *trace.Event) {
	switch e.Kind {
	case trace.PacketSent:
		r.st.packets++
		r.st.wire += e.Size
		r.st.tcpip += e.Size - e.Len
		if e.Flags.Has(trace.FlagRetransmit) {
			r.st.rtx++
			r.st.rtxBytes += e.Len
		}
	case trace.PacketDropped:
		r.st.lost++
	case trace.PacketReceived:
		// Traced as the segment arrives, before TCP takes it: look
		// once it has.
		if r.client.tcpClosed && e.Side == trace.Client && !r.closed {
			r.closeCheck.Set(e.At)
		}
	}
}

// writeFrame writes one WebSocket frame to w and traces it. payload is
// written for real (masked if h.Mask); filler bytes follow it (the events'
// JSON, whose content does not matter).
func (r *Run) writeFrame(now sim.Time, w transport.Conn, side trace.Side, h FrameHeader, payload []byte, filler int64, stream int64) {
	h.PayloadLength = uint64(len(payload)) + uint64(filler)
	hdr := AppendFrameHeader(nil, h)
	b := append(hdr[:len(hdr):len(hdr)], payload...)
	if h.Mask {
		MaskBytes(h.MaskingKey, 0, b[len(hdr):])
	}
	w.Write(now, b)
	if filler > 0 {
		w.WriteFiller(now, filler)
	}
	r.st.frames++
	r.st.wsFraming += int64(len(hdr))
	r.st.payload += int64(h.PayloadLength)
	raw := hdr
	if h.Opcode == OpClose {
		raw = b // the status code, as on the wire
	}
	r.log.Emit(trace.Event{At: now, Kind: trace.FrameCreated, Side: side, Conn: w.ID(), Stream: stream, PN: -1,
		Name: "ws_frame", Len: int64(len(hdr)) + int64(h.PayloadLength), Raw: raw, Value: h.Opcode.String()})
}

// traceFrameParsed records a frame read whole.
func (r *Run) traceFrameParsed(now sim.Time, side trace.Side, conn int32, f *wsFrame) {
	raw := f.raw
	if f.Opcode == OpClose {
		// The status code as it was on the wire, masked again if it was.
		raw = append(raw[:len(raw):len(raw)], f.payload...)
		if f.Mask {
			MaskBytes(f.MaskingKey, 0, raw[len(f.raw):])
		}
	}
	r.log.Emit(trace.Event{At: now, Kind: trace.FrameParsed, Side: side, Conn: conn, Stream: f.stream, PN: -1,
		Name: "ws_frame", Len: int64(len(f.raw)) + int64(f.PayloadLength), Raw: raw, Value: f.Opcode.String(), Arrived: f.lastAt})
}

// ackPayload is the page's acknowledgement of event i, as JSON.
func ackPayload(i int64) []byte { return []byte(`{"ack":` + strconv.FormatInt(i, 10) + `}`) }
