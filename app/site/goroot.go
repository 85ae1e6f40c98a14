package site

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// WasmExecPath returns the path of the Go toolchain's wasm_exec.js: the
// JavaScript half of the WebAssembly port, which must come from the release
// that compiled app.wasm (go-app ships an older copy). It asks `go env
// GOROOT`, so the go command that built app.wasm must be on PATH.
func WasmExecPath() (string, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("site: finding GOROOT with `go env GOROOT`: %w", err)
	}
	root := strings.TrimSpace(string(out))
	p := filepath.Join(root, "lib", "wasm", "wasm_exec.js")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("site: %w", err)
	}
	return p, nil
}
