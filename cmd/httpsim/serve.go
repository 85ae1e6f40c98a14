package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"httpsim/app/site"
)

// runServe is `httpsim serve`: it serves a built site (see `httpsim site`)
// over HTTP until interrupted.
func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("httpsim serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "dist", "the site's `folder`, as built by httpsim site")
	addr := fs.String("addr", "127.0.0.1:8080", "the `host:port` to listen on (port 0 picks a free one)")
	base := fs.String("base", "/", "the URL `path` the site was built for (httpsim site --base)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: httpsim serve [--dir DIR] [--addr HOST:PORT] [--base /PATH/]\n\n"+
			"Serves a site built by `httpsim site` with ETags, 304 Not Modified, gzip and Cache-Control.\n\n")
		fs.PrintDefaults()
	}
	if code, done := parseArgs(fs, args, stderr); done {
		return code
	}
	if err := builtSite(*dir); err != nil {
		fmt.Fprintln(stderr, "httpsim serve:", err)
		return 2
	}
	srv, err := site.NewServer(*dir, *base)
	if err != nil {
		fmt.Fprintln(stderr, "httpsim serve:", siteError(err))
		return 1
	}
	// A site's pages name its files under the base it was built for: served
	// under another, it started without complaint and answered 404 for
	// every script.
	want := "/"
	if p := strings.Trim(*base, "/"); p != "" {
		want = "/" + p + "/"
	}
	if built := builtBase(*dir); built != "" && built != want {
		fmt.Fprintf(stderr, "httpsim serve: --base: the site in %s was built for %s, not %s; serve it with --base %s, or build it again with httpsim site --base %s\n",
			*dir, built, *base, built, *base)
		srv.Close()
		return 2
	}
	defer srv.Close()
	go srv.Warm() // errors show again, per file, when a request meets them
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		// Go's "listen tcp: address bogus: missing port in address"
		// named no flag.
		fmt.Fprintln(stderr, "httpsim serve: --addr:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, ln, srv, *dir, *base, stdout, stderr)
}

// serve runs the HTTP server on ln until ctx ends, then shuts it down
// gracefully.
func serve(ctx context.Context, ln net.Listener, h http.Handler, dir, base string, stdout, stderr io.Writer) int {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(stdout, "httpsim: serving %s at %s (Ctrl-C stops)\n", dir, siteURL(ln.Addr(), base))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "httpsim serve:", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		fmt.Fprintln(stderr, "httpsim serve:", err)
		return 1
	}
	return 0
}

// siteURL is the address to open in a browser.
func siteURL(addr net.Addr, base string) string {
	host := addr.String()
	if ta, ok := addr.(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
		host = net.JoinHostPort("localhost", fmt.Sprint(ta.Port))
	}
	if base == "" || base[0] != '/' {
		base = "/" + base
	}
	if base[len(base)-1] != '/' {
		base += "/"
	}
	return "http://" + host + base
}

// builtSite checks that dir holds a site httpsim site built: a folder
// without one (a typo, or dist before the first build) was served anyway,
// and answered 404 for every page.
func builtSite(dir string) error {
	for _, name := range []string{"index.html", "manifest.webmanifest"} {
		st, err := os.Stat(filepath.Join(dir, name))
		switch {
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || err == nil && !st.Mode().IsRegular():
			return fmt.Errorf("--dir: %s is not a built site (it has no %s): run httpsim site --out %s first", dir, name, dir)
		case err != nil:
			return fmt.Errorf("--dir: %w", err)
		}
	}
	return nil
}

// builtBase returns the URL path the site in dir was built for: the scope
// of its web manifest, where go-app writes the base. It returns "" for a
// manifest it cannot read or parse (builtSite has seen that one exists).
func builtBase(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.webmanifest"))
	if err != nil {
		return ""
	}
	var m struct {
		Scope string `json:"scope"`
	}
	if json.Unmarshal(b, &m) != nil {
		return ""
	}
	return m.Scope
}
