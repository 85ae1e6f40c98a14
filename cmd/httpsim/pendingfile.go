package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// pendingFile is an output file written only once all its bytes are known,
// whole or not at all where it can be. Its bytes are kept in memory until
// commit, which writes them to a temporary file in the same folder and
// renames that over the named file (or, where it cannot, writes the file in
// place: see inPlace). os.Create emptied the
// user's file at the start of a sweep, so an interrupted sweep left an
// empty file and no row of the old one. The temporary file exists only
// while commit runs, so a sweep killed while it runs leaves none behind.
type pendingFile struct {
	bytes.Buffer
	// named is the path the user gave, for errors; target is the file
	// commit replaces, after symbolic links, dangling ones included.
	named, target string
	// inPlace: commit truncates target and writes into it rather than
	// renaming a new file over it, because a rename would break the
	// target's other hard links, or the folder cannot take a new file
	// though the file itself can be written. A write that fails part-way
	// then leaves the file cut short (keptOnFailure).
	inPlace bool
	// replacing: target exists, and perm is the permissions it keeps; a
	// new file's are the umask's, as os.Create would give it.
	replacing bool
	perm      fs.FileMode
	// device is the named file itself when it is a device or a pipe (such
	// as /dev/stdout), which a rename would replace, not write to. It is
	// opened at the start, as os.Create would.
	device *os.File
	// ownFD: device is the process's standard output or error, written
	// and left open for the rest of the process.
	ownFD bool
	// isDevice: the bytes go to device (commit clears device, not this).
	isDevice bool
}

// isDescriptorPath reports whether path names one of the process's
// descriptors by number.
func isDescriptorPath(path string) bool {
	return strings.HasPrefix(path, "/dev/fd/") || strings.HasPrefix(path, "/proc/self/fd/")
}

// ownDescriptor returns the process's standard output or error when path
// names it (/dev/stdout, /dev/fd/1, /proc/self/fd/1, and 2 likewise), or
// nil. Another descriptor (a process substitution's pipe) is opened by its
// path as any device is.
func ownDescriptor(path string) *os.File {
	switch path {
	case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return os.Stdout
	case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2":
		return os.Stderr
	}
	return nil
}

// createPending checks, before a long sweep runs, that path can be written
// as commit will write it.
func createPending(path string) (*pendingFile, error) {
	p := &pendingFile{named: path}
	// One of the process's own descriptors (/dev/stdout, /dev/fd/N,
	// /proc/self/fd/N) is written through that descriptor, where the shell
	// put it: `--csv /dev/stdout >> f` appends to f. Reopening the path
	// started a new file at offset 0 (or, renamed over, replaced f).
	if f := ownDescriptor(path); f != nil {
		p.device, p.ownFD, p.isDevice = f, true, true
		return p, nil
	}
	// Another of its descriptors (a process substitution's pipe, or
	// `5>> f`) is opened by its path, which the kernel opens as what the
	// descriptor holds, and appended to: its link's text ("pipe:[N]",
	// "f (deleted)") names no file to follow or replace.
	if isDescriptorPath(path) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return nil, err
		}
		p.device, p.isDevice = f, true
		return p, nil
	}
	// A device or a pipe is written where the kernel finds it.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		if p.device, err = os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0); err != nil {
			return nil, err
		}
		p.isDevice = true
		return p, nil
	}
	target, err := resolveLinks(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	p.target = target
	st, err := os.Stat(target)
	switch {
	case err == nil && !st.Mode().IsRegular():
		return nil, fmt.Errorf("%s: not a regular file", path)
	case err == nil:
		p.replacing, p.perm = true, st.Mode().Perm()
		// Opened without O_TRUNC: the check changes nothing.
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		f.Close()
		p.inPlace = hardLinks(st) > 1
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	if !p.inPlace {
		f, err := p.createBeside()
		if err != nil && st == nil {
			return nil, err
		}
		if err == nil {
			f.Close()
			os.Remove(f.Name())
		}
		p.inPlace = err != nil // the file can be written, its folder not
	}
	return p, nil
}

// resolveLinks follows symbolic links from path to the file they name,
// which need not exist yet: a dangling link's target is created, the
// link kept, as os.Create would. filepath.EvalSymlinks fails on a dangling
// link, and the rename then replaced the link with a file. The folder of
// the file returned has no link left in it, so that commit's temporary
// file goes beside the file itself.
func resolveLinks(path string) (string, error) {
	// Linux gives up after 40 links (ELOOP; path_resolution(7)).
	for range 40 {
		// The folder as the kernel finds it, its links followed before
		// any ".." after them: filepath.Dir and Join take "link/.." away
		// as text, which is the folder the link is in, not the parent of
		// the folder it names.
		dir, base := ".", path
		if i := strings.LastIndexByte(path, filepath.Separator); i >= 0 {
			dir, base = path[:i+1], path[i+1:]
		}
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			} else {
				err = errors.New(strings.TrimPrefix(err.Error(), "EvalSymlinks: "))
			}
			return "", fmt.Errorf("cannot write a file in its folder: %v", err)
		}
		full := filepath.Join(real, base) // real has no link: Join may tidy it
		st, err := os.Lstat(full)
		if errors.Is(err, fs.ErrNotExist) {
			return full, nil
		}
		if err != nil {
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return full, nil
		}
		dest, err := os.Readlink(full)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = real + string(filepath.Separator) + dest // relative to the link's folder
		}
		path = dest
	}
	return "", fmt.Errorf("too many levels of symbolic links")
}

// createBeside creates an empty temporary file in the target's folder.
// It uses O_EXCL rather than os.CreateTemp so that the umask sets a new
// file's permissions, as os.Create's did, not 0600.
func (p *pendingFile) createBeside() (*os.File, error) {
	dir, base := filepath.Split(p.target)
	for i := 0; ; i++ {
		name := filepath.Join(dir, fmt.Sprintf(".%s.%d-%d.tmp", base, os.Getpid(), i))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) && i < 100 {
			continue
		}
		if err != nil {
			// Name the file the user gave, not the temporary one.
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = fmt.Errorf("%s: cannot write a file in its folder: %v", p.named, pe.Err)
			}
			return nil, err
		}
		return f, nil
	}
}

// commit puts the written bytes in place of the named file. A failure
// leaves the named file as it was unless keptOnFailure says otherwise.
func (p *pendingFile) commit() error {
	if p.device != nil {
		_, err := p.device.Write(p.Bytes())
		if err != nil {
			err = fmt.Errorf("%s: %v", p.named, errors.Unwrap(err))
		}
		if !p.ownFD {
			if cerr := p.device.Close(); err == nil {
				err = cerr
			}
		}
		p.device = nil
		return err
	}
	if p.inPlace {
		return os.WriteFile(p.target, p.Bytes(), 0o666)
	}
	f, err := p.createBeside()
	if err != nil {
		return err
	}
	_, err = f.Write(p.Bytes())
	if err == nil && p.replacing {
		// A file replaced keeps its permissions, as one truncated does.
		err = f.Chmod(p.perm)
	}
	// A failed Close may have lost written bytes.
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p.target)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// keptOnFailure reports whether a failed commit leaves the named file as
// it was: not when it is written in place, or is a device.
func (p *pendingFile) keptOnFailure() bool { return !p.inPlace && !p.isDevice }

// abort throws the written bytes away and leaves the named file as it
// was (a device or pipe keeps nothing: it was not yet written to).
func (p *pendingFile) abort() {
	p.Reset()
	if p.device != nil && !p.ownFD {
		p.device.Close()
	}
	p.device = nil
}
