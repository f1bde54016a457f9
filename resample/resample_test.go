package resample

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
	"chunkpipe/proj"
)

func linearField(lon, lat float64) float64 { return 3*lon + 5*lat + 1000 }

// TestBilinearLinearField resamples a field linear in longitude and
// latitude from a lon/lat grid to UTM: bilinear interpolation reproduces it
// at every output pixel centre, up to float32 rounding when every pixel is
// projected, and up to the allowed coordinate error otherwise.
func TestBilinearLinearField(t *testing.T) {
	for _, c := range []struct {
		tol, maxErr float64
	}{{-1, 2e-4}, {0.125, 0.125 * 0.05 * 5 * 1.5}} {
		src := newMemReader(200, 200, -100, 40, 0.05, linearField)
		r, err := resampled(src, "utm:15n:200000,3400000,700000,4400000:5000", Options{Method: Bilinear, Tolerance: c.tol})
		if err != nil {
			t.Fatal(err)
		}
		_, dg := r.Grids()
		got, err := readChunks(r, 37, 53)
		if err != nil {
			t.Fatal(err)
		}
		worst, checked := 0.0, 0
		for row := range dg.Shape.Rows {
			for col := range dg.Shape.Cols {
				lon, lat, _ := dg.CRS.Proj.Inverse(dg.Center(float64(row), float64(col)))
				v := got[row*dg.Shape.Cols+col]
				inside := lon > -100+0.05 && lon < -90-0.05 && lat > 30+0.05 && lat < 40-0.05
				if !inside {
					continue
				}
				checked++
				worst = max(worst, math.Abs(v-linearField(lon, lat)))
			}
		}
		if checked < 1000 || worst > c.maxErr {
			t.Errorf("tolerance %g: worst error %g over %d pixels, want <= %g", c.tol, worst, checked, c.maxErr)
		}
	}
}

// TestAnyChunkingSameResult reads every method with several chunkings and
// exact and approximate coordinates: the outputs are bit-identical.
func TestAnyChunkingSameResult(t *testing.T) {
	f := func(lon, lat float64) float64 { return math.Sin(lon*3) * math.Cos(lat*2) * 100 }
	for _, m := range []Method{Nearest, Bilinear, Average} {
		for _, tol := range []float64{-1, 0.125} {
			area := "utm:15n:200000,3400000,700000,4400000:5000"
			if m == Average {
				area = "utm:15n:200000,3400000,700000,4400000:20000"
			}
			var first []float64
			for _, ch := range [][2]int{{1000, 1000}, {1, 7}, {13, 64}, {65, 3}} {
				r, err := resampled(newMemReader(200, 200, -100, 40, 0.05, f), area, Options{Method: m, Tolerance: tol})
				if err != nil {
					t.Fatal(err)
				}
				got, err := readChunks(r, ch[0], ch[1])
				if err != nil {
					t.Fatal(err)
				}
				if first == nil {
					first = got
					continue
				}
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(first[i]) && !(math.IsNaN(got[i]) && math.IsNaN(first[i])) {
						t.Fatalf("%s tol %g: chunks %v differ at %d: %g vs %g", m, tol, ch, i, got[i], first[i])
					}
				}
			}
		}
	}
}

// TestAverageBlocks downsamples a lon/lat grid by 4 in the same CRS: each
// output pixel is the mean of the valid pixels of its 4x4 block.
func TestAverageBlocks(t *testing.T) {
	src := newMemReader(40, 60, 10, 50, 0.01, func(lon, lat float64) float64 { return lon*100 + lat*7 })
	v := src.data.Float32s()
	v[0], v[1], v[61] = float32(math.NaN()), float32(math.NaN()), float32(math.NaN()) // block (0,0) keeps 13 of 16
	for r := 4; r < 8; r++ {
		for c := 4; c < 8; c++ {
			v[r*60+c] = float32(math.NaN()) // block (1,1) is empty
		}
	}
	r, err := resampled(src, "EPSG:4326:10,49.6,10.6,50:0.04", Options{Method: Average})
	if err != nil {
		t.Fatal(err)
	}
	if r.Info().Shape != (chunk.Shape{Rows: 10, Cols: 15}) || r.Info().DType != chunk.Float32 {
		t.Fatalf("info %v %v", r.Info().Shape, r.Info().DType)
	}
	got, err := readChunks(r, 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	for br := range 10 {
		for bc := range 15 {
			sum, n := 0.0, 0
			for r := br * 4; r < br*4+4; r++ {
				for c := bc * 4; c < bc*4+4; c++ {
					if x := v[r*60+c]; x == x {
						sum += float64(x)
						n++
					}
				}
			}
			g := got[br*15+bc]
			if n == 0 {
				if !math.IsNaN(g) {
					t.Errorf("block (%d,%d) has no valid pixel, got %g", br, bc, g)
				}
				continue
			}
			if want := float64(float32(sum / float64(n))); g != want {
				t.Errorf("block (%d,%d) = %g, want %g (mean of %d)", br, bc, g, want, n)
			}
		}
	}
}

// TestReadsOnlyFootprint checks that each output chunk reads one input box,
// about the chunk's own extent in input pixels, never the whole input.
func TestReadsOnlyFootprint(t *testing.T) {
	for _, m := range []Method{Nearest, Bilinear, Average} {
		src := newMemReader(400, 400, -100, 40, 0.025, linearField)
		// UTM pixels of 2500 m are about 0.9 (lon) x 1.0 (lat) input pixels.
		r, err := resampled(src, "utm:15n:300000,3500000,700000,4300000:2500", Options{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := readChunks(r, 32, 32); err != nil {
			t.Fatal(err)
		}
		nChunks := (r.Info().Shape.Rows + 31) / 32 * ((r.Info().Shape.Cols + 31) / 32)
		if len(src.regions) > nChunks {
			t.Errorf("%s: %d reads for %d chunks", m, len(src.regions), nChunks)
		}
		for _, reg := range src.regions {
			// 32 output pixels span at most ~36 input pixels, plus the
			// rotation of UTM against lon/lat and the bilinear halo.
			if reg.Rows() > 48 || reg.Cols() > 48 {
				t.Errorf("%s: read %v (%v) for a 32x32 chunk", m, reg, reg.Shape())
				break
			}
		}
	}
}

// TestNearestKeepsCounts resamples raw int16 counts: the output keeps the
// type and attributes, copies counts unchanged and marks pixels outside the
// input with the input's _FillValue.
func TestNearestKeepsCounts(t *testing.T) {
	a := chunk.NewArray(chunk.Int16, chunk.Rect(0, 0, 10, 10))
	counts := chunk.Elems[int16](a)
	for i := range counts {
		counts[i] = int16(i)
	}
	attrs := formats.Attrs{{Name: "_FillValue", Value: int64(1023)}, {Name: "_Unsigned", Value: "true"}, {Name: "scale_factor", Value: 0.5}}
	src := &memReader{data: a, info: formats.Info{Path: "counts.tif", Shape: chunk.Shape{Rows: 10, Cols: 10}, DType: chunk.Int16,
		Attrs: attrs, Geo: lonLatGeoref(0, 10, 1)}}
	// Target: the same pixels shifted by two columns to the west.
	r, err := resampled(src, "latlon:-2,0,8,10:1", Options{Method: Nearest})
	if err != nil {
		t.Fatal(err)
	}
	info := r.Info()
	if info.DType != chunk.Int16 {
		t.Fatalf("dtype %v, want int16", info.DType)
	}
	for _, name := range []string{"_FillValue", "_Unsigned", "scale_factor"} {
		if _, ok := info.Attrs.Get(name); !ok {
			t.Errorf("attribute %s dropped", name)
		}
	}
	got, err := readChunks(r, 4, 4)
	if err != nil {
		t.Fatal(err)
	}
	for row := range 10 {
		for col := range 10 {
			want := float64(row*10 + col - 2)
			if col < 2 {
				want = 1023
			}
			if g := got[row*10+col]; g != want {
				t.Fatalf("(%d,%d) = %g, want %g", row, col, g, want)
			}
		}
	}
}

// TestBilinearMissingNeighbours checks the NaN-aware weights: a fill value
// among the four neighbours is left out, and the output is float32 with a
// NaN _FillValue and without the raw-domain attributes.
func TestBilinearMissingNeighbours(t *testing.T) {
	a := chunk.NewArray(chunk.Int16, chunk.Rect(0, 0, 2, 2))
	copy(chunk.Elems[int16](a), []int16{10, 20, 30, -1})
	src := &memReader{data: a, info: formats.Info{Path: "fill.tif", Shape: chunk.Shape{Rows: 2, Cols: 2}, DType: chunk.Int16,
		Attrs: formats.Attrs{{Name: "_FillValue", Value: int64(-1)}, {Name: "valid_range", Value: []int64{0, 100}}}, Geo: lonLatGeoref(0, 2, 1)}}
	// One output pixel centred between the four input centres.
	r, err := resampled(src, "latlon:0.5,0.5,1.5,1.5:1", Options{Method: Bilinear, Tolerance: -1})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readChunks(r, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := 20.0; got[0] != want { // (10 + 20 + 30) / 3
		t.Errorf("got %g, want %g", got[0], want)
	}
	info := r.Info()
	if fv, _ := info.Attrs.Float("_FillValue"); info.DType != chunk.Float32 || !math.IsNaN(fv) {
		t.Errorf("dtype %v _FillValue %v", info.DType, fv)
	}
	if _, ok := info.Attrs.Get("valid_range"); ok {
		t.Error("valid_range of raw counts kept on interpolated output")
	}
}

// TestTargetGeoref checks the georeferencing the output carries.
func TestTargetGeoref(t *testing.T) {
	r, err := resampled(newMemReader(200, 200, -100, 40, 0.05, linearField), "utm:15n:2000", Options{})
	if err != nil {
		t.Fatal(err)
	}
	g, ok := r.Info().Geo.(*geotiff.Georef)
	if !ok {
		t.Fatalf("Geo is %T", r.Info().Geo)
	}
	code, _ := g.EPSG()
	gt, _ := g.GeoTransform()
	_, dg := r.Grids()
	if code != 32615 || gt != dg.GeoTransform() {
		t.Errorf("EPSG %d geotransform %v, want 32615 %v", code, gt, dg.GeoTransform())
	}
	if math.Mod(dg.X0, 2000) != 0 || math.Mod(dg.Y0, 2000) != 0 {
		t.Errorf("footprint grid origin (%g, %g) not aligned to the resolution", dg.X0, dg.Y0)
	}
	// The footprint covers the input: its corners map inside the grid.
	for _, p := range [][2]float64{{-100, 40}, {-90, 40}, {-100, 30}, {-90, 30}} {
		x, y, _ := dg.CRS.Proj.Forward(p[0], p[1])
		row, col := dg.Pixel(x, y)
		if row < -0.5 || col < -0.5 || row > float64(dg.Shape.Rows)-0.5 || col > float64(dg.Shape.Cols)-0.5 {
			t.Errorf("input corner %v maps to pixel (%g, %g) outside %v", p, row, col, dg.Shape)
		}
	}
}

func TestErrors(t *testing.T) {
	plain := &memReader{info: formats.Info{Path: "plain.npy", Shape: chunk.Shape{Rows: 4, Cols: 4}, DType: chunk.Float32}}
	if _, err := SourceGrid(plain.Info()); err == nil || !strings.Contains(err.Error(), "plain.npy") {
		t.Errorf("no georeferencing: %v", err)
	}
	rot := newMemReader(4, 4, 0, 4, 1, linearField)
	rot.info.Geo = &geotiff.Georef{Transformation: []float64{1, 0.1, 0, 0, 0, -1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1},
		GeoKeys: []uint16{1, 1, 0, 1, 2048, 0, 1, 4326}}
	if _, err := SourceGrid(rot.Info()); err == nil || !strings.Contains(err.Error(), "rotated") {
		t.Errorf("rotated grid: %v", err)
	}
	noCode := newMemReader(4, 4, 0, 4, 1, linearField)
	noCode.info.Geo = &geotiff.Georef{PixelScale: []float64{1, 1, 0}, Tiepoints: []float64{0, 0, 0, 0, 4, 0}}
	if _, err := SourceGrid(noCode.Info()); err == nil || !strings.Contains(err.Error(), "EPSG") {
		t.Errorf("no EPSG code: %v", err)
	}

	src := newMemReader(100, 100, -100, 40, 0.1, linearField)
	src.failAt = chunk.Rect(50, 50, 51, 51)
	r, err := resampled(src, "latlon:0.1", Options{Method: Bilinear})
	if err != nil {
		t.Fatal(err)
	}
	_, err = readChunks(r, 30, 30)
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "mem.tif") ||
		!strings.Contains(err.Error(), "bilinear chunk") {
		t.Errorf("read error: %v", err)
	}
	bad := chunk.NewArray(chunk.Int16, chunk.Rect(0, 0, 2, 2))
	if err := r.ReadRegion(context.Background(), bad.Rect, bad); err == nil {
		t.Error("int16 destination for float32 output accepted")
	}
	out := chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 2, 200))
	if err := r.ReadRegion(context.Background(), out.Rect, out); err == nil {
		t.Error("region outside the grid accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	good := chunk.NewArray(chunk.Float32, chunk.Rect(0, 0, 10, 10))
	if err := r.ReadRegion(ctx, good.Rect, good); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	sg, _ := SourceGrid(src.Info())
	if _, err := New(src, sg, Grid{CRS: sg.CRS, DX: 1, DY: -1, Shape: chunk.Shape{Rows: 0, Cols: 5}}, Options{}); err == nil {
		t.Error("empty target accepted")
	}
	if _, err := New(src, sg, sg, Options{Method: Method(9)}); err == nil || !strings.Contains(err.Error(), "Method(9)") {
		t.Errorf("unknown method: %v", err)
	}
	geos, _ := proj.NewGeos(proj.WGS84, 35786023, -75, true)
	if _, err := New(src, sg, Grid{CRS: proj.CRS{Proj: geos}, DX: 1, DY: -1, Shape: chunk.Shape{Rows: 5, Cols: 5}}, Options{}); err == nil {
		t.Error("target without an EPSG code accepted")
	}
}

// TestFootprintLimit lowers the footprint limit: regions whose input box
// exceeds it are resampled in halves, each read stays under the limit
// (down to single output pixels), and the output does not change.
func TestFootprintLimit(t *testing.T) {
	for _, m := range []Method{Nearest, Bilinear, Average} {
		area := "latlon:0.5" // 10x downsampling of a 0.05-degree input
		want, err := resampled(newMemReader(200, 200, -100, 40, 0.05, linearField), area, Options{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		wantVals, err := readChunks(want, 64, 64)
		if err != nil {
			t.Fatal(err)
		}
		src := newMemReader(200, 200, -100, 40, 0.05, linearField)
		r, err := resampled(src, area, Options{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		r.maxFoot = 500
		got, err := readChunks(r, 64, 64)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i] != wantVals[i] && !(math.IsNaN(got[i]) && math.IsNaN(wantVals[i])) {
				t.Fatalf("%s: pixel %d = %g split, %g whole", m, i, got[i], wantVals[i])
			}
		}
		if len(src.regions) < 20 {
			t.Errorf("%s: %d reads, want the 10x10 output split into many", m, len(src.regions))
		}
		for _, reg := range src.regions {
			if reg.Len() > 500 {
				t.Errorf("%s: read %v of %d pixels over the limit 500", m, reg, reg.Len())
				break
			}
		}
	}
}
