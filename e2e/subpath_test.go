package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	ui "httpsim/app"
	"httpsim/app/site"
)

// buildAt builds the site for the URL path base from the app.wasm of a
// built site.
func buildAt(t *testing.T, built, base string) string {
	t.Helper()
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
	return dir
}

// TestSubPathAndIframe builds the site for a sub-path and serves it there;
// a course page on another origin (another port) embeds it in an iframe.
// The page must run in both, request nothing outside its base, and keep
// working offline once its service worker has cached it.
func TestSubPathAndIframe(t *testing.T) {
	const base = "/courses/networks/httpsim/"
	chromium := requireBrowser(t)
	dir := buildAt(t, siteDir(t), base)
	artifacts := artifactsDir(t)
	srv := serveSiteAt(t, dir, base)

	// The site on its own, under the sub-path.
	ctx := newBrowser(t, chromium)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	console := watchConsole(ctx)
	openPage(ctx, t, srv.URL+base, "")
	checkHashes(ctx, t, ui.DefaultParams())
	screenshot(ctx, t, artifacts, "e2e-subpath.png")

	checkConsole(t, console.finish())
	srv.mu.Lock()
	for _, p := range srv.paths {
		if !strings.HasPrefix(p, strings.TrimSuffix(base, "/")) {
			t.Errorf("the page requested %s, outside its base %s", p, base)
		}
	}
	srv.mu.Unlock()

	// Embedded in a page of another origin.
	embed := srv.URL + base + "?embed=1&panels=summary,ladder&loss=2"
	parent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>Course page</title></head><body>
<h1>Week 4: head-of-line blocking</h1>
<iframe id="sim" src="%s" title="httpsim" width="1100" height="700" style="border:0" allow="clipboard-write"></iframe>
</body></html>`, embed)
	}))
	t.Cleanup(parent.Close)
	if strings.Split(parent.URL, ":")[2] == strings.Split(srv.URL, ":")[2] {
		t.Fatalf("parent and site share a port")
	}
	// With site isolation off, the cross-origin frame runs in the tab's
	// process, where the test can look inside it.
	fctx := newBrowser(t, chromium, chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("disable-features", "IsolateOrigins,site-per-process"))
	fctx, cancel2 := context.WithTimeout(fctx, 3*time.Minute)
	defer cancel2()
	fconsole := watchConsole(fctx)
	if err := chromedp.Do(fctx, chromedp.Navigate(parent.URL+"/"), chromedp.WaitReady(chromedp.ID("sim"))); err != nil {
		t.Fatal(err)
	}
	frames, err := chromedp.Run(fctx, chromedp.Nodes(chromedp.CSS("iframe#sim")))
	if err != nil || len(frames) == 0 {
		t.Fatalf("finding the iframe: %v", err)
	}
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](jsSummaryDone, chromedp.WithPollingInFrame(frames[0]),
		chromedp.WithPollingTimeout(90*time.Second))); err != nil {
		t.Errorf("the embedded page did not run inside the iframe: %v", err)
	}
	if err := chromedp.Do(fctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	screenshot(fctx, t, artifacts, "e2e-iframe.png")
	checkConsole(t, fconsole.finish())

	// Offline after the first visit: go-app's service worker cached the
	// site when it installed, and serves it once the server is gone.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`navigator.serviceWorker.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("service worker: %v", err)
	}
	if err := chromedp.Do(ctx, loadUntil(chromedp.Reload(), jsSummaryDone), waitFor(`navigator.serviceWorker.controller !== null`)); err != nil {
		t.Fatalf("reload under the service worker: %v", err)
	}
	srv.Close()
	if err := chromedp.Do(ctx, navigateUntil(srv.URL+base+"?loss=1&seed=5", jsSummaryDone)); err != nil {
		t.Errorf("offline, with the server gone: %v", err)
	} else {
		p := ui.DefaultParams()
		p.LossPermille, p.Seed = 10, 5
		checkHashes(ctx, t, p)
		screenshot(ctx, t, artifacts, "e2e-offline.png")
	}
}

// TestSubPathOnAPlainStaticServer hosts the sub-path site as most static
// hosts would (nginx, GitHub Pages, python -m http.server): Go's
// http.FileServer, which redirects a folder named without its slash. Every
// visit after the first comes from the service worker's cache, online and
// off; it used to cache the root's redirect, which cannot answer a
// navigation, and Chromium showed its error page.
func TestSubPathOnAPlainStaticServer(t *testing.T) {
	const base = "/courses/httpsim/"
	chromium := requireBrowser(t)
	dir := buildAt(t, siteDir(t), base)
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "courses"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(root, "courses", "httpsim")); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(root)))
	defer srv.Close()

	ctx := newBrowser(t, chromium)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	console := watchConsole(ctx)
	openPage(ctx, t, srv.URL+base, "loss=1&seed=5")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`navigator.serviceWorker.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("service worker: %v", err)
	}
	visit := func(when, query string, p ui.Params) {
		t.Helper()
		if err := chromedp.Do(ctx, navigateUntil(srv.URL+base+"?"+query, jsSummaryDone),
			waitFor(`navigator.serviceWorker.controller !== null`)); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		checkHashes(ctx, t, p)
	}
	p := ui.DefaultParams()
	p.LossPermille, p.Seed = 20, 6
	visit("a later visit, online", "loss=2&seed=6", p)
	srv.Close()
	p.LossPermille, p.Seed = 30, 7
	visit("a later visit, offline", "loss=3&seed=7", p)
	checkConsole(t, console.finish())
}
