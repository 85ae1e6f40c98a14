// Package site builds httpsim's static web site and serves it.
//
// Build writes index.html, app.js, app-worker.js, the web app manifest and
// go-app's style sheet through go-app's GenerateStaticWebsite, replaces
// go-app's wasm_exec.js by the Go toolchain's own, lets the browser cache
// the compiled program (loader.go), and publishes the
// hand-written assets of httpsim/static under content-hashed names. It does
// not compile the WebAssembly program: app.wasm must already be in the
// site's web/ folder (the Makefile builds it with GOOS=js GOARCH=wasm).
//
// Server serves a built site over HTTP with strong ETags, 304 Not Modified,
// gzip content negotiation and Cache-Control.
package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "httpsim/app"
	"httpsim/static"
)

// Options configure Build.
type Options struct {
	// Out is the site's folder. Out/web/app.wasm must exist.
	Out string
	// Base is the URL path the site will be served under, "/" (the default)
	// or e.g. "/courses/networks/httpsim/".
	Base string
	// WasmExec is the path of the Go toolchain's wasm_exec.js, which must
	// match the Go release that built app.wasm. Empty means
	// $(go env GOROOT)/lib/wasm/wasm_exec.js.
	WasmExec string
}

// Report says what Build wrote.
type Report struct {
	// Version is the site's version: a hash of every file it serves, so
	// identical inputs give an identical site and any change gives a new
	// version (which makes the service worker drop its cache).
	Version string
	// WasmSize is the size of app.wasm in bytes.
	WasmSize int64
}

// WasmPath is where Build expects the compiled WebAssembly program, relative
// to the site's folder.
const WasmPath = "web/app.wasm"

// Build generates the static site into opt.Out.
func Build(opt Options) (Report, error) {
	if opt.Out == "" {
		return Report{}, errors.New("site: no output folder")
	}
	base, err := cleanBase(opt.Base)
	if err != nil {
		return Report{}, err
	}
	wasm, err := os.ReadFile(filepath.Join(opt.Out, WasmPath))
	if err != nil {
		return Report{}, fmt.Errorf("site: %w (build it first: GOOS=js GOARCH=wasm go build -o %s ./wasm)",
			err, filepath.Join(opt.Out, WasmPath))
	}
	execPath := opt.WasmExec
	if execPath == "" {
		if execPath, err = WasmExecPath(); err != nil {
			return Report{}, err
		}
	}
	wasmExec, err := os.ReadFile(execPath)
	if err != nil {
		return Report{}, fmt.Errorf("site: reading wasm_exec.js: %w", err)
	}
	assets, err := loadAssets(static.FS)
	if err != nil {
		return Report{}, fmt.Errorf("site: reading static assets: %w", err)
	}

	webDir := filepath.Join(opt.Out, "web")
	if err := removeStaleAssets(webDir, assets); err != nil {
		return Report{}, err
	}
	published := make(map[string]string, len(assets))
	for _, a := range assets {
		if err := os.WriteFile(filepath.Join(webDir, a.published), a.data, 0o644); err != nil {
			return Report{}, fmt.Errorf("site: %w", err)
		}
		published[a.name] = a.published
	}
	asset := func(name string) string {
		p, ok := published[name]
		if !ok {
			panic("site: no static asset " + name) // a bug in newHandler
		}
		return "/web/" + p
	}

	version := siteVersion(base, wasm, wasmExec, assets)
	ui.Register()
	h := newHandler(version, base, asset)
	if err := app.GenerateStaticWebsite(opt.Out, h); err != nil {
		return Report{}, fmt.Errorf("site: %w", err)
	}
	if err := os.WriteFile(filepath.Join(opt.Out, "wasm_exec.js"), wasmExec, 0o644); err != nil {
		return Report{}, fmt.Errorf("site: %w", err)
	}
	if err := normalizePages(opt.Out); err != nil {
		return Report{}, err
	}
	if err := patchWorker(filepath.Join(opt.Out, "app-worker.js"), base); err != nil {
		return Report{}, err
	}
	if err := patchLoader(filepath.Join(opt.Out, "app.js")); err != nil {
		return Report{}, err
	}
	return Report{Version: version, WasmSize: int64(len(wasm))}, nil
}

// workerMatch is how go-app's service worker looks a request up in its
// cache.
const workerMatch = "caches.match(event.request)"

// workerCacheList starts the list of what go-app's service worker caches.
const workerCacheList = "const resourcesToCache = ["

// workerAddAll is how go-app's service worker fills its cache on install,
// and workerAddAllFresh what patchWorker puts in its place: each fetch
// revalidated with the server whatever the HTTP cache holds ("no-cache":
// a 304 for what has not changed, so app.wasm is not downloaded again for
// nothing, as "reload" would). On a host that sends max-age (GitHub
// Pages: 600 s), a new version installed within that time stored the old
// page, which named hashed assets the new build had removed.
const (
	workerAddAll      = "cache.addAll(resourcesToCache)"
	workerAddAllFresh = `cache.addAll(resourcesToCache.map((u) => new Request(u, {cache: "no-cache"})))`
)

// workerNavigate is what patchWorker puts in workerMatch's place.
const workerNavigate = `(event.request.mode === "navigate" ? caches.match(event.request, {ignoreSearch: true}).then((r) => r || caches.match(resourcesToCache[0])) : caches.match(event.request))`

// patchWorker makes go-app's service worker answer a navigation to the page
// from its cache whatever its query: a deep link (every setting is in the
// query) must open offline too. The cache holds the page under the site's
// root, the first resource it caches. go-app lists a sub-path's root
// without its trailing slash ("/base"), which a plain static server (nginx,
// GitHub Pages, Go's http.FileServer) answers with a redirect to "/base/";
// the worker would cache the redirected response, and a redirected response
// cannot answer a navigation (the Fetch standard's "handle fetch": Chromium
// shows its error page), so every visit after the first would fail. The
// list names the root as the browser asks for it, "/base/".
func patchWorker(path, base string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	if !bytes.Contains(b, []byte(workerMatch)) {
		return fmt.Errorf("site: %s has no %q to patch (a new go-app?)", path, workerMatch)
	}
	b = bytes.Replace(b, []byte(workerMatch), []byte(workerNavigate), 1)
	if !bytes.Contains(b, []byte(workerAddAll)) {
		return fmt.Errorf("site: %s has no %q to patch (a new go-app?)", path, workerAddAll)
	}
	b = bytes.Replace(b, []byte(workerAddAll), []byte(workerAddAllFresh), 1)
	if base != "/" {
		root := []byte(workerCacheList + `"` + strings.TrimSuffix(base, "/") + `",`)
		if !bytes.Contains(b, root) {
			return fmt.Errorf("site: %s does not list the root %s first (a new go-app?)", path, base)
		}
		b = bytes.Replace(b, root, []byte(workerCacheList+`"`+base+`",`), 1)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("site: %w", err)
	}
	return nil
}

// cleanBase normalises a base path to "/" or "/a/b/".
func cleanBase(base string) (string, error) {
	p := strings.Trim(base, "/")
	if p == "" {
		return "/", nil
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "?#\\\"'<> ") {
			return "", fmt.Errorf("site: base path %q is not a clean URL path", base)
		}
	}
	return "/" + p + "/", nil
}

// siteVersion hashes everything the site serves that can change between two
// builds of one httpsim binary. go-app's own files are a function of this
// binary and of the version, so they need not be hashed, but for what Build
// patches into them: a new httpsim with the same app.wasm and a new loader
// must still make the service worker fetch the new app.js.
func siteVersion(base string, wasm, wasmExec []byte, assets []asset) string {
	h := sha256.New()
	field := func(b []byte) {
		fmt.Fprintf(h, "%d:", len(b))
		h.Write(b)
	}
	field([]byte(loaderFetch))
	field([]byte(workerNavigate))
	field([]byte(workerAddAllFresh))
	field([]byte(workerCacheList)) // patchWorker's root with its slash
	field([]byte(base))
	field(wasm)
	field(wasmExec)
	for _, a := range assets {
		field([]byte(a.name))
		field(a.data)
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// removeStaleAssets deletes earlier published versions of the static assets
// from webDir, so a rebuilt site holds only what it links to.
func removeStaleAssets(webDir string, assets []asset) error {
	entries, err := os.ReadDir(webDir)
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	for _, e := range entries {
		for _, a := range assets {
			if e.Name() != a.published && publishedPattern(a.name).MatchString(e.Name()) {
				if err := os.Remove(filepath.Join(webDir, e.Name())); err != nil {
					return fmt.Errorf("site: %w", err)
				}
			}
		}
	}
	return nil
}

// publishedPattern matches every published version of the asset name.
func publishedPattern(name string) *regexp.Regexp {
	ext := filepath.Ext(name)
	return regexp.MustCompile(`^` + regexp.QuoteMeta(strings.TrimSuffix(name, ext)) +
		`\.[0-9a-f]{` + fmt.Sprint(hashLen) + `}` + regexp.QuoteMeta(ext) + `$`)
}

// ogURL matches the og:url meta element. go-app fills it with the absolute
// URL of the throwaway local server GenerateStaticWebsite renders from (a
// random port on 127.0.0.1), which would make every build differ and point
// link previews at the visitor's own machine. A static site cannot know its
// public URL, so the element goes.
var ogURL = regexp.MustCompile(`<meta content="[^"]*" property="og:url">\s*`)

// startTag matches an HTML start tag as go-app prints it: attribute values
// are always double-quoted and escaped, so a '"' or '>' never appears inside
// one.
var startTag = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'=<>/]+(?:="[^"]*")?)+)\s*>`)

// attribute matches one attribute of a start tag.
var attribute = regexp.MustCompile(`[^\s"'=<>/]+(?:="[^"]*")?`)

// normalizePages rewrites the generated pages so that a build is a function
// of its inputs: go-app prints attributes in map order, which changes from
// run to run, so each start tag's attributes are sorted; and og:url goes.
func normalizePages(dir string) error {
	pages, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("site: %w", err)
		}
		if nb := normalizeHTML(b); !bytes.Equal(nb, b) {
			if err := os.WriteFile(p, nb, 0o644); err != nil {
				return fmt.Errorf("site: %w", err)
			}
		}
	}
	return nil
}

// normalizeHTML sorts the attributes of every start tag and removes og:url
// (ogURL matches its sorted form).
func normalizeHTML(b []byte) []byte {
	b = startTag.ReplaceAllFunc(b, func(tag []byte) []byte {
		m := startTag.FindSubmatch(tag)
		attrs := attribute.FindAll(m[2], -1)
		slices.SortStableFunc(attrs, func(a, b []byte) int { return bytes.Compare(attrName(a), attrName(b)) })
		out := append([]byte{'<'}, m[1]...)
		for _, a := range attrs {
			out = append(out, ' ')
			out = append(out, a...)
		}
		return append(out, '>')
	})
	return ogURL.ReplaceAll(b, nil)
}

func attrName(a []byte) []byte {
	name, _, _ := bytes.Cut(a, []byte{'='})
	return name
}
