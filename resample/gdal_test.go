package resample

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/formats"
	_ "chunkpipe/formats/all"
	"chunkpipe/formats/geotiff"
	"chunkpipe/internal/realdata"
)

// readAll reads a whole reader as float64, NaN where a value is nodata.
func readAll(t *testing.T, r formats.Reader, nodata float64) []float64 {
	t.Helper()
	info := r.Info()
	a := chunk.NewArray(info.DType, info.Shape.Bounds())
	if err := r.ReadRegion(context.Background(), info.Shape.Bounds(), a); err != nil {
		t.Fatal(err)
	}
	out := make([]float64, info.Shape.Len())
	for row := range info.Shape.Rows {
		if err := chunk.ConvertRow(out[row*info.Shape.Cols:(row+1)*info.Shape.Cols], a, row, 0); err != nil {
			t.Fatal(err)
		}
	}
	for i, v := range out {
		if v == nodata {
			out[i] = math.NaN()
		}
	}
	return out
}

// TestAgainstGDAL resamples the real GOES-16 band 16 CONUS file and a
// Sentinel-2 GeoTIFF tile as gdalwarp -et 0 did in testdata
// (tools/resample/make_testdata.sh): the same target grid, nearest
// identical on at least 99.9 % of pixels, bilinear within 1e-4 relative on
// at least 99.9 %.
func TestAgainstGDAL(t *testing.T) {
	dir := realdata.Require(t)
	abi := filepath.Join(dir, "abi", "OR_ABI-L1b-RadC-M6C16_G16_s20200040316182_e20200040318566_c20200040319074.nc")
	s2 := filepath.Join(dir, "geotiff", "S2A_29RKH_20200219_0_L2A_B04.tif")
	for _, c := range []struct {
		name, area, path string
		nodata           float64
	}{
		{"latlon", "EPSG:4326:-100,30,-99,31:0.01", abi, 1023},
		{"utm", "utm:14n:300000,3400000,400000,3500000:1000", abi, 1023},
		{"lcc", "EPSG:3978:0,-450000,100000,-350000:1000", abi, 1023},
		{"stere", "EPSG:3413:-3930000,-3300000,-3830000,-3200000:1000", abi, 1023},
		{"s2_latlon", "latlon:-11.5,24.5,-11.45,24.55:0.0005", s2, 0},
		{"s2_utm28", "EPSG:32628:859000,2745000,864000,2750000:50", s2, 0},
	} {
		for _, method := range []Method{Nearest, Bilinear} {
			t.Run(c.name+"/"+method.String(), func(t *testing.T) {
				gname := map[Method]string{Nearest: "near", Bilinear: "bilinear"}[method]
				want, err := formats.Open(filepath.Join("testdata", "gdal_"+gname+"_"+c.name+".tif"), formats.OpenOptions{})
				if err != nil {
					t.Fatal(err)
				}
				defer want.Close()
				src, err := formats.Open(c.path, formats.OpenOptions{})
				if err != nil {
					t.Fatal(err)
				}
				sg, err := SourceGrid(src.Info())
				if err != nil {
					t.Fatal(err)
				}
				area, err := ParseArea(c.area)
				if err != nil {
					t.Fatal(err)
				}
				dg, err := area.Grid(sg)
				if err != nil {
					t.Fatal(err)
				}
				r, err := New(src, sg, dg, Options{Method: method, Tolerance: -1})
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				wantGT, _ := want.Info().Geo.(*geotiff.Georef).GeoTransform()
				gotGT, _ := r.Info().Geo.(*geotiff.Georef).GeoTransform()
				for i := range wantGT {
					if math.Abs(wantGT[i]-gotGT[i]) > 1e-9*math.Max(1, math.Abs(wantGT[i])) {
						t.Fatalf("geotransform %v, GDAL's %v", gotGT, wantGT)
					}
				}
				if r.Info().Shape != want.Info().Shape {
					t.Fatalf("shape %v, GDAL's %v", r.Info().Shape, want.Info().Shape)
				}
				got, exp := readAll(t, r, c.nodata), readAll(t, want, c.nodata)
				agree, valid, maxRel := 0, 0, 0.0
				for i := range got {
					g, e := got[i], exp[i]
					if !math.IsNaN(g) && !math.IsNaN(e) && e != 0 {
						maxRel = max(maxRel, math.Abs(g-e)/math.Abs(e))
					}
					switch {
					case math.IsNaN(g) && math.IsNaN(e):
						agree++
					case math.IsNaN(g) || math.IsNaN(e):
					case method == Nearest && g == e:
						agree++
						valid++
					case method == Bilinear && math.Abs(g-e) <= 1e-4*math.Abs(e):
						agree++
						valid++
					}
				}
				share := float64(agree) / float64(len(got))
				t.Logf("%s %s: %.4f %% of %d pixels agree with gdalwarp (%d valid), max relative difference %.2g", c.name, method, 100*share, len(got), valid, maxRel)
				if share < 0.999 || valid < len(got)/2 {
					t.Errorf("only %.4f %% agree (%d valid of %d)", 100*share, valid, len(got))
				}
			})
		}
	}
}
