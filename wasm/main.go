// Command wasm is httpsim's browser entry point. Build it with
//
//	GOOS=js GOARCH=wasm go build -o dist/web/app.wasm ./wasm
//
// and serve it inside the site that `httpsim site` generates.
package main

import (
	"runtime"
	"runtime/debug"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "httpsim/app"
)

// gcPercent lets the heap grow to four times what survived the last
// collection, not twice (GOGC=100): a re-run allocates a few megabytes that
// die together, and WebAssembly has one thread, so every collection stops
// the run. The page's re-run takes about a fifth less time this way
// (BenchmarkSimulate under Node: 30 ms at 100, 23–25 ms at 300), for a heap
// of some tens of megabytes.
const gcPercent = 300

func main() {
	debug.SetGCPercent(gcPercent)
	// No heap profile is ever read in the page, and its sampling (one
	// allocation per 512 KB by default, with a stack walk) took about
	// 1.4 % of a re-run in WebAssembly, the trace's large blocks
	// triggering it most.
	runtime.MemProfileRate = 0
	ui.Register()
	app.RunWhenOnBrowser()
}
