package h2

import (
	"encoding/binary"
	"testing"
	"time"

	"golang.org/x/net/http2"

	"httpsim/sim"
	"httpsim/sim/web"
)

// Tests of how the endpoints treat a misbehaving peer (RFC 9113), each
// driving a raw peer (rawpeer_test.go) against a Server or a Client.

// rawWant is the verdict a case expects: a GOAWAY with code and, if last
// >= 0, that Last-Stream-ID; or RST_STREAM with code on stream rst and no
// GOAWAY; or, with neither, no error at all.
type rawWant struct {
	goAway bool
	rst    uint32
	code   http2.ErrCode
	last   int
}

func (w rawWant) check(p *rawPeer) {
	p.t.Helper()
	switch {
	case w.goAway:
		p.wantGoAway(w.code, w.last)
	case w.rst != 0:
		p.wantRST(w.rst, w.code)
	default:
		if g, ok := p.goAway(); ok {
			p.t.Fatalf("GOAWAY %v; want none; frames:%s", g, p.dump())
		}
		if r := p.find(http2.FrameRSTStream, ^uint32(0)); len(r) > 0 {
			p.t.Fatalf("RST_STREAM %v; want none; frames:%s", r[0], p.dump())
		}
	}
}

func goAway(code http2.ErrCode, last int) rawWant {
	return rawWant{goAway: true, code: code, last: last}
}

func rst(id uint32, code http2.ErrCode) rawWant { return rawWant{rst: id, code: code} }

// post writes a POST request's HEADERS on stream id, without END_STREAM.
func (p *rawPeer) post(now sim.Time, id uint32) {
	p.headers(now, id, false, ":method", "POST", ":scheme", "https", ":authority", "example.com", ":path", "/upload")
}

// The client peer's frames reach the server about 10 ms after they are
// written; its SETTINGS ACK (written at about 40 ms) by 50 ms. Scripts
// start at 60 ms.
const scriptAt = 60 * time.Millisecond

// TestServerPeerRules drives a Server with a raw client.
func TestServerPeerRules(t *testing.T) {
	const max31 = 1<<31 - 1
	tests := []struct {
		name   string
		cfg    func(*Config)
		srv    func(*Server) // if set, applied to the server when the script starts
		delay  time.Duration // the handler's response time
		script func(p *rawPeer, now sim.Time)
		want   rawWant
		// check, if set, runs after the verdict.
		check func(t *testing.T, p *rawPeer, h *rawHandler)
	}{
		// Trailers and second header blocks (RFC 9113 §8.1, §5.1).
		{
			name:  "second HEADERS on a stream whose response is pending",
			delay: 100 * time.Millisecond,
			script: func(p *rawPeer, now sim.Time) {
				p.get(now, 1, "/", true)
				p.get(now, 1, "/again", false)
			},
			want: rst(1, http2.ErrCodeStreamClosed),
			check: func(t *testing.T, p *rawPeer, h *rawHandler) {
				if len(h.reqs) != 1 {
					t.Errorf("handler saw %d requests; want 1", len(h.reqs))
				}
			},
		},
		{
			name: "request trailers end the request",
			script: func(p *rawPeer, now sim.Time) {
				p.post(now, 1)
				p.data(now, 1, 100, false)
				p.headers(now, 1, true, "x-checksum", "abc")
			},
			want: rawWant{},
			check: func(t *testing.T, p *rawPeer, h *rawHandler) {
				if len(h.reqs) != 1 || h.reqs[0].Method != "POST" || h.reqs[0].Path != "/upload" {
					t.Fatalf("handler saw %d requests (%+v); want one POST /upload", len(h.reqs), h.reqs)
				}
				if hs := p.find(http2.FrameHeaders, 1); len(hs) != 1 || p.dataBytes(1) != 1000 {
					t.Fatalf("stream 1: %d HEADERS, %d DATA bytes; want 1 and 1000; frames:%s", len(hs), p.dataBytes(1), p.dump())
				}
			},
		},
		{
			name: "request trailers without END_STREAM",
			script: func(p *rawPeer, now sim.Time) {
				p.post(now, 1)
				p.data(now, 1, 100, false)
				p.headers(now, 1, false, "x-checksum", "abc")
			},
			want: rst(1, http2.ErrCodeProtocol),
		},
		{
			name: "request without :path",
			script: func(p *rawPeer, now sim.Time) {
				p.headers(now, 1, true, ":method", "GET", ":scheme", "https", ":authority", "example.com")
			},
			want: rst(1, http2.ErrCodeProtocol),
			check: func(t *testing.T, p *rawPeer, h *rawHandler) {
				if len(h.reqs) != 0 {
					t.Errorf("handler saw %d requests; want 0", len(h.reqs))
				}
			},
		},
		{
			name: "request without :method",
			script: func(p *rawPeer, now sim.Time) {
				p.headers(now, 1, true, ":scheme", "https", ":authority", "example.com", ":path", "/")
			},
			want: rst(1, http2.ErrCodeProtocol),
		},
		// Stream identifiers and idle streams (§5.1, §5.1.1); the
		// GOAWAY names the highest stream the client opened.
		{
			name: "stream ID lower than an earlier one",
			script: func(p *rawPeer, now sim.Time) {
				p.get(now, 3, "/a", true)
				p.get(now, 1, "/b", true)
			},
			want: goAway(http2.ErrCodeProtocol, 3),
		},
		{
			name: "stream ID reused",
			script: func(p *rawPeer, now sim.Time) {
				p.get(now, 1, "/a", true)
				p.at(scriptAt+200*time.Millisecond, func(now sim.Time) { p.get(now, 1, "/b", true) })
			},
			want: rst(1, http2.ErrCodeStreamClosed),
		},
		{
			name:   "even stream ID from a client",
			script: func(p *rawPeer, now sim.Time) { p.get(now, 2, "/", true) },
			want:   goAway(http2.ErrCodeProtocol, 0),
		},
		{
			name: "DATA on an idle stream",
			script: func(p *rawPeer, now sim.Time) {
				p.get(now, 1, "/", true)
				p.get(now, 3, "/", true)
				p.data(now, 5, 10, false)
			},
			want: goAway(http2.ErrCodeProtocol, 3),
		},
		{
			name: "WINDOW_UPDATE on an idle stream",
			script: func(p *rawPeer, now sim.Time) {
				p.write(now, func(fr *http2.Framer) error { return fr.WriteWindowUpdate(7, 100) })
			},
			want: goAway(http2.ErrCodeProtocol, 0),
		},
		{
			name: "RST_STREAM on an idle stream",
			script: func(p *rawPeer, now sim.Time) {
				p.get(now, 1, "/", true)
				p.write(now, func(fr *http2.Framer) error { return fr.WriteRSTStream(3, http2.ErrCodeCancel) })
			},
			want: goAway(http2.ErrCodeProtocol, 1),
		},
		{
			name: "RST_STREAM on a pushed-ID the server never used",
			script: func(p *rawPeer, now sim.Time) {
				p.write(now, func(fr *http2.Framer) error { return fr.WriteRSTStream(2, http2.ErrCodeCancel) })
			},
			want: goAway(http2.ErrCodeProtocol, 0),
		},
		// SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2).
		{
			name:  "streams beyond SETTINGS_MAX_CONCURRENT_STREAMS",
			cfg:   func(c *Config) { c.MaxConcurrentStreams = 2 },
			delay: 100 * time.Millisecond,
			script: func(p *rawPeer, now sim.Time) {
				p.get(now, 1, "/a", true)
				p.get(now, 3, "/b", true)
				p.get(now, 5, "/c", true)
				// Once 1 and 3 are answered, a new stream is welcome.
				p.at(scriptAt+300*time.Millisecond, func(now sim.Time) { p.get(now, 7, "/d", true) })
			},
			want: rst(5, http2.ErrCodeRefusedStream),
			check: func(t *testing.T, p *rawPeer, h *rawHandler) {
				for _, id := range []uint32{1, 3, 7} {
					if p.dataBytes(id) != 1000 {
						t.Errorf("stream %d: %d DATA bytes; want 1000; frames:%s", id, p.dataBytes(id), p.dump())
					}
				}
			},
		},
		// Flow control (§6.9).
		{
			name: "WINDOW_UPDATE overflows the connection window",
			script: func(p *rawPeer, now sim.Time) {
				p.write(now, func(fr *http2.Framer) error { return fr.WriteWindowUpdate(0, max31) })
			},
			want: goAway(http2.ErrCodeFlowControl, 0),
		},
		{
			name:  "WINDOW_UPDATE overflows a stream window",
			delay: 100 * time.Millisecond,
			script: func(p *rawPeer, now sim.Time) {
				p.get(now, 1, "/", true)
				p.write(now, func(fr *http2.Framer) error { return fr.WriteWindowUpdate(1, max31) })
			},
			want: rst(1, http2.ErrCodeFlowControl),
		},
		{
			name:  "SETTINGS_INITIAL_WINDOW_SIZE overflows a stream window",
			delay: 100 * time.Millisecond,
			script: func(p *rawPeer, now sim.Time) {
				p.get(now, 1, "/", true)
				// 65,535 + this = 2^31-1 exactly: allowed.
				p.write(now, func(fr *http2.Framer) error { return fr.WriteWindowUpdate(1, max31-65535) })
				p.write(now, func(fr *http2.Framer) error {
					return fr.WriteSettings(http2.Setting{ID: http2.SettingInitialWindowSize, Val: 65536})
				})
			},
			want: goAway(http2.ErrCodeFlowControl, 1),
		},
		{
			name: "DATA within the stream window",
			cfg:  func(c *Config) { c.StreamWindow = 1000 },
			script: func(p *rawPeer, now sim.Time) {
				p.post(now, 1)
				p.data(now, 1, 1000, true)
			},
			want: rawWant{},
		},
		{
			name: "DATA beyond the stream window",
			cfg:  func(c *Config) { c.StreamWindow = 1000 },
			script: func(p *rawPeer, now sim.Time) {
				p.post(now, 1)
				p.data(now, 1, 1001, true)
			},
			want: goAway(http2.ErrCodeFlowControl, 1),
		},
		{
			// The server credits what it consumes at once, half a window
			// at a time, so a frame (16,384 octets at most) never finds
			// less than half of the 65,535-octet minimum left: the
			// connection's window is shrunk by hand.
			name: "DATA beyond the connection window",
			srv:  func(s *Server) { s.ep.recvWindow = 1000 },
			script: func(p *rawPeer, now sim.Time) {
				p.post(now, 1)
				p.data(now, 1, 1001, true)
			},
			want: goAway(http2.ErrCodeFlowControl, 1),
		},
		// A PADDED DATA frame too short for its Pad Length (§6.1).
		{
			name: "PADDED DATA frame with Length 0",
			script: func(p *rawPeer, now sim.Time) {
				p.post(now, 1)
				p.write(now, func(fr *http2.Framer) error { return fr.WriteRawFrame(http2.FrameData, http2.FlagDataPadded, 1, nil) })
			},
			want: goAway(http2.ErrCodeFrameSize, 1),
		},
		{
			name: "PADDED DATA frame with Length 1",
			script: func(p *rawPeer, now sim.Time) {
				p.post(now, 1)
				p.write(now, func(fr *http2.Framer) error {
					return fr.WriteRawFrame(http2.FrameData, http2.FlagDataPadded|http2.FlagDataEndStream, 1, []byte{0})
				})
			},
			want: rawWant{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := rawCfg()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			h := &rawHandler{bodyLen: 1000, delay: tt.delay}
			p, srv := serverHarness(t, cfg, h)
			p.at(scriptAt, func(now sim.Time) {
				if tt.srv != nil {
					tt.srv(srv)
				}
				tt.script(p, now)
			})
			p.run()
			tt.want.check(p)
			if tt.check != nil {
				tt.check(t, p, h)
			}
		})
	}
}

// TestServerNoDataAfterReset: once the server has reset a stream (here
// for a WINDOW_UPDATE of 0, a stream error, RFC 9113 §6.9) it sends no more
// DATA on it, however far the windows open (§5.1).
func TestServerNoDataAfterReset(t *testing.T) {
	h := &rawHandler{bodyLen: 1 << 20}
	p, _ := serverHarness(t, rawCfg(), h)
	p.at(scriptAt, func(now sim.Time) { p.get(now, 1, "/", true) })
	// By 200 ms the server has filled the default 65,535-octet windows.
	p.at(200*time.Millisecond, func(now sim.Time) {
		p.write(now, func(fr *http2.Framer) error { return fr.WriteWindowUpdate(1, 0) })
		p.write(now, func(fr *http2.Framer) error { return fr.WriteWindowUpdate(1, 1<<20) })
		p.write(now, func(fr *http2.Framer) error { return fr.WriteWindowUpdate(0, 1<<20) })
	})
	p.run()
	p.wantRST(1, http2.ErrCodeProtocol)
	if n := p.dataBytes(1); n != 65535 {
		t.Fatalf("stream 1: %d DATA bytes; want 65535 (none after RST_STREAM); frames:%s", n, p.dump())
	}
}

// TestClientPeerRules drives a Client with a raw server. The client's
// request reaches the peer at about 30 ms, with its SETTINGS; the peer
// answers from onFrame.
func TestClientPeerRules(t *testing.T) {
	type reply func(p *rawPeer, now sim.Time, id uint32)
	tests := []struct {
		name     string
		push     bool
		settings []http2.Setting
		reply    reply
		want     rawWant
		// wantX checks the exchange.
		wantX func(t *testing.T, x *rawExchange)
	}{
		// Trailers and malformed responses (§8.1, §8.3.2).
		{
			name: "response trailers",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.headers(now, id, false, ":status", "200")
				p.data(now, id, 500, false)
				p.headers(now, id, true, "x-checksum", "abc")
			},
			wantX: func(t *testing.T, x *rawExchange) {
				if len(x.statuses) != 1 || x.statuses[0] != 200 || x.body != 500 || !x.done || x.failed != "" {
					t.Fatalf("exchange = %+v; want one 200, 500 bytes, done", x)
				}
			},
		},
		{
			name: "response trailers without END_STREAM",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.headers(now, id, false, ":status", "200")
				p.data(now, id, 500, false)
				p.headers(now, id, false, "x-checksum", "abc")
			},
			want: rst(1, http2.ErrCodeProtocol),
			wantX: func(t *testing.T, x *rawExchange) {
				if len(x.statuses) != 1 || x.failed == "" {
					t.Fatalf("exchange = %+v; want one response, then failed", x)
				}
			},
		},
		{
			name: "response without :status",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.headers(now, id, true, "content-type", "text/plain")
			},
			want: rst(1, http2.ErrCodeProtocol),
			wantX: func(t *testing.T, x *rawExchange) {
				if len(x.statuses) != 0 || x.failed == "" {
					t.Fatalf("exchange = %+v; want no response, failed", x)
				}
			},
		},
		// A stream refused was not processed (§8.7): the browser may
		// send its request again whatever the method; one reset
		// otherwise may have been.
		{
			name: "stream refused",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.write(now, func(fr *http2.Framer) error { return fr.WriteRSTStream(id, http2.ErrCodeRefusedStream) })
			},
			want: rawWant{},
			wantX: func(t *testing.T, x *rawExchange) {
				if !x.refused || x.failed == "" || x.done {
					t.Fatalf("exchange = %+v; want it refused (unprocessed)", x)
				}
			},
		},
		{
			name: "stream reset after processing began",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.write(now, func(fr *http2.Framer) error { return fr.WriteRSTStream(id, http2.ErrCodeInternal) })
			},
			want: rawWant{},
			wantX: func(t *testing.T, x *rawExchange) {
				if x.refused || x.failed == "" || x.done {
					t.Fatalf("exchange = %+v; want it failed, not refused", x)
				}
			},
		},
		// PUSH_PROMISE (§6.6, §5.1.1).
		{
			name: "push promise accepted",
			push: true,
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.pushPromise(now, id, 2)
				p.headers(now, id, true, ":status", "204")
			},
			want: rawWant{},
		},
		{
			name: "push promise with push disabled",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.pushPromise(now, id, 2)
			},
			want: goAway(http2.ErrCodeProtocol, 0),
		},
		{
			name: "push promise of an odd stream",
			push: true,
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.pushPromise(now, id, 3)
			},
			want: goAway(http2.ErrCodeProtocol, 0),
		},
		{
			name: "push promise of a stream already promised",
			push: true,
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.pushPromise(now, id, 4)
				p.pushPromise(now, id, 2)
			},
			want: goAway(http2.ErrCodeProtocol, 4),
		},
		{
			name: "push promise on a closed stream",
			push: true,
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.headers(now, id, true, ":status", "204")
				p.pushPromise(now, id, 2)
			},
			want: goAway(http2.ErrCodeProtocol, 0),
		},
		{
			name: "push promise on a pushed stream",
			push: true,
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.pushPromise(now, id, 2)
				p.headers(now, 2, false, ":status", "200")
				p.pushPromise(now, 2, 4)
			},
			want: goAway(http2.ErrCodeProtocol, 2),
		},
		// Idle streams on the client (§5.1).
		{
			name: "RST_STREAM on an idle stream",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.write(now, func(fr *http2.Framer) error { return fr.WriteRSTStream(2, http2.ErrCodeCancel) })
			},
			want: goAway(http2.ErrCodeProtocol, 0),
		},
		{
			name: "DATA on a stream the client did not open",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.data(now, 3, 10, false)
			},
			want: goAway(http2.ErrCodeProtocol, 0),
		},
		{
			name: "HEADERS on a stream the server did not promise",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.headers(now, 2, true, ":status", "200")
			},
			want: goAway(http2.ErrCodeProtocol, 0),
		},
		// Flow control on the client (§6.9).
		{
			name: "WINDOW_UPDATE overflows the connection window",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.write(now, func(fr *http2.Framer) error { return fr.WriteWindowUpdate(0, 1<<31-1) })
			},
			want: goAway(http2.ErrCodeFlowControl, 0),
		},
		// Signals a server must not send (§6.5.2; RFC 9218 §7.1).
		{
			name:     "SETTINGS_ENABLE_PUSH=1 from a server",
			settings: []http2.Setting{{ID: http2.SettingEnablePush, Val: 1}},
			reply:    func(*rawPeer, sim.Time, uint32) {},
			want:     goAway(http2.ErrCodeProtocol, 0),
		},
		{
			name:     "SETTINGS_ENABLE_PUSH=0 from a server",
			settings: []http2.Setting{{ID: http2.SettingEnablePush, Val: 0}},
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				p.headers(now, id, true, ":status", "204")
			},
			want: rawWant{},
		},
		{
			name: "PRIORITY_UPDATE from a server",
			reply: func(p *rawPeer, now sim.Time, id uint32) {
				payload := binary.BigEndian.AppendUint32(nil, id)
				payload = append(payload, "u=1"...)
				p.write(now, func(fr *http2.Framer) error { return fr.WriteRawFrame(0x10, 0, 0, payload) })
			},
			want: goAway(http2.ErrCodeProtocol, 0),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := rawCfg()
			cfg.Push = tt.push
			p, c := clientHarness(t, cfg)
			p.settings = tt.settings
			x := p.fetch(c, 0, "/")
			replied := false
			p.onFrame = func(now sim.Time, f rawFrame) {
				if f.Type == http2.FrameHeaders && f.StreamID == 1 && !replied {
					replied = true
					tt.reply(p, now, f.StreamID)
				}
			}
			p.run()
			tt.want.check(p)
			if tt.wantX != nil {
				tt.wantX(t, x)
			}
		})
	}
}

// pushPromise writes PUSH_PROMISE on stream id promising stream promised.
func (p *rawPeer) pushPromise(now sim.Time, id, promised uint32) {
	b := p.block(":method", "GET", ":scheme", "https", ":authority", "example.com", ":path", "/pushed")
	p.write(now, func(fr *http2.Framer) error {
		return fr.WritePushPromise(http2.PushPromiseParam{StreamID: id, PromiseID: promised, BlockFragment: b, EndHeaders: true})
	})
}

// TestClientNoDataAfterReset: an upload stops when the server resets its
// stream, or when a GOAWAY says the server did not process it (RFC 9113
// §5.1, §6.8), however far the windows open.
func TestClientNoDataAfterReset(t *testing.T) {
	tests := []struct {
		name string
		// stop is what the peer writes when the requests arrive.
		stop func(p *rawPeer, now sim.Time)
		id   uint32
	}{
		{"RST_STREAM", func(p *rawPeer, now sim.Time) {
			p.write(now, func(fr *http2.Framer) error { return fr.WriteRSTStream(1, http2.ErrCodeCancel) })
		}, 1},
		{"GOAWAY", func(p *rawPeer, now sim.Time) {
			p.write(now, func(fr *http2.Framer) error { return fr.WriteGoAway(1, http2.ErrCodeNo, nil) })
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, c := clientHarness(t, rawCfg())
			var xs []*rawExchange
			p.at(0, func(now sim.Time) {
				for _, path := range []string{"/a", "/b"} {
					x := &rawExchange{}
					xs = append(xs, x)
					c.Fetch(now, newUpload(path, 1<<20), x)
				}
			})
			stopped := false
			p.onFrame = func(now sim.Time, f rawFrame) {
				if f.Type == http2.FrameHeaders && f.StreamID == 3 && !stopped {
					stopped = true
					tt.stop(p, now)
					// Open every window wide: nothing more may come on
					// the stopped stream.
					p.write(now, func(fr *http2.Framer) error { return fr.WriteWindowUpdate(tt.id, 1<<24) })
					p.write(now, func(fr *http2.Framer) error { return fr.WriteWindowUpdate(0, 1<<24) })
				}
			}
			p.run()
			// The client sent what the default windows allowed before it
			// heard of the stop: 65,535 octets on the connection, all on
			// stream 1, the oldest.
			if n := p.dataBytes(tt.id); n > 65535 {
				t.Fatalf("stream %d: %d DATA bytes; want at most 65535 (none after the stop); frames:%s", tt.id, n, p.dump())
			}
			if x := xs[(tt.id-1)/2]; x.failed == "" {
				t.Fatalf("exchange on stream %d = %+v; want failed", tt.id, x)
			}
		})
	}
}

// newUpload is a POST of n octets.
func newUpload(path string, n int64) *web.Request {
	return &web.Request{Method: "POST", Scheme: "https", Authority: "example.com", Path: path, Body: n, Urgency: 3}
}

// TestPrefaceMustStartWithSettings: each side's preface is (or ends with)
// a SETTINGS frame, and a preface that is not is a connection error of
// type PROTOCOL_ERROR (RFC 9113 §3.4). A server answered a PING sent
// before the client's SETTINGS, and served the request after it.
func TestPrefaceMustStartWithSettings(t *testing.T) {
	t.Run("client", func(t *testing.T) {
		h := &rawHandler{bodyLen: 1000}
		p, _ := serverHarness(t, rawCfg(), h)
		p.pingFirst = true
		p.at(scriptAt, func(now sim.Time) { p.get(now, 1, "/", true) })
		p.run()
		p.wantGoAway(http2.ErrCodeProtocol, -1)
		if len(h.reqs) != 0 || len(p.find(http2.FramePing, 0)) != 0 {
			t.Errorf("%d requests served, %d PINGs answered; want none after a broken preface; frames:%s", len(h.reqs), len(p.find(http2.FramePing, 0)), p.dump())
		}
	})
	t.Run("server", func(t *testing.T) {
		p, c := clientHarness(t, rawCfg())
		p.pingFirst = true
		x := p.fetch(c, scriptAt, "/")
		p.run()
		p.wantGoAway(http2.ErrCodeProtocol, -1)
		if x.done {
			t.Errorf("the request completed over a connection whose server broke its preface; frames:%s", p.dump())
		}
	})
}
