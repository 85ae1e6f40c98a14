package h2

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"
	xhpack "golang.org/x/net/http2/hpack"

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

// A raw peer is a misbehaving (or merely scripted) HTTP/2 endpoint for
// tests: it sits on one end of a real simulated TCP connection, writes the
// frames a test builds with x/net's Framer and HPACK encoder at chosen
// virtual times, and parses what the endpoint under test sends back with
// x/net's Framer. The other end is this package's Server or Client.

// rawFrame is what the raw peer kept of a frame it received (x/net's frames
// are valid only until the next read).
type rawFrame struct {
	At       sim.Time
	Type     http2.FrameType
	Flags    http2.Flags
	StreamID uint32
	Length   uint32
	// ErrCode: RST_STREAM and GOAWAY.
	ErrCode http2.ErrCode
	// LastStreamID: GOAWAY.
	LastStreamID uint32
	// Fields: HEADERS and PUSH_PROMISE, decoded.
	Fields []xhpack.HeaderField
	// Settings: SETTINGS.
	Settings []http2.Setting
}

func (f rawFrame) String() string {
	s := fmt.Sprintf("%v stream=%d flags=%v len=%d", f.Type, f.StreamID, f.Flags, f.Length)
	switch f.Type {
	case http2.FrameRSTStream:
		s += " code=" + f.ErrCode.String()
	case http2.FrameGoAway:
		s += fmt.Sprintf(" last=%d code=%v", f.LastStreamID, f.ErrCode)
	}
	return s
}

type rawPeer struct {
	t    *testing.T
	loop *sim.Loop
	log  *trace.Log
	conn *tcp.Conn
	// server: the peer plays the server (it reads the client preface).
	server bool
	// ackSettings: acknowledge the endpoint's SETTINGS (on by default).
	ackSettings bool
	// settings are sent in the peer's own SETTINGS frame at the start.
	settings []http2.Setting
	// onFrame, if set, sees every frame received, after it is recorded.
	onFrame func(now sim.Time, f rawFrame)
	// pingFirst: the peer sends a PING before its SETTINGS, breaking its
	// connection preface (RFC 9113 §3.4).
	pingFirst bool

	wbuf   bytes.Buffer
	wfr    *http2.Framer
	encBuf bytes.Buffer
	enc    *xhpack.Encoder

	rbuf    []byte
	preface int
	dec     *xhpack.Decoder

	established bool
	peerClosed  bool
	frames      []rawFrame
}

func newRawPeer(t *testing.T, loop *sim.Loop, log *trace.Log, server bool) *rawPeer {
	p := &rawPeer{t: t, loop: loop, log: log, server: server, ackSettings: true}
	p.wfr = http2.NewFramer(&p.wbuf, nil)
	p.wfr.AllowIllegalWrites = true
	p.enc = xhpack.NewEncoder(&p.encBuf)
	p.dec = xhpack.NewDecoder(4096, nil)
	if server {
		p.preface = len(http2.ClientPreface)
	}
	return p
}

func (p *rawPeer) OnEstablished(now sim.Time) {
	p.established = true
	if !p.server {
		p.conn.Write(now, []byte(http2.ClientPreface))
	}
	if p.pingFirst {
		p.write(now, func(fr *http2.Framer) error { return fr.WritePing(false, [8]byte{}) })
	}
	p.write(now, func(fr *http2.Framer) error { return fr.WriteSettings(p.settings...) })
}

func (p *rawPeer) OnPeerClose(sim.Time) { p.peerClosed = true }

func (p *rawPeer) OnData(now sim.Time, d bytestream.Slice, _ tcp.Arrival) {
	b := d.Bytes()
	if p.preface > 0 {
		n := min(p.preface, len(b))
		p.preface -= n
		b = b[n:]
	}
	p.rbuf = append(p.rbuf, b...)
	for len(p.rbuf) >= 9 {
		n := 9 + (int(p.rbuf[0])<<16 | int(p.rbuf[1])<<8 | int(p.rbuf[2]))
		if len(p.rbuf) < n {
			return
		}
		fr := http2.NewFramer(nil, bytes.NewReader(p.rbuf[:n]))
		fr.AllowIllegalReads = true
		fr.SetMaxReadFrameSize(1 << 24)
		xf, err := fr.ReadFrame()
		if err != nil {
			p.t.Errorf("raw peer: reading %x: %v", p.rbuf[:n], err)
		}
		p.rbuf = p.rbuf[n:]
		if xf != nil {
			p.record(now, xf)
		}
	}
}

func (p *rawPeer) record(now sim.Time, xf http2.Frame) {
	h := xf.Header()
	f := rawFrame{At: now, Type: h.Type, Flags: h.Flags, StreamID: h.StreamID, Length: h.Length}
	switch xf := xf.(type) {
	case *http2.RSTStreamFrame:
		f.ErrCode = xf.ErrCode
	case *http2.GoAwayFrame:
		f.ErrCode, f.LastStreamID = xf.ErrCode, xf.LastStreamID
	case *http2.HeadersFrame:
		f.Fields = p.decode(xf.HeaderBlockFragment())
	case *http2.PushPromiseFrame:
		f.Fields = p.decode(xf.HeaderBlockFragment())
	case *http2.SettingsFrame:
		_ = xf.ForeachSetting(func(s http2.Setting) error { f.Settings = append(f.Settings, s); return nil })
		if !xf.IsAck() && p.ackSettings {
			p.write(now, func(fr *http2.Framer) error { return fr.WriteSettingsAck() })
		}
	}
	p.frames = append(p.frames, f)
	if p.onFrame != nil {
		p.onFrame(now, f)
	}
}

// decode decodes a header block (the endpoint's blocks fit one frame).
func (p *rawPeer) decode(block []byte) []xhpack.HeaderField {
	fields, err := p.dec.DecodeFull(block)
	if err != nil {
		p.t.Errorf("raw peer: decoding a header block: %v", err)
	}
	return fields
}

// write sends what fn writes with the peer's Framer.
func (p *rawPeer) write(now sim.Time, fn func(fr *http2.Framer) error) {
	p.wbuf.Reset()
	if err := fn(p.wfr); err != nil {
		p.t.Fatalf("raw peer: writing: %v", err)
	}
	p.conn.Write(now, bytes.Clone(p.wbuf.Bytes()))
}

// block encodes name/value pairs with the peer's HPACK encoder.
func (p *rawPeer) block(kv ...string) []byte {
	p.encBuf.Reset()
	for i := 0; i+1 < len(kv); i += 2 {
		_ = p.enc.WriteField(xhpack.HeaderField{Name: kv[i], Value: kv[i+1]})
	}
	return bytes.Clone(p.encBuf.Bytes())
}

// headers writes one HEADERS frame (END_HEADERS) with the fields kv.
func (p *rawPeer) headers(now sim.Time, id uint32, end bool, kv ...string) {
	b := p.block(kv...)
	p.write(now, func(fr *http2.Framer) error {
		return fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: b, EndStream: end, EndHeaders: true})
	})
}

// get writes a GET request on stream id.
func (p *rawPeer) get(now sim.Time, id uint32, path string, end bool) {
	p.headers(now, id, end, ":method", "GET", ":scheme", "https", ":authority", "example.com", ":path", path)
}

// data writes a DATA frame of n zero bytes.
func (p *rawPeer) data(now sim.Time, id uint32, n int, end bool) {
	p.write(now, func(fr *http2.Framer) error { return fr.WriteData(id, end, make([]byte, n)) })
}

// at runs fn at virtual time d (after the handshakes when d is large enough).
func (p *rawPeer) at(d time.Duration, fn func(now sim.Time)) { p.loop.After(sim.At(d), fn) }

// run runs the loop to completion.
func (p *rawPeer) run() {
	p.t.Helper()
	if st := p.loop.Run(0); st != sim.Finished {
		p.t.Fatalf("loop ended with %v", st)
	}
}

// find returns the frames of type typ received on stream id (any stream if
// id is ^0).
func (p *rawPeer) find(typ http2.FrameType, id uint32) []rawFrame {
	var out []rawFrame
	for _, f := range p.frames {
		if f.Type == typ && (id == ^uint32(0) || f.StreamID == id) {
			out = append(out, f)
		}
	}
	return out
}

// dataBytes is the DATA payload received on stream id.
func (p *rawPeer) dataBytes(id uint32) int {
	n := 0
	for _, f := range p.find(http2.FrameData, id) {
		n += int(f.Length)
	}
	return n
}

// goAway returns the GOAWAY received, if any.
func (p *rawPeer) goAway() (rawFrame, bool) {
	g := p.find(http2.FrameGoAway, ^uint32(0))
	if len(g) == 0 {
		return rawFrame{}, false
	}
	return g[0], true
}

// rst returns the RST_STREAM received on stream id, if any.
func (p *rawPeer) rst(id uint32) (rawFrame, bool) {
	r := p.find(http2.FrameRSTStream, id)
	if len(r) == 0 {
		return rawFrame{}, false
	}
	return r[0], true
}

// dump lists the frames received, for failure messages.
func (p *rawPeer) dump() string {
	var b strings.Builder
	for _, f := range p.frames {
		fmt.Fprintf(&b, "\n  %v %v", f.At, f)
	}
	return b.String()
}

// wantGoAway fails unless a GOAWAY with code (and, if last >= 0, that
// Last-Stream-ID) was received.
func (p *rawPeer) wantGoAway(code http2.ErrCode, last int) {
	p.t.Helper()
	g, ok := p.goAway()
	if !ok {
		p.t.Fatalf("no GOAWAY; want one with %v; got frames:%s", code, p.dump())
	}
	if g.ErrCode != code || (last >= 0 && g.LastStreamID != uint32(last)) {
		p.t.Fatalf("GOAWAY = %v; want code=%v last=%d; frames:%s", g, code, last, p.dump())
	}
}

// wantRST fails unless RST_STREAM with code was received on stream id.
func (p *rawPeer) wantRST(id uint32, code http2.ErrCode) {
	p.t.Helper()
	r, ok := p.rst(id)
	if !ok || r.ErrCode != code {
		p.t.Fatalf("RST_STREAM on stream %d = %v (found %v); want %v; frames:%s", id, r, ok, code, p.dump())
	}
	if g, ok := p.goAway(); ok {
		p.t.Fatalf("GOAWAY %v; want only a stream error; frames:%s", g, p.dump())
	}
}

// rawLink is a 10 ms, 100 Mbps link each way.
var rawLink = link.Config{Bandwidth: 100 * units.Mbps, Delay: 10 * time.Millisecond, QueueBytes: 1 << 24}

func newRawLoop() (*sim.Loop, *trace.Log) {
	return sim.NewLoop(sim.Limits{MaxTime: sim.At(time.Minute)}), trace.NewLog(false)
}

// rawHandler answers every request with status 200 and a body of
// bodyLen bytes after delay.
type rawHandler struct {
	bodyLen int64
	delay   time.Duration
	reqs    []*web.Request
}

func (h *rawHandler) Serve(_ sim.Time, req *web.Request) *web.Response {
	h.reqs = append(h.reqs, req)
	return &web.Response{Status: 200, BodyLen: h.bodyLen, Delay: h.delay,
		Header: []web.Field{{Name: "content-length", Value: fmt.Sprint(h.bodyLen)}}}
}

// serverHarness connects a raw client peer to this package's Server. The
// handshake completes at about 20 ms (one round trip of rawLink); the
// peer's preface and SETTINGS reach the server at about 30 ms.
func serverHarness(t *testing.T, cfg Config, h web.Handler) (*rawPeer, *Server) {
	t.Helper()
	loop, log := newRawLoop()
	path := topo.NewPath(loop, log, 1, rawLink, rawLink)
	tc, ts := path.NewTCP(tcp.DefaultConfig())
	srv, err := NewServer(cfg, ts, h, loop, log)
	if err != nil {
		t.Fatal(err)
	}
	p := newRawPeer(t, loop, log, false)
	p.conn = tc
	tc.SetHandler(p)
	loop.After(0, tc.Connect)
	return p, srv
}

// clientHarness connects this package's Client to a raw server peer; the
// connection opens on the first Fetch.
func clientHarness(t *testing.T, cfg Config) (*rawPeer, *Client) {
	t.Helper()
	loop, log := newRawLoop()
	path := topo.NewPath(loop, log, 1, rawLink, rawLink)
	p := newRawPeer(t, loop, log, true)
	c := NewClient(cfg, loop, log, func(now sim.Time) transport.Conn {
		tc, ts := path.NewTCP(tcp.DefaultConfig())
		p.conn = ts
		ts.SetHandler(p)
		loop.After(now, tc.Connect)
		return tc
	})
	return p, c
}

// rawExchange records what the client reports of one request.
type rawExchange struct {
	sent     bool
	stream   int64
	statuses []int
	body     int64
	done     bool
	failed   string
	// refused: the client said the server did not process the request.
	refused bool
}

func (x *rawExchange) Sent(_ sim.Time, _ int32, stream int64) { x.sent, x.stream = true, stream }
func (x *rawExchange) Headers(_ sim.Time, r *web.Response) {
	x.statuses = append(x.statuses, r.Status)
}
func (x *rawExchange) Body(_ sim.Time, n int64, _ sim.Time) { x.body += n }
func (x *rawExchange) Done(sim.Time)                        { x.done = true }
func (x *rawExchange) Failed(_ sim.Time, reason string)     { x.failed = reason }
func (x *rawExchange) Refused(_ sim.Time, reason string)    { x.failed, x.refused = reason, true }

// fetch asks the client for path at d, recording into the exchange
// returned.
func (p *rawPeer) fetch(c *Client, d time.Duration, path string) *rawExchange {
	x := &rawExchange{}
	p.at(d, func(now sim.Time) {
		c.Fetch(now, &web.Request{Method: "GET", Scheme: "https", Authority: "example.com", Path: path, Urgency: 3}, x)
	})
	return x
}

// rawCfg is the configuration the raw-peer tests start from.
func rawCfg() Config { return DefaultConfig() }

// TestRawPeerBaseline checks the harness itself on well-behaved exchanges.
func TestRawPeerBaseline(t *testing.T) {
	t.Run("server", func(t *testing.T) {
		h := &rawHandler{bodyLen: 1000}
		p, _ := serverHarness(t, rawCfg(), h)
		p.at(50*time.Millisecond, func(now sim.Time) { p.get(now, 1, "/", true) })
		p.run()
		hs := p.find(http2.FrameHeaders, 1)
		if len(hs) != 1 || p.dataBytes(1) != 1000 {
			t.Fatalf("got %d HEADERS and %d DATA bytes on stream 1; want 1 and 1000; frames:%s", len(hs), p.dataBytes(1), p.dump())
		}
		if _, ok := p.goAway(); ok {
			t.Fatalf("GOAWAY on a good exchange; frames:%s", p.dump())
		}
	})
	t.Run("client", func(t *testing.T) {
		p, c := clientHarness(t, rawCfg())
		x := p.fetch(c, 0, "/")
		p.onFrame = func(now sim.Time, f rawFrame) {
			if f.Type == http2.FrameHeaders {
				p.headers(now, f.StreamID, false, ":status", "200")
				p.data(now, f.StreamID, 500, true)
			}
		}
		p.run()
		if len(x.statuses) != 1 || x.statuses[0] != 200 || x.body != 500 || !x.done || x.failed != "" {
			t.Fatalf("exchange = %+v; want one 200, 500 bytes, done; frames:%s", x, p.dump())
		}
	})
}
