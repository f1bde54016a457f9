package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/formats/remote/remotetest"
)

// `chunkpipe index` of a real ABI band with references to its URL, then
// `chunkpipe run INDEX.json` and a run of a .zarr store over HTTP: the
// outputs are the local run's, and the index run asks the server only
// for chunks.
func TestIndexAndRunThroughIt(t *testing.T) {
	dir := realDir(t)
	s := remotetest.NewServer(os.DirFS(dir), 0)
	defer s.Close()
	name := "abi/OR_ABI-L1b-RadM1-M6C07_G17_s20193002000275_e20193002000344_c20193002000390.nc"
	wantDir, gotDir, work := t.TempDir(), t.TempDir(), t.TempDir()
	if code, _, errOut := chunkpipe(t, "run", filepath.Join(dir, name), "-k", "calibrate,bt", "-o", filepath.Join(wantDir, "bt.npy"), "--progress", "none"); code != 0 {
		t.Fatalf("local run: exit %d: %s", code, errOut)
	}
	index := filepath.Join(work, "c07.json")
	code, _, errOut := chunkpipe(t, "index", s.URLOf(name), "-o", index)
	if code != 0 || !strings.Contains(errOut, "chunk references to "+s.URLOf(name)) {
		t.Fatalf("index: exit %d: %s", code, errOut)
	}
	s.Requests.Store(0)
	code, _, errOut = chunkpipe(t, "run", index, "--var", "Rad", "-k", "calibrate,bt", "-o", filepath.Join(gotDir, "bt.npy"), "--progress", "none")
	if code != 0 {
		t.Fatalf("run through the index: exit %d: %s", code, errOut)
	}
	sameFiles(t, wantDir, gotDir)
	// The run reads Rad's chunks and nothing else; neighbouring chunks
	// share requests (two when two read workers start on different ones).
	doc, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	chunks := strings.Count(string(doc), "\n  \"Rad/0.") + strings.Count(string(doc), "\n  \"Rad/1.")
	if n := s.Requests.Load(); n < 1 || n > 2 || chunks < 4 {
		t.Errorf("run through the index sent %d requests for Rad's %d chunks, want 1 or 2", n, chunks)
	}

	// A Zarr store chunkpipe wrote, read back over HTTP.
	if code, _, errOut := chunkpipe(t, "run", filepath.Join(dir, name), "-k", "calibrate,bt", "-o", filepath.Join(work, "bt.zarr"), "--progress", "none"); code != 0 {
		t.Fatalf("zarr run: exit %d: %s", code, errOut)
	}
	zs := remotetest.NewServer(os.DirFS(work), 0)
	defer zs.Close()
	zarrDir := t.TempDir()
	if code, _, errOut := chunkpipe(t, "run", zs.URLOf("bt.zarr"), "-o", filepath.Join(zarrDir, "bt.npy"), "--progress", "none"); code != 0 {
		t.Fatalf("run of a store over HTTP: exit %d: %s", code, errOut)
	}
	sameFiles(t, wantDir, zarrDir)

	code, _, errOut = chunkpipe(t, "index", filepath.Join(dir, "geotiff", "tiny_LC81390452014295LGN00_B5.TIF"), "-o", filepath.Join(work, "lzw.json"))
	if code == 0 || !strings.Contains(errOut, "compression 5") {
		t.Errorf("index of an LZW GeoTIFF: exit %d, %q: want an error naming the codec", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(work, "lzw.json")); err == nil {
		t.Error("a failed index left its output")
	}
}
