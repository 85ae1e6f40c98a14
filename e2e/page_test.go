// Package e2e drives httpsim's web page in headless Chromium: the built site,
// served by the handler of `httpsim serve`, loaded and used as a student
// would. The tests run when HTTPSIM_E2E=1 (make test sets it).
package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	ui "httpsim/app"
	"httpsim/sim/scenario"
)

// nativeHash runs p natively and returns its trace hash: the page, which
// runs the same scenario in WebAssembly, must show exactly this.
func nativeHash(t *testing.T, p ui.Params) string {
	t.Helper()
	res, err := scenario.Run(p.Scenario(), scenario.Options{})
	if err != nil {
		t.Fatalf("scenario.Run(%v): %v", p, err)
	}
	return res.TraceHash
}

// JavaScript predicates and probes.
const (
	jsSummaryDone = `document.getElementById("summary")?.dataset.state === "done"`

	// jsCanvasInk counts the canvas's painted pixels and those in the
	// cwnd line's colour (#1d3557), read back with getImageData.
	jsCanvasInk = `(() => {
		const c = document.getElementById("cwnd-chart");
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let painted = 0, cwnd = 0;
		for (let i = 0; i < d.length; i += 4) {
			if (d[i + 3] === 0) continue;
			painted++;
			if (Math.abs(d[i] - 0x1d) < 24 && Math.abs(d[i + 1] - 0x35) < 24 && Math.abs(d[i + 2] - 0x57) < 24 && d[i + 3] > 200) cwnd++;
		}
		return {width: c.width, height: c.height, painted, cwnd};
	})()`

	jsPerf = `(() => ({
		updates: performance.getEntriesByName("httpsim:update", "measure").map(e => e.duration),
		firstRender: (performance.getEntriesByName("httpsim:first-render", "mark")[0] || {startTime: -1}).startTime,
		pendingMarks: performance.getEntriesByType("mark").filter(m => m.name.startsWith("httpsim:update:start")).length,
	}))()`
)

// setSlider sets a range input's value and fires the input and change events
// a user's drag fires.
func setSlider(id string, values ...int) chromedp.Action[chromedp.Void] {
	var b strings.Builder
	fmt.Fprintf(&b, `(() => { const s = document.getElementById(%q);`, id)
	for _, v := range values {
		fmt.Fprintf(&b, ` s.value = "%d"; s.dispatchEvent(new Event("input", {bubbles: true}));`, v)
	}
	b.WriteString(` s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	return chromedp.Evaluate[chromedp.Void](b.String())
}

// waitFor polls a JavaScript predicate.
func waitFor(pred string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](pred, chromedp.WithPollingTimeout(90*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

func text(ctx context.Context, t *testing.T, id string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID(id)))
	if err != nil {
		t.Fatalf("reading #%s: %v", id, err)
	}
	return strings.TrimSpace(s)
}

func screenshot(ctx context.Context, t *testing.T, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFirstPage loads the page, checks the first run against a native run of
// the same scenario, moves the loss slider with events and the RTT slider
// with the keyboard, supersedes runs with a burst of changes, and checks that
// the chart is painted, that every request stayed on the page's origin and
// that the console holds no error.
func TestFirstPage(t *testing.T) {
	chromium := requireBrowser(t)
	dir := siteDir(t)
	artifacts := artifactsDir(t)
	srv := serveSite(t, dir)
	ctx := newBrowser(t, chromium)
	ctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()

	console := watchConsole(ctx)
	var requests []string
	reqCtx, stopReqs := context.WithCancel(ctx)
	reqDone := make(chan struct{})
	go func() {
		defer close(reqDone)
		for ev, err := range chromedp.Events(reqCtx, network.RequestWillBeSent) {
			if err != nil {
				return
			}
			requests = append(requests, ev.Request.URL)
		}
	}()

	// First load: the page runs the default scenario.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), waitFor(jsSummaryDone)); err != nil {
		t.Fatalf("waiting for the first summary: %v", err)
	}
	p := ui.DefaultParams()
	if got, want := text(ctx, t, "summary-hash"), nativeHash(t, p); got != want {
		t.Errorf("trace hash of %v in the browser = %s; want %s (native)", p, got, want)
	}
	firstHash := text(ctx, t, "summary-hash")
	ink, err := chromedp.Run(ctx, chromedp.Evaluate[canvasInk](jsCanvasInk))
	if err != nil {
		t.Fatal(err)
	}
	if ink.Width == 0 || ink.Painted < 1000 || ink.Cwnd < 100 {
		t.Errorf("canvas after the first run: %+v; want a %s line drawn (>= 100 pixels) and >= 1000 painted pixels", ink, "#1d3557")
	}
	screenshot(ctx, t, artifacts, "e2e-first-page.png")

	// The loss slider, moved as a drag would: input events, then change.
	p.LossPermille = 20
	if err := chromedp.Do(ctx, setSlider("loss", 20),
		waitFor(`document.getElementById("loss-value").textContent === "2%" && `+jsSummaryDone)); err != nil {
		t.Fatalf("after moving the loss slider: %v", err)
	}
	got := text(ctx, t, "summary-hash")
	if want := nativeHash(t, p); got != want {
		t.Errorf("trace hash of %v in the browser = %s; want %s (native)", p, got, want)
	}
	if got == firstHash {
		t.Errorf("trace hash after moving the loss slider = %s; want a change from %s", got, firstHash)
	}
	screenshot(ctx, t, artifacts, "e2e-loss-2pct.png")

	// The RTT slider, moved with the keyboard.
	p.RTTMillis++
	want := fmt.Sprintf("%dms", p.RTTMillis)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("rtt")), chromedp.KeyEvent(kb.ArrowRight),
		waitFor(`document.getElementById("rtt-value").textContent === "`+want+`" && `+jsSummaryDone)); err != nil {
		t.Fatalf("after pressing → on the RTT slider: %v", err)
	}
	if got, want := text(ctx, t, "summary-hash"), nativeHash(t, p); got != want {
		t.Errorf("trace hash of %v in the browser = %s; want %s (native)", p, got, want)
	}

	// A burst of changes: each supersedes the run before; the page must end
	// on the last setting.
	p.LossPermille = 50
	if err := chromedp.Do(ctx, setSlider("loss", 10, 30, 70, 50),
		waitFor(`document.getElementById("loss-value").textContent === "5%" && `+jsSummaryDone)); err != nil {
		t.Fatalf("after a burst of loss changes: %v", err)
	}
	if got, want := text(ctx, t, "summary-hash"), nativeHash(t, p); got != want {
		t.Errorf("trace hash of %v after a burst of changes = %s; want %s (native)", p, got, want)
	}
	ink, err = chromedp.Run(ctx, chromedp.Evaluate[canvasInk](jsCanvasInk))
	if err != nil {
		t.Fatal(err)
	}
	if ink.Painted < 1000 || ink.Cwnd < 100 {
		t.Errorf("canvas after the last run: %+v; want a line drawn", ink)
	}
	screenshot(ctx, t, artifacts, "e2e-loss-5pct.png")

	perf, err := chromedp.Run(ctx, chromedp.Evaluate[perfEntries](jsPerf))
	if err != nil {
		t.Fatal(err)
	}
	if len(perf.Updates) < 4 {
		t.Errorf("httpsim:update measures = %d; want at least 4 (first load, loss, RTT, last of the burst)", len(perf.Updates))
	}
	if perf.PendingMarks != 0 {
		t.Errorf("httpsim:update start marks left = %d; want 0 (every update measured or, if superseded, cleared)", perf.PendingMarks)
	}
	if perf.FirstRender <= 0 {
		t.Errorf("httpsim:first-render mark missing")
	}

	stopReqs()
	<-reqDone
	for _, u := range requests {
		if !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("the page requested %s, off its origin %s", u, srv.URL)
		}
	}
	checkConsole(t, console.finish())

	// Figures for the README's performance section.
	wasmInfo, err := os.Stat(filepath.Join(dir, "web", "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	figures := map[string]any{
		"wasm_bytes":             wasmInfo.Size(),
		"wasm_gzip_bytes":        gzipSize(t, srv.URL+"/web/app.wasm"),
		"first_render_ms":        perf.FirstRender,
		"update_ms_median":       median(perf.Updates),
		"update_ms_all":          perf.Updates,
		"updates_measured":       len(perf.Updates),
		"requests_from_the_page": len(requests),
	}
	writeJSON(t, artifacts, "e2e-perf.json", figures)
	t.Logf("app.wasm %d bytes (%d gzip); first render at %.0f ms; httpsim:update median %.1f ms over %d updates",
		figures["wasm_bytes"], figures["wasm_gzip_bytes"], perf.FirstRender, median(perf.Updates), len(perf.Updates))
}

type canvasInk struct {
	Width   int `json:"width"`
	Height  int `json:"height"`
	Painted int `json:"painted"`
	Cwnd    int `json:"cwnd"`
}

type perfEntries struct {
	Updates      []float64 `json:"updates"`
	FirstRender  float64   `json:"firstRender"`
	PendingMarks int       `json:"pendingMarks"`
}
