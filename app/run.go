package app

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
)

// runOutput is what one finished run leaves for the page: each protocol's
// indexed run, ready to draw.
type runOutput struct {
	views []*runView
	hash  string // the first run's trace hash, for tests
	err   error
	// simTime and indexTime are how long simulating and indexing took (wall
	// clock, yields to the browser included), stepTime the part spent in
	// the simulator itself, for the performance figures.
	simTime, indexTime, stepTime time.Duration
	// started is performance.now() when the run began (after the change
	// was handled and rendered); yieldTime is the wall-clock time spent
	// handing the browser its turns between chunks, chunks their number.
	started   float64
	yieldTime time.Duration
	chunks    int
}

// Chunking: a run fires events in chunks sized to take about chunkTarget of
// wall-clock time, then yields to the browser (see yielder), so input and
// painting never wait long for a long run. The first firstTurn of a run goes
// without yielding: each turn lets the browser paint a frame, which costs a
// headless, software-rendered Chromium about 10 ms, and a run this short is
// better shown whole. The default comparison (about 30 ms of simulation in
// the browser) then takes no turn at all, and a slider drag shows each
// result as it goes instead of superseding every run until the drag stops.
// The page's first run, with nothing on screen yet to keep smooth and the
// browser's first paint and the storage's opening waiting for any turn,
// takes its first after firstRunTurn (it is also the slowest: the browser
// has not yet optimised the code; the default comparison takes 150–300 ms),
// then one every firstTurn, so a long run still shows its progress.
const (
	firstTurn    = 50 * time.Millisecond
	firstRunTurn = 250 * time.Millisecond
	chunkTarget  = 12 * time.Millisecond
	minBudget    = 256
	maxBudget    = 1 << 22
	firstBudget  = 4096
)

// runTracker numbers runs so that a newer setting supersedes a run still in
// progress: a run stops at its next chunk boundary once it is no longer the
// latest, and its result is dropped.
type runTracker struct {
	latest atomic.Uint64
	// budget, if positive, fixes every chunk's event budget and yields
	// after each (for tests); otherwise chunks adapt to take about
	// chunkTarget each, and the first turn comes after firstTurn.
	budget int64
	// turnEvery, if positive, fixes every wait before a turn (for tests).
	turnEvery time.Duration
	// kept are the last finished run's loads, which the next run reuses
	// where its settings leave them as they were.
	kept keptLoads
}

// next starts a new generation and returns its number.
func (t *runTracker) next() uint64 { return t.latest.Add(1) }

// current reports whether gen is the latest generation.
func (t *runTracker) current(gen uint64) bool { return t.latest.Load() == gen }

// run simulates p in chunks, calling between (from the run's goroutine) with
// the fraction done after every chunk but the last. It reports false if a
// newer run superseded this one.
func (t *runTracker) run(gen uint64, p Params, between func(progress float64)) (out runOutput, ok bool) {
	start := time.Now()
	out.started = perfNow()
	defer func() {
		// A bug in the simulator must not take the page down with it.
		if r := recover(); r != nil {
			out, ok = runOutput{err: fmt.Errorf("internal error: %v", r)}, true
		}
	}()
	s, err := p.Build()
	if err != nil {
		return runOutput{err: err}, true
	}
	r, err := scenario.Start(s, scenario.Options{KeepTrace: true, Reuse: t.kept.reuse})
	if err != nil {
		return runOutput{err: err}, true
	}
	var y yielder
	defer y.release()
	budget := int64(firstBudget)
	quiet, then := t.pace(gen)
	lastTurn := start
	if t.budget > 0 {
		budget = t.budget
	}
	for {
		if !t.current(gen) {
			return runOutput{}, false
		}
		chunk := time.Now()
		done := r.Step(budget)
		took := time.Since(chunk)
		out.stepTime += took
		out.chunks++
		if done {
			break
		}
		if t.budget <= 0 {
			budget = nextBudget(budget, took)
			if time.Since(lastTurn) < quiet {
				continue
			}
			quiet = then
		}
		yieldStart, yieldAt := time.Now(), perfNow()
		between(r.Progress())
		y.wait()
		lastTurn = time.Now()
		out.yieldTime += time.Since(yieldStart)
		perfMeasureSince("httpsim:turn", yieldAt, perfNow())
		if !t.current(gen) {
			return runOutput{}, false
		}
	}
	if !t.current(gen) {
		// Superseded during its last chunk: indexing it would only
		// replace the kept loads with ones never shown.
		return runOutput{}, false
	}
	res := r.Result()
	out.simTime = time.Since(start)
	indexStart := time.Now()
	out.views = buildViews(s, res, &t.kept)
	out.indexTime = time.Since(indexStart)
	out.hash = res.TraceHash
	return out, true
}

// buildViews indexes every protocol's run of a result. With kept, a load it
// reused keeps its view where it can, and the result's loads are kept for
// the next run.
func buildViews(s *scenario.Scenario, res *scenario.Result, kept *keptLoads) []*runView {
	if len(res.Runs) == 0 {
		v := buildBulkView(s, res)
		v.names = [2]string{protoName(LangEN, "tcp"), protoName(LangZH, "tcp")}
		v.summary.Names = v.names
		return []*runView{v}
	}
	perVariant := map[string]int{}
	for _, run := range res.Runs {
		perVariant[run.Variant]++
	}
	views := make([]*runView, len(res.Runs))
	loads := make([]keptLoad, len(res.Runs))
	for i, run := range res.Runs {
		vs := s
		var label scenario.Text
		for _, v := range s.Variants {
			if v.Name == run.Variant {
				vs, label = v.Scenario, v.Label
				break
			}
		}
		var names [2]string
		for l, code := range []string{"en", "zh"} {
			name := protoName(Lang(l), run.Proto)
			if run.Variant != "" {
				text := label.In(code)
				if text == "" {
					text = run.Variant
				}
				if perVariant[run.Variant] > 1 {
					text += " · " + name
				}
				name = text
			}
			names[l] = name
		}
		in := viewInputsOf(vs, run.Proto)
		if views[i] = kept.view(run, in, names); views[i] == nil {
			views[i] = buildPageView(vs, run)
			views[i].names = names
			views[i].summary.Names = names
		}
		views[i].summary.Variant = run.Variant
		loads[i] = keptLoad{run: run, view: views[i], inputs: in, names: names}
	}
	kept.keep(loads)
	return views
}

// protoName is a protocol's display name.
func protoName(l Lang, proto string) string {
	if _, ok := messages["proto."+proto]; ok {
		return l.T("proto." + proto)
	}
	return proto
}

// pace returns how long run gen goes before its first turn, and before
// each later one.
func (t *runTracker) pace(gen uint64) (first, then time.Duration) {
	switch {
	case t.turnEvery > 0:
		return t.turnEvery, t.turnEvery
	case gen == 1: // the page's first run
		return firstRunTurn, firstTurn
	}
	return firstTurn, chunkTarget
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

// yielder blocks a goroutine until the browser has had a turn: Go's
// WebAssembly port returns to the JavaScript event loop only when every
// goroutine is blocked. It resumes through draw.js's httpsimYield (a
// MessageChannel task, not held to the frame rate), or the next animation
// frame where that is missing. Each run has its own, so a superseded run
// cannot take another run's turn.
type yielder struct {
	ch chan struct{}
	fn app.Func
}

func (w *yielder) wait() {
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
	if y := app.Window().Get("httpsimYield"); y.Truthy() {
		app.Window().Call("httpsimYield", w.fn)
	} else {
		app.Window().Call("requestAnimationFrame", w.fn)
	}
	<-w.ch
}

func (w *yielder) release() {
	if w.fn != nil {
		w.fn.Release()
	}
}

// waitForPaint blocks a goroutine until the browser has painted what the
// page rendered before: the next animation frame comes before that frame's
// paint, and a task queued from it (yielder's) runs after it.
func waitForPaint() {
	var f frameTicker
	f.wait()
	f.release()
	var y yielder
	y.wait()
	y.release()
}

// frameTicker blocks a goroutine until the browser's next animation frame,
// for playback.
type frameTicker struct {
	ch chan struct{}
	fn app.Func
}

func (f *frameTicker) wait() {
	if !app.IsClient {
		time.Sleep(time.Second / 60)
		return
	}
	if f.ch == nil {
		f.ch = make(chan struct{}, 1)
		f.fn = app.FuncOf(func(app.Value, []app.Value) any {
			select {
			case f.ch <- struct{}{}:
			default:
			}
			return nil
		})
	}
	app.Window().Call("requestAnimationFrame", f.fn)
	<-f.ch
}

func (f *frameTicker) release() {
	if f.fn != nil {
		f.fn.Release()
	}
}
