package geotiff

import (
	"math"
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
	p, ok := formats.GeostationaryFrom(g.Mapping)
	if !ok {
		return nil
	}
	g = g.InMetres()
	for _, v := range []*formats.CFVar{g.X, g.Y} {
		switch u, _ := v.Attrs.String("units"); strings.ToLower(strings.TrimSpace(u)) {
		case "m", "metre", "meter", "metres", "meters":
		default:
			return nil
		}
	}
	x0, dx, okX := regularAxis(g.X.Values)
	y0, dy, okY := regularAxis(g.Y.Values)
	if !okX || !okY {
		return nil
	}
	ox, oy := x0-dx/2, y0-dy/2
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
	pN, pO := addASCII("ESRI PE String = " + p.WKT())
	geo.GeoDoubles = []float64{p.A, p.RF, 0}
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
