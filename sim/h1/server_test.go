package h1

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/hol"
	"httpsim/sim/trace"
	"httpsim/sim/web"
)

// serverTest is hand-written input to the server and what it should answer.
type serverTest struct {
	name  string
	input string
	// want is the statuses the server sends, in order; closed whether it
	// then closes; served how many requests reach the handler.
	want   []int
	closed bool
	served int
}

// runServerTests writes each test's input at 50 ms to a server whose
// handler answers /slow after 100 ms and anything else at once.
func runServerTests(t *testing.T, tests []serverTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &rawHandler{bodyLen: 10, slow: 100 * time.Millisecond}
			p, _ := serverHarness(t, h)
			p.write(50*time.Millisecond, tt.input)
			p.run()
			got, rest, err := responses(p.got)
			if err != nil || rest != 0 {
				t.Errorf("parsing the server's bytes: %v (%d left over)", err, rest)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || p.peerClosed != tt.closed || len(h.reqs) != tt.served {
				t.Errorf("input %q: statuses %v, closed %v, served %d; want %v, %v, %d; got:\n%q",
					tt.input, got, p.peerClosed, len(h.reqs), tt.want, tt.closed, tt.served, p.got)
			}
		})
	}
}

// A response goes in request order (RFC 9112 §9.3.2), a 400 for bad input
// too: it waits behind the responses to the requests before it, and the
// connection closes after it. A request with "close" is the last the server
// processes (RFC 9112 §9.6).
func TestServerAnswersInOrder(t *testing.T) {
	runServerTests(t, []serverTest{
		{"bad alone", "BAD\r\n\r\n", []int{400}, true, 0},
		{"bad after a fast request", "GET /a HTTP/1.1\r\nHost: a\r\n\r\nBAD\r\n\r\n", []int{200, 400}, true, 1},
		{"bad after a slow request", "GET /slow HTTP/1.1\r\nHost: a\r\n\r\nBAD\r\n\r\n", []int{200, 400}, true, 1},
		{"bad after two slow requests", "GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /slow HTTP/1.1\r\nHost: a\r\n\r\nBAD\r\n\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n", []int{200, 200, 400}, true, 2},
		{"close on a slow request", "GET /slow HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n", []int{200}, true, 1},
		{"close on a fast request", "GET /a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n", []int{200}, true, 1},
		{"HTTP/1.0 then more", "GET /slow HTTP/1.0\r\n\r\nGET /a HTTP/1.0\r\n\r\n", []int{200}, true, 1},
		{"pipelined", "GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n", []int{200, 200}, false, 2},
	})
}

// asyncHandler answers after a delay of its own, as an edge that asks an
// origin first does.
type asyncHandler struct {
	loop  *sim.Loop
	after time.Duration
	reqs  int
}

func (h *asyncHandler) Serve(sim.Time, *web.Request) *web.Response { panic("asynchronous") }

func (h *asyncHandler) ServeAsync(now sim.Time, _ *web.Request, respond func(sim.Time, *web.Response)) {
	h.reqs++
	h.loop.After(now.Add(h.after), func(now sim.Time) {
		respond(now, &web.Response{Status: 200, Header: []web.Field{{Name: "content-length", Value: "0"}}})
	})
}

// An asynchronous handler answers the request after a "close" one only if
// the server read it; the server used to, and wrote the late answer to the
// connection it had closed.
func TestServerAsyncAfterClose(t *testing.T) {
	h := &asyncHandler{}
	p, _ := serverHarness(t, h)
	h.loop, h.after = p.loop, 100*time.Millisecond
	p.write(50*time.Millisecond, "GET /a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
	p.write(100*time.Millisecond, "GET /b HTTP/1.1\r\nHost: a\r\n\r\n")
	p.run()
	if got, _, err := responses(p.got); fmt.Sprint(got) != "[200]" || err != nil || !p.peerClosed || h.reqs != 1 {
		t.Errorf("statuses %v (%v), closed %v, served %d; want [200], closed, 1", got, err, p.peerClosed, h.reqs)
	}
}

// Nothing is written once the server has closed the connection, whatever is
// still queued.
func TestServerWritesNothingAfterClose(t *testing.T) {
	p, s := serverHarness(t, &rawHandler{})
	p.write(50*time.Millisecond, "BAD\r\n\r\n")
	p.run()
	s.queue = append(s.queue, &serverResp{s: s, req: &web.Request{Method: "GET"}, resp: &web.Response{Status: 200}})
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("writeReady after close: panic %v", r)
			}
		}()
		s.writeReady(p.loop.Now())
	}()
}

// An invalid Content-Length is an unrecoverable error: 400 and close (RFC
// 9112 §6.3 item 5). 2^63 wrapped negative and panicked; 10^20 wrapped to a
// length the server waited for for ever.
func TestServerContentLength(t *testing.T) {
	post := func(cl ...string) string {
		s := "POST /a HTTP/1.1\r\nHost: a\r\n"
		for _, v := range cl {
			s += "Content-Length: " + v + "\r\n"
		}
		return s + "\r\nhelloGET /a HTTP/1.1\r\nHost: a\r\n\r\n"
	}
	runServerTests(t, []serverTest{
		{"5", post("5"), []int{200, 200}, false, 2},
		{"005", post("005"), []int{200, 200}, false, 2},
		{"two lines, one value", post("5", "5"), []int{200, 200}, false, 2},
		{"a list of one value", post("5, 5"), []int{200, 200}, false, 2},
		{"2^63", post("9223372036854775808"), []int{400}, true, 0},
		{"10^20", post("99999999999999999999"), []int{400}, true, 0},
		{"negative", post("-5"), []int{400}, true, 0},
		{"signed", post("+5"), []int{400}, true, 0},
		{"empty", post(""), []int{400}, true, 0},
		{"hexadecimal", post("0x5"), []int{400}, true, 0},
		{"two numbers", post("5 5"), []int{400}, true, 0},
		{"two lines that disagree", post("5", "6"), []int{400}, true, 0},
		{"a list that disagrees", post("5, 6"), []int{400}, true, 0},
		{"after a slow request", "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n" + post("-1"), []int{200, 400}, true, 1},
	})
}

// RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host and for any
// request with more than one Host line.
func TestServerHost(t *testing.T) {
	runServerTests(t, []serverTest{
		{"one", "GET /a HTTP/1.1\r\nHost: a\r\n\r\n", []int{200}, false, 1},
		{"none", "GET /a HTTP/1.1\r\n\r\n", []int{400}, true, 0},
		{"two", "GET /a HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", []int{400}, true, 0},
		{"none after a slow request", "GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /a HTTP/1.1\r\n\r\n", []int{200, 400}, true, 1},
		{"HTTP/1.0 without", "GET /a HTTP/1.0\r\n\r\n", []int{200}, true, 1},
		{"HTTP/1.0 with two", "GET /a HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", []int{400}, true, 0},
	})
}

// A chunked request body is read as one (RFC 9112 §7.1), not as the next
// request; framing the server cannot read is refused: 400 for chunked not
// last (§6.3 item 4) or Transfer-Encoding in HTTP/1.0 (§6.1), 501 for a
// coding it does not understand (§6.1). With Content-Length as well, the
// chunks frame the body and the connection closes after the response (§6.3
// item 3).
func TestServerTransferEncoding(t *testing.T) {
	post := func(te, body string) string {
		return "POST /a HTTP/1.1\r\nHost: a\r\n" + te + "\r\n" + body + "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
	}
	const chunks = "5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\n\r\n"
	runServerTests(t, []serverTest{
		{"chunked", post("Transfer-Encoding: chunked\r\n", chunks), []int{200, 200}, false, 2},
		{"Chunked", post("Transfer-Encoding: Chunked\r\n", chunks), []int{200, 200}, false, 2},
		{"chunked with a trailer", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n"), []int{200, 200}, false, 2},
		{"chunked after a slow request", "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n" + post("Transfer-Encoding: chunked\r\n", chunks), []int{200, 200, 200}, false, 3},
		{"chunked and Content-Length", post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", chunks), []int{200}, true, 1},
		{"a bad chunk size", post("Transfer-Encoding: chunked\r\n", "+5\r\nhello\r\n0\r\n\r\n"), []int{400}, true, 0},
		{"gzip, chunked", post("Transfer-Encoding: gzip, chunked\r\n", chunks), []int{501}, true, 0},
		{"gzip then chunked", post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", chunks), []int{501}, true, 0},
		{"chunked, gzip", post("Transfer-Encoding: chunked, gzip\r\n", chunks), []int{400}, true, 0},
		{"gzip", post("Transfer-Encoding: gzip\r\n", chunks), []int{400}, true, 0},
		{"empty", post("Transfer-Encoding:\r\n", chunks), []int{400}, true, 0},
		{"HTTP/1.0", "POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks, []int{400}, true, 0},
	})
}

// The handler sees a chunked body's length: its data, not its framing.
func TestServerChunkedBodyLength(t *testing.T) {
	h := &rawHandler{}
	p, _ := serverHarness(t, h)
	p.write(50*time.Millisecond, "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
	p.write(60*time.Millisecond, "3\r\nabc\r\n0\r\n\r\n")
	p.run()
	if len(h.reqs) != 1 || h.reqs[0].Body != 8 {
		t.Fatalf("handler saw %d requests; want one with an 8-byte body", len(h.reqs))
	}
}

// statusHandler answers every request with status and a Content-Length of
// bodyLen, the length of the body a GET would have.
type statusHandler struct {
	status  int
	bodyLen int64
}

func (h statusHandler) Serve(sim.Time, *web.Request) *web.Response {
	return &web.Response{Status: h.status, BodyLen: h.bodyLen,
		Header: []web.Field{{Name: "content-length", Value: fmt.Sprint(h.bodyLen)}}}
}

// The trace records a response as the bytes written: the head alone when
// there is no body (a HEAD request, 204, 304; RFC 9110 §9.3.2, §15.3.5,
// §15.4.5). A HEAD showed the body's length as sent.
func TestServerTracesBytesWritten(t *testing.T) {
	tests := []struct {
		method string
		status int
		body   bool
	}{
		{"GET", 200, true},
		{"HEAD", 200, false},
		{"HEAD", 404, false},
		{"GET", 204, false},
		{"GET", 304, false},
	}
	for _, tt := range tests {
		p, s := serverHarness(t, statusHandler{tt.status, 1500})
		p.write(50*time.Millisecond, tt.method+" /h HTTP/1.1\r\nHost: a\r\n\r\n")
		p.run()
		var traced int64
		for e := range p.log.All() {
			if e.Kind == trace.FrameCreated && e.Name == "response" {
				traced += e.Len
			}
		}
		body := s.BodyBytes
		if traced != int64(len(p.got)) || (body > 0) != tt.body {
			t.Errorf("%s answered %d: traced %d bytes, body %d; want the %d bytes sent, body %v",
				tt.method, tt.status, traced, body, len(p.got), tt.body)
		}
	}
}

// sizedHandler answers /big and /slowbig with a body of big bytes, anything
// else with 100, and /slow and /slowbig after 100 ms.
type sizedHandler struct{ big int64 }

func (h sizedHandler) Serve(_ sim.Time, req *web.Request) *web.Response {
	n := int64(100)
	if req.Path == "/big" || req.Path == "/slowbig" {
		n = h.big
	}
	r := &web.Response{Status: 200, BodyLen: n, Header: []web.Field{{Name: "content-length", Value: fmt.Sprint(n)}}}
	if req.Path == "/slow" || req.Path == "/slowbig" {
		r.Delay = 100 * time.Millisecond
	}
	return r
}

// A pipelined response waits behind the ones before it (RFC 9112 §9.3.2)
// from when it is ready until it can start leaving: until the bytes of the
// responses ahead of it have all been sent once. In the server's queue while
// a slow one is made, and in TCP's send buffer while a large one goes out a
// window at a time: only the first was counted, so seven small responses
// behind a 500 KB one showed no HoL at all. A response with nothing unsent
// ahead of it (the first, or one asked for after the others had left) waits
// for nothing.
func TestServerHTTPHeadOfLine(t *testing.T) {
	type write struct {
		at   time.Duration
		text string
	}
	get := func(paths ...string) string {
		s := ""
		for _, p := range paths {
			s += "GET " + p + " HTTP/1.1\r\nHost: a\r\n\r\n"
		}
		return s
	}
	tests := []struct {
		name   string
		writes []write
		// waits is how many responses wait.
		waits int
	}{
		{"a large response first", []write{{50 * time.Millisecond, get("/big", "/a", "/b")}}, 2},
		{"a slow response first", []write{{50 * time.Millisecond, get("/slow", "/a")}}, 1},
		{"a slow large response first", []write{{50 * time.Millisecond, get("/slowbig", "/a", "/b")}}, 2},
		{"asked for after the large one left", []write{{50 * time.Millisecond, get("/big")}, {2 * time.Second, get("/a")}}, 0},
		{"a small response first", []write{{50 * time.Millisecond, get("/a", "/b")}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := serverHarness(t, sizedHandler{big: 300_000})
			var paths []string
			for _, w := range tt.writes {
				p.write(w.at, w.text)
				for _, line := range strings.Split(w.text, "\r\n") {
					if f := strings.Fields(line); len(f) == 3 && f[0] == "GET" {
						paths = append(paths, f[1])
					}
				}
			}
			p.run()
			// What the server did, from its trace: when each request
			// was read, where each response ends in the stream, and
			// when each offset was first sent.
			var parsed []sim.Time
			var ends []int64
			var end int64
			type seg struct {
				at       sim.Time
				from, to int64
			}
			var segs []seg
			got := map[int64][2]sim.Time{}
			for e := range p.log.All() {
				if e.Side != trace.Server {
					continue
				}
				switch {
				case e.Kind == trace.FrameParsed && e.Name == "request":
					parsed = append(parsed, e.At)
				case e.Kind == trace.FrameCreated && e.Name == "response":
					end += e.Len
					ends = append(ends, end)
				case e.Kind == trace.PacketSent && e.Len > 0 && !e.Flags.Has(trace.FlagRetransmit):
					segs = append(segs, seg{e.At, e.Seq - 1, e.Seq - 1 + e.Len})
				case e.Kind == trace.HOLBlocked && e.Name == hol.CauseHTTP:
					if _, dup := got[e.Stream]; dup {
						t.Errorf("stream %d: a second HTTP wait", e.Stream)
					}
					got[e.Stream] = [2]sim.Time{e.Arrived, e.At}
				}
			}
			sentAt := func(off int64) sim.Time {
				for _, s := range segs {
					if s.from <= off && off < s.to {
						return s.at
					}
				}
				t.Fatalf("offset %d never sent", off)
				return 0
			}
			waits := 0
			if len(parsed) != len(paths) {
				t.Fatalf("%d requests read; want %d", len(parsed), len(paths))
			}
			for i := range parsed {
				ready := parsed[i]
				if paths[i] == "/slow" || paths[i] == "/slowbig" {
					ready = ready.Add(100 * time.Millisecond)
				}
				want, wait := [2]sim.Time{}, false
				if i > 0 {
					if left := sentAt(ends[i-1] - 1); left > ready {
						want, wait = [2]sim.Time{ready, left}, true
					}
				}
				g, ok := got[int64(i)]
				if ok != wait || g != want {
					t.Errorf("response %d (%s): HTTP wait %v (%v); want %v (%v)", i, paths[i], g, ok, want, wait)
				}
				if wait {
					waits++
				}
			}
			if waits != tt.waits {
				t.Errorf("%d responses waited; want %d", waits, tt.waits)
			}
		})
	}
}

// A response still waiting when the connection dies waited until then: the
// wait is counted, not dropped with the connection. It may wait behind the
// bytes of a large response ahead of it in TCP, or, ready in the server's
// queue, behind a response still being made (the stop ended only the
// first kind).
func TestServerHTTPWaitEndsWithTheConnection(t *testing.T) {
	tests := []struct {
		name    string
		handler sizedHandler
		first   string
		die     time.Duration
	}{
		{"behind a large response's bytes", sizedHandler{big: 300_000}, "/big", 100 * time.Millisecond},
		{"behind a response being made", sizedHandler{}, "/slow", 80 * time.Millisecond},
	}
	for _, tt := range tests {
		p, s := serverHarness(t, tt.handler)
		p.write(50*time.Millisecond, "GET "+tt.first+" HTTP/1.1\r\nHost: a\r\n\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n")
		die := sim.At(tt.die)
		p.loop.After(die, func(now sim.Time) { s.tc.TCP().Drop(now) })
		p.limitOK = true
		p.run()
		var ready sim.Time
		var waits [][2]sim.Time
		var n int64
		for e := range p.log.All() {
			switch {
			case e.Side == trace.Server && e.Kind == trace.FrameParsed && e.Name == "request" && e.Stream == 1:
				ready = e.At
			case e.Kind == trace.HOLBlocked && e.Name == hol.CauseHTTP:
				waits = append(waits, [2]sim.Time{e.Arrived, e.At})
				n = e.Len
			}
		}
		if want := [][2]sim.Time{{ready, die}}; fmt.Sprint(waits) != fmt.Sprint(want) || n <= 100 {
			t.Errorf("%s: HTTP waits %v of %d bytes; want /a's, its head and 100-byte body, from when it was ready to the connection's end, %v", tt.name, waits, n, want)
		}
	}
}

// A head larger than the server takes gets 431 Request Header Fields Too
// Large (RFC 6585 §5), or 414 URI Too Long while still in the request line
// (RFC 9112 §3), not 400; a 64 KiB cookie, the most a page sends, is taken.
func TestServerHeadTooLarge(t *testing.T) {
	big := strings.Repeat("a", 2*maxHead)
	cookie := strings.Repeat("c", 64<<10)
	tests := []struct {
		name, input string
		want        string
		served      int
	}{
		{"a 64 KiB cookie", "GET /a HTTP/1.1\r\nHost: a\r\nCookie: " + cookie + "\r\n\r\n", "[200]", 1},
		{"fields too large", "GET /a HTTP/1.1\r\nHost: a\r\nCookie: " + big + "\r\n\r\n", "[431]", 0},
		{"fields too large after a request", "GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /a HTTP/1.1\r\nHost: a\r\nCookie: " + big + "\r\n\r\n", "[200 431]", 1},
		{"request-target too long", "GET /" + big + " HTTP/1.1\r\nHost: a\r\n\r\n", "[414]", 0},
	}
	for _, tt := range tests {
		h := &rawHandler{bodyLen: 10, slow: 100 * time.Millisecond}
		p, _ := serverHarness(t, h)
		p.write(50*time.Millisecond, tt.input)
		p.run()
		got, _, err := responses(p.got)
		// The input is too long to print.
		if fmt.Sprint(got) != tt.want || err != nil || len(h.reqs) != tt.served || p.peerClosed != (tt.served == len(got)-1) {
			t.Errorf("%s: statuses %v (%v), served %d, closed %v; want %s, %d", tt.name, got, err, len(h.reqs), p.peerClosed, tt.want, tt.served)
		}
	}
}
