package web

import (
	"fmt"
	"hash/fnv"
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

// Origin is the server side of a page: it answers the page's requests.
type Origin struct {
	page  *Page
	byURL map[string]int
	// PushEnabled lets responses carry pushed resources (HTTP/2).
	PushEnabled bool
}

var _ Handler = (*Origin)(nil)

// NewOrigin returns the origin serving page.
func NewOrigin(page *Page) *Origin {
	o := &Origin{page: page, byURL: map[string]int{}}
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

// etag is the resource's entity tag: a hash of its URL and size.
func etag(r *Resource) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s|%d", r.URL, r.Size)
	return fmt.Sprintf(`"%08x"`, h.Sum32())
}

// notFoundBody is the size of the origin's own 404 page.
const notFoundBody = 162

// Serve implements Handler: status, validators, caching, content coding and
// redirects, following RFC 9110 and RFC 9111.
func (o *Origin) Serve(now sim.Time, req *Request) *Response {
	date := httpDate(epoch.Add(now.Since0()))
	i := o.Lookup(req.Path)
	if i < 0 {
		return &Response{Status: 404, BodyLen: notFoundBody, Header: []Field{
			{"date", date}, {"server", "httpsim"}, {"content-type", "text/html; charset=utf-8"},
			{"content-length", strconv.Itoa(notFoundBody)},
		}}
	}
	r := &o.page.Resources[i]
	resp := &Response{Status: r.status(), Delay: r.ServerTime}
	h := []Field{{"date", date}, {"server", "httpsim"}}

	// Conditional requests (RFC 9110 §13.1.2, §13.1.3): a matching
	// validator gets 304 Not Modified with no body.
	if resp.Status == 200 && o.notModified(r, req) {
		resp.Status = 304
		resp.Header = append(h, o.cacheFields(r)...)
		return resp
	}

	body := r.Size
	if resp.Status >= 300 && resp.Status < 400 && r.Location != "" {
		h = append(h, Field{"location", fmt.Sprintf("%s://%s%s", req.Scheme, req.Authority, r.Location)})
	}
	h = append(h, Field{"content-type", r.Type.ContentType()})
	coding := o.page.Compression.Encoding
	if r.Type.Text() && coding != "" && coding != "none" && acceptsCoding(req.Get("accept-encoding"), coding) && body > 0 {
		body = int64(float64(body)*o.page.Compression.ratio() + 0.999999)
		h = append(h, Field{"content-encoding", coding})
	}
	if r.Type.Text() {
		h = append(h, Field{"vary", "Accept-Encoding"})
	}
	if resp.Status < 400 {
		h = append(h, o.cacheFields(r)...)
	}
	resp.BodyLen = body
	resp.Chunked = r.Chunked
	if !r.Chunked {
		h = append(h, Field{"content-length", strconv.FormatInt(body, 10)})
	}
	resp.Header = h
	if o.PushEnabled && req.Method == "GET" && resp.Status == 200 {
		resp.Push = o.pushes(i, req)
	}
	return resp
}

// cacheFields are the response's Cache-Control and validators.
func (o *Origin) cacheFields(r *Resource) []Field {
	var h []Field
	switch {
	case r.NoStore:
		h = append(h, Field{"cache-control", "no-store"})
	case r.NoCache:
		h = append(h, Field{"cache-control", "no-cache"})
	case r.MaxAge > 0:
		h = append(h, Field{"cache-control", "max-age=" + strconv.FormatInt(r.MaxAge, 10)})
	}
	if r.ETag {
		h = append(h, Field{"etag", etag(r)})
	}
	if r.LastModified {
		h = append(h, Field{"last-modified", httpDate(lastModified)})
	}
	return h
}

// notModified evaluates If-None-Match, then If-Modified-Since only when
// there is no If-None-Match (RFC 9110 §13.2.2).
func (o *Origin) notModified(r *Resource, req *Request) bool {
	if inm := req.Get("if-none-match"); inm != "" {
		return r.ETag && inm == etag(r)
	}
	if ims := req.Get("if-modified-since"); ims != "" && r.LastModified {
		t, err := time.Parse("Mon, 02 Jan 2006 15:04:05 GMT", ims)
		return err == nil && !lastModified.After(t)
	}
	return false
}

// pushes lists the pushable children of resource i as requests the server
// makes up for them (RFC 9113 §8.4: the promised request).
func (o *Origin) pushes(i int, req *Request) []*Request {
	var out []*Request
	for j := range o.page.Resources {
		c := &o.page.Resources[j]
		if c.Parent == i && c.Push {
			u, inc := c.Type.Urgency()
			out = append(out, &Request{
				Method: "GET", Scheme: req.Scheme, Authority: req.Authority, Path: c.URL,
				Header:  []Field{{"accept-encoding", req.Get("accept-encoding")}, {"user-agent", req.Get("user-agent")}},
				Urgency: u, Incremental: inc, Resource: j,
			})
		}
	}
	return out
}

// acceptsCoding reports whether an Accept-Encoding value lists coding
// without q=0 (RFC 9110 §12.5.3).
func acceptsCoding(accept, coding string) bool {
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(part, ";")
		if strings.TrimSpace(name) == coding {
			q := strings.TrimSpace(params)
			return !strings.HasPrefix(q, "q=0") || strings.Trim(strings.TrimPrefix(q, "q=0"), ".0") != ""
		}
	}
	return false
}
