package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"httpsim/app/site"
)

// Environment variables that the Makefile sets for `make test`.
const (
	// envRun turns the browser tests on. Without it they skip, so that a
	// plain `go test ./...` works on a machine without Chromium; with it,
	// a missing Chromium is a failure.
	envRun = "HTTPSIM_E2E"
	// envSite names a site already built (make site); without it the test
	// builds one into a temporary folder.
	envSite = "HTTPSIM_SITE"
	// envArtifacts names the folder for screenshots and figures.
	envArtifacts = "HTTPSIM_ARTIFACTS"
	// envChromium overrides the browser's path.
	envChromium = "HTTPSIM_CHROMIUM"
)

// requireBrowser returns the path of Chromium, skipping the test unless
// envRun is set and failing it if Chromium is missing then.
func requireBrowser(t *testing.T) string {
	t.Helper()
	if os.Getenv(envRun) != "1" {
		t.Skipf("browser test: set %s=1 to run it (make test does)", envRun)
	}
	if p := os.Getenv(envChromium); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("%s=1 but no chromium found: install Debian's chromium (apt-get install -y chromium) or set %s", envRun, envChromium)
	return ""
}

// siteDir returns a built site: the one envSite names, or a new one built
// into a temporary folder (compiling the wasm, which takes a while).
func siteDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv(envSite); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
			t.Fatalf("%s=%s is not a built site: %v", envSite, dir, err)
		}
		return dir
	}
	dir := t.TempDir()
	root := moduleRoot(t)
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, site.WasmPath), "./wasm")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building app.wasm: %v\n%s", err, out)
	}
	if _, err := site.Build(site.Options{Out: dir}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// moduleRoot is the folder of httpsim's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// artifactsDir is where screenshots and figures go.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(envArtifacts)
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// recordingServer serves the site on 127.0.0.1 with the handler of `httpsim
// serve`, and records the paths it was asked for.
type recordingServer struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

func serveSite(t *testing.T, dir string) *recordingServer {
	t.Helper()
	return serveSiteAt(t, dir, "/")
}

// serveSiteAt serves the site under the URL path base.
func serveSiteAt(t *testing.T, dir, base string) *recordingServer {
	t.Helper()
	h, err := site.NewServer(dir, base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.Warm(); err != nil {
		t.Fatal(err)
	}
	rs := &recordingServer{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.mu.Lock()
		rs.paths = append(rs.paths, r.URL.Path)
		rs.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(rs.Close)
	return rs
}

// newBrowser starts a headless Chromium with a fresh profile and returns a
// context for one tab; extra adds command-line options.
func newBrowser(t *testing.T, chromium string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
	}
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("starting %s: %v", chromium, err)
	}
	return ctx
}

// consoleWatch collects the page's console messages, exceptions and browser
// log entries from the moment it is made.
type consoleWatch struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
	stop context.CancelFunc
	done chan struct{}
}

func watchConsole(ctx context.Context) *consoleWatch {
	sub, stop := context.WithCancel(ctx)
	w := &consoleWatch{stop: stop, done: make(chan struct{})}
	msgs := chromedp.Console(sub)
	go func() {
		defer close(w.done)
		for m, err := range msgs {
			if err != nil {
				return
			}
			w.mu.Lock()
			w.msgs = append(w.msgs, m)
			w.mu.Unlock()
		}
	}()
	return w
}

// finish stops watching and returns the messages.
func (w *consoleWatch) finish() []chromedp.ConsoleMessage {
	w.stop()
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.msgs
}

// checkConsole fails the test for every console error, uncaught exception
// or error entry of the browser log (a failed request, for one).
func checkConsole(t *testing.T, msgs []chromedp.ConsoleMessage) {
	t.Helper()
	for _, m := range msgs {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
			t.Errorf("console %s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line+1)
		}
	}
}

// encodedSize is the number of bytes the server sends for url to a client
// that accepts only coding ("gzip", "br").
func encodedSize(t *testing.T, url, coding string) int64 {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", coding)
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") != coding {
		t.Fatalf("GET %s with Accept-Encoding: %s: Content-Encoding = %q; want %s", url, coding, res.Header.Get("Content-Encoding"), coding)
	}
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// median of xs (0 for none).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// writeJSON saves v, indented, into the artifacts folder.
func writeJSON(t *testing.T, dir, name string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// browserSession is one test's fresh browser on the built site, served by
// the handler of `httpsim serve`.
type browserSession struct {
	// profile is the browser's user data directory.
	chromium, dir, artifacts, profile string
	srv                               *recordingServer
	ctx                               context.Context
	console                           *consoleWatch
}

// startBrowser serves the site and opens a fresh browser with a deadline;
// both end with the test.
func startBrowser(t *testing.T, timeout time.Duration) *browserSession {
	t.Helper()
	b := &browserSession{chromium: requireBrowser(t), dir: siteDir(t)}
	b.artifacts = artifactsDir(t)
	b.srv = serveSite(t, b.dir)
	b.profile = t.TempDir()
	ctx, cancel := context.WithTimeout(newBrowser(t, b.chromium, chromedp.UserDataDir(b.profile)), timeout)
	t.Cleanup(cancel)
	b.ctx = ctx
	b.console = watchConsole(ctx)
	return b
}
