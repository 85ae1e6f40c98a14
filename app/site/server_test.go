package site

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// testSite writes a small site into a temporary folder: a page, a script,
// a compressible wasm stand-in, a versioned style sheet, a PNG, a page for a
// route, and a symbolic link that leads out of the site.
func testSite(t testing.TB) (dir string, files map[string][]byte) {
	t.Helper()
	root := t.TempDir()
	dir = filepath.Join(root, "site")
	files = map[string][]byte{
		"index.html":                 []byte("<!DOCTYPE html><title>t</title>" + strings.Repeat("<p>hello</p>", 100)),
		"app.js":                     []byte(strings.Repeat("console.log(1);\n", 100)),
		"web/app.wasm":               append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("wasm code "), 1000)...),
		"web/httpsim.0123456789.css": []byte(strings.Repeat("body { margin: 0 }\n", 50)),
		"web/icon.png":               []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("x", 400)),
		"about.html":                 []byte("<p>about</p>"),
		"tiny.txt":                   []byte("hi"),
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "secret.txt"), filepath.Join(dir, "escape.txt")); err != nil {
		t.Fatal(err)
	}
	return dir, files
}

func newTestServer(t *testing.T, dir, base string) *Server {
	t.Helper()
	s, err := NewServer(dir, base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip.NewReader: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("reading gzip body: %v", err)
	}
	return out
}

func TestServerHeaders(t *testing.T) {
	dir, files := testSite(t)
	s := newTestServer(t, dir, "/")
	tests := []struct {
		target       string
		wantType     string
		wantCache    string
		wantVary     bool // the file has a gzip encoding
		wantFileName string
	}{
		{"/", "text/html; charset=utf-8", revalidate, true, "index.html"},
		{"/index.html", "text/html; charset=utf-8", revalidate, true, "index.html"},
		{"/app.js", "text/javascript; charset=utf-8", revalidate, true, "app.js"},
		{"/web/app.wasm", "application/wasm", revalidate, true, "web/app.wasm"},
		{"/web/httpsim.0123456789.css", "text/css; charset=utf-8", immutable, true, "web/httpsim.0123456789.css"},
		{"/web/icon.png", "image/png", revalidate, false, "web/icon.png"},
		{"/about", "text/html; charset=utf-8", revalidate, false, "about.html"},
		{"/tiny.txt", "text/plain; charset=utf-8", revalidate, false, "tiny.txt"},
	}
	for _, tt := range tests {
		rec := do(s, http.MethodGet, tt.target)
		h := rec.Header()
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status = %d; want 200", tt.target, rec.Code)
			continue
		}
		if got := h.Get("Content-Type"); got != tt.wantType {
			t.Errorf("GET %s: Content-Type = %q; want %q", tt.target, got, tt.wantType)
		}
		if got := h.Get("Cache-Control"); got != tt.wantCache {
			t.Errorf("GET %s: Cache-Control = %q; want %q", tt.target, got, tt.wantCache)
		}
		if got := h.Get("Vary") == "Accept-Encoding"; got != tt.wantVary {
			t.Errorf("GET %s: Vary = %q; want Accept-Encoding: %v", tt.target, h.Get("Vary"), tt.wantVary)
		}
		if got := h.Get("Content-Encoding"); got != "" {
			t.Errorf("GET %s without Accept-Encoding: Content-Encoding = %q; want none", tt.target, got)
		}
		if etag := h.Get("ETag"); !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
			t.Errorf("GET %s: ETag = %q; want a strong entity tag", tt.target, etag)
		}
		if !bytes.Equal(rec.Body.Bytes(), files[tt.wantFileName]) {
			t.Errorf("GET %s: body differs from %s", tt.target, tt.wantFileName)
		}
	}
}

// The server sends the coding the client's Accept-Encoding weighs most,
// Brotli or gzip, the smaller (Brotli) on a tie, and the file as it is when
// neither is acceptable (RFC 9110 §12.5.3): a coding's own entry, or "*",
// with a weight above 0.
func TestServerContentCoding(t *testing.T) {
	dir, files := testSite(t)
	s := newTestServer(t, dir, "/")
	plain := do(s, http.MethodGet, "/web/app.wasm")
	tests := []struct {
		acceptEncoding string
		want           string // Content-Encoding
	}{
		{"gzip", "gzip"},
		{"gzip, deflate, br", "br"},
		{"gzip, deflate, br, zstd", "br"},
		{"br;q=1.0, gzip;q=0.5", "br"},
		{"br;q=0.5, gzip", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"*", "br"},
		{"GZIP", "gzip"},
		{"BR", "br"},
		{"br", "br"},
		{"gzip;q=0", ""},
		{"*;q=0", ""},
		{"gzip;q=0, *", "br"},
		{"br;q=0, gzip;q=0, *", ""},
		{"identity", ""},
		{"zstd", ""},
		{"gzip;q=nonsense", ""},
		// Identity weighed more than what is offered.
		{"br;q=0.1, identity", ""},
		{"br;q=0.5, identity;q=0.4", "br"},
		// Weights outside RFC 9110 §12.4.2's grammar weigh 0.
		{"gzip;q=NaN, *;q=0.5", "br"},
		{"gzip;q=1e-1", ""},
		{"gzip;q=0.0001", ""},
		{"gzip;q=0.001", "gzip"},
		{"gzip;q=1.5", ""},
		{"gzip;q=1.000", "gzip"},
		{"", ""},
	}
	etags := map[string]string{}
	for _, tt := range tests {
		rec := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", tt.acceptEncoding)
		h := rec.Header()
		if got := h.Get("Content-Encoding"); got != tt.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q; want %q", tt.acceptEncoding, got, tt.want)
			continue
		}
		if h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary = %q; want Accept-Encoding", tt.acceptEncoding, h.Get("Vary"))
		}
		body := rec.Body.Bytes()
		if prev, seen := etags[tt.want]; seen && prev != h.Get("ETag") {
			t.Errorf("Accept-Encoding %q: ETag %s; another request for %q got %s", tt.acceptEncoding, h.Get("ETag"), tt.want, prev)
		}
		etags[tt.want] = h.Get("ETag")
		if tt.want != "" {
			if got, want := h.Get("Content-Length"), len(body); got != itoa(want) {
				t.Errorf("Accept-Encoding %q: Content-Length = %s; want %d", tt.acceptEncoding, got, want)
			}
			if got, want := h.Get(wasmLengthHeader), itoa(len(files["web/app.wasm"])); got != want {
				t.Errorf("Accept-Encoding %q: %s = %s; want %s", tt.acceptEncoding, wasmLengthHeader, got, want)
			}
			if len(body) >= len(files["web/app.wasm"]) {
				t.Errorf("Accept-Encoding %q: %s body is %d bytes; want fewer than %d", tt.acceptEncoding, tt.want, len(body), len(files["web/app.wasm"]))
			}
		}
		switch tt.want {
		case "gzip":
			body = gunzip(t, body)
		case "br":
			body = unbrotliBody(t, body)
		}
		if !bytes.Equal(body, files["web/app.wasm"]) {
			t.Errorf("Accept-Encoding %q: decoded body differs from the file", tt.acceptEncoding)
		}
	}
	if etags[""] != plain.Header().Get("ETag") || etags["gzip"] == etags[""] || etags["br"] == etags[""] || etags["br"] == etags["gzip"] {
		t.Errorf("ETags by coding %v; want one each, the identity's the file's %s", etags, plain.Header().Get("ETag"))
	}
	// A revalidation in Brotli is answered 304.
	rec := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "br", "If-None-Match", etags["br"])
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match with the Brotli ETag: %d, %d bytes; want 304 and none", rec.Code, rec.Body.Len())
	}
}

func unbrotliBody(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatalf("reading Brotli body: %v", err)
	}
	return out
}

// A precompressed name.gz that decodes to the file is sent as it is; one
// that is stale or broken is ignored and the server compresses the file.
func TestServerPrecompressed(t *testing.T) {
	gzipOf := func(b []byte, level int) []byte {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, level)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	dir, files := testSite(t)
	wasm := files["web/app.wasm"]
	// Level 1 makes a file unlike what the server would make itself.
	fast := gzipOf(wasm, gzip.BestSpeed)
	tests := []struct {
		name   string
		gz     []byte
		wantGz []byte // nil: the server's own compression
	}{
		{"matching", fast, fast},
		{"stale", gzipOf(append([]byte("old "), wasm...), gzip.BestSpeed), nil},
		{"broken", []byte("not gzip at all"), nil},
		{"truncated", fast[:len(fast)/2], nil},
		// Two members that decode to the file together: a browser may
		// read only the first.
		{"two members", append(gzipOf(wasm[:100], gzip.BestSpeed), gzipOf(wasm[100:], gzip.BestSpeed)...), nil},
	}
	for _, tt := range tests {
		if err := os.WriteFile(filepath.Join(dir, "web", "app.wasm.gz"), tt.gz, 0o644); err != nil {
			t.Fatal(err)
		}
		s := newTestServer(t, dir, "/")
		rec := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "gzip")
		body := rec.Body.Bytes()
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: Content-Encoding = %q; want gzip", tt.name, rec.Header().Get("Content-Encoding"))
		}
		if tt.wantGz != nil && !bytes.Equal(body, tt.wantGz) {
			t.Errorf("%s: sent %d bytes; want the precompressed %d", tt.name, len(body), len(tt.wantGz))
		}
		if tt.wantGz == nil && bytes.Equal(body, tt.gz) {
			t.Errorf("%s: sent the unusable .gz", tt.name)
		}
		if !bytes.Equal(gunzip(t, body), wasm) {
			t.Errorf("%s: decoded body differs from the file", tt.name)
		}
	}
}

// The same for Brotli: `make site` writes app.wasm.br at quality 11, which
// the server sends as it is if it decodes to the file.
func TestServerPrecompressedBrotli(t *testing.T) {
	brotliOf := func(b []byte, quality int) []byte {
		var buf bytes.Buffer
		w := brotli.NewWriterLevel(&buf, quality)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	dir, files := testSite(t)
	wasm := files["web/app.wasm"]
	fast := brotliOf(wasm, 0) // unlike what the server makes itself
	tests := []struct {
		name   string
		br     []byte
		wantBr []byte // nil: the server's own compression
	}{
		{"matching", fast, fast},
		{"stale", brotliOf(append([]byte("old "), wasm...), 0), nil},
		{"broken", []byte("not brotli at all"), nil},
		{"truncated", fast[:len(fast)/2], nil},
		{"trailing bytes", append(slices.Clip(fast), "junk"...), nil},
	}
	for _, tt := range tests {
		if err := os.WriteFile(filepath.Join(dir, "web", "app.wasm.br"), tt.br, 0o644); err != nil {
			t.Fatal(err)
		}
		s := newTestServer(t, dir, "/")
		rec := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "br")
		body := rec.Body.Bytes()
		if rec.Header().Get("Content-Encoding") != "br" {
			t.Fatalf("%s: Content-Encoding = %q; want br", tt.name, rec.Header().Get("Content-Encoding"))
		}
		if tt.wantBr != nil && !bytes.Equal(body, tt.wantBr) {
			t.Errorf("%s: sent %d bytes; want the precompressed %d", tt.name, len(body), len(tt.wantBr))
		}
		if tt.wantBr == nil && bytes.Equal(body, tt.br) {
			t.Errorf("%s: sent the unusable .br", tt.name)
		}
		if !bytes.Equal(unbrotliBody(t, body), wasm) {
			t.Errorf("%s: decoded body differs from the file", tt.name)
		}
	}
}

func TestServerNotModified(t *testing.T) {
	dir, _ := testSite(t)
	s := newTestServer(t, dir, "/")
	first := do(s, http.MethodGet, "/web/app.wasm")
	firstGz := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "gzip")
	etag, gzETag := first.Header().Get("ETag"), firstGz.Header().Get("ETag")
	tests := []struct {
		ifNoneMatch    string
		acceptEncoding string
		want           int
	}{
		{etag, "", http.StatusNotModified},
		{"W/" + etag, "", http.StatusNotModified}, // If-None-Match compares weakly (RFC 9110, 13.1.2)
		{`"other", ` + etag, "", http.StatusNotModified},
		{"*", "", http.StatusNotModified},
		{gzETag, "gzip", http.StatusNotModified},
		{gzETag, "", http.StatusOK}, // the identity representation has another tag
		{etag, "gzip", http.StatusOK},
		{`"other"`, "", http.StatusOK},
	}
	for _, tt := range tests {
		rec := do(s, http.MethodGet, "/web/app.wasm", "If-None-Match", tt.ifNoneMatch, "Accept-Encoding", tt.acceptEncoding)
		if rec.Code != tt.want {
			t.Errorf("If-None-Match %s, Accept-Encoding %q: status = %d; want %d", tt.ifNoneMatch, tt.acceptEncoding, rec.Code, tt.want)
			continue
		}
		if tt.want == http.StatusNotModified {
			if rec.Body.Len() != 0 {
				t.Errorf("If-None-Match %s: 304 with a %d-byte body; want none", tt.ifNoneMatch, rec.Body.Len())
			}
			if rec.Header().Get("ETag") == "" {
				t.Errorf("If-None-Match %s: 304 without ETag", tt.ifNoneMatch)
			}
		}
	}
}

func TestServerRefreshesChangedFiles(t *testing.T) {
	dir, _ := testSite(t)
	s := newTestServer(t, dir, "/")
	before := do(s, http.MethodGet, "/app.js").Header().Get("ETag")
	p := filepath.Join(dir, "app.js")
	if err := os.WriteFile(p, []byte("console.log(2);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Make the change visible even on file systems with coarse timestamps.
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	rec := do(s, http.MethodGet, "/app.js")
	if got := rec.Header().Get("ETag"); got == before {
		t.Errorf("ETag after changing app.js = %s; want a new one", got)
	}
	if got := rec.Body.String(); got != "console.log(2);\n" {
		t.Errorf("body after changing app.js = %q; want the new content", got)
	}
}

// A precompressed file written after the server read its original (`make
// site` writes app.wasm.gz half a minute after app.wasm) is sent once it is
// there, under an ETag of its own: one strong tag named two bodies, the
// server's gzip and the site's (RFC 9110 §8.8.3), and the server kept its
// own.
func TestServerPicksUpALatePrecompressedFile(t *testing.T) {
	dir, files := testSite(t)
	wasm := files["web/app.wasm"]
	gz := filepath.Join(dir, "web", "app.wasm.gz")
	os.Remove(gz)
	s := newTestServer(t, dir, "/")
	own := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "gzip")
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // unlike the server's own
	zw.Write(wasm)
	zw.Close()
	if err := os.WriteFile(gz, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	site := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "gzip")
	if !bytes.Equal(site.Body.Bytes(), buf.Bytes()) {
		t.Errorf("after app.wasm.gz appeared: sent %d bytes; want its %d", site.Body.Len(), buf.Len())
	}
	if a, b := own.Header().Get("ETag"), site.Header().Get("ETag"); a == b || bytes.Equal(own.Body.Bytes(), site.Body.Bytes()) {
		t.Errorf("the server's gzip and the site's: ETags %s and %s; want two bodies, two tags", a, b)
	}
}

func TestServerRefusals(t *testing.T) {
	dir, _ := testSite(t)
	// Dot files in the served folder stay unserved.
	for _, name := range []string{".env", "web/.secret"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("secret"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "config"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, dir, "/")
	tests := []struct {
		method, target string
		want           int
	}{
		{http.MethodGet, "/../secret.txt", http.StatusBadRequest},
		{http.MethodGet, "/web/../../secret.txt", http.StatusBadRequest},
		{http.MethodGet, "/web/..%2f..%2fsecret.txt", http.StatusBadRequest},
		{http.MethodGet, "/web/..\\..\\secret.txt", http.StatusBadRequest},
		{http.MethodGet, "/escape.txt", http.StatusNotFound}, // a symlink out of the site
		{http.MethodGet, "/missing.js", http.StatusNotFound},
		{http.MethodGet, "/web", http.StatusNotFound}, // a folder without index.html
		{http.MethodGet, "/.env", http.StatusNotFound},
		{http.MethodGet, "/web/.secret", http.StatusNotFound},
		{http.MethodGet, "/.git/config", http.StatusNotFound},
		{http.MethodGet, "/./app.js", http.StatusOK},
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/app.js", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		rec := do(s, tt.method, tt.target)
		if rec.Code != tt.want {
			t.Errorf("%s %s: status = %d; want %d", tt.method, tt.target, rec.Code, tt.want)
		}
		if strings.Contains(rec.Body.String(), "secret") {
			t.Errorf("%s %s: body leaks the file outside the site", tt.method, tt.target)
		}
	}
	if got := do(s, http.MethodPost, "/").Header().Get("Allow"); got != "GET, HEAD" {
		t.Errorf("POST /: Allow = %q; want %q", got, "GET, HEAD")
	}
}

func TestServerHead(t *testing.T) {
	dir, files := testSite(t)
	s := newTestServer(t, dir, "/")
	for _, enc := range []string{"", "gzip"} {
		get := do(s, http.MethodGet, "/index.html", "Accept-Encoding", enc)
		head := do(s, http.MethodHead, "/index.html", "Accept-Encoding", enc)
		if head.Code != http.StatusOK || head.Body.Len() != 0 {
			t.Errorf("HEAD /index.html (%q): status %d, %d body bytes; want 200 and none", enc, head.Code, head.Body.Len())
		}
		for _, k := range []string{"Content-Type", "Content-Length", "ETag", "Content-Encoding", "Cache-Control"} {
			if got, want := head.Header().Get(k), get.Header().Get(k); got != want {
				t.Errorf("HEAD /index.html (%q): %s = %q; want %q as for GET", enc, k, got, want)
			}
		}
	}
	if got := do(s, http.MethodHead, "/index.html").Header().Get("Content-Length"); got != itoa(len(files["index.html"])) {
		t.Errorf("HEAD /index.html: Content-Length = %s; want %d", got, len(files["index.html"]))
	}
}

func TestServerBase(t *testing.T) {
	dir, files := testSite(t)
	s := newTestServer(t, dir, "/courses/httpsim/")
	tests := []struct {
		target   string
		want     int
		location string
	}{
		{"/courses/httpsim/", http.StatusOK, ""},
		{"/courses/httpsim/web/app.wasm", http.StatusOK, ""},
		{"/courses/httpsim", http.StatusOK, ""},
		{"/", http.StatusNotFound, ""},
		{"/web/app.wasm", http.StatusNotFound, ""},
		{"/courses/httpsim/../httpsim/app.js", http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		rec := do(s, http.MethodGet, tt.target)
		if rec.Code != tt.want {
			t.Errorf("GET %s: status = %d; want %d", tt.target, rec.Code, tt.want)
		}
		if got := rec.Header().Get("Location"); got != tt.location {
			t.Errorf("GET %s: Location = %q; want %q", tt.target, got, tt.location)
		}
	}
	for _, target := range []string{"/courses/httpsim/", "/courses/httpsim"} {
		if got := do(s, http.MethodGet, target).Body.Bytes(); !bytes.Equal(got, files["index.html"]) {
			t.Errorf("GET %s: body is not index.html", target)
		}
	}
}

func TestServerWarm(t *testing.T) {
	dir, _ := testSite(t)
	// Dot files are never served, so Warm does not read them either.
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{".git/config", ".env"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("secret"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := newTestServer(t, dir, "/")
	if err := s.Warm(); err != nil {
		t.Fatalf("Warm() = %v; want nil", err)
	}
	s.mu.Lock()
	f := s.files["web/app.wasm"]
	_, git := s.files[".git/config"]
	_, env := s.files[".env"]
	s.mu.Unlock()
	if f == nil || !slices.ContainsFunc(f.encodings, func(e encoding) bool { return e.names[0] == "gzip" }) {
		t.Fatalf("after Warm, web/app.wasm has no cached gzip encoding")
	}
	if git || env {
		t.Errorf("Warm read dot files: .git/config %v, .env %v", git, env)
	}
}

func TestNewServerErrors(t *testing.T) {
	tests := []struct{ dir, base string }{
		{filepath.Join(t.TempDir(), "missing"), "/"},
		{t.TempDir(), "/a/../b/"},
	}
	for _, tt := range tests {
		if s, err := NewServer(tt.dir, tt.base); err == nil {
			s.Close()
			t.Errorf("NewServer(%q, %q) = nil error; want one", tt.dir, tt.base)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// Answers other than the whole body carry none of its headers: a 412 kept
// the encoded body's Content-Length and Content-Encoding and sent no body,
// and a client read to an unexpected EOF.
func TestServerPreconditionFailed(t *testing.T) {
	dir, _ := testSite(t)
	srv := httptest.NewServer(newTestServer(t, dir, "/"))
	defer srv.Close()
	for _, coding := range []string{"gzip", "br", "identity"} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/web/app.wasm", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", coding)
		req.Header.Set("If-Match", `"nope"`)
		res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusPreconditionFailed {
			t.Errorf("%s: %d, reading the body: %v; want 412, read whole", coding, res.StatusCode, err)
		}
		if ce := res.Header.Get("Content-Encoding"); ce != "" || res.Header.Get(wasmLengthHeader) != "" {
			t.Errorf("%s: a 412 with Content-Encoding %q, %s %q; want neither", coding, ce, wasmLengthHeader, res.Header.Get(wasmLengthHeader))
		}
		if cl := res.Header.Get("Content-Length"); cl != "" && cl != itoa(len(body)) {
			t.Errorf("%s: Content-Length %s for a %d-byte body", coding, cl, len(body))
		}
	}
}

// Several ranges come back as multipart/byteranges of the file as it is: a
// Content-Encoding there said the multipart body was Brotli.
func TestServerMultiRange(t *testing.T) {
	dir, files := testSite(t)
	s := newTestServer(t, dir, "/")
	rec := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "br", "Range", "bytes=0-9,20-29")
	if rec.Code != http.StatusPartialContent || !strings.HasPrefix(rec.Header().Get("Content-Type"), "multipart/byteranges") {
		t.Fatalf("two ranges: %d, %s; want 206 multipart/byteranges", rec.Code, rec.Header().Get("Content-Type"))
	}
	if ce := rec.Header().Get("Content-Encoding"); ce != "" {
		t.Errorf("two ranges: Content-Encoding %q; want none", ce)
	}
	if !bytes.Contains(rec.Body.Bytes(), files["web/app.wasm"][20:30]) {
		t.Errorf("two ranges: the body lacks bytes 20-29 of the file")
	}
	// One range is of the encoded body, as before.
	rec = do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "br", "Range", "bytes=0-9")
	if rec.Code != http.StatusPartialContent || rec.Header().Get("Content-Encoding") != "br" || rec.Body.Len() != 10 {
		t.Errorf("one range: %d, Content-Encoding %q, %d bytes; want 206, br, 10", rec.Code, rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
}
