package web

import (
	"strconv"
	"strings"
	"time"

	"httpsim/sim"
)

// EdgeConfig is an intermediary between the browser and the origin: a CDN
// edge or a reverse proxy that terminates the browser's connections and
// keeps its own to the origin.
type EdgeConfig struct {
	// Cache stores what the origin lets a shared cache store (RFC 9111)
	// and answers later requests from it.
	Cache bool `json:"cache"`
	// Warm starts the cache holding every cacheable resource of the page,
	// as if other users had fetched them moments ago.
	Warm bool `json:"warm"`
	// FollowRedirects has the edge follow the origin's redirects itself,
	// so that the browser never sees them.
	FollowRedirects bool `json:"follow_redirects"`
}

// Edge is the intermediary's HTTP logic: cache, forwarding, redirects.
type Edge struct {
	cfg    EdgeConfig
	page   *Page
	origin Fetcher
	cache  map[string]*edgeEntry // by path; looked up, never iterated

	// Hits and Misses count how requests were answered; Followed counts
	// redirects the edge followed itself. Revalidated counts requests
	// answered from a stored response the origin confirmed with a 304:
	// neither a hit nor a miss (a revalidation answered 200 is a miss).
	Hits, Misses, Revalidated, Followed int

	// viaRequest and viaResponse are the Via fields the edge adds to
	// what it forwards (RFC 9110 §7.6.3: "A proxy MUST send an
	// appropriate Via header field ... in each message that it
	// forwards"), each naming the HTTP version the message was received
	// with: from the browser, from the origin.
	viaRequest, viaResponse Field
}

type edgeEntry struct {
	// resp is the response as the origin sent it, freshened by its 304s
	// since, without the edge's X-Cache.
	resp     *Response
	storedAt sim.Time
	lifetime time.Duration // lifetime(resp), kept: every request reads it
	// accept is the request's Accept-Encoding when the response varies by
	// it: a later request matches only with the same (RFC 9111 §4.1).
	accept string
}

var _ AsyncHandler = (*Edge)(nil)

// NewEdge returns an edge in front of origin (reached through fetcher),
// serving page to browsers asking for URLs with scheme ("https" or "http").
func NewEdge(cfg EdgeConfig, page *Page, scheme string, fetcher Fetcher, origin *Origin) *Edge {
	e := &Edge{cfg: cfg, page: page, origin: fetcher, cache: map[string]*edgeEntry{}}
	e.SetProtocols("1.1", "1.1")
	if cfg.Cache && cfg.Warm {
		// Filled by browsers like the one to come: the stored
		// responses' content codings are the ones it accepts (Vary).
		for _, r := range page.Resources {
			req := &Request{Method: "GET", Scheme: scheme, Authority: page.Origin, Path: r.URL,
				Header: []Field{{"accept-encoding", AcceptEncoding(scheme)}}}
			resp := origin.Serve(0, req)
			resp.Delay = 0 // a copy is answered at once, as a stored one is
			e.store(0, req, resp)
		}
	}
	return e
}

// SetProtocols sets the HTTP versions the edge receives requests in from
// the browser and responses in from the origin ("1.1", "2" or "3"), which
// its Via fields name (RFC 9110 §7.6.3: received-protocol, the protocol
// name omitted for HTTP).
func (e *Edge) SetProtocols(browser, origin string) {
	e.viaRequest, e.viaResponse = Field{"via", browser + " edge"}, Field{"via", origin + " edge"}
}

// Serve implements Handler for completeness; servers use ServeAsync.
func (e *Edge) Serve(now sim.Time, req *Request) *Response {
	return &Response{Status: 502, Header: []Field{{"content-length", "0"}}}
}

// ServeAsync implements AsyncHandler: answer from the cache if it can,
// revalidate a stale stored response that has a validator, otherwise ask
// the origin.
func (e *Edge) ServeAsync(now sim.Time, req *Request, respond func(sim.Time, *Response)) {
	if entry := e.cache[req.Path]; entry != nil && req.Method == "GET" && entry.accept == e.varyKey(entry.resp, req) {
		if e.fresh(now, entry) {
			e.Hits++
			respond(now, e.fromCache(now, entry, req, "HIT"))
			return
		}
		if entry.resp.Get("etag") != "" || entry.resp.Get("last-modified") != "" {
			e.forward(now, req, entry, 0, respond)
			return
		}
	}
	e.Misses++
	e.forward(now, req, nil, 0, respond)
}

// forward asks the origin, following redirects when configured: as many
// as a browser would (maxRedirects), which page validation holds every
// chain to, so the browser never sees one.
//
// With a stale entry, the request revalidates it (RFC 9111 §4.3.1): the
// edge adds preconditions carrying the stored response's validators,
// If-None-Match with its ETag and If-Modified-Since with its
// Last-Modified, in place of the browser's own (the edge's copy is what
// is being validated; the browser's are evaluated against it after). On
// the answer (§4.3.3), a 304 means the stored response can be updated and
// reused: it is freshened (§4.3.4) and answers the browser; a full
// response is used instead and stored anew, a miss.
func (e *Edge) forward(now sim.Time, req *Request, entry *edgeEntry, hops int, respond func(sim.Time, *Response)) {
	fwd := *req
	fwd.Header = append(withoutHopByHop(req.Header), e.viaRequest)
	if entry != nil {
		h := fwd.Header[:0]
		for _, f := range fwd.Header {
			if f.Name != "if-none-match" && f.Name != "if-modified-since" {
				h = append(h, f)
			}
		}
		if etag := entry.resp.Get("etag"); etag != "" {
			h = append(h, Field{"if-none-match", etag})
		}
		if lm := entry.resp.Get("last-modified"); lm != "" {
			h = append(h, Field{"if-modified-since", lm})
		}
		fwd.Header = h
	}
	x := &edgeExchange{}
	// A request the origin refused unprocessed goes again (RFC 9113
	// §8.7), three times at most.
	x.again = func(now sim.Time) { e.origin.Fetch(now, &fwd, x) }
	x.done = func(now sim.Time, resp *Response) {
		if entry != nil {
			if resp.Status == 304 {
				e.Revalidated++
				e.freshen(now, entry, resp)
				// "REVALIDATED" is what several CDNs' X-Cache (or
				// cache-status) says of an answer the origin confirmed.
				respond(now, e.fromCache(now, entry, req, "REVALIDATED"))
				return
			}
			e.Misses++
		}
		if loc := resp.Get("location"); e.cfg.FollowRedirects && isRedirectStatus(resp.Status) && loc != "" && hops < maxRedirects {
			e.Followed++
			next := req.redirected(resp.Status, pathOf(loc))
			e.forward(now, next, nil, hops+1, func(now sim.Time, resp *Response) {
				// Content-Location says which resource the body really is
				// (RFC 9110 §8.7), so the browser can use it as such.
				if resp.Get("content-location") == "" {
					out := *resp
					out.Header = append(append([]Field(nil), resp.Header...), Field{"content-location", next.Path})
					resp = &out
				}
				respond(now, resp)
			})
			return
		}
		stored := *resp
		stored.Delay = 0 // the origin's time is spent already
		stored.Header = withoutHopByHop(resp.Header)
		switch {
		case req.Method == "HEAD":
			// No content came to count: a chunked origin response
			// goes on without a length, since a server "MUST NOT send
			// Content-Length in such a response unless its field value
			// equals the decimal number of octets that would have been
			// sent in the content of a response if the same request
			// had used the GET method" (RFC 9110 §8.6), which the edge
			// does not know. Its Transfer-Encoding is gone, hop by hop
			// (§7.6.1); the response to HEAD has no body anyway (RFC
			// 9112 §6.3 item 1).
			stored.Chunked = false
		case stored.HasBody() && resp.Get("content-length") == "":
			// A chunked response from the origin goes on with a length:
			// the edge has it all (and its Transfer-Encoding, hop by hop,
			// is gone: RFC 9112 §6.2 forbids both).
			stored.Header = append(stored.Header, Field{"content-length", strconv.FormatInt(stored.BodyLen, 10)})
			stored.Chunked = false
		}
		if req.Method == "GET" {
			e.store(now, req, &stored)
		}
		out := stored
		out.Header = append(stored.Header[:len(stored.Header):len(stored.Header)], e.viaResponse, Field{"x-cache", "MISS"})
		respond(now, &out)
	}
	x.again(now)
}

// pathOf returns the path of a URL ("https://host/a" → "/a").
func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			return u[j:]
		}
		return "/"
	}
	return u
}

// store keeps resp to req if a shared cache may (RFC 9111 §3).
func (e *Edge) store(now sim.Time, req *Request, resp *Response) {
	if !e.cfg.Cache || resp.Status != 200 && resp.Status != 301 && resp.Status != 404 {
		return
	}
	cc := resp.Get("cache-control")
	if strings.Contains(cc, "no-store") || strings.Contains(cc, "private") {
		return
	}
	e.cache[req.Path] = &edgeEntry{resp: resp, storedAt: now, lifetime: lifetime(resp), accept: e.varyKey(resp, req)}
}

// lifetime is a stored response's freshness lifetime for a shared cache
// (RFC 9111 §4.2.1): none with no-cache, else s-maxage, max-age, or the
// §4.2.2 heuristic.
func lifetime(resp *Response) time.Duration {
	cc := resp.Get("cache-control")
	if strings.Contains(cc, "no-cache") {
		return 0
	}
	if v, ok := directive(cc, "s-maxage"); ok {
		return time.Duration(v) * time.Second
	}
	if v, ok := directive(cc, "max-age"); ok {
		return time.Duration(v) * time.Second
	}
	if resp.Get("last-modified") != "" {
		return epoch.Sub(lastModified) / 10 // RFC 9111 §4.2.2 heuristic
	}
	return 0
}

// freshen updates entry from the origin's 304 (RFC 9111 §4.3.4: "the
// cache MUST update its header fields with the header fields provided in
// the 304 (Not Modified) response, as per Section 3.2"): a field the 304
// carries replaces every stored line of that name with all of the 304's,
// Content-Length excepted (§3.2); the others stay. Its Date is the new age
// base, its Cache-Control the new lifetime.
func (e *Edge) freshen(now sim.Time, entry *edgeEntry, nm *Response) {
	update := withoutHopByHop(nm.Header)
	carried := func(name string) bool {
		for _, f := range update {
			if f.Name == name && name != "content-length" {
				return true
			}
		}
		return false
	}
	// A new slice: responses already sent may share the old one.
	h := make([]Field, 0, len(entry.resp.Header)+len(update))
	for _, f := range entry.resp.Header {
		if !carried(f.Name) {
			h = append(h, f)
		}
	}
	for _, f := range update {
		if f.Name != "content-length" {
			h = append(h, f)
		}
	}
	resp := *entry.resp
	resp.Header = h
	entry.resp, entry.storedAt, entry.lifetime = &resp, now, lifetime(&resp)
}

// varyKey is what of req selects resp (RFC 9111 §4.1): its Accept-Encoding
// when resp varies by it (the only field the origin varies by), else "".
func (e *Edge) varyKey(resp *Response, req *Request) string {
	if !strings.EqualFold(resp.Get("vary"), "accept-encoding") {
		return ""
	}
	return req.Get("accept-encoding")
}

// directive reads "name=N" from a Cache-Control value.
func directive(cc, name string) (int64, bool) {
	for _, part := range strings.Split(cc, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k == name {
			n, err := strconv.ParseInt(v, 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

func (e *Edge) fresh(now sim.Time, entry *edgeEntry) bool {
	return now.Sub(entry.storedAt) < entry.lifetime
}

// fromCache answers from a stored response: 304 to a matching conditional
// request, otherwise the stored response with Age (RFC 9111 §5.1); verdict
// is its X-Cache.
func (e *Edge) fromCache(now sim.Time, entry *edgeEntry, req *Request, verdict string) *Response {
	age := strconv.FormatInt(int64(now.Sub(entry.storedAt)/time.Second), 10)
	if e.validates(entry, req) {
		// A 304 carries the fields the 200 would have that describe it
		// (RFC 9110 §15.4.5), so the browser can refresh its stored
		// entry (RFC 9111 §4.3.4); Date is the origin's (§6.6.1).
		h := make([]Field, 0, 8)
		for _, f := range entry.resp.Header {
			switch f.Name {
			case "date", "cache-control", "etag", "vary", "last-modified", "content-location":
				h = append(h, f)
			}
		}
		return &Response{Status: 304, Header: append(h, Field{"age", age}, Field{"x-cache", verdict})}
	}
	out := *entry.resp
	out.Header = append(append([]Field(nil), entry.resp.Header...), Field{"age", age}, Field{"x-cache", verdict})
	return &out
}

// validates reports whether req's conditions match the stored response
// (RFC 9111 §4.3.2): its entity tag if the request has If-None-Match;
// otherwise, for If-Modified-Since, its Last-Modified, or its Date when it
// has none.
func (e *Edge) validates(entry *edgeEntry, req *Request) bool {
	if inm := req.Get("if-none-match"); inm != "" {
		return inm == entry.resp.Get("etag")
	}
	ims := req.Get("if-modified-since")
	if ims == "" {
		return false
	}
	stored := entry.resp.Get("last-modified")
	if stored == "" {
		stored = entry.resp.Get("date")
	}
	return notModifiedSince(stored, ims)
}

// edgeExchange collects the origin's response for the edge (store and
// forward: the edge answers once the whole response has arrived).
type edgeExchange struct {
	resp *Response
	body int64
	done func(sim.Time, *Response)
	// again sends the request (once more); tries counts the retries after
	// the origin refused it unprocessed.
	again func(sim.Time)
	tries int
}

func (x *edgeExchange) Sent(sim.Time, int32, int64)     {}
func (x *edgeExchange) Headers(_ sim.Time, r *Response) { x.resp = r }
func (x *edgeExchange) Body(_ sim.Time, n int64, _ sim.Time) {
	x.body += n
}
func (x *edgeExchange) Done(now sim.Time) {
	x.resp.BodyLen = x.body
	x.done(now, x.resp)
}
func (x *edgeExchange) Failed(now sim.Time, reason string) {
	x.done(now, &Response{Status: 502, Header: []Field{{"content-length", "0"}}})
}

// Refused: the origin did not process the request; it goes again, as a
// browser's would (Exchange.Refused), three times at most: a fourth refusal
// answers the browser with a 502.
func (x *edgeExchange) Refused(now sim.Time, reason string) {
	if x.tries < MaxRetries {
		x.tries++
		x.resp, x.body = nil, 0
		x.again(now)
		return
	}
	x.Failed(now, reason)
}
