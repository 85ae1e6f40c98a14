package h1

import (
	"strings"
	"testing"
	"time"
)

func FuzzRequestHead(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
	f.Add([]byte("GET / HTTP/1.0\r\n\r\n"))
	f.Add([]byte("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var h headReader
		_, head, err := h.feed(in)
		if err != nil || head == nil {
			return
		}
		req, http10, err := parseRequestHead(head)
		if err != nil {
			return
		}
		// RFC 9112 §3: method SP request-target SP HTTP-version.
		if strings.ContainsAny(req.Method+req.Path, " ") {
			t.Fatalf("request line %q parsed as method %q, target %q", head, req.Method, req.Path)
		}
		// RFC 9112 §3.2: one Host line, or none in HTTP/1.0.
		hosts := strings.Count(strings.ToLower(string(head)), "\r\nhost:")
		if hosts > 1 || hosts == 0 && !http10 {
			t.Fatalf("%d Host lines accepted in %q", hosts, head)
		}
	})
}

// FuzzServer writes arbitrary input, in two pieces, to a server whose handler
// answers /slow late: whatever the input, the server neither panics nor
// writes anything but well-formed responses (parsed by net/http), in the
// order of the requests it served.
func FuzzServer(f *testing.F) {
	f.Add([]byte("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nBAD\r\n\r\n"), uint16(10))
	f.Add([]byte("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\nhello"), uint16(0))
	f.Add([]byte("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nHEAD /slow HTTP/1.1\r\nHost: a\r\n\r\n"), uint16(70))
	f.Add([]byte("GET /slow HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.0\r\n\r\n"), uint16(40))
	f.Fuzz(func(t *testing.T, in []byte, split uint16) {
		h := &rawHandler{bodyLen: 10, slow: 100 * time.Millisecond}
		p, _ := serverHarness(t, h)
		k := int(split) % (len(in) + 1)
		if k > 0 {
			p.write(50*time.Millisecond, string(in[:k]))
		}
		if k < len(in) {
			p.write(60*time.Millisecond, string(in[k:]))
		}
		p.run()
		var methods []string
		for _, r := range h.reqs {
			methods = append(methods, r.Method)
		}
		statuses, rest, err := responses(p.got, methods...)
		if err != nil || rest != 0 {
			t.Fatalf("the server's bytes: %v (%d left over):\n%q", err, rest, p.got)
		}
		// One answer per request served, and a refusal at most after
		// them (the last answer before the close).
		if n := len(statuses) - len(h.reqs); n < 0 || n > 1 || n == 1 && !p.peerClosed {
			t.Fatalf("%d requests served, answers %v, closed %v:\n%q", len(h.reqs), statuses, p.peerClosed, p.got)
		}
	})
}
