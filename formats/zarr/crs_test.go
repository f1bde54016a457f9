package zarr

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
)

// mapGeo is a Geo value that is not a formats.CFGrid; the converter
// registered below describes it, as package resample describes a GeoTIFF
// Georef.
type mapGeo struct {
	wkt string
	err error
}

func init() {
	formats.RegisterCFGridFunc(func(src *formats.Info) (formats.CFGrid, error) {
		g, ok := src.Geo.(mapGeo)
		if !ok {
			return nil, nil
		}
		if g.err != nil {
			return nil, g.err
		}
		ys, xs := make([]float64, src.Shape.Rows), make([]float64, src.Shape.Cols)
		for i := range ys {
			ys[i] = 1000 - 10*float64(i)
		}
		for i := range xs {
			xs[i] = 500 + 10*float64(i)
		}
		return &netcdf3.Coords{
			Y: &netcdf3.Var{Name: "y", DType: chunk.Float64, Values: ys},
			X: &netcdf3.Var{Name: "x", DType: chunk.Float64, Values: xs},
			Scalars: []netcdf3.Var{{Name: "crs", DType: chunk.Int32, Values: []float64{0},
				Attrs: formats.Attrs{{Name: "grid_mapping_name", Value: "transverse_mercator"}, {Name: "crs_wkt", Value: g.wkt}}}},
		}, nil
	})
}

// A source described by a registered converter gets x, y and crs arrays,
// and its grid mapping's crs_wkt becomes GDAL's _CRS; the converter's
// error fails Create with the source named.
func TestRegisteredGridCarriesCRS(t *testing.T) {
	shape := chunk.Shape{Rows: 6, Cols: 8}
	src := formats.Info{Path: "map.tif", Shape: shape, Geo: mapGeo{wkt: `PROJCS["x",AUTHORITY["EPSG","32610"]]`}}
	out := filepath.Join(t.TempDir(), "m.zarr")
	w, err := Create(formats.CreateSpec{Path: out, Shape: shape, DType: chunk.Float32, Variable: "v", Source: &src})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRegion(context.Background(), chunk.NewArray(chunk.Float32, shape.Bounds())); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	var attrs map[string]any
	readJSON(t, filepath.Join(out, "v", ".zattrs"), &attrs)
	if crs, _ := attrs["_CRS"].(map[string]any); crs == nil || crs["wkt"] != `PROJCS["x",AUTHORITY["EPSG","32610"]]` {
		t.Errorf("_CRS %v", attrs["_CRS"])
	}
	if attrs["grid_mapping"] != "crs" {
		t.Errorf("grid_mapping %v", attrs["grid_mapping"])
	}
	for _, name := range []string{"x", "y", "crs"} {
		var za map[string]any
		readJSON(t, filepath.Join(out, name, ".zarray"), &za)
	}

	src.Geo = mapGeo{err: errors.New("no such EPSG code")}
	_, err = Create(formats.CreateSpec{Path: filepath.Join(t.TempDir(), "bad.zarr"), Shape: shape, DType: chunk.Float32, Source: &src})
	if err == nil || !strings.Contains(err.Error(), "map.tif") || !strings.Contains(err.Error(), "no such EPSG code") {
		t.Errorf("converter error: %v", err)
	}
}
