package app

import (
	"testing"
	"time"

	"httpsim/sim/scenario"
)

// TestRunMatchesScenarioRun checks that running in chunks changes nothing:
// the summary and the series are those of a run in one go.
func TestRunMatchesScenarioRun(t *testing.T) {
	for _, p := range []Params{DefaultParams(), {LossPermille: 20, RTTMillis: 40, Seed: 3}} {
		tr := runTracker{budget: minBudget} // several chunks
		gen := tr.next()
		progress := []float64{}
		out, ok := tr.run(gen, p, func(f float64) { progress = append(progress, f) })
		if !ok || out.err != nil {
			t.Fatalf("run(%v) = ok %v, err %v; want a result", p, ok, out.err)
		}
		res, err := scenario.Run(p.Scenario(), scenario.Options{KeepTrace: true})
		if err != nil {
			t.Fatal(err)
		}
		if out.summary != summaryFromResult(res) {
			t.Errorf("run(%v) summary = %+v; want %+v", p, out.summary, summaryFromResult(res))
		}
		if want := seriesFromEvents(res.Log.Events()); !equalInts(out.series.Cwnd, want.Cwnd) || out.series.End != want.End {
			t.Errorf("run(%v) series differs from the one-go run's", p)
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
	p := Params{LossPermille: 10, RTTMillis: 100, Seed: 1}
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

func TestSummaryState(t *testing.T) {
	tests := []struct {
		s    Summary
		want string
	}{
		{Summary{}, "loading"},
		{Summary{Running: true}, "running"},
		{Summary{Has: true, Running: true}, "running"},
		{Summary{Has: true}, "done"},
		{Summary{Has: true, Err: "bad"}, "error"},
	}
	for _, tt := range tests {
		if got := tt.s.State(); got != tt.want {
			t.Errorf("Summary{Has: %v, Running: %v, Err: %q}.State() = %q; want %q", tt.s.Has, tt.s.Running, tt.s.Err, got, tt.want)
		}
	}
}
