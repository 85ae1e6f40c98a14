package h2

import (
	"strconv"

	"httpsim/sim"
	"httpsim/sim/hpack"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
	"httpsim/sim/web"
)

// Server is the origin's end of one HTTP/2 connection. It answers each
// request when the handler's response is ready, and its write scheduler
// decides which response's DATA goes out next — just in time, as the
// transport drains, so that the choice matters.
type Server struct {
	ep       *endpoint
	handler  web.Handler
	sched    Scheduler
	loop     *sim.Loop
	nextPush uint32
	pending  idTable[serverStream]
	// canSend is streamCanSend as the scheduler takes it, made once
	// rather than as a closure on every pick.
	canSend func(id uint32) bool
}

type serverStream struct {
	s     *Server
	st    *stream
	req   *web.Request
	resp  *web.Response
	asked bool // handed to the handler
	// ready fires when the response is due, after the server time.
	ready sim.Timer
}

// NewServer serves HTTP/2 on tc.
func NewServer(cfg Config, tc transport.Conn, handler web.Handler, loop *sim.Loop, log *trace.Log) (*Server, error) {
	sched, err := NewScheduler(cfg.Scheduler)
	if err != nil {
		return nil, err
	}
	s := &Server{handler: handler, sched: sched, loop: loop, nextPush: 2}
	s.ep = newEndpoint(false, cfg, tc, loop, log, s)
	s.canSend = s.streamCanSend
	return s, nil
}

// Stats returns the server end's counters.
func (s *Server) Stats() Stats { return s.ep.stats }

// GoAway starts a graceful shutdown (RFC 9113 §6.8): streams the client has
// opened so far are answered; later ones are refused.
func (s *Server) GoAway(now sim.Time) {
	last := uint32(0)
	s.ep.streams.each(func(id uint32, _ *stream) {
		if id%2 == 1 && id > last {
			last = id
		}
	})
	s.ep.writeFrame(now, &GoAwayFrame{LastStreamID: last, ErrorCode: ErrCodeNo})
	s.ep.goneAway = true
}

// headers is a request's header block, or its trailers.
func (s *Server) headers(now sim.Time, st *stream, fields []hpack.HeaderField, end bool, _ int) {
	if s.pending.get(st.id) != nil {
		// A second block on a stream is the request's trailers (RFC 9113
		// §8.1): "An endpoint that receives a HEADERS frame without the
		// END_STREAM flag set after receiving the HEADERS frame that
		// opens a request or after receiving a final (non-informational)
		// status code MUST treat the corresponding request or response as
		// malformed (Section 8.1.1)", a stream error of type
		// PROTOCOL_ERROR (§8.1.1).
		if !end {
			s.ep.resetStream(now, st.id, ErrCodeProtocol)
			return
		}
		s.endStream(now, st)
		return
	}
	if s.ep.goneAway {
		s.ep.resetStream(now, st.id, ErrCodeRefusedStream)
		return
	}
	req := web.NewDecodedRequest()
	for _, f := range fields {
		req.AddField(f.Name, f.Value)
	}
	// §8.3.1: "All HTTP/2 requests MUST include exactly one valid value
	// for the :method, :scheme, and :path pseudo-header fields, unless
	// they are CONNECT requests"; a request without them is malformed, a
	// stream error of type PROTOCOL_ERROR (§8.1.1). CONNECT carries
	// :authority instead (§8.5).
	if req.LacksPseudoHeaders() {
		s.ep.resetStream(now, st.id, ErrCodeProtocol)
		return
	}
	st.urgency, st.incremental = req.Urgency, req.Incremental
	ss := &serverStream{s: s, st: st, req: req}
	s.loop.InitTimer(&ss.ready, ss.respond)
	s.pending.set(st.id, ss)
	if end {
		s.serve(now, st)
	}
}

// serve asks the handler for st's response and writes it when ready.
func (s *Server) serve(now sim.Time, st *stream) {
	ss := s.pending.get(st.id)
	ss.asked = true
	web.AnswerTo(s.handler, now, ss.req, ss)
}

// Reply implements web.Replier: the response is written once its server
// time has passed.
func (ss *serverStream) Reply(now sim.Time, resp *web.Response) {
	ss.resp = resp
	ss.ready.Set(now.Add(resp.Delay))
}

func (ss *serverStream) respond(now sim.Time) { ss.s.respond(now, ss.st) }

// respond writes the response head (after any PUSH_PROMISE it carries) and
// hands the body to the scheduler.
func (s *Server) respond(now sim.Time, st *stream) {
	ss := s.pending.get(st.id)
	if ss == nil || ss.resp == nil {
		return // the stream was reset and forgotten meanwhile
	}
	s.pending.remove(st.id)
	if st.state == stateClosed {
		return // reset by the client meanwhile
	}
	if s.ep.peer.EnablePush && s.ep.cfg.Push {
		for _, preq := range ss.resp.Push {
			s.push(now, st, preq)
		}
	}
	s.writeResponse(now, st, ss.req, ss.resp)
}

// push promises preq on parent and produces its response (RFC 9113 §8.4).
func (s *Server) push(now sim.Time, parent *stream, preq *web.Request) {
	id := s.nextPush
	s.nextPush += 2
	s.ep.writeHeaders(now, parent.id, s.ep.requestFields(preq), false, id)
	st := s.ep.stream(id, true)
	st.state = stateReservedLocal
	st.urgency, st.incremental = preq.Urgency, preq.Incremental
	resp := s.handler.Serve(now, preq)
	s.loop.After(now.Add(resp.Delay), func(now sim.Time) {
		if st.state != stateClosed {
			s.writeResponse(now, st, preq, resp)
		}
	})
}

func (s *Server) writeResponse(now sim.Time, st *stream, req *web.Request, resp *web.Response) {
	fields := append(s.ep.outFields[:0], hpack.HeaderField{Name: ":status", Value: strconv.Itoa(resp.Status)})
	for _, f := range resp.Header {
		fields = append(fields, hpack.HeaderField{Name: f.Name, Value: f.Value})
	}
	s.ep.outFields = fields
	body := resp.HasBody() && req.Method != "HEAD" && resp.BodyLen > 0
	s.ep.writeHeaders(now, st.id, fields, !body, 0)
	if st.state == stateReservedLocal {
		st.state = stateHalfClosedRemote
	}
	if !body {
		s.ep.closeLocal(st)
		return
	}
	st.bodyLeft = resp.BodyLen
	s.sched.Add(st.id, st.urgency, st.incremental)
	s.writable(now)
}

// writable sends DATA frames, as the scheduler picks them, while the
// transport holds no more than the low-water mark of unsent bytes.
func (s *Server) writable(now sim.Time) {
	ep := s.ep
	if ep.dead {
		return
	}
	for ep.tc.Unsent() <= ep.cfg.LowWater {
		id, ok := s.sched.Next(s.canSend)
		if !ok {
			return
		}
		st := ep.streams.get(id)
		n := min(ep.sendable(st), int64(ep.cfg.MaxFrameSize), int64(ep.peer.MaxFrameSize))
		end := n == st.bodyLeft
		ep.writeData(now, st, n, end)
		if end {
			s.sched.Remove(id)
		}
	}
}

// streamCanSend reports whether stream id has body bytes it may send now
// (none on a closed stream: sendable, RFC 9113 §5.1).
func (s *Server) streamCanSend(id uint32) bool {
	st := s.ep.streams.get(id)
	return st != nil && s.ep.sendable(st) > 0
}

func (s *Server) dataIn(sim.Time, *stream, int64, tcp.Arrival) {}

func (s *Server) endStream(now sim.Time, st *stream) {
	if ss := s.pending.get(st.id); ss != nil && !ss.asked {
		s.serve(now, st)
	}
}

// reset forgets a stream reset by either end: no more DATA on it (RFC 9113
// §5.1), and no response if none was written yet.
func (s *Server) reset(_ sim.Time, st *stream, _ ErrCode) {
	s.sched.Remove(st.id)
	st.bodyLeft = 0
	if ss := s.pending.get(st.id); ss != nil {
		ss.ready.Stop()
		s.pending.remove(st.id)
	}
}

func (s *Server) pushPromise(now sim.Time, _ *stream, promised uint32, _ []hpack.HeaderField, _ int) {
	// A client must not push (RFC 9113 §8.4).
	s.ep.connError(now, ConnError{Code: ErrCodeProtocol, Reason: "PUSH_PROMISE from a client (RFC 9113 §8.4)"})
}

func (s *Server) goAway(sim.Time, uint32, ErrCode) {}

func (s *Server) priorityUpdate(now sim.Time, id uint32, value string) {
	u, inc := web.ParsePriority(value)
	if st := s.ep.streams.get(id); st != nil {
		st.urgency, st.incremental = u, inc
		if st.bodyLeft > 0 && st.state != stateClosed {
			s.sched.Add(id, u, inc)
		}
	}
	s.writable(now)
}

func (s *Server) broken(sim.Time, string) {}
