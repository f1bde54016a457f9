package zarr

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// TestOpenShared writes half the chunks through the owner and half through
// a shared writer staging elsewhere: the committed store equals one written
// by the owner alone, a partial chunk and Commit are refused, and the
// staging directory is left empty.
func TestOpenShared(t *testing.T) {
	dir := t.TempDir()
	spec := formats.CreateSpec{Shape: chunk.Shape{Rows: 50, Cols: 40}, DType: chunk.Float32, Chunk: chunk.Shape{Rows: 16, Cols: 16},
		Attrs: formats.Attrs{{Name: "_FillValue", Value: -1.0}}, Options: map[string]string{"compress": "zlib"}}
	grid, err := chunk.NewGrid(spec.Shape, spec.Chunk)
	if err != nil {
		t.Fatal(err)
	}
	region := func(n int) *chunk.Array {
		var a chunk.Array
		a.Reset(chunk.Float32, grid.Region(grid.Index(n)))
		for i, v := 0, chunk.Elems[float32](&a); i < len(v); i++ {
			v[i] = float32(n*1000 + i)
		}
		return &a
	}
	write := func(path string, shared bool) {
		s := spec
		s.Path = path
		owner, err := Create(s)
		if err != nil {
			t.Fatal(err)
		}
		staging := filepath.Join(dir, "staging")
		os.MkdirAll(staging, 0o755)
		other, err := OpenShared(s, owner.ArrayDir(), staging)
		if err != nil {
			t.Fatal(err)
		}
		for n := range grid.Len() {
			w := owner
			if shared && n%2 == 1 {
				w = other
			}
			if err := w.WriteRegion(context.Background(), region(n)); err != nil {
				t.Fatal(err)
			}
		}
		if shared {
			var part chunk.Array
			part.Reset(chunk.Float32, chunk.Rect(0, 0, 8, 8))
			if err := other.WriteRegion(context.Background(), &part); err == nil {
				t.Error("a shared writer accepted part of a chunk")
			}
			if err := other.Commit(); err == nil {
				t.Error("a shared writer committed")
			}
			if left, _ := os.ReadDir(staging); len(left) != 0 {
				t.Errorf("staging holds %d files", len(left))
			}
		}
		if err := owner.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	alone, both := filepath.Join(dir, "alone.zarr"), filepath.Join(dir, "both.zarr")
	write(alone, false)
	write(both, true)
	files, _ := filepath.Glob(filepath.Join(alone, "*", "*"))
	if len(files) < grid.Len() {
		t.Fatalf("%d files in the store, want at least %d chunks", len(files), grid.Len())
	}
	for _, f := range files {
		rel, _ := filepath.Rel(alone, f)
		a, _ := os.ReadFile(f)
		b, err := os.ReadFile(filepath.Join(both, rel))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs (%v)", rel, err)
		}
	}
}
