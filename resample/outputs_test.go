package resample

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
	_ "chunkpipe/formats/zarr"
)

// writeResampled resamples all of r into a file at path, written with the
// data attributes attrs and the source description src (as plan does
// after a kernel chain has rebuilt the attributes).
func writeResampled(t *testing.T, r *Reader, path string, attrs formats.Attrs, src formats.Info) {
	t.Helper()
	info := r.Info()
	w, err := formats.Create(formats.CreateSpec{Path: path, Shape: info.Shape, DType: info.DType, Attrs: attrs, Source: &src})
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
}

// TestNetCDFKeepsCRSThroughChains: whatever attributes a kernel chain
// leaves (units only, without grid_mapping or the resampling note), and
// when the source is band math over a resampled input (its Geo and Dims
// only), the NetCDF output's data variable names the crs variable, which
// carries the CRS's WKT with its EPSG code.
func TestNetCDFKeepsCRSThroughChains(t *testing.T) {
	r, err := resampled(newMemReader(40, 40, -100, 40, 0.25, linearField), "utm:14n:20000", Options{Method: Bilinear})
	if err != nil {
		t.Fatal(err)
	}
	info := r.Info()
	bandMath := formats.Info{Path: "band math", Shape: info.Shape, DType: chunk.Float32, Geo: info.Geo, Dims: info.Dims}
	for name, c := range map[string]struct {
		attrs formats.Attrs
		src   formats.Info
	}{
		"chain":     {formats.Attrs{{Name: "units", Value: "K"}}, info},
		"band math": {nil, bandMath},
	} {
		path := filepath.Join(t.TempDir(), "out.nc")
		writeResampled(t, r, path, c.attrs, c.src)
		back, err := formats.Open(path, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		binfo := back.Info()
		back.Close()
		if gm, _ := binfo.Attrs.String("grid_mapping"); gm != CRSVariable {
			t.Errorf("%s: data variable grid_mapping %q, want %q (attributes %v)", name, gm, CRSVariable, binfo.Attrs)
		}
		coords, ok := binfo.Geo.(*netcdf3.Coords)
		if !ok || coords.GridMapping() == nil || coords.X == nil || coords.Y == nil {
			t.Fatalf("%s: coordinates %+v", name, binfo.Geo)
		}
		wkt, _ := coords.GridMapping().Attrs.String("crs_wkt")
		if !strings.HasSuffix(wkt, `AUTHORITY["EPSG","32614"]]`) {
			t.Errorf("%s: crs_wkt %q, want one ending in EPSG:32614's authority", name, wkt)
		}
	}
}

// zarrDoc reads one JSON document of a Zarr store.
func zarrDoc(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// TestZarrGeoreferenced writes resampled grids to Zarr: beside the data
// array are 1-D coordinate arrays at pixel centres (lat/lon or y/x, named
// by _ARRAY_DIMENSIONS as xarray wants) and the crs array with the CF grid
// mapping, which grid_mapping names; _CRS holds the WKT with the EPSG code
// for GDAL.
func TestZarrGeoreferenced(t *testing.T) {
	for _, c := range []struct {
		area, y, x, mapping string
		epsg                int
	}{
		{"latlon:0.1", "lat", "lon", "latitude_longitude", 4326},
		{"utm:15n:10000", "y", "x", "transverse_mercator", 32615},
		{"polar:n:50000", "y", "x", "polar_stereographic", 3413},
	} {
		src := newMemReader(40, 40, -100, 40, 0.25, linearField)
		if c.mapping == "polar_stereographic" {
			src = newMemReader(40, 40, 0, 70, 0.25, linearField)
		}
		r, err := resampled(src, c.area, Options{Method: Nearest})
		if err != nil {
			t.Fatal(err)
		}
		info := r.Info()
		store := filepath.Join(t.TempDir(), "out.zarr")
		writeResampled(t, r, store, formats.Attrs{{Name: "units", Value: "K"}}, info)

		attrs := zarrDoc(t, filepath.Join(store, "data", ".zattrs"))
		if dims := fmt.Sprint(attrs["_ARRAY_DIMENSIONS"]); dims != fmt.Sprintf("[%s %s]", c.y, c.x) {
			t.Errorf("%s: _ARRAY_DIMENSIONS %s, want [%s %s]", c.area, dims, c.y, c.x)
		}
		if attrs["grid_mapping"] != CRSVariable {
			t.Errorf("%s: grid_mapping %v", c.area, attrs["grid_mapping"])
		}
		crsAttr, _ := attrs["_CRS"].(map[string]any)
		if wkt, _ := crsAttr["wkt"].(string); !strings.HasSuffix(wkt, fmt.Sprintf(`AUTHORITY["EPSG","%d"]]`, c.epsg)) {
			t.Errorf("%s: _CRS %v, want WKT naming EPSG:%d", c.area, attrs["_CRS"], c.epsg)
		}
		gm := zarrDoc(t, filepath.Join(store, CRSVariable, ".zattrs"))
		if gm["grid_mapping_name"] != c.mapping || gm["epsg_code"] != fmt.Sprintf("EPSG:%d", c.epsg) {
			t.Errorf("%s: crs attributes %v", c.area, gm)
		}

		_, g := r.Grids()
		for axis, n := range map[string]int{c.y: info.Shape.Rows, c.x: info.Shape.Cols} {
			za := zarrDoc(t, filepath.Join(store, axis, ".zarray"))
			if fmt.Sprint(za["shape"]) != fmt.Sprintf("[%d]", n) || za["dtype"] != "<f8" {
				t.Fatalf("%s: %s/.zarray %v, want shape [%d] of <f8", c.area, axis, za, n)
			}
			if d := zarrDoc(t, filepath.Join(store, axis, ".zattrs"))["_ARRAY_DIMENSIONS"]; fmt.Sprint(d) != fmt.Sprintf("[%s]", axis) {
				t.Errorf("%s: %s _ARRAY_DIMENSIONS %v", c.area, axis, d)
			}
			raw, err := os.ReadFile(filepath.Join(store, axis, "0"))
			if err != nil || len(raw) != 8*n {
				t.Fatalf("%s: %s chunk: %d bytes, %v", c.area, axis, len(raw), err)
			}
			for i := range n {
				got := math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
				x, y := g.Center(float64(i), float64(i))
				want := x
				if axis == c.y {
					want = y
				}
				if math.Abs(got-want) > 1e-9*math.Abs(want)+1e-12 {
					t.Fatalf("%s: %s[%d] = %v, want the pixel centre %v", c.area, axis, i, got, want)
				}
			}
		}
	}
}
