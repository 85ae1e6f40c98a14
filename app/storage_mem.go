//go:build !(js && wasm)

package app

import (
	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"
)

// openFS returns an in-memory file system: outside the browser (in tests
// and when the site builder pre-renders the page) nothing is kept.
func openFS() (fsys hackpadfs.FS, persistent bool, err error) {
	m, err := mem.NewFS()
	return m, false, err
}
