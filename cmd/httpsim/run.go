package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

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
	{"protocols", "--proto"},
	{"h1.max_conns", "--conns"},
	{"h1.pipelining", "--pipelining"},
	{"h2.scheduler", "--scheduler"},
	{"h2.header_table_size", "--hpack-table"},
	{"h3.scheduler", "--scheduler"},
	{"h3.qpack_table_capacity", "--qpack-table"},
	{"quic.cert_chain", "--cert-chain"},
	{"tls.cert_chain", "--cert-chain"},
	{"network.path_changes[0].at", "--migrate-at"},
	{"network.path_changes[0].rtt", "--new-rtt"},
	{"network.path_changes[0].bandwidth", "--new-bw"},
	{"network.path_changes[0].down.loss.rate", "--new-loss"},
	{"tls.version", "--tls"},
	{"tls.early_data", "--0rtt"},
	{"tls.early_data", "--reject-0rtt"}, // which turns 0-RTT on too
	{"tls.reject_early_data", "--reject-0rtt"},
	{"tls.max_record", "--tls-record"},
	{"limits.max_events", "--max-events"},
	{"limits.max_time", "--max-time"},
}

func runRun(args []string, stdout, stderr io.Writer) int {
	f := newScenarioFlags("httpsim run", "bulk")
	var asJSON bool
	var variant string
	f.fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	// The table to go with an exported variant (export and sweep take
	// --variant too): a scenario with variants runs them all otherwise.
	f.fs.StringVar(&variant, "variant", "", "run only this `variant` of a scenario that has variants")
	if code, done := f.parse(args, stdout, stderr, "usage: httpsim run [--scenario NAME|FILE] [--variant NAME] [flags]"); done {
		return code
	}
	if f.set["variant"] {
		f.only = variant
	}
	s, err := f.build()
	if err == nil && f.set["variant"] {
		if s, err = onlyVariant(s, variant); err != nil {
			err = fmt.Errorf("--variant: %w", err)
		}
	}
	if err == nil {
		err = validate(s, f.set)
	}
	if err != nil {
		return badInput(stderr, "httpsim run", err)
	}
	for _, note := range f.overrides(s) {
		fmt.Fprintf(stderr, "httpsim run: %s\n", note)
	}
	res, err := scenario.Run(s, scenario.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "httpsim run: %v\n", err)
		return 1
	}
	if s.Workload == scenario.WorkloadUpdates {
		// Polling, long polling and WebSocket: what matters is each
		// update's latency, which the comparison table shows.
		if asJSON {
			return printJSON(stdout, stderr, pageJSON(res))
		}
		printComparison(stdout, s, res)
		return 0
	}
	if s.Workload == scenario.WorkloadPage {
		if asJSON {
			return printJSON(stdout, stderr, pageJSON(res))
		}
		printPage(stdout, s, res)
		if len(res.Runs) > 1 {
			// Several protocols or variants: side by side as well.
			fmt.Fprintln(stdout)
			printComparison(stdout, s, res)
		}
		return 0
	}
	if asJSON {
		return printJSON(stdout, stderr, bulkJSON(res))
	}
	printBulk(stdout, s, res)
	return 0
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
		printable(r.Scenario), what, s.Network.Bandwidth, s.Network.RTT, units.Percent(s.Network.Down.Loss.Rate), s.Network.Down.Loss.Model, r.Seed)
	if r.Completion >= 0 {
		fmt.Fprintf(w, "  completion time   %s\n", units.Ms(r.Completion))
	} else {
		fmt.Fprintf(w, "  completion time   not reached (%s at %s)\n", r.Status, units.Ms(r.Duration))
	}
	fmt.Fprintf(w, "  goodput           %v\n", r.Goodput)
	fmt.Fprintf(w, "  delivered         %v\n", units.Size(r.BytesDelivered))
	fmt.Fprintf(w, "  segments sent     %d\n", r.SegmentsSent)
	fmt.Fprintf(w, "  segments lost     %d (%d to a full queue)\n", r.SegmentsLost, r.Down.DroppedQueue)
	fmt.Fprintf(w, "  retransmitted     %d (%d fast recoveries, %d timeouts)\n", r.Retransmits, r.FastRecoveries, r.Timeouts)
	fmt.Fprintf(w, "  events            %d\n", r.Events)
	fmt.Fprintf(w, "  trace hash        %s (%d trace events)\n", r.TraceHash, r.TraceEvents)
}
