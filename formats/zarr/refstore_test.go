package zarr

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/remote/remotetest"
)

// refsOf writes a reference document describing the local store dir
// whose chunk files are served at base: metadata inline, each chunk the
// whole range of its file; edit may change the refs before writing.
func refsOf(t *testing.T, dir, base string, edit func(map[string]any)) string {
	t.Helper()
	refs := map[string]any{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(e.Name(), ".") {
			refs[e.Name()] = string(data)
		} else {
			refs[e.Name()] = []any{base + "/" + e.Name(), 0, len(data)}
		}
	}
	if edit != nil {
		edit(refs)
	}
	b, err := json.Marshal(map[string]any{"version": 1, "refs": refs})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "refs.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRefsMatchLocal reads fixture stores through reference documents
// pointing at their chunk files over HTTP: the arrays are the local ones.
func TestRefsMatchLocal(t *testing.T) {
	srv := remotetest.NewServer(os.DirFS(fixtureDir), 0)
	defer srv.Close()
	for _, name := range []string{"zlib_f4", "blosc_zstd_bitshuffle_f8", "bigendian_i2", "forder_i4", "fill_nan_f4"} {
		dir := filepath.Join(fixtureDir, name+".zarr")
		p := refsOf(t, dir, srv.URLOf(name+".zarr"), nil)
		local, err := Open(dir, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := OpenRefs(p, formats.OpenOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(arrayBytes(readAll(t, r)), arrayBytes(readAll(t, local))) {
			t.Errorf("%s: array through the references differs", name)
		}
		r.Close()
		local.Close()
	}
}

// TestRefsErrors: a chunk without a reference reads as the fill value; a
// reference past the end of its file is an error naming the chunk and
// URL; bad documents are refused with the reason.
func TestRefsErrors(t *testing.T) {
	srv := remotetest.NewServer(os.DirFS(fixtureDir), 0)
	defer srv.Close()
	dir := filepath.Join(fixtureDir, "zlib_f4.zarr")
	base := srv.URLOf("zlib_f4.zarr")

	p := refsOf(t, dir, base, func(m map[string]any) { delete(m, "0.0") })
	r, err := OpenRefs(p, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rows, cols := r.meta.Chunks.Rows, r.meta.Chunks.Cols
	dst := chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, rows, cols))
	if err := r.ReadRegion(context.Background(), dst.Rect, dst); err != nil {
		t.Fatal(err)
	}
	want := chunk.NewArray(chunk.Float32, dst.Rect)
	for row := range rows {
		for col := range cols {
			fillBytes(want.Data[(row*cols+col)*4:(row*cols+col+1)*4], r.fill)
		}
	}
	if !bytes.Equal(arrayBytes(dst), arrayBytes(want)) {
		t.Error("a chunk without a reference did not read as the fill value")
	}
	r.Close()

	p = refsOf(t, dir, base, func(m map[string]any) { m["0.0"] = []any{base + "/0.0", 1 << 20, 100} })
	r, err = OpenRefs(p, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = r.ReadRegion(context.Background(), dst.Rect, dst)
	if err == nil || !strings.Contains(err.Error(), "chunk 0.0") || !strings.Contains(err.Error(), base+"/0.0") {
		t.Errorf("reference past the end of the file: error %v", err)
	}
	r.Close()

	bad := map[string]string{
		`{"version": 2, "refs": {}}`:                             "version 2",
		`{"version": 1, "refs": {}, "templates": {"u": "x"}}`:    `"templates"`,
		`{"version": 1}`:                                         "without a refs object",
		`{"version": 1, "refs": {".zarray": 5}}`:                 `reference ".zarray"`,
		`{"version": 1, "refs": {"0.0": ["http://x/f", -1, 5]}}`: "bad offset",
		`{"version": 1, "refs": {"0.0": "base64:!!"}}`:           "bad base64",
		`[1, 2]`: "bad reference JSON",
		`{"version": 1, "refs": {".zgroup": "{\"zarr_format\": 2}"}}`: "no 2-D array",
	}
	for doc, want := range bad {
		p := filepath.Join(t.TempDir(), "bad.json")
		os.WriteFile(p, []byte(doc), 0o644)
		_, err := OpenRefs(p, formats.OpenOptions{})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v, want one naming %s and %q", doc, err, p, want)
		}
	}
}
