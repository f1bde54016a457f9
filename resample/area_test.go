package resample

import (
	"math"
	"strings"
	"testing"

	"chunkpipe/chunk"
	"chunkpipe/proj"
)

func TestParseArea(t *testing.T) {
	for _, c := range []struct {
		spec       string
		epsg       int
		bounds     bool
		resX, resY float64
	}{
		{"EPSG:4326:-125,35,-115,42:0.02", 4326, true, 0.02, 0.02},
		{"epsg:32610:0,4000000,800000,4600000:1000", 32610, true, 1000, 1000},
		{"EPSG:3413:500", 3413, false, 500, 500},
		{"latlon:0.02", 4326, false, 0.02, 0.02},
		{"lonlat:-10,-5,10,5:0.5x0.25", 4326, true, 0.5, 0.25},
		{"utm:10n:2000", 32610, false, 2000, 2000},
		{"UTM:33S:300", 32733, false, 300, 300},
		{"utm:10n:400000,4000000,600000,4200000:1000", 32610, true, 1000, 1000},
		{"utm:auto:1000", 32601, false, 1000, 1000},
		{"polar:n:6250", 3413, false, 6250, 6250},
		{"polar:s:6250", 3976, false, 6250, 6250},
	} {
		a, err := ParseArea(c.spec)
		if err != nil {
			t.Errorf("%s: %v", c.spec, err)
			continue
		}
		if a.CRS.EPSG != c.epsg || (a.Bounds != nil) != c.bounds || a.ResX != c.resX || a.ResY != c.resY {
			t.Errorf("%s: EPSG %d bounds %v res %g x %g", c.spec, a.CRS.EPSG, a.Bounds, a.ResX, a.ResY)
		}
	}
	for _, c := range []struct{ spec, msg string }{
		{"", "unknown CRS"},
		{"mercator:1000", "unknown CRS"},
		{"EPSG:3857:1000", "not supported"},
		{"EPSG:x:1", "bad EPSG code"},
		{"EPSG:4326", "missing"},
		{"latlon:0", "resolution"},
		{"latlon:-1", "resolution"},
		{"latlon:abc", "resolution"},
		{"latlon:NaN", "resolution"},
		{"latlon:1,2,3:0.1", "XMIN,YMIN,XMAX,YMAX"},
		{"latlon:10,0,5,1:0.1", "XMIN < XMAX"},
		{"latlon:0,0,1,1:0.1:7", "want bounds and a resolution"},
		{"utm:10:1000", "hemisphere"},
		{"utm:61n:1000", "bad UTM zone"},
		{"utm:auto:0,0,1,1:1000", "takes no bounds"},
		{"polar:e:100", "polar hemisphere"},
	} {
		_, err := ParseArea(c.spec)
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "want EPSG:CODE") {
			t.Errorf("%q: error %v, want one containing %q and the syntax", c.spec, err, c.msg)
		}
	}
}

func TestAreaGrid(t *testing.T) {
	src, err := SourceGrid(newMemReader(200, 200, -100, 40, 0.05, linearField).Info())
	if err != nil {
		t.Fatal(err)
	}
	// A footprint on its own CRS and resolution is the input grid.
	a, _ := ParseArea("latlon:0.05")
	g, err := a.Grid(src)
	if err != nil {
		t.Fatal(err)
	}
	if g.Shape != src.Shape || g.X0 != -100 || g.Y0 != 40 {
		t.Errorf("footprint grid %v, want the input's %v", g, src)
	}
	// Bounds that the resolution does not divide round the size up.
	a, _ = ParseArea("latlon:0,0,1,1:0.3")
	if g, err = a.Grid(src); err != nil || g.Shape.Rows != 4 || g.Shape.Cols != 4 {
		t.Errorf("0.3 over 1 degree: %v, %v", g.Shape, err)
	}
	a, _ = ParseArea("utm:auto:1000")
	if g, err = a.Grid(src); err != nil || g.CRS.EPSG != 32615 {
		t.Errorf("utm:auto over -100..-90: %v, %v", g.CRS, err)
	}
	a, _ = ParseArea("latlon:1e-9")
	if _, err = a.Grid(src); err == nil || !strings.Contains(err.Error(), "pixels") {
		t.Errorf("a 1e-9 degree grid: %v", err)
	}
}

// TestFootprintAcrossAntimeridian resolves lat/lon footprints of inputs
// that straddle 180 degrees: a geostationary view from 170 E and a UTM
// zone 60 grid. Longitudes come out continuous around the input's own
// meridian (beyond 180), so the grid spans the scene, not the globe.
func TestFootprintAcrossAntimeridian(t *testing.T) {
	geos, err := proj.NewGeos(proj.EllipsoidAB(6378137, 6356752.31414), 35786023, 170, true)
	if err != nil {
		t.Fatal(err)
	}
	// A 1000x1000 scene of 100 urad pixels centred on the sub-satellite point.
	h := 35786023.0
	scene := Grid{CRS: proj.CRS{Proj: geos}, X0: -0.05 * h, Y0: 0.05 * h, DX: 0.0001 * h, DY: -0.0001 * h, Shape: chunk.Shape{Rows: 1000, Cols: 1000}}
	utm60, _ := proj.FromEPSG(32660)
	tile := Grid{CRS: utm60, X0: 600000, Y0: 5000000, DX: 100, DY: -100, Shape: chunk.Shape{Rows: 2000, Cols: 3000}}
	for _, c := range []struct {
		name  string
		src   Grid
		lo    float64 // the grid's west edge must lie below 180 and its east edge above
		width float64 // at most this many degrees wide
	}{{"geos 170E", scene, 150, 40}, {"UTM 60N", tile, 177, 6}} {
		a, _ := ParseArea("latlon:0.01")
		g, err := a.Grid(c.src)
		if err != nil {
			t.Fatal(err)
		}
		west, east := g.X0, g.X0+float64(g.Shape.Cols)*g.DX
		if west < c.lo || west > 180 || east < 180 || east-west > c.width {
			t.Errorf("%s: lat/lon grid from %g to %g degrees east", c.name, west, east)
		}
	}
}

// TestFootprintFullDiskLimb resolves the lat/lon footprint of an ABI
// full disk (5424x5424 pixels of 56 urad): it must reach the limb, found
// here by bisecting 20000 rays from the centre to a millionth of a pixel,
// within 0.05 degrees on every side (the 64x64 mesh alone stops ten degrees
// short of it: 71.5 degrees north instead of 81.3).
func TestFootprintFullDiskLimb(t *testing.T) {
	geos, err := proj.NewGeos(proj.EllipsoidAB(6378137, 6356752.31414), 35786023, -75, true)
	if err != nil {
		t.Fatal(err)
	}
	h := 35786023.0
	disk := Grid{CRS: proj.CRS{Proj: geos}, X0: -0.151872 * h, Y0: 0.151872 * h, DX: 0.000056 * h, DY: -0.000056 * h, Shape: chunk.Shape{Rows: 5424, Cols: 5424}}
	ll, _ := proj.FromEPSG(4326)
	got, ok := footprint(disk, ll)
	if !ok {
		t.Fatal("no footprint")
	}
	want := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	r0, c0 := 2711.5, 2711.5
	for k := range 20000 {
		theta := 2 * math.Pi * float64(k) / 20000
		lo, hi := 0.0, 4000.0
		for hi-lo > 1e-6 {
			mid := (lo + hi) / 2
			if _, _, in := geos.Inverse(disk.Center(r0+mid*math.Sin(theta), c0+mid*math.Cos(theta))); in {
				lo = mid
			} else {
				hi = mid
			}
		}
		lon, lat, _ := geos.Inverse(disk.Center(r0+lo*math.Sin(theta), c0+lo*math.Cos(theta)))
		want = [4]float64{min(want[0], lon), min(want[1], lat), max(want[2], lon), max(want[3], lat)}
	}
	if want[3] < 80 || want[1] > -80 {
		t.Fatalf("reference limb %v does not reach 80 degrees north and south", want)
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 0.05 {
			t.Errorf("full-disk footprint %v, the limb's %v", got, want)
			break
		}
	}
}
