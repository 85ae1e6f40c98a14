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
	// Every Connection field line counts: repeated lines are one list
	// (RFC 9110 §5.3).
	var listed string
	for _, f := range h {
		if f.Name == "connection" {
			listed += "," + f.Value
		}
	}
	out := make([]Field, 0, len(h))
	for _, f := range h {
		if !isHopByHop(f.Name, listed) {
			out = append(out, f)
		}
	}
	return out
}

// isHopByHop reports whether a field named name belongs to one connection:
// one of RFC 9110 §7.6.1's, or named by the message's Connection field
// (listed, a comma-separated list of lowercase or mixed-case options).
func isHopByHop(name, listed string) bool {
	switch name {
	case "connection", "proxy-connection", "keep-alive", "te", "transfer-encoding", "upgrade":
		return true
	}
	for listed != "" {
		var option string
		option, listed, _ = strings.Cut(listed, ",")
		if strings.EqualFold(strings.TrimSpace(option), name) {
			return true
		}
	}
	return false
}
