package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
)

// TestRunResampleGeoreferencedOutputs runs a real ABI band through
// --resample and a kernel chain (which rebuilds the output's attributes)
// into NetCDF and Zarr, and band math over two resampled bands into
// NetCDF: every output names the crs grid-mapping variable, whose WKT
// carries the target's EPSG code, beside coordinate variables of the
// output's shape.
func TestRunResampleGeoreferencedOutputs(t *testing.T) {
	dir := realDir(t)
	c07, _ := filepath.Glob(filepath.Join(dir, "abi", "OR_ABI-L1b-RadM1-M6C07_G17_s2019300*.nc"))
	c14, _ := filepath.Glob(filepath.Join(dir, "abi", "OR_ABI-L1b-RadM1-M6C14_G17_s2019300*.nc"))
	if len(c07) != 1 || len(c14) != 1 {
		t.Fatalf("band files: %v %v", c07, c14)
	}
	out := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		args = append(append([]string{"run"}, args...), "--progress", "none", "--stats", "none")
		if code, _, stderr := chunkpipe(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	checkNetCDF := func(path string, epsg int, y, x string) {
		t.Helper()
		r, err := formats.Open(path, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		info := r.Info()
		r.Close()
		if gm, _ := info.Attrs.String("grid_mapping"); gm != "crs" {
			t.Errorf("%s: grid_mapping %q, attributes %v", path, gm, info.Attrs)
		}
		c, ok := info.Geo.(*netcdf3.Coords)
		if !ok || c.Y == nil || c.X == nil || c.Y.Name != y || c.X.Name != x || len(c.Y.Values) != info.Shape.Rows || len(c.X.Values) != info.Shape.Cols {
			t.Fatalf("%s: coordinates %+v for shape %v", path, info.Geo, info.Shape)
		}
		if wkt, _ := c.GridMapping().Attrs.String("crs_wkt"); !strings.HasSuffix(wkt, fmt.Sprintf(`AUTHORITY["EPSG","%d"]]`, epsg)) {
			t.Errorf("%s: crs_wkt %q, want EPSG:%d", path, wkt, epsg)
		}
	}

	run(c07[0], "-k", "calibrate,bt,coarsen:2", "--resample", "utm:auto:2000", "-o", filepath.Join(out, "bt.nc"))
	checkNetCDF(filepath.Join(out, "bt.nc"), 32610, "y", "x")

	store := filepath.Join(out, "bt.zarr")
	run(c07[0], "-k", "calibrate,bt,coarsen:2", "--resample", "utm:auto:2000", "-o", store)
	b, err := os.ReadFile(filepath.Join(store, "Rad", ".zattrs"))
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]any
	if err := json.Unmarshal(b, &attrs); err != nil {
		t.Fatal(err)
	}
	crs, _ := attrs["_CRS"].(map[string]any)
	if wkt, _ := crs["wkt"].(string); attrs["grid_mapping"] != "crs" || fmt.Sprint(attrs["_ARRAY_DIMENSIONS"]) != "[y x]" ||
		!strings.HasSuffix(wkt, `AUTHORITY["EPSG","32610"]]`) || attrs["units"] != "K" {
		t.Errorf("zarr Rad attributes %v", attrs)
	}
	for _, name := range []string{"x", "y", "crs"} {
		if _, err := os.Stat(filepath.Join(store, name, ".zarray")); err != nil {
			t.Errorf("zarr %s array: %v", name, err)
		}
	}

	run(c07[0], c14[0], "--expr", "bt(c07) - bt(c14)", "--resample", "latlon:0.02", "-o", filepath.Join(out, "diff.nc"))
	checkNetCDF(filepath.Join(out, "diff.nc"), 4326, "lat", "lon")
}
