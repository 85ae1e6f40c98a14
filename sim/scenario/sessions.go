package scenario

import "httpsim/sim/tls"

// sessionCache is a TLS client's cache of sessions with one server: the
// browser's with the origin, or an edge's with its origin. A connection
// opened after an earlier one established a session resumes it instead of
// doing a full handshake, as browsers do: no certificate, and with TLS 1.2
// one round trip less. HTTP/1.0's connection per request resumed none.
// A scenario with tls.resume set starts with sessions from an earlier
// visit instead and does not need this.
type sessionCache struct {
	conns []*tls.Conn // the client ends opened, in order
	used  int         // TLS 1.3 tickets taken
}

// take reports whether a new connection of version v can resume a session,
// and takes a TLS 1.3 ticket for it: a ticket serves one connection (RFC
// 8446 Appendix C.4: clients "SHOULD NOT reuse a ticket for multiple
// connections"). A TLS 1.2 session is resumed by its ID as often as the
// client likes (RFC 5246 §7.3) once its handshake has completed.
func (c *sessionCache) take(v tls.Version) bool {
	switch v {
	case tls.TLS12:
		for _, t := range c.conns {
			if t.HandshakeComplete() {
				return true
			}
		}
	case tls.TLS13:
		n := 0
		for _, t := range c.conns {
			n += t.TicketsReceived()
		}
		if n > c.used {
			c.used++
			return true
		}
	}
	return false
}
