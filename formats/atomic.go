package formats

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// AtomicFile is an output file written under a temporary name beside its
// target and renamed into place by Commit, so that a failed or interrupted
// run never leaves a partial file at the target path. Its File supports
// WriteAt from many goroutines at once.
type AtomicFile struct {
	*os.File
	Target    string
	overwrite bool
	once      sync.Once
	done      bool
}

// CreateAtomic creates a temporary file beside target (".NAME.tmp-*").
func CreateAtomic(target string, overwrite bool) (*AtomicFile, error) {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("formats: create output %s: %w", target, err)
	}
	return &AtomicFile{File: f, Target: target, overwrite: overwrite}, nil
}

// Commit syncs nothing (the page cache is enough for a batch tool; callers
// that need durability can Sync first), closes the file and renames it to
// the target. Unless the file was created with overwrite, an existing
// target is an error.
func (a *AtomicFile) Commit() error {
	if a.done {
		return fmt.Errorf("formats: %s already committed or aborted", a.Target)
	}
	if err := a.File.Close(); err != nil {
		a.Abort()
		return fmt.Errorf("formats: close %s: %w", a.Target, err)
	}
	if !a.overwrite {
		if _, err := os.Lstat(a.Target); err == nil {
			a.Abort()
			return fmt.Errorf("formats: output %s appeared while writing (use --overwrite to replace it)", a.Target)
		}
	}
	if err := os.Rename(a.File.Name(), a.Target); err != nil {
		a.Abort()
		return fmt.Errorf("formats: rename into %s: %w", a.Target, err)
	}
	a.done = true
	return nil
}

// Abort closes and removes the temporary file. It is safe to call twice and
// after Commit (then it does nothing).
func (a *AtomicFile) Abort() error {
	a.once.Do(func() {
		if a.done {
			return
		}
		a.File.Close()
		os.Remove(a.File.Name())
		a.done = true
	})
	return nil
}

// AtomicDir is an output directory (a Zarr store) built under a temporary
// name beside its target and renamed into place by Commit.
type AtomicDir struct {
	Path      string // the temporary directory to write into
	Target    string
	overwrite bool
	done      bool
}

// CreateAtomicDir creates a temporary directory beside target.
func CreateAtomicDir(target string, overwrite bool) (*AtomicDir, error) {
	dir, base := filepath.Split(filepath.Clean(target))
	if dir == "" {
		dir = "."
	}
	p, err := os.MkdirTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("formats: create output %s: %w", target, err)
	}
	return &AtomicDir{Path: p, Target: target, overwrite: overwrite}, nil
}

// Commit renames the directory into place, replacing an existing target
// only when created with overwrite.
func (a *AtomicDir) Commit() error {
	if a.done {
		return fmt.Errorf("formats: %s already committed or aborted", a.Target)
	}
	if _, err := os.Lstat(a.Target); err == nil {
		if !a.overwrite {
			a.Abort()
			return fmt.Errorf("formats: output %s appeared while writing (use --overwrite to replace it)", a.Target)
		}
		old := a.Path + ".old"
		if err := os.Rename(a.Target, old); err != nil {
			a.Abort()
			return fmt.Errorf("formats: replace %s: %w", a.Target, err)
		}
		defer os.RemoveAll(old)
	}
	if err := os.Rename(a.Path, a.Target); err != nil {
		a.Abort()
		return fmt.Errorf("formats: rename into %s: %w", a.Target, err)
	}
	a.done = true
	return nil
}

// Abort removes the temporary directory; safe to call twice.
func (a *AtomicDir) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	return os.RemoveAll(a.Path)
}
