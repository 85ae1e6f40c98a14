package site

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"httpsim/static"
)

// buildSite builds a site around a stand-in app.wasm into a new folder.
func buildSite(t *testing.T, base string, wasm []byte) (string, Report) {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "web"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, WasmPath), wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Build(Options{Out: dir, Base: base})
	if err != nil {
		t.Fatalf("Build(base %q): %v", base, err)
	}
	return dir, rep
}

var fakeWasm = []byte("\x00asm\x01\x00\x00\x00 not really a program")

// readTree returns every file under dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestBuildWritesSite(t *testing.T) {
	dir, rep := buildSite(t, "/", fakeWasm)
	files := readTree(t, dir)
	for _, name := range []string{"index.html", "app.js", "app-worker.js", "manifest.webmanifest", "app.css", "wasm_exec.js", WasmPath} {
		if _, ok := files[name]; !ok {
			t.Errorf("Build wrote no %s", name)
		}
	}
	assets, err := loadAssets(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range assets {
		if got, ok := files["web/"+a.published]; !ok || !bytes.Equal(got, a.data) {
			t.Errorf("web/%s missing or different from static/%s", a.published, a.name)
		}
	}
	execPath, err := WasmExecPath()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(execPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files["wasm_exec.js"], want) {
		t.Errorf("wasm_exec.js is not the toolchain's %s", execPath)
	}
	for _, name := range []string{"app.js", "app-worker.js"} {
		if !bytes.Contains(files[name], []byte(rep.Version)) {
			t.Errorf("%s does not carry the version %s", name, rep.Version)
		}
	}
	if rep.WasmSize != int64(len(fakeWasm)) {
		t.Errorf("Report.WasmSize = %d; want %d", rep.WasmSize, len(fakeWasm))
	}
	index := string(files["index.html"])
	for _, want := range []string{`id="summary"`, `id="loss"`, `id="rtt"`, `id="seed"`, `id="controls"`} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks the pre-rendered %s", want)
		}
	}
	if strings.Contains(index, "og:url") {
		t.Errorf("index.html still has og:url")
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	dirA, repA := buildSite(t, "/", fakeWasm)
	dirB, repB := buildSite(t, "/", fakeWasm)
	if repA.Version != repB.Version {
		t.Errorf("versions of two identical builds: %s and %s; want equal", repA.Version, repB.Version)
	}
	a, b := readTree(t, dirA), readTree(t, dirB)
	if len(a) != len(b) {
		t.Errorf("identical builds wrote %d and %d files", len(a), len(b))
	}
	for name, content := range a {
		if !bytes.Equal(content, b[name]) {
			t.Errorf("%s differs between two identical builds", name)
		}
	}

	// Rebuilding in place gives the same site, with no stale assets left.
	stale := filepath.Join(dirA, "web", "httpsim.abcdefabcd.css")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(Options{Out: dirA}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("a rebuild left the stale asset %s", stale)
	}
	if again := readTree(t, dirA); len(again) != len(a) {
		t.Errorf("a rebuild in place holds %d files; want %d", len(again), len(a))
	}
}

func TestBuildVersionFollowsInputs(t *testing.T) {
	_, rep := buildSite(t, "/", fakeWasm)
	_, other := buildSite(t, "/", append(append([]byte{}, fakeWasm...), '!'))
	_, based := buildSite(t, "/course/", fakeWasm)
	if rep.Version == other.Version {
		t.Errorf("version after changing app.wasm = %s; want a new one", other.Version)
	}
	if rep.Version == based.Version {
		t.Errorf("version with another base = %s; want a new one", based.Version)
	}
}

// urlPattern finds absolute and protocol-relative URLs.
var urlPattern = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*|(?i)https?://[^\s"'<>)]+`)

// allowedURLs are identifiers that look like URLs but are never fetched.
var allowedURLs = map[string]bool{
	"http://www.w3.org/2000/svg": true, // the SVG namespace in icon.svg
}

// jsLineComment matches a JavaScript line comment (not the // of a URL).
var jsLineComment = regexp.MustCompile(`(^|\s)//.*$`)

// TestBuildStaysOnOrigin checks that nothing the site ships points off its
// origin: no absolute or protocol-relative URL in the pages, scripts, styles,
// manifest or icons (comments of scripts aside), so the page makes no request
// to another host.
func TestBuildStaysOnOrigin(t *testing.T) {
	// The detector itself, on what go-app would write without local icons.
	detect := []struct {
		line string
		want bool
	}{
		{`<img src="https://raw.githubusercontent.com/maxence-charriere/go-app/master/docs/web/icon.png">`, true},
		{`<script src="//cdn.example.com/x.js"></script>`, true},
		{`<link href="http://fonts.example.org/a.css">`, true},
		{`<script src="/web/draw.0123456789.js"></script>`, false},
		{`const resourcesToCache = ["/","/app.js"];`, false},
	}
	for _, d := range detect {
		if got := urlPattern.MatchString(d.line); got != d.want {
			t.Fatalf("urlPattern.MatchString(%q) = %v; want %v", d.line, got, d.want)
		}
	}
	for _, base := range []string{"/", "/courses/httpsim/"} {
		dir, _ := buildSite(t, base, fakeWasm)
		for name, content := range readTree(t, dir) {
			if name == WasmPath || strings.HasSuffix(name, ".png") {
				continue // binary
			}
			for i, line := range strings.Split(string(content), "\n") {
				if strings.HasSuffix(name, ".js") {
					line = jsLineComment.ReplaceAllString(line, "")
				}
				for _, u := range urlPattern.FindAllString(line, -1) {
					if !allowedURLs[u] {
						t.Errorf("base %s: %s:%d refers to %s, off the site's origin", base, name, i+1, u)
					}
				}
			}
		}
	}
}

var linkAttr = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestBuildUnderBase checks a site built for a sub-path: every link of the
// page, the manifest's scope and the service worker's cache list stay under
// the base, and the server finds every one of them.
func TestBuildUnderBase(t *testing.T) {
	const base = "/courses/httpsim/"
	dir, _ := buildSite(t, base, fakeWasm)
	files := readTree(t, dir)

	var links []string
	for _, m := range linkAttr.FindAllStringSubmatch(string(files["index.html"]), -1) {
		links = append(links, m[1])
	}
	var manifest struct {
		Scope    string `json:"scope"`
		StartURL string `json:"start_url"`
		Icons    []struct {
			Src string `json:"src"`
		} `json:"icons"`
	}
	if err := json.Unmarshal(files["manifest.webmanifest"], &manifest); err != nil {
		t.Fatalf("manifest.webmanifest: %v", err)
	}
	if manifest.Scope != base || manifest.StartURL != base {
		t.Errorf("manifest scope, start_url = %q, %q; want %q", manifest.Scope, manifest.StartURL, base)
	}
	for _, icon := range manifest.Icons {
		links = append(links, icon.Src)
	}
	if !bytes.Contains(files["app-worker.js"], []byte(`caches.match(event.request, {ignoreSearch: true})`)) {
		t.Errorf("app-worker.js does not answer navigations with a query from its cache")
	}
	// Installing fetches past the HTTP cache: a host's max-age would
	// give a new worker the old page.
	if w := files["app-worker.js"]; !bytes.Contains(w, []byte(`new Request(u, {cache: "no-cache"})`)) || bytes.Contains(w, []byte("cache.addAll(resourcesToCache)")) {
		t.Errorf("app-worker.js fills its cache through the HTTP cache")
	}
	cacheList := regexp.MustCompile(`const resourcesToCache = (\[.*\]);`).FindSubmatch(files["app-worker.js"])
	if cacheList == nil {
		t.Fatalf("app-worker.js: no resourcesToCache list")
	}
	var cached []string
	if err := json.Unmarshal(cacheList[1], &cached); err != nil {
		t.Fatalf("app-worker.js resourcesToCache: %v", err)
	}
	// Offline, the page has only what the worker cached: everything it
	// links to (the SVG icon was not).
	for _, l := range links {
		if !strings.HasPrefix(l, "#") && !slices.Contains(cached, l) {
			t.Errorf("the page links to %s, which the service worker does not cache", l)
		}
	}
	links = append(links, cached...)
	if len(links) < 10 {
		t.Fatalf("found only %d links: %q", len(links), links)
	}

	s := newTestServer(t, dir, base)
	for _, l := range links {
		if strings.HasPrefix(l, "#") {
			continue // a link within the page
		}
		if !strings.HasPrefix(l, base) && l+"/" != base {
			t.Errorf("link %q is outside the base %s", l, base)
			continue
		}
		if rec := do(s, http.MethodGet, l); rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d; want 200", l, rec.Code)
		}
	}
	// Any static server can host the site: one that redirects a folder
	// named without its slash (as nginx, GitHub Pages and http.FileServer
	// do) must answer everything the service worker caches directly, for a
	// redirected response cannot answer a navigation from the cache.
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "courses"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(root, "courses", "httpsim")); err != nil {
		t.Fatal(err)
	}
	plain := http.FileServer(http.Dir(root))
	for _, l := range cached {
		if rec := do(plain, http.MethodGet, l); rec.Code != http.StatusOK {
			t.Errorf("a plain static server: GET %s (cached by the service worker): status %d; want 200", l, rec.Code)
		}
	}
	if !bytes.Contains(files["app.js"], []byte(`"GOAPP_ROOT_PREFIX":"/courses/httpsim"`)) {
		t.Errorf("app.js does not set GOAPP_ROOT_PREFIX to the base")
	}
}

func TestBuildErrors(t *testing.T) {
	if _, err := Build(Options{}); err == nil {
		t.Errorf("Build with no output folder = nil error; want one")
	}
	dir := t.TempDir()
	_, err := Build(Options{Out: dir})
	if err == nil || !strings.Contains(err.Error(), "GOOS=js GOARCH=wasm go build") {
		t.Errorf("Build without app.wasm = %v; want an error that says how to build it", err)
	}
	if _, err := Build(Options{Out: dir, Base: "/a b/"}); err == nil {
		t.Errorf("Build with base %q = nil error; want one", "/a b/")
	}
}

func TestCleanBase(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "/", true},
		{"/", "/", true},
		{"//", "/", true},
		{"course", "/course/", true},
		{"/course", "/course/", true},
		{"/a/b/", "/a/b/", true},
		{"/a//b/", "", false},
		{"/a/../b/", "", false},
		{"/./", "", false},
		{"/a b/", "", false},
		{"/a?b/", "", false},
		{`/a"b/`, "", false},
	}
	for _, tt := range tests {
		got, err := cleanBase(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("cleanBase(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestNormalizeHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<span id="a" class="b">x</span>`, `<span class="b" id="a">x</span>`},
		{`<input value="1" type="range" min="0" disabled>`, `<input disabled min="0" type="range" value="1">`},
		{`<meta property="og:url" content="http://127.0.0.1:4242/">` + "\n<title>t</title>", `<title>t</title>`},
		{`<meta content="http://127.0.0.1:4242/" property="og:url">`, ``},
		{`<p>a &lt;b c="d" a="e"&gt; text</p>`, `<p>a &lt;b c="d" a="e"&gt; text</p>`},
		{`<a title="x > y" href="/">`, `<a href="/" title="x > y">`},
		{`<br>`, `<br>`},
	}
	for _, tt := range tests {
		if got := string(normalizeHTML([]byte(tt.in))); got != tt.want {
			t.Errorf("normalizeHTML(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestPublishedName(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"draw.js", "x", "draw.2d711642b7.js"},
		{"icon-192.png", "", "icon-192.e3b0c44298.png"},
	}
	for _, tt := range tests {
		got := publishedName(tt.name, []byte(tt.data))
		if got != tt.want {
			t.Errorf("publishedName(%q, %q) = %q; want %q", tt.name, tt.data, got, tt.want)
		}
		if !isVersioned("web/"+got) || !publishedPattern(tt.name).MatchString(got) {
			t.Errorf("publishedName(%q) = %q is not recognised as a published version", tt.name, got)
		}
	}
	for _, name := range []string{"app.wasm", "app.js", "web/app.wasm", "web/icon.png", "web/a.b.css"} {
		if isVersioned(name) {
			t.Errorf("isVersioned(%q) = true; want false", name)
		}
	}
}
