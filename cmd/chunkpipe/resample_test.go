package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"chunkpipe/formats"
	"chunkpipe/formats/geotiff"
)

// TestRunResample runs a real ABI band through --resample and the kernel
// chain: the GeoTIFF is on the UTM grid of the scene, georeferenced by its
// EPSG code, and holds brightness temperatures.
func TestRunResample(t *testing.T) {
	dir := realDir(t)
	c07, err := filepath.Glob(filepath.Join(dir, "abi", "OR_ABI-L1b-RadM1-M6C07_G17_s2019300*.nc"))
	if err != nil || len(c07) != 1 {
		t.Fatalf("band 7 file: %v %v", c07, err)
	}
	out := t.TempDir()
	for _, method := range []string{"nearest", "bilinear", "average"} {
		path := filepath.Join(out, method+".tif")
		area, minSide := "utm:auto:2000", 500
		if method == "average" {
			area, minSide = "utm:auto:5000", 200 // block means want pixels larger than the input's (about 3 km here)
		}
		code, _, stderr := chunkpipe(t, "run", c07[0], "-k", "calibrate,bt", "--resample", area,
			"--resample-method", method, "-o", path, "--progress", "none", "--stats", "none")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", method, code, stderr)
		}
		r, err := formats.Open(path, formats.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		g, _ := r.Info().Geo.(*geotiff.Georef)
		epsg, _ := g.EPSG()
		r.Close()
		if epsg != 32610 {
			t.Errorf("%s: EPSG %d, want 32610 (the Kincade fire is in UTM zone 10N)", method, epsg)
		}
		vals, shape := readFloat32(t, path)
		nan, lo, hi := 0, math.Inf(1), math.Inf(-1)
		for _, v := range vals {
			if v != v {
				nan++
				continue
			}
			lo, hi = min(lo, float64(v)), max(hi, float64(v))
		}
		// The mesoscale scene is a tilted quadrilateral on the UTM grid:
		// its corners are outside it.
		if nan > len(vals)/3 || lo < 200 || hi > 450 || shape.Rows < minSide || shape.Cols < minSide {
			t.Errorf("%s: %v, %d NaN of %d, range %g..%g K", method, shape, nan, len(vals), lo, hi)
		}
	}
	code, _, stderr := chunkpipe(t, "run", c07[0], "--resample", "mercator:1000", "-o", filepath.Join(out, "x.tif"))
	if code == 0 || !strings.Contains(stderr, "want EPSG:CODE") {
		t.Errorf("bad area: exit %d, %s", code, stderr)
	}
	// A batch resamples every file onto its own footprint grid.
	c14, _ := filepath.Glob(filepath.Join(dir, "abi", "OR_ABI-L1b-RadM1-M6C14_G17_s2019300*.nc"))
	code, _, stderr = chunkpipe(t, "run", c07[0], c14[0], "-k", "calibrate,bt", "--resample", "latlon:0.02", "-o", filepath.Join(out, "{band}.tif"),
		"--progress", "none", "--stats", "none")
	if code != 0 {
		t.Fatalf("batch: exit %d: %s", code, stderr)
	}
	for _, band := range []string{"c07", "c14"} {
		r, err := formats.Open(filepath.Join(out, band+".tif"), formats.OpenOptions{})
		if err != nil {
			t.Fatalf("batch output %s: %v", band, err)
		}
		g, _ := r.Info().Geo.(*geotiff.Georef)
		epsg, _ := g.EPSG()
		r.Close()
		if epsg != 4326 {
			t.Errorf("batch output %s: EPSG %d, want 4326", band, epsg)
		}
	}
	// Band math puts every input on the first one's grid, whatever its
	// resolution (band 5 is 1 km, bands 7 and 14 are 2 km).
	c05, _ := filepath.Glob(filepath.Join(dir, "abi", "OR_ABI-L1b-RadM1-M6C05_G17_s2019300*.nc"))
	diff := filepath.Join(out, "diff.tif")
	code, _, stderr = chunkpipe(t, "run", c07[0], c14[0], c05[0], "--expr", "bt(c07) - bt(c14) + 0 * reflectance(c05)",
		"--resample", "utm:auto:1000", "-o", diff, "--progress", "none", "--stats", "none")
	if code != 0 {
		t.Fatalf("band math: exit %d: %s", code, stderr)
	}
	vals, shape := readFloat32(t, diff)
	hot := 0.0
	for _, v := range vals {
		if v == v {
			hot = max(hot, float64(v))
		}
	}
	// The fire: band 7 far warmer than band 14 (about 97 K at 2 km in the
	// scene; nearest resampling at 1 km keeps the pixel).
	if shape.Rows < 1000 || hot < 50 {
		t.Errorf("band math on the resampled grid: %v, hottest difference %g K", shape, hot)
	}
	npy := filepath.Join(out, "plain.npy")
	if code, _, stderr = chunkpipe(t, "synth", "-o", npy, "--shape", "64x64", "--progress", "none"); code != 0 {
		t.Fatal(stderr)
	}
	code, _, stderr = chunkpipe(t, "run", npy, "--resample", "latlon:0.02", "-o", filepath.Join(out, "y.tif"))
	if code == 0 || !strings.Contains(stderr, "no georeferencing") {
		t.Errorf("input without georeferencing: exit %d, %s", code, stderr)
	}
}
