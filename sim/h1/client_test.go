package h1

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/tcp"
	"httpsim/sim/topo"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
)

// clientTest is a raw server's answer to the client's first request and
// what the client should make of it.
type clientTest struct {
	name   string
	method string
	answer string
	// fail: the exchange fails; otherwise it completes with body bytes
	// and statuses (interim ones included).
	fail     bool
	body     int64
	statuses []int
}

// runClientTests answers the pool's one request with each test's text,
// leaving the connection open: a client that waits for the close waits in
// vain.
func runClientTests(t *testing.T, tests []clientTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pool := clientHarness(t, DefaultConfig())
			method := tt.method
			if method == "" {
				method = "GET"
			}
			p.limitOK = tt.fail
			x := p.fetch(pool, 0, method, "/")
			answered := false
			p.onData = func(now sim.Time, got []byte) {
				if !answered && bytes.Contains(got, []byte("\r\n\r\n")) {
					answered = true
					p.conn.Write(now, []byte(tt.answer))
				}
			}
			p.run()
			switch {
			case tt.fail && (x.failed == "" || x.done):
				t.Errorf("answer %q: exchange %+v; want it failed", tt.answer, x)
			case !tt.fail && (x.failed != "" || !x.done || x.body != tt.body || fmt.Sprint(x.statuses) != fmt.Sprint(tt.statuses)):
				t.Errorf("answer %q: exchange %+v; want done with %d body bytes and statuses %v", tt.answer, x, tt.body, tt.statuses)
			}
		})
	}
}

// A response whose Content-Length is invalid fails the exchange (RFC 9112
// §6.3 item 5): no panic, and no body read to a close that never comes.
func TestClientContentLength(t *testing.T) {
	ok := func(cl ...string) string {
		s := "HTTP/1.1 200 OK\r\n"
		for _, v := range cl {
			s += "Content-Length: " + v + "\r\n"
		}
		return s + "\r\nhello"
	}
	runClientTests(t, []clientTest{
		{name: "5", answer: ok("5"), body: 5, statuses: []int{200}},
		{name: "two lines, one value", answer: ok("5", "5"), body: 5, statuses: []int{200}},
		{name: "a list of one value", answer: ok("5,5"), body: 5, statuses: []int{200}},
		{name: "2^63", answer: ok("9223372036854775808"), fail: true},
		{name: "10^20", answer: ok("99999999999999999999"), fail: true},
		{name: "negative", answer: ok("-1"), fail: true},
		{name: "signed", answer: ok("+5"), fail: true},
		{name: "empty", answer: ok(""), fail: true},
		{name: "two lines that disagree", answer: ok("5", "4"), fail: true},
		{name: "a list that disagrees", answer: ok("5, 4"), fail: true},
		// No body, whatever the field says (RFC 9112 §6.3 item 1).
		{name: "HEAD", method: "HEAD", answer: ok("-1")[:len(ok("-1"))-5], statuses: []int{200}},
		{name: "304", answer: "HTTP/1.1 304 Not Modified\r\nContent-Length: x\r\n\r\n", statuses: []int{304}},
	})
}

// The numbers of a response are strict: status-code is 3DIGIT (RFC 9112 §4)
// and chunk-size 1*HEXDIG (§7.1); a sign or a space fails the exchange.
func TestClientStrictNumbers(t *testing.T) {
	chunked := func(size string) string {
		return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nhello\r\n0\r\n\r\n"
	}
	runClientTests(t, []clientTest{
		{name: "200", answer: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", statuses: []int{200}},
		{name: "+200", answer: "HTTP/1.1 +200 OK\r\nContent-Length: 0\r\n\r\n", fail: true},
		{name: "0200", answer: "HTTP/1.1 0200 OK\r\nContent-Length: 0\r\n\r\n", fail: true},
		{name: "+100 then 200", answer: "HTTP/1.1 +100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", fail: true},
		{name: "chunk 5", answer: chunked("5"), body: 5, statuses: []int{200}},
		{name: "chunk 5 with an extension", answer: chunked("5 ;a=b"), body: 5, statuses: []int{200}},
		{name: "chunk +5", answer: chunked("+5"), fail: true},
		{name: "chunk space 5", answer: chunked(" 5"), fail: true},
		{name: "chunk -0", answer: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-0\r\n\r\n", fail: true},
	})
}

// A response whose body runs to the close (RFC 9112 §6.3 item 8, or item 4
// when a coding other than chunked comes last) ends when the server closes
// the connection: a request queued behind it goes on a new connection, not
// on the one just closed.
func TestClientQueuedBehindCloseDelimited(t *testing.T) {
	tests := []struct {
		name   string
		answer string
	}{
		{"no framing", "HTTP/1.1 200 OK\r\n\r\nhello"},
		{"transfer-coding other than chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pool := clientHarness(t, Config{MaxConns: 1, MaxPipeline: 6})
			x1 := p.fetch(pool, 0, "GET", "/a")
			x2 := p.fetch(pool, 0, "GET", "/b")
			answered := 0
			p.onData = func(now sim.Time, got []byte) {
				// got holds the requests of every connection.
				for n := bytes.Count(got, []byte("\r\n\r\n")); answered < n; {
					answered++
					if answered == 1 {
						p.conn.Write(now, []byte(tt.answer))
						p.conn.Close(now)
					} else {
						p.conn.Write(now, []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"))
					}
				}
			}
			p.run()
			if !x1.done || x1.body != 5 {
				t.Errorf("/a: exchange %+v; want done with 5 body bytes", x1)
			}
			if !x2.done || x2.failed != "" || x2.body != 2 {
				t.Errorf("/b: exchange %+v; want done with 2 body bytes on a new connection", x2)
			}
			if got := pool.Opened(); got != 2 {
				t.Errorf("connections opened = %d; want 2", got)
			}
		})
	}
}

// A reset is not a close (RFC 9293 §3.10.7): the requests it fails say so,
// and a body read to the close is not ended by one but cut (RFC 9112 §8).
func TestClientReset(t *testing.T) {
	tests := []struct {
		name, answer string
	}{
		{"before the response", ""},
		{"during a body read to the close", "HTTP/1.1 200 OK\r\n\r\nhel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pool := clientHarness(t, DefaultConfig())
			p.limitOK = true
			x := p.fetch(pool, 0, "POST", "/")
			answered := false
			p.onData = func(now sim.Time, got []byte) {
				if !answered && bytes.Contains(got, []byte("\r\n\r\n")) {
					answered = true
					p.conn.Write(now, []byte(tt.answer))
					p.loop.After(now.Add(time.Millisecond), p.conn.Reset)
				}
			}
			p.run()
			if want := "connection reset by the server"; x.failed != want || x.done {
				t.Errorf("exchange %+v; want failed with %q", x, want)
			}
		})
	}
}

// A client that fails a response inside a delivery (here its head, whose
// Content-Length is invalid, arrives in a retransmission with the segments
// after it held behind the hole) aborts the connection from inside OnData:
// TCP hands it nothing more, and the bytes it had not handed up, or held
// behind the later hole, are counted at the stop as no response's, since
// the client read none of them and failed the one they belong to. Before,
// the abort flushed the held bytes from inside OnData, before the failed
// request was gone, read as a response from the parser's state then, and
// TCP went on delivering the rest to the failed connection.
func TestClientFailsInsideADelivery(t *testing.T) {
	loop, log := newRawLoop()
	down := rawLink
	down.Drop = []int{1, 10} // the head, and a later segment
	path := topo.NewPath(loop, log, 1, rawLink, down)
	p := &rawPeer{t: t, loop: loop, log: log, limitOK: true}
	var client *tcp.Conn
	pool := NewPool(DefaultConfig(), log, func(now sim.Time) transport.Conn {
		tc, ts := path.NewTCP(tcp.DefaultConfig())
		client, p.conn = tc, ts
		ts.SetHandler(p)
		loop.After(now, tc.Connect)
		return tc
	})
	x := p.fetch(pool, 0, "GET", "/")
	answered := false
	p.onData = func(now sim.Time, got []byte) {
		if !answered && bytes.Contains(got, []byte("\r\n\r\n")) {
			answered = true
			p.conn.Write(now, []byte("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"))
			p.conn.WriteFiller(now, 30000)
		}
	}
	p.run()
	if x.failed == "" || x.done {
		t.Fatalf("exchange %+v; want it failed", x)
	}
	var moved, blocked []string
	for e := range log.All() {
		if e.Side != trace.Client || e.Conn != client.ID() {
			continue
		}
		switch e.Kind {
		case trace.DataMoved:
			moved = append(moved, fmt.Sprintf("[%d,%d) at %v", e.Seq, e.Seq+e.Len, e.At))
		case trace.HOLBlocked:
			blocked = append(blocked, fmt.Sprintf("%d bytes of stream %d from %v to %v", e.Len, e.Stream, e.Arrived, e.At))
		}
	}
	if len(moved) != 1 || len(blocked) != 0 {
		t.Errorf("client delivered %v, and counted %v; want only the retransmitted head delivered, and no wait counted", moved, blocked)
	}
}
