package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"httpsim/sim"
)

// epoch is the wall-clock date a run's virtual time zero stands for in Date
// headers. It is fixed, so that headers (and their compressed sizes) are the
// same in every run.
var epoch = time.Date(2026, time.November, 26, 9, 0, 0, 0, time.UTC)

// lastModified is the Last-Modified date of every resource: 30 days before
// the epoch, which makes heuristic freshness (RFC 9111 §4.2.2) 3 days.
var lastModified = epoch.Add(-30 * 24 * time.Hour)

// httpDate formats t as an IMF-fixdate (RFC 9110 §5.6.7).
func httpDate(t time.Time) string { return t.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT") }

// lastModifiedText is lastModified as an HTTP date.
var lastModifiedText = httpDate(lastModified)

// Origin is the server side of a page: it answers the page's requests.
type Origin struct {
	page  *Page
	byURL map[string]int
	// PushEnabled lets responses carry pushed resources (HTTP/2).
	PushEnabled bool

	// date is the Date field value for the virtual second dateSec ("" before
	// the first): a page's responses fall in a few seconds, so the value
	// is formatted once per second rather than per response.
	date    string
	dateSec int64
	// start is the wall-clock time the run's zero stands for, after the
	// epoch (NewOrigin).
	start time.Duration
}

var _ Handler = (*Origin)(nil)

// NewOrigin returns the origin serving page.
//
// start is how long after the epoch the run's time zero comes: a repeat
// visit's Visit.Since, so that its responses are dated then, not on the
// first visit's day (a 304 an hour later said the same Date as the 200 it
// revalidated).
func NewOrigin(page *Page, start time.Duration) *Origin {
	o := &Origin{page: page, byURL: map[string]int{}, start: start}
	for i, r := range page.Resources {
		o.byURL[r.URL] = i
	}
	return o
}

// Lookup returns the index of the resource at path, or -1.
func (o *Origin) Lookup(path string) int {
	if i, ok := o.byURL[path]; ok {
		return i
	}
	return -1
}

// etag is the entity tag of resource r's representation in content coding
// ("" for identity): a hash of its URL, size and coding.
func etag(r *Resource, coding string) string {
	var b [10]byte
	return string(appendETag(b[:0], r, coding))
}

// appendETag appends etag(r, coding): the FNV-1a hash of "URL|size", with
// "|coding" for a coded representation, as eight hex digits in quotes. A
// strong validator differs between representations: the gzip body and the
// identity body have different tags (RFC 9110 §8.8.3.3).
func appendETag(dst []byte, r *Resource, coding string) []byte {
	const offset, prime = 2166136261, 16777619 // FNV-1a, 32 bits
	h := uint32(offset)
	mix := func(c byte) { h = (h ^ uint32(c)) * prime }
	for i := 0; i < len(r.URL); i++ {
		mix(r.URL[i])
	}
	mix('|')
	var num [20]byte
	for _, c := range strconv.AppendInt(num[:0], r.Size, 10) {
		mix(c)
	}
	if coding != "" {
		mix('|')
		for i := 0; i < len(coding); i++ {
			mix(coding[i])
		}
	}
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for shift := 28; shift >= 0; shift -= 4 {
		dst = append(dst, hex[h>>shift&0xf])
	}
	return append(dst, '"')
}

// dateAt is the Date field value at now: the virtual second's wall-clock
// date, as an IMF-fixdate.
func (o *Origin) dateAt(now sim.Time) string {
	if sec := int64(now.Since0() / time.Second); sec != o.dateSec || o.date == "" {
		o.date, o.dateSec = httpDate(epoch.Add(o.start+now.Since0())), sec
	}
	return o.date
}

// notFoundBody is the size of the origin's own 404 page.
const notFoundBody = 162

// Serve implements Handler: status, validators, caching, content coding and
// redirects, following RFC 9110 and RFC 9111.
func (o *Origin) Serve(now sim.Time, req *Request) *Response {
	date := o.dateAt(now)
	i := o.Lookup(req.Path)
	if i < 0 {
		return &Response{Status: 404, BodyLen: notFoundBody, Header: []Field{
			{"date", date}, {"server", "httpsim"}, {"content-type", "text/html; charset=utf-8"},
			{"content-length", strconv.Itoa(notFoundBody)},
		}}
	}
	r := &o.page.Resources[i]
	// The response and room for every field below are one allocation.
	m := new(struct {
		resp Response
		room [10]Field
	})
	resp := &m.resp
	*resp = Response{Status: r.status(), Delay: r.ServerTime}
	h := m.room[:2]
	h[0], h[1] = Field{"date", date}, Field{"server", "httpsim"}
	coding := o.page.coding(r, req.Get("accept-encoding"))

	// Conditional requests (RFC 9110 §13.1.2, §13.1.3): a matching
	// validator gets 304 Not Modified with no body, and the fields a 200
	// would have carried that describe it: Vary, Cache-Control and the
	// validators (§15.4.5). Only GET and HEAD are answered so; the model's
	// browser sends validators with nothing else.
	if resp.Status == 200 && (req.Method == "GET" || req.Method == "HEAD") && o.notModified(r, req, coding) {
		resp.Status = 304
		if r.bodyType().Text() {
			h = append(h, Field{"vary", "Accept-Encoding"})
		}
		resp.Header = o.appendCacheFields(h, r, coding)
		return resp
	}

	body := r.Size
	if resp.Status >= 300 && resp.Status < 400 && r.Location != "" {
		h = append(h, Field{"location", fmt.Sprintf("%s://%s%s", req.Scheme, req.Authority, r.Location)})
	}
	switch resp.Status {
	case 204:
		// No content, so no Content-Type, coding or Content-Length (RFC
		// 9110 §8.6, §15.3.5).
		body, coding = 0, ""
	case 205:
		// No content (RFC 9110 §15.3.6), and a length of 0 says so to an
		// HTTP/1.1 client (RFC 9112 §6.3).
		body, coding = 0, ""
		h = append(h, Field{"content-type", r.contentType()})
	default:
		h = append(h, Field{"content-type", r.contentType()})
	}
	if coding != "" {
		body = int64(float64(body)*o.page.Compression.ratioOf(coding) + 0.999999)
		h = append(h, Field{"content-encoding", coding})
	}
	if r.bodyType().Text() && resp.Status != 204 {
		h = append(h, Field{"vary", "Accept-Encoding"})
	}
	// Cache-Control and validators whatever the status: RFC 9111 §3 lets
	// a cache store any final response with explicit freshness, and a
	// 404's Last-Modified gives it heuristic freshness (§4.2.2).
	h = o.appendCacheFields(h, r, coding)
	resp.BodyLen = body
	resp.Chunked = r.Chunked && resp.HasBody() && body > 0
	if !resp.Chunked && resp.Status != 204 {
		h = append(h, Field{"content-length", strconv.FormatInt(body, 10)})
	}
	resp.Header = h
	if o.PushEnabled && req.Method == "GET" && resp.Status == 200 {
		resp.Push = o.pushes(i, req)
	}
	return resp
}

// appendCacheFields appends the response's Cache-Control and validators,
// for its representation in coding.
func (o *Origin) appendCacheFields(h []Field, r *Resource, coding string) []Field {
	switch {
	case r.NoStore:
		h = append(h, Field{"cache-control", "no-store"})
	case r.NoCache:
		h = append(h, Field{"cache-control", "no-cache"})
	case r.MaxAge > 0:
		h = append(h, Field{"cache-control", "max-age=" + strconv.FormatInt(r.MaxAge, 10)})
	}
	if r.ETag {
		h = append(h, Field{"etag", etag(r, coding)})
	}
	if r.LastModified {
		h = append(h, Field{"last-modified", lastModifiedText})
	}
	return h
}

// notModified evaluates If-None-Match against the selected representation
// (in coding), then If-Modified-Since only when there is no If-None-Match
// (RFC 9110 §13.2.2).
func (o *Origin) notModified(r *Resource, req *Request, coding string) bool {
	if inm := req.Get("if-none-match"); inm != "" {
		var b [10]byte
		return r.ETag && inm == string(appendETag(b[:0], r, coding))
	}
	if ims := req.Get("if-modified-since"); ims != "" && r.LastModified {
		return notModifiedSince(lastModifiedText, ims)
	}
	return false
}

// notModifiedSince reports whether a representation last modified at
// lastMod has not changed since ims, both HTTP dates: RFC 9110 §13.1.3
// makes If-Modified-Since false when the last modification is at or
// before the date given. A date that does not parse validates nothing.
func notModifiedSince(lastMod, ims string) bool {
	const layout = "Mon, 02 Jan 2006 15:04:05 GMT"
	m, err1 := time.Parse(layout, lastMod)
	since, err2 := time.Parse(layout, ims)
	return err1 == nil && err2 == nil && !m.After(since)
}

// pushes lists what the server pushes with resource i's response, as the
// requests it makes up for them (RFC 9113 §8.4: the promised request): i's
// pushable children, each followed by its own pushable children, depth
// first. A pushed response cannot promise anything itself, because
// PUSH_PROMISE goes only on a stream the client opened (§8.4, §6.6), so
// the fonts a pushed stylesheet refers to are promised here, on the
// request that brought the page, as servers with a push list do.
func (o *Origin) pushes(i int, req *Request) []*Request {
	var out []*Request
	for j := range o.page.Resources {
		c := &o.page.Resources[j]
		if c.Parent != i || !c.Push {
			continue
		}
		u, inc := c.Type.Urgency()
		out = append(out, &Request{
			Method: "GET", Scheme: req.Scheme, Authority: req.Authority, Path: c.URL,
			Header:  []Field{{"accept-encoding", req.Get("accept-encoding")}, {"user-agent", req.Get("user-agent")}},
			Urgency: u, Incremental: inc, Resource: j,
		})
		// Page validation rejects discovery cycles, so this ends.
		out = append(out, o.pushes(j, req)...)
	}
	return out
}

// coding is the content coding the origin applies to r for a request
// whose Accept-Encoding is accept: the page's coding for a non-empty text
// body the client accepts, or "" for identity (RFC 9110 §8.4). A Brotli
// page falls back to gzip for a client that does not accept br but
// accepts gzip, as servers set up for Brotli keep gzip on for them (RFC
// 9110 §12.5.3: the server picks among the codings the client accepts):
// browsers offer br only over HTTPS (AcceptEncoding).
func (p *Page) coding(r *Resource, accept string) string {
	c := p.Compression.Encoding
	if !r.bodyType().Text() || c == "" || c == "none" || r.Size <= 0 {
		return ""
	}
	switch {
	case acceptsCoding(accept, c):
		return c
	case c == "br" && acceptsCoding(accept, "gzip"):
		return "gzip"
	}
	return ""
}

// acceptsCoding reports whether an Accept-Encoding value accepts coding:
// named (in any case; "x-gzip" is gzip, RFC 9110 §8.4.1.3) or covered by
// "*", with a weight above 0 (§12.5.3, §12.4.2). A named coding's own
// weight beats the "*" one.
func acceptsCoding(accept, coding string) bool {
	star := false
	for more := true; more; {
		var part string
		part, accept, more = strings.Cut(accept, ",")
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "x-gzip" {
			name = "gzip"
		}
		switch name {
		case coding:
			return weightAbove0(params)
		case "*":
			star = weightAbove0(params)
		}
	}
	return star
}

// weightAbove0 reads the q parameter of an Accept-Encoding member ("q=0.5",
// 1 when absent; the name in any case) and reports whether it is above 0.
func weightAbove0(params string) bool {
	for more := true; more; {
		var p string
		p, params, more = strings.Cut(params, ";")
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return err == nil && q > 0
		}
	}
	return true
}
