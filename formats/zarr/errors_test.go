package zarr

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// copyStore copies a fixture store into a temporary directory so a test
// can damage it.
func copyStore(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join(fixtureDir, name+".zarr")
	dst := filepath.Join(t.TempDir(), name+".zarr")
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestReadErrors damages stores and checks that opening or reading them
// fails with an error that names the store (and the chunk).
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name  string
		store string
		file  string              // file to replace, relative to the store
		data  func([]byte) []byte // its new contents
		open  bool                // the error comes from Open
		want  []string            // substrings of the error
	}{
		{"corrupt zlib chunk", "zlib_f4", "0.0", func(b []byte) []byte { b[len(b)/2] ^= 0xff; return b }, false, []string{"chunk 0.0", "zlib"}},
		{"truncated zstd chunk", "zstd_u2", "1.1", func(b []byte) []byte { return b[:len(b)/2] }, false, []string{"chunk 1.1", "zstd"}},
		{"corrupt blosc lz4", "blosc_lz4_shuffle_f4", "0.0", func(b []byte) []byte {
			for i := 40; i < len(b); i += 7 {
				b[i] = 0xff
			}
			return b
		}, false, []string{"chunk 0.0", "blosc"}},
		{"corrupt blosclz", "blosc_blosclz_shuffle_i4", "0.0", func(b []byte) []byte { return b[:len(b)-100] }, false, []string{"chunk 0.0", "blosc"}},
		{"blosc wrong size", "blosc_zstd_bitshuffle_f8", "0.0", func(b []byte) []byte { b[4]++; return b }, false, []string{"chunk 0.0", "header says"}},
		{"uncompressed wrong size", "none_u1", "1.2", func(b []byte) []byte { return append(b, 1, 2, 3) }, false, []string{"chunk 1.2", "holds 67 bytes", "at most 64"}},
		{"zlib too long", "zlib_f4", "0.0", func([]byte) []byte { return zlibOf(make([]byte, 641*4)) }, false, []string{"chunk 0.0", "more than 640"}},
		{"zlib too short", "zlib_f4", "0.0", func([]byte) []byte { return zlibOf(make([]byte, 100)) }, false, []string{"chunk 0.0", "decoded 100 bytes, want 640"}},
		{"nested chunk", "nested_f4", "2/3", func(b []byte) []byte { return b[:3] }, false, []string{"chunk 2/3"}},
		{"bad JSON", "zlib_f4", ".zarray", func(b []byte) []byte { return b[:len(b)-3] }, true, []string{"bad .zarray JSON"}},
		{"bad attrs JSON", "group", "Rad/.zattrs", func([]byte) []byte { return []byte(`{"a": [1,`) }, true, []string{"array Rad", ".zattrs"}},
		{"unsupported codec", "zlib_f4", ".zarray", replace(`"id": "zlib"`, `"id": "bz2"`), true, []string{`unsupported compressor "bz2"`}},
		{"unsupported blosc codec", "blosc_lz4_shuffle_f4", ".zarray", replace(`"cname": "lz4"`, `"cname": "snappy"`), true, []string{`unsupported blosc codec "snappy"`}},
		{"blosc snappy chunk", "blosc_lz4_shuffle_f4", "0.0", func(b []byte) []byte { b[2] = b[2]&0x1f | 2<<5; return b }, false, []string{"unsupported blosc codec snappy"}},
		{"unsupported dtype", "zlib_f4", ".zarray", replace(`"<f4"`, `"<c8"`), true, []string{`unsupported dtype "<c8"`}},
		{"filters", "zlib_f4", ".zarray", replace(`"filters": null`, `"filters": [{"id": "delta", "dtype": "<f4"}]`), true, []string{`unsupported filter "delta"`}},
		{"huge chunks", "zlib_f4", ".zarray", replace("10,\n        16", "100000,\n        100000"), true, []string{"take more than 2147483647 bytes"}},
		{"3-D", "zlib_f4", ".zarray", replace("37,\n        53", "37,\n        53,\n        2"), true, []string{"3 dimensions"}},
		{"bad fill", "fill_int_i2", ".zarray", replace("-999", "40000"), true, []string{"out of range"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := copyStore(t, tc.store)
			p := filepath.Join(store, filepath.FromSlash(tc.file))
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, tc.data(b), 0o644); err != nil {
				t.Fatal(err)
			}
			variable := ""
			if tc.store == "group" {
				variable = "Rad"
			}
			r, err := Open(store, formats.OpenOptions{Variable: variable})
			if err == nil && !tc.open {
				a := chunk.NewArray(r.Info().DType, r.Info().Shape.Bounds())
				err = r.ReadRegion(context.Background(), a.Rect, a)
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "zarr: "+store) {
				t.Errorf("error %q does not name the store", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
		})
	}
}

func replace(old, new string) func([]byte) []byte {
	return func(b []byte) []byte {
		s := string(b)
		if !strings.Contains(s, old) {
			panic("fixture lacks " + old)
		}
		return []byte(strings.Replace(s, old, new, 1))
	}
}

func zlibOf(b []byte) []byte {
	c, _ := newFlateCodec(formatZlib, 1)
	out, err := c.encode(nil, b)
	if err != nil {
		panic(err)
	}
	return out
}

// TestBadRegions checks argument validation on both sides.
func TestBadRegions(t *testing.T) {
	r, err := Open(filepath.Join(fixtureDir, "zlib_f4.zarr"), formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name string
		reg  chunk.Region
		dst  *chunk.Array
	}{
		{"outside", chunk.Rect(30, 50, 40, 60), chunk.NewArray(chunk.Float32, chunk.Rect(30, 50, 40, 60))},
		{"negative", chunk.Rect(-1, 0, 2, 2), chunk.NewArray(chunk.Float32, chunk.Rect(-1, 0, 2, 2))},
		{"wrong type", chunk.Rect(0, 0, 2, 2), chunk.NewArray(chunk.Int32, chunk.Rect(0, 0, 2, 2))},
		{"wrong rect", chunk.Rect(0, 0, 2, 2), chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 3, 2))},
		{"short data", chunk.Rect(0, 0, 2, 2), &chunk.Array{DType: chunk.Float32, Rect: chunk.Rect(0, 0, 2, 2), Stride: 2, Data: make([]byte, 12)}},
		{"nil", chunk.Rect(0, 0, 2, 2), nil},
	}
	for _, tc := range tests {
		if err := r.ReadRegion(ctx, tc.reg, tc.dst); err == nil || !strings.HasPrefix(err.Error(), "zarr: ") {
			t.Errorf("read %s: error %v", tc.name, err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	a := chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 37, 53))
	if err := r.ReadRegion(cancelled, a.Rect, a); err != context.Canceled {
		t.Errorf("read with a cancelled context: %v", err)
	}
	r.Close()
	if err := r.ReadRegion(ctx, a.Rect, a); err == nil {
		t.Error("read after Close succeeded")
	}

	w, err := Create(formats.CreateSpec{Path: filepath.Join(t.TempDir(), "w.zarr"), Shape: chunk.Shape{Rows: 10, Cols: 10}, DType: chunk.Uint8, Chunk: chunk.Shape{Rows: 4, Cols: 4}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, a := range []*chunk.Array{
		chunk.NewArray(chunk.Int8, chunk.Rect(0, 0, 4, 4)),
		chunk.NewArray(chunk.Uint8, chunk.Rect(8, 8, 12, 12)),
		nil,
	} {
		if err := w.WriteRegion(ctx, a); err == nil || !strings.HasPrefix(err.Error(), "zarr: ") {
			t.Errorf("write %v: error %v", a, err)
		}
	}
}

// TestCreateErrors checks the options and specs Create refuses.
func TestCreateErrors(t *testing.T) {
	dir := t.TempDir()
	base := formats.CreateSpec{Path: filepath.Join(dir, "x.zarr"), Shape: chunk.Shape{Rows: 4, Cols: 4}, DType: chunk.Int16}
	tests := []struct {
		name string
		edit func(*formats.CreateSpec)
		want string
	}{
		{"codec", func(s *formats.CreateSpec) { s.Options = map[string]string{"compress": "brotli"} }, `unsupported compress option "brotli"`},
		{"level", func(s *formats.CreateSpec) { s.Options = map[string]string{"compress": "zlib", "level": "12"} }, "bad zlib level 12"},
		{"level text", func(s *formats.CreateSpec) { s.Options = map[string]string{"level": "high"} }, `bad level option "high"`},
		{"dtype", func(s *formats.CreateSpec) { s.DType = chunk.Invalid }, "cannot write dtype"},
		{"fill", func(s *formats.CreateSpec) { s.Attrs = formats.Attrs{{Name: "_FillValue", Value: 1e9}} }, "not representable as int16"},
		{"fill text", func(s *formats.CreateSpec) { s.Attrs = formats.Attrs{{Name: "_FillValue", Value: "x"}} }, "not a number"},
		{"name", func(s *formats.CreateSpec) { s.Variable = "../x" }, "bad variable name"},
		{"shape", func(s *formats.CreateSpec) { s.Shape.Rows = -1 }, "bad shape"},
		{"chunk bytes", func(s *formats.CreateSpec) {
			s.Shape = chunk.Shape{Rows: 1 << 20, Cols: 1 << 20}
			s.Chunk = s.Shape
		}, "more than"},
	}
	for _, tc := range tests {
		spec := base
		tc.edit(&spec)
		w, err := Create(spec)
		if err == nil {
			w.Abort()
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "zarr: ") {
			t.Errorf("%s: error %q, want %q", tc.name, err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed Creates left %d entries", len(entries))
	}
}
