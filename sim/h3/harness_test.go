package h3

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/link"
	"httpsim/sim/qpack"
	"httpsim/sim/quic"
	"httpsim/sim/quic/wire"
	"httpsim/sim/tcp"
	"httpsim/sim/topo"
	"httpsim/sim/trace"
	"httpsim/sim/units"
	"httpsim/sim/web"
)

// This file is a harness that puts one HTTP/3 endpoint of this package (a
// Client or a Server) across a real QUIC connection from a scripted peer:
// a bare quic.Conn whose streams the test opens, writes, ends and resets
// with bytes it crafts. It records what the endpoint's role saw (the
// requests the server served, what the client's exchanges were told) and
// whether the endpoint closed the connection, with which error code.

// rawPeer is the scripted end: a quic.Handler that records what it
// receives and lets the test write anything.
type rawPeer struct {
	conn *quic.Conn
	// onReady runs once the connection can carry streams; onFin when the
	// endpoint under test ends one of its streams.
	onReady func(now sim.Time)
	onFin   func(now sim.Time, id uint64)
	in      map[uint64][]byte // bytes received, per stream
	fins    map[uint64]bool
	resets  map[uint64]uint64 // RESET_STREAM codes received, per stream
	closed  bool
}

func (p *rawPeer) OnReady(now sim.Time) {
	if p.onReady != nil {
		f := p.onReady
		p.onReady = nil
		f(now)
	}
}
func (p *rawPeer) OnHandshakeDone(sim.Time)        {}
func (p *rawPeer) OnStreamOpened(sim.Time, uint64) {}
func (p *rawPeer) OnStreamData(_ sim.Time, id uint64, d bytestream.Slice, _ tcp.Arrival) {
	p.in[id] = append(p.in[id], d.Bytes()...)
}
func (p *rawPeer) OnStreamFin(now sim.Time, id uint64) {
	p.fins[id] = true
	if p.onFin != nil {
		p.onFin(now, id)
	}
}
func (p *rawPeer) OnStreamReset(_ sim.Time, id uint64, code uint64) { p.resets[id] = code }
func (p *rawPeer) OnClosed(sim.Time, string)                        { p.closed = true }

// uni opens a unidirectional stream and writes the parts.
func (p *rawPeer) uni(now sim.Time, parts ...[]byte) uint64 {
	id, err := p.conn.OpenStream(now, false)
	if err != nil {
		panic(err)
	}
	for _, b := range parts {
		p.conn.Write(now, id, b)
	}
	return id
}

// bidi opens a bidirectional stream, writes b and, if fin, ends it.
func (p *rawPeer) bidi(now sim.Time, b []byte, fin bool) uint64 {
	id, err := p.conn.OpenStream(now, true)
	if err != nil {
		panic(err)
	}
	p.conn.Write(now, id, b)
	if fin {
		p.conn.CloseStream(now, id)
	}
	return id
}

// harness is an endpoint under test and its scripted peer.
type harness struct {
	t      *testing.T
	loop   *sim.Loop
	log    *trace.Log
	path   *topo.Path
	peer   *rawPeer
	client *Client // the endpoint under test: client or server
	server *Server
	side   trace.Side

	// What the role saw.
	served []*web.Request  // the server: requests it answered
	x      []*testExchange // the client: its fetches
	// closeCode is the error code of the CONNECTION_CLOSE the endpoint
	// under test sent, -1 if none; closeReason its reason phrase.
	closeCode   int64
	closeReason string
}

// testExchange records what the client told a fetch.
type testExchange struct {
	status int
	body   int64
	done   bool
	failed string
	// refused: the client said the server did not process the request.
	refused bool
	// sent is when the client said the request was sent, -1 if it did
	// not; doneAt when the response ended.
	sent, doneAt sim.Time
}

func (x *testExchange) Sent(now sim.Time, _ int32, _ int64) {
	if x.sent >= 0 {
		panic("request sent twice")
	}
	x.sent = now
}
func (x *testExchange) Headers(_ sim.Time, r *web.Response)  { x.status = r.Status }
func (x *testExchange) Body(_ sim.Time, n int64, _ sim.Time) { x.body += n }
func (x *testExchange) Done(now sim.Time)                    { x.done, x.doneAt = true, now }
func (x *testExchange) Failed(_ sim.Time, reason string)     { x.failed = reason }
func (x *testExchange) Refused(_ sim.Time, reason string)    { x.failed, x.refused = reason, true }

// Serve implements web.Handler: every request gets a 200 with a body of 10.
func (h *harness) Serve(_ sim.Time, req *web.Request) *web.Response {
	h.served = append(h.served, req)
	return &web.Response{Status: 200, BodyLen: 10}
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, loop: sim.NewLoop(sim.Limits{MaxTime: sim.At(time.Minute)}), log: trace.NewLog(true), closeCode: -1}
	lc := link.Config{Bandwidth: 10 * units.Mbps, Delay: 10 * time.Millisecond, QueueBytes: 1 << 20}
	h.path = topo.NewPath(h.loop, h.log, 1, lc, lc)
	h.peer = &rawPeer{in: map[uint64][]byte{}, fins: map[uint64]bool{}, resets: map[uint64]uint64{}}
	return h
}

// watch records the CONNECTION_CLOSE frames that side sends.
func (h *harness) watch(side trace.Side) {
	h.side = side
	h.log.Observe(func(e *trace.Event) {
		if e.Kind != trace.PacketSent || e.Side != side || h.closeCode >= 0 {
			return
		}
		_, frames, err := quic.EventFrames(e, quic.DefaultConfig().ConnIDLen)
		if err != nil {
			h.t.Errorf("packet sent: %v", err)
			return
		}
		for _, f := range frames {
			// Before the handshake is confirmed the close goes in
			// Handshake packets too, as a transport APPLICATION_ERROR
			// (RFC 9000 §10.2.3): the 1-RTT one carries the code.
			if cc, ok := f.(*wire.ConnectionCloseFrame); ok && cc.IsApplicationError {
				h.closeCode, h.closeReason = int64(cc.ErrorCode), cc.ReasonPhrase
			}
		}
	})
}

// newServerHarness puts a Server with cfg under test; the peer is the
// client. ready runs once the peer may open streams.
func newServerHarness(t *testing.T, cfg Config, ready func(h *harness, now sim.Time)) *harness {
	h := newHarness(t)
	qc := quic.DefaultConfig()
	qc.Scheduler = cfg.QUICScheduler()
	client, server := h.path.NewQUIC(qc)
	h.peer.conn = client
	client.SetHandler(h.peer)
	h.server = NewServer(cfg, server, h, h.loop, h.log)
	h.peer.onReady = func(now sim.Time) { ready(h, now) }
	h.watch(trace.Server)
	h.loop.After(0, client.Connect)
	return h
}

// newClientHarness puts a Client with cfg under test, fetching paths; the
// peer is the server. ready runs once the peer may open streams.
func newClientHarness(t *testing.T, cfg Config, paths []string, ready func(h *harness, now sim.Time)) *harness {
	return newClientHarnessQUIC(t, cfg, quic.DefaultConfig(), paths, ready)
}

// newClientHarnessQUIC is newClientHarness with QUIC configuration qc at
// both ends.
func newClientHarnessQUIC(t *testing.T, cfg Config, qc quic.Config, paths []string, ready func(h *harness, now sim.Time)) *harness {
	h := newHarness(t)
	qc.Scheduler = cfg.QUICScheduler()
	h.client = NewClient(cfg, h.log, func(now sim.Time) *quic.Conn {
		if h.peer.conn != nil {
			return nil // one connection: a second one would be the harness's bug
		}
		client, server := h.path.NewQUIC(qc)
		h.peer.conn = server
		server.SetHandler(h.peer)
		h.loop.After(now, client.Connect)
		return client
	})
	h.peer.onReady = func(now sim.Time) { ready(h, now) }
	h.watch(trace.Client)
	h.loop.After(0, func(now sim.Time) {
		for _, p := range paths {
			x := &testExchange{sent: -1, doneAt: -1}
			h.x = append(h.x, x)
			h.client.Fetch(now, &web.Request{Method: "GET", Scheme: "https", Authority: "example.com", Path: p}, x)
		}
	})
	return h
}

// at runs fn d after the start of the run.
func (h *harness) at(d time.Duration, fn func(now sim.Time)) { h.loop.After(sim.At(d), fn) }

// run runs the simulation to its end.
func (h *harness) run() {
	h.t.Helper()
	if st := h.loop.Run(0); st != sim.Finished {
		h.t.Fatalf("run: %v", st)
	}
}

// wantClose checks the code the endpoint closed the connection with: -1
// for none.
func (h *harness) wantClose(want int64) {
	h.t.Helper()
	if h.closeCode != want {
		h.t.Errorf("connection closed with %s (%q); want %s", codeName(h.closeCode), h.closeReason, codeName(want))
	}
}

func codeName(c int64) string {
	if c < 0 {
		return "no CONNECTION_CLOSE"
	}
	return ErrorCode(c).String()
}

// Bytes for the scripted peer to send.

// frames appends the frames' encodings.
func frames(fs ...Frame) []byte {
	var b []byte
	for _, f := range fs {
		b = f.Append(b)
	}
	return b
}

// controlStream is a control stream's type and SETTINGS for cfg, then the
// frames.
func controlStream(cfg Config, fs ...Frame) []byte {
	b := AppendStreamType(nil, StreamTypeControl)
	b = (&SettingsFrame{Settings: []Setting{
		{ID: SettingQPACKMaxTableCapacity, Value: cfg.QPACKTableCapacity},
		{ID: SettingQPACKBlockedStreams, Value: cfg.QPACKBlockedStreams},
	}}).Append(b)
	return append(b, frames(fs...)...)
}

// staticSection is fields encoded with QPACK's static table only, for
// stream id.
func staticSection(id uint64, fields ...qpack.Field) []byte {
	section, _ := qpack.NewEncoder().AppendFieldSection(nil, nil, id, fields, nil)
	return section
}

// requestFields are a GET of path.
func requestFields(path string) []qpack.Field {
	return []qpack.Field{{Name: ":method", Value: "GET"}, {Name: ":scheme", Value: "https"},
		{Name: ":authority", Value: "example.com"}, {Name: ":path", Value: path}}
}

// headers is a HEADERS frame of fields, static table only, for stream id.
func headers(id uint64, fields ...qpack.Field) []byte {
	return (&HeadersFrame{EncodedFieldSection: staticSection(id, fields...)}).Append(nil)
}

// TestHarnessWellBehaved checks the harness itself: a well-behaved
// scripted peer gets its request served, or its response taken, and
// nobody closes the connection.
func TestHarnessWellBehaved(t *testing.T) {
	cfg := DefaultConfig()
	t.Run("server", func(t *testing.T) {
		h := newServerHarness(t, cfg, func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(cfg))
			h.peer.bidi(now, headers(0, requestFields("/a")...), true)
		})
		h.run()
		h.wantClose(-1)
		if len(h.served) != 1 || h.served[0].Path != "/a" {
			t.Errorf("served %v; want one request for /a", h.served)
		}
		if !h.peer.fins[0] {
			t.Errorf("the response did not end")
		}
	})
	t.Run("client", func(t *testing.T) {
		h := newClientHarness(t, cfg, []string{"/a"}, func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(cfg))
		})
		h.peer.onFin = func(now sim.Time, id uint64) {
			b := headers(id, qpack.Field{Name: ":status", Value: "200"})
			b = (&DataFrame{Data: make([]byte, 5), DataLen: 5}).Append(b)
			h.peer.conn.Write(now, id, b)
			h.peer.conn.CloseStream(now, id)
		}
		h.run()
		h.wantClose(-1)
		if x := h.x[0]; x.status != 200 || x.body != 5 || !x.done || x.failed != "" {
			t.Errorf("exchange %+v; want status 200, 5 bytes, done", *x)
		}
	})
}
