package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"httpsim/app/site"
)

// runSite is `httpsim site`: it builds the static web site around an
// app.wasm compiled beforehand (GOOS=js GOARCH=wasm go build -o
// DIR/web/app.wasm ./wasm; `make site` does both).
func runSite(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("httpsim site", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "dist", "the site's `folder`; it must hold web/app.wasm already")
	base := fs.String("base", "/", "the URL `path` the site will be served under, e.g. /courses/httpsim/")
	wasmExec := fs.String("wasm-exec", "", "the Go toolchain's wasm_exec.js (default: $(go env GOROOT)/lib/wasm/wasm_exec.js)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: httpsim site [--out DIR] [--base /PATH/] [--wasm-exec FILE]\n\n"+
			"Builds the static web site into DIR around DIR/web/app.wasm, which must be built first:\n"+
			"  GOOS=js GOARCH=wasm go build -o DIR/web/app.wasm ./wasm\n"+
			"Any static host can serve DIR at the base path; httpsim serve does it locally.\n\n")
		fs.PrintDefaults()
	}
	if code, done := parseArgs(fs, args, stderr); done {
		return code
	}
	rep, err := site.Build(site.Options{Out: *out, Base: *base, WasmExec: *wasmExec})
	if err != nil {
		fmt.Fprintln(stderr, "httpsim site:", siteError(err))
		return 1
	}
	fmt.Fprintf(stdout, "httpsim: built site in %s for base %s (version %s, app.wasm %d bytes)\n",
		*out, *base, rep.Version, rep.WasmSize)
	return 0
}

// siteError is the text of an error from package site without the
// package's own "site: " prefix, which after the command's read "httpsim
// site: site: …".
func siteError(err error) string {
	return strings.TrimPrefix(err.Error(), "site: ")
}
