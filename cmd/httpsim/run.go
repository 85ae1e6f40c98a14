package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/units"
)

// flagField maps the scenario's field paths to the flags that set them, so
// that a range error found by scenario.Validate names the flag the user typed.
var flagField = []struct{ field, flag string }{
	{"network.rtt", "--rtt"},
	{"network.bandwidth", "--bw"},
	{"network.queue", "--queue"},
	{"network.down.loss.rate", "--loss"},
	{"network.down.loss.mean_burst", "--burst"},
	{"network.down.loss.model", "--loss-model"},
	{"network.down.drop", "--drop"},
	{"tcp.mss", "--mss"},
	{"tcp.min_rto", "--min-rto"},
	{"workload.size", "--size"},
	{"workload.duration", "--duration"},
	{"workload", "--size or --duration"},
	{"h1.max_conns", "--conns"},
	{"h1.pipelining", "--pipelining"},
	{"h2.scheduler", "--scheduler"},
	{"h2.header_table_size", "--hpack-table"},
	{"tls.version", "--tls"},
	{"tls.early_data", "--0rtt"},
	{"limits.max_events", "--max-events"},
	{"limits.max_time", "--max-time"},
}

// runFlags are the raw values of `httpsim run`'s flags.
type runFlags struct {
	scenario, size, duration, loss, lossModel, burst, drop string
	rtt, bw, mss, delack, minRTO, queue, maxTime           string
	seed                                                   string
	maxEvents                                              int64
	noSACK, asJSON                                         bool
	// Page scenarios.
	proto, tlsVersion, conns, scheduler, hpackTable  string
	push                                             bool
	zeroRTT, pipelining, http10, repeatVisit, noGzip bool
}

func runRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("httpsim run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f runFlags
	fs.StringVar(&f.scenario, "scenario", "bulk", "built-in scenario `name`")
	fs.StringVar(&f.size, "size", "", "bulk: transfer `size`, e.g. 10MB (default 1MB)")
	fs.StringVar(&f.duration, "duration", "", "bulk: run a flow this `long` with no size, e.g. 60s")
	fs.StringVar(&f.loss, "loss", "", "random loss `rate` on the data direction, e.g. 1%")
	fs.StringVar(&f.lossModel, "loss-model", "bernoulli", "`model` of random loss: bernoulli or burst")
	fs.StringVar(&f.burst, "burst", "", "burst loss: mean burst `length` in packets")
	fs.StringVar(&f.drop, "drop", "", "scripted loss: comma-separated `ordinals` of server-to-client data packets")
	fs.StringVar(&f.rtt, "rtt", "", "round-trip `time`, e.g. 100ms")
	fs.StringVar(&f.bw, "bw", "", "bandwidth `rate` of each direction, e.g. 100Mbps")
	fs.StringVar(&f.queue, "queue", "", "drop-tail queue `size` per direction (default one BDP)")
	fs.StringVar(&f.seed, "seed", "", "random `seed`")
	fs.StringVar(&f.mss, "mss", "", "TCP maximum segment `size` in bytes")
	fs.BoolVar(&f.noSACK, "no-sack", false, "disable SACK (NewReno recovery)")
	fs.StringVar(&f.delack, "delack", "", "delayed ACKs `on|off`")
	fs.StringVar(&f.minRTO, "min-rto", "", "minimum retransmission `timeout` (default 200ms)")
	fs.StringVar(&f.maxTime, "max-time", "", "stop after this much simulated `time`")
	fs.Int64Var(&f.maxEvents, "max-events", 0, "stop after this many `events`")
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object")
	fs.StringVar(&f.proto, "proto", "", "page: `protocols`, comma-separated: h1, h2 (default h1)")
	fs.StringVar(&f.tlsVersion, "tls", "", "page: TLS `version`: none, 1.2 or 1.3 (default 1.3)")
	fs.BoolVar(&f.zeroRTT, "0rtt", false, "page: resume TLS 1.3 sessions and send requests as 0-RTT early data")
	fs.StringVar(&f.conns, "conns", "", "page: HTTP/1.1 connections per origin (default 6)")
	fs.BoolVar(&f.pipelining, "pipelining", false, "page: HTTP/1.1 pipelining")
	fs.BoolVar(&f.http10, "http1.0", false, "page: HTTP/1.0, a new connection per request")
	fs.BoolVar(&f.repeatVisit, "repeat-visit", false, "page: the browser's cache is warm from a visit an hour ago")
	fs.BoolVar(&f.noGzip, "no-compression", false, "page: the origin sends text uncompressed")
	fs.StringVar(&f.scheduler, "scheduler", "", "page: HTTP/2 write `scheduler`: seq, rr or urgency (default urgency)")
	fs.BoolVar(&f.push, "push", false, "page: HTTP/2 server push of the resources the page marks")
	fs.StringVar(&f.hpackTable, "hpack-table", "", "page: HPACK dynamic table `size` in bytes (SETTINGS_HEADER_TABLE_SIZE, default 4096)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fmt.Fprintln(stdout, "usage: httpsim run [flags]")
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "httpsim run: %v\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "httpsim run: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	s, err := f.scenario_()
	if err == nil {
		err = validate(s)
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(stderr, "httpsim run: %s\n", line)
		}
		return 2
	}
	res, err := scenario.Run(s, scenario.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "httpsim run: %v\n", err)
		return 1
	}
	if s.Workload == scenario.WorkloadPage {
		if f.asJSON {
			return printJSON(stdout, stderr, pageJSON(res))
		}
		printPage(stdout, s, res)
		return 0
	}
	if f.asJSON {
		return printJSON(stdout, stderr, bulkJSON(res))
	}
	printBulk(stdout, s, res)
	return 0
}

// scenario_ builds the scenario the flags describe; parse errors name the flag.
func (f *runFlags) scenario_() (*scenario.Scenario, error) {
	s, err := loadScenario(f.scenario)
	if err != nil {
		return nil, err
	}
	bad := func(flag string, err error) error { return fmt.Errorf("%s: %v", flag, err) }
	if f.size != "" {
		v, err := units.ParseSize(f.size)
		if err != nil {
			return nil, bad("--size", err)
		}
		s.Bulk.Size = v
	}
	if f.duration != "" {
		v, err := units.ParseDuration(f.duration)
		if err != nil {
			return nil, bad("--duration", err)
		}
		s.Bulk.Duration = v
		if f.size == "" {
			s.Bulk.Size = 0
		}
	}
	switch f.lossModel {
	case "bernoulli":
		s.Network.Down.Loss.Model = link.Bernoulli
	case "burst":
		s.Network.Down.Loss.Model = link.Burst
		s.Network.Down.Loss.MeanBurst = 5
	default:
		return nil, fmt.Errorf("--loss-model: %q is not a loss model (use bernoulli or burst)", f.lossModel)
	}
	if f.loss != "" {
		v, err := units.ParseFraction(f.loss)
		if err != nil {
			return nil, bad("--loss", err)
		}
		if v < 0 || v >= 1 {
			return nil, fmt.Errorf("--loss: %s is out of range (0%% to 99.9%%)", f.loss)
		}
		s.Network.Down.Loss.Rate = v
	}
	if s.Network.Down.Loss.Rate == 0 {
		s.Network.Down.Loss.Model = link.NoLoss
	}
	if s.Workload == scenario.WorkloadPage {
		// A page's packets are lost in both directions, ACKs included.
		s.Network.Down.Loss.DataOnly = false
		s.Network.Up.Loss = s.Network.Down.Loss
	}
	if f.burst != "" {
		if f.lossModel != "burst" {
			return nil, fmt.Errorf("--burst: needs --loss-model burst")
		}
		v, err := strconv.ParseFloat(f.burst, 64)
		if err != nil {
			return nil, fmt.Errorf("--burst: %q is not a number of packets", f.burst)
		}
		s.Network.Down.Loss.MeanBurst = v
	}
	if f.drop != "" {
		for _, p := range strings.Split(f.drop, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil {
				return nil, fmt.Errorf("--drop: %q is not a packet ordinal (a list like 7,12,30)", p)
			}
			s.Network.Down.Drop = append(s.Network.Down.Drop, n)
		}
	}
	if f.rtt != "" {
		v, err := units.ParseDuration(f.rtt)
		if err != nil {
			return nil, bad("--rtt", err)
		}
		s.Network.RTT = v
	}
	if f.bw != "" {
		v, err := units.ParseRate(f.bw)
		if err != nil {
			return nil, bad("--bw", err)
		}
		s.Network.Bandwidth = v
	}
	if f.queue != "" {
		v, err := units.ParseSize(f.queue)
		if err != nil {
			return nil, bad("--queue", err)
		}
		s.Network.QueueBytes = int(v)
	}
	if f.seed != "" {
		v, err := strconv.ParseUint(f.seed, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("--seed: %q is out of range (0 to %d)", f.seed, uint64(1<<64-1))
		}
		s.Seed = v
	}
	if f.mss != "" {
		v, err := units.ParseSize(f.mss)
		if err != nil {
			return nil, bad("--mss", err)
		}
		s.TCP.MSS = int(v)
	}
	if f.noSACK {
		s.TCP.SACK = false
	}
	switch f.delack {
	case "":
	case "on":
		s.TCP.DelayedAck = true
	case "off":
		s.TCP.DelayedAck = false
	default:
		return nil, fmt.Errorf("--delack: %q is not on or off", f.delack)
	}
	if f.minRTO != "" {
		v, err := units.ParseDuration(f.minRTO)
		if err != nil {
			return nil, bad("--min-rto", err)
		}
		s.TCP.MinRTO = v
		if s.TCP.InitialRTO < v {
			s.TCP.InitialRTO = v
		}
	}
	if f.maxTime != "" {
		v, err := units.ParseDuration(f.maxTime)
		if err != nil {
			return nil, bad("--max-time", err)
		}
		s.Limits.MaxTime = v
	}
	if f.maxEvents != 0 {
		s.Limits.MaxEvents = f.maxEvents
	}
	if err := f.pageFlags(s); err != nil {
		return nil, err
	}
	return s, nil
}

// validate checks s and rewrites the field path of an error into the flag.
func validate(s *scenario.Scenario) error {
	err := s.Validate()
	if err == nil {
		return nil
	}
	// Report the first problem, named by its flag: one line.
	msg := scenario.Problems(err)[0]
	for _, m := range flagField {
		if strings.HasPrefix(msg, m.field+":") || strings.HasPrefix(msg, m.field+"[") {
			return errors.New(m.flag + strings.TrimPrefix(msg, m.field))
		}
	}
	return errors.New(msg)
}

// bulkResult is the JSON form of a bulk run.
type bulkResult struct {
	Scenario       string   `json:"scenario"`
	Seed           uint64   `json:"seed"`
	Status         string   `json:"status"`
	Events         int64    `json:"events"`
	TraceEvents    int64    `json:"trace_events"`
	TraceHash      string   `json:"trace_hash"`
	DurationMs     float64  `json:"duration_ms"`
	CompletionMs   *float64 `json:"completion_ms"`
	BytesDelivered int64    `json:"bytes_delivered"`
	GoodputBps     int64    `json:"goodput_bps"`
	SegmentsSent   int64    `json:"segments_sent"`
	SegmentsLost   int64    `json:"segments_lost"`
	Retransmits    int64    `json:"retransmits"`
	Timeouts       int64    `json:"timeouts"`
	FastRecoveries int64    `json:"fast_recoveries"`
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func bulkJSON(r *scenario.Result) bulkResult {
	out := bulkResult{
		Scenario: r.Scenario, Seed: r.Seed, Status: r.Status, Events: r.Events,
		TraceEvents: r.TraceEvents, TraceHash: r.TraceHash, DurationMs: ms(r.Duration),
		BytesDelivered: r.BytesDelivered, GoodputBps: int64(r.Goodput),
		SegmentsSent: r.SegmentsSent, SegmentsLost: r.SegmentsLost, Retransmits: r.Retransmits,
		Timeouts: r.Timeouts, FastRecoveries: r.FastRecoveries,
	}
	if r.Completion >= 0 {
		c := ms(r.Completion)
		out.CompletionMs = &c
	}
	return out
}

func printJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "httpsim: %v\n", err)
		return 1
	}
	return 0
}

func printBulk(w io.Writer, s *scenario.Scenario, r *scenario.Result) {
	what := s.Bulk.Size.String()
	if s.Bulk.Size == 0 {
		what = "flow for " + s.Bulk.Duration.String()
	}
	fmt.Fprintf(w, "scenario %s: %s over %v, RTT %v, loss %s (%s), seed %d\n",
		r.Scenario, what, s.Network.Bandwidth, s.Network.RTT, units.Percent(s.Network.Down.Loss.Rate), s.Network.Down.Loss.Model, r.Seed)
	if r.Completion >= 0 {
		fmt.Fprintf(w, "  completion time   %s\n", units.Ms(r.Completion))
	} else {
		fmt.Fprintf(w, "  completion time   not reached (%s at %s)\n", r.Status, units.Ms(r.Duration))
	}
	fmt.Fprintf(w, "  goodput           %v\n", r.Goodput)
	fmt.Fprintf(w, "  delivered         %v\n", units.Size(r.BytesDelivered))
	fmt.Fprintf(w, "  segments sent     %d\n", r.SegmentsSent)
	fmt.Fprintf(w, "  segments lost     %d\n", r.SegmentsLost)
	fmt.Fprintf(w, "  retransmitted     %d (%d fast recoveries, %d timeouts)\n", r.Retransmits, r.FastRecoveries, r.Timeouts)
	fmt.Fprintf(w, "  events            %d\n", r.Events)
	fmt.Fprintf(w, "  trace hash        %s (%d trace events)\n", r.TraceHash, r.TraceEvents)
}

// loadScenario returns the built-in scenario called name, or the scenario
// in the file name (anything ending in .json or containing a slash).
func loadScenario(name string) (*scenario.Scenario, error) {
	if strings.HasSuffix(name, ".json") || strings.ContainsRune(name, '/') {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("--scenario: %v", err)
		}
		s, err := scenario.Decode(b)
		if err != nil {
			var lines []string
			for _, p := range scenario.Problems(err) {
				lines = append(lines, "--scenario "+name+": "+p)
			}
			return nil, errors.New(strings.Join(lines, "\n"))
		}
		return s, nil
	}
	s, err := scenario.Builtin(name)
	if err != nil {
		return nil, fmt.Errorf("--scenario: %q is not a built-in scenario or a .json file (built-ins: %s)", name, strings.Join(scenario.Names(), ", "))
	}
	return s, nil
}
