//go:build unix

package zarr

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// writeSmallStore writes a small store at path and commits it.
func writeSmallStore(path string, overwrite bool) error {
	w, err := Create(formats.CreateSpec{Path: path, Shape: chunk.Shape{Rows: 8, Cols: 8}, DType: chunk.Uint8, Chunk: chunk.Shape{Rows: 4, Cols: 4}, Overwrite: overwrite})
	if err != nil {
		return err
	}
	a := chunk.NewArray(chunk.Uint8, chunk.Rect(0, 0, 8, 8))
	if err := w.WriteRegion(context.Background(), a); err != nil {
		w.Abort()
		return err
	}
	return w.Commit()
}

// TestStoreModesFollowUmask: every directory and file of a written store
// has mode 0777/0666 less the umask (0755/0644 under umask 022; the store
// root was 0700 before).
func TestStoreModesFollowUmask(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.zarr")
	old := syscall.Umask(0o022)
	err := writeSmallStore(path, false)
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		want := fs.FileMode(0o644)
		if d.IsDir() {
			want = fs.ModeDir | 0o755
		}
		if st.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, st.Mode(), want)
		}
		n++
		return nil
	})
	if err != nil || n < 5 {
		t.Fatalf("walked %d entries: %v", n, err)
	}
}

// TestOverwriteRefusesNonStore: Create with Overwrite onto an existing
// directory that is not a Zarr store is refused and deletes nothing; onto
// a store it replaces it.
func TestOverwriteRefusesNonStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "thesis.zarr")
	os.Mkdir(path, 0o755)
	keep := filepath.Join(path, "chapter1.tex")
	os.WriteFile(keep, []byte("years of work"), 0o644)
	err := writeSmallStore(path, true)
	if err == nil || !strings.Contains(err.Error(), "refusing to replace") || !strings.Contains(err.Error(), path) {
		t.Fatalf("overwrite onto a plain directory: %v, want a refusal naming it", err)
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "years of work" {
		t.Fatalf("plain directory damaged: %q, %v", b, err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("refused write left %v", es)
	}
	store := filepath.Join(dir, "store.zarr")
	if err := writeSmallStore(store, false); err != nil {
		t.Fatal(err)
	}
	if err := writeSmallStore(store, true); err != nil {
		t.Fatalf("overwrite of a store: %v", err)
	}
	if _, err := Open(store, formats.OpenOptions{}); err != nil {
		t.Fatalf("replaced store does not open: %v", err)
	}
}
