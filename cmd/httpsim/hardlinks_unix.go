//go:build unix

package main

import (
	"io/fs"
	"syscall"
)

// hardLinks is the number of names a file has (1 where it cannot be told).
func hardLinks(st fs.FileInfo) uint64 {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(sys.Nlink)
	}
	return 1
}
