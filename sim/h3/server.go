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
	reqs    map[uint64]*web.Request
	last    uint64 // the highest request stream seen (for GOAWAY)
}

// NewServer serves HTTP/3 on the server end of a QUIC connection.
func NewServer(cfg Config, conn *quic.Conn, handler web.Handler, loop *sim.Loop, log *trace.Log) *Server {
	s := &Server{handler: handler, loop: loop, reqs: map[uint64]*web.Request{}}
	s.ep = newEndpoint(cfg, conn, log, trace.Server, s)
	return s
}

// Stats returns the server end's counters.
func (s *Server) Stats() Stats { return s.ep.stats }

// GoAway starts a graceful shutdown (RFC 9114 §5.2).
func (s *Server) GoAway(now sim.Time) {
	f := &GoawayFrame{ID: s.last + 4}
	s.ep.conn.Write(now, s.ep.control, f.Append(nil))
	s.ep.traceFrame(now, trace.FrameCreated, s.ep.control, f, f.Append(nil))
}

func (s *Server) headers(now sim.Time, id uint64, fields []qpack.Field, _ int) {
	req := web.NewDecodedRequest()
	for _, f := range fields {
		req.AddField(f.Name, f.Value)
	}
	s.reqs[id] = req
	s.last = max(s.last, id)
	s.ep.conn.SetPriority(id, req.Urgency, req.Incremental)
}

func (s *Server) data(sim.Time, uint64, int64, tcp.Arrival) {}

// fin: the request is complete; serve it.
func (s *Server) fin(now sim.Time, id uint64) {
	req := s.reqs[id]
	if req == nil {
		return
	}
	delete(s.reqs, id)
	web.Answer(s.handler, now, req, func(now sim.Time, resp *web.Response) {
		s.loop.After(now.Add(resp.Delay), func(now sim.Time) { s.respond(now, id, req, resp) })
	})
}

func (s *Server) respond(now sim.Time, id uint64, req *web.Request, resp *web.Response) {
	fields := []qpack.Field{{Name: ":status", Value: strconv.Itoa(resp.Status)}}
	for _, f := range resp.Header {
		fields = append(fields, qpack.Field{Name: f.Name, Value: f.Value})
	}
	s.ep.writeHeaders(now, id, fields)
	if resp.HasBody() && req.Method != "HEAD" && resp.BodyLen > 0 {
		s.ep.writeData(now, id, resp.BodyLen)
	}
	s.ep.conn.CloseStream(now, id)
}

func (s *Server) reset(sim.Time, uint64)  {}
func (s *Server) closed(sim.Time, string) {}
func (s *Server) settings(sim.Time)       {}
func (s *Server) goAway(sim.Time, uint64) {}
func (s *Server) priorityUpdate(now sim.Time, id uint64, value string) {
	u, inc := web.ParsePriority(value)
	s.ep.conn.SetPriority(id, u, inc)
}

// ready: the server has nothing to send until requests arrive.
func (s *Server) ready(sim.Time) {}
