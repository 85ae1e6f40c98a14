package web

import (
	"strconv"
	"time"

	"httpsim/sim"
)

// Field is one header field. Names are lower case, as HTTP/2 and HTTP/3
// require (RFC 9113 §8.2.1); HTTP/1.x capitalises them on the wire.
type Field struct {
	Name, Value string
}

// Request is an HTTP request in protocol-neutral form: HTTP/1.x writes it as
// text, HTTP/2 and HTTP/3 as pseudo-header fields plus the rest, compressed.
type Request struct {
	Method, Scheme, Authority, Path string
	// Header holds the regular fields (no pseudo-headers, no Host).
	Header []Field
	// Body is the size of the request body (0 for GET).
	Body int64
	// Urgency and Incremental are RFC 9218 priority parameters.
	Urgency     int
	Incremental bool
	// Resource is the page resource index this request fetches.
	Resource int
	// Retry marks a request repeated after a failure or a refusal:
	// HTTP/1.x sends it on a fresh connection, not on another one that
	// may have failed too; HTTP/2 and HTTP/3 send it on the client's
	// current connection (a new one after a GOAWAY).
	Retry bool
}

// Idempotent reports whether a request with method may be repeated with
// the same effect (RFC 9110 §9.2.2), of the methods the model sends: a
// browser retries those after a failure, and HTTP/1.1 pipelines behind
// them (RFC 9112 §9.3.2).
func Idempotent(method string) bool {
	return method == "GET" || method == "HEAD" || method == "PUT"
}

// Safe reports whether method is safe (RFC 9110 §9.2.1: read-only). Only
// a safe request may go as TLS early data (RFC 8470 §4: clients "MUST
// NOT send unsafe methods (or methods whose safety is not known) in early
// data"), which an attacker can replay.
func Safe(method string) bool {
	return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE"
}

// LacksPseudoHeaders reports whether r, as decoded from HTTP/2 or HTTP/3
// fields, lacks a pseudo-header field every request must have: :method,
// :scheme and :path, or :method and :authority for CONNECT (RFC 9113
// §8.3.1, RFC 9114 §4.3.1). Such a request is malformed.
func (r *Request) LacksPseudoHeaders() bool {
	if r.Method == "CONNECT" {
		return r.Authority == ""
	}
	return r.Method == "" || r.Scheme == "" || r.Path == ""
}

// Get returns the first value of the named field.
func (r *Request) Get(name string) string { return get(r.Header, name) }

// Response is an HTTP response in protocol-neutral form.
type Response struct {
	Status int
	Header []Field
	// BodyLen is the body on the wire (after content coding).
	BodyLen int64
	// Chunked asks HTTP/1.1 to use chunked transfer coding.
	Chunked bool
	// WireHeaderLen is the header section's size on the wire as the
	// client's protocol received it (HTTP/1.x text, an HPACK or QPACK
	// block): set by the protocol, not the origin.
	WireHeaderLen int
	// Delay is the time the origin took to produce the response.
	Delay time.Duration
	// Push lists resources the origin wants to push with this response
	// (HTTP/2 server push): their requests, as the server makes them up.
	Push []*Request
}

// Get returns the first value of the named field.
func (r *Response) Get(name string) string { return get(r.Header, name) }

// HasBody reports whether the response carries a body (RFC 9110 §6.4.1: not
// for 1xx, 204, 304).
func (r *Response) HasBody() bool {
	return !(r.Status < 200 || r.Status == 204 || r.Status == 304)
}

// ContentLength returns the Content-Length field as a number, or -1.
func (r *Response) ContentLength() int64 {
	// 1*DIGIT (RFC 9110 §8.6): ParseInt alone took a sign ("+5").
	n, err := ParseDecimal(r.Get("content-length"))
	if err != nil {
		return -1
	}
	return n
}

// ParseDecimal parses 1*DIGIT, as Content-Length and a status code are
// written: no sign, no space, and a value that fits an int64
// (strconv.ParseInt alone takes a sign).
func ParseDecimal(s string) (int64, error) {
	if s == "" {
		return 0, strconv.ErrSyntax
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

func get(h []Field, name string) string {
	for _, f := range h {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// HeaderBytes is the size of the fields as HTTP/1.1 text ("Name: value\r\n").
func HeaderBytes(h []Field) int {
	n := 0
	for _, f := range h {
		n += len(f.Name) + 2 + len(f.Value) + 2
	}
	return n
}

// Fetcher carries requests to an origin over one protocol: HTTP/1.x with
// its connection pool, HTTP/2 or HTTP/3.
type Fetcher interface {
	// Fetch sends req as soon as the protocol allows and reports progress
	// to h.
	Fetch(now sim.Time, req *Request, h Exchange)
}

// Exchange receives the progress of one request.
type Exchange interface {
	// Sent: the request's first byte was written to connection conn as
	// stream (HTTP/2 and HTTP/3 stream ID; for HTTP/1.x the request's
	// number on its connection, from 0).
	Sent(now sim.Time, conn int32, stream int64)
	// Headers: the response's header section was parsed.
	Headers(now sim.Time, resp *Response)
	// Body: n more body bytes were delivered; they reached the client's
	// transport at arrived.
	Body(now sim.Time, n int64, arrived sim.Time)
	// Done: the response is complete.
	Done(now sim.Time)
	// Failed: the exchange cannot complete (the connection died, the
	// stream was reset) and the request may have been processed: the
	// browser retries it only if it is idempotent (RFC 9110 §9.2.2).
	Failed(now sim.Time, reason string)
	// Refused: the server says it did not process the request (HTTP/2's
	// REFUSED_STREAM or a GOAWAY above the stream, RFC 9113 §8.7;
	// HTTP/3's H3_REQUEST_REJECTED or a GOAWAY, RFC 9114 §4.1.1, §5.2):
	// "the client MAY automatically retry them, even those with
	// non-idempotent methods" (RFC 9113 §8.7).
	Refused(now sim.Time, reason string)
}

// Handler is the origin's side: it answers requests.
type Handler interface {
	Serve(now sim.Time, req *Request) *Response
}

// AsyncHandler answers later, through respond: an intermediary that must
// ask an origin first. Servers check for it before calling Serve.
type AsyncHandler interface {
	Handler
	ServeAsync(now sim.Time, req *Request, respond func(now sim.Time, resp *Response))
}
