package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// pendingFile is an output file written whole or not at all: its bytes go
// to a temporary file in the same folder, renamed over the named file only
// by commit. os.Create emptied the user's file at the start of a sweep, so
// an interrupted sweep left an empty file and no row of the old one.
type pendingFile struct {
	*os.File
	// target is the file commit replaces; "" when File is the named file
	// itself (a device or a pipe, such as /dev/stdout, which a rename
	// would replace, not write to).
	target string
}

// createPending starts writing the file at path.
func createPending(path string) (*pendingFile, error) {
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved // replace the file a link names, not the link
	}
	st, err := os.Stat(target)
	if err == nil && !st.Mode().IsRegular() {
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, err
		}
		return &pendingFile{File: f}, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	// Created with O_EXCL rather than os.CreateTemp so that the umask
	// sets a new file's permissions, as os.Create's did, not 0600.
	dir, base := filepath.Split(target)
	for i := 0; ; i++ {
		name := filepath.Join(dir, fmt.Sprintf(".%s.%d-%d.tmp", base, os.Getpid(), i))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) && i < 100 {
			continue
		}
		if err != nil {
			// Name the folder the user gave, not the temporary file.
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = fmt.Errorf("%s: cannot write a file in its folder: %v", path, pe.Err)
			}
			return nil, err
		}
		if st != nil {
			// A file replaced keeps its permissions, as one truncated does.
			if err := f.Chmod(st.Mode().Perm()); err != nil {
				f.Close()
				os.Remove(name)
				return nil, err
			}
		}
		return &pendingFile{File: f, target: target}, nil
	}
}

// commit closes the file and puts it in place of the named one. A failed
// Close may have lost written bytes, so it leaves the named file alone.
func (p *pendingFile) commit() error {
	if err := p.Close(); err != nil {
		p.abort()
		return err
	}
	if p.target == "" {
		return nil
	}
	if err := os.Rename(p.Name(), p.target); err != nil {
		os.Remove(p.Name())
		return err
	}
	return nil
}

// abort throws the written bytes away and leaves the named file as it
// was (a device or pipe written to directly keeps what it was sent).
func (p *pendingFile) abort() {
	p.Close()
	if p.target != "" {
		os.Remove(p.Name())
	}
}
