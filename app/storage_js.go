//go:build js && wasm

package app

import (
	"context"
	"time"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/indexeddb"
	"github.com/hack-pad/hackpadfs/mem"
)

// openFS opens the browser's IndexedDB database for saved scenarios. Where
// the browser keeps no storage for the page (a private window may refuse
// IndexedDB), it falls back to memory and reports persistent false. It
// blocks: call it off the UI goroutine.
func openFS() (fsys hackpadfs.FS, persistent bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	idb, err := indexeddb.NewFS(ctx, "httpsim", indexeddb.Options{})
	if err == nil {
		return idb, true, nil
	}
	m, merr := mem.NewFS()
	if merr != nil {
		return nil, false, merr
	}
	return m, false, nil
}
