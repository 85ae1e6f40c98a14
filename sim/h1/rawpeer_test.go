package h1

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/link"
	"httpsim/sim/tcp"
	"httpsim/sim/topo"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
	"httpsim/sim/units"
	"httpsim/sim/web"
)

// A raw peer is a scripted (or misbehaving) HTTP/1.x endpoint for tests: it
// sits on one end of a real simulated TCP connection, writes text a test
// gives it at chosen virtual times, and keeps every byte the endpoint under
// test sends back, which net/http then parses: a differential check of what
// this package writes. The other end is this package's Server or Pool.
type rawPeer struct {
	t    *testing.T
	loop *sim.Loop
	log  *trace.Log
	conn *tcp.Conn

	got []byte
	// peerClosed: the endpoint under test closed its side.
	peerClosed bool
	// onData, if set, sees the bytes received so far after each delivery.
	onData func(now sim.Time, got []byte)
	// limitOK: the loop may end at its time limit (a client that fails
	// aborts its connection silently, and the peer retransmits to it
	// until then).
	limitOK bool
}

func (p *rawPeer) OnEstablished(sim.Time) {}

func (p *rawPeer) OnPeerClose(sim.Time) { p.peerClosed = true }

func (p *rawPeer) OnData(now sim.Time, d bytestream.Slice, _ tcp.Arrival) {
	p.got = append(p.got, d.Bytes()...)
	if p.onData != nil {
		p.onData(now, p.got)
	}
}

// write sends text at virtual time d (after the handshake, about 20 ms, when
// d is large enough).
func (p *rawPeer) write(d time.Duration, text string) {
	p.loop.After(sim.At(d), func(now sim.Time) { p.conn.Write(now, []byte(text)) })
}

// run runs the loop to completion; a panic in the endpoint under test is a
// test failure, not the end of the test binary.
func (p *rawPeer) run() {
	p.t.Helper()
	defer func() {
		if r := recover(); r != nil {
			p.t.Fatalf("panic: %v", r)
		}
	}()
	if st := p.loop.Run(0); st != sim.Finished && !(p.limitOK && st == sim.TimeLimit) {
		p.t.Fatalf("loop ended with %v", st)
	}
}

// rawLink is a 10 ms, 100 Mbps link each way.
var rawLink = link.Config{Bandwidth: 100 * units.Mbps, Delay: 10 * time.Millisecond, QueueBytes: 1 << 24}

func newRawLoop() (*sim.Loop, *trace.Log) {
	return sim.NewLoop(sim.Limits{MaxTime: sim.At(time.Minute)}), trace.NewLog(true)
}

// rawHandler answers every request with 200 and a body of bodyLen bytes
// (Content-Length), after slow for the path /slow.
type rawHandler struct {
	bodyLen int64
	slow    time.Duration
	reqs    []*web.Request
}

func (h *rawHandler) Serve(_ sim.Time, req *web.Request) *web.Response {
	h.reqs = append(h.reqs, req)
	r := &web.Response{Status: 200, BodyLen: h.bodyLen,
		Header: []web.Field{{Name: "content-length", Value: fmt.Sprint(h.bodyLen)}}}
	if req.Path == "/slow" {
		r.Delay = h.slow
	}
	return r
}

// serverHarness connects a raw client peer to this package's Server.
func serverHarness(t *testing.T, h web.Handler) (*rawPeer, *Server) {
	t.Helper()
	loop, log := newRawLoop()
	path := topo.NewPath(loop, log, 1, rawLink, rawLink)
	tc, ts := path.NewTCP(tcp.DefaultConfig())
	srv := NewServer(ts, h, loop, log)
	p := &rawPeer{t: t, loop: loop, log: log, conn: tc}
	tc.SetHandler(p)
	loop.After(0, tc.Connect)
	return p, srv
}

// clientHarness connects this package's Pool to a raw server peer; the
// connection opens on the first Fetch.
func clientHarness(t *testing.T, cfg Config) (*rawPeer, *Pool) {
	t.Helper()
	loop, log := newRawLoop()
	path := topo.NewPath(loop, log, 1, rawLink, rawLink)
	p := &rawPeer{t: t, loop: loop, log: log}
	pool := NewPool(cfg, log, func(now sim.Time) transport.Conn {
		tc, ts := path.NewTCP(tcp.DefaultConfig())
		p.conn = ts
		ts.SetHandler(p)
		loop.After(now, tc.Connect)
		return tc
	})
	return p, pool
}

// rawExchange records what the client reports of one request.
type rawExchange struct {
	statuses []int
	body     int64
	done     bool
	failed   string
}

func (x *rawExchange) Sent(sim.Time, int32, int64)          {}
func (x *rawExchange) Headers(_ sim.Time, r *web.Response)  { x.statuses = append(x.statuses, r.Status) }
func (x *rawExchange) Body(_ sim.Time, n int64, _ sim.Time) { x.body += n }
func (x *rawExchange) Done(sim.Time)                        { x.done = true }
func (x *rawExchange) Failed(_ sim.Time, reason string)     { x.failed = reason }
func (x *rawExchange) Refused(_ sim.Time, reason string)    { x.failed = "refused: " + reason }

// fetch asks the pool for path at d, recording into the exchange returned.
func (p *rawPeer) fetch(pool *Pool, d time.Duration, method, path string) *rawExchange {
	x := &rawExchange{}
	p.loop.After(sim.At(d), func(now sim.Time) {
		pool.Fetch(now, &web.Request{Method: method, Scheme: "http", Authority: "example.com", Path: path, Urgency: 3}, x)
	})
	return x
}

// responses parses what the server sent with net/http, as answers to
// requests with methods (GET for any beyond the list), and returns the
// status codes and the bytes left over.
func responses(got []byte, methods ...string) (statuses []int, rest int, err error) {
	br := bufio.NewReader(bytes.NewReader(got))
	for i := 0; ; i++ {
		if _, err := br.Peek(1); err == io.EOF {
			return statuses, 0, nil
		}
		req := &http.Request{Method: "GET"}
		if i < len(methods) {
			req.Method = methods[i]
		}
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			return statuses, br.Buffered(), fmt.Errorf("response %d: %w", i, err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return statuses, br.Buffered(), fmt.Errorf("response %d body: %w", i, err)
		}
		statuses = append(statuses, resp.StatusCode)
	}
}

// TestRawPeerBaseline checks the harness itself on well-behaved exchanges.
func TestRawPeerBaseline(t *testing.T) {
	t.Run("server", func(t *testing.T) {
		h := &rawHandler{bodyLen: 1000, slow: 100 * time.Millisecond}
		p, _ := serverHarness(t, h)
		p.write(50*time.Millisecond, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n")
		p.run()
		st, _, err := responses(p.got)
		if err != nil || fmt.Sprint(st) != "[200 200]" || p.peerClosed {
			t.Fatalf("statuses %v, %v, closed %v; want [200 200], open; got:\n%q", st, err, p.peerClosed, p.got)
		}
	})
	t.Run("client", func(t *testing.T) {
		p, pool := clientHarness(t, DefaultConfig())
		x := p.fetch(pool, 0, "GET", "/")
		answered := false
		p.onData = func(now sim.Time, got []byte) {
			if !answered && bytes.Contains(got, []byte("\r\n\r\n")) {
				answered = true
				p.conn.Write(now, []byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"))
			}
		}
		p.run()
		if !x.done || x.failed != "" || x.body != 5 {
			t.Fatalf("exchange %+v; want done with 5 body bytes", x)
		}
	})
}
