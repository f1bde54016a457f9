package geotiff_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// gdalFixtures are the files tools/geotiff/make_fixtures.sh writes, with
// their band counts.
var gdalFixtures = []struct {
	name  string
	bands int
	dtype chunk.DType
}{
	{"u8_lzw_strips_pixel", 3, chunk.Uint8},
	{"i8_deflate_tiled", 1, chunk.Int8},
	{"i16_packbits_tiled_planar", 3, chunk.Int16},
	{"u16_deflate_pred2_bigendian", 1, chunk.Uint16},
	{"i32_none_strips", 1, chunk.Int32},
	{"u32_lzw_pred2_tiled_pixel", 2, chunk.Uint32},
	{"f32_zstd_pred3_bigtiff_pixel", 2, chunk.Float32},
	{"f64_deflate_pred3_bigendian_planar", 2, chunk.Float64},
	{"f32_lzw_pred3_strips_bigendian", 1, chunk.Float32},
	{"i64_zstd_pred2_bigtiff_bigendian", 1, chunk.Int64},
	{"u64_packbits_strips", 1, chunk.Uint64},
	{"u16_cog_overviews", 1, chunk.Uint16},
	{"f32_sparse_nodata", 1, chunk.Float32},
}

// readAll reads a whole band.
func readAll(t testing.TB, r formats.Reader) *chunk.Array {
	t.Helper()
	info := r.Info()
	a := chunk.NewArray(info.DType, info.Shape.Bounds())
	if err := r.ReadRegion(context.Background(), a.Rect, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestGDALFixtures(t *testing.T) {
	for _, fx := range gdalFixtures {
		t.Run(fx.name, func(t *testing.T) {
			t.Parallel()
			want := readNpy(t, filepath.Join(fixtureDir, fx.name+".npy"))
			if want.Shape[0] != fx.bands {
				t.Fatalf("npy has %d bands, table says %d", want.Shape[0], fx.bands)
			}
			for b := 0; b < fx.bands; b++ {
				r, err := formats.Open(filepath.Join(fixtureDir, fx.name+".tif"), formats.OpenOptions{Variable: fmt.Sprintf("band:%d", b+1)})
				if err != nil {
					t.Fatal(err)
				}
				info := r.Info()
				if info.Format != "geotiff" || info.DType != fx.dtype || info.Shape != (chunk.Shape{Rows: 45, Cols: 67}) {
					t.Fatalf("info %+v", info)
				}
				got := readAll(t, r)
				if err := sameArrays(got, want.plane(b)); err != nil {
					t.Errorf("band %d: %v", b+1, err)
				}
				r.Close()
			}
		})
	}
}

func TestGDALFixtureAttrs(t *testing.T) {
	r, err := geotiff.OpenFile(filepath.Join(fixtureDir, "i32_none_strips.tif"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	for name, want := range map[string]float64{"_FillValue": -9999, "scale_factor": 0.01, "add_offset": -5} {
		if v, ok := info.Attrs.Float(name); !ok || v != want {
			t.Errorf("%s = %v, %v; want %v", name, v, ok, want)
		}
	}
	if v, _ := info.Attrs.Get("_FillValue"); v != int64(-9999) {
		t.Errorf("_FillValue has type %T, want int64", v)
	}
	if s, _ := info.Attrs.String("crs"); s != "EPSG:32633" {
		t.Errorf("crs = %q", s)
	}
	gt, _ := info.Attrs.Floats("geotransform")
	if fmt.Sprint(gt) != "[500000 30 0 4.2e+06 0 -30]" {
		t.Errorf("geotransform = %v", gt)
	}
	if info.Storage != (chunk.Shape{Rows: 10, Cols: 67}) {
		t.Errorf("storage = %v, want 10x67 strips", info.Storage)
	}
	g, ok := info.Geo.(*geotiff.Georef)
	if !ok || g.PixelScale[0] != 30 {
		t.Fatalf("Geo = %#v", info.Geo)
	}
	nan, _ := geotiff.OpenFile(filepath.Join(fixtureDir, "f32_zstd_pred3_bigtiff_pixel.tif"), "band:2")
	defer nan.Close()
	if v, ok := nan.Info().Attrs.Float("_FillValue"); !ok || !math.IsNaN(v) {
		t.Errorf("NaN nodata read as %v, %v", v, ok)
	}
}

func TestOverviews(t *testing.T) {
	path := filepath.Join(fixtureDir, "u16_cog_overviews.tif")
	want := readNpy(t, filepath.Join(fixtureDir, "u16_cog_overviews.ovr.npy"))
	off := 0
	for k, shape := range []chunk.Shape{{Rows: 22, Cols: 33}, {Rows: 11, Cols: 16}} {
		r, err := geotiff.OpenFile(path, fmt.Sprintf("band:1/overview:%d", k+1))
		if err != nil {
			t.Fatal(err)
		}
		if r.Info().Shape != shape {
			t.Fatalf("overview %d shape %v, want %v", k+1, r.Info().Shape, shape)
		}
		got := readAll(t, r)
		n := shape.Len() * 2
		w := chunk.NewArray(chunk.Uint16, shape.Bounds())
		copy(w.Data, want.Raw[off:off+n])
		off += n
		if err := sameArrays(got, w); err != nil {
			t.Errorf("overview %d: %v", k+1, err)
		}
		r.Close()
	}
	if _, err := geotiff.OpenFile(path, "overview:3"); err == nil || !strings.Contains(err.Error(), "2 overview") {
		t.Errorf("overview:3 error = %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	path := filepath.Join(fixtureDir, "i16_packbits_tiled_planar.tif")
	for _, v := range []string{"band:4", "band:0", "band:x", "layer:1", "overview:1", "band:1/overview:-1"} {
		_, err := geotiff.OpenFile(path, v)
		if err == nil {
			t.Errorf("variable %q: no error", v)
			continue
		}
		if !strings.HasPrefix(err.Error(), "geotiff: ") || !strings.Contains(err.Error(), path) {
			t.Errorf("variable %q: error %q lacks prefix or path", v, err)
		}
	}
}

// TestRegionReads checks that random region reads equal slices of a whole
// read, from many goroutines at once.
func TestRegionReads(t *testing.T) {
	for _, fx := range gdalFixtures {
		t.Run(fx.name, func(t *testing.T) {
			t.Parallel()
			r, err := geotiff.OpenFile(filepath.Join(fixtureDir, fx.name+".tif"), fmt.Sprintf("band:%d", fx.bands))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			whole := readAll(t, r)
			var wg sync.WaitGroup
			for g := 0; g < 8; g++ {
				wg.Add(1)
				go func(seed uint64) {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(seed, 1))
					for i := 0; i < 40; i++ {
						r0, r1 := span(rng, 45)
						c0, c1 := span(rng, 67)
						reg := chunk.Rect(r0, c0, r1, c1)
						// A strided destination larger than the region.
						big := chunk.NewArray(fx.dtype, reg.Grow(2))
						dst := big.Sub(reg)
						if err := r.ReadRegion(context.Background(), reg, dst); err != nil {
							t.Error(err)
							return
						}
						if err := sameArrays(dst, whole); err != nil {
							t.Errorf("region %v: %v", reg, err)
							return
						}
					}
				}(uint64(g))
			}
			wg.Wait()
		})
	}
}

// span returns a random non-empty half-open interval inside [0, n).
func span(rng *rand.Rand, n int) (int, int) {
	a, b := rng.IntN(n), rng.IntN(n)
	if a > b {
		a, b = b, a
	}
	return a, b + 1
}

func TestReadRegionErrors(t *testing.T) {
	r, err := geotiff.OpenFile(filepath.Join(fixtureDir, "u16_deflate_pred2_bigendian.tif"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	tests := []struct {
		name string
		reg  chunk.Region
		dst  *chunk.Array
	}{
		{"outside", chunk.Rect(40, 0, 46, 10), chunk.NewArray(chunk.Uint16, chunk.Rect(40, 0, 46, 10))},
		{"negative", chunk.Rect(-1, 0, 4, 10), chunk.NewArray(chunk.Uint16, chunk.Rect(-1, 0, 4, 10))},
		{"wrong dtype", chunk.Rect(0, 0, 4, 4), chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 4, 4))},
		{"small dst", chunk.Rect(0, 0, 4, 4), chunk.NewArray(chunk.Uint16, chunk.Rect(0, 0, 2, 4))},
		{"short data", chunk.Rect(0, 0, 4, 4), &chunk.Array{DType: chunk.Uint16, Rect: chunk.Rect(0, 0, 4, 4), Stride: 4, Data: make([]byte, 10)}},
	}
	for _, tc := range tests {
		if err := r.ReadRegion(ctx, tc.reg, tc.dst); err == nil || !strings.HasPrefix(err.Error(), "geotiff: ") {
			t.Errorf("%s: error %v", tc.name, err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	a := chunk.NewArray(chunk.Uint16, chunk.Rect(0, 0, 45, 67))
	if err := r.ReadRegion(cctx, a.Rect, a); err != context.Canceled {
		t.Errorf("cancelled read: %v", err)
	}
	if err := r.ReadRegion(ctx, chunk.Rect(3, 3, 3, 9), a); err != nil {
		t.Errorf("empty region: %v", err)
	}
}

func TestDescribe(t *testing.T) {
	r, err := geotiff.OpenFile(filepath.Join(fixtureDir, "u16_cog_overviews.tif"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var sb strings.Builder
	if err := r.Describe(&sb, formats.DescribeOptions{}); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	for _, want := range []string{"classic TIFF", "IFD 0 at offset", ": main image", ": overview:1", ": overview:2",
		"TileWidth (322) SHORT[1] = 128", "compression deflate", "band:1 uint16", "overviews: 2 overview:1 22x33, overview:2 11x16",
		"CRS EPSG:32633", "ProjectedCSTypeGeoKey = 32633", "GDAL metadata:"} {
		if !strings.Contains(out, want) {
			t.Errorf("Describe output lacks %q:\n%s", want, out)
		}
	}
}
