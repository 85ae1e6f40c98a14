// Package app holds httpsim's browser user interface: go-app components, one
// per file, that run the simulator in WebAssembly and show what happened.
//
// The page (page.go, pagerender.go) holds the state a URL carries
// (state.go, params.go) and the runs. After every run each protocol's trace
// is indexed once (runview.go, bytemap.go, frameindex.go, series.go), so
// that drawing the state at any scrub time is cheap: the ladder, lanes,
// buffers, frame strip and charts (ladder.go, lanes.go, buffers.go,
// framestrip.go, charts.go) are recorded into one batch for every canvas
// and drawn by static/draw.js in one call (draw.go, canvas.go, paint.go).
// Saved scenarios live behind a hackpadfs file system (storage.go).
//
// Components keep their state in a few small fields. go-app re-renders a
// component and its ancestors after every event and compares the exported
// fields of child components by value, so large data (traces, chart series)
// lives in unexported fields and is drawn on a <canvas> by one batched call
// per frame (see canvas.go and static/draw.js).
//
// The same routes are registered natively, where the site builder
// (httpsim/app/site) pre-renders the page into index.html, and in the browser,
// where wasm/main.go starts the app.
package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Register tells go-app which component each URL path shows. Both the browser
// entry point and the static site builder call it, so that the pre-rendered
// pages and the running app agree.
func Register() {
	perfMark(MarkMain)
	app.Route("/", &Page{})
}
