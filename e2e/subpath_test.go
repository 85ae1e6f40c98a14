package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	ui "httpsim/app"
	"httpsim/app/site"
)

// TestSubPath builds the site for a sub-path, serves it there, and checks
// that the page loads, runs and stays quiet: go-app must find its scripts,
// its wasm and its route under the prefix.
func TestSubPath(t *testing.T) {
	const base = "/courses/networks/httpsim/"
	chromium := requireBrowser(t)
	built := siteDir(t)
	dir := t.TempDir()
	wasm, err := os.ReadFile(filepath.Join(built, site.WasmPath))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "web"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, site.WasmPath), wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(site.Options{Out: dir, Base: base}); err != nil {
		t.Fatal(err)
	}
	srv := serveSiteAt(t, dir, base)
	ctx := newBrowser(t, chromium)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	console := watchConsole(ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+base), waitFor(jsSummaryDone)); err != nil {
		t.Fatalf("waiting for the summary under %s: %v", base, err)
	}
	if got, want := text(ctx, t, "summary-hash"), nativeHash(t, ui.DefaultParams()); got != want {
		t.Errorf("trace hash under %s = %s; want %s (native)", base, got, want)
	}
	screenshot(ctx, t, artifactsDir(t), "e2e-subpath.png")
	checkConsole(t, console.finish())
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for _, p := range srv.paths {
		if len(p) < len(base)-1 || p[:len(base)-1] != base[:len(base)-1] {
			t.Errorf("the page requested %s, outside its base %s", p, base)
		}
	}
}
