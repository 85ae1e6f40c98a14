package scenario

import (
	"strings"
	"testing"

	"httpsim/sim/tls"
	"httpsim/sim/trace"
)

// TestLaterConnectionsResumeSessions checks the browser's session cache:
// with HTTP/1.0's connection per request, the connections opened after
// the first handshake resume its session (RFC 8446 §2.2: a ticket per
// connection; RFC 5246 §7.3: the session ID) instead of doing a full
// handshake with a certificate every time, and a TLS 1.3 ticket serves
// one connection only (RFC 8446 Appendix C.4).
func TestLaterConnectionsResumeSessions(t *testing.T) {
	for _, v := range []tls.Version{tls.TLS12, tls.TLS13} {
		s := Page()
		s.TLS.Version = v
		s.H1.HTTP10 = true
		run := runPage(t, s)
		// The connections whose server sent a handshake, and those of
		// them whose server sent a certificate.
		conns, full := map[int32]bool{}, map[int32]bool{}
		tickets := 0
		for _, e := range run.Log.Events() {
			if e.Kind != trace.RecordCreated || e.Name != "handshake" || e.Side != trace.Server {
				continue
			}
			conns[e.Conn] = true
			if strings.Contains(e.Value, "Certificate,") {
				full[e.Conn] = true
			}
			tickets += strings.Count(e.Value, "NewSessionTicket")
		}
		nFull, nResumed := len(full), len(conns)-len(full)
		if nFull == 0 || nFull > 6 || nResumed < 24 {
			t.Errorf("TLS %s, HTTP/1.0: %d full handshakes, %d resumed, of %d connections; want one for each connection opened before the first session, the rest resumed", v, nFull, nResumed, len(conns))
		}
		if v == tls.TLS13 && nResumed > tickets {
			t.Errorf("TLS 1.3: %d connections resumed with %d tickets; a ticket serves one", nResumed, tickets)
		}
		t.Logf("TLS %s: %d full, %d resumed; %d tickets sent", v, nFull, nResumed, tickets)
	}
}
