package zarr

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
	"chunkpipe/formats/netcdf4"
	"chunkpipe/internal/realdata"
)

// A Zarr output of an ABI band holds x and y (metres of the geostationary
// plane: scan angle times perspective_point_height), the grid mapping and
// the scalar coordinates as arrays with _ARRAY_DIMENSIONS, and the data
// array names them, so that xarray attaches them as coordinates.
func TestABIZarrCarriesGrid(t *testing.T) {
	m, _ := filepath.Glob(filepath.Join(realdata.Require(t), "abi", "OR_ABI-L1b-RadM1-M6C07_G17_s2019300*.nc"))
	if len(m) != 1 {
		t.Fatalf("band 7 file: %v", m)
	}
	r, err := netcdf4.Open(m[0], formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	in := info.Geo.(*netcdf3.Coords)
	h := 35786023.0
	for _, factor := range []int{1, 2} {
		shape := chunk.Shape{Rows: 500 / factor, Cols: 500 / factor}
		out := filepath.Join(t.TempDir(), "bt.zarr")
		w, err := Create(formats.CreateSpec{Path: out, Shape: shape, DType: chunk.Float32, Chunk: chunk.Shape{Rows: 125, Cols: 125},
			Variable: "bt", Attrs: formats.Attrs{{Name: "units", Value: "K"}}, Source: &info, Factor: factor})
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
		readJSON(t, filepath.Join(out, "bt", ".zattrs"), &attrs)
		if d, _ := json.Marshal(attrs["_ARRAY_DIMENSIONS"]); string(d) != `["y","x"]` {
			t.Errorf("bt dims %s", d)
		}
		if attrs["grid_mapping"] != "goes_imager_projection" || attrs["coordinates"] != "band_id band_wavelength t" {
			t.Errorf("bt attrs %v", attrs)
		}
		if crs, _ := attrs["_CRS"].(map[string]any); crs == nil || !strings.Contains(crs["wkt"].(string), "+proj=geos") {
			t.Errorf("_CRS %v", attrs["_CRS"])
		}
		for _, name := range []string{"x", "y", "goes_imager_projection", "band_id", "band_wavelength", "t"} {
			var a map[string]any
			readJSON(t, filepath.Join(out, name, ".zattrs"), &a)
			if _, ok := a["_ARRAY_DIMENSIONS"]; !ok {
				t.Errorf("%s lacks _ARRAY_DIMENSIONS", name)
			}
		}
		var xattrs map[string]any
		readJSON(t, filepath.Join(out, "x", ".zattrs"), &xattrs)
		if xattrs["units"] != "m" || xattrs["standard_name"] != "projection_x_coordinate" {
			t.Errorf("x attrs %v", xattrs)
		}
		raw, err := os.ReadFile(filepath.Join(out, "x", "0"))
		if err != nil || len(raw) != 8*shape.Cols {
			t.Fatalf("x chunk: %d bytes, %v", len(raw), err)
		}
		xs, _ := in.X.Attrs.Float("scale_factor")
		xo, _ := in.X.Attrs.Float("add_offset")
		for _, i := range []int{0, shape.Cols - 1} {
			want := 0.0
			for k := 0; k < factor; k++ {
				want += (in.X.Values[i*factor+k]*xs + xo) * h
			}
			want /= float64(factor)
			if got := math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:])); math.Abs(got-want) > 1e-6 {
				t.Errorf("factor %d: x[%d] = %v m, want %v", factor, i, got, want)
			}
		}
		// The data array is still the store's only 2-D array.
		back, err := Open(out, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if v := back.Info().Variable; v != "bt" {
			t.Errorf("default variable %q", v)
		}
		back.Close()
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
