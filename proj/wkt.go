package proj

import (
	"fmt"
	"strconv"
	"strings"
)

// geogCRS is the geographic CRS a projected CRS of [FromEPSG] is based on,
// as OGC WKT 1 names it.
type geogCRS struct {
	name, datum, spheroid string
	code, datumCode       int
	spheroidCode          int
	ellipsoid             Ellipsoid
}

// geogCRSs are the base CRSs of the EPSG codes this package knows, by the
// prefix of the projected CRS's name (before " / ").
var geogCRSs = map[string]geogCRS{
	"WGS 84":   {name: "WGS 84", datum: "WGS_1984", spheroid: "WGS 84", code: 4326, datumCode: 6326, spheroidCode: 7030, ellipsoid: WGS84},
	"RGF93 v1": {name: "RGF93 v1", datum: "Reseau_Geodesique_Francais_1993_v1", spheroid: "GRS 1980", code: 4171, datumCode: 6171, spheroidCode: 7019, ellipsoid: GRS80},
	"NAD83":    {name: "NAD83", datum: "North_American_Datum_1983", spheroid: "GRS 1980", code: 4269, datumCode: 6269, spheroidCode: 7019, ellipsoid: GRS80},
}

// WKT returns the CRS as OGC WKT 1 (GDAL's dialect) with the EPSG code as
// the root AUTHORITY, so that GDAL and PROJ identify it as that code: the
// form of CF's crs_wkt attribute and of GDAL's Zarr _CRS. It fails for a
// CRS without an EPSG code or one whose projection WKT 1 cannot name.
func (c CRS) WKT() (string, error) {
	if c.EPSG == 0 {
		return "", fmt.Errorf("proj: %s has no EPSG code to name in WKT", c)
	}
	base, _, _ := strings.Cut(c.Name, " / ")
	g, ok := geogCRSs[base]
	if !ok {
		return "", fmt.Errorf("proj: EPSG:%d (%s): unknown geographic base CRS %q", c.EPSG, c.Name, base)
	}
	var b strings.Builder
	geog := func(code int) {
		fmt.Fprintf(&b, `GEOGCS["%s",DATUM["%s",SPHEROID["%s",%s,%s,AUTHORITY["EPSG","%d"]],AUTHORITY["EPSG","%d"]],`+
			`PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],`,
			g.name, g.datum, g.spheroid, wktNum(g.ellipsoid.A), wktNum(1/g.ellipsoid.F), g.spheroidCode, g.datumCode)
		if code != 0 {
			fmt.Fprintf(&b, `AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","%d"]]`, code)
		} else {
			fmt.Fprintf(&b, `AUTHORITY["EPSG","%d"]]`, g.code)
		}
	}
	param := func(name string, v float64) {
		fmt.Fprintf(&b, `,PARAMETER["%s",%s]`, name, wktNum(v))
	}
	var pe Ellipsoid
	switch p := c.Proj.(type) {
	case LonLat:
		if c.EPSG != g.code {
			return "", fmt.Errorf("proj: EPSG:%d (%s) is geographic but not its base CRS EPSG:%d", c.EPSG, c.Name, g.code)
		}
		geog(c.EPSG)
		return b.String(), nil
	case *TransverseMercator:
		pe = p.Ellipsoid
		fmt.Fprintf(&b, `PROJCS["%s",`, c.Name)
		geog(0)
		b.WriteString(`,PROJECTION["Transverse_Mercator"]`)
		param("latitude_of_origin", p.Lat0)
		param("central_meridian", p.Lon0)
		param("scale_factor", p.K0)
		param("false_easting", p.FE)
		param("false_northing", p.FN)
	case *PolarStereographic:
		pe = p.Ellipsoid
		fmt.Fprintf(&b, `PROJCS["%s",`, c.Name)
		geog(0)
		// GDAL's WKT 1 names both variants Polar_Stereographic: the
		// latitude of true scale as latitude_of_origin (variant B), or
		// the pole with a scale factor (variant A).
		b.WriteString(`,PROJECTION["Polar_Stereographic"]`)
		param("latitude_of_origin", p.LatTS)
		param("central_meridian", p.Lon0)
		if p.LatTS == 90 || p.LatTS == -90 {
			param("scale_factor", p.K0)
		}
		param("false_easting", p.FE)
		param("false_northing", p.FN)
	case *LambertConformalConic:
		pe = p.Ellipsoid
		fmt.Fprintf(&b, `PROJCS["%s",`, c.Name)
		geog(0)
		b.WriteString(`,PROJECTION["Lambert_Conformal_Conic_2SP"]`)
		param("latitude_of_origin", p.Lat0)
		param("central_meridian", p.Lon0)
		param("standard_parallel_1", p.Lat1)
		param("standard_parallel_2", p.Lat2)
		param("false_easting", p.FE)
		param("false_northing", p.FN)
	default:
		return "", fmt.Errorf("proj: EPSG:%d (%s): no WKT 1 for projection %s", c.EPSG, c.Name, c.Proj.Proj4())
	}
	if pe != g.ellipsoid {
		return "", fmt.Errorf("proj: EPSG:%d (%s): projection ellipsoid %+v differs from the base CRS's %+v", c.EPSG, c.Name, pe, g.ellipsoid)
	}
	fmt.Fprintf(&b, `,UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","%d"]]`, c.EPSG)
	return b.String(), nil
}

// wktNum formats v as WKT numbers are written: the shortest decimal that
// reads back as v.
func wktNum(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}
