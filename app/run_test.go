package app

import (
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
		want := buildViews(s, res)
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
