package h3

import (
	"strconv"

	"httpsim/sim"
	"httpsim/sim/qpack"
	"httpsim/sim/quic"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/web"
)

// Server is the origin's end of one HTTP/3 connection. It answers each
// request stream when the handler's response is ready; QUIC's stream
// scheduler, told each response's RFC 9218 priority, decides whose bytes
// fill the next packet.
type Server struct {
	ep      *endpoint
	handler web.Handler
	loop    *sim.Loop
	reqs    map[uint64]*serverReq
	// seen and last: whether a request stream has arrived, and the
	// highest one (for GOAWAY); sentGoAway is the GOAWAY sent, or nil.
	seen       bool
	last       uint64
	sentGoAway *GoawayFrame
	fields     []qpack.Field // scratch for a response's fields
}

// serverReq is a request being answered. The handler's response goes to
// it (web.Replier) rather than to a closure, and its timer writes the
// response once the server time has passed.
type serverReq struct {
	s     *Server
	id    uint64
	req   *web.Request
	resp  *web.Response
	ready sim.Timer
}

// Reply implements web.Replier.
func (r *serverReq) Reply(now sim.Time, resp *web.Response) {
	r.resp = resp
	r.ready.Set(now.Add(resp.Delay))
}

func (r *serverReq) respond(now sim.Time) { r.s.respond(now, r.id, r.req, r.resp) }

// NewServer serves HTTP/3 on the server end of a QUIC connection.
func NewServer(cfg Config, conn *quic.Conn, handler web.Handler, loop *sim.Loop, log *trace.Log) *Server {
	s := &Server{handler: handler, loop: loop, reqs: map[uint64]*serverReq{}}
	s.ep = newEndpoint(cfg, conn, log, conn.Side(), s)
	return s
}

// Stats returns the server end's counters.
func (s *Server) Stats() Stats { return s.ep.stats }

// GoAway starts a graceful shutdown (RFC 9114 §5.2): the frame names the
// first client-initiated bidirectional stream that will not be processed,
// the one after the last request seen. Requests seen before are answered.
func (s *Server) GoAway(now sim.Time) {
	if s.sentGoAway != nil {
		return
	}
	f := &GoawayFrame{}
	if s.seen {
		f.ID = s.last + 4
	}
	s.sentGoAway = f
	s.ep.conn.Write(now, s.ep.control, f.Append(nil))
	s.ep.traceFrame(now, trace.FrameCreated, s.ep.control, f.Type(), f.Length(), f.Append(nil))
}

func (s *Server) headers(now sim.Time, id uint64, fields []qpack.Field, _ int) bool {
	if s.sentGoAway != nil && id >= s.sentGoAway.ID {
		// A request the GOAWAY said would not be processed: refused, so
		// that the client may retry it elsewhere (RFC 9114 §5.2, §8.1).
		s.ep.conn.StopSending(now, id, uint64(ErrH3RequestRejected))
		s.ep.conn.ResetStream(now, id, uint64(ErrH3RequestRejected))
		if st := s.ep.streams.get(id); st != nil {
			s.ep.abandon(now, st) // reading abandoned (RFC 9204 §2.2.2.2)
		}
		return true
	}
	req := web.DecodeRequest(len(fields), func(i int) (string, string) { return fields[i].Name, fields[i].Value })
	// RFC 9114 §4.3.1: "All HTTP/3 requests MUST include exactly one value
	// for the :method, :scheme, and :path pseudo-header fields, unless the
	// request is a CONNECT request"; a malformed request is a stream error
	// of type H3_MESSAGE_ERROR (§4.1.2). CONNECT carries :authority (§4.4).
	if req.LacksPseudoHeaders() {
		s.ep.conn.StopSending(now, id, uint64(ErrH3MessageError))
		s.ep.conn.ResetStream(now, id, uint64(ErrH3MessageError))
		if st := s.ep.streams.get(id); st != nil {
			s.ep.abandon(now, st)
		}
		return true
	}
	r := &serverReq{s: s, id: id, req: req}
	s.loop.InitTimer(&r.ready, r.respond)
	s.reqs[id] = r
	s.seen, s.last = true, max(s.last, id)
	s.ep.conn.SetPriority(id, req.Urgency, req.Incremental)
	return true
}

func (s *Server) data(sim.Time, uint64, int64, tcp.Arrival) {}

// fin: the request is complete; serve it.
func (s *Server) fin(now sim.Time, id uint64) {
	r := s.reqs[id]
	if r == nil {
		return
	}
	delete(s.reqs, id)
	web.AnswerTo(s.handler, now, r.req, r)
}

func (s *Server) respond(now sim.Time, id uint64, req *web.Request, resp *web.Response) {
	fields := append(s.fields[:0], qpack.Field{Name: ":status", Value: statusValue(resp.Status)})
	for _, f := range resp.Header {
		fields = append(fields, qpack.Field{Name: f.Name, Value: f.Value})
	}
	s.ep.writeHeaders(now, id, fields)
	s.fields = fields
	if resp.HasBody() && req.Method != "HEAD" && resp.BodyLen > 0 {
		s.ep.writeData(now, id, resp.BodyLen)
	}
	s.ep.conn.CloseStream(now, id)
}

func (s *Server) reset(sim.Time, uint64, ErrorCode) {}
func (s *Server) closed(sim.Time, string)           {}
func (s *Server) settings(sim.Time)                 {}
func (s *Server) goAway(sim.Time, uint64)           {}
func (s *Server) streamAllowed(sim.Time, uint64)    {}
func (s *Server) priorityUpdate(now sim.Time, id uint64, value string) {
	u, inc := web.ParsePriority(value)
	s.ep.conn.SetPriority(id, u, inc)
}

// ready: the server has nothing to send until requests arrive.
func (s *Server) ready(sim.Time) {}

// statusValues are the :status values of the codes RFC 9110 §15 allows
// (100-599), formatted once rather than in every response.
var statusValues = func() (v [600]string) {
	for code := 100; code < len(v); code++ {
		v[code] = strconv.Itoa(code)
	}
	return v
}()

// statusValue returns the :status field value of code (RFC 9114 §4.3.2).
func statusValue(code int) string {
	if code >= 100 && code < len(statusValues) {
		return statusValues[code]
	}
	return strconv.Itoa(code)
}
