package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"httpsim/app/site"
)

func TestServeBadInput(t *testing.T) {
	// built looks like a built site to serve: it has its page and its
	// manifest.
	built, empty, missing := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "missing")
	for _, name := range []string{"index.html", "manifest.webmanifest"} {
		if err := os.WriteFile(filepath.Join(built, name), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	notFolder := filepath.Join(built, "index.html")
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"serve", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"serve", "extra"}, 2, `unexpected argument "extra"`},
		// A folder that is no built site was served, 404 for everything.
		{[]string{"serve", "--dir", missing}, 2, "httpsim serve: --dir: " + missing + " is not a built site (it has no index.html): run httpsim site --out " + missing + " first\n"},
		{[]string{"serve", "--dir", empty}, 2, "httpsim serve: --dir: " + empty + " is not a built site (it has no index.html): run httpsim site --out " + empty + " first\n"},
		{[]string{"serve", "--dir", notFolder}, 2, "httpsim serve: --dir: " + notFolder + " is not a built site (it has no index.html)"},
		// Go's listen error named no flag.
		{[]string{"serve", "--dir", built, "--addr", "127.0.0.1:99999"}, 1, "httpsim serve: --addr: listen tcp: "},
		{[]string{"serve", "--dir", built, "--addr", "bogus"}, 1, "httpsim serve: --addr: listen tcp: address bogus: missing port in address\n"},
		{[]string{"serve", "--dir", built, "--base", "/a b/"}, 1, "httpsim serve: base path \"/a b/\" is not a clean URL path"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(tt.args...)
		if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("httpsim %s = exit %d, stderr %q; want exit %d and %q", strings.Join(tt.args, " "), code, stderr, tt.wantCode, tt.wantErr)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeUntilCancelled runs the server on a free loopback port, fetches a
// page, and stops it the way Ctrl-C does.
func TestServeUntilCancelled(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>hello</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, err := site.NewServer(dir, "/")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() { done <- serve(ctx, ln, srv, dir, "/", &stdout, &stderr) }()

	url := "http://" + ln.Addr().String() + "/"
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(body) != "<p>hello</p>" {
		t.Errorf("GET %s = %d %q; want 200 and the page", url, res.StatusCode, body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve after cancel = exit %d, stderr %q; want 0", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), url) {
		t.Errorf("serve printed %q; want the URL %s", stdout.String(), url)
	}
}

func TestSiteURL(t *testing.T) {
	tests := []struct {
		addr string
		base string
		want string
	}{
		{"127.0.0.1:8080", "/", "http://127.0.0.1:8080/"},
		{"127.0.0.1:8080", "/course", "http://127.0.0.1:8080/course/"},
		{"127.0.0.1:8080", "course/", "http://127.0.0.1:8080/course/"},
		{"0.0.0.0:80", "/", "http://localhost:80/"},
		{"[::1]:9000", "/", "http://[::1]:9000/"},
	}
	for _, tt := range tests {
		addr, err := net.ResolveTCPAddr("tcp", tt.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := siteURL(addr, tt.base); got != tt.want {
			t.Errorf("siteURL(%s, %q) = %q; want %q", tt.addr, tt.base, got, tt.want)
		}
	}
}

// TestServeRefusesAnotherBase: a site built for one base path names its
// files under it, so serving it under another answered 404 for every
// script; serve refuses, naming both.
func TestServeRefusesAnotherBase(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "web"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "web", "app.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI("site", "--out", dir, "--base", "/course/"); code != 0 {
		t.Fatalf("httpsim site = exit %d, %q", code, stderr)
	}
	tests := []struct {
		base, want string
	}{
		{"/other/", "httpsim serve: --base: the site in " + dir + " was built for /course/, not /other/; serve it with --base /course/, or build it again with httpsim site --base /other/\n"},
		{"/", "httpsim serve: --base: the site in " + dir + " was built for /course/, not /; serve it with --base /course/, or build it again with httpsim site --base /\n"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI("serve", "--dir", dir, "--base", tt.base, "--addr", "127.0.0.1:0")
		if code != 2 || stderr != tt.want {
			t.Errorf("httpsim serve --base %s = exit %d, %q; want exit 2 and %q", tt.base, code, stderr, tt.want)
		}
	}
}
