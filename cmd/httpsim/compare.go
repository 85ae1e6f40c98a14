package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"httpsim/sim"
	"httpsim/sim/scenario"
	"httpsim/sim/updates"
	"httpsim/sim/web"
)

// runCompare is `httpsim compare --scenario NAME`: every variant of the
// scenario, or every protocol it allows, on the same network and seed,
// side by side.
func runCompare(args []string, stdout, stderr io.Writer) int {
	f := newScenarioFlags("httpsim compare", "page")
	var asJSON bool
	f.fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	if code, done := f.parse(args, stdout, stderr, "usage: httpsim compare --scenario NAME|FILE [flags]"); done {
		return code
	}
	// Every protocol, unless --proto or a page link says which.
	f.everyProtocol = f.url == ""
	s, err := f.build()
	if err == nil {
		err = validate(s, f.set)
	}
	if err != nil {
		return badInput(stderr, "httpsim compare", err)
	}
	for _, note := range f.overrides(s) {
		fmt.Fprintf(stderr, "httpsim compare: %s\n", note)
	}
	switch {
	case s.Workload == scenario.WorkloadBulk:
		fmt.Fprintf(stderr, "httpsim compare: %q is a single TCP transfer; compare needs a page or updates scenario\n", s.Name)
		return 2
	case len(s.Variants) > 0:
	case s.Workload == scenario.WorkloadUpdates:
		// Every delivery mode.
		for _, m := range updates.Modes() {
			v := *s
			v.Updates.Mode = m
			s.Variants = append(s.Variants, scenario.Variant{Name: string(m), Label: scenario.Text{EN: string(m)}, Scenario: &v})
		}
	case f.everyProtocol && !f.set["proto"]:
		s.Protocols = scenario.Protocols()
	}
	res, err := scenario.Run(s, scenario.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "httpsim compare: %v\n", err)
		return 1
	}
	if asJSON {
		return printJSON(stdout, stderr, pageJSON(res))
	}
	printComparison(stdout, s, res)
	return 0
}

// countFunc counts the elements of s for which f holds.
func countFunc[T any](s []T, f func(T) bool) int {
	n := 0
	for _, v := range s {
		if f(v) {
			n++
		}
	}
	return n
}

func runLabel(run *scenario.ProtocolRun) string {
	if run.Updates != nil && run.Variant != "" {
		return run.Variant
	}
	if run.Variant != "" && run.Variant != run.Proto {
		return run.Variant + "/" + run.Proto
	}
	return run.Proto
}

// The two waits a page run sums over its resources, named alike in run's
// line and compare's rows (compare called the second "HoL, own loss", run
// "loss delay"): a resource's time behind other streams' data, and its
// time waiting for its own lost data to be sent again. hol_ms and
// loss_delay_ms in the JSON and the CSV.
const (
	holRow      = "HoL, summed over resources (ms)"
	ownLossRow  = "own-loss delay, summed over resources (ms)"
	ownLossName = "own-loss delay"
)

// holCauseRows name the rows that split holRow by cause, indexed by
// web.HOLCause. Transport's says whose loss: "of which TCP loss", next to
// the own-loss row, read as the resource's own. The page's longer words
// (sum.hol.tcp) would widen the name column of every table by 20
// characters; "others'" covers another stream's and TLS's.
var holCauseRows = [web.NumHOLCauses]string{
	web.HOLTransport: "  of which behind others' lost TCP packets",
	web.HOLHTTP:      "  of which pipelining",
	web.HOLQPACK:     "  of which QPACK",
	web.HOLHandshake: "  of which handshake",
}

// printComparison prints one column per run and marks the best value of each
// row with '*': every column that shows it, and none where all the columns
// compared show the same (a tie, or a difference the printed figures
// round away, is no win), as the page marks only differences a reader
// sees.
func printComparison(w io.Writer, s *scenario.Scenario, r *scenario.Result) {
	title := s.Title.EN
	if title == "" {
		title = s.Name
	}
	// The network and security line run's header gives: a link's loss
	// (server to client only) and --loss (both ways) printed the same
	// "page (seed 1)" over different tables.
	// What differs between runs goes on a line of each's below it:
	// loss-sweep's columns showed no loss rate at all.
	header, perRun := settingsHeader(s, r)
	fmt.Fprintf(w, "%s (seed %d)\n", printable(title), r.Seed)
	if header != "" { // every setting can differ between runs
		fmt.Fprintln(w, strings.TrimSuffix(header, ", "))
	}
	for i, own := range perRun {
		if own != "" {
			fmt.Fprintf(w, "  %s: %s\n", runLabel(r.Runs[i]), strings.TrimSuffix(strings.TrimPrefix(own, " ("), ")"))
		}
	}
	fmt.Fprintln(w)
	runs := r.Runs
	width := 12
	// The row names' column: a page's fits its longest name.
	label := 22
	if runs[0].Updates == nil {
		label = utf8.RuneCountInString(ownLossRow) + 1
		// A cause's row, where one prints, may be longer.
		for c, name := range holCauseRows {
			if slices.ContainsFunc(runs, func(x *scenario.ProtocolRun) bool { return x.HOLBy[c] > 0 }) {
				label = max(label, utf8.RuneCountInString(name)+1)
			}
		}
	}
	for _, run := range runs {
		width = max(width, len(runLabel(run))+2)
	}
	// failedCell marks a resource whose fetch failed: it has an end, not a
	// completion, and is never the best of its row. So has one answered
	// with a status the page does not declare (a simulated server's own
	// error): unexpectedCell - status shows the status.
	const failedCell, unexpectedCell = -2, -1000
	// noStar is set while a row with no best prints.
	noStar := false
	// A run a limit stopped sent fewer packets and waited less because it
	// stopped: it is not the best of a row of totals (README: not marked
	// better). Its resources' completions are times like any other's.
	// So is a run with a failed fetch: it finished sooner and sent less
	// because a fetch failed (the page's summary does not mark it either),
	// except in the row that counts the failures. And so is a run with a
	// response the page does not declare (an HTTP/1.1 server's 431, an
	// edge's 502): the page did not load as the scenario says, and a
	// document answered with an error loads nothing after it.
	excluded := make([]bool, len(runs))
	for i, run := range runs {
		excluded[i] = run.Status != sim.Finished.String() || slices.ContainsFunc(run.Resources, func(r web.ResourceState) bool { return r.Failed != "" || r.Unexpected })
	}
	totals := true
	row := func(name string, vals []float64, format string, lowerBetter bool) {
		best, candidates, left := -1, 0, false
		out := func(i int) bool { return totals && excluded[i] }
		compared := func(i int) bool { return vals[i] >= 0 && !noStar && !out(i) }
		for i, v := range vals {
			if v >= 0 && out(i) {
				left = true
			}
			if !compared(i) {
				continue
			}
			candidates++
			if best < 0 || (lowerBetter && v < vals[best]) || (!lowerBetter && v > vals[best]) {
				best = i
			}
		}
		if left && candidates < 2 {
			best = -1 // nothing left to be better than
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = "-"
			switch {
			case v == failedCell:
				cells[i] = "failed"
			case v <= unexpectedCell:
				cells[i] = fmt.Sprintf("got %d", int(unexpectedCell-v))
			}
			if v >= 0 {
				cells[i] = fmt.Sprintf(format, v)
			}
		}
		// The columns compared that show the best figure; none if two or
		// more are compared and all show it.
		var stars []bool
		if best >= 0 && len(vals) > 1 {
			stars = make([]bool, len(vals))
			all := candidates > 1
			for i := range vals {
				if compared(i) {
					stars[i] = cells[i] == cells[best]
					all = all && stars[i]
				}
			}
			if all {
				stars = nil
			}
		}
		// Padded by characters: a shortened URL ends in "…", 3 bytes.
		fmt.Fprintf(w, "%s%*s", name, max(0, label-utf8.RuneCountInString(name)), "")
		for i, cell := range cells {
			if stars != nil && stars[i] {
				cell += "*"
			}
			fmt.Fprintf(w, "%*s", width, cell)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%-*s", label, "")
	for _, run := range runs {
		fmt.Fprintf(w, "%*s", width, runLabel(run))
	}
	fmt.Fprintln(w)
	collect := func(f func(*scenario.ProtocolRun) float64) []float64 {
		var out []float64
		for _, run := range runs {
			out = append(out, f(run))
		}
		return out
	}
	msOr := func(d time.Duration) float64 {
		if d < 0 {
			return -1
		}
		return float64(d) / 1e6
	}
	if runs[0].Updates != nil {
		// No update delivered: no latency, not a zero one.
		latency := func(f func(u *updates.Result) float64) []float64 {
			return collect(func(x *scenario.ProtocolRun) float64 {
				if x.Updates.Delivered == 0 {
					return -1
				}
				return f(x.Updates)
			})
		}
		// The updates lesson compares means and medians (a retransmission
		// raises a mean, not a median) and counts the empty polls.
		row("mean latency (ms)", latency(func(u *updates.Result) float64 { return u.Latency.Mean }), "%.1f", true)
		row("median latency (ms)", latency(func(u *updates.Result) float64 { return u.Latency.Median }), "%.1f", true)
		row("p95 latency (ms)", latency(func(u *updates.Result) float64 { return u.Latency.P95 }), "%.1f", true)
		row("max latency (ms)", latency(func(u *updates.Result) float64 { return u.Latency.Max }), "%.1f", true)
		row("updates delivered", collect(func(x *scenario.ProtocolRun) float64 { return float64(x.Updates.Delivered) }), "%.0f", false)
		row("requests", collect(func(x *scenario.ProtocolRun) float64 { return float64(x.Updates.Requests) }), "%.0f", true)
		row("empty answers (204)", collect(func(x *scenario.ProtocolRun) float64 { return float64(x.Updates.EmptyResponses) }), "%.0f", true)
	} else {
		row("page load time (ms)", collect(func(x *scenario.ProtocolRun) float64 { return msOr(x.PLT) }), "%.1f", true)
		// A failed fetch can make a page finish sooner: say so beside it.
		failed := collect(func(x *scenario.ProtocolRun) float64 {
			return float64(countFunc(x.Resources, func(r web.ResourceState) bool { return r.Failed != "" }))
		})
		if slices.Max(failed) > 0 {
			// The row that counts the failures compares every run.
			totals = false
			row("failed fetches", failed, "%.0f", true)
			totals = true
		}
		unexpected := collect(func(x *scenario.ProtocolRun) float64 {
			return float64(countFunc(x.Resources, func(r web.ResourceState) bool { return r.Unexpected }))
		})
		if slices.Max(unexpected) > 0 {
			totals = false
			row("statuses not declared", unexpected, "%.0f", true)
			totals = true
		}
		row(holRow, collect(func(x *scenario.ProtocolRun) float64 { return msOr(x.HOL) }), "%.1f", true)
		// What held the resources back, each cause a run has at all;
		// they can add up to more than the total, where a resource
		// waited for two at once.
		for c, name := range holCauseRows {
			by := collect(func(x *scenario.ProtocolRun) float64 { return msOr(x.HOLBy[c]) })
			if slices.Max(by) > 0 {
				row(name, by, "%.1f", true)
			}
		}
		row(ownLossRow, collect(func(x *scenario.ProtocolRun) float64 { return msOr(x.LossDelay) }), "%.1f", true)
	}
	row("connections", collect(func(x *scenario.ProtocolRun) float64 { return float64(x.Connections) }), "%.0f", true)
	row("packets sent", collect(func(x *scenario.ProtocolRun) float64 { return float64(x.PacketsSent) }), "%.0f", true)
	row("packets lost", collect(func(x *scenario.ProtocolRun) float64 { return float64(x.PacketsLost) }), "%.0f", true)
	row("  of which queue full", collect(func(x *scenario.ProtocolRun) float64 { return float64(x.PacketsLostQueue) }), "%.0f", true)
	row("retransmissions", collect(func(x *scenario.ProtocolRun) float64 { return float64(x.Retransmits) }), "%.0f", true)
	row("bytes on the wire", collect(func(x *scenario.ProtocolRun) float64 { return float64(x.Wire.Total) }), "%.0f", true)
	row("header bytes", collect(func(x *scenario.ProtocolRun) float64 { return float64(x.HeaderBytes) }), "%.0f", true)
	if hits, misses, revalidated := collect(func(x *scenario.ProtocolRun) float64 { return float64(x.EdgeHits) }),
		collect(func(x *scenario.ProtocolRun) float64 { return float64(x.EdgeMisses) }),
		collect(func(x *scenario.ProtocolRun) float64 { return float64(x.EdgeRevalidated) }); slices.Max(hits)+slices.Max(misses)+slices.Max(revalidated) > 0 {
		row("edge hits (X-Cache)", hits, "%.0f", false)
		row("edge misses", misses, "%.0f", true)
		// A revalidation is worse than a hit and better than a miss:
		// the row has no best.
		noStar = true
		row("edge revalidated", revalidated, "%.0f", false)
		noStar = false
	}
	// A run a limit stopped says so: its blanks are not zeros.
	for _, run := range runs {
		if run.Status == sim.Finished.String() {
			continue
		}
		what := "before the page loaded"
		if u := run.Updates; u != nil {
			what = fmt.Sprintf("after %d of %d updates", u.Delivered, u.Events)
			if u.Status == "failed" {
				fmt.Fprintf(w, "(%s: failed %s: %s)\n", runLabel(run), what, u.Error)
				continue
			}
		}
		fmt.Fprintf(w, "(%s: stopped at the %s %s)\n", runLabel(run), run.Status, what)
	}
	if runs[0].Updates != nil || len(runs[0].Resources) == 0 {
		return
	}
	// Per-resource completion, for the resources every run shares.
	totals = false
	anyUnexpected := false
	fmt.Fprintf(w, "\ncompletion (ms):\n")
	for i := range runs[0].Resources {
		var vals []float64
		same := true
		for _, run := range runs {
			if i >= len(run.Resources) || run.Resources[i].URL != runs[0].Resources[i].URL {
				same = false
				break
			}
			x := run.Resources[i]
			switch {
			case x.Failed != "":
				vals = append(vals, failedCell)
			case x.Unexpected:
				anyUnexpected = true
				vals = append(vals, float64(unexpectedCell-x.Status))
			case !x.Requested || x.Done == sim.Never:
				vals = append(vals, -1)
			default:
				vals = append(vals, x.Done.Ms())
			}
		}
		if !same {
			fmt.Fprintln(w, "  (the variants load different pages)")
			break
		}
		// Cut by characters (a byte cut split a multi-byte one).
		name := cutMiddle(runs[0].Resources[i].URL, 20)
		row("  "+name, vals, "%.1f", true)
	}
	note := "(* = best of the row"
	if anyUnexpected {
		note += "; got N = answered with status N, which the page does not declare: the simulated server's own error, so the run did not load the page as the scenario says"
	}
	for _, run := range runs {
		if throughEdge(s, run.Variant) {
			note += "; through an edge, bytes on the wire and header bytes count both hops, browser to edge and edge to origin"
			break
		}
	}
	for _, run := range runs {
		if run.Proto == "h3" {
			note += "; over QUIC, packets are UDP datagrams: packets coalesced in one count once"
			break
		}
	}
	fmt.Fprintln(w, "\n"+note+")")
}
