package updates

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/h1"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
)

// server is the origin's end: it generates the events and hands them out
// by the configured mode.
type server struct {
	r    *Run
	conn transport.Conn

	head     h1.HeadReader
	nreq     int64 // requests parsed
	answered int64 // responses written (the next one's number)

	gen, sent  int // events generated; events written to the page
	eventTimer *sim.Timer

	held      bool // a long poll is waiting for an event
	holdTimer *sim.Timer

	ws        bool // the opening handshake is done
	frames    frameReader
	pingTimer *sim.Timer
	pings     int64 // pings sent, numbered from 1 in their payloads
	acks      int64
	// closeSent: a Close frame has gone out, after which no data frame
	// may (RFC 6455 §5.5.1). closed: the server has closed the TCP
	// connection and reads nothing more.
	closeSent bool
	closed    bool
}

func newServer(r *Run, conn transport.Conn) *server {
	s := &server{r: r, conn: conn}
	s.eventTimer = r.loop.NewTimer(s.onEvent)
	s.holdTimer = r.loop.NewTimer(func(now sim.Time) { s.answer(now, true) })
	s.pingTimer = r.loop.NewTimer(s.onPing)
	s.frames = frameReader{fromClient: true, keep: maxControlPayload, streamOf: s.frameStream}
	conn.SetHandler(s)
	return s
}

// OnEstablished implements transport.Handler: the page speaks first.
func (s *server) OnEstablished(sim.Time) {}

// OnPeerClose implements transport.Handler.
func (s *server) OnPeerClose(sim.Time) {}

// OnData implements transport.Handler: requests, then (after an upgrade)
// WebSocket frames.
func (s *server) OnData(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	var rel int64
	for rel < d.N && !s.closed {
		if s.ws {
			if err := s.frames.feed(d.Sub(rel, d.N-rel), at, func(f *wsFrame) error { return s.onFrame(now, f) }); err != nil {
				s.failWS(now, err)
			}
			return
		}
		buf := make([]byte, min(d.N-rel, 4096))
		d.ReadAt(buf, rel)
		n, head, err := s.head.Feed(buf)
		rel += int64(n)
		if err != nil {
			s.refuse(now, err)
			return
		}
		if head != nil {
			s.onRequest(now, head)
		}
	}
}

// onRequest handles one request head. Polls and handshakes carry no body.
func (s *server) onRequest(now sim.Time, head []byte) {
	r := s.r
	stream := s.nreq
	s.nreq++
	name := "request"
	if r.cfg.Mode == WebSocket {
		name = "ws_upgrade"
	}
	r.log.Emit(trace.Event{At: now, Kind: trace.FrameParsed, Side: trace.Server, Conn: s.conn.ID(), Stream: stream,
		PN: -1, Name: name, Len: int64(len(head)), Raw: append([]byte(nil), head...)})
	req, http10, err := h1.ParseRequestHead(head)
	if err != nil {
		s.refuse(now, err)
		return
	}
	switch r.cfg.Mode {
	case ShortPoll:
		s.answer(now, false)
	case LongPoll:
		// RFC 6202 §2.1: answer at once if events are waiting, otherwise
		// hold the request until one comes or the timeout passes.
		if s.gen > s.sent {
			s.answer(now, false)
			return
		}
		s.held = true
		s.holdTimer.Set(now.Add(r.cfg.HoldTimeout))
	case WebSocket:
		key, err := checkUpgradeRequest(req, http10)
		if err != nil {
			s.refuse(now, err)
			return
		}
		resp := upgradeResponse(now, AcceptKey(key))
		s.conn.Write(now, resp)
		r.st.httpHeaders += int64(len(resp))
		r.st.responses++
		r.log.Emit(trace.Event{At: now, Kind: trace.FrameCreated, Side: trace.Server, Conn: s.conn.ID(), Stream: s.answered,
			PN: -1, Name: "ws_upgrade", Len: int64(len(resp)), Raw: resp, Value: "101"})
		s.answered++
		// From here on the connection speaks WebSocket (RFC 6455 §4.2.2:
		// the handshake is complete once the 101 is sent).
		s.ws = true
		s.flushFrames(now)
		if r.cfg.PingInterval > 0 {
			s.pingTimer.Set(now.Add(r.cfg.PingInterval))
		}
	}
}

// answer writes the response to the outstanding poll: every event not yet
// sent, or 204 if there is none (timeout says a long poll's hold ran out).
func (s *server) answer(now sim.Time, timeout bool) {
	r := s.r
	s.held = false
	s.holdTimer.Stop()
	from, to := s.sent, s.gen
	body := bodyLen(to-from, r.cfg.EventSize)
	head := pollResponse(now, body)
	s.conn.Write(now, head)
	if body > 0 {
		s.conn.WriteFiller(now, body)
	}
	r.batches = append(r.batches, [2]int{from, to})
	s.sent = to
	r.st.responses++
	r.st.httpHeaders += int64(len(head))
	r.st.payload += body
	what := fmt.Sprintf("events %d-%d", from, to-1)
	if from == to {
		r.st.empty++
		what = "no events"
		if timeout {
			r.st.timeouts++
			what = "timeout"
		}
	}
	r.log.Emit(trace.Event{At: now, Kind: trace.FrameCreated, Side: trace.Server, Conn: s.conn.ID(), Stream: s.answered,
		PN: -1, Name: "response", Len: int64(len(head)) + body, Raw: head, Value: what})
	s.answered++
}

// onEvent generates the events due now and pushes them where the mode
// allows: into a held long poll, or onto an open WebSocket.
func (s *server) onEvent(now sim.Time) {
	r := s.r
	for s.gen < len(r.times) && r.times[s.gen] <= now {
		r.log.Emit(trace.Event{At: now, Kind: trace.FrameCreated, Side: trace.Server, Conn: s.conn.ID(), Stream: int64(s.gen),
			PN: -1, Name: "event", Len: int64(r.cfg.EventSize)})
		s.gen++
	}
	if s.gen < len(r.times) {
		s.eventTimer.Set(r.times[s.gen])
	}
	switch {
	case r.cfg.Mode == LongPoll && s.held:
		s.answer(now, false)
	case r.cfg.Mode == WebSocket && s.ws:
		s.flushFrames(now)
	}
}

// flushFrames sends every event not yet sent as one unfragmented text
// frame each (RFC 6455 §5.6), unmasked as a server's frames are (§5.1).
func (s *server) flushFrames(now sim.Time) {
	if s.closeSent {
		return // RFC 6455 §5.5.1: no data frame after a Close
	}
	for ; s.sent < s.gen; s.sent++ {
		h := FrameHeader{FIN: true, Opcode: OpText}
		s.r.writeFrame(now, s.conn, trace.Server, h, nil, int64(s.r.cfg.EventSize), int64(s.sent))
	}
}

// onPing sends a Ping whose application data is its sequence number
// (RFC 6455 §5.5.2), as servers do to keep intermediaries from timing the
// connection out.
func (s *server) onPing(now sim.Time) {
	if s.closed || s.closeSent {
		return
	}
	s.pings++
	s.r.writeFrame(now, s.conn, trace.Server, FrameHeader{FIN: true, Opcode: OpPing}, []byte(strconv.FormatInt(s.pings, 10)), 0, -1)
	s.pingTimer.Set(now.Add(s.r.cfg.PingInterval))
}

// frameStream names the event a client frame concerns: an ack carries the
// next event's number.
func (s *server) frameStream(h FrameHeader) int64 {
	if h.Opcode == OpText {
		return s.acks
	}
	return -1
}

// onFrame handles a frame from the page.
func (s *server) onFrame(now sim.Time, f *wsFrame) error {
	if s.closed {
		// RFC 6455 §1.4: after a Close, "a peer discards any further
		// data received".
		return nil
	}
	s.r.traceFrameParsed(now, trace.Server, s.conn.ID(), f)
	switch f.Opcode {
	case OpText:
		if want := ackPayload(s.acks); !bytes.Equal(f.payload, want) {
			return &FrameError{CloseInvalidPayload, fmt.Sprintf("ack %q; want %q", f.payload, want)}
		}
		s.acks++
	case OpPong:
		// RFC 6455 §5.5.3: a Pong echoes the application data of the
		// Ping it answers, which need not be the latest one: with pings
		// more often than a round trip, the answers to earlier ones are
		// still coming. The number in it must be a ping sent, or the
		// frame was garbled (a masking error).
		if n, err := strconv.ParseInt(string(f.payload), 10, 64); err != nil || n < 1 || n > s.pings {
			return &FrameError{CloseProtocolError, fmt.Sprintf("pong %q echoes none of the %d pings sent (RFC 6455 §5.5.3)", f.payload, s.pings)}
		}
	case OpPing:
		s.r.writeFrame(now, s.conn, trace.Server, FrameHeader{FIN: true, Opcode: OpPong}, f.payload, 0, -1)
	case OpClose:
		code, _, err := ParseClosePayload(f.payload)
		if err != nil {
			return err
		}
		// RFC 6455 §5.5.1: having received a Close and not sent one,
		// answer with one, echoing the status code; then, having sent
		// and received a Close, close the TCP connection, which the
		// server SHOULD do first (§7.1.1). The pings stop.
		s.closeWS(now, echoClose(code))
	}
	return nil
}

// closeWS ends the server's side of the WebSocket: its Close frame with
// body, no more pings, then the TCP connection closed, the server first
// (RFC 6455 §7.1.1); it reads nothing more.
func (s *server) closeWS(now sim.Time, body []byte) {
	s.writeClose(now, body)
	s.pingTimer.Stop()
	s.closed = true
	s.conn.Close(now)
}

// writeClose sends the server's Close frame, once, unmasked as every
// server frame (RFC 6455 §5.1).
func (s *server) writeClose(now sim.Time, body []byte) {
	if s.closeSent {
		return
	}
	s.closeSent = true
	s.r.writeFrame(now, s.conn, trace.Server, FrameHeader{FIN: true, Opcode: OpClose}, body, 0, -1)
}

// refuse answers a request it cannot take with 400 and fails the run.
func (s *server) refuse(now sim.Time, err error) {
	head := badRequest(now)
	s.conn.Write(now, head)
	s.r.st.httpHeaders += int64(len(head))
	s.closed = true
	s.conn.Close(now)
	s.r.fail(now, trace.Server, s.conn.ID(), err)
}

// failWS fails the WebSocket connection (RFC 6455 §7.1.7): a Close frame
// with the error's status code, then the TCP close.
func (s *server) failWS(now sim.Time, err error) {
	code := CloseProtocolError
	var fe *FrameError
	if errors.As(err, &fe) {
		code = fe.Code
	}
	s.closeWS(now, AppendClosePayload(nil, code, ""))
	s.r.fail(now, trace.Server, s.conn.ID(), err)
}
