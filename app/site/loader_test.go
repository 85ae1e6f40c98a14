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

// loaderHarness runs loaderFetch under Node with a fake document: a 404
// reports no progress (go-app's error stays in the label), a download
// reports up to 100 %, and once go-app gives up mid-download nothing more
// is reported.
const loaderHarness = `
const goappWasmContentLengthHeader = "";
let spinning = true;
const icon = { classList: { contains: (c) => c === "goapp-spin" && spinning } };
globalThis.document = { getElementById: (id) => (id === "app-wasm-loader-icon" ? icon : null) };
let reports = [];
const report = (p) => reports.push(p);
const settle = () => new Promise((r) => setTimeout(r, 50));
const fail = (msg) => { console.error(msg); process.exit(1); };

LOADER

(async () => {
  globalThis.fetch = async () => new Response(new Uint8Array(1000), { status: 404 });
  await fetchWithProgress("/web/app.wasm", report);
  spinning = false; // go-app's catch
  await settle();
  if (reports.length) fail("progress reported for a 404: " + reports);

  spinning = true; reports = [];
  globalThis.fetch = async () => new Response(new Uint8Array(5000), { status: 200, headers: { "Content-Length": "5000" } });
  const ok = await fetchWithProgress("/web/app.wasm", report);
  if ((await ok.arrayBuffer()).byteLength !== 5000) fail("the response lost bytes");
  await settle();
  if (reports[reports.length - 1] !== 100) fail("progress ended at " + reports[reports.length - 1]);

  reports = [];
  let pull;
  const body = new ReadableStream({ start(c) { c.enqueue(new Uint8Array(100)); pull = c; } });
  globalThis.fetch = async () => new Response(body, { status: 200, headers: { "Content-Length": "1000" } });
  const slow = await fetchWithProgress("/web/app.wasm", report);
  await settle();
  spinning = false; // compiling failed
  pull.enqueue(new Uint8Array(900));
  pull.close();
  await settle();
  if (reports.length !== 1 || reports[0] !== 10) fail("progress after go-app gave up: " + reports);

  // A compressed body's Content-Length is not the decoded size the reader
  // counts: no percentage from it; and none reads 100 before the end.
  spinning = true; reports = [];
  globalThis.fetch = async () => new Response(new Uint8Array(5000), { status: 200, headers: { "Content-Length": "1200", "Content-Encoding": "gzip" } });
  await (await fetchWithProgress("/web/app.wasm", report)).arrayBuffer();
  await settle();
  if (reports.length !== 1 || reports[0] !== 100) fail("progress of a compressed body: " + reports);
  reports = [];
  globalThis.fetch = async () => new Response(new Uint8Array(5000), { status: 200, headers: { "Content-Length": "4000" } });
  await (await fetchWithProgress("/web/app.wasm", report)).arrayBuffer();
  await settle();
  if (reports.slice(0, -1).some((p) => p > 99)) fail("progress past 99 before the end: " + reports);
  console.log("ok");
})();
`

func TestLoaderProgressInNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node to run the loader in")
	}
	p := filepath.Join(t.TempDir(), "harness.js")
	if err := os.WriteFile(p, []byte(strings.Replace(loaderHarness, "LOADER", loaderFetch, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, p).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("the loader under Node: %v\n%s", err, out)
	}
}
