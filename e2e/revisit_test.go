package e2e

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	ui "httpsim/app"
)

// TestReturningVisit opens the page three times in one browser profile, as a
// student coming back to a course page does: each visit shows exactly the
// native runs, whatever code the browser runs them with (from the third
// visit on, mostly the optimising compiler's, kept from the earlier visits:
// see app/site/loader.go). It measures the first render and the updates of
// each visit into e2e-perf-returning.json, and checks that the browser kept
// the compiled program.
func TestReturningVisit(t *testing.T) {
	b := startBrowser(t, 5*time.Minute)
	ctx, console := b.ctx, b.console
	p := ui.DefaultParams()
	var visits []map[string]any
	for visit := 1; visit <= 3; visit++ {
		openPage(ctx, t, b.srv.URL+"/", "")
		checkHashes(ctx, t, p)
		moveLossSlider(ctx, t)
		checkHashes(ctx, t, p)
		perf := eval[perfEntries](ctx, t, jsPerf)
		if len(perf.Updates) < 9 || perf.FirstRender <= 0 {
			t.Fatalf("visit %d: %d updates, first render %v; want them recorded", visit, len(perf.Updates), perf.FirstRender)
		}
		figures := map[string]any{
			"visit":                     visit,
			"first_render_ms":           perf.FirstRender,
			"main_started_ms":           perf.Main,
			"update_ms_first":           perf.Updates[0],
			"update_ms_median":          median(perf.Updates[1:]),
			"update_sim_wall_ms_median": median(perf.Sim[1:]),
			"update_index_ms_median":    median(perf.Index[1:]),
			"update_draw_ms_median":     median(perf.Draw[1:]),
			"update_ms_all":             perf.Updates,
		}
		visits = append(visits, figures)
		t.Logf("visit %d: first render at %.0f ms, first run %.1f ms; update median %.1f ms (sim %.1f, index %.1f, draw %.1f)",
			visit, perf.FirstRender, perf.Updates[0], figures["update_ms_median"],
			figures["update_sim_wall_ms_median"], figures["update_index_ms_median"], figures["update_draw_ms_median"])
		// Time for the browser to store the code it optimised (V8 writes
		// its wasm code cache a moment after tiering up).
		if visit < 3 {
			if err := chromedp.Do(ctx, chromedp.Sleep(3*time.Second)); err != nil {
				t.Fatal(fmt.Errorf("visit %d: %w", visit, err))
			}
		}
	}
	checkConsole(t, console.finish())
	// The browser kept the compiled program: with go-app's own loader
	// (a Response without a URL) this folder stays empty.
	cached, entries := wasmCodeCache(t, b.profile)
	if entries == 0 {
		t.Errorf("the profile holds no compiled WebAssembly (Code Cache/wasm is empty): returning visitors compile app.wasm again")
	}
	t.Logf("V8's wasm code cache: %d entries, %d bytes", entries, cached)
	writeJSON(t, b.artifacts, "e2e-perf-returning.json", map[string]any{"visits": visits, "wasm_code_cache_bytes": cached})
}

// wasmCodeCache sums the entries of Chromium's WebAssembly code cache in a
// profile (its index files aside).
func wasmCodeCache(t *testing.T, profile string) (bytes int64, entries int) {
	t.Helper()
	root := filepath.Join(profile, "Default", "Code Cache", "wasm")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() == "index" || strings.Contains(p, "index-dir") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		bytes += info.Size()
		entries++
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return bytes, entries
}
