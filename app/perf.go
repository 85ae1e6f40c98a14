package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Names of the entries httpsim leaves on the browser's performance timeline,
// where DevTools and the end-to-end tests read them.
const (
	// MeasureUpdate times one update: from the change of a setting to the
	// redrawn canvases (re-run, indexing, drawing; go-app's render too when
	// the new views need new canvases or sizes).
	MeasureUpdate = "httpsim:update"
	// MeasureUpdateDOM times the same until go-app has also updated the
	// HTML panels (the summary table, the timeline), which it does on its
	// next frame.
	MeasureUpdateDOM = "httpsim:update-dom"
	// MeasureScrub times one redraw at a new scrub time (scrubbing,
	// stepping, playing): from the event to the canvases drawn.
	MeasureScrub = "httpsim:scrub"
	// MeasureScrubDOM times the same until go-app has also updated the
	// HTML panels (the time label, the HPACK table), which it does on its
	// next frame.
	MeasureScrubDOM = "httpsim:scrub-dom"
	// MarkFirstRender marks when the first results were on screen; its
	// startTime is milliseconds since navigation started.
	MarkFirstRender = "httpsim:first-render"
	// MarkMain marks when the Go program started (the WebAssembly module
	// downloaded, compiled and instantiated), and MarkFirstRun when the
	// page started its first run.
	MarkMain     = "httpsim:main"
	MarkFirstRun = "httpsim:first-run"
)

// perfNow is performance.now() in milliseconds; 0 outside a browser.
func perfNow() float64 {
	if !app.IsClient {
		return 0
	}
	return app.Window().Get("performance").Call("now").Float()
}

// perfMark sets a performance mark. Outside a browser it does nothing.
func perfMark(name string) {
	if !app.IsClient {
		return
	}
	if perf := app.Window().Get("performance"); perf.Truthy() {
		perf.Call("mark", name)
	}
}

// perfMeasureSince records a measure called name from start to end
// (performance.now() values).
func perfMeasureSince(name string, start, end float64) {
	if !app.IsClient {
		return
	}
	perf := app.Window().Get("performance")
	if !perf.Truthy() {
		return
	}
	opts := app.Window().Get("Object").New()
	opts.Set("start", start)
	opts.Set("end", max(end, start))
	perf.Call("measure", name, opts)
}
