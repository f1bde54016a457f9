package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	_ "chunkpipe/formats/all"
	"chunkpipe/formats/geotiff"
	"chunkpipe/formats/hdf5"
	"chunkpipe/formats/remote"
	"chunkpipe/formats/remote/remotetest"
	"chunkpipe/formats/zarr"
	"chunkpipe/internal/realdata"
)

// readWhole reads a whole 2-D input.
func readWhole(t *testing.T, r formats.Reader) []byte {
	t.Helper()
	info := r.Info()
	dst := chunk.NewArray(info.DType, info.Shape.Bounds())
	if err := r.ReadRegion(context.Background(), dst.Rect, dst); err != nil {
		t.Fatal(err)
	}
	return dst.Data[:info.Shape.Rows*info.Shape.Cols*info.DType.Size()]
}

// writeRefs writes refs beside the test's other files and returns the path.
func writeRefs(t *testing.T, refs *Refs) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "index.json")
	if err := refs.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// arrays2D lists the 2-D arrays a reference document describes.
func arrays2D(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version int            `json:"version"`
		Refs    map[string]any `json:"refs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.Version != 1 {
		t.Fatalf("document: version %d, %v", doc.Version, err)
	}
	var out []string
	for k, v := range doc.Refs {
		name, ok := strings.CutSuffix(k, "/.zarray")
		if !ok {
			continue
		}
		var z struct{ Shape []int }
		if err := json.Unmarshal([]byte(v.(string)), &z); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if len(z.Shape) == 2 {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// TestRealHDF5ThroughIndex indexes every real NetCDF-4/HDF5 file with
// references to its URL on a loopback server, then reads every 2-D
// variable through the index: the values must be those the HDF5 reader
// reads from the local file, bit for bit.
func TestRealHDF5ThroughIndex(t *testing.T) {
	dir := realdata.Require(t)
	srv := remotetest.NewServer(os.DirFS(dir), 0)
	defer srv.Close()
	var files []string
	for _, sub := range []string{"abi", "hdf5", "netcdf"} {
		m, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
		files = append(files, m...)
	}
	compared := 0
	for _, p := range files {
		rel, _ := filepath.Rel(dir, p)
		refs, err := Build(context.Background(), p, srv.URLOf(filepath.ToSlash(rel)))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if len(refs.Skipped) > 0 {
			t.Logf("%s: left out %s", rel, strings.Join(refs.Skipped, "; "))
		}
		path := writeRefs(t, refs)
		h, err := hdf5.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range arrays2D(t, path) {
			ds, err := h.Dataset(v)
			if err != nil {
				t.Fatal(err)
			}
			if ds.DType().BigEndian {
				continue // the HDF5 reader and Zarr both give host order; compared below only for little-endian files
			}
			want, err := ds.ReadAll()
			if err != nil {
				t.Fatalf("%s %s: %v", rel, v, err)
			}
			r, err := zarr.OpenRefs(path, formats.OpenOptions{Variable: v})
			if err != nil {
				t.Fatalf("%s %s: %v", rel, v, err)
			}
			if got := readWhole(t, r); !bytes.Equal(got, want) {
				t.Errorf("%s %s: values through the index differ from the HDF5 reader's", rel, v)
			}
			r.Close()
			compared++
		}
		h.Close()
		if strings.HasPrefix(rel, "abi/OR_ABI-L1b") {
			sameScalars(t, p, path)
		}
	}
	t.Logf("%d variables of %d files compared, %d requests", compared, len(files), srv.Requests.Load())
	if compared < 20 {
		t.Errorf("only %d variables compared", compared)
	}
}

// TestIndexSavesRequests reads the Rad variable of a real ABI file over
// HTTP, through the NetCDF-4 reader and through an index, and counts the
// requests each needs. With the default 4 MiB first request the reader
// fetches these small granules whole; with 64 KiB spans (as a large
// full-disk granule meets them) it needs the metadata round trips that
// the index skips. The index fetches neighbouring chunks together.
func TestIndexSavesRequests(t *testing.T) {
	dir := realdata.Require(t)
	name := "abi/OR_ABI-L1b-RadC-M6C16_G16_s20200040316182_e20200040318566_c20200040319074.nc"
	srv := remotetest.NewServer(os.DirFS(dir), 0)
	defer srv.Close()
	refs, err := Build(context.Background(), filepath.Join(dir, name), srv.URLOf(name))
	if err != nil {
		t.Fatal(err)
	}
	path := writeRefs(t, refs)
	opts := formats.OpenOptions{Variable: "Rad"}

	// count opens the input and reads one chunk and then the whole
	// variable, counting the requests of each step.
	type counts struct{ open, oneChunk, whole, bytes int64 }
	count := func(open func() (formats.Reader, error)) (counts, []byte) {
		srv.Requests.Store(0)
		srv.Bytes.Store(0)
		var c counts
		r, err := open()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		c.open = srv.Requests.Load()
		info := r.Info()
		one := chunk.NewArray(info.DType, chunk.Rect(0, 0, info.Storage.Rows, info.Storage.Cols))
		if err := r.ReadRegion(context.Background(), one.Rect, one); err != nil {
			t.Fatal(err)
		}
		c.oneChunk = srv.Requests.Load() - c.open
		data := readWhole(t, r)
		c.whole = srv.Requests.Load() - c.open - c.oneChunk
		c.bytes = srv.Bytes.Load()
		return c, data
	}
	nc, ncData := count(func() (formats.Reader, error) {
		return remote.OpenReader(context.Background(), srv.URLOf(name), opts, remote.Options{Cache: remote.NewCache(64 << 20)})
	})
	small, smallData := count(func() (formats.Reader, error) {
		return remote.OpenReader(context.Background(), srv.URLOf(name), opts, remote.Options{Cache: remote.NewCache(64 << 20), SpanBytes: 64 << 10})
	})
	ix, ixData := count(func() (formats.Reader, error) { return zarr.OpenRefs(path, opts) })
	if !bytes.Equal(ncData, ixData) || !bytes.Equal(smallData, ixData) {
		t.Fatal("Rad through the index differs from Rad through the NetCDF-4 reader")
	}
	chunks := 0
	for k := range refs.Chunks {
		if strings.HasPrefix(k, "Rad/") {
			chunks++
		}
	}
	t.Logf("Rad of %s (%d chunks) over HTTP, requests to open / read its first chunk / then read it whole (bytes in all):", filepath.Base(name), chunks)
	t.Logf("  NetCDF-4 reader, 4 MiB spans:  %d / %d / %d (%d bytes)", nc.open, nc.oneChunk, nc.whole, nc.bytes)
	t.Logf("  NetCDF-4 reader, 64 KiB spans: %d / %d / %d (%d bytes)", small.open, small.oneChunk, small.whole, small.bytes)
	t.Logf("  index:                         %d / %d / %d (%d bytes)", ix.open, ix.oneChunk, ix.whole, ix.bytes)
	if ix.open != 0 || ix.oneChunk != 1 {
		t.Errorf("index: %d requests to open, %d for one chunk: want 0 and 1", ix.open, ix.oneChunk)
	}
	if ix.oneChunk+ix.whole > 2 {
		t.Errorf("index: %d requests for the whole variable: neighbouring chunks were not fetched together", ix.oneChunk+ix.whole)
	}
	if small.open+small.oneChunk <= 2 {
		t.Errorf("64 KiB spans: %d requests before the first chunk; the test no longer shows the metadata reads", small.open+small.oneChunk)
	}
	if ix.bytes >= small.bytes {
		t.Errorf("index read fetched %d bytes, the 64 KiB-span reader %d", ix.bytes, small.bytes)
	}
}

// TestRealGeoTIFFThroughIndex indexes the real GeoTIFFs whose codec maps
// to numcodecs and reads them through the index: the values must be the
// GeoTIFF reader's. Files that cannot be described must say why.
func TestRealGeoTIFFThroughIndex(t *testing.T) {
	dir := realdata.Require(t)
	files, _ := filepath.Glob(filepath.Join(dir, "geotiff", "*.[tT][iI][fF]*"))
	compared := 0
	for _, p := range files {
		refs, err := Build(context.Background(), p, "")
		if err != nil {
			if !strings.Contains(err.Error(), "no numcodecs equivalent") && !strings.Contains(err.Error(), "strips") &&
				!strings.Contains(err.Error(), "interleaved") {
				t.Errorf("%s: %v", filepath.Base(p), err)
			}
			t.Logf("%s: not indexed: %v", filepath.Base(p), err)
			continue
		}
		path := writeRefs(t, refs)
		r, err := zarr.OpenRefs(path, formats.OpenOptions{})
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		g, err := geotiff.Open(p, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := readWhole(t, r), readWhole(t, g); !bytes.Equal(got, want) {
			t.Errorf("%s: values through the index differ from the GeoTIFF reader's", filepath.Base(p))
		}
		r.Close()
		g.Close()
		compared++
	}
	t.Logf("%d of %d GeoTIFFs compared through an index", compared, len(files))
	if compared == 0 {
		t.Error("no GeoTIFF could be indexed")
	}
}

// sameScalars requires the scalar variables read through the index at
// path to be those the NetCDF-4 reader reads from file: ABI's calibration
// constants.
func sameScalars(t *testing.T, file, path string) {
	t.Helper()
	nc, err := formats.Open(file, formats.OpenOptions{Variable: "Rad"})
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ix, err := zarr.OpenRefs(path, formats.OpenOptions{Variable: "Rad"})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	want := nc.(formats.ScalarReader).Scalars()
	got := ix.Scalars()
	if len(want) < 10 {
		t.Fatalf("%s: only %d scalars in the file", filepath.Base(file), len(want))
	}
	for _, a := range want {
		v, ok := got.Get(a.Name)
		if !ok || v != a.Value {
			t.Errorf("%s: scalar %s = %v through the index, %v in the file", filepath.Base(file), a.Name, v, a.Value)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d scalars through the index, %d in the file", filepath.Base(file), len(got), len(want))
	}
}

// TestIndexConcurrentReads reads random regions of Rad through an index
// over HTTP from 8 goroutines at once (chunks fetched in shared spans,
// waited for and consumed concurrently): every region must hold the
// HDF5 reader's values.
func TestIndexConcurrentReads(t *testing.T) {
	dir := realdata.Require(t)
	name := "abi/OR_ABI-L1b-RadC-M6C16_G16_s20200040316182_e20200040318566_c20200040319074.nc"
	srv := remotetest.NewServer(os.DirFS(dir), time.Millisecond)
	defer srv.Close()
	refs, err := Build(context.Background(), filepath.Join(dir, name), srv.URLOf(name))
	if err != nil {
		t.Fatal(err)
	}
	path := writeRefs(t, refs)
	nc, err := formats.Open(filepath.Join(dir, name), formats.OpenOptions{Variable: "Rad"})
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	want := readWhole(t, nc)
	shape := nc.Info().Shape
	for round := range 3 {
		r, err := zarr.OpenRefs(path, formats.OpenOptions{Variable: "Rad"})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan string, 8*10)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(round), uint64(g)))
				for range 10 {
					r0, c0 := rng.IntN(shape.Rows), rng.IntN(shape.Cols)
					reg := chunk.Rect(r0, c0, min(shape.Rows, r0+1+rng.IntN(400)), min(shape.Cols, c0+1+rng.IntN(400)))
					dst := chunk.NewArray(chunk.Int16, reg)
					if err := r.ReadRegion(context.Background(), reg, dst); err != nil {
						errs <- err.Error()
						return
					}
					for row := reg.Row0; row < reg.Row1; row++ {
						got := dst.Data[dst.Offset(row, reg.Col0)*2 : dst.Offset(row, reg.Col1-1)*2+2]
						if !bytes.Equal(got, want[(row*shape.Cols+reg.Col0)*2:(row*shape.Cols+reg.Col1)*2]) {
							errs <- fmt.Sprintf("region %v row %d differs", reg, row)
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		r.Close()
	}
}
