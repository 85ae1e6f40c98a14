package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	ui "httpsim/app"
	"httpsim/qlog"
	"httpsim/sim"
	"httpsim/sim/host"
	"httpsim/sim/scenario"
	"httpsim/sim/units"
)

// runExport is `httpsim export --format qlog --proto h3 --out FILE`: one
// protocol's run of a page scenario, written as a qlog file with the
// client's and the server's view, for qvis; or, with --format svg, one
// panel of the page as an SVG figure (figure.go); or, with --format pcap,
// the client's TCP packets as a capture file for Wireshark (export_pcap.go).
func runExport(args []string, stdout, stderr io.Writer) int {
	f := newScenarioFlags("httpsim export", "page")
	f.eventCeiling, f.eventRange = exportEventCeiling, exportEventRange
	var format, out, variant string
	f.fs.StringVar(&format, "format", "qlog", "export `format`: qlog (qlog 0.3 JSON, as qvis reads it), svg (a panel of the page as a vector figure) or pcap (the client's TCP packets as a libpcap file for Wireshark: h1 and h2 runs; h3's QUIC is qlog's)")
	f.fs.StringVar(&out, "out", "", "`file` to write, or - for standard output")
	f.fs.StringVar(&variant, "variant", "", "the scenario `variant` to run, for a scenario that has variants (svg: draw only that one)")
	var fig figureFlags
	fig.declare(f.fs)
	if code, done := f.parse(args, stdout, stderr, "usage: httpsim export --format qlog --proto h1|h2|h3 [--scenario NAME|FILE] [flags] --out FILE\n"+
		"       httpsim export --format pcap --proto h1|h2 [--scenario NAME|FILE] [flags] --out FILE\n"+
		"       httpsim export --format svg --panel ladder|lanes|buffers|frames|charts [--at TIME] [--width PX] [--lang en|zh] [--scenario NAME|FILE] [flags] --out FILE"); done {
		return code
	}
	fail := func(err error) int { return badInput(stderr, "httpsim export", err) }
	switch {
	case format != "qlog" && format != "svg" && format != "pcap":
		return fail(fmt.Errorf("--format: %q is not an export format (use qlog, svg or pcap)", format))
	case format != "svg" && fig.given(f.set) != "":
		return fail(fmt.Errorf("--%s: only with --format svg", fig.given(f.set)))
	case out == "":
		return fail(fmt.Errorf("--out: missing: name the file to write (--out run.%s, or --out - for standard output)", format))
	case format == "svg":
		return exportSVG(f, &fig, variant, out, stdout, stderr)
	case format == "pcap":
		return exportPcap(f, variant, out, stdout, stderr)
	}
	s, res, code := f.exportRun(variant, "qlog", stderr, nil)
	if res == nil {
		return code
	}
	run := res.Runs[0]
	q, err := qlog.Export(run, qlog.Options{
		Title:       exportTitle(s, run, res.Seed),
		Description: qlog.Description(s, run),
		ConnIDLen:   s.QUIC.ConnIDLen,
	})
	if err != nil {
		fmt.Fprintf(stderr, "httpsim export: %v\n", err)
		return 1
	}
	var b bytes.Buffer
	if _, err := q.WriteTo(&b); err != nil {
		fmt.Fprintf(stderr, "httpsim export: %v\n", err)
		return 1
	}
	n := int64(b.Len())
	if !writeExport(out, b.Bytes(), stdout, stderr) {
		return 1
	}
	if out != "-" {
		fmt.Fprintf(stdout, "wrote %s: qlog %s, %s, client %d events, server %d events, a file of %s\n",
			out, qlog.Version, run.Proto, len(q.Traces[0].Events), len(q.Traces[1].Events), units.Size(n))
	}
	return 0
}

// exportRun builds the scenario to export, picks its variant (the one
// named, or for svg when none is named, all of them), checks it, says the
// flags' notes, and runs it with its trace kept and, if tapFor is not nil,
// the tap it returns for the scenario on the client host. On a failure it
// reports it and returns a nil result and the exit code.
func (f *scenarioFlags) exportRun(variant, format string, stderr io.Writer, tapFor func(*scenario.Scenario) host.Tap) (*scenario.Scenario, *scenario.Result, int) {
	oneRun := format != "svg"
	var err error
	if variant != "" && f.set["proto"] {
		// Before the flags apply: --proto would set the variant's
		// protocols, or with --url drop a variant that runs none of them.
		err = f.variantRuns(variant)
	}
	var s *scenario.Scenario
	if err == nil {
		f.only = variant
		s, err = f.build()
	}
	// The notes of the flags that set what the variant fixes itself are
	// read from the variant list, which picking the variant drops: export
	// --variant hour --0rtt left out the note run gives.
	noted := s
	if err == nil && variant != "" {
		one := *s // onlyVariant narrows the copy; pickVariant reports a bad name
		if n, nerr := onlyVariant(&one, variant); nerr == nil {
			noted = n
		}
	}
	if err == nil && (oneRun || variant != "") {
		s, err = pickVariant(s, variant)
	}
	if err == nil && oneRun {
		err = exportable(s, format, variant, f.set["proto"])
	}
	if err == nil {
		err = validate(s, f.set)
	}
	if err != nil {
		return nil, nil, badInput(stderr, "httpsim export", err)
	}
	for _, note := range f.overrides(noted) {
		fmt.Fprintf(stderr, "httpsim export: %s\n", note)
	}
	capped := false
	if !f.set["max-events"] || s.Limits.MaxEvents == 0 { // 0: the default
		capped = capExportEvents(s)
	}
	opt := scenario.Options{KeepTrace: true}
	if tapFor != nil {
		opt.ClientTap = tapFor(s)
	}
	res, err := scenario.Run(s, opt)
	if err != nil {
		fmt.Fprintf(stderr, "httpsim export: %v\n", err)
		return nil, nil, 1
	}
	// As run and compare say it: the file holds the run up to the
	// limit, and --max-events 10 gave a near-empty figure without a word.
	eventLimit := false
	for _, run := range res.Runs {
		if run.Status != sim.Finished.String() {
			fmt.Fprintf(stderr, "httpsim export: note: %s stopped at the %s; the export shows it up to there\n", runLabel(run), run.Status)
			eventLimit = eventLimit || run.Status == sim.EventLimit.String()
		}
	}
	if len(res.Runs) == 0 && res.Status != sim.Finished.String() {
		fmt.Fprintf(stderr, "httpsim export: note: the run stopped at the %s; the export shows it up to there\n", res.Status)
		eventLimit = res.Status == sim.EventLimit.String()
	}
	if capped && eventLimit {
		fmt.Fprintf(stderr, "httpsim export: note: an export keeps the whole run in memory, so it stops at %d events unless --max-events says otherwise\n", exportMaxEvents)
	}
	return s, res, 0
}

// exportMaxEvents is an export's event limit unless --max-events gives one:
// an export keeps the whole trace and builds its file in memory, and a
// 3 GB transfer ran out of memory. At this limit a qlog export peaks at
// about 600 MB (a 95 MB file); it is a 100-second bulk transfer at the
// default 10 Mbit/s (a minute takes 148,000 events), and a lesson's page
// load takes a few thousand.
const exportMaxEvents = 250_000

// exportEventCeiling is the most events --max-events lets an export keep,
// for memory: at about 2.4 KB an event (a 600,000-event qlog export took
// 1.43 GB), some 2.4 GB. Up to the 2,000,000,000 that run takes, an
// export was killed for want of memory rather than refused.
const exportEventCeiling = 1_000_000

// exportEventRange is the range of --max-events in an export.
var exportEventRange = fmt.Sprintf("0 for the default %d, up to %d, about 2.4 GB of memory", exportMaxEvents, exportEventCeiling)

// capExportEvents lowers the event limit of s, and of each of its variants,
// to exportMaxEvents where it is higher, a scenario file's own included
// (docs/scenarios.md says so), and reports whether it did.
func capExportEvents(s *scenario.Scenario) bool {
	capped := lowerEventLimit(s)
	for _, v := range s.Variants {
		capped = lowerEventLimit(v.Scenario) || capped
	}
	return capped
}

// lowerEventLimit is capExportEvents for one scenario, without its variants.
func lowerEventLimit(s *scenario.Scenario) bool {
	if s.Limits.MaxEvents != 0 && s.Limits.MaxEvents <= exportMaxEvents {
		return false
	}
	s.Limits.MaxEvents = exportMaxEvents
	return true
}

// variantRuns checks that the variant named name of the scenario runs
// proto: a variant is a comparison's column, and exporting it over another
// protocol (the quic-0rtt handshake over HTTP/1.1) would export a run no
// column shows.
func (f *scenarioFlags) variantRuns(name string) error {
	s, err := f.load() // as it was before --proto applied to every variant
	if err != nil {
		return err
	}
	for _, v := range s.Variants {
		// An updates variant runs no protocol list: build refuses --proto
		// for it ("runs , not h1" named an empty one).
		if v.Name == name && v.Scenario.Workload == scenario.WorkloadPage && !slices.Contains(v.Scenario.Protocols, f.proto) {
			return fmt.Errorf("--proto: variant %q runs %s, not %s; export it over one of those", name, strings.Join(v.Scenario.Protocols, ", "), f.proto)
		}
	}
	return nil
}

// pickVariant returns the variant named name of a scenario that has
// variants; a scenario without variants takes no --variant.
func pickVariant(s *scenario.Scenario, name string) (*scenario.Scenario, error) {
	var names []string
	for _, v := range s.Variants {
		if v.Name == name {
			return v.Scenario, nil
		}
		names = append(names, v.Name)
	}
	switch {
	case len(s.Variants) == 0 && name != "":
		return nil, fmt.Errorf("--variant: scenario %q has no variants", s.Name)
	case len(s.Variants) > 0 && name == "":
		return nil, fmt.Errorf("--variant: scenario %q has variants; export one (%s)", s.Name, strings.Join(names, ", "))
	case len(s.Variants) > 0:
		return nil, fmt.Errorf("--variant: scenario %q has no variant %q (%s)", s.Name, name, strings.Join(names, ", "))
	}
	return s, nil
}

// exportable checks that s is one page load over one protocol, and for
// pcap one over TCP.
func exportable(s *scenario.Scenario, format, variant string, protoSet bool) error {
	if s.Workload != scenario.WorkloadPage {
		return fmt.Errorf("--scenario: %q has the workload %q; %s export needs a page scenario (HTTP over h1, h2 or h3)", s.Name, s.Workload, format)
	}
	for _, p := range s.Protocols {
		if !slices.Contains(scenario.Protocols(), p) {
			return fmt.Errorf("--proto: %q is not a protocol (use h1, h2 or h3)", p)
		}
	}
	if len(s.Protocols) != 1 {
		if !protoSet {
			return fmt.Errorf("--proto: scenario %q runs %s; export takes one protocol (h1, h2 or h3)", s.Name, strings.Join(s.Protocols, ","))
		}
		return fmt.Errorf("--proto: export takes one protocol (h1, h2 or h3), not %q", strings.Join(s.Protocols, ","))
	}
	if format == "pcap" && s.Protocols[0] == "h3" {
		switch {
		case variant != "" && !protoSet:
			return fmt.Errorf("--variant: %q runs h3, over QUIC; pcap export covers TCP runs (h1 or h2: a variant that runs them), and --format qlog covers QUIC", variant)
		case !protoSet:
			return fmt.Errorf("--scenario: %q runs h3, over QUIC; pcap export covers TCP runs (h1 or h2: --proto), and --format qlog covers QUIC", s.Name)
		}
		return fmt.Errorf("--proto: h3 runs over QUIC; pcap export covers TCP runs (--proto h1 or h2), and --format qlog covers QUIC")
	}
	return nil
}

// exportTitle names the scenario as the page does, so that the page's
// download of a run is this file byte for byte.
func exportTitle(s *scenario.Scenario, run *scenario.ProtocolRun, seed uint64) string {
	return qlog.Title(ui.TitleOf(s, ui.LangEN), run.Proto, seed)
}

// writeExport writes b to the file out, or to stdout for "-", and reports
// a failure on stderr.
func writeExport(out string, b []byte, stdout, stderr io.Writer) bool {
	var err error
	if out == "-" {
		_, err = stdout.Write(b)
	} else {
		err = os.WriteFile(out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "httpsim export: --out %s: %v\n", out, err)
		return false
	}
	return true
}
