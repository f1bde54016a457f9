package proj

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	wktParam     = regexp.MustCompile(`PARAMETER\["([a-z_0-9]+)",([-0-9.e]+)\]`)
	wktRootCode  = regexp.MustCompile(`AUTHORITY\["EPSG","([0-9]+)"\]\]$`)
	proj4Param   = regexp.MustCompile(`\+([a-z_0-9]+)=([-0-9.e]+)`)
	wktToProj4   = map[string]string{"latitude_of_origin": "lat_0", "central_meridian": "lon_0", "scale_factor": "k", "false_easting": "x_0", "false_northing": "y_0", "standard_parallel_1": "lat_1", "standard_parallel_2": "lat_2"}
	knownEPSGWKT = []int{4326, 32601, 32610, 32660, 32701, 32755, 3413, 3976, 3031, 3995, 2154, 3978}
)

// TestWKT checks each known code's WKT against its PROJ string (which
// TestAgainstPROJ ties to PROJ): brackets balance, the root AUTHORITY is
// the code, and every PARAMETER has the PROJ string's value.
func TestWKT(t *testing.T) {
	for _, code := range knownEPSGWKT {
		c, err := FromEPSG(code)
		if err != nil {
			t.Fatal(err)
		}
		w, err := c.WKT()
		if err != nil {
			t.Errorf("EPSG:%d: %v", code, err)
			continue
		}
		if strings.Count(w, "[") != strings.Count(w, "]") {
			t.Errorf("EPSG:%d: unbalanced brackets in %s", code, w)
		}
		if m := wktRootCode.FindStringSubmatch(w); m == nil || m[1] != strconv.Itoa(code) {
			t.Errorf("EPSG:%d: root AUTHORITY %v in %s", code, m, w)
		}
		want := map[string]float64{}
		for _, m := range proj4Param.FindAllStringSubmatch(c.Proj.Proj4(), -1) {
			want[m[1]], _ = strconv.ParseFloat(m[2], 64)
		}
		params := wktParam.FindAllStringSubmatch(w, -1)
		if c.Geographic() != (len(params) == 0) || !strings.HasPrefix(w, map[bool]string{true: "GEOGCS[", false: "PROJCS["}[c.Geographic()]) {
			t.Errorf("EPSG:%d: geographic %v, WKT %s", code, c.Geographic(), w)
		}
		for _, m := range params {
			key := wktToProj4[m[1]]
			if m[1] == "latitude_of_origin" && strings.Contains(c.Proj.Proj4(), "+proj=stere") {
				key = "lat_ts" // GDAL's variant B convention
			}
			if key == "k" && strings.Contains(c.Proj.Proj4(), "+proj=lcc") {
				key = "k_0"
			}
			got, _ := strconv.ParseFloat(m[2], 64)
			if v, ok := want[key]; !ok || v != got {
				t.Errorf("EPSG:%d: WKT %s = %v, PROJ +%s = %v (present %v)", code, m[1], got, key, v, ok)
			}
		}
	}
}

func TestWKTErrors(t *testing.T) {
	g, err := NewGeos(WGS84, 35786023, -137, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (CRS{Proj: g}).WKT(); err == nil || !strings.Contains(err.Error(), "no EPSG code") {
		t.Errorf("geos without a code: error %v", err)
	}
	if _, err := (CRS{Proj: g, EPSG: 9999, Name: "WGS 84 / geos"}).WKT(); err == nil || !strings.Contains(err.Error(), "EPSG:9999") {
		t.Errorf("geos with a code: error %v", err)
	}
	if _, err := (CRS{Proj: LonLat{}, EPSG: 4269, Name: "NAD83"}).WKT(); err != nil {
		t.Errorf("NAD83 geographic: %v", err)
	}
	if _, err := (CRS{Proj: LonLat{}, EPSG: 4326, Name: "Mars 2000"}).WKT(); err == nil || !strings.Contains(err.Error(), "Mars 2000") {
		t.Errorf("unknown base: error %v", err)
	}
}
