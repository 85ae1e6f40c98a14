// Package h1 is HTTP/1.0 and HTTP/1.1 (RFC 9112): requests and responses as
// real text on the wire, persistent connections, a browser's per-origin pool
// of connections, optional pipelining, Content-Length and chunked bodies.
package h1

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"httpsim/sim/bytestream"
	"httpsim/sim/web"
)

// appendCanonical appends a lower-case field name capitalised as HTTP/1.x
// clients write it ("accept-encoding" → "Accept-Encoding"), and as RFC 9110
// spells the exceptions (§8.8.3, §11.6.1).
func appendCanonical(dst []byte, name string) []byte {
	switch name {
	case "etag":
		return append(dst, "ETag"...)
	case "www-authenticate":
		return append(dst, "WWW-Authenticate"...)
	}
	up := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if up && c >= 'a' && c <= 'z' {
			c = c - 'a' + 'A'
		}
		dst = append(dst, c)
		up = c == '-'
	}
	return dst
}

// appendFieldLine appends "Name: value\r\n".
func appendFieldLine(dst []byte, name, value string) []byte {
	dst = appendCanonical(dst, name)
	dst = append(dst, ": "...)
	dst = append(dst, value...)
	return append(dst, "\r\n"...)
}

// headBufSize is room for a typical head: a scratch buffer for writing
// heads starts at this size instead of growing to it.
const headBufSize = 1024

// appendRequestHead writes the request line and header section (RFC 9112
// §3, §5). HTTP/1.0 requests carry no Host requirement but browsers send it.
func appendRequestHead(dst []byte, req *web.Request, http10 bool) []byte {
	version := "HTTP/1.1"
	if http10 {
		version = "HTTP/1.0"
	}
	dst = append(dst, req.Method...)
	dst = append(dst, ' ')
	dst = append(dst, req.Path...)
	dst = append(dst, ' ')
	dst = append(dst, version...)
	dst = append(dst, "\r\nHost: "...)
	dst = append(dst, req.Authority...)
	dst = append(dst, "\r\n"...)
	framed := false
	for _, f := range req.Header {
		dst = appendFieldLine(dst, f.Name, f.Value)
		framed = framed || f.Name == "content-length"
	}
	if req.Body > 0 && !framed {
		// A body needs its length said (RFC 9112 §6.3): a request that
		// came over HTTP/2 or HTTP/3 (an edge forwarding it) has none, and
		// the origin would wait for the end of a body it cannot find.
		dst = appendFieldLine(dst, "content-length", strconv.FormatInt(req.Body, 10))
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
	dst = append(dst, version...)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(resp.Status), 10)
	dst = append(dst, ' ')
	dst = append(dst, reason(resp.Status)...)
	dst = append(dst, "\r\n"...)
	for _, f := range resp.Header {
		dst = appendFieldLine(dst, f.Name, f.Value)
	}
	if resp.Chunked && !http10 && resp.HasBody() {
		dst = append(dst, "Transfer-Encoding: chunked\r\n"...)
	}
	if closing && !http10 {
		dst = append(dst, "Connection: close\r\n"...)
	}
	return append(dst, "\r\n"...)
}

// reason is the status code's reason phrase: RFC 9110 §15's for the codes
// it defines, with 428, 429 and 431 from RFC 6585. Other codes get none:
// the phrase is optional (RFC 9112 §4), and a made-up one would mislead.
func reason(code int) string {
	switch code {
	case 100:
		return "Continue"
	case 101:
		return "Switching Protocols"
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 202:
		return "Accepted"
	case 203:
		return "Non-Authoritative Information"
	case 204:
		return "No Content"
	case 205:
		return "Reset Content"
	case 206:
		return "Partial Content"
	case 300:
		return "Multiple Choices"
	case 301:
		return "Moved Permanently"
	case 302:
		return "Found"
	case 303:
		return "See Other"
	case 304:
		return "Not Modified"
	case 305:
		return "Use Proxy"
	case 307:
		return "Temporary Redirect"
	case 308:
		return "Permanent Redirect"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 402:
		return "Payment Required"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 406:
		return "Not Acceptable"
	case 407:
		return "Proxy Authentication Required"
	case 408:
		return "Request Timeout"
	case 409:
		return "Conflict"
	case 410:
		return "Gone"
	case 411:
		return "Length Required"
	case 412:
		return "Precondition Failed"
	case 413:
		return "Content Too Large"
	case 414:
		return "URI Too Long"
	case 415:
		return "Unsupported Media Type"
	case 416:
		return "Range Not Satisfiable"
	case 417:
		return "Expectation Failed"
	case 421:
		return "Misdirected Request"
	case 422:
		return "Unprocessable Content"
	case 426:
		return "Upgrade Required"
	case 428:
		return "Precondition Required"
	case 429:
		return "Too Many Requests"
	case 431:
		return "Request Header Fields Too Large"
	case 500:
		return "Internal Server Error"
	case 501:
		return "Not Implemented"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Gateway Timeout"
	case 505:
		return "HTTP Version Not Supported"
	}
	return ""
}

// maxHead bounds a message head; larger is refused (RFC 9110 §5.4: HTTP
// sets no limit, and a server that receives more than it wishes to process
// answers with a 4xx). 256 KiB is Chrome's bound on an HTTP/1.x response
// head and the SETTINGS_MAX_HEADER_LIST_SIZE this simulator's HTTP/2
// endpoints advertise, as Chrome's do. Page validation keeps every request
// the browser makes well within it: a cookie of at most 64 KiB, URLs of at
// most 8000 bytes, an origin of at most 255.
const maxHead = 256 << 10

// errHeadTooLarge: no blank line within maxHead bytes.
var errHeadTooLarge = errors.New("h1: header section larger than 256 KiB")

// inStartLine reports whether the bytes held are all of the first line
// still: no line has ended (RFC 9112 §2.2: a recipient may take a bare LF
// for a line's end).
func (h *headReader) inStartLine() bool { return bytes.IndexByte(h.buf, '\n') < 0 }

// headReader accumulates a header section up to its blank line.
type headReader struct {
	buf []byte
}

// maxRead is how much of a delivery feedFrom takes at a time.
const maxRead = 4096

// feed takes bytes and returns how many it consumed and, once the blank line
// has arrived, the whole head. The head is valid until the next call: the
// reader reuses its memory for the next head.
func (h *headReader) feed(p []byte) (n int, head []byte, err error) {
	start := len(h.buf)
	h.buf = append(h.buf, p...)
	return h.scan(start)
}

// feedFrom is feed with up to maxRead bytes of d from rel on, read straight
// into the reader's buffer.
func (h *headReader) feedFrom(d bytestream.Slice, rel int64) (n int, head []byte, err error) {
	k := int(min(d.N-rel, maxRead))
	start := len(h.buf)
	h.buf = slices.Grow(h.buf, k)[:start+k]
	d.ReadAt(h.buf[start:], rel)
	return h.scan(start)
}

// scan looks for the blank line in the bytes from start on.
func (h *headReader) scan(start int) (n int, head []byte, err error) {
	// Search from a little before the new bytes: CRLFCRLF may straddle.
	from := max(0, start-3)
	if i := bytes.Index(h.buf[from:], []byte("\r\n\r\n")); i >= 0 {
		end := from + i + 4
		head = h.buf[:end]
		h.buf = h.buf[:0]
		return end - start, head, nil
	}
	if len(h.buf) > maxHead {
		return len(h.buf) - start, nil, errHeadTooLarge
	}
	return len(h.buf) - start, nil, nil
}

// parseResponseHead parses a status line and fields (RFC 9112 §4, §5).
func parseResponseHead(head []byte) (*web.Response, bool, error) {
	first, rest, more := splitHead(head)
	// HTTP-version SP status-code SP [ reason-phrase ]
	version, after, ok := strings.Cut(first, " ")
	if !ok || !strings.HasPrefix(version, "HTTP/1.") {
		return nil, false, fmt.Errorf("h1: malformed status line %q (RFC 9112 §4)", first)
	}
	// status-code is 3DIGIT: no sign, no fourth digit (strconv.Atoi
	// alone took "+200" and "0200").
	codeText, _, _ := strings.Cut(after, " ")
	code, err := web.ParseDecimal(codeText)
	if err != nil || len(codeText) != 3 || code < 100 {
		return nil, false, fmt.Errorf("h1: malformed status code %q (RFC 9112 §4)", codeText)
	}
	p := new(parsedResponse)
	p.r.Status = int(code)
	if more {
		if p.r.Header, err = parseFields(p.room[:], rest); err != nil {
			return nil, false, err
		}
	}
	return &p.r, version == "HTTP/1.0", nil
}

// headRoom is room for the field lines of a typical head, allocated with
// the message that holds them.
const headRoom = 8

// parsedResponse is a parsed response and room for its fields, one
// allocation.
type parsedResponse struct {
	r    web.Response
	room [headRoom]web.Field
}

// parsedRequest is a parsed request and room for its fields, one
// allocation.
type parsedRequest struct {
	r    web.Request
	room [headRoom]web.Field
}

// errHostCount: a request without Host (HTTP/1.1) or with several.
var errHostCount = errors.New("h1: a request needs one Host line (RFC 9112 §3.2)")

// parseRequestHead parses a request line and fields (RFC 9112 §3, §5).
func parseRequestHead(head []byte) (*web.Request, bool, error) {
	first, rest, more := splitHead(head)
	// method SP request-target SP HTTP-version, with exactly two spaces.
	method, target, ok1 := strings.Cut(first, " ")
	path, version, ok2 := strings.Cut(target, " ")
	if !ok1 || !ok2 || strings.Contains(version, " ") || !strings.HasPrefix(version, "HTTP/1.") {
		return nil, false, fmt.Errorf("h1: malformed request line %q (RFC 9112 §3)", first)
	}
	p := new(parsedRequest)
	req := &p.r
	req.Method, req.Path, req.Scheme = method, path, "http"
	hosts := 0
	if more {
		fields, err := parseFields(p.room[:], rest)
		if err != nil {
			return nil, false, err
		}
		// Host becomes the authority; the other fields stay, in order
		// (filtered in place: the slice is ours).
		kept := fields[:0]
		for _, f := range fields {
			if f.Name == "host" {
				req.Authority = f.Value
				hosts++
				continue
			}
			kept = append(kept, f)
		}
		if len(kept) > 0 {
			req.Header = kept
		}
	}
	// RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request
	// without Host and to any request with more than one Host line
	// (HTTP/1.0 requests may lack it).
	http10 := version == "HTTP/1.0"
	if hosts > 1 || hosts == 0 && !http10 {
		return nil, false, fmt.Errorf("%w: %d in %q", errHostCount, hosts, first)
	}
	return req, http10, nil
}

// splitHead turns a head into one string, which the parsed names and values
// then share, and splits off its first line; more says whether field lines
// follow (rest holds them, separated by CRLF).
func splitHead(head []byte) (first, rest string, more bool) {
	return strings.Cut(strings.TrimSuffix(string(head), "\r\n\r\n"), "\r\n")
}

// parseFields parses CRLF-separated field lines (RFC 9112 §5) into room if
// they fit, or else into a new array. The result's capacity is its length,
// so appending to it never writes into room.
func parseFields(room []web.Field, text string) ([]web.Field, error) {
	n := strings.Count(text, "\r\n") + 1
	var out []web.Field
	if n <= len(room) {
		out = room[:0:n]
	} else {
		out = make([]web.Field, 0, n)
	}
	for {
		l, rest, more := strings.Cut(text, "\r\n")
		name, value, ok := strings.Cut(l, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			// RFC 9112 §5.1: no whitespace between name and colon.
			return nil, fmt.Errorf("h1: malformed field line %q (RFC 9112 §5.1)", l)
		}
		out = append(out, web.Field{Name: lowerName(name), Value: strings.TrimSpace(value)})
		if !more {
			return out, nil
		}
		text = rest
	}
}

// knownNames lists, by length, the field names this simulator writes as
// they appear on the wire with their lower-case form, so that parsing them
// allocates nothing. Other names are lowered as they come. A lookup
// compares the few names of the right length rather than hashing (string
// hashing is slow in WebAssembly).
var knownNames = func() (byLen [maxKnownName + 1][]knownName) {
	for _, n := range []string{
		"accept", "accept-encoding", "accept-language", "age", "cache-control",
		"connection", "content-encoding", "content-length", "content-location",
		"content-type", "cookie", "date", "etag", "host", "if-modified-since",
		"if-none-match", "last-modified", "location", "priority", "referer",
		"server", "transfer-encoding", "user-agent", "vary", "via", "x-cache",
	} {
		byLen[len(n)] = append(byLen[len(n)], knownName{wire: string(appendCanonical(nil, n)), lower: n})
	}
	return byLen
}()

// knownName is a known field name as written and in lower case.
type knownName struct{ wire, lower string }

// maxKnownName is the length of the longest known name.
const maxKnownName = len("transfer-encoding")

// lowerName returns name in lower case (field names are case-insensitive,
// RFC 9110 §5.1).
func lowerName(name string) string {
	if len(name) <= maxKnownName {
		for _, k := range knownNames[len(name)] {
			if k.wire == name {
				return k.lower
			}
		}
	}
	return strings.ToLower(name)
}

// chunkedLast reports whether chunked is the final transfer coding of h,
// which frames the body by chunks (RFC 9112 §6.3, item 4); the codings are
// listed in the order applied, over every Transfer-Encoding line.
func chunkedLast(h []web.Field) bool {
	return strings.EqualFold(web.LastToken(h, "transfer-encoding"), "chunked")
}

// errBadContentLength: a Content-Length that gives no one body length. RFC
// 9112 §6.3 item 5 makes it an unrecoverable framing error.
var errBadContentLength = errors.New("h1: invalid Content-Length (RFC 9112 §6.3)")

// contentLength returns the body length the Content-Length lines of h give,
// or -1 if there are none. The value is 1*DIGIT (RFC 9110 §8.6); lines or
// list members that repeat one value count as that value (RFC 9112 §6.3 item
// 5); any other value, a sign, an empty value, values that disagree or a
// length beyond int64 is errBadContentLength.
func contentLength(h []web.Field) (int64, error) {
	n := int64(-1)
	for _, f := range h {
		if f.Name != "content-length" {
			continue
		}
		items := 0
		for rest := f.Value; ; {
			item, more, list := strings.Cut(rest, ",")
			if item = strings.Trim(item, " \t"); item != "" {
				v, err := web.ParseDecimal(item)
				if err != nil || n >= 0 && v != n {
					return -1, fmt.Errorf("%w: %q", errBadContentLength, f.Value)
				}
				n = v
				items++
			}
			if !list {
				break
			}
			rest = more
		}
		if items == 0 {
			return -1, fmt.Errorf("%w: %q", errBadContentLength, f.Value)
		}
	}
	return n, nil
}

// fieldValue returns the value of a field's first line in lower-case form.
func fieldValue(h []web.Field, name string) string {
	for _, f := range h {
		if f.Name == name {
			return strings.ToLower(f.Value)
		}
	}
	return ""
}
