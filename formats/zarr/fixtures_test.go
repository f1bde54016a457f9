package zarr

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
)

// fixtureDir holds stores written by zarr-python (tools/zarr/make_fixtures.py).
var fixtureDir = filepath.Join("..", "..", "testdata", "zarr")

// TestFixtures reads every store zarr-python wrote and compares the array,
// whole and by random regions, with what zarr-python read back.
func TestFixtures(t *testing.T) {
	tests := []struct {
		store, variable, npy string
	}{
		{"zlib_f4", "", "zlib_f4"},
		{"gzip_i2", "", "gzip_i2"},
		{"zstd_u2", "", "zstd_u2"},
		{"lz4_i4", "", "lz4_i4"},
		{"none_u1", "", "none_u1"},
		{"blosc_lz4_shuffle_f4", "", "blosc_lz4_shuffle_f4"},
		{"blosc_lz4_noshuffle_u1", "", "blosc_lz4_noshuffle_u1"},
		{"blosc_blosclz_shuffle_i4", "", "blosc_blosclz_shuffle_i4"},
		{"blosc_blosclz_noshuffle_f8", "", "blosc_blosclz_noshuffle_f8"},
		{"blosc_blosclz_shuffle_u2", "", "blosc_blosclz_shuffle_u2"},
		{"blosc_zstd_bitshuffle_f8", "", "blosc_zstd_bitshuffle_f8"},
		{"blosc_zlib_shuffle_i8", "", "blosc_zlib_shuffle_i8"},
		{"nested_f4", "", "nested_f4"},
		{"forder_i4", "", "forder_i4"},
		{"bigendian_f8", "", "bigendian_f8"},
		{"bigendian_i2", "", "bigendian_i2"},
		{"one_by_one_f4", "", "one_by_one_f4"},
		{"big_chunk_u2", "", "big_chunk_u2"},
		{"fill_nan_f4", "", "fill_nan_f4"},
		{"fill_int_i2", "", "fill_int_i2"},
		{"fill_inf_f8", "", "fill_inf_f8"},
		{"group", "Rad", "group.Rad"},
		{"group", "/DQF", "group.DQF"},
		{"group", "sub/deep", "group.sub.deep"},
		{"xarray", "", "xarray"},
		{"xarray", "CMI", "xarray"},
	}
	for _, tc := range tests {
		t.Run(tc.store+"/"+tc.variable, func(t *testing.T) {
			t.Parallel()
			want := readNPY(t, filepath.Join(fixtureDir, tc.npy+".npy"))
			r, err := Open(filepath.Join(fixtureDir, tc.store+".zarr"), formats.OpenOptions{Variable: tc.variable})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			info := r.Info()
			if info.DType != want.DType || info.Shape != want.Shape {
				t.Fatalf("info %v %v, want %v %v", info.DType, info.Shape, want.DType, want.Shape)
			}
			sz := want.DType.Size()
			got := readAll(t, r)
			if d := diff(arrayBytes(got), want.Data, sz, want.Shape.Cols); d != "" {
				t.Fatalf("whole array: %s", d)
			}
			rng := rand.New(rand.NewPCG(7, uint64(len(tc.store))))
			for range 20 {
				r0, r1 := rng.IntN(want.Shape.Rows), rng.IntN(want.Shape.Rows)+1
				c0, c1 := rng.IntN(want.Shape.Cols), rng.IntN(want.Shape.Cols)+1
				reg := chunk.Rect(min(r0, r1-1), min(c0, c1-1), max(r0+1, r1), max(c0+1, c1))
				// A strided destination: the region inside a larger array.
				big := chunk.NewArray(want.DType, reg.Grow(2))
				dst := big.Sub(reg)
				if err := r.ReadRegion(context.Background(), reg, dst); err != nil {
					t.Fatalf("region %v: %v", reg, err)
				}
				if d := diff(arrayBytes(dst), subBytes(want.Data, want.Shape.Cols, sz, reg), sz, reg.Cols()); d != "" {
					t.Fatalf("region %v: %s", reg, d)
				}
			}
		})
	}
}

// TestFixtureInfo checks the metadata a reader reports.
func TestFixtureInfo(t *testing.T) {
	r, err := Open(filepath.Join(fixtureDir, "group.zarr"), formats.OpenOptions{Variable: "Rad"})
	if err != nil {
		t.Fatal(err)
	}
	info := r.Info()
	if info.Format != "zarr" || info.Variable != "Rad" || info.Storage != (chunk.Shape{Rows: 12, Cols: 12}) {
		t.Errorf("info = %+v", info)
	}
	if strings.Join(info.Dims, ",") != "y,x" {
		t.Errorf("dims = %v, want y,x", info.Dims)
	}
	checks := map[string]any{"scale_factor": 0.5, "add_offset": -10.0, "units": "mW m-2 sr-1 (cm-1)-1", "_FillValue": int64(-1)}
	for name, want := range checks {
		if v, ok := info.Attrs.Get(name); !ok || v != want {
			t.Errorf("attr %s = %#v, want %#v", name, v, want)
		}
	}
	if v, ok := info.Attrs.Get("valid_range"); !ok || len(v.([]int64)) != 2 || v.([]int64)[1] != 4095 {
		t.Errorf("valid_range = %#v", v)
	}
	if _, ok := info.Attrs.Get(dimsAttr); ok {
		t.Errorf("%s kept among the attributes", dimsAttr)
	}
	if s, _ := info.Global.String("title"); s != "two arrays" {
		t.Errorf("global title = %q", s)
	}
}

// TestPickArray checks the default array choice and its errors.
func TestPickArray(t *testing.T) {
	tests := []struct {
		store, variable, want, err string
	}{
		{"group", "", "", "3 2-D arrays; pick one as the variable: DQF (24x30), Rad (24x30), sub/deep (6x7)"},
		{"group", "nope", "", `no array "nope" (arrays: DQF (24x30), Rad (24x30), sub/deep (6x7), t (5))`},
		{"group", "t", "", "1 dimensions"},
		{"xarray", "", "CMI", ""},
		{"zlib_f4", "", "", ""},
		{"zlib_f4", "x", "", "single array"},
	}
	for _, tc := range tests {
		r, err := Open(filepath.Join(fixtureDir, tc.store+".zarr"), formats.OpenOptions{Variable: tc.variable})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "zarr: ") {
				t.Errorf("%s %q: error %v, want %q", tc.store, tc.variable, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v", tc.store, tc.variable, err)
			continue
		}
		if r.Info().Variable != tc.want {
			t.Errorf("%s %q: opened %q, want %q", tc.store, tc.variable, r.Info().Variable, tc.want)
		}
	}
}
