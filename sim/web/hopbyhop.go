package web

import "strings"

// withoutHopByHop returns the fields an intermediary forwards of h: none of
// the connection's own. RFC 9110 §7.6.1: "Intermediaries MUST parse a
// received Connection header field before a message is forwarded and, for
// each connection-option in this field, remove any header or trailer
// field(s) from the message with the same name as the connection-option,
// and then remove the Connection header field itself". The section also
// names fields to remove whether listed or not: Proxy-Connection,
// Keep-Alive, TE, Transfer-Encoding and Upgrade. The next hop's own framing (Content-Length, Connection) is its
// writer's to add; over HTTP/2 and HTTP/3 these fields would make the
// message malformed (RFC 9113 §8.2.2, RFC 9114 §4.2).
func withoutHopByHop(h []Field) []Field {
	out := make([]Field, 0, len(h))
	for _, f := range h {
		if !isHopByHop(f.Name, h) {
			out = append(out, f)
		}
	}
	return out
}

// isHopByHop reports whether a field named name belongs to one connection:
// one of RFC 9110 §7.6.1's, or named by a Connection field of h.
func isHopByHop(name string, h []Field) bool {
	switch name {
	case "connection", "proxy-connection", "keep-alive", "te", "transfer-encoding", "upgrade":
		return true
	}
	return HasToken(h, "connection", name)
}

// HasToken reports whether the list field name of h holds token, in any of
// its lines (RFC 9110 §5.3: repeated lines are one comma-separated list)
// and in any case: "Connection: keep-alive, close" closes.
func HasToken(h []Field, name, token string) bool {
	found := false
	listItems(h, name, func(item string) { found = found || strings.EqualFold(item, token) })
	return found
}

// LastToken returns the last item of the list field name of h, over all its
// lines ("" if none): the final transfer coding, for Transfer-Encoding
// (RFC 9112 §6.3).
func LastToken(h []Field, name string) string {
	last := ""
	listItems(h, name, func(item string) { last = item })
	return last
}

// listItems calls fn with each non-empty item of the list field name of h,
// in order over its lines, spaces trimmed (RFC 9110 §5.6.1).
func listItems(h []Field, name string, fn func(item string)) {
	for _, f := range h {
		if f.Name != name {
			continue
		}
		for rest := f.Value; rest != ""; {
			var item string
			item, rest, _ = strings.Cut(rest, ",")
			if item = strings.TrimSpace(item); item != "" {
				fn(item)
			}
		}
	}
}
