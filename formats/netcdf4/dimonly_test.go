package netcdf4

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf3"
)

const viirsL2P = "netcdf/SS_VIIRS_NPP-NAVO-L2P-v3.0.nc"

// NetCDF-4 dimensions that are not variables (VIIRS L2P's ni and nj, ABI's
// band and number_of_time_bounds) are described as dimensions, not as
// variables, and are neither scalars nor coordinates.
func TestDimensionOnlyScalesAreNotVariables(t *testing.T) {
	r, err := Open(filepath.Join(realDir(t), viirsL2P), formats.OpenOptions{Variable: "sea_surface_temperature"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var buf bytes.Buffer
	if err := r.(formats.Describer).Describe(&buf, formats.DescribeOptions{}); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	dims, vars, ok := strings.Cut(text, "variables:")
	if !ok {
		t.Fatalf("no variables section:\n%s", text)
	}
	for _, want := range []string{"ni = 1320 ;", "nj = 768 ;"} {
		if !strings.Contains(dims, want) {
			t.Errorf("dimensions section lacks %q:\n%s", want, dims)
		}
	}
	for _, bad := range []string{" ni(", " nj("} {
		if strings.Contains(vars, bad) {
			t.Errorf("dimension-only scale listed as a variable (%q)", bad)
		}
	}
	if g, ok := r.Info().Geo.(*netcdf3.Coords); ok && (g.X != nil || g.Y != nil) {
		t.Errorf("coordinates taken from dimension-only scales: %+v", g)
	}

	abi, err := Open(abiFile(t, "07"), formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer abi.Close()
	if _, ok := abi.(formats.ScalarReader).Scalars().Get("band"); ok {
		t.Error("ABI's dimension-only band listed as a scalar variable")
	}
	if v, ok := abi.(formats.ScalarReader).Scalars().Float("band_id"); !ok || v != 7 {
		t.Errorf("band_id = %v, %v; want 7", v, ok)
	}
}

// A NetCDF output of a VIIRS L2P field has no coordinate variables made
// of the dimension-only scales' fill values: its only variable is the data.
func TestNetCDFOutputSkipsDimensionOnlyScales(t *testing.T) {
	r, err := Open(filepath.Join(realDir(t), viirsL2P), formats.OpenOptions{Variable: "sea_surface_temperature"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	out := filepath.Join(t.TempDir(), "sst.nc")
	w, err := netcdf3.Create(formats.CreateSpec{Path: out, Shape: info.Shape, DType: info.DType, Variable: "sst", Source: &info})
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
	back, err := netcdf3.Open(out, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	var buf bytes.Buffer
	if err := back.Describe(&buf, formats.DescribeOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"ni(ni)", "nj(nj)"} {
		if strings.Contains(buf.String(), bad) {
			t.Errorf("output has a coordinate variable %s:\n%s", bad, buf.String())
		}
	}
	if g := back.Info().Geo; g != nil {
		t.Errorf("output carries coordinates %+v", g)
	}
	if d := back.Info().Dims; len(d) != 2 || d[0] != "nj" || d[1] != "ni" {
		t.Errorf("output dims %v, want [nj ni]", d)
	}
}
