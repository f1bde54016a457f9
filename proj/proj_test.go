package proj

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// gdalCase is one CRS of testdata/gdaltransform.txt with PROJ's results.
type gdalCase struct {
	name string
	pts  [][4]float64 // lon, lat, x, y
}

func loadGDALCases(t *testing.T) []gdalCase {
	t.Helper()
	f, err := os.Open("testdata/gdaltransform.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []gdalCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "case "); ok {
			cases = append(cases, gdalCase{name: strings.Fields(name)[0]})
			continue
		}
		var p [4]float64
		if _, err := fmt.Sscan(line, &p[0], &p[1], &p[2], &p[3]); err != nil || len(cases) == 0 {
			t.Fatalf("bad line %q: %v", line, err)
		}
		cases[len(cases)-1].pts = append(cases[len(cases)-1].pts, p)
	}
	return cases
}

// projections builds, in Go, each CRS that tools/proj/gen.sh asked PROJ
// about.
func projections(t *testing.T) map[string]Projection {
	t.Helper()
	must := func(p Projection, err error) Projection {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	epsg := func(code int) Projection {
		c, err := FromEPSG(code)
		return must(c.Proj, err)
	}
	airy := EllipsoidAB(6377563.396, 6356256.909)
	return map[string]Projection{
		"geos_goes16":  must(NewGeos(EllipsoidAB(6378137, 6356752.31414), 35786023, -75, true)),
		"geos_msg":     must(NewGeos(EllipsoidAB(6378169, 6356583.8), 35785831, 0, false)),
		"utm10n":       epsg(32610),
		"utm33s":       epsg(32733),
		"utm60n":       epsg(32660),
		"tmerc_airy":   must(NewTransverseMercator(airy, -2, 49, 0.9996012717, 400000, -100000)),
		"stere3413":    epsg(3413),
		"stere3031":    epsg(3031),
		"stere3976":    epsg(3976),
		"stere3995":    epsg(3995),
		"stere_pole_k": must(NewPolarStereographic(WGS84, true, 90, -45, 0.994, 2000000, 2000000)),
		"lcc2154":      epsg(2154),
		"lcc3978":      epsg(3978),
		"lcc_south":    must(NewLambertConformalConic(WGS84, -30, -40, -35, 145, 1, 1000000, 2000000)),
		"lcc_1sp":      must(NewLambertConformalConic(WGS84, 25, 25, 25, -95, 0.9999, 0, 0)),
	}
}

// TestAgainstPROJ checks forward projections against PROJ to 0.1 mm and
// inverse ones to 1e-9 degrees (about 0.1 mm), then the round trip.
func TestAgainstPROJ(t *testing.T) {
	projs := projections(t)
	cases := loadGDALCases(t)
	if len(cases) != len(projs) {
		t.Fatalf("%d cases in testdata, %d projections built", len(cases), len(projs))
	}
	for _, c := range cases {
		p, ok := projs[c.name]
		if !ok {
			t.Fatalf("no projection for case %s", c.name)
		}
		t.Run(c.name, func(t *testing.T) {
			var maxFwd, maxInv float64
			defer func() { t.Logf("max |forward - PROJ| %.2g m, max |inverse - point| %.2g deg", maxFwd, maxInv) }()
			for _, pt := range c.pts {
				x, y, ok := p.Forward(pt[0], pt[1])
				maxFwd = max(maxFwd, math.Abs(x-pt[2]), math.Abs(y-pt[3]))
				if !ok || math.Abs(x-pt[2]) > 1e-4 || math.Abs(y-pt[3]) > 1e-4 {
					t.Errorf("Forward(%g, %g) = %.6f, %.6f, %v; PROJ %.6f, %.6f", pt[0], pt[1], x, y, ok, pt[2], pt[3])
				}
				lon, lat, ok := p.Inverse(pt[2], pt[3])
				dlon := math.Remainder(lon-pt[0], 360)
				if math.Abs(pt[1]) == 90 {
					dlon = 0 // the pole has every longitude
				}
				maxInv = max(maxInv, math.Abs(dlon), math.Abs(lat-pt[1]))
				if !ok || math.Abs(dlon) > 1e-9 || math.Abs(lat-pt[1]) > 1e-9 {
					t.Errorf("Inverse(%.6f, %.6f) = %.12f, %.12f, %v; want %g, %g", pt[2], pt[3], lon, lat, ok, pt[0], pt[1])
				}
			}
		})
	}
}

// TestGeosLimb checks that points beyond the limb and lines of sight that
// miss the Earth are refused rather than mapped.
func TestGeosLimb(t *testing.T) {
	g, err := NewGeos(EllipsoidAB(6378137, 6356752.31414), 35786023, -75, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := g.Forward(105, 0); ok {
		t.Error("the antipode of the sub-satellite point projected")
	}
	if _, _, ok := g.Forward(-75+85, 0); ok {
		t.Error("a point 85 degrees east on the equator (beyond the limb at about 81.3) projected")
	}
	if _, _, ok := g.Inverse(0.16*35786023, 0); ok {
		t.Error("scan angle 0.16 rad (off the disk) inverted")
	}
	if _, _, ok := g.Inverse(0.15*35786023, 0); !ok {
		t.Error("scan angle 0.15 rad (on the disk) refused")
	}
}

// TestRoundTrip samples each projection's domain and checks that Inverse
// undoes Forward to 1e-9 degrees.
func TestRoundTrip(t *testing.T) {
	for name, p := range projections(t) {
		for lat := -85.0; lat <= 85; lat += 5 {
			for lon := -180.0; lon < 180; lon += 7.5 {
				x, y, ok := p.Forward(lon, lat)
				if !ok {
					continue
				}
				if tm, isTM := p.(*TransverseMercator); isTM && math.Abs(math.Remainder(lon-tm.Lon0, 360)) > 30 {
					continue // Krüger's series hold within about 30 degrees of the central meridian
				}
				if math.Abs(x) > 2e7 || math.Abs(y) > 2e7 {
					continue // far outside any useful area: cones lose digits
				}
				lon2, lat2, ok := p.Inverse(x, y)
				if !ok || math.Abs(math.Remainder(lon2-lon, 360)) > 1e-8 || math.Abs(lat2-lat) > 1e-8 {
					t.Errorf("%s: (%g, %g) -> (%.3f, %.3f) -> (%.12f, %.12f), %v", name, lon, lat, x, y, lon2, lat2, ok)
				}
			}
		}
	}
}

func TestFromEPSG(t *testing.T) {
	for _, code := range []int{4326, 32601, 32660, 32701, 32760, 3413, 3976, 3031, 3995, 2154, 3978} {
		c, err := FromEPSG(code)
		if err != nil || c.EPSG != code || c.Proj == nil || c.Name == "" {
			t.Errorf("FromEPSG(%d) = %+v, %v", code, c, err)
		}
	}
	for _, code := range []int{0, 3857, 32600, 32661, 32700, 32761, 4269} {
		if _, err := FromEPSG(code); err == nil || !strings.Contains(err.Error(), fmt.Sprint(code)) {
			t.Errorf("FromEPSG(%d): error %v, want one naming the code", code, err)
		}
	}
	if !func() bool { c, _ := FromEPSG(4326); return c.Geographic() }() {
		t.Error("EPSG:4326 is not geographic")
	}
}

func TestUTMZone(t *testing.T) {
	for _, c := range []struct {
		lon  float64
		zone int
	}{{-180, 1}, {-177, 1}, {-174, 2}, {-123, 10}, {0, 31}, {-0.1, 30}, {179.9, 60}, {180, 60}, {183, 1}} {
		if z := UTMZone(c.lon); z != c.zone {
			t.Errorf("UTMZone(%g) = %d, want %d", c.lon, z, c.zone)
		}
	}
}

func TestBadParameters(t *testing.T) {
	if _, err := NewGeos(WGS84, 0, 0, true); err == nil {
		t.Error("geos with height 0 accepted")
	}
	if _, err := NewGeos(Ellipsoid{A: -1}, 1, 0, true); err == nil {
		t.Error("negative semi-major axis accepted")
	}
	if _, err := UTM(61, true); err == nil {
		t.Error("UTM zone 61 accepted")
	}
	if _, err := NewPolarStereographic(WGS84, true, -70, 0, 1, 0, 0); err == nil {
		t.Error("north polar with a southern latitude of true scale accepted")
	}
	if _, err := NewLambertConformalConic(WGS84, 30, -30, 0, 0, 1, 0, 0); err == nil {
		t.Error("lcc with symmetric parallels (a cylinder) accepted")
	}
}

func BenchmarkProjections(b *testing.B) {
	utm, _ := UTM(10, true)
	geos, _ := NewGeos(EllipsoidAB(6378137, 6356752.31414), 35786023, -75, true)
	for _, c := range []struct {
		name string
		p    Projection
	}{{"utm", utm}, {"geos", geos}} {
		b.Run(c.name+"/forward", func(b *testing.B) {
			s := 0.0
			for i := 0; b.Loop(); i++ {
				x, _, _ := c.p.Forward(-123+float64(i%100)*0.01, 38)
				s += x
			}
			sink = s
		})
		b.Run(c.name+"/inverse", func(b *testing.B) {
			x0, y0, _ := c.p.Forward(-123, 38)
			s := 0.0
			for i := 0; b.Loop(); i++ {
				lon, _, _ := c.p.Inverse(x0+float64(i%100), y0)
				s += lon
			}
			sink = s
		})
	}
}

var sink float64
