package web

import (
	"strconv"

	"httpsim/sim"
)

// Fields calls yield for each field of req as HTTP/2 and HTTP/3 send it:
// the pseudo-header fields first (RFC 9113 §8.3.1, RFC 9114 §4.3.1), then
// the regular fields, then RFC 9218's Priority unless it is the default.
func (r *Request) Fields(yield func(name, value string)) {
	yield(":method", r.Method)
	yield(":scheme", r.Scheme)
	yield(":authority", r.Authority)
	yield(":path", r.Path)
	for _, f := range r.Header {
		yield(f.Name, f.Value)
	}
	if p := FormatPriority(r.Urgency, r.Incremental); p != "" {
		yield("priority", p)
	}
}

// decodedFields is room for the regular fields of a typical decoded request
// or response, so that their slice is allocated once rather than grown.
const decodedFields = 8

// NewDecodedRequest is an empty request for a server to fill from decoded
// fields with AddField: default priority (RFC 9218 §4.1, u=3).
func NewDecodedRequest() *Request { return &Request{Urgency: 3} }

// decodedRequest is a decoded request and room for its regular fields, in
// one allocation (DecodeRequest).
type decodedRequest struct {
	r    Request
	room [decodedFields]Field
}

// DecodeRequest is NewDecodedRequest filled by AddField with n decoded
// fields, the i-th as field(i) returns it. The request and room for its
// regular fields are one allocation; Header stays nil if there are none.
func DecodeRequest(n int, field func(i int) (name, value string)) *Request {
	d := &decodedRequest{r: Request{Urgency: 3}}
	r := &d.r
	r.Header = d.room[:0]
	for i := range n {
		r.AddField(field(i))
	}
	if len(r.Header) == 0 {
		r.Header = nil
	}
	return r
}

// AddField puts one decoded field into r: a pseudo-header field into its
// place, anything else into Header; Priority also sets Urgency and
// Incremental.
func (r *Request) AddField(name, value string) {
	switch name {
	case ":method":
		r.Method = value
	case ":scheme":
		r.Scheme = value
	case ":authority":
		r.Authority = value
	case ":path":
		r.Path = value
	default:
		switch name {
		case "priority":
			r.Urgency, r.Incremental = ParsePriority(value)
		case "content-length":
			// The body's size (RFC 9110 §8.6), which HTTP/2 and HTTP/3
			// carry in DATA frames: an edge forwarding the request over
			// HTTP/1.1 sends that many bytes after the head it promises
			// them in; without them the origin waited for ever.
			if n, err := strconv.ParseInt(value, 10, 64); err == nil && n >= 0 {
				r.Body = n
			}
		}
		if r.Header == nil {
			r.Header = make([]Field, 0, decodedFields)
		}
		r.Header = append(r.Header, Field{Name: name, Value: value})
	}
}

// NewDecodedResponse is an empty response for a client to fill from a
// header section of wireLen bytes with AddField, then Complete.
func NewDecodedResponse(wireLen int) *Response {
	return &Response{WireHeaderLen: wireLen, BodyLen: -1}
}

// decodedResponse is a decoded response and room for its fields, in one
// allocation (DecodeResponse).
type decodedResponse struct {
	r    Response
	room [decodedFields]Field
}

// DecodeResponse is NewDecodedResponse filled by AddField with n decoded
// fields, the i-th as field(i) returns it; Complete is still to be called.
// The response and room for its fields are one allocation; Header stays nil
// if there are none.
func DecodeResponse(wireLen, n int, field func(i int) (name, value string)) *Response {
	d := &decodedResponse{r: Response{WireHeaderLen: wireLen, BodyLen: -1}}
	r := &d.r
	r.Header = d.room[:0]
	for i := range n {
		r.AddField(field(i))
	}
	if len(r.Header) == 0 {
		r.Header = nil
	}
	return r
}

// AddField puts one decoded field into r: ":status" into Status, anything
// else into Header.
func (r *Response) AddField(name, value string) {
	if name == ":status" {
		r.Status, _ = strconv.Atoi(value)
		return
	}
	if r.Header == nil {
		r.Header = make([]Field, 0, decodedFields)
	}
	r.Header = append(r.Header, Field{Name: name, Value: value})
}

// Interim reports a 1xx response, which a final one follows (RFC 9110
// §15.2).
func (r *Response) Interim() bool { return r.Status >= 100 && r.Status < 200 }

// Complete sets the body length the header section announces.
func (r *Response) Complete() { r.BodyLen = r.ContentLength() }

// Answer asks h for the response to req and calls ready with it once h has
// it: at once for a Handler, whenever it is done for an AsyncHandler (an
// intermediary that must ask an origin first).
func Answer(h Handler, now sim.Time, req *Request, ready func(now sim.Time, resp *Response)) {
	if ah, ok := h.(AsyncHandler); ok {
		ah.ServeAsync(now, req, ready)
		return
	}
	ready(now, h.Serve(now, req))
}

// Replier takes the response to one request (see AnswerTo).
type Replier interface {
	Reply(now sim.Time, resp *Response)
}

// AnswerTo is Answer with the response going to r: a server that keeps a
// record per request anyway lets that record take the reply, and no
// closure is made unless h is asynchronous.
func AnswerTo(h Handler, now sim.Time, req *Request, r Replier) {
	if ah, ok := h.(AsyncHandler); ok {
		ah.ServeAsync(now, req, r.Reply)
		return
	}
	r.Reply(now, h.Serve(now, req))
}
