package resample

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
)

// TestNetCDFCoords writes a resampled grid to NetCDF and reads it back: the
// file has CF coordinates at pixel centres and a crs variable with the
// target's grid mapping, which the data variable names.
func TestNetCDFCoords(t *testing.T) {
	for _, c := range []struct {
		area, y, x, mapping string
	}{
		{"latlon:0.1", "lat", "lon", "latitude_longitude"},
		{"utm:15n:10000", "y", "x", "transverse_mercator"},
		{"polar:n:50000", "y", "x", "polar_stereographic"},
		{"EPSG:2154:100000", "y", "x", "lambert_conformal_conic"},
	} {
		src := newMemReader(40, 40, -100, 40, 0.25, linearField)
		if c.mapping == "lambert_conformal_conic" || c.mapping == "polar_stereographic" {
			src = newMemReader(40, 40, 0, 70, 0.25, linearField)
		}
		r, err := resampled(src, c.area, Options{Method: Bilinear})
		if err != nil {
			t.Fatal(err)
		}
		info := r.Info()
		path := filepath.Join(t.TempDir(), "out.nc")
		w, err := formats.Create(formats.CreateSpec{Path: path, Shape: info.Shape, DType: info.DType, Attrs: info.Attrs, Source: &info})
		if err != nil {
			t.Fatal(err)
		}
		a := chunk.NewArray(info.DType, info.Shape.Bounds())
		if err := r.ReadRegion(context.Background(), a.Rect, a); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRegion(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		back, err := formats.Open(path, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		coords, ok := back.Info().Geo.(*netcdf3.Coords)
		back.Close()
		if !ok || coords.Y == nil || coords.X == nil || len(coords.Scalars) != 1 {
			t.Fatalf("%s: coordinates %+v", c.area, coords)
		}
		_, g := r.Grids()
		x1, y1 := g.Center(1, 1)
		if coords.Y.Name != c.y || coords.X.Name != c.x || math.Abs(coords.X.Values[1]-x1) > 1e-9*math.Abs(x1)+1e-12 || math.Abs(coords.Y.Values[1]-y1) > 1e-9*math.Abs(y1)+1e-12 {
			t.Errorf("%s: coordinates %s[1]=%g %s[1]=%g, want %s=%g %s=%g", c.area, coords.Y.Name, coords.Y.Values[1], coords.X.Name, coords.X.Values[1], c.y, y1, c.x, x1)
		}
		crs := coords.Scalars[0]
		if name, _ := crs.Attrs.String("grid_mapping_name"); crs.Name != CRSVariable || name != c.mapping {
			t.Errorf("%s: crs variable %s with grid_mapping_name %q, want %q", c.area, crs.Name, name, c.mapping)
		}
		if gm, _ := back.Info().Attrs.String("grid_mapping"); gm != CRSVariable {
			t.Errorf("%s: data variable grid_mapping %q", c.area, gm)
		}
	}
}
