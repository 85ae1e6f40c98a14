package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/tls"
	"httpsim/sim/units"
	"httpsim/sim/updates"
	"httpsim/sim/web"
)

// resourceJSON is one row of a page run's waterfall.
type resourceJSON struct {
	URL         string   `json:"url"`
	Status      int      `json:"status"`
	Conn        int32    `json:"conn"`
	Stream      int64    `json:"stream"`
	Cache       string   `json:"cache,omitempty"`
	QueuedMs    *float64 `json:"queued_ms"`
	StartMs     *float64 `json:"start_ms"`
	FirstByteMs *float64 `json:"first_byte_ms"`
	DoneMs      *float64 `json:"done_ms"`
	Bytes       int64    `json:"bytes"`
	HOLMs       float64  `json:"hol_ms"`
	LossDelayMs float64  `json:"loss_delay_ms"`
	Retries     int      `json:"retries,omitempty"`
	Failed      string   `json:"failed,omitempty"`
	// Unexpected: answered with a status the page does not declare (a
	// simulated server's own error).
	Unexpected bool `json:"unexpected,omitempty"`
}

type wireJSON struct {
	Total         int64 `json:"total"`
	TCPIP         int64 `json:"tcp_ip"`
	TLS           int64 `json:"tls"`
	Headers       int64 `json:"http_headers"`
	Bodies        int64 `json:"bodies"`
	Retransmitted int64 `json:"retransmitted"`
}

// edgeJSON counts a CDN edge's answers (X-Cache), for runs through one.
type edgeJSON struct {
	Hits        int `json:"hits"`
	Misses      int `json:"misses"`
	Revalidated int `json:"revalidated"`
}

type runJSON struct {
	Variant     string   `json:"variant,omitempty"`
	Proto       string   `json:"proto"`
	Status      string   `json:"status"`
	PLTMs       *float64 `json:"plt_ms"`
	Events      int64    `json:"events"`
	TraceEvents int64    `json:"trace_events"`
	TraceHash   string   `json:"trace_hash"`
	BytesOnWire int64    `json:"bytes_on_wire"`
	PacketsSent int64    `json:"packets_sent"`
	PacketsLost int64    `json:"packets_lost"`
	QueueLost   int64    `json:"packets_lost_queue_full"`
	Retransmits int64    `json:"retransmits"`
	Connections int      `json:"connections"`
	HeaderBytes int64    `json:"header_bytes"`
	HeaderRaw   int64    `json:"header_bytes_uncompressed"`
	HOLMs       float64  `json:"hol_ms"`
	// HOLByCauseMs splits hol_ms by cause (web.HOLCause's names:
	// transport, http, qpack, handshake), only the causes with time; the
	// causes can add up to more than hol_ms, where a resource waited for
	// two at once.
	HOLByCauseMs map[string]float64 `json:"hol_by_cause_ms,omitempty"`
	LossDelayMs  float64            `json:"loss_delay_ms"`
	Wire         wireJSON           `json:"wire"`
	Edge         *edgeJSON          `json:"edge,omitempty"`
	Resources    []resourceJSON     `json:"resources"`
	// Updates is an updates run's result: each event's latency, the
	// requests and the empty answers (plt_ms is then when the last update
	// arrived).
	Updates *updates.Result `json:"updates,omitempty"`
}

type pageResultJSON struct {
	Scenario string    `json:"scenario"`
	Seed     uint64    `json:"seed"`
	Status   string    `json:"status"`
	Events   int64     `json:"events"`
	Runs     []runJSON `json:"runs"`
}

func msPtr(t sim.Time) *float64 {
	if t == sim.Never {
		return nil
	}
	v := t.Ms()
	return &v
}

func pageJSON(r *scenario.Result) pageResultJSON {
	out := pageResultJSON{Scenario: r.Scenario, Seed: r.Seed, Status: r.Status, Events: r.Events}
	for _, run := range r.Runs {
		j := runJSON{Variant: run.Variant, Proto: run.Proto, Status: run.Status, Events: run.Events, TraceEvents: run.TraceEvents, TraceHash: run.TraceHash,
			BytesOnWire: run.Wire.Total, PacketsSent: run.PacketsSent, PacketsLost: run.PacketsLost, QueueLost: run.PacketsLostQueue,
			Retransmits: run.Retransmits, Connections: run.Connections, HOLMs: ms(run.HOL), LossDelayMs: ms(run.LossDelay),
			HeaderBytes: run.HeaderBytes, HeaderRaw: run.HeaderUncompressed,
			Wire: wireJSON{run.Wire.Total, run.Wire.TCPIP, run.Wire.TLS, run.Wire.Headers, run.Wire.Bodies, run.Wire.Retransmitted}}
		if run.EdgeHits+run.EdgeMisses+run.EdgeRevalidated > 0 {
			j.Edge = &edgeJSON{run.EdgeHits, run.EdgeMisses, run.EdgeRevalidated}
		}
		for c, d := range run.HOLBy {
			if d > 0 {
				if j.HOLByCauseMs == nil {
					j.HOLByCauseMs = map[string]float64{}
				}
				j.HOLByCauseMs[web.HOLCause(c).String()] = ms(d)
			}
		}
		if run.PLT >= 0 {
			v := ms(run.PLT)
			j.PLTMs = &v
		}
		j.Updates = run.Updates
		j.Resources = []resourceJSON{}
		for _, x := range run.Resources {
			if !x.Requested {
				continue
			}
			j.Resources = append(j.Resources, resourceJSON{URL: x.URL, Status: x.Status, Conn: x.Conn, Stream: x.Stream,
				Cache: x.Cache, QueuedMs: msPtr(x.Discovered), StartMs: msPtr(x.Sent), FirstByteMs: msPtr(x.FirstByte),
				DoneMs: msPtr(x.Done), Bytes: x.HeaderBytes + x.BodyBytes, HOLMs: ms(x.HOL), LossDelayMs: ms(x.LossDelay),
				Retries: x.Retries, Failed: x.Failed, Unexpected: x.Unexpected})
		}
		out.Runs = append(out.Runs, j)
	}
	return out
}

// lossLabel gives the random loss rate, each direction's when they differ.
func lossLabel(s *scenario.Scenario) string {
	n := s.Network
	down, up := rateLabel(n.Down.Loss), rateLabel(n.Up.Loss)
	label := down + " down, " + up + " up"
	if down == up {
		label = down
	}
	// Scripted losses, which the rates leave out.
	var scripted []string
	if d := scriptedText(n.Down); d != "" {
		scripted = append(scripted, "down: "+d)
	}
	if u := scriptedText(n.Up); u != "" {
		scripted = append(scripted, "up: "+u)
	}
	if len(scripted) > 0 {
		label += " (" + strings.Join(scripted, "; ") + ")"
	}
	return label
}

// rateLabel gives a direction's random loss rate, and the mean burst when
// losses come in bursts (Gilbert–Elliott): the loss-sweep lesson's random
// and bursty 2 % differ in nothing else.
func rateLabel(l link.Loss) string {
	if l.Model == link.Burst && l.Rate > 0 {
		return fmt.Sprintf("%s in bursts of %s packets on average", units.Percent(l.Rate), strconv.FormatFloat(l.MeanBurst, 'f', -1, 64))
	}
	return units.Percent(l.Rate)
}

// securityLabel says what secures a run of proto under s: s's TLS over
// TCP, or QUIC's own TLS 1.3 (RFC 9001), whose version no setting changes,
// and whether the session is resumed or sends 0-RTT data.
// The label is its version and how, apart: "TLS 1.3" and ", 0-RTT".
func securityLabel(s *scenario.Scenario, proto string) (version, how string) {
	version = "TLS " + string(s.TLS.Version)
	switch {
	case proto == "h3":
		version = "TLS 1.3 in QUIC"
	case s.TLS.Version == tls.None:
		return "no TLS", ""
	}
	switch {
	case s.TLS.RejectEarlyData:
		how = ", 0-RTT rejected"
	case s.TLS.EarlyData:
		how = ", 0-RTT"
	case s.TLS.Resume:
		how = ", resumed"
	}
	return version, how
}

// runSettings are the settings the header of a page run's output names,
// as each run had them: a scenario's variants may change any of them (the
// loss-sweep lesson's loss, the handshakes lesson's TLS).
type runSettings struct {
	// load is what the run loads: "30 resources", or an updates
	// scenario's "40 updates"; a variant may load its own page.
	load       string
	path, loss string
	// version and how are the run's security (securityLabel).
	version, how string
}

func (x runSettings) security() string { return x.version + x.how }

func settingsOf(s *scenario.Scenario, run *scenario.ProtocolRun) runSettings {
	v := ranScenario(s, run.Variant)
	n := v.Network
	path := fmt.Sprintf("over %v, RTT %v", n.BrowserBandwidth(), n.BrowserRTT())
	if n.HasEdge() {
		// The edge's own leg sets a miss's time as much as the
		// browser's (cache-location's edge-miss took almost as long as
		// the origin 170 ms away).
		path = fmt.Sprintf("over %v, RTT %v to the edge and %v on to the origin", n.BrowserBandwidth(), n.BrowserRTT(), n.Edge.RTT)
	}
	path += pathChanges(n.PathChanges, run.PLT)
	version, how := securityLabel(v, run.Proto)
	var load string
	switch {
	case v.Workload == scenario.WorkloadUpdates:
		load = counted(v.Updates.NumEvents(), "update") // no page of resources
	case v.Page != nil:
		load = counted(len(v.Page.Resources), "resource")
	}
	return runSettings{load: load, path: path, loss: "loss " + lossLabel(v), version: version, how: how}
}

// pathChanges names the moves of a path (" (from 600ms: RTT 60ms,
// 8Mbps)"), and one after the page loaded (plt, if it did) as changing
// nothing of the load: --migrate-at 10s on a page done at 1.4 s said
// nothing at all.
func pathChanges(changes []scenario.PathChange, plt time.Duration) string {
	var moves []string
	for _, pc := range changes {
		var to []string
		if pc.RTT > 0 {
			to = append(to, fmt.Sprintf("RTT %v", pc.RTT))
		}
		if pc.Bandwidth > 0 {
			to = append(to, pc.Bandwidth.String())
		}
		if pc.Down != nil || pc.Up != nil {
			to = append(to, "its own loss")
		}
		if len(to) == 0 {
			to = append(to, "a new path")
		}
		move := fmt.Sprintf("from %v: %s", pc.At, strings.Join(to, ", "))
		if plt >= 0 && pc.At >= plt {
			move += ", after the page loaded"
		}
		moves = append(moves, move)
	}
	if len(moves) == 0 {
		return ""
	}
	return " (" + strings.Join(moves, "; ") + ")"
}

// settingsHeader names in the header the settings that all runs share,
// and returns for each run the ones that differ, which its own line
// names. Over TCP and QUIC, runs that differ only in that are summed up
// as before: "TLS 1.3 over TCP, TLS 1.3 in QUIC".
func settingsHeader(s *scenario.Scenario, r *scenario.Result) (header string, perRun []string) {
	// header: "30 resources over 10Mbps, RTT 100ms, loss 0%, TLS 1.3, "
	// with what all runs share.
	sets := make([]runSettings, len(r.Runs))
	for i, run := range r.Runs {
		sets[i] = settingsOf(s, run)
	}
	same := func(f func(runSettings) string, keep func(*scenario.ProtocolRun) bool) (string, bool) {
		first, found := "", false
		for i, run := range r.Runs {
			if !keep(run) {
				continue
			}
			if !found {
				first, found = f(sets[i]), true
			} else if f(sets[i]) != first {
				return "", false
			}
		}
		return first, true
	}
	all := func(*scenario.ProtocolRun) bool { return true }
	load, sameLoad := same(func(x runSettings) string { return x.load }, all)
	path, samePath := same(func(x runSettings) string { return x.path }, all)
	loss, sameLoss := same(func(x runSettings) string { return x.loss }, all)
	overTCP, sameTCP := same(runSettings.security, func(run *scenario.ProtocolRun) bool { return run.Proto != "h3" })
	inQUIC, sameQUIC := same(runSettings.security, func(run *scenario.ProtocolRun) bool { return run.Proto == "h3" })
	// The base's page said "30 resources" over bundling's variants of
	// 61 and 22.
	var lead []string
	if sameLoad {
		lead = append(lead, load)
	}
	if samePath {
		lead = append(lead, path)
	}
	header = strings.Join(lead, " ")
	var parts []string
	if sameLoss {
		parts = append(parts, loss)
	}
	sameSecurity := sameTCP && sameQUIC
	switch {
	case !sameSecurity:
	case overTCP != "" && inQUIC != "":
		// "TLS 1.3 over TCP, TLS 1.3 in QUIC, 0-RTT": the session's
		// resumption and early data are the same setting for both.
		tcp, quic := sets[slices.IndexFunc(r.Runs, func(run *scenario.ProtocolRun) bool { return run.Proto != "h3" })],
			sets[slices.IndexFunc(r.Runs, func(run *scenario.ProtocolRun) bool { return run.Proto == "h3" })]
		overTCP := tcp.version + " over TCP"
		if tcp.version == "no TLS" {
			overTCP = "TCP without TLS"
		}
		if tcp.how == quic.how {
			parts = append(parts, overTCP+", "+quic.version+quic.how)
		} else {
			parts = append(parts, overTCP+tcp.how+", "+quic.security())
		}
	default:
		parts = append(parts, overTCP+inQUIC)
	}
	perRun = make([]string, len(r.Runs))
	for i := range r.Runs {
		// "61 resources over 10Mbps, RTT 100ms", as the header has it.
		var lead []string
		if !sameLoad {
			lead = append(lead, sets[i].load)
		}
		if !samePath {
			lead = append(lead, sets[i].path)
		}
		var own []string
		if len(lead) > 0 {
			own = append(own, strings.Join(lead, " "))
		}
		if !sameLoss {
			own = append(own, sets[i].loss)
		}
		if !sameSecurity {
			own = append(own, sets[i].security())
		}
		if len(own) > 0 {
			perRun[i] = " (" + strings.Join(own, ", ") + ")"
		}
	}
	for _, p := range parts {
		if header != "" {
			header += ", "
		}
		header += p
	}
	if header != "" {
		header += ", "
	}
	return header, perRun
}

func fmtMs(t sim.Time) string {
	if t == sim.Never {
		return "-"
	}
	return strconv.FormatFloat(t.Ms(), 'f', 1, 64)
}

// printable returns text as it is, or quoted (strconv.Quote) when it holds
// a character a terminal would act on rather than show: a scenario file's
// name with U+202E (right-to-left override) turned the rest of the line
// around.
func printable(text string) string {
	if strings.IndexFunc(text, func(r rune) bool { return !strconv.IsPrint(r) }) >= 0 {
		return strconv.Quote(text)
	}
	return text
}

func fmtDur(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64) }

func printPage(w io.Writer, s *scenario.Scenario, r *scenario.Result) {
	header, perRun := settingsHeader(s, r)
	fmt.Fprintf(w, "scenario %s: %sseed %d\n", printable(r.Scenario), header, r.Seed)
	retried, failed, unexpected := false, false, false
	// The URL column fits the longest URL up to urlMax characters; a
	// longer one is cut with an ellipsis.
	urlWidth := 24
	for _, run := range r.Runs {
		for _, x := range run.Resources {
			if x.Requested {
				urlWidth = max(urlWidth, min(utf8.RuneCountInString(x.URL), urlMax))
			}
		}
	}
	for i, run := range r.Runs {
		plt := "not loaded (" + run.Status + ")"
		if run.PLT >= 0 {
			plt = fmtDur(run.PLT) + " ms"
		}
		// Over QUIC a packet here is a UDP datagram (packets coalesced in
		// one count once), as the page's summary says.
		packets := "packets"
		if run.Proto == "h3" {
			packets = "UDP datagrams"
		}
		fmt.Fprintf(w, "\n%s%s: page load time %s, %s, %d %s (%d lost, %d of them to a full queue; %d retransmitted), summed over resources: HoL %s ms, %s %s ms\n",
			runLabel(run), perRun[i], plt, counted(run.Connections, "connection"), run.PacketsSent, packets, run.PacketsLost, run.PacketsLostQueue, run.Retransmits, fmtDur(run.HOL), ownLossName, fmtDur(run.LossDelay))
		// Over QUIC the transport's share is UDP, IP and QUIC's packet
		// and frame headers (scenario.WireBytes.TCPIP).
		transport := "TCP/IP"
		if run.Proto == "h3" {
			transport = "UDP/IP and QUIC"
		}
		hops := ""
		if throughEdge(s, run.Variant) {
			hops = " (both hops: browser to edge, edge to origin)"
		}
		// HTTP's share is its header sections and its framing: HTTP/2's
		// and HTTP/3's frame headers, HTTP/1.1's chunk sizes
		// (scenario.WireBytes.Headers); "header bytes" below are the
		// sections alone.
		fmt.Fprintf(w, "  bytes on the wire%s %d = %s %d + TLS %d + HTTP headers and framing %d + bodies %d + retransmitted %d\n",
			hops, run.Wire.Total, transport, run.Wire.TCPIP, run.Wire.TLS, run.Wire.Headers, run.Wire.Bodies, run.Wire.Retransmitted)
		fmt.Fprintf(w, "  header bytes%s %d on the wire (%d as HTTP/1.1 text); trace %s (%d trace events)\n", hops, run.HeaderBytes, run.HeaderUncompressed, run.TraceHash, run.TraceEvents)
		edge := false
		for _, x := range run.Resources {
			edge = edge || x.Edge != ""
		}
		head := fmt.Sprintf("  %s %6s %4s %9s %9s %9s %9s %8s %7s %8s", padURL("url", urlWidth), "status", "conn", "queued", "start", "1st byte", "done", "bytes", "hol", "own-loss")
		if edge {
			head += "  x-cache"
		}
		fmt.Fprintln(w, head)
		var failures []string
		for _, x := range run.Resources {
			if !x.Requested {
				continue
			}
			status := strconv.Itoa(x.Status) + cacheMark(x.Cache)
			done := x.Done
			switch {
			case x.Failed != "":
				// It ended without a response: no status, no
				// completion; when and why are said under the table.
				status, done, failed = "failed", sim.Never, true
				failures = append(failures, fmt.Sprintf("  failed: %s at %s ms, %s", printable(x.URL), fmtMs(x.Done), x.Failed))
			case x.Unexpected:
				status += "!"
				unexpected = true
			}
			// A retried request's start and first byte are its first
			// attempt's and its connection the last's: after a move the
			// retry's connection opened long after that start.
			conn := strconv.Itoa(int(x.Conn))
			if x.Conn < 0 {
				conn = "-" // no connection carried it (the browser's cache answered)
			}
			if x.Retries > 0 {
				conn += "r"
				retried = true
			}
			line := fmt.Sprintf("  %s %6s %4s %9s %9s %9s %9s %8d %7s %8s", padURL(printable(x.URL), urlWidth), status, conn, fmtMs(x.Discovered),
				fmtMs(x.Sent), fmtMs(x.FirstByte), fmtMs(done), x.HeaderBytes+x.BodyBytes, fmtDur(x.HOL), fmtDur(x.LossDelay))
			if edge {
				// "-": no X-Cache of its own (the browser's cache
				// answered, or it is a redirect's body the edge
				// followed, ^).
				line += "  " + cmp.Or(x.Edge, "-")
			}
			fmt.Fprintln(w, line)
		}
		for _, f := range failures {
			fmt.Fprintln(w, f)
		}
	}
	fmt.Fprint(w, "\n(times in ms; * = served by the browser's cache, + = revalidated (304), ^ = the body of a redirect an edge followed")
	if unexpected {
		fmt.Fprint(w, "; ! = a status the page does not declare: the simulated server's own error")
	}
	if failed {
		fmt.Fprint(w, "; failed = no response: when and why are said under its run's table")
	}
	if retried {
		// The first byte is the first that came: the first attempt's,
		// or, when that attempt got none (its connection was reset
		// before the response), a later attempt's.
		fmt.Fprint(w, "; r = sent again after its connection failed: conn is the last attempt's, start the first's, 1st byte the first that any attempt received")
	}
	fmt.Fprintln(w, ")")
}

// urlMax is the widest the run table's URL column grows.
const urlMax = 40

// padURL pads (or cuts, with an ellipsis) u to width characters: the
// columns after it stay in line whatever its length.
func padURL(u string, width int) string {
	if n := utf8.RuneCountInString(u); n > width {
		return cutMiddle(u, width)
	} else if n < width {
		return u + strings.Repeat(" ", width-n)
	}
	return u
}

// cutMiddle cuts u to width characters with an ellipsis in the middle:
// URLs that differ only at the end (?id=1, ?id=2) printed as the same row
// cut from the end.
func cutMiddle(u string, width int) string {
	r := []rune(u)
	if len(r) <= width {
		return u
	}
	head := (width - 1) / 2
	return string(r[:head]) + "…" + string(r[len(r)-(width-1-head):])
}

// counted is n and noun, plural unless n is 1: "1 connection", "6
// connections".
func counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// throughEdge reports whether the run of s's variant (or of s, for "")
// went through an edge: its byte counts then cross both hops. A variant
// may go to the origin directly (Bypass).
func throughEdge(s *scenario.Scenario, variant string) bool {
	e := ranScenario(s, variant).Network.Edge
	return e != nil && !e.Bypass
}

// ranScenario is the scenario a run of s's variant ran: the variant's, or
// s for none (a variant may set its own network, loss, edge).
func ranScenario(s *scenario.Scenario, variant string) *scenario.Scenario {
	for _, v := range s.Variants {
		if v.Name == variant {
			return v.Scenario
		}
	}
	return s
}

// cacheMark is the status column's mark for how the browser got a
// resource (web.ResourceRun.Cache): a strong cache hit is not a 304.
func cacheMark(cache string) string {
	switch {
	case cache == "":
		return ""
	case cache == "fresh":
		return "*"
	case cache == "revalidated":
		return "+"
	default: // "via URL"
		return "^"
	}
}
