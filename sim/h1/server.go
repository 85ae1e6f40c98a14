package h1

import (
	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/hol"
	"httpsim/sim/slab"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
	"httpsim/sim/web"
	"slices"
	"strings"
)

// Server is the origin's end of one HTTP/1.x connection: it reads requests,
// asks the handler for responses, and writes them strictly in request order
// (RFC 9112 §9.3.2), however soon a later one is ready.
type Server struct {
	tc      transport.Conn
	handler web.Handler
	loop    *sim.Loop
	log     *trace.Log

	head    headReader
	req     *web.Request
	http10  bool
	body    *bodyReader // &bodyBuf while a request body is read, else nil
	bodyBuf bodyReader
	nreq    int64
	queue   []*serverResp
	written int64 // responses written so far
	timer   sim.Timer
	// closeAfter: the request being read must be the connection's last
	// (RFC 9112 §6.3 item 3).
	closeAfter bool
	// stopped: the server reads no further requests, since one asked to
	// close the connection (RFC 9112 §9.6: it "MUST NOT process any
	// further requests") or the input could not be parsed.
	stopped bool
	// closed: the server closed its side; nothing more is written.
	closed bool
	// TLS: the connection runs over TLS, so the requests' target URI has
	// the https scheme (RFC 9112 §3.3), which the Location of a redirect
	// repeats.
	TLS bool
	// HeaderBytes and BodyBytes count what the server wrote.
	HeaderBytes, BodyBytes, Framing int64

	// raw holds the heads the trace keeps; headBuf is scratch space for
	// writing one.
	raw     slab.Bytes
	headBuf []byte
	// tracker measures how long the requests' bytes (an upload's body)
	// waited in TCP's reassembly buffer, as HTTP/2's and HTTP/3's servers
	// do: a lost upload segment used to delay HTTP/1.1 without a trace.
	tracker *hol.Tracker
	// sp is tc's report of how far the written bytes have left, nil if
	// it gives none; behind are the responses written while bytes ahead
	// of them were still unsent, oldest first.
	sp     transport.SendProgress
	behind []behindResp
	held   heldRequests
}

// behindResp is a response handed to the transport behind bytes not yet
// sent: it waits, from readyAt, until the transport has sent the ahead bytes
// written before it.
type behindResp struct {
	stream, n, ahead int64
	readyAt          sim.Time
}

// serverResp is a response waiting its turn.
type serverResp struct {
	s      *Server
	stream int64
	// req is nil for the server's own answer to bad input.
	req     *web.Request
	resp    *web.Response
	http10  bool
	readyAt sim.Time
	// close: the connection closes after this response.
	close bool
}

// NewServer serves HTTP/1.x on tc.
func NewServer(tc transport.Conn, handler web.Handler, loop *sim.Loop, log *trace.Log) *Server {
	s := &Server{tc: tc, handler: handler, loop: loop, log: log, tracker: hol.NewTracker(log, tc.TCP().Side(), tc.ID())}
	loop.InitTimer(&s.timer, s.writeReady)
	tc.SetHandler(s)
	if sp, ok := tc.(transport.SendProgress); ok {
		s.sp = sp
		sp.WatchSent(true)
	}
	return s
}

// OnSent implements transport.SentHandler: the responses whose bytes ahead
// have now all been sent stop waiting for them.
func (s *Server) OnSent(now sim.Time) {
	if len(s.behind) == 0 {
		return
	}
	sent := s.sp.Sent()
	i := 0
	for ; i < len(s.behind) && s.behind[i].ahead <= sent; i++ {
		b := s.behind[i]
		s.httpWait(now, b.stream, b.n, b.readyAt)
	}
	s.behind = s.behind[:copy(s.behind, s.behind[i:])]
}

var _ transport.SentHandler = (*Server)(nil)

// OnHeld implements tcp.HeldHandler: request bytes held behind a hole when
// the connection stopped are read, without acting on them, to learn which
// request each is and count its wait until then.
func (s *Server) OnHeld(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	h := &s.held
	if !h.started {
		h.started, h.inBody, h.n = true, s.req != nil, s.nreq
	}
	var rel int64
	for rel < d.N && !h.done {
		if !h.inBody {
			n, head, err := s.head.feedFrom(d, rel)
			s.tracker.Deliver(h.n, int64(n), at)
			rel += int64(n)
			if err != nil {
				h.done = true
				return
			}
			if head == nil {
				continue
			}
			req, http10, err := parseRequestHead(head)
			if err != nil {
				h.done = true
				return
			}
			mode, cl, status, _ := requestFraming(req.Header, http10)
			if status != 0 {
				h.done = true
				return
			}
			s.body = s.bodyBuf.reset(mode, cl)
			h.inBody = true
		} else {
			n, _, err := s.body.feed(d, rel)
			s.tracker.Deliver(h.n, n, at)
			rel += n
			if err != nil {
				h.done = true
				return
			}
		}
		if s.body.done {
			h.n++
			h.inBody = false
		}
	}
}

// OnStopped implements tcp.HeldHandler: the responses still waiting behind
// the bytes ahead of them waited until the connection stopped, and waits for
// a TLS record's end are counted then.
func (s *Server) OnStopped(now sim.Time) {
	for _, b := range s.behind {
		s.httpWait(now, b.stream, b.n, b.readyAt)
	}
	s.behind = s.behind[:0]
	// So do the responses ready in the queue behind one still being made:
	// they can no longer leave.
	for _, r := range s.queue {
		if r.readyAt < now {
			head, _, body := s.responseSize(r)
			s.httpWait(now, r.stream, int64(len(head))+body, r.readyAt)
		}
	}
	s.tracker.Flush()
}

var _ tcp.HeldHandler = (*Server)(nil)

// heldRequests is where reading the bytes held at a connection's stop has
// got to: the request being read (n), whether in its body, and whether
// nothing more can be read.
type heldRequests struct {
	started, inBody, done bool
	n                     int64
}

// OnEstablished implements transport.Handler.
func (s *Server) OnEstablished(sim.Time) {}

// OnPeerClose implements transport.Handler: the client closed; close too
// once everything is written.
func (s *Server) OnPeerClose(now sim.Time) {
	if len(s.queue) == 0 && !s.closed {
		s.closed = true
		s.tc.Close(now)
	}
}

// OnRecordEnd implements tcp.RecordEndHandler.
func (s *Server) OnRecordEnd(sim.Time) { s.tracker.Flush() }

var _ tcp.RecordEndHandler = (*Server)(nil)

// OnData implements transport.Handler: parse requests.
func (s *Server) OnData(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	var rel int64
	for rel < d.N && !s.stopped {
		if s.req == nil {
			n, head, err := s.head.feedFrom(d, rel)
			s.tracker.Deliver(s.nreq, int64(n), at)
			rel += int64(n)
			if err != nil {
				// Too large to take: a request-target longer than
				// the server will parse is 414 URI Too Long (RFC
				// 9112 §3), header fields too large 431 Request
				// Header Fields Too Large (RFC 6585 §5).
				status := 431
				if s.head.inStartLine() {
					status = 414
				}
				s.refuse(now, status)
				return
			}
			if head == nil {
				continue
			}
			req, http10, err := parseRequestHead(head)
			if err != nil {
				s.refuse(now, 400)
				return
			}
			s.log.Emit(trace.Event{At: now, Kind: trace.FrameParsed, Side: s.tc.TCP().Side(), Conn: s.tc.ID(), Stream: s.nreq,
				PN: -1, Name: "request", Len: int64(len(head)), Raw: s.raw.Copy(head)})
			if s.TLS {
				req.Scheme = "https"
			}
			mode, cl, status, closeAfter := requestFraming(req.Header, http10)
			if status != 0 {
				s.refuse(now, status)
				return
			}
			s.req, s.http10, s.closeAfter = req, http10, closeAfter
			s.body = s.bodyBuf.reset(mode, cl)
		} else {
			n, data, err := s.body.feed(d, rel)
			s.tracker.Deliver(s.nreq, n, at)
			rel += n
			s.req.Body += data // the handler sees the whole body
			if err != nil {
				s.refuse(now, 400)
				return
			}
		}
		if s.body.done {
			s.serve(now)
		}
	}
}

// serve hands the request to the handler and queues the response; an
// asynchronous handler fills it in later.
func (s *Server) serve(now sim.Time) {
	req := s.req
	s.req, s.body = nil, nil
	r := &serverResp{s: s, stream: s.nreq, req: req, http10: s.http10, readyAt: sim.Never,
		close: s.http10 || s.closeAfter || web.HasToken(req.Header, "connection", "close")}
	s.stopped = s.stopped || r.close
	s.queue = append(s.queue, r)
	s.nreq++
	web.AnswerTo(s.handler, now, req, r)
}

// Reply implements web.Replier: the handler's response, ready after its
// server time.
func (r *serverResp) Reply(now sim.Time, resp *web.Response) {
	r.resp, r.readyAt = resp, now.Add(resp.Delay)
	r.s.writeReady(now)
}

// httpWait records that n bytes of response stream, ready at readyAt,
// waited until now behind the responses ahead of them (HTTP-level
// head-of-line blocking); none if they did not wait.
func (s *Server) httpWait(now sim.Time, stream, n int64, readyAt sim.Time) {
	if readyAt < now {
		hol.Emit(s.log, s.tc.TCP().Side(), s.tc.ID(), stream, n, readyAt, now, hol.CauseHTTP, "")
	}
}

// responseSize returns r's head, in s.headBuf, whether a body follows it,
// and the body's length. A response to HEAD, a 1xx, 204 or 304 is its head
// alone (RFC 9110 §9.3.2, §15.2, §15.3.5, §15.4.5), whatever its
// Content-Length says: the trace counts what is written. (A body may be
// empty and still be written: a chunked one's last chunk.)
func (s *Server) responseSize(r *serverResp) (head []byte, hasBody bool, body int64) {
	if s.headBuf == nil {
		s.headBuf = make([]byte, 0, headBufSize)
	}
	head = appendResponseHead(s.headBuf[:0], r.resp, r.http10, r.close)
	s.headBuf = head
	if hasBody = r.resp.HasBody() && (r.req == nil || r.req.Method != "HEAD"); hasBody {
		body = r.resp.BodyLen
	}
	return head, hasBody, body
}

// writeReady writes queued responses in order while the first is ready. A
// response that was ready before the ones ahead of it had left waited for
// them: HTTP-level head-of-line blocking, recorded as such. Its wait runs
// from when it was ready until it could start leaving, when the bytes of the
// responses ahead of it have all been sent once (RFC 9112 §9.3.2 keeps it
// behind them): in the server's queue while an earlier one is being made,
// then in TCP's send buffer while a large earlier one goes out a window at a
// time. A response with no bytes ahead of it unsent waits for nothing but
// its own window, which is no head-of-line blocking.
func (s *Server) writeReady(now sim.Time) {
	for len(s.queue) > 0 && !s.closed {
		r := s.queue[0]
		if r.readyAt > now {
			if r.readyAt != sim.Never {
				s.timer.Set(r.readyAt)
			}
			return
		}
		s.queue = slices.Delete(s.queue, 0, 1) // shifts, so appends reuse the array
		head, hasBody, body := s.responseSize(r)
		// The bytes written so far are all ahead of this response.
		if ahead := s.HeaderBytes + s.BodyBytes + s.Framing; s.sp != nil && s.sp.Sent() < ahead {
			// Told when they have left (OnSent); at the earliest, at
			// the end of this instant, when TCP sends what was written.
			s.behind = append(s.behind, behindResp{stream: r.stream, n: int64(len(head)) + body, ahead: ahead, readyAt: r.readyAt})
		} else {
			s.httpWait(now, r.stream, int64(len(head))+body, r.readyAt)
		}
		s.tc.Write(now, head)
		s.HeaderBytes += int64(len(head))
		s.log.Emit(trace.Event{At: now, Kind: trace.FrameCreated, Side: s.tc.TCP().Side(), Conn: s.tc.ID(), Stream: r.stream,
			PN: -1, Name: "response", Len: int64(len(head)) + body, Raw: s.raw.Copy(head)})
		if hasBody {
			s.Framing += writeBody(now, s.tc, body, r.resp.Chunked && !r.http10)
			s.BodyBytes += body
		}
		s.written++
		if r.close {
			s.closed = true
			s.tc.Close(now)
			return
		}
	}
}

// refuse answers input it cannot take with status (400 Bad Request for
// malformed input, RFC 9112 §3; 414 or 431 for a head too large to take;
// 501 Not Implemented for a transfer coding it does not know, §6.1) and
// closes. The answer takes its turn behind the
// responses to the requests before it (RFC 9112 §9.3.2), and nothing after
// the input is read.
func (s *Server) refuse(now sim.Time, status int) {
	s.req, s.body = nil, nil
	s.stopped = true
	resp := &web.Response{Status: status, Header: []web.Field{{Name: "content-length", Value: "0"}}}
	s.queue = append(s.queue, &serverResp{s: s, stream: s.nreq, resp: resp, readyAt: now, close: true})
	s.nreq++
	s.writeReady(now)
}

// requestFraming says how a request's body is delimited (RFC 9112 §6.3): by
// chunks, by Content-Length, or not at all (length 0). status is what to
// answer instead (0 for none), and closeAfter says the connection closes
// after the response.
func requestFraming(h []web.Field, http10 bool) (mode bodyMode, length int64, status int, closeAfter bool) {
	te, codings := false, 0
	for _, f := range h {
		if f.Name != "transfer-encoding" {
			continue
		}
		te = true
		for c := range strings.SplitSeq(f.Value, ",") {
			if strings.TrimSpace(c) != "" {
				codings++
			}
		}
	}
	if te {
		switch {
		case http10:
			// §6.1: Transfer-Encoding in an HTTP/1.0 message is
			// faulty framing.
			return bodyNone, 0, 400, true
		case !chunkedLast(h):
			// §6.3 item 4: chunked not last; the length cannot be
			// determined.
			return bodyNone, 0, 400, true
		case codings > 1:
			// §6.1: a coding before chunked that the server does not
			// understand (it decodes none).
			return bodyNone, 0, 501, true
		}
		// §6.3 item 3: Transfer-Encoding overrides Content-Length, and
		// the server MUST close after responding to a request with both.
		for _, f := range h {
			if f.Name == "content-length" {
				return bodyChunked, 0, 0, true
			}
		}
		return bodyChunked, 0, 0, false
	}
	// §6.3: an invalid Content-Length is an unrecoverable error (item 5);
	// none means no body (item 7).
	cl, err := contentLength(h)
	if err != nil {
		return bodyNone, 0, 400, true
	}
	return bodyLength, max(cl, 0), 0, false
}
