package resample

import (
	"context"
	"math"
	"testing"

	"chunkpipe/chunk"
)

// FuzzParseArea feeds area specifications to ParseArea and, for those it
// accepts, resolves them over a small lon/lat input and resamples the
// target's first 4x4 pixels by every method: errors are fine, panics,
// oversized grids and non-finite geotransforms are not.
func FuzzParseArea(f *testing.F) {
	for _, s := range []string{"latlon:0.02", "EPSG:4326:-125,35,-115,42:0.02", "utm:10n:2000", "utm:auto:1000",
		"polar:s:6250", "EPSG:3978:0,0,1e6,1e6:1000", "latlon:1e-300", "EPSG:2154:1e308,0,1e308,1:1", "utm:1s:-1e9,-1e9,1e9,1e9:1e3"} {
		f.Add(s)
	}
	src := newMemReader(20, 20, -100, 40, 0.5, linearField)
	sg, err := SourceGrid(src.Info())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		a, err := ParseArea(spec)
		if err != nil {
			return
		}
		g, err := a.Grid(sg)
		if err != nil {
			return
		}
		if float64(g.Shape.Rows)*float64(g.Shape.Cols) > MaxPixels {
			t.Fatalf("%q: grid %v over MaxPixels", spec, g.Shape)
		}
		for _, v := range g.GeoTransform() {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%q: geotransform %v", spec, g.GeoTransform())
			}
		}
		for _, m := range []Method{Nearest, Bilinear, Average} {
			r, err := New(src, sg, g, Options{Method: m})
			if err != nil {
				continue
			}
			reg := chunk.Rect(0, 0, min(4, g.Shape.Rows), min(4, g.Shape.Cols))
			dst := chunk.NewArray(r.Info().DType, reg)
			if err := r.ReadRegion(context.Background(), reg, dst); err != nil {
				t.Fatalf("%q %s: %v", spec, m, err)
			}
		}
	})
}
