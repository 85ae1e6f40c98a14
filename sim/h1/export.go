package h1

import (
	"strconv"

	"httpsim/sim/web"
)

// This file exports the message-head codec for other workloads that speak
// HTTP/1.1 on a connection of their own (sim/updates: polling and the
// WebSocket opening handshake), so that every HTTP/1.x head in a trace is
// written and parsed by the same code.

// AppendRequestHead appends req's request line and header section as this
// package's client writes them (RFC 9112 §3, §5): a Host line, the fields
// with capitalised names, and for HTTP/1.1 "Connection: keep-alive".
func AppendRequestHead(dst []byte, req *web.Request, http10 bool) []byte {
	return appendRequestHead(dst, req, http10)
}

// AppendResponseHead appends resp's status line and header section (RFC 9112
// §4, §5); closing adds "Connection: close" (HTTP/1.1 only).
func AppendResponseHead(dst []byte, resp *web.Response, http10, closing bool) []byte {
	return appendResponseHead(dst, resp, http10, closing)
}

// ParseRequestHead parses a whole request head (up to and including its blank
// line): field names come back in lower case, Host as the Authority. http10
// reports an HTTP/1.0 request line.
func ParseRequestHead(head []byte) (req *web.Request, http10 bool, err error) {
	return parseRequestHead(head)
}

// ParseResponseHead parses a whole response head (up to and including its
// blank line); field names come back in lower case.
func ParseResponseHead(head []byte) (resp *web.Response, http10 bool, err error) {
	return parseResponseHead(head)
}

// ReasonPhrase is the reason phrase this package writes for a status code
// (RFC 9110 §15).
func ReasonPhrase(code int) string { return reason(code) }

// TextLen is how many bytes field name: value takes in an HTTP/1.1 head, so
// that HTTP/2's and HTTP/3's header sections can be weighed against the
// text HTTP/1.1 would send for them: a field line "name: value" and its
// CRLF (RFC 9112 §5); a pseudo-header the part of the start line or Host
// line it stands for (RFC 9113 §8.3): :method "GET " and the request line's
// "HTTP/1.1" and CRLF, :path "/x ", :authority a Host line, :status the
// status line with its reason phrase, and :scheme nothing (the
// origin-form has none, RFC 9112 §3.2.1), nor :protocol (RFC 8441's
// extended CONNECT, which HTTP/1.1 has no form of). A head ends with a
// blank line, HeadEndLen more.
func TextLen(name, value string) int64 {
	switch name {
	case ":method":
		return int64(len(value) + len(" HTTP/1.1\r\n"))
	case ":path":
		return int64(len(value) + len(" "))
	case ":authority":
		return int64(len("Host: ") + len(value) + len("\r\n"))
	case ":status":
		code, _ := strconv.Atoi(value)
		return int64(len("HTTP/1.1 ") + len(value) + len(" ") + len(reason(code)) + len("\r\n"))
	case ":scheme", ":protocol":
		return 0
	}
	return int64(len(name) + len(": ") + len(value) + len("\r\n"))
}

// HeadEndLen is the blank line that ends an HTTP/1.1 head (RFC 9112 §2.1).
const HeadEndLen = 2

// ErrHeadTooLarge is returned by HeadReader.Feed when no blank line ends the
// header section within 256 KiB.
var ErrHeadTooLarge = errHeadTooLarge

// HeadReader accumulates a message head from a byte stream until its blank
// line (RFC 9112 §2.1). The zero value is ready to use.
type HeadReader struct {
	r headReader
}

// Feed takes the next bytes of the stream. It returns how many of them it
// consumed and, once the blank line has arrived, the whole head (the bytes
// after it are not consumed: they belong to the body or the next message).
func (h *HeadReader) Feed(p []byte) (n int, head []byte, err error) {
	return h.r.feed(p)
}
