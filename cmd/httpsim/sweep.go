package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/units"
)

// onlyVariant returns s with its variant called name as its only variant.
func onlyVariant(s *scenario.Scenario, name string) (*scenario.Scenario, error) {
	var names []string
	for _, v := range s.Variants {
		if v.Name == name {
			s.Variants = []scenario.Variant{v}
			return s, nil
		}
		names = append(names, v.Name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("scenario %q has no variants", s.Name)
	}
	return nil, fmt.Errorf("%q is not a variant of %q (use %s)", name, s.Name, strings.Join(names, ", "))
}

// maxSweepRuns bounds a sweep: at a few milliseconds a page load, a day's
// work on one core, and the rows it keeps in memory (grid order) a few
// hundred megabytes.
const maxSweepRuns = 100_000

// point is one combination of swept parameters.
type point struct {
	loss, burst float64
	rtt         time.Duration
	bw          units.Rate
	seed        uint64
	// ownSeed: no --seeds, so each run keeps the seed its scenario or
	// variant names (seed is then the base's, for messages), as run and
	// compare do; sweep ran seed 1 whatever the lesson said.
	ownSeed bool
	proto   string
}

// runSweep is `httpsim sweep`: a scenario over a grid of loss rates, burst
// lengths, RTTs, bandwidths, seeds and protocols, run in parallel on every
// core, one CSV row per run. Rows come in grid order whatever the
// parallelism, so the same sweep always writes the same file.
//
// Ctrl-C (or SIGTERM) stops it after the runs under way: nothing is
// written, and a --csv file is left as it was. A second Ctrl-C kills it
// at once, as a program that ignores the first should not make one wait
// for long runs (its temporary file, .NAME.PID-N.tmp beside the CSV, is
// then left behind).
func runSweep(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // the signals' default action back
	return sweep(ctx, args, stdout, stderr)
}

// sweepRun runs one point's scenario. Every point is checked before any
// runs, so a run fails only if its scenario file changed meanwhile; a
// test sets this to make one fail.
var sweepRun = scenario.Run

// sweep is runSweep until ctx ends.
func sweep(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("httpsim sweep", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("scenario", "page", "built-in scenario `name` or scenario file (.json)")
	lossR := fs.String("loss", "", "loss rates: a `range` start:stop:step (0:5%:0.5%), a list (0,1%,2%) or one value")
	model := fs.String("loss-model", "", "`model` of random loss: bernoulli or burst (default: the scenario's, bernoulli if it has none)")
	burstR := fs.String("burst", "", "burst lengths in packets (burst loss): a range or list")
	rttR := fs.String("rtt", "", "RTTs: a range or list (50ms:200ms:50ms)")
	bwR := fs.String("bw", "", "bandwidths: a range or list (5Mbps,20Mbps)")
	seedsR := fs.String("seeds", "", "seeds: a `range` 1..50, a list or one seed (default: the scenario's)")
	protoL := fs.String("proto", "", "page `protocols` to sweep, comma-separated (default: the scenario's)")
	variant := fs.String("variant", "", "sweep only this `variant` of a scenario that has variants (default: every variant)")
	out := fs.String("csv", "", "write the CSV to this `file` (default standard output)")
	jobs := fs.Int("jobs", runtime.NumCPU(), "runs at once")
	if code, done := parseArgs(fs, args, stderr); done {
		return code
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "httpsim sweep: "+format+"\n", a...)
		return 2
	}
	base, err := loadScenario(*name)
	if err != nil {
		return fail("%v", err)
	}
	if *variant != "" {
		if base, err = onlyVariant(base, *variant); err != nil {
			return fail("--variant: %v", err)
		}
	}
	losses, err := parseRange(*lossR, flagFraction, []float64{-1})
	if err != nil {
		return fail("--loss: %v", err)
	}
	bursts, err := parseRange(*burstR, parseBurst, []float64{-1})
	if err != nil {
		return fail("--burst: %v", err)
	}
	for _, b := range bursts {
		if *burstR == "" {
			break // the default, -1: keep the scenario's
		}
		if err := checkBurst(f64(b), b); err != nil {
			return fail("%v", err)
		}
	}
	rtts, err := parseRange(*rttR, units.ParseDuration, []time.Duration{-1})
	if err != nil {
		return fail("--rtt: %v", err)
	}
	bws, err := parseRange(*bwR, flagRate, []units.Rate{-1})
	if err != nil {
		return fail("--bw: %v", err)
	}
	// -1 stands for "the scenario's own value" in the lists above, so a
	// negative value typed by the user must not pass for it.
	for _, neg := range []struct {
		flag string
		bad  bool
	}{
		{"--loss", slices.ContainsFunc(losses, func(v float64) bool { return v < 0 }) && *lossR != ""},
		{"--rtt", slices.ContainsFunc(rtts, func(v time.Duration) bool { return v < 0 }) && *rttR != ""},
		{"--bw", slices.ContainsFunc(bws, func(v units.Rate) bool { return v < 0 }) && *bwR != ""},
	} {
		if neg.bad {
			return fail("%s: a value is negative; want 0 or more", neg.flag)
		}
	}
	seeds := []uint64{base.Seed}
	if *seedsR != "" {
		if seeds, err = parseSeeds(*seedsR); err != nil {
			return fail("--seeds: %v", err)
		}
	}
	protos := []string{""}
	if *protoL != "" {
		if base.Workload != scenario.WorkloadPage {
			return fail("--proto: applies to page scenarios, not %q", base.Name)
		}
		protos = strings.Split(*protoL, ",")
	}
	if *model != "" && *model != "bernoulli" && *model != "burst" {
		return fail("--loss-model: %q is not a loss model (use bernoulli or burst)", *model)
	}
	if *jobs < 1 || *jobs > 256 {
		return fail("--jobs: %d is out of range (1 to 256)", *jobs)
	}
	// Count the runs before listing them: two long ranges multiply to
	// billions of points, which ran out of memory building the grid.
	runs := 1
	var swept []string
	for _, d := range []struct {
		flag string
		n    int
	}{{"--loss", len(losses)}, {"--burst", len(bursts)}, {"--rtt", len(rtts)}, {"--bw", len(bws)}, {"--seeds", len(seeds)}, {"--proto", len(protos)}} {
		if d.n > 1 {
			swept = append(swept, fmt.Sprintf("%s (%d)", d.flag, d.n))
		}
		if runs > maxSweepRuns/d.n {
			return fail("%s give more than %d runs; sweep at most %d at once", strings.Join(swept, " × "), maxSweepRuns, maxSweepRuns)
		}
		runs *= d.n
	}
	var grid []point
	for _, l := range losses {
		for _, b := range bursts {
			for _, r := range rtts {
				for _, bw := range bws {
					for _, sd := range seeds {
						for _, p := range protos {
							grid = append(grid, point{loss: l, burst: b, rtt: r, bw: bw, seed: sd, ownSeed: *seedsR == "", proto: p})
						}
					}
				}
			}
		}
	}
	// build makes a point's scenario. Every point's is checked before any
	// runs, and made again when it runs rather than kept: a large sweep's
	// scenarios took gigabytes.
	build := func(pt point) (*scenario.Scenario, error) {
		s, err := loadScenario(*name)
		if err == nil && *variant != "" {
			s, err = onlyVariant(s, *variant)
		}
		if err == nil {
			err = pt.apply(s, *model)
		}
		if err == nil {
			err = validate(s, given)
		}
		return s, err
	}
	for _, pt := range grid {
		if _, err := build(pt); err != nil {
			return fail("%s: %v", pt, err)
		}
	}
	// A swept flag applies to every variant, as compare's flags do: where
	// a variant fixes that field itself (the handshakes lesson's QUIC
	// variants their protocols), its rows no longer run what its name
	// says, and compare's note says so here too.
	set := maps.Clone(given)
	set["seed"], set["seeds"] = given["seeds"], false
	for _, note := range hitNotes(variantHits(base, set)) {
		fmt.Fprintf(stderr, "httpsim sweep: %s\n", note)
	}

	w := stdout
	var file *pendingFile
	if *out != "" {
		if file, err = createPending(*out); err != nil {
			return fail("--csv: %v", err)
		}
		defer file.abort() // after commit, only closes it again
		w = file
	}
	rows := make([][][]string, len(grid))
	errs := make([]error, len(grid))
	progress := newProgress(stderr, len(grid))
	var wg sync.WaitGroup
	next := make(chan int)
	for k := 0; k < *jobs; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					continue // interrupted: run nothing more
				}
				s, err := build(grid[i])
				var res *scenario.Result
				if err == nil {
					res, err = sweepRun(s, scenario.Options{})
				}
				if err != nil {
					errs[i] = err
				} else {
					rows[i] = csvRows(s, grid[i], *model, res)
				}
				progress.step()
			}
		}()
	}
feed:
	for i := range grid {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	progress.done()
	if ctx.Err() != nil {
		kept := "nothing written"
		if file != nil {
			kept = *out + " left as it was"
		}
		fmt.Fprintf(stderr, "httpsim sweep: interrupted after %d of %d runs; %s\n", progress.count(), len(grid), kept)
		return 1
	}

	// A run that failed had a two-field row ("error,…") among thirty-
	// column ones, and the sweep exited 0: its rows are left out, and
	// the sweep says which and fails.
	failed := 0
	for i, err := range errs {
		if err != nil {
			fmt.Fprintf(stderr, "httpsim sweep: %s: %v\n", grid[i], err)
			failed++
		}
	}
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, r := range rows {
		cw.WriteAll(r)
	}
	cw.Flush()
	err = cw.Error()
	if err == nil && file != nil {
		err = file.commit()
	}
	if err != nil {
		if file != nil && file.keptOnFailure() {
			return fail("--csv: %v; %s left as it was", err, *out)
		}
		if file != nil && file.isDevice {
			return fail("--csv: %v", err) // a pipe or terminal: what it got is gone
		}
		if file != nil {
			return fail("--csv: %v; %s, written in place, may be cut short", err, *out)
		}
		return fail("%v", err)
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "httpsim sweep: %d of %d runs failed (above); their rows are left out\n", failed, len(grid))
		return 1
	}
	return 0
}

func (p point) String() string {
	var parts []string
	if p.loss >= 0 {
		parts = append(parts, "loss "+units.Percent(p.loss))
	}
	if p.burst >= 0 {
		parts = append(parts, fmt.Sprintf("burst %g", p.burst))
	}
	if p.rtt >= 0 {
		parts = append(parts, "rtt "+p.rtt.String())
	}
	if p.bw >= 0 {
		parts = append(parts, "bw "+p.bw.String())
	}
	if !p.ownSeed {
		// With no --seeds each run has its scenario's or variant's,
		// which the base's would misname.
		parts = append(parts, fmt.Sprintf("seed %d", p.seed))
	}
	if p.proto != "" {
		parts = append(parts, "proto "+p.proto)
	}
	if len(parts) == 0 {
		return "the scenario's own run" // nothing swept, its own seed
	}
	return strings.Join(parts, ", ")
}

// apply sets the point's parameters on s and its variants.
func (p point) apply(s *scenario.Scenario, model string) error {
	all := []*scenario.Scenario{s}
	for _, v := range s.Variants {
		all = append(all, v.Scenario)
	}
	for _, x := range all {
		if !p.ownSeed {
			x.Seed = p.seed
		}
		if p.rtt >= 0 {
			x.Network.RTT = p.rtt
		}
		if p.bw >= 0 {
			x.Network.Bandwidth = p.bw
		}
		if p.loss >= 0 || p.burst >= 0 || model != "" {
			if err := setLoss(x, p.loss, model, p.burst); err != nil {
				return err
			}
		}
		if p.proto != "" {
			x.Protocols = []string{p.proto}
		}
	}
	return nil
}

// csvHeader names each column with its unit; loss_pct is a percentage, as
// the flags write it (0.5 is half a percent). packets_lost_queue_full is the
// part of packets_lost a full router queue dropped (slow start overflows it
// even at 0 % loss), as the table's "of which queue full". scripted_drops
// counts the packets the scenario drops on purpose, both directions, which
// loss_pct leaves out (h2-hol's one lost packet at 0 %). hol_ms and
// loss_delay_ms are the figures run and compare call HoL and own-loss
// delay, summed over the page's resources.
var csvHeader = []string{"scenario", "variant", "proto", "seed", "loss_pct", "loss_model", "burst", "scripted_drops", "rtt_ms", "bandwidth_bps",
	"status", "plt_ms", "goodput_bps", "hol_ms", "loss_delay_ms", "retransmits", "packets_sent", "packets_lost",
	"packets_lost_queue_full", "bytes_on_wire", "header_bytes", "connections", "events", "trace_events", "trace_hash",
	// An updates workload's figures: what it is compared by (empty for
	// the others).
	"updates_delivered", "latency_mean_ms", "latency_median_ms", "latency_p95_ms", "latency_max_ms"}

func f64(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func csvRows(s *scenario.Scenario, p point, model string, r *scenario.Result) [][]string {
	common := func(variant, proto string) []string {
		// The network the run had: its variant's, which may set its own
		// loss (the loss-sweep lesson's), not the base's.
		ran := ranScenario(s, variant)
		n := ran.Network
		burst := ""
		if n.Down.Loss.Model == link.Burst {
			burst = f64(n.Down.Loss.MeanBurst)
		}
		// Rounded to a billionth of a percent: 0.007 × 100 is
		// 0.7000000000000001.
		pct := f64(math.Round(n.Down.Loss.Rate*100*1e9) / 1e9)
		return []string{s.Name, variant, proto, strconv.FormatUint(ran.Seed, 10), pct,
			string(n.Down.Loss.Model), burst, strconv.Itoa(len(n.Down.Drop) + len(n.Up.Drop)), f64(float64(n.RTT) / 1e6), strconv.FormatInt(int64(n.Bandwidth), 10)}
	}
	if s.Workload == scenario.WorkloadBulk {
		plt := ""
		if r.Completion >= 0 {
			plt = f64(float64(r.Completion) / 1e6)
		}
		return [][]string{append(common("", "tcp"), r.Status, plt, strconv.FormatInt(int64(r.Goodput), 10), "", "",
			strconv.FormatInt(r.Retransmits, 10), strconv.FormatInt(r.SegmentsSent, 10), strconv.FormatInt(r.SegmentsLost, 10),
			strconv.FormatInt(r.Down.DroppedQueue, 10), "", "", "1", strconv.FormatInt(r.Events, 10), strconv.FormatInt(r.TraceEvents, 10), r.TraceHash, "", "", "", "", "")}
	}
	var rows [][]string
	for _, run := range r.Runs {
		plt := ""
		if run.PLT >= 0 {
			plt = f64(float64(run.PLT) / 1e6)
		}
		updates := []string{"", "", "", "", ""}
		if u := run.Updates; u != nil {
			lat := func(v float64) string {
				if u.Latency.Count == 0 {
					return "" // no update arrived: no latency, not 0
				}
				// To the nanosecond: a mean printed as 55.37936709999999.
				return f64(math.Round(v*1e6) / 1e6)
			}
			updates = []string{strconv.Itoa(u.Delivered), lat(u.Latency.Mean), lat(u.Latency.Median), lat(u.Latency.P95), lat(u.Latency.Max)}
		}
		rows = append(rows, append(append(common(run.Variant, run.Proto), run.Status, plt, "",
			f64(float64(run.HOL)/1e6), f64(float64(run.LossDelay)/1e6), strconv.FormatInt(run.Retransmits, 10),
			strconv.FormatInt(run.PacketsSent, 10), strconv.FormatInt(run.PacketsLost, 10),
			strconv.FormatInt(run.PacketsLostQueue, 10), strconv.FormatInt(run.Wire.Total, 10),
			strconv.FormatInt(run.HeaderBytes, 10), strconv.Itoa(run.Connections), strconv.FormatInt(run.Events, 10), strconv.FormatInt(run.TraceEvents, 10), run.TraceHash), updates...))
	}
	return rows
}

// parseRange reads "start:stop:step" (inclusive), "a,b,c", or one value;
// empty gives def.
func parseRange[T int64 | float64 | time.Duration | units.Rate](s string, parse func(string) (T, error), def []T) ([]T, error) {
	if s == "" {
		return def, nil
	}
	parts := strings.Split(s, ":")
	if len(parts) != 1 && len(parts) != 3 {
		return nil, fmt.Errorf("%q is not a range (start:stop:step, like 0:5%%:0.5%%) or a list (a,b,c)", s)
	}
	if len(parts) == 3 {
		var v [3]T
		for i, p := range parts {
			x, err := parse(p)
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
		start, stop, step := v[0], v[1], v[2]
		if step <= 0 || stop < start {
			return nil, fmt.Errorf("%q is not a range (start:stop:step with step > 0 and stop >= start)", s)
		}
		// A float range's points are rounded to the decimals of its start
		// and step: 0:0.3:0.1 wrote 0.30000000000000004 in the CSV.
		places := max(decimals(float64(start)), decimals(float64(step)))
		var out []T
		for k := 0; ; k++ {
			x := start + T(k)*step
			if f, ok := any(x).(float64); ok {
				p := math.Pow10(places)
				x = T(math.Round(f*p) / p)
			}
			// Tolerate rounding at the end of a float range.
			if float64(x) > float64(stop)+float64(step)*1e-9 {
				break
			}
			out = append(out, x)
			if len(out) > maxSweepRuns {
				return nil, fmt.Errorf("%q has more than %d values", s, maxSweepRuns)
			}
		}
		return out, nil
	}
	var out []T
	for _, p := range strings.Split(s, ",") {
		x, err := parse(strings.TrimSpace(p))
		if err != nil {
			return nil, err
		}
		// The same point twice ran and printed the same rows twice.
		if slices.Contains(out, x) {
			return nil, fmt.Errorf("%q lists %s twice; list each value once", s, strings.TrimSpace(p))
		}
		out = append(out, x)
	}
	return out, nil
}

// decimals is how many decimal places the shortest text of f has (0.005:
// 3), at most 15.
func decimals(f float64) int {
	_, frac, _ := strings.Cut(strconv.FormatFloat(f, 'f', -1, 64), ".")
	return min(len(frac), 15)
}

// parseSeeds reads "1..50", "1,2,3" or "7".
func parseSeeds(s string) ([]uint64, error) {
	if a, b, ok := strings.Cut(s, ".."); ok {
		lo, err1 := strconv.ParseUint(a, 10, 64)
		hi, err2 := strconv.ParseUint(b, 10, 64)
		if err1 != nil || err2 != nil || hi < lo {
			return nil, fmt.Errorf("%q is not a range of seeds (like 1..50)", s)
		}
		if hi-lo >= maxSweepRuns {
			return nil, fmt.Errorf("%q has more than %d seeds", s, maxSweepRuns)
		}
		var out []uint64
		for x := lo; ; x++ {
			out = append(out, x)
			if x == hi {
				break // x++ would wrap past the largest seed
			}
		}
		return out, nil
	}
	var out []uint64
	for _, p := range strings.Split(s, ",") {
		x, err := strconv.ParseUint(strings.TrimSpace(p), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a seed (a whole number from 0)", p)
		}
		if slices.Contains(out, x) {
			return nil, fmt.Errorf("%q lists seed %d twice; list each once", s, x)
		}
		out = append(out, x)
	}
	return out, nil
}

// progress draws a bar on stderr when it is a terminal.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	n, of int
	on    bool
}

func newProgress(w io.Writer, of int) *progress {
	p := &progress{w: w, of: of}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) step() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if !p.on {
		return
	}
	const width = 40
	done := p.n * width / p.of
	fmt.Fprintf(p.w, "\rsweep: %d/%d runs [%s%s]", p.n, p.of, strings.Repeat("=", done), strings.Repeat(" ", width-done))
}

// count is how many runs have ended.
func (p *progress) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

func (p *progress) done() {
	if p.on {
		fmt.Fprintln(p.w)
	}
}
