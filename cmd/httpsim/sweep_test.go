package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/units"
)

// TestSweepCSV: one row per (loss, seed, protocol), every combination once,
// and the same sweep twice — with different parallelism — gives the same
// bytes.
func TestSweepCSV(t *testing.T) {
	dir := t.TempDir()
	files := []string{filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")}
	for i, jobs := range []string{"2", "1"} {
		code, _, errOut := runCLI("sweep", "--scenario", "page", "--loss", "0:2%:1%", "--seeds", "1..3", "--proto", "h2,h3", "--jobs", jobs, "--csv", files[i])
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	}
	a, _ := os.ReadFile(files[0])
	b, _ := os.ReadFile(files[1])
	if string(a) != string(b) || len(a) == 0 {
		t.Fatalf("two runs of the same sweep differ (or are empty): %d and %d bytes", len(a), len(b))
	}
	rows, err := csv.NewReader(strings.NewReader(string(a))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header, rows := rows[0], rows[1:]
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, c := range []string{"proto", "seed", "loss_pct", "plt_ms", "hol_ms", "bytes_on_wire", "events", "trace_events", "trace_hash"} {
		if _, ok := col[c]; !ok {
			t.Fatalf("no column %q in %v", c, header)
		}
	}
	if len(rows) != 3*3*2 {
		t.Fatalf("%d rows; want 18 (3 loss rates × 3 seeds × 2 protocols)", len(rows))
	}
	seen := map[string]bool{}
	for _, r := range rows {
		key := fmt.Sprintf("%s/%s/%s", r[col["loss_pct"]], r[col["seed"]], r[col["proto"]])
		if seen[key] {
			t.Errorf("row %s twice", key)
		}
		seen[key] = true
		if r[col["status"]] != "finished" || r[col["plt_ms"]] == "" {
			t.Errorf("row %s: status %q, PLT %q", key, r[col["status"]], r[col["plt_ms"]])
		}
		if r[col["proto"]] == "h3" && r[col["hol_ms"]] != "0" {
			t.Errorf("row %s: HTTP/3 cross-stream HoL %s; want 0", key, r[col["hol_ms"]])
		}
		// At 0 % loss every packet lost is one a full queue dropped
		// (slow start overflows it): a column says so, as the table's
		// "of which queue full" does.
		if r[col["scripted_drops"]] != "0" {
			t.Errorf("row %s: %s scripted drops; want 0", key, r[col["scripted_drops"]])
		}
		lost, _ := strconv.Atoi(r[col["packets_lost"]])
		queue, err := strconv.Atoi(r[col["packets_lost_queue_full"]])
		if err != nil || queue > lost || r[col["loss_pct"]] == "0" && queue != lost {
			t.Errorf("row %s: %d lost, %q of them to a full queue", key, lost, r[col["packets_lost_queue_full"]])
		}
	}
	// A lesson's scripted loss is counted where loss_pct says 0.
	if _, out, _ := runCLI("sweep", "--scenario", "h2-hol", "--seeds", "1", "--proto", "h2"); !strings.Contains(out, "\nh2-hol,,h2,1,0,none,,1,") {
		t.Errorf("sweep h2-hol: no scripted drop counted:\n%s", out)
	}
	for _, loss := range []string{"0", "1", "2"} { // percent
		for seed := 1; seed <= 3; seed++ {
			for _, p := range []string{"h2", "h3"} {
				if key := fmt.Sprintf("%s/%d/%s", loss, seed, p); !seen[key] {
					t.Errorf("no row for %s", key)
				}
			}
		}
	}
}

func TestSweepVariantAndBadInput(t *testing.T) {
	code, out, errOut := runCLI("sweep", "--scenario", "loss-sweep", "--variant", "burst-2", "--seeds", "1,2", "--proto", "h3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "\nloss-sweep,burst-2,h3,"); n != 2 {
		t.Errorf("%d rows of the burst-2 variant; want 2 (one per seed):\n%s", n, out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--loss", "5%:0:1%"}, "httpsim sweep: --loss: "},
		{[]string{"--seeds", "x..3"}, "httpsim sweep: --seeds: "},
		{[]string{"--loss-model", "pareto"}, "httpsim sweep: --loss-model: \"pareto\" is not a loss model (use bernoulli or burst)\n"},
		{[]string{"--jobs", "0"}, "httpsim sweep: --jobs: 0 is out of range (1 to 256)\n"},
		{[]string{"--scenario", "bulk", "--proto", "h2"}, "httpsim sweep: --proto: applies to page scenarios, not \"bulk\"\n"},
		{[]string{"--variant", "x"}, "httpsim sweep: --variant: scenario \"page\" has no variants\n"},
		{[]string{"extra"}, "httpsim sweep: unexpected argument \"extra\"\n"},
		{[]string{"--seeds", "1", "--rtt", "50ms", "--seeds", "2"}, "httpsim sweep: --seeds: given twice; give it once\n"},
		// A value that looks like a flag is a value, as fs.Parse reads it.
		{[]string{"--scenario", "--seeds", "--seeds", "2"}, "httpsim sweep: --scenario: \"--seeds\" is not a built-in scenario"},
		{[]string{"--loss", "150%"}, "httpsim sweep: loss 150%: --loss: 150% is out of range (0% to 99.9%)\n"},
		// -1 means "the scenario's value" inside: typed by the user, it
		// used to run the scenario's value under another name.
		{[]string{"--rtt", "50ms,-1ms"}, "httpsim sweep: --rtt: a value is negative; want 0 or more\n"},
		{[]string{"--loss", "0,-1%"}, "httpsim sweep: --loss: a value is negative; want 0 or more\n"},
		{[]string{"--bw", "5Mbps,-1Mbps"}, "httpsim sweep: --bw: a value is negative; want 0 or more\n"},
		// Two long ranges multiply to a billion runs: refused before the
		// grid is built (it ran out of memory).
		{[]string{"--loss", "0:99%:0.001%", "--rtt", "1ms:10s:1ms"}, "httpsim sweep: --loss (99001) × --rtt (10000) give more than 100000 runs; sweep at most 100000 at once\n"},
		{[]string{"--loss", "0:99%:0.0001%"}, "httpsim sweep: --loss: \"0:99%:0.0001%\" has more than 100000 values\n"},
		{[]string{"--seeds", "1..1000000"}, "httpsim sweep: --seeds: \"1..1000000\" has more than 100000 seeds\n"},
		// NaN passed every check and ran the default burst of 5.
		{[]string{"--loss", "2%", "--loss-model", "burst", "--burst", "NaN"}, "httpsim sweep: --burst: NaN is not a number (1 to 1000 packets)\n"},
		{[]string{"--loss", "2%", "--loss-model", "burst", "--burst", "2,-3"}, "httpsim sweep: --burst: -3 is out of range (1 to 1000 packets)\n"},
		{[]string{"--loss", "2%", "--loss-model", "burst", "--burst", "1e400"}, "httpsim sweep: --burst: \"1e400\" is not a number of packets\n"},
		// As httpsim run: a burst length needs the burst model.
		{[]string{"--burst", "2"}, "httpsim sweep: burst 2: --burst: needs --loss-model burst\n"},
		// Nothing swept: the point has no name of its own (it read ": …").
		{[]string{"--loss-model", "burst"}, "httpsim sweep: the scenario's own run: --loss-model, --burst: \"page\" has no loss to shape; give --loss too\n"},
		// A range missing its step was "unknown rate unit \"Mbps:100Mbps\"".
		{[]string{"--bw", "1Mbps:100Mbps"}, "httpsim sweep: --bw: \"1Mbps:100Mbps\" is not a range (start:stop:step, like 0:5%:0.5%) or a list (a,b,c)\n"},
		// The same point twice ran and printed the same rows twice.
		{[]string{"--seeds", "1,2,1"}, "httpsim sweep: --seeds: \"1,2,1\" lists seed 1 twice; list each once\n"},
		{[]string{"--loss", "1%,1.0%"}, "httpsim sweep: --loss: \"1%,1.0%\" lists 1.0% twice; list each value once\n"},
	} {
		_, _, errOut := runCLI(append([]string{"sweep"}, tt.args...)...)
		if !strings.HasPrefix(errOut, tt.want) {
			t.Errorf("%v: stderr %q; want %q", tt.args, errOut, tt.want)
		}
	}
}

// An updates sweep carries what updates are compared by: delivered
// updates and their latency (the CSV had neither, and a PLT that is only
// when the last update came).
func TestSweepUpdatesLatency(t *testing.T) {
	code, out, errOut := runCLI("sweep", "--scenario", "updates", "--seeds", "1", "--loss", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d rows, %v; want a header and 3 runs", len(rows), err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	mean := map[string]string{}
	for _, r := range rows[1:] {
		if r[col["updates_delivered"]] != "20" || r[col["latency_p95_ms"]] == "" {
			t.Errorf("%s: delivered %q, p95 %q; want 20 and a latency", r[col["proto"]], r[col["updates_delivered"]], r[col["latency_p95_ms"]])
		}
		mean[r[col["proto"]]] = r[col["latency_mean_ms"]]
	}
	if mean["websocket"] != "50.2128" || mean["short_poll"] == "" {
		t.Errorf("mean latencies %v; want WebSocket's 50.2128 ms (half the 100 ms RTT, and the frame's serialisation)", mean)
	}
}

// TestRunAndSweepSetLossAlike: run and sweep give a scenario the same
// loss for the same flags. --loss alone keeps a scenario's burst model and
// its mean burst (sweep switched to Bernoulli, and --loss-model burst
// reset the mean burst to 5); a model or a burst length on a scenario
// without loss, and no --loss, is refused (it ran with no loss).
func TestRunAndSweepSetLossAlike(t *testing.T) {
	write := func(rate float64) string {
		s := scenario.Bulk()
		s.Network.Down.Loss = link.Loss{Model: link.Burst, Rate: rate, MeanBurst: 2, DataOnly: true}
		doc, err := scenario.Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "burst.json")
		if err := os.WriteFile(file, doc, 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	file, want := write(0.02), write(0.03)
	hash := func(args ...string) string {
		code, out, errOut := runCLI(append([]string{"run", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("run %v: exit %d, %s", args, code, errOut)
		}
		_, h, _ := strings.Cut(out, `"trace_hash": "`)
		return h[:16]
	}
	for _, flags := range [][]string{{"--loss", "3%"}, {"--loss", "3%", "--loss-model", "burst"}} {
		if got, want := hash(append([]string{"--scenario", file}, flags...)...), hash("--scenario", want); got != want {
			t.Errorf("run %v on bursts of 2 at 2 %%: trace %s; want %s, the run of bursts of 2 at 3 %%", flags, got, want)
		}
		code, out, errOut := runCLI(append([]string{"sweep", "--scenario", file}, flags...)...)
		if code != 0 || !strings.Contains(out, ",3,burst,2,") {
			t.Errorf("sweep %v: exit %d, %s%s; want loss 3 (%%), burst model, mean burst 2", flags, code, errOut, out)
		}
	}
	for _, cmd := range []string{"run", "sweep"} {
		code, _, errOut := runCLI(cmd, "--scenario", "page", "--loss-model", "burst", "--burst", "3")
		if want := `--loss-model, --burst: "page" has no loss to shape; give --loss too`; code == 0 || !strings.Contains(errOut, want) {
			t.Errorf("%s --loss-model burst --burst 3 on a page without loss: exit %d, %q; want %q", cmd, code, errOut, want)
		}
	}
}

// TestNewLossKeepsScripts: --new-loss changes the new path's random loss
// only; the scripted losses and outages go on (they were dropped with the
// rest of the old path's settings).
func TestNewLossKeepsScripts(t *testing.T) {
	f := newScenarioFlags("run", "page")
	var out strings.Builder
	if code, done := f.parse([]string{"--drop", "5,9", "--migrate-at", "1s", "--new-loss", "1%"}, &out, &out, ""); done {
		t.Fatalf("parse: exit %d: %s", code, out.String())
	}
	s, err := f.build()
	if err != nil {
		t.Fatal(err)
	}
	pc := s.Network.PathChanges[0]
	if pc.Down == nil || len(pc.Down.Drop) != 2 || pc.Down.Loss.Rate != 0.01 || pc.Up == nil || pc.Up.Loss.Rate != 0.01 {
		t.Errorf("the new path: down %+v, up %+v; want 1%% loss both ways and the drops 5 and 9 down", pc.Down, pc.Up)
	}
}

// TestSweepNotesWhatVariantsFix: a swept flag applies to every variant, as
// compare's flags do, and sweep says so where a variant fixes that field
// itself, as compare does (its rows ran over QUIC without a word).
func TestSweepNotesWhatVariantsFix(t *testing.T) {
	tests := []struct {
		flags []string
		want  string // a note both commands print
	}{
		{[]string{"--proto", "h3"}, `note: --proto also set what variant "quic" fixes itself (protocols): it no longer differs there`},
		{[]string{"--rtt", "50ms"}, ""},
	}
	for _, tt := range tests {
		_, _, cmpErr := runCLI(append([]string{"compare", "--scenario", "handshakes"}, tt.flags...)...)
		code, _, sweepErr := runCLI(append([]string{"sweep", "--scenario", "handshakes"}, tt.flags...)...)
		cmpNotes := strings.ReplaceAll(cmpErr, "httpsim compare: ", "")
		sweepNotes := strings.ReplaceAll(sweepErr, "httpsim sweep: ", "")
		if code != 0 || sweepNotes != cmpNotes || !strings.Contains(sweepNotes, tt.want) {
			t.Errorf("sweep --scenario handshakes %v = exit %d, stderr %q; want exit 0 and compare's notes %q", tt.flags, code, sweepErr, cmpErr)
		}
	}
}

// TestMigrateAtKeepsTheNewPath: --migrate-at moves the time of a move the
// scenario has already, not where it goes (the migration lesson's cellular
// path, 80 ms and 8 Mbps, gave way to the Wi-Fi one); the --new-* flags
// change only what they name.
func TestMigrateAtKeepsTheNewPath(t *testing.T) {
	tests := []struct {
		args []string
		want scenario.PathChange
	}{
		{[]string{"--scenario", "migration", "--migrate-at", "1s"}, scenario.PathChange{At: time.Second, RTT: 80 * time.Millisecond, Bandwidth: 8 * units.Mbps}},
		{[]string{"--scenario", "migration", "--migrate-at", "1s", "--new-rtt", "60ms"}, scenario.PathChange{At: time.Second, RTT: 60 * time.Millisecond, Bandwidth: 8 * units.Mbps}},
		{[]string{"--scenario", "page", "--migrate-at", "2s", "--new-bw", "5Mbps"}, scenario.PathChange{At: 2 * time.Second, Bandwidth: 5 * units.Mbps}},
	}
	for _, tt := range tests {
		f := newScenarioFlags("run", "page")
		var out strings.Builder
		if code, done := f.parse(tt.args, &out, &out, ""); done {
			t.Fatalf("parse %v: exit %d: %s", tt.args, code, out.String())
		}
		s, err := f.build()
		if err != nil {
			t.Errorf("build %v: %v", tt.args, err)
			continue
		}
		if pcs := s.Network.PathChanges; len(pcs) != 1 || pcs[0] != tt.want {
			t.Errorf("build %v: path changes %+v; want [%+v]", tt.args, pcs, tt.want)
		}
	}
}

// TestLossUpTo999Permille: 99.9 %, the top of the range the errors name, is
// taken by run, by sweep and in a scenario file (it was refused: 99.9/100
// is 0.9990000000000001 in floating point).
func TestLossUpTo999Permille(t *testing.T) {
	file := filepath.Join(t.TempDir(), "lossy.json")
	doc := `{"version": 1, "workload": {"kind": "bulk", "size": "10KB"}, "network": {"down": {"loss": {"model": "bernoulli", "rate": "99.9%"}}}, "limits": {"max_events": 1000}}`
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string // in standard output
	}{
		{[]string{"run", "--loss", "99.9%", "--max-events", "1000"}, "loss 99.9%"},
		{[]string{"run", "--scenario", file}, "loss 99.9%"},
		{[]string{"sweep", "--loss", "99.9%", "--scenario", file}, ",99.9,bernoulli,"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(tt.args...)
		if code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("httpsim %s = exit %d, %q%q; want exit 0 and %q", strings.Join(tt.args, " "), code, errOut, out, tt.want)
		}
	}
}

// TestParseRangeRoundsToTheStep: a float range's points are start + k·step
// rounded to the decimals of its start and step, so the CSV says 0.3, not
// 0.30000000000000004.
func TestParseRangeRoundsToTheStep(t *testing.T) {
	tests := []struct {
		in   string
		want []float64
	}{
		{"0:0.3:0.1", []float64{0, 0.1, 0.2, 0.3}},
		{"0:2%:0.7%", []float64{0, 0.007, 0.014}},
		{"0.1%:1%:0.3%", []float64{0.001, 0.004, 0.007, 0.01}},
		{"0.25:1:0.5", []float64{0.25, 0.75}},
	}
	for _, tt := range tests {
		got, err := parseRange(tt.in, units.ParseFraction, nil)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("parseRange(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	// The CSV writes the loss in percent, rounded: 0.7 %, not
	// 0.7000000000000001.
	code, out, errOut := runCLI("sweep", "--scenario", "bulk", "--loss", "0:2%:0.7%")
	if code != 0 || !strings.Contains(out, ",0.7,") || !strings.Contains(out, ",1.4,") || strings.Contains(out, "0.7000") {
		t.Errorf("sweep --loss 0:2%%:0.7%% = exit %d, %s%s; want rows at loss 0.7 and 1.4 (%%)", code, errOut, out)
	}
	// A bare number is refused: 0.5 meant half a percent, and ran at 50 %.
	code, _, errOut = runCLI("sweep", "--scenario", "bulk", "--loss", "0:0.3:0.1")
	if want := "httpsim sweep: --loss: \"0.3\" has no unit: write a percentage, \"0.3%\", or \"30%\" for a fraction of 0.3"; code != 2 || !strings.Contains(errOut, want) {
		t.Errorf("sweep --loss 0:0.3:0.1 = exit %d, %q; want 2 and %q", code, errOut, want)
	}
}

// A row gives the network its run had: a variant that sets its own loss
// (the loss-sweep lesson's) is not written with the base's none.
func TestSweepRowsGiveTheVariantsNetwork(t *testing.T) {
	code, out, errOut := runCLI("sweep", "--scenario", "loss-sweep", "--seeds", "1", "--proto", "h2")
	for _, want := range []string{"\nloss-sweep,no-loss,h2,1,0,none,,", "\nloss-sweep,random-1,h2,1,1,bernoulli,,", "\nloss-sweep,burst-2,h2,1,2,burst,5,"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("sweep --scenario loss-sweep = exit %d, %s%s; want a row starting %q", code, errOut, out, want)
		}
	}
}

// TestSweepKeepsTheScenariosSeed: without --seeds a sweep runs the seed
// the scenario names, as run does (the loss-sweep lesson's 2: sweep ran 1,
// and its numbers disagreed with run's and compare's).
func TestSweepKeepsTheScenariosSeed(t *testing.T) {
	code, out, errOut := runCLI("run", "--json", "--scenario", "loss-sweep", "--variant", "random-1", "--proto", "h2")
	if code != 0 {
		t.Fatalf("run: exit %d, %s", code, errOut)
	}
	_, h, _ := strings.Cut(out, `"trace_hash": "`)
	want, _, _ := strings.Cut(h, `"`)
	code, out, errOut = runCLI("sweep", "--scenario", "loss-sweep", "--variant", "random-1", "--proto", "h2")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 2 {
		t.Fatalf("sweep: exit %d, %v, %s%s; want a header and one row", code, err, errOut, out)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if seed, hash := rows[1][col["seed"]], rows[1][col["trace_hash"]]; seed != "2" || hash != want || want == "" {
		t.Errorf("sweep --scenario loss-sweep: seed %s, trace %s; want the lesson's seed 2 and run's trace %s", seed, hash, want)
	}
}

// TestSweepInterruptedKeepsTheFile: a sweep stopped by Ctrl-C (its context
// ending) leaves --csv's file as it was, and no temporary file beside it,
// and fails saying so; os.Create had emptied the file at the start.
func TestSweepInterruptedKeepsTheFile(t *testing.T) {
	defer func() { sweepRun = scenario.Run }()
	tests := []struct {
		name    string
		atStart bool // interrupted before any run, or after the first
		want    string
	}{
		{"before any run", true, "interrupted after 0 of 3 runs"},
		{"after one run", false, "interrupted after 1 of 3 runs"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		file := filepath.Join(dir, "old.csv")
		if err := os.WriteFile(file, []byte("the user's old rows\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if tt.atStart {
			cancel()
		}
		sweepRun = func(s *scenario.Scenario, o scenario.Options) (*scenario.Result, error) {
			defer cancel()
			return scenario.Run(s, o)
		}
		var out, errOut bytes.Buffer
		code := sweep(ctx, []string{"--scenario", "bulk", "--seeds", "1..3", "--jobs", "1", "--csv", file}, &out, &errOut)
		cancel()
		want := tt.want + "; " + file + " left as it was\n"
		if code == 0 || !strings.HasSuffix(errOut.String(), want) {
			t.Errorf("%s: exit %d, stderr %q; want non-zero and %q", tt.name, code, errOut.String(), want)
		}
		if b, err := os.ReadFile(file); err != nil || string(b) != "the user's old rows\n" {
			t.Errorf("%s: the file holds %q, %v; want the old rows", tt.name, b, err)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%s: %d files in the folder; want the old one only (no temporary file left)", tt.name, len(ents))
		}
	}
}

// TestSweepRunFailing: a run that fails leaves no short "error,…" row
// among the others (rows keep the header's columns); the sweep names the
// point that failed and exits non-zero, and the other rows are written.
func TestSweepRunFailing(t *testing.T) {
	defer func() { sweepRun = scenario.Run }()
	sweepRun = func(s *scenario.Scenario, o scenario.Options) (*scenario.Result, error) {
		if s.Seed == 2 {
			return nil, errors.New("the scenario file changed")
		}
		return scenario.Run(s, o)
	}
	file := filepath.Join(t.TempDir(), "out.csv")
	code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--seeds", "1..3", "--csv", file)
	want := "httpsim sweep: seed 2: the scenario file changed\nhttpsim sweep: 1 of 3 runs failed (above); their rows are left out\n"
	if code == 0 || errOut != want {
		t.Errorf("exit %d, stderr %q; want non-zero and %q", code, errOut, want)
	}
	b, _ := os.ReadFile(file)
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) != 3 || rows[1][3] != "1" || rows[2][3] != "3" {
		t.Errorf("the CSV: %q, %v; want the header and the rows of seeds 1 and 3", b, err)
	}
}

// TestSweepCSVThroughAPipe: --csv /dev/stdout, or a process substitution
// (/dev/fd/63), writes to the pipe: following their links by hand led to
// "pipe:[N]", which names no file, and the sweep refused the path.
func TestSweepCSVThroughAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Skip("no pipes:", err)
	}
	defer r.Close()
	path := fmt.Sprintf("/proc/self/fd/%d", w.Fd())
	if _, err := os.Stat(path); err != nil {
		w.Close()
		t.Skip("no /proc/self/fd:", err)
	}
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		got <- b
	}()
	code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--csv", path)
	w.Close()
	if b := <-got; code != 0 || !bytes.HasPrefix(b, []byte("scenario,")) {
		t.Errorf("sweep --csv %s (a pipe): exit %d, %s; the pipe read %.40q; want the CSV", path, code, errOut, b)
	}
}

// TestSweepCSVThroughALinkedFolder: a link's relative target is found from
// the folder the link is in, after that folder's own link, as the kernel
// finds it: "../out.csv" in a linked folder is beside the folder's target.
func TestSweepCSVThroughALinkedFolder(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.MkdirAll(filepath.Join(real, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(real, "out.csv"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(real, "sub"), filepath.Join(dir, "D")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink("../out.csv", filepath.Join(real, "sub", "link.csv")); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--csv", filepath.Join(dir, "D", "link.csv")); code != 0 {
		t.Fatalf("exit %d, %s", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(real, "out.csv")); !bytes.HasPrefix(b, []byte("scenario,")) {
		t.Errorf("real/out.csv holds %.40q; want the CSV", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Error("a new out.csv beside the linked folder; want none")
	}
}

// TestSweepCSVToADevice: --csv on a device or pipe (/dev/stdout) writes
// to it, rather than renaming a file over it.
func TestSweepCSVToADevice(t *testing.T) {
	st, err := os.Stat(os.DevNull)
	if err != nil || st.Mode().IsRegular() {
		t.Skip("no null device")
	}
	code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--csv", os.DevNull)
	if st2, err := os.Stat(os.DevNull); code != 0 || err != nil || st2.Mode() != st.Mode() {
		t.Errorf("sweep --csv %s: exit %d, %s; the device is now %v, %v", os.DevNull, code, errOut, st2.Mode(), err)
	}
}

// TestSweepCSVThroughLinks: --csv through a symbolic link writes the file
// it names, even one not yet made, and keeps the link; a file with a second
// hard link is written in place, so both names read the new rows. The
// rename over the named file had replaced the dangling link with a file,
// and cut the hard link.
func TestSweepCSVThroughLinks(t *testing.T) {
	dir := t.TempDir()
	link, target := filepath.Join(dir, "link.csv"), filepath.Join(dir, "data.csv")
	if err := os.Symlink("data.csv", link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--csv", link); code != 0 {
		t.Fatalf("sweep --csv to a dangling link: exit %d, %s", code, errOut)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link is now %v, %v; want it kept", st.Mode(), err)
	}
	if b, err := os.ReadFile(target); err != nil || !bytes.HasPrefix(b, []byte("scenario,")) {
		t.Errorf("the link's target holds %.40q, %v; want the CSV", b, err)
	}

	other := filepath.Join(dir, "other-name.csv")
	if err := os.Link(target, other); err != nil {
		t.Skip("no hard links here:", err)
	}
	if code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--seeds", "1..2", "--csv", target); code != 0 {
		t.Fatalf("sweep --csv to a hard-linked file: exit %d, %s", code, errOut)
	}
	a, _ := os.ReadFile(target)
	b, _ := os.ReadFile(other)
	if rows := bytes.Count(a, []byte("\n")); rows != 3 || !bytes.Equal(a, b) {
		t.Errorf("%d lines under the name given, %d under its other name; want the header and two rows under both", rows, bytes.Count(b, []byte("\n")))
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 3 {
		t.Errorf("%d files in the folder; want the link, the file and its other name (no temporary file left)", len(ents))
	}
}

// TestSweepCSVInAFolderThatTakesNoFile: a writable file in a folder that
// takes no new file is written in place, not refused. (Root writes any
// folder, so this runs as another user.)
func TestSweepCSVInAFolderThatTakesNoFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write to any folder")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(file, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--csv", file)
	if b, _ := os.ReadFile(file); code != 0 || !bytes.HasPrefix(b, []byte("scenario,")) {
		t.Errorf("exit %d, %s; the file holds %.40q; want the CSV", code, errOut, b)
	}
}

// TestSweepCSVThroughALinkedFolderAndDotDot: "linked/../l.csv" is beside
// the folder the link names, as the kernel resolves it; taken as text it
// was "l.csv" here, and both the link found and the temporary file's
// folder were wrong.
func TestSweepCSVThroughALinkedFolderAndDotDot(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "a")
	if err := os.MkdirAll(filepath.Join(real, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	cwd := filepath.Join(dir, "cwd")
	if err := os.Mkdir(cwd, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(real, "target.csv"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(real, "b"), filepath.Join(cwd, "linkdir")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink("target.csv", filepath.Join(real, "l.csv")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cwd, "linkdir") + string(filepath.Separator) + ".." + string(filepath.Separator) + "l.csv"
	if code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--csv", path); code != 0 {
		t.Fatalf("exit %d, %s", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(real, "target.csv")); !bytes.HasPrefix(b, []byte("scenario,")) {
		t.Errorf("real/a/target.csv holds %.40q; want the CSV", b)
	}
	if ents, _ := os.ReadDir(cwd); len(ents) != 1 {
		t.Errorf("%d entries in the folder the path starts in; want the link alone", len(ents))
	}
}

// TestSweepCSVAppendsToStdout: --csv /dev/stdout writes through the
// process's own standard output, so `>> f` appends to f; reopening the
// path wrote f from its start, and renaming over it replaced it.
func TestSweepCSVAppendsToStdout(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, []byte("prev\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stdout := os.Stdout
	os.Stdout = f
	code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--csv", "/dev/stdout")
	os.Stdout = stdout
	if b, _ := os.ReadFile(file); code != 0 || !bytes.HasPrefix(b, []byte("prev\nscenario,")) {
		t.Errorf("exit %d, %s; the file holds %.40q; want its old line, then the CSV", code, errOut, b)
	}
}

// TestSweepCSVToAnotherDescriptor: /proc/self/fd/N (or /dev/fd/N) for a
// descriptor on a regular file, as `5>> f` gives, appends to that file;
// following its link's text renamed a new file over it.
func TestSweepCSVToAnotherDescriptor(t *testing.T) {
	file := filepath.Join(t.TempDir(), "h")
	if err := os.WriteFile(file, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	path := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	if _, err := os.Stat(path); err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--csv", path)
	if b, _ := os.ReadFile(file); code != 0 || !bytes.HasPrefix(b, []byte("old\nscenario,")) {
		t.Errorf("exit %d, %s; the file holds %.40q; want its old line, then the CSV", code, errOut, b)
	}
}

// TestSweepCSVDeviceFull: a failed write to standard output is said as
// such, not as a file "left as it was".
func TestSweepCSVDeviceFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	stdout := os.Stdout
	os.Stdout = full
	code, _, errOut := runCLI("sweep", "--scenario", "bulk", "--csv", "/dev/stdout")
	os.Stdout = stdout
	if want := "httpsim sweep: --csv: /dev/stdout: no space left on device\n"; code == 0 || errOut != want {
		t.Errorf("exit %d, stderr %q; want non-zero and %q", code, errOut, want)
	}
}
