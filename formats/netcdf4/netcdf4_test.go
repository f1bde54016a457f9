package netcdf4

import (
	"bytes"
	"chunkpipe/internal/realdata"
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/hdf5"
	"chunkpipe/formats/netcdf3"
)

func realDir(t *testing.T) string { return realdata.Require(t) }

func abiFile(t *testing.T, band string) string {
	m, _ := filepath.Glob(filepath.Join(realDir(t), "abi", "OR_ABI-L1b-RadM1-M6C"+band+"_G17_s2019300*.nc"))
	if len(m) != 1 {
		t.Fatalf("band %s: %v", band, m)
	}
	return m[0]
}

// Every 2-D numeric variable of every real file opens through the format
// registry, and region reads in any tiling, from several goroutines, equal
// the hdf5 package's whole-variable read (itself checked against h5py).
func TestEveryRealVariableReads(t *testing.T) {
	dir := realDir(t)
	var paths []string
	for _, sub := range []string{"abi", "netcdf", "hdf5"} {
		m, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
		for _, p := range m {
			if !strings.HasSuffix(p, ".md") {
				paths = append(paths, p)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	vars := 0
	for _, p := range paths {
		f, err := hdf5.Open(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, name := range variables2D(f) {
			// The adapter over the file opened once (formats.Open per
			// variable would parse the file's structure again each time).
			r, err := newReader(f, p, formats.OpenOptions{Variable: name})
			if err != nil {
				t.Fatalf("%s %s: %v", p, name, err)
			}
			info := r.Info()
			ds, _ := f.Dataset(name)
			whole, err := ds.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			// Two random tilings (chunks of at least 16x16 where the
			// variable allows), read concurrently.
			trials, least := 2, 16
			if info.Shape.Len() > 1<<21 {
				trials, least = 1, 500 // large CONUS variables: one coarser tiling
			}
			for trial := 0; trial < trials; trial++ {
				cr := min(info.Shape.Rows, least+rng.IntN(info.Shape.Rows))
				cc := min(info.Shape.Cols, least+rng.IntN(info.Shape.Cols))
				g, _ := chunk.NewGrid(info.Shape, chunk.Shape{Rows: cr, Cols: cc})
				got := chunk.NewArray(info.DType, info.Shape.Bounds())
				var wg sync.WaitGroup
				errs := make(chan error, g.Len())
				for n := 0; n < g.Len(); n++ {
					wg.Add(1)
					go func(n int) {
						defer wg.Done()
						reg := g.Region(g.Index(n))
						errs <- r.ReadRegion(context.Background(), reg, got.Sub(reg))
					}(n)
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					if err != nil {
						t.Fatalf("%s %s: %v", p, name, err)
					}
				}
				if !bytes.Equal(got.Data, whole) {
					t.Fatalf("%s %s: tiling %v differs from the whole read", filepath.Base(p), name, g.Chunk)
				}
			}
			vars++
		}
		f.Close()
	}
	if vars < 60 {
		t.Errorf("only %d 2-D variables read", vars)
	}
	t.Logf("%d 2-D variables of %d files read in random tilings", vars, len(paths))
}

// An ABI file reports its storage chunks, dimensions, CF attributes, scalar
// calibration variables and coordinates; a wrong --var lists the variables.
func TestABIMetadata(t *testing.T) {
	p := abiFile(t, "07")
	r, err := formats.Open(p, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	if info.Variable != "/Rad" || info.Shape != (chunk.Shape{Rows: 500, Cols: 500}) || info.Storage != (chunk.Shape{Rows: 250, Cols: 250}) || info.DType != chunk.Int16 {
		t.Errorf("info %+v", info)
	}
	if u, _ := info.Attrs.String("_Unsigned"); u != "true" {
		t.Error("_Unsigned missing")
	}
	if f, _ := info.Attrs.Float("_FillValue"); f != 16383 {
		t.Errorf("_FillValue %v", f)
	}
	sc := r.(formats.ScalarReader).Scalars()
	if v, ok := sc.Float("planck_fk1"); !ok || v < 203134 || v > 203136 {
		t.Errorf("planck_fk1 %v %v", v, ok)
	}
	if v, ok := sc.Float("band_id"); !ok || v != 7 {
		t.Errorf("band_id %v", v)
	}
	c, ok := info.Geo.(*netcdf3.Coords)
	if !ok || c.X == nil || c.Y == nil || len(c.X.Values) != 500 || len(c.Scalars) != 4 || c.Scalars[0].Name != "goes_imager_projection" || c.GridMapping() != &c.Scalars[0] {
		t.Errorf("coordinates %+v", info.Geo)
	}
	var desc bytes.Buffer
	if err := r.(formats.Describer).Describe(&desc, formats.DescribeOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Rad(y=500, x=500)", "chunks [250 250]", "deflate", "planck_fk1", "global attributes"} {
		if !strings.Contains(desc.String(), want) {
			t.Errorf("Describe lacks %q", want)
		}
	}
	_, err = formats.Open(p, formats.OpenOptions{Variable: "Radiance"})
	if err == nil || !strings.Contains(err.Error(), "Rad") || !strings.Contains(err.Error(), "DQF") || !strings.Contains(err.Error(), p) {
		t.Errorf("wrong variable: %v", err)
	}
}

// Masking by DQF turns flagged pixels into the fill value, and only those.
func TestDQFMask(t *testing.T) {
	p := abiFile(t, "07") // DQF has values 0..2 in this file
	plain, err := formats.Open(p, formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	masked, err := formats.Open(p, formats.OpenOptions{Mask: "DQF", MaskMax: 0})
	if err != nil {
		t.Fatal(err)
	}
	defer masked.Close()
	flags, err := formats.Open(p, formats.OpenOptions{Variable: "DQF"})
	if err != nil {
		t.Fatal(err)
	}
	defer flags.Close()
	b := plain.Info().Shape.Bounds()
	a, m, q := chunk.NewArray(chunk.Int16, b), chunk.NewArray(chunk.Int16, b), chunk.NewArray(chunk.Int8, b)
	for _, x := range []struct {
		r   formats.Reader
		dst *chunk.Array
	}{{plain, a}, {masked, m}, {flags, q}} {
		if err := x.r.ReadRegion(context.Background(), b, x.dst); err != nil {
			t.Fatal(err)
		}
	}
	av, mv, qv := chunk.Elems[int16](a), chunk.Elems[int16](m), chunk.Elems[int8](q)
	n := 0
	for i := range av {
		flagged := uint8(qv[i]) > 0
		switch {
		case flagged && mv[i] != 16383:
			t.Fatalf("pixel %d with DQF %d not masked", i, qv[i])
		case !flagged && mv[i] != av[i]:
			t.Fatalf("pixel %d with DQF 0 changed", i)
		}
		if flagged {
			n++
		}
	}
	if n == 0 {
		t.Error("no pixel was flagged; the test proved nothing")
	}
	if _, err := formats.Open(p, formats.OpenOptions{Mask: "nope"}); err == nil {
		t.Error("unknown mask variable accepted")
	}
}

// Plain HDF5 files: nested paths, leading size-1 dimensions dropped.
func TestNestedAndLeadingDims(t *testing.T) {
	dir := realDir(t)
	gpm, _ := filepath.Glob(filepath.Join(dir, "hdf5", "2A-CS-*.HDF5"))
	r, err := formats.Open(gpm[0], formats.OpenOptions{Variable: "/NS/SLV/precipRateNearSurface"})
	if err != nil {
		t.Fatal(err)
	}
	if info := r.Info(); info.Format != "hdf5" || info.Shape != (chunk.Shape{Rows: 136, Cols: 49}) || info.DType != chunk.Float32 {
		t.Errorf("GPM info %+v", info)
	}
	r.Close()
	if _, err := formats.Open(gpm[0], formats.OpenOptions{Variable: "/NS/SLV/zFactorCorrected"}); err == nil || !strings.Contains(err.Error(), "not 2-D") {
		t.Errorf("3-D variable: %v", err)
	}
	viirs := filepath.Join(dir, "netcdf", "SS_VIIRS_NPP-NAVO-L2P-v3.0.nc")
	r, err = formats.Open(viirs, formats.OpenOptions{Variable: "sea_surface_temperature"})
	if err != nil {
		t.Fatal(err)
	}
	if info := r.Info(); info.Shape != (chunk.Shape{Rows: 768, Cols: 1320}) || len(info.Dims) != 2 || info.Dims[0] != "nj" {
		t.Errorf("VIIRS info %+v", info)
	}
	r.Close()
}

// Without --var, an L2P opens its product, not a coordinate: the VIIRS
// L2P's lat and lon (named by every variable's "coordinates") and its flag
// variables are skipped, and of the same-sized fields the one with a CF
// standard_name wins. Before, the largest-first rule took the first
// same-sized variable (lat in some files, adi_dtime_from_sst here).
func TestDefaultVariableIsData(t *testing.T) {
	dir := realDir(t)
	r, err := formats.Open(filepath.Join(dir, "netcdf", "SS_VIIRS_NPP-NAVO-L2P-v3.0.nc"), formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if v := r.Info().Variable; v != "/sea_surface_temperature" {
		t.Errorf("default variable %s, want /sea_surface_temperature", v)
	}
	gpm, _ := filepath.Glob(filepath.Join(dir, "hdf5", "2A-CS-*.HDF5"))
	g, err := formats.Open(gpm[0], formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if v := strings.ToLower(g.Info().Variable); strings.HasSuffix(v, "latitude") || strings.HasSuffix(v, "longitude") {
		t.Errorf("GPM default variable %s is a coordinate", v)
	}
}
