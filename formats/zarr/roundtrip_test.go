package zarr

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

var allTypes = chunk.DTypes()

// writeStore writes src through a Writer, one goroutine per grid chunk,
// and commits it.
func writeStore(t testing.TB, path string, src *chunk.Array, cs chunk.Shape, opts map[string]string, attrs formats.Attrs) {
	t.Helper()
	w, err := Create(formats.CreateSpec{Path: path, Shape: src.Rect.Shape(), DType: src.DType, Chunk: cs, Options: opts, Attrs: attrs})
	if err != nil {
		t.Fatal(err)
	}
	g, err := chunk.NewGrid(src.Rect.Shape(), w.meta.Chunks)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, g.Len())
	for n := range g.Len() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- w.WriteRegion(context.Background(), src.Sub(g.Region(g.Index(n))))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			w.Abort()
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestRoundTrip writes and reads back every element type over a grid of
// shapes and chunkings (ragged edges, 1x1, chunks larger than the array),
// each with two codecs in rotation so that every codec meets every type;
// the data must come back bit for bit.
func TestRoundTrip(t *testing.T) {
	shapes := []chunk.Shape{{Rows: 1, Cols: 1}, {Rows: 7, Cols: 5}, {Rows: 64, Cols: 48}, {Rows: 100, Cols: 77}}
	chunkings := []chunk.Shape{{Rows: 1, Cols: 1}, {Rows: 3, Cols: 4}, {Rows: 13, Cols: 11}, {Rows: 16, Cols: 16}, {}, {Rows: 200, Cols: 200}}
	codecs := []map[string]string{
		{"compress": "none"},
		{"compress": "zlib"},
		{"compress": "gzip", "level": "6"},
		{},
		{"compress": "zstd", "level": "9"},
		{"compress": "blosc"},
		{"compress": "blosc", "level": "0"},
	}
	dir := t.TempDir()
	n := 0
	for _, dt := range allTypes {
		for _, shape := range shapes {
			for _, cs := range chunkings {
				if cs.Rows < 10 && shape.Len() > 35 {
					continue // thousands of tiny chunk files add time, not coverage
				}
				for _, k := range []int{n, n + 3} {
					n++
					opts := codecs[k%len(codecs)]
					name := fmt.Sprintf("%v/%v/chunks %v/%v", dt, shape, cs, opts)
					path := filepath.Join(dir, fmt.Sprintf("s%d.zarr", n))
					src := randomArray(dt, shape.Bounds(), uint64(n))
					writeStore(t, path, src, cs, opts, nil)
					r, err := Open(path, formats.OpenOptions{})
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					got := readAll(t, r)
					if d := diff(arrayBytes(got), arrayBytes(src), dt.Size(), shape.Cols); d != "" {
						t.Fatalf("%s: %s", name, d)
					}
				}
			}
		}
	}
}

// TestRoundTripBloscShuffles covers blosc encodings the writer does not
// choose by itself: no shuffle, bit shuffle, and zlib and zstd streams.
func TestRoundTripBloscShuffles(t *testing.T) {
	for _, dt := range allTypes {
		for _, cname := range []string{"lz4", "zlib", "zstd"} {
			for _, sh := range []int{shuffleNone, shuffleByte, shuffleBit} {
				for _, n := range []int{1, 7, 1000, 40000} {
					c := bloscCodec{cname: cname, clevel: 5, shuffle: sh, typesize: dt.Size()}
					src := randomArray(dt, chunk.Rect(0, 0, 1, n), uint64(n))
					enc, err := c.encode(nil, src.Data)
					if err != nil {
						t.Fatal(err)
					}
					got := make([]byte, len(src.Data))
					if err := c.decode(got, enc); err != nil {
						t.Fatalf("%v %s shuffle %d n %d: %v", dt, cname, sh, n, err)
					}
					if d := diff(got, src.Data, dt.Size(), n); d != "" {
						t.Fatalf("%v %s shuffle %d n %d: %s", dt, cname, sh, n, d)
					}
				}
			}
		}
	}
}

// TestWriterPartialRegions writes regions that do not line up with the
// chunks, in an order that completes some chunks and leaves others for
// Commit, and checks the store, its fill padding and its metadata.
func TestWriterPartialRegions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.zarr")
	shape := chunk.Shape{Rows: 30, Cols: 25}
	src := randomArray(chunk.Float32, shape.Bounds(), 3)
	w, err := Create(formats.CreateSpec{Path: path, Shape: shape, DType: chunk.Float32, Chunk: chunk.Shape{Rows: 8, Cols: 8},
		Options: map[string]string{"compress": "zlib"}, Attrs: formats.Attrs{{Name: "units", Value: "K"}, {Name: "_FillValue", Value: -1.0}}})
	if err != nil {
		t.Fatal(err)
	}
	// Rows 0-19 in 5-row strips; rows 20-29 never written.
	for r0 := 0; r0 < 20; r0 += 5 {
		if err := w.WriteRegion(context.Background(), src.Sub(chunk.Rect(r0, 0, r0+5, 25))); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRegion(context.Background(), src.Sub(chunk.Rect(0, 0, 8, 8))); err == nil {
		t.Error("write after Commit succeeded")
	}
	if err := w.Commit(); err == nil {
		t.Error("second Commit succeeded")
	}
	r, err := Open(path, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := chunk.Elems[float32](readAll(t, r))
	want := chunk.Elems[float32](src)
	for i := range got {
		row := i / 25
		w := want[i]
		if row >= 20 {
			w = -1
		}
		if got[i] != w && !(w != w && got[i] != got[i]) {
			t.Fatalf("element (%d,%d) = %v, want %v", row, i%25, got[i], w)
		}
	}
	info := r.Info()
	if info.Variable != DefaultVariable || info.Storage != (chunk.Shape{Rows: 8, Cols: 8}) {
		t.Errorf("info = %+v", info)
	}
	if f, _ := info.Attrs.Float("_FillValue"); f != -1 {
		t.Errorf("_FillValue = %v", f)
	}
	if u, _ := info.Attrs.String("units"); u != "K" {
		t.Errorf("units = %q", u)
	}
	for _, f := range []string{".zgroup", ".zattrs", ".zmetadata", "data/.zarray", "data/.zattrs", "data/2.3"} {
		if _, err := os.Stat(filepath.Join(path, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	// Chunk row 3 (rows 24-29) was never written: no files.
	if _, err := os.Stat(filepath.Join(path, "data", "3.0")); err == nil {
		t.Error("chunk 3.0 was written though no region touched it")
	}
}

// TestWriterAbort checks that Abort leaves nothing behind.
func TestWriterAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.zarr")
	src := randomArray(chunk.Int16, chunk.Rect(0, 0, 10, 10), 1)
	w, err := Create(formats.CreateSpec{Path: path, Shape: src.Rect.Shape(), DType: chunk.Int16, Chunk: chunk.Shape{Rows: 5, Cols: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRegion(context.Background(), src.Sub(chunk.Rect(0, 0, 5, 5))); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("Abort left %d entries", len(entries))
	}
}

// TestRegistered checks the format registration used by formats.Open.
func TestRegistered(t *testing.T) {
	f, ok := formats.Lookup("zarr")
	if !ok || !f.Dir || f.Open == nil || f.Create == nil || len(f.Exts) != 1 || f.Exts[0] != ".zarr" {
		t.Fatalf("registration = %+v, %v", f, ok)
	}
	r, err := formats.Open(filepath.Join(fixtureDir, "zlib_f4.zarr"), formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Info().Format != "zarr" {
		t.Errorf("format %q", r.Info().Format)
	}
}
