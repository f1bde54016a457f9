package zarr

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"

	"chunkpipe/formats"
)

// ArrayDir returns the directory inside the temporary store where the
// array's chunk files go until Commit renames the store into place.
// Other processes (a cluster's workers) write chunks there with
// [OpenShared]; after Commit or Abort the directory no longer exists.
func (w *Writer) ArrayDir() string { return w.dir }

// OpenShared returns a writer of the array spec describes (the spec the
// store's owner was created with: shape, dtype, chunk shape, variable,
// _FillValue and compression options) that writes its chunk files into
// arrayDir, the owner's [Writer.ArrayDir]. It writes whole chunks only
// (edge chunks clipped by the array's shape), each encoded exactly as the
// owner would and written under a temporary name in stagingDir (a
// directory on the same filesystem, outside the store; "" means arrayDir),
// then renamed over the chunk's key: a duplicate or late writer replaces a chunk with the same
// bytes and never leaves a torn one. It writes no metadata; Commit is an
// error and Abort does nothing, since the owner commits or removes the
// store. A staging directory outside the store means a writer that is late
// (its store already committed or removed) can leave no stray file in the
// store: its rename fails instead. WriteRegion is safe for concurrent use.
func OpenShared(spec formats.CreateSpec, arrayDir, stagingDir string) (*Writer, error) {
	w, err := newWriter(spec)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(arrayDir)
	if err != nil {
		return nil, fmt.Errorf("zarr: %s: shared store: %w", spec.Path, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("zarr: %s: shared store %s is not a directory", spec.Path, arrayDir)
	}
	w.dir, w.shared, w.staging = arrayDir, true, stagingDir
	if w.staging == "" {
		w.staging = arrayDir
	}
	return w, nil
}

// replaceChunk writes one encoded chunk under a temporary name beside its
// key and renames it into place.
func (w *Writer) replaceChunk(key string, enc []byte) error {
	// Mode 0666 under the umask, as every other output file.
	f, err := createExclusive(w.staging, "."+key+".tmp-")
	if err != nil {
		return fmt.Errorf("zarr: %s: chunk %s: %w", w.target, key, err)
	}
	_, err = f.Write(enc)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(w.dir, key))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("zarr: %s: chunk %s: %w", w.target, key, err)
	}
	return nil
}

// createExclusive creates a new file in dir named prefix followed by the
// pid and a random number, with mode 0666 under the umask.
func createExclusive(dir, prefix string) (*os.File, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, fmt.Sprintf("%s%d-%d", prefix, os.Getpid(), rand.Uint64()))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil || !errors.Is(err, fs.ErrExist) || try == 100 {
			return f, err
		}
	}
}
