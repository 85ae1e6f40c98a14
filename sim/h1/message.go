// Package h1 is HTTP/1.0 and HTTP/1.1 (RFC 9112): requests and responses as
// real text on the wire, persistent connections, a browser's per-origin pool
// of connections, optional pipelining, Content-Length and chunked bodies.
package h1

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"httpsim/sim/web"
)

// canonical capitalises a lower-case field name as HTTP/1.x clients write
// it ("accept-encoding" → "Accept-Encoding").
func canonical(name string) string {
	b := []byte(name)
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '-'
	}
	return string(b)
}

// appendRequestHead writes the request line and header section (RFC 9112
// §3, §5). HTTP/1.0 requests carry no Host requirement but browsers send it.
func appendRequestHead(dst []byte, req *web.Request, http10 bool) []byte {
	version := "HTTP/1.1"
	if http10 {
		version = "HTTP/1.0"
	}
	dst = fmt.Appendf(dst, "%s %s %s\r\nHost: %s\r\n", req.Method, req.Path, version, req.Authority)
	for _, f := range req.Header {
		dst = fmt.Appendf(dst, "%s: %s\r\n", canonical(f.Name), f.Value)
	}
	if !http10 {
		dst = append(dst, "Connection: keep-alive\r\n"...)
	}
	return append(dst, "\r\n"...)
}

// appendResponseHead writes the status line and header section.
func appendResponseHead(dst []byte, resp *web.Response, http10, closing bool) []byte {
	version := "HTTP/1.1"
	if http10 {
		version = "HTTP/1.0"
	}
	dst = fmt.Appendf(dst, "%s %d %s\r\n", version, resp.Status, reason(resp.Status))
	for _, f := range resp.Header {
		dst = fmt.Appendf(dst, "%s: %s\r\n", canonical(f.Name), f.Value)
	}
	if resp.Chunked && !http10 && resp.HasBody() {
		dst = append(dst, "Transfer-Encoding: chunked\r\n"...)
	}
	if closing && !http10 {
		dst = append(dst, "Connection: close\r\n"...)
	}
	return append(dst, "\r\n"...)
}

// reason is the status code's reason phrase (RFC 9110 §15).
func reason(code int) string {
	switch code {
	case 100:
		return "Continue"
	case 101:
		return "Switching Protocols"
	case 200:
		return "OK"
	case 204:
		return "No Content"
	case 206:
		return "Partial Content"
	case 301:
		return "Moved Permanently"
	case 302:
		return "Found"
	case 303:
		return "See Other"
	case 304:
		return "Not Modified"
	case 307:
		return "Temporary Redirect"
	case 308:
		return "Permanent Redirect"
	case 400:
		return "Bad Request"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 500:
		return "Internal Server Error"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Gateway Timeout"
	}
	return "Status"
}

// maxHead bounds a header section; larger is refused (RFC 9112 §2.3 leaves
// the limit to the implementation; 64 KiB is generous).
const maxHead = 64 << 10

// errHeadTooLarge: no blank line within maxHead bytes.
var errHeadTooLarge = errors.New("h1: header section larger than 64 KiB")

// headReader accumulates a header section up to its blank line.
type headReader struct {
	buf []byte
}

// feed takes bytes and returns how many it consumed and, once the blank line
// has arrived, the whole head.
func (h *headReader) feed(p []byte) (n int, head []byte, err error) {
	start := len(h.buf)
	h.buf = append(h.buf, p...)
	// Search from a little before the new bytes: CRLFCRLF may straddle.
	from := max(0, start-3)
	if i := bytes.Index(h.buf[from:], []byte("\r\n\r\n")); i >= 0 {
		end := from + i + 4
		head = h.buf[:end]
		h.buf = nil
		return end - start, head, nil
	}
	if len(h.buf) > maxHead {
		return len(p), nil, errHeadTooLarge
	}
	return len(p), nil, nil
}

// parseResponseHead parses a status line and fields (RFC 9112 §4, §5).
func parseResponseHead(head []byte) (*web.Response, bool, error) {
	lines := strings.Split(strings.TrimSuffix(string(head), "\r\n\r\n"), "\r\n")
	parts := strings.SplitN(lines[0], " ", 3)
	if len(parts) < 2 || !strings.HasPrefix(parts[0], "HTTP/1.") {
		return nil, false, fmt.Errorf("h1: malformed status line %q (RFC 9112 §4)", lines[0])
	}
	code, err := strconv.Atoi(parts[1])
	if err != nil || code < 100 || code > 999 {
		return nil, false, fmt.Errorf("h1: malformed status code %q (RFC 9112 §4)", parts[1])
	}
	fields, err := parseFields(lines[1:])
	if err != nil {
		return nil, false, err
	}
	return &web.Response{Status: code, Header: fields}, parts[0] == "HTTP/1.0", nil
}

// parseRequestHead parses a request line and fields (RFC 9112 §3, §5).
func parseRequestHead(head []byte) (*web.Request, bool, error) {
	lines := strings.Split(strings.TrimSuffix(string(head), "\r\n\r\n"), "\r\n")
	parts := strings.Split(lines[0], " ")
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "HTTP/1.") {
		return nil, false, fmt.Errorf("h1: malformed request line %q (RFC 9112 §3)", lines[0])
	}
	fields, err := parseFields(lines[1:])
	if err != nil {
		return nil, false, err
	}
	req := &web.Request{Method: parts[0], Path: parts[1], Scheme: "http"}
	for _, f := range fields {
		if f.Name == "host" {
			req.Authority = f.Value
			continue
		}
		req.Header = append(req.Header, f)
	}
	return req, parts[2] == "HTTP/1.0", nil
}

func parseFields(lines []string) ([]web.Field, error) {
	var out []web.Field
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			// RFC 9112 §5.1: no whitespace between name and colon.
			return nil, fmt.Errorf("h1: malformed field line %q (RFC 9112 §5.1)", l)
		}
		out = append(out, web.Field{Name: strings.ToLower(name), Value: strings.TrimSpace(value)})
	}
	return out, nil
}

// fieldValue returns the value of a field in lower-case form.
func fieldValue(h []web.Field, name string) string {
	for _, f := range h {
		if f.Name == name {
			return strings.ToLower(f.Value)
		}
	}
	return ""
}
