package app

import (
	"strings"
	"testing"
	"time"

	"httpsim/sim/scenario"
)

// TestRunMatchesScenarioRun checks that running in chunks changes nothing:
// every protocol's trace and summary are those of a run in one go.
func TestRunMatchesScenarioRun(t *testing.T) {
	bulk := ParamsFrom(scenario.Bulk())
	bulk.LossPermille, bulk.RTTMillis, bulk.Seed = 20, 40, 3
	for _, p := range []Params{DefaultParams(), bulk} {
		tr := runTracker{budget: minBudget} // several chunks
		gen := tr.next()
		progress := []float64{}
		out, ok := tr.run(gen, p, func(f float64) { progress = append(progress, f) })
		if !ok || out.err != nil {
			t.Fatalf("run(%v) = ok %v, err %v; want a result", p, ok, out.err)
		}
		s, err := p.Build()
		if err != nil {
			t.Fatal(err)
		}
		res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
		if err != nil {
			t.Fatal(err)
		}
		want := buildViews(s, res, nil)
		if len(out.views) != len(want) {
			t.Fatalf("run(%v) made %d views; want %d", p, len(out.views), len(want))
		}
		for i := range want {
			if out.views[i].summary != want[i].summary {
				t.Errorf("run(%v) view %d summary = %+v; want %+v", p, i, out.views[i].summary, want[i].summary)
			}
		}
		if out.hash != res.TraceHash {
			t.Errorf("run(%v) hash = %s; want %s", p, out.hash, res.TraceHash)
		}
		for i := 1; i < len(progress); i++ {
			if progress[i] < progress[i-1] || progress[i] > 1 {
				t.Errorf("run(%v) progress %v; want non-decreasing values up to 1", p, progress)
				break
			}
		}
	}
}

func TestRunSuperseded(t *testing.T) {
	tr := runTracker{budget: 16}
	gen := tr.next()
	p := DefaultParams()
	chunks := 0
	_, ok := tr.run(gen, p, func(float64) {
		if chunks++; chunks == 3 {
			tr.next() // a newer setting arrives mid-run
		}
	})
	if ok {
		t.Errorf("run superseded mid-run reported ok; want it dropped")
	}
	if chunks != 3 {
		t.Errorf("superseded run went on for %d chunks; want it to stop after the 3rd", chunks)
	}
	if tr.current(gen) {
		t.Errorf("current(%d) = true after a newer run started", gen)
	}
}

// With adaptive chunks a run takes its first turn only after firstTurn: a
// short run finishes without one, a long one hands the browser turns.
func TestRunFirstTurn(t *testing.T) {
	p := DefaultParams()
	quiet := runTracker{turnEvery: time.Hour}
	turns := 0
	out, ok := quiet.run(quiet.next(), p, func(float64) { turns++ })
	if !ok || out.err != nil || turns != 0 || out.chunks < 2 {
		t.Errorf("run with an hour before the first turn: ok %v, err %v, %d turns in %d chunks; want none in several", ok, out.err, turns, out.chunks)
	}
	eager := runTracker{turnEvery: time.Nanosecond}
	turns = 0
	again, ok := eager.run(eager.next(), p, func(float64) { turns++ })
	if !ok || turns != again.chunks-1 {
		t.Errorf("run with its first turn at once: %d turns in %d chunks; want one after every chunk but the last", turns, again.chunks)
	}
	if again.hash != out.hash {
		t.Errorf("hash %s with turns, %s without; want the same run", again.hash, out.hash)
	}
}

func TestNextBudget(t *testing.T) {
	tests := []struct {
		budget int64
		took   time.Duration
		want   int64
	}{
		{4096, chunkTarget, 4096},
		{4096, chunkTarget / 2, 8192},
		{4096, 2 * chunkTarget, 2048},
		{4096, 0, 8192},
		{1000, time.Second, minBudget},
		{maxBudget, time.Nanosecond, maxBudget},
	}
	for _, tt := range tests {
		if got := nextBudget(tt.budget, tt.took); got != tt.want {
			t.Errorf("nextBudget(%d, %v) = %d; want %d", tt.budget, tt.took, got, tt.want)
		}
	}
}

// TestRunReusesUntouchedLoads changes settings one protocol reads, one at a
// time: only that protocol runs again, the others keep their loads and
// views, and every view is the one a fresh run gives.
func TestRunReusesUntouchedLoads(t *testing.T) {
	tr := runTracker{}
	p := DefaultParams()
	if p.Protos != "h1,h2,h3" {
		t.Fatalf("default protocols %q; this test wants h1, h2 and h3", p.Protos)
	}
	first, ok := tr.run(tr.next(), p, func(float64) {})
	if !ok || first.err != nil {
		t.Fatalf("first run: ok %v, err %v", ok, first.err)
	}
	seen := [][]*runView{first.views}
	changes := []struct {
		name   string
		change func(*Params)
		rerun  string // the protocols that must run again
	}{
		{"HPACK table", func(p *Params) { p.HPACKTable = 0 }, "h2"},
		{"HTTP/1.1 connections", func(p *Params) { p.H1Conns = 2 }, "h1"},
		{"QPACK table", func(p *Params) { p.QPACKTable = 4096 }, "h3"},
		{"loss", func(p *Params) { p.LossPermille = 35 }, "h1 h2 h3"},
		{"nothing", func(*Params) {}, ""},
		{"loss back, two runs ago", func(p *Params) { p.LossPermille = DefaultParams().LossPermille }, ""},
		{"loss again", func(p *Params) { p.LossPermille = 35 }, ""},
		{"HTTP/2 ticked off", func(p *Params) { p.Protos = "h1,h3" }, ""},
		{"HTTP/2 ticked on again", func(p *Params) { p.Protos = "h1,h2,h3" }, ""},
	}
	for _, c := range changes {
		c.change(&p)
		out, ok := tr.run(tr.next(), p, func(float64) {})
		if !ok || out.err != nil {
			t.Fatalf("%s: ok %v, err %v", c.name, ok, out.err)
		}
		_, res, fresh := runViews(t, p)
		if len(out.views) != len(fresh) {
			t.Fatalf("%s: %d views; want %d", c.name, len(out.views), len(fresh))
		}
		for i, v := range out.views {
			kept := false
			for _, older := range seen {
				for _, pv := range older {
					kept = kept || v == pv
				}
			}
			if rerun := strings.Contains(c.rerun, v.proto); kept == rerun {
				t.Errorf("%s: %s view kept %v; want %v", c.name, v.proto, kept, !rerun)
			}
			if v.summary != fresh[i].summary || len(v.packets) != len(fresh[i].packets) || v.end != fresh[i].end {
				t.Errorf("%s: %s view = %+v; a fresh run gives %+v", c.name, v.proto, v.summary, fresh[i].summary)
			}
		}
		if out.hash != res.TraceHash {
			t.Errorf("%s: hash %s; a fresh run gives %s", c.name, out.hash, res.TraceHash)
		}
		seen = append(seen, out.views)
	}
}

// A kept load whose heading changes gets a new view: the bundling lesson's
// columns are its variants, and with a second protocol each heading also
// names its protocol.
func TestRunRenamesKeptLoads(t *testing.T) {
	s, err := scenario.Builtin("bundling")
	if err != nil {
		t.Fatal(err)
	}
	p := ParamsFrom(s)
	p.Protos = "h1"
	tr := runTracker{}
	first, ok := tr.run(tr.next(), p, func(float64) {})
	if !ok || first.err != nil {
		t.Fatalf("first run: ok %v, err %v", ok, first.err)
	}
	p.Protos = "h1,h2"
	out, ok := tr.run(tr.next(), p, func(float64) {})
	if !ok || out.err != nil {
		t.Fatalf("second run: ok %v, err %v", ok, out.err)
	}
	_, _, fresh := runViews(t, p)
	for i, v := range out.views {
		if v.names != fresh[i].names || v.summary != fresh[i].summary {
			t.Errorf("view %d: %q %+v; a fresh run gives %q %+v", i, v.names, v.summary, fresh[i].names, fresh[i].summary)
		}
		for _, old := range first.views {
			if v == old {
				t.Errorf("view %d (%q) is the first run's, headed %q", i, v.names, old.names)
			}
		}
	}
}

// The kept loads stay within keptEvents besides the latest run's, and the
// latest run's are always kept.
func TestKeptLoadsBounded(t *testing.T) {
	tr := runTracker{}
	p := DefaultParams()
	for i := range 10 {
		p.LossPermille = 10 + 3*i
		out, ok := tr.run(tr.next(), p, func(float64) {})
		if !ok || out.err != nil {
			t.Fatalf("run %d: ok %v, err %v", i, ok, out.err)
		}
		loads := tr.kept.loads
		if len(loads) < len(out.views) {
			t.Fatalf("run %d: %d loads kept; want at least the latest %d", i, len(loads), len(out.views))
		}
		older := 0
		for j, l := range loads {
			if j < len(out.views) {
				if l.view != out.views[j] {
					t.Errorf("run %d: kept load %d is not the latest run's", i, j)
				}
				continue
			}
			older += l.run.Log.Kept()
		}
		if older > keptEvents {
			t.Errorf("run %d: %d older events kept; want at most %d", i, older, keptEvents)
		}
		if i == 9 && len(loads) == len(out.views) {
			t.Errorf("no older load kept at all")
		}
	}
}
