package updates

import (
	"fmt"
	"strconv"
	"time"

	"httpsim/sim"
	"httpsim/sim/h1"
	"httpsim/sim/web"
)

// What the page and its server put in their heads. The fields are those a
// browser's fetch() and a typical server send, so that the header bytes on
// the wire, the cost every poll pays again, are realistic.
const (
	origin     = "example.com"
	pathBase   = "/updates"
	userAgent  = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	serverName = "httpsim"
)

// epoch is the date virtual time zero stands for in Date fields (the same
// instant sim/web uses, so that the runs read alike).
var epoch = time.Date(2026, time.November, 26, 9, 0, 0, 0, time.UTC)

// httpDate formats now as an IMF-fixdate (RFC 9110 §5.6.7).
func httpDate(now sim.Time) string {
	return epoch.Add(now.Since0()).Format("Mon, 02 Jan 2006 15:04:05 GMT")
}

// The JSON body of a poll's answer: {"events":[e1,e2,...]}. Each event is
// EventSize bytes of JSON; the envelope and the commas are the rest.
const (
	envelopeOpen  = len(`{"events":[`)
	envelopeClose = len(`]}`)
)

// bodyLen is the size of a poll answer carrying n events of size bytes.
func bodyLen(n, size int) int64 {
	if n == 0 {
		return 0
	}
	return int64(envelopeOpen+envelopeClose) + int64(n)*int64(size) + int64(n-1)
}

// pollRequest is the head of a poll: a fetch() of the updates since the
// last event the page has, with Cache-Control: no-cache so that no cache on
// the way answers it (RFC 9111 §5.2.1.4). A long poll tells the server how
// long it may hold the request.
func pollRequest(cfg Config, scheme string, since int) []byte {
	path := pathBase + "?since=" + strconv.Itoa(since)
	if cfg.Mode == LongPoll {
		path += "&timeout=" + strconv.FormatFloat(cfg.HoldTimeout.Seconds(), 'f', -1, 64)
	}
	h := []web.Field{
		{Name: "user-agent", Value: userAgent},
		{Name: "accept", Value: "application/json"},
		{Name: "accept-encoding", Value: "gzip, deflate, br"},
		{Name: "accept-language", Value: "en-US,en;q=0.9"},
		{Name: "cache-control", Value: "no-cache"},
		{Name: "referer", Value: scheme + "://" + origin + "/"},
	}
	if cfg.Cookie > 0 {
		h = append(h, web.Field{Name: "cookie", Value: web.CookieValue(cfg.Cookie)})
	}
	req := &web.Request{Method: "GET", Scheme: scheme, Authority: origin, Path: path, Header: h}
	return h1.AppendRequestHead(nil, req, false)
}

// pollResponse is the head of a poll's answer: 200 with the JSON body's
// length, or 204 No Content when there is nothing to say (RFC 9110 §15.3.5:
// the classic "no news" answer, with no body at all). no-store keeps the
// answer out of every cache (RFC 9111 §5.2.2.5).
func pollResponse(now sim.Time, body int64) []byte {
	resp := &web.Response{Status: 200, Header: []web.Field{
		{Name: "date", Value: httpDate(now)},
		{Name: "server", Value: serverName},
		{Name: "content-type", Value: "application/json"},
		{Name: "content-length", Value: strconv.FormatInt(body, 10)},
		{Name: "cache-control", Value: "no-store"},
	}}
	if body == 0 {
		resp = &web.Response{Status: 204, Header: []web.Field{
			{Name: "date", Value: httpDate(now)},
			{Name: "server", Value: serverName},
			{Name: "cache-control", Value: "no-store"},
		}}
	}
	return h1.AppendResponseHead(nil, resp, false, false)
}

// fieldLine is a header field with its name spelled as it goes on the wire.
// The opening handshake is written with these rather than h1's writer so
// that the names read as RFC 6455 spells them (Sec-WebSocket-Key, not
// Sec-Websocket-Key) and Connection says Upgrade rather than keep-alive.
type fieldLine struct {
	name, value string
}

func appendHead(dst []byte, start string, fields []fieldLine) []byte {
	dst = append(dst, start...)
	dst = append(dst, "\r\n"...)
	for _, f := range fields {
		dst = fmt.Appendf(dst, "%s: %s\r\n", f.name, f.value)
	}
	return append(dst, "\r\n"...)
}

// upgradeRequest is the client's opening handshake (RFC 6455 §4.1, the
// example in §1.2), with the fields a browser adds around the required
// ones. A browser also offers permessage-deflate (RFC 7692); nothing here
// compresses, so this one does not.
func upgradeRequest(cfg Config, scheme, key string) []byte {
	f := []fieldLine{
		{"Host", origin},
		{"Connection", "Upgrade"},
		{"Pragma", "no-cache"},
		{"Cache-Control", "no-cache"},
		{"User-Agent", userAgent},
		{"Upgrade", "websocket"},
		{"Origin", scheme + "://" + origin},
		{"Sec-WebSocket-Version", "13"},
		{"Accept-Encoding", "gzip, deflate, br"},
		{"Accept-Language", "en-US,en;q=0.9"},
	}
	if cfg.Cookie > 0 {
		f = append(f, fieldLine{"Cookie", web.CookieValue(cfg.Cookie)})
	}
	f = append(f, fieldLine{"Sec-WebSocket-Key", key})
	return appendHead(nil, "GET "+pathBase+" HTTP/1.1", f)
}

// upgradeResponse is the server's 101 (RFC 6455 §4.2.2, item 5).
func upgradeResponse(now sim.Time, accept string) []byte {
	return appendHead(nil, "HTTP/1.1 101 "+h1.ReasonPhrase(101), []fieldLine{
		{"Date", httpDate(now)},
		{"Server", serverName},
		{"Upgrade", "websocket"},
		{"Connection", "Upgrade"},
		{"Sec-WebSocket-Accept", accept},
	})
}

// badRequest answers a request the server cannot take (a malformed opening
// handshake: RFC 6455 §4.2.1 says 400) and closes.
func badRequest(now sim.Time) []byte {
	resp := &web.Response{Status: 400, Header: []web.Field{
		{Name: "date", Value: httpDate(now)},
		{Name: "server", Value: serverName},
		{Name: "content-length", Value: "0"},
	}}
	return h1.AppendResponseHead(nil, resp, false, true)
}
