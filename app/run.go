package app

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
)

// runOutput is what one finished run leaves for the page.
type runOutput struct {
	summary SummaryData
	series  cwndSeries
	err     error
}

// Chunking: a run fires events in chunks sized to take about chunkTarget of
// wall-clock time, then yields to the browser until its next animation frame,
// so input and painting never wait for a whole run.
const (
	chunkTarget = 8 * time.Millisecond
	minBudget   = 256
	maxBudget   = 1 << 22
	firstBudget = 4096
)

// runTracker numbers runs so that a newer setting supersedes a run still in
// progress: a run stops at its next chunk boundary once it is no longer the
// latest, and its result is dropped.
type runTracker struct {
	latest atomic.Uint64
	// budget, if positive, fixes every chunk's event budget (for tests);
	// otherwise chunks adapt to take about chunkTarget each.
	budget int64
}

// next starts a new generation and returns its number.
func (t *runTracker) next() uint64 { return t.latest.Add(1) }

// current reports whether gen is the latest generation.
func (t *runTracker) current(gen uint64) bool { return t.latest.Load() == gen }

// run simulates p in chunks, calling between (from the run's goroutine) with
// the fraction done after every chunk but the last. It reports false if a
// newer run superseded this one.
func (t *runTracker) run(gen uint64, p Params, between func(progress float64)) (out runOutput, ok bool) {
	defer func() {
		// A bug in the simulator must not take the page down with it.
		if r := recover(); r != nil {
			out, ok = runOutput{err: fmt.Errorf("internal error: %v", r)}, true
		}
	}()
	r, err := scenario.Start(p.Scenario(), scenario.Options{KeepTrace: true})
	if err != nil {
		return runOutput{err: err}, true
	}
	var frames frameWaiter
	defer frames.release()
	budget := int64(firstBudget)
	if t.budget > 0 {
		budget = t.budget
	}
	for {
		if !t.current(gen) {
			return runOutput{}, false
		}
		start := time.Now()
		if r.Step(budget) {
			break
		}
		if t.budget <= 0 {
			budget = nextBudget(budget, time.Since(start))
		}
		between(r.Progress())
		frames.wait()
	}
	res := r.Result()
	out.summary = summaryFromResult(res)
	if res.Log != nil {
		out.series = seriesFromEvents(res.Log.Events())
	}
	return out, true
}

// nextBudget scales the event budget of a chunk so that the next one takes
// about chunkTarget.
func nextBudget(budget int64, took time.Duration) int64 {
	switch {
	case took <= 0:
		budget *= 2
	default:
		budget = int64(float64(budget) * float64(chunkTarget) / float64(took))
	}
	return min(max(budget, minBudget), maxBudget)
}

// frameWaiter blocks a goroutine until the browser's next animation frame.
// Blocking is what lets the JavaScript event loop run: Go's WebAssembly port
// returns to it only when every goroutine is blocked. Each run has its own
// waiter, so a superseded run cannot take another run's frame.
type frameWaiter struct {
	ch chan struct{}
	fn app.Func
}

func (w *frameWaiter) wait() {
	if !app.IsClient {
		return // natively there is no event loop to yield to
	}
	if w.ch == nil {
		w.ch = make(chan struct{}, 1)
		w.fn = app.FuncOf(func(app.Value, []app.Value) any {
			select {
			case w.ch <- struct{}{}:
			default:
			}
			return nil
		})
	}
	app.Window().Call("requestAnimationFrame", w.fn)
	<-w.ch
}

func (w *frameWaiter) release() {
	if w.fn != nil {
		w.fn.Release()
	}
}
