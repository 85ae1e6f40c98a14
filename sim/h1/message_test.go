package h1

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/web"
)

func TestRequestHead(t *testing.T) {
	req := &web.Request{Method: "GET", Path: "/a.css", Authority: "www.example.com",
		Header: []web.Field{{Name: "accept-encoding", Value: "gzip, br"}, {Name: "cookie", Value: "sid=1"}}}
	got := string(appendRequestHead(nil, req, false))
	want := "GET /a.css HTTP/1.1\r\nHost: www.example.com\r\nAccept-Encoding: gzip, br\r\nCookie: sid=1\r\nConnection: keep-alive\r\n\r\n"
	if got != want {
		t.Errorf("appendRequestHead = %q; want %q", got, want)
	}
	parsed, http10, err := parseRequestHead([]byte(got))
	if err != nil || http10 || parsed.Path != "/a.css" || parsed.Authority != "www.example.com" || parsed.Get("cookie") != "sid=1" {
		t.Errorf("parseRequestHead = %+v, %v, %v", parsed, http10, err)
	}
	if got := string(appendRequestHead(nil, req, true)); !strings.HasPrefix(got, "GET /a.css HTTP/1.0\r\n") || strings.Contains(got, "keep-alive") {
		t.Errorf("HTTP/1.0 head = %q", got)
	}
}

func TestResponseHead(t *testing.T) {
	resp := &web.Response{Status: 304, Header: []web.Field{{Name: "etag", Value: `"x"`}}}
	got := string(appendResponseHead(nil, resp, false, false))
	if got != "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n" {
		t.Errorf("head = %q", got)
	}
	// Every code RFC 9110 defines has its phrase (410 read "410 Status");
	// a code it does not define has none (RFC 9112 §4), and parses.
	for code, want := range map[int]string{410: "HTTP/1.1 410 Gone\r\n\r\n", 429: "HTTP/1.1 429 Too Many Requests\r\n\r\n", 299: "HTTP/1.1 299 \r\n\r\n"} {
		head := appendResponseHead(nil, &web.Response{Status: code}, false, false)
		if r, _, err := parseResponseHead(head); string(head) != want || err != nil || r.Status != code {
			t.Errorf("status %d: head %q, parsed %v; want %q", code, head, err, want)
		}
	}
	bad := []string{
		"HTTP/2 200 OK\r\n\r\n",
		"HTTP/1.1 abc OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nBad Field: x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
	}
	for _, b := range bad {
		if _, _, err := parseResponseHead([]byte(b)); err == nil {
			t.Errorf("parseResponseHead(%q) accepted a malformed head", b)
		}
	}
}

func TestHeadReaderAcrossPieces(t *testing.T) {
	head := "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
	for split := 1; split < len(head); split++ {
		var h headReader
		n1, got, err := h.feed([]byte(head[:split]))
		if err != nil {
			t.Fatal(err)
		}
		if got == nil {
			var n2 int
			n2, got, err = h.feed([]byte(head[split:]))
			if err != nil {
				t.Fatal(err)
			}
			n1 += n2
		}
		if string(got) != head[:len(head)-5] || n1 != len(head)-5 {
			t.Fatalf("split at %d: head %q consumed %d", split, got, n1)
		}
	}
}

// chunkedStream writes a chunked body of n bytes into a buffer.
func chunkedStream(n int64) *bytestream.Buffer {
	var b bytestream.Buffer
	writeBody(0, &b2w{&b}, n, true)
	return &b
}

type b2w struct{ b *bytestream.Buffer }

func (w *b2w) Write(_ sim.Time, p []byte)      { w.b.Write(p) }
func (w *b2w) WriteFiller(_ sim.Time, n int64) { w.b.WriteFiller(n) }

func TestChunkedBody(t *testing.T) {
	for _, n := range []int64{0, 1, 8192, 8193, 50000} {
		buf := chunkedStream(n)
		for _, piece := range []int64{1, 7, 100, 1 << 20} {
			r := newBodyReader(bodyChunked, 0)
			var off, data int64
			for off < buf.Len() && !r.done {
				end := min(off+piece, buf.Len())
				s := bytestream.Slice{Buf: buf, Off: off, N: end - off}
				var rel int64
				for rel < s.N && !r.done {
					c, d, err := r.feed(s, rel)
					if err != nil {
						t.Fatalf("n=%d piece=%d: %v", n, piece, err)
					}
					rel += c
					data += d
				}
				off += rel
			}
			if !r.done || data != n || off != buf.Len() {
				t.Errorf("n=%d piece=%d: done=%v data=%d consumed %d of %d", n, piece, r.done, data, off, buf.Len())
			}
		}
	}
}

func FuzzChunkedBody(f *testing.F) {
	f.Add([]byte("5\r\nhello\r\n0\r\n\r\n"))
	f.Add([]byte("1;ext=1\r\na\r\n0\r\nTrailer: x\r\n\r\n"))
	f.Add([]byte("zz\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var b bytestream.Buffer
		b.Write(in)
		r := newBodyReader(bodyChunked, 0)
		s := bytestream.Slice{Buf: &b, Off: 0, N: b.Len()}
		var rel, data int64
		for rel < s.N && !r.done {
			c, d, err := r.feed(s, rel)
			if err != nil {
				return
			}
			if c == 0 {
				t.Fatal("no progress")
			}
			rel += c
			data += d
		}
		if data > int64(len(in)) {
			t.Fatalf("%d data bytes from %d input bytes", data, len(in))
		}
	})
}

func FuzzResponseHead(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"))
	f.Add([]byte("HTTP/1.0 404 Not Found\r\n\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var h headReader
		_, head, err := h.feed(in)
		if err != nil || head == nil {
			return
		}
		resp, _, err := parseResponseHead(head)
		if err != nil {
			return
		}
		// status-code is 3DIGIT (RFC 9112 §4): what was accepted is
		// the code written plainly.
		_, after, _ := strings.Cut(string(head), " ")
		if resp.Status < 100 || resp.Status > 999 || !strings.HasPrefix(after, strconv.Itoa(resp.Status)) {
			t.Fatalf("status %d accepted from %q", resp.Status, head)
		}
	})
}

// Heads with fields that fit the room allocated with the message and heads
// with more parse alike, and appending to the parsed fields never writes
// into that room.
func TestParseHeadFieldsBeyondRoom(t *testing.T) {
	for _, n := range []int{0, 1, headRoom, headRoom + 1, 3 * headRoom} {
		head := "HTTP/1.1 200 OK\r\n"
		for i := range n {
			head += fmt.Sprintf("X-F%d: v%d\r\n", i, i)
		}
		head += "\r\n"
		resp, _, err := parseResponseHead([]byte(head))
		if err != nil {
			t.Fatalf("%d fields: %v", n, err)
		}
		if len(resp.Header) != n || cap(resp.Header) != n {
			t.Fatalf("%d fields: parsed %d, capacity %d", n, len(resp.Header), cap(resp.Header))
		}
		for i, f := range resp.Header {
			if want := (web.Field{Name: fmt.Sprintf("x-f%d", i), Value: fmt.Sprintf("v%d", i)}); f != want {
				t.Errorf("%d fields: field %d = %v; want %v", n, i, f, want)
			}
		}
	}
}

// A request with a body says its length (RFC 9112 §6.3), also when the
// request came from HTTP/2 or HTTP/3 without a content-length field; and
// says it once when it has one.
func TestRequestHeadFramesTheBody(t *testing.T) {
	for _, tt := range []struct {
		header []web.Field
		want   int // Content-Length lines
	}{
		{nil, 1},
		{[]web.Field{{Name: "content-length", Value: "140"}}, 1},
	} {
		req := &web.Request{Method: "POST", Path: "/rpc", Authority: "example.com", Header: tt.header, Body: 140}
		head := string(appendRequestHead(nil, req, false))
		if n := strings.Count(strings.ToLower(head), "content-length: 140\r\n"); n != tt.want {
			t.Errorf("head with fields %v: %d content-length lines; want %d:\n%s", tt.header, n, tt.want, head)
		}
	}
}

// Connection and Transfer-Encoding are lists, over every line of the field
// (RFC 9110 §5.3): "keep-alive, close" closes, and chunked frames the body
// only as the last coding (RFC 9112 §6.3).
func TestListFields(t *testing.T) {
	tests := []struct {
		h            []web.Field
		close, chunk bool
	}{
		{[]web.Field{{Name: "connection", Value: "close"}}, true, false},
		{[]web.Field{{Name: "connection", Value: "keep-alive, Close"}}, true, false},
		{[]web.Field{{Name: "connection", Value: "keep-alive"}, {Name: "connection", Value: "close"}}, true, false},
		{[]web.Field{{Name: "connection", Value: "closed"}}, false, false},
		{[]web.Field{{Name: "transfer-encoding", Value: "gzip, chunked"}}, false, true},
		{[]web.Field{{Name: "transfer-encoding", Value: "gzip"}, {Name: "transfer-encoding", Value: "Chunked"}}, false, true},
		{[]web.Field{{Name: "transfer-encoding", Value: "chunked, gzip"}}, false, false},
	}
	for _, tt := range tests {
		if got := web.HasToken(tt.h, "connection", "close"); got != tt.close {
			t.Errorf("HasToken(%v, close) = %v; want %v", tt.h, got, tt.close)
		}
		if got := chunkedLast(tt.h); got != tt.chunk {
			t.Errorf("chunkedLast(%v) = %v; want %v", tt.h, got, tt.chunk)
		}
	}
}

// TextLen weighs an HTTP/2 or HTTP/3 header section as the HTTP/1.1 head
// this package writes for the same message: its start line and Host line
// from the pseudo-headers, and its field lines (less the Connection line
// HTTP/1.1 adds of its own). It counted ":scheme: https" as a text line.
func TestTextLenIsTheHTTP1Head(t *testing.T) {
	fields := []web.Field{{Name: "user-agent", Value: "Mozilla/5.0"}, {Name: "accept", Value: "*/*"}, {Name: "cookie", Value: "id=42"}}
	req := &web.Request{Method: "GET", Scheme: "https", Authority: "www.example.com", Path: "/css/site.css?v=2", Header: fields}
	got := int64(HeadEndLen)
	for _, f := range append([]web.Field{{Name: ":method", Value: req.Method}, {Name: ":scheme", Value: req.Scheme}, {Name: ":authority", Value: req.Authority}, {Name: ":path", Value: req.Path}}, fields...) {
		got += TextLen(f.Name, f.Value)
	}
	if want := int64(len(AppendRequestHead(nil, req, false)) - len("Connection: keep-alive\r\n")); got != want {
		t.Errorf("request: TextLen adds up to %d; want the HTTP/1.1 head's %d", got, want)
	}
	for _, status := range []int{200, 304, 404, 599} {
		resp := &web.Response{Status: status, Header: fields}
		got := int64(HeadEndLen) + TextLen(":status", strconv.Itoa(status))
		for _, f := range fields {
			got += TextLen(f.Name, f.Value)
		}
		if want := int64(len(AppendResponseHead(nil, resp, false, false))); got != want {
			t.Errorf("%d response: TextLen adds up to %d; want the HTTP/1.1 head's %d", status, got, want)
		}
	}
}

func TestContentLengthValue(t *testing.T) {
	tests := []struct {
		values []string
		want   int64 // -2: an error
	}{
		{nil, -1},
		{[]string{"0"}, 0},
		{[]string{"42"}, 42},
		{[]string{"0042"}, 42},
		{[]string{"9223372036854775807"}, 1<<63 - 1},
		{[]string{"42, 42"}, 42},
		{[]string{"42,42 ,\t42"}, 42},
		{[]string{"42", "42"}, 42},
		{[]string{"42", "42, 42"}, 42},
		{[]string{"9223372036854775808"}, -2},
		{[]string{"99999999999999999999"}, -2},
		{[]string{"-1"}, -2},
		{[]string{"+1"}, -2},
		{[]string{""}, -2},
		{[]string{" , "}, -2},
		{[]string{"4 2"}, -2},
		{[]string{"0x10"}, -2},
		{[]string{"1e3"}, -2},
		{[]string{"42, 43"}, -2},
		{[]string{"42", "43"}, -2},
		{[]string{"42", ""}, -2},
	}
	for _, tt := range tests {
		var h []web.Field
		for _, v := range tt.values {
			h = append(h, web.Field{Name: "content-length", Value: v})
		}
		got, err := contentLength(h)
		if err != nil {
			got = -2
		}
		if got != tt.want {
			t.Errorf("contentLength(%q) = %d, %v; want %d", tt.values, got, err, tt.want)
		}
	}
}

// A request has one Host line; an HTTP/1.0 one may have none (RFC 9112
// §3.2).
func TestRequestHost(t *testing.T) {
	tests := []struct {
		head string
		ok   bool
		host string
	}{
		{"GET / HTTP/1.1\r\nHost: a\r\n\r\n", true, "a"},
		{"GET / HTTP/1.1\r\nhost: a\r\nAccept: */*\r\n\r\n", true, "a"},
		{"GET / HTTP/1.1\r\nHost:\r\n\r\n", true, ""},
		{"GET / HTTP/1.1\r\n\r\n", false, ""},
		{"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", false, ""},
		{"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", false, ""},
		{"GET / HTTP/1.1\r\nHost: a\r\nHOST: b\r\n\r\n", false, ""},
		{"GET / HTTP/1.0\r\n\r\n", true, ""},
		{"GET / HTTP/1.0\r\nHost: a\r\n\r\n", true, "a"},
		{"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", false, ""},
	}
	for _, tt := range tests {
		req, _, err := parseRequestHead([]byte(tt.head))
		if (err == nil) != tt.ok || err == nil && req.Authority != tt.host {
			t.Errorf("parseRequestHead(%q) = %v, %v; want ok %v, host %q", tt.head, req, err, tt.ok, tt.host)
		}
	}
}

// status-code is 3DIGIT (RFC 9112 §4).
func TestStatusCode(t *testing.T) {
	tests := []struct {
		line string
		want int // 0: an error
	}{
		{"HTTP/1.1 200 OK", 200},
		{"HTTP/1.1 200", 200},
		{"HTTP/1.1 100 Continue", 100},
		{"HTTP/1.1 599 ", 599},
		{"HTTP/1.1 +200 OK", 0},
		{"HTTP/1.1 +20 OK", 0},
		{"HTTP/1.1 -200 OK", 0},
		{"HTTP/1.1 0200 OK", 0},
		{"HTTP/1.1 2000 OK", 0},
		{"HTTP/1.1 20 OK", 0},
		{"HTTP/1.1 099 OK", 0},
		{"HTTP/1.1 2O0 OK", 0},
		{"HTTP/1.1 200OK", 0},
		{"HTTP/1.1  200 OK", 0},
		{"HTTP/1.1 ", 0},
	}
	for _, tt := range tests {
		resp, _, err := parseResponseHead([]byte(tt.line + "\r\n\r\n"))
		got := 0
		if err == nil {
			got = resp.Status
		}
		if got != tt.want {
			t.Errorf("parseResponseHead(%q) status = %d, %v; want %d", tt.line, got, err, tt.want)
		}
	}
}

// chunk-size is 1*HEXDIG (RFC 9112 §7.1), before an optional extension.
func TestChunkSize(t *testing.T) {
	tests := []struct {
		line string
		want int64 // -1: an error
	}{
		{"5", 5},
		{"0005", 5},
		{"aF", 0xaf},
		{"5;name=value", 5},
		{"5 ;name", 5},
		{"5\t", 5},
		{"7fffffffffffffff", 1<<63 - 1},
		{"0", 0},
		{"+5", -1},
		{"-5", -1},
		{"-0", -1},
		{"+0", -1},
		{" 5", -1},
		{"\t5", -1},
		{"0x5", -1},
		{"5 5", -1},
		{"", -1},
		{";ext", -1},
		{"g", -1},
		{"8000000000000000", -1},
		{"fffffffffffffffff", -1},
	}
	for _, tt := range tests {
		var b bytestream.Buffer
		b.Write([]byte(tt.line + "\r\n")) // the size line alone: left is its size
		r := newBodyReader(bodyChunked, 0)
		_, _, err := r.feed(bytestream.Slice{Buf: &b, N: b.Len()}, 0)
		got := r.left
		switch {
		case err != nil:
			got = -1
		case r.state == chunkTrailer:
			got = 0
		}
		if got != tt.want {
			t.Errorf("chunk size line %q: size %d, %v; want %d", tt.line, got, err, tt.want)
		}
	}
}
