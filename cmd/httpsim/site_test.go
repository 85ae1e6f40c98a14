package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSiteBadInput(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"site", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"site", "--out", empty, "extra"}, 2, `unexpected argument "extra"`},
		// Not "httpsim site: site: …", the package's prefix after the command's.
		{[]string{"site", "--out", empty}, 1, "httpsim site: open " + filepath.Join(empty, "web", "app.wasm") + ": "},
		{[]string{"site", "--out", empty}, 1, "(build it first: GOOS=js GOARCH=wasm go build"},
		{[]string{"site", "--out", empty, "--base", "/a/../b/"}, 1, "httpsim site: base path \"/a/../b/\" is not a clean URL path"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(tt.args...)
		if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("httpsim %s = exit %d, stderr %q; want exit %d and %q", strings.Join(tt.args, " "), code, stderr, tt.wantCode, tt.wantErr)
		}
	}
	if code, _, _ := runCLI("site", "-h"); code != 0 {
		t.Errorf("httpsim site -h = exit %d; want 0", code)
	}
}

func TestSiteBuilds(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "web"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "web", "app.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("site", "--out", dir, "--base", "/course/")
	if code != 0 {
		t.Fatalf("httpsim site = exit %d, stderr %q; want 0", code, stderr)
	}
	if !strings.Contains(stdout, "built site in "+dir+" for base /course/") {
		t.Errorf("httpsim site printed %q; want where and for which base it built", stdout)
	}
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), `src="/course/app.js"`) {
		t.Errorf("index.html does not load /course/app.js")
	}
}
