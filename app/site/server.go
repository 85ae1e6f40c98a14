package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// Server serves a built site from a folder. It is what `httpsim serve` runs,
// and it practises what the simulator teaches:
//
//   - every response carries a strong ETag, and a request whose
//     If-None-Match matches gets 304 Not Modified with no body;
//   - compressible files are compressed once, on first request, with
//     Brotli (RFC 7932) and gzip, and sent in the coding the client's
//     Accept-Encoding weighs most (the smaller on a tie), with
//     Vary: Accept-Encoding and an ETag per coding;
//   - the pages and go-app's scripts, manifest, service worker and app.wasm
//     are sent with Cache-Control: no-cache (revalidate every time, cheap
//     thanks to the ETag); assets whose names carry a content hash are
//     immutable for a year.
//
// Paths are confined to the folder (os.Root): ".." segments are refused and
// symbolic links cannot lead out of it.
type Server struct {
	root *os.Root
	base string // "/" or "/a/b/"

	mu    sync.Mutex
	files map[string]*file
}

// file is one served file as last read, with its encodings and validators.
type file struct {
	once sync.Once
	err  error

	modTime time.Time
	size    int64
	// siblings is the precompressed files' state (siblingsState): a
	// file read before its .br or .gz was written is read again.
	siblings siblings

	ctype string
	raw   []byte
	etag  string
	// encodings are the codings it can be sent in, those that pay.
	encodings []encoding
}

// NewServer serves the site in dir under the URL path base ("/" or
// "/some/path/").
func NewServer(dir, base string) (*Server, error) {
	b, err := cleanBase(base)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("site: %w", err)
	}
	return &Server{root: root, base: b, files: make(map[string]*file)}, nil
}

// Warm reads and compresses every file of the site now, so that no visitor
// waits for the first gzip of app.wasm (about a second at the best level).
// It returns the first error met; files that fail are retried on request.
func (s *Server) Warm() error {
	return fs.WalkDir(s.root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && name != "." && hiddenPath(name) {
			// Never served (.git, .env): not read either.
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		_, err = s.load(name)
		return err
	})
}

// Close releases the folder.
func (s *Server) Close() error { return s.root.Close() }

// Cache-Control values.
const (
	revalidate = "no-cache"
	immutable  = "public, max-age=31536000, immutable"
)

// ServeHTTP answers GET and HEAD requests for the site's files.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if p+"/" == s.base {
		// go-app names the page root without its trailing slash (the
		// service worker caches "/base"), so serve it rather than redirect:
		// a redirected response cannot answer a navigation from the cache.
		p = s.base
	}
	rel, ok := strings.CutPrefix(p, s.base)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if !cleanRelPath(rel) {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	if hiddenPath(rel) {
		// A site has no dot files to serve; a folder served as a site
		// may (.git, .env).
		http.NotFound(w, r)
		return
	}
	name, f, err := s.lookup(rel)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		http.NotFound(w, r)
		return
	case err != nil:
		http.Error(w, "cannot read file", http.StatusInternalServerError)
		return
	}

	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(name, "web/") && isVersioned(name) {
		h.Set("Cache-Control", immutable)
	} else {
		h.Set("Cache-Control", revalidate)
	}
	body, etag := f.raw, f.etag
	if encodings := f.encodings; len(encodings) > 0 {
		h.Set("Vary", "Accept-Encoding")
		// Several ranges come back as multipart/byteranges, which a
		// Content-Encoding would claim is itself encoded: those are
		// served from the file as it is.
		multiRange := strings.Contains(r.Header.Get("Range"), ",")
		if e := negotiate(r.Header.Values("Accept-Encoding"), encodings); e != nil && !multiRange {
			body, etag = e.body, e.etag
			h.Set("Content-Encoding", e.names[0])
			// ServeContent leaves Content-Length out when Content-Encoding
			// is set (it sets it for ranges); the length is known here.
			h.Set("Content-Length", strconv.Itoa(len(body)))
			h.Set(wasmLengthHeader, strconv.Itoa(len(f.raw)))
		}
	}
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match with 304 (and If-Match, Range,
	// HEAD) from the ETag set above. The zero time omits Last-Modified:
	// the ETag is the validator, and a rebuilt identical file keeps it.
	http.ServeContent(fullBodyHeaders{w}, r, name, time.Time{}, bytes.NewReader(body))
}

// fullBodyHeaders drops the headers set for a whole encoded body from any
// other answer: a 412 or 416 kept Content-Length and Content-Encoding and
// sent no body (a client then read to an unexpected EOF), and a 206 is
// part of the body. ServeContent sets what those answers need itself.
type fullBodyHeaders struct{ http.ResponseWriter }

func (w fullBodyHeaders) WriteHeader(code int) {
	if code != http.StatusOK {
		h := w.Header()
		h.Del(wasmLengthHeader)
		if code != http.StatusPartialContent {
			h.Del("Content-Length")
			h.Del("Content-Encoding")
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// cleanRelPath reports whether a request path, relative to the base, names a
// file inside the site: no "..", no backslashes, no NUL.
func cleanRelPath(rel string) bool {
	if strings.ContainsAny(rel, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(rel, "/") {
		if seg == ".." {
			return false
		}
	}
	return true
}

// hiddenPath reports whether a path names a dot file or a file in a dot
// folder ("." alone is the folder itself).
func hiddenPath(rel string) bool {
	for _, seg := range strings.Split(rel, "/") {
		if len(seg) > 1 && seg[0] == '.' {
			return true
		}
	}
	return false
}

// lookup maps a path relative to the base to a file: "" and folders to their
// index.html, and an extensionless name to name.html (go-app writes a page
// per route that way).
func (s *Server) lookup(rel string) (string, *file, error) {
	name := strings.TrimPrefix(path.Clean("/"+rel), "/")
	candidates := []string{name}
	switch {
	case name == "":
		candidates = []string{"index.html"}
	case strings.HasSuffix(rel, "/"):
		candidates = []string{name + "/index.html"}
	case path.Ext(name) == "":
		candidates = append(candidates, name+".html", name+"/index.html")
	}
	var err error
	for _, c := range candidates {
		var f *file
		if f, err = s.load(c); err == nil {
			return c, f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", nil, err
		}
	}
	return "", nil, err
}

// load returns the cached file, reading (and compressing) it again if it
// changed on disk since.
func (s *Server) load(name string) (*file, error) {
	fi, err := s.root.Stat(name)
	if err != nil || !fi.Mode().IsRegular() {
		// Missing, a folder, or a symbolic link that leads out of the site
		// (os.Root refuses those): all "not found" to the client.
		return nil, fs.ErrNotExist
	}
	var sibs siblings
	if sentCompressed(contentType(name), fi.Size()) {
		sibs = s.siblingsState(name)
	}
	s.mu.Lock()
	f := s.files[name]
	if f == nil || !f.modTime.Equal(fi.ModTime()) || f.size != fi.Size() || f.siblings != sibs {
		f = &file{modTime: fi.ModTime(), size: fi.Size(), siblings: sibs}
		s.files[name] = f
	}
	s.mu.Unlock()
	f.once.Do(func() { f.err = f.read(s.root, name) })
	return f, f.err
}

// siblings is the state of a file's precompressed files, one per coding
// (codings): size and modification time, zero for one missing.
type siblings [len(codings)]struct {
	size int64
	mod  int64
}

// siblingsState describes name's precompressed files (app.wasm.br,
// app.wasm.gz). `make site` writes them half a minute after app.wasm; a
// server that read app.wasm in between compressed it itself, and kept
// doing so.
func (s *Server) siblingsState(name string) siblings {
	var sibs siblings
	for i, c := range codings {
		if fi, err := s.root.Stat(name + c.ext); err == nil {
			sibs[i].size, sibs[i].mod = fi.Size(), fi.ModTime().UnixNano()
		}
	}
	return sibs
}

// sentCompressed reports whether a file of type ctype and size bytes is
// offered in content codings: compressible text large enough that
// gzip's framing does not eat the gain.
func sentCompressed(ctype string, size int64) bool {
	return compressible(ctype) && size >= minCompress
}

// read fills in the file's content, type, encodings and ETags.
func (f *file) read(root *os.Root, name string) error {
	raw, err := root.ReadFile(name)
	if err != nil {
		return err
	}
	f.raw = raw
	f.ctype = contentType(name)
	sum := sha256.Sum256(raw)
	tag := hex.EncodeToString(sum[:16])
	f.etag = `"` + tag + `"`
	if !sentCompressed(f.ctype, int64(len(raw))) {
		return nil
	}
	for _, c := range codings {
		body := precompressed(root, name+c.ext, raw, c.decoder)
		if body == nil {
			body = c.compress(raw)
		}
		if len(body) < len(raw) {
			// A strong ETag names one body (RFC 9110 §8.8.3): each
			// coding's carries its own bytes' hash, since the same
			// file may be sent from a precompressed file or
			// compressed here, two different bodies.
			coded := sha256.Sum256(body)
			f.encodings = append(f.encodings, encoding{c.names, body, `"` + tag + "-" + c.names[0] + "-" + hex.EncodeToString(coded[:4]) + `"`})
		}
	}
	return nil
}

// codings are the content codings the server offers: each coding's names
// (RFC 9110 §8.4.1: its token, then aliases), the suffix of a site's
// precompressed file, and how to read and to make one.
var codings = [...]struct {
	names    []string
	ext      string
	decoder  func(*bytes.Reader) (io.Reader, error)
	compress func([]byte) []byte
}{
	{[]string{"br"}, ".br", unbrotli, brotliBytes},
	{[]string{"gzip", "x-gzip"}, ".gz", gunzipper, gzipBytes},
}

// precompressed returns the site's file name (app.wasm.gz, app.wasm.br) if
// it decodes to exactly raw: `make site` compresses app.wasm with zopfli,
// about 5 % smaller than compress/gzip's best, and with Brotli's best,
// which takes the server too long. A stale or broken file is ignored.
func precompressed(root *os.Root, name string, raw []byte, decoder func(*bytes.Reader) (io.Reader, error)) []byte {
	enc, err := root.ReadFile(name)
	if err != nil {
		return nil
	}
	r := bytes.NewReader(enc)
	dr, err := decoder(r)
	if err != nil {
		return nil
	}
	plain, err := io.ReadAll(io.LimitReader(dr, int64(len(raw))+1))
	if err != nil || !bytes.Equal(plain, raw) || r.Len() != 0 {
		return nil
	}
	return enc
}

// gunzipper reads one gzip member and nothing after it: a browser may stop
// at the first.
func gunzipper(r *bytes.Reader) (io.Reader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	zr.Multistream(false)
	return zr, nil
}

// unbrotli reads a Brotli stream.
func unbrotli(r *bytes.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }

// minCompress is the size below which gzip's framing eats the gain.
const minCompress = 256

// brotliBytes compresses b with Brotli: at the best quality (11) up to
// 64 kB, the site's pages, scripts and style sheets (about 0.2 s at that
// size; 0.7 s for 256 kB, 3 s for 1 MB), and at 6 above (app.wasm, when
// the site has no app.wasm.br: 1–1.7 s against 48 s, for 2.66 MB against
// 2.28).
func brotliBytes(b []byte) []byte {
	q := 11
	if len(b) > 64<<10 {
		q = 6
	}
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: q, LGWin: 22})
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}
