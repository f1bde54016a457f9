package geotiff

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"chunkpipe/formats"
)

// GeoKeys of a user-defined CRS that GeoTIFF's key set cannot name.
const (
	keyCitation        = 1026
	keyGeogCitation    = 2049
	keyGeodeticDatum   = 2050
	keyGeogAngularUnit = 2054
	keyGeogEllipsoid   = 2056
	keySemiMajorAxis   = 2057
	keyInvFlattening   = 2059
	keyPrimeMeridian   = 2061
	keyPCSCitation     = 3073
	keyProjLinearUnits = 3076

	userDefined   = 32767
	unitDegree    = 9102 // Angular_Degree
	unitMetre     = 9001 // Linear_Meter
	rasterIsArea  = 1
	geoKeyVersion = 1
)

// geosParams are the parameters of a geostationary projection (PROJ's
// geos): the ellipsoid, the satellite's longitude and height above it,
// and the sweep-angle axis (x for GOES, y for Meteosat).
type geosParams struct {
	a, rf, b   float64 // semi-major axis, inverse flattening (0: sphere), semi-minor axis
	lon0, h    float64
	sweep      string
	haveMinorB bool
}

// geosFromCF reads a CF grid mapping of grid_mapping_name "geostationary";
// ok is false for other mappings or when a parameter is missing.
func geosFromCF(m *formats.CFVar) (p geosParams, ok bool) {
	if m == nil {
		return p, false
	}
	if name, _ := m.Attrs.String("grid_mapping_name"); name != "geostationary" {
		return p, false
	}
	var okA, okH bool
	p.a, okA = m.Attrs.Float("semi_major_axis")
	p.h, okH = m.Attrs.Float("perspective_point_height")
	if !okA || !okH || p.a <= 0 || p.h <= 0 {
		return p, false
	}
	p.lon0, _ = m.Attrs.Float("longitude_of_projection_origin")
	p.b, p.haveMinorB = m.Attrs.Float("semi_minor_axis")
	if rf, ok := m.Attrs.Float("inverse_flattening"); ok {
		p.rf = rf
	} else if p.haveMinorB && p.b < p.a {
		p.rf = p.a / (p.a - p.b)
	}
	p.sweep = "y"
	if s, ok := m.Attrs.String("sweep_angle_axis"); ok {
		p.sweep = strings.ToLower(strings.TrimSpace(s))
	} else if s, ok := m.Attrs.String("fixed_angle_axis"); ok && strings.EqualFold(strings.TrimSpace(s), "y") {
		p.sweep = "x"
	}
	if p.sweep != "x" && p.sweep != "y" {
		return p, false
	}
	return p, true
}

// proj4 renders the projection as a PROJ string.
func (p geosParams) proj4() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	ellps := "+a=" + f(p.a) + " +rf=" + f(p.rf)
	if p.rf == 0 {
		ellps = "+a=" + f(p.a) + " +b=" + f(p.a)
	}
	return fmt.Sprintf("+proj=geos +lon_0=%s +h=%s +x_0=0 +y_0=0 %s +units=m +no_defs +sweep=%s", f(p.lon0), f(p.h), ellps, p.sweep)
}

// esriWKT renders the projection as the WKT that GDAL stores in the
// PCSCitationGeoKey of a geostationary GeoTIFF ("ESRI PE String"), with
// the PROJ string as an extension so that the sweep axis survives.
func (p geosParams) esriWKT() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return `PROJCS["unnamed",GEOGCS["unknown",DATUM["unnamed",SPHEROID["Spheroid",` + f(p.a) + `,` + f(p.rf) + `]],` +
		`PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]],` +
		`PROJECTION["Geostationary_Satellite"],PARAMETER["central_meridian",` + f(p.lon0) + `],` +
		`PARAMETER["satellite_height",` + f(p.h) + `],PARAMETER["false_easting",0],PARAMETER["false_northing",0],` +
		`UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],` +
		`EXTENSION["PROJ4","` + p.proj4() + `"]]`
}

// regularAxis returns the first value and the spacing of evenly spaced
// coordinates; ok is false for fewer than two values, NaNs or spacing
// that varies by more than a thousandth of a step.
func regularAxis(v []float64) (first, step float64, ok bool) {
	n := len(v)
	if n < 2 {
		return 0, 0, false
	}
	step = (v[n-1] - v[0]) / float64(n-1)
	if step == 0 || math.IsNaN(step) || math.IsInf(step, 0) {
		return 0, 0, false
	}
	for i, x := range v {
		if math.IsNaN(x) || math.Abs(x-(v[0]+float64(i)*step)) > 1e-3*math.Abs(step) {
			return 0, 0, false
		}
	}
	return v[0], step, true
}

// axisScale returns the factor from a coordinate's units to metres of the
// geostationary projection plane: the satellite height for scan angles in
// radians (CF's geostationary x and y), 1 for metres, or 0 when the units
// are neither.
func axisScale(v *formats.CFVar, h float64) float64 {
	u, _ := v.Attrs.String("units")
	switch strings.ToLower(strings.TrimSpace(u)) {
	case "rad", "radian", "radians":
		return h
	case "m", "metre", "meter", "metres", "meters":
		return 1
	case "km", "kilometre", "kilometer":
		return 1000
	}
	return 0
}

// georefFromCF returns GeoTIFF georeferencing for a CF-described grid, as
// GDAL derives it from the same NetCDF: a geostationary grid mapping
// becomes a user-defined projected CRS (GeoKeys as GDAL writes them, the
// WKT with its PROJ string in PCSCitationGeoKey) and regularly spaced x/y
// scan angles times the satellite height become the geotransform, pixel
// corners at half a step before the first centres. It returns nil when
// the grid is not geostationary or its coordinates are missing or
// irregular: GeoTIFF cannot hold them.
func georefFromCF(g *formats.CFGridVars) *Georef {
	if g == nil || g.X == nil || g.Y == nil {
		return nil
	}
	p, ok := geosFromCF(g.Mapping)
	if !ok {
		return nil
	}
	sx, sy := axisScale(g.X, p.h), axisScale(g.Y, p.h)
	x0, dx, okX := regularAxis(g.X.Values)
	y0, dy, okY := regularAxis(g.Y.Values)
	if sx == 0 || sy == 0 || !okX || !okY {
		return nil
	}
	dx, dy = dx*sx, dy*sy
	ox, oy := x0*sx-dx/2, y0*sy-dy/2
	geo := &Georef{}
	if dx > 0 && dy < 0 {
		geo.PixelScale = []float64{dx, -dy, 0}
		geo.Tiepoints = []float64{0, 0, 0, ox, oy, 0}
	} else {
		geo.Transformation = []float64{dx, 0, 0, ox, 0, dy, 0, oy, 0, 0, 0, 0, 0, 0, 0, 1}
	}
	var ascii strings.Builder
	addASCII := func(s string) (count, offset uint16) {
		offset = uint16(ascii.Len())
		ascii.WriteString(s)
		ascii.WriteByte('|')
		return uint16(len(s) + 1), offset
	}
	cN, cO := addASCII("geostationary")
	gN, gO := addASCII("GCS Name = unknown|Datum = unnamed|Ellipsoid = Spheroid|Primem = Greenwich")
	pN, pO := addASCII("ESRI PE String = " + p.esriWKT())
	geo.GeoDoubles = []float64{p.a, p.rf, 0}
	keys := [][4]uint16{
		{keyModelType, 0, 1, userDefined},
		{keyRasterType, 0, 1, rasterIsArea},
		{keyCitation, tagGeoASCIIParams, cN, cO},
		{keyGeographicType, 0, 1, userDefined},
		{keyGeogCitation, tagGeoASCIIParams, gN, gO},
		{keyGeodeticDatum, 0, 1, userDefined},
		{keyGeogAngularUnit, 0, 1, unitDegree},
		{keyGeogEllipsoid, 0, 1, userDefined},
		{keySemiMajorAxis, tagGeoDoubleParams, 1, 0},
		{keyInvFlattening, tagGeoDoubleParams, 1, 1},
		{keyPrimeMeridian, tagGeoDoubleParams, 1, 2},
		{keyPCSCitation, tagGeoASCIIParams, pN, pO},
		{keyProjLinearUnits, 0, 1, unitMetre},
	}
	geo.GeoKeys = []uint16{geoKeyVersion, 1, 0, uint16(len(keys))}
	for _, k := range keys {
		geo.GeoKeys = append(geo.GeoKeys, k[:]...)
	}
	geo.GeoASCII = ascii.String()
	return geo
}
