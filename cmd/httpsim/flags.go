package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/tls"
	"httpsim/sim/units"
)

// scenarioFlags are the flags that choose a scenario and change it; run,
// compare and sweep share them. Only flags the user set change anything,
// and they change the scenario's variants too.
type scenarioFlags struct {
	fs  *flag.FlagSet
	set map[string]bool
	// everyProtocol: the command runs every protocol of a page scenario
	// without variants unless --proto says otherwise (compare).
	everyProtocol bool

	scenario, size, duration, loss, lossModel, burst, drop              string
	rtt, bw, mss, delack, minRTO, queue, maxTime, seed                  string
	maxEvents                                                           string
	noSACK                                                              bool
	proto, tlsVersion, conns, scheduler, hpackTable                     string
	qpackTable, certChain, tlsRecord, migrateAt, newRTT, newBW, newLoss string
	zeroRTT, pipelining, http10, repeatVisit, noGzip, push              bool
	rejectZeroRTT                                                       bool

	// url is a page link to run as the page does (pageurl.go); notes are
	// the notices the page shows for it.
	url   string
	notes []string
	// only is the variant a command runs alone (--variant), "" for all:
	// build's notes name no other.
	only string
	// own are the names of the flags declared here, the scenario's.
	own map[string]bool
	// eventCeiling, if not 0, is the most --max-events takes, and
	// eventRange the range an error names (export's, for memory).
	eventCeiling int64
	eventRange   string
}

// newScenarioFlags declares the flags on a new flag set called name.
func newScenarioFlags(name, defaultScenario string) *scenarioFlags {
	f := &scenarioFlags{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	fs := f.fs
	fs.SetOutput(os.Stderr)
	fs.StringVar(&f.scenario, "scenario", defaultScenario, "built-in scenario `name` or scenario file (.json)")
	fs.StringVar(&f.seed, "seed", "", "random `seed`")
	fs.StringVar(&f.rtt, "rtt", "", "round-trip `time`, e.g. 100ms")
	fs.StringVar(&f.bw, "bw", "", "bandwidth `rate` of each direction, e.g. 100Mbps")
	fs.StringVar(&f.queue, "queue", "", "drop-tail queue `size` per direction (default one BDP)")
	fs.StringVar(&f.loss, "loss", "", "random loss `rate`, e.g. 1% (bulk: server to client, data packets; page: both directions)")
	fs.StringVar(&f.lossModel, "loss-model", "", "`model` of random loss: bernoulli or burst (default bernoulli)")
	fs.StringVar(&f.burst, "burst", "", "burst loss: mean burst `length` in packets (default 5)")
	fs.StringVar(&f.drop, "drop", "", "scripted loss: comma-separated `ordinals` of server-to-client data packets")
	fs.StringVar(&f.mss, "mss", "", "TCP maximum segment `size` in bytes")
	fs.BoolVar(&f.noSACK, "no-sack", false, "disable SACK (NewReno recovery)")
	fs.StringVar(&f.delack, "delack", "", "delayed ACKs `on|off`")
	fs.StringVar(&f.minRTO, "min-rto", "", "minimum retransmission `timeout` (default 200ms)")
	fs.StringVar(&f.maxTime, "max-time", "", "stop after this much simulated `time`")
	fs.StringVar(&f.maxEvents, "max-events", "", "stop after this many `events` (0 for the default, up to 2000000000; an export, which keeps every event in memory, stops at 250000 unless given and takes at most 1000000, about 2.4 GB)")
	fs.StringVar(&f.size, "size", "", "bulk: transfer `size`, e.g. 10MB (default 1MB)")
	fs.StringVar(&f.duration, "duration", "", "bulk: run a flow this `long` with no size, e.g. 60s")
	fs.StringVar(&f.proto, "proto", "", "page: `protocols`, comma-separated: "+strings.Join(scenario.Protocols(), ", ")+", or all")
	fs.StringVar(&f.tlsVersion, "tls", "", "page: TLS `version`: none, 1.2 or 1.3 (default 1.3)")
	fs.BoolVar(&f.zeroRTT, "0rtt", false, "page: resume TLS 1.3 (and QUIC) sessions and send requests as 0-RTT early data")
	fs.BoolVar(&f.rejectZeroRTT, "reject-0rtt", false, "page: as --0rtt, but the server rejects the early data; the client sends it again after the handshake")
	fs.StringVar(&f.tlsRecord, "tls-record", "", "page: the largest `size` of plaintext the server seals in one TLS record over TCP (default 16KiB, the most RFC 8446 §5.1 allows)")
	fs.StringVar(&f.certChain, "cert-chain", "", "page: the server's certificate chain `size`, for TLS over TCP and for QUIC (defaults 4000B and 2500B)")
	fs.StringVar(&f.conns, "conns", "", "page: HTTP/1.1 connections per origin (default 6)")
	fs.BoolVar(&f.pipelining, "pipelining", false, "page: HTTP/1.1 pipelining")
	fs.BoolVar(&f.http10, "http1.0", false, "page: HTTP/1.0, a new connection per request")
	fs.BoolVar(&f.repeatVisit, "repeat-visit", false, "page: the browser's cache is warm from a visit an hour ago")
	fs.BoolVar(&f.noGzip, "no-compression", false, "page: the origin sends text uncompressed")
	fs.StringVar(&f.scheduler, "scheduler", "", "page: the `scheduler` that orders the server's responses, over HTTP/2 and HTTP/3 both: seq, rr or urgency (default urgency; the browser's HTTP/3 requests go by urgency whatever it is). The page's \"HTTP/2 scheduler\" control and a link's sched= set HTTP/2's only: --url reproduces the page, --scheduler with HTTP/3 does not")
	fs.StringVar(&f.qpackTable, "qpack-table", "", "page: QPACK dynamic table capacity in `bytes`, a whole number (default 0: static table only)")
	fs.StringVar(&f.migrateAt, "migrate-at", "", "page: the client moves to another network at this `time` (TCP reconnects, QUIC migrates)")
	fs.StringVar(&f.newRTT, "new-rtt", "", "page, with --migrate-at or the scenario's own move: the new path's round-trip `time` (default unchanged)")
	fs.StringVar(&f.newBW, "new-bw", "", "page, with --migrate-at or the scenario's own move: the new path's bandwidth `rate` (default unchanged)")
	fs.StringVar(&f.newLoss, "new-loss", "", "page, with --migrate-at or the scenario's own move: the new path's random loss `rate`, both directions (default unchanged)")
	fs.BoolVar(&f.push, "push", false, "page: HTTP/2 server push of the resources the page marks")
	fs.StringVar(&f.hpackTable, "hpack-table", "", "page: HPACK dynamic table size in `bytes`, a whole number (SETTINGS_HEADER_TABLE_SIZE, default 4096)")
	fs.StringVar(&f.url, "url", "", "a page `link` (or its query, '?s=h2-hol&loss=3'): run what the page shows for it; of the scenario's flags, only --proto (which keeps the link's runs over those protocols), --max-time and --max-events may go with it")
	f.own = map[string]bool{}
	fs.VisitAll(func(fl *flag.Flag) { f.own[fl.Name] = true })
	return f
}

// parse parses args; it returns (exit code, done) when parsing ended the
// command (help, or an error already reported).
func (f *scenarioFlags) parse(args []string, stdout, stderr interface{ Write([]byte) (int, error) }, usage string) (int, bool) {
	if refuseRepeated(f.fs, args, stderr) {
		return 2, true
	}
	f.fs.SetOutput(discard{})
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			f.fs.SetOutput(stdout)
			f.fs.PrintDefaults()
			return 0, true
		}
		fmt.Fprintf(stderr, "%s: %s\n", f.fs.Name(), flagError(err))
		return 2, true
	}
	if f.fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", f.fs.Name(), f.fs.Arg(0))
		return 2, true
	}
	f.set = map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	return 0, false
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// build loads the scenario and applies the flags to it and its variants.
func (f *scenarioFlags) build() (*scenario.Scenario, error) {
	if f.set["url"] {
		if bad := f.urlConflicts(); len(bad) > 0 {
			return nil, fmt.Errorf("--url: the link gives every setting of the run; drop %s (of the scenario's flags, only --proto, --max-time and --max-events may go with it)", strings.Join(bad, ", "))
		}
	}
	s, err := f.load()
	if err != nil {
		return nil, err
	}
	if f.set["url"] && f.set["proto"] {
		// --proto picks among the link's runs (narrowTo) instead of
		// setting every run's protocols, which would make runs the page
		// never shows (the handshakes lesson's QUIC variants over TCP).
		if err := narrowTo(s, f.proto); err != nil {
			return nil, err
		}
	}
	if err := f.apply(s); err != nil {
		return nil, err
	}
	zeroRTT := f.asksZeroRTT()
	if zeroRTT && s.TicketExpired() && len(s.Variants) == 0 {
		f.notes = append(f.notes, fmt.Sprintf("note: %s: the repeat visit comes %v after the first, later than a session ticket lives (7 days, RFC 8446 §4.6.1): it makes a full handshake", f.zeroRTTFlag(), visitAge(s.Visit.Since())))
	}
	for _, v := range s.Variants {
		resumed, early := v.Scenario.TLS.Resume, v.Scenario.TLS.EarlyData
		if err := f.apply(v.Scenario); err != nil {
			return nil, err
		}
		if f.only != "" && v.Name != f.only {
			continue // not run (--variant): nothing to say of it
		}
		// --tls turned off what the variant is about: say so, as
		// overrides says of the fields a flag sets.
		switch t := v.Scenario.TLS; {
		case zeroRTT && v.Scenario.TicketExpired():
			f.notes = append(f.notes, fmt.Sprintf("note: %s: variant %q visits %v after the first, later than a session ticket lives (7 days, RFC 8446 §4.6.1): it makes a full handshake", f.zeroRTTFlag(), v.Name, visitAge(v.Scenario.Visit.Since())))
		case !f.set["tls"] || f.set["0rtt"] || f.set["reject-0rtt"]:
			// --tls did not turn them off (apply leaves them to the
			// 0-RTT flags): --0rtt=false did, and overrides says so.
		case resumed && !t.Resume:
			f.notes = append(f.notes, fmt.Sprintf("note: --tls none: variant %q runs without its session resumption and 0-RTT (plain HTTP has no TLS session)", v.Name))
		case early && !t.EarlyData:
			f.notes = append(f.notes, fmt.Sprintf("note: --tls %s: variant %q runs without its 0-RTT (only TLS 1.3 has it, RFC 8446 §2.3)", t.Version, v.Name))
		}
	}
	f.notes = append(f.notes, f.brotliNotes(s)...)
	if err := f.checkProtocols(s); err != nil {
		return nil, err
	}
	return s, nil
}

// brotliNotes says of each run of s (the scenario, or each variant run)
// over plain HTTP with a Brotli page that it is served gzip: browsers offer
// br only over HTTPS (web.AcceptEncoding), so the compression lesson's
// Brotli variant with --tls none is its gzip one.
func (f *scenarioFlags) brotliNotes(s *scenario.Scenario) []string {
	if s.Workload != scenario.WorkloadPage {
		return nil
	}
	why := "tls.version none"
	if f.set["tls"] {
		why = "--tls none"
	}
	// HTTP/3 runs over QUIC, which always carries TLS: only runs over
	// TCP are cleartext.
	overTCP := func(s *scenario.Scenario) bool {
		return slices.ContainsFunc(s.Protocols, func(p string) bool { return p != "h3" })
	}
	cleartextBr := func(s *scenario.Scenario) bool {
		return s.TLS.Version == tls.None && s.Page != nil && s.Page.Compression.Encoding == "br" && overTCP(s)
	}
	over := func(s *scenario.Scenario) string {
		if slices.Contains(s.Protocols, "h3") {
			return " over TCP (HTTP/3, always over TLS, keeps Brotli)"
		}
		return ""
	}
	var notes []string
	if len(s.Variants) == 0 && cleartextBr(s) {
		notes = append(notes, fmt.Sprintf("note: %s: the page is served gzip%s, not Brotli: browsers offer br only over HTTPS", why, over(s)))
	}
	for _, v := range s.Variants {
		if (f.only == "" || v.Name == f.only) && cleartextBr(v.Scenario) {
			notes = append(notes, fmt.Sprintf("note: %s: variant %q is served gzip%s, not Brotli: browsers offer br only over HTTPS", why, v.Name, over(v.Scenario)))
		}
	}
	return notes
}

// visitAge writes how long after the first a repeat visit comes, in whole
// days or hours where it is one ("10 days", "180 hours", not "240h0m0s").
func visitAge(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + " days"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + " hours"
	}
	return d.String()
}

// zeroRTTFlag names the flag that asked for 0-RTT (--0rtt=false with
// --reject-0rtt is --reject-0rtt's asking).
func (f *scenarioFlags) zeroRTTFlag() string {
	if f.set["0rtt"] && f.zeroRTT {
		return "--0rtt"
	}
	return "--reject-0rtt"
}

// load returns the scenario the flags start from, none of them applied yet:
// the page link's (keeping the page's notices) or the named one's.
func (f *scenarioFlags) load() (*scenario.Scenario, error) {
	if !f.set["url"] {
		return loadScenario(f.scenario)
	}
	s, notes, err := pageScenario(f.url)
	f.notes = notes
	return s, err
}

// protocolFlags are the flags that set one protocol's behaviour, and the
// protocols they apply to.
var protocolFlags = []struct {
	flag   string
	protos []string
	names  string
	// edge: what an edge must speak to its origin for the flag to apply
	// there: "h2" for HTTP/2's flags (push not: the origin pushes only
	// to a browser), "tcp" for TCP's and TLS's (an edge reaches its
	// origin over TCP whatever it speaks), "" for none.
	edge string
}{
	{"conns", []string{"h1"}, "HTTP/1.x", ""},
	{"pipelining", []string{"h1"}, "HTTP/1.x", ""},
	{"http1.0", []string{"h1"}, "HTTP/1.x", ""},
	{"push", []string{"h2"}, "HTTP/2", ""},
	{"hpack-table", []string{"h2"}, "HTTP/2", "h2"},
	{"qpack-table", []string{"h3"}, "HTTP/3", ""},
	{"scheduler", []string{"h2", "h3"}, "HTTP/2 and HTTP/3", "h2"},
	// QUIC has its own TLS 1.3 (RFC 9001) and its own loss recovery: a
	// TCP or TLS flag changed nothing in an HTTP/3-only run, yet its
	// header said "TLS 1.2".
	{"tls", []string{"h1", "h2"}, "TCP (HTTP/1.x and HTTP/2)", "tcp"},
	{"tls-record", []string{"h1", "h2"}, "TCP (HTTP/1.x and HTTP/2)", "tcp"},
	{"mss", []string{"h1", "h2"}, "TCP (HTTP/1.x and HTTP/2)", "tcp"},
	{"no-sack", []string{"h1", "h2"}, "TCP (HTTP/1.x and HTTP/2)", "tcp"},
	{"delack", []string{"h1", "h2"}, "TCP (HTTP/1.x and HTTP/2)", "tcp"},
	{"min-rto", []string{"h1", "h2"}, "TCP (HTTP/1.x and HTTP/2)", "tcp"},
}

// checkProtocols refuses a flag for a protocol that none of s's runs uses
// (--push --proto h1): it would change nothing, and say nothing of it. An
// edge speaks HTTP/2 to its origin, so the HTTP/2 flags apply there too.
func (f *scenarioFlags) checkProtocols(s *scenario.Scenario) error {
	if s.Workload != scenario.WorkloadPage {
		return nil
	}
	runs := []*scenario.Scenario{s}
	if len(s.Variants) > 0 {
		runs = runs[:0]
		for _, v := range s.Variants {
			runs = append(runs, v.Scenario)
		}
	}
	used := map[string]bool{}
	edgeH2, edge := false, false
	for _, r := range runs {
		for _, p := range r.Protocols {
			used[p] = true
		}
		if f.everyProtocol && !f.set["proto"] && len(s.Variants) == 0 {
			for _, p := range scenario.Protocols() {
				used[p] = true
			}
		}
		if r.Network.HasEdge() {
			edge = true
			edgeH2 = edgeH2 || r.Network.Edge.Protocol == "h2"
		}
	}
	for _, pf := range protocolFlags {
		if !f.set[pf.flag] {
			continue
		}
		applies := pf.edge == "h2" && edgeH2 || pf.edge == "tcp" && edge
		for _, p := range pf.protos {
			applies = applies || used[p]
		}
		if !applies {
			return fmt.Errorf("--%s: applies to %s, which this run does not use (add it with --proto)", pf.flag, pf.names)
		}
	}
	return nil
}

// apply changes s as the set flags say.
func (f *scenarioFlags) apply(s *scenario.Scenario) error {
	bad := func(flag string, err error) error { return fmt.Errorf("%s: %v", flag, err) }
	page := s.Workload == scenario.WorkloadPage
	if f.set["tls"] && s.Workload == scenario.WorkloadUpdates {
		s.TLS.Version = tls.Version(f.tlsVersion)
	}
	for _, name := range []string{"proto", "0rtt", "conns", "pipelining", "http1.0", "repeat-visit", "no-compression", "scheduler", "push", "hpack-table",
		"qpack-table", "cert-chain", "tls-record", "migrate-at", "new-rtt", "new-bw", "new-loss"} {
		if f.set[name] && !page {
			return fmt.Errorf("--%s: applies to page scenarios, not %q", name, s.Name)
		}
	}
	if f.set["tls"] && !page && s.Workload != scenario.WorkloadUpdates {
		return fmt.Errorf("--tls: applies to page and updates scenarios, not %q", s.Name)
	}
	for _, name := range []string{"size", "duration"} {
		if f.set[name] && s.Workload != scenario.WorkloadBulk {
			return fmt.Errorf("--%s: applies to bulk scenarios, not %q", name, s.Name)
		}
	}
	if f.set["size"] {
		v, err := units.ParseSize(f.size)
		if err != nil {
			return bad("--size", err)
		}
		s.Bulk.Size = v
	}
	if f.set["duration"] {
		v, err := units.ParseDuration(f.duration)
		if err != nil {
			return bad("--duration", err)
		}
		s.Bulk.Duration = v
		if !f.set["size"] {
			s.Bulk.Size = 0
		}
	}
	if f.set["size"] && s.Bulk.Size == 0 && s.Bulk.Duration == 0 {
		// Validate's "give a size or a duration" named no range for the
		// size the user gave; 0 is a size only beside a duration (a flow).
		return fmt.Errorf("--size: %v is out of range (1B to 100GB, or 0 with --duration for a flow)", s.Bulk.Size)
	}
	if f.set["loss"] || f.set["loss-model"] || f.set["burst"] {
		if err := f.applyLoss(s); err != nil {
			return err
		}
	}
	if f.set["drop"] {
		s.Network.Down.Drop = nil
		for _, p := range strings.Split(f.drop, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil {
				return fmt.Errorf("--drop: %q is not a packet ordinal (a list like 7,12,30)", p)
			}
			s.Network.Down.Drop = append(s.Network.Down.Drop, n)
		}
	}
	if f.set["rtt"] {
		v, err := units.ParseDuration(f.rtt)
		if err != nil {
			return bad("--rtt", err)
		}
		s.Network.RTT = v
	}
	if f.set["bw"] {
		v, err := flagRate(f.bw)
		if err != nil {
			return bad("--bw", err)
		}
		s.Network.Bandwidth = v
	}
	if f.set["queue"] {
		v, err := units.ParseSize(f.queue)
		if err != nil {
			return bad("--queue", err)
		}
		s.Network.QueueBytes = int(v)
	}
	if f.set["seed"] {
		v, err := wholeNumber("--seed", f.seed, 64, fmt.Sprintf("0 to %d", uint64(1<<64-1)))
		if err != nil {
			return err
		}
		s.Seed = v
	}
	if f.set["mss"] {
		v, err := units.ParseSize(f.mss)
		if err != nil {
			return bad("--mss", err)
		}
		s.TCP.MSS = int(v)
	}
	if f.set["no-sack"] {
		s.TCP.SACK = !f.noSACK
	}
	if f.set["delack"] {
		switch f.delack {
		case "on":
			s.TCP.DelayedAck = true
		case "off":
			s.TCP.DelayedAck = false
		default:
			return fmt.Errorf("--delack: %q is not on or off", f.delack)
		}
	}
	if f.set["min-rto"] {
		v, err := units.ParseDuration(f.minRTO)
		if err != nil {
			return bad("--min-rto", err)
		}
		s.TCP.MinRTO = v
		if s.TCP.InitialRTO < v {
			s.TCP.InitialRTO = v
		}
	}
	if f.set["max-time"] {
		v, err := units.ParseDuration(f.maxTime)
		if err != nil {
			return bad("--max-time", err)
		}
		s.Limits.MaxTime = v
	}
	if f.set["max-events"] {
		// Parsed here, not by the flag package, whose "parse error"
		// named no range.
		accepted := "0 for the default, up to 2000000000"
		if f.eventCeiling != 0 {
			accepted = f.eventRange
		}
		n, err := wholeNumber("--max-events", f.maxEvents, 63, accepted)
		if err != nil {
			return err
		}
		if f.eventCeiling != 0 && n > uint64(f.eventCeiling) {
			return fmt.Errorf("--max-events: %d is out of range (%s)", n, accepted)
		}
		s.Limits.MaxEvents = int64(n)
	}
	if f.set["proto"] && !f.set["url"] { // with a link, narrowTo chose them
		s.Protocols = strings.Split(f.proto, ",")
		if f.proto == "all" {
			s.Protocols = scenario.Protocols()
		}
	}
	// --tls is TLS over TCP's: a run over QUIC alone (the handshakes
	// lesson's QUIC variants) keeps QUIC's TLS 1.3 and its 0-RTT.
	if f.set["tls"] && page && (slices.Contains(s.Protocols, "h1") || slices.Contains(s.Protocols, "h2")) {
		s.TLS.Version = tls.Version(f.tlsVersion)
		// A lesson's own resumption and 0-RTT (the caching lesson's
		// visit an hour later, the handshakes lesson's 0-RTT variants)
		// go with the TLS that has them, as on the page: plain HTTP has
		// no session to resume, and only TLS 1.3 has 0-RTT (RFC 8446
		// §2.3). A run over QUIC, which has its own TLS 1.3, keeps them;
		// --0rtt typed with another version is refused (scenario.Validate).
		if !f.set["0rtt"] && !f.set["reject-0rtt"] && !slices.Contains(s.Protocols, "h3") {
			if s.TLS.Version != tls.TLS13 {
				s.TLS.EarlyData, s.TLS.RejectEarlyData = false, false
			}
			if s.TLS.Version == tls.None {
				s.TLS.Resume = false
			}
		}
	}
	ownTLS := s.TLS // before the 0-RTT flags, for an expired ticket (below)
	if f.set["0rtt"] {
		s.TLS.Resume, s.TLS.EarlyData = f.zeroRTT, f.zeroRTT
	}
	if f.set["reject-0rtt"] {
		s.TLS.RejectEarlyData = f.rejectZeroRTT
		if f.rejectZeroRTT && !f.set["0rtt"] {
			// Rejecting 0-RTT needs a client that sends it.
			s.TLS.Resume, s.TLS.EarlyData = true, true
		}
	}
	if f.set["conns"] {
		n, err := wholeNumber("--conns", f.conns, 31, "1 to 64")
		if err != nil {
			return err
		}
		s.H1.MaxConns = int(n)
	}
	if f.set["pipelining"] {
		s.H1.Pipelining = f.pipelining
	}
	if f.set["http1.0"] {
		s.H1.HTTP10 = f.http10
	}
	if f.set["repeat-visit"] {
		s.Visit.Repeat = f.repeatVisit
	}
	if f.set["no-compression"] && f.noGzip {
		s.Page.Compression.Encoding = "none"
	}
	// The flag names no protocol, so it sets both servers' schedulers;
	// the page's control sets HTTP/2's only (app/params.go), and so does
	// --url, which reads a link as the page does. The help says so.
	if f.set["scheduler"] {
		s.H2.Scheduler = f.scheduler
		s.H3.Scheduler = f.scheduler
	}
	if f.set["qpack-table"] {
		n, err := wholeNumber("--qpack-table", f.qpackTable, 32, "0 to 1048576")
		if err != nil {
			return err
		}
		s.H3.QPACKTableCapacity = n
		if n > 0 && s.H3.QPACKBlockedStreams == 0 {
			s.H3.QPACKBlockedStreams = 16
		}
	}
	if f.set["cert-chain"] {
		v, err := units.ParseSize(f.certChain)
		if err != nil {
			return bad("--cert-chain", err)
		}
		s.TLS.CertChain, s.QUIC.CertChain = int(v), int(v)
	}
	if f.set["tls-record"] {
		v, err := units.ParseSize(f.tlsRecord)
		if err != nil {
			return bad("--tls-record", err)
		}
		s.TLS.MaxRecord = int(v)
	}
	if err := f.applyPathChange(s); err != nil {
		return err
	}
	if f.set["push"] {
		s.H2.Push = f.push
	}
	if f.set["hpack-table"] {
		n, err := wholeNumber("--hpack-table", f.hpackTable, 32, "0 to 1048576")
		if err != nil {
			return err
		}
		s.H2.HeaderTableSize = uint32(n)
	}
	// A visit later than a session ticket lives (the caching lesson's ten
	// days) has no session to resume: --0rtt or --reject-0rtt leave it its
	// full handshake, as a browser's would, and build says so. Checked
	// once every flag is set (--repeat-visit, --tls, --proto decide it);
	// where no ticket is involved (TLS 1.2, plain HTTP), Validate refuses
	// the flags as before. So it does where they are wrong on any visit
	// (0-RTT over TLS 1.2 beside HTTP/3, --reject-0rtt with --0rtt=false):
	// the expiry would otherwise hide that.
	if f.asksZeroRTT() && s.TicketExpired() && validOnAFirstVisit(s) {
		s.TLS.Resume, s.TLS.EarlyData, s.TLS.RejectEarlyData = ownTLS.Resume, ownTLS.EarlyData, ownTLS.RejectEarlyData
	}
	return nil
}

// validOnAFirstVisit reports whether s would be valid as a first visit:
// everything but a ticket's age in order.
func validOnAFirstVisit(s *scenario.Scenario) bool {
	first := *s
	first.Visit.Repeat = false
	first.Variants = nil
	return first.Validate() == nil
}

// asksZeroRTT reports whether --0rtt or --reject-0rtt turns 0-RTT on.
func (f *scenarioFlags) asksZeroRTT() bool {
	return f.set["0rtt"] && f.zeroRTT || f.set["reject-0rtt"] && f.rejectZeroRTT
}

// applyPathChange turns --migrate-at, --new-rtt, --new-bw and --new-loss
// into one path change. A scenario that moves already (the migration
// lesson: Wi-Fi to cellular) keeps its new path where no flag changes it:
// --migrate-at alone moves the time of the move, not where it goes.
func (f *scenarioFlags) applyPathChange(s *scenario.Scenario) error {
	if !f.set["migrate-at"] && !f.set["new-rtt"] && !f.set["new-bw"] && !f.set["new-loss"] {
		return nil
	}
	if !f.set["migrate-at"] && len(s.Network.PathChanges) == 0 {
		for _, name := range []string{"new-rtt", "new-bw", "new-loss"} {
			if f.set[name] {
				return fmt.Errorf("--%s: needs --migrate-at (this scenario's path does not change)", name)
			}
		}
	}
	// A scenario's own move (the migration lesson's at 600 ms) takes the
	// --new-* flags without --migrate-at.
	var pc scenario.PathChange
	if len(s.Network.PathChanges) > 0 {
		pc = s.Network.PathChanges[0]
	}
	var err error
	if f.set["migrate-at"] {
		if pc.At, err = units.ParseDuration(f.migrateAt); err != nil {
			return fmt.Errorf("--migrate-at: %v", err)
		}
	}
	// A path change's zero RTT or bandwidth keeps the old path's
	// (scenario.PathChange), so 0 cannot mean a path of 0: refused, where
	// it kept the old path without a word.
	if f.set["new-rtt"] {
		if pc.RTT, err = units.ParseDuration(f.newRTT); err != nil {
			return fmt.Errorf("--new-rtt: %v", err)
		}
		if pc.RTT <= 0 || pc.RTT > 20*time.Second {
			return fmt.Errorf("--new-rtt: %s is out of range (over 0, up to 20s; leave --new-rtt out to keep the old path's)", f.newRTT)
		}
	}
	if f.set["new-bw"] {
		if pc.Bandwidth, err = flagRate(f.newBW); err != nil {
			return fmt.Errorf("--new-bw: %v", err)
		}
		if pc.Bandwidth <= 0 || pc.Bandwidth > 100*units.Gbps {
			return fmt.Errorf("--new-bw: %s is out of range (1bps to 100Gbps; leave --new-bw out to keep the old path's)", f.newBW)
		}
	}
	if f.set["new-loss"] {
		v, err := flagFraction(f.newLoss)
		if err != nil {
			return fmt.Errorf("--new-loss: %v", err)
		}
		if v < 0 || v > link.MaxRate {
			return fmt.Errorf("--new-loss: %q is out of range (0%% to 99.9%%)", f.newLoss)
		}
		// Only the random loss changes: scripted losses and outages stay.
		loss := link.Loss{Model: link.Bernoulli, Rate: v}
		if v == 0 {
			loss.Model = link.NoLoss
		}
		down, up := s.Network.Down, s.Network.Up
		if pc.Down != nil {
			down = *pc.Down
		}
		if pc.Up != nil {
			up = *pc.Up
		}
		down.Loss, up.Loss = loss, loss
		pc.Down, pc.Up = &down, &up
	}
	if len(s.Network.PathChanges) > 0 {
		// The scenario's later moves, if any, stay.
		s.Network.PathChanges = slices.Clone(s.Network.PathChanges)
		s.Network.PathChanges[0] = pc
		return nil
	}
	s.Network.PathChanges = []scenario.PathChange{pc}
	return nil
}

// applyLoss sets random loss from --loss, --loss-model and --burst (see
// setLoss).
func (f *scenarioFlags) applyLoss(s *scenario.Scenario) error {
	rate, burst := -1.0, -1.0
	if f.set["loss"] {
		v, err := flagFraction(f.loss)
		if err != nil {
			return fmt.Errorf("--loss: %v", err)
		}
		if v < 0 || v > link.MaxRate {
			return fmt.Errorf("--loss: %s is out of range (0%% to 99.9%%)", f.loss)
		}
		rate = v
	}
	if f.set["burst"] {
		v, err := parseBurst(f.burst)
		if err != nil {
			return fmt.Errorf("--burst: %v", err)
		}
		if err := checkBurst(f.burst, v); err != nil {
			return err
		}
		burst = v
	}
	return setLoss(s, rate, f.lossModel, burst)
}

// loadScenario returns the built-in scenario called name, or the scenario
// in the file name (anything ending in .json or containing a slash); its
// errors name the --scenario flag.
func loadScenario(name string) (*scenario.Scenario, error) {
	return loadScenarioAs("--scenario", name)
}

// loadScenarioAs is loadScenario for a scenario given as what: the flag
// that named it, or "" for an argument (httpsim show NAME).
func loadScenarioAs(what, name string) (*scenario.Scenario, error) {
	prefix := func(file string) string {
		switch {
		case what == "" && file == "":
			return ""
		case what == "":
			return file + ": "
		case file == "":
			return what + ": "
		}
		return what + " " + file + ": "
	}
	if strings.HasSuffix(name, ".json") || strings.ContainsRune(name, '/') {
		b, err := readScenarioFile(name)
		if err != nil {
			return nil, fmt.Errorf("%s%v", prefix(""), err)
		}
		// A byte-order mark, as some editors write: the page's import
		// takes a file that has one, and so does the CLI.
		b = bytes.TrimPrefix(b, []byte("\ufeff"))
		s, err := scenario.Decode(b)
		if err != nil {
			var lines []string
			for _, p := range scenario.Problems(err) {
				lines = append(lines, prefix(name)+p)
			}
			return nil, errors.New(strings.Join(lines, "\n"))
		}
		return s, nil
	}
	s, err := scenario.Builtin(name)
	if err != nil {
		return nil, fmt.Errorf("%s%q is not a built-in scenario or a .json file (httpsim list shows the built-ins)", prefix(""), name)
	}
	return s, nil
}

// maxScenarioFile bounds a scenario file: the largest a valid one needs
// (100,000 event times, 2,000 resources) is about a megabyte. /dev/zero
// used to be read until memory ran out.
const maxScenarioFile = 4 << 20

// readScenarioFile reads the file name, refusing one over maxScenarioFile.
func readScenarioFile(name string) ([]byte, error) {
	return readBounded(name, maxScenarioFile, "a scenario file")
}

// readBounded reads the file name, refusing one of more than limit bytes (a
// whole number of MiB; what names such a file in the error) without
// reading past it: /dev/zero was read until memory ran out.
func readBounded(name string, limit int, what string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, fmt.Errorf("%s is larger than %d MiB; %s is at most that", name, limit>>20, what)
	}
	return b, nil
}

// validate checks s (and its variants) and reports the first problem, named
// by its flag when a flag sets that field: one line.
func validate(s *scenario.Scenario, given map[string]bool) error {
	err := s.Validate()
	variant := ""
	for i := 0; err == nil && i < len(s.Variants); i++ {
		err, variant = s.Variants[i].Scenario.Validate(), s.Variants[i].Name
	}
	if err == nil {
		return nil
	}
	msg := scenario.Problems(err)[0]
	// The field's flag: one the user gave if several set it (--0rtt and
	// --reject-0rtt both set tls.early_data), else its first.
	field, flag := "", ""
	for _, m := range flagField {
		if !strings.HasPrefix(msg, m.field+":") && !strings.HasPrefix(msg, m.field+"[") {
			continue
		}
		if flag == "" || given[strings.TrimPrefix(m.flag, "--")] && !given[strings.TrimPrefix(flag, "--")] {
			field, flag = m.field, m.flag
		}
	}
	switch {
	case flag == "":
	case variant == "" || given == nil || given[strings.TrimPrefix(flag, "--")]:
		msg = flag + strings.TrimPrefix(msg, field)
	default:
		// A variant's own setting, which the flags given made
		// impossible (--tls 1.2 and the 0-RTT variant of handshakes):
		// naming a flag not given would only puzzle.
		msg += " (the variant's own setting, which a flag given conflicts with)"
	}
	if variant != "" {
		msg = fmt.Sprintf("variant %q: %s", variant, msg)
	}
	return errors.New(msg)
}

// badInput reports err, one line per problem, each prefixed with the
// command's name, and returns the exit status for bad input.
func badInput(stderr io.Writer, command string, err error) int {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(stderr, "%s: %s\n", command, line)
	}
	return 2
}

// wholeNumber parses a flag's whole number of at most bits bits, and says
// which is wrong: a value that is not a number at all, or one out of range
// (accepted, as text: "0 to 64").
func wholeNumber(flag, v string, bits int, accepted string) (uint64, error) {
	n, err := strconv.ParseUint(v, 10, bits)
	var ne *strconv.NumError
	switch {
	case err == nil:
		return n, nil
	case errors.As(err, &ne) && ne.Err == strconv.ErrRange:
		return 0, fmt.Errorf("%s: %s is out of range (%s)", flag, v, accepted)
	case strings.HasPrefix(v, "-") && strings.Trim(v[1:], "0123456789") == "" && len(v) > 1:
		return 0, fmt.Errorf("%s: %s is out of range (%s)", flag, v, accepted)
	default:
		return 0, fmt.Errorf("%s: %q is not a whole number; want %s", flag, v, accepted)
	}
}
