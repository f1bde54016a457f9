package netcdf4

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
)

// The ABI reader's grid: x/y unpacked from their int16 packing, block
// means when coarsened, the geostationary grid mapping and the scalar
// coordinates of Rad's coordinates attribute.
func TestABIGridVars(t *testing.T) {
	r, err := Open(abiFile(t, "07"), formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	cf, ok := info.Geo.(formats.CFGrid)
	if !ok {
		t.Fatalf("Geo %T is not a formats.CFGrid", info.Geo)
	}
	c := info.Geo.(*netcdf3.Coords)
	xs, _ := c.X.Attrs.Float("scale_factor")
	xo, _ := c.X.Attrs.Float("add_offset")
	for _, factor := range []int{1, 2} {
		g, err := cf.CFGridVars(chunk.Shape{Rows: 500 / factor, Cols: 500 / factor}, factor)
		if err != nil {
			t.Fatal(err)
		}
		if g.X == nil || g.Y == nil || len(g.X.Values) != 500/factor || g.X.DType != chunk.Float64 {
			t.Fatalf("factor %d: axes %+v %+v", factor, g.X, g.Y)
		}
		if _, packed := g.X.Attrs.Get("scale_factor"); packed {
			t.Error("unpacked x keeps scale_factor")
		}
		// Block centre i: the mean of raw values i*f .. i*f+f-1.
		for _, i := range []int{0, 17, 500/factor - 1} {
			sum := 0.0
			for k := 0; k < factor; k++ {
				sum += c.X.Values[i*factor+k]*xs + xo
			}
			if want := sum / float64(factor); math.Abs(g.X.Values[i]-want) > 1e-12 {
				t.Errorf("factor %d: x[%d] = %v, want %v", factor, i, g.X.Values[i], want)
			}
		}
		if g.Mapping == nil || g.Mapping.Name != "goes_imager_projection" {
			t.Fatalf("mapping %+v", g.Mapping)
		}
		var names []string
		for _, v := range g.Coordinates {
			names = append(names, v.Name)
		}
		if len(names) != 3 || names[0] != "band_id" || names[1] != "band_wavelength" || names[2] != "t" {
			t.Errorf("scalar coordinates %v, want [band_id band_wavelength t]", names)
		}
		if _, ok := g.Coordinates[2].Attrs.Get("bounds"); ok {
			t.Error("t keeps its bounds attribute, whose variable is not carried")
		}
	}
	if _, err := cf.CFGridVars(chunk.Shape{Rows: 123, Cols: 500}, 1); err == nil {
		t.Error("coordinates of 500 values fitted to 123 rows without an error")
	}
}

// A NetCDF output of an ABI band names its grid mapping and scalar
// coordinates, so that GDAL finds the geostationary CRS, and carries x
// and y unchanged; an input grid_mapping or coordinates attribute naming
// variables the output lacks is dropped.
func TestABINetCDFOutputLinksGrid(t *testing.T) {
	r, err := Open(abiFile(t, "07"), formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	for name, attrs := range map[string]formats.Attrs{
		"chain attrs": {{Name: "units", Value: "K"}},
		"input attrs": {{Name: "coordinates", Value: "band_id lon lat t"}, {Name: "grid_mapping", Value: "nowhere"}},
	} {
		out := filepath.Join(t.TempDir(), "bt.nc")
		w, err := netcdf3.Create(formats.CreateSpec{Path: out, Shape: info.Shape, DType: chunk.Float32, Variable: "bt", Attrs: attrs, Source: &info})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRegion(context.Background(), chunk.NewArray(chunk.Float32, info.Shape.Bounds())); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		back, err := netcdf3.Open(out, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := back.Info()
		back.Close()
		if gm, _ := got.Attrs.String("grid_mapping"); gm != "goes_imager_projection" {
			t.Errorf("%s: grid_mapping %q", name, gm)
		}
		want := "band_id band_wavelength t"
		if name == "input attrs" {
			want = "band_id t"
		}
		if co, _ := got.Attrs.String("coordinates"); co != want {
			t.Errorf("%s: coordinates %q, want %q", name, co, want)
		}
		c := got.Geo.(*netcdf3.Coords)
		in := info.Geo.(*netcdf3.Coords)
		if c.X == nil || len(c.X.Values) != len(in.X.Values) || c.X.Values[3] != in.X.Values[3] || c.X.DType != in.X.DType {
			t.Errorf("%s: x not carried unchanged", name)
		}
		if strings.Join(c.Coordinates, " ") != want {
			t.Errorf("%s: reader's scalar coordinates %v", name, c.Coordinates)
		}
	}
}
