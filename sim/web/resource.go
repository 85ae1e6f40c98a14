// Package web is the workload of a page load: the resources a page is made
// of and how a browser discovers them, the origin server's answers (status
// codes, caching validators, compression, redirects), the browser's cache on
// a repeat visit, and the per-resource timings a waterfall shows. It does not
// know which HTTP version carries the requests: protocols implement Fetcher.
package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Type is a resource's kind, which sets its default priority, whether it is
// compressible, and its Accept header.
type Type string

const (
	HTML  Type = "html"
	CSS   Type = "css"
	JS    Type = "js"
	Image Type = "img"
	Font  Type = "font"
	JSON  Type = "json"
	// RPC is a binary RPC message (gRPC over HTTP/2: protobuf-encoded,
	// length-prefixed; not compressed by content coding).
	RPC   Type = "rpc"
	Other Type = "other"
)

// Known reports whether t is one of the defined types.
func (t Type) Known() bool {
	switch t {
	case HTML, CSS, JS, Image, Font, JSON, RPC, Other:
		return true
	}
	return false
}

// Text reports whether the type is text, and so worth compressing.
func (t Type) Text() bool { return t == HTML || t == CSS || t == JS || t == JSON }

// ContentType is the media type the origin sends.
func (t Type) ContentType() string {
	switch t {
	case HTML:
		return "text/html; charset=utf-8"
	case CSS:
		return "text/css"
	case JS:
		return "text/javascript"
	case Image:
		return "image/jpeg"
	case Font:
		return "font/woff2"
	case JSON:
		return "application/json"
	case RPC:
		return "application/grpc"
	}
	return "application/octet-stream"
}

// accept is the Accept header a browser sends for the type (Chrome's).
func (t Type) accept() string {
	switch t {
	case HTML:
		return "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
	case CSS:
		return "text/css,*/*;q=0.1"
	case Image:
		return "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"
	case JSON:
		return "application/json"
	case RPC:
		return "application/grpc"
	}
	return "*/*"
}

// Urgency is the RFC 9218 urgency (0 highest, 7 lowest) a browser gives the
// type, with whether its response is useful incrementally (images are).
func (t Type) Urgency() (urgency int, incremental bool) {
	switch t {
	case HTML:
		return 0, false
	case CSS:
		return 1, false
	case JS:
		return 1, false
	case Font:
		return 2, false
	case JSON:
		return 3, false
	case Image:
		return 4, true
	}
	return 3, false
}

// Discovery values for Resource.After.
const (
	// AfterParent: discovered when the parent has arrived completely
	// (images and fonts referenced by a stylesheet).
	AfterParent int64 = -1
)

// Resource is one thing a page loads.
type Resource struct {
	// URL is the path on the origin, e.g. "/css/site.css".
	URL  string `json:"url"`
	Type Type   `json:"type"`
	// Size is the body in bytes before compression.
	Size int64 `json:"size"`
	// Parent is the index of the resource that references this one; the
	// page's document (index 0) has none. -1 marks a resource that no page
	// references: it is only fetched as a redirect's target.
	Parent int `json:"parent"`
	// After is how many bytes of the parent must have arrived before the
	// browser finds the reference (a stylesheet link in the first 2 KB of
	// HTML), or AfterParent.
	After int64 `json:"after"`
	// Status is the status code the origin answers with (default 200).
	Status int `json:"status,omitempty"`
	// Location is the redirect target's URL for a 3xx status.
	Location string `json:"location,omitempty"`
	// MaxAge is Cache-Control max-age in seconds; 0 with NoCache means the
	// browser must revalidate every time.
	MaxAge int64 `json:"max_age,omitempty"`
	// NoCache sends Cache-Control: no-cache (store, but revalidate).
	NoCache bool `json:"no_cache,omitempty"`
	// NoStore sends Cache-Control: no-store (never cached).
	NoStore bool `json:"no_store,omitempty"`
	// ETag and LastModified give the response validators for a
	// conditional request on a later visit (RFC 9110 §8.8).
	ETag         bool `json:"etag,omitempty"`
	LastModified bool `json:"last_modified,omitempty"`
	// ServerTime is how long the origin takes to produce the response.
	ServerTime time.Duration `json:"server_time,omitempty"`
	// Chunked sends the body with Transfer-Encoding: chunked in HTTP/1.1.
	Chunked bool `json:"chunked,omitempty"`
	// Method is GET unless set (POST and PUT send RequestBody bytes). A
	// resource only a redirect leads to (Parent -1) has neither: the
	// redirect sets them (RFC 9110 §15.4).
	Method string `json:"method,omitempty"`
	// RequestBody is the size of a POST or PUT body.
	RequestBody int64 `json:"request_body,omitempty"`
	// Push: with HTTP/2 server push on, the origin pushes this resource
	// along with its parent's response; if the parent is pushed too, along
	// with the response that pushes the parent (only a client's stream
	// carries PUSH_PROMISE, RFC 9113 §8.4).
	Push bool `json:"push,omitempty"`
	// Lazy: the browser defers it until after the load event (an image
	// below the fold with loading="lazy"): it is not fetched during the
	// page load and does not count in its time.
	Lazy bool `json:"lazy,omitempty"`
}

// status returns the status code, 200 by default.
func (r *Resource) status() int {
	if r.Status == 0 {
		return 200
	}
	return r.Status
}

// contentType is the Content-Type of r's body: its type's, and for an
// image the format its URL's extension names (a /logo.png was served as
// image/jpeg).
func (r *Resource) contentType() string {
	t := r.bodyType()
	if t == Image {
		path, _, _ := strings.Cut(r.URL, "?")
		switch strings.ToLower(path[strings.LastIndexByte(path, '.')+1:]) {
		case "png":
			return "image/png"
		case "gif":
			return "image/gif"
		case "webp":
			return "image/webp"
		case "avif":
			return "image/avif"
		case "svg":
			return "image/svg+xml"
		}
	}
	return t.ContentType()
}

// bodyType is the type of the body the origin sends for r: the resource's
// own, or for a redirect or an error the small HTML page servers send with
// it: a short hypertext note with a link to the new URI for a redirect
// (RFC 9110 §15.4), an explanation of the error for a 4xx or 5xx (§15.5,
// §15.6).
func (r *Resource) bodyType() Type {
	if r.status() >= 300 {
		return HTML
	}
	return r.Type
}

// IsRedirect reports whether the response is a redirection with a Location.
func (r *Resource) IsRedirect() bool {
	return isRedirectStatus(r.status()) && r.Location != ""
}

// Page is a page's resources: Resources[0] is the document.
type Page struct {
	// Origin is the authority, e.g. "www.example.com".
	Origin    string     `json:"origin"`
	Resources []Resource `json:"resources"`
	// Cookie is the size in bytes of the Cookie header value the browser
	// sends on every request to the origin.
	Cookie int `json:"cookie,omitempty"`
	// Compression is what the origin does for text types.
	Compression Compression `json:"compression"`
}

// Compression configures content coding of text responses (RFC 9110 §8.4).
type Compression struct {
	// Encoding is "none", "gzip" or "br".
	Encoding string `json:"encoding"`
	// Ratio is compressed size / original size (default: gzip 0.30,
	// br 0.25 — typical for HTML, CSS and JavaScript), of the Encoding
	// given. A br page answers a client that does not accept br (a
	// browser over plain HTTP) with gzip, at gzip's 0.30 or Ratio if
	// larger.
	Ratio float64 `json:"ratio,omitempty"`
}

// ratioOf returns the compression ratio of a body in coding: Ratio for
// the page's own Encoding, when given, or the coding's typical one. A
// Brotli page's gzip fallback (Page.coding) compresses no better than the
// Ratio given for Brotli.
func (c Compression) ratioOf(coding string) float64 {
	if c.Ratio > 0 && coding == c.Encoding {
		return c.Ratio
	}
	switch coding {
	case "gzip":
		return max(0.30, c.Ratio)
	case "br":
		return 0.25
	}
	return 1
}

// MaxResources is the most resources a page may have.
const MaxResources = 2000

// The bounds of what a page puts in request heads: together they keep every
// request the browser makes within what the simulated servers take (an
// HTTP/1.1 head of 256 KiB; HTTP/2's SETTINGS_MAX_HEADER_LIST_SIZE of 256
// KiB).
const (
	// MaxCookie is the largest Cookie field value, in bytes.
	MaxCookie = 64 << 10
	// MaxURL is the longest resource URL (request-target), in bytes: RFC
	// 9112 §3 recommends that every recipient support request lines of
	// at least 8000 octets.
	MaxURL = 8000
	// MaxOrigin is the longest origin (host and port), in bytes: a domain
	// name is at most 255 octets (RFC 1035 §2.3.4).
	MaxOrigin = 255
)

// Validate checks the page and reports every problem, each naming its field
// with its path ("page.resources[3].size") and the range it accepts.
func (p *Page) Validate() error {
	if len(p.Resources) == 0 {
		return fmt.Errorf("page.resources: the page has no resources (need at least the document)")
	}
	if len(p.Resources) > MaxResources {
		return fmt.Errorf("page.resources: %d resources is out of range (1 to %d)", len(p.Resources), MaxResources)
	}
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if !validOrigin(p.Origin) {
		bad("page.origin: %q is not a host with an optional :port of 1 to 65535 (RFC 3986 §3.2.2: a name of letters, digits and -._~!$&'()*+,;= or %%-escapes, or an IP literal in brackets)", p.Origin)
	} else if len(p.Origin) > MaxOrigin {
		bad("page.origin: %d bytes is out of range (1 to %d: a domain name is at most 255 octets, RFC 1035 §2.3.4)", len(p.Origin), MaxOrigin)
	}
	// The cookie, URLs and origin are bounded so that every request head
	// fits what the simulated servers take (HTTP/1.1's 256 KiB head).
	if p.Cookie < 0 || p.Cookie > MaxCookie {
		bad("page.cookie: %d is out of range (0 to %d bytes)", p.Cookie, MaxCookie)
	}
	switch p.Compression.Encoding {
	case "", "none", "gzip", "br":
	default:
		bad("page.compression.encoding: %q is not a content coding (use none, gzip or br)", p.Compression.Encoding)
	}
	if r := p.Compression.Ratio; r < 0 || r > 1 {
		bad("page.compression.ratio: %v is out of range (0 to 1)", r)
	}
	urls := map[string]int{}
	parentsOK := true
	for i := range p.Resources {
		r := &p.Resources[i]
		// The field path, formatted only for a problem (this runs on
		// every load).
		at := resourcePath(i)
		if !validTarget(r.URL) {
			bad("%s.url: %q is not a request path (it must start with /, in visible ASCII without spaces or #; RFC 9112 §3.2.1)", at, r.URL)
		} else if len(r.URL) > MaxURL {
			bad("%s.url: %d bytes is out of range (1 to %d: about the request-line length RFC 9112 §3 recommends every recipient support)", at, len(r.URL), MaxURL)
		}
		if j, dup := urls[r.URL]; dup {
			bad("%s.url: %q is also resources[%d]'s URL", at, r.URL, j)
		} else {
			urls[r.URL] = i
		}
		if !r.Type.Known() {
			bad("%s.type: %q is not a resource type (use html, css, js, img, font, json, rpc or other)", at, r.Type)
		}
		if r.Size < 0 || r.Size > 1<<34 {
			bad("%s.size: %d is out of range (0 to 16GiB)", at, r.Size)
		}
		if i == 0 {
			if r.Parent != -1 && r.Parent != 0 {
				bad("%s.parent: %d: the document has no parent (use -1)", at, r.Parent)
				parentsOK = false
			}
		} else if r.Parent == i {
			bad("%s.parent: %d is this resource itself; want -1 or the index of another resource", at, r.Parent)
			parentsOK = false
		} else if r.Parent < -1 || r.Parent >= len(p.Resources) {
			bad("%s.parent: %d is out of range (-1, or the index of another resource: 0 to %d)", at, r.Parent, len(p.Resources)-1)
			parentsOK = false
		}
		if i == 0 && r.Lazy {
			bad("%s.lazy: the document is what the page load is; it cannot wait for the load event", at)
		}
		if r.After < AfterParent {
			bad("%s.after: %d is out of range (-1 for when the parent completes, or a byte count >= 0)", at, r.After)
		}
		switch s := r.status(); {
		case s >= 100 && s < 200:
			// A 1xx is interim: a final response must follow it (RFC
			// 9110 §15.2), so it cannot be what a resource answers.
			bad("%s.status: %d is out of range (200 to 599; a 1xx response is interim, RFC 9110 §15.2)", at, s)
		case s < 200 || s > 599:
			bad("%s.status: %d is out of range (200 to 599)", at, s)
		case s == 304:
			bad("%s.status: 304 answers only a conditional request (RFC 9110 §15.4.5); give the resource etag or last_modified and make the visit a repeat one instead", at)
		case isRedirectStatus(s) && r.Location == "":
			bad("%s.location: missing; a %d redirect needs the URL it points to (RFC 9110 §10.2.2)", at, s)
		case r.Location == "" || isRedirectStatus(s):
		case s != 300:
			// Only a 3xx sends the client on (RFC 9110 §15.4); the
			// location of any other status would be silently ignored.
			bad("%s.location: %q with status %d, which sends no one there; a location needs status 301, 302, 303, 307 or 308 (a redirect the browser follows, RFC 9110 §15.4) or 300 (a preferred choice it does not follow, §15.4.1)", at, r.Location, s)
		case !validTarget(r.Location):
			bad("%s.location: %q is not a request path (it must start with /, in visible ASCII without spaces or #; RFC 9112 §3.2.1)", at, r.Location)
		}
		if r.MaxAge < 0 || r.MaxAge > 10*365*86400 {
			bad("%s.max_age: %d is out of range (0 to 315360000 seconds)", at, r.MaxAge)
		}
		if r.ServerTime < 0 || r.ServerTime > time.Minute {
			bad("%s.server_time: %v is out of range (0 to 1m)", at, r.ServerTime)
		}
		switch r.Method {
		case "", "GET", "POST", "HEAD", "PUT":
		default:
			bad("%s.method: %q is not supported (use GET, POST, HEAD or PUT)", at, r.Method)
		}
		if r.RequestBody < 0 || r.RequestBody > 1<<30 {
			bad("%s.request_body: %d is out of range (0 to 1GiB)", at, r.RequestBody)
		} else if m := r.Method; r.RequestBody > 0 && (m == "" || m == "GET" || m == "HEAD") {
			bad("%s.request_body: a %s request carries no content (RFC 9110 §9.3.1, §9.3.2); use POST or PUT", at, cmp.Or(m, "GET"))
		}
	}
	// Redirect targets must exist, and chains must end; only the document,
	// a redirect's target or a resource with a parent is ever fetched.
	next := make([]int, len(p.Resources)) // the resource i redirects to, or -1
	targetsOK := true
	for i := range p.Resources {
		next[i] = -1
		if r := &p.Resources[i]; r.IsRedirect() {
			j, ok := urls[r.Location]
			if !ok {
				bad("page.resources[%d].location: %q is not the URL of a resource of the page", i, r.Location)
				targetsOK = false
			}
			next[i] = j
		}
	}
	if targetsOK {
		reached := make([]bool, len(next))
		for _, j := range next {
			if j >= 0 {
				reached[j] = true
			}
		}
		redirectProblems(p, next, reached, bad)
		for i := 1; i < len(p.Resources); i++ {
			r := &p.Resources[i]
			switch {
			case r.Parent == -1 && !reached[i]:
				bad("page.resources[%d].parent: -1, but nothing redirects to %q, so it would never be fetched; want the index of the resource that refers to it", i, r.URL)
			case r.Parent == -1 && (r.Method != "" || r.RequestBody != 0):
				// Only a redirect leads to it, and the redirect sets how it
				// is requested (RFC 9110 §15.4).
				bad("page.resources[%d].method: a redirect's target is requested with the method and body its redirect gives it (307 and 308 keep them, 303 asks with GET, 301 and 302 turn POST into GET; RFC 9110 §15.4); leave method and request_body unset", i)
			}
		}
	}
	// Discovery must form a tree rooted at the document: no cycles.
	if parentsOK {
		// A reference lies within its parent's body: past the end it
		// would only ever be found when the parent completes, which is
		// what "end" says.
		for i := 1; i < len(p.Resources); i++ {
			r := &p.Resources[i]
			if r.Parent < 0 || r.After < 0 {
				continue
			}
			if parent := &p.Resources[r.Parent]; !parent.IsRedirect() && r.After > parent.Size {
				bad("%s.after: %d is past the end of its parent, resources[%d], whose body is %d bytes; want 0 to %d, or \"end\" for when the parent completes", resourcePath(i), r.After, r.Parent, parent.Size, parent.Size)
			}
		}
		inCycle := map[int]bool{}
		// seen[j] == i+1: j is on the walk from i (one slice for all
		// walks instead of a set per walk).
		seen := make([]int, len(p.Resources))
		for i := range p.Resources {
			for j := i; j > 0 && p.Resources[j].Parent >= 0; j = p.Resources[j].Parent {
				if seen[j] == i+1 {
					c := cycle(p, j)
					if !inCycle[c[0]] {
						for _, k := range c {
							inCycle[k] = true
						}
						bad("page.resources[%d].parent: discovery has a cycle through resources %v", i, c)
					}
					break
				}
				seen[j] = i + 1
			}
		}
	}
	return errors.Join(errs...)
}

// maxRedirects is how many redirects in a row a browser follows before it
// gives up: 20 in Chrome and Firefox (RFC 9110 §15.4 leaves it to them,
// and warns of loops).
const maxRedirects = 20

// redirectProblems reports the redirect chains a browser cannot finish:
// loops, and chains longer than maxRedirects, told at the resource a chain
// starts from (none redirects to it). next[i] is the resource i redirects
// to, or -1; reached[i] says some resource redirects to i.
func redirectProblems(p *Page, next []int, reached []bool, bad func(string, ...any)) {
	// hops[i]: redirects from i to the end of its chain, once known; -1
	// while i is on the walk under way, -2 on a loop.
	hops := make([]int, len(next))
	known := make([]bool, len(next))
	var walk []int
	for i := range next {
		walk = walk[:0]
		j := i
		for next[j] >= 0 && !known[j] && hops[j] != -1 {
			hops[j] = -1
			walk = append(walk, j)
			j = next[j]
		}
		end := 0 // hops from j to the end of the chain
		switch {
		case next[j] < 0:
		case known[j]:
			end = hops[j]
		default: // j is on this walk: a loop
			bad("page.resources[%d].location: the redirects from %q loop back to %q; want a chain that ends in a response", j, p.Resources[i].URL, p.Resources[j].URL)
			end = -2
		}
		for k := len(walk) - 1; k >= 0; k-- {
			if end >= 0 {
				end++
			}
			hops[walk[k]], known[walk[k]] = end, true
		}
	}
	for i, n := range hops {
		if n > maxRedirects && !reached[i] {
			bad("page.resources[%d].location: the redirects from %q go on for %d hops, more than the %d browsers follow (ERR_TOO_MANY_REDIRECTS); want a shorter chain", i, p.Resources[i].URL, n, maxRedirects)
		}
	}
}

// resourcePath is "page.resources[i]" as a fmt operand that formats itself
// only when printed.
type resourcePath int

func (r resourcePath) String() string { return fmt.Sprintf("page.resources[%d]", int(r)) }

// cycle lists the indexes of the discovery cycle through j, in order.
func cycle(p *Page, j int) []int {
	out := []int{j}
	for k := p.Resources[j].Parent; k != j; k = p.Resources[k].Parent {
		out = append(out, k)
	}
	return out
}

// validOrigin reports whether s is a host, as RFC 3986 §3.2.2 writes one
// in a URI (a reg-name of unreserved and sub-delims characters and
// %-escapes, an IPv4 address among them, or an IP literal in brackets),
// not empty (RFC 9110 §4.2.1 forbids an http URI with an empty host), with
// an optional port (§3.2.3) of 1 to 65535, the ports TCP and UDP can
// address. A control character in a host went into the Host header and the
// run's output as it was.
func validOrigin(s string) bool {
	var port string
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 || !validIPLiteral(s[1:end]) {
			return false
		}
		port = s[end+1:]
		if port != "" && port[0] != ':' {
			return false
		}
		port = strings.TrimPrefix(port, ":")
		if port == "" && strings.HasSuffix(s, ":") {
			return false
		}
	} else {
		host, p, hasPort := strings.Cut(s, ":")
		port = p
		if host == "" || !validRegName(host) || hasPort && port == "" {
			return false
		}
	}
	if port == "" {
		return true
	}
	if strings.Trim(port, "0123456789") != "" {
		return false
	}
	// "port = *DIGIT": leading zeros are digits too (a:000080 is port 80).
	digits := strings.TrimLeft(port, "0")
	if len(digits) > 5 {
		return false
	}
	n, _ := strconv.Atoi(digits)
	return n >= 1 && n <= 65535
}

// validRegName reports whether s is made of RFC 3986's reg-name characters:
// unreserved (§2.3), sub-delims (§2.2) and %-escapes of two hex digits.
func validRegName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~!$&'()*+,;=", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validIPLiteral reports whether s, the text between brackets, is an IPv6
// address without a zone (RFC 3986 §3.2.2's IPv6address: net/netip parses
// the same grammar, "::" once at most, one to four hex digits a group), or
// an IPvFuture literal ("v" hex "." and then unreserved, sub-delims or
// ':').
func validIPLiteral(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == 'v' || s[0] == 'V' {
		ver, rest, ok := strings.Cut(s[1:], ".")
		return ok && ver != "" && strings.Trim(ver, "0123456789abcdefABCDEF") == "" && rest != "" &&
			strings.Trim(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:") == ""
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6() && a.Zone() == ""
}

// ServerName is the name a TLS client sends for origin in its server_name
// extension: "HostName contains the fully qualified DNS hostname of the
// server", "without a trailing dot", and "Literal IPv4 and IPv6 addresses
// are not permitted" (RFC 6066 §3). So it is the host without its port,
// its %-escapes decoded (RFC 3986 §2.1) and any trailing dot dropped, and
// none ("") for an IP address: a bracketed literal, or a host whose last
// label is a number, which a browser reads as an IPv4 address ("127.1",
// "0x7f.0.0.1": the WHATWG URL Standard's "ends in a number" rule).
func ServerName(origin string) string {
	if strings.HasPrefix(origin, "[") {
		return "" // an IP literal
	}
	host, _, _ := strings.Cut(origin, ":")
	host = strings.TrimSuffix(percentDecode(host), ".")
	labels := strings.Split(host, ".")
	last := labels[len(labels)-1]
	if hex, ok := strings.CutPrefix(strings.ToLower(last), "0x"); ok && strings.Trim(hex, "0123456789abcdef") == "" ||
		last != "" && strings.Trim(last, "0123456789") == "" {
		return ""
	}
	return host
}

// percentDecode decodes s's %-escapes; validOrigin has checked them.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// validTarget reports whether s is a request target in origin-form, what a
// request line carries: "origin-form = absolute-path [ "?" query ]" (RFC
// 9112 §3.2.1), so no fragment ('#'), in visible ASCII: a control
// character, a space or non-ASCII text must be percent-encoded (RFC 3986
// §2.1).
func validTarget(s string) bool {
	if !strings.HasPrefix(s, "/") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '#' {
			return false
		}
	}
	return true
}
