package site

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The built app.js streams app.wasm from the fetch's own Response (so the
// browser may cache the compiled module), still reports progress, and is
// valid JavaScript.
func TestLoaderKeepsTheFetchResponse(t *testing.T) {
	dir, _ := buildSite(t, "/", fakeWasm)
	js, err := os.ReadFile(filepath.Join(dir, "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(js, []byte(loaderFetch)); n != 1 {
		t.Errorf("app.js holds loaderFetch %d times; want 1", n)
	}
	for _, gone := range []string{"new Response(", "new ReadableStream("} {
		if bytes.Contains(js, []byte(gone)) {
			t.Errorf("app.js still builds a %s: the compiled module could not be cached", strings.TrimSuffix(gone, "("))
		}
	}
	if !bytes.Contains(js, []byte(`fetchWithProgress("/web/app.wasm", showProgress)`)) {
		t.Errorf("app.js no longer loads app.wasm through fetchWithProgress")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node to check app.js's syntax with")
	}
	if out, err := exec.Command(node, "--check", filepath.Join(dir, "app.js")).CombinedOutput(); err != nil {
		t.Errorf("node --check app.js: %v\n%s", err, out)
	}
}

// A go-app whose app.js changed shape is refused with the reason, not
// patched half-way.
func TestPatchLoaderRefusesAnUnknownAppJS(t *testing.T) {
	tests := []struct {
		name, js, want string
	}{
		{"no function", "const x = 1;\n", "has no"},
		{"no end", loaderStart + "\n  return other;\n}\n", "does not end with"},
	}
	for _, tt := range tests {
		p := filepath.Join(t.TempDir(), "app.js")
		if err := os.WriteFile(p, []byte(tt.js), 0o644); err != nil {
			t.Fatal(err)
		}
		err := patchLoader(p)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: patchLoader = %v; want an error saying %q", tt.name, err, tt.want)
		}
		if b, _ := os.ReadFile(p); string(b) != tt.js {
			t.Errorf("%s: app.js changed to %q", tt.name, b)
		}
	}
}
