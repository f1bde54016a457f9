package formats

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"chunkpipe/chunk"
)

// Geostationary holds the parameters of a geostationary projection (PROJ's
// geos, CF's grid_mapping_name "geostationary"): the ellipsoid's semi-major
// axis A and inverse flattening RF (0 for a sphere), the satellite's
// longitude Lon0 and height H above the ellipsoid, and the sweep-angle
// axis ("x" for GOES, "y" for Meteosat).
type Geostationary struct {
	A, RF, Lon0, H float64
	Sweep          string
}

// GeostationaryFrom reads a CF grid-mapping variable; ok is false when it
// is not geostationary or lacks semi_major_axis or perspective_point_height.
// The inverse flattening comes from inverse_flattening, else from
// semi_minor_axis; the sweep axis from sweep_angle_axis, else the axis
// fixed_angle_axis does not name, else y (CF's default).
func GeostationaryFrom(m *CFVar) (p Geostationary, ok bool) {
	if m == nil {
		return p, false
	}
	if name, _ := m.Attrs.String("grid_mapping_name"); name != "geostationary" {
		return p, false
	}
	var okA, okH bool
	p.A, okA = m.Attrs.Float("semi_major_axis")
	p.H, okH = m.Attrs.Float("perspective_point_height")
	if !okA || !okH || p.A <= 0 || p.H <= 0 {
		return p, false
	}
	p.Lon0, _ = m.Attrs.Float("longitude_of_projection_origin")
	if rf, ok := m.Attrs.Float("inverse_flattening"); ok {
		p.RF = rf
	} else if b, ok := m.Attrs.Float("semi_minor_axis"); ok && b < p.A {
		p.RF = p.A / (p.A - b)
	}
	p.Sweep = "y"
	if s, ok := m.Attrs.String("sweep_angle_axis"); ok {
		p.Sweep = strings.ToLower(strings.TrimSpace(s))
	} else if s, ok := m.Attrs.String("fixed_angle_axis"); ok && strings.EqualFold(strings.TrimSpace(s), "y") {
		p.Sweep = "x"
	}
	if p.Sweep != "x" && p.Sweep != "y" {
		return p, false
	}
	return p, true
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// PROJ renders the projection as a PROJ string.
func (p Geostationary) PROJ() string {
	ellps := "+a=" + fmtNum(p.A) + " +rf=" + fmtNum(p.RF)
	if p.RF == 0 {
		ellps = "+a=" + fmtNum(p.A) + " +b=" + fmtNum(p.A)
	}
	return fmt.Sprintf("+proj=geos +lon_0=%s +h=%s +x_0=0 +y_0=0 %s +units=m +no_defs +sweep=%s", fmtNum(p.Lon0), fmtNum(p.H), ellps, p.Sweep)
}

// WKT renders the projection as WKT 1 in the ESRI flavour GDAL writes for
// it (GeoTIFF's "ESRI PE String"), with the PROJ string as an EXTENSION so
// that the sweep axis, which ESRI's Geostationary_Satellite lacks, is kept.
func (p Geostationary) WKT() string {
	return `PROJCS["unnamed",GEOGCS["unknown",DATUM["unnamed",SPHEROID["Spheroid",` + fmtNum(p.A) + `,` + fmtNum(p.RF) + `]],` +
		`PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]],` +
		`PROJECTION["Geostationary_Satellite"],PARAMETER["central_meridian",` + fmtNum(p.Lon0) + `],` +
		`PARAMETER["satellite_height",` + fmtNum(p.H) + `],PARAMETER["false_easting",0],PARAMETER["false_northing",0],` +
		`UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],` +
		`EXTENSION["PROJ4","` + p.PROJ() + `"]]`
}

// InMetres returns g with X and Y in metres of the projection plane when
// they are geostationary scan angles in radians (CF and ABI store them so;
// GDAL, PROJ and most raster tools want metres): each value times H, units
// "m". Other grids are returned unchanged. g is not modified.
func (g *CFGridVars) InMetres() *CFGridVars {
	p, ok := GeostationaryFrom(g.Mapping)
	if !ok {
		return g
	}
	c := *g
	toMetres := func(v *CFVar) *CFVar {
		if v == nil {
			return nil
		}
		u, _ := v.Attrs.String("units")
		switch strings.ToLower(strings.TrimSpace(u)) {
		case "rad", "radian", "radians":
		default:
			return v
		}
		m := &CFVar{Name: v.Name, DType: chunk.Float64, Values: make([]float64, len(v.Values)), Attrs: slices.Clone(v.Attrs).Set("units", "m")}
		for i, x := range v.Values {
			m.Values[i] = x * p.H
		}
		return m
	}
	c.X, c.Y = toMetres(g.X), toMetres(g.Y)
	return &c
}
