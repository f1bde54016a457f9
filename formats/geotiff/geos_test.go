package geotiff

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	"chunkpipe/formats/netcdf4"
	"chunkpipe/internal/realdata"
)

// abiInfo opens the GOES-17 band 7 mesoscale file and returns its Info.
func abiInfo(t *testing.T) formats.Info {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(realdata.Require(t), "abi", "OR_ABI-L1b-RadM1-M6C07_G17_s2019300*.nc"))
	if len(m) != 1 {
		t.Fatalf("band 7 file: %v", m)
	}
	r, err := netcdf4.Open(m[0], formats.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r.Info()
}

// A GeoTIFF written from an ABI input carries the geostationary CRS and
// the geotransform GDAL derives from the NetCDF's x/y and
// goes_imager_projection (gdalinfo NETCDF:...:Rad, GDAL 3.6: origin
// (881767.629555093, 4128275.61177504), pixel size 2004.01731548754), and
// coarsen:N multiplies the pixel size by N and keeps the origin.
func TestABIGeoTIFFIsGeostationary(t *testing.T) {
	info := abiInfo(t)
	gdal := [6]float64{881767.629555093473755, 2004.017315487541055, 0, 4128275.611775038298219, 0, -2004.017315487540600}
	for _, factor := range []int{1, 2, 4} {
		shape := chunk.Shape{Rows: info.Shape.Rows / factor, Cols: info.Shape.Cols / factor}
		path := filepath.Join(t.TempDir(), "bt.tif")
		w, err := NewWriter(formats.CreateSpec{Path: path, Shape: shape, DType: chunk.Float32, Source: &info, Factor: factor})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRegion(context.Background(), chunk.NewArray(chunk.Float32, shape.Bounds())); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		r, err := OpenFile(path, "")
		if err != nil {
			t.Fatal(err)
		}
		gt, ok := r.Georef().GeoTransform()
		r.Close()
		if !ok {
			t.Fatalf("coarsen %d: no geotransform", factor)
		}
		want := gdal
		want[1] *= float64(factor)
		want[5] *= float64(factor)
		for i := range gt {
			if math.Abs(gt[i]-want[i]) > 1e-6*math.Abs(want[i]) {
				t.Errorf("coarsen %d: geotransform %v, want %v (GDAL)", factor, gt, want)
				break
			}
		}
		if v, _ := r.Georef().Key(keyModelType); v != userDefined {
			t.Errorf("GTModelTypeGeoKey = %d, want user-defined", v)
		}
		for _, want := range []string{"ESRI PE String = ", "Geostationary_Satellite", "+proj=geos +lon_0=-137 +h=35786023", "+sweep=x"} {
			if !strings.Contains(r.Georef().GeoASCII, want) {
				t.Errorf("GeoAsciiParams lack %q: %s", want, r.Georef().GeoASCII)
			}
		}
		if !strings.Contains(r.Georef().describeKeys(""), "PCSCitationGeoKey = \"ESRI PE String = PROJCS[") {
			t.Errorf("PCSCitationGeoKey not readable:\n%s", r.Georef().describeKeys(""))
		}
	}
}

// Grids GeoTIFF cannot hold are written without georeferencing: no grid
// mapping, another projection, irregular coordinates.
func TestGeorefFromCFRefusesWhatItCannotHold(t *testing.T) {
	axis := func(name string, vals ...float64) *formats.CFVar {
		return &formats.CFVar{Name: name, DType: chunk.Float64, Values: vals, Attrs: formats.Attrs{{Name: "units", Value: "rad"}}}
	}
	geos := &formats.CFVar{Name: "p", DType: chunk.Int32, Values: []float64{0}, Attrs: formats.Attrs{
		{Name: "grid_mapping_name", Value: "geostationary"}, {Name: "semi_major_axis", Value: 6378137.0},
		{Name: "perspective_point_height", Value: 35786023.0}, {Name: "inverse_flattening", Value: 298.257},
		{Name: "sweep_angle_axis", Value: "x"}}}
	merc := &formats.CFVar{Name: "p", DType: chunk.Int32, Values: []float64{0}, Attrs: formats.Attrs{{Name: "grid_mapping_name", Value: "mercator"}}}
	for name, g := range map[string]*formats.CFGridVars{
		"no mapping":  {Y: axis("y", 1, 0), X: axis("x", 0, 1)},
		"mercator":    {Y: axis("y", 1, 0), X: axis("x", 0, 1), Mapping: merc},
		"irregular":   {Y: axis("y", 1, 0), X: axis("x", 0, 1, 3), Mapping: geos},
		"one column":  {Y: axis("y", 1, 0), X: axis("x", 0), Mapping: geos},
		"no y":        {X: axis("x", 0, 1), Mapping: geos},
		"NaN in axis": {Y: axis("y", 1, math.NaN(), 0), X: axis("x", 0, 1), Mapping: geos},
	} {
		if geo := georefFromCF(g); geo != nil {
			t.Errorf("%s: georeferenced as %+v", name, geo)
		}
	}
	ok := georefFromCF(&formats.CFGridVars{Y: axis("y", 1e-4, 0), X: axis("x", 0, 1e-4), Mapping: geos})
	if ok == nil {
		t.Fatal("regular geostationary grid not georeferenced")
	}
	gt, _ := ok.GeoTransform()
	if want := 1e-4 * 35786023.0; math.Abs(gt[1]-want) > 1e-9*want || math.Abs(gt[0]+want/2) > 1e-9*want {
		t.Errorf("geotransform %v", gt)
	}
}
