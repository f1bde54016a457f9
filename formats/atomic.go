package formats

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// CreateAtomic creates a temporary file beside target
// (".NAME.chunkpipe-tmp-PID-RANDOM") with mode 0666 less the umask, after
// removing the temporaries of target that killed runs left
// ([RemoveStaleTemps]).
func CreateAtomic(target string, overwrite bool) (*AtomicFile, error) {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	RemoveStaleTemps(target)
	f, err := createTempFile(dir, base)
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
	markers   []string
	done      bool
}

// CreateAtomicDir creates a temporary directory beside target
// (".NAME.chunkpipe-tmp-PID-RANDOM") with mode 0777 less the umask, after
// removing the temporaries of target that killed runs left. With markers
// (metadata file names such as ".zarray", ".zgroup"), overwrite replaces
// an existing target only when it is a directory holding at least one of
// them: --overwrite onto a directory that is not a store of the format is
// refused, here and again at Commit.
func CreateAtomicDir(target string, overwrite bool, markers ...string) (*AtomicDir, error) {
	dir, base := filepath.Split(filepath.Clean(target))
	if dir == "" {
		dir = "."
	}
	if overwrite {
		if err := checkReplaceable(target, markers); err != nil {
			return nil, err
		}
	}
	RemoveStaleTemps(target)
	p, err := createTempDir(dir, base)
	if err != nil {
		return nil, fmt.Errorf("formats: create output %s: %w", target, err)
	}
	return &AtomicDir{Path: p, Target: target, overwrite: overwrite, markers: markers}, nil
}

// checkReplaceable reports an error when target exists but is not a
// directory holding one of markers (no markers: anything may be replaced).
func checkReplaceable(target string, markers []string) error {
	if len(markers) == 0 {
		return nil
	}
	st, err := os.Stat(target)
	if err != nil {
		if _, lerr := os.Lstat(target); lerr != nil {
			return nil // nothing there to replace
		}
		return fmt.Errorf("formats: output %s exists and is a broken link; refusing to replace it", target)
	}
	if !st.IsDir() {
		return fmt.Errorf("formats: output %s exists and is not a directory; --overwrite replaces only a store holding %s", target, strings.Join(markers, ", "))
	}
	for _, m := range markers {
		if _, err := os.Lstat(filepath.Join(target, m)); err == nil {
			return nil
		}
	}
	return fmt.Errorf("formats: output %s is a directory without %s, so not a store this writer made; refusing to replace it (remove it yourself if it should go)", target, strings.Join(markers, " or "))
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
		if err := checkReplaceable(a.Target, a.markers); err != nil {
			a.Abort()
			return err
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
