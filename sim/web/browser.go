package web

import (
	"sort"
	"strconv"
	"time"

	"httpsim/sim"
	"httpsim/sim/hol"
	"httpsim/sim/trace"
)

// Visit says what the browser remembers from an earlier visit to the page.
type Visit struct {
	// Repeat: the browser's cache holds what the first visit stored.
	Repeat bool `json:"repeat"`
	// Age is how long ago the first visit was; nil for DefaultVisitAge.
	// Zero is a visit right after the first: a response with any max-age
	// is still fresh then (RFC 9111 §4.2: fresh while its freshness
	// lifetime exceeds its current age).
	Age *time.Duration `json:"age,omitempty"`
}

// DefaultVisitAge is how long after the first a repeat visit comes when
// Visit.Age is unset.
const DefaultVisitAge = time.Hour

// Since is how long after the first visit this one starts: Age
// (DefaultVisitAge if unset) on a repeat visit, 0 on a first.
func (v Visit) Since() time.Duration {
	switch {
	case !v.Repeat:
		return 0
	case v.Age == nil:
		return DefaultVisitAge
	}
	return *v.Age
}

// ResourceState is what happened to one resource: the row of a waterfall.
type ResourceState struct {
	Index int
	URL   string
	Type  Type
	// Discovered, Sent, FirstByte and Done are times, or sim.Never.
	Discovered, Sent, FirstByte, Done sim.Time
	Status                            int
	Conn                              int32
	Stream                            int64
	// HeaderBytes and BodyBytes are the response's header section as sent
	// on the wire and its body (after content coding).
	HeaderBytes, BodyBytes int64
	// Cache is "" (fetched), "fresh" (served from the cache without a
	// request), "revalidated" (a conditional request got 304), or "via
	// URL" (an intermediary followed URL's redirect and sent this).
	Cache string
	// Edge is the intermediary's X-Cache verdict ("HIT", "MISS"), if any.
	Edge string
	// Requested reports whether the resource was discovered at all.
	Requested bool
	// Deferred: a lazy resource the page load left for later.
	Deferred bool
	Retries  int
	Failed   string
	// Unexpected: the response came with a status the page does not
	// declare for the resource (nor a 304 to a conditional request): an
	// error of the simulated servers' own, such as an edge's 502 after
	// the origin failed, so the page did not load as the scenario says.
	Unexpected bool
	// HOL is the time other streams or requests held this one back
	// (cross-stream transport HoL, or HTTP-level HoL behind an earlier
	// pipelined response); LossDelay the time it waited for its own
	// retransmissions.
	HOL, LossDelay time.Duration
	// HOLByteMs and LossByteMs weigh the same by bytes: the sum over the
	// bytes held back of how long each waited, in byte-milliseconds.
	HOLByteMs, LossByteMs float64
	// HOLBy splits HOL by cause: each is the time this resource had bytes
	// held back for that one cause, over the same window. HOL merges the
	// intervals of all four and counts a moment held back for two causes
	// once, so where intervals of different causes overlap the causes add
	// up to more than HOL: the largest is at most HOL, and HOL at most
	// their sum.
	HOLBy HOLByCause
}

// HOLCause is a cause of head-of-line blocking by other streams or
// requests: an index into HOLByCause.
type HOLCause uint8

// The causes HOL counts, as sim/hol attributes trace.HOLBlocked events.
const (
	// HOLTransport: a lost TCP packet ahead of the bytes, carrying another
	// stream's bytes or TLS's (a record, a handshake flight): TCP delivers
	// in order. None over QUIC.
	HOLTransport HOLCause = iota
	// HOLHTTP: an HTTP/1.1 pipelined response queued behind an earlier
	// one, from when it is ready until the bytes ahead of it have been
	// sent (sim/h1's Server).
	HOLHTTP
	// HOLQPACK: an HTTP/3 stream waiting for QPACK's encoder stream
	// (RFC 9204 §2.1.2).
	HOLQPACK
	// HOLHandshake: QUIC stream data that arrived before the keys to read
	// it, waiting for the handshake.
	HOLHandshake
	// NumHOLCauses is how many causes there are.
	NumHOLCauses
)

// holCauseNames are the causes' names in trace.HOLBlocked events.
var holCauseNames = [NumHOLCauses]string{hol.CauseTransport, hol.CauseHTTP, hol.CauseQPACK, hol.CauseHandshake}

// String returns the cause's name in the trace (hol.CauseTransport...).
func (c HOLCause) String() string {
	if c < NumHOLCauses {
		return holCauseNames[c]
	}
	return "HOLCause(" + strconv.Itoa(int(c)) + ")"
}

// HOLByCause is a head-of-line time per cause, indexed by HOLCause: an
// array, not a map, so that it copies, compares and ranges in one order.
type HOLByCause [NumHOLCauses]time.Duration

// Browser loads a page through a Fetcher: it discovers resources as their
// parents arrive, consults its cache, follows redirects and records timings.
type Browser struct {
	loop    *sim.Loop
	log     *trace.Log
	page    *Page
	scheme  string
	accept  string // the Accept-Encoding it sends: AcceptEncoding(scheme)
	fetcher Fetcher
	visit   Visit

	res []ResourceState
	// how is, per resource, the method and body it is requested with: its
	// own, or what the redirect that led to it gives (RFC 9110 §15.4).
	how       []requestHow
	children  [][]int // per resource, its children in discovery order
	nextChild []int   // per resource, how many of its children are discovered
	byURL     map[string]int
	pending   int
	loadedAt  sim.Time
	started   bool
	stream    map[connStream]int
	holAcc    hol.Accumulator
	// attempts lists, per resource sent more than once, the connection
	// and stream of every attempt, the last included (nil otherwise).
	attempts [][]hol.Stream
	cookie   string // the Cookie field value, made once
	// urls are resources' absolute URLs, made when first sent as a
	// Referer; redirectedFrom is, per resource reached by a redirect, the
	// resource whose redirect led to it (-1 if none).
	urls           []string
	redirectedFrom []int

	// OnLoad is called once, when every discovered resource is done.
	OnLoad func(now sim.Time)
	// HiddenRedirects: an intermediary follows the origin's redirects, so
	// the browser never saw them. On a repeat visit what its cache holds
	// under a redirecting URL is the final target's response (which came
	// back with Content-Location), fresh or stale by the target's rules.
	HiddenRedirects bool
}

// requestHow is the method and body size of a resource's request.
type requestHow struct {
	method string
	body   int64
}

type connStream struct {
	conn   int32
	stream int64
}

// NewBrowser prepares a load of page over fetcher. scheme is "https" or
// "http".
func NewBrowser(loop *sim.Loop, log *trace.Log, page *Page, scheme string, fetcher Fetcher, visit Visit) *Browser {
	b := &Browser{loop: loop, log: log, page: page, scheme: scheme, accept: AcceptEncoding(scheme), fetcher: fetcher, visit: visit,
		byURL: map[string]int{}, stream: make(map[connStream]int, len(page.Resources)), loadedAt: sim.Never}
	n := len(page.Resources)
	b.res = make([]ResourceState, n)
	b.how = make([]requestHow, n)
	b.children = make([][]int, n)
	b.nextChild = make([]int, n)
	b.urls = make([]string, n)
	b.redirectedFrom = make([]int, n)
	for i, r := range page.Resources {
		b.redirectedFrom[i] = -1
		b.res[i] = ResourceState{Index: i, URL: r.URL, Type: r.Type, Discovered: sim.Never, Sent: sim.Never,
			FirstByte: sim.Never, Done: sim.Never, Conn: -1, Stream: -1}
		b.byURL[r.URL] = i
		b.how[i] = requestHow{r.Method, r.RequestBody}
		if r.Method == "" {
			b.how[i].method = "GET"
		}
		if i > 0 && r.Parent >= 0 {
			b.children[r.Parent] = append(b.children[r.Parent], i)
		}
	}
	for _, c := range b.children {
		sort.SliceStable(c, func(x, y int) bool { return b.after(c[x]) < b.after(c[y]) })
	}
	log.Observe(func(e *trace.Event) {
		if e.Kind == trace.HOLBlocked {
			b.holAcc.Add(e)
		}
	})
	return b
}

// after is the parent byte count at which resource i is found; "when the
// parent completes" sorts last.
func (b *Browser) after(i int) int64 {
	a := b.page.Resources[i].After
	if a == AfterParent {
		return 1 << 62
	}
	return a
}

// Start navigates to the page's document.
func (b *Browser) Start(now sim.Time) {
	b.started = true
	b.discover(now, 0)
	b.checkLoaded(now)
}

// Loaded reports whether the page has finished loading, and when.
func (b *Browser) Loaded() (sim.Time, bool) { return b.loadedAt, b.loadedAt != sim.Never }

// Counts returns how many resources were requested and how many of those
// are done, without the head-of-line totals Resources computes.
func (b *Browser) Counts() (requested, done int) {
	for i := range b.res {
		if r := &b.res[i]; r.Requested {
			requested++
			if r.Done != sim.Never {
				done++
			}
		}
	}
	return requested, done
}

// Resources returns the per-resource states, with head-of-line totals.
func (b *Browser) Resources() []ResourceState {
	out := append([]ResourceState(nil), b.res...)
	for i := range out {
		r := &out[i]
		if r.Conn < 0 {
			continue
		}
		// The waiting that delayed the resource: from its request (for a
		// push, the browser asking for it) to its completion (sim.Never
		// while loading), on every connection it was sent on (a
		// connection that died counts its waits until then).
		streams := []hol.Stream{{Conn: r.Conn, Stream: r.Stream}}
		if b.attempts != nil && len(b.attempts[i]) > 0 {
			streams = b.attempts[i]
		}
		cross := b.holAcc.TotalsAcross(streams, r.Sent, r.Done, holCauseNames[:]...)
		own := b.holAcc.TotalsAcross(streams, r.Sent, r.Done, hol.CauseLoss)
		r.HOL = time.Duration(cross.Time)
		if cross.Time > 0 {
			// Each cause alone over the same window; a resource no other
			// held back (most of them) costs no more lookups.
			for c, name := range holCauseNames {
				r.HOLBy[c] = time.Duration(b.holAcc.TotalsAcross(streams, r.Sent, r.Done, name).Time)
			}
		}
		r.LossDelay = time.Duration(own.Time)
		r.HOLByteMs = cross.ByteNs / 1e6
		r.LossByteMs = own.ByteNs / 1e6
	}
	return out
}

func (b *Browser) trace(now sim.Time, i int, state string, n int64) {
	r := &b.res[i]
	b.log.Emit(trace.Event{At: now, Kind: trace.ResourceUpdated, Side: trace.Client, Conn: r.Conn, Stream: r.Stream,
		Res: int32(i), PN: -1, Name: state, Value: r.URL, Len: n})
}

// discover finds resource i: serve it from the cache or request it.
func (b *Browser) discover(now sim.Time, i int) {
	r := &b.res[i]
	if r.Requested || r.Deferred {
		return
	}
	if b.page.Resources[i].Lazy {
		r.Deferred = true
		b.trace(now, i, "deferred", 0)
		return
	}
	r.Requested = true
	r.Discovered = now
	b.pending++
	b.trace(now, i, "discovered", 0)
	res := &b.page.Resources[i]
	if b.visit.Repeat {
		stored := b.storedAs(i)
		switch b.cacheState(&b.page.Resources[stored], b.how[i].method) {
		case cacheFresh:
			// RFC 9111 §4.2: a fresh stored response is used without
			// contacting the origin.
			r.Cache = "fresh"
			r.Status = b.page.Resources[stored].status()
			r.FirstByte, r.Done = now, now
			b.trace(now, i, "cache_hit", 0)
			if stored != i {
				b.fromStored(now, i, stored)
			} else if res.IsRedirect() {
				b.follow(now, i, res.status(), res.Location)
			}
			// A stored error references nothing, as on the first visit.
			b.complete(now, i, stored == i && r.Status == 200)
			return
		case cacheStale:
			b.fetch(now, i, true)
			return
		}
	}
	b.fetch(now, i, false)
}

// storedAs is the resource whose response the cache holds under resource
// i's URL: i itself, or, when an intermediary followed i's redirects on
// the first visit (HiddenRedirects), the end of the chain.
func (b *Browser) storedAs(i int) int {
	if !b.HiddenRedirects {
		return i
	}
	for hops := 0; hops < maxRedirects; hops++ { // as many as the edge follows
		res := &b.page.Resources[i]
		j, ok := b.byURL[pathOf(res.Location)]
		if !res.IsRedirect() || !ok || j == i {
			break
		}
		i = j
	}
	return i
}

// fromStored completes resource j, the final target a fresh cache entry
// under resource i's URL holds: found and served with i, as on the first
// visit, when it came back through i's request.
func (b *Browser) fromStored(now sim.Time, i, j int) {
	a := &b.res[j]
	if a.Requested {
		return
	}
	a.Requested = true
	a.Discovered, a.FirstByte, a.Status, a.Cache = now, now, b.page.Resources[j].status(), "fresh"
	b.pending++
	b.trace(now, j, "cache_hit", 0)
	b.complete(now, j, true)
}

// fetch sends the request for resource i.
func (b *Browser) fetch(now sim.Time, i int, conditional bool) {
	req := b.request(i, conditional)
	b.fetcher.Fetch(now, req, &exchange{b: b, i: i, alias: -1, conditional: conditional})
}

// request builds the request a browser sends for resource i, with the
// fields Chrome sends (lower-case names; HTTP/1.x capitalises them).
func (b *Browser) request(i int, conditional bool) *Request {
	res := &b.page.Resources[i]
	method, body := b.how[i].method, b.how[i].body
	// The request and room for every field below are one allocation.
	m := new(struct {
		req  Request
		room [9]Field
	})
	h := m.room[:2]
	h[0] = Field{"user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"}
	h[1] = Field{"accept", res.Type.accept()}
	if body > 0 {
		h = append(h, Field{"content-type", "application/x-www-form-urlencoded"}, Field{"content-length", strconv.FormatInt(body, 10)})
	} else if method == "POST" || method == "PUT" {
		// A method whose content means something says it has none
		// (RFC 9110 §8.6), as browsers do.
		h = append(h, Field{"content-length", "0"})
	}
	h = append(h, Field{"accept-encoding", b.accept}, Field{"accept-language", "en-US,en;q=0.9"})
	if ref := b.referrer(i); ref != "" {
		h = append(h, Field{"referer", ref})
	}
	if b.page.Cookie > 0 {
		if len(b.cookie) != b.page.Cookie {
			b.cookie = CookieValue(b.page.Cookie)
		}
		h = append(h, Field{"cookie", b.cookie})
	}
	if conditional {
		// The validators of the response stored under this URL.
		stored := &b.page.Resources[b.storedAs(i)]
		// RFC 9111 §4.3.1: a cache sends the stored entity tags and,
		// when the response had one, its Last-Modified date as
		// If-Modified-Since too; the origin gives If-None-Match
		// precedence (RFC 9110 §13.1.3).
		if stored.ETag {
			h = append(h, Field{"if-none-match", etag(stored, b.page.coding(stored, b.accept))})
		}
		if stored.LastModified {
			h = append(h, Field{"if-modified-since", lastModifiedText})
		}
	}
	u, inc := res.Type.Urgency()
	m.req = Request{Method: method, Scheme: b.scheme, Authority: b.page.Origin, Path: res.URL, Header: h,
		Body: body, Urgency: u, Incremental: inc, Resource: i}
	return &m.req
}

// referrer is the Referer resource i is requested with (RFC 9110 §10.1.3:
// "the URI reference for the resource from which the target URI was
// obtained"): the document or style sheet that referenced it, the
// referrer of the request whose redirect led to it (a redirect keeps its
// request's referrer, as the Fetch standard's does), and none for the
// page's own navigation.
func (b *Browser) referrer(i int) string {
	for n := 0; b.redirectedFrom[i] >= 0 && n < len(b.res); n++ {
		i = b.redirectedFrom[i]
	}
	p := b.page.Resources[i].Parent
	if i == 0 || p < 0 {
		return ""
	}
	if b.urls[p] == "" {
		b.urls[p] = b.scheme + "://" + b.page.Origin + b.page.Resources[p].URL
	}
	return b.urls[p]
}

// browserAcceptEncoding is the Accept-Encoding a browser sends over HTTPS
// (Chrome's).
const browserAcceptEncoding = "gzip, deflate, br"

// AcceptEncoding is the Accept-Encoding Chrome sends to a URL with scheme:
// br only over HTTPS, where no middlebox can read the body and trip on a
// coding it does not know (Chromium's "Intent to Ship: Brotli": "Brotli
// availability is restricted to HTTPS connections"); over plain HTTP,
// "gzip, deflate".
func AcceptEncoding(scheme string) string {
	if scheme == "https" {
		return browserAcceptEncoding
	}
	return "gzip, deflate"
}

// CookieValue is a cookie of n bytes: a session identifier and opaque
// base64-like state, generated the same way every time (so that traces
// are).
func CookieValue(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := []byte("sid=")
	x := uint32(2166136261)
	for len(b) < n {
		x ^= uint32(len(b))
		x *= 16777619
		b = append(b, alphabet[x>>26])
	}
	return string(b[:n])
}

// heuristicallyCacheable lists the status codes a cache may store without
// explicit freshness (RFC 9110 §15.1); others need Cache-Control.
var heuristicallyCacheable = map[int]bool{200: true, 203: true, 204: true, 206: true, 300: true, 301: true,
	308: true, 404: true, 405: true, 410: true, 414: true, 501: true}

type cacheVerdict int

const (
	cacheMiss cacheVerdict = iota
	cacheFresh
	cacheStale
)

// cacheState decides, on a repeat visit, what the earlier visit left in the
// cache for res, requested with method (RFC 9111 §3, §4.2). Browsers keep
// the responses to GET and HEAD only: a POST response is reusable only
// with explicit freshness and Content-Location, and a PUT's never (RFC
// 9110 §9.3.3, §9.3.4).
func (b *Browser) cacheState(res *Resource, method string) cacheVerdict {
	if res.NoStore || method != "GET" && method != "HEAD" {
		return cacheMiss
	}
	status := res.status()
	if !heuristicallyCacheable[status] && res.MaxAge == 0 {
		return cacheMiss
	}
	var lifetime time.Duration
	switch {
	case res.NoCache:
		lifetime = 0
	case res.MaxAge > 0:
		lifetime = time.Duration(res.MaxAge) * time.Second
	case status == 301 || status == 308:
		// Permanent redirects: browsers keep them (heuristic freshness,
		// RFC 9111 §4.2.2), so a second visit does not pay for them.
		lifetime = 365 * 24 * time.Hour
	case res.LastModified:
		// RFC 9111 §4.2.2: a typical heuristic is 10% of the time since
		// Last-Modified.
		lifetime = epoch.Sub(lastModified) / 10
	}
	if b.visit.Since() < lifetime {
		return cacheFresh
	}
	if status == 200 && (res.ETag || res.LastModified) {
		return cacheStale
	}
	return cacheMiss
}

// Fresh reports whether the browser's cache holds a fresh response for path:
// an HTTP/2 client refuses a push of it (RFC 9113 §8.4.2).
func (b *Browser) Fresh(path string) bool {
	i, ok := b.byURL[path]
	return ok && b.visit.Repeat && b.cacheState(&b.page.Resources[i], b.how[i].method) == cacheFresh
}

// follow requests location, the target of resource i's redirect with
// status, with the method and body the redirect gives it.
func (b *Browser) follow(now sim.Time, i, status int, location string) {
	j, ok := b.byURL[pathOf(location)]
	if !ok {
		return
	}
	if !b.res[j].Requested && !b.res[j].Deferred {
		m, body := redirectedMethod(status, b.how[i].method, b.how[i].body)
		b.how[j] = requestHow{m, body}
		b.redirectedFrom[j] = i
	}
	b.discover(now, j)
}

// progress discovers the children of i whose references have arrived.
func (b *Browser) progress(now sim.Time, i int, bytes int64, complete bool) {
	kids := b.children[i]
	for b.nextChild[i] < len(kids) {
		c := kids[b.nextChild[i]]
		a := b.page.Resources[c].After
		if !complete && (a == AfterParent || a > bytes) {
			break
		}
		b.nextChild[i]++
		b.discover(now, c)
	}
}

// complete marks resource i done. Its remaining children are discovered
// first if the response was usable (a 404 stylesheet references nothing).
func (b *Browser) complete(now sim.Time, i int, usable bool) {
	r := &b.res[i]
	r.Done = now
	b.trace(now, i, "done", r.HeaderBytes+r.BodyBytes)
	if usable {
		b.progress(now, i, 1<<62, true)
	}
	b.pending--
	b.checkLoaded(now)
}

func (b *Browser) checkLoaded(now sim.Time) {
	if b.pending == 0 && b.started && b.loadedAt == sim.Never {
		b.loadedAt = now
		if b.OnLoad != nil {
			b.OnLoad(now)
		}
	}
}

// exchange receives one request's progress for the browser.
type exchange struct {
	b        *Browser
	i        int
	bodySeen int64
	resp     *Response
	// alias is the resource the body really is when an intermediary
	// followed a redirect and said so with Content-Location; -1 if none.
	alias int
	// conditional: the request carries the stored response's validators,
	// and so does a retry of it.
	conditional bool
}

var _ Exchange = (*exchange)(nil)

func (x *exchange) Sent(now sim.Time, conn int32, stream int64) {
	r := &x.b.res[x.i]
	if r.Sent == sim.Never {
		r.Sent = now
	}
	if r.Conn >= 0 && (r.Conn != conn || r.Stream != stream) {
		// Sent again: the waits on the earlier attempts' connections
		// delayed it too.
		b := x.b
		if b.attempts == nil {
			b.attempts = make([][]hol.Stream, len(b.res))
		}
		if len(b.attempts[x.i]) == 0 {
			b.attempts[x.i] = append(b.attempts[x.i], hol.Stream{Conn: r.Conn, Stream: r.Stream})
		}
		b.attempts[x.i] = append(b.attempts[x.i], hol.Stream{Conn: conn, Stream: stream})
	}
	r.Conn, r.Stream = conn, stream
	x.b.stream[connStream{conn, stream}] = x.i
	x.b.trace(now, x.i, "request_sent", 0)
}

func (x *exchange) Headers(now sim.Time, resp *Response) {
	r := &x.b.res[x.i]
	x.resp = resp
	r.Status = resp.Status
	r.HeaderBytes = int64(resp.WireHeaderLen)
	if r.FirstByte == sim.Never {
		r.FirstByte = now
	}
	if resp.Status == 304 {
		r.Cache = "revalidated"
	}
	r.Edge = resp.Get("x-cache")
	x.b.trace(now, x.i, "headers", int64(resp.Status))
	if loc := resp.Get("content-location"); loc != "" && loc != x.b.page.Resources[x.i].URL {
		if j, ok := x.b.byURL[loc]; ok && !x.b.res[j].Requested {
			// The body is resource j's: it counts as j, found and fetched
			// through this request.
			x.alias = j
			a := &x.b.res[j]
			a.Requested = true
			a.Discovered, a.Sent, a.FirstByte = r.Discovered, r.Sent, now
			a.Conn, a.Stream, a.Status, a.Cache = r.Conn, r.Stream, resp.Status, "via "+r.URL
			x.b.pending++
		}
	}
}

func (x *exchange) Body(now sim.Time, n int64, _ sim.Time) {
	x.bodySeen += n
	// The body is counted once, on the resource it is: through an
	// intermediary that followed a redirect, the target's row, not the
	// redirecting URL's too (which keeps the response's header section).
	target := x.i
	if x.alias >= 0 {
		target = x.alias
	}
	x.b.res[target].BodyBytes += n
	if x.resp != nil && x.resp.Status < 300 {
		// Discovery offsets count the document's own bytes; a compressed
		// body yields them faster than it arrives.
		decoded := x.bodySeen
		switch size := x.b.page.Resources[target].Size; {
		case x.resp.BodyLen > 0 && x.resp.BodyLen < size:
			decoded = x.bodySeen * size / x.resp.BodyLen
		case x.resp.BodyLen < 0 && x.resp.Get("content-encoding") != "":
			// No Content-Length (a chunked response): the coding's
			// ratio says how much of the document the bytes decode
			// to. Counted as compressed bytes, a reference at 60 KB
			// of the document was found after 60 KB of gzip.
			decoded = min(size, int64(float64(x.bodySeen)/x.b.page.Compression.ratioOf(x.resp.Get("content-encoding"))))
		}
		x.b.progress(now, target, decoded, false)
	}
}

func (x *exchange) Done(now sim.Time) {
	b := x.b
	status := 0
	if x.resp != nil {
		status = x.resp.Status
	}
	// The browser goes where the response it received says (RFC 9110
	// §10.2.2), which through an intermediary may not be the origin's
	// first hop.
	if isRedirectStatus(status) {
		if loc := x.resp.Get("location"); loc != "" {
			b.follow(now, x.i, status, loc)
		}
	}
	b.res[x.i].Unexpected = status != b.declaredStatus(x.i) && !(status == 304 && x.conditional)
	if x.alias >= 0 {
		b.res[x.alias].Unexpected = b.res[x.i].Unexpected
		b.complete(now, x.alias, status == 200 || status == 304)
		b.complete(now, x.i, false)
		return
	}
	b.complete(now, x.i, status == 200 || status == 304)
}

// declaredStatus is the status the page gives resource i's response: its
// own, or, when an intermediary follows redirects (HiddenRedirects), the
// one at the end of its chain of redirects (which validation holds to as
// many hops as the intermediary follows).
func (b *Browser) declaredStatus(i int) int {
	if b.HiddenRedirects {
		for n := 0; n < len(b.page.Resources) && b.page.Resources[i].IsRedirect(); n++ {
			j, ok := b.byURL[b.page.Resources[i].Location]
			if !ok {
				break
			}
			i = j
		}
	}
	return b.page.Resources[i].status()
}

func (x *exchange) Failed(now sim.Time, reason string) { x.fail(now, reason, false) }

func (x *exchange) Refused(now sim.Time, reason string) { x.fail(now, reason, true) }

// MaxRetries is how many times a browser, or an edge, sends a request
// again after a failure or a refusal before it gives up.
const MaxRetries = 3

// fail ends an attempt that did not complete: it is tried again if the
// server did not process it (unprocessed), or if its method is idempotent
// (RFC 9110 §9.2.2: a browser retries a GET after a failure, but not a
// POST that may have been processed).
func (x *exchange) fail(now sim.Time, reason string, unprocessed bool) {
	b := x.b
	r := &b.res[x.i]
	method := b.how[x.i].method
	if (unprocessed || Idempotent(method)) && r.Retries < MaxRetries {
		r.Retries++
		b.trace(now, x.i, "retry", 0)
		x.bodySeen = 0
		x.resp = nil
		r.BodyBytes = 0
		if x.alias >= 0 {
			b.res[x.alias].BodyBytes = 0
		}
		req := b.request(x.i, x.conditional)
		req.Retry = true
		b.fetcher.Fetch(now, req, x)
		return
	}
	r.Failed = reason
	b.trace(now, x.i, "failed", 0)
	if x.alias >= 0 {
		// The resource the intermediary's redirect led to was counted
		// when its headers arrived: it fails with the request.
		b.res[x.alias].Failed = reason
		b.trace(now, x.alias, "failed", 0)
		b.complete(now, x.alias, false)
	}
	b.complete(now, x.i, false)
}
