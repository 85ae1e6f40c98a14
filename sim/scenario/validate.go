package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"httpsim/sim/link"
	"httpsim/sim/quic"
	"httpsim/sim/tcp"
	"httpsim/sim/tls"
	"httpsim/sim/units"
)

// Validate checks the scenario and reports every problem, each naming its
// field by its path in the scenario document (docs/scenarios.md), what was
// found and the range allowed.
func (s *Scenario) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	// under prefixes every problem reported by a part's own Validate.
	under := func(prefix string, err error) {
		for _, e := range flatten(err) {
			errs = append(errs, fmt.Errorf("%s%v", prefix, e))
		}
	}
	// Paragraphs: a line break is text in an explanation.
	explanation := func(t string) string { return strings.ReplaceAll(t, "\n", " ") }
	texts := [][2]string{{"name", s.Name}, {"title.en", s.Title.EN}, {"title.zh", s.Title.ZH},
		{"explanation.en", explanation(s.Explanation.EN)}, {"explanation.zh", explanation(s.Explanation.ZH)}}
	for i, v := range s.Variants {
		at := fmt.Sprintf("variants[%d].", i)
		texts = append(texts, [2]string{at + "name", v.Name}, [2]string{at + "label.en", v.Label.EN}, [2]string{at + "label.zh", v.Label.ZH})
	}
	for _, t := range texts {
		if err := plainText(t[0], t[1]); err != nil {
			errs = append(errs, err)
		}
	}
	n := s.Network
	if n.RTT < 0 || n.RTT > 20*time.Second {
		bad("network.rtt: %v is out of range (0 to 20s)", n.RTT)
	}
	if n.Bandwidth <= 0 || n.Bandwidth > 100*units.Gbps {
		bad("network.bandwidth: %v is out of range (1bps to 100Gbps)", n.Bandwidth)
	}
	if n.QueueBytes != 0 && (n.QueueBytes < 1500 || n.QueueBytes > 1<<30) {
		bad("network.queue: %v is out of range (1500B to 1GB; 0 for one bandwidth-delay product)", units.Size(n.QueueBytes))
	}
	for i, at := range n.ServerResets {
		if at < 0 || at > 24*time.Hour {
			bad("network.server_resets[%d]: %v is out of range (0 to 24h)", i, at)
		}
	}
	var prev time.Duration
	for i, pc := range n.PathChanges {
		at := fmt.Sprintf("network.path_changes[%d]", i)
		switch {
		case pc.At <= 0 || pc.At > 24*time.Hour:
			bad("%s.at: %v is out of range (after 0, up to 24h)", at, pc.At)
		case pc.At <= prev:
			bad("%s.at: %v is not after the previous change (%v); list changes in time order", at, pc.At, prev)
		}
		prev = pc.At
		if pc.RTT < 0 || pc.RTT > 20*time.Second {
			bad("%s.rtt: %v is out of range (0 to 20s)", at, pc.RTT)
		}
		if pc.Bandwidth < 0 || pc.Bandwidth > 100*units.Gbps {
			bad("%s.bandwidth: %v is out of range (1bps to 100Gbps)", at, pc.Bandwidth)
		}
		if pc.Down != nil {
			under(at+".down.", link.ValidateImpairments(pc.Down.Loss, pc.Down.Drop, pc.Down.Outages))
		}
		if pc.Up != nil {
			under(at+".up.", link.ValidateImpairments(pc.Up.Loss, pc.Up.Drop, pc.Up.Outages))
		}
	}
	if len(n.PathChanges) > 0 && s.Workload != WorkloadPage {
		bad("network.path_changes: path changes apply to page workloads only")
	}
	under("network.down.", link.ValidateImpairments(n.Down.Loss, n.Down.Drop, n.Down.Outages))
	under("network.up.", link.ValidateImpairments(n.Up.Loss, n.Up.Drop, n.Up.Outages))
	if e := n.Edge; e != nil {
		if e.RTT < 0 || e.RTT > 20*time.Second {
			bad("network.edge.rtt: %v is out of range (0 to 20s)", e.RTT)
		}
		if e.Bandwidth <= 0 || e.Bandwidth > 100*units.Gbps {
			bad("network.edge.bandwidth: %v is out of range (1bps to 100Gbps)", e.Bandwidth)
		}
		under("network.edge.", e.Loss.Validate())
		if e.Protocol != "h1" && e.Protocol != "h2" {
			bad("network.edge.protocol: %s is not a protocol for the edge to speak to the origin (use h1 or h2)", units.Quote(e.Protocol))
		}
		if s.Workload != WorkloadPage {
			bad("network.edge: an edge serves page workloads only")
		}
	}
	under("tcp.", s.TCP.Validate())
	// A full segment or datagram would never fit the queue: every one
	// dropped, for ever. Each transport's own size counts only if a
	// protocol of the run uses it.
	usesTCP := s.Workload != WorkloadPage || s.pageOverTCP()
	if seg := s.TCP.MSS + tcp.IPv4HeaderLen + tcp.TCPHeaderLen; usesTCP && n.QueueBytes != 0 && n.QueueBytes < seg {
		bad("network.queue: %v is smaller than one full segment (tcp.mss %d + %d bytes of headers)", units.Size(n.QueueBytes), s.TCP.MSS, seg-s.TCP.MSS)
	}
	if dg := s.QUIC.MaxDatagramSize + quic.DatagramOverhead; s.Workload == WorkloadPage && slices.Contains(s.Protocols, "h3") && n.QueueBytes != 0 && n.QueueBytes < dg {
		bad("network.queue: %v is smaller than one full datagram (quic.max_datagram_size %d + %d bytes of headers)", units.Size(n.QueueBytes), s.QUIC.MaxDatagramSize, quic.DatagramOverhead)
	}
	switch s.Workload {
	case WorkloadBulk:
		b := s.Bulk
		if b.Size < 0 || b.Size > 100*units.GB {
			bad("workload.size: %v is out of range (1B to 100GB)", b.Size)
		}
		if b.Duration < 0 || b.Duration > 24*time.Hour {
			bad("workload.duration: %v is out of range (0 to 24h)", b.Duration)
		}
		switch {
		case b.Size == 0 && b.Duration == 0:
			bad("workload: give a size (1B to 100GB) or a duration (up to 24h)")
		case b.Size > 0 && b.Duration > 0:
			bad("workload.duration: %v with a size of %v: a transfer ends when its size is delivered; give the size or the duration, not both", b.Duration, b.Size)
		}
	case WorkloadPage:
		if s.Page == nil {
			bad("workload.page: a page workload needs a page")
		} else {
			under("workload.", s.Page.Validate())
		}
		if a := s.Visit.Age; a != nil && (*a < 0 || *a > 10*365*24*time.Hour) {
			bad("workload.visit.age: %v is out of range (0 to 10 years)", *a)
		}
		if len(s.Protocols) == 0 {
			bad("protocols: none given (use %s)", strings.Join(protocolNames, ", "))
		}
		for i, p := range s.Protocols {
			if !knownProtocol(p) {
				bad("protocols[%d]: %s is not a protocol (use %s)", i, units.Quote(p), strings.Join(protocolNames, ", "))
			}
			for j := range i {
				if s.Protocols[j] == p {
					bad("protocols[%d]: %s is protocols[%d] already; list each once", i, units.Quote(p), j)
					break
				}
			}
		}
		under("h1.", s.H1.Validate())
		under("h2.", s.H2.Validate())
		under("h3.", s.H3.Validate())
		// QUIC takes resumption and 0-RTT from the TLS block, which
		// reports their problems under their own paths; checked again as
		// QUIC's, they were said twice, once under quic.* fields that do
		// not exist.
		q := s.quicConfig()
		q.Resume, q.EarlyData, q.RejectEarlyData = false, false, false
		under("quic.", q.Validate())
		under("tls.", s.TLS.Validate())
		if s.TLS.Version == tls.None {
			// TLS's own checks stop at "none", but HTTP/3 still reads
			// resume and 0-RTT from the block (QUIC always runs TLS 1.3):
			// its rules apply, under the block's paths.
			q = quic.DefaultConfig()
			q.Resume, q.EarlyData, q.RejectEarlyData = s.TLS.Resume, s.TLS.EarlyData, s.TLS.RejectEarlyData
			under("tls.", q.Validate())
		}
	case WorkloadUpdates:
		under("workload.", s.Updates.Validate())
		under("tls.", s.TLS.Validate())
	default:
		bad("workload.kind: %s is not a workload (use bulk, page or updates)", units.Quote(string(s.Workload)))
	}
	// Plain HTTP over TCP has no session to resume and no 0-RTT: only
	// HTTP/3 reads them with version none (QUIC's own TLS 1.3, RFC 9001
	// §4.6). With no run over HTTP/3 they were ignored without a word.
	if s.TLS.Version == tls.None && (s.TLS.Resume || s.TLS.EarlyData) && s.Workload != WorkloadBulk && !slices.Contains(s.Protocols, "h3") {
		field := "tls.early_data"
		if !s.TLS.EarlyData {
			field = "tls.resume"
		}
		bad("%s: plain HTTP (tls.version none) has no TLS session to resume; only HTTP/3's QUIC does, and no run uses h3", field)
	}
	// A TLS 1.3 session ticket, HTTP/3's included (RFC 9001 §4.5), lives at
	// most seven days (tls.MaxTicketLifetime): a repeat visit later than
	// that makes a full handshake, with no ticket to resume with. TLS 1.2's
	// session IDs have no such limit (RFC 5246 §F.1.4 suggests 24 hours).
	if s.TicketExpired() && (s.TLS.Resume || s.TLS.EarlyData) {
		field := "tls.early_data"
		if s.TLS.Resume {
			field = "tls.resume"
		}
		// Over TLS 1.2 only HTTP/3 has the ticket: say that the runs over
		// TCP could resume on their own.
		alone := ""
		if s.TLS.Version == tls.TLS12 && s.pageOverTCP() {
			alone = ", and HTTP/3's QUIC would resume with one (without h3 among the protocols, the TLS 1.2 runs over TCP could resume)"
		}
		bad("%s: the repeat visit comes %v after the first (workload.visit.age), but a TLS 1.3 session ticket lives at most 7 days (RFC 8446 §4.6.1)%s; leave %s out for the full handshake a browser makes then", field, *durString(s.Visit.Since()), alone, field)
	}
	if len(s.Variants) > 0 && s.Workload == WorkloadBulk {
		bad("variants: a bulk workload has no variants")
	}
	for i, v := range s.Variants {
		switch {
		case v.Scenario == nil:
			bad("variants[%d]: %s has no scenario", i, units.Quote(v.Name))
		case v.Scenario.Workload != s.Workload:
			bad("variants[%d]: %s is a %s workload; want the scenario's, %s", i, units.Quote(v.Name), v.Scenario.Workload, s.Workload)
		}
	}
	switch o := s.OpensAt; {
	case o.Kind > OpensAtTime:
		bad("opens_at: %v is not end, held or a time", o.Kind)
	case o.Kind == OpensAtTime && (o.At < 0 || o.At > 24*time.Hour):
		bad("opens_at: %v is out of range (0 to 24h)", o.At)
	}
	if s.Limits.MaxTime < 0 || s.Limits.MaxTime > 24*time.Hour {
		bad("limits.max_time: %v is out of range (0 for the default, up to 24h)", s.Limits.MaxTime)
	}
	if s.Limits.MaxEvents < 0 || s.Limits.MaxEvents > 2_000_000_000 {
		bad("limits.max_events: %d is out of range (0 for the default, up to 2000000000)", s.Limits.MaxEvents)
	}
	return errors.Join(errs...)
}

// flatten lists the errors joined in err (errors.Join), in order.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// Problems lists every problem Validate (or Decode) found, one per line.
func Problems(err error) []string {
	var out []string
	for _, e := range flatten(err) {
		out = append(out, e.Error())
	}
	return out
}

// ControlCharacter reports whether r has no place in a name or a text: a C0
// or C1 control or DEL, the line and paragraph separators (U+2028,
// U+2029), or a bidirectional formatting character (U+202A–U+202E,
// U+2066–U+2069). Printed by httpsim show, an escape sequence in a title
// reached the terminal; the page shows text as text, but a direction
// override reverses what follows it, and a separator broke a saved name's
// line in the list.
func ControlCharacter(r rune) bool {
	return unicode.IsControl(r) || r >= 0x2028 && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// plainText names field's first control character (ControlCharacter) and
// its place in characters; nil if text has none.
func plainText(field, text string) error {
	i := 0
	for _, r := range text {
		if ControlCharacter(r) {
			return fmt.Errorf("%s: has a control character (U+%04X, character %d); write plain text", field, r, i+1)
		}
		i++
	}
	return nil
}

// TicketExpired reports whether s is a repeat visit made longer after the
// first than a TLS 1.3 session ticket lives (tls.MaxTicketLifetime), with a
// run that would resume with one: TLS 1.3 over TCP, or HTTP/3 (QUIC's TLS
// 1.3 whatever tls.version says). Its connections cannot resume the first
// visit's session.
func (s *Scenario) TicketExpired() bool {
	if s.Workload != WorkloadPage || !s.Visit.Repeat || s.Visit.Since() <= tls.MaxTicketLifetime {
		return false
	}
	return s.TLS.Version == tls.TLS13 && s.pageOverTCP() || slices.Contains(s.Protocols, "h3")
}

// pageOverTCP reports whether a page's protocols include one over TCP
// (every one but h3).
func (s *Scenario) pageOverTCP() bool {
	return slices.ContainsFunc(s.Protocols, func(p string) bool { return p != "h3" })
}
