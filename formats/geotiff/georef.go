package geotiff

import (
	"fmt"
	"strings"
)

// GeoKey identifiers used to summarise georeferencing.
const (
	keyModelType      = 1024
	keyRasterType     = 1025
	keyGeographicType = 2048
	keyProjectedType  = 3072
)

// Georef is the georeferencing of a GeoTIFF image: the GeoTIFF tags as
// stored, so that a writer can copy them into a new file unchanged (or
// scaled, see [Georef.Scaled]). A nil *Georef means "not georeferenced".
type Georef struct {
	PixelScale     []float64 // ModelPixelScale (33550): ScaleX, ScaleY, ScaleZ
	Tiepoints      []float64 // ModelTiepoint (33922): groups of I, J, K, X, Y, Z
	Transformation []float64 // ModelTransformation (34264): 4x4 row-major matrix
	GeoKeys        []uint16  // GeoKeyDirectory (34735), header included
	GeoDoubles     []float64 // GeoDoubleParams (34736)
	GeoASCII       string    // GeoAsciiParams (34737), '|'-separated
}

// georefFrom collects the GeoTIFF tags of an IFD; it returns nil when there
// are none.
func georefFrom(d *ifd) *Georef {
	g := &Georef{}
	g.PixelScale, _ = d.floats(tagModelPixelScale)
	g.Tiepoints, _ = d.floats(tagModelTiepoint)
	g.Transformation, _ = d.floats(tagModelTransform)
	g.GeoDoubles, _ = d.floats(tagGeoDoubleParams)
	if keys, ok := d.uints(tagGeoKeyDirectory); ok {
		g.GeoKeys = make([]uint16, len(keys))
		for i, k := range keys {
			g.GeoKeys[i] = uint16(k)
		}
	}
	g.GeoASCII, _ = d.str(tagGeoASCIIParams)
	if g.PixelScale == nil && g.Tiepoints == nil && g.Transformation == nil && g.GeoKeys == nil {
		return nil
	}
	return g
}

// GeoTransform returns the GDAL-style affine transform (X origin, pixel
// width, row rotation, Y origin, column rotation, pixel height) that maps
// pixel corner (col, row) to model coordinates:
//
//	X = gt[0] + col*gt[1] + row*gt[2]
//	Y = gt[3] + col*gt[4] + row*gt[5]
//
// ok is false when the image is referenced only by ground control points
// (several tiepoints without a pixel scale) or not at all. As in GDAL, the
// transform of a PixelIsPoint raster is shifted by half a pixel so that it
// still maps pixel corners.
func (g *Georef) GeoTransform() (gt [6]float64, ok bool) {
	if g == nil {
		return gt, false
	}
	switch {
	case len(g.Transformation) >= 16:
		m := g.Transformation
		gt = [6]float64{m[3], m[0], m[1], m[7], m[4], m[5]}
	case len(g.PixelScale) >= 2 && len(g.Tiepoints) >= 6:
		t, s := g.Tiepoints, g.PixelScale
		gt = [6]float64{t[3] - t[0]*s[0], s[0], 0, t[4] + t[1]*s[1], 0, -s[1]}
	default:
		return gt, false
	}
	if g.PixelIsPoint() {
		gt[0] -= 0.5 * (gt[1] + gt[2])
		gt[3] -= 0.5 * (gt[4] + gt[5])
	}
	return gt, true
}

// Key returns the value of a SHORT GeoKey stored in the directory itself.
func (g *Georef) Key(id uint16) (uint16, bool) {
	if g == nil || len(g.GeoKeys) < 4 {
		return 0, false
	}
	n := int(g.GeoKeys[3])
	for i := 0; i < n && 4+4*i+3 < len(g.GeoKeys); i++ {
		k := g.GeoKeys[4+4*i:]
		if k[0] == id && k[1] == 0 {
			return k[3], true
		}
	}
	return 0, false
}

// EPSG returns the EPSG code of the projected or geographic coordinate
// system, when the GeoKeys name one.
func (g *Georef) EPSG() (int, bool) {
	for _, id := range []uint16{keyProjectedType, keyGeographicType} {
		if v, ok := g.Key(id); ok && v != 0 && v != 32767 {
			return int(v), true
		}
	}
	return 0, false
}

// PixelIsPoint reports whether the GeoKey RasterType says PixelIsPoint.
func (g *Georef) PixelIsPoint() bool {
	v, ok := g.Key(keyRasterType)
	return ok && v == 2
}

// Scaled returns a copy of g for an image whose pixels each span factor x
// factor pixels of g's image (a coarsened output): the pixel scale and the
// transformation's linear part grow by factor, and tiepoint raster
// coordinates shrink by it, so that model coordinates stay where they were.
// A factor <= 1 returns a plain copy.
func (g *Georef) Scaled(factor int) *Georef {
	if g == nil {
		return nil
	}
	c := &Georef{
		PixelScale:     append([]float64(nil), g.PixelScale...),
		Tiepoints:      append([]float64(nil), g.Tiepoints...),
		Transformation: append([]float64(nil), g.Transformation...),
		GeoKeys:        append([]uint16(nil), g.GeoKeys...),
		GeoDoubles:     append([]float64(nil), g.GeoDoubles...),
		GeoASCII:       g.GeoASCII,
	}
	if factor <= 1 {
		return c
	}
	f := float64(factor)
	for i := 0; i < len(c.PixelScale) && i < 2; i++ {
		c.PixelScale[i] *= f
	}
	for i := 0; i+5 < len(c.Tiepoints); i += 6 {
		c.Tiepoints[i] /= f
		c.Tiepoints[i+1] /= f
	}
	if len(c.Transformation) >= 16 {
		for _, i := range []int{0, 1, 4, 5} {
			c.Transformation[i] *= f
		}
	}
	return c
}

// attrs returns a summary of the georeferencing as attributes.
func (g *Georef) attrs() []attrKV {
	if g == nil {
		return nil
	}
	var out []attrKV
	if gt, ok := g.GeoTransform(); ok {
		out = append(out, attrKV{"geotransform", gt[:]})
	}
	if code, ok := g.EPSG(); ok {
		out = append(out, attrKV{"crs", fmt.Sprintf("EPSG:%d", code)})
	}
	if _, ok := g.Key(keyRasterType); ok {
		rt := "area"
		if g.PixelIsPoint() {
			rt = "point"
		}
		out = append(out, attrKV{"raster_type", rt})
	}
	if len(g.Tiepoints) > 6 {
		out = append(out, attrKV{"gcp_count", int64(len(g.Tiepoints) / 6)})
	}
	return out
}

// attrKV is a name and value before conversion to formats.Attr.
type attrKV struct {
	name  string
	value any
}

var geoKeyNames = map[uint16]string{
	1024: "GTModelTypeGeoKey", 1025: "GTRasterTypeGeoKey", 1026: "GTCitationGeoKey",
	2048: "GeographicTypeGeoKey", 2049: "GeogCitationGeoKey", 2050: "GeogGeodeticDatumGeoKey",
	2051: "GeogPrimeMeridianGeoKey", 2052: "GeogLinearUnitsGeoKey", 2054: "GeogAngularUnitsGeoKey",
	2056: "GeogEllipsoidGeoKey", 2057: "GeogSemiMajorAxisGeoKey", 2058: "GeogSemiMinorAxisGeoKey",
	2059: "GeogInvFlatteningGeoKey", 2061: "GeogPrimeMeridianLongGeoKey",
	3072: "ProjectedCSTypeGeoKey", 3073: "PCSCitationGeoKey", 3074: "ProjectionGeoKey",
	3075: "ProjCoordTransGeoKey", 3076: "ProjLinearUnitsGeoKey", 3078: "ProjStdParallel1GeoKey",
	3079: "ProjStdParallel2GeoKey", 3080: "ProjNatOriginLongGeoKey", 3081: "ProjNatOriginLatGeoKey",
	3082: "ProjFalseEastingGeoKey", 3083: "ProjFalseNorthingGeoKey", 3088: "ProjCenterLongGeoKey",
	3089: "ProjCenterLatGeoKey", 3092: "ProjScaleAtNatOriginGeoKey", 4096: "VerticalCSTypeGeoKey",
	4097: "VerticalCitationGeoKey", 4098: "VerticalDatumGeoKey", 4099: "VerticalUnitsGeoKey",
}

// describeKeys renders the GeoKey directory, one key per line.
func (g *Georef) describeKeys(indent string) string {
	if g == nil || len(g.GeoKeys) < 4 {
		return ""
	}
	var sb strings.Builder
	k := g.GeoKeys
	fmt.Fprintf(&sb, "%sGeoKeyDirectory version %d.%d.%d, %d keys\n", indent, k[0], k[1], k[2], k[3])
	for i := 0; i < int(k[3]) && 4+4*i+3 < len(k); i++ {
		e := k[4+4*i:]
		name := geoKeyNames[e[0]]
		if name == "" {
			name = fmt.Sprintf("GeoKey%d", e[0])
		}
		var val string
		switch e[1] {
		case 0:
			val = fmt.Sprint(e[3])
		case tagGeoDoubleParams:
			if int(e[3])+int(e[2]) <= len(g.GeoDoubles) {
				val = fmt.Sprint(g.GeoDoubles[e[3] : e[3]+e[2]])
			} else {
				val = "(bad double reference)"
			}
		case tagGeoASCIIParams:
			if int(e[3])+int(e[2]) <= len(g.GeoASCII) {
				val = fmt.Sprintf("%q", strings.TrimRight(g.GeoASCII[e[3]:e[3]+e[2]], "|"))
			} else {
				val = "(bad ASCII reference)"
			}
		default:
			val = fmt.Sprintf("(tag %d, count %d, index %d)", e[1], e[2], e[3])
		}
		fmt.Fprintf(&sb, "%s  %s = %s\n", indent, name, val)
	}
	return sb.String()
}
