package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Names of the entries httpsim leaves on the browser's performance timeline,
// where DevTools and the end-to-end test read them.
const (
	// MeasureUpdate times one update: from the change of a setting to the
	// redrawn summary and chart (re-run plus redraw).
	MeasureUpdate = "httpsim:update"
	// MarkFirstRender marks when the first results were on screen; its
	// startTime is milliseconds since navigation started.
	MarkFirstRender = "httpsim:first-render"
)

// perfMark sets a performance mark. Outside a browser it does nothing.
func perfMark(name string) {
	if !app.IsClient {
		return
	}
	if perf := app.Window().Get("performance"); perf.Truthy() {
		perf.Call("mark", name)
	}
}

// updateMark is the name of the mark that starts update number gen.
func updateMark(gen uint64) string { return MeasureUpdate + ":start:" + strconv.FormatUint(gen, 10) }

// perfMeasureUpdate records MeasureUpdate from the start mark of update gen to
// now, and drops the mark.
func perfMeasureUpdate(gen uint64) {
	if !app.IsClient {
		return
	}
	perf := app.Window().Get("performance")
	if !perf.Truthy() {
		return
	}
	mark := updateMark(gen)
	perf.Call("measure", MeasureUpdate, mark)
	perf.Call("clearMarks", mark)
}

// perfClearMark drops the start mark of an update that a newer one replaced.
func perfClearMark(gen uint64) {
	if !app.IsClient {
		return
	}
	if perf := app.Window().Get("performance"); perf.Truthy() {
		perf.Call("clearMarks", updateMark(gen))
	}
}
